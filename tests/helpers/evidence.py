"""Evidence packages for tests: small PDFs and images, a return packed with its files, a returns folder.

A package is a department's return zipped (or foldered) with the evidence files its cells cite.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

from pypdf import PdfWriter

from parcli.config.campaign import Campaign
from tests.helpers.factory import MakeReturn

DEPT = "van-phong-ubnd"
GOOD = "Quyết định số 123/QĐ-UBND ngày 05/01/2023\nQD-123.pdf"


def pdf_bytes(title: str, pages: int = 1, password: str | None = None) -> bytes:
    """A small PDF (blank pages, a title so that every file differs)."""
    import io

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    """A small white PNG image."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def build_package(
    make_return: MakeReturn,
    campaign: Campaign,
    target: Path,
    evidence: dict[int, str],
    files: dict[str, bytes],
    *,
    as_zip: bool = True,
) -> tuple[Path, list[str]]:
    """A department's return with ``evidence`` typed on its n-th items, packed with ``files``."""
    codes = [leaf.code for leaf in campaign.department_by_id[DEPT].items]
    overrides = {codes[i]: {"evidence": text} for i, text in evidence.items()}
    staging = target.parent / f"{target.stem}-staging"
    form = make_return(DEPT, staging, overrides=overrides, name="PL02-vp-ubnd.xlsx")
    for name, data in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
    if not as_zip:
        shutil.move(staging, target)
        return target, codes
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(form, form.name)
        for name in files:
            archive.write(staging / name, name)
    shutil.rmtree(staging)
    return target, codes


def returns_with_packages(campaign: Campaign, make_return: MakeReturn, root: Path) -> Path:
    """Every department's return in ``root/gui-ve``; Văn phòng UBND's a folder package with two PDFs."""
    returns = root / "gui-ve"
    for dept in campaign.departments:
        if dept.id != DEPT:
            make_return(dept.id, returns)
    shared = pdf_bytes("chung", 2)
    build_package(
        make_return,
        campaign,
        returns / "PL02 vp ubnd",
        {0: GOOD, 1: "Kế hoạch số 4/KH-UBND ngày 02/02/2023\nKH 4 (bản ký).pdf\nQD-123.pdf", 2: "Đã thực hiện"},
        {"QD-123.pdf": shared, "KH 4 (bản ký).pdf": pdf_bytes("kh")},
        as_zip=False,
    )
    return returns


def site_links_resolve(site: Path) -> int:
    """Every relative link of every page opens a file that exists; the number of links followed."""
    followed = 0
    for page in sorted(site.rglob("*.html")):
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http", "#")):
                continue
            target = (page.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file(), (page.relative_to(site), href)
            followed += 1
    return followed
