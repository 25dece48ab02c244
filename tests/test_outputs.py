"""The output guard and "no lost save": operator slips refused before anything is written (exit 2), outputs
that cannot be written refused before any is written (exit 3), a file changed since it was read never
replaced, lock files of a spreadsheet program noticed, temporaries of a killed run cleaned."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.errors import OutputError, UsageError
from parcli.files import FileStamp, atomic_write_text, check_unchanged
from parcli.outputs import guard_outputs
from tests.helpers.factory import MakeReturn, copy_tree_bytes

runner = CliRunner(env={"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"})
DEPT = "so-noi-vu"


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def returns(make_return: MakeReturn, tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    make_return(DEPT, folder)
    return folder


# --- the guard as a function ------------------------------------------------------------------------


def test_guard_refuses_every_slip(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    given = folder / "a.xlsx"
    given.write_bytes(b"x")
    out = tmp_path / "th.xlsx"
    with pytest.raises(UsageError, match="trùng một đường dẫn"):
        guard_outputs(files=[out, tmp_path / "." / "th.xlsx"])
    with pytest.raises(UsageError, match="chính là tệp đầu vào"):
        guard_outputs(inputs=[given], files=[given])
    with pytest.raises(UsageError, match="nằm trong thư mục đầu vào"):
        guard_outputs(inputs=[folder], files=[folder / "tong-hop.xlsx"])
    with pytest.raises(UsageError, match="nằm trong thư mục đầu vào"):
        guard_outputs(inputs=[folder], dirs=[folder / "gop-y"])
    assert guard_outputs(inputs=[folder], files=[out, Path("-")], dirs=[tmp_path / "new" / "sub"]) == []


def test_guard_refuses_what_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        guard_outputs(files=[blocker / "out.xlsx"])
    with pytest.raises(OutputError, match="thư mục"):
        guard_outputs(files=[tmp_path])
    with pytest.raises(OutputError):
        guard_outputs(dirs=[blocker])


def test_guard_warns_about_lock_files(tmp_path: Path) -> None:
    out = tmp_path / "tong-hop.xlsx"
    assert guard_outputs(files=[out]) == []
    (tmp_path / "~$tong-hop.xlsx").write_bytes(b"")
    (tmp_path / ".~lock.tong-hop.xlsx#").write_bytes(b"")
    warnings = guard_outputs(files=[out])
    assert len(warnings) == 2 and all("đang mở" in w for w in warnings)


# --- the slips through the CLI ----------------------------------------------------------------------


def test_merge_json_onto_its_own_workbook_is_refused(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "th.xlsx"
    result = invoke("merge", returns, "-o", out, "--json", out)
    assert result.exit_code == 2, result.output
    assert not out.exists()


def test_merge_json_onto_a_return_and_output_into_the_returns_folder(returns: Path, tmp_path: Path) -> None:
    before = copy_tree_bytes(returns)
    target = next(returns.iterdir())
    onto = invoke("merge", returns, "-o", tmp_path / "th.xlsx", "--json", target)
    inside = invoke("merge", returns, "-o", returns / "tong-hop.xlsx")
    status = invoke("status", returns, "--json", returns / "s.json")
    assert (onto.exit_code, inside.exit_code, status.exit_code) == (2, 2, 2), onto.output + inside.output
    assert "Traceback" not in onto.output + inside.output + status.output
    assert copy_tree_bytes(returns) == before
    assert not (tmp_path / "th.xlsx").exists()


def test_report_onto_its_consolidated_workbook_or_into_the_returns_folder(returns: Path, tmp_path: Path) -> None:
    consolidated = tmp_path / "th.xlsx"
    assert invoke("merge", returns, "-o", consolidated).exit_code == 1
    before = consolidated.read_bytes()
    onto = invoke("report", consolidated, "-o", consolidated.with_suffix(".md"), "--previous", consolidated)
    assert onto.exit_code in (0, 2, 3)  # --previous is the same file: allowed as an input twice
    same = invoke("report", consolidated, "-o", consolidated)
    assert same.exit_code == 2, same.output
    assert consolidated.read_bytes() == before
    folder = invoke("report", consolidated, "-o", returns / "bao-cao.md")
    assert folder.exit_code == 2, folder.output
    assert not (returns / "bao-cao.md").exists()


def test_merge_that_cannot_write_writes_nothing(returns: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = tmp_path / "th.xlsx"
    result = invoke("merge", returns, "-o", out, "--json", blocker / "th.json")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and not out.exists()
    feedback = invoke("feedback", returns, "-o", blocker / "gop-y")
    assert feedback.exit_code == 3, feedback.output


def test_generate_into_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = invoke("generate", "-o", blocker)
    assert result.exit_code == 3, result.output
    assert "Exception ignored" not in result.output and "Traceback" not in result.output


# --- no lost save -----------------------------------------------------------------------------------


def test_a_save_made_during_merge_is_not_lost(returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import parcli.results.consolidated_write as cw

    out = tmp_path / "th.xlsx"
    assert invoke("merge", returns, "-o", out).exit_code == 1
    saved_meanwhile = out.read_bytes() + b"\0"  # a reviewer's save, made between the read and the write
    real_check = cw.check_replaceable

    def read_then_someone_saves(path: Path, campaign: object, new: object = None) -> None:
        real_check(path, campaign, new)  # type: ignore[arg-type]
        path.write_bytes(saved_meanwhile)

    monkeypatch.setattr(cw, "check_replaceable", read_then_someone_saves)
    result = invoke("merge", returns, "-o", out)
    assert result.exit_code == 3, result.output
    assert "đã thay đổi" in result.output
    assert out.read_bytes() == saved_meanwhile
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_check_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one")
    stamp = FileStamp.of(path)
    check_unchanged(path, stamp)
    path.write_text("two")
    with pytest.raises(OutputError):
        check_unchanged(path, stamp)
    with pytest.raises(OutputError):
        atomic_write_text(path, "three", read=stamp)
    assert path.read_text() == "two"


def test_a_file_held_open_on_windows_gives_a_sentence(
    returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "tong-hop.xlsx"
    assert invoke("merge", returns, "-o", out).exit_code == 1
    real_replace = Path.replace

    def locked(self: Path, target: str | os.PathLike[str]) -> Path:
        if Path(target) == out:
            raise PermissionError(13, "Permission denied")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", locked)
    result = invoke("merge", returns, "-o", out)
    assert result.exit_code == 3, result.output
    assert "tong-hop.xlsx đang được mở trong Excel/LibreOffice/WPS" in result.output
    assert "Đóng tệp tong-hop.xlsx rồi chạy lại lệnh." in result.output
    assert "Traceback" not in result.output


def test_lock_file_beside_the_output_is_a_warning(returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "tong-hop.xlsx"
    (tmp_path / ".~lock.tong-hop.xlsx#").write_text("x")
    result = invoke("merge", returns, "-o", out)
    assert result.exit_code == 1, result.output
    assert "đang mở trong Excel/LibreOffice" in result.output


def test_temporaries_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above any pid_max in use: no such process
    stale = tmp_path / f".report.{dead}.abc123.md.tmp"
    stale.write_text("half")
    mine = tmp_path / f".report.{os.getpid()}.zzz.md.tmp"
    mine.write_text("in progress")
    atomic_write_text(tmp_path / "report.md", "done")
    assert not stale.exists() and mine.exists()
    assert (tmp_path / "report.md").read_text() == "done"


def test_replacing_an_output_drops_its_old_manifest(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.md"
    atomic_write_text(out, "one")
    manifest = tmp_path / "bao-cao.md.manifest.json"
    atomic_write_text(manifest, "{}")
    atomic_write_text(out, "two")  # a run killed now leaves no manifest describing the old output
    assert not manifest.exists()


# --- names and folder entries -----------------------------------------------------------------------


def test_non_utf8_names_and_skipped_entries(returns: Path, tmp_path: Path) -> None:
    import json

    from parcli.files import display_name

    source = next(returns.iterdir())
    odd = Path(os.fsdecode(bytes(returns) + b"/PL01-s\xf4-n\xe9i-v\xfb.xlsx"))  # cp1252 bytes, not UTF-8
    source.rename(odd)
    (returns / "cu").mkdir()
    (returns / ".an.xlsx").write_bytes(b"x")
    (returns / "hong.xlsx").symlink_to(returns / "khong-co.xlsx")
    (returns / "~$PL01.xlsx").write_bytes(b"")  # a lock file: silent
    out, data = tmp_path / "th.xlsx", tmp_path / "th.json"
    result = invoke("merge", returns, "-o", out, "--json", data, "--feedback", tmp_path / "gop-y")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and out.is_file()
    record = json.loads(data.read_text(encoding="utf-8"))
    skipped = sorted(p["file"] for p in record["problems"] if p["code"] == "folder-entry-skipped")
    assert skipped == [".an.xlsx", "cu", "hong.xlsx"]
    shown = display_name(odd.name)
    assert "\ufffd" in shown and shown in json.dumps(record, ensure_ascii=False)
    status = invoke("status", returns, "--json", "-")
    assert status.exit_code == 1 and "Traceback" not in status.output


# --- sets of outputs: all or none ----------------------------------------------------------------------


def _fail_on(n: int, real: Any) -> Any:
    """A writer that fails like a full disk on its ``n``-th call, and calls ``real`` before that."""
    calls = {"count": 0}

    def write(*args: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    return write


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generate_that_fails_halfway_leaves_no_partial_set(
    campaign: Campaign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third workbook cannot be written: no new workbook appears, the previous set is kept as it was."""
    from parcli.rounds.scoring import issue

    chosen = [d.id for d in campaign.departments[:4]]
    out = tmp_path / "phat-hanh"
    issue.generate_workbooks(campaign, out, departments=chosen[:1])
    before = _tree(out)
    monkeypatch.setattr(issue, "write_return_workbook", _fail_on(3, issue.write_return_workbook))
    with pytest.raises(OutputError, match="Không tệp nào được ghi"):
        issue.generate_workbooks(campaign, out, departments=chosen)
    assert _tree(out) == before
    assert [p.name for p in out.iterdir()] == list(before)  # no staging folder left


def test_generate_cli_on_a_full_disk_exits_3_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parcli.rounds.scoring import issue

    monkeypatch.setattr(issue, "write_return_workbook", _fail_on(5, issue.write_return_workbook))
    result = invoke("generate", "--out", tmp_path / "out")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_survey_generate_that_fails_halfway_leaves_no_partial_set(
    campaign: Campaign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parcli.config.lists_plan import load_lists_plan
    from parcli.rounds.lists import issue

    monkeypatch.setattr(issue, "save_openpyxl", _fail_on(4, issue.save_openpyxl))
    with pytest.raises(OutputError):
        issue.generate_lists(load_lists_plan(campaign), tmp_path / "ds")
    assert not (tmp_path / "ds").exists()


def test_feedback_and_reminders_that_fail_halfway_leave_no_partial_set(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parcli.results import feedback, remind
    from parcli.rounds.scoring.merge import merge_returns

    folder = tmp_path / "returns"
    for dept_id in (DEPT, "so-tu-phap"):
        code = campaign.department_by_id[dept_id].items[0].code
        make_return(dept_id, folder, overrides={code: {"score": 999}})
    result = merge_returns(campaign, folder)
    monkeypatch.setattr(feedback, "_annotate", _fail_on(2, feedback._annotate))
    with pytest.raises(OutputError):
        feedback.write_feedback(result, folder, tmp_path / "gop-y")
    assert not (tmp_path / "gop-y").exists()
    letters = tmp_path / "nhac-nho"
    letters.mkdir()
    monkeypatch.setattr(remind, "render", _fail_on(1, remind.render))  # the list, written after every letter
    with pytest.raises(OutputError):
        remind.write_reminders(result, letters)
    assert list(letters.iterdir()) == []


def test_a_killed_runs_staging_folder_is_removed(tmp_path: Path) -> None:
    from parcli.files import STAGING_PREFIX, staged_folder

    stale = tmp_path / f"{STAGING_PREFIX}999999999.abc"
    stale.mkdir(parents=True)
    (stale / "PL01.xlsx").write_bytes(b"half")
    with staged_folder(tmp_path) as stage:
        (stage / "a.txt").write_text("a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_save_made_during_survey_merge_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The respondents workbook, like the consolidated one, is replaced only if unchanged since it was read."""
    import parcli.rounds.lists.write as lw

    lists = tmp_path / "danh-sach"
    lists.mkdir()
    out = tmp_path / "ds-tong-hop.xlsx"
    first = invoke("survey", "merge", lists, "-o", out)
    assert first.exit_code in (0, 1) and out.is_file(), first.output
    saved_meanwhile = out.read_bytes() + b"\0"  # someone's save, made between the read and the write
    real_check = lw._check_existing

    def read_then_someone_saves(path: Path, plan: object) -> None:
        real_check(path, plan)  # type: ignore[arg-type]
        path.write_bytes(saved_meanwhile)

    monkeypatch.setattr(lw, "_check_existing", read_then_someone_saves)
    result = invoke("survey", "merge", lists, "-o", out)
    assert result.exit_code == 3, result.output
    assert "đã thay đổi" in result.output
    assert out.read_bytes() == saved_meanwhile
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
