"""Fuzzing the remedy-plan reader: a damaged plan is a problem on that file, never the end of a run.

Remedy plans are issued from a merged preliminary round, filled like a department (``fill_plan``), saved
with a shared-string table as Excel does, then damaged by every mutation of ``tests/helpers/mutate.py``.  Each mutant
is read without an exception and either read as the original or refused with an error naming the file; in
the folder beside the other plans, collecting never raises and the other departments' rows are unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parcli import clock
from parcli.config.campaign import Campaign, Department
from parcli.results.consolidated import read_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remedy import lost_items
from parcli.rounds.remedy.issue import issue_remedies
from parcli.rounds.remedy.merge import RemedyCollection, collect_remedies
from parcli.rounds.remedy.read import RemedyResult, read_remedy
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook
from tests.helpers.mutate import MUTATIONS, SEED, fuzz_count, judge, kind_mutants, per_kind, shared_strings, summary
from tests.helpers.remedy import PRELIM, fill_plan

PER_KIND = per_kind(fuzz_count(27))
FIGURES: Counter[str] = Counter()
TODAY = date(2023, 11, 1)


@dataclass
class Plans:
    """Filled remedy plans in one folder, one of them the victim, and what collecting them gives."""

    campaign: Campaign
    folder: Path
    expected: list[Department]
    victim: Path
    original: bytes
    read: tuple[Any, ...]
    baseline: RemedyCollection


def snapshot(result: RemedyResult) -> tuple[Any, ...]:
    """What a reader made of one plan (the values the round uses)."""
    return (result.usable, result.owner_id, result.round_id, [astuple(e) for e in result.entries])


def others(found: RemedyCollection, victim: str) -> list[Any]:
    """The tracked rows every plan but ``victim`` gives."""
    return [(i.department.id, astuple(i.entry), i.overdue) for i in found.items if i.file != victim]


@pytest.fixture(scope="module")
def plans(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plans]:
    root = tmp_path_factory.mktemp("fuzz-remedy")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(clock.ENV_VAR, str(int(FIXED_NOW.timestamp())))
        pre = campaign.at_round(PRELIM)
        for w in generate_workbooks(pre, root / "issued", now=FIXED_NOW).workbooks:
            fill_workbook(w.path, root / "returns" / w.path.name, expected_values(w.department))
        write_consolidated(merge_returns(pre, root / "returns"), root / "tong-hop.xlsx", now=FIXED_NOW)
        lost = lost_items(pre, read_consolidated(root / "tong-hop.xlsx", pre))
        issued = issue_remedies(pre, lost, root / "khac-phuc", now=FIXED_NOW)
        folder = root / "nhan"
        for w in issued.workbooks:
            fill_plan(w.path, folder / w.path.name)
            (folder / w.path.name).write_bytes(shared_strings((folder / w.path.name).read_bytes()))
        expected = [w.owner for w in issued.workbooks]
        victim = folder / issued.workbooks[0].path.name
        baseline = collect_remedies(pre, folder, TODAY, expected)
        assert baseline.problems == [], [p.message for p in baseline.problems]
        read = snapshot(read_remedy(victim, pre))
        yield Plans(pre, folder, expected, victim, victim.read_bytes(), read, baseline)
    print(summary("remedy plans", FIGURES))


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_remedy_mutants(kind: str, plans: Plans, tmp_path: Path) -> None:
    """Every mutant read alone: no exception, refused by name or read as the original; in the folder, collected
    without an exception and the other plans' rows unchanged."""
    for index, data in enumerate(kind_mutants(plans.original, kind, PER_KIND, SEED)):
        target = tmp_path / plans.victim.name
        target.write_bytes(data)
        result = read_remedy(target, plans.campaign)
        outcome = judge(kind, result.problems, target.name, snapshot(result), plans.read)
        FIGURES[f"{kind}:{outcome}"] += 1
        if index == 0:  # the same file among the others, collected
            plans.victim.write_bytes(data)
            try:
                found = collect_remedies(plans.campaign, plans.folder, TODAY, plans.expected)
            finally:
                plans.victim.write_bytes(plans.original)
            assert others(found, plans.victim.name) == others(plans.baseline, plans.victim.name)
            if outcome == "error":
                assert any(p.file == plans.victim.name and p.is_error for p in found.problems), kind


def test_a_plan_cut_short_anywhere_is_never_read_as_fewer_rows(plans: Plans, tmp_path: Path) -> None:
    """Regression (seeds 5, 77, 101 of the long run): the plan's sheet XML cut short read as a plan with no rows
    and no problem — typed measures lost in silence.  Cut at forty places across it: refused or read whole."""
    from tests.helpers.mutate import members_of, zip_of

    members = members_of(plans.original)
    index = next(i for i, (name, _) in enumerate(members) if name.startswith("xl/worksheets/sheet"))
    name, body = members[index]
    for cut in range(0, len(body), max(1, len(body) // 40)):
        damaged = list(members)
        damaged[index] = (name, body[:cut])
        target = tmp_path / plans.victim.name
        target.write_bytes(zip_of(damaged))
        result = read_remedy(target, plans.campaign)
        judge("truncate-xml", result.problems, target.name, snapshot(result), plans.read)
