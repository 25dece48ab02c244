"""Read the annex table of a decision published as PDF (with a text layer), with pdfplumber.

A portal's PDF is the Word decision printed: the annex table keeps its ruled lines, which pdfplumber finds
(``find_tables``, lines strategy) page by page.  The table is the one whose header has STT, Nội dung and Điểm
tối đa (as for Word); its parts on the following pages are the tables with the same columns, a repeated
header skipped.  A row cut by a page break continues at the top of the next page without an order number:
that part is joined to the row above it.

PDF keeps no paragraphs, only lines placed on the page, so a cell's lines are joined back: a line ends its
paragraph when the first word of the next line would have fitted after it, when paragraph spacing follows it,
or when the next line starts with a dash or bullet; otherwise the line was wrapped and joins with a space.

What cannot be read is named, nothing guessed: a PDF without any text (a scan) is refused, asking for the
.docx or a PDF exported from Word; a page without text after the table's start, and a row with glyphs that
have no Unicode meaning (``(cid:12)``), are doubts by page and row; no ruled table with that header is an
error saying so.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from parcli.catalogue_table.annex_docx import HEADER_ROWS
from parcli.catalogue_table.annex_source import NO_TABLE, AnnexSource, SourceRow, header_columns, pick_cells
from parcli.catalogue_table.cells import TableProblem
from parcli.errors import CatalogueError

ASK_FOR_TEXT = (
    "đề nghị dùng bản Word (.docx) của phụ lục, hoặc bản PDF xuất trực tiếp từ Word (chọn và sao chép được chữ)"
)
SCANNED = f"tệp PDF không có lớp chữ (là bản quét hoặc ảnh chụp) nên parcli không đọc được; {ASK_FOR_TEXT}"
NO_PDF_TABLE = (
    f"{NO_TABLE} trong tệp PDF: parcli chỉ đọc bảng có kẻ khung; nếu bảng không kẻ khung hoặc là ảnh, {ASK_FOR_TEXT}"
)
_DAMAGED = "tệp PDF bị hỏng (hoặc tải về chưa trọn) nên không đọc được; đề nghị tải lại tệp, hoặc dùng bản .docx"
_EDGE_TOLERANCE = 3.0  # points: two parts of one table have their column lines this close
_BULLETS = ("-", "+", "•", "–", "*")


@dataclass
class _Line:
    """One line of text in a cell: its words joined, its extent, the width of its first word."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_width: float


@dataclass
class _Cell:
    """A cell's lines and its horizontal extent (to tell wrapped lines from paragraph ends)."""

    x0: float
    x1: float
    lines: list[_Line] = field(default_factory=list)

    def text(self) -> str:
        """The cell's paragraphs, one per line of the result (see the module docstring)."""
        if not self.lines:
            return ""
        pad = min(max(min(line.x0 for line in self.lines) - self.x0, 1.0), 8.0)
        width = self.x1 - self.x0 - 2 * pad
        out = [self.lines[0].text]
        for before, line in pairwise(self.lines):
            size = before.bottom - before.top
            fits = before.x1 - before.x0 + size / 4 + line.first_width < width - 1
            spaced = line.top - before.bottom > size / 2
            out.append(("\n" if fits or spaced or line.text.startswith(_BULLETS) else " ") + line.text)
        return unicodedata.normalize("NFC", "".join(out))


@dataclass
class _Row:
    """A table row as read: its cells, its page and its row on that page's part of the table."""

    page: int
    line: int
    cells: list[_Cell | None]

    def texts(self) -> list[str]:
        """The text of each grid column (a column covered by a merged cell reads as blank)."""
        return [cell.text() if cell is not None else "" for cell in self.cells]


@dataclass
class _Run:
    """One table followed over pages: its header, its column lines, its rows below the header."""

    columns: dict[str, int]
    edges: list[float]
    rows: list[_Row] = field(default_factory=list)
    last_page: int = 0


def _lines(words: list[dict[str, Any]]) -> list[_Line]:
    """Words of one cell grouped into lines (top to bottom, left to right)."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= (word["bottom"] - word["top"]) / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    out = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        out.append(
            _Line(
                text=" ".join(w["text"] for w in line),
                x0=line[0]["x0"],
                x1=line[-1]["x1"],
                top=min(w["top"] for w in line),
                bottom=max(w["bottom"] for w in line),
                first_width=line[0]["x1"] - line[0]["x0"],
            )
        )
    return out


def _table_rows(table: Any, words: list[dict[str, Any]], page: int) -> list[_Row]:
    """The rows of one table found on a page, each word put in the cell holding its middle."""
    rows = table.rows
    tops = [row.bbox[1] for row in rows]
    found: list[list[list[dict[str, Any]]]] = [[[] for _ in row.cells] for row in rows]
    for word in words:
        middle_y = (word["top"] + word["bottom"]) / 2
        index = bisect.bisect_right(tops, middle_y) - 1
        if index < 0 or middle_y > rows[index].bbox[3]:
            continue
        middle_x = (word["x0"] + word["x1"]) / 2
        for column, bbox in enumerate(rows[index].cells):
            if bbox is not None and bbox[0] <= middle_x < bbox[2]:
                found[index][column].append(word)
                break
    out = []
    for number, (row, cells) in enumerate(zip(rows, found, strict=True), start=1):
        parts = zip(row.cells, cells, strict=True)
        out.append(_Row(page, number, [None if b is None else _Cell(b[0], b[2], _lines(c)) for b, c in parts]))
    return out


def _inside(word: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    """The middle of ``word`` is inside ``bbox`` (a word's box rises above its line: its middle does not)."""
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bool(bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3])


def _edges(table: Any) -> list[float]:
    """The x positions of a table's column lines."""
    xs = {round(bbox[i], 1) for row in table.rows for bbox in row.cells if bbox is not None for i in (0, 2)}
    return sorted(xs)


def _same_edges(one: list[float], other: list[float]) -> bool:
    return len(one) == len(other) and all(abs(a - b) <= _EDGE_TOLERANCE for a, b in zip(one, other, strict=True))


def _open(path: Path) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds, in its own words (pdfplumber wraps them)
        causes = {type(exc).__name__, *(type(a).__name__ for a in exc.args if isinstance(a, BaseException))}
        if "PDFPasswordIncorrect" in causes:
            message = f"tệp PDF được đặt mật khẩu mở nên không đọc được; {ASK_FOR_TEXT}"
            raise CatalogueError(path.name, [message]) from None
        raise CatalogueError(path.name, [_DAMAGED]) from None


def read_pdf(path: Path) -> AnnexSource:
    """The rows of the annex table of a PDF below its header, with page and row; the text outside the table."""
    with _open(path) as pdf:
        try:
            return _read(path.name, pdf)
        except CatalogueError:
            raise
        except Exception:  # a page that pdfminer cannot parse, told in its own words
            raise CatalogueError(path.name, [_DAMAGED]) from None


@dataclass
class _Scan:
    """What one pass over the pages found."""

    runs: list[_Run] = field(default_factory=list)
    textless: list[int] = field(default_factory=list)  # pages with an image and no text: scanned
    body: list[str] = field(default_factory=list)  # lines of text outside tables
    text: bool = False  # any text at all


def _scan(pdf: Any) -> _Scan:
    """Every page once: the annex tables followed over pages, the pages without text, the text outside tables."""
    scan = _Scan()
    runs, body = scan.runs, scan.body
    current: _Run | None = None
    for page in pdf.pages:
        number = page.page_number
        words = page.extract_words(keep_blank_chars=False)
        if not words:
            if page.images:
                scan.textless.append(number)
            page.close()
            continue
        scan.text = True
        tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
        body += [line.text for line in _lines([w for w in words if not any(_inside(w, t.bbox) for t in tables)])]
        for position, table in enumerate(tables):
            found = _table_rows(table, words, number)
            edges = _edges(table)
            # a part on a later page: the first table there, with the same column lines
            joined = (
                current is not None
                and position == 0
                and number > current.last_page
                and _same_edges(current.edges, edges)
            )
            header_at = _header(found)
            if header_at is not None:
                index, columns = header_at
                if not joined:
                    current = _Run(columns, edges)
                    runs.append(current)
                found = found[index + 1 :]  # a new table's header, or the header repeated on a new page
            elif not joined:
                current = None
                continue
            assert current is not None
            _continue(current, found, joined)
            current.last_page = number
        page.close()
    return scan


def _read(file: str, pdf: Any) -> AnnexSource:
    scan = _scan(pdf)
    if not scan.runs:
        if not scan.text:
            raise CatalogueError(file, [SCANNED])
        pages = ", ".join(str(n) for n in scan.textless)
        scanned = f"trang {pages} là bản quét hoặc ảnh (không có lớp chữ), không đọc được; {ASK_FOR_TEXT}"
        raise CatalogueError(file, [NO_PDF_TABLE, *([scanned] if scan.textless else [])])
    run = max(scan.runs, key=lambda r: len(r.rows))
    first_page = run.rows[0].page if run.rows else run.last_page
    # a scanned page inside the table, or right after its last page, may hold rows that were not read
    problems = [
        TableProblem(
            f"trang {n}: trang không có lớp chữ (bản quét hoặc ảnh) nên không đọc được; nếu bảng tiêu chí còn ở "
            "trang này, các dòng trên đó chưa được nhập"
        )
        for n in scan.textless
        if first_page < n <= run.last_page + 1
    ]
    rows: list[SourceRow] = []
    for index, row in enumerate(run.rows, start=1):
        texts = row.texts()
        where = f"trang {row.page}, dòng {row.line}"
        unread = next((t for t in texts if "(cid:" in t), None)
        if unread is not None:
            problems.append(
                TableProblem(
                    f"{where}: có chữ không giải mã được (“{unread[:40]}”): phông chữ của tệp PDF không kèm bảng mã "
                    f"Unicode; {ASK_FOR_TEXT}",
                    row=index,
                )
            )
        rows.append(SourceRow(index=index, where=where, cells=pick_cells(texts, run.columns)))
    return AnnexSource(file=file, rows=rows, body="\n".join(scan.body), problems=problems)


def _header(rows: list[_Row]) -> tuple[int, dict[str, int]] | None:
    """The first of a table's first rows that is an annex header, and its columns."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        columns = header_columns(row.texts())
        if columns is not None:
            return index, columns
    return None


def _continue(run: _Run, rows: list[_Row], joined: bool) -> None:
    """Add a part of the table to its run; on a later page, a first row without a number is the rest of the row
    cut by the page break: its lines join the row above, cell by cell."""
    if joined and rows and run.rows:
        texts = rows[0].texts()
        number = run.columns["number"]
        if number < len(texts) and not texts[number].strip() and any(t.strip() for t in texts):
            above = run.rows[-1]
            for column, cell in enumerate(rows[0].cells):
                target = above.cells[column] if column < len(above.cells) else None
                if cell is not None and target is not None:
                    target.lines.extend(cell.lines)
            rows = rows[1:]
    run.rows.extend(rows)
