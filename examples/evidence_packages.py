"""Turn some filled returns into packages with evidence files, as departments would send them (for the demo).

Usage: python examples/evidence_packages.py RETURNS_DIR

Four departments send their workbook with evidence files (small PDFs written
with pypdf): Văn phòng UBND as a .zip whose cell also cites a file it forgot,
Sở Tư pháp as a folder with a damaged PDF, Sở Tài chính as a .zip citing only a
2022 decision, and Sở Kế hoạch và Đầu tư as a .zip where one item says only
"Đã thực hiện".  Their plain workbooks are replaced by the packages.
"""

from __future__ import annotations

import argparse
import shutil
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfWriter

from parcli.rounds.scoring import layout


def write_pdf(path: Path, pages: int = 1) -> None:
    """A small PDF of blank A4 pages, titled with its name (so every file differs)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": path.stem})
    with path.open("wb") as handle:
        writer.write(handle)


def cite(workbook: Path, lines_by_item: dict[int, str]) -> list[str]:
    """Type evidence lines into the first item rows (by position); return the item codes changed."""
    wb = load_workbook(workbook)
    ws = wb[layout.SHEET_SCORES]
    rows = [
        r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, layout.COL_CODE).value, str)
        and ws.cell(r, layout.COL_CODE).value.count(".") >= 2
        and ws.cell(r, layout.COL_SCORE).value is not None
    ]
    codes = []
    for index, text in lines_by_item.items():
        row = rows[index]
        ws.cell(row, layout.COL_EVIDENCE).value = text
        codes.append(str(ws.cell(row, layout.COL_CODE).value))
    wb.save(workbook)
    return codes


def zip_package(folder: Path, target: Path) -> None:
    """Zip a package folder (the workbook at its top) and remove the folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    shutil.rmtree(folder)


def package(returns: Path, dept: str, files: dict[str, int | bytes], lines: dict[int, str], *, as_zip: bool) -> None:
    """Move a department's return into a package folder with its files, cite them, zip it if asked."""
    versions = sorted(returns.glob(f"*{dept}*.xlsx"), key=lambda p: p.stat().st_mtime)
    workbook = versions[-1]  # the latest version goes into the package; the older ones are withdrawn
    for older in versions[:-1]:
        older.unlink()
    folder = returns / workbook.stem
    folder.mkdir()
    moved = folder / workbook.name
    shutil.move(workbook, moved)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            write_pdf(target, content)
    codes = cite(moved, lines)
    if as_zip:
        zip_package(folder, returns / f"{workbook.stem}.zip")
    print(f"{dept}: gói {'zip' if as_zip else 'thư mục'} với {len(files)} tệp, mục {', '.join(codes)}")


def main() -> None:
    """Build the demo packages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("returns", type=Path)
    returns: Path = parser.parse_args().returns
    package(
        returns,
        "van-phong-ubnd",
        {"QD-123-UBND.pdf": 2, "tai-lieu/KH-45-UBND.pdf": 1},
        {
            0: "Quyết định số 123/QĐ-UBND ngày 05/01/2023 của UBND tỉnh\nQD-123-UBND.pdf",
            1: "Kế hoạch số 45/KH-UBND ngày 10/02/2023\nKH-45-UBND.pdf\nBC-99-UBND.pdf",
        },
        as_zip=True,
    )
    package(
        returns,
        "so-tu-phap",
        {"BC-12-STP.pdf": b"%PDF-1.4\nday khong phai noi dung PDF\n", "KH-08-STP.pdf": 1},
        {0: "Báo cáo số 12/BC-STP ngày 20/11/2023\nBC-12-STP.pdf", 1: "KH-08-STP.pdf"},
        as_zip=False,
    )
    package(
        returns,
        "so-tai-chinh",
        {"QD-88-UBND.pdf": 1},
        {0: "Quyết định số 88/QĐ-UBND ngày 10/03/2022 của UBND tỉnh\nQD-88-UBND.pdf"},
        as_zip=True,
    )
    package(
        returns,
        "so-kh-dt",
        {"KH-20-SKHĐT.pdf": 1},
        {0: "Kế hoạch số 20/KH-SKHĐT ngày 12/01/2023\nKH-20-SKHĐT.pdf", 1: "Đã thực hiện"},
        as_zip=True,
    )


if __name__ == "__main__":
    main()
