"""The version rule, the owner outcome and the status labels, once for every form kind."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from parcli.collect.form import FormResult
from parcli.problems import Problem

Status = Literal["ok", "invalid", "missing", "duplicate"]
MTIME_MARGIN_SECONDS = 60
R = TypeVar("R", bound=FormResult)
OwnerT = TypeVar("OwnerT")


def choose_version(
    rets: Sequence[R], pick: set[str], *, document: str = "phiếu", owner_noun: str = "cơ quan"
) -> tuple[R | None, str]:
    """Apply the version rule to several files of one owner; return the one that counts (or None) and why.

    1. A file named with ``--pick`` wins (``pick``: the names NFC and casefolded, as Windows compares them).
    2. Identical files (same SHA-256) are one return.
    3. Otherwise the newest by the date written on the cover sheet (*Ngày gửi*), when
       every file has one and the newest is unique;
    4. otherwise the newest by file time, when it is at least a minute newer than the next.
    Anything else is ambiguous: none is used until the operator decides.  ``document``
    and ``owner_noun`` are the words of the reasons ("phiếu"/"cơ quan", "danh sách"/"đơn vị").
    """
    picked = [r for r in rets if unicodedata.normalize("NFC", r.file).casefold() in pick]  # pick: NFC, casefolded
    if len(picked) == 1:
        return picked[0], f"chọn theo --pick {picked[0].file}"
    if len(picked) > 1:
        return None, f"--pick chỉ định nhiều hơn một tệp của cùng {owner_noun}"
    if len({r.sha256 for r in rets}) == 1 and rets[0].sha256:
        return rets[0], "các tệp giống hệt nhau (cùng mã băm SHA-256)"
    if all(r.sent_date for r in rets):
        ordered = sorted(rets, key=lambda r: r.sent_date or date.min, reverse=True)
        if ordered[0].sent_date != ordered[1].sent_date:
            when = ordered[0].sent_date.strftime("%d/%m/%Y") if ordered[0].sent_date else ""
            return ordered[0], f"mới nhất theo ngày gửi ghi trên {document} ({when})"
    if all(r.modified is not None for r in rets):
        ordered = sorted(rets, key=lambda r: r.modified or datetime.min, reverse=True)
        first, second = ordered[0].modified, ordered[1].modified
        if first and second and (first - second).total_seconds() >= MTIME_MARGIN_SECONDS:
            return ordered[0], f"mới nhất theo thời gian tệp ({first.strftime('%d/%m/%Y %H:%M')})"
    return None, "không phân định được tệp nào mới hơn (cùng ngày gửi, thời gian tệp gần nhau)"


@dataclass(frozen=True)
class VersionDecision:
    """Which of several files of one owner counts, and why (shown to the operator)."""

    owner_id: str
    used: str | None  # None: ambiguous, none used
    others: tuple[str, ...]
    reason: str


@dataclass
class Outcome(Generic[OwnerT]):
    """One owner's outcome: status, the files it sent, the one used, its problems counted."""

    owner: OwnerT
    status: Status = "missing"
    files: list[str] = field(default_factory=list)
    used: str | None = None  # the file whose values count
    errors: int = 0
    warnings: int = 0
    first_received: date | None = None  # the earliest day any of its files was sent (cover date, else file time)

    def settle(self, problems: list[Problem], usable: bool) -> None:
        """Count the owner's problems; one usable file without errors is ``ok``, with errors ``invalid``."""
        self.errors = sum(1 for p in problems if p.is_error)
        self.warnings = len(problems) - self.errors
        if self.status in ("ok", "invalid"):
            self.status = "ok" if usable and not self.errors else "invalid"
