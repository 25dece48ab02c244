"""Fuzzing the appraisal reader: a damaged appraisal workbook is a problem on that file, never the end of a run.

A department's appraisal workbook is issued, typed like an appraiser would, then damaged by every mutation
of ``tests/helpers/mutate.py``.  Each mutant must be read without an exception and either read exactly as the
original or refused with an error naming the file (mutations that can look like a person's edit may change
what is read); in the folder beside the other workbooks, collecting never raises and the other workbooks'
appraisals are counted unchanged.  ``PARCLI_FUZZ`` mutants in all (a few dozen by default).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from parcli import clock
from parcli.config.campaign import Campaign
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.appraisal.merge import AppraisalCollection, collect_appraisals
from parcli.rounds.appraisal.read import AppraisalResult, read_appraisal
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.appraisal import type_into
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook
from tests.helpers.mutate import MUTATIONS, SEED, fuzz_count, judge, kind_mutants, per_kind, shared_strings, summary

PER_KIND = per_kind(fuzz_count(27))
FIGURES: Counter[str] = Counter()


@dataclass
class Books:
    """Issued appraisal workbooks, two of them typed, and what collecting them gives."""

    campaign: Campaign
    folder: Path
    returned: Any
    victim: Path
    original: bytes
    read: tuple[Any, ...]
    baseline: AppraisalCollection


def snapshot(result: AppraisalResult) -> tuple[Any, ...]:
    """What a reader made of one workbook (the values the round uses)."""
    entries = [(e.scope, e.code, e.cell, e.score, e.note, e.supplement, e.valid, e.recorded) for e in result.entries]
    return (result.usable, result.owner_id, result.round_, result.by, result.rows, entries)


def others(found: AppraisalCollection, victim: str) -> dict[Any, Any]:
    """The appraised items every file but ``victim`` gives."""
    return {k: (a.score, a.note) for k, a in found.items.items() if victim not in a.files}


@pytest.fixture(scope="module")
def books(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Books]:
    root = tmp_path_factory.mktemp("fuzz-appraisal")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(clock.ENV_VAR, str(int(FIXED_NOW.timestamp())))
        issued = generate_workbooks(campaign, root / "issued", now=FIXED_NOW)
        for w in issued.workbooks:
            fill_workbook(w.path, root / "returns" / w.path.name, expected_values(w.department))
        merged = merge_returns(campaign, root / "returns")
        folder = root / "tham-dinh"
        issue_appraisals(campaign, merged.returned_rows(), folder, now=FIXED_NOW)
        victim = next(folder.glob("*PL01-so-noi-vu.xlsx"))
        type_into(victim, {"1.1.1": (0, "Thiếu văn bản"), "1.1.2": (1, "Đạt"), "1.2.1": ("0,5", "")})
        type_into(next(folder.glob("*so-tu-phap.xlsx")), {"1.1.3": (0, "Chưa đạt")})
        returned = merged.returned_rows()
        baseline = collect_appraisals(campaign, folder, returned)
        assert not [p for p in baseline.problems if p.is_error], [p.message for p in baseline.problems]
        read = snapshot(read_appraisal(victim, campaign))
        victim.write_bytes(shared_strings(victim.read_bytes()))  # as Excel saves it
        assert snapshot(read_appraisal(victim, campaign)) == read
        yield Books(campaign, folder, returned, victim, victim.read_bytes(), read, baseline)
    print(summary("appraisal workbooks", FIGURES))


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_appraisal_mutants(kind: str, books: Books, tmp_path: Path) -> None:
    """Every mutant read alone: no exception, refused by name or read as the original; in the folder, collected
    without an exception and the other workbooks' appraisals unchanged."""
    for index, data in enumerate(kind_mutants(books.original, kind, PER_KIND, SEED)):
        target = tmp_path / books.victim.name
        target.write_bytes(data)
        result = read_appraisal(target, books.campaign)
        outcome = judge(kind, result.problems, target.name, snapshot(result), books.read)
        FIGURES[f"{kind}:{outcome}"] += 1
        if index == 0:  # the same file among the others, collected
            books.victim.write_bytes(data)
            try:
                found = collect_appraisals(books.campaign, books.folder, books.returned)
            finally:
                books.victim.write_bytes(books.original)
            assert others(found, books.victim.name) == others(books.baseline, books.victim.name)
            assert all(p.file for p in found.problems if p.file == books.victim.name)
            if outcome == "error":
                assert any(p.file == books.victim.name and p.is_error for p in found.problems), kind


COPY_TIMES = (0, 30, 3600)  # seconds between the two copies' file times: one the rule cannot split, two it can


@pytest.mark.parametrize("round_", range(fuzz_count(4)))
def test_appraisal_copies_never_drop_typed_work(books: Books, tmp_path: Path, round_: int) -> None:
    """Seeded: an appraiser types in "… - Copy.xlsx" while the original also holds typed rows (some the same,
    some not).  Whatever the version rule decides, every row typed in a copy set aside is either in the copy
    used or named by a problem on both files; nothing typed counts from a copy that was set aside."""
    import os
    import random
    import shutil

    rng = random.Random(f"{SEED}:copies:{round_}")
    codes = ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2"]
    folder = tmp_path / "tham-dinh"
    shutil.copytree(books.folder, folder)
    original = folder / books.victim.name
    copy = folder / f"{original.stem} - Copy.xlsx"
    shutil.copy(original, copy)
    typed = {name: {c: (rng.choice([0, 0.5, 1]), rng.choice(["", "Thiếu", "Đạt"])) for c in rng.sample(codes, 3)}
             for name in (original.name, copy.name)}  # fmt: skip
    for name, values in typed.items():
        type_into(folder / name, values)
    gap = rng.choice(COPY_TIMES)
    base = 1_700_000_000
    os.utime(original, (base, base))
    os.utime(copy, (base + gap, base + gap))
    found = collect_appraisals(books.campaign, folder, books.returned)
    decision = next((d for d in found.decisions if {original.name, copy.name} <= {d.used, *d.others}), None)
    assert decision is not None, found.decisions
    if decision.used is None:  # neither used: both named, nothing of them counted
        assert any(p.is_error and p.file in (original.name, copy.name) for p in found.problems)
        return
    aside = next(iter(decision.others))

    def as_read(name: str) -> dict[str, tuple[Any, Any]]:
        entries = read_appraisal(folder / name, books.campaign).entries
        return {e.code: (e.score, e.note) for e in entries if e.score is not None or e.note}

    kept = as_read(decision.used)
    lost = {c: v for c, v in as_read(aside).items() if kept.get(c) != v}
    named = [p for p in found.problems if p.slug == "appraisal-copy-set-aside"]
    if lost:
        assert named and all(aside in p.message and decision.used in p.message for p in named), found.problems
    FIGURES[f"copies:{'named' if named else 'kept'}"] += 1
