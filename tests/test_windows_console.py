"""Output redirected under an ANSI code page (a Windows console in cp1252): written as UTF-8, never a crash."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from parcli.cli.common import setup_streams


def test_redirected_output_under_an_ansi_code_page(tmp_path: Path) -> None:
    (tmp_path / "gui-ve").mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "COLUMNS": "120"}
    with (tmp_path / "out.txt").open("wb") as out, (tmp_path / "err.txt").open("wb") as err:
        code = subprocess.run(
            [sys.executable, "-m", "parcli", "status", "gui-ve", "--json", "-"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=err,
            check=False,
        ).returncode
    text = (tmp_path / "out.txt").read_bytes().decode("utf-8")
    said = (tmp_path / "err.txt").read_bytes().decode("utf-8")
    assert code == 1, said  # nobody has returned yet: the data has problems, no crash
    assert "Tình trạng phiếu" in text and '"campaign": "hung-yen-2023"' in text
    assert "Dùng kế hoạch mẫu" in said and "\\u1" not in said and "Traceback" not in said


def test_a_terminal_keeps_its_code_page_and_replaces() -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    stream = Terminal(raw, encoding="cp1252")
    setup_streams([stream])
    stream.write("Hợp lệ")
    stream.flush()
    assert raw.getvalue() == "H?p l?".encode("cp1252")
