"""The unit-level test campaign (``mode: each-unit-scores``): its units, catalogues and typed values.

Three groups: ``so`` (5 units inline, one exempt from field 3, one that never returns), ``huyen`` (4 units from a
';'-delimited units_file, two with identical returns) and ``xa`` (2 units, a catalogue of another shape).  Every
figure a test expects is computed from these typed values, independently of parcli's scoring.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from parcli.config.campaign import Campaign, Department
from parcli.config.synthetic import catalogue_yaml

GROUPS = {
    "so": "Sở, ban, ngành tỉnh",
    "huyen": "UBND huyện, thị xã, thành phố",
    "xa": "UBND xã, phường, thị trấn",
}

# (id, name, group, exempt, points lost) — None: the unit never returns its workbook (first merge).
INLINE_UNITS: list[tuple[str, str, str, list[str], Decimal | None]] = [
    ("so-noi-vu", "Sở Nội vụ", "so", [], Decimal(0)),  # 84/84 = 100 %
    ("so-tu-phap", "Sở Tư pháp", "so", [], Decimal(7)),  # 77/84 = 91,67 %
    ("ban-dan-toc", "Ban Dân tộc", "so", ["3"], Decimal(6)),  # 66/72 = 91,67 % (tie with Sở Tư pháp)
    ("so-tai-chinh", "Sở Tài chính", "so", [], Decimal(24)),  # 60/84 = 71,43 %
    ("so-y-te", "Sở Y tế", "so", [], None),  # missing
    ("xa-lac-hong", "UBND xã Lạc Hồng", "xa", [], Decimal(0)),  # 87,5/87,5 = 100 %
    ("xa-minh-hai", "UBND xã Minh Hải", "xa", [], Decimal("17.5")),  # 70/87,5 = 80 % exactly
]
FILE_UNITS: list[tuple[str, str, str, list[str], Decimal | None]] = [
    ("h-van-lam", "UBND huyện Văn Lâm", "huyen", [], Decimal("12.5")),  # 71,5/84 = 85,12 %
    ("h-kim-dong", "UBND huyện Kim Động", "huyen", [], Decimal(34)),  # 50/84 = 59,52 %
    ("h-tien-lu", "UBND huyện Tiên Lữ", "huyen", [], Decimal(34)),  # identical to Kim Động
    ("h-phu-cu", "UBND huyện Phù Cừ", "huyen", [], Decimal(42)),  # 42/84 = 50 %
]
ALL_UNITS = INLINE_UNITS + FILE_UNITS
LOST = {u[0]: u[4] for u in ALL_UNITS}


def _unit_line(uid: str, name: str, group: str, exempt: list[str]) -> str:
    ex = f", exempt: [{', '.join(repr(e) for e in exempt)}]" if exempt else ""
    return f'  - {{id: {uid}, name: "{name}", group: {group}{ex}}}'


def campaign_text(
    *,
    units: list[tuple[str, str, str, list[str]]] | None = None,
    units_file: str | None = "units-huyen.csv",
    groups: dict[str, str] | None = None,
    extra: str = "",
) -> str:
    """A campaign.yaml of the test campaign; pieces can be replaced to make it invalid."""
    units = [u[:4] for u in INLINE_UNITS] if units is None else units
    groups = GROUPS if groups is None else groups
    lines = [
        "schema: parcli/campaign@1",
        "mode: each-unit-scores",
        "id: test-units-2023",
        'title: "Xác định Chỉ số CCHC năm 2023 của các đơn vị (kiểm thử)"',
        'province: "Hưng Yên"',
        "year: 2023",
        'plan: "Kế hoạch số 01/KH-UBND (kiểm thử)"',
        "organiser:",
        '  name: "Sở Nội vụ tỉnh Hưng Yên"',
        '  parent: "UBND tỉnh Hưng Yên"',
        "deadlines:",
        "  returns: 2024-01-10",
    ]
    if groups:
        lines.append("groups:")
        lines += [f'  - {{id: {g}, name: "{n}", catalogue: cat-{g}.yaml}}' for g, n in groups.items()]
    if units:
        lines.append("units:")
        lines += [_unit_line(*u) for u in units]
    if units_file:
        lines.append(f"units_file: {units_file}")
    return "\n".join(lines) + "\n" + extra


def write_catalogues(folder: Path) -> None:
    """The three groups' catalogues and the huyện units file, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    small = {"leaves_per_criterion": 2, "criteria_per_field": 2}
    (folder / "cat-so.yaml").write_text(catalogue_yaml("test-unit-so", **small), encoding="utf-8")
    (folder / "cat-huyen.yaml").write_text(catalogue_yaml("test-unit-huyen", **small), encoding="utf-8")
    (folder / "cat-xa.yaml").write_text(
        catalogue_yaml("test-unit-xa", leaves_per_criterion=2, criteria_per_field=1), encoding="utf-8"
    )
    rows = ["id;name;group;exempt"] + [f"{u[0]};{u[1]};{u[2]};{' '.join(u[3])}" for u in FILE_UNITS]
    (folder / "units-huyen.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def num(value: Decimal) -> int | float:
    """A score as a person types it: a whole number, or a decimal one."""
    return int(value) if value == value.to_integral_value() else float(value)


def unit_values(unit: Department, lose: Decimal) -> dict[str, dict[str, Any]]:
    """Full marks, less ``lose`` points taken from the scale items (step 0,25) in catalogue order."""
    remaining = lose
    out: dict[str, dict[str, Any]] = {}
    for i, leaf in enumerate(unit.items):
        score = leaf.max_points
        if remaining > 0 and leaf.allowed_points() is None:
            cut = min(remaining, leaf.max_points)
            score -= cut
            remaining -= cut
        lost = score < leaf.max_points
        out[leaf.code] = {
            "score": num(score),
            "explanation": (
                f"Chưa đạt tối đa mục {leaf.code}: còn nhiệm vụ chậm tiến độ."
                if lost
                else f"Đã hoàn thành đầy đủ nội dung mục {leaf.code}."
            ),
            "evidence": f"Báo cáo số {100 + i}/BC-{unit.id} ngày 15/12/2023",
        }
    assert remaining == 0, f"{unit.id}: cannot lose {lose} points on scale items"
    return out


def self_max(camp: Campaign, unit_id: str) -> Decimal:
    """The unit's applicable maximum, from its group's catalogue and its exemptions (not from parcli's unit)."""
    unit = camp.department_by_id[unit_id]
    exempt = next(u[3] for u in ALL_UNITS if u[0] == unit_id)
    cat = camp.catalogues[unit.group or ""]
    return sum(
        (
            leaf.max_points
            for leaf in cat.leaves
            if leaf.is_self and not any(leaf.code == e or leaf.code.startswith(e + ".") for e in exempt)
        ),
        Decimal(0),
    )


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """A percentage to two decimals, half up (as the ranking rounds it)."""
    return (part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
