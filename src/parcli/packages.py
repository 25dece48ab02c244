"""Packages: a folder or a ``.zip`` holding one form and the files that go with it, listed safely.

:func:`open_package` lists the members of a package without extracting
anything and refuses, by name, every member that is not safe to read: a path
that climbs out of the package (``../``) or is absolute, a link, an archive
inside the archive, and what a zip bomb looks like (a member whose size is far
above its compressed size, or members adding up to more than a limit).
:func:`member_stream` opens one member as a stream (never loaded whole);
:func:`copy_member` copies one into a given folder, counting the bytes as they
come, so nothing is ever written outside that folder nor beyond the declared
size.  No domain words here: what the members mean is the caller's.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

ZIP_SUFFIX = ".zip"
ARCHIVE_SUFFIXES = frozenset({".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst"})
MAX_RATIO = 100  # a member expanding more than 100× its compressed size (over 1 MB) is a bomb
RATIO_FLOOR = 1 << 20  # small members may compress well (a text file of spaces): not judged by ratio
MAX_TOTAL = 2 << 30  # 2 GiB in all, declared: more is refused before anything is read
MAX_MEMBERS = 10_000
CHUNK = 1 << 16
SPOOL_IN_MEMORY = 1 << 20  # a member up to 1 MB is read into memory, a larger one into a temporary file


@dataclass(frozen=True)
class Member:
    """One file of a package: its name inside the package (``/``-separated, NFC) and its size in bytes."""

    name: str
    size: int
    encrypted: bool = False  # a zip member stored with a password: it cannot be read

    @property
    def base(self) -> str:
        """The file name without its folders."""
        return PurePosixPath(self.name).name

    @property
    def suffix(self) -> str:
        """The lower-case suffix (``.pdf``)."""
        return PurePosixPath(self.name).suffix.lower()


@dataclass(frozen=True)
class Refusal:
    """A member refused for safety: ``reason`` is one of ``unsafe-path``, ``link``, ``nested-archive``, ``bomb``."""

    reason: str
    name: str
    detail: str = ""


@dataclass
class Package:
    """A package as listed: where it is, whether it is a zip, its safe members and the refused ones."""

    path: Path
    is_zip: bool
    members: list[Member] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    damaged: str | None = None  # why the zip cannot be read at all, when it cannot

    def member(self, name: str) -> Member | None:
        """The member of that name (exact, else compared case-insensitively), or None."""
        for m in self.members:
            if m.name == name:
                return m
        folded = name.casefold()
        return next((m for m in self.members if m.name.casefold() == folded), None)


def is_package(path: Path) -> bool:
    """True for a ``.zip`` file or a folder (a folder is a package when it holds a form; the caller decides)."""
    return path.is_dir() or (path.is_file() and path.suffix.lower() == ZIP_SUFFIX)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
ENCRYPTED_FLAG = 0x1  # general purpose bit 0: the member is encrypted (a password is needed)


def zip_error(exc: BaseException) -> str:
    """Why a zip (or one of its members) cannot be read, in Vietnamese: never the library's own words."""
    text = str(exc).lower()
    if "password" in text or "encrypted" in text:
        return "tệp được nén có đặt mật khẩu"
    if isinstance(exc, NotImplementedError) or "compression" in text or "version" in text:
        return "tệp được nén theo cách parcli không đọc được (kiểu nén hoặc phiên bản không hỗ trợ)"
    if "crc" in text or "bad magic" in text or "truncated" in text or isinstance(exc, EOFError):
        return "tệp nén bị hỏng hoặc không trọn vẹn (có thể tải về chưa xong)"
    if "not a zip file" in text:
        return "tệp không phải tệp nén .zip (có thể đã đổi đuôi)"
    if "larger than declared" in text:
        return "dung lượng thật lớn hơn dung lượng khai báo trong tệp nén"
    if isinstance(exc, OSError) and exc.errno is not None:
        from parcli.errors import os_reason

        return os_reason(exc)
    return "tệp nén bị hỏng"


LEGACY_CODE_PAGE = "cp1258"  # Vietnamese Windows (ANSI and OEM): what older Windows tools write names in


def member_name(info: Any) -> str:
    """A zip member's name as the archivers people use would show it: ``/``-separated, NFC.

    A name without the UTF-8 flag (Info-ZIP ``zip`` 3.0, older Windows tools) is
    decoded from its bytes as UTF-8 when that decodes, else in the Vietnamese
    Windows code page, else as ``zipfile`` read it (cp437); a backslash
    (written by some Windows tools) is a folder separator.
    """
    name = str(info.filename)
    if not info.flag_bits & UTF8_FLAG:
        try:
            raw = name.encode("cp437")  # zipfile decoded the bytes as cp437: this gives them back exactly
        except UnicodeEncodeError:  # pragma: no cover - a name zipfile did not decode as cp437
            raw = b""
        for encoding in ("utf-8", LEGACY_CODE_PAGE):
            try:
                name = raw.decode(encoding) if raw else name
                break
            except UnicodeDecodeError:
                continue
    name = "/".join(part for part in name.replace("\\", "/").split("/") if part != ".")  # "./a.pdf" (7-Zip) is a.pdf
    return _nfc(name)


def _unsafe_path(name: str) -> bool:
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in name.replace("\\", "/").split("/"))


def open_package(
    path: Path, *, max_ratio: int = MAX_RATIO, max_total: int = MAX_TOTAL, max_members: int = MAX_MEMBERS
) -> Package:
    """List a package's members (a ``.zip`` or a folder); never raises for a bad archive, never extracts."""
    if path.is_dir():
        return _list_folder(path)
    import zipfile

    package = Package(path=path, is_zip=True)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:  # a damaged version field
        package.damaged = zip_error(exc)
        return package
    if len(infos) > max_members:
        package.refused.append(Refusal("bomb", path.name, f"{len(infos)} tệp"))
        return package
    total = 0
    for info in infos:
        name = member_name(info)
        if info.filename.endswith(("/", "\\")):  # a folder entry ("./" from bsdtar among them)
            continue
        if not PurePosixPath(name).parts:  # "" or ".": no name a person meant, no path to give it
            package.refused.append(Refusal("unsafe-path", name, "tên tệp rỗng"))
            continue
        mode = info.external_attr >> 16
        if _unsafe_path(name):
            package.refused.append(Refusal("unsafe-path", name))
        elif stat.S_ISLNK(mode):
            package.refused.append(Refusal("link", name))
        elif PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES:
            package.refused.append(Refusal("nested-archive", name))
        elif info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            package.refused.append(Refusal("bomb", name, f"nén {info.file_size // max(info.compress_size, 1)} lần"))
        elif total + info.file_size > max_total:
            package.refused.append(Refusal("bomb", name, f"tổng dung lượng giải nén vượt {max_total >> 20} MB"))
        else:
            total += info.file_size
            package.members.append(Member(name, info.file_size, encrypted=bool(info.flag_bits & ENCRYPTED_FLAG)))
    return package


def _list_folder(folder: Path) -> Package:
    package = Package(path=folder, is_zip=False)
    for entry in sorted(folder.rglob("*")):
        name = _nfc(entry.relative_to(folder).as_posix())
        if entry.is_symlink():
            package.refused.append(Refusal("link", name))
        elif entry.is_dir():
            continue
        elif entry.suffix.lower() in ARCHIVE_SUFFIXES:
            package.refused.append(Refusal("nested-archive", name))
        elif entry.is_file():
            package.members.append(Member(name, entry.stat().st_size))
    return package


def _folder_member_path(package: Package, member: Member) -> Path:
    for entry in package.path.rglob("*"):
        if _nfc(entry.relative_to(package.path).as_posix()) == member.name:
            return entry
    raise FileNotFoundError(member.name)


def member_path(package: Package, member: Member) -> Path | None:
    """The member's own path for a folder package (None for a zip: open it with :func:`member_stream`)."""
    if package.is_zip:
        return None
    direct = package.path / member.name
    return direct if direct.is_file() else _folder_member_path(package, member)


_SESSIONS: dict[Path, tuple[Any, dict[str, Any]]] = {}


@contextlib.contextmanager
def reading(package: Package) -> Iterator[None]:
    """Keep a zip package open, its directory indexed, while many of its members are read.

    Without it every :func:`member_stream` opens the archive again and reads its whole
    directory: quadratic in the number of members.
    """
    if not package.is_zip or package.path in _SESSIONS:
        yield
        return
    import zipfile

    with zipfile.ZipFile(package.path) as archive:
        _SESSIONS[package.path] = (archive, {member_name(i): i for i in archive.infolist()})
        try:
            yield
        finally:
            _SESSIONS.pop(package.path, None)


@contextlib.contextmanager
def member_stream(package: Package, member: Member) -> Iterator[IO[bytes]]:
    """The member as a binary stream, read as it is used (a zip member is decompressed on the fly).

    A zip member never yields more than its declared size (``zipfile`` stops there and checks the CRC).
    """
    if not package.is_zip:
        path = member_path(package, member)
        assert path is not None
        with path.open("rb") as handle:
            yield handle
        return
    session = _SESSIONS.get(package.path)
    if session is not None:
        archive, index = session
        with archive.open(index[member.name]) as handle:
            yield handle
        return
    import zipfile

    with zipfile.ZipFile(package.path) as archive:
        info = next(i for i in archive.infolist() if member_name(i) == member.name)
        with archive.open(info) as handle:
            yield handle


def copy_member(package: Package, member: Member, folder: Path, name: str | None = None) -> Path:
    """Copy one member into ``folder`` under ``name`` (default: its base name), streamed; return the new path.

    ``name`` must be a plain file name: whatever the member is called, the copy lands in ``folder``.
    """
    target_name = PurePosixPath((name or member.base).replace("\\", "/")).name
    if target_name in ("", ".", ".."):
        raise ValueError(f"not a file name: {name!r}")
    target = folder / target_name
    if target.is_symlink():  # a plain name lands in ``folder`` unless a link already stands there
        raise ValueError(f"{target} is a link")
    written = 0
    with member_stream(package, member) as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > member.size:
                raise ValueError(f"{member.name} is larger than declared")
            out.write(chunk)
    return target


def spool_member(package: Package, member: Member, limit: int) -> IO[bytes]:
    """The member in a seekable buffer (in memory up to 1 MB, then a temporary file); at most ``limit`` bytes.

    Never more than ``limit`` bytes are read from the member, whatever it inflates to: a member whose
    header declares a small size stops there (``zipfile`` ends it at the declared size, and so does
    this reader at ``limit``).
    """
    import io
    import tempfile

    with member_stream(package, member) as source:
        bounded = _Bounded(source, limit)
        if min(member.size, limit) <= SPOOL_IN_MEMORY:
            # a plain buffer: pypdf seeks and reads in small steps, which a spooled file pays for in Python
            buffer = io.BytesIO()
            while buffer.tell() <= SPOOL_IN_MEMORY and (chunk := bounded.read(CHUNK)):
                buffer.write(chunk)
            if buffer.tell() <= SPOOL_IN_MEMORY:
                buffer.seek(0)
                return buffer
            spill: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller
            spill.write(buffer.getvalue())
        else:
            spill = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
        shutil.copyfileobj(bounded, spill, CHUNK)
    spill.seek(0)
    return spill


def sha256_listing(members: list[tuple[str, str]]) -> str:
    """The combined SHA-256 of a set of files: ``(relative path, sha256)`` pairs, in any order.

    The rule: sort the pairs by relative path (``/``-separated, NFC, compared by code point), write one
    line per file as ``sha256sum`` does — ``<hex sha256><two spaces><relative path>\n`` — and hash the
    UTF-8 text.  Any file added, removed, renamed or changed changes it.
    """
    import hashlib

    text = "".join(f"{sha}  {name}\n" for name, sha in sorted(members))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Bounded:
    """A reader that stops after ``limit`` bytes."""

    def __init__(self, source: IO[bytes], limit: int) -> None:
        self.source = source
        self.left = limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.source.read(size)
        self.left -= len(data)
        return data
