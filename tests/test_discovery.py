"""Forgetting -c in a folder that holds campaign.yaml uses that campaign, not the bundled example; PARCLI_CAMPAIGN
names one anywhere; the bundled example is used only when there is none, and said so first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import default_campaign_path

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def _own_campaign(folder: Path) -> Path:
    """A copy of the example under another id (a province of its own), its catalogue beside it."""
    source = default_campaign_path()
    text = source.read_text(encoding="utf-8")
    line = re.search(r"^catalogue:\s*(\S+)", text, re.M)
    assert line is not None
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bo-tieu-chi.yaml").write_bytes((source.parent / line.group(1)).read_bytes())
    text = text.replace(line.group(0), "catalogue: bo-tieu-chi.yaml")
    text = re.sub(r"^id: .*$", "id: tinh-rieng-2023", text, count=1, flags=re.M)
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    return folder / "campaign.yaml"


def test_campaign_yaml_in_the_current_folder_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _own_campaign(tmp_path)
    (tmp_path / "gui-ve").mkdir()
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["status", "gui-ve", "--json", "-"])
    assert res.output.startswith("Dùng kế hoạch trong thư mục hiện tại:"), res.output
    assert '"campaign": "tinh-rieng-2023"' in res.output


def test_the_environment_names_a_campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _own_campaign(tmp_path / "ke-hoach")
    monkeypatch.setenv("PARCLI_CAMPAIGN", str(plan))
    (tmp_path / "gui-ve").mkdir()
    res = runner.invoke(app, ["status", str(tmp_path / "gui-ve"), "--json", "-"])
    assert "PARCLI_CAMPAIGN" in res.output.splitlines()[0]
    assert '"campaign": "tinh-rieng-2023"' in res.output


def test_the_bundled_example_is_said_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gui-ve").mkdir()
    res = runner.invoke(app, ["status", "gui-ve"])
    first = res.output.splitlines()[0]
    assert first.startswith("Dùng kế hoạch mẫu đi kèm parcli") and "không phải kế hoạch của Quý cơ quan" in first
