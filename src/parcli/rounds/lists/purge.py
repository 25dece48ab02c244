"""Finding the files that hold respondents' personal data, and removing those parcli wrote once the survey is over.

Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 asks that personal data be deleted once the purpose it was
collected for is met.  :func:`find_personal_files` walks a folder and sorts what holds respondents' names,
e-mail addresses or phone numbers:

* **parcli's own** — a consolidated respondents workbook (``survey merge``), recognised by its hidden
  metadata; encrypted, by opening it with the password, else by the manifest parcli wrote beside it (its
  SHA-256 recorded as the output); its manifest goes with it; and the copies parcli put in other outputs
  (an evidence pack: the caller names them, as that pack's marker lists them);
* **the units'** — returned lists with people typed in: parcli never deletes what people typed; they are
  named so the office deletes them itself;
* **unknown** — encrypted workbooks that cannot be told (no password, another password, no manifest).

An issued list nobody has filled holds no personal data and is left out.  :func:`remove_files` removes
parcli's own, each only if unchanged since it was found.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from parcli.errors import InputNotFoundError, OutputError
from parcli.files import MANIFEST_SUFFIX, FileStamp, check_unchanged, remove_file, sha256_file
from parcli.rounds.lists import layout

if TYPE_CHECKING:
    from parcli.secret import Password

Holding = Literal["respondents", "list", "blank-list", None]
_WORKBOOKS = (".xlsx", ".xlsm")
_MANIFEST_FORMAT = "parcli-manifest/1"
_MERGE_KIND = "survey-merge"


@dataclass(frozen=True)
class PersonalFile:
    """A file holding personal data: what it is, how it was recognised, and its stamp when found."""

    path: Path
    what: str  # Vietnamese: "danh sách tổng hợp (survey merge)"…
    how: str  # Vietnamese: "siêu dữ liệu ẩn", "mật khẩu", "manifest"…
    stamp: FileStamp


@dataclass
class PurgeFindings:
    """What :func:`find_personal_files` found in a folder."""

    folder: Path
    ours: list[PersonalFile] = field(default_factory=list)  # parcli wrote them: removed by remove_files
    theirs: list[PersonalFile] = field(default_factory=list)  # typed by the units: named, never removed
    unknown: list[Path] = field(default_factory=list)  # encrypted, not recognised


def holding(path: Path, password: Password | None = None) -> Holding:
    """What a workbook holds: a respondents workbook, a list with people typed in, a blank list, or none of them.

    An encrypted workbook is opened with ``password`` (None: it is not told, None is returned).
    """
    from parcli.secret import CannotDecrypt, WrongPassword, decrypt_bytes, is_encrypted

    source: Path | io.BytesIO = path
    if is_encrypted(path):
        if password is None:
            return None
        try:
            source = io.BytesIO(decrypt_bytes(path, password))
        except (WrongPassword, CannotDecrypt):
            return None
    try:
        return _holding(source)
    except Exception:  # not a workbook, damaged: nothing parcli recognises
        return None


def _holding(source: Path | io.BytesIO) -> Holding:
    from openpyxl import load_workbook

    from parcli.xlsx.open import read_metadata

    if isinstance(source, Path):
        from parcli.xlsx.open import sniff_workbook

        refused: list[str] = []
        sheets = (layout.SHEET_META, *layout.LIST_SHEETS.values())
        if not sniff_workbook(source, lambda slug, _message: refused.append(slug), "bảng tính", only=sheets):
            return None
    wb = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    try:
        meta = read_metadata(wb, layout.SHEET_META, len(layout.LIST_META_KEYS) + 5) or {}
        kind = meta.get(layout.META_KIND)
        if kind == layout.KIND_RESPONDENTS:
            return "respondents"
        if kind != layout.KIND_SURVEY_LIST:
            return None
        for sheet in layout.LIST_SHEETS.values():
            if sheet not in wb.sheetnames:
                continue
            rows = wb[sheet].iter_rows(
                min_row=layout.LIST_HEADER_ROW + 1,
                max_row=layout.LIST_HEADER_ROW + layout.LIST_MAX_ROWS,
                min_col=2,
                max_col=1 + max(len(f) for f in layout.LIST_FIELDS.values()),
                values_only=True,
            )
            if any(v not in (None, "") for row in rows for v in row):
                return "list"
        return "blank-list"
    finally:
        wb.close()


def _manifest_says_ours(path: Path) -> bool:
    """Whether the manifest beside ``path`` records it, byte for byte, as the output of ``survey merge``."""
    try:
        record: Any = json.loads(path.with_name(path.name + MANIFEST_SUFFIX).read_text(encoding="utf-8"))
        output = record["output"]
        return bool(
            record.get("format") == _MANIFEST_FORMAT
            and record.get("kind") == _MERGE_KIND
            and isinstance(output, dict)
            and output.get("sha256") == sha256_file(path)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def find_personal_files(folder: Path, password: Password | None = None, copies: Iterable[Path] = ()) -> PurgeFindings:
    """Walk ``folder`` (links not followed) and sort the files holding respondents' personal data.

    ``copies``: files parcli wrote into other outputs that hold personal data (an evidence pack's list
    copies, as its marker records them); they are parcli's own whatever they are.
    """
    from parcli.secret import is_encrypted

    if not folder.is_dir():
        raise InputNotFoundError(f"Không tìm thấy thư mục {folder}.")
    found = PurgeFindings(folder=folder)
    copied = {p.resolve() for p in copies}
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file():
                continue
            if path.resolve() in copied:
                found.ours.append(_entry(path, "bản sao trong hồ sơ kiểm chứng (parcli evidence)", "dấu hiệu hồ sơ"))
                continue
            if path.suffix.lower() not in _WORKBOOKS or name.startswith(("~$", ".~lock.")):
                continue
            held = holding(path, password)
            encrypted = is_encrypted(path)
            how = "mật khẩu" if encrypted else "siêu dữ liệu ẩn"
            if held == "respondents" or (held is None and encrypted and _manifest_says_ours(path)):
                how = how if held == "respondents" else "manifest"
                found.ours.append(_entry(path, "danh sách tổng hợp đối tượng điều tra (parcli survey merge)", how))
                manifest = path.with_name(path.name + MANIFEST_SUFFIX)
                if manifest.is_file():
                    found.ours.append(_entry(manifest, "manifest của danh sách tổng hợp", "đi kèm danh sách"))
            elif held == "list":
                found.theirs.append(_entry(path, "danh sách đơn vị gửi về (có người được giới thiệu)", how))
            elif held is None and encrypted:
                found.unknown.append(path)
    return found


def _entry(path: Path, what: str, how: str) -> PersonalFile:
    return PersonalFile(path=path, what=what, how=how, stamp=FileStamp.of(path))


def remove_files(files: list[PersonalFile]) -> list[Path]:
    """Remove ``files``, all only if each is unchanged since found (else :class:`OutputError`, nothing removed).

    A plain removal: the space is freed by the file system as for any deleted file (on an SSD or a
    journaling file system no program can promise to overwrite the bytes).
    """
    for item in files:
        check_unchanged(item.path, item.stamp)
    removed: list[Path] = []
    for item in files:
        try:
            remove_file(item.path)
        except OSError as exc:
            from parcli.errors import os_reason

            raise OutputError(
                f"Không xóa được {item.path}: {os_reason(exc)}. Đã xóa {len(removed)} tệp; đóng chương trình đang "
                "mở tệp rồi chạy lại."
            ) from exc
        removed.append(item.path)
    return removed
