"""The floor of a merge, in one process: python-calamine reads every cell of every returned workbook, then
xlsxwriter (constant memory) writes one table of the item rows read (the file's name, then the row's cells).

Usage: python benchmarks/floor_merge.py RETURNS_DIR OUT.xlsx SCORES_SHEET TABLE_SHEET

An item row is a row of the scoring sheet whose code has two dots (``1.2.3``: every item of the bundled
catalogues).  Nothing of parcli is imported: this is what any program reading and writing the same cells
does, start-up included, and ``bench.py`` times it as a whole process beside ``parcli merge``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def floor_merge(returns: Path, target: Path, scores_sheet: str, table_sheet: str) -> dict[str, int]:
    """Read every cell of every ``*.xlsx`` in ``returns``, write the item rows to ``target``; what was done."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    files = sorted(returns.glob("*.xlsx"))
    cells = 0
    items: list[tuple[str, list[Any]]] = []
    for path in files:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            cells += sum(len(r) for r in rows)
            if name == scores_sheet:
                items.extend((path.name, r) for r in rows if r and str(r[0]).count(".") == 2)
    out = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False})
    ws = out.add_worksheet(table_sheet)
    for r, (name, row) in enumerate(items, start=1):
        ws.write_string(r, 0, name)
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value)
    out.close()
    return {"files": len(files), "cells": cells, "rows": len(items)}


if __name__ == "__main__":
    returns_dir, out_file, scores, table = sys.argv[1:5]
    floor_merge(Path(returns_dir), Path(out_file), scores, table)
