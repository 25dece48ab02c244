"""Listing a folder of returned forms and reading every file, on both cores when there are many."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from parcli.errors import InputNotFoundError
from parcli.xlsx.open import SPREADSHEET_SUFFIXES, is_lock_file


def list_folder(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """Split a folder's entries into (forms, other files, ignored entries).

    Forms: spreadsheets, and packages — a ``.zip``, or a subfolder with a spreadsheet at its top
    (see :mod:`parcli.collect.package`).  Ignored: lock and hidden files, other subfolders and
    broken links (none of them is read, all are named).
    """
    from parcli.collect.package import holds_form

    if not folder.exists():
        raise InputNotFoundError(f"Không tìm thấy thư mục {folder}.")
    if not folder.is_dir():
        raise InputNotFoundError(f"{folder} không phải là thư mục.")
    sheets: list[Path] = []
    others: list[Path] = []
    ignored: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.is_symlink() and not path.name.startswith(".") and holds_form(path):
            sheets.append(path)  # a package: the form and its files
        elif not path.is_file():
            ignored.append(path)  # a subfolder or a broken link
        elif is_lock_file(path) or path.name.startswith("."):
            ignored.append(path)
        elif path.suffix.lower() in SPREADSHEET_SUFFIXES or path.suffix.lower() == ".zip":
            sheets.append(path)
        else:
            others.append(path)
    return sheets, others, ignored


PARALLEL_MIN_FILES = 24  # below this, starting worker processes costs more than it saves
_worker_read: Callable[[Path], Any] | None = None


def _init_worker(build: Callable[[str], Any], argument: str) -> None:
    global _worker_read
    from parcli.parallel import die_with_parent, quiet_worker

    die_with_parent()
    quiet_worker()
    _worker_read = build(argument).read


def _read_in_worker(path: Path) -> Any:
    assert _worker_read is not None
    return _worker_read(path)


def read_all(
    read: Callable[[Path], Any], paths: list[Path], worker: tuple[Callable[[str], Any], str] | None = None
) -> Iterator[Any]:
    """Read files in order with ``read``; on both cores when there are many and ``worker`` is given.

    ``worker`` is a top-level function and its argument that build, in each
    worker process, an object whose ``read`` method reads one file (a form kind
    loaded once per worker, not pickled with every file).  A worker that dies
    (a reader aborted on a file) does not end the reading: the files not yet read
    are read again one at a time in a fresh worker, and the file a worker died on
    becomes a problem on that file (see :func:`parcli.xlsx.open.mark_crashed`).
    """
    import os

    workers = min(2, os.cpu_count() or 1)
    if worker is None or len(paths) < PARALLEL_MIN_FILES or workers < 2:
        for path in paths:
            yield read(path)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from parcli.parallel import mp_context

    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=mp_context(), initializer=_init_worker, initargs=worker
        ) as pool:
            for result in pool.map(_read_in_worker, paths, chunksize=8):
                done += 1
                yield result
    except BrokenProcessPool:
        yield from _read_one_by_one(read, paths[done:], worker)


def _read_one_by_one(
    read: Callable[[Path], Any], paths: list[Path], worker: tuple[Callable[[str], Any], str]
) -> Iterator[Any]:
    """Read ``paths`` one at a time in a single worker, so the file a worker dies on is known."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from parcli.parallel import mp_context
    from parcli.xlsx.open import mark_crashed

    pending = list(paths)
    while pending:
        try:
            with ProcessPoolExecutor(
                max_workers=1, mp_context=mp_context(), initializer=_init_worker, initargs=worker
            ) as pool:
                while pending:
                    result = pool.submit(_read_in_worker, pending[0]).result()
                    pending.pop(0)
                    yield result
        except BrokenProcessPool:
            mark_crashed(pending[0])
            yield read(pending.pop(0))  # refused before it is opened: a problem on that file
