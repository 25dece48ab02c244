"""The row engine: a form kind declares its table, and collect reads the rows.

A kind declares the columns of its table once (:class:`Column`: key, header label, type, whether
the header must have it, the values allowed, typed into or locked, width) in a :class:`Table`
(its sheet, the row the header is written on, the message when the header cannot be found).  The
issuer takes the headers, widths and unlocked columns from it (:mod:`parcli.collect.issue`); the
reader calls :func:`read_table`, which finds the header among the first rows (at any row, the
columns in any order), maps the columns and yields every filled row as a :class:`Row`.  A row gives
its values by column key, its cells' references, the text typed into a cell with that text's
warnings (control characters, too long), an error value a cell holds (``#N/A``), and records
problems by cell (file › sheet › cell, item).  :func:`finite_number` is the one reading of a
number cell (NaN and infinity are not numbers).
What is left to the kind is what is truly its own: its codes, scores, quotas, deadlines.

:func:`text` is the one reading of a cell as NFC text without surrounding spaces (codes, titles,
hidden item sheets); :func:`shown` is how a typed value reads back to its sender in a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import KW_ONLY, dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from parcli.collect.layout import HEADER_SEARCH_ROWS, find_header
from parcli.problems import ProblemCollector
from parcli.text import label_key, nfc
from parcli.xlsx.sheetxml import column_letter
from parcli.xlsx.text import text_warnings

# What a column holds: an identifier (read as plain text), typed text (read with its warnings),
# a number, a date, or one of a list of values.  Issuing formats a date input as a date and gives a
# choice input its drop-down list.
ColumnType = Literal["code", "text", "number", "date", "choice"]
# How typed text is tidied: "lines" (single spaces, unless the text has line breaks: then trimmed),
# "words" (single spaces, line breaks too), "trim" (the cell read as :func:`text`, then its warnings).
Spaces = Literal["lines", "words", "trim"]

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_MIDNIGHT = datetime.min.time()


def text(value: object) -> str:
    """A cell as NFC text without surrounding spaces ("" for an empty cell, a float as Python writes it)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return nfc(str(value)).strip()


def shown(value: object, *, whole: bool = False) -> str:
    """A typed value as its sender sees it: a date ``dd/mm/yyyy`` (``HH:MM`` added when it has a time).

    A float reads as Python writes it; with ``whole`` a whole number reads without its decimal point
    and a date-time as its date (cells where a number stands for text: a phone number, a dossier code).
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        if whole or value.time() == _MIDNIGHT:
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(int(value)) if whole and value.is_integer() else repr(value)
    return str(value)


def blank(value: object) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def number_text(typed: str) -> Decimal | None:
    """The number a text holds (``7,5``, ``7.5``, ``-1``, ``.5``), or None when it is not one number."""
    return Decimal(typed.replace(",", ".")) if _NUMBER.match(typed) else None


def finite_number(value: int | float) -> Decimal | None:
    """A number cell as an exact decimal (see :func:`parcli.numbers.to_decimal`); None for NaN or ±infinity.

    A workbook written by another program may hold ``NaN`` or ``INF`` as a number: not a score
    anyone typed, and a value every comparison would fail on.
    """
    from parcli.numbers import to_decimal

    number = to_decimal(value)
    return number if number.is_finite() else None


def typed_date(value: object) -> date | None:
    """A typed date: a date cell, or text ``dd/mm/yyyy`` (``.`` or ``-`` too) or ``yyyy-mm-dd``; else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.match(value)
        parts = (match[3], match[2], match[1]) if match else None
        iso = _ISO.match(value)
        if iso:
            parts = (iso[1], iso[2], iso[3])
        if parts:
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class Column:
    """One column of a form's table, as its kind declares it.

    ``key`` names the column in the kind's code, ``label`` in the header; ``type`` is what it
    holds (see :data:`ColumnType`).  ``required``: the header row is recognised by its required
    columns (without one of them the table is not read: ``header-missing``); ``expected``: a
    header without it is still read, but its absence is an error (``header-missing`` at the end
    of the header row).  ``input``: the owner types into it (unlocked when issued; the other
    columns are locked).  ``allowed``: the values a choice column offers.  ``noun``: what the
    column holds, in messages ("họ và tên").
    """

    key: str
    label: str
    type: ColumnType = "text"
    _: KW_ONLY
    required: bool = False
    expected: bool = False
    input: bool = False
    allowed: tuple[str, ...] = ()
    width: float = 10
    noun: str = ""


@dataclass(frozen=True)
class Table:
    """The table of a form: its sheet, its columns in order, and how it is read.

    ``header_row`` is where issuing writes the header (the reader searches for it).  When the
    header cannot be found, the message names what it should have (``header_hint``: "có các cột
    “Mã” và “Điểm”") and where (``where``), and closes with ``resend``, the request to the
    sender ("Đề nghị …").  A row is read when one of its ``row_key`` columns is filled.
    ``spaces`` tidies typed text (see :data:`Spaces`); ``whole_numbers`` reads a whole number typed
    into a text column without its decimal point.
    """

    sheet: str
    columns: tuple[Column, ...]
    header_row: int
    header_hint: str
    resend: str
    _: KW_ONLY
    where: str = "trên trang tính"
    row_key: tuple[str, ...] = ("code",)
    spaces: Spaces = "lines"
    whole_numbers: bool = False

    @cached_property
    def labels(self) -> tuple[str, ...]:
        """The header labels, in order."""
        return tuple(c.label for c in self.columns)

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def column(self, key: str) -> Column:
        """The column of ``key``."""
        return self._by_key[key]

    def position(self, key: str) -> int:
        """The 1-based position of a column as issued."""
        return self.columns.index(self._by_key[key]) + 1

    @property
    def widths(self) -> dict[int, float]:
        """Column widths by 1-based position."""
        return {i: c.width for i, c in enumerate(self.columns, start=1)}

    @property
    def inputs(self) -> tuple[str, ...]:
        """The keys of the columns the owner types into."""
        return tuple(c.key for c in self.columns if c.input)


def read_table(
    ws: Any, table: Table, add: ProblemCollector, *, max_rows: int, width: int | None = None
) -> TableRows | None:
    """Find ``table``'s header on the sheet ``ws`` and map its columns; None when it is not there.

    The first ``max_rows`` rows are read, ``width`` columns wide (the declared columns and three
    more: columns the owner inserted).  The header is searched among the first rows by its labels
    (any row, any order, case, spaces and Unicode form aside); without it ``header-missing`` is
    added and None returned.  An expected column missing from the header is one ``header-missing``
    each, and the table is read all the same.
    """
    rows = [tuple(r) for r in ws.iter_rows(min_row=1, max_row=max_rows, max_col=width or len(table.columns) + 3)]
    header = find_header(
        [tuple(getattr(c, "value", None) for c in r) for r in rows[:HEADER_SEARCH_ROWS]],
        table.labels,
        tuple(c.label for c in table.columns if c.required),
    )
    resend = table.resend
    if header is None:
        hint, where = table.header_hint, table.where
        add.add("header-missing", f"Không tìm thấy dòng tiêu đề ({hint}) {where}. {resend}", sheet=table.sheet)
        return None
    for column in table.columns:
        if column.expected and column.label not in header.columns:
            add.add(
                "header-missing",
                f"Thiếu cột “{column.label}” {table.where}. {resend}",
                sheet=table.sheet,
                cell=f"{column_letter(len(table.columns))}{header.row}",
            )
    found = {c.key: header.columns[c.label] - 1 for c in table.columns if c.label in header.columns}
    return TableRows(table, add, header.row, found, rows)


class TableRows:
    """A table found on its sheet: iterate for its filled rows, then add the sheet-wide warnings.

    ``header_row`` is where the header was found; ``last`` the last filled row read (the header
    row when none); ``scanned`` how many rows of the sheet were read.
    """

    def __init__(
        self, table: Table, add: ProblemCollector, header_row: int, index: dict[str, int], rows: list[tuple[Any, ...]]
    ) -> None:
        self.table = table
        self.add = add
        self.header_row = header_row
        self.last = header_row
        self.scanned = len(rows)
        self.index = index  # column key -> 0-based index in a row, for the columns found
        self.letters = {key: column_letter(i + 1) for key, i in index.items()}
        self.normalised: list[str] = []  # cells whose text was decomposed (NFD)
        self._rows = rows
        self._allowed: dict[str, dict[str, str]] = {}

    def __iter__(self) -> Iterator[Row]:
        """The rows below the header with one of the table's ``row_key`` columns filled, in order."""
        keys = [self.index[k] for k in self.table.row_key if k in self.index]
        rows = self._rows
        for offset in range(self.header_row, len(rows)):
            cells = rows[offset]
            size = len(cells)
            if all(i >= size or blank(getattr(cells[i], "value", None)) for i in keys):
                continue
            self.last = offset + 1
            yield Row(self, offset + 1, cells)

    def problem(self, slug: str, message: str, *, cell: str | None = None, item: str | None = None) -> None:
        """Record a problem on the table's sheet."""
        self.add.add(slug, message, sheet=self.table.sheet, cell=cell, item=item)

    def report_normalised(self) -> None:
        """One ``text-normalised`` warning when typed text was decomposed (NFD), at the first such cell."""
        if self.normalised:
            self.problem(
                "text-normalised",
                f"{len(self.normalised)} ô có chữ tiếng Việt dạng tổ hợp (NFD), đã được chuẩn hóa về dạng dựng sẵn "
                "(NFC).",
                cell=self.normalised[0],
            )

    def allowed(self, key: str) -> dict[str, str]:
        """The allowed values of a choice column, by their :func:`~parcli.text.label_key`."""
        known = self._allowed.get(key)
        if known is None:
            known = self._allowed[key] = {label_key(v): v for v in self.table.column(key).allowed}
        return known


class Row:
    """One filled row of a table: values by column key, cell references, typed text, problems by cell.

    A column the header does not have reads as an empty cell without a reference.
    """

    __slots__ = ("_cells", "_rows", "number")

    def __init__(self, rows: TableRows, number: int, cells: tuple[Any, ...]) -> None:
        self._rows = rows
        self._cells = cells
        self.number = number  # 1-based row of the sheet

    def cell(self, key: str) -> Any:
        """The cell of a column (``value``, and ``data_type`` ``"f"`` for a formula), or None."""
        index = self._rows.index.get(key)
        cells = self._cells
        return cells[index] if index is not None and index < len(cells) else None

    def value(self, key: str) -> Any:
        """The value of a column's cell (None when empty or absent)."""
        index = self._rows.index.get(key)  # inlined from cell(): a few calls per row of every sheet read
        cells = self._cells
        return getattr(cells[index], "value", None) if index is not None and index < len(cells) else None

    def is_formula(self, key: str) -> bool:
        """True when the column's cell holds a formula."""
        return getattr(self.cell(key), "data_type", None) == "f"

    def error(self, key: str) -> str | None:
        """The spreadsheet error value the column's cell holds (``#N/A``, ``#DIV/0!``…), or None.

        Such a cell is never empty: it is a value that is not what was meant to be typed.
        """
        cell = self.cell(key)
        return str(cell.value) if getattr(cell, "data_type", None) == "e" and cell.value is not None else None

    def ref(self, key: str) -> str | None:
        """The reference of the column's cell (``F12``), or None when the header has no such column."""
        letter = self._rows.letters.get(key)
        return None if letter is None else f"{letter}{self.number}"

    def text(self, key: str) -> str:
        """The column's cell as NFC text without surrounding spaces (see :func:`text`)."""
        return text(self.value(key))

    def typed(self, key: str, *, item: str | None = None, prefix: str = "") -> str:
        """The text typed into the column's cell, fit for a cell and tidied; each fix is a warning on the cell.

        Control characters are dropped and an over-long text is cut (``text-control-characters``,
        ``text-too-long``: ``prefix`` + the message, for ``item``).  Decomposed (NFD) text is
        composed and remembered for :meth:`TableRows.report_normalised`; spaces are tidied by the
        table's :data:`Spaces`.
        """
        rows = self._rows
        table = rows.table
        value = self.value(key)
        if table.spaces == "trim":
            fixed, unfit = text_warnings(text(value))
        else:
            fixed, unfit = text_warnings(shown(value, whole=table.whole_numbers))
        for slug, message in unfit:
            rows.add.add(slug, prefix + message, sheet=table.sheet, cell=self.ref(key), item=item)
        if table.spaces == "trim":
            return fixed
        composed = nfc(fixed)
        if composed != fixed:
            rows.normalised.append(self.ref(key) or "")
        if table.spaces == "words" or "\n" not in fixed:
            return " ".join(composed.split())
        return composed.strip()

    def choice(self, key: str) -> tuple[str, str | None]:
        """The text in a choice column's cell, and the allowed value it names (None when none)."""
        typed = self.text(key)
        return typed, (self._rows.allowed(key).get(label_key(typed)) if typed else None)

    def problem(self, slug: str, message: str, key: str | None = None, *, item: str | None = None) -> None:
        """Record a problem on the cell of column ``key`` (on the sheet, without a cell, when None or absent)."""
        rows = self._rows
        rows.add.add(slug, message, sheet=rows.table.sheet, cell=self.ref(key) if key else None, item=item)
