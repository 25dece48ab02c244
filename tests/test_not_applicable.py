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
