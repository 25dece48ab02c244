"""``parcli check``: read returns one by one, as a department checks its own before sending it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.errors import InputNotFoundError
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.problems import Problem
    from parcli.rounds.scoring.read import ReturnResult


@dataclass(frozen=True)
class CheckRequest:
    """The files (workbooks or packages) to check, against the campaign at its round."""

    files: tuple[Path, ...]
    campaign: Path | None = None
    round: str | None = None
    json_out: Path | None = None


@dataclass
class Checked(JobResult):
    """Every file as read, and all their problems in file order."""

    campaign: Campaign | None = None
    results: list[ReturnResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def check(request: CheckRequest, listener: Listener = SILENT) -> Checked:
    """Read every file of the request; ``ok`` when none has an error (warnings allowed)."""
    from parcli.rounds.scoring.evidence import evidence_json
    from parcli.rounds.scoring.read import read_return

    camp = load.campaign(request.campaign, request.round, listener)
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), *request.files], files=[request.json_out])
    results = []
    for path in request.files:
        if not path.is_file() and not path.is_dir():  # a folder is a package: the workbook and its files
            raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
        results.append(read_return(path, camp))
    problems = [p for r in results for p in r.problems]
    document = {
        "campaign": camp.id,
        "files": [
            {
                "file": r.file,
                "department": r.department_id,
                "errors": r.errors,
                "warnings": r.warnings,
                **evidence_json(r),
            }
            for r in results
        ],
        "problems": [p.to_dict() for p in problems],
    }
    return Checked(
        ok=not any(p.is_error for p in problems),
        warnings=warnings,
        document=document,
        campaign=camp,
        results=results,
        problems=problems,
    )
