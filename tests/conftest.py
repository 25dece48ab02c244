"""Shared fixtures: the bundled campaign, issued workbooks, a return factory."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from factory import expected_values, fill_workbook, soffice
from parcli import clock
from parcli.config.campaign import Campaign, default_campaign_path, load_campaign
from parcli.rounds.scoring.issue import generate_workbooks

FIXED_NOW = datetime(2023, 12, 20, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every test runs at one fixed moment: no test depends on the wall clock (parcli.clock), and the pauses
    between retries of a held file are skipped (parcli.files), never slept."""
    monkeypatch.setenv(clock.ENV_VAR, str(int(FIXED_NOW.timestamp())))
    monkeypatch.setattr("parcli.files._sleep", lambda _seconds: None)
    return FIXED_NOW


@pytest.fixture(autouse=True)
def no_internal_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[None]:
    """A fault of parcli (exit 4) fails the test that met it, whatever the test asserts: the error boundary
    writes its log to a folder of the test's own, which must stay empty (a test of the boundary sets its own)."""
    folder = tmp_path_factory.getbasetemp() / "crash-logs" / str(abs(hash(request.node.nodeid)))
    monkeypatch.setenv("PARCLI_LOG_DIR", str(folder))
    yield
    logs = sorted(folder.glob("*.log")) if folder.is_dir() else []
    if logs:
        pytest.fail("parcli met an internal error (exit 4):\n" + logs[0].read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    """The bundled Hưng Yên 2023 campaign."""
    return load_campaign(default_campaign_path())


@pytest.fixture(scope="session")
def issued(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The issued workbooks, generated once per session: department id → path."""
    out = tmp_path_factory.mktemp("issued")
    result = generate_workbooks(campaign, out, now=FIXED_NOW)
    return {w.department.id: w.path for w in result.workbooks}


MakeReturn = Callable[..., Path]


@pytest.fixture
def make_return(campaign: Campaign, issued: dict[str, Path], tmp_path: Path) -> MakeReturn:
    """Factory: ``make_return(dept_id, folder=None, overrides={code: {...}}, name=None)`` → filled file."""

    def make(
        dept_id: str,
        folder: Path | None = None,
        overrides: dict[str, dict[str, Any]] | None = None,
        name: str | None = None,
        sent: Any = None,
    ) -> Path:
        dept = campaign.department_by_id[dept_id]
        values = expected_values(dept)
        for code, fields in (overrides or {}).items():
            values.setdefault(code, {}).update(fields)
        target = (folder or tmp_path / "returns") / (name or issued[dept_id].name)
        fill_workbook(issued[dept_id], target, values, sent=sent)
        return target

    return make


@pytest.fixture
def full_returns(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> Path:
    """A returns folder where every department returned a valid, filled workbook."""
    folder = tmp_path / "returns"
    for dept in campaign.departments:
        make_return(dept.id, folder)
    return folder


def require_soffice() -> str:
    """LibreOffice is required in CI; locally a missing install skips."""
    exe = soffice()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed")
    return exe


def copy_tree_bytes(folder: Path) -> dict[str, bytes]:
    """Snapshot of a folder's files and bytes, to prove inputs are never modified."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


__all__ = ["FIXED_NOW", "MakeReturn", "copy_tree_bytes", "require_soffice", "shutil"]
