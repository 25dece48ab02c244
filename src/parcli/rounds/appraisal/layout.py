"""The one place that knows how an appraisal workbook (phiếu thẩm định) is laid out.

Issue and read both take from here: the sheet names, the table of each mode
and round (:func:`table`: its columns in order, their widths, the columns the
appraiser types into, the others locked), the hidden sheets (workbook metadata,
and one row per item recording what was appraised: the return row's self-score
and hash), and the metadata keys.
"""

from __future__ import annotations

from functools import cache

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
from parcli.xlsx.printing import SignatureBlock

LAYOUT_VERSION = "1"
KIND_APPRAISAL = "parcli-appraisal"

SHEET_APPRAISAL = "Thẩm định"
SHEET_ITEMS = "parcli-muc"  # hidden: one row per item (scope, code, owner, self-score, hash of the return row)

HEADER_UNIT_ID = "Mã đơn vị"  # each-unit-scores only
HEADER_CODE = "Mã"
HEADER_TITLE = "Nội dung"
HEADER_DEPARTMENT = "Cơ quan"
HEADER_MAX = "Điểm tối đa"
HEADER_SELF = "Điểm tự đánh giá"
HEADER_EXPLANATION = "Giải trình"
HEADER_EVIDENCE = "Tài liệu kiểm chứng"
HEADER_ROUND1_SCORE = "Điểm thẩm định lần 1"
HEADER_ROUND1_NOTE = "Ý kiến thẩm định lần 1"
HEADER_SUPPLEMENT = "Giải trình bổ sung"
HEADER_APPRAISED = "Điểm thẩm định"
HEADER_NOTE = "Ý kiến thẩm định"

HEADER_ROW = 4  # 1-based: title, note, blank, header
SIGNATURE = (SignatureBlock("NGƯỜI THẨM ĐỊNH", "(Ký, ghi rõ họ tên)"),)  # under the table, on the right
NOT_APPLICABLE = "Không áp dụng"
NOT_APPLICABLE_FULL = "Không áp dụng (tính đủ điểm)"  # the catalogue gives the item its full points when N/A

META_CAMPAIGN_HASH = "campaign_hash"
META_CATALOGUE_HASH = "catalogue_hash"
META_ROUND = "round"  # the appraisal's round: 1 or 2
META_CAMPAIGN_ROUND = "campaign_round"  # the campaign's round appraised ("" for a campaign without rounds)
META_CAMPAIGN_ROUND_TITLE = "campaign_round_title"
META_BY = "by"  # "department" or "field"
META_OWNER = "owner"  # the department id, or the field code, the workbook covers
META_OWNER_NAME = "owner_name"
META_SOURCE = "source"  # "returns" or "import" (carried over from an old consolidated workbook)
META_KEYS = (
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_CAMPAIGN,
    META_CAMPAIGN_HASH,
    META_CATALOGUE_HASH,
    META_ROUND,
    META_BY,
    META_OWNER,
    META_OWNER_NAME,
    META_SOURCE,
    META_GENERATED_AT,
    META_CAMPAIGN_ROUND,  # the last three: a workbook of an earlier parcli has none of them
    META_CAMPAIGN_ROUND_TITLE,
    META_YEAR,
)

ITEM_HEADERS = ("scope", "code", "owner", "self_score", "digest", "row")

BY_CHOICES = ("department", "field")
ROUNDS = (1, 2)


# Every column an appraisal sheet may have; which of them a sheet has depends on the mode and round.
# The widths of round 1 add up to 179 characters: one A4 landscape page at 9 points or more
# (parcli.xlsx.printing); the unit column and round 2's columns take the sheet to two pages across.
COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("scope", HEADER_UNIT_ID, "code", width=12),
        Column("code", HEADER_CODE, "code", required=True, width=8),
        Column("title", HEADER_TITLE, width=40),
        Column("department", HEADER_DEPARTMENT, width=16),
        Column("max", HEADER_MAX, "number", width=8),
        Column("self", HEADER_SELF, "number", width=9),
        Column("explanation", HEADER_EXPLANATION, width=30),
        Column("evidence", HEADER_EVIDENCE, width=26),
        Column("round1_score", HEADER_ROUND1_SCORE, "number", width=10),
        Column("round1_note", HEADER_ROUND1_NOTE, width=28),
        Column("supplement", HEADER_SUPPLEMENT, input=True, width=30),  # round 2 only
        Column("appraised", HEADER_APPRAISED, "number", required=True, input=True, width=10),
        Column("note", HEADER_NOTE, required=True, input=True, width=32),
    )
}
WIDTHS: dict[str, float] = {c.label: c.width for c in COLUMNS.values()}


@cache
def table(*, units: bool, round_: int) -> Table:
    """The appraisal sheet's table for a mode and a round: the return as sent, then the appraiser's columns."""
    lead = ("scope",) if units else ()
    given = ("code", "title", "department", "max", "self", "explanation", "evidence")
    second = ("round1_score", "round1_note", "supplement") if round_ == 2 else ()
    return Table(
        SHEET_APPRAISAL,
        tuple(COLUMNS[key] for key in (*lead, *given, *second, "appraised", "note")),
        HEADER_ROW,
        f"có các cột “{HEADER_CODE}”, “{HEADER_APPRAISED}”",
        "Đề nghị nhập vào phiếu thẩm định đã phát hành.",
        where="trên trang tính thẩm định",
        spaces="trim",
    )


def headers(*, units: bool, round_: int) -> tuple[str, ...]:
    """The columns of the appraisal sheet, in order, for a mode and a round."""
    return table(units=units, round_=round_).labels


def input_headers(round_: int) -> tuple[str, ...]:
    """The columns the appraiser types into (unlocked)."""
    return tuple(COLUMNS[key].label for key in table(units=False, round_=round_).inputs)


READ_WIDTH = len(headers(units=True, round_=2)) + 2  # columns read, whatever the mode and round


def owner_id(round_: int, by: str, owner: str) -> str:
    """The engine's owner id of a workbook: its round, how it is cut, and what it covers (``1:field:2``)."""
    return f"{round_}:{by}:{owner}"


def file_stem(round_: int, by: str, owner_stem: str) -> str:
    """``tham-dinh-lan1-PL01-so-noi-vu`` / ``tham-dinh-lan2-linh-vuc-2``."""
    return (
        f"tham-dinh-lan{round_}-{owner_stem}" if by == "department" else f"tham-dinh-lan{round_}-linh-vuc-{owner_stem}"
    )


__all__ = [
    "BY_CHOICES",
    "HEADER_APPRAISED",
    "HEADER_CODE",
    "HEADER_NOTE",
    "HEADER_ROW",
    "HEADER_SUPPLEMENT",
    "KIND_APPRAISAL",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KEYS",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "META_YEAR",
    "ROUNDS",
    "SHEET_APPRAISAL",
    "SHEET_ITEMS",
    "SHEET_META",
    "find_header",
    "headers",
    "label_key",
    "nfc",
]
