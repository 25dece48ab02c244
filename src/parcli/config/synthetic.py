"""Synthetic each-unit-scores campaigns of any size, for tests and benchmarks.

The catalogue written here is invented: every node says so (``verified:
false``, ``source: "Dữ liệu tổng hợp (synthetic) …"``).  It has the shape of a
commune-level criteria set: 8 fields, a few criteria each, about 100 leaves,
100 points, choice and scale rules, one branch a unit may be exempt from.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from parcli.files import atomic_write_text

SOURCE = "Dữ liệu tổng hợp (synthetic) do parcli sinh ra để kiểm thử và đo hiệu năng; không phải văn bản chính thức"
FIELD_TITLES = (
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng chính quyền số",
    "Tác động của cải cách hành chính",
)


def _q(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def catalogue_yaml(
    catalogue_id: str, *, leaves_per_criterion: int = 4, criteria_per_field: int = 3, survey_field: bool = True
) -> str:
    """A valid catalogue of 8 fields × ``criteria_per_field`` × ``leaves_per_criterion`` leaves, 100 points.

    Each leaf is worth 100 / (number of leaves) rounded to a multiple of 0.25; the
    last leaf of the last criterion absorbs the remainder so the sums are exact.
    """
    n_fields = len(FIELD_TITLES)
    n_leaves = n_fields * criteria_per_field * leaves_per_criterion
    unit = (Decimal(100) / n_leaves / Decimal("0.25")).to_integral_value() * Decimal("0.25")
    leaf_points = [unit] * n_leaves
    leaf_points[-1] += Decimal(100) - unit * n_leaves
    lines = [
        "# Synthetic catalogue written by parcli.config.synthetic (tests and benchmarks); NOT an official text.",
        "schema: parcli/catalogue@1",
        f"id: {catalogue_id}",
        f"title: {_q('Bộ tiêu chí tổng hợp (synthetic) cấp xã')}",
        "year: 2023",
        f"decision: {_q('Không có — dữ liệu tổng hợp')}",
        "total_points: 100",
    ]
    body: list[str] = []
    self_total = survey_total = Decimal(0)
    index = 0
    for f in range(1, n_fields + 1):
        survey = survey_field and f == n_fields
        field_points = sum(leaf_points[index : index + criteria_per_field * leaves_per_criterion], Decimal(0))
        body += [
            f'  - code: "{f}"',
            f"    title: {_q(FIELD_TITLES[f - 1])}",
            f"    max_points: {field_points}",
            f"    source: {_q(SOURCE)}",
            "    verified: false",
            "    criteria:",
        ]
        for c in range(1, criteria_per_field + 1):
            points = leaf_points[index : index + leaves_per_criterion]
            body += [
                f'      - code: "{f}.{c}"',
                f"        title: {_q(f'Tiêu chí {f}.{c} (tổng hợp)')}",
                f"        max_points: {sum(points, Decimal(0))}",
                f"        source: {_q(SOURCE)}",
                "        verified: false",
                "        components:",
            ]
            for k, p in enumerate(points, start=1):
                code = f"{f}.{c}.{k}"
                body += [
                    f'          - code: "{code}"',
                    f"            title: {_q(f'Tiêu chí thành phần {code}')}",
                    f"            max_points: {p}",
                    f"            source: {_q(SOURCE)}",
                    "            verified: false",
                ]
                if survey:
                    body.append("            scored_by: survey")
                    survey_total += p
                else:
                    body.append("            scored_by: self")
                    self_total += p
                    if k % 2 and p >= Decimal("0.5"):
                        half = p / 2
                        body += [
                            "            rule:",
                            "              kind: choice",
                            "              options:",
                            f"                - {{points: {p}, label: {_q('Hoàn thành 100%')}}}",
                            f"                - {{points: {half}, label: {_q('Hoàn thành từ 80% đến dưới 100%')}}}",
                            f"                - {{points: 0, label: {_q('Dưới 80%')}}}",
                        ]
                    else:
                        body += ["            rule: {kind: scale, step: 0.25}"]
                    body += [
                        f"            guidance: {_q('Chấm theo kết quả thực hiện trong năm (dữ liệu tổng hợp).')}",
                        "            evidence_required: true",
                    ]
                index += 1
    lines += [
        f"self_points: {self_total}",
        f"survey_points: {survey_total}",
        f"source: {_q(SOURCE)}",
        "verified: false",
        "fields:",
    ]
    return "\n".join(lines + body) + "\n"


def write_campaign(folder: Path, units: int, *, groups: int = 1, exempt_every: int = 0) -> Path:
    """Write a synthetic each-unit-scores campaign with ``units`` communes; return the campaign path.

    ``groups`` catalogues (xa-1, xa-2, …) share the units round-robin; with
    ``exempt_every`` = n, every n-th unit is exempt from field 3.
    """
    folder.mkdir(parents=True, exist_ok=True)
    group_lines = []
    for g in range(1, groups + 1):
        cat_name = f"catalogue-xa-{g}.yaml"
        atomic_write_text(folder / cat_name, catalogue_yaml(f"synthetic-xa-{g}"))
        group_lines.append(f"  - {{id: xa-{g}, name: {_q(f'Xã nhóm {g}')}, catalogue: {cat_name}}}")
    rows = ["id,name,group,exempt"]
    for i in range(1, units + 1):
        exempt = "3" if exempt_every and i % exempt_every == 0 else ""
        rows.append(f"xa-{i:05d},Xã Tổng hợp {i},xa-{(i - 1) % groups + 1},{exempt}")
    atomic_write_text(folder / "units.csv", "\n".join(rows) + "\n")
    text = "\n".join(
        [
            "# Synthetic campaign written by parcli.config.synthetic (tests and benchmarks); NOT an official plan.",
            "schema: parcli/campaign@1",
            "mode: each-unit-scores",
            f"id: synthetic-{units}",
            f"title: {_q(f'Đợt đánh giá tổng hợp (synthetic) {units} xã')}",
            f"province: {_q('Tỉnh Tổng hợp')}",
            "year: 2023",
            "organiser:",
            f"  name: {_q('Sở Nội vụ tỉnh Tổng hợp')}",
            "deadlines:",
            "  returns: 2024-01-10",
            "groups:",
            *group_lines,
            "units_file: units.csv",
        ]
    )
    target = folder / "campaign.yaml"
    atomic_write_text(target, text + "\n")
    return target
