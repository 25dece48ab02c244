"""A disk that fills while a Word document is written: one Vietnamese sentence (exit 3), the output as it was, and
no "Exception ignored in ZipFile.__del__" traceback printed afterwards."""

from __future__ import annotations

import errno
import gc
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parcli.cli import app

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


class FullDisk(io.RawIOBase):
    """A file whose every write fails as a full disk does."""

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return 0

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_writing_a_report(
    full_returns: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    consolidated = tmp_path / "tong-hop.xlsx"
    assert runner.invoke(app, ["merge", str(full_returns), "-o", str(consolidated)]).exit_code == 0
    out = tmp_path / "bao-cao.docx"
    real_open = io.open

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and str(file).endswith(".docx.tmp"):
            return FullDisk() if "b" in mode else io.TextIOWrapper(io.BufferedWriter(FullDisk()))
        return real_open(file, mode, *args, **kwargs)

    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr("builtins.open", open_)
    res = runner.invoke(app, ["report", str(consolidated), "-o", str(out)])
    gc.collect()
    assert res.exit_code == 3, res.output
    assert "ổ đĩa đã đầy" in res.output and "Traceback" not in res.output
    assert not out.exists()
    assert not unraisable, unraisable
