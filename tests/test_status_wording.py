"""Status wording: an on-time first copy and a late corrected copy are both reported."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from conftest import MakeReturn
from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.results.status import returns_status

runner = CliRunner()


def test_on_time_first_copy_and_late_correction(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    code = campaign.department_by_id["so-tu-phap"].items[0].code
    make_return("so-tu-phap", folder, overrides={code: {"score": 99}}, name="stp-lan-1.xlsx", sent=date(2024, 1, 13))
    make_return("so-tu-phap", folder, name="stp-ban-sua.xlsx", sent=date(2024, 1, 17))
    _, rows = returns_status(campaign, folder, today=date(2024, 1, 20))
    row = next(r for r in rows if r.department.id == "so-tu-phap")
    assert (row.status, row.used, row.timing) == ("ok", "stp-ban-sua.xlsx", "late")
    assert (row.first_received, row.first_on_time) == (date(2024, 1, 13), True)
    assert row.timing_note == "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"
    other = next(r for r in rows if r.department.id == "so-noi-vu")
    assert other.timing_note is None and other.first_received is None

    out = tmp_path / "status.json"
    result = runner.invoke(app, ["status", str(folder), "--today", "2024-01-20", "--json", str(out)])
    assert "Nộp đúng" in result.output and "bản sửa" in result.output, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    stp = next(d for d in data["departments"] if d["id"] == "so-tu-phap")
    assert stp["first_received"] == "2024-01-13" and stp["first_on_time"] is True
    assert stp["timing_note"] == "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"
