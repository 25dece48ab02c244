"""Windows behaviour, simulated on Linux: a file open in Excel cannot be replaced, an antivirus holds a fresh file
for a moment, signal 0 is not a probe.  A re-issued set is all new or all old, with the open file named."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import parcli.files
from parcli.cli import app
from parcli.errors import OutputError
from parcli.files import STILL_ACTIVE, _alive, _alive_windows, staged_folder

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _hold(monkeypatch: pytest.MonkeyPatch, held: Path, *, times: int | None = None) -> list[str]:
    """Renames to or from ``held`` fail as Windows fails for an open file (``times``: then succeed)."""
    real = Path.replace
    failures: list[str] = []
    name = held.name

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if held in (Path(target), self) and (times is None or len(failures) < times):
            failures.append(name)
            raise PermissionError(13, "Access is denied", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    return failures


def _generated(tmp_path: Path) -> Path:
    out = tmp_path / "phieu"
    assert runner.invoke(app, ["generate", "-o", str(out)]).exit_code == 0
    (out / "PL04-so-tai-chinh.xlsx").write_bytes(b"an earlier version typed over")  # tell old from new
    return out


def test_a_set_with_an_open_file_is_refused_before_anything_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _generated(tmp_path)
    before = _tree(out)
    monkeypatch.setattr(parcli.files, "held", lambda path: path.name == "PL04-so-tai-chinh.xlsx")
    res = runner.invoke(app, ["generate", "-o", str(out)])
    assert res.exit_code == 3, res.output
    assert "PL04-so-tai-chinh.xlsx đang được mở trong Excel/LibreOffice/WPS" in res.output
    assert "giải phóng dung lượng" not in res.output
    assert _tree(out) == before


def test_a_set_that_fails_halfway_is_put_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The open file is found only when it is moved (Windows refuses the rename): every file is put back."""
    out = _generated(tmp_path)
    before = _tree(out)
    _hold(monkeypatch, out / "PL09-so-vh-tt-dl.xlsx")
    res = runner.invoke(app, ["generate", "-o", str(out)])
    assert res.exit_code == 3, res.output
    assert "PL09-so-vh-tt-dl.xlsx đang được mở" in res.output and "Chưa tệp nào được ghi" in res.output
    assert _tree(out) == before  # PL01–PL08 not new, PL10–PL17 not old: all as they were
    assert not [p for p in out.iterdir() if p.name.startswith(".parcli")]


def test_an_antivirus_hold_is_waited_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _generated(tmp_path)
    pauses: list[float] = []
    monkeypatch.setattr(parcli.files, "_sleep", pauses.append)
    failures = _hold(monkeypatch, out / "PL04-so-tai-chinh.xlsx", times=2)
    res = runner.invoke(app, ["generate", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(failures) == 2 and len(pauses) == 2 and sum(pauses) < 5
    assert (out / "PL04-so-tai-chinh.xlsx").read_bytes() != b"an earlier version typed over"


def test_a_failed_undo_keeps_the_previous_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.docx").write_bytes(b"old a")
    (out / "b.docx").write_bytes(b"old b")
    real = Path.replace
    state = {"moved_aside": 0}

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        target = Path(target)
        if target.parent.name.startswith(".parcli-ban-truoc"):  # moving old files aside works
            state["moved_aside"] += 1
            return real(self, target)
        if target.name == "b.docx" or self.parent.name.startswith(".parcli-ban-truoc"):
            raise PermissionError(13, "Access is denied", str(target))  # new b held, and the undo fails too
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(OutputError) as caught, staged_folder(out) as stage:
        (stage / "a.docx").write_bytes(b"new a")
        (stage / "b.docx").write_bytes(b"new b")
    message = str(caught.value)
    assert "Bản trước vẫn còn nguyên trong thư mục" in message
    (backup,) = [p for p in out.iterdir() if p.name.startswith(".parcli-ban-truoc")]
    assert sorted(p.read_bytes() for p in backup.iterdir()) == [b"old a", b"old b"]
    assert str(backup) in message


def test_the_previous_evidence_pack_survives_a_held_site(
    make_return, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    returns = tmp_path / "gui-ve"
    make_return("so-tu-phap", returns)
    out = tmp_path / "ho-so"
    assert runner.invoke(app, ["evidence", str(returns), "-o", str(out)]).exit_code in (0, 1)
    before = _tree(out)
    _hold(monkeypatch, out / "trang-kiem-chung")
    res = runner.invoke(app, ["evidence", str(returns), "-o", str(out)])
    assert res.exit_code == 3, res.output
    assert "giải phóng dung lượng" not in res.output
    assert _tree(out) == before


class FakeKernel32:
    """The three calls of kernel32 the probe makes, answering as Windows would for one process."""

    def __init__(self, handle: int, code: int) -> None:
        self.handle, self.code, self.closed = handle, code, False

    def OpenProcess(self, _access: int, _inherit: bool, _pid: int) -> int:
        return self.handle

    def GetExitCodeProcess(self, _handle: int, code: object) -> int:
        ctypes.cast(code, ctypes.POINTER(ctypes.c_ulong)).contents.value = self.code  # type: ignore[arg-type]
        return 1

    def CloseHandle(self, _handle: int) -> int:
        self.closed = True
        return 1


def test_windows_liveness_never_sends_signal_0(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_kill(*_args: object) -> None:
        raise AssertionError("os.kill(pid, 0) sends CTRL_C_EVENT on Windows")

    monkeypatch.setattr(os, "kill", no_kill)
    monkeypatch.setattr(parcli.files, "_alive_windows", lambda pid: pid == 42)
    assert _alive(42, windows=True) and not _alive(43, windows=True)
    running = FakeKernel32(handle=7, code=STILL_ACTIVE)
    assert _alive_windows(42, running) and running.closed
    assert not _alive_windows(42, FakeKernel32(handle=7, code=0))  # exited
    assert not _alive_windows(42, FakeKernel32(handle=0, code=STILL_ACTIVE))  # no such process


def test_words_lock_file_for_a_long_name_is_noticed(tmp_path: Path) -> None:
    from parcli.outputs import guard_outputs

    letter = tmp_path / "nhac-nho-PL03-so-tu-phap.docx"
    (tmp_path / "~$ac-nho-PL03-so-tu-phap.docx").write_bytes(b"owner")  # Word: ~$ over the first two characters
    (warning,) = guard_outputs(files=[letter])
    assert "Word/LibreOffice/WPS" in warning and "nhac-nho-PL03-so-tu-phap.docx" in warning


def test_files_windows_and_excel_leave_are_not_returns(make_return, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "gui-ve"
    make_return("so-tu-phap", folder)
    for name in ("desktop.ini", "Thumbs.db", "5A6F3E20", "~DF1234.tmp"):
        (folder / name).write_bytes(b"\0")
    res = runner.invoke(app, ["status", str(folder), "--json", "-"])
    assert "not-a-return" not in res.output and "folder-entry-skipped" not in res.output, res.output


def test_feedback_copies_never_share_a_name_on_windows(make_return, campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """“Biểu.xlsx” and “biểu.xlsx” (two departments) would both become biểu-can-sua.xlsx on NTFS."""
    folder = tmp_path / "gui-ve"
    for dept, name in (("so-tu-phap", "Biểu.xlsx"), ("so-noi-vu", "biểu.xlsx")):
        code = campaign.department_by_id[dept].items[0].code
        make_return(dept, folder, overrides={code: {"score": 99}}, name=name)
    res = runner.invoke(app, ["feedback", str(folder), "-o", str(tmp_path / "gop-y")])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in (tmp_path / "gop-y").iterdir())
    assert len(names) == 2 and len({n.casefold() for n in names}) == 2, names


def test_pick_compares_names_as_windows_does(make_return, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "gui-ve"
    make_return("so-tu-phap", folder)
    make_return("so-tu-phap", folder, name="PL03-Ban-Sua.xlsx")
    res = runner.invoke(app, ["status", str(folder), "--pick", "pl03-ban-sua.XLSX"])
    assert "Sở Tư pháp: dùng PL03-Ban-Sua.xlsx — chọn theo --pick" in res.output, res.output
    assert "không có tệp nào tên như vậy" not in res.output
