"""The units of an each-unit-scores campaign from a table: a CSV (``,`` or ``;``) or an XLSX sheet."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from parcli.config.campaign_models import UnitModel
from parcli.errors import CampaignError


def read_units_file(path: Path, campaign_label: str, notes: list[str] | None = None) -> list[tuple[str, UnitModel]]:
    """Units from a CSV (``,`` or ``;``; UTF-8, or the Windows code page with a note added to ``notes``) or XLSX
    table with columns id, name, group, exempt."""
    if not path.is_file():
        raise CampaignError(campaign_label, [f"units_file: không tìm thấy {path}"])
    rows: list[tuple[str, list[str]]] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from parcli.xlsx.open import WorkbookRefused, open_workbook

        try:
            wb = open_workbook(path, fast_sheets=None, noun="bảng đơn vị", data_only=True)
        except WorkbookRefused as exc:
            raise CampaignError(campaign_label, [f"units_file: {path.name}: {exc.message}"]) from None
        try:
            ws = wb.worksheets[0]
            for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
                rows.append(
                    (f"{path.name} › {ws.title} › dòng {r}", ["" if v is None else str(v).strip() for v in values])
                )
        finally:
            wb.close()
    else:
        from parcli.csvtable import read_csv

        table = read_csv(path, comment="\0")  # a units list has no comment lines
        note = table.note(path.name)
        if note is not None and notes is not None:
            notes.append(note)
        for r, values in table.rows:
            rows.append((f"{path.name} dòng {r}", [v.strip() for v in values]))
    rows = [(w, v) for w, v in rows if any(v)]
    if not rows:
        raise CampaignError(campaign_label, [f"{path.name}: không có dòng nào"])
    header = [h.casefold() for h in rows[0][1]]
    missing = [h for h in ("id", "name", "group") if h not in header]
    if missing:
        raise CampaignError(
            campaign_label, [f"{rows[0][0]}: thiếu cột {', '.join(missing)} (cần các cột id, name, group, exempt)"]
        )
    out: list[tuple[str, UnitModel]] = []
    problems: list[str] = []
    for where, values in rows[1:]:
        record = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
        exempt = [c for c in re.split(r"[\s,;]+", record.get("exempt", "")) if c]
        try:
            out.append((where, UnitModel(id=record["id"], name=record["name"], group=record["group"], exempt=exempt)))
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
            problems.append(f"{where}: giá trị không hợp lệ ở cột {fields} (mã đơn vị chỉ gồm chữ thường a-z, số, -)")
    if problems:
        raise CampaignError(campaign_label, problems)
    return out
