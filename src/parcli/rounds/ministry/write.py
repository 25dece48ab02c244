"""Writing parcli's result workbook: the Ministry's appraisal as imported, with its identity.

One row per component criterion of the catalogue (in its order) with the Ministry's points and notes
and what became of its row (imported, not applicable, absent, refused for an error); one row per field
with the self-assessed part as appraised and the survey part (from the fields table when the decision's
table was given, else summed from the items); the problems of the import; and the hidden metadata: the
kind, the campaign and its year, the catalogue and its hash, the source file and its SHA-256, the code
mapping used.  Written by the one table writer (:mod:`parcli.xlsx.table`), its sheets protected: the
workbook is an output, made again by importing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli import __version__
from parcli.config.campaign import Campaign
from parcli.config.catalogue import Catalogue
from parcli.files import FileStamp
from parcli.glossary import time_vn
from parcli.numbers import percent
from parcli.rounds.ministry import layout
from parcli.rounds.ministry.read import MinistryImport

ZERO = Decimal(0)
_FIELD_TOTAL = "Tổng cộng"


@dataclass(frozen=True)
class FieldFigures:
    """One field of the result: maxima, the appraised self-assessed part and the survey part (None: not given)."""

    code: str
    title: str
    max_points: Decimal
    self_max: Decimal
    appraised: Decimal | None
    survey_max: Decimal
    survey: Decimal | None
    source: str

    @property
    def total(self) -> Decimal | None:
        """Appraised part plus survey part, when both are known (a field without survey items needs none)."""
        if self.appraised is None or (self.survey is None and self.survey_max):
            return None
        return self.appraised + (self.survey or ZERO)


def field_figures(catalogue: Catalogue, imported: MinistryImport) -> list[FieldFigures]:
    """Per field: the fields table's figures where given, else the sums of the items imported.

    A sum is given only when every item it needs was imported (an item not applicable for the Ministry
    leaves both its points and its maximum); otherwise the source says how many are missing.
    """
    out = []
    for node in catalogue.model.fields:
        leaves = catalogue.leaves_under(node.code)
        given = imported.fields.get(node.code)
        na = {leaf.code for leaf in leaves if (i := imported.items.get(leaf.code)) is not None and i.not_applicable}
        self_max = sum((leaf.max_points for leaf in leaves if leaf.is_self and leaf.code not in na), ZERO)
        survey_max = sum((leaf.max_points for leaf in leaves if not leaf.is_self and leaf.code not in na), ZERO)
        appraised, missing = _summed(imported, [leaf.code for leaf in leaves if leaf.is_self and leaf.code not in na])
        survey, _ = _summed(imported, [leaf.code for leaf in leaves if not leaf.is_self and leaf.code not in na])
        source = layout.SOURCE_ITEMS if imported.item_sheet else layout.SOURCE_FIELD_TABLE
        if missing and imported.item_sheet:
            source += f" (thiếu {missing} mục)"
        if given is not None and given.appraised is not None:
            appraised, source = given.appraised, layout.SOURCE_FIELD_TABLE
        if given is not None and given.survey is not None:
            survey = given.survey
        elif given is not None and given.total is not None and appraised is not None and given.total >= appraised:
            survey = given.total - appraised  # the decision gives the field's total and its appraised part
        out.append(
            FieldFigures(node.code, node.title, node.max_points, self_max, appraised, survey_max, survey, source)
        )
    return out


def _summed(imported: MinistryImport, codes: list[str]) -> tuple[Decimal | None, int]:
    """(the sum of the items' points, None unless every one was imported; how many are missing)."""
    points = [
        imported.items[c].appraised if c in imported.items and c not in imported.rejected else None for c in codes
    ]
    missing = sum(1 for p in points if p is None)
    return (None if missing or not codes else sum((p or ZERO for p in points), ZERO)), missing


def write_result(
    campaign: Campaign,
    imported: MinistryImport,
    out: Path,
    *,
    mapping: tuple[str, str] | None,
    created: datetime,
    read: FileStamp | None = None,
) -> list[FieldFigures]:
    """Write the result workbook to ``out`` atomically (replacing it only if unchanged since ``read``).

    ``mapping`` is the code mapping used (file name, SHA-256).  Returns the field figures written.
    """
    from parcli.xlsx.table import table_workbook

    catalogue = campaign.catalogue
    model = campaign.model
    figures = field_figures(catalogue, imported)
    stamp = created.replace(microsecond=0)
    source = imported.file
    note = (
        f"Nhập từ tệp {source} (SHA-256 {imported.sha256[:16]}…) {time_vn(stamp)}. Bảng chỉ để "
        "đọc: khi cần sửa, sửa tệp của Bộ (hoặc bộ tiêu chí) rồi chạy lại parcli result import."
    )
    with table_workbook(
        out, created=stamp, read=read, author=f"parcli {__version__}", title=f"Kết quả thẩm định {model.year}"
    ) as book:
        items = book.table(
            layout.SHEET_ITEMS,
            layout.OWN_ITEMS.labels,
            [c.width for c in layout.OWN_ITEMS.columns],
            title=f"KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM {model.year} CỦA BỘ NỘI VỤ — TỈNH {model.province.upper()}",
            note=note,
            header_row=layout.HEADER_ROW - 1,
            freeze_columns=1,
            print_columns=1,
            protect=True,
        )
        for values in _item_rows(catalogue, imported):
            items.row(values)
        fields = book.table(
            layout.SHEET_FIELDS,
            layout.OWN_FIELDS.labels,
            [c.width for c in layout.OWN_FIELDS.columns],
            title=f"KẾT QUẢ THEO LĨNH VỰC — NĂM {model.year}",
            note="Điểm thẩm định phần tự đánh giá và điểm điều tra xã hội học của từng lĩnh vực theo kết quả của Bộ "
            "Nội vụ; để trống khi tệp của Bộ không có số liệu đó.",
            header_row=layout.HEADER_ROW - 1,
            protect=True,
        )
        for f in figures:
            fields.row(_field_row(f))
        fields.row(_total_row(figures), "subgroup")
        problems = book.table(
            layout.SHEET_PROBLEMS, layout.PROBLEM_HEADERS, (10, 22, 14, 28, 18, 8, 8, 80), protect=True
        )
        for p in imported.problems:
            problems.row(
                ["Lỗi" if p.is_error else "Cảnh báo", p.slug, "", p.file or "", p.sheet or "", p.cell or "",
                 p.item or "", p.message]
            )  # fmt: skip
        book.metadata(layout.SHEET_META, _metadata(campaign, imported, mapping, stamp))
    return figures


def _item_rows(catalogue: Catalogue, imported: MinistryImport) -> list[list[Any]]:
    rows = []
    for leaf in catalogue.leaves:
        item = imported.items.get(leaf.code)
        if not imported.item_sheet:
            status = layout.STATUS_FIELDS_ONLY
        elif item is None:
            status = layout.STATUS_ABSENT
        elif not leaf.is_self and item.appraised is None:
            status = layout.STATUS_NO_SURVEY
        elif leaf.code in imported.rejected:
            status = layout.STATUS_ERROR
        elif item.not_applicable:
            status = layout.STATUS_NOT_APPLICABLE
        else:
            status = layout.STATUS_READ + ("; điểm tối đa khác bộ tiêu chí" if item.max_differs else "")
        appraised: Any = item.appraised if item is not None and leaf.code not in imported.rejected else None
        if item is not None and item.not_applicable:
            appraised = layout.NOT_APPLICABLE
        rows.append(
            [
                leaf.code,
                item.source_code if item is not None else "",
                leaf.title,
                leaf.field_code,
                layout.SCORED_BY_LABELS[leaf.scored_by],
                leaf.max_points,
                item.self_score if item is not None else None,
                appraised,
                item.unit_note if item is not None else "",
                item.note if item is not None else "",
                status,
                f"{item.sheet} › {item.row}" if item is not None else "",
            ]
        )
    return rows


def _field_row(f: FieldFigures) -> list[Any]:
    total = f.total
    return [
        f.code,
        f.title,
        f.max_points,
        f.self_max,
        f.appraised,
        f.survey_max,
        f.survey,
        total,
        percent(total, f.self_max + f.survey_max) if total is not None else None,
        f.source,
    ]


def _total_row(figures: list[FieldFigures]) -> list[Any]:
    def whole(values: list[Decimal | None]) -> Decimal | None:
        return None if any(v is None for v in values) else sum((v or ZERO for v in values), ZERO)

    top = sum((f.self_max + f.survey_max for f in figures), ZERO)
    total = whole([f.total for f in figures])
    return [
        "",
        _FIELD_TOTAL,
        sum((f.max_points for f in figures), ZERO),
        sum((f.self_max for f in figures), ZERO),
        whole([f.appraised for f in figures]),
        sum((f.survey_max for f in figures), ZERO),
        whole([f.survey for f in figures]),
        total,
        percent(total, top) if total is not None else None,
        "",
    ]


def _metadata(
    campaign: Campaign, imported: MinistryImport, mapping: tuple[str, str] | None, stamp: datetime
) -> dict[str, str]:
    sheets = [s for s in (imported.item_sheet, imported.field_sheet) if s]
    return {
        layout.META_KIND: layout.KIND_RESULT,
        layout.META_LAYOUT: layout.LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: campaign.id,
        layout.META_CAMPAIGN_TITLE: campaign.model.title,
        layout.META_YEAR: str(campaign.model.year),
        layout.META_CATALOGUE_ID: campaign.catalogue.id,
        layout.META_CATALOGUE_HASH: campaign.catalogue.content_hash,
        layout.META_SOURCE_FILE: imported.file,
        layout.META_SOURCE_SHA256: imported.sha256,
        layout.META_SOURCE_SHEETS: " | ".join(sheets),
        layout.META_GRANULARITY: imported.granularity,
        layout.META_HAS_SELF: "1" if imported.has_self else "0",
        layout.META_MAPPING_FILE: mapping[0] if mapping else "",
        layout.META_MAPPING_SHA256: mapping[1] if mapping else "",
        layout.META_ERRORS: str(imported.errors),
        layout.META_WARNINGS: str(imported.warnings),
        layout.META_GENERATED_AT: stamp.isoformat(),
    }
