"""Unit-level indexes (``mode: each-unit-scores``): campaign, workbooks, merge, appraisal, ranking, unit sheets.

A small campaign of three groups is built once per module: ``so`` (5 units inline, one exempt from field 3,
one that never returns), ``huyen`` (4 units from a ';'-delimited units_file, two with identical returns) and
``xa`` (2 units, a catalogue of another shape).  Scores are chosen so that the ranking has ties decided by the
rounded percentage (1, 2, 2, 4), a tie between an exempt and a non-exempt unit ordered by points, a unit
exactly on a band boundary and every default band in use.  Every expected figure is computed here from the
typed values, independently of parcli's scoring.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign, load_campaign
from parcli.errors import CampaignError
from parcli.results.appraisal import collect_for
from parcli.results.consolidated_existing import read_appraisals
from parcli.results.consolidated_write import write_consolidated
from parcli.results.letters import heading
from parcli.results.ranking import render_ranking, write_unit_sheets
from parcli.results.scoring import TIE_RULE, rank_units
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import MergeResult, merge_returns
from tests.helpers.factory import FIXED_NOW, fill_workbook
from tests.helpers.programs import require_soffice, roundtrip_many
from tests.helpers.reports import ranking_of
from tests.helpers.units import (
    ALL_UNITS,
    FILE_UNITS,
    GROUPS,
    INLINE_UNITS,
    LOST,
    campaign_text,
    pct,
    self_max,
    unit_values,
    write_catalogues,
)

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2024, 1, 20)

NAMES = {u[0]: u[1] for u in ALL_UNITS}
MISSING = "so-y-te"
EXEMPT_UNIT = "ban-dan-toc"
LATE_LOSS = Decimal(3)  # so-y-te's late return (second merge)

# Expected ranking (first merge), in the order listed: (unit id, rank, band).
EXPECTED_RANKS = {
    "so": [
        ("so-noi-vu", 1, "Tốt"),
        ("so-tu-phap", 2, "Tốt"),  # 91,67 %, 77 points
        ("ban-dan-toc", 2, "Tốt"),  # 91,67 %, 66 points: after Sở Tư pháp although “Ban” sorts first
        ("so-tai-chinh", 4, "Trung bình"),
        ("so-y-te", None, None),
    ],
    "huyen": [
        ("h-van-lam", 1, "Khá"),
        ("h-kim-dong", 2, "Yếu"),  # identical totals: by name
        ("h-tien-lu", 2, "Yếu"),
        ("h-phu-cu", 4, "Yếu"),
    ],
    "xa": [("xa-lac-hong", 1, "Tốt"), ("xa-minh-hai", 2, "Khá")],
}

CUSTOM_BANDS = """bands:
  - {label: "Yếu", min: 0}
  - {label: "Xuất sắc", min: 95}
  - {label: "Tốt", min: 85}
  - {label: "Khá", min: 70}
  - {label: "Trung bình", min: 50}
"""
CUSTOM_EXPECTED = {
    "so-noi-vu": "Xuất sắc",
    "so-tu-phap": "Tốt",
    "ban-dan-toc": "Tốt",
    "so-tai-chinh": "Khá",
    "so-y-te": None,
    "h-van-lam": "Tốt",
    "h-kim-dong": "Trung bình",
    "h-tien-lu": "Trung bình",
    "h-phu-cu": "Trung bình",  # 50,00% exactly: the band's minimum is included
    "xa-lac-hong": "Xuất sắc",
    "xa-minh-hai": "Khá",
}


# --- the campaign ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("units")
    write_catalogues(root)
    (root / "campaign.yaml").write_text(campaign_text(), encoding="utf-8")
    (root / "campaign-bands.yaml").write_text(campaign_text(extra=CUSTOM_BANDS), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def camp(folder: Path) -> Campaign:
    return load_campaign(folder / "campaign.yaml")


@pytest.fixture(scope="module")
def issued(camp: Campaign, folder: Path) -> dict[str, Path]:
    result = generate_workbooks(camp, folder / "issued", now=FIXED_NOW)
    return {w.department.id: w.path for w in result.workbooks}


def typed_total(values: dict[str, dict[str, Any]]) -> Decimal:
    return sum((Decimal(str(v["score"])) for v in values.values()), Decimal(0))


def fill(camp: Campaign, issued: dict[str, Path], folder: Path, unit_id: str, lose: Decimal) -> Path:
    target = folder / issued[unit_id].name
    fill_workbook(issued[unit_id], target, unit_values(camp.department_by_id[unit_id], lose))
    return target


@pytest.fixture(scope="module")
def returns_v1(camp: Campaign, issued: dict[str, Path], folder: Path) -> Path:
    out = folder / "returns-v1"
    for uid, lose in LOST.items():
        if lose is not None:
            fill(camp, issued, out, uid, lose)
    return out


@pytest.fixture(scope="module")
def merged(camp: Campaign, returns_v1: Path, folder: Path) -> tuple[MergeResult, Path]:
    result = merge_returns(camp, returns_v1)
    out = folder / "v1" / "tong-hop.xlsx"
    out.parent.mkdir()
    write_consolidated(result, out, now=FIXED_NOW)
    return result, out


@pytest.fixture(scope="module")
def ranking(camp: Campaign, merged: tuple[MergeResult, Path]) -> dict[str, Any]:
    return ranking_of(camp, merged[1], today=TODAY)


def rows_by_unit(ranking: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["id"]: u for g in ranking["groups"] for u in g["rows"]}


# --- 1. campaign, workbooks, merge ------------------------------------------------------------------------------


def test_campaign_units_items_and_file_stems(camp: Campaign) -> None:
    assert camp.is_units
    assert set(camp.catalogues) == {"so", "huyen", "xa"}
    assert {c.id for c in camp.catalogues.values()} == {"test-unit-so", "test-unit-huyen", "test-unit-xa"}
    assert [u.id for u in camp.departments] == [u[0] for u in ALL_UNITS]  # inline first, then the units_file
    stems = {u.id: u.file_stem for u in camp.departments}
    assert stems["so-noi-vu"] == "so-001-so-noi-vu"
    assert stems["so-y-te"] == "so-005-so-y-te"
    assert stems["xa-minh-hai"] == "xa-002-xa-minh-hai"  # numbered within its own group
    assert stems["h-van-lam"] == "huyen-001-h-van-lam"
    assert stems["h-phu-cu"] == "huyen-004-h-phu-cu"
    for uid, name, group, exempt, _ in ALL_UNITS:
        unit = camp.department_by_id[uid]
        assert (unit.name, unit.group, unit.exempt) == (name, group, tuple(exempt))
        assert re.fullmatch(rf"{group}-\d{{3}}-{uid}", unit.file_stem)
        cat = camp.catalogues[group]
        expected = [leaf.code for leaf in cat.leaves if leaf.is_self and not (exempt and leaf.code.startswith("3."))]
        assert [leaf.code for leaf in unit.items] == expected
        assert unit.catalogue is cat
        assert unit.max_points == self_max(camp, uid)
    dt = camp.department_by_id[EXEMPT_UNIT]
    assert not [leaf for leaf in dt.items if leaf.code.startswith("3.")]
    assert dt.is_exempt("3") and dt.is_exempt("3.1.2") and not dt.is_exempt("31.1") and not dt.is_exempt("2.3")
    assert dt.max_points == Decimal(72)
    assert camp.department_by_id["so-noi-vu"].max_points == Decimal(84)
    assert camp.department_by_id["xa-lac-hong"].max_points == Decimal("87.5")


def test_units_file_with_semicolons(folder: Path) -> None:
    from parcli.config.units_file import read_units_file

    rows = read_units_file(folder / "units-huyen.csv", "campaign.yaml")
    assert [(u.id, u.name, u.group, u.exempt) for _, u in rows] == [(u[0], u[1], u[2], u[3]) for u in FILE_UNITS]
    assert rows[0][0] == "units-huyen.csv dòng 2"


def test_one_workbook_per_unit_with_exactly_its_items(camp: Campaign, issued: dict[str, Path]) -> None:
    assert len(issued) == len(ALL_UNITS)
    for unit in camp.departments:
        path = issued[unit.id]
        assert path.name == f"{unit.file_stem}.xlsx"
        wb = load_workbook(path, read_only=True)
        try:
            codes = [
                str(row[0]).strip()
                for row in wb[layout.SHEET_SCORES].iter_rows(values_only=True)
                if row and row[0] is not None and re.fullmatch(r"\d+(\.\d+){2}", str(row[0]).strip())
            ]
            cover = {
                str(r[0]): r[1] for r in wb[layout.SHEET_COVER].iter_rows(values_only=True) if r and r[0] is not None
            }
        finally:
            wb.close()
        assert codes == [leaf.code for leaf in unit.items], unit.id
        assert cover["Cơ quan thực hiện"] == unit.name
        assert cover["Nhóm đơn vị"] == GROUPS[unit.group or ""]
        if unit.id == EXEMPT_UNIT:
            assert cover["Được miễn"] == "3. Cải cách thủ tục hành chính"
        else:
            assert "Được miễn" not in cover


def test_merge_statuses_totals_and_long_table(camp: Campaign, merged: tuple[MergeResult, Path]) -> None:
    result, path = merged
    status = {d.department.id: d.status for d in result.departments}
    assert status == {uid: ("missing" if uid == MISSING else "ok") for uid in LOST}
    assert not result.ok
    assert [p.department for p in result.problems] == [MISSING]
    assert result.problems[0].slug == "missing-return"

    totals = {t["id"]: t for t in result.unit_totals()}
    for uid, lose in LOST.items():
        unit = camp.department_by_id[uid]
        expected = Decimal(0) if lose is None else typed_total(unit_values(unit, lose))
        assert totals[uid]["score"] == expected, uid
        assert totals[uid]["self_max"] == self_max(camp, uid), uid
        assert totals[uid]["group"] == unit.group
        if lose is not None:
            assert expected == self_max(camp, uid) - lose
    assert totals[EXEMPT_UNIT]["self_max"] == Decimal(72)
    assert totals[EXEMPT_UNIT]["score"] == Decimal(66)

    wb = load_workbook(path, read_only=True)
    try:
        rows = [tuple(r) for r in wb[layout.SHEET_CONSOLIDATED].iter_rows(values_only=True)]
        meta = {r[0]: r[1] for r in wb[layout.SHEET_META].iter_rows(values_only=True)}
    finally:
        wb.close()
    assert meta[layout.META_MODE] == "each-unit-scores"
    hi = next(i for i, r in enumerate(rows) if r and r[0] == layout.HEADER_UNIT_ID)
    header = list(rows[hi])
    col = {label: header.index(label) for label in layout.UNIT_CONSOLIDATED_HEADERS}
    body = [r for r in rows[hi + 1 :] if r and r[0]]
    keys = [(r[col[layout.HEADER_UNIT_ID]], r[col[layout.HEADER_CODE]]) for r in body]
    expected_keys = [(u.id, leaf.code) for u in camp.departments for leaf in u.catalogue.leaves]
    assert keys == expected_keys  # one row per unit × leaf (survey and exempt rows included), nothing else
    assert len(keys) == len(set(keys)) == 5 * 32 + 4 * 32 + 2 * 16
    by_key = dict(zip(keys, body, strict=True))
    exempt_rows = [k for k, r in by_key.items() if r[col[layout.HEADER_ITEM_STATUS]] == layout.EXEMPT_STATUS]
    assert exempt_rows == [(EXEMPT_UNIT, c) for c in ("3.1.1", "3.1.2", "3.2.1", "3.2.2")]
    for key in exempt_rows:
        assert by_key[key][col[layout.HEADER_SCORE]] is None
    # the same code of a unit that is not exempt is scored
    assert by_key[("so-noi-vu", "3.1.1")][col[layout.HEADER_SCORE]] == 3
    assert by_key[("so-noi-vu", "3.1.1")][col[layout.HEADER_ITEM_STATUS]] == "Đã nhận"
    assert by_key[(MISSING, "1.1.1")][col[layout.HEADER_ITEM_STATUS]] == "Chưa nộp"
    assert by_key[("h-kim-dong", "1.1.1")][col[layout.HEADER_UNIT]] == "UBND huyện Kim Động"
    assert by_key[("h-kim-dong", "1.1.1")][col[layout.HEADER_GROUP]] == "huyen"
    # sums over the sheet equal the typed values
    for uid, lose in LOST.items():
        if lose is None:
            continue
        sheet_sum = sum(
            (
                Decimal(str(r[col[layout.HEADER_SCORE]]))
                for (u, _), r in by_key.items()
                if u == uid and isinstance(r[col[layout.HEADER_SCORE]], int | float)
            ),
            Decimal(0),
        )
        assert sheet_sum == typed_total(unit_values(camp.department_by_id[uid], lose)), uid


def test_exempt_rows_are_not_open_for_appraisal(merged: tuple[MergeResult, Path]) -> None:
    wb = load_workbook(merged[1])
    ws = wb[layout.SHEET_CONSOLIDATED]
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == layout.HEADER_UNIT_ID)
    col = {ws.cell(row=header_row, column=c).value: c for c in range(1, ws.max_column + 1)}
    seen = 0
    for r in range(header_row + 1, ws.max_row + 1):
        unit, code = ws.cell(row=r, column=1).value, ws.cell(row=r, column=col[layout.HEADER_CODE]).value
        cell = ws.cell(row=r, column=col[layout.HEADER_APPRAISED])
        assert cell.protection.locked, code  # the consolidated workbook is an output: appraisals are typed elsewhere
        if unit == EXEMPT_UNIT and str(code).startswith("3."):
            seen += 1
    assert seen == 4
    # the appraisal workbooks carry no row of an exempt branch
    from parcli.rounds.appraisal.issue import plan_workbooks

    lines = [
        line for *_, mine in plan_workbooks(merged[0].campaign, merged[0].returned_rows(), "group") for line in mine
    ]
    assert not [x for x in lines if x.scope == EXEMPT_UNIT and x.leaf.code.startswith("3.")]
    assert [x for x in lines if x.scope == "so-noi-vu" and x.leaf.code.startswith("3.")]


# --- 2. appraisal kept per unit and item ------------------------------------------------------------------------


APPRAISALS = {
    ("so-noi-vu", "2.1.2"): (2.5, "Thẩm định: thiếu văn bản kiểm chứng của Sở Nội vụ"),
    ("so-tu-phap", "2.1.2"): (1, "Thẩm định: Sở Tư pháp ban hành chậm"),
}


@pytest.fixture(scope="module")
def remerged(
    camp: Campaign, issued: dict[str, Path], merged: tuple[MergeResult, Path], returns_v1: Path, folder: Path
) -> tuple[MergeResult, Path, int]:
    from parcli.rounds.appraisal import layout as alayout
    from parcli.rounds.appraisal.issue import issue_appraisals

    out = folder / "v2" / "tong-hop.xlsx"
    out.parent.mkdir()
    appraisals = folder / "v2" / "tham-dinh"
    issued_books = issue_appraisals(camp, merged[0].returned_rows(), appraisals, by="group", now=FIXED_NOW)
    typed = 0
    for book in issued_books.workbooks:
        wb = load_workbook(book.path)
        ws = wb[alayout.SHEET_APPRAISAL]
        header = [c.value for c in ws[alayout.HEADER_ROW]]
        col = {label: header.index(label) + 1 for label in header if label}
        for r in range(alayout.HEADER_ROW + 1, ws.max_row + 1):
            key = (
                ws.cell(row=r, column=col[alayout.HEADER_UNIT_ID]).value,
                ws.cell(row=r, column=col[alayout.HEADER_CODE]).value,
            )
            if key in APPRAISALS:
                score, note = APPRAISALS[key]
                ws.cell(row=r, column=col[alayout.HEADER_APPRAISED]).value = score
                ws.cell(row=r, column=col[alayout.HEADER_NOTE]).value = note
                typed += 1
        wb.save(book.path)
    assert typed == 2
    returns_v2 = folder / "returns-v2"
    shutil.copytree(returns_v1, returns_v2)
    fill(camp, issued, returns_v2, MISSING, LATE_LOSS)
    result = merge_returns(camp, returns_v2)
    found = collect_for(result, appraisals)
    assert found.ok, found.problems
    carried = write_consolidated(result, out, appraisals=found.scores(), now=FIXED_NOW)
    return result, out, carried


def test_appraisals_kept_on_their_own_unit_rows(camp: Campaign, remerged: tuple[MergeResult, Path, int]) -> None:
    result, out, carried = remerged
    assert result.ok
    assert carried == 2
    kept = read_appraisals(out, camp)  # what the consolidated workbook shows, as written from the appraisal workbooks
    assert {k: (a.score, a.note) for k, a in kept.items()} == APPRAISALS
    wb = load_workbook(out, read_only=True)
    try:
        rows = [tuple(r) for r in wb[layout.SHEET_CONSOLIDATED].iter_rows(values_only=True)]
    finally:
        wb.close()
    hi = next(i for i, r in enumerate(rows) if r and r[0] == layout.HEADER_UNIT_ID)
    col = {label: rows[hi].index(label) for label in layout.UNIT_CONSOLIDATED_HEADERS}
    found = {}
    for r in rows[hi + 1 :]:
        if r and (r[col[layout.HEADER_APPRAISED]] is not None or r[col[layout.HEADER_APPRAISAL_NOTE]] is not None):
            found[(r[0], r[col[layout.HEADER_CODE]])] = (
                r[col[layout.HEADER_APPRAISED]],
                r[col[layout.HEADER_APPRAISAL_NOTE]],
            )
    assert found == APPRAISALS
    late = next(r for r in rows[hi + 1 :] if r and r[0] == MISSING and r[col[layout.HEADER_CODE]] == "1.1.1")
    assert late[col[layout.HEADER_ITEM_STATUS]] == "Đã nhận"


def test_ranking_after_appraisal_uses_appraised_scores(camp: Campaign, remerged: tuple[MergeResult, Path, int]) -> None:
    rows = rows_by_unit(ranking_of(camp, remerged[1], today=TODAY))
    assert rows["so-noi-vu"]["final"] == Decimal("83.5")  # 84 − 3 + 2,5
    assert rows["so-noi-vu"]["percent"] == pct(Decimal("83.5"), Decimal(84))
    tu_phap = typed_total(unit_values(camp.department_by_id["so-tu-phap"], LOST["so-tu-phap"]))
    tu_phap_212 = Decimal(str(unit_values(camp.department_by_id["so-tu-phap"], LOST["so-tu-phap"])["2.1.2"]["score"]))
    assert rows["so-tu-phap"]["final"] == tu_phap - tu_phap_212 + 1
    assert rows[MISSING]["rank"] is not None
    assert rows[MISSING]["final"] == Decimal(84) - LATE_LOSS
    noted = {i["code"]: i["note"] for i in rows["so-noi-vu"]["lost"]}
    assert noted["2.1.2"] == APPRAISALS[("so-noi-vu", "2.1.2")][1]


# --- 3. the ranking ---------------------------------------------------------------------------------------------


def test_ranks_ties_and_order(ranking: dict[str, Any]) -> None:
    assert [g["id"] for g in ranking["groups"]] == ["so", "huyen", "xa"]
    for group in ranking["groups"]:
        got = [(u["id"], u["rank"], u["band"]) for u in group["rows"]]
        assert got == EXPECTED_RANKS[group["id"]], group["id"]
        assert all(u["of"] == len(EXPECTED_RANKS[group["id"]]) for u in group["rows"])
        assert group["name"] == GROUPS[group["id"]]
    assert ranking["tie_rule"] == TIE_RULE


def test_percentages_and_bands_computed_independently(camp: Campaign, ranking: dict[str, Any]) -> None:
    rows = rows_by_unit(ranking)
    for uid, lose in LOST.items():
        row = rows[uid]
        top = self_max(camp, uid)
        assert row["max"] == top, uid
        if lose is None:
            assert (row["percent"], row["band"], row["rank"]) == (None, None, None)
            assert row["status"] == "missing" and row["status_label"] == "Chưa nộp"
            continue
        points = typed_total(unit_values(camp.department_by_id[uid], lose))
        assert row["final"] == points, uid
        assert row["percent"] == pct(points, top), uid
        assert row["status"] == "ok"
    assert rows[EXEMPT_UNIT]["percent"] == Decimal("91.67")  # 66 / 72, not 66 / 84 (78,57)
    assert rows["so-tu-phap"]["percent"] == Decimal("91.67")  # 77 / 84
    assert rows["xa-minh-hai"]["percent"] == Decimal("80.00")  # exactly on the Khá boundary
    assert rows["h-van-lam"]["percent"] == Decimal("85.12")
    assert ranking["groups"][0]["bands"] == {"Tốt": 3, "Khá": 0, "Trung bình": 1, "Yếu": 0}
    assert ranking["groups"][1]["bands"] == {"Tốt": 0, "Khá": 1, "Trung bình": 0, "Yếu": 3}
    assert [(b["label"], b["min"], b["upper"]) for b in ranking["bands"]] == [
        ("Tốt", Decimal(90), None),
        ("Khá", Decimal(80), Decimal(90)),
        ("Trung bình", Decimal(70), Decimal(80)),
        ("Yếu", Decimal(0), Decimal(70)),
    ]


def test_exempt_unit_field_three_is_exempt_in_heat_map(camp: Campaign, ranking: dict[str, Any]) -> None:
    rows = rows_by_unit(ranking)
    fields = {f["code"]: f for f in rows[EXEMPT_UNIT]["fields"]}
    assert fields["3"]["exempt"] is True
    assert fields["3"]["percent"] is None
    assert fields["3"]["heat"] == "h0"
    assert fields["3"]["max"] == 0
    assert [e["code"] for e in rows[EXEMPT_UNIT]["exempt"]] == ["3"]
    other = {f["code"]: f for f in rows["so-tu-phap"]["fields"]}
    assert other["3"]["exempt"] is False and other["3"]["percent"] == Decimal("100.00")
    # field maxima of the exempt unit add up to its applicable maximum
    assert sum((f["max"] for f in fields.values()), Decimal(0)) == self_max(camp, EXEMPT_UNIT)
    # the points lost by the exempt unit are listed item by item, and add up
    assert sum((i["lost"] for i in rows[EXEMPT_UNIT]["lost"]), Decimal(0)) == LOST[EXEMPT_UNIT]
    assert rows[EXEMPT_UNIT]["lost_total"] == LOST[EXEMPT_UNIT]


def test_custom_bands_from_the_campaign(folder: Path, merged: tuple[MergeResult, Path]) -> None:
    camp = load_campaign(folder / "campaign-bands.yaml")
    assert [b.label for b in camp.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]  # highest first
    context = ranking_of(camp, merged[1], today=TODAY)
    assert {uid: row["band"] for uid, row in rows_by_unit(context).items()} == CUSTOM_EXPECTED
    assert context["groups"][1]["bands"] == {"Xuất sắc": 0, "Tốt": 1, "Khá": 0, "Trung bình": 3, "Yếu": 0}
    # bands never change the ranks
    assert [(u["id"], u["rank"]) for u in context["groups"][0]["rows"]] == [
        (uid, rank) for uid, rank, _ in EXPECTED_RANKS["so"]
    ]
    md = folder / "bands.md"
    render_ranking(context, md)
    text = md.read_text(encoding="utf-8")
    assert "Xuất sắc từ 95%" in text
    assert "Tốt từ 85% đến dưới 95%" in text
    assert "Yếu dưới 50%" in text


def _sort_key_campaign(camp: Campaign, names: dict[str, str]) -> Campaign:
    units = tuple(dataclasses.replace(u, name=names.get(u.id, u.name)) for u in camp.departments)
    return dataclasses.replace(camp, departments=units)


def test_tie_order_follows_vietnamese_alphabet(camp: Campaign, merged: tuple[MergeResult, Path]) -> None:
    from parcli.results.consolidated import read_consolidated
    from parcli.results.scoring import compute_unit_scores

    renamed = _sort_key_campaign(camp, {"h-kim-dong": "UBND huyện Văn Lâm B", "h-tien-lu": "UBND huyện Ân Thi"})
    scores = compute_unit_scores(renamed, read_consolidated(merged[1], camp))
    order = [r.unit_id for r in rank_units(renamed, scores)["huyen"]]
    assert order.index("h-tien-lu") < order.index("h-kim-dong")  # Ân Thi before Văn Lâm B (same %, same points)


# --- 4. rendering -----------------------------------------------------------------------------------------------


def _strip(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _html_rows(html: str) -> list[list[str]]:
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        rows.append([_strip(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)])
    return rows


@pytest.fixture(scope="module")
def rendered(ranking: dict[str, Any], folder: Path) -> dict[str, Path]:
    out = folder / "rendered"
    paths = {fmt: out / f"xep-hang.{fmt}" for fmt in ("md", "html", "docx")}
    out.mkdir()
    for path in paths.values():
        render_ranking(ranking, path)
    return paths


def _rank_text(rank: int | None) -> str:
    return "–" if rank is None else str(rank)


def test_markdown_ranking(rendered: dict[str, Path]) -> None:
    text = rendered["md"].read_text(encoding="utf-8")
    assert TIE_RULE in text
    table_rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()]
    for expected in EXPECTED_RANKS.values():
        for uid, rank, band in expected:
            row = next(r for r in table_rows if len(r) == 7 and r[1].startswith(NAMES[uid]))
            assert row[0] == _rank_text(rank), uid
            assert row[5] == (band or "Chưa xếp loại"), uid
    dt = next(r for r in table_rows if len(r) == 7 and r[1].startswith("Ban Dân tộc"))
    # what a unit does not score, in words (issue: not “(miễn: 3, 7.5)”)
    assert dt == ["2", "Ban Dân tộc (không áp dụng lĩnh vực 3)", "66", "72", "91,67%", "Tốt", "Hợp lệ"]
    missing = next(r for r in table_rows if len(r) == 7 and r[1] == "Sở Y tế")
    assert missing[0] == "–" and missing[6] == "Chưa nộp"
    heat = next(r for r in table_rows if len(r) == 9 and r[0] == "Ban Dân tộc")
    assert heat[3] == "không áp dụng"
    bands = "Tốt từ 90%; Khá từ 80% đến dưới 90%; Trung bình từ 70% đến dưới 80%; Yếu dưới 70%."
    assert f"Xếp loại theo chỉ số: {bands}" in text


def test_html_ranking(rendered: dict[str, Path]) -> None:
    html = rendered["html"].read_text(encoding="utf-8")
    assert TIE_RULE in _strip(html)
    rows = _html_rows(html)
    for expected in EXPECTED_RANKS.values():
        for uid, rank, band in expected:
            row = next(r for r in rows if len(r) == 7 and r[1].startswith(NAMES[uid]))
            assert row[0] == _rank_text(rank) and row[5] == (band or "Chưa xếp loại"), uid
    heat = next(r for r in rows if len(r) == 9 and r[0] == "Ban Dân tộc")
    assert heat[3] == "không áp dụng"
    assert re.search(r'<td class="num" style="background:#EDEDED">không áp dụng</td>', html)
    # the order of the rows is the ranking order
    so_rows = [
        r[1] for r in rows if len(r) == 7 and r[1].split(" (")[0] in {NAMES[u] for u, *_ in EXPECTED_RANKS["so"]}
    ]
    assert [n.split(" (")[0] for n in so_rows] == [NAMES[u] for u, *_ in EXPECTED_RANKS["so"]]


def test_docx_ranking(rendered: dict[str, Path]) -> None:
    import docx

    doc = docx.Document(str(rendered["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert TIE_RULE in text
    rows = [[c.text.strip() for c in row.cells] for table in doc.tables for row in table.rows]
    for expected in EXPECTED_RANKS.values():
        for uid, rank, band in expected:
            row = next((r for r in rows if len(r) == 7 and r[1].split(" (")[0] == NAMES[uid]), None)
            assert row is not None, f"{uid} missing from the Word ranking"
            assert row[0] == _rank_text(rank) and row[5] == (band or "Chưa xếp loại"), uid
    dt = next(r for r in rows if len(r) == 7 and r[1] == "Ban Dân tộc (không áp dụng lĩnh vực 3)")
    assert dt[2:5] == ["66", "72", "91,67%"]
    heat = next(r for r in rows if r and r[0] == "Ban Dân tộc" and len(r) != 7)
    assert "không áp dụng" in heat
    assert "{{" not in text and "{%" not in text


def _docx_text(path: Path) -> tuple[str, list[list[str]]]:
    import docx

    doc = docx.Document(str(path))
    rows = [[c.text.strip() for c in row.cells] for table in doc.tables for row in table.rows]
    return "\n".join(p.text for p in doc.paragraphs), rows


def test_docx_ranking_states_the_bands(rendered: dict[str, Path]) -> None:
    text, _ = _docx_text(rendered["docx"])
    assert "Tốt từ 90%" in text
    assert "Số đơn vị theo xếp loại" in text


def test_docx_ranking_explains_the_exemption(rendered: dict[str, Path]) -> None:
    text, rows = _docx_text(rendered["docx"])
    dt = next(r for r in rows if len(r) == 7 and r[1].startswith("Ban Dân tộc"))
    assert "không áp dụng lĩnh vực 3" in dt[1]
    assert "Mục được miễn và mục không áp dụng không tính vào điểm và điểm tối đa" in text


@pytest.fixture(scope="module")
def sheets(ranking: dict[str, Any], folder: Path) -> dict[str, list[Path]]:
    return {fmt: write_unit_sheets(ranking, folder / f"sheets-{fmt}", fmt) for fmt in ("html", "md")}


def test_unit_sheets_name_the_rank(sheets: dict[str, list[Path]]) -> None:
    for fmt, paths in sheets.items():
        assert sorted(p.name for p in paths) == sorted(f"ket-qua-{uid}.{fmt}" for uid in LOST)
        for group, expected in EXPECTED_RANKS.items():
            for uid, rank, band in expected:
                raw = (paths[0].parent / f"ket-qua-{uid}.{fmt}").read_text(encoding="utf-8")
                text = _strip(raw) if fmt == "html" else " ".join(raw.split())
                assert NAMES[uid] in text
                assert TIE_RULE in text, (fmt, uid)
                if rank is None:
                    assert "hưa xếp hạng" in text, (fmt, uid)
                    continue
                phrase = f"{'X' if fmt == 'html' else 'x'}ếp hạng {rank}/{len(expected)} trong nhóm {GROUPS[group]}"
                assert phrase in text, (fmt, uid)
                assert f"xếp loại {band}" in text, (fmt, uid)
    dt = _strip((sheets["html"][0].parent / f"ket-qua-{EXEMPT_UNIT}.html").read_text(encoding="utf-8"))
    assert "Được miễn đánh giá: 3. Cải cách thủ tục hành chính" in dt
    assert "66/72 điểm — 91,67%" in dt


def test_cli_report_with_unit_sheets(merged: tuple[MergeResult, Path], folder: Path) -> None:
    out = folder / "cli" / "x.html"
    out.parent.mkdir()
    sheets_dir = folder / "cli" / "phieu"
    result = CliRunner().invoke(app, ["report", str(merged[1]), "-o", str(out), "--unit-sheets", str(sheets_dir)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert sorted(p.name for p in sheets_dir.iterdir()) == sorted(f"ket-qua-{uid}.html" for uid in LOST)
    tu_phap = _strip((sheets_dir / "ket-qua-so-tu-phap.html").read_text(encoding="utf-8"))
    assert f"Xếp hạng 2/5 trong nhóm {GROUPS['so']}" in tu_phap
    assert "Sở, ban, ngành tỉnh: 4/5 đơn vị được xếp hạng" in result.output


# --- 5. campaign errors -----------------------------------------------------------------------------------------


def _inline(**change: Any) -> list[tuple[str, str, str, list[str]]]:
    units = [u[:4] for u in INLINE_UNITS]
    for index, unit in change.items():
        units[int(index[1:])] = unit
    return units


BAD_CAMPAIGNS = {
    "unknown-group": (
        campaign_text(units=_inline(i1=("so-tu-phap", "Sở Tư pháp", "phuong", []))),
        ["units[2]", "so-tu-phap", "“phuong”", "không có trong groups"],
    ),
    "unknown-exempt": (
        campaign_text(units=_inline(i2=("ban-dan-toc", "Ban Dân tộc", "so", ["3", "9.9"]))),
        ["units[3]", "ban-dan-toc", "9.9", "test-unit-so", "không có mã này"],
    ),
    "duplicate-id": (
        campaign_text(units=_inline(i6=("h-van-lam", "UBND xã Văn Lâm", "xa", []))),
        ["units-huyen.csv dòng 2", "h-van-lam", "bị trùng", "units[7]"],
    ),
    "missing-column": (
        campaign_text(units_file="units-bad.csv"),
        ["units-bad.csv dòng 1", "thiếu cột group"],
    ),
    "no-groups": (
        campaign_text(groups={}),
        ["groups"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_CAMPAIGNS))
def test_campaign_errors_exit_3_and_name_the_place(case: str, tmp_path: Path) -> None:
    text, fragments = BAD_CAMPAIGNS[case]
    write_catalogues(tmp_path)
    (tmp_path / "units-bad.csv").write_text("id;name\nh-x;UBND huyện X\n", encoding="utf-8")
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, (case, message)
    result = CliRunner().invoke(app, ["generate", "-c", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output
    assert fragments[0] in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_no_groups_message_says_what_is_missing(tmp_path: Path) -> None:
    write_catalogues(tmp_path)
    path = tmp_path / "campaign.yaml"
    path.write_text(campaign_text(groups={}), encoding="utf-8")
    with pytest.raises(CampaignError) as caught:
        load_campaign(path)
    assert "each-unit-scores cần danh sách groups" in str(caught.value)


# --- 6. LibreOffice ---------------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_resaved_returns_merge_unchanged(
    camp: Campaign, returns_v1: Path, merged: tuple[MergeResult, Path], folder: Path
) -> None:
    require_soffice()
    group = [u.id for u in camp.departments if u.group == "huyen"]
    sources = [next(returns_v1.glob(f"*-{uid}.xlsx")) for uid in group]
    resaved = roundtrip_many(sources, folder / "lo")
    result = merge_returns(camp, folder / "lo")
    names = {path.name for path in resaved}
    mine = [p for p in result.problems if p.department in group or p.file in names]
    assert mine == []
    status = {d.department.id: d.status for d in result.departments}
    assert all(status[uid] == "ok" for uid in group)
    before = {t["id"]: t["score"] for t in merged[0].unit_totals()}
    after = {t["id"]: t["score"] for t in result.unit_totals()}
    assert {uid: after[uid] for uid in group} == {uid: before[uid] for uid in group}


# --- 7. the bundled example -------------------------------------------------------------------------------------


def test_bundled_units_example_loads() -> None:
    camp = load_campaign(REPO / "examples" / "hung-yen-units-2023" / "campaign.yaml")
    assert camp.is_units
    assert len(camp.departments) == 27
    groups = [u.group for u in camp.departments]
    assert groups.count("so") == 17 and groups.count("huyen") == 10
    vp = camp.department_by_id["van-phong-ubnd"]
    tt = camp.department_by_id["thanh-tra"]
    assert vp.name == "Văn phòng UBND tỉnh" and vp.exempt == ("3",)
    assert tt.name == "Thanh tra tỉnh" and tt.exempt == ("3", "7.5")
    assert not [leaf for leaf in vp.items if leaf.code == "3" or leaf.code.startswith("3.")]
    assert not [leaf for leaf in tt.items if leaf.code.startswith(("3.", "7.5.")) or leaf.code == "7.5"]
    others = [u for u in camp.departments if u.group == "so" and not u.exempt]
    assert len({u.max_points for u in others}) == 1
    full = others[0].max_points
    assert tt.max_points < vp.max_points < full
    cat = camp.catalogues["so"]
    field3 = sum((leaf.max_points for leaf in cat.leaves_under("3") if leaf.is_self), Decimal(0))
    assert vp.max_points == full - field3
    assert [u.exempt for u in camp.departments if u.group == "huyen"] == [()] * 10
    assert [b.label for b in camp.bands] == ["Tốt", "Khá", "Trung bình", "Yếu"]


def test_unit_survey_scores_complete_the_index(
    camp: Campaign, merged: tuple[MergeResult, Path], tmp_path: Path
) -> None:
    """--survey for units: a CSV unit,code,points; given units get their full index, others stay pending."""
    from parcli.results.consolidated import read_consolidated
    from parcli.results.scoring import compute_unit_scores

    ranked = [u for u in camp.departments if u.group == "so"]
    unit = ranked[0]
    survey_leaves = [leaf for leaf in unit.catalogue.leaves if not leaf.is_self and not unit.is_exempt(leaf.code)]
    assert survey_leaves, "the synthetic catalogue has a survey field"
    lines = ["ma_don_vi;ma_muc;diem"] + [
        f"{unit.id};{leaf.code};{str(leaf.max_points / 2).replace('.', ',')}" for leaf in survey_leaves
    ]
    csv_path = tmp_path / "xhh.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    without = compute_unit_scores(camp, read_consolidated(merged[1], camp))[unit.id].index
    context = ranking_of(camp, merged[1], survey=csv_path)
    row = next(r for g in context["groups"] for r in g["rows"] if r["id"] == unit.id)
    survey_points = sum((leaf.max_points / 2 for leaf in survey_leaves), Decimal(0))
    survey_max = sum((leaf.max_points for leaf in survey_leaves), Decimal(0))
    expected = ((without.appraised + survey_points) * 100 / (without.self_max + survey_max)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert row["percent"] == expected and not row["survey_pending"]
    other = next(r for g in context["groups"] for r in g["rows"] if r["id"] == ranked[1].id)
    assert other["survey_pending"]

    bad = tmp_path / "sai.csv"
    bad.write_text(f"khong-co;8.1.1;1\n{unit.id};{survey_leaves[0].code};1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(merged[1]), "-o", str(tmp_path / "x.html"), "--survey", str(bad)])
    assert result.exit_code == 3
    assert "khong-co" in result.output and "thiếu điểm" in result.output


SIGNED = """documents:
  signer: {on_behalf: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Trần Thị B"}
  report_date: 2024-01-25
"""


def _docx_in_order(path: Path) -> str:
    """A Word document's text in reading order (paragraphs and tables as they follow each other)."""
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(str(path)).element.body
    return " ".join("".join(t.text or "" for t in child.iter(qn("w:t"))) for child in body.iterchildren())


def test_ranking_is_signed_like_the_province_report(ranking: dict[str, Any], folder: Path) -> None:
    # the date line is the campaign's report date, else left for the office: never the day the command ran
    assert ranking["letterhead"]["date_line"].endswith("ngày … tháng … năm …")
    (folder / "campaign-signed.yaml").write_text(campaign_text(extra=SIGNED), encoding="utf-8")
    signed = load_campaign(folder / "campaign-signed.yaml")
    context = {**ranking, "letterhead": heading(signed, signed.documents.report_date)}
    out = folder / "signed"
    out.mkdir()
    texts = {}
    for fmt in ("md", "html", "docx"):
        path = out / f"xep-hang.{fmt}"
        render_ranking(context, path)
        texts[fmt] = _docx_in_order(path) if fmt == "docx" else _strip(path.read_text(encoding="utf-8"))
    for fmt, text in texts.items():
        assert "ngày 25 tháng 01 năm 2024" in text, fmt
        assert "như sau:" in text and "như sau." not in text, fmt
        order = [text.index(w) for w in ("./.", "Nơi nhận", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị B")]
        assert order == sorted(order), fmt
        # the software and its rounding rule are the officer's (manifest, document properties), not on a page:
        # after the signature comes only the appendix of tables (issue: no “PHỤ LỤC: NGUỒN SỐ LIỆU … parcli”)
        assert "NGUỒN SỐ LIỆU" not in text and "parcli" not in text, fmt
        assert text.index("PHỤ LỤC") > text.index("Trần Thị B"), fmt


def test_ranking_report_with_appraisals_shows_each_unit_self_round1_final(
    camp: Campaign, remerged: tuple[MergeResult, Path, int], tmp_path: Path
) -> None:
    """``report --appraisals`` in unit mode: per unit self-assessed → round 1 → final, and the counts left."""
    from parcli.results.appraisal import collect_for_consolidated
    from parcli.results.consolidated import load_consolidated

    books = remerged[1].parent / "tham-dinh"
    data = load_consolidated(remerged[1])
    context = ranking_of(camp, data, today=TODAY, appraisals=collect_for_consolidated(camp, data, books))
    progress = {d["name"]: d for d in context["appraisal"]["departments"]}
    noi_vu = progress[camp.department_by_id["so-noi-vu"].name]
    assert (noi_vu["self_score"], noi_vu["round1"], noi_vu["final"]) == (Decimal(84), Decimal("83.5"), Decimal("83.5"))
    assert noi_vu["appraised"] == 1 and noi_vu["not_appraised"] == noi_vu["items"] - 1
    assert context["appraisal"]["total"]["appraised"] == len(APPRAISALS)
    assert rows_by_unit(context)["so-noi-vu"]["final"] == Decimal("83.5")
    out = tmp_path / "xep-hang.md"
    result = CliRunner().invoke(
        app, ["report", str(remerged[1]), "-c", str(camp.path), "--appraisals", str(books), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"| {noi_vu['name']} | 84 | 83,5 | 83,5 | {noi_vu['not_appraised']} | 0 |" in text
    record = json.loads(out.with_name("xep-hang.md.manifest.json").read_text(encoding="utf-8"))
    assert sorted(Path(e["path"]).name for e in record["inputs"] if e["role"] == "appraisal") == sorted(
        p.name for p in books.glob("*.xlsx")
    )


def test_ranking_and_unit_sheets_state_how_not_applicable_items_count(
    ranking: dict[str, Any], rendered: dict[str, Path], sheets: dict[str, list[Path]]
) -> None:
    """No unit was given full points for a not-applicable item here, so the rule says such items are left out."""
    from parcli.results.scoring import na_rule
    from tests.helpers.documents import read_docx

    rule = na_rule(False)
    assert ranking["na_rule"] == rule and "không tính vào điểm và điểm tối đa" in rule
    assert "đủ điểm tối đa" in na_rule(True) and na_rule(True) != rule
    texts = [" ".join(rendered["md"].read_text(encoding="utf-8").split())]
    texts.append(_strip(rendered["html"].read_text(encoding="utf-8")))
    texts.append(" ".join(read_docx(rendered["docx"]).text.split()))
    for paths in sheets.values():
        raw = paths[0].read_text(encoding="utf-8")
        texts.append(_strip(raw) if paths[0].suffix == ".html" else " ".join(raw.split()))
    for text in texts:
        assert rule in text
