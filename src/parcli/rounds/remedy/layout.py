"""The one place that knows how a remedy workbook (kế hoạch khắc phục) is laid out.

Issue and read both take from here: the sheet names, the table (:func:`table`:
its columns in order, their widths, the columns the department types into, the
progress values of the drop-down list), the hidden item sheet and the metadata keys.
"""

from __future__ import annotations

from functools import cache

from parcli.collect.issue import HEAD_SIGNS, PREPARER_SIGNS
from parcli.collect.layout import (
    META_CAMPAIGN,
    META_GENERATED_AT,
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_YEAR,
    SHEET_META,
    find_header,
    label_key,
    nfc,
)
from parcli.collect.rows import Column, Table

LAYOUT_VERSION = "1"
KIND_REMEDY = "parcli-remedy"

SHEET_REMEDY = "Khắc phục"
SHEET_ITEMS = "parcli-muc"  # hidden: one row per item issued (scope, code, points lost)

HEADER_UNIT_ID = "Mã đơn vị"  # each-unit-scores only
HEADER_CODE = "Mã"
HEADER_TITLE = "Nội dung"
HEADER_MAX = "Điểm tối đa"
HEADER_SCORE = "Điểm đạt"
HEADER_LOST = "Điểm bị trừ"
HEADER_NOTE = "Ý kiến thẩm định"
HEADER_CAUSE = "Nguyên nhân"
HEADER_REMEDY = "Giải pháp khắc phục"
HEADER_DEADLINE = "Thời hạn"
HEADER_RESPONSIBLE = "Người chịu trách nhiệm"
HEADER_PROGRESS = "Tiến độ"
HEADER_RESULT = "Kết quả"
HEADER_EVIDENCE = "Tài liệu kiểm chứng"

HEADER_ROW = 4  # 1-based: title, note, blank, header
SIGNATURE = (PREPARER_SIGNS, HEAD_SIGNS)  # under the table: who prepared the plan, the head who signs and stamps it

PROGRESS_NOT_STARTED = "Chưa thực hiện"
PROGRESS_IN_PROGRESS = "Đang thực hiện"
PROGRESS_DONE = "Đã hoàn thành"
PROGRESS = (PROGRESS_NOT_STARTED, PROGRESS_IN_PROGRESS, PROGRESS_DONE)

# The remedy sheet's table: the item as it lost points (locked), then what the department types.
# The widths add up to 177 characters: one A4 landscape page at 9 points or more (parcli.xlsx.printing);
# the unit column of an each-unit-scores campaign takes it to two pages across.
COLUMNS: tuple[Column, ...] = (
    Column("scope", HEADER_UNIT_ID, "code", width=12),  # each-unit-scores only
    Column("code", HEADER_CODE, "code", required=True, width=7),
    Column("title", HEADER_TITLE, width=28),
    Column("max", HEADER_MAX, "number", width=7),
    Column("score", HEADER_SCORE, "number", width=7),
    Column("lost", HEADER_LOST, "number", width=7),
    Column("note", HEADER_NOTE, width=16),
    Column("cause", HEADER_CAUSE, input=True, width=17),
    Column("remedy", HEADER_REMEDY, required=True, input=True, width=22),
    Column("deadline", HEADER_DEADLINE, "date", required=True, input=True, width=12),
    Column("responsible", HEADER_RESPONSIBLE, input=True, width=12),
    Column("progress", HEADER_PROGRESS, "choice", required=True, input=True, allowed=PROGRESS, width=13),
    Column("result", HEADER_RESULT, input=True, width=15),
    Column("evidence", HEADER_EVIDENCE, input=True, width=14),
)
GIVEN_HEADERS = tuple(c.label for c in COLUMNS[1:] if not c.input)
INPUT_HEADERS = tuple(c.label for c in COLUMNS if c.input)
INPUT_KEYS = tuple(c.key for c in COLUMNS if c.input)
WIDTHS: dict[str, float] = {c.label: c.width for c in COLUMNS}

META_CAMPAIGN_HASH = "campaign_hash"
META_ROUND = "round_id"  # the round whose lost points the plan remedies ("" for a campaign without rounds)
META_OWNER = "department_id"
META_OWNER_NAME = "department_name"
META_LAST_DEADLINE = "last_deadline"  # no remedy deadline may lie after it (the year-end returns deadline)
META_KEYS = (
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_CAMPAIGN,
    META_CAMPAIGN_HASH,
    META_ROUND,
    META_OWNER,
    META_OWNER_NAME,
    META_LAST_DEADLINE,
    META_GENERATED_AT,
    META_YEAR,  # last: a plan of an earlier parcli has none
)
ITEM_HEADERS = ("scope", "code", "lost")


@cache
def table(*, units: bool) -> Table:
    """The remedy sheet's table (the unit column first in an each-unit-scores campaign)."""
    return Table(
        SHEET_REMEDY,
        COLUMNS if units else COLUMNS[1:],
        HEADER_ROW,
        f"có các cột “{HEADER_CODE}”, “{HEADER_REMEDY}”",
        "Đề nghị nhập vào kế hoạch khắc phục đã được phát hành.",
        where="trên trang tính khắc phục",
        spaces="trim",
        row_key=("code", *INPUT_KEYS),  # a row inserted with a blank code but a measure typed is read too
    )


def headers(*, units: bool) -> tuple[str, ...]:
    """The columns of the remedy sheet, in order."""
    return table(units=units).labels


def file_stem(owner_stem: str) -> str:
    """``khac-phuc-PL01-so-noi-vu``."""
    return f"khac-phuc-{owner_stem}"


__all__ = [
    "HEADER_ROW",
    "INPUT_HEADERS",
    "KIND_REMEDY",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KEYS",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "META_YEAR",
    "PROGRESS",
    "SHEET_ITEMS",
    "SHEET_META",
    "SHEET_REMEDY",
    "find_header",
    "headers",
    "label_key",
    "nfc",
]
