"""Issuing a form whose table its owner types into: one builder for every kind of that shape.

Such a form has three sheets: the table (a title, a note, the header of the kind's
:class:`~parcli.collect.rows.Table`, then one row per item: the given columns locked, the input
columns unlocked and yellow, a date column formatted as a date, a number column with two decimals in
the reader's own separator, a choice column with its drop-down list; below it, the signature block),
a hidden item sheet recording what each row was issued for, and the hidden metadata sheet.
The workbook is sealed: its sheets protected, its structure locked.  The appraisal and remedy rounds
issue their workbooks through :func:`build_table_form`; what goes into the rows is theirs.

The table is printed A4 landscape (:mod:`parcli.xlsx.printing`): one page wide while its text stays
readable, else several pages across with its first columns repeated; the header row on every page, page
numbers in the footer, every row as tall as its wrapped text.  The signature block sits under the last row,
each of its blocks starting in a column outside the table's ``row_key``: the reader, which takes a row
with one of those columns filled for a row of the table, never sees it.

People type into these forms, so a set of them is written by :func:`issue_forms`, the one rule for it:
refused when the folder already holds a form of one of the owners — under any name, since a typed
workbook renamed and a fresh blank copy beside it would lose what was typed — and written all or
none (:func:`parcli.files.staged_folder`), so a full disk or Ctrl-C never leaves half a set that a
re-run would then refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli import __version__
from parcli.collect.layout import SHEET_META
from parcli.collect.rows import Table
from parcli.xlsx.printing import (
    Signature,
    SignatureBlock,
    fit_row,
    print_layout,
    set_print,
    signature_spans,
    text_lines,
    write_heading,
    write_signature,
)
from parcli.xlsx.style import TITLE_FONT_SIZE, XW, xw_props
from parcli.xlsx.write import cell_number, form_formats, protect, seal_form, set_column_widths, validate, write_text

if TYPE_CHECKING:
    from parcli.collect.form import FormResult

# Who signs a form a department returns (its scoring return, its remedy plan): the officer who prepared it,
# and the head of the department, who signs and stamps it.
PREPARER_SIGNS = SignatureBlock("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)")
HEAD_SIGNS = SignatureBlock("THỦ TRƯỞNG CƠ QUAN", "(Ký tên, đóng dấu)")


@dataclass(frozen=True)
class TableForm:
    """Everything one workbook of a table form holds.

    ``rows`` are the table's rows, each its values by column key (an input column is blank unless
    given a value); ``validations`` gives, row by row, a data validation (xlsxwriter options) by
    column key for that row's cell; ``column_validations`` one by column key for all its rows (a
    choice column gets its list without one).  ``frozen`` columns stay in view when scrolling right;
    ``print_columns`` are printed again on every page when the table is several pages wide.
    ``items`` are the rows of the hidden item sheet ``items_sheet``, its header first; ``meta`` the
    metadata, in order.  ``title`` and ``note`` head the table; ``document`` is the workbook's title;
    ``signature`` is printed under the table.
    """

    table: Table
    title: str
    note: str
    rows: Sequence[Mapping[str, Any]]
    items_sheet: str
    items: Sequence[Sequence[str]]
    meta: Mapping[str, str]
    frozen: int
    document: str
    password: str
    created: datetime
    validations: Sequence[Mapping[str, dict[str, object]]] = ()
    column_validations: Mapping[str, dict[str, object]] = field(default_factory=dict)
    print_columns: int = 0
    signature: Signature | None = None


def build_table_form(wb: Any, form: TableForm) -> None:
    """Fill an empty xlsxwriter workbook (one that can lock its structure) with ``form``."""
    table = form.table
    dated = any(c.input and c.type == "date" for c in table.columns)
    formats = form_formats(wb, **({"date": xw_props(XW.input, XW.date)} if dated else {}))
    ws = wb.add_worksheet(table.sheet)
    items = wb.add_worksheet(form.items_sheet)
    meta = wb.add_worksheet(SHEET_META)
    _write_table(ws, items, form, formats)
    for r, (key, value) in enumerate(form.meta.items()):
        meta.write_string(r, 0, key)
        write_text(meta, r, 1, value)
    seal_form(
        wb,
        ws,
        [items, meta],
        password=form.password,
        title=form.document,
        author=f"parcli {__version__}",
        created=form.created,
    )


def _write_table(ws: Any, items: Any, form: TableForm, formats: dict[str, Any]) -> None:
    """The title, the note, the header, one row per item (and its item sheet row), the signature, the settings."""
    table = form.table
    columns = table.columns
    widths = [c.width for c in columns]
    # a signature block may start in any column the reader does not take as the mark of a row
    anchors = {c for c, column in enumerate(columns) if column.key not in table.row_key}
    signature = form.signature
    layout = print_layout(widths, key_columns=form.print_columns, anchors=anchors, signature=signature)
    set_column_widths(ws, table.widths)
    write_heading(ws, 0, form.title, layout.heading_span, widths, formats["title"], bold=True, size=TITLE_FONT_SIZE)
    write_heading(ws, 1, form.note, layout.heading_span, widths, formats["note"])
    header_row = table.header_row - 1
    for c, column in enumerate(columns):
        ws.write_string(header_row, c, column.label, formats["header"])
    fit_row(ws, header_row, max(text_lines(c.label, c.width, bold=True) for c in columns), auto=True)
    cell_formats = [formats[_format_name(c.type, c.input)] for c in columns]
    for c, label in enumerate(form.items[0] if form.items else ()):
        items.write_string(0, c, label)
    for offset, values in enumerate(form.rows):
        r = header_row + 1 + offset
        lines = 1
        for c, column in enumerate(columns):
            value = values.get(column.key)
            _write_cell(ws, r, c, value, cell_formats[c])
            if isinstance(value, str):
                lines = max(lines, text_lines(value, column.width))
        fit_row(ws, r, lines, auto=True)
        for key, options in (form.validations[offset] if offset < len(form.validations) else {}).items():
            validate(ws, r + 1, table.position(key), options)
        for c, value in enumerate(form.items[offset + 1] if offset + 1 < len(form.items) else ()):
            items.write_string(offset + 1, c, value)
    last = header_row + len(form.rows)
    if form.rows:
        _column_validations(ws, form, header_row + 1, last)
    ws.freeze_panes(header_row + 1, form.frozen)
    ws.autofilter(header_row, 0, max(last, header_row), len(columns) - 1)
    end = last
    if signature is not None:  # a row left empty between the table and the signature
        spans = signature_spans(layout, anchors, signature)
        end = write_signature(ws, last + 2, signature, spans, widths, (formats["sign_title"], formats["sign_note"]))
    set_print(ws, layout, repeat_row=header_row, last_row=end)
    protect(ws, form.password, format_rows_and_columns=True, autofilter=True)


def _format_name(kind: str, typed: bool) -> str:
    """The name (in :func:`parcli.xlsx.write.form_formats`) of the format of a column's cells."""
    if kind == "date" and typed:
        return "date"
    if kind == "number":
        return "number_input" if typed else "number"
    return "input" if typed else "cell"


def _write_cell(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    """One cell (0-based): text as text (never a formula), a number as a number, nothing as a blank."""
    if isinstance(value, Decimal):
        value = cell_number(value)
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        write_text(ws, r, c, value, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    else:
        write_text(ws, r, c, str(value), fmt)


def _column_validations(ws: Any, form: TableForm, first: int, last: int) -> None:
    """The validation of every row of a column (0-based rows ``first``..``last``): given, or a choice's list."""
    for c, column in enumerate(form.table.columns):
        options = form.column_validations.get(column.key)
        if options is None and column.type == "choice" and column.allowed:
            options = {
                "validate": "list",
                "source": list(column.allowed),
                "ignore_blank": True,
                "error_title": f"{column.label} không hợp lệ",
                "error_message": "Chọn một trong: " + "; ".join(column.allowed) + ".",
            }
        if options is not None:
            ws.data_validation(first, c, last, c, options)


@dataclass(frozen=True)
class PlannedForm:
    """One form of a set to issue: the owner id its metadata will name, its file, and how to build it."""

    owner_id: str
    target: Path
    build: Callable[[Any], None]  # fills an empty xlsxwriter workbook


def issue_forms(
    out_dir: Path,
    planned: Sequence[PlannedForm],
    read: Callable[[Path], FormResult],
    *,
    document: str,
    typist: str,
    on_written: Callable[[PlannedForm], None] | None = None,
) -> None:
    """Write ``planned`` into ``out_dir``, all or none, unless the folder already holds a form of one of its owners.

    ``read`` reads one file of the folder as the round's reader does (its identity checked:
    the campaign, its year and round), so that a form of the same owner is found under any
    name; a file with a planned form's name is refused too.  ``document`` names the form
    ("phiếu thẩm định"), ``typist`` who types into it ("người thẩm định").  Raises
    :class:`parcli.errors.UsageError` naming the files, before anything is written.
    """
    from parcli.errors import UsageError
    from parcli.files import staged_folder
    from parcli.xlsx.write import write_xlsxwriter

    clashes = _existing(out_dir, planned, read)
    if clashes:
        raise UsageError(
            f"Thư mục {out_dir} đã có {document}: {', '.join(clashes)}. {document[:1].upper()}{document[1:]} là tệp "
            f"{typist} nhập liệu nên không bị ghi đè, và không phát hành thêm bản trắng bên cạnh bản đã có (dù đã đổi "
            "tên) để những gì đã nhập không bị thay mất. Đề nghị phát hành vào thư mục khác hoặc chuyển các tệp đó ra "
            "khỏi thư mục."
        )
    with staged_folder(out_dir) as stage:  # all or none: moved in once every workbook is written
        for form in planned:
            write_xlsxwriter(stage / form.target.name, form.build)
            if on_written is not None:
                on_written(form)


def _existing(out_dir: Path, planned: Sequence[PlannedForm], read: Callable[[Path], FormResult]) -> list[str]:
    """The files of ``out_dir`` that are a planned form already (same owner, any name) or take a planned name."""
    from parcli.collect.folder import list_folder
    from parcli.files import display_name

    if not out_dir.is_dir():
        return []
    owners = {form.owner_id for form in planned}
    names = {form.target.name.casefold() for form in planned}
    sheets, others, _ = list_folder(out_dir)
    clashes = []
    for path in sheets:
        if path.name.casefold() in names or (path.is_file() and read(path).owner_id in owners):
            clashes.append(display_name(path.name))
    clashes += [display_name(path.name) for path in others if path.name.casefold() in names]
    return clashes
