"""How a form prints: A4 landscape, as many pages across as keep its text readable, a signature block under it.

A form people fill, print, sign and stamp is laid out for paper here (xlsxwriter sheets; no domain words):

* :func:`print_layout` decides how a table of given column widths goes across the paper: one page wide
  (fit to the width) while its 12-point text prints at :data:`READABLE_POINTS` or more; otherwise as few
  pages across as keep it so, at one fixed scale, with the page breaks placed where the pages come out most
  even — and, when a signature block is to follow the table, where the last page across has room for it.
  The first columns (what tells the rows apart) are printed again on every page after the first;
* :func:`set_print` applies a layout to a sheet: A4 landscape, margins, the header row repeated on every
  page, "Trang 3/5" in the footer, the print area;
* :func:`text_lines` and :func:`fit_row` size a row for its wrapped text (spreadsheet programs do not
  re-measure rows a library wrote: a row left at one line shows one line of a wrapped text); a table row
  keeps an automatic height, so that it grows when a long answer is typed into it;
* :func:`write_heading` writes a title or a note above the table, wrapped over the columns of the first page
  (over the repeated columns when the table is several pages wide, so that no page shows half a title);
* :func:`write_signature` writes a :class:`Signature` below the table, in the columns :func:`signature_spans`
  picks: on the last page across when it has room, each block starting in a column the caller allows (a
  reader that takes a value in certain columns for a row of its table must never find one there) and
  merged to the right over the columns it needs.

Widths are in characters of the default font (:data:`DEFAULT_FONT`, which every workbook of
:func:`parcli.xlsx.write.write_xlsxwriter` has): about 7 pixels each in Excel and 7.33 in LibreOffice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Any

from parcli.xlsx.style import FONT_NAME, FONT_SIZE, SMALL_FONT_SIZE
from parcli.xlsx.text import clean

# The default font of a form: the house font at 11 points.  Column widths count characters of the default
# font; with Calibri (xlsxwriter's own default) a LibreOffice without Calibri or Carlito measures them with a
# wider fallback font and prints every column a third wider.  Times New Roman (Liberation Serif, of the same
# metrics, ships with LibreOffice) keeps the 7-pixel character of Calibri 11 in Excel.
DEFAULT_FONT: Mapping[str, object] = {"font_name": FONT_NAME, "font_size": SMALL_FONT_SIZE}

A4 = 9  # the paper size code of A4 (ECMA-376 ST_PaperSize)
A4_LANDSCAPE_INCHES = 297 / 25.4
MARGINS: Mapping[str, float] = {"left": 0.6, "right": 0.4, "top": 0.6, "bottom": 0.75}  # inches: 15/10/15/19 mm
HEADER_FOOTER_MARGIN = 0.3  # inches from the paper's edge
PRINTABLE_PX = (A4_LANDSCAPE_INCHES - MARGINS["left"] - MARGINS["right"]) * 96  # ≈ 1026 pixels at 96 dpi
PRINTABLE_HEIGHT_POINTS = (210 / 25.4 - MARGINS["top"] - MARGINS["bottom"]) * 72  # ≈ 498 points
PX_PER_CHAR = 7.35  # a character of column width as LibreOffice prints it (Excel: 7): on the safe side
PADDING_PX = 5  # what a column adds to its characters
READABLE_POINTS = 9  # the smallest size the body text may print at
MIN_SCALE = READABLE_POINTS / FONT_SIZE  # the body text is 12-point: three quarters of full size or more
FOOTER = f'&C&"{FONT_NAME},Regular"&11Trang &P/&N'  # "Trang 2/5" centred at the foot of every page

LINE_POINTS = 15.75  # one line of 12-point wrapped text (Excel's row; LibreOffice needs 13.3)
DEFAULT_ROW_POINTS = 15.0  # a row left alone (the default font's, too short for 12-point text)
MAX_ROW_POINTS = 409  # the tallest row a spreadsheet program allows
# Wrapping 12-point Vietnamese text in Times New Roman: a character takes 6.8 pixels on average (8 in bold),
# a column 7 a unit of width less 3 of padding (measured in LibreOffice on the titles of real criteria, on the safe
# side: a row may get a line more than it needs, never one less).
CHAR_PX = 6.8
BOLD_CHAR_PX = 8.0
CAPITAL_WIDTH = 1.45  # a capital letter takes about as much as one and a half average characters
SIGN_ROOM_POINTS = 4 * LINE_POINTS  # the empty row to sign and stamp in


def column_px(width: float) -> float:
    """Pixels a column of ``width`` characters takes on paper at full size (an estimate on the safe side)."""
    return width * PX_PER_CHAR + PADDING_PX


@dataclass(frozen=True)
class PrintLayout:
    """How a table goes across the paper.

    ``pages`` are the columns (0-based, first and last) of each page across, in order; every page after the
    first prints the ``repeated`` first columns again before its own.  One page: fit to the width.
    """

    widths: tuple[float, ...]
    pages: tuple[tuple[int, int], ...]
    repeated: int = 0

    @property
    def scale(self) -> int | None:
        """The print scale in percent of a table several pages wide (None: one page, fit to its width)."""
        if len(self.pages) == 1:
            return None
        return min(100, int(PRINTABLE_PX * 100 / max(self.page_px(i) for i in range(len(self.pages)))))

    def page_px(self, index: int) -> float:
        """Pixels page ``index`` takes at full size, its repeated columns included."""
        first, last = self.pages[index]
        again = sum(column_px(w) for w in self.widths[: self.repeated]) if index else 0
        return again + sum(column_px(w) for w in self.widths[first : last + 1])

    def own_columns(self, index: int) -> range:
        """The columns printed on page ``index`` only (the repeated ones left out)."""
        first, last = self.pages[index]
        return range(max(first, self.repeated), last + 1)

    @property
    def heading_span(self) -> tuple[int, int]:
        """The columns a title above the table spans: the first page, or the repeated columns (printed on every
        page across, where a title wider than them would show cut)."""
        return (0, self.repeated - 1) if self.repeated else self.pages[0]


def print_layout(
    widths: Sequence[float],
    *,
    key_columns: int = 0,
    anchors: Collection[int] = (),
    signature: Signature | None = None,
) -> PrintLayout:
    """The :class:`PrintLayout` of a table of ``widths`` (characters).

    One page wide when the table prints at :data:`MIN_SCALE` or more; else the fewest pages across that keep
    every page at that scale, each page after the first repeating the first ``key_columns`` columns (unless
    they take more than a third of a page: then none).  Among the ways to break the columns over that many
    pages: first those whose last page has room for ``signature`` (every block starting in one of the
    ``anchors`` columns and wide enough for its text, see :func:`signature_spans`), then the most even.
    """
    count = len(widths)
    capacity = PRINTABLE_PX / MIN_SCALE
    if count <= 1 or sum(map(column_px, widths)) <= capacity:
        return PrintLayout(tuple(widths), ((0, max(count - 1, 0)),))
    keys = key_columns if sum(map(column_px, widths[:key_columns])) <= capacity / 3 else 0
    for pages in range(2, count + 1):
        best: tuple[bool, float, PrintLayout] | None = None
        for starts in combinations(range(max(keys, 1), count), pages - 1):
            bounds = (0, *starts, count)
            layout = PrintLayout(tuple(widths), tuple((a, b - 1) for a, b in pairwise(bounds)), keys)
            widest = max(layout.page_px(i) for i in range(pages))
            if widest > capacity:
                continue
            placed = _placement(layout, pages - 1, anchors, signature) if signature else (0.0, 0.0, [])
            room = placed is not None and placed[0] == 0
            if best is None or (not room, widest) < best[:2]:
                best = (not room, widest, layout)
        if best is not None:
            return best[2]
    return PrintLayout(tuple(widths), tuple((c, c) for c in range(count)), keys)  # a column wider than a page


def set_print(
    ws: Any, layout: PrintLayout, *, repeat_row: int | None, last_row: int, rows_points: float | None = None
) -> None:
    """A4 landscape as ``layout`` says, ``repeat_row`` (0-based) on every page, page numbers, rows up to ``last_row``.

    One page across is fitted to the width (never enlarged); several are printed at the layout's scale with the
    breaks between its pages, across then down (the pages of the same rows follow each other).  ``rows_points``,
    the height of all the rows when known: a sheet one page wide that fits one page tall at a readable size is
    fitted to one page (a cover sheet that would leave a few lines on a second page).
    """
    ws.set_paper(A4)
    ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.set_header("", {"margin": HEADER_FOOTER_MARGIN})
    ws.set_footer(FOOTER, {"margin": HEADER_FOOTER_MARGIN})
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    scale = layout.scale
    if scale is None:
        short = rows_points is not None and rows_points <= PRINTABLE_HEIGHT_POINTS / MIN_SCALE
        ws.fit_to_pages(1, 1 if short else 0)
    else:
        ws.set_print_scale(scale)
        ws.set_v_pagebreaks([first for first, _ in layout.pages[1:]])
        ws.print_across()
        if layout.repeated:
            ws.repeat_columns(0, layout.repeated - 1)
    ws.print_area(0, 0, last_row, len(layout.widths) - 1)


def span_width(widths: Sequence[float], first: int, last: int) -> float:
    """The width (characters) of columns ``first``..``last`` merged: theirs, and the padding between them."""
    return sum(widths[first : last + 1]) + (last - first) * PADDING_PX / 7


def text_lines(text: str, width: float, *, bold: bool = False, size: float = FONT_SIZE) -> int:
    """Lines ``text`` takes wrapped word by word in a column (or merged columns) of ``width`` characters."""
    char_px = (BOLD_CHAR_PX if bold else CHAR_PX) * size / FONT_SIZE
    per_line = max((width * 7 - 3) / char_px, 1.0)
    return sum(_wrapped(part.split(), per_line) for part in text.replace("\r\n", "\n").split("\n"))


def _wrapped(words: list[str], per_line: float) -> int:
    """Lines ``words`` take, wrapped greedily at ``per_line`` average characters (a longer word broken)."""
    lines, used = 1, 0.0
    for word in words:
        size = sum(CAPITAL_WIDTH if char.isupper() else 1.0 for char in word)
        if used and used + 1 + size <= per_line:
            used += 1 + size
            continue
        if used:
            lines += 1
        while size > per_line:  # a word longer than a line goes on over the next
            lines += 1
            size -= per_line
        used = size
    return lines


def row_points(lines: int, *, size: float = FONT_SIZE) -> float:
    """The height (points) of a row showing ``lines`` lines of text of ``size`` points."""
    return min(round(lines * LINE_POINTS * size / FONT_SIZE, 2), MAX_ROW_POINTS)


def fit_row(ws: Any, row: int, lines: int, *, size: float = FONT_SIZE, auto: bool = False) -> float:
    """Make row ``row`` (0-based) tall enough for ``lines`` lines of text of ``size``; return its height.

    ``auto``: the height stays automatic where the sheet can (see
    :func:`parcli.xlsx.write.auto_height_worksheet_class`): the row opens at this height and grows when text
    typed into it needs more.  A row of merged cells must not be ``auto``.
    """
    height = row_points(lines, size=size)  # one line of 12-point text needs more than the default row
    if auto and hasattr(ws, "auto_rows"):
        ws.auto_rows.add(row)
    ws.set_row(row, height)
    return height


def write_heading(
    ws: Any, row: int, text: str, span: tuple[int, int], widths: Sequence[float], fmt: Any, **font: Any
) -> None:
    """A title or note (0-based ``row``) over the columns ``span``, wrapped, its row as tall as it needs.

    ``font`` (``bold``, ``size``) is the format's, for measuring.  Empty text leaves the row alone.
    """
    if not text:
        return
    first, last = span
    _write_span(ws, row, span, text, fmt)
    size = font.get("size", FONT_SIZE)
    lines = text_lines(text, span_width(widths, first, last), bold=font.get("bold", False), size=size)
    fit_row(ws, row, lines, size=size)


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs, in capitals (bold), and how, in brackets (italic): ``("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)")``."""

    title: str
    note: str


@dataclass(frozen=True)
class Signature:
    """The signature block under a printed table: its blocks left to right, ``date_line`` (italic) over the last."""

    blocks: tuple[SignatureBlock, ...]
    date_line: str = ""


def signature_spans(layout: PrintLayout, anchors: Collection[int], signature: Signature) -> list[tuple[int, int]]:
    """The columns (first, last; 0-based) of each block of ``signature``, side by side on one page across.

    A block starts in one of the ``anchors`` columns and spans the columns up to the next block (the last
    block, up to the page's edge), never in a column printed on every page.  The last page across where every
    block is wide enough for its text, else the page where they come nearest; on it, the blocks sit where a
    signature goes — one alone in the right half, two in either half.  Raises ``ValueError`` when no page
    has an anchor column for every block.
    """
    placed = {i: p for i in range(len(layout.pages)) if (p := _placement(layout, i, anchors, signature)) is not None}
    if not placed:
        raise ValueError(f"no page has room for a signature of {len(signature.blocks)} blocks")
    # the last page where every block fits (nothing too narrow), else the page where they come nearest
    return placed[min(placed, key=lambda i: (placed[i][0], -i))][2]


def _placement(
    layout: PrintLayout, index: int, anchors: Collection[int], signature: Signature
) -> tuple[float, float, list[tuple[int, int]]] | None:
    """The best place for ``signature`` on page ``index``: (pixels too narrow, pixels off, spans); None if none.

    Fewest pixels too narrow first (a block narrower than its text wraps it), then nearest to where a
    signature goes.
    """
    own = [c for c in layout.own_columns(index) if c in anchors]
    count = len(signature.blocks)
    if len(own) < count:
        return None
    widths = layout.widths
    left, last = layout.own_columns(index).start, layout.pages[index][1]
    page = sum(column_px(w) for w in widths[left : last + 1])
    ideal = [0.75] if count == 1 else [(i + 0.5) / count for i in range(count)]
    needs = [max(_text_px(b.title, bold=True), _text_px(b.note)) for b in signature.blocks]
    needs[-1] = max(needs[-1], _text_px(signature.date_line))
    best: tuple[float, float, list[tuple[int, int]]] | None = None
    for starts in combinations(own, count):
        spans = [(a, b - 1) for a, b in pairwise((*starts, last + 1))]
        short = off = 0.0
        for (first, end), where, need in zip(spans, ideal, needs, strict=True):
            start = sum(column_px(w) for w in widths[left:first])
            wide = sum(column_px(w) for w in widths[first : end + 1])
            short += max(0.0, need - wide)
            off += abs(start + wide / 2 - where * page)
        if best is None or (short, off) < best[:2]:
            best = (short, off, spans)
    return best


def _text_px(text: str, *, bold: bool = False) -> float:
    """Pixels ``text`` takes on one line (an estimate, capitals wider), with the cell's padding."""
    units = sum(CAPITAL_WIDTH if char.isupper() else 1.0 for char in text)
    return units * (BOLD_CHAR_PX if bold else CHAR_PX) + 3


def write_signature(
    ws: Any, row: int, signature: Signature, spans: Sequence[tuple[int, int]], widths: Sequence[float], formats: Any
) -> int:
    """Write ``signature`` from row ``row`` (0-based) in ``spans``; return the last row it takes.

    ``formats`` is ``(title, note)``: the xlsxwriter formats of the bold titles and of the italic notes and
    date line.  Each row is as tall as its wrapped text; the last is the empty room to sign and stamp in.
    """
    title_fmt, note_fmt = formats
    rows: list[list[tuple[tuple[int, int], str, Any, bool]]] = []
    if signature.date_line:
        rows.append([(spans[-1], signature.date_line, note_fmt, False)])
    rows.append([(span, block.title, title_fmt, True) for span, block in zip(spans, signature.blocks, strict=True)])
    rows.append([(span, block.note, note_fmt, False) for span, block in zip(spans, signature.blocks, strict=True)])
    for r, cells in enumerate(rows, start=row):
        lines = 1
        for (first, last), text, fmt, bold in cells:
            _write_span(ws, r, (first, last), text, fmt)
            lines = max(lines, text_lines(text, span_width(widths, first, last), bold=bold))
        fit_row(ws, r, lines)
    room = row + len(rows)
    ws.set_row(room, SIGN_ROOM_POINTS)
    return room


def _write_span(ws: Any, row: int, span: tuple[int, int], text: str, fmt: Any) -> None:
    """Text (never a formula, number or link) in one cell, or in the first of merged cells ``span``."""
    first, last = span
    if last > first:
        ws.merge_range(row, first, row, last, "", fmt)
    ws.write_string(row, first, clean(text), fmt)
