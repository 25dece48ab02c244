"""Scores add every item once and sum the sums: the same totals, to the last digit, as adding item by item."""

from __future__ import annotations

import random
from dataclasses import astuple, replace
from decimal import Decimal
from pathlib import Path

import pytest

from parcli.config.campaign import Campaign, load_campaign
from parcli.config.synthetic import write_campaign
from parcli.results import scoring
from parcli.results.consolidated import ConsolidatedItem

# zeros and whole numbers written with different exponents: a sum keeps the smallest exponent it met
VALUES = ["0", "0.0", "0.00", "0.5", "0.25", "1", "1.0", "1.50", "2", "0.125", "0.3333"]


def _row(code: str, rng: random.Random) -> ConsolidatedItem:
    na = rng.random() < 0.1
    score = None if na or rng.random() < 0.1 else Decimal(rng.choice(VALUES))
    appraised = Decimal(rng.choice(VALUES)) if rng.random() < 0.3 else None
    return ConsolidatedItem(
        code=code,
        max_points=None,
        scored_by="self",
        score=score,
        not_applicable=na,
        appraised=appraised,
        appraisal_note="",
        explanation="",
        evidence="",
        status="",
        file="",
    )


def _totals(scores: scoring.Scores) -> list[tuple[object, ...]]:
    """Every total as text (``str`` shows a Decimal's exponent, which ``==`` does not compare)."""
    nodes = [("index", scores.index)]
    nodes += [(n.code, n.totals) for n in scores.fields + scores.criteria]
    nodes += [(d, s.totals) for d, s in scores.departments.items()]
    out: list[tuple[object, ...]] = [(code, *map(str, astuple(t))) for code, t in nodes]
    out.append(tuple(s.items for s in scores.departments.values()))
    return out


def _compare(campaign: Campaign, seed: int) -> None:
    rng = random.Random(seed)
    for scope in campaign.scopes:
        rows = {leaf.code: _row(leaf.code, rng) for leaf in scope.catalogue.leaves if rng.random() < 0.9}
        survey = {
            leaf.code: Decimal(rng.choice(VALUES))
            for leaf in scope.catalogue.leaves
            if not leaf.is_self and rng.random() < 0.7
        }
        departments = sorted({d.id for d in scope.owner_of.values()})
        items = scoring._item_scores(scope, rows, survey)
        by_item = scoring._add_up_item_by_item(scope.catalogue, items, departments)
        fast = scoring.score_scope(scope, rows, survey, departments)
        assert _totals(fast) == _totals(by_item)
        assert list(fast.items) == [leaf.code for leaf in scope.catalogue.leaves]


@pytest.mark.parametrize("seed", range(5))
def test_province_sums_match_item_by_item(campaign: Campaign, seed: int) -> None:
    """Split campaign: a criterion's items may belong to several departments, survey items to none."""
    _compare(campaign, seed)


@pytest.mark.parametrize("seed", range(3))
def test_unit_sums_match_item_by_item(tmp_path: Path, seed: int) -> None:
    """each-unit-scores: exempt branches, survey items, one department (the unit) per scope."""
    campaign = load_campaign(write_campaign(tmp_path, 12, groups=2, exempt_every=3))
    _compare(campaign, seed)


def test_a_sum_that_rounds_is_made_item_by_item(campaign: Campaign, monkeypatch: pytest.MonkeyPatch) -> None:
    """A score with more digits than the context holds rounds: the totals are then added item by item."""
    (scope,) = campaign.scopes
    leaves = [leaf for leaf in scope.catalogue.leaves if leaf.is_self]
    rng = random.Random(1)
    rows = {leaf.code: _row(leaf.code, rng) for leaf in leaves}
    for leaf, score in ((leaves[0], "1E-40"), (leaves[1], "0.5")):  # 0.5000…0001: 40 digits
        rows[leaf.code] = replace(rows[leaf.code], score=Decimal(score), not_applicable=False)
    called: list[bool] = []
    original = scoring._add_up_item_by_item

    def spy(*args: object) -> scoring.Scores:
        called.append(True)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scoring, "_add_up_item_by_item", spy)
    departments = [d.id for d in campaign.departments]
    scores = scoring.score_scope(scope, rows, None, departments)
    assert called == [True]
    assert (
        scores.index.self_score
        == original(scope.catalogue, scoring._item_scores(scope, rows, None), departments).index.self_score
    )


def test_survey_points_keep_their_order(campaign: Campaign) -> None:
    """A zero survey score after another: 1 + 0,000 + 2 is 3.000 item by item, in the field and the index."""
    (scope,) = campaign.scopes
    survey = {"8.1.1": Decimal("1"), "8.2.1": Decimal("0.000"), "8.2.2": Decimal("2")}
    departments = [d.id for d in campaign.departments]
    scores = scoring.score_scope(scope, {}, survey, departments)
    by_item = scoring._add_up_item_by_item(scope.catalogue, scoring._item_scores(scope, {}, survey), departments)
    assert _totals(scores) == _totals(by_item)
    assert str(next(n for n in scores.fields if n.code == "8").totals.survey_score) == "3.000"
