"""File-system helpers: atomic writes, hashing, and the "unchanged since read" check.

Every output is written into a temporary file beside its target and moved
over it only once complete (:func:`atomic_path`).  The temporary name carries
the writer's process id, so the next run removes what a killed run left.  A
file parcli read and is about to replace is first checked unchanged since it
was read (:class:`FileStamp`), so a save made meanwhile is never lost.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from parcli.errors import OutputError, os_reason

T = TypeVar("T")

TEMP_SUFFIX = ".tmp"
MANIFEST_SUFFIX = ".manifest.json"  # ``tong-hop.xlsx`` is described by ``tong-hop.xlsx.manifest.json``


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@dataclass(frozen=True)
class FileStamp:
    """Size, modification time and SHA-256 of a file when it was read."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        """The stamp of ``path`` now."""
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, sha256_file(path))


def stamp_if_exists(path: Path) -> FileStamp | None:
    """The stamp of ``path``, or ``None`` when there is no such file."""
    return FileStamp.of(path) if path.is_file() else None


def check_unchanged(path: Path, read: FileStamp | None) -> None:
    """Raise :class:`OutputError` when ``path`` changed (or appeared) since it was read as ``read``."""
    now: FileStamp | None
    try:
        st = path.stat()
    except FileNotFoundError:
        now = None
    else:
        same_meta = read is not None and (st.st_size, st.st_mtime_ns) == (read.size, read.mtime_ns)
        now = read if same_meta else FileStamp(st.st_size, st.st_mtime_ns, sha256_file(path))
    if read is None and now is None:
        return
    if read is None or now is None or now.sha256 != read.sha256 or now.size != read.size:
        raise OutputError(
            f"Tệp {path} đã thay đổi sau khi được đọc (có người vừa lưu tệp?); parcli không ghi đè để "
            "không mất dữ liệu. Chạy lại lệnh."
        )


def _alive(pid: int, *, windows: bool = os.name == "nt") -> bool:
    """Whether process ``pid`` still runs (the writer of a temporary file or staging folder).

    On Windows ``os.kill(pid, 0)`` is not a probe — signal 0 is CTRL_C_EVENT — so the
    process is opened and its exit code asked for instead.
    """
    if pid == os.getpid():
        return True
    if windows:
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours (PermissionError)
        return True
    return True


STILL_ACTIVE = 259
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000


def _alive_windows(pid: int, kernel32: Any = None) -> bool:
    """Windows: a process that can be opened and has no exit code yet (``kernel32`` given by tests)."""
    import ctypes

    api = kernel32 if kernel32 is not None else ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = api.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return False  # gone (or not ours to open: then it is not a parcli run of this user either)
    try:
        code = ctypes.c_ulong()
        if not api.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == STILL_ACTIVE
    finally:
        api.CloseHandle(handle)


# Windows Defender, the search indexer and OneDrive hold a fresh file for a moment: a rename or delete then
# fails (WinError 5 or 32) and succeeds a little later.  Such a failure is retried this long, in all ~3 s.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)
_sleep: Callable[[float], None] = time.sleep  # tests record the pauses instead of waiting


def _transient(exc: OSError) -> bool:
    """A failure another program's brief hold explains (the file is in use, access denied for a moment)."""
    if getattr(exc, "winerror", None) in (5, 32, 33):
        return True
    return isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EBUSY, errno.ETXTBSY)


def retrying(action: Callable[[], T]) -> T:
    """Run a file-system ``action``, retrying briefly (:data:`RETRY_DELAYS`) while it fails as a held file does."""
    for delay in RETRY_DELAYS:
        try:
            return action()
        except OSError as exc:
            if not _transient(exc):
                raise
            _sleep(delay)
    return action()


def replace_path(source: Path, target: Path) -> None:
    """Move ``source`` over ``target`` (a file or folder), retrying while an antivirus or indexer holds it."""
    retrying(lambda: Path(source).replace(target))


def remove_file(path: Path) -> None:
    """Remove a file if it is there, retrying while it is held for a moment."""
    retrying(lambda: path.unlink(missing_ok=True))


def program_for(path: Path) -> str:
    """The programs that may hold ``path`` open, for a message."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".csv", ".ods"):
        return "Excel/LibreOffice/WPS"
    if suffix in (".docx", ".doc", ".odt"):
        return "Word/LibreOffice/WPS"
    if suffix in (".html", ".htm", ".pdf"):
        return "trình duyệt hoặc trình đọc PDF"
    return "chương trình khác (trình duyệt, File Explorer, phần mềm diệt virus)"


def held(path: Path, *, windows: bool = os.name == "nt") -> bool:
    """Whether another program holds ``path`` so that it cannot be replaced (only Windows refuses that)."""
    if not windows or not path.is_file():
        return False
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except PermissionError:
        return True
    except OSError:
        return False
    os.close(fd)
    return False


def held_message(path: Path) -> str:
    """“Tệp … đang được mở …; đóng tệp rồi chạy lại.”"""
    return (
        f"Tệp {path.name} đang được mở trong {program_for(path)} nên không thay được. Đóng tệp {path.name} "
        "rồi chạy lại lệnh."
    )


def clean_stale_temporaries(target: Path) -> None:
    """Remove temporary files that a killed run left beside ``target`` (their writer process is gone)."""
    prefix = f".{target.stem}."
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(target.suffix + TEMP_SUFFIX)):
                continue
            pid_text = name[len(prefix) :].split(".", 1)[0]
            if pid_text.isdigit() and not _alive(int(pid_text)):
                with contextlib.suppress(OSError):
                    entry.unlink()


def _replace_error(target: Path, exc: OSError) -> OutputError:
    if _transient(exc) and target.exists():
        return OutputError(held_message(target))
    return OutputError(f"Không ghi được tệp {target}: {os_reason(exc)}")


@contextlib.contextmanager
def atomic_path(target: Path, *, read: FileStamp | None = None, companions: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it over ``target`` only on success.

    ``read``: the stamp of ``target`` when parcli read it — the move is refused
    (:class:`OutputError`) if the file changed since.  ``companions`` (a
    manifest describing ``target``) are removed just before the move, so no
    file describes an output other than the one on disk; ``target``'s own
    manifest always is (the command writes the new one after the output).
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(target)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.{os.getpid()}.", suffix=target.suffix + TEMP_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise OutputError(f"Không ghi được vào thư mục {target.parent}: {os_reason(exc)}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.chmod(0o666 & ~_umask())  # mkstemp makes 0600 files; outputs get the usual permissions
        yield tmp
        if read is not None:
            check_unchanged(target, read)
        if not target.name.endswith(MANIFEST_SUFFIX):
            companions = [*companions, target.with_name(target.name + MANIFEST_SUFFIX)]
        for companion in companions:
            remove_file(companion)
        replace_path(tmp, target)
    except OSError as exc:
        raise _replace_error(target, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def atomic_write(target: Path, writer: Callable[[Path], None], *, read: FileStamp | None = None) -> None:
    """Call ``writer(tmp_path)`` and atomically move the result to ``target``."""
    with atomic_path(target, read=read) as tmp:
        writer(tmp)


def atomic_write_text(target: Path, text: str, *, read: FileStamp | None = None) -> None:
    """Write UTF-8 text atomically."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(target, write, read=read)


STAGING_PREFIX = ".parcli-staging."


def _clean_stale_staging(out_dir: Path) -> None:
    """Remove staging folders that a killed run left in ``out_dir`` (their writer process is gone)."""
    import shutil

    with contextlib.suppress(OSError):
        for entry in out_dir.iterdir():
            if not entry.name.startswith(STAGING_PREFIX) or not entry.is_dir():
                continue
            pid_text = entry.name[len(STAGING_PREFIX) :].split(".", 1)[0]
            if pid_text.isdigit() and not _alive(int(pid_text)):
                shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """Yield a hidden staging folder inside ``out_dir``; move its files into ``out_dir`` only once all are written.

    A set of outputs (the issued workbooks, feedback copies, letters) is written into the
    staging folder; when the block ends without an error the files are swapped in all
    together (:func:`swap_in`: every file to replace checked free first, the old ones moved
    aside, the new ones moved in, and everything undone if one move fails), replacing files
    of the same name, whose manifests are removed.  Else the staging folder is removed and
    ``out_dir`` is left as it was — a disk that fills halfway, or a file open in Excel, leaves
    no partial set.  An ``OSError`` while writing becomes an :class:`OutputError`.
    """
    import shutil

    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _clean_stale_staging(out_dir)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}.", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"Không ghi được vào thư mục {out_dir}: {os_reason(exc)}") from exc
    try:
        try:
            yield stage
            staged = sorted(entry for entry in stage.iterdir() if entry.is_file())
            names = {entry.name for entry in staged}
            moves = [(entry, out_dir / entry.name) for entry in staged]
            stale = [
                out_dir / (entry.name + MANIFEST_SUFFIX)
                for entry in staged
                if entry.name + MANIFEST_SUFFIX not in names
            ]
        except OSError as exc:
            raise OutputError(
                f"Không ghi được vào thư mục {out_dir}: {os_reason(exc)}. Không tệp nào được ghi; "
                "giải phóng dung lượng hoặc chọn thư mục khác rồi chạy lại."
            ) from exc
        swap_in(out_dir, moves, remove=stale)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
    shutil.rmtree(stage, ignore_errors=True)


BACKUP_PREFIX = ".parcli-ban-truoc."


def swap_in(out_dir: Path, moves: list[tuple[Path, Path]], *, remove: Iterable[Path] = ()) -> None:
    """Move every ``(new, target)`` over its target and remove ``remove``, all or nothing.

    Every target is first checked free (:func:`held`: a file open in Excel or Word is named
    before anything moves); the old targets (and ``remove``) are then moved aside into a
    backup folder inside ``out_dir``, the new ones moved in — renames within one folder,
    each retried while an antivirus holds it — and the backup removed.  If a move fails,
    everything moved is put back; if even that fails, the backup is kept, never deleted,
    and the message says where it is.
    """
    import shutil

    targets = [target for _, target in moves]
    for target in targets:
        if held(target):
            raise OutputError(held_message(target) + " Chưa tệp nào được ghi.")
    gone = [path for path in (*targets, *remove) if path.exists() or path.is_symlink()]
    if not moves and not gone:
        return
    backup = Path(tempfile.mkdtemp(prefix=f"{BACKUP_PREFIX}{os.getpid()}.", dir=out_dir))
    aside: list[tuple[Path, Path]] = []
    moved_in: list[tuple[Path, Path]] = []
    current = out_dir  # the file of out_dir being moved, for the message
    try:
        for i, path in enumerate(gone):
            current, keep = path, backup / f"{i}{path.suffix}"
            replace_path(path, keep)
            aside.append((keep, path))
        for new, target in moves:
            current = target
            replace_path(new, target)
            moved_in.append((new, target))
    except OSError as exc:
        failed = _undo(moved_in, aside)
        if failed:
            raise OutputError(
                f"Không thay được các tệp trong {out_dir} ({os_reason(exc)}) và không đặt lại được bản trước của: "
                f"{', '.join(p.name for p in failed)}. Bản trước vẫn còn nguyên trong thư mục {backup} (không bị "
                "xóa): chép các tệp đó về chỗ cũ, đóng chương trình đang giữ tệp rồi chạy lại."
            ) from exc
        shutil.rmtree(backup, ignore_errors=True)
        if _transient(exc):
            raise OutputError(held_message(current) + " Chưa tệp nào được ghi.") from exc
        raise OutputError(
            f"Không ghi được vào thư mục {out_dir}: {os_reason(exc)}. Không tệp nào được ghi; "
            "giải phóng dung lượng hoặc chọn thư mục khác rồi chạy lại."
        ) from exc
    shutil.rmtree(backup, ignore_errors=True)


def _undo(moved_in: list[tuple[Path, Path]], aside: list[tuple[Path, Path]]) -> list[Path]:
    """Put back what :func:`swap_in` moved; the targets that could not be restored."""
    failed: list[Path] = []
    for new, target in reversed(moved_in):
        try:
            replace_path(target, new)
        except OSError:
            failed.append(target)
    for keep, path in reversed(aside):
        try:
            replace_path(keep, path)
        except OSError:
            failed.append(path)
    return failed


def display_name(name: str) -> str:
    """A file name as it can be shown and written: bytes that are not UTF-8 become \ufffd.

    ``os.listdir`` gives such bytes as lone surrogates (``surrogateescape``), which
    no UTF-8 writer accepts; the real path is kept for reading, this is for display.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = name.encode("utf-8", "replace")
        return raw.decode("utf-8", "replace")
    return name


def json_text(data: object) -> str:
    """``data`` as readable JSON (UTF-8 text, indented) that any UTF-8 writer accepts.

    A file name that is not UTF-8 holds lone surrogates; they are written as
    ``\\udcXX`` escapes, which read back to the same name (a manifest's paths stay real).
    """
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
