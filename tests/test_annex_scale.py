"""Catalogue import of a large annex takes time in proportion to its rows (CPU time, not the wall clock).

Before: 1,025 / 2,009 / 5,002 rows took 1.5 / 3.5 / 14.2 s of CPU (the review table's ``ws.max_row`` scanned
every cell once per row); the time per row doubled from 1,000 to 5,000 rows.  Now it stays flat: the bound
below (time per row at 4,000 rows at most 1.4 times that at 500) fails for the old code and holds with room
for a noisy machine.  ``benchmarks/bench_annex.py`` prints the figures.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from parcli.catalogue_table.annex import import_annex
from tests.helpers.annexes import big_tree, numbered, write_docx


def _cpu_per_row(folder: Path, rows: int) -> float:
    tree = big_tree(rows)
    annex = write_docx(folder / f"phu-luc-{rows}.docx", numbered(tree, "dotted"), notes=True)
    best = float("inf")
    for attempt in range(2):
        start = time.process_time()
        text, problems = import_annex(annex, folder / f"xem-lai-{rows}-{attempt}.xlsx")
        best = min(best, time.process_time() - start)
        assert problems == [] and text is not None
    return best / len(tree)


@pytest.mark.slow
def test_import_time_is_linear_in_the_rows(tmp_path: Path) -> None:
    small, large = _cpu_per_row(tmp_path, 500), _cpu_per_row(tmp_path, 4000)
    assert large <= 1.4 * small, f"{1000 * small:.2f} ms/row at 500 rows, {1000 * large:.2f} ms/row at 4,000"
