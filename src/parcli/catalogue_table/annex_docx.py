"""Read the annex table of a Word decision (.docx): the largest table with an annex header, row by row.

The table's XML is walked once (``w:tr`` / ``w:tc``, the layout grid from ``w:gridBefore`` and
``w:gridSpan``): a cell merged with the one to its left (a span) or above (``w:vMerge``) reads as blank, so a
merged cell is read once; the lines (paragraphs) of a cell are kept.  python-docx's ``row.cells`` is not used:
it finds the cell above a vertical merge by searching the table's rows, which made large annexes slow.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from parcli.catalogue_table.annex_source import NO_TABLE, AnnexSource, SourceRow, header_columns, pick_cells
from parcli.errors import CatalogueError, os_reason

HEADER_ROWS = 5  # the header is looked for in the first rows of each table
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN, _TEXT, _TAB, _BREAK, _CR, _HYPHEN = (
    f"{_W}r",
    f"{_W}t",
    f"{_W}tab",
    f"{_W}br",
    f"{_W}cr",
    f"{_W}noBreakHyphen",
)
_PARAGRAPH, _CELL = f"{_W}p", f"{_W}tc"
_CHARS = {_TAB: "\t", _BREAK: "\n", _CR: "\n", _HYPHEN: "-"}


def not_a_docx(path: Path) -> str | None:
    """Why ``path`` is not a Word .docx (empty, an old .doc, a password, another file renamed), or None."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        return f"không đọc được tệp: {os_reason(exc)}"
    if not head:
        return "tệp rỗng (0 byte); đề nghị lấy lại tệp phụ lục"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "tệp là văn bản Word cũ (.doc) hoặc được đặt mật khẩu; đề nghị mở trong Word, bỏ mật khẩu nếu có, "
            "và lưu lại dạng .docx"
        )
    if b"<html" in head.lower() or b"<!doctype html" in head.lower():
        return "tệp là một trang web (HTML) được lưu nhầm tên, không phải phụ lục; đề nghị tải lại tệp phụ lục"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "tệp không phải văn bản Word .docx (hoặc bị hỏng, tải về chưa trọn); đề nghị lấy lại tệp phụ lục"
    if "word/document.xml" not in names:
        kind = "bảng tính Excel" if "xl/workbook.xml" in names else "một loại tệp khác"
        return f"tệp có đuôi .docx nhưng thực chất là {kind}; đề nghị dùng đúng tệp Word của phụ lục"
    return None


def _paragraph_text(paragraph: Any) -> str:
    """The text of a ``w:p``: its runs' text, tabs and line breaks (deleted text and field codes left out)."""
    out: list[str] = []
    for run in paragraph.iter(_RUN):
        for child in run:
            tag = child.tag
            if tag == _TEXT:
                out.append(child.text or "")
            elif tag in _CHARS:
                out.append(_CHARS[tag])
    return "".join(out)


def _cell_text(tc: Any) -> str:
    """The non-blank lines (paragraphs) of a cell, one per line."""
    lines = (_paragraph_text(p).strip() for p in tc.iterchildren(_PARAGRAPH))
    return "\n".join(line for line in lines if line)


def grid_rows(trs: Iterable[Any]) -> Iterator[list[str]]:
    """The text of each layout-grid column of each row; a cell merged left or from above reads as blank."""
    for tr in trs:
        texts = [""] * tr.grid_before
        for tc in tr.iterchildren(_CELL):
            span = tc.grid_span
            texts.append("" if tc.vMerge == "continue" else _cell_text(tc))
            texts.extend([""] * (span - 1))
        yield texts


def read_docx(path: Path) -> AnnexSource:
    """The rows of the annex table of ``path`` below its header, and the decision's paragraphs."""
    import docx

    why = not_a_docx(path)
    if why is not None:
        raise CatalogueError(path.name, [why])
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx and lxml raise many kinds, in their own words, for a damaged file
        raise CatalogueError(
            path.name,
            [
                "nội dung tệp Word bị hỏng hoặc không an toàn nên không đọc được; đề nghị mở tệp trong Word, lưu lại "
                "dạng .docx rồi nhập lại"
            ],
        ) from None
    best: tuple[list[Any], dict[str, int], int] | None = None
    for table in document.tables:
        trs = list(table._tbl.tr_lst)
        for index, texts in enumerate(grid_rows(trs[:HEADER_ROWS])):
            columns = header_columns(texts)
            if columns is not None:
                if best is None or len(trs) > len(best[0]):
                    best = (trs, columns, index)
                break
    if best is None:
        raise CatalogueError(path.name, [NO_TABLE])
    trs, columns, header_row = best
    rows = [
        SourceRow(index=number, where=f"dòng {number}", cells=pick_cells(texts, columns))
        for number, texts in enumerate(grid_rows(trs), start=1)
        if number > header_row + 1
    ]
    body = "\n".join(p.text for p in document.paragraphs)
    return AnnexSource(file=path.name, rows=rows, body=body)
