"""Issued forms print: A4 landscape, readable, titled, numbered, signed — and the signature never reads as data.

Every form a department or an appraiser fills and then prints, signs and stamps — the scoring workbook (its
cover and scoring sheet), the appraisal workbook (round 1 by department and by field, round 2) and the
remedy plan — is read back here as the spreadsheet programs will read it (openpyxl): A4 landscape; one page
wide only at a readable scale, otherwise pages across with the code and title columns repeated at a fixed
scale of 75 % or more; the header row on every page; "Trang &P/&N" in the footer; every row at least as tall
as its text needs; numbers stored as numbers with the two-decimal format; the remedy subtitle with single
brackets; a signature block under the table, in columns the readers never take for a row, inside the print
area; protection, validations and the hidden sheets as before (the inputs the only unlocked cells).
The forms as LibreOffice prints them, and a filled form saved again by LibreOffice, are
``tests/test_print_pdf.py``.
"""

from __future__ import annotations

import math
import re
import zipfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from parcli.collect.issue import PREPARER_SIGNS
from parcli.collect.rows import number_text
from parcli.config.campaign import Campaign
from parcli.rounds.appraisal import layout as appraisal_layout
from parcli.rounds.appraisal.read import read_appraisal
from parcli.rounds.remedy import layout as remedy_layout
from parcli.rounds.remedy.read import read_remedy
from parcli.rounds.scoring import layout as scoring_layout
from parcli.rounds.scoring.read import read_return
from parcli.xlsx.printing import MIN_SCALE, PRINTABLE_PX, Signature, column_px, print_layout, signature_spans
from parcli.xlsx.style import DECIMAL_FORMAT
from tests.helpers.printed import (
    APPRAISER,
    DEPT,
    HEAD,
    KINDS,
    PREPARER,
    Form,
    forms_of,
    header,
    load,
    table_rows,
    visible,
    widths,
)
from tests.helpers.remedy import World


@pytest.fixture(scope="module")
def forms(
    campaign: Campaign,
    issued: dict[str, Path],
    full_returns: Path,
    remedy_world: World,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Form]:
    """One form of each kind, typed into (built once for the module)."""
    found = forms_of(campaign, issued, full_returns, remedy_world, tmp_path_factory.mktemp("print-forms"))
    return {form.kind: form for form in found}


# --- page setup ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_sheet_prints_a4_landscape_with_page_numbers(forms: dict[str, Form], kind: str) -> None:
    form = forms[kind]
    sheets = visible(load(form.path))
    assert [ws.title for ws in sheets] == ([scoring_layout.SHEET_COVER] if form.cover else []) + [form.sheet]
    for ws in sheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.page_setup.orientation == "landscape", ws.title
        assert "Trang &P/&N" in (ws.oddFooter.center.text or ""), ws.title


@pytest.mark.parametrize("kind", KINDS)
def test_the_header_row_is_repeated_on_every_page(forms: dict[str, Form], kind: str) -> None:
    form = forms[kind]
    ws = load(form.path)[form.sheet]
    assert ws.print_title_rows == f"${form.header_row}:${form.header_row}"


@pytest.mark.parametrize("kind", KINDS)
def test_one_page_wide_only_while_readable_else_pages_across_with_code_and_title_repeated(
    forms: dict[str, Form], kind: str
) -> None:
    """The defect was one landscape page at 4–6 pt: a page is now never below 75 % of the 12-point text."""
    form = forms[kind]
    for ws in visible(load(form.path)):
        setup = ws.page_setup
        total = sum(column_px(w) for w in widths(ws))
        if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
            fit = (setup.fitToWidth, setup.fitToHeight)  # an attribute left out is 1 (ECMA-376 CT_PageSetup)
            assert tuple(1 if n is None else int(n) for n in fit) in ((1, 0), (1, 1)), ws.title
            assert min(1.0, PRINTABLE_PX / total) >= MIN_SCALE, f"{ws.title}: one page wide would print too small"
            continue
        # several pages across: a fixed scale, the breaks between the pages, code and title on every page
        assert int(setup.scale) >= 75, ws.title
        breaks = [b.id for b in ws.col_breaks.brk]
        assert breaks, ws.title
        assert ws.print_title_cols == "$A:$B", ws.title
        bounds = [0, *breaks, ws.max_column]
        keys = sum(column_px(w) for w in widths(ws)[:2])
        for i, (first, last) in enumerate(pairwise(bounds)):
            page = sum(column_px(w) for w in widths(ws)[first:last]) + (keys if i else 0)
            assert page * int(setup.scale) / 100 <= PRINTABLE_PX, f"{ws.title}: page {i + 1} across is cut"
        assert total * MIN_SCALE > PRINTABLE_PX, f"{ws.title}: it would have printed one page wide"


def test_the_forms_that_can_print_on_one_page_wide(forms: dict[str, Form]) -> None:
    """Round-1 appraisal workbooks and remedy plans fit one page wide; the scoring sheet and round 2 do not."""
    one_page = {}
    for kind, form in forms.items():
        ws = load(form.path)[form.sheet]
        one_page[kind] = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    assert one_page == {
        "scoring": False,
        "appraisal": True,
        "appraisal-by-field": True,
        "appraisal-round-2": False,
        "remedy": True,
    }


# --- rows, numbers, titles ----------------------------------------------------------------------------------

# No font fits more than this many characters of text in a unit of column width: a row holding more must be
# more than one line tall (an estimate looser than parcli's own, so that the check is not the code itself).
MOST_CHARS_PER_WIDTH = 1.3
SMALLEST_LINE_POINTS = 12.0


@pytest.mark.parametrize("kind", KINDS)
def test_every_row_is_as_tall_as_its_wrapped_text(forms: dict[str, Form], kind: str) -> None:
    """The defect was one-line rows over wrapped text (the text cut when printed)."""
    form = forms[kind]
    ws = load(form.path)[form.sheet]
    column_widths = widths(ws)
    short = []
    for r in [form.header_row, *table_rows(ws, form)]:
        need = 1
        for cell in ws[r]:
            if isinstance(cell.value, str) and cell.data_type != "f" and cell.column <= len(column_widths):
                per_line = column_widths[cell.column - 1] * MOST_CHARS_PER_WIDTH
                need = max(need, sum(math.ceil(len(part) / per_line) or 1 for part in cell.value.split("\n")))
        height = ws.row_dimensions[r].height or 15
        if need > 1 and height < need * SMALLEST_LINE_POINTS:
            short.append((r, need, height))
    assert not short, f"rows shorter than their text (row, lines at least, height): {short}"


@pytest.mark.parametrize("kind", KINDS)
def test_numbers_are_stored_as_numbers_shown_with_two_decimals(forms: dict[str, Form], kind: str) -> None:
    """The defects were maxima stored as text and numbers in the default format (“0.5”, “1.25”).

    A number column may hold a word (“Không áp dụng”), never a number written as text.
    """
    form = forms[kind]
    ws = load(form.path)[form.sheet]
    columns = header(ws, form.header_row)
    numbers = 0
    for r in table_rows(ws, form):
        for label in form.numbers:
            cell = ws.cell(r, columns[label])
            assert cell.number_format == DECIMAL_FORMAT, cell.coordinate
            if isinstance(cell.value, str):
                assert number_text(cell.value.strip()) is None, f"{cell.coordinate}: a number stored as text"
            elif cell.value is not None:
                assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool), cell.coordinate
                numbers += 1
    assert numbers >= 5


def test_scoring_subtotals_and_score_cells_have_the_two_decimal_format(forms: dict[str, Form]) -> None:
    ws = load(forms["scoring"].path)[scoring_layout.SHEET_SCORES]
    score = scoring_layout.COL_SCORE
    cells = [ws.cell(r, score) for r in table_rows(ws, forms["scoring"])]
    assert cells and all(c.number_format == DECIMAL_FORMAT for c in cells)
    assert any(isinstance(c.value, str) and c.value.startswith("=SUBTOTAL") for c in cells)


def test_the_remedy_subtitle_brackets_the_round_once(forms: dict[str, Form], remedy_world: World) -> None:
    """The defect: “… năm 2023 (Đánh giá sơ bộ 9 tháng đầu năm 2023 (ví dụ)).”"""
    note = load(forms["remedy"].path)[remedy_layout.SHEET_REMEDY]["A2"].value
    round_title = remedy_world.campaign.round_title
    assert round_title.endswith("(ví dụ)")  # the example's own brackets
    assert f"— {round_title}." in note
    assert "((" not in note and "))" not in note and note.count("(") == note.count(")")


@pytest.mark.parametrize("kind", KINDS)
def test_titles_are_wrapped_over_the_columns_printed_with_them(forms: dict[str, Form], kind: str) -> None:
    """The title and the note are merged over the first page (over the repeated columns when several pages
    across: a page would show them cut) and wrapped, their rows as tall as they need."""
    form = forms[kind]
    ws = load(form.path)[form.sheet]
    merged = {str(m).split(":")[0]: m for m in ws.merged_cells.ranges}
    several = not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    for r in range(1, form.header_row - 1):
        cell = ws.cell(r, 1)
        if not cell.value:
            continue
        assert cell.alignment.wrap_text, cell.coordinate
        span = merged[cell.coordinate]
        assert span.min_row == span.max_row == r
        assert span.max_col == (2 if several else ws.max_column), cell.coordinate


def sheet_rows(path: Path, sheet: str) -> dict[int, dict[str, str]]:
    """The ``<row>`` attributes of a sheet as written, by 1-based row."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        xml = archive.read(f"xl/worksheets/sheet{names.index(sheet) + 1}.xml").decode()
    rows = {}
    for attributes in re.findall(r"<row ([^>]*?)/?>", xml):
        found = dict(re.findall(r'(\w+)="([^"]*)"', attributes))
        rows[int(found["r"])] = found
    return rows


@pytest.mark.parametrize("kind", KINDS)
def test_table_rows_keep_an_automatic_height_that_grows_as_text_is_typed(forms: dict[str, Form], kind: str) -> None:
    """A table row is written with its height but not as one set by hand: it opens at that height, and a
    spreadsheet program fits it again when text is typed into it, so a long answer grows its row rather than
    printing cut off.  Title and signature rows, of merged cells no program measures, keep their height fixed."""
    form = forms[kind]
    assert form.blank is not None  # as issued: openpyxl, which types into the others, marks every height custom
    ws = load(form.blank)[form.sheet]
    rows = sheet_rows(form.blank, form.sheet)
    table = [form.header_row, *table_rows(ws, form)]
    assert all("ht" in rows[r] and "customHeight" not in rows[r] for r in table)
    assert rows[1].get("customHeight") == "1"  # the title
    room = max(rows)
    assert rows[room].get("customHeight") == "1" and float(rows[room]["ht"]) >= 50  # the room to sign


# --- the signature block ------------------------------------------------------------------------------------


def signature_cells(ws: Any, form: Form) -> dict[str, Any]:
    """The signature block's cells below the table, by text."""
    last = max(table_rows(ws, form))
    return {c.value: c for row in ws.iter_rows(min_row=last + 1) for c in row if isinstance(c.value, str) and c.value}


@pytest.mark.parametrize("kind", KINDS)
def test_a_signature_block_ends_the_printed_area(forms: dict[str, Form], kind: str, campaign: Campaign) -> None:
    form = forms[kind]
    ws = load(form.path)[form.sheet]
    cells = signature_cells(ws, form)
    notes = {PREPARER: "(Ký, ghi rõ họ tên)", HEAD: "(Ký tên, đóng dấu)", APPRAISER: "(Ký, ghi rõ họ tên)"}
    date_line = f"{campaign.model.organiser.place}, ngày … tháng … năm …"
    assert set(cells) == {*form.signature, *(notes[t] for t in form.signature), date_line}
    titles = [cells[t] for t in form.signature]
    assert [c.font.b for c in titles] == [True] * len(titles)
    assert [c.column for c in titles] == sorted(c.column for c in titles)  # left to right as listed
    assert cells[date_line].row < titles[-1].row and cells[date_line].column == titles[-1].column
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last_printed = int(re.findall(r"\d+", str(area))[-1])
    assert last_printed > max(c.row for c in cells.values())  # and the room to sign under it
    assert ws.row_dimensions[last_printed].height >= 50


@pytest.mark.parametrize("kind", KINDS)
def test_the_signature_never_sits_in_a_column_the_reader_takes_a_row_by(forms: dict[str, Form], kind: str) -> None:
    """A value in one of those columns below the table would read as an item, a measure or an unknown row."""
    form = forms[kind]
    ws = load(form.path)[form.sheet]
    columns = header(ws, form.header_row)
    keyed = {columns[k] for k in form.keys}
    last = max(table_rows(ws, form))
    for row in ws.iter_rows(min_row=last + 1):
        for cell in row:
            if cell.value is not None:
                assert cell.column not in keyed, f"{cell.coordinate}: {cell.value!r}"
    assert signature_cells(ws, form)


# --- what must not change -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_inputs_stay_the_only_unlocked_cells(forms: dict[str, Form], kind: str, campaign: Campaign) -> None:
    form = forms[kind]
    wb = load(form.path)
    assert wb.security is not None and wb.security.lockStructure
    assert [ws.sheet_state for ws in wb.worksheets if ws.title not in (scoring_layout.SHEET_COVER, form.sheet)] == [
        "hidden"
    ] * (len(wb.worksheets) - 1 - form.cover)
    ws = wb[form.sheet]
    assert ws.protection.sheet
    columns = header(ws, form.header_row)
    inputs = {columns[label] for label in form.inputs}
    rows = set(table_rows(ws, form))
    if kind == "scoring":  # group and total rows are locked through
        items = {leaf.code for leaf in campaign.department_by_id[DEPT].items}
        rows = {r for r in rows if ws.cell(r, scoring_layout.COL_CODE).value in items}
    unlocked = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.protection.locked is False}
    assert unlocked == {(r, c) for r in rows for c in inputs}


@pytest.mark.parametrize("kind", KINDS)
def test_the_typed_form_reads_as_typed_with_its_signature_below(
    forms: dict[str, Form], kind: str, campaign: Campaign, remedy_world: World
) -> None:
    """The readers find the table by its header and skip the signature: nothing read from it, no problem."""
    form = forms[kind]
    if kind == "scoring":
        result: Any = read_return(form.path, campaign)
        assert len(result.items) == len(campaign.department_by_id[DEPT].items)
        assert all(item.accepted for item in result.items.values())
    elif kind == "remedy":
        result = read_remedy(form.path, remedy_world.campaign)
        assert [e.code for e in result.entries] == [e.code for e in result.entries if e.remedy]
        assert all(len(e.measures) == 1 for e in result.entries)
    else:
        result = read_appraisal(form.path, campaign)
        assert len(result.entries) == (1 if kind == "appraisal-round-2" else 2 if kind == "appraisal" else 0)
        assert result.rows > 0
    assert result.usable
    assert [p.slug for p in result.problems] == []


# --- unit-level forms: wider tables (the layout alone) ----------------------------------------------------------

UNIT_TABLES = {
    "appraisal-round-1": (appraisal_layout.table(units=True, round_=1), appraisal_layout.SIGNATURE, True),
    "appraisal-round-2": (appraisal_layout.table(units=True, round_=2), appraisal_layout.SIGNATURE, True),
    # its last page across holds only the columns a unit types into (any of them filled reads as a measure)
    "remedy": (remedy_layout.table(units=True), remedy_layout.SIGNATURE, False),
}


@pytest.mark.parametrize("name", UNIT_TABLES)
def test_unit_level_forms_go_two_pages_across_with_the_signature_where_the_reader_never_looks(name: str) -> None:
    table, blocks, on_last_page = UNIT_TABLES[name]
    signature = Signature(blocks, "Hưng Yên, ngày … tháng … năm …")
    widths = [c.width for c in table.columns]
    anchors = {i for i, c in enumerate(table.columns) if c.key not in table.row_key}
    paper = print_layout(widths, key_columns=table.position("title"), anchors=anchors, signature=signature)
    assert len(paper.pages) == 2 and paper.repeated == table.position("title")
    assert paper.scale is not None and paper.scale >= 75
    assert all(paper.page_px(i) * paper.scale / 100 <= PRINTABLE_PX for i in range(2))
    spans = signature_spans(paper, anchors, signature)
    page = 1 if on_last_page else 0
    assert all(first in anchors and first in paper.own_columns(page) for first, _ in spans)
    assert all(last <= paper.pages[page][1] for _, last in spans)


def test_a_signature_with_nowhere_to_start_is_a_mistake_of_the_layout() -> None:
    paper = print_layout([10, 40, 20])
    with pytest.raises(ValueError, match="no page has room"):
        signature_spans(paper, {0}, Signature((PREPARER_SIGNS, PREPARER_SIGNS)))
