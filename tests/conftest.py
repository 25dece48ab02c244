"""Fixtures and hooks: the fixed clock, the bundled campaign, issued workbooks, a return factory, shared read-only
folders, and the markers of tests that start an outside program.

Helpers that test modules import live in ``tests/helpers``; this module holds only fixtures and hooks (test
modules never import it).

Shared fixtures are built once per session (once per pytest-xdist worker) and are read-only: a test that changes
one fails (``_shared_fixtures_stay_unchanged``); a test that changes the files takes a copy (``*_copy`` fixtures).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from parcli import clock
from parcli.config.campaign import Campaign, default_campaign_path, load_campaign
from parcli.rounds.scoring.issue import generate_workbooks
from tests.helpers import programs
from tests.helpers.evidence import returns_with_packages
from tests.helpers.factory import FIXED_NOW, MakeReturn, fill_return, return_maker
from tests.helpers.remedy import World, build_world

# --- the clock --------------------------------------------------------------------------------------------------

_SAVED_CLOCK: list[str | None] = []
_MADE_CACHE: dict[str, str] = {}  # the template cache folder this process made (removed at the end)


def pytest_configure(config: pytest.Config) -> None:
    """Fix parcli's clock for the whole run: session and module fixtures run at ``FIXED_NOW`` too; compiled
    templates are cached in a folder of the run's own, never the user's cache; what a long-lived process would
    build once (the command tree, a catalogue checked) is built once."""
    _SAVED_CLOCK.append(os.environ.get(clock.ENV_VAR))
    os.environ[clock.ENV_VAR] = str(int(FIXED_NOW.timestamp()))
    if "PARCLI_CACHE_DIR" not in os.environ:
        import tempfile

        os.environ["PARCLI_CACHE_DIR"] = _MADE_CACHE.setdefault("dir", tempfile.mkdtemp(prefix="parcli-test-cache-"))


    _build_commands_once()
    _check_each_catalogue_once()


def _build_commands_once() -> None:
    """``CliRunner.invoke`` builds the click command tree from the typer app on every call (half a second's
    worth of type hints per hundred calls); a process running the CLI builds it once, and so do the tests:
    the tree holds no state of an invocation (click's own test runner reuses one command object)."""
    import functools

    import typer.testing

    build = getattr(typer.testing, "_get_command", None)  # typer's own name: without it, each call builds the tree
    if build is not None and not isinstance(build, functools._lru_cache_wrapper):
        typer.testing._get_command = functools.lru_cache(maxsize=8)(build)  # type: ignore[attr-defined]


def _check_each_catalogue_once() -> None:
    """Hundreds of tests load the same bundled catalogue; one process of parcli loads one once.  The tests keep
    what a text gave (its path too): a text with a mistake still raises every time (nothing is kept of it)."""
    import parcli.config.catalogue as catalogue

    parse = catalogue.parse_catalogue
    if getattr(parse, "kept", None) is not None:
        return
    kept: dict[tuple[str, Path | None], catalogue.Catalogue] = {}

    def parse_once(text: str, source: str = "<văn bản>", path: Path | None = None) -> catalogue.Catalogue:
        key = (text, path)
        if key not in kept:
            kept[key] = parse(text, source, path)
        return kept[key]

    parse_once.kept = kept  # type: ignore[attr-defined]
    catalogue.parse_catalogue = parse_once  # type: ignore[assignment]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Give the environment back its clock; remove the template cache this process made."""
    if "dir" in _MADE_CACHE:
        shutil.rmtree(_MADE_CACHE.pop("dir"), ignore_errors=True)
        os.environ.pop("PARCLI_CACHE_DIR", None)
    saved = _SAVED_CLOCK.pop() if _SAVED_CLOCK else None
    if saved is None:
        os.environ.pop(clock.ENV_VAR, None)
    else:
        os.environ[clock.ENV_VAR] = saved


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


# --- outside programs --------------------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Tell the launchers in ``tests.helpers.programs`` which test runs, with its markers (setup to teardown)."""
    programs.running(item.nodeid, (mark.name for mark in item.iter_markers()))
    try:
        return (yield)
    finally:
        programs.running(None)


# --- shared read-only folders --------------------------------------------------------------------------------

_SHARED: dict[str, tuple[Path, list[tuple[str, int, int]]]] = {}


def _state(folder: Path) -> list[tuple[str, int, int]]:
    """Every file under ``folder`` with its size and modification time (a change to any file shows)."""
    return sorted(
        (p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    )


def _share(name: str, folder: Path) -> Path:
    """Record ``folder`` as the read-only content of the session fixture ``name``."""
    _SHARED[name] = (folder, _state(folder))
    return folder


@pytest.fixture(autouse=True)
def _shared_fixtures_stay_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that changed a shared session fixture's files (it should have taken a copy)."""
    yield
    for name in request.fixturenames:
        if name in _SHARED:
            folder, before = _SHARED[name]
            if _state(folder) != before:
                _SHARED[name] = (folder, _state(folder))  # report it once, on the test that did it
                pytest.fail(
                    f"{request.node.nodeid} changed the shared read-only fixture {name!r} ({folder}); "
                    "copy it into tmp_path to change files (full_returns_copy and packaged_returns_copy do)",
                    pytrace=False,
                )


# --- the campaign, issued workbooks, returns ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    """The bundled Hưng Yên 2023 campaign."""
    return load_campaign(default_campaign_path())


@pytest.fixture(scope="session")
def issued(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The issued workbooks, generated once per session: department id → path (read only)."""
    out = tmp_path_factory.mktemp("issued")
    result = generate_workbooks(campaign, out, now=FIXED_NOW)
    _share("issued", out)
    return {w.department.id: w.path for w in result.workbooks}


@pytest.fixture
def make_return(campaign: Campaign, issued: dict[str, Path], tmp_path: Path) -> MakeReturn:
    """Factory: ``make_return(dept_id, folder=None, overrides={code: {...}}, name=None, sent=None)`` → filled file
    (in ``tmp_path / "returns"`` when no folder is given)."""
    return return_maker(campaign, issued, tmp_path / "returns")


@pytest.fixture(scope="session")
def full_returns(campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A returns folder where every department returned a valid, filled workbook (shared: read only)."""
    folder = tmp_path_factory.mktemp("full-returns") / "returns"
    for dept in campaign.departments:
        fill_return(campaign, issued, dept.id, folder / issued[dept.id].name)
    return _share("full_returns", folder)


@pytest.fixture
def full_returns_copy(full_returns: Path, tmp_path: Path) -> Path:
    """A copy of ``full_returns`` at ``tmp_path / "returns"`` (where ``make_return`` writes by default), to change."""
    return Path(shutil.copytree(full_returns, tmp_path / "returns"))


@pytest.fixture(scope="session")
def packaged_returns(campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every department's return, Văn phòng UBND's a folder package citing two PDFs (shared: read only)."""
    root = tmp_path_factory.mktemp("packaged")
    returns = returns_with_packages(campaign, return_maker(campaign, issued, root / "returns"), root)
    return _share("packaged_returns", returns)


@pytest.fixture
def packaged_returns_copy(packaged_returns: Path, tmp_path: Path) -> Path:
    """A copy of ``packaged_returns`` in ``tmp_path``, to change."""
    return Path(shutil.copytree(packaged_returns, tmp_path / packaged_returns.name))


@pytest.fixture(scope="session")
def remedy_world(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> World:
    """A preliminary round merged, remedy plans issued from it, a year-end round merged (shared: read only)."""
    root = tmp_path_factory.mktemp("remedy")
    world = build_world(campaign, root)
    _share("remedy_world", root)
    return world
