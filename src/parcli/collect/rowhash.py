"""The fingerprint of a returned item row, shared by the rounds that judge a return.

An appraisal is made against what a department returned for one item: its
self-score, explanation and evidence.  :class:`ReturnedRow` is that row as
plain values (the scoring round produces it, the appraisal round records and
compares it), and :attr:`ReturnedRow.digest` a short hash that changes when any
of the three changes — so an appraisal of an older copy is seen as stale.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

NOT_APPLICABLE_TOKEN = "KAD"  # noqa: S105 - the self-score of a row marked not applicable, inside the hash


@dataclass(frozen=True)
class ReturnedRow:
    """One item as a department returned it (the self-score is None when missing or not applicable)."""

    score: Decimal | None
    not_applicable: bool
    explanation: str
    evidence: str
    owner: str = ""  # the department (or unit) that returned it

    @property
    def digest(self) -> str:
        """A 16-hex-digit hash of the self-score, explanation and evidence (whitespace-insensitive)."""
        score = NOT_APPLICABLE_TOKEN if self.not_applicable else ("" if self.score is None else _plain(self.score))
        parts = (score, " ".join(self.explanation.split()), " ".join(self.evidence.split()))
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _plain(value: Decimal) -> str:
    """``0.5`` for 0.50, ``1`` for 1.0: the same number always hashes the same."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
