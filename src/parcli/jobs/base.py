"""What every job shares: the listener it talks to while it runs, and the shape of its result."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.errors import ExitCode
from parcli.problems import Problem

if TYPE_CHECKING:
    from parcli.rounds.appraisal.merge import AppraisalCollection


class Tracker:
    """Progress over a known or unknown number of steps (the base class does nothing)."""

    def total(self, count: int) -> None:
        """The number of steps, once known."""

    def advance(self) -> None:
        """One step done."""


class Listener:
    """What a job says while it runs; the base class is silent (tests, library callers).

    The command line subclasses it to print notes and warnings on stderr as they
    come and to show a progress bar, so that messages keep the order in which the
    job meets them.
    """

    def note(self, text: str, lead: str = "") -> None:
        """A sentence for the officer (the campaign used, a decision taken); ``lead`` is a highlighted opening."""

    def warn(self, text: str) -> None:
        """A warning: the job goes on, but the officer should look."""

    @contextmanager
    def track(self, label: str, total: int | None = None) -> Iterator[Tracker]:
        """Progress of a long step named ``label`` (``total`` steps when known)."""
        yield Tracker()


SILENT = Listener()


@dataclass
class JobResult:
    """The common part of every job's result.

    ``ok`` is False when the data has problems (exit 1; outputs are still written);
    ``outputs`` lists what was written; ``document`` is the JSON a ``--json`` option
    asks for (None when the command has none).
    """

    ok: bool = True
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # outputs held open by a spreadsheet program…
    document: dict[str, Any] | None = None

    @property
    def exit_code(self) -> ExitCode:
        """0 when all is well, 1 when the data has problems."""
        return ExitCode.OK if self.ok else ExitCode.DATA_PROBLEMS


def appraisal_json(found: AppraisalCollection | None) -> dict[str, Any]:
    """``{"appraisal_problems": [...]}`` when appraisal workbooks were read, else nothing (for ``--json``)."""
    return {} if found is None else {"appraisal_problems": [p.to_dict() for p in found.problems]}


def counts(problems: list[Problem]) -> tuple[int, int]:
    """(errors, warnings) among ``problems``."""
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors
