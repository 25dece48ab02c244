"""``parcli report`` (issue 4): the figures, computed here independently, in all three formats.

One known year is built once per module: 16 of the 17 departments return
their workbook (Sở Giao thông vận tải does not), a few scores are overridden,
two items are marked “Không áp dụng”, and the appraiser types four appraised
scores into the issued appraisal workbooks (down, down to 0, up to the maximum,
and one typed as text with a decimal comma); merge reads them (``--appraisals``)
and the report is made from the consolidated workbook and those workbooks.  Every expected figure is summed
here from those typed values and the catalogue, with Decimal; parcli's
formatting helpers are used only to write the numbers the Vietnamese way.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.numbers import fmt_percent, fmt_points
from parcli.render import TemplateRenderError
from parcli.results.appraisal import collect_for
from parcli.results.consolidated_write import write_consolidated
from parcli.results.report import ReportData, render_report, render_text
from parcli.rounds.appraisal import layout as appraisal_layout
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.documents import Doc, md_cells, md_plain, read_docx, read_html, read_md, squash
from tests.helpers.factory import expected_values, fill_workbook
from tests.helpers.reports import report_of
from tests.helpers.snapshot import assert_text_golden

GOLDEN = Path(__file__).parent / "golden"
NA = "Không áp dụng"
TODAY = date(2024, 1, 19)  # the report deadline of the bundled campaign
ON_TIME = date(2024, 1, 10)
LATE = date(2024, 1, 17)  # after the returns deadline (15/01/2024)
MISSING = "so-gtvt"  # Sở Giao thông vận tải: no return (its only item is 7.2.3)
LATE_DEPT = "so-tai-chinh"
FORMATS = ("md", "html", "docx")
ZERO = Decimal(0)

# What the departments type, beyond factory.default_values (department id → code → cells).
OVERRIDES: dict[str, dict[str, dict[str, Any]]] = {
    "so-noi-vu": {
        "1.3.1": {"score": 0.5, "explanation": "Báo cáo CCHC quý III gửi chậm so với quy định."},
    },
    "so-tt-tt": {
        "7.1.1": {"score": 1, "explanation": "Kiến trúc Chính quyền điện tử chưa cập nhật phiên bản 3.0."},
    },
    "so-tu-phap": {  # 2.3.2 allows “Không áp dụng” (catalogue not_applicable: true)
        "2.3.2": {"score": NA, "explanation": "Năm 2023 tỉnh không ban hành văn bản thuộc diện rà soát này."},
    },
    "thanh-tra": {  # the department's only item: its maximum becomes 0
        "6.4.2": {"score": NA, "explanation": "Không phát sinh vụ việc thuộc phạm vi tiêu chí trong năm 2023."},
    },
}
# What the reviewer types into the consolidated workbook: code → (cell value, the number it means, note).
APPRAISALS: dict[str, tuple[Any, Decimal, str]] = {
    "1.1.2": (0.5, Decimal("0.5"), "Kế hoạch CCHC năm ban hành chậm; trừ 1 điểm."),  # self 1,5 (full marks)
    "4.3.1": (0, Decimal("0"), "Không có báo cáo kiểm tra việc thực hiện phân cấp."),  # self 0,75
    "3.1.2": (0.75, Decimal("0.75"), "Đã bổ sung minh chứng công khai đầy đủ."),  # self 0,25: up to the max
    "5.4.1": ("0,5", Decimal("0.5"), "Tỷ lệ hoàn thành đào tạo thực tế thấp hơn báo cáo."),  # self 1, typed as text
}

NASTY = "Chưa đạt <script>alert(1)</script> | pipe **bold** [liên kết](http://x) # tiêu đề\ndòng hai"
NASTY_NOTE = "Thẩm định <img src=x onerror=alert(2)> | cột thừa"
NASTY_ITEM = "3.3.1"  # Văn phòng UBND tỉnh; loses 0,5 by default, so its explanation is in the lost table


# --- independent arithmetic -------------------------------------------------------------------


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in %, rounded half-up to 2 decimals (None when whole is 0)."""
    if whole == 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def signed(value: Decimal) -> str:
    """A change in percentage points the way the report writes it: +1,5 / −0,25 / 0."""
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + fmt_points(abs(value))


def num(value: Any) -> Decimal:
    """A typed cell value as an exact Decimal."""
    return Decimal(str(value).replace(",", "."))


@dataclass
class Part:
    """Sums over a set of items."""

    max: Decimal = ZERO  # catalogue maximum (applicable or not)
    self_max: Decimal = ZERO  # applicable maximum of self-assessed items
    self_score: Decimal = ZERO  # as typed by the departments
    final: Decimal = ZERO  # appraisal where typed, else self score
    scored: int = 0  # self-assessed items with a score (typed or appraised)
    scored_max: Decimal = ZERO  # maximum of those items
    survey_max: Decimal = ZERO
    survey: Decimal = ZERO

    def percent(self, with_survey: bool = False) -> Decimal | None:
        """The share of points; None (a dash) when nothing of the self part is scored and no survey is given."""
        if with_survey:
            return pct(self.final + self.survey, self.self_max + self.survey_max)
        if self.scored == 0:
            return None
        return pct(self.final, self.self_max)

    @property
    def lost(self) -> Decimal:
        """Points lost by the items that have a score (items without one are not lost, only unscored)."""
        return self.scored_max - self.final


@dataclass
class Expected:
    """Everything the report should say, summed from the typed values."""

    index: Part
    fields: dict[str, Part]
    departments: dict[str, Part]
    lost: list[tuple[str, Decimal, Decimal, Decimal]]  # (code, applicable max, final, lost), report order
    unscored: list[str]
    not_applicable: set[str]


def expected_figures(
    campaign: Campaign,
    typed: dict[str, Any],
    appraised: dict[str, Decimal],
    survey: dict[str, Decimal] | None = None,
) -> Expected:
    """``typed``: code → what the department typed (missing when it sent nothing)."""
    index = Part()
    fields: dict[str, Part] = {}
    depts: dict[str, Part] = {d.id: Part() for d in campaign.departments}
    lost: list[tuple[int, str, Decimal, Decimal, Decimal]] = []
    unscored: list[str] = []
    na: set[str] = set()
    for order, leaf in enumerate(campaign.catalogue.leaves):
        parts = [index, fields.setdefault(leaf.code.split(".")[0], Part())]
        if leaf.is_self:
            parts.append(depts[campaign.owner_of[leaf.code].id])
        for p in parts:
            p.max += leaf.max_points
        if not leaf.is_self:
            for p in parts:
                p.survey_max += leaf.max_points
                p.survey += (survey or {}).get(leaf.code, ZERO)
            continue
        raw = typed.get(leaf.code)
        if raw == NA:
            na.add(leaf.code)
            continue
        self_score = None if raw is None else num(raw)
        final = appraised.get(leaf.code, self_score)
        for p in parts:
            p.self_max += leaf.max_points
            p.self_score += self_score or ZERO
            p.final += final or ZERO
        if final is None:
            unscored.append(leaf.code)
            continue
        for p in parts:
            p.scored += 1
            p.scored_max += leaf.max_points
        if final < leaf.max_points:
            lost.append((order, leaf.code, leaf.max_points, final, leaf.max_points - final))
    lost.sort(key=lambda x: (-x[4], x[0]))
    return Expected(
        index=index,
        fields=fields,
        departments=depts,
        lost=[x[1:] for x in lost],
        unscored=unscored,
        not_applicable=na,
    )


# --- building returns and consolidated workbooks ----------------------------------------------


def department_values(
    campaign: Campaign, dept_id: str, overrides: dict[str, dict[str, Any]] | None = None
) -> dict[str, dict[str, Any]]:
    values = expected_values(campaign.department_by_id[dept_id])
    for code, cells in (overrides or {}).items():
        values.setdefault(code, {}).update(cells)
    return values


def build_returns(
    campaign: Campaign,
    issued: dict[str, Path],
    folder: Path,
    values: dict[str, dict[str, dict[str, Any]]],
    sent: dict[str, date],
) -> None:
    """Fill the issued workbook of every department in ``values``."""
    for dept_id, cells in values.items():
        fill_workbook(issued[dept_id], folder / issued[dept_id].name, cells, sent=sent.get(dept_id, ON_TIME))


def consolidate(campaign: Campaign, folder: Path, out: Path, appraisals: Path | None = None) -> Path:
    """``parcli merge folder [--appraisals DIR]``: the consolidated workbook, an output only."""
    merged = merge_returns(campaign, folder)
    scores = collect_for(merged, appraisals).scores() if appraisals is not None else None
    write_consolidated(merged, out, appraisals=scores, now=datetime(2024, 1, 16, 8, 0, tzinfo=UTC))
    return out


def appraise(
    campaign: Campaign, returns: Path, books: Path, appraisals: dict[str, tuple[Any, str | None]]
) -> dict[str, str]:
    """Issue the appraisal workbooks and type scores (and notes) as an appraiser would; code → file › cell."""
    merged = merge_returns(campaign, returns)
    issued = issue_appraisals(campaign, merged.returned_rows(), books)
    cells = {}
    for book in issued.workbooks:
        wb = load_workbook(book.path)
        ws = wb[appraisal_layout.SHEET_APPRAISAL]
        header = [c.value for c in ws[appraisal_layout.HEADER_ROW]]
        c_code = header.index(appraisal_layout.HEADER_CODE) + 1
        c_app = header.index(appraisal_layout.HEADER_APPRAISED) + 1
        c_note = header.index(appraisal_layout.HEADER_NOTE) + 1
        typed = False
        for r in range(appraisal_layout.HEADER_ROW + 1, ws.max_row + 1):
            code = ws.cell(row=r, column=c_code).value
            if code in appraisals:
                value, note = appraisals[code]
                cell = ws.cell(row=r, column=c_app, value=value)
                if note is not None:
                    ws.cell(row=r, column=c_note, value=note)
                cells[code] = f"{book.path.name} › {cell.coordinate}"
                typed = True
        if typed:
            wb.save(book.path)
    assert set(cells) == set(appraisals)
    return cells


def type_into_consolidated(path: Path, appraisals: dict[str, tuple[Any, str | None]]) -> dict[str, str]:
    """Edit the appraisal columns of a consolidated workbook by hand (an output: the report still checks them)."""
    wb = load_workbook(path)
    ws = wb[layout.SHEET_CONSOLIDATED]
    header = [c.value for c in ws[layout.CONSOLIDATED_HEADER_ROW]]
    c_app = header.index(layout.HEADER_APPRAISED) + 1
    cells = {}
    for r in range(layout.CONSOLIDATED_HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row=r, column=1).value
        if code in appraisals:
            cells[code] = ws.cell(row=r, column=c_app, value=appraisals[code][0]).coordinate
    wb.save(path)
    assert set(cells) == set(appraisals)
    return cells


# --- reading the three formats back -------------------------------------------------------------


def render_all(data: ReportData, folder: Path, stem: str = "bao-cao") -> dict[str, Doc]:
    """Render the three formats with render_report and read each back."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = {}
    for fmt in FORMATS:
        out = folder / f"{stem}.{fmt}"
        render_report(data, out)
        if fmt == "docx":
            docs[fmt] = read_docx(out)
        else:
            text = out.read_text(encoding="utf-8")
            docs[fmt] = read_md(text) if fmt == "md" else read_html(text)
    return docs


# --- the module's scenarios ---------------------------------------------------------------------


@dataclass
class Year:
    """One built year: its consolidated workbook, what was typed, and the report."""

    consolidated: Path
    typed: dict[str, Any]
    appraised: dict[str, Decimal]
    data: ReportData
    docs: dict[str, Doc]
    markdown: str
    expected: Expected
    returns: Path


def typed_scores(values: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    return {code: cells["score"] for dept in values.values() for code, cells in dept.items()}


@pytest.fixture(scope="module")
def year(campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Year:
    """This year: one department missing, overrides, two N/A items, four appraisals, survey pending."""
    root = tmp_path_factory.mktemp("report")
    values = {
        d.id: department_values(campaign, d.id, OVERRIDES.get(d.id)) for d in campaign.departments if d.id != MISSING
    }
    build_returns(campaign, issued, root / "returns", values, {LATE_DEPT: LATE})
    books = root / "tham-dinh"
    appraise(campaign, root / "returns", books, {code: (value, note) for code, (value, _, note) in APPRAISALS.items()})
    consolidated = consolidate(campaign, root / "returns", root / "tong-hop-2023.xlsx", books)
    data = report_of(campaign, consolidated, today=TODAY, appraisals=books)
    docs = render_all(data, root / "out")
    appraised = {code: dec for code, (_, dec, _) in APPRAISALS.items()}
    typed = typed_scores(values)
    return Year(
        consolidated=consolidated,
        typed=typed,
        appraised=appraised,
        data=data,
        docs=docs,
        markdown=(root / "out" / "bao-cao.md").read_text(encoding="utf-8"),
        expected=expected_figures(campaign, typed, appraised),
        returns=root / "returns",
    )


LAST_YEAR_NA = "3.5.1"  # allows “Không áp dụng”; applicable this year
# What the reviewer typed into last year's workbook: code → (cell value, the number it means)
LAST_YEAR_APPRAISALS: dict[str, tuple[Any, Decimal]] = {
    "1.1.2": (0.5, Decimal("0.5")),  # self 1,5 (full marks in fields 1–4): down
    "5.4.1": ("1,5", Decimal("1.5")),  # self 0,5 (lowest level in fields 5–8): up to the maximum
}


def last_year_values(campaign: Campaign) -> dict[str, dict[str, dict[str, Any]]]:
    """“Last year”: full marks in fields 1–4, the lowest non-zero level (scales: 0) in fields 5–8; 3.5.1 N/A."""
    values: dict[str, dict[str, dict[str, Any]]] = {}
    for dept in campaign.departments:
        cells = {}
        for leaf in dept.items:
            options = leaf.allowed_points()
            if int(leaf.code.split(".")[0]) <= 4:
                score = leaf.max_points
            else:
                score = sorted(options)[1] if options is not None else ZERO
            cells[leaf.code] = {
                "score": NA if leaf.code == LAST_YEAR_NA else float(score),
                "explanation": f"Năm 2022, mục {leaf.code}: kết quả theo báo cáo năm.",
                "evidence": "Báo cáo số 01/BC-SNV ngày 15/12/2022",
            }
        values[dept.id] = cells
    return values


@pytest.fixture(scope="module")
def last_year(
    campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Expected]:
    """A second consolidated workbook, every department returned, one item N/A, two appraisals: “last year”."""
    assert campaign.catalogue.leaf_by_code[LAST_YEAR_NA].not_applicable
    root = tmp_path_factory.mktemp("last-year")
    values = last_year_values(campaign)
    build_returns(campaign, issued, root / "returns", values, {})
    books = root / "tham-dinh"
    appraise(
        campaign,
        root / "returns",
        books,
        {code: (value, "Thẩm định năm 2022.") for code, (value, _) in LAST_YEAR_APPRAISALS.items()},
    )
    path = consolidate(campaign, root / "returns", root / "tong-hop-2022.xlsx", books)
    appraised = {code: dec for code, (_, dec) in LAST_YEAR_APPRAISALS.items()}
    return path, expected_figures(campaign, typed_scores(values), appraised)


# --- 1. the figures, in all three formats -------------------------------------------------------


def test_scenario_is_what_the_test_thinks(campaign: Campaign, year: Year) -> None:
    """Guards the arithmetic below: the overrides and appraisals do what their comments say."""
    e = year.expected
    assert e.unscored == ["7.2.3"]
    assert e.not_applicable == {"2.3.2", "6.4.2"}
    assert campaign.owner_of["2.3.2"].id == "so-tu-phap" and campaign.owner_of["6.4.2"].id == "thanh-tra"
    assert all(campaign.catalogue.leaf_by_code[c].not_applicable for c in e.not_applicable)
    assert num(year.typed["1.1.2"]) == Decimal("1.5") > year.appraised["1.1.2"]  # down
    assert num(year.typed["3.1.2"]) < year.appraised["3.1.2"] == Decimal("0.75")  # up to the maximum
    lost = [code for code, *_ in e.lost]
    assert "1.1.2" in lost and "4.3.1" in lost and "5.4.1" in lost and "3.1.2" not in lost
    assert e.index.self_score != e.index.final  # the appraisal changes the total
    # the unscored item (7.2.3, 0,5) tells “lost” apart from “self max − appraised”
    assert e.index.lost == e.index.self_max - e.index.final - campaign.catalogue.leaf_by_code["7.2.3"].max_points
    assert e.index.lost == sum((x[3] for x in e.lost), ZERO)


def test_appraisal_progress_matches_independent_sums(year: Year, campaign: Campaign) -> None:
    """Self-assessed → round 1 → final from the appraisal workbooks; every returned item is counted once."""
    progress, e = year.data.context["appraisal"], year.expected
    assert (progress["total"]["self_score"], progress["total"]["round1"], progress["total"]["final"]) == (
        e.index.self_score,
        e.index.final,
        e.index.final,
    )
    assert progress["total"]["appraised"] == len(APPRAISALS) and progress["stale"] == []
    for f in progress["fields"]:
        code = next(x.code for x in campaign.catalogue.model.fields if x.title == f["name"])
        assert (f["self_score"], f["final"]) == (e.fields[code].self_score, e.fields[code].final)
    for d in progress["departments"]:
        dept = next(x for x in campaign.departments if x.name == d["name"])
        assert (d["self_score"], d["final"]) == (e.departments[dept.id].self_score, e.departments[dept.id].final)
    pending = {code for p in progress["pending"] for code in p["codes"].split(", ")}
    returned = {code for code, value in year.typed.items() if value is not NA}
    assert pending == returned - set(APPRAISALS)


def test_context_matches_independent_sums(year: Year) -> None:
    ctx, e = year.data.context, year.expected
    assert (ctx["index"]["self_score"], ctx["index"]["appraised"], ctx["index"]["self_max"]) == (
        e.index.self_score,
        e.index.final,
        e.index.self_max,
    )
    assert ctx["index"]["percent"] == e.index.percent()
    assert ctx["index"]["lost"] == e.index.lost
    for f in ctx["fields"]:
        want = e.fields[f["code"]]
        assert (f["self_score"], f["appraised"], f["self_max"], f["percent"], f["lost"]) == (
            want.self_score,
            want.final,
            want.self_max,
            want.percent(),
            want.lost,
        ), f["code"]
    assert [i["code"] for i in ctx["lost"]] == [code for code, *_ in e.lost]


@pytest.mark.parametrize("fmt", FORMATS)
def test_headline_figures(year: Year, fmt: str) -> None:
    doc, i = year.docs[fmt], year.expected.index
    assert (
        f"Phần tự đánh giá (sau thẩm định): {fmt_points(i.final)}/{fmt_points(i.self_max)} điểm, "
        f"đạt {fmt_percent(i.percent())}" in doc.text
    )
    self_percent = fmt_percent(pct(i.self_score, i.self_max))
    assert (
        f"Điểm các cơ quan tự đánh giá: {fmt_points(i.self_score)} điểm ({self_percent}); "
        f"sau thẩm định: {fmt_points(i.final)} điểm" in doc.text
    )
    # the points lost are those of the lost-items table (section 3); the unscored item is not counted
    lost = sum((x[3] for x in year.expected.lost), ZERO)
    assert f"Số điểm bị trừ ở phần tự đánh giá: {fmt_points(lost)} điểm" in doc.text
    assert f"Còn {len(year.expected.unscored)} tiêu chí thành phần chưa có điểm" in doc.text
    assert "Hưng Yên, ngày 19 tháng 01 năm 2024" in doc.text


TITLE = "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2023 của tỉnh Hưng Yên"
# The tables as every format heads them (issue: no “7,75/8” or “(2)” left unexplained, numbers in columns of their own)
FIELD_HEAD = (
    "TT",
    "Lĩnh vực",
    "Điểm tối đa",
    "Tối đa phần tự đánh giá",
    "Điểm tự đánh giá",
    "Điểm sau thẩm định",
    "Điểm điều tra XHH",
    "Tỷ lệ (%)",
)
LOST_HEAD = ("Mã", "Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá", "Điểm sau thẩm định", "Điểm bị trừ")
DEPT_HEAD = ("PL", "Cơ quan", "Số mục", "Điểm tối đa", "Điểm sau thẩm định", "Tỷ lệ (%)", "Tình trạng", "Ngày gửi")
APPENDIX_HEAD = ("Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa")


@pytest.mark.parametrize("fmt", FORMATS)
def test_title_under_the_heading(year: Year, fmt: str) -> None:
    """“BÁO CÁO” heads the document; the title under it does not say “Báo cáo” again.

    The year's figures are not final (items unscored and not appraised): the title says “tạm tính”, and the
    day of the figures stands under it (the old title read as final: the defect of the issue's point 4).
    """
    doc = year.docs[fmt]
    assert year.data.context["title"] == TITLE + " (tạm tính)"
    heading = f"# BÁO CÁO ## {TITLE} (tạm tính)" if fmt == "md" else f"BÁO CÁO {TITLE} (tạm tính)"
    assert heading in doc.text
    assert "(Số liệu đến ngày 19/01/2024)" in doc.text
    assert "Báo cáo kết quả" not in doc.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_field_table(year: Year, fmt: str) -> None:
    doc, e = year.docs[fmt], year.expected
    rows = doc.table(*FIELD_HEAD)
    for code, f in e.fields.items():
        cells = doc.row(rows, code)
        assert cells[2:8] == [
            fmt_points(f.max),
            fmt_points(f.self_max),
            fmt_points(f.self_score),
            fmt_points(f.final),
            "chờ kết quả",
            fmt_percent(f.percent()),
        ], code
    total = doc.row(rows, "Tổng cộng", col=1)
    i = e.index
    assert total[2:6] == [fmt_points(i.max), fmt_points(i.self_max), fmt_points(i.self_score), fmt_points(i.final)]
    assert total[7] == fmt_percent(i.percent())


@pytest.mark.parametrize("fmt", FORMATS)
def test_lost_items_table(campaign: Campaign, year: Year, fmt: str) -> None:
    doc = year.docs[fmt]
    rows = doc.table(*LOST_HEAD)
    assert [r[0] for r in rows] == [code for code, *_ in year.expected.lost]  # most points lost first
    for code, top, final, lost in year.expected.lost:
        cells = doc.row(rows, code)
        dept = campaign.owner_of[code]
        assert cells[2] == fmt_points(top)
        assert cells[3] == fmt_points(num(year.typed[code])), code  # the self-assessed score, its own column
        assert cells[4] == fmt_points(final), code  # after appraisal
        assert cells[5] == fmt_points(lost)
        assert cells[6] == f"{dept.name} (PL {dept.appendix})"
        # the appraisal note has a column of its own; the explanation is in the appendix (never run together)
        assert cells[7] == ((APPRAISALS[code][2] or "") if code in APPRAISALS else ""), (fmt, code)
    # the appraised scores, one by one
    assert doc.row(rows, "1.1.2")[4] == "0,5"
    assert doc.row(rows, "4.3.1")[4] == "0"
    assert doc.row(rows, "5.4.1")[4] == "0,5"
    assert not [r for r in rows if r[0] == "3.1.2"]  # appraised up to its maximum: no longer lost


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_lost_code_and_department_appears(campaign: Campaign, year: Year, fmt: str) -> None:
    doc = year.docs[fmt]
    for code, *_ in year.expected.lost:
        assert code in doc.text
    for dept in campaign.departments:
        assert dept.name in doc.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_unscored_and_departments_tables(campaign: Campaign, year: Year, fmt: str) -> None:
    doc, e = year.docs[fmt], year.expected
    unscored = doc.table("Mã", "Tiêu chí thành phần", "Điểm tối đa", "Cơ quan", "Tình trạng")
    missing = campaign.department_by_id[MISSING]
    assert unscored == [
        [
            "7.2.3",
            campaign.catalogue.leaf_by_code["7.2.3"].title,
            "0,5",
            f"{missing.name} (PL {missing.appendix})",
            "Chưa nộp",
        ]
    ]
    rows = doc.table(*DEPT_HEAD)
    assert [r[1] for r in rows] == [d.name for d in campaign.departments]  # the order of the appendices
    for dept in campaign.departments:
        cells = doc.row(rows, dept.name, col=1)
        d = e.departments[dept.id]
        assert cells[0] == dept.appendix
        score = fmt_points(d.final) if d.scored else "–"  # nothing scored (missing, or only N/A): a dash
        assert cells[3:5] == [fmt_points(d.self_max), score], dept.id
        assert cells[5] == fmt_percent(d.percent()), dept.id
        if dept.id == MISSING:
            assert cells[3:6] == ["0,5", "–", "–"]
        if dept.id == MISSING:
            assert (cells[6], cells[7]) == ("Chưa nộp", "")
        elif dept.id == LATE_DEPT:
            assert (cells[6], cells[7]) == ("Hợp lệ, muộn", "17/01/2024")
        else:
            assert (cells[6], cells[7]) == ("Hợp lệ, đúng hạn", "10/01/2024")


@pytest.mark.parametrize("fmt", FORMATS)
def test_departments_table_counts_items(campaign: Campaign, year: Year, fmt: str) -> None:
    doc = year.docs[fmt]
    rows = doc.table("PL", "Cơ quan", "Số mục")
    assert [r[2] for r in rows] == [str(len(d.items)) for d in campaign.departments]


DEADLINE = date(2024, 1, 15)  # the returns deadline: the plan says “trước ngày 15/01/2024”


def _file_dated(path: Path, day: date) -> None:
    stamp = datetime.combine(day, time(12, 0)).timestamp()  # local noon, as the file's own clock would say
    os.utime(path, (stamp, stamp))


def test_on_time_means_before_the_deadline_day(
    campaign: Campaign, year: Year, issued: dict[str, Path], tmp_path: Path
) -> None:
    """On time iff the cover's “Ngày gửi” is before 15/01/2024 (“trước ngày”); without it the return is “chưa ghi
    ngày gửi”, its file's date shown as such and never judged (a copy or a download changes a file's date)."""
    assert campaign.model.deadlines.returns == DEADLINE
    before = DEADLINE - timedelta(days=1)
    # department → (date on the cover, date of the file, status, date shown)
    cases: dict[str, tuple[date | None, date | None, str, str]] = {
        "so-kh-cn": (before, None, "Hợp lệ, đúng hạn", "14/01/2024"),
        "so-y-te": (DEADLINE, None, "Hợp lệ, muộn", "15/01/2024"),  # on the deadline day: late
        "so-xay-dung": (None, before, "Hợp lệ, chưa ghi ngày gửi (tệp lưu ngày 14/01/2024)", ""),  # not judged
        "so-cong-thuong": (None, DEADLINE, "Hợp lệ, chưa ghi ngày gửi (tệp lưu ngày 15/01/2024)", ""),
        "so-nn-ptnt": (before, DEADLINE + timedelta(days=2), "Hợp lệ, đúng hạn", "14/01/2024"),  # cover first
    }
    folder = tmp_path / "returns"
    shutil.copytree(year.returns, folder)
    for dept_id, (sent, file_day, _, _) in cases.items():
        target = folder / issued[dept_id].name
        fill_workbook(issued[dept_id], target, department_values(campaign, dept_id), sent=sent)
        if file_day is not None:
            _file_dated(target, file_day)
    data = report_of(campaign, consolidate(campaign, folder, tmp_path / "tong-hop.xlsx"), today=TODAY)
    for fmt, doc in render_all(data, tmp_path / "out").items():
        assert "Hạn gửi theo Kế hoạch: trước ngày 15/01/2024." in doc.text, fmt
        rows = doc.table(*DEPT_HEAD)
        for dept_id, (_, _, label, shown) in cases.items():
            name = campaign.department_by_id[dept_id].name
            assert doc.row(rows, name, col=1)[6:8] == [label, shown], (fmt, dept_id)
        late = campaign.department_by_id[LATE_DEPT].name
        assert doc.row(rows, late, col=1)[6:8] == ["Hợp lệ, muộn", "17/01/2024"], fmt
    late_flags = {d["id"]: d["late"] for d in data.context["departments"] if d["id"] in cases}
    assert late_flags == {d: label.endswith("muộn") for d, (_, _, label, _) in cases.items()}


# --- 2. not applicable ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_not_applicable_leaves_the_denominator(campaign: Campaign, year: Year, fmt: str) -> None:
    cat = campaign.catalogue
    doc = year.docs[fmt]
    fields = doc.table(*FIELD_HEAD)
    for code in ("2.3.2", "6.4.2"):
        leaf = cat.leaf_by_code[code]
        f = year.expected.fields[leaf.field_code]
        catalogue_self_max = sum((x.max_points for x in cat.leaves_under(leaf.field_code) if x.is_self), ZERO)
        assert f.self_max == catalogue_self_max - leaf.max_points
        with_na = pct(f.final, catalogue_self_max)
        assert with_na != f.percent()  # the test can tell the two denominators apart
        cells = doc.row(fields, leaf.field_code)
        assert cells[3] == fmt_points(f.self_max)
        assert cells[7] == fmt_percent(f.percent())
        assert code not in [r[0] for r in doc.table(*LOST_HEAD)]
        assert code not in [r[0] for r in doc.table("Mã", "Tiêu chí thành phần", "Điểm tối đa", "Cơ quan")]
    index_self_max = cat.self_total() - sum((cat.leaf_by_code[c].max_points for c in ("2.3.2", "6.4.2")), ZERO)
    assert f"/{fmt_points(index_self_max)} điểm, đạt {fmt_percent(pct(year.expected.index.final, index_self_max))}" in (
        doc.text
    )
    # Thanh tra tỉnh's only item is not applicable: nothing to score, no percentage
    rows = doc.table("PL", "Cơ quan", "Số mục")
    assert doc.row(rows, "Thanh tra tỉnh", col=1)[3:6] == ["0", "–", "–"]
    assert "Mục không áp dụng không tính vào điểm và điểm tối đa" in doc.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_not_applicable_items_are_listed(campaign: Campaign, year: Year, fmt: str) -> None:
    """Each N/A item, with its maximum (not counted), the department and the department's explanation."""
    doc = year.docs[fmt]
    rows = doc.table("Mã", "Tiêu chí thành phần", "Điểm tối đa", "Cách tính khi không áp dụng", "Cơ quan", "Giải trình")
    want = []
    for leaf in campaign.catalogue.leaves:  # catalogue order
        if leaf.code in year.expected.not_applicable:
            dept = campaign.owner_of[leaf.code]
            explanation = OVERRIDES[dept.id][leaf.code]["explanation"]
            want.append(
                [
                    leaf.code,
                    leaf.title,
                    fmt_points(leaf.max_points),
                    "không tính vào điểm tối đa",
                    f"{dept.name} (PL {dept.appendix})",
                    explanation,
                ]
            )
    assert [r[0] for r in want] == ["2.3.2", "6.4.2"]
    assert rows == want


def test_nothing_scored_shows_dashes(campaign: Campaign, tmp_path: Path) -> None:
    """No department has returned yet: no percentage anywhere, nothing lost, every department “–/max”."""
    (tmp_path / "returns").mkdir()
    consolidated = consolidate(campaign, tmp_path / "returns", tmp_path / "tong-hop.xlsx")
    data = report_of(campaign, consolidated, today=TODAY)
    e = expected_figures(campaign, {}, {})
    assert e.index.scored == 0 and e.index.percent() is None and e.index.lost == 0
    assert (data.context["index"]["percent"], data.context["index"]["lost"]) == (None, ZERO)
    for fmt, doc in render_all(data, tmp_path / "out").items():
        assert f"/{fmt_points(e.index.self_max)} điểm, đạt –" in doc.text, fmt
        assert "Số điểm bị trừ ở phần tự đánh giá: 0 điểm" in doc.text, fmt
        assert f"Còn {len(e.unscored)} tiêu chí thành phần chưa có điểm" in doc.text, fmt
        fields = doc.table(*FIELD_HEAD)
        assert [doc.row(fields, code)[7] for code in e.fields] == ["–"] * len(e.fields), fmt
        assert doc.row(fields, "Tổng cộng", col=1)[7] == "–", fmt
        depts = doc.table("PL", "Cơ quan", "Số mục")
        for dept in campaign.departments:
            d = e.departments[dept.id]
            assert doc.row(depts, dept.name, col=1)[3:7] == [fmt_points(d.self_max), "–", "–", "Chưa nộp"], fmt


# --- 3. survey ------------------------------------------------------------------------------------


def survey_values(campaign: Campaign) -> dict[str, Decimal]:
    """77 % of each survey item's maximum, to the hundredth."""
    return {
        leaf.code: (leaf.max_points * Decimal("0.77")).quantize(Decimal("0.01"))
        for leaf in campaign.catalogue.leaves
        if not leaf.is_self
    }


def survey_lines(campaign: Campaign) -> list[str]:
    return ["# điểm điều tra xã hội học (giả định cho kiểm thử)", "ma_muc,diem"] + [
        f"{code},{value}" for code, value in survey_values(campaign).items()
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_survey_pending(year: Year, fmt: str) -> None:
    doc = year.docs[fmt]
    assert (
        f"Phần điều tra xã hội học ({fmt_points(year.expected.index.survey_max)} điểm): "
        "chờ kết quả điều tra xã hội học" in doc.text
    )
    assert "Chỉ số CCHC của tỉnh" not in doc.text


@pytest.mark.parametrize("kind", ["csv", "yaml"])
def test_survey_given_index(campaign: Campaign, year: Year, tmp_path: Path, kind: str) -> None:
    survey = survey_values(campaign)
    path = tmp_path / f"dieu-tra.{kind}"
    if kind == "csv":
        path.write_text("\n".join(survey_lines(campaign)) + "\n", encoding="utf-8")
    else:
        path.write_text("".join(f'"{code}": {value}\n' for code, value in survey.items()), encoding="utf-8")
    e = expected_figures(campaign, year.typed, year.appraised, survey)
    i = e.index
    total, top = i.final + i.survey, i.self_max + i.survey_max
    assert i.survey_max == campaign.catalogue.survey_total()
    data = report_of(campaign, year.consolidated, survey=path, today=TODAY)
    assert data.context["index"]["percent"] == pct(total, top)
    for fmt, doc in render_all(data, tmp_path / "out").items():
        assert (
            f"Chỉ số CCHC của tỉnh: {fmt_points(total)}/{fmt_points(top)} điểm, đạt {fmt_percent(pct(total, top))}"
            in (doc.text)
        ), fmt
        assert f"phần điều tra xã hội học: {fmt_points(i.survey)}/{fmt_points(i.survey_max)} điểm" in doc.text, fmt
        assert "chờ kết quả điều tra xã hội học" not in doc.text, fmt
        rows = doc.table(*FIELD_HEAD)
        for code, f in e.fields.items():
            assert doc.row(rows, code)[7] == fmt_percent(f.percent(with_survey=True)), (fmt, code)


def test_survey_given_via_cli(campaign: Campaign, year: Year, tmp_path: Path) -> None:
    path = tmp_path / "dieu-tra.csv"
    path.write_text("\n".join(survey_lines(campaign)) + "\n", encoding="utf-8")
    out = tmp_path / "bao-cao.md"
    result = CliRunner().invoke(app, ["report", str(year.consolidated), "-o", str(out), "--survey", str(path)])
    assert result.exit_code == 0, result.output
    i = expected_figures(campaign, year.typed, year.appraised, survey_values(campaign)).index
    total, top = i.final + i.survey, i.self_max + i.survey_max
    assert f"Điểm: {fmt_points(total)}/{fmt_points(top)} — {fmt_percent(pct(total, top))}" in squash(result.output)
    assert f"Chỉ số CCHC của tỉnh: {fmt_points(total)}/{fmt_points(top)} điểm" in md_plain(out.read_text("utf-8"))


def _replace(lines: list[str], code: str, new: str | None) -> tuple[list[str], int]:
    """Replace (or drop, with None) the line of ``code``; return the lines and its 1-based line number."""
    index = next(i for i, line in enumerate(lines) if re.split("[,;]", line)[0] == code)
    out = lines[:index] + ([new] if new is not None else []) + lines[index + 1 :]
    return out, index + 1


INVALID = "Tệp điểm điều tra xã hội học không hợp lệ"
TWO_COLUMNS = ["cần đúng hai cột mã mục và điểm", "dùng dấu chấm phẩy", "đặt điểm trong ngoặc kép"]


def _bad_survey(campaign: Campaign, case: str) -> tuple[list[str], int | None, list[str]]:
    """(file lines, line number the message must name or None, words the message must contain)."""
    lines = survey_lines(campaign)
    if case == "missing-item":
        out, _ = _replace(lines, "8.2.2", None)
        return out, None, [INVALID, "thiếu", "8.2.2"]
    if case == "unknown-code":
        return [*lines, "9.9.9,1"], len(lines) + 1, [INVALID, "9.9.9", "không phải mục điều tra xã hội học"]
    if case == "self-assessed-code":
        return [*lines, "1.1.1,0.5"], len(lines) + 1, [INVALID, "1.1.1", "không phải mục điều tra xã hội học"]
    if case == "above-max":
        out, n = _replace(lines, "1.4.2", "1.4.2,0.75")  # max 0,5
        return out, n, [INVALID, "1.4.2", "0,75", "phải từ 0 đến 0,5"]
    if case == "negative":
        out, n = _replace(lines, "1.4.2", "1.4.2,-0.1")
        return out, n, [INVALID, "1.4.2", "phải từ 0 đến 0,5"]
    if case == "not-a-number":
        out, n = _replace(lines, "1.5.3", "1.5.3,khá")
        return out, n, [INVALID, "1.5.3", "“khá”", "không phải là số"]
    if case in ("nan", "infinity"):
        word = "NaN" if case == "nan" else "Infinity"
        out, n = _replace(lines, "1.5.3", f"1.5.3,{word}")
        return out, n, [INVALID, "1.5.3", f"“{word}”", "không phải là số"]
    if case == "unquoted-decimal-comma":
        out, n = _replace(lines, "1.5.3", "1.5.3,1,12")  # three columns: must not be read as 1
        return out, n, [*TWO_COLUMNS, "đọc được 3 cột"]
    if case == "semicolon-extra-column":
        out = [line.replace(",", ";") for line in lines]
        out, n = _replace(out, "1.5.3", "1.5.3;1,12;0,5")
        return out, n, [*TWO_COLUMNS, "đọc được 3 cột"]
    if case == "one-column":
        out, n = _replace(lines, "1.5.3", "1.5.3")
        return out, n, [*TWO_COLUMNS, "đọc được 1 cột"]
    if case == "no-scores":  # a comment and the header only
        return lines[:2], None, ["không có điểm nào"]
    if case == "empty":
        return [], None, ["không có điểm nào"]
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "missing-item",
        "unknown-code",
        "self-assessed-code",
        "above-max",
        "negative",
        "not-a-number",
        "nan",
        "infinity",
        "unquoted-decimal-comma",
        "semicolon-extra-column",
        "one-column",
        "no-scores",
        "empty",
    ],
)
def test_bad_survey_file_exits_3(campaign: Campaign, year: Year, tmp_path: Path, case: str) -> None:
    lines, lineno, words = _bad_survey(campaign, case)
    path = tmp_path / f"dieu-tra-{case}.csv"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "bao-cao.md"
    result = CliRunner().invoke(app, ["report", str(year.consolidated), "-o", str(out), "--survey", str(path)])
    text = squash(result.output)
    assert result.exit_code == 3, result.output
    assert f"Lỗi: {path.name}" in text or f"Lỗi: {INVALID}" in text, text
    assert path.name in text
    if lineno is not None:
        assert f"{path.name} dòng {lineno}:" in text
    for word in words:
        assert word in text
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("style", ["semicolon", "quoted"])
def test_survey_csv_with_decimal_commas(campaign: Campaign, year: Year, tmp_path: Path, style: str) -> None:
    """Excel on a Vietnamese system saves “1.5.3;1,12”; a ',' file may quote the score: “1.5.3,"1,12"”."""
    survey = survey_values(campaign)
    assert any(v != v.to_integral_value() for v in survey.values())  # the decimal comma is exercised
    sep, quote = (";", "") if style == "semicolon" else (",", '"')
    lines = ["# điểm điều tra xã hội học", f"ma_muc{sep}diem"] + [
        f"{code}{sep}{quote}{str(value).replace('.', ',')}{quote}" for code, value in survey.items()
    ]
    path = tmp_path / "dieu-tra.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    i = expected_figures(campaign, year.typed, year.appraised, survey).index
    total, top = i.final + i.survey, i.self_max + i.survey_max
    data = report_of(campaign, year.consolidated, survey=path, today=TODAY)
    assert (data.context["index"]["survey_score"], data.context["index"]["percent"]) == (i.survey, pct(total, top))
    out = tmp_path / "bao-cao.md"
    result = CliRunner().invoke(app, ["report", str(year.consolidated), "-o", str(out), "--survey", str(path)])
    assert result.exit_code == 0, result.output
    assert f"phần điều tra xã hội học: {fmt_points(i.survey)}/{fmt_points(i.survey_max)} điểm" in md_plain(
        out.read_text("utf-8")
    )


# --- 4. last year ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_previous(
    year: Year, last_year: tuple[Path, Expected], campaign: Campaign, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Doc]:
    data = report_of(campaign, year.consolidated, previous=last_year[0], today=TODAY)
    return render_all(data, tmp_path_factory.mktemp("previous"))


_SIGNED = re.compile(r"^([+−]\d+(,\d+)?|0)$")
# the year, not the file it came from (the file is the officer's: in the manifest)
PREVIOUS_NOTE = {
    "md": "Năm trước: năm 2022; năm trước và thay đổi tính trên phần tự đánh giá sau thẩm định, bằng điểm phần trăm.",
    "docx": "Năm trước: năm 2022; thay đổi tính trên phần tự đánh giá sau thẩm định, bằng điểm phần trăm.",
}
PREVIOUS_NOTE["html"] = PREVIOUS_NOTE["md"]


def previous_columns(doc: Doc, fmt: str) -> tuple[list[list[str]], int | None, int]:
    """The field table with last year's columns: (rows, column of last year's %, column of the change).

    Word has no room for last year's percentage: only the change is shown.
    """
    if fmt == "docx":
        return doc.table(*FIELD_HEAD, "Thay đổi so với năm trước"), None, 8
    return doc.table(*FIELD_HEAD, "Năm trước (%)", "Thay đổi"), 8, 9


def test_last_year_is_what_the_test_thinks(campaign: Campaign, last_year: tuple[Path, Expected]) -> None:
    """Guards the arithmetic below: last year's N/A item and appraisals change last year's self part."""
    e = last_year[1]
    assert e.not_applicable == {LAST_YEAR_NA} and e.unscored == []
    field_code = LAST_YEAR_NA.split(".")[0]
    catalogue_self_max = sum((x.max_points for x in campaign.catalogue.leaves_under(field_code) if x.is_self), ZERO)
    assert e.fields[field_code].self_max < catalogue_self_max  # N/A leaves the denominator
    assert e.fields["1"].final < e.fields["1"].self_score and e.fields["5"].final > e.fields["5"].self_score


@pytest.mark.parametrize("fmt", FORMATS)
def test_previous_year_column(year: Year, with_previous: dict[str, Doc], fmt: str) -> None:
    doc = with_previous[fmt]
    rows, _, column = previous_columns(doc, fmt)
    assert PREVIOUS_NOTE[fmt] in doc.text and "tong-hop-2022.xlsx" not in doc.text
    changes = [doc.row(rows, code)[column] for code in year.expected.fields]
    assert all(_SIGNED.match(c) for c in changes), changes
    assert any(c.startswith("−") for c in changes)  # last year had full marks in fields 1–4


@pytest.mark.parametrize("fmt", FORMATS)
def test_previous_year_change_values(
    year: Year, last_year: tuple[Path, Expected], with_previous: dict[str, Doc], fmt: str
) -> None:
    """Last year: appraised self part / its applicable self maximum; the change in percentage points."""
    doc = with_previous[fmt]
    rows, before_column, column = previous_columns(doc, fmt)
    for code, f in year.expected.fields.items():
        before = last_year[1].fields[code].percent()
        now = f.percent()
        assert before is not None and now is not None
        cells = doc.row(rows, code)
        if before_column is not None:
            assert cells[before_column] == fmt_percent(before), code
        assert cells[column] == signed(now - before), code


def test_previous_year_change_ignores_the_survey(
    campaign: Campaign, year: Year, last_year: tuple[Path, Expected], tmp_path: Path
) -> None:
    """With the survey given, “Tỷ lệ” includes it, but the change still compares the appraised self parts."""
    path = tmp_path / "dieu-tra.csv"
    path.write_text("\n".join(survey_lines(campaign)) + "\n", encoding="utf-8")
    e = expected_figures(campaign, year.typed, year.appraised, survey_values(campaign))
    data = report_of(campaign, year.consolidated, survey=path, previous=last_year[0], today=TODAY)
    md = read_md(render_text(data, "md"))
    rows, before_column, column = previous_columns(md, "md")
    for code, f in e.fields.items():
        before, now, headline = last_year[1].fields[code].percent(), f.percent(), f.percent(with_survey=True)
        assert before is not None and now is not None and headline is not None
        assert headline != now, code  # the test can tell the two bases apart
        field = next(x for x in data.context["fields"] if x["code"] == code)
        assert (field["percent"], field["previous"]["percent"], field["previous"]["change"]) == (
            headline,
            before,
            now - before,
        ), code
        cells = md.row(rows, code)
        assert (cells[7], cells[before_column], cells[column]) == (
            fmt_percent(headline),
            fmt_percent(before),
            signed(now - before),
        ), code


@pytest.mark.parametrize("with_survey", [False, True])
def test_previous_year_same_workbook_no_change(
    campaign: Campaign, year: Year, tmp_path: Path, with_survey: bool
) -> None:
    survey = None
    if with_survey:
        survey = tmp_path / "dieu-tra.csv"
        survey.write_text("\n".join(survey_lines(campaign)) + "\n", encoding="utf-8")
    data = report_of(campaign, year.consolidated, survey=survey, previous=year.consolidated, today=TODAY)
    fields = data.context["fields"]
    assert [f["previous"]["change"] for f in fields] == [Decimal(0)] * len(fields)
    assert [f["previous"]["percent"] for f in fields] == [year.expected.fields[f["code"]].percent() for f in fields]


# --- 5. escaping ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nasty(
    year: Year, campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """This year again, with Văn phòng UBND tỉnh explaining a lost item in markup, and a note in markup."""
    root = tmp_path_factory.mktemp("nasty")
    shutil.copytree(year.returns, root / "returns")
    dept = campaign.owner_of[NASTY_ITEM]
    values = department_values(campaign, dept.id, {NASTY_ITEM: {"explanation": NASTY}})
    fill_workbook(issued[dept.id], root / "returns" / issued[dept.id].name, values, sent=ON_TIME)
    appraise(campaign, root / "returns", root / "tham-dinh", {NASTY_ITEM: (None, NASTY_NOTE)})
    consolidated = consolidate(campaign, root / "returns", root / "tong-hop.xlsx", root / "tham-dinh")
    data = report_of(campaign, consolidated, today=TODAY)
    assert any(i["explanation"] == NASTY for i in data.context["lost"])
    outs = {}
    for fmt in FORMATS:
        outs[fmt] = root / f"bao-cao.{fmt}"
        render_report(data, outs[fmt])
    return outs


def test_escaping_html(nasty: dict[str, Path]) -> None:
    html = nasty["html"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    doc = read_html(html)
    cells = doc.row(doc.table(*APPENDIX_HEAD), NASTY_ITEM)
    assert squash(NASTY) in cells[6] and squash(NASTY_NOTE) in cells[7]


def test_escaping_markdown(nasty: dict[str, Path]) -> None:
    text = nasty["md"].read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(script|img)", text)  # only escaped: \<script\>
    # every table keeps its shape: each row has as many cells as its header
    table: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(md_cells(line))
        elif table:
            assert {len(r) for r in table} == {len(table[0])}, table
            table = []
    rows = [line for line in text.splitlines() if line.startswith(f"| {NASTY_ITEM} |")]
    assert [len(md_cells(row)) for row in rows] == [8, 8]  # the lost items and the appendix
    row = rows[-1]  # the appendix: the explanation and the note
    assert r"\| pipe" in row and r"\*\*bold\*\*" in row and r"\<script\>" in row
    assert "dòng hai" in row  # the line break did not end the row
    cells = read_md(text).row(read_md(text).table(*APPENDIX_HEAD), NASTY_ITEM)
    assert squash(NASTY) in cells[6]  # unescaped, the text is intact


def test_escaping_docx(nasty: dict[str, Path]) -> None:
    with zipfile.ZipFile(nasty["docx"]) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script" not in xml and "<img" not in xml
    doc = read_docx(nasty["docx"])  # still a valid document
    cells = doc.row(doc.table(*APPENDIX_HEAD), NASTY_ITEM)
    assert "<script>alert(1)</script> | pipe **bold**" in cells[6]
    assert "<img src=x onerror=alert(2)> | cột thừa" in cells[7]


# --- 6. templates -------------------------------------------------------------------------------


def test_undefined_variable_is_an_error(year: Year, tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("Tỷ lệ: {{ index.percent | pct }}; {{ nonexistent }}\n", encoding="utf-8")
    (tmp_path / "report.html.j2").write_text("<p>{{ index.nonexistent }}</p>\n", encoding="utf-8")
    with pytest.raises(TemplateRenderError, match=r"report\.md\.j2, dòng 1"):
        render_text(year.data, "md", tmp_path)
    with pytest.raises(TemplateRenderError, match=r"report\.md\.j2, dòng 1"):
        render_report(year.data, tmp_path / "x.md", template_dir=tmp_path)
    with pytest.raises(TemplateRenderError, match=r"report\.html\.j2, dòng 1"):
        render_report(year.data, tmp_path / "x.html", template_dir=tmp_path)
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "x.html").exists()


def test_undefined_variable_in_word_template_is_an_error(year: Year, tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Tỷ lệ {{ index.percent|pct }} {{ nonexistent }}")
    document.save(str(tmp_path / "report.docx"))
    with pytest.raises(TemplateRenderError, match=r"report\.docx"):
        render_report(year.data, tmp_path / "x.docx", template_dir=tmp_path)
    assert not (tmp_path / "x.docx").exists()


def test_user_template_folder_comes_first(year: Year, tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "report.md.j2").write_text(
        "MẪU CỦA SỞ — {{ letterhead.agency }}: {{ index.appraised | points }} điểm, {{ index.percent | pct }}\n",
        encoding="utf-8",
    )
    i = year.expected.index
    render_report(year.data, tmp_path / "x.md", template_dir=mine)
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == (
        f"MẪU CỦA SỞ — SỞ NỘI VỤ: {fmt_points(i.final)} điểm, {fmt_percent(i.percent())}\n"
    )
    # the formats the folder does not provide fall back to the built-in templates
    render_report(year.data, tmp_path / "x.html", template_dir=mine)
    assert "<h3>1. Kết quả chung</h3>" in (tmp_path / "x.html").read_text(encoding="utf-8")
    render_report(year.data, tmp_path / "x.docx", template_dir=mine)
    assert "1. Kết quả chung" in read_docx(tmp_path / "x.docx").text


def test_user_template_via_cli(year: Year, tmp_path: Path) -> None:
    mine = tmp_path / "mau"
    mine.mkdir()
    (mine / "report.md.j2").write_text("Chỉ {{ index.percent | pct }}\n", encoding="utf-8")
    out = tmp_path / "x.md"
    result = CliRunner().invoke(app, ["report", str(year.consolidated), "-o", str(out), "--templates", str(mine)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == f"Chỉ {fmt_percent(year.expected.index.percent())}\n"


# --- 7. golden Markdown ---------------------------------------------------------------------------


def test_golden_markdown(year: Year) -> None:
    assert "Hưng Yên, ngày 19 tháng 01 năm 2024" in year.markdown
    assert_text_golden("report-full.md", year.markdown)


# --- 8. the command line --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_report_uses_the_recorded_campaign(year: Year, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"bao-cao.{fmt}"
    result = CliRunner().invoke(app, ["report", str(year.consolidated), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = squash(result.output)
    assert "Dùng kế hoạch đã dùng khi tổng hợp" in text
    i = year.expected.index
    assert f"Điểm: {fmt_points(i.final)}/{fmt_points(i.self_max)} — {fmt_percent(i.percent())}" in text
    assert f"Bị trừ điểm: {len(year.expected.lost)} mục; chưa có điểm: {len(year.expected.unscored)} mục" in text
    doc = read_docx(out) if fmt == "docx" else (read_md if fmt == "md" else read_html)(out.read_text("utf-8"))
    assert f"{fmt_points(i.final)}/{fmt_points(i.self_max)} điểm, đạt {fmt_percent(i.percent())}" in doc.text


def test_cli_unknown_extension_exits_2(year: Year, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.pdf"
    result = CliRunner().invoke(app, ["report", str(year.consolidated), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Không hỗ trợ định dạng .pdf" in squash(result.output)
    assert not out.exists()


def test_cli_missing_consolidated_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.xlsx"
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 3, result.output
    assert "Không tìm thấy bảng tổng hợp" in squash(result.output) and "khong-co.xlsx" in result.output


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abc", ["điểm thẩm định “abc” không phải là số"]),
        (2, ["điểm thẩm định 2 phải từ 0 đến 1"]),
        (-0.5, ["điểm thẩm định -0,5 phải từ 0 đến 1"]),
        ("1,5", ["điểm thẩm định 1,5 phải từ 0 đến 1"]),
        ("NaN", ["điểm thẩm định “NaN” không phải là số"]),
        ("inf", ["điểm thẩm định “inf” không phải là số"]),
        ("-Infinity", ["điểm thẩm định “-Infinity” không phải là số"]),
    ],
)
def test_cli_bad_appraisal_names_the_cell(year: Year, tmp_path: Path, value: Any, words: list[str]) -> None:
    path = tmp_path / "tong-hop-loi.xlsx"
    shutil.copy(year.consolidated, path)
    cell = type_into_consolidated(path, {"1.2.1": (value, None)})["1.2.1"]  # Sở Nội vụ, maximum 1
    out = tmp_path / "x.md"
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(out)])
    text = squash(result.output)
    assert result.exit_code == 3, result.output
    assert f"tong-hop-loi.xlsx › {layout.SHEET_CONSOLIDATED} › {cell} (mục 1.2.1)" in text
    for word in words:
        assert word in text
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("which", ["survey", "missing-consolidated", "bad-appraisal"])
def test_cli_error_names_a_file_with_brackets(year: Year, tmp_path: Path, which: str) -> None:
    """Rich markup is off: “[ban cuoi]” in a file name is printed as it is, not taken as a style tag."""
    if which == "survey":
        path = tmp_path / "dieu-tra [ban cuoi].csv"
        path.write_text("ma_muc,diem\n1.4.2,khá\n", encoding="utf-8")
        args = [str(year.consolidated), "--survey", str(path)]
        where = f"{path.name} dòng 2: điểm “khá” của mục 1.4.2 không phải là số"
    elif which == "missing-consolidated":
        path = tmp_path / "tong-hop [ban cuoi].xlsx"
        args = [str(path)]
        where = path.name
    else:
        path = tmp_path / "tong-hop [ban cuoi].xlsx"
        shutil.copy(year.consolidated, path)
        cell = type_into_consolidated(path, {"1.2.1": ("NaN", None)})["1.2.1"]
        args = [str(path)]
        where = f"{path.name} › {layout.SHEET_CONSOLIDATED} › {cell} (mục 1.2.1)"
    result = CliRunner().invoke(app, ["report", *args, "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 3, result.output
    assert where in squash(result.output)


@pytest.mark.parametrize(
    ("template", "words"),
    [("# {{ title \n", ["report.md.j2, dòng 1", "có lỗi"]), ("{{ nonexistent }}\n", ["biến không có trong dữ liệu"])],
)
def test_cli_names_a_broken_user_template(year: Year, tmp_path: Path, template: str, words: list[str]) -> None:
    """A mistake in the office's own template: exit 3 and a Vietnamese message naming it, no traceback."""
    from typer.testing import CliRunner as Runner

    from parcli.cli import app as cli_app

    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "report.md.j2").write_text(template, encoding="utf-8")
    result = Runner().invoke(
        cli_app,
        ["report", str(year.consolidated), "-o", str(tmp_path / "x.md"), "--templates", str(folder)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output
    assert not (tmp_path / "x.md").exists()


def test_previous_year_through_a_mapping(
    year: Year, last_year: tuple[Path, Expected], campaign: Campaign, tmp_path: Path
) -> None:
    """A mapping where one item of last year has no counterpart: its field is not compared, and the report says so."""
    leaves = [leaf.code for leaf in campaign.catalogue.leaves if leaf.is_self]
    gone = next(code for code in leaves if code.startswith("1."))
    mapping = tmp_path / "doi-chieu.csv"
    lines = ["ma_cu,ma_moi", *(f"{c},{'không còn' if c == gone else c}" for c in leaves)]
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = report_of(campaign, year.consolidated, previous=last_year[0], mapping=mapping, today=TODAY)
    fields = {f["code"]: f for f in data.context["fields"]}
    assert fields["1"]["previous"]["change"] is None
    assert gone in fields["1"]["previous"]["note"]
    assert fields["2"]["previous"]["note"] is None
    assert fields["2"]["previous"]["change"] is not None
    doc = render_all(data, tmp_path / "out")["md"]
    assert f"Lĩnh vực 1: không so sánh được: năm trước không có mục tương ứng với {gone}." in doc.text
