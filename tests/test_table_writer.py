"""The one writer of every consolidated output (:mod:`parcli.xlsx.table`) and the outputs written with it.

The consolidated workbook of ``merge``, the respondents workbook of ``survey merge`` and the tracking
workbook of ``remedy merge`` are written by the same table writer: one look (the house palette), frozen
headers, autofilters, A4 landscape print with the header on every page, text that stays text, the hidden
metadata sheet, and the atomic write that replaces a file only if unchanged since it was read.
Workbooks are read back through parcli's own guarded open (openpyxl underneath); LibreOffice, where
installed, lays them out as PDF pages.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parcli.config.campaign import Campaign, default_campaign_path, load_campaign
from parcli.config.lists_plan import load_lists_plan
from parcli.errors import OutputError
from parcli.files import stamp_if_exists
from parcli.results.consolidated_write import write_consolidated
from parcli.rounds.lists.merge import merge_lists
from parcli.rounds.lists.records import Respondent
from parcli.rounds.lists.write import write_respondents
from parcli.rounds.remedy.merge import collect_remedies, write_tracking
from parcli.rounds.scoring.merge import merge_returns
from parcli.xlsx.open import open_workbook
from parcli.xlsx.style import DATE_FORMAT, FONT_NAME, HEADER_FILL, SMALL_FONT_SIZE, WARNING_FILL
from parcli.xlsx.table import MAX_ROW_POINTS, print_pages_wide, table_workbook
from parcli.xlsx.text import MAX_CELL_TEXT
from tests.helpers.programs import soffice_convert

NOW = datetime(2024, 1, 12, 9, 30, tzinfo=UTC)
HEADERS = ("Mã", "Nội dung", "Điểm", "Ngày", "Đạt")
WIDTHS = (8, 30, 10, 12, 6)


def _open(path: Path) -> Any:
    """The whole workbook, styles and print settings included (openpyxl, through parcli's guarded open)."""
    return open_workbook(path, fast_sheets=None, noun="bảng tính", read_only=False)


def _write_sample(target: Path, **options: Any) -> None:
    with table_workbook(target, created=NOW, author="parcli (kiểm thử)", title="Bảng thử") as book:
        table = book.table(
            "Bảng",
            HEADERS,
            WIDTHS,
            title="BẢNG THỬ",
            note="Ghi chú dưới tiêu đề.",
            header_row=3,
            freeze_columns=1,
            **options,
        )
        table.row(["1.1", "=SUM(A1:A9)", Decimal("0.25"), date(2024, 1, 3), True])
        table.row(["1.2", "dòng một\x0bdòng hai\x01", 2, None, False], "subgroup")
        table.row(["1.3", "x" * (MAX_CELL_TEXT + 10), 1.5, "", None], "warning")
        book.metadata("Ẩn", {"kind": "thử", "round_id": ""})


def test_cells_by_type_and_text_through_the_sanitizer(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    _write_sample(target)
    wb = _open(target)
    ws = wb["Bảng"]
    assert [c.value for c in ws[4]] == list(HEADERS)
    assert ws["A1"].value == "BẢNG THỬ" and ws["A1"].font.b and ws["A2"].value == "Ghi chú dưới tiêu đề."
    formula_like = ws["B5"]
    assert formula_like.value == "=SUM(A1:A9)" and formula_like.data_type == "s"  # text, never a formula
    assert ws["C5"].value == 0.25 and ws["C6"].value == 2 and ws["C7"].value == 1.5
    assert ws["D5"].value == datetime(2024, 1, 3) and ws["D5"].number_format == DATE_FORMAT
    assert ws["E5"].value is True and ws["E6"].value is False
    assert ws["B6"].value == "dòng một\ndòng hai"  # a pasted line break kept, the control character dropped
    assert len(ws["B7"].value) == MAX_CELL_TEXT
    assert ws["D6"].value is None and ws["D6"].border.left.style == "thin"  # a ruled table draws empty cells
    assert ws["A1"].font.name == FONT_NAME and ws["B5"].font.sz == SMALL_FONT_SIZE
    assert ws["A4"].fill.fgColor.rgb.endswith(HEADER_FILL) and ws["A4"].font.b
    assert ws["A7"].fill.fgColor.rgb.endswith(WARNING_FILL)
    assert ws["A6"].font.b and not ws["A5"].font.b
    assert ws.row_dimensions[7].height == pytest.approx(MAX_ROW_POINTS, abs=0.5)  # as tall as a row may be
    assert ws.row_dimensions[6].height == 31.5  # two lines of wrapped text
    meta = wb["Ẩn"]
    assert meta.sheet_state == "hidden" and meta["A1"].value == "kind" and meta["B1"].value == "thử"
    assert meta["A2"].value == "round_id" and meta["B2"].value is None  # an empty value leaves the cell empty
    assert wb.properties.creator == "parcli (kiểm thử)" and wb.properties.title == "Bảng thử"
    assert wb.properties.created == datetime(2024, 1, 12, 9, 30)


def test_header_frozen_filtered_and_printed_on_every_page(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    _write_sample(target, protect=True)
    ws = _open(target)["Bảng"]
    assert ws.freeze_panes == "B5"
    assert ws.auto_filter.ref == "A4:E7"
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.protection.sheet and not ws.protection.autoFilter and not ws.protection.sort  # filter and sort allowed


def test_a_table_without_rows_has_no_filter_and_an_unruled_table_leaves_empty_cells_out(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    with table_workbook(target, created=NOW) as book:
        book.table("Trống", HEADERS, WIDTHS)
        book.table("Dài", HEADERS, WIDTHS, ruled=False).row(["1", "", None, None, None])
    wb = _open(target)
    assert wb["Trống"].auto_filter.ref is None and wb["Trống"].max_row == 1
    assert wb["Dài"]["B2"].has_style is False and wb["Dài"].auto_filter.ref == "A1:E2"


def test_wide_tables_print_on_more_pages_with_their_key_columns() -> None:
    assert print_pages_wide(WIDTHS, 1) == (1, 0)  # one page: nothing to repeat
    assert print_pages_wide((40,) * 6) == (2, 0)
    assert print_pages_wide((40,) * 6, 1) == (2, 1)
    assert print_pages_wide((30,) * 13) == (2, 0)
    assert print_pages_wide((30,) * 13, 2) == (3, 2)  # the repeated columns take room on every page
    assert print_pages_wide((60,) * 6, 3) == (2, 0)  # half a page of key columns is not repeated
    assert print_pages_wide((1000,)) == (1, 0)  # never more pages than columns


def test_wide_table_repeats_its_key_columns(tmp_path: Path) -> None:
    target = tmp_path / "rong.xlsx"
    with table_workbook(target, created=NOW) as book:
        book.table("Rộng", tuple(f"Cột {i}" for i in range(6)), (40,) * 6, print_columns=1).row(["a"] * 6)
    ws = _open(target)["Rộng"]
    assert ws.page_setup.fitToWidth == 2 and ws.print_title_cols == "$A:$A"


def test_replaced_only_if_unchanged_since_read(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    _write_sample(target)
    read = stamp_if_exists(target)
    target.write_bytes(target.read_bytes() + b"\0")  # saved by someone in the meantime
    saved = target.read_bytes()
    with pytest.raises(OutputError), table_workbook(target, created=NOW, read=read) as book:
        book.table("Bảng", HEADERS, WIDTHS).row(["1"])
    assert target.read_bytes() == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang.xlsx"]  # no temporary file left


def test_nothing_is_written_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "bang.xlsx"
    with pytest.raises(RuntimeError), table_workbook(target, created=NOW) as book:
        book.table("Bảng", HEADERS, WIDTHS).row(["1"])
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_headers_and_widths_must_agree(tmp_path: Path) -> None:
    with pytest.raises(ValueError), table_workbook(tmp_path / "x.xlsx", created=NOW) as book:
        book.table("Bảng", HEADERS, WIDTHS[:-1])
    with pytest.raises(ValueError), table_workbook(tmp_path / "x.xlsx", created=NOW) as book:
        book.table("Bảng", HEADERS, WIDTHS, title="Tiêu đề")  # no room above a header on the first row


# --- the three consolidated outputs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    """The bundled example campaign."""
    return load_campaign(default_campaign_path())


@pytest.fixture(scope="module")
def outputs(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The consolidated, respondents and tracking workbooks of folders where nobody has sent anything yet
    (and two respondents added by hand to the respondents merge)."""
    base = tmp_path_factory.mktemp("outputs")
    empty = base / "trong"
    empty.mkdir()
    consolidated = base / "tong-hop.xlsx"
    write_consolidated(merge_returns(campaign, empty), consolidated, now=NOW)
    plan = load_lists_plan(campaign)
    lists = merge_lists(plan, empty)
    group = plan.groups[0]
    unit = next(u for u in plan.units if group.id in u.quotas)
    for i, name in enumerate(('=HYPERLINK("http://x")', "Nguyễn Văn\x07 An")):
        lists.respondents.append(
            Respondent(
                unit_id=unit.id,
                kind=group.kind,
                group_id=group.id,
                name=name,
                position="Giám đốc",
                agency=unit.name,
                email=f"nguoi{i}@hungyen.gov.vn" if group.kind == "official" else None,
                phone=f"091234567{i}",
                file="DS.xlsx",
                sheet="Danh sách",
                row=6 + i,
                cells={},
            )
        )
    respondents = base / "danh-sach.xlsx"
    write_respondents(lists, respondents, now=NOW)
    tracking = base / "theo-doi.xlsx"
    remedies = collect_remedies(campaign, empty, date(2023, 12, 20), campaign.departments[:3])
    write_tracking(remedies, tracking, NOW)
    return {"consolidated": consolidated, "respondents": respondents, "tracking": tracking}


@pytest.mark.parametrize("name", ["consolidated", "respondents", "tracking"])
def test_every_table_of_every_output_prints_a4_landscape_with_its_header(name: str, outputs: dict[str, Path]) -> None:
    wb = _open(outputs[name])
    tables = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    hidden = [ws for ws in wb.worksheets if ws.sheet_state != "visible"]
    assert len(hidden) == 1 and wb.worksheets[-1] is hidden[0]  # the metadata, last
    assert len(tables) >= 3
    for ws in tables:
        header_row = int(ws.freeze_panes[1:].lstrip("ABCDEFGHIJ"))
        assert ws.print_title_rows == f"${header_row - 1}:${header_row - 1}", ws.title
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9, ws.title
        header = ws[header_row - 1]
        assert all(c.value for c in header) and all(c.fill.fgColor.rgb.endswith(HEADER_FILL) for c in header)
    assert wb.properties.creator.startswith("parcli ")


def test_respondents_text_stays_text(outputs: dict[str, Path], campaign: Campaign) -> None:
    plan = load_lists_plan(campaign)
    ws = _open(outputs["respondents"])[plan.groups[0].short]
    assert [ws["B5"].value, ws["B6"].value] == ['=HYPERLINK("http://x")', "Nguyễn Văn An"]
    assert ws["B5"].data_type == "s" and ws["A5"].value == 1 and ws["A5"].alignment.horizontal == "center"
    # an official is reached by official e-mail: the phone typed on the list is not handed on
    assert ws["E5"].value == "nguoi0@hungyen.gov.vn" and "Số điện thoại" not in [c.value for c in ws[4]]
    assert all(c.value != "0912345670" for row in ws.iter_rows() for c in row)


@pytest.mark.libreoffice
def test_outputs_laid_out_by_libreoffice(outputs: dict[str, Path], tmp_path: Path) -> None:
    """Every page LibreOffice prints is A4 landscape and shows a header row."""
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed")
    soffice_convert(list(outputs.values()), tmp_path, "pdf", app=None)
    for path in outputs.values():
        pdf = tmp_path / path.with_suffix(".pdf").name
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True, text=True
        ).stdout
        sizes = [line.split(":", 1)[1].split("pts")[0].split("x") for line in info.splitlines() if " size:" in line]
        sizes = [s for s in sizes if len(s) == 2]
        assert sizes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in sizes), path.name
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        pages = [page for page in text.split("\f") if page.strip()]
        assert len(pages) == len(sizes)
        headers = ("Mã", "Mức độ", "Đơn vị", "STT", "Phụ lục")
        assert all(any(label in page for label in headers) for page in pages), path.name
