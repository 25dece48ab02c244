"""Generate → fill → merge with zero problems: the most valuable single test."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from parcli.config.campaign import Campaign
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import expected_values


def test_full_round_trip_has_no_problems(campaign: Campaign, full_returns: Path) -> None:
    result = merge_returns(campaign, full_returns)
    assert [p.to_dict() for p in result.problems] == []
    assert all(d.status == "ok" for d in result.departments)
    expected = Decimal(0)
    for dept in campaign.departments:
        for values in expected_values(dept).values():
            expected += Decimal(str(values["score"]))
    assert result.totals()["score"] == expected
