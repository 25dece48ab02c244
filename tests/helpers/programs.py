"""The programs outside Python that some tests start: LibreOffice, Gnumeric and Chromium.

A test that starts one carries its marker (``libreoffice``, ``gnumeric``, ``chromium``) so that ``make quick``
can leave it out.  Every launcher here asks :func:`require` first, and ``require`` fails a test that starts a
program without its marker: conftest tells this module which test is running (:func:`running`).

Each start gets its own profile or home folder beside its output (under the test's ``tmp_path``), so parallel
pytest-xdist workers never share a LibreOffice user installation or a Chromium user-data-dir.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

PROGRAMS: dict[str, tuple[str, tuple[str, ...], str]] = {
    # marker: (what it is, executables to look for, the Debian package .ci/run installs)
    "libreoffice": ("LibreOffice", ("soffice", "libreoffice"), "libreoffice-calc-nogui"),
    "gnumeric": ("Gnumeric (ssconvert)", ("ssconvert",), "gnumeric"),
    "chromium": ("Chromium", ("chromium", "chromium-browser", "google-chrome"), "chromium"),
}

_current: tuple[str, frozenset[str]] | None = None  # the running test: node id and marker names


def running(nodeid: str | None, markers: Iterable[str] = ()) -> None:
    """Tell the launchers which test runs now (``None`` once it is over); called by conftest's hook."""
    global _current
    _current = None if nodeid is None else (nodeid, frozenset(markers))


def find(marker: str) -> str | None:
    """Path of the program behind ``marker``, if installed."""
    _, names, _ = PROGRAMS[marker]
    return next((exe for exe in map(shutil.which, names) if exe), None)


def require(marker: str) -> str:
    """The program behind ``marker`` for the running test.

    Fails a test that is not marked ``@pytest.mark.<marker>``; a missing program fails in CI (``.ci/run``
    installs it) and skips elsewhere.
    """
    label, _, package = PROGRAMS[marker]
    if _current is not None and marker not in _current[1]:
        pytest.fail(
            f"{_current[0]} starts {label} but is not marked @pytest.mark.{marker} "
            f"(every test that starts an outside program carries its marker; `make quick` leaves them out)",
            pytrace=False,
        )
    exe = find(marker)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{label} is required in CI: .ci/run installs {package}", pytrace=False)
        pytest.skip(f"{label} is not installed")
    return exe


def require_soffice() -> str:
    """LibreOffice's ``soffice`` for the running test (see :func:`require`)."""
    return require("libreoffice")


def soffice_convert(paths: list[Path], outdir: Path, target: str, *, app: str | None = "--calc") -> None:
    """``soffice --headless --convert-to target`` of ``paths`` into ``outdir``, in one start.

    The user installation and HOME are a folder of this call's own beside ``outdir`` (never inside it: the
    output folder holds only the converted files), so concurrent calls never share a profile.
    """
    exe = require("libreoffice")
    outdir.mkdir(parents=True, exist_ok=True)
    home = outdir.parent / f".lo-home-{outdir.name}"
    profile = home / ".lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            *([app] if app else []),
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=dict(os.environ, HOME=str(home)),
    )


def roundtrip(path: Path, outdir: Path) -> Path:
    """Open and re-save a workbook with LibreOffice Calc headless; return the new file."""
    return roundtrip_many([path], outdir)[0]


def roundtrip_many(paths: list[Path], outdir: Path) -> list[Path]:
    """Open and re-save several workbooks in one LibreOffice start (faster than one by one)."""
    soffice_convert(paths, outdir, "xlsx:Calc MS Excel 2007 XML")
    outs = [outdir / (p.stem + ".xlsx") for p in paths]
    missing = [o for o in outs if not o.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return outs


# Run by a Python that has LibreOffice's UNO bridge (python3-uno), not by the test's own: connects to the
# LibreOffice started by :func:`libreoffice_open_encrypted`, loads the file with the password read from
# stdin (never on a command line, which ``ps`` shows) and stores what it opened as a plain .xlsx.
_UNO_OPEN = """
import os, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

source, target, pipe = sys.argv[1:4]
password = sys.stdin.read()
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
ctx = None
for _ in range(240):
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.5)
if ctx is None:
    sys.exit("LibreOffice did not answer")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
args = [prop("Hidden", True), prop("ReadOnly", True)] + ([prop("Password", password)] if password else [])
try:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, tuple(args))
except Exception as exc:
    doc = None
    print("REFUSED", type(exc).__name__)
if doc is not None:
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), (prop("FilterName", "Calc MS Excel 2007 XML"),))
    doc.close(True)
    print("OPENED")
try:
    desktop.terminate()
except Exception:
    pass
"""


def _uno_python() -> str:
    """A Python that imports LibreOffice's ``uno`` (Debian's python3-uno, or LibreOffice's own); else skip/fail."""
    candidates = [shutil.which("python3"), "/usr/bin/python3", "/usr/lib/libreoffice/program/python"]
    for python in dict.fromkeys(c for c in candidates if c and Path(c).exists()):
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60, check=False)
        if probe.returncode == 0:
            return python
    if os.environ.get("CI"):
        pytest.fail("LibreOffice's Python bridge is required in CI: .ci/run installs python3-uno", pytrace=False)
    pytest.skip("LibreOffice's Python bridge (python3-uno) is not installed")


def libreoffice_open_encrypted(path: Path, password: str | None, outdir: Path) -> Path | None:
    """Open ``path`` in LibreOffice Calc (headless) giving ``password`` as a person types it at the prompt;
    the workbook as LibreOffice read it, saved plain into ``outdir``, or None when LibreOffice refused to open it.

    ``soffice --convert-to`` takes no document password (LibreOffice 7.4: an ``--infilter`` option does not
    reach the load), so the file is loaded through the UNO API with its ``Password`` load property — what the
    password dialog sets.
    """
    import uuid

    exe = require("libreoffice")
    python = _uno_python()
    outdir.mkdir(parents=True, exist_ok=True)
    home = outdir.parent / f".lo-home-{outdir.name}"
    profile = home / ".lo-profile"
    pipe = f"parcli-{uuid.uuid4().hex}"
    office = subprocess.Popen(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;",
        ],
        env=dict(os.environ, HOME=str(home)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    target = outdir / f"{path.stem}.xlsx"
    try:
        run = subprocess.run(
            [python, "-c", _UNO_OPEN, str(path), str(target), pipe],
            input=password or "",
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=dict(os.environ, HOME=str(home)),
        )
        assert "OPENED" in run.stdout or "REFUSED" in run.stdout, (run.stdout, run.stderr)
        return target if "OPENED" in run.stdout and target.exists() else None
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait(timeout=30)


def pdf_pages(docx: Path, outdir: Path) -> list[str]:
    """The pages of a Word document as LibreOffice Writer lays them out, as text (``pdftotext -layout``)."""
    require("libreoffice")
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is required in CI: .ci/run installs poppler-utils", pytrace=False)
        pytest.skip("pdftotext (poppler-utils) is not installed")
    soffice_convert([docx], outdir, "pdf", app=None)
    pdf = outdir / docx.with_suffix(".pdf").name
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def ssconvert(src: Path, dst: Path) -> Path:
    """``src`` converted to .xlsx by Gnumeric's ssconvert, with a HOME of its own beside ``dst``."""
    exe = require("gnumeric")
    home = dst.parent / f".gnumeric-home-{dst.stem}"
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [exe, "--export-type=Gnumeric_Excel:xlsx2", str(src), str(dst)],
        check=True,
        capture_output=True,
        timeout=120,
        env=dict(os.environ, HOME=str(home)),
    )
    assert dst.exists(), "ssconvert did not write the workbook"
    return dst


def chrome(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with ``args``, its user-data-dir ``home`` (one per test: never shared)."""
    exe = require("chromium")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={home}", "--no-first-run"]
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=120, check=False)
