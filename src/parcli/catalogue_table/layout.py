"""The layout of the catalogue table: sheet names, columns, the fields of the sheet *Thông tin*."""

from __future__ import annotations

# One row per node on the sheet "Bộ tiêu chí"; the catalogue's own fields on the sheet "Thông tin".
SHEET_TABLE = "Bộ tiêu chí"
SHEET_INFO = "Thông tin"

YES = "Có"
NO = "Không"
SCORED_BY_LABELS: dict[str, str] = {"self": "Tự đánh giá", "survey": "Điều tra XHH"}
SCALE_LABEL = "Thang điểm"

# (header label, catalogue key, column width); the order is the order of the exported columns.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("Mã", "code", 9),
    ("Nội dung", "title", 50),
    ("Điểm tối đa", "max_points", 10),
    ("Hình thức", "scored_by", 14),
    ("Cách chấm", "rule", 50),
    ("Hướng dẫn", "guidance", 50),
    ("Tài liệu kiểm chứng", "evidence_required", 12),
    ("Giải trình bắt buộc", "explanation_required", 12),
    ("Cho phép không áp dụng", "not_applicable", 13),
    ("Nguồn", "source", 40),
    ("Đã đối chiếu", "verified", 11),
)
HEADER_BY_KEY: dict[str, str] = {key: label for label, key, _ in COLUMNS}
NA_FULL_POINTS = "Có – tính đủ điểm"  # not applicable allowed, scored as full points
FLAG_KEYS = ("evidence_required", "explanation_required", "not_applicable")
LEAF_KEYS = ("scored_by", "rule", "guidance", *FLAG_KEYS)

# The sheet "Thông tin": key in column A, value in column B, meaning in column C.
INFO_HEADERS = ("Trường", "Giá trị", "Ý nghĩa")
INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "Mã bộ tiêu chí: chữ thường không dấu, số và dấu gạch nối (ví dụ par-province-2023)"),
    ("title", "Tên bộ tiêu chí"),
    ("year", "Năm đánh giá"),
    ("decision", "Văn bản ban hành bộ tiêu chí (số, ngày, cơ quan ban hành)"),
    ("total_points", "Tổng điểm tối đa; bằng tổng điểm tối đa các lĩnh vực"),
    ("self_points", "Tổng điểm các mục tự đánh giá"),
    ("survey_points", "Tổng điểm các mục điều tra xã hội học"),
    ("source", "Nguồn của cấu trúc và các tổng điểm"),
    ("verified", "Đã đối chiếu với văn bản chính thức (Có/Không)"),
    ("notes", "Ghi chú (không bắt buộc)"),
)
INFO_KEYS = tuple(key for key, _ in INFO_FIELDS)
HEADER_SEARCH_ROWS = 10
