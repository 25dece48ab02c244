"""The deadline rule of a plan, in the plan's own words.

A provincial plan words its deadlines one of two ways, and they differ by a day:

- “trước ngày 15/01/2024” — before the day: the last day to send is 14/01/2024
  (the Hưng Yên 2023 plan, and parcli's default);
- “đến hết ngày 15/01/2024” — up to the end of the day: 15/01/2024 itself is on time.

The campaign says which (``deadline_rule:``); every form, letter and table words the deadline
with :func:`deadline_words` and every judgement of a return uses :func:`on_time`, so what the
documents say and what parcli counts cannot drift apart.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Final, Literal

DeadlineRule = Literal["trước ngày", "đến hết ngày"]
BEFORE: Final = "trước ngày"
UNTIL_END: Final = "đến hết ngày"
RULES: Final[tuple[DeadlineRule, ...]] = (BEFORE, UNTIL_END)
DEFAULT_RULE: Final = BEFORE

# What a person may type for each rule (compared without tone marks, case or extra spaces).
_SPELLINGS: Final[dict[str, DeadlineRule]] = {
    "truoc ngay": BEFORE,
    "truoc": BEFORE,
    "den het ngay": UNTIL_END,
    "den ngay": UNTIL_END,
    "den het": UNTIL_END,
}


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def parse_rule(value: object) -> object:
    """The rule a YAML value names (“trước ngày”, “Đến hết ngày”, “den het ngay” …); other values unchanged.

    Used before validation, so a value that names no rule still fails with the list of allowed ones.
    """
    if not isinstance(value, str):
        return value
    return _SPELLINGS.get(_plain(value), value)


def deadline_words(day: date, rule: DeadlineRule = DEFAULT_RULE) -> str:
    """The deadline as the plan words it: “trước ngày 15/01/2024” or “đến hết ngày 15/01/2024”."""
    return f"{rule} {day:%d/%m/%Y}"


def last_day(day: date, rule: DeadlineRule = DEFAULT_RULE) -> date:
    """The last day a return is on time: the day before (“trước ngày”) or the day itself (“đến hết ngày”)."""
    return day - timedelta(days=1) if rule == BEFORE else day


def on_time(sent: date, day: date, rule: DeadlineRule = DEFAULT_RULE) -> bool:
    """True when a return sent on ``sent`` meets the deadline ``day`` under ``rule``."""
    return sent <= last_day(day, rule)


__all__ = [
    "BEFORE",
    "DEFAULT_RULE",
    "RULES",
    "UNTIL_END",
    "DeadlineRule",
    "deadline_words",
    "last_day",
    "on_time",
    "parse_rule",
]
