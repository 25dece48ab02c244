"""The one writer of every consolidated output: tables written by xlsxwriter, long ones in constant memory.

An output parcli consolidates from the files people send (the result of a merge) is a few tables and a
hidden sheet of metadata.  :func:`table_workbook` opens one, written atomically (into a temporary file
moved over the target only once complete, and only if the target is unchanged since it was read);
:meth:`TableWorkbook.table` adds a table sheet and :meth:`TableWorkbook.metadata` the hidden sheet.

A table sheet has an optional title and note above its header row; the header in the house palette
(:mod:`parcli.xlsx.style`), the column widths, the header frozen (and the first columns, if asked), an
autofilter over the rows, A4 landscape print with the header row on every page, as many pages wide as keep
the text readable.  Its rows are written in order with :meth:`Table.row`: text through the one sanitizer
(:func:`parcli.xlsx.text.clean`, never a formula), numbers, exact decimals and dates as numbers with their
formats, empty cells ruled or left out, each row as tall as its wrapped text.  No domain words here.

A workbook given a password is built in memory and encrypted before it reaches the disk
(:func:`parcli.secret.encrypt_bytes`: the "Encrypt with Password" of Excel, LibreOffice and WPS), so no
plain copy of it is ever written, not even as the temporary file.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.errors import OutputError
from parcli.files import FileStamp, atomic_path
from parcli.xlsx.style import FONT_NAME, SMALL_FONT_SIZE, XW, xw_props
from parcli.xlsx.text import clean
from parcli.xlsx.write import A4, cell_number, margins, xlsxwriter_workbook

if TYPE_CHECKING:
    from parcli.secret import Password

# The default font of every table workbook: the house font at the size of dense tables.
TABLE_FONT: Mapping[str, object] = {"font_name": FONT_NAME, "font_size": SMALL_FONT_SIZE}
LINE_POINTS = 15.75  # the height of one line of wrapped text
MAX_ROW_POINTS = 409  # the tallest row a spreadsheet program allows
CHARS_PER_WIDTH = 1.15  # characters of text a unit of column width holds (an estimate, on the safe side)
BOLD_CHARS_PER_WIDTH = 1.0  # the same for the bold header

# Print: A4 landscape between the margins of :func:`parcli.xlsx.write.margins` (0.75 inch left and right) is
# 10.19 inches, 978 pixels at 96 dpi; a table is printed as many pages wide as keep it at this scale or more.
PAGE_WIDTH_PX = 978
MIN_PRINT_SCALE = 0.65

# How a row looks, on top of the bordered, wrapped cell: by name, in the house palette.
BOLD: Mapping[str, object] = {"bold": True}
ROW_STYLES: Mapping[str, tuple[Mapping[str, object], ...]] = {
    "body": (),
    "group": (BOLD, XW.group_fill),  # a first-level group row
    "subgroup": (BOLD, XW.subgroup_fill),  # a second-level group row, a subtotal or a total
    "warning": (XW.warning_fill,),  # a row that needs attention
}
_CELL = xw_props(XW.border, XW.wrap)
_HEADER = xw_props(_CELL, BOLD, XW.center, XW.header_fill)
_CENTRED = {"align": "center", "text_wrap": False}  # a short number such as a running number


def print_pages_wide(widths: Sequence[float], key_columns: int = 0) -> tuple[int, int]:
    """(pages wide, key columns repeated) of a table of ``widths`` (characters) printed at
    :data:`MIN_PRINT_SCALE` or more.

    The first ``key_columns`` columns are printed again on every page after the first, unless they
    would take more than a third of a page (then they are not repeated).
    """
    pixels = [round(width * 7) + 5 for width in widths]  # as a spreadsheet program draws the columns
    total, capacity = sum(pixels), PAGE_WIDTH_PX / MIN_PRINT_SCALE
    again = sum(pixels[:key_columns])
    if again > capacity / 3:
        key_columns, again = 0, 0
    pages = 1
    while total + (pages - 1) * again > pages * capacity and pages < len(widths):
        pages += 1
    return pages, key_columns if pages > 1 else 0


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines ``text`` (sanitized: its line breaks are ``\\n``) takes wrapped at ``per_line`` characters."""
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


class Table:
    """One table sheet being written: rows are streamed in order, top to bottom (see :meth:`row`)."""

    def __init__(
        self,
        book: TableWorkbook,
        ws: Any,
        headers: Sequence[str],
        widths: Sequence[float],
        header_row: int,
        ruled: bool,
        centred: Collection[int],
    ) -> None:
        self.ws, self.header_row, self.ruled = ws, header_row, ruled
        self.width = len(headers)
        self._book = book
        self._centred = frozenset(centred)
        self._per_line = [max(int(w * CHARS_PER_WIDTH), 1) for w in widths]
        self._formats: dict[str, list[Any]] = {}
        self._date_formats: dict[str, list[Any]] = {}
        self.next_row = header_row + 1
        header = book.format(_HEADER)
        bold = [max(int(w * BOLD_CHARS_PER_WIDTH), 1) for w in widths]
        self._fit(
            header_row, max(wrapped_lines(label, per_line) for label, per_line in zip(headers, bold, strict=True))
        )
        for c, label in enumerate(headers):
            ws.write_string(header_row, c, clean(label), header)

    @property
    def rows(self) -> int:
        """Rows written under the header."""
        return self.next_row - self.header_row - 1

    def lines(self, cells: Iterable[tuple[int, Any]]) -> int:
        """Lines the tallest of ``cells`` (column, value) takes once wrapped; only text counts, as sanitized
        (:func:`parcli.xlsx.text.clean`) — text read from a form already is."""
        lines = 1
        per_line = self._per_line
        for c, value in cells:
            if type(value) is str and (len(value) > per_line[c] or "\n" in value) and value[:1] != "=":
                lines = max(lines, wrapped_lines(value, per_line[c]))
        return lines

    def row(self, values: Sequence[Any], style: str = "body", *, lines: int | None = None) -> None:
        """Write the next row: ``values`` by column, in ``style`` (a name of :data:`ROW_STYLES`).

        Text is sanitized and stays text; ``int``, ``float`` and ``Decimal`` are numbers, dates are
        numbers shown as dates, ``None`` and ``""`` an empty cell (drawn when the table is ruled).
        ``lines`` is the height in lines of wrapped text when the caller knows it (see :meth:`lines`);
        by default it is measured from ``values``.
        """
        ws, r, ruled = self.ws, self.next_row, self.ruled
        if lines is None:  # measured on the text as written
            values = [clean(value) if type(value) is str else value for value in values]
            lines = self.lines(enumerate(values))
        if lines > 1:
            self._fit(r, lines)
        formats = self._formats.get(style)
        if formats is None:
            formats = self._make_formats(style)
        write_string, write_number = ws.write_string, ws.write_number
        for c, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value:
                    write_string(r, c, clean(value), formats[c])
                    continue
            elif kind is int or kind is float:
                write_number(r, c, value, formats[c])
                continue
            elif value is not None:
                self._write_other(r, c, value, style, formats[c])
                continue
            if ruled:
                ws.write_blank(r, c, None, formats[c])
        self.next_row = r + 1

    def _write_other(self, r: int, c: int, value: Any, style: str, fmt: Any) -> None:
        ws = self.ws
        if isinstance(value, bool):
            ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, Decimal):
            ws.write_number(r, c, cell_number(value), fmt)
        elif isinstance(value, int | float):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, date):
            ws.write_datetime(r, c, value, self._date_formats[style][c])
        elif isinstance(value, str):
            ws.write_string(r, c, clean(value), fmt)
        else:
            ws.write_string(r, c, clean(str(value)), fmt)

    def _make_formats(self, style: str) -> list[Any]:
        parts = ROW_STYLES[style]
        cells, dates = [], []
        for c in range(self.width):
            column = (_CENTRED,) if c in self._centred else ()
            cells.append(self._book.format(_CELL, *parts, *column))
            dates.append(self._book.format(_CELL, *parts, *column, XW.date))
        self._formats[style], self._date_formats[style] = cells, dates
        return cells

    def _fit(self, row: int, lines: int) -> None:
        """A row as tall as its wrapped text (spreadsheet programs do not re-measure rows a library wrote)."""
        if lines > 1:
            self.ws.set_row(row, min(round(lines * LINE_POINTS, 2), MAX_ROW_POINTS))

    def finish(self) -> None:
        """Set the autofilter over the rows written (none on a table without rows)."""
        if self.rows:
            self.ws.autofilter(self.header_row, 0, self.next_row - 1, self.width - 1)


class TableWorkbook:
    """An xlsxwriter workbook of tables (see :func:`table_workbook`); formats are made once and shared."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.tables: list[Table] = []
        self._formats: dict[tuple[tuple[str, object], ...], Any] = {}

    def format(self, *parts: Mapping[str, object]) -> Any:
        """The workbook's format of the merged properties of ``parts`` (made once)."""
        props = xw_props(*parts)
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def table(
        self,
        name: str,
        headers: Sequence[str],
        widths: Sequence[float],
        *,
        title: str = "",
        note: str = "",
        header_row: int = 0,
        freeze_columns: int = 0,
        print_columns: int = 0,
        ruled: bool = True,
        centred: Collection[int] = (),
        protect: bool = False,
    ) -> Table:
        """Add a table sheet ``name`` and write its header row (0-based ``header_row``); return it for its rows.

        ``title`` (bold) and ``note`` take the first two rows, above the header.
        ``freeze_columns`` columns stay in view beside the frozen header.  ``print_columns`` first
        columns (what tells the rows apart) are printed again on every page when the table is more
        than a page wide (see :func:`print_pages_wide`).  ``ruled``: empty cells get borders too (a
        table to print; a long table to filter leaves them out).  ``centred`` columns (0-based) are
        centred and not wrapped.  ``protect`` locks the sheet without a password, filtering, sorting
        and resizing allowed.
        """
        if len(widths) != len(headers):
            raise ValueError(f"{name}: {len(headers)} headers but {len(widths)} widths")
        if (title or note) and header_row < 2:
            raise ValueError(f"{name}: a title and a note need the header at row 2 (0-based) or below")
        ws = self.wb.add_worksheet(name)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        if title:
            ws.write_string(0, 0, clean(title), self.format(BOLD))
        if note:
            ws.write_string(1, 0, clean(note))
        table = Table(self, ws, headers, widths, header_row, ruled, centred)
        ws.freeze_panes(header_row + 1, freeze_columns)
        ws.set_paper(A4)
        ws.set_landscape()
        margins(ws)
        ws.repeat_rows(header_row)
        pages, repeated = print_pages_wide(widths, print_columns)
        ws.fit_to_pages(pages, 0)
        if pages > 1:
            ws.print_across()  # the pages of the same rows follow each other
        if repeated:
            ws.repeat_columns(0, repeated - 1)
        if protect:
            ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})
        self.tables.append(table)
        return table

    def metadata(self, name: str, values: Mapping[str, str]) -> None:
        """Add the hidden sheet ``name``: one key and its value a row (an empty value leaves its cell empty)."""
        ws = self.wb.add_worksheet(name)
        for r, (key, value) in enumerate(values.items()):
            ws.write_string(r, 0, clean(key))
            if value:
                ws.write_string(r, 1, clean(value))
        ws.hide()


@contextlib.contextmanager
def _memory_workbook(buffer: io.BytesIO, options: dict[str, Any]) -> Iterator[Any]:
    """An xlsxwriter workbook written into ``buffer`` (never to a file), closed on leaving."""
    from xlsxwriter import Workbook
    from xlsxwriter.exceptions import XlsxWriterException

    wb = Workbook(buffer, {**options, "in_memory": True, "constant_memory": False})
    try:
        yield wb
    except BaseException:
        with contextlib.suppress(Exception):
            wb.close()
        raise
    try:
        wb.close()
    except XlsxWriterException as exc:
        raise OutputError(f"Không lập được bảng tính: {exc}") from exc


@contextlib.contextmanager
def table_workbook(
    target: Path,
    *,
    created: datetime,
    read: FileStamp | None = None,
    author: str = "",
    title: str = "",
    streamed: bool = True,
    password: Password | None = None,
) -> Iterator[TableWorkbook]:
    """A :class:`TableWorkbook` saved atomically to ``target`` on leaving (nothing is written on error).

    ``read``: the stamp of ``target`` when it was read — it is replaced only if unchanged since, else
    :class:`parcli.errors.OutputError` and nothing is lost.  ``created``, ``author`` and ``title`` are the
    document's properties.  ``streamed``: rows go to disk as they are written (xlsxwriter's constant
    memory mode), so a table of 100,000 rows costs little memory; without it the workbook is built in
    memory and repeated text is stored once, which is faster for tables of a few thousand rows.  Text is
    never turned into a formula, a number or a link.  ``password``: the workbook is built in memory
    (``streamed`` does not apply) and written encrypted with it; it opens only with that password.
    """
    options = {
        "constant_memory": streamed,
        "in_memory": not streamed,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": dict(TABLE_FONT),
    }
    with atomic_path(target, read=read) as tmp:
        buffer = io.BytesIO()
        opened = _memory_workbook(buffer, options) if password is not None else xlsxwriter_workbook(tmp, options)
        with opened as wb:
            when = created.astimezone(UTC).replace(tzinfo=None) if created.tzinfo else created
            wb.set_properties({"created": when, "author": clean(author), "title": clean(title)})
            book = TableWorkbook(wb)
            yield book
            for table in book.tables:
                table.finish()
        if password is not None:
            from parcli.secret import encrypt_bytes

            tmp.write_bytes(encrypt_bytes(buffer.getvalue(), password))
