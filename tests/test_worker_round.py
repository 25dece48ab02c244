"""Every form kind read in worker processes reads with the campaign at the round being collected.

The collection engine reads a large folder on both cores (:func:`parcli.collect.folder.read_all`): each
worker rebuilds the form kind from ``kind.worker()``, a top-level function and a string.  That rebuild
must carry the campaign's round — a campaign reloaded at its default (last) round would read the files of
the preliminary round against the year-end one, so that results read in parallel differed from those read
in-process.  The round is made visible to the comparison by a probe around each kind's reader, which
records in every result's metadata the round and deadline of the campaign the reader was given.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import parcli.collect.folder as folder_module
import parcli.parallel as parallel_module
import parcli.rounds.appraisal.merge as appraisal_merge
import parcli.rounds.lists.merge as lists_merge
import parcli.rounds.remedy.merge as remedy_merge
import parcli.rounds.scoring.merge as scoring_merge
from parcli.collect.folder import read_all
from parcli.config.campaign import Campaign, default_campaign_path, load_campaign
from parcli.config.lists_plan import load_lists_plan
from parcli.rounds.scoring.issue import generate_workbooks

PRELIMINARY = "so-bo-9-thang"  # the example campaign's first round; its default is the last one
PROBE = "probe: the reader's round"
PROCESS = "probe: the reader's process"

# kind name -> (the module whose reader the kind calls, the reader's name there, the kind built in-process)
KINDS: dict[str, tuple[Any, str, Callable[[Campaign], Any]]] = {
    "scoring": (scoring_merge, "read_return", scoring_merge.ScoringForms),
    "appraisal": (appraisal_merge, "read_appraisal", appraisal_merge.AppraisalForms),
    "lists": (lists_merge, "read_list", lambda c: lists_merge.ListForms(load_lists_plan(c))),
    "remedy": (remedy_merge, "read_remedy", lambda c: remedy_merge.RemedyForms(c, c.departments)),
}


@pytest.fixture(scope="module")
def preliminary() -> Campaign:
    """The example campaign at its preliminary round (not its default)."""
    campaign = load_campaign(default_campaign_path(), PRELIMINARY)
    assert campaign.round_id == PRELIMINARY != load_campaign(default_campaign_path()).round_id
    return campaign


@pytest.fixture(scope="module")
def forms(preliminary: Campaign, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The preliminary round's issued scoring workbooks: real forms, of this kind or foreign to the others."""
    out = tmp_path_factory.mktemp("issued")
    return [w.path for w in generate_workbooks(preliminary, out).workbooks]


def _probed(read: Callable[[Path, Any], Any]) -> Callable[[Path, Any], Any]:
    """``read`` that also records, in its result's metadata, the round the reader was given."""

    def probe(path: Path, given: Any, *more: Any) -> Any:  # more: a list's password
        result = read(path, given, *more)
        campaign = getattr(given, "campaign", given)  # a lists plan carries its campaign
        result.metadata[PROBE] = f"{campaign.round_id} {campaign.model.deadlines.returns.isoformat()}"
        result.metadata[PROCESS] = str(os.getpid())
        return result

    return probe


def _seen(results: list[Any]) -> list[tuple[str, dict[str, str], list[dict[str, Any]]]]:
    """What a result says, but the process that read it."""
    return [
        (r.file, {k: v for k, v in r.metadata.items() if k != PROCESS}, [p.to_dict() for p in r.problems])
        for r in results
    ]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_rebuilt_kind_has_the_round(name: str, preliminary: Campaign) -> None:
    _, _, make = KINDS[name]
    kind = make(preliminary)
    build, argument = kind.worker()
    rebuilt = build(argument)
    campaign = getattr(rebuilt, "campaign", None) or rebuilt.plan.campaign
    assert campaign.round_id == PRELIMINARY
    assert campaign.model.deadlines == preliminary.model.deadlines


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the probe reaches the workers by fork")
@pytest.mark.parametrize("name", sorted(KINDS))
def test_read_in_workers_as_in_process(
    name: str, preliminary: Campaign, forms: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, reader, make = KINDS[name]
    monkeypatch.setattr(module, reader, _probed(getattr(module, reader)))
    monkeypatch.setattr(parallel_module, "start_method", lambda: "fork")  # the workers inherit the probe
    monkeypatch.setattr(folder_module, "PARALLEL_MIN_FILES", 2)  # the parallel path, on few files
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    kind = make(preliminary)
    in_process = [kind.read(path) for path in forms]
    in_workers = list(read_all(kind.read, forms, kind.worker()))
    wanted = f"{PRELIMINARY} {preliminary.model.deadlines.returns.isoformat()}"
    assert {r.metadata[PROBE] for r in in_process} == {wanted}
    assert str(os.getpid()) not in {r.metadata[PROCESS] for r in in_workers}  # read in worker processes
    assert _seen(in_workers) == _seen(in_process)
