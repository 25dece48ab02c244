"""Filling issued workbooks the way a department would, for tests.

This module is deliberately independent of parcli's reader: it finds rows by
the code in column A of the scoring sheet and types values with openpyxl, as
a person (or another program) editing the workbook would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

SCORES_SHEET = "Chấm điểm"
COL = {"score": 4, "explanation": 5, "evidence": 6}
KEEP = object()


def default_values(leaf: Any, index: int) -> dict[str, Any]:
    """Realistic values: full marks for most items, a lost point now and then, always explained."""
    options = leaf.allowed_points()
    score: Decimal
    if options is not None and index % 3 == 2:
        score = sorted(options)[-2]
    elif options is None and index % 4 == 3:
        score = leaf.max_points - leaf.rule.step
    else:
        score = leaf.max_points
    lost = score < leaf.max_points
    return {
        "score": float(score) if score != score.to_integral_value() else int(score),
        "explanation": (
            f"Chưa đạt tối đa mục {leaf.code}: một số nhiệm vụ hoàn thành chậm so với kế hoạch."
            if lost
            else f"Đã hoàn thành đầy đủ nội dung mục {leaf.code} theo kế hoạch."
        ),
        "evidence": f"Báo cáo số {100 + index}/BC-SNV ngày 15/12/2023",
    }


def expected_values(dept: Any) -> dict[str, dict[str, Any]]:
    """The default values of every item of a department."""
    return {leaf.code: default_values(leaf, i) for i, leaf in enumerate(dept.items)}


def fill_workbook(src: Path, dst: Path, values: dict[str, dict[str, Any]], *, sent: Any = None) -> None:
    """Type ``values`` (code → {score, explanation, evidence}) into a copy of ``src`` saved as ``dst``."""
    wb = load_workbook(src)
    ws = wb[SCORES_SHEET]
    rows = {str(ws.cell(row=r, column=1).value): r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    for code, fields in values.items():
        row = rows[code]
        for name, value in fields.items():
            if value is KEEP:
                continue
            ws.cell(row=row, column=COL[name]).value = value
    if sent is not None:
        cover = wb["Hướng dẫn"]
        for r in range(1, cover.max_row + 1):
            if cover.cell(row=r, column=1).value == "Ngày gửi":
                cover.cell(row=r, column=2).value = sent
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)


def soffice() -> str | None:
    """Path of LibreOffice's soffice, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def roundtrip(path: Path, outdir: Path) -> Path:
    """Open and re-save a workbook with LibreOffice Calc headless; return the new file."""
    return roundtrip_many([path], outdir)[0]


def roundtrip_many(paths: list[Path], outdir: Path) -> list[Path]:
    """Open and re-save several workbooks in one LibreOffice start (faster than one by one)."""
    exe = soffice()
    assert exe is not None
    outdir.mkdir(parents=True, exist_ok=True)
    home = outdir.parent / f".lo-home-{outdir.name}"  # beside, not inside: the folder holds only the workbooks
    profile = home / ".lo-profile"
    env = dict(os.environ, HOME=str(home))
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=env,
    )
    outs = [outdir / (p.stem + ".xlsx") for p in paths]
    missing = [o for o in outs if not o.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return outs
