"""Issue one protected, validated scoring workbook per department, atomically, file by file.

What a workbook contains is :mod:`parcli.rounds.scoring.sheets`.  Workbooks are written with
xlsxwriter (several times faster than openpyxl for this write-only job); returns are read back
(:mod:`parcli.rounds.scoring.read`).  More than :data:`PARALLEL_MIN` workbooks are spread over
two worker processes (:mod:`parcli.parallel`), each loading the campaign once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from parcli import clock
from parcli.config.campaign import Campaign, Department, campaign_ref, load_ref
from parcli.files import staged_folder
from parcli.parallel import WorkerUnavailable, run_in_workers
from parcli.rounds.scoring.sheets import build_return_workbook
from parcli.xlsx.write import write_xlsxwriter

__all__ = ["GenerateResult", "GeneratedWorkbook", "generate_workbooks", "write_return_workbook"]

PARALLEL_MIN = 20  # more workbooks than this are written by worker processes
PARALLEL_WORKERS = 2


@dataclass(frozen=True)
class GeneratedWorkbook:
    """One issued workbook."""

    department: Department
    path: Path
    items: int
    max_points: Decimal


@dataclass
class GenerateResult:
    """What ``generate_workbooks`` produced."""

    out_dir: Path
    workbooks: list[GeneratedWorkbook] = field(default_factory=list)
    unverified_nodes: int = 0
    total_nodes: int = 0

    @property
    def max_points(self) -> Decimal:
        """Sum of the maximum points over all issued workbooks."""
        return sum((w.max_points for w in self.workbooks), Decimal(0))


def generate_workbooks(
    campaign: Campaign,
    out_dir: Path,
    *,
    now: datetime | None = None,
    departments: list[str] | None = None,
    on_progress: Callable[[Department], None] | None = None,
) -> GenerateResult:
    """Write one scoring workbook per department into ``out_dir``, all or none.

    The workbooks are written into a staging folder and moved into ``out_dir`` once
    every one is written (:func:`parcli.files.staged_folder`), so a failure halfway
    leaves no partial set.  The result lists the workbooks in department order;
    ``on_progress`` is called in this process as each workbook is done.
    """
    stamp = (now or clock.now()).replace(microsecond=0)
    unverified, total = campaign.verification()
    result = GenerateResult(out_dir=out_dir, unverified_nodes=unverified, total_nodes=total)
    selected = [d for d in campaign.departments if not departments or d.id in departments]
    with staged_folder(out_dir) as stage:
        for dept in _write_all(campaign, selected, stamp, stage):
            result.workbooks.append(
                GeneratedWorkbook(
                    department=dept, path=_target(out_dir, dept), items=len(dept.items), max_points=dept.max_points
                )
            )
            if on_progress is not None:
                on_progress(dept)
    return result


def _target(out_dir: Path, dept: Department) -> Path:
    return out_dir / f"{dept.file_stem}.xlsx"


def write_return_workbook(campaign: Campaign, dept: Department, generated_at: datetime, target: Path) -> None:
    """Write the scoring workbook of one department to ``target`` (atomically)."""
    write_xlsxwriter(target, lambda wb: build_return_workbook(wb, campaign, dept, generated_at))


# --- many workbooks: worker processes ------------------------------------------------------------


def _write_all(campaign: Campaign, selected: list[Department], stamp: datetime, out_dir: Path) -> Iterator[Department]:
    """Write the workbooks of ``selected``; yield each department, in order, once its file is written.

    Workers load the campaign from its file once (initializer) and receive only department ids.  When
    that file no longer gives the same campaign, or the pool cannot start or breaks, the departments not
    yet yielded are written in this process.
    """
    workers = min(PARALLEL_WORKERS, os.cpu_count() or 1)
    done = 0
    if len(selected) > PARALLEL_MIN and workers > 1 and campaign.path.is_file():
        written = run_in_workers(
            _work,
            [(d.id, stamp, str(out_dir)) for d in selected],
            workers=workers,
            initializer=_init_worker,
            initargs=(campaign_ref(campaign), campaign.content_hash),
            preload=[__name__],  # a forkserver's workers start with this writer imported
        )
        for dept, dept_id in zip(selected, written, strict=False):
            assert dept_id == dept.id
            done += 1
            yield dept
    for dept in selected[done:]:  # all of them, or those left when the workers could not be used
        write_return_workbook(campaign, dept, stamp, _target(out_dir, dept))
        yield dept


_worker_campaign: Campaign | None = None


def _init_worker(campaign_path: str, content_hash: str) -> None:
    """Load the campaign once per worker; keep it only if it is the one being generated."""
    global _worker_campaign
    try:
        loaded = load_ref(campaign_path)
    except Exception:  # the parent goes on without workers (see _write_all)
        loaded = None
    _worker_campaign = loaded if loaded is not None and loaded.content_hash == content_hash else None


def _work(dept_id: str, stamp: datetime, out_dir: str) -> str:
    camp = _worker_campaign
    if camp is None or dept_id not in camp.department_by_id:
        raise WorkerUnavailable(dept_id)  # the campaign file changed: the parent writes the rest
    dept = camp.department_by_id[dept_id]
    write_return_workbook(camp, dept, stamp, _target(Path(out_dir), dept))
    return dept_id
