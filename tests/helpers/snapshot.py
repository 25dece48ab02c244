"""Normalised snapshots of workbooks, for golden-file comparisons (never compare .xlsx bytes).

A golden file is written only when ``UPDATE_GOLDEN=1``; a missing one fails, so a renamed or
forgotten golden file never passes by writing itself.  Writes are atomic (a temporary file renamed into
place), so parallel workers never read a half-written golden file.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from parcli import __version__

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def updating() -> bool:
    """Whether this run rewrites golden files (``UPDATE_GOLDEN=1``)."""
    return os.environ.get("UPDATE_GOLDEN") == "1"


def _write(target: Path, text: str) -> None:
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return  # unchanged: leave the file (and its time stamp) alone
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(target)


def _missing(target: Path) -> AssertionError:
    return AssertionError(f"golden file {target} is missing: run UPDATE_GOLDEN=1 pytest, review and commit it")


def _value(v: Any) -> Any:
    if isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v):
        return "<sha256>"  # hashes change with any edit of the campaign; the layout is what is compared
    if v is None or isinstance(v, str | int | bool):
        return v
    if isinstance(v, float):
        return round(v, 10)
    return str(v)


def workbook_snapshot(path: Path, *, include_styles: bool = True) -> dict[str, Any]:
    """Sheets, states, cell values, number formats, validations, protection and unlocked cells."""
    wb = load_workbook(path)
    snap: dict[str, Any] = {"sheets": []}
    for ws in wb.worksheets:
        cells = {}
        unlocked = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[c.coordinate] = _value(c.value)
                if include_styles and c.protection is not None and c.protection.locked is False:
                    unlocked.append(c.coordinate)
        validations = sorted(
            (
                {
                    "sqref": str(dv.sqref),
                    "type": dv.type,
                    "operator": dv.operator,
                    "formula1": (dv.formula1 or "").replace("'", ""),
                    "formula2": dv.formula2,
                    "error": dv.error,
                    "prompt": dv.prompt,
                }
                for dv in ws.data_validations.dataValidation
            ),
            key=lambda d: d["sqref"],
        )
        snap["sheets"].append(
            {
                "title": ws.title,
                "state": ws.sheet_state,
                "protected": bool(ws.protection.sheet),
                "cells": cells,
                "unlocked": sorted(unlocked),
                "validations": validations,
            }
        )
    return snap


def assert_golden(name: str, data: Any) -> None:
    """Compare ``data`` with ``tests/golden/<name>.json``; ``UPDATE_GOLDEN=1`` rewrites the file."""
    target = GOLDEN / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if updating():
        _write(target, text)
    elif not target.exists():
        raise _missing(target)
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(text), (
        f"{name} differs from its golden file; run UPDATE_GOLDEN=1 pytest and review the diff"
    )


def assert_text_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``tests/golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites the file.

    Only the tool version is masked (it changes with every release).
    """
    target = GOLDEN / name
    text = text.replace(f"parcli {__version__}", "parcli <phiên bản>")
    if updating():
        _write(target, text)
    elif not target.exists():
        raise _missing(target)
    want = target.read_text(encoding="utf-8")
    if text != want:
        diff = "".join(
            difflib.unified_diff(
                want.splitlines(keepends=True), text.splitlines(keepends=True), str(target), "rendered", n=1
            )
        )
        raise AssertionError(f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")
