"""Writing workbooks: protection, page setup, validations, cells, atomic saves — for xlsxwriter and openpyxl.

Forms are written with xlsxwriter (fast, write-only) or openpyxl (when a workbook is built and then
changed); both get the same protection and page setup from here, and their look from
:mod:`parcli.xlsx.style`.  How a form prints (pages across, scale, rows tall enough for their text, a
signature block under the table) is :mod:`parcli.xlsx.printing`.  Every file is written atomically: into a
temporary file beside the target, moved over it only once complete (:func:`parcli.files.atomic_path`).  No
domain words here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from parcli.errors import OutputError
from parcli.files import FileStamp, atomic_path
from parcli.xlsx.printing import A4 as A4  # the paper size code of A4 in both engines, re-exported
from parcli.xlsx.printing import DEFAULT_FONT
from parcli.xlsx.text import clean

CHAR_PX = 7  # pixels of one character of column width (Calibri 11 or Times New Roman 11: 7 px a digit)


def legacy_password_hash(password: str) -> str:
    """The legacy 16-bit protection hash of sheets and workbooks (ECMA-376 Part 4, §14.7.1)."""
    digest = 0
    for char in reversed(password):
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


# --- xlsxwriter ---------------------------------------------------------------------------------


@cache
def auto_height_worksheet_class() -> type[Any]:
    """xlsxwriter's ``Worksheet`` whose chosen rows keep an automatic height, which xlsxwriter has no option for.

    A row whose number (0-based) is in ``auto_rows`` is written with its height but without ``customHeight``:
    it opens at the height it was given (no program measures rows on opening), and, not being a height someone
    set by hand, is fitted again to its text when one of its cells is typed into — a long answer typed into a
    form then grows its row instead of printing cut off.  Rows of merged cells are better left custom: no
    program measures merged text.
    """
    from xlsxwriter.worksheet import Worksheet

    class AutoHeightWorksheet(Worksheet):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.auto_rows: set[int] = set()
            self._auto_row = False

        # Private xlsxwriter methods (checked with xlsxwriter 3.x): _write_row writes each <row> through one of
        # the two tag writers.  If xlsxwriter renames them, rows silently keep customHeight (a fixed height):
        # tests/test_print_forms.py checks that issued forms' table rows have none.
        def _write_row(self, row: int, *args: Any, **kwargs: Any) -> None:
            self._auto_row = row in self.auto_rows
            try:
                super()._write_row(row, *args, **kwargs)
            finally:
                self._auto_row = False

        def _xml_start_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
            super()._xml_start_tag_unencoded(tag, self._row_attributes(tag, attributes))

        def _xml_empty_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
            super()._xml_empty_tag_unencoded(tag, self._row_attributes(tag, attributes))

        def _row_attributes(self, tag: str, attributes: Any) -> list[Any]:
            if tag == "row" and self._auto_row:
                return [pair for pair in attributes if pair[0] != "customHeight"]
            return list(attributes)

    return AutoHeightWorksheet


@cache
def protected_workbook_class() -> type[Any]:
    """xlsxwriter's ``Workbook`` that can lock the workbook structure, which xlsxwriter has no method for.

    Set ``lock_structure = True`` (and ``structure_password``) on an instance before closing it.  Its sheets
    are :func:`auto_height_worksheet_class` sheets.
    """
    import xlsxwriter

    class ProtectedWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
        lock_structure = False
        structure_password = ""

        def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
            return super().add_worksheet(name, worksheet_class or auto_height_worksheet_class())

        # A private xlsxwriter method (checked with xlsxwriter 3.x): it writes <workbookPr>, and
        # <workbookProtection> must follow it (ECMA-376 CT_Workbook).  If xlsxwriter renames it, the
        # lock silently disappears: tests/test_generate.py checks that generated workbooks have it.
        def _write_workbook_pr(self) -> None:
            super()._write_workbook_pr()
            if self.lock_structure:
                attributes: list[tuple[str, object]] = []
                if self.structure_password:
                    attributes.append(("workbookPassword", legacy_password_hash(self.structure_password)))
                attributes.append(("lockStructure", 1))
                self._xml_empty_tag("workbookProtection", attributes)

    return ProtectedWorkbook


def write_xlsxwriter(target: Path, build: Callable[[Any], None]) -> None:
    """Create an xlsxwriter workbook, let ``build(wb)`` fill it and save it to ``target`` atomically.

    The workbook is a :func:`protected_workbook_class` instance; its parts are built in memory, not in
    temporary files, then zipped into the temporary file.  Its default font is
    :data:`parcli.xlsx.printing.DEFAULT_FONT` (column widths print the same in Excel and LibreOffice).
    Raise :class:`OutputError` if it cannot be written.
    """
    options = {"constant_memory": False, "in_memory": True, "default_format_properties": dict(DEFAULT_FONT)}
    with (
        atomic_path(target) as tmp,
        xlsxwriter_workbook(tmp, options, workbook_class=protected_workbook_class()) as wb,
    ):
        build(wb)


@contextlib.contextmanager
def xlsxwriter_workbook(
    tmp: Path, options: dict[str, Any], *, workbook_class: type[Any] | None = None
) -> Iterator[Any]:
    """An xlsxwriter workbook on ``tmp``, closed on leaving — also on error, so no half-open zip is left.

    A file that cannot be created or written (``FileCreateError``, a full disk) becomes :class:`OutputError`.
    """
    from xlsxwriter import Workbook
    from xlsxwriter.exceptions import XlsxWriterException

    wb = (workbook_class or Workbook)(str(tmp), options)
    try:
        yield wb
    except BaseException:
        with contextlib.suppress(Exception):
            wb.close()  # the temporary file is dropped by the atomic writer
        raise
    try:
        wb.close()
    except (XlsxWriterException, OSError) as exc:
        raise OutputError(f"Không ghi được tệp {tmp.name}: {exc}") from exc


def width_px(width: float) -> int:
    """Pixels that xlsxwriter writes back as exactly ``width`` characters of column width."""
    return round(width * CHAR_PX)


def set_column_widths(ws: Any, widths: Mapping[int, float]) -> None:
    """Column widths in characters, by 1-based column (xlsxwriter)."""
    for col, width in widths.items():
        ws.set_column_pixels(col - 1, col - 1, width_px(width))


def margins(ws: Any) -> None:
    """The default margins openpyxl writes: 0.75/1 inch, header and footer 0.5 (xlsxwriter)."""
    ws.set_margins(left=0.75, right=0.75, top=1, bottom=1)
    ws.set_header("", {"margin": 0.5})
    ws.set_footer("", {"margin": 0.5})


def page(ws: Any, *, landscape: bool, repeat_row: int | None = None) -> None:
    """A4, fit to one page wide, :func:`margins`; ``repeat_row`` (0-based) printed on every page (xlsxwriter)."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    margins(ws)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def protect(ws: Any, password: str, *, format_rows_and_columns: bool = False, **allowed: bool) -> None:
    """Protect a sheet as openpyxl does: objects and scenarios stay editable; optionally row/column sizes.

    ``allowed`` adds other xlsxwriter protection options (``autofilter=True``, ``sort=True``…).
    """
    options = {"objects": True, "scenarios": True, **allowed}
    if format_rows_and_columns:
        options.update(format_columns=True, format_rows=True)
    ws.protect(password, options)


def validate(ws: Any, row: int, col: int, options: dict[str, object]) -> None:
    """Add a data validation to one cell (1-based); xlsxwriter refuses bad ones with a code, not an error."""
    if ws.data_validation(row - 1, col - 1, row - 1, col - 1, options) != 0:
        raise ValueError(f"xlsxwriter refused the data validation of {ws.name}!R{row}C{col}: {options}")


def write_text(ws: Any, row: int, col: int, value: str, fmt: Any = None) -> None:
    """Write text (0-based cell); empty text leaves an empty cell (xlsxwriter would store "")."""
    if value:
        ws.write_string(row, col, clean(value), fmt)
    elif fmt is not None:
        ws.write_blank(row, col, None, fmt)


def cell_number(value: Decimal) -> int | float:
    """A decimal as the number a cell stores: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


# --- openpyxl -----------------------------------------------------------------------------------


def save_openpyxl(wb: Any, target: Path, *, read: FileStamp | None = None) -> None:
    """Save an openpyxl workbook to ``target`` atomically; the zip is closed even when writing fails."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    with atomic_path(target, read=read) as tmp:
        archive = ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True)
        try:
            ExcelWriter(wb, archive).write_data()
        except BaseException:
            with contextlib.suppress(Exception):
                archive.close()
            raise
        archive.close()


def setup_page(ws: Any, *, landscape: bool = True, repeat_rows: str | None = None, fit_to_page: bool = True) -> None:
    """A4, one page wide (openpyxl); ``repeat_rows`` such as ``"1:1"`` printed on every page.

    ``fit_to_page`` turns the fit on (without it spreadsheet programs ignore the fit to width).
    """
    if repeat_rows is not None:
        ws.print_title_rows = repeat_rows
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if fit_to_page:
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def protect_sheet(
    ws: Any, password: str | None, *, format_rows_and_columns: bool = False, filter_and_sort: bool = False
) -> None:
    """Protect an openpyxl sheet; optionally leave row heights and column widths, or filter and sort, usable."""
    ws.protection.sheet = True
    if format_rows_and_columns:
        ws.protection.formatColumns = False  # openpyxl: False is "not protected", i.e. allowed
        ws.protection.formatRows = False
    if filter_and_sort:
        ws.protection.autoFilter = False
        ws.protection.sort = False
    if password:
        ws.protection.password = password


def lock_structure(wb: Any, password: str | None) -> None:
    """Lock the sheets of an openpyxl workbook (no adding, deleting, renaming, moving, unhiding)."""
    from openpyxl.workbook.protection import WorkbookProtection

    wb.security = WorkbookProtection(lockStructure=True)
    if password:
        wb.security.workbookPassword = password


def list_formula(choices: list[str] | tuple[str, ...]) -> str:
    """The formula of an in-cell drop-down list: ``"Có,Không"`` (at most 255 characters in all)."""
    return '"' + ",".join(choices) + '"'


def add_validation(ws: Any, ranges: list[str] | tuple[str, ...], **options: Any) -> Any:
    """Add an openpyxl data validation (``DataValidation`` keyword arguments) over ``ranges``; return it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(**options)
    for ref in ranges:
        dv.add(ref)
    ws.add_data_validation(dv)
    return dv


def form_formats(wb: Any, **extra: Mapping[str, object]) -> dict[str, Any]:
    """The formats of an issued form's table, plus ``extra`` (name → xlsxwriter properties added to the cell).

    ``title`` and ``note`` above the table (wrapped: they are merged over the page's width), ``header``,
    ``cell``, ``input`` (unlocked, yellow), ``number`` and ``number_input`` (centred, two decimals in the
    reader's own separator: :data:`parcli.xlsx.style.DECIMAL_FORMAT`), ``sign_title`` and ``sign_note`` (a
    signature block, see :func:`parcli.xlsx.printing.write_signature`).
    """
    from parcli.xlsx.style import XW, xw_format, xw_props

    cell = xw_props(XW.font, XW.border, XW.wrap)
    number = xw_props(cell, XW.center, XW.decimal)
    formats = {
        "title": xw_format(wb, XW.title, XW.wrap),
        "note": xw_format(wb, XW.italic, XW.wrap),
        "header": xw_format(wb, XW.bold, XW.border, XW.center, XW.header_fill),
        "cell": xw_format(wb, cell),
        "input": xw_format(wb, cell, XW.input),
        "number": xw_format(wb, number),
        "number_input": xw_format(wb, number, XW.input),
        "sign_title": xw_format(wb, XW.sign_title),
        "sign_note": xw_format(wb, XW.sign_note),
    }
    formats.update({name: xw_format(wb, cell, props) for name, props in extra.items()})
    return formats


def seal_form(wb: Any, active: Any, hidden: list[Any], *, password: str, title: str, author: str, created: Any) -> None:
    """Finish an issued form: bookkeeping sheets hidden, the input sheet active, the structure locked."""
    from datetime import UTC

    for sheet in hidden:
        sheet.hide()
    active.activate()
    wb.lock_structure = True
    wb.structure_password = password
    when = created.astimezone(UTC) if getattr(created, "tzinfo", None) else created
    wb.set_properties({"title": clean(title), "author": author, "created": when})
