"""Not applicable, per item: ``exclude`` (the default) or ``full_points``, as the official method says."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from parcli.catalogue_table import export_table, import_table
from parcli.config.catalogue import Catalogue, parse_catalogue
from parcli.errors import CatalogueError
from parcli.results.consolidated import ConsolidatedItem
from parcli.results.scoring import score_scope

CATALOGUE = """\
schema: parcli/catalogue@1
id: thu-na
title: Bộ thử không áp dụng
year: 2024
decision: Quyết định thử
total_points: 10
self_points: 10
survey_points: 0
source: thử
verified: false
fields:
  - code: "1"
    title: Lĩnh vực một
    max_points: 10
    source: thử
    verified: false
    criteria:
      - code: "1.1"
        title: Tiêu chí một
        max_points: 10
        source: thử
        verified: false
        components:
          - {code: "1.1.1", title: Mục A, max_points: 4, scored_by: self, rule: {kind: scale, step: 0.5},
             source: thử, verified: false}
          - {code: "1.1.2", title: Mục B, max_points: 3, scored_by: self, rule: {kind: scale, step: 0.5},
             not_applicable: true, source: thử, verified: false}
          - {code: "1.1.3", title: Mục C, max_points: 2, scored_by: self, rule: {kind: scale, step: 0.5},
             not_applicable: {allowed: true, scoring: full_points}, source: thử, verified: false}
          - {code: "1.1.4", title: Mục D, max_points: 1, scored_by: self, rule: {kind: scale, step: 0.5},
             not_applicable: {scoring: exclude}, source: thử, verified: false}
"""


def _catalogue() -> Catalogue:
    return parse_catalogue(CATALOGUE)


def _row(code: str, score: str | None, na: bool = False) -> ConsolidatedItem:
    return ConsolidatedItem(
        code=code,
        max_points=None,
        scored_by="self",
        score=None if score is None else Decimal(score),
        not_applicable=na,
        appraised=None,
        appraisal_note="",
        explanation="",
        evidence="",
        status="Không áp dụng" if na else "Đã nhận",
        file="a.xlsx",
    )


def _scope(cat: Catalogue) -> Any:
    owner = SimpleNamespace(id="so-a")
    return SimpleNamespace(catalogue=cat, is_exempt=lambda code: False, owner_of=dict.fromkeys(cat.leaf_by_code, owner))


def test_short_and_long_forms() -> None:
    leaves = _catalogue().leaf_by_code
    assert (leaves["1.1.1"].not_applicable, leaves["1.1.1"].not_applicable_scoring) == (False, "exclude")
    assert (leaves["1.1.2"].not_applicable, leaves["1.1.2"].not_applicable_scoring) == (True, "exclude")
    assert (leaves["1.1.3"].not_applicable, leaves["1.1.3"].not_applicable_scoring) == (True, "full_points")
    assert (leaves["1.1.4"].not_applicable, leaves["1.1.4"].not_applicable_scoring) == (True, "exclude")


def test_unknown_scoring_is_refused() -> None:
    with pytest.raises(CatalogueError):
        parse_catalogue(CATALOGUE.replace("scoring: full_points", "scoring: half"))


def test_scores_follow_each_items_rule() -> None:
    """A scored 3 of 4; B (exclude) and C (full points) marked N/A; D scored 0,5 of 1.

    By hand: final = 3 + 2 (C, full) + 0,5 = 5,5; applicable max = 4 + 2 + 1 = 7 (B's 3 left out);
    5,5 / 7 = 78,571…% → 78,57%.  Points lost: (4 − 3) + (1 − 0,5) = 1,5; C loses nothing.
    """
    cat = _catalogue()
    rows = {
        "1.1.1": _row("1.1.1", "3"),
        "1.1.2": _row("1.1.2", None, na=True),
        "1.1.3": _row("1.1.3", None, na=True),
        "1.1.4": _row("1.1.4", "0.5"),
    }
    scores = score_scope(_scope(cat), rows, None, ["so-a"])
    assert scores.index.final == Decimal("5.5")
    assert scores.index.applicable_max == Decimal(7)
    assert scores.index.percent == Decimal("78.57")
    assert scores.index.lost == Decimal("1.5")
    assert scores.index.unscored == 0
    assert scores.index.self_score == Decimal("5.5")
    assert scores.items["1.1.2"].na_rule == "exclude"
    assert scores.items["1.1.2"].final is None
    assert scores.items["1.1.3"].na_rule == "full_points"
    assert scores.items["1.1.3"].final == Decimal(2)
    assert scores.items["1.1.1"].na_rule is None
    assert [i.leaf.code for i in scores.lost_items()] == ["1.1.1", "1.1.4"]


def test_exempt_branch_is_always_left_out() -> None:
    """An exempt item is outside the unit's index, whatever its not-applicable rule: 3 / 4 + 1 → 3,5 / 5."""
    cat = _catalogue()
    scope = _scope(cat)
    scope.is_exempt = lambda code: code in ("1.1.2", "1.1.3")
    rows = {"1.1.1": _row("1.1.1", "3"), "1.1.4": _row("1.1.4", "0.5")}
    scores = score_scope(scope, rows, None, ["so-a"])
    assert scores.items["1.1.3"].na_rule == "exclude"
    assert (scores.index.final, scores.index.applicable_max) == (Decimal("3.5"), Decimal(5))


def test_table_round_trip_keeps_the_rule(tmp_path: Path) -> None:
    cat = _catalogue()
    table = tmp_path / "bang.xlsx"
    export_table(cat, table)
    text, problems = import_table(table)
    assert [p for p in problems if p.severity == "error"] == []
    leaves = parse_catalogue(text).leaf_by_code
    assert leaves["1.1.3"].not_applicable_scoring == "full_points"
    assert leaves["1.1.2"].not_applicable_scoring == "exclude"
    assert "not_applicable: {allowed: true, scoring: full_points}" in text


def test_appraisal_workbook_says_how_a_not_applicable_item_counts(tmp_path: Path) -> None:
    """The appraiser sees "Không áp dụng" for an item left out, and "(tính đủ điểm)" when it gets its full points.

    The bundled campaign, with 2.3.2 switched to full points; its owner returns 2.3.2 and 3.5.1 as not applicable.
    """
    from openpyxl import load_workbook

    from parcli.config.campaign import load_campaign
    from parcli.rounds.appraisal import layout
    from parcli.rounds.appraisal.issue import issue_appraisals
    from parcli.rounds.scoring.issue import generate_workbooks
    from parcli.rounds.scoring.merge import merge_returns
    from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook

    repo = Path(__file__).resolve().parents[1]
    (tmp_path / "criteria").mkdir()
    text = (repo / "criteria" / "par-province-2023.yaml").read_text(encoding="utf-8")
    start = text.index('code: "2.3.2"')
    at = text.index("not_applicable: true", start)
    rule = "not_applicable: {allowed: true, scoring: full_points}"
    text = text[:at] + rule + text[at + len("not_applicable: true") :]
    (tmp_path / "criteria" / "par-province-2023.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "examples" / "hung-yen-2023").mkdir(parents=True)
    source = repo / "examples" / "hung-yen-2023" / "campaign.yaml"
    (tmp_path / "examples" / "hung-yen-2023" / "campaign.yaml").write_bytes(source.read_bytes())
    camp = load_campaign(tmp_path / "examples" / "hung-yen-2023" / "campaign.yaml")
    assert camp.catalogue.leaf_by_code["2.3.2"].not_applicable_scoring == "full_points"
    returns = tmp_path / "returns"
    for issued in generate_workbooks(camp, tmp_path / "issued", now=FIXED_NOW).workbooks:
        values = expected_values(issued.department)
        for code in ("2.3.2", "3.5.1"):
            if code in values:
                values[code]["score"] = "Không áp dụng"
        fill_workbook(issued.path, returns / issued.path.name, values)
    books = tmp_path / "tham-dinh"
    issue_appraisals(camp, merge_returns(camp, returns).returned_rows(), books)
    shown: dict[str, object] = {}
    for book in books.glob("*.xlsx"):
        ws = load_workbook(book)[layout.SHEET_APPRAISAL]
        header = [c.value for c in ws[layout.HEADER_ROW]]
        code_col, self_col = header.index(layout.HEADER_CODE), header.index(layout.HEADER_SELF)
        for row in ws.iter_rows(min_row=layout.HEADER_ROW + 1, values_only=True):
            if row[code_col] in ("2.3.2", "3.5.1"):
                shown[str(row[code_col])] = row[self_col]
    assert shown == {"2.3.2": "Không áp dụng (tính đủ điểm)", "3.5.1": "Không áp dụng"}
