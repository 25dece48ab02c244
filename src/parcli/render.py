"""The Jinja environment: one place for loaders, escaping and filters.

Templates render from plain data (dicts of strings, Decimals and lists).
``StrictUndefined`` makes a missing variable an error, never a blank cell.
HTML is autoescaped; Markdown escapes table-breaking characters with ``md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.numbers import fmt_percent, fmt_points

if TYPE_CHECKING:
    from jinja2 import Environment

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(value: Any) -> str:
    """Escape text from returns for a Markdown table cell (no markup, no broken table)."""
    text = "" if value is None else str(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def points_filter(value: Any) -> str:
    """Points with a decimal comma; a dash for None."""
    return "–" if value is None else fmt_points(Decimal(str(value)))


def signed_filter(value: Any) -> str:
    """A signed change with a decimal comma: +1,5 / −0,25 / 0."""
    if value is None:
        return "–"
    dec = Decimal(str(value))
    if dec == 0:
        return "0"
    return ("+" if dec > 0 else "−") + fmt_points(abs(dec))


def date_filter(value: Any) -> str:
    """dd/mm/yyyy."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


FILTERS = {
    "points": points_filter,
    "pct": fmt_percent,
    "signed": signed_filter,
    "date_vn": date_filter,
    "md": md_escape,
}


def make_environment(search_path: Sequence[Path], *, html: bool) -> Environment:
    """A Jinja environment over ``search_path`` (user folder first, then built-ins)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader([str(p) for p in search_path]),
        undefined=StrictUndefined,
        autoescape=html,  # noqa: S701 - Markdown and Word escape with their own filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env
