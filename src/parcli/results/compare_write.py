"""The comparison as a workbook (``parcli result compare -o so-sanh.xlsx``), through the one table writer.

Three sheets of the figures of :func:`parcli.results.compare.compare` — by field (with the survey part),
by department (ranked by points not accepted), by component criterion (every self-assessed item, the
ones not compared with the reason) — and the hidden metadata naming the inputs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from parcli import __version__

SHEET_FIELDS = "Theo lĩnh vực"
SHEET_DEPARTMENTS = "Theo cơ quan"
SHEET_ITEMS = "Theo tiêu chí thành phần"
SHEET_META = "parcli"
KIND_COMPARISON = "parcli-comparison"

_FIGURES = ("Tối đa", "Tự đánh giá", "Tỉnh thẩm định", "Bộ thẩm định", "Không được công nhận", "Bộ chấm cao hơn")
_FIELD_HEADERS = (
    "Mã",
    "Lĩnh vực",
    "Số mục",
    *_FIGURES,
    "Trong đó: tỉnh đã phát hiện",
    "Trong đó: tỉnh chưa phát hiện",
    "Tối đa điều tra XHH",
    "Điểm điều tra XHH",
    "Tổng điểm theo Bộ",
    "Tỷ lệ (%)",
)
_DEPARTMENT_HEADERS = (
    "Hạng",
    "Cơ quan",
    "Số mục",
    *_FIGURES,
    "Số mục không được công nhận",
    "Trong đó: tỉnh chưa phát hiện",
)
_ITEM_HEADERS = (
    "Mã",
    "Tiêu chí thành phần",
    "Cơ quan",
    "Tối đa",
    "Tự đánh giá",
    "Tỉnh thẩm định",
    "Bộ thẩm định",
    "Không được công nhận",
    "Bộ chấm cao hơn",
    "Tỉnh đã phát hiện",
    "Ý kiến thẩm định của tỉnh",
    "Ý kiến thẩm định của Bộ",
    "Tình trạng",
)
_APART = {
    "absent": "Không có trong kết quả của Bộ",
    "unscored": "Chưa có điểm của tỉnh",
    "not_applicable": "Không áp dụng (tỉnh hoặc Bộ)",
}


def write_comparison_xlsx(values: dict[str, Any], out: Path, created: datetime) -> None:
    """Write the comparison workbook to ``out`` atomically."""
    from parcli.xlsx.table import table_workbook

    stamp = created.replace(microsecond=0)
    with table_workbook(out, created=stamp, author=f"parcli {__version__}", title=values["title"]) as book:
        note = (
            f"Bảng tổng hợp {values['consolidated_file']}; kết quả của Bộ: {values['result_file']} (nhập từ "
            f"{values['source_file']}). Quy tắc làm tròn: {values['rounding_rule']}."
        )
        table = book.table(
            SHEET_FIELDS,
            _FIELD_HEADERS,
            (6, 40, 8, 9, 10, 10, 10, 11, 10, 12, 12, 10, 10, 11, 9),
            title=values["title"],
            note=note,
            header_row=2,
            print_columns=2,
        )
        for f in values["fields"]:
            table.row(_field_row(f))
        total = values["total"]
        index = values["ministry_index"]
        survey = values["survey"]
        seen, missed = total["not_accepted_seen"], total["not_accepted_missed"]
        table.row(
            ["", "Tổng cộng", total["items"], *_figures(total), seen, missed, survey["max"], survey["points"],
             index["points"], index["percent"]],
            "subgroup",
        )  # fmt: skip
        table = book.table(SHEET_DEPARTMENTS, _DEPARTMENT_HEADERS, (7, 36, 8, 9, 10, 10, 10, 11, 10, 12, 12))
        for d in values["departments"]:
            table.row(
                [d["rank"], d["name"], d["items"], *_figures(d), d["items_not_accepted"], d["not_accepted_missed"]]
            )
        table = book.table(SHEET_ITEMS, _ITEM_HEADERS, (8, 46, 26, 8, 9, 9, 9, 11, 10, 9, 30, 34, 22), freeze_columns=1)
        for row in values["items"]:
            table.row(_item_row(row, "Đã so sánh"), "warning" if row["not_accepted"] else "body")
        for key, label in _APART.items():
            for row in values[key]:
                table.row(_item_row(row, label))
        book.metadata(
            SHEET_META,
            {
                "kind": KIND_COMPARISON,
                "parcli_version": __version__,
                "campaign_id": values["campaign"],
                "consolidated_file": values["consolidated_file"],
                "result_file": values["result_file"],
                "source_file": values["source_file"],
                "source_sha256": values["source_sha256"],
                "generated_at": stamp.isoformat(),
            },
        )


def _figures(s: dict[str, Any]) -> list[Any]:
    return [s["max"], s["self_score"], s["province"], s["ministry"], s["not_accepted"], s["raised"]]


def _field_row(f: dict[str, Any]) -> list[Any]:
    return [
        f["code"],
        f["title"],
        f["items"],
        *_figures(f),
        f["not_accepted_seen"],
        f["not_accepted_missed"],
        f["survey_max"],
        f["survey_points"],
        f["ministry_total"],
        f["ministry_total_percent"],
    ]


def _item_row(row: dict[str, Any], status: str) -> list[Any]:
    compared = status == "Đã so sánh"
    return [
        row["code"],
        row["title"],
        row["department"],
        row["max"],
        row["self_score"],
        row["province"],
        row["ministry"],
        row["not_accepted"] if compared else None,
        row["raised"] if compared else None,
        ("Có" if row["seen"] else "Không") if compared and row["not_accepted"] else "",
        row["province_note"],
        row["ministry_note"],
        status,
    ]
