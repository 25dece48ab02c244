"""Passwords for the files that hold personal data, and the encryption Excel, LibreOffice and WPS open.

Survey respondent lists hold personal data (names, phone numbers, e-mail addresses: basic personal
data under Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15).  parcli writes such a file encrypted when the
officer gives a password, with the "Encrypt with Password" standard of Office Open XML (ECMA-376 agile
encryption, AES-256, written by msoffcrypto-tool), which Excel, LibreOffice and WPS open after asking for
the password; and it reads lists a unit sent back encrypted with the same password.

* :class:`Password` holds the password in memory only: its ``repr`` and ``str`` are masked, so a
  traceback, a log line or a formatted message never shows it; :func:`redact` takes every password this
  process has held out of a text (the crash log goes through it).
* :func:`password_from_environment` reads :data:`PASSWORD_ENV`; the command line asks for one otherwise.
  Never an option value, which would stay in the shell's history.
* :func:`is_encrypted`, :func:`encrypt_bytes`, :func:`decrypt_bytes` and :func:`decrypted_copy` do the
  encryption; :class:`WrongPassword` and :class:`CannotDecrypt` say why a file did not open.

Nothing here writes the password anywhere: the encrypted file stores a salted hash of a key derived
from it (100,000 rounds of SHA-512), never the password.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

PASSWORD_ENV = "PARCLI_PASSWORD"  # noqa: S105 - the name of the variable, not a password
MIN_LENGTH = 8  # a password parcli encrypts with: at least this many characters
HOW_TO_GIVE = f"biến môi trường {PASSWORD_ENV} hoặc tùy chọn --password-prompt"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Office Open XML file is an OLE container
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_MASK = "***"

_HELD: set[str] = set()  # every password this process was given, for :func:`redact`


class Password:
    """A password held in memory only; ``repr`` and ``str`` never show it (:meth:`reveal` does)."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        if not text:
            raise ValueError("an empty password")
        self._text = text
        _HELD.add(text)

    def reveal(self) -> str:
        """The password itself, for the encryption library only."""
        return self._text

    def __repr__(self) -> str:
        return f"Password({_MASK})"

    __str__ = __repr__

    def __getstate__(self) -> str:  # a worker process gets it through its pipe, never through a file
        return self._text

    def __setstate__(self, state: str) -> None:
        self._text = state
        _HELD.add(state)

    def weak(self) -> str | None:
        """Why the password is too weak to encrypt with (in Vietnamese), or None."""
        if len(self._text) < MIN_LENGTH:
            return f"mật khẩu cần ít nhất {MIN_LENGTH} ký tự"
        if self._text.strip() != self._text:
            return "mật khẩu có dấu cách ở đầu hoặc cuối (dễ gõ sai khi mở tệp)"
        return None


def password_from_environment(environ: Mapping[str, str] | None = None) -> Password | None:
    """The password in :data:`PASSWORD_ENV` (None when it is unset or empty)."""
    text = (os.environ if environ is None else environ).get(PASSWORD_ENV, "")
    return Password(text) if text else None


def redact(text: str) -> str:
    """``text`` with every password this process has held replaced by ``***`` (plain, escaped or as bytes)."""
    for secret in sorted(_HELD, key=len, reverse=True):
        forms = {
            secret,
            repr(secret)[1:-1],  # as a str repr shows it
            repr(secret.encode("utf-8"))[2:-1],  # as a bytes repr shows it
            repr(secret.encode("utf-16-le"))[2:-1],
        }
        for form in sorted(forms, key=len, reverse=True):
            if form:
                text = text.replace(form, _MASK)
    return text


class WrongPassword(Exception):
    """The password given does not open the file."""


class CannotDecrypt(Exception):
    """The file is encrypted in a way that cannot be decrypted here (another method, or damaged)."""


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is an Office file encrypted with an opening password (an OLE container holding
    ``EncryptionInfo``); False for anything else, an unreadable file included."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != OLE_MAGIC:
                return False
            return _ENCRYPTION_INFO in handle.read(64 * 1024 * 1024)
    except OSError:
        return False


def encrypt_bytes(plain: bytes, password: Password) -> bytes:
    """An Office Open XML file (``plain``, e.g. an .xlsx) encrypted with ``password`` (ECMA-376 agile, AES-256)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password.reveal(), out)
    return out.getvalue()


def decrypt_bytes(source: Path | BinaryIO, password: Password) -> bytes:
    """The decrypted bytes of an encrypted Office file; :class:`WrongPassword` or :class:`CannotDecrypt`."""
    import msoffcrypto
    from msoffcrypto import exceptions

    with contextlib.ExitStack() as stack:
        handle = stack.enter_context(source.open("rb")) if isinstance(source, Path) else source
        try:
            office = msoffcrypto.OfficeFile(handle)
            office.load_key(password=password.reveal(), verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
        except exceptions.InvalidKeyError:
            raise WrongPassword from None
        except Exception as exc:  # a method msoffcrypto does not know, a damaged container
            raise CannotDecrypt(type(exc).__name__) from None
    return out.getvalue()


def private_folder() -> str | None:
    """Where a decrypted copy may be put for a moment: memory (``/dev/shm``) where there is one, else the user's
    temporary folder (None)."""
    shm = Path("/dev/shm")  # noqa: S108 - a private folder is made inside it
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@contextlib.contextmanager
def decrypted_copy(path: Path, password: Password, suffix: str = ".xlsx") -> Iterator[Path]:
    """A decrypted copy of ``path`` in a private folder (only this user may read it), removed on leaving.

    The readers parcli uses read files by name; the copy lives only while one reads it, in memory where the
    system has a memory file system.  :class:`WrongPassword` or :class:`CannotDecrypt` when it cannot be made.
    """
    plain = decrypt_bytes(path, password)
    with tempfile.TemporaryDirectory(prefix="parcli-", dir=private_folder()) as folder:
        copy = Path(folder) / f"giai-ma{suffix}"
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(plain)
        del plain
        yield copy


@dataclass(frozen=True)
class Unlock:
    """How a reader treats a workbook encrypted with an opening password: decrypted with ``password``, or
    (None: none was given) refused with a problem that says how to give one."""

    password: Password | None = None
