"""Write an EXAMPLE of the Ministry's appraisal result (.xlsx) from a consolidated workbook, for the demo.

    python examples/ministry_result.py TONG-HOP.xlsx KET-QUA-VI-DU.xlsx [--next-campaign NAM-SAU.yaml
        --next-catalogue BO-TIEU-CHI-NAM-SAU.yaml]

The workbook is laid out like an export of a scoring software (a title block, then ``STT | Tiêu chí |
Điểm tối đa | Điểm tự chấm | Điểm thẩm định | Ghi chú của đơn vị | Ghi chú của thẩm định``, rows numbered
``I. / 1. / 1.1.``), with a second sheet of points per field as a published decision gives them.  Its
first line says it is an example, NOT the Ministry's result.  The "Ministry" here accepts the province's
figures except on a few items, chosen by a fixed rule: in fields 1, 3, 5 and 7 the first item the
province kept at full points is lowered (with a note), an item the province's appraisal had already
lowered is lowered to 0, and one the province lowered is confirmed.  The survey points are 80% of each
field's survey maximum (invented).

``--next-campaign`` also writes an EXAMPLE campaign for the following year (the bundled one with its
year, id, deadlines and catalogue moved on), so that the demo can issue next year's remedy plans.
"""

from __future__ import annotations

import argparse
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from parcli.config.campaign import load_campaign
from parcli.config.catalogue import ChoiceRule
from parcli.results.consolidated import read_consolidated

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
EXAMPLE = "VÍ DỤ – bảng do parcli tạo để minh họa, KHÔNG phải kết quả thẩm định của Bộ Nội vụ."
HEADERS = (
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Ghi chú của đơn vị",
    "Ghi chú của thẩm định",
)
NOTES = [
    "Tài liệu kiểm chứng chưa chứng minh được kết quả thực hiện (chỉ có kế hoạch, chưa có báo cáo kết quả).",
    "Văn bản ban hành sau thời hạn quy định; không đạt điểm tối đa.",
    "Số liệu báo cáo chưa khớp với số liệu trên Cổng Dịch vụ công quốc gia.",
    "Chưa có tài liệu kiểm chứng về việc kiểm tra, đôn đốc thực hiện.",
]
SURVEY_SHARE = Decimal("0.8")  # invented: the example's survey points are 80% of each field's survey maximum


def lower(leaf: object, points: Decimal) -> Decimal:
    """The next lower allowed score: the option below for a choice rule, half a point less on a scale."""
    rule = getattr(leaf, "rule", None)
    if isinstance(rule, ChoiceRule):
        below = sorted(o.points for o in rule.options if o.points < points)
        return below[-1] if below else Decimal(0)
    return max(points - Decimal("0.5"), Decimal(0))


def number(value: Decimal | None) -> float | int | None:
    """A decimal as the number a cell holds."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def main() -> None:
    """Write the example result (and, if asked, next year's example campaign)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("consolidated", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--campaign", type=Path, help="the campaign (default: the one the workbook recorded)")
    parser.add_argument("--next-campaign", type=Path)
    parser.add_argument("--next-catalogue", type=Path)
    args = parser.parse_args()
    data = read_consolidated(args.consolidated)
    campaign = load_campaign(args.campaign or Path(data.metadata["campaign_path"]))
    cat = campaign.catalogue
    items = data.items()
    final = {
        code: (i.appraised if i.appraised is not None else i.score)
        for code, i in items.items()
        if i.scored_by == "self" and not i.not_applicable
    }
    ministry = dict(final)
    notes: dict[str, str] = {}
    for n, field_code in enumerate(("1", "3", "5", "7")):  # the first item kept at full points in these fields
        leaf = next(
            (leaf for leaf in cat.leaves_under(field_code) if leaf.is_self and final.get(leaf.code) == leaf.max_points),
            None,
        )
        if leaf is not None:
            ministry[leaf.code] = lower(leaf, leaf.max_points)
            notes[leaf.code] = NOTES[n]
    lowered_by_province = [c for c, i in items.items() if i.appraised and i.score and i.appraised < i.score]
    if lowered_by_province:
        ministry[lowered_by_province[0]] = Decimal(0)
        notes[lowered_by_province[0]] = "Không có tài liệu kiểm chứng hợp lệ; không tính điểm."
    if len(lowered_by_province) > 1:
        notes[lowered_by_province[1]] = "Thống nhất với kết quả thẩm định của tỉnh."

    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả thẩm định"
    ws.append([EXAMPLE])
    ws.append([f"KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {campaign.model.year} — TỈNH "
               f"{campaign.model.province.upper()}"])  # fmt: skip
    ws.append([])
    ws.append(list(HEADERS))
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for column, width in zip("ABCDEFG", (7, 60, 9, 9, 10, 30, 40), strict=True):
        ws.column_dimensions[column].width = width
    for f_index, field in enumerate(cat.model.fields):
        ws.append([f"{ROMAN[f_index]}.", field.title.upper(), number(field.max_points)])
        for c_index, criterion in enumerate(field.criteria, start=1):
            ws.append([f"{c_index}.", criterion.title, number(criterion.max_points)])
            for k_index, leaf in enumerate(cat.leaves_under(criterion.code), start=1):
                survey = not leaf.is_self
                given = "Không áp dụng" if items[leaf.code].not_applicable else number(ministry.get(leaf.code))
                ws.append(
                    [
                        f"{c_index}.{k_index}.",
                        leaf.title,
                        number(leaf.max_points),
                        None if survey else number(final.get(leaf.code)),
                        "Điều tra XHH" if survey else given,
                        None if survey else items[leaf.code].explanation[:120] or None,
                        notes.get(leaf.code),
                    ]
                )
    fields = wb.create_sheet("Theo lĩnh vực")
    fields.append([EXAMPLE])
    fields.append(["STT", "Lĩnh vực", "Điểm tối đa", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm"])
    for f_index, field in enumerate(cat.model.fields):
        leaves = cat.leaves_under(field.code)
        appraised = sum((ministry.get(leaf.code, Decimal(0)) for leaf in leaves if leaf.is_self), Decimal(0))
        survey_max = sum((leaf.max_points for leaf in leaves if not leaf.is_self), Decimal(0))
        survey = (survey_max * SURVEY_SHARE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        fields.append([ROMAN[f_index], field.title, number(field.max_points), number(appraised), number(survey),
                       number(appraised + survey)])  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(args.out)
    changed = sorted(c for c in ministry if ministry[c] != final.get(c))
    print(f"  {args.out.name}: VÍ DỤ kết quả của Bộ; {len(changed)} mục bị hạ điểm: {', '.join(changed)}")
    if args.next_campaign is not None:
        next_campaign(campaign.path, args.next_campaign, args.next_catalogue)


def next_campaign(source: Path, out: Path, catalogue: Path | None) -> None:
    """An EXAMPLE campaign for the following year: the bundled one with its year, id, deadlines and catalogue
    moved on (comments dropped)."""
    import os
    import re

    import yaml

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    year = int(data["year"]) + 1
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = re.sub(r"\b(20\d\d)-(\d\d)-(\d\d)\b", lambda m: f"{int(m[1]) + 1}-{m[2]}-{m[3]}", text)
    text = text.replace(str(year - 1), str(year))
    moved = yaml.safe_load(text)
    moved["example"] = True
    moved["id"] = re.sub(r"\d{4}$", str(year), str(data["id"]))
    if catalogue is not None:
        moved["catalogue"] = os.path.relpath(catalogue.resolve(), out.resolve().parent)
    else:
        moved["catalogue"] = os.path.relpath((source.parent / data["catalogue"]).resolve(), out.resolve().parent)
    for key in ("survey_lists",):  # files beside the bundled campaign, not copied
        moved.pop(key, None)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = f"# VÍ DỤ – kế hoạch năm {year} do parcli tạo từ kế hoạch năm {year - 1} để minh họa, không phải thật.\n"
    out.write_text(header + yaml.safe_dump(moved, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"  {out.name}: VÍ DỤ kế hoạch năm {year}")


if __name__ == "__main__":
    main()
