"""Exceptions for "cannot proceed" situations and the exit codes of the CLI.

Bad data in returned workbooks is never raised: it is reported as
:class:`parcli.problems.Problem` values.  Exceptions are reserved for the
situations where a command cannot do its job at all (an unreadable campaign,
a missing folder, an output that cannot be written).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of every ``parcli`` command (documented in the README)."""

    OK = 0
    DATA_PROBLEMS = 1
    USAGE = 2
    CANNOT_PROCEED = 3


class ParcliError(Exception):
    """Base class: the command cannot proceed; the message is Vietnamese and user-facing."""

    exit_code: ExitCode = ExitCode.CANNOT_PROCEED


class CatalogueError(ParcliError):
    """The criteria catalogue cannot be read or does not pass its checks."""

    def __init__(self, source: str, messages: list[str]) -> None:
        self.source = source
        self.messages = messages
        body = "\n".join(f"  - {m}" for m in messages)
        super().__init__(f"Bộ tiêu chí {source} không hợp lệ:\n{body}")


class CampaignError(ParcliError):
    """The campaign plan cannot be read or does not pass its checks."""

    def __init__(self, source: str, messages: list[str]) -> None:
        self.source = source
        self.messages = messages
        body = "\n".join(f"  - {m}" for m in messages)
        super().__init__(f"Kế hoạch đánh giá {source} không hợp lệ:\n{body}")


class InputNotFoundError(ParcliError):
    """A file or folder named on the command line does not exist."""


class OutputError(ParcliError):
    """An output file or folder cannot be written."""


class ConsolidatedError(ParcliError):
    """An existing consolidated workbook cannot be used (wrong campaign, unreadable)."""


class UsageError(ParcliError):
    """The command was called in a way that cannot work (wrong format, mismatched inputs)."""

    exit_code = ExitCode.USAGE


class PlaceholderError(ParcliError):
    """A real campaign still holds a sample value where a document would show it."""
