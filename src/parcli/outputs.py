"""The one output guard: what a command reads and writes, checked before anything is written.

A command declares its inputs (files and folders) and its outputs (files and
folders); :func:`guard_outputs` refuses, with :class:`UsageError` (exit 2), an
output that is an input, lies inside an input folder, or shares its path with
another output of the same command; then it checks that every output can be
written (its folder exists or can be created, nothing read-only in the way),
else :class:`OutputError` (exit 3).  Nothing is written before it passes.  It
returns warnings for outputs a spreadsheet program holds open (its lock file
lies beside the output).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from parcli.errors import OutputError, UsageError

STDOUT = "-"


def _real(path: Path) -> Path:
    """The absolute, resolved path (a path that does not exist yet resolves as far as it can)."""
    return path.resolve()


def _named(paths: Iterable[Path | None]) -> list[Path]:
    return [p for p in paths if p is not None and str(p) != STDOUT]


def lock_files(target: Path) -> list[Path]:
    """The lock files present beside ``target``: Excel's (``~$name.xlsx``), Word's (``~$`` over the first two
    characters of a longer name: ``~$-so-tu-phap.docx``) and LibreOffice's (``.~lock.name.xlsx#``), compared
    without case as Windows compares names."""
    wanted = {f"~${target.name}".casefold(), f".~lock.{target.name}#".casefold()}
    if len(target.stem) > 7:
        wanted.add(f"~${target.name[2:]}".casefold())
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    return sorted(entry for entry in entries if entry.name.casefold() in wanted)


def _first_existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _writable_file(target: Path) -> None:
    if target.is_dir():
        raise OutputError(f"{target} là một thư mục; cần chỉ ra tên tệp để ghi.")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"Không ghi được tệp {target}: tệp chỉ đọc.")
    _writable_dir(target.parent)


def _writable_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"Không ghi được vào {folder}: đó là một tệp, không phải thư mục.")
    base = _first_existing(folder)
    if not base.is_dir():
        raise OutputError(f"Không tạo được thư mục {folder}: {base} là một tệp.")
    if not os.access(base, os.W_OK | os.X_OK):
        raise OutputError(f"Không ghi được vào thư mục {base}: không có quyền ghi.")


def guard_outputs(
    *,
    inputs: Iterable[Path | None] = (),
    files: Iterable[Path | None] = (),
    dirs: Iterable[Path | None] = (),
) -> list[str]:
    """Refuse outputs that would overwrite or land among the inputs; check each can be written.

    ``inputs`` are the files and folders the command reads (a folder covers
    everything inside it); ``files`` the output files (``-`` is stdout and is
    skipped); ``dirs`` the output folders (no input may lie inside one: parcli replaces what it
    writes there).  Returns one Vietnamese warning per
    output that a spreadsheet program holds open.
    """
    read = [(p, _real(p)) for p in _named(inputs)]
    outs = [(p, _real(p), False) for p in _named(files)] + [(p, _real(p), True) for p in _named(dirs)]
    seen: dict[Path, Path] = {}
    for given, real, _ in outs:
        if real in seen:
            raise UsageError(f"Hai đầu ra của lệnh trùng một đường dẫn: {seen[real]} và {given}.")
        seen[real] = given
        for source, source_real in read:
            if real == source_real:
                raise UsageError(f"Đầu ra {given} chính là tệp đầu vào {source}; parcli không ghi đè dữ liệu đầu vào.")
            if source_real.is_dir() and source_real in real.parents:
                raise UsageError(
                    f"Đầu ra {given} nằm trong thư mục đầu vào {source}; parcli không thêm tệp vào thư mục đó. "
                    "Chọn vị trí khác."
                )
    for given, real, is_dir in outs:
        for source, source_real in read:
            if is_dir and real in source_real.parents:
                raise UsageError(
                    f"Đầu vào {source} nằm trong thư mục đầu ra {given}; parcli ghi và thay thế nội dung của thư mục "
                    "đầu ra nên có thể làm mất dữ liệu đầu vào. Chọn thư mục đầu ra khác, hoặc chuyển dữ liệu đầu vào "
                    "ra ngoài."
                )
    for given, _real_path, is_dir in outs:
        if is_dir:
            _writable_dir(given)
        else:
            _writable_file(given)
    from parcli.files import program_for

    return [
        f"Tệp {given.name} đang mở trong {program_for(given)} ({lock.name}); đóng tệp trước khi parcli ghi đè."
        for given, _real_path, is_dir in outs
        if not is_dir
        for lock in lock_files(given)
    ]
