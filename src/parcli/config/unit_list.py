"""The province's own list of communes and wards (xã, phường, đặc khu), read for ``parcli init --units``.

A province keeps that list as it was published or typed — a spreadsheet or a CSV with a title row, an
“STT” column, a “Tên đơn vị hành chính” column, sometimes a “Loại” column (xã / phường) — not in parcli's
``id,name,group,exempt`` table.  :func:`read_commune_list` finds the header row and the name column, reads
the kind from the name (“Xã An Bình”, “Phường Hiến Nam”, “UBND xã …”) or from a kind column, and makes an
ASCII id from the name (``xa-an-binh``).  A table already in parcli's shape keeps its ids.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from parcli.config.presets import ascii_fold, slug
from parcli.errors import InputNotFoundError, UsageError
from parcli.text import nfc

# The kinds of commune-level unit: id prefix → the word in a name.
KINDS: Final[dict[str, str]] = {"xa": "xã", "phuong": "phường", "dac-khu": "đặc khu"}
_KIND_OF_WORD: Final[dict[str, str]] = {"xa": "xa", "phuong": "phuong", "dac khu": "dac-khu"}
_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER_SCAN: Final = 15  # rows searched for the header (a title and blank rows may come first)


@dataclass(frozen=True)
class Commune:
    """A commune-level unit of the province: its id, its name in documents, its kind (xa, phuong, dac-khu)."""

    id: str
    name: str  # “UBND xã An Bình”
    kind: str
    exempt: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommuneList:
    """The units read, and what the officer should look at (rows skipped, a kind guessed)."""

    units: tuple[Commune, ...]
    warnings: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        """Units per kind, in the order xã, phường, đặc khu (kinds with none left out)."""
        out = {kind: sum(1 for u in self.units if u.kind == kind) for kind in KINDS}
        return {k: v for k, v in out.items() if v}

    def summary(self) -> str:
        """“104 đơn vị (93 xã, 11 phường)”."""
        parts = ", ".join(f"{n} {KINDS[k]}" for k, n in self.counts().items())
        return f"{len(self.units)} đơn vị ({parts})"


def _rows(path: Path) -> list[tuple[str, list[str]]]:
    """(where, cells) of every row of the first sheet of an XLSX, or of a CSV (``,`` or ``;``, UTF-8)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from parcli.xlsx.open import WorkbookRefused, open_workbook

        try:
            wb = open_workbook(path, fast_sheets=None, noun="danh sách đơn vị", data_only=True)
        except WorkbookRefused as exc:
            raise UsageError(f"Không đọc được {path.name}: {exc.message}") from None
        try:
            ws = wb.worksheets[0]
            return [
                (f"{path.name} › {ws.title} › dòng {r}", ["" if v is None else str(v).strip() for v in values])
                for r, values in enumerate(ws.iter_rows(values_only=True), start=1)
            ]
        finally:
            wb.close()
    if path.suffix.lower() in (".xls", ".ods"):
        raise UsageError(f"{path.name}: đề nghị lưu danh sách dưới dạng .xlsx hoặc .csv (UTF-8) rồi chạy lại.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"{path.name} không phải văn bản UTF-8. Đề nghị mở tệp trong Excel và lưu lại dạng “CSV UTF-8”, "
            "hoặc lưu dạng .xlsx."
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else "\t" if first.count("\t") > first.count(",") else ","
    return [
        (f"{path.name} dòng {r}", [v.strip() for v in values])
        for r, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
    ]


def _column(header: list[str], *words: str) -> int | None:
    """The first column whose folded header is one of ``words`` or starts with one of them."""
    for i, cell in enumerate(header):
        key = ascii_fold(cell).strip(" :.")
        if any(key == w or key.startswith(w + " ") for w in words):
            return i
    return None


def _header(rows: list[tuple[str, list[str]]]) -> tuple[int, dict[str, int]] | None:
    """The header row's index and its columns (name, kind, id, exempt), or None when no row names a name column."""
    for index, (_, cells) in enumerate(rows[:_HEADER_SCAN]):
        name = _column(cells, "name", "ten", "don vi hanh chinh", "don vi")
        if name is None:
            continue
        columns = {"name": name}
        for key, words in (
            ("kind", ("loai", "cap", "kind", "group", "nhom")),
            ("id", ("id", "ma")),
            ("exempt", ("exempt", "mien")),
        ):
            found = _column(cells, *words)
            if found is not None and found != name:
                columns[key] = found
        return index, columns
    return None


def _split_name(text: str, kind_cell: str) -> tuple[str | None, str]:
    """(kind, bare name): “UBND xã An Bình” → (“xa”, “An Bình”); the kind from the kind cell when the name has none."""
    name = " ".join(nfc(text).split())
    for prefix in ("uy ban nhan dan ", "ubnd "):  # compared without tone marks: “Ủy”, “Uỷ”, “UBND”
        if ascii_fold(name).startswith(prefix):
            name = name[len(prefix) :]  # one folded character per NFC character: the lengths agree
    folded = ascii_fold(name)
    for word, kind in _KIND_OF_WORD.items():
        if folded.startswith(word + " "):
            return kind, name[len(word) + 1 :].strip()
    cell = ascii_fold(kind_cell).strip()
    for word, kind in _KIND_OF_WORD.items():
        if cell == word or cell.startswith(word):
            return kind, name
    return None, name


def _recase(name: str) -> str:
    """A name typed all in capitals or all in lower case, with capital initials: “AN BÌNH” → “An Bình”."""
    if name.isupper() or name.islower():
        return " ".join(word[:1].upper() + word[1:].lower() for word in name.split())
    return name


def read_commune_list(path: Path) -> CommuneList:
    """Read the province's list of communes and wards from ``path`` (CSV or XLSX).

    Raises :class:`InputNotFoundError` when the file is missing and :class:`UsageError` when no name column
    or no unit is found, or when two rows name the same unit; a row whose kind cannot be told is counted as
    a xã and said in the warnings.
    """
    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy danh sách đơn vị {path}.")
    rows = [(where, cells) for where, cells in _rows(path) if any(cells)]
    found = _header(rows)
    if found is None:
        if rows and all(len([c for c in cells if c]) == 1 for _, cells in rows):
            start, columns = 0, {"name": next(i for i, c in enumerate(rows[0][1]) if c)}
        else:
            raise UsageError(
                f"{path.name}: không tìm thấy cột tên đơn vị. Đề nghị đặt tiêu đề “Tên đơn vị” (hoặc “name”) cho "
                "cột tên xã, phường ở dòng tiêu đề của bảng."
            )
    else:
        start, columns = found[0] + 1, found[1]
    units: list[Commune] = []
    warnings: list[str] = []
    guessed: list[str] = []
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for where, cells in rows[start:]:

        def cell(key: str, cells: list[str] = cells) -> str:
            col = columns.get(key)
            return cells[col] if col is not None and col < len(cells) else ""

        raw = cell("name")
        if not raw or ascii_fold(raw).startswith(("tong", "cong")):  # a blank or a total row
            continue
        kind, bare = _split_name(raw, cell("kind"))
        if kind is None:
            guessed.append(where)
            kind = "xa"
        bare = _recase(bare)
        given = cell("id").lower()
        unit_id = given if _ID.match(given) and not given.isdigit() else f"{kind}-{slug(bare)}"
        if unit_id in seen:
            duplicates.append(f"{where} trùng với {seen[unit_id]} ({KINDS[kind]} {bare})")
            continue
        seen[unit_id] = where
        exempt = tuple(c for c in re.split(r"[\s,;]+", cell("exempt")) if c)
        units.append(Commune(unit_id, f"UBND {KINDS[kind]} {bare}", kind, exempt))
    if duplicates:
        raise UsageError(
            f"{path.name}: có đơn vị bị ghi hai lần — "
            + "; ".join(duplicates)
            + ". Đề nghị xóa dòng thừa rồi chạy lại."
        )
    if not units:
        raise UsageError(f"{path.name}: không có dòng đơn vị nào dưới dòng tiêu đề.")
    if guessed:
        shown = ", ".join(guessed[:5]) + (f" và {len(guessed) - 5} dòng khác" if len(guessed) > 5 else "")
        warnings.append(
            f"{len(guessed)} dòng không ghi rõ là xã hay phường ({shown}); đã ghi là xã. Đề nghị kiểm tra cột tên "
            "(ví dụ “Xã An Bình”, “Phường Hiến Nam”) hoặc thêm cột “Loại”."
        )
    return CommuneList(tuple(units), tuple(warnings))


__all__ = ["KINDS", "Commune", "CommuneList", "read_commune_list"]
