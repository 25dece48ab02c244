"""The one place that knows how an appraisal workbook (phiếu thẩm định) is laid out.

Issue and read both take from here: the sheet names, the header labels and
their order in each round, the hidden sheets (workbook metadata, and one row
per item recording what was appraised: the return row's self-score and hash),
and the metadata keys.  The appraiser types only into the columns
:data:`INPUT_HEADERS` of a round.
"""

from __future__ import annotations

from parcli.collect.layout import (
    META_CAMPAIGN,
    META_GENERATED_AT,
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    SHEET_META,
    find_header,
    label_key,
    nfc,
)

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

WIDTHS: dict[str, float] = {
    HEADER_UNIT_ID: 14,
    HEADER_CODE: 9,
    HEADER_TITLE: 46,
    HEADER_DEPARTMENT: 20,
    HEADER_MAX: 8,
    HEADER_SELF: 10,
    HEADER_EXPLANATION: 34,
    HEADER_EVIDENCE: 30,
    HEADER_ROUND1_SCORE: 11,
    HEADER_ROUND1_NOTE: 28,
    HEADER_SUPPLEMENT: 34,
    HEADER_APPRAISED: 11,
    HEADER_NOTE: 34,
}

HEADER_ROW = 4  # 1-based: title, note, blank, header
NOT_APPLICABLE = "Không áp dụng"
NOT_APPLICABLE_FULL = "Không áp dụng (tính đủ điểm)"  # the catalogue gives the item its full points when N/A

META_CAMPAIGN_HASH = "campaign_hash"
META_CATALOGUE_HASH = "catalogue_hash"
META_ROUND = "round"
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
)

ITEM_HEADERS = ("scope", "code", "owner", "self_score", "digest", "row")

BY_CHOICES = ("department", "field")
ROUNDS = (1, 2)


def headers(*, units: bool, round_: int) -> tuple[str, ...]:
    """The columns of the appraisal sheet, in order, for a mode and a round."""
    lead = (HEADER_UNIT_ID,) if units else ()
    given = (
        HEADER_CODE,
        HEADER_TITLE,
        HEADER_DEPARTMENT,
        HEADER_MAX,
        HEADER_SELF,
        HEADER_EXPLANATION,
        HEADER_EVIDENCE,
    )
    second = (HEADER_ROUND1_SCORE, HEADER_ROUND1_NOTE, HEADER_SUPPLEMENT) if round_ == 2 else ()
    return (*lead, *given, *second, HEADER_APPRAISED, HEADER_NOTE)


def input_headers(round_: int) -> tuple[str, ...]:
    """The columns the appraiser types into (unlocked)."""
    return (HEADER_SUPPLEMENT, HEADER_APPRAISED, HEADER_NOTE) if round_ == 2 else (HEADER_APPRAISED, HEADER_NOTE)


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
    "ROUNDS",
    "SHEET_APPRAISAL",
    "SHEET_ITEMS",
    "SHEET_META",
    "find_header",
    "headers",
    "label_key",
    "nfc",
]
