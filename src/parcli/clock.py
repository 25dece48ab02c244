"""The one clock: every time stamp and every "today" parcli uses comes from here.

Library functions take ``now`` / ``today`` as parameters; when a caller passes
none they ask this module.  Setting ``SOURCE_DATE_EPOCH`` (seconds since
1970-01-01 UTC, the reproducible-builds convention) fixes the clock: outputs
made from the same inputs are then identical, and tests never depend on the
wall clock or on how fast the machine is.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from parcli.errors import UsageError

ENV_VAR = "SOURCE_DATE_EPOCH"


def _fixed() -> datetime | None:
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"Biến môi trường {ENV_VAR}=“{raw}” không hợp lệ: cần một số nguyên giây kể từ 01/01/1970 (UTC)."
        ) from None


def now() -> datetime:
    """The current time in UTC, to the second (``SOURCE_DATE_EPOCH`` when set)."""
    fixed = _fixed()
    return (fixed or datetime.now(UTC)).replace(microsecond=0)


def today() -> date:
    """Today's date on this machine's calendar (the date of ``SOURCE_DATE_EPOCH`` when set)."""
    fixed = _fixed()
    if fixed is not None:
        return fixed.astimezone().date()
    return date.today()
