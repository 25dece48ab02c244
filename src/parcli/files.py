"""File-system helpers: atomic writes, hashing, and the "unchanged since read" check.

Every output is written into a temporary file beside its target and moved
over it only once complete (:func:`atomic_path`).  The temporary name carries
the writer's process id, so the next run removes what a killed run left.  A
file parcli read and is about to replace is first checked unchanged since it
was read (:class:`FileStamp`), so a save made meanwhile is never lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from parcli.errors import OutputError, os_reason

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


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours (PermissionError), or a platform without signal 0
        return True
    return True


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
    if isinstance(exc, PermissionError) and target.exists():
        name = target.name
        return OutputError(f"Không ghi đè được tệp {name}. Đóng tệp {name} trong Excel/LibreOffice rồi chạy lại.")
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
            companion.unlink(missing_ok=True)
        tmp.replace(target)
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
    staging folder; when the block ends without an error every file is moved in (replacing
    files of the same name, whose manifests are removed), else the staging folder is removed
    and ``out_dir`` is left as it was — a disk that fills halfway leaves no partial set.  An
    ``OSError`` while writing or moving becomes an :class:`OutputError`.
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
            for entry in staged:
                target = out_dir / entry.name
                if entry.name + MANIFEST_SUFFIX not in names:
                    target.with_name(target.name + MANIFEST_SUFFIX).unlink(missing_ok=True)
                entry.replace(target)
        except OSError as exc:
            raise OutputError(
                f"Không ghi được vào thư mục {out_dir}: {os_reason(exc)}. Không tệp nào được ghi; "
                "giải phóng dung lượng hoặc chọn thư mục khác rồi chạy lại."
            ) from exc
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
    shutil.rmtree(stage, ignore_errors=True)


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
