"""A campaign with one catalogue per unit group: `catalogue show -c` shows every one; `export -c` asks which."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from parcli.cli import app
from parcli.resources import data_dir

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
UNITS = data_dir("examples") / "hung-yen-units-2023" / "campaign.yaml"


def test_show_every_group_catalogue() -> None:
    res = runner.invoke(app, ["catalogue", "show", "-c", str(UNITS), "--depth", "1"])
    assert res.exit_code == 0, res.output
    assert "unit-so-example" in res.output and "unit-huyen-example" in res.output


def test_export_asks_which_catalogue(tmp_path: Path) -> None:
    res = runner.invoke(app, ["catalogue", "export", "-c", str(UNITS), "-o", str(tmp_path / "bang.xlsx")])
    assert res.exit_code == 2, res.output
    assert "chỉ rõ tệp cần dùng" in res.output and "unit-so-example.yaml" in res.output
    assert not (tmp_path / "bang.xlsx").exists()
