"""The conventions every parcli form shares, whatever its round.

Every form parcli issues has a cover sheet (instructions, and the few cells the owner fills:
who prepared it, when it was sent), a hidden metadata sheet (keys in column A, values in
column B, from row 1) naming what the workbook is, and a header row the reader searches for
rather than trusts.  Every consolidated workbook ends with the same problems sheet.  A round's
own layout (``rounds/<round>/layout.py``) adds its sheets, headers and metadata keys to these
and re-exports them, so a round reads every name from its own layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from parcli.text import label_key, nfc

# --- the cover sheet: labels in column A, values in column B ---------------------------------------
SHEET_COVER = "Hướng dẫn"
COVER_PREPARER = "Người lập biểu"
COVER_POSITION = "Chức vụ"
COVER_PHONE = "Số điện thoại"
COVER_SENT = "Ngày gửi"
COVER_INPUT_LABELS = (COVER_PREPARER, COVER_POSITION, COVER_PHONE, COVER_SENT)  # unlocked inputs

# --- the hidden metadata sheet: keys in column A, values in column B, from row 1 -------------------
SHEET_META = "parcli"  # hidden: metadata and drop-down lists
# the keys every form's metadata starts with (a round adds its own)
META_KIND = "kind"
META_LAYOUT = "layout_version"
META_TOOL_VERSION = "parcli_version"
META_CAMPAIGN = "campaign_id"
META_GENERATED_AT = "generated_at"
# the year of the campaign a form was issued for: a campaign copied for a new year keeps its id, never its year
META_YEAR = "campaign_year"
# The kind (META_KIND) of every workbook parcli writes, in one place so that kinds stay distinct
# and a reader can tell another parcli workbook from its own.
KIND_RETURN = "parcli-return"  # a scoring return issued to a department or unit
KIND_CONSOLIDATED = "parcli-consolidated"  # the consolidated scores
KIND_SURVEY_LIST = "parcli-survey-list"  # a survey list issued to a nominating unit
KIND_RESPONDENTS = "parcli-respondents"  # the consolidated respondents

# --- header rows ---------------------------------------------------------------------------------
HEADER_SEARCH_ROWS = 40  # a reader searches the header row among the first rows
HEADER_FILES = "Tệp"

# --- the problems sheet of every consolidated workbook -----------------------------------------------
SHEET_PROBLEMS = "Vấn đề"
PROBLEM_HEADERS: tuple[str, ...] = (
    "Mức độ",
    "Mã lỗi",
    "Cơ quan",  # the owner of the file
    HEADER_FILES,
    "Trang tính",
    "Ô",
    "Mục",
    "Nội dung",
)


@dataclass(frozen=True)
class HeaderMatch:
    """Where a header row was found and which column holds each label."""

    row: int
    columns: dict[str, int]


def find_header(
    rows: list[tuple[object, ...]], labels: tuple[str, ...], required: tuple[str, ...]
) -> HeaderMatch | None:
    """Find the header row among the first rows (1-based row numbers) by its labels."""
    wanted = {label_key(label): label for label in labels}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for col, value in enumerate(row, start=1):
            key = label_key(value)
            if key in wanted and wanted[key] not in columns:
                columns[wanted[key]] = col
        if all(label in columns for label in required):
            return HeaderMatch(row=index, columns=columns)
    return None


def sheet_ref(sheet: str, cell_range: str) -> str:
    """A quoted cross-sheet reference usable in formulas and validations."""
    return "'" + sheet.replace("'", "''") + "'!" + cell_range


def estimate_row_height(
    texts_by_column: Mapping[int, object], widths: Mapping[int, float], *, line_points: float = 15.75
) -> float | None:
    """The row height (points) that shows all wrapped text of a row, or None for one line.

    Spreadsheet programs do not re-measure rows written by a library
    (LibreOffice keeps the default height), so long text would be cut off.
    The estimate counts about 1.15 characters per unit of column width; only
    the columns in ``widths`` count, and only text values (not formulas).
    """
    lines = 1
    for col, width in widths.items():
        value = texts_by_column.get(col)
        if not isinstance(value, str) or value.startswith("="):
            continue
        per_line = max(int(width * 1.15), 1)
        count = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
        lines = max(lines, count)
    return round(lines * line_points, 2) if lines > 1 else None


def fit_row_height(ws: Any, row: int, widths: Mapping[int, float], *, line_points: float = 15.75) -> None:
    """Set a row height of an openpyxl worksheet that shows all wrapped text (see :func:`estimate_row_height`)."""
    texts = {col: ws.cell(row=row, column=col).value for col in widths}
    height = estimate_row_height(texts, widths, line_points=line_points)
    if height is not None:
        ws.row_dimensions[row].height = height


__all__ = [
    "COVER_INPUT_LABELS",
    "COVER_PHONE",
    "COVER_POSITION",
    "COVER_PREPARER",
    "COVER_SENT",
    "HEADER_FILES",
    "HEADER_SEARCH_ROWS",
    "KIND_CONSOLIDATED",
    "KIND_RESPONDENTS",
    "KIND_RETURN",
    "KIND_SURVEY_LIST",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "META_YEAR",
    "PROBLEM_HEADERS",
    "SHEET_COVER",
    "SHEET_META",
    "SHEET_PROBLEMS",
    "HeaderMatch",
    "estimate_row_height",
    "find_header",
    "fit_row_height",
    "label_key",
    "nfc",
    "sheet_ref",
]
