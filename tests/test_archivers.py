"""Packages made by the archivers people use: Info-ZIP ``zip``, 7-Zip, bsdtar, and a Windows-style zip with
backslashes and names in the Vietnamese code page.  Evidence named in Vietnamese is found in every one."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from parcli.config.campaign import Campaign
from parcli.packages import open_package
from parcli.rounds.scoring.read import read_return
from tests.helpers.evidence import pdf_bytes
from tests.helpers.windows import cp1258

DEPT = "so-tu-phap"
EVIDENCE = "Kế hoạch 20-SKHĐT.pdf"
NESTED = "tài liệu/Biên bản họp.pdf"


PDF = pdf_bytes("kế hoạch")


def _staging(make_return, campaign: Campaign, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A return citing two Vietnamese-named files, with the files beside it."""
    staging = tmp_path / "PL03-so-tu-phap"
    codes = [leaf.code for leaf in campaign.department_by_id[DEPT].items]
    cited = f"Quyết định số 12/QĐ-UBND ngày 05/01/2023\n{EVIDENCE}\n{NESTED}"
    make_return(DEPT, staging, overrides={codes[0]: {"evidence": cited}}, name="PL03-so-tu-phap.xlsx")
    (staging / EVIDENCE).write_bytes(PDF)
    (staging / NESTED).parent.mkdir()
    (staging / NESTED).write_bytes(PDF)
    return staging


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI: .ci/run installs it")
        pytest.skip(f"{name} is not installed (.ci/run installs it)")
    return found


def _info_zip(staging: Path, target: Path) -> None:
    subprocess.run([_tool("zip"), "-q", "-r", str(target), "."], cwd=staging, check=True)


def _seven_zip(staging: Path, target: Path) -> None:
    subprocess.run([_tool("7z"), "a", "-tzip", "-bd", "-bso0", str(target), "."], cwd=staging, check=True)


def _bsdtar(staging: Path, target: Path) -> None:
    subprocess.run([_tool("bsdtar"), "--format", "zip", "-cf", str(target), "."], cwd=staging, check=True)


def _windows_legacy(staging: Path, target: Path) -> None:
    """Names in the Vietnamese Windows code page, no UTF-8 flag, backslash separators (older Windows tools)."""
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    real = {p: cp1258(p.relative_to(staging).as_posix().replace("/", "\\")) for p in files}
    placeholders = {p: chr(ord("A") + i).encode() * len(raw) for i, (p, raw) in enumerate(real.items())}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, placeholders[path].decode())
    data = target.read_bytes()
    for path, raw in real.items():
        assert data.count(placeholders[path]) == 2  # local header and central directory
        data = data.replace(placeholders[path], raw)
    target.write_bytes(data)


ARCHIVERS = {"info-zip": _info_zip, "7-zip": _seven_zip, "bsdtar": _bsdtar, "windows-cp1258": _windows_legacy}


@pytest.mark.parametrize("archiver", sorted(ARCHIVERS))
def test_vietnamese_names_from_every_archiver(make_return, campaign: Campaign, tmp_path: Path, archiver: str) -> None:  # type: ignore[no-untyped-def]
    staging = _staging(make_return, campaign, tmp_path)
    target = tmp_path / "gui-ve" / "PL03-so-tu-phap.zip"
    target.parent.mkdir()
    ARCHIVERS[archiver](staging, target)
    names = sorted(m.name for m in open_package(target).members)
    assert names == sorted(["PL03-so-tu-phap.xlsx", EVIDENCE, NESTED]), names
    result = read_return(target, campaign)
    slugs = [p.slug for p in result.problems]
    assert "evidence-file-missing" not in slugs, [p.message for p in result.problems]
    assert result.errors == 0, [p.message for p in result.problems]


def test_info_zip_writes_no_utf8_flag(tmp_path: Path) -> None:
    """The case this guards: Info-ZIP leaves the flag off, so zipfile alone decodes the name as cp437."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / EVIDENCE).write_bytes(PDF)
    target = tmp_path / "a.zip"
    _info_zip(folder, target)
    with zipfile.ZipFile(target) as archive:
        (info,) = archive.infolist()
    assert not info.flag_bits & 0x800 and info.filename != EVIDENCE


@pytest.mark.parametrize("tool", ["zip", "7z"])
def test_a_password_is_named_never_python_words(make_return, campaign: Campaign, tmp_path: Path, tool: str) -> None:  # type: ignore[no-untyped-def]
    """The form packed with a password, then only an evidence file with one: each is told as a password."""
    staging = _staging(make_return, campaign, tmp_path)
    exe = _tool(tool)

    def pack(target: Path, names: list[str], password: str | None) -> None:
        if tool == "zip":
            args = [exe, "-q", *(["-P", password] if password else []), str(target), *names]
        else:
            args = [exe, "a", "-tzip", "-bd", "-bso0", *([f"-p{password}"] if password else []), str(target), *names]
        subprocess.run(args, cwd=staging, check=True)

    whole = tmp_path / "a" / "PL03-so-tu-phap.zip"
    whole.parent.mkdir()
    pack(whole, ["PL03-so-tu-phap.xlsx", EVIDENCE], "mat-khau")
    result = read_return(whole, campaign)
    (problem,) = [p for p in result.problems if p.slug == "package-damaged"]
    assert "mật khẩu" in problem.message and "ZipInfo" not in problem.message, problem.message
    only_evidence = tmp_path / "b" / "PL03-so-tu-phap.zip"
    only_evidence.parent.mkdir()
    pack(only_evidence, ["PL03-so-tu-phap.xlsx", NESTED], None)
    pack(only_evidence, [EVIDENCE], "mat-khau")
    result = read_return(only_evidence, campaign)
    unreadable = [p for p in result.problems if p.slug == "evidence-unreadable"]
    assert unreadable and all("mật khẩu" in p.message for p in unreadable), [p.message for p in result.problems]
    assert not any("Error" in p.message or "ZipInfo" in p.message for p in result.problems)
