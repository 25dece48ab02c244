"""An annex table as its reader hands it over, whatever the file: rows of cell texts, each with its place.

The readers (:mod:`parcli.catalogue_table.annex_docx` for Word, :mod:`parcli.catalogue_table.annex_pdf` for
PDF) find the table by its header (:func:`header_columns`) and give one :class:`SourceRow` per table row
below it; :func:`parcli.catalogue_table.annex.read_annex` builds the tree from them, so every format is read
by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parcli.catalogue_table.cells import TableProblem
from parcli.text import nfc

# the columns an annex table needs (number, title, points) and may have (rule)
COLUMN_KEYS = ("number", "title", "points", "rule")


@dataclass(frozen=True)
class SourceRow:
    """One row of the annex table below its header: cell texts by column key, and where the row is.

    ``where`` is what a reader looks for in the file: ``dòng 12`` (the Word table's row, header included) or
    ``trang 3, dòng 7`` (the row of the table on a PDF page, counted from the top of that page's part).
    """

    index: int  # the order of the row in the whole table (doubts are sorted by it)
    where: str
    cells: dict[str, str]

    def cell(self, key: str) -> str:
        """The text of column ``key`` (a key of :data:`COLUMN_KEYS`) in NFC, blank when the table has no such column."""
        return nfc(self.cells.get(key, ""))


@dataclass
class AnnexSource:
    """What a reader read: the table's rows, the decision's text outside the table, what it could not read."""

    file: str
    rows: list[SourceRow]
    body: str
    problems: list[TableProblem] = field(default_factory=list)


def header_columns(header: list[str]) -> dict[str, int] | None:
    """Map header cells to the number, title, points and rule columns; None unless number, title, points are found."""
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        key = " ".join(nfc(text).split()).casefold()
        if not key:
            continue
        if "number" not in found and (key in ("tt", "stt", "mã", "số tt", "số thứ tự") or key.startswith("stt")):
            found["number"] = index
        elif "points" not in found and "điểm" in key and ("tối đa" in key or key in ("điểm", "điểm chuẩn")):
            found["points"] = index
        elif "rule" not in found and ("cách chấm" in key or "hướng dẫn" in key or "phương pháp" in key):
            found["rule"] = index
        elif "title" not in found and ("nội dung" in key or "tiêu chí" in key or "lĩnh vực" in key):
            found["title"] = index
    return found if {"number", "title", "points"} <= found.keys() else None


def pick_cells(texts: list[str], columns: dict[str, int]) -> dict[str, str]:
    """The texts of a row's grid columns picked by column key (a missing cell reads as blank)."""
    return {key: texts[col] if col < len(texts) else "" for key, col in columns.items()}


NO_TABLE = "không tìm thấy bảng tiêu chí (cần các cột: STT, Nội dung/Tiêu chí, Điểm tối đa)"
