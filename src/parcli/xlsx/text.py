"""The one sanitizer for text going into a workbook; no domain words.

A spreadsheet cell holds at most 32,767 characters and no XML-illegal control characters; a text that
starts with ``=`` must stay text.  :func:`cell_text` makes any text fit: vertical tab and form feed (line
breaks pasted from Word) become line breaks, other control characters are dropped, an over-long text is
cut; it reports what it changed so the caller can warn where the text came from.
:func:`openpyxl_text_cell` writes such text into an openpyxl cell as a string (never a formula).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_CELL_TEXT = 32_767
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]|[\ud800-\udfff]")


@dataclass(frozen=True)
class CellText:
    """A text made fit for a cell, and what was changed in it."""

    text: str
    dropped_controls: bool = False
    cut: bool = False


def cell_text(value: str) -> CellText:
    """``value`` fit for a cell: line breaks normalised, control characters dropped, length bounded."""
    text = _LINE_BREAKS.sub("\n", value) if ("\r" in value or "\x0b" in value or "\x0c" in value) else value
    cleaned = _CONTROL.sub("", text)
    dropped = len(cleaned) != len(text)
    cut = len(cleaned) > MAX_CELL_TEXT
    if cut:
        cleaned = cleaned[:MAX_CELL_TEXT]
    return CellText(cleaned, dropped, cut)


_UNFIT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(value: Any) -> Any:
    """A value fit for a cell: text through :func:`cell_text`, other values unchanged (fast for usual text)."""
    if not isinstance(value, str) or (len(value) <= MAX_CELL_TEXT and _UNFIT.search(value) is None):
        return value
    return cell_text(value).text


def text_warnings(value: str) -> tuple[str, list[tuple[str, str]]]:
    """What a reader keeps of a typed text, and the (slug, Vietnamese message) warnings to raise on its cell.

    Slugs: ``text-control-characters`` (line breaks kept, other control characters dropped) and
    ``text-too-long`` (cut at :data:`MAX_CELL_TEXT` characters, what a cell holds).
    """
    if len(value) <= MAX_CELL_TEXT and _UNFIT.search(value) is None:
        return value, []
    fixed = cell_text(value)
    warnings = []
    if fixed.dropped_controls or "\x0b" in value or "\x0c" in value:
        warnings.append(
            (
                "text-control-characters",
                "Ô có ký tự điều khiển (thường do dán từ Word): ngắt dòng được giữ, các ký tự khác được bỏ.",
            )
        )
    if fixed.cut:
        size, most = (f"{n:_}".replace("_", ".") for n in (len(value), MAX_CELL_TEXT))
        message = f"Nội dung dài {size} ký tự, quá sức chứa của một ô; chỉ giữ {most} ký tự đầu."
        warnings.append(("text-too-long", message))
    return fixed.text, warnings


def openpyxl_text_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` into an openpyxl cell; text is sanitized and stored as a string, never a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = cell_text(value).text
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
