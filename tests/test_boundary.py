"""The one error boundary: a fault of parcli is exit 4 with one sentence and a log file; an operating-system
error is exit 3 in Vietnamese; --debug shows the traceback."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

import parcli.jobs.status
from parcli.cli import app

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def _fail_with(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(parcli.jobs.status, "status", broken)


def test_an_internal_error_has_its_own_exit_code_and_a_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    monkeypatch.setenv("PARCLI_LOG_DIR", str(logs))
    _fail_with(monkeypatch, KeyError("file"))
    res = runner.invoke(app, ["status", str(tmp_path)])
    assert res.exit_code == 4
    assert "Lỗi nội bộ của parcli" in res.output and "KeyError" in res.output
    assert "Traceback" not in res.output
    (log,) = logs.iterdir()
    assert str(log) in res.output.replace("\n", "")
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError: 'file'" in text and "parcli " in text.splitlines()[0]


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PARCLI_LOG_DIR", str(tmp_path / "logs"))
    _fail_with(monkeypatch, KeyError("file"))
    res = runner.invoke(app, ["--debug", "status", str(tmp_path)])
    assert isinstance(res.exception, KeyError)
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "ổ đĩa đã đầy"), (errno.EACCES, "không có quyền truy cập")])
def test_an_operating_system_error_is_told_in_vietnamese(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: int, words: str
) -> None:
    _fail_with(monkeypatch, OSError(code, "English words", str(tmp_path / "tong-hop.xlsx")))
    res = runner.invoke(app, ["status", str(tmp_path)])
    assert res.exit_code == 3
    assert words in res.output and "tong-hop.xlsx" in res.output and "English words" not in res.output


def test_a_log_that_cannot_be_written_still_gives_the_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PARCLI_LOG_DIR", str(blocker / "logs"))  # a file where the folder should be
    _fail_with(monkeypatch, RuntimeError("boom"))
    res = runner.invoke(app, ["status", str(tmp_path)])
    assert res.exit_code == 4 and "Lỗi nội bộ của parcli" in res.output
