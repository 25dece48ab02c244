"""Rounds within the year: each round its own deadlines, workbooks that say their round, ``wrong-round``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign, campaign_ref, load_campaign, load_ref
from parcli.errors import UsageError
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from parcli.rounds.scoring.read import read_return
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook


def test_default_round_is_the_last_with_its_deadlines(campaign: Campaign) -> None:
    assert [r.id for r in campaign.rounds] == ["so-bo-9-thang", "ca-nam"]
    assert campaign.round_id == "ca-nam"
    assert campaign.model.deadlines.returns == date(2024, 1, 15)
    early = campaign.at_round("so-bo-9-thang")
    assert early.round_id == "so-bo-9-thang"
    assert early.model.deadlines.returns == date(2023, 10, 10)
    assert early.content_hash == campaign.content_hash  # the same plan, another round
    assert load_ref(campaign_ref(early)).round_id == "so-bo-9-thang"


def test_unknown_round_is_a_usage_error(campaign: Campaign) -> None:
    with pytest.raises(UsageError, match="không có đợt “quy-3”"):
        campaign.at_round("quy-3")


def _copy(campaign: Campaign, text: str, target: Path) -> Path:
    criteria = (campaign.path.parent / "../../criteria").resolve()
    target.write_text(text.replace("../../criteria/", f"{criteria}/"), encoding="utf-8")
    return target


def test_campaign_without_rounds_is_one_implicit_round(tmp_path: Path, campaign: Campaign) -> None:
    text = campaign.path.read_text(encoding="utf-8")
    plain = text[: text.index("\nrounds:")] + text[text.index("\nassignment_note:") :]  # rounds: left out
    loaded = load_campaign(_copy(campaign, plain, tmp_path / "campaign.yaml"))
    assert loaded.round_id is None and loaded.rounds == ()
    assert loaded.model.deadlines == campaign.model.deadlines
    with pytest.raises(UsageError):
        loaded.at_round("ca-nam")
    issued = generate_workbooks(loaded, tmp_path / "out", now=FIXED_NOW).workbooks[0].path
    hidden = next(ws for ws in load_workbook(issued).worksheets if ws.sheet_state != "visible")
    assert "round_id" not in {row[0] for row in hidden.iter_rows(max_col=1, values_only=True)}


def test_duplicate_round_ids_are_refused(tmp_path: Path, campaign: Campaign) -> None:
    from parcli.errors import CampaignError

    text = campaign.path.read_text(encoding="utf-8").replace("id: ca-nam", "id: so-bo-9-thang")
    with pytest.raises(CampaignError, match="hai đợt cùng mã"):
        load_campaign(_copy(campaign, text, tmp_path / "campaign.yaml"))


def _issue(campaign: Campaign, round_id: str, out: Path) -> dict[str, Path]:
    result = generate_workbooks(campaign.at_round(round_id), out, now=FIXED_NOW)
    return {w.department.id: w.path for w in result.workbooks}


def test_workbook_states_its_round_and_wrong_round_is_an_error(campaign: Campaign, tmp_path: Path) -> None:
    issued = _issue(campaign, "so-bo-9-thang", tmp_path / "issued")
    dept = campaign.departments[0]
    wb = load_workbook(issued[dept.id])
    meta = (
        {row[0]: row[1] for row in wb["_parcli"].iter_rows(values_only=True) if row[0]}
        if "_parcli" in wb.sheetnames
        else None
    )
    cover = [c for row in wb["Hướng dẫn"].iter_rows(values_only=True) for c in row if c]
    assert "Đợt đánh giá" in cover and "Đánh giá sơ bộ 9 tháng đầu năm 2023 (ví dụ)" in cover
    hidden = next(ws for ws in wb.worksheets if ws.sheet_state != "visible")
    meta = {row[0]: row[1] for row in hidden.iter_rows(max_col=2, values_only=True) if row[0]}
    assert meta["round_id"] == "so-bo-9-thang"
    filled = tmp_path / "returns" / issued[dept.id].name
    fill_workbook(issued[dept.id], filled, expected_values(dept))
    assert read_return(filled, campaign.at_round("so-bo-9-thang")).problems == []
    wrong = read_return(filled, campaign)  # the year-end round
    assert [p.slug for p in wrong.problems] == ["wrong-round"]
    assert "Đánh giá sơ bộ" in wrong.problems[0].message
    merged = merge_returns(campaign, tmp_path / "returns")
    assert "wrong-round" in {p.slug for p in merged.problems}


def test_cli_round_option(campaign: Campaign, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "so-bo"
    res = runner.invoke(app, ["generate", "--round", "so-bo-9-thang", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Đợt đánh giá: Đánh giá sơ bộ 9 tháng" in res.output
    first = sorted(out.glob("*.xlsx"))[0]
    res = runner.invoke(app, ["check", str(first)])  # read in the year-end round
    assert res.exit_code == 1 and "wrong-round" in res.output
    res = runner.invoke(app, ["check", "--round", "so-bo-9-thang", str(first)])
    assert "wrong-round" not in res.output
    res = runner.invoke(app, ["status", "--round", "quy-3", str(out)])
    assert res.exit_code == 2 and "quy-3" in res.output


def test_remind_and_feedback_take_the_round(campaign: Campaign, tmp_path: Path) -> None:
    early = campaign.at_round("so-bo-9-thang")
    issued = _issue(campaign, "so-bo-9-thang", tmp_path / "issued")
    sent = campaign.departments[:2]
    for dept in sent:
        fill_workbook(issued[dept.id], tmp_path / "returns" / issued[dept.id].name, expected_values(dept))
    returns = str(tmp_path / "returns")
    runner = CliRunner()
    # in their own round the two returns are fine: no feedback copy, reminders only for the others
    res = runner.invoke(app, ["feedback", "--round", "so-bo-9-thang", returns, "-o", str(tmp_path / "gop-y")])
    assert res.exit_code == 0, res.output
    assert not list((tmp_path / "gop-y").glob("*.xlsx"))
    args = ["remind", "--round", "so-bo-9-thang", returns, "--today", "2023-10-12"]
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "nhac")])
    assert res.exit_code == 0, res.output
    reminded = {line.split(":")[0] for line in res.output.splitlines() if ":" in line}
    assert {d.name for d in early.departments[2:]} <= reminded
    assert not {d.name for d in sent} & reminded
    assert "10/10/2023" in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "nhac").glob("*.txt"))
    # read in the default (year-end) round they are returns of another round (wrong-round): reminded too
    res = runner.invoke(app, ["remind", returns, "--today", "2024-01-16", "-o", str(tmp_path / "nhac-ca-nam")])
    assert res.exit_code == 0, res.output
    assert {d.name for d in sent} <= {line.split(":")[0] for line in res.output.splitlines() if ":" in line}
