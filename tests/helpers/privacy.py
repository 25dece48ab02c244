"""Helpers of the personal-data tests: the command line, workbooks read back, every byte a run wrote, scanned.

:func:`found_in` reads files as anyone who finds them could: the bytes as they are, and each member of a zip
container (an .xlsx, a .zip) unpacked, as UTF-8 and as UTF-16 text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from parcli.cli import app

_runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def run_parcli(args: Sequence[str], *, password: str | None = None, input: str | None = None) -> Any:
    """``parcli ARGS`` in-process, ``PARCLI_PASSWORD`` set to ``password`` (unset: empty)."""
    return _runner.invoke(app, list(args), env={"PARCLI_PASSWORD": password or ""}, input=input)


def workbook(source: Path | bytes) -> Any:
    """An openpyxl workbook of a file or of bytes (a decrypted workbook)."""
    return load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)


def plain_workbook() -> bytes:
    """An empty .xlsx, as bytes."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def readable_bytes(path: Path) -> Iterator[bytes]:
    """The bytes of a file as anyone who finds it can read them: the file, and each member of a zip unpacked."""
    data = path.read_bytes()
    yield data
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.flag_bits & 0x1:  # an encrypted member cannot be read without its password
                    yield archive.read(info)


def found_in(root: Path, needles: Sequence[str]) -> list[tuple[str, str]]:
    """(file, value) for every value found in clear in a file under ``root`` (UTF-8 or UTF-16 text)."""
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        blobs = list(readable_bytes(path))
        for needle in needles:
            forms = (needle.encode("utf-8"), needle.encode("utf-16-le"))
            if any(form in blob for blob in blobs for form in forms):
                hits.append((str(path.relative_to(root)), needle))
    return hits


def seven_zip_extract(archive: Path, password: str, outdir: Path) -> bool:
    """Extract ``archive`` with 7-Zip (an archiver people have) and ``password``; whether it succeeded."""
    import os
    import shutil
    import subprocess

    import pytest

    tool = shutil.which("7z")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("7z is required in CI: .ci/run installs p7zip-full")
        pytest.skip("7z is not installed (.ci/run installs p7zip-full)")
    run = subprocess.run(
        [tool, "x", "-y", "-bd", f"-p{password}", f"-o{outdir}", str(archive)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return run.returncode == 0
