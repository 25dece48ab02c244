"""The one CSV reader and writer: files as Excel on a Vietnamese Windows saves them, and as Excel opens them.

Excel's "CSV (Comma delimited)" on a Vietnamese Windows writes the ANSI code page (cp1258) and,
where the comma is the decimal sign, ``;`` between columns; "CSV UTF-8" writes UTF-8 with a BOM.
:func:`read_csv` reads UTF-8 (with or without BOM) and falls back to cp1258 with a note to say so;
it accepts ``,``, ``;`` or a tab between columns and gives NFC text with 1-based line numbers.
:func:`csv_text` writes with a BOM, so Excel shows the diacritics of a file parcli wrote.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LEGACY = "cp1258"  # Vietnamese Windows' ANSI code page
BOM = "\ufeff"


@dataclass
class CsvTable:
    """A CSV file as read: its rows with their 1-based line numbers, the encoding found, the delimiter."""

    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","

    def note(self, name: str) -> str | None:
        """The sentence that says a file was not UTF-8 (None when it was)."""
        if self.encoding == "utf-8":
            return None
        return (
            f"{name} được lưu theo bảng mã Windows (ANSI, {LEGACY}), không phải UTF-8; parcli đã đọc theo bảng mã "
            "đó. Kiểm tra dấu tiếng Việt, hoặc lưu lại tệp bằng “CSV UTF-8 (Comma delimited)”."
        )


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of CSV bytes: UTF-8 (a BOM dropped) when they decode, else the Windows code page."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode(LEGACY, errors="replace"), LEGACY


def sniff_delimiter(text: str, comment: str = "#") -> str:
    """``;`` when the first line of data has one (Excel where the comma is the decimal sign), else tab, else ``,``."""
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(comment)), "")
    if ";" in first:
        return ";"
    if "\t" in first and "," not in first:
        return "\t"
    return ","


def read_csv(path: Path, *, comment: str = "#") -> CsvTable:
    """Every row of a CSV file (blank lines and ``comment`` lines left out), its text NFC."""
    text, encoding = decode(Path(path).read_bytes())
    text = unicodedata.normalize("NFC", text)
    delimiter = sniff_delimiter(text, comment)
    table = CsvTable(encoding=encoding, delimiter=delimiter)
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith(comment):
            continue
        table.rows.append((number, row))
    return table


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Rows as CSV text with a BOM (Excel then reads it as UTF-8 and shows the diacritics)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return BOM + buffer.getvalue()
