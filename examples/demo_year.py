"""The first day of a real year in the demo: ``parcli init`` for the merged Hưng Yên in 2026, then its forms.

Called by ``examples/demo.py`` (``run_year``).  Hưng Yên and Thái Bình became Hưng Yên in 2025 (Nghị quyết
202/2025/QH15) with 104 commune-level units, 93 xã and 11 phường (Nghị quyết 1666/NQ-UBTVQH15).  The
official list is not bundled: the demo writes an ILLUSTRATIVE list of 104 names composed from common
place-name words, marked as such in its title row, in the shape an office keeps such a list (a title row,
STT, the name, the kind).  ``parcli init`` turns it into a campaign of the twelve departments and the
communes (``--mode so-xa``), and ``parcli generate`` issues the 116 forms.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from itertools import product
from pathlib import Path

WORDS = ("An", "Bình", "Hòa", "Phú", "Tân", "Thành", "Đông", "Hưng", "Long", "Minh", "Quang", "Thái", "Vĩnh", "Xuân")

Run = Callable[..., int]


def write_illustrative_list(path: Path, xa: int = 93, phuong: int = 11) -> Path:
    """A list of ``xa`` communes and ``phuong`` wards with composed names: an illustration, not the real list."""
    names = [f"{a} {b}" for a, b in product(WORDS, WORDS) if a != b]
    rows: list[list[str]] = [
        ["DANH SÁCH MINH HỌA do demo của parcli tạo (tên ghép), KHÔNG phải danh sách xã, phường chính thức"],
        [],
        ["STT", "Tên đơn vị hành chính", "Loại"],
    ]
    for i, name in enumerate(names[: xa + phuong], start=1):
        kind = "xã" if i <= xa else "phường"
        rows.append([str(i), f"{kind.capitalize()} {name}", kind])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def run_year(out: Path, parcli: list[str], run: Run, step: Callable[[str], None]) -> list[tuple[str, Path]]:
    """Start 2026 under ``out`` and issue its forms; return where the results are: (label, path)."""
    step("14. Năm 2026, tỉnh Hưng Yên sau hợp nhất: parcli init (12 sở, 104 xã, phường), phát hành phiếu")
    units = write_illustrative_list(out / "danh-sach-xa-phuong-minh-hoa.csv")
    plan = out / "ke-hoach"
    choices = ["--province", "Hưng Yên", "--year", "2026", "--mode", "so-xa", "--units", str(units)]
    run([*parcli, "init", str(plan), *choices])
    forms = out / "phieu-cham-diem"
    run([*parcli, "generate", "--campaign", str(plan / "campaign.yaml"), "--out", str(forms)])
    return [("Kế hoạch năm 2026", plan), ("Phiếu năm 2026", forms)]
