"""Evidence documents at scale: 1,000 evidence files in the 17 returns of the example campaign, and a zip bomb.

Stages (each run in its own process by ``bench.py`` for its peak memory):
- ``evidence-setup``: the example campaign's 17 workbooks issued and filled, every item's evidence cell citing
  files; the returns sent as packages, alternately a ``.zip`` and a folder, together holding 1,000 evidence
  files (small valid PDFs written with pypdf, and some DOCX, PNG and JPG);
- ``evidence-check``: ``merge_returns`` over them (every return read, every evidence file hashed and sniffed);
- ``evidence-pack``: ``parcli evidence`` as the command runs it (read, plan, copy the pack, index, site);
- ``zip-bomb``: one more return, a ``.zip`` with a member that declares a small size but inflates to
  hundreds of MB, and another with an honestly declared 1,000× member; both read by ``read_return``: the
  bytes read and written stay at the declared size and the peak memory stays flat.

Not a test: nothing here fails on a slow machine (the tests hold the bounds).
"""

from __future__ import annotations

import io
import shutil
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVIDENCE_FILES = 1000
BOMB_MB = 512  # what the lying member inflates to, were it read to the end


def pdf_bytes(title: str, pages: int) -> bytes:
    """A small valid PDF: blank pages, a title so that every file differs."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    """A small valid DOCX (python-docx), one paragraph."""
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def image_bytes(kind: str, seed: int) -> bytes:
    """A small PNG or JPEG of one colour."""
    from PIL import Image

    out = io.BytesIO()
    colour = (seed * 37 % 256, seed * 91 % 256, seed * 13 % 256)
    Image.new("RGB", (48, 32), colour).save(out, "PNG" if kind == "png" else "JPEG")
    return out.getvalue()


def evidence_file(n: int) -> tuple[str, bytes]:
    """The n-th evidence file: 80 % PDF (1 to 3 pages), 10 % DOCX, 5 % PNG, 5 % JPG."""
    kind = n % 20
    if kind < 16:
        return f"QD-{n:04d}-UBND.pdf", pdf_bytes(f"Tài liệu {n}", 1 + n % 3)
    if kind < 18:
        return f"BC-{n:04d}.docx", docx_bytes(f"Báo cáo kết quả số {n}/BC-UBND")
    suffix = "png" if kind == 18 else "jpg"
    return f"anh-{n:04d}.{suffix}", image_bytes(suffix, n)


def stage_setup(folder: Path) -> dict[str, Any]:
    """Issue, fill and package the 17 example returns with 1,000 evidence files between them."""
    sys.path.insert(0, str(ROOT))  # the test helpers: tests.helpers.factory
    from parcli.config.campaign import default_campaign_path, load_campaign
    from parcli.rounds.scoring.issue import generate_workbooks
    from tests.helpers.factory import expected_values, fill_workbook

    campaign_path = default_campaign_path()
    (folder / "campaign-path.txt").write_text(str(campaign_path), encoding="utf-8")
    campaign = load_campaign(campaign_path)
    issued = {w.department.id: w.path for w in generate_workbooks(campaign, folder / "issued").workbooks}
    returns = folder / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    departments = campaign.departments
    share, extra = divmod(EVIDENCE_FILES, len(departments))
    n = 0
    sizes = 0
    kinds = {"zip": 0, "folder": 0}
    for index, dept in enumerate(departments):
        count = share + (index < extra)
        files = [evidence_file(n + i) for i in range(count)]
        n += count
        values = expected_values(dept)
        codes = [leaf.code for leaf in dept.items]
        cited: dict[str, list[str]] = {code: [] for code in codes}
        for i, (name, _data) in enumerate(files):
            cited[codes[i % len(codes)]].append(name)
        for i, code in enumerate(codes):
            lines = [f"Quyết định số {100 + i}/QĐ-UBND ngày {1 + i % 28:02d}/03/2023", *cited[code]]
            if i % 4 == 0:
                lines.append(f"https://vbpl.hungyen.gov.vn/van-ban/{dept.id}/{i}")
            values[code]["evidence"] = "\n".join(lines)
        staging = folder / "staging" / dept.file_stem
        form = staging / f"{dept.file_stem}.xlsx"
        fill_workbook(issued[dept.id], form, values)
        for i, (name, data) in enumerate(files):
            target = staging / ("tai-lieu" if i % 2 else "") / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            sizes += len(data)
        if index % 2 == 0:
            kinds["zip"] += 1
            with zipfile.ZipFile(returns / f"{dept.file_stem}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(staging.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(staging).as_posix())
        else:
            kinds["folder"] += 1
            shutil.copytree(staging, returns / dept.file_stem)
    shutil.rmtree(folder / "staging")
    return {"seconds": 0.0, "files": n, "evidence_mb": round(sizes / (1 << 20), 1), "packages": kinds}


def _campaign(folder: Path) -> Any:
    from parcli.config.campaign import load_campaign

    return load_campaign(Path((folder / "campaign-path.txt").read_text(encoding="utf-8").strip()))


def stage_check(folder: Path) -> dict[str, Any]:
    """``merge_returns`` over the packages: every return read, every evidence file hashed and sniffed."""
    from parcli.rounds.scoring.merge import merge_returns

    campaign = _campaign(folder)
    started = time.perf_counter()
    result = merge_returns(campaign, folder / "returns")
    seconds = time.perf_counter() - started
    checked = [f for r in result.returns for f in r.evidence_files.values()]
    return {
        "seconds": seconds,
        "files": len(result.returns),
        "evidence_files": len(checked),
        "pages": sum(f.pages or 0 for f in checked),
        "evidence_problems": sum(1 for p in result.problems if p.slug.startswith(("evidence-", "package-"))),
        "ok": result.ok,
    }


def stage_pack(folder: Path) -> dict[str, Any]:
    """``parcli evidence``: read, plan the pack, copy the files, write the index workbook and the site."""
    from parcli.results.evidence.pack import build_evidence, write_evidence
    from parcli.rounds.scoring.merge import merge_returns

    campaign = _campaign(folder)
    out = folder / "ho-so-kiem-chung"
    started = time.perf_counter()
    result = merge_returns(campaign, folder / "returns")
    read = time.perf_counter() - started
    book = build_evidence(result)
    write_evidence(book, out)
    return {
        "seconds": time.perf_counter() - started,
        "read_seconds": read,
        "files": len(result.returns),
        "packed_files": len(book.files),
        "cards": len(book.cards),
        "errors": book.errors,
    }


def lying_zip(target: Path, form: Path | None, declared: int, inflated: int) -> Path:
    """A zip whose ``bom.pdf`` declares ``declared`` bytes (CRC included) but inflates to ``inflated``.

    The member is compressed from ``inflated`` zero bytes in chunks (never held whole); the local header and the
    central directory are then rewritten to announce a small member.
    """
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        if form is not None:
            archive.write(form, form.name)
        with archive.open("bom.pdf", "w", force_zip64=False) as out:
            chunk = b"%PDF-" + bytes((1 << 20) - 5)
            out.write(chunk)
            zero = bytes(1 << 20)
            for _ in range((inflated >> 20) - 1):
                out.write(zero)
    crc = zlib.crc32(chunk[:declared])
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("bom.pdf")
    local = info.header_offset
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared)
    central = data.find(b"PK\x01\x02")  # the central directory entry of bom.pdf (compressed data never holds
    while central >= 0:  # this signature followed by the right name at the right place)
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == b"bom.pdf":
            struct.pack_into("<I", data, central + 16, crc)
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    target.write_bytes(bytes(data))
    return target


def honest_bomb(target: Path, form: Path | None, inflated: int) -> Path:
    """A zip with ``bom.pdf`` of ``inflated`` zero bytes, declared as such (a ratio near 1,000)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        if form is not None:
            archive.write(form, form.name)
        with archive.open("bom.pdf", "w") as out:
            zero = bytes(1 << 20)
            for _ in range(inflated >> 20):
                out.write(zero)
    return target


def stage_bomb(folder: Path) -> dict[str, Any]:
    """Read two bombed returns (a lying header, an honest 1,000× ratio); report what was read, written, kept."""
    import resource
    import tempfile

    sys.path.insert(0, str(ROOT))  # the test helpers: tests.helpers.factory
    from parcli.config.campaign import default_campaign_path, load_campaign
    from parcli.rounds.scoring.issue import generate_workbooks
    from parcli.rounds.scoring.read import read_return
    from tests.helpers.factory import expected_values, fill_workbook

    campaign = load_campaign(default_campaign_path())
    dept = campaign.departments[1]
    issued = generate_workbooks(campaign, folder / "issued", departments=[dept.id]).workbooks[0].path
    form = folder / issued.name
    values = expected_values(dept)
    values[dept.items[0].code]["evidence"] = "Quyết định số 5/QĐ-UBND ngày 05/01/2023\nbom.pdf"
    fill_workbook(issued, form, values)
    out: dict[str, Any] = {"seconds": 0.0, "inflates_mb": BOMB_MB}
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    temp_before = _temp_bytes(Path(tempfile.gettempdir()))
    (folder / "bomb").mkdir(exist_ok=True)
    for name, path in (
        ("lying", lying_zip(folder / "bom-khai-sai.zip", form, 4096, BOMB_MB << 20)),
        ("honest", honest_bomb(folder / "bom-ti-le.zip", form, BOMB_MB << 20)),
    ):
        started = time.perf_counter()
        result = read_return(path, campaign)
        out[name] = {
            "zip_kb": path.stat().st_size >> 10,
            "seconds": round(time.perf_counter() - started, 3),
            "slugs": sorted({p.slug for p in result.problems if p.slug.startswith(("evidence-", "package-"))}),
            "usable": result.usable,
        }
    out["peak_before_mb"] = round(before_mb, 1)
    out["temp_growth_bytes"] = _temp_bytes(Path(tempfile.gettempdir())) - temp_before
    return out


def _temp_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("parcli-*/**/*") if p.is_file())


STAGES = {
    "evidence-setup": stage_setup,
    "evidence-check": stage_check,
    "evidence-pack": stage_pack,
    "zip-bomb": stage_bomb,
}


def run(run_stage: Callable[[str, Path], dict[str, Any]], folder: Path, parcli: list[str]) -> dict[str, Any]:
    """Set up the evidence returns, run every stage in its own process, time the commands; print and return."""
    import statistics
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"setup": run_stage("evidence-setup", folder)}
    for name in ("evidence-check", "evidence-pack"):
        r = results[name] = run_stage(name, folder)
        print(f"  {name:15s} {r['seconds']:8.2f} s  ({r['files']} returns)  peak {r['peak_mb']:7.1f} MB", flush=True)
    campaign = (folder / "campaign-path.txt").read_text(encoding="utf-8").strip()
    returns = sorted(str(p) for p in (folder / "returns").iterdir())
    commands = {
        "check": [*parcli, "check", *returns, "-c", campaign],
        "evidence": [*parcli, "evidence", str(folder / "returns"), "-c", campaign, "-o", str(folder / "hs-process")],
    }
    results["process"] = {}
    for name, command in commands.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=False)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"parcli {name} failed:\n{done.stderr.decode(errors='replace')}")
        results["process"][name] = statistics.median(times)
    proc = results["process"]
    print(f"  processes: parcli check (17 packages) {proc['check']:.2f} s, parcli evidence {proc['evidence']:.2f} s")
    bomb = results["zip-bomb"] = run_stage("zip-bomb", folder / "bomb")
    print(
        f"  zip-bomb        {BOMB_MB} MB inflated: lying header {bomb['lying']['seconds']:.2f} s "
        f"{bomb['lying']['slugs']}, ratio {bomb['honest']['seconds']:.2f} s {bomb['honest']['slugs']}, "
        f"peak {bomb['peak_mb']:.1f} MB (before reading {bomb['peak_before_mb']:.1f} MB), "
        f"temporary files left {bomb['temp_growth_bytes']} bytes",
        flush=True,
    )
    return results
