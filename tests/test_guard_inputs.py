"""An input inside an output folder is refused before anything is written: the output would replace it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.errors import UsageError
from parcli.outputs import guard_outputs

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def test_the_guard_refuses_an_input_inside_an_output_folder(tmp_path: Path) -> None:
    inside = tmp_path / "out" / "gui-ve"
    inside.mkdir(parents=True)
    with pytest.raises(UsageError, match="nằm trong thư mục đầu ra"):
        guard_outputs(inputs=[inside], dirs=[tmp_path / "out"])
    guard_outputs(inputs=[tmp_path / "elsewhere"], dirs=[tmp_path / "out"])  # beside it: fine


def test_evidence_over_its_own_previous_pack_keeps_the_input(make_return, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`parcli evidence hsx/goi-tai-lieu -o hsx` used to move the input aside and delete it with the old output."""
    returns = tmp_path / "hsx" / "goi-tai-lieu"
    form = make_return("so-tu-phap", returns)
    res = runner.invoke(app, ["evidence", str(returns), "-o", str(tmp_path / "hsx")])
    assert res.exit_code == 2, res.output
    assert "nằm trong thư mục đầu ra" in res.output
    assert form.is_file()
