"""The one place that knows both layouts: the Ministry's table as parcli reads it, and parcli's result workbook.

**The Ministry's table.**  Exports of the scoring software list one row per criterion and component
criterion (``STT | Tiêu chí | Điểm tối đa | Điểm tự chấm | Điểm thẩm định | Ghi chú của đơn vị | Ghi
chú của thẩm định``); the published decision gives the points per field.  Neither is a form parcli
issued, so a column is recognised by any of the labels such tables use (:data:`ITEM_LABELS`,
:data:`FIELD_LABELS`: case, spaces and Unicode form aside), the header at any of the first rows of
any sheet.  :func:`ministry_table` turns the labels found into the :class:`~parcli.collect.rows.Table`
the row engine reads.

**parcli's result workbook** (``ket-qua-bo-noi-vu.xlsx``): the items sheet (one row per component
criterion of the catalogue, in its order), the fields sheet, the problems of the import and the
hidden metadata naming the campaign, the catalogue and the source file with its SHA-256.  It is an
output: written whole by ``parcli result import``, protected, read back by :mod:`.own`.
"""

from __future__ import annotations

from functools import cache

from parcli.collect.layout import (
    META_CAMPAIGN,
    META_GENERATED_AT,
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    PROBLEM_HEADERS,
    SHEET_META,
    SHEET_PROBLEMS,
)
from parcli.collect.rows import Column, ColumnType, Table
from parcli.text import label_key

# --- the Ministry's table ----------------------------------------------------------------------------

# key -> the labels a column may carry, the usual one first.  "code" is a code (1.2.3) or an order
# number (STT: I / 1 / a, or 1 / 1.1 / 1.1.1); "appraised" the Ministry's points.
ITEM_LABELS: dict[str, tuple[str, ...]] = {
    "code": ("STT", "Mã", "Mã tiêu chí", "Mã số", "TT", "Số TT", "Số thứ tự"),
    "title": (
        "Tiêu chí",
        "Nội dung",
        "Tiêu chí, tiêu chí thành phần",
        "Tiêu chí/Tiêu chí thành phần",
        "Lĩnh vực, tiêu chí, tiêu chí thành phần",
        "Tên tiêu chí",
        "Nội dung đánh giá",
    ),
    "max": ("Điểm tối đa", "Điểm chuẩn", "Thang điểm"),
    "self": ("Điểm tự chấm", "Điểm tự đánh giá", "Tự chấm", "Tự đánh giá", "Điểm tỉnh tự chấm"),
    "appraised": ("Điểm thẩm định", "Điểm Bộ thẩm định", "Kết quả thẩm định", "Thẩm định", "Điểm sau thẩm định"),
    "unit_note": ("Ghi chú của đơn vị", "Giải trình của đơn vị", "Ghi chú đơn vị", "Giải trình"),
    "note": ("Ghi chú của thẩm định", "Ý kiến thẩm định", "Ghi chú thẩm định", "Nhận xét thẩm định", "Ý kiến của Bộ"),
}
ITEM_REQUIRED = ("code", "appraised")

# The published decision: one row per field.  "title" must read "Lĩnh vực" (that tells this table from the
# items table); at least one of the points columns must be there.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "code": ("STT", "Mã", "Mã lĩnh vực", "TT", "Số TT", "Số thứ tự"),
    "title": ("Lĩnh vực", "Tên lĩnh vực", "Lĩnh vực đánh giá"),
    "max": ("Điểm tối đa", "Điểm chuẩn"),
    "appraised": (
        "Điểm thẩm định",
        "Điểm đánh giá, thẩm định",
        "Điểm tự đánh giá sau thẩm định",
        "Điểm đánh giá qua báo cáo",
        "Điểm sau thẩm định",
    ),
    "survey": ("Điểm điều tra XHH", "Điểm điều tra xã hội học", "Điều tra XHH", "Điều tra xã hội học", "Điểm XHH"),
    "total": ("Tổng điểm", "Điểm đạt", "Tổng điểm đạt", "Tổng"),
}
FIELD_REQUIRED = ("code", "title")
FIELD_POINTS = ("appraised", "survey", "total")

_ITEM_TYPES: dict[str, ColumnType] = {"code": "code", "max": "number", "self": "number", "appraised": "number"}
_FIELD_TYPES: dict[str, ColumnType] = {
    "code": "code",
    "title": "code",
    "max": "number",
    "appraised": "number",
    "survey": "number",
}
_WIDTHS = {"code": 9, "title": 50, "note": 30, "unit_note": 30}

SOURCE_ADVICE = (
    "Đề nghị tải lại bảng kết quả từ phần mềm của Bộ Nội vụ (hoặc lập bảng theo mẫu trong README), lưu dạng .xlsx "
    "rồi nhập lại."
)
HEADER_HINT = (
    "có cột “STT” (hoặc “Mã”) và “Điểm thẩm định”; hoặc bảng theo lĩnh vực có cột “Lĩnh vực” và cột điểm "
    "(“Điểm thẩm định”, “Điểm điều tra XHH”, “Tổng điểm”)"
)


def label_keys(labels: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The comparable form of every label → its column key."""
    return {label_key(label): key for key, names in labels.items() for label in names}


@cache
def ministry_table(sheet: str, found: tuple[tuple[str, str], ...], *, fields: bool) -> Table:
    """The table of one sheet of the Ministry's workbook, with the labels ``found`` there: (key, label) pairs.

    The keys of :data:`ITEM_REQUIRED` (or :data:`FIELD_REQUIRED`) are required, so the row engine
    finds the header where the labels were found.
    """
    required = FIELD_REQUIRED if fields else ITEM_REQUIRED
    types = _FIELD_TYPES if fields else _ITEM_TYPES
    columns = tuple(
        Column(key, label, types.get(key, "text"), required=key in required, width=_WIDTHS.get(key, 12))
        for key, label in found
    )
    return Table(
        sheet,
        columns,
        1,
        HEADER_HINT,
        SOURCE_ADVICE,
        where=f"trên trang tính “{sheet}”",
        row_key=("code", "title") if fields else ("code",),
        spaces="words",
    )


# --- parcli's result workbook ------------------------------------------------------------------------

LAYOUT_VERSION = "1"
KIND_RESULT = "parcli-ministry-result"  # distinct from every kind of parcli.collect.layout

SHEET_ITEMS = "Kết quả thẩm định"
SHEET_FIELDS = "Theo lĩnh vực"
HEADER_ROW = 3  # 1-based: title, note, header

HEADER_CODE = "Mã"
HEADER_SOURCE_CODE = "Mã/STT trong tệp của Bộ"
HEADER_TITLE = "Nội dung"
HEADER_FIELD = "Lĩnh vực"
HEADER_SCORED_BY = "Hình thức"
HEADER_MAX = "Điểm tối đa"
HEADER_SELF = "Điểm tự chấm"
HEADER_APPRAISED = "Điểm thẩm định"
HEADER_UNIT_NOTE = "Ghi chú của đơn vị"
HEADER_NOTE = "Ghi chú của thẩm định"
HEADER_STATUS = "Tình trạng"
HEADER_SOURCE_ROW = "Dòng trong tệp của Bộ"

HEADER_SELF_MAX = "Tối đa phần tự đánh giá"
HEADER_SELF_POINTS = "Điểm thẩm định phần tự đánh giá"
HEADER_SURVEY_MAX = "Tối đa phần điều tra XHH"
HEADER_SURVEY = "Điểm điều tra XHH"
HEADER_TOTAL = "Tổng điểm"
HEADER_PERCENT = "Tỷ lệ (%)"
HEADER_SOURCE = "Nguồn số liệu"

SCORED_BY_LABELS = {"self": "Tự đánh giá", "survey": "Điều tra XHH"}
NOT_APPLICABLE = "Không áp dụng"

STATUS_READ = "Đã nhập"
STATUS_NOT_APPLICABLE = "Không áp dụng"
STATUS_ABSENT = "Không có trong tệp của Bộ"
STATUS_ERROR = "Có lỗi, không nhập (xem trang Vấn đề)"
STATUS_FIELDS_ONLY = "Kết quả chỉ có theo lĩnh vực"
STATUS_NO_SURVEY = "Bảng của Bộ không ghi điểm điều tra XHH của mục này"

SOURCE_FIELD_TABLE = "Bảng theo lĩnh vực"
SOURCE_ITEMS = "Cộng từ các tiêu chí thành phần"

OWN_ITEMS = Table(
    SHEET_ITEMS,
    (
        Column("code", HEADER_CODE, "code", required=True, width=9),
        Column("source_code", HEADER_SOURCE_CODE, "code", width=11),
        Column("title", HEADER_TITLE, width=50),
        Column("field", HEADER_FIELD, "code", width=8),
        Column("scored_by", HEADER_SCORED_BY, "code", required=True, width=12),
        Column("max", HEADER_MAX, "number", required=True, width=9),
        Column("self", HEADER_SELF, "number", required=True, width=9),
        Column("appraised", HEADER_APPRAISED, "number", required=True, width=10),
        Column("unit_note", HEADER_UNIT_NOTE, width=30),
        Column("note", HEADER_NOTE, required=True, width=34),
        Column("status", HEADER_STATUS, "code", required=True, width=18),
        Column("row", HEADER_SOURCE_ROW, "code", width=10),
    ),
    HEADER_ROW,
    f"có các cột “{HEADER_CODE}” và “{HEADER_APPRAISED}”",
    "Đề nghị chạy lại parcli result import để ghi lại bảng kết quả.",
    where="trên trang kết quả thẩm định",
)
OWN_FIELDS = Table(
    SHEET_FIELDS,
    (
        Column("code", HEADER_CODE, "code", required=True, width=7),
        Column("title", HEADER_FIELD, width=48),
        Column("max", HEADER_MAX, "number", width=9),
        Column("self_max", HEADER_SELF_MAX, "number", required=True, width=12),
        Column("appraised", HEADER_SELF_POINTS, "number", required=True, width=13),
        Column("survey_max", HEADER_SURVEY_MAX, "number", required=True, width=12),
        Column("survey", HEADER_SURVEY, "number", required=True, width=11),
        Column("total", HEADER_TOTAL, "number", width=10),
        Column("percent", HEADER_PERCENT, "number", width=9),
        Column("source", HEADER_SOURCE, width=26),
    ),
    HEADER_ROW,
    f"có các cột “{HEADER_CODE}” và “{HEADER_SELF_POINTS}”",
    "Đề nghị chạy lại parcli result import để ghi lại bảng kết quả.",
    where="trên trang kết quả theo lĩnh vực",
)

META_CAMPAIGN_TITLE = "campaign_title"
META_YEAR = "year"
META_CATALOGUE_ID = "catalogue_id"
META_CATALOGUE_HASH = "catalogue_hash"
META_SOURCE_FILE = "source_file"
META_SOURCE_SHA256 = "source_sha256"
META_SOURCE_SHEETS = "source_sheets"
META_GRANULARITY = "granularity"  # "items": per component criterion; "fields": the published points per field only
META_HAS_SELF = "has_self_scores"  # "1" when the Ministry's table had the self-assessed points
META_MAPPING_FILE = "mapping_file"
META_MAPPING_SHA256 = "mapping_sha256"
META_ERRORS = "errors"
META_WARNINGS = "warnings"
META_KEYS = (
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_CAMPAIGN,
    META_CAMPAIGN_TITLE,
    META_YEAR,
    META_CATALOGUE_ID,
    META_CATALOGUE_HASH,
    META_SOURCE_FILE,
    META_SOURCE_SHA256,
    META_SOURCE_SHEETS,
    META_GRANULARITY,
    META_HAS_SELF,
    META_MAPPING_FILE,
    META_MAPPING_SHA256,
    META_ERRORS,
    META_WARNINGS,
    META_GENERATED_AT,
)

__all__ = [
    "KIND_RESULT",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "PROBLEM_HEADERS",
    "SHEET_META",
    "SHEET_PROBLEMS",
    "label_key",
]
