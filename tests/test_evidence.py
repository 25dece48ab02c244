"""Evidence documents: the cell parsed, every evidence slug, the pack, its index and the site (in Chromium)."""

from __future__ import annotations

import random
import re
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.packages import Member
from parcli.rounds.scoring.evidence import parse_cell
from parcli.rounds.scoring.read import read_return
from tests.helpers.evidence import DEPT, GOOD, build_package, pdf_bytes, png_bytes
from tests.helpers.factory import MakeReturn
from tests.helpers.programs import chrome, require_soffice, roundtrip


@pytest.mark.parametrize(
    ("text", "files", "missing", "numbers", "dates", "links"),
    [
        ("Quyết định số 123/QĐ-UBND ngày 05/01/2023", [], [], [("123/QĐ-UBND", True)], [date(2023, 1, 5)], 0),
        (
            "Nghị định số 05/2023/NĐ-CP ngày 12 tháng 3 năm 2023",
            [],
            [],
            [("05/2023/NĐ-CP", True)],
            [date(2023, 3, 12)],
            0,
        ),
        ("Báo cáo số 01/BC năm 2022", [], [], [("01/BC", False)], [], 0),
        ("qd-123.PDF\nhttps://vbpl.vn/van-ban/123", ["QD-123.pdf"], [], [], [], 1),
        ("Xem tep khong-co.pdf", [], ["khong-co.pdf"], [], [], 0),
        ("Đã thực hiện", [], [], [], [], 0),
    ],
)
def test_parse_cell(
    text: str,
    files: list[str],
    missing: list[str],
    numbers: list[tuple[str, bool]],
    dates: list[date],
    links: int,
) -> None:
    parsed = parse_cell("1.1.1", "F8", text, [Member("QD-123.pdf", 10)])
    assert parsed.files == files and parsed.missing == missing
    assert [(c.number, c.well_formed) for c in parsed.citations] == numbers
    assert parsed.dates == dates and len(parsed.links) == links


SLUG_CASES: list[tuple[str, dict[int, str], dict[str, bytes], str, str]] = [
    ("evidence-file-missing", {0: "Quyết định số 9/QĐ-UBND ngày 05/01/2023\nQD-9.pdf"}, {}, "QD-9.pdf", "item"),
    ("evidence-unreadable", {0: "BC-hong.pdf"}, {"BC-hong.pdf": b"%PDF-1.4 hong"}, "hỏng", "item"),
    ("evidence-unreadable", {0: "rong.pdf"}, {"rong.pdf": b""}, "0 byte", "item"),
    ("evidence-unreadable", {0: "mat-khau.pdf"}, {"mat-khau.pdf": pdf_bytes("m", password="x")}, "mật khẩu", "item"),
    ("evidence-unreadable", {0: "ghi-chu.txt"}, {"ghi-chu.txt": b"abc"}, ".txt", "item"),
    ("evidence-unreadable", {0: "anh.png"}, {"anh.png": b"\x89PNG\r\n\x1a\nhong"}, "ảnh", "item"),
    ("evidence-unreadable", {0: "bang.xlsx"}, {"tl/bang.xlsx": b"PK\x03\x04hong"}, "hỏng", "item"),
    (
        "evidence-too-large",
        {0: "lon.pdf"},
        {"lon.pdf": b"%PDF-" + random.Random(0).randbytes(21 << 20)},
        "vượt 20",
        "item",
    ),
    ("evidence-outside-period", {0: "Quyết định số 88/QĐ-UBND ngày 10/03/2022"}, {}, "10/03/2022", "item"),
    ("evidence-citation-malformed", {0: "Báo cáo số 01/BC ngày 10/03/2023"}, {}, "01/BC", "item"),
    ("evidence-vague", {0: "Đã thực hiện"}, {}, "Đã thực hiện", "item"),
    ("evidence-file-unused", {0: GOOD}, {"QD-123.pdf": pdf_bytes("q"), "thua.pdf": pdf_bytes("t")}, "thua.pdf", "file"),
]


@pytest.mark.parametrize(("slug", "evidence", "files", "needle", "where"), SLUG_CASES)
def test_every_evidence_slug(
    campaign: Campaign,
    make_return: MakeReturn,
    tmp_path: Path,
    slug: str,
    evidence: dict[int, str],
    files: dict[str, bytes],
    needle: str,
    where: str,
) -> None:
    package, codes = build_package(make_return, campaign, tmp_path / "goi.zip", evidence, files)
    result = read_return(package, campaign)
    found = [p for p in result.problems if p.slug == slug]
    assert len(found) == 1, result.problems
    problem = found[0]
    assert needle in problem.message and problem.file == "goi.zip" and problem.department == DEPT
    if where == "item":
        assert problem.item == codes[0] and problem.sheet == "Chấm điểm" and problem.cell
        assert re.fullmatch(r"F\d+", problem.cell)
        if problem.is_error:
            assert not result.items[codes[0]].accepted
    others = {p.slug for p in result.problems if p.slug.startswith("evidence-")} - {slug}
    assert others <= {"evidence-file-unused"}, result.problems


@pytest.mark.parametrize(
    ("evidence", "warned"),
    [
        # the year's plan, issued in the December before: evidence for the year, not outside it
        ("Kế hoạch số 204/KH-UBND ngày 23/12/2022 của UBND tỉnh về CCHC nhà nước tỉnh Hưng Yên năm 2023", False),
        ("Kế hoạch số 204/KH-UBND ngày 23 tháng 12 năm 2022 về cải cách hành chính Năm 2023", False),
        # the plan of the year before, a decision of the year before, a document dated after the year
        ("Kế hoạch số 150/KH-UBND ngày 20/12/2021 về CCHC năm 2022", True),
        ("Quyết định số 88/QĐ-UBND ngày 10/03/2022", True),
        ("Báo cáo số 7/BC-UBND ngày 15/01/2024 về kết quả CCHC năm 2023", True),
        # a date's own “năm 2022” does not say what the document is for
        ("Quyết định số 88/QĐ-UBND ngày 10 tháng 3 năm 2022", True),
    ],
)
def test_a_document_issued_ahead_for_the_year_is_within_it(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path, evidence: str, warned: bool
) -> None:
    assert campaign.model.year == 2023
    package, _ = build_package(make_return, campaign, tmp_path / "goi.zip", {0: evidence}, {})
    result = read_return(package, campaign)
    assert any(p.slug == "evidence-outside-period" for p in result.problems) is warned, result.problems


def test_a_good_package_has_no_evidence_problem(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    files = {"QD-123.pdf": pdf_bytes("q", 3), "anh/hoi-nghi.png": png_bytes()}
    package, codes = build_package(
        make_return, campaign, tmp_path / "goi.zip", {0: GOOD, 1: "hoi-nghi.png\nhttps://example.vn/a"}, files
    )
    result = read_return(package, campaign)
    assert not [p for p in result.problems if p.slug.startswith(("evidence-", "package-"))], result.problems
    assert result.evidence_files["QD-123.pdf"].pages == 3
    assert result.evidence[codes[1]].files == ["anh/hoi-nghi.png"]


@pytest.mark.slow
def test_a_thousand_evidence_files_in_bounded_memory(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    files = {f"tl/{i:04d}.pdf": pdf_bytes(f"t{i}") for i in range(1000)}
    lines = {0: "\n".join(f"{i:04d}.pdf" for i in range(500)), 1: "\n".join(f"{i:04d}.pdf" for i in range(500, 1000))}
    package, codes = build_package(make_return, campaign, tmp_path / "goi.zip", lines, files)
    tracemalloc.start()
    result = read_return(package, campaign)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(result.evidence_files) == 1000
    assert sum(1 for f in result.evidence_files.values() if f.pages == 1) == 1000
    assert len(result.evidence[codes[0]].files) == 500 and len(result.evidence[codes[1]].files) == 500
    assert not [p for p in result.problems if p.slug.startswith("evidence-")]
    assert peak < 64 << 20


def test_the_evidence_command_writes_the_pack_the_index_and_a_site_that_works_offline(
    campaign: Campaign, tmp_path: Path, packaged_returns: Path
) -> None:
    returns = packaged_returns
    out = tmp_path / "ho-so"
    result = CliRunner().invoke(app, ["evidence", str(returns), "-o", str(out), "--zip"])
    assert result.exit_code == 0, result.output
    pack = out / "goi-tai-lieu"
    stored = sorted(p.relative_to(pack).as_posix() for p in pack.rglob("*.pdf"))
    assert len(stored) == 2, stored  # QD-123.pdf cited twice, stored once
    assert any(s.endswith(f"-{DEPT}-1-QD-123.pdf") for s in stored)
    assert any(s.endswith(f"-{DEPT}-1-KH 4 (bản ký).pdf") for s in stored)
    with zipfile.ZipFile(out / "ho-so-kiem-chung.zip") as archive:
        names = archive.namelist()
    assert "trang-kiem-chung/index.html" in names and "goi-tai-lieu/danh-muc-tai-lieu.xlsx" in names
    site = out / "trang-kiem-chung"
    pages = [site / "index.html", *sorted((site / "co-quan").glob("*.html"))]
    for page in pages:
        for href in re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http", "#")):
                continue
            target = (page.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file(), (page.name, href)
    again = CliRunner().invoke(app, ["evidence", str(returns), "-o", str(out)])
    assert again.exit_code == 0 and not (out / "ho-so-kiem-chung.zip").exists()


def test_the_evidence_command_refuses_a_folder_it_did_not_write(
    campaign: Campaign, tmp_path: Path, packaged_returns: Path
) -> None:
    returns = packaged_returns
    out = tmp_path / "khac"
    out.mkdir()
    (out / "cua-toi.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["evidence", str(returns), "-o", str(out)])
    assert result.exit_code == 3 and (out / "cua-toi.txt").exists()


@pytest.mark.chromium
def test_the_site_renders_in_headless_chromium(campaign: Campaign, tmp_path: Path, packaged_returns: Path) -> None:
    returns = packaged_returns
    out = tmp_path / "ho-so"
    assert CliRunner().invoke(app, ["evidence", str(returns), "-o", str(out)]).exit_code == 0
    page = out / "trang-kiem-chung" / "co-quan" / f"{DEPT}.html"
    dom = chrome(tmp_path / "chrome", "--dump-dom", page.as_uri()).stdout
    assert "Văn phòng UBND tỉnh" in dom and "QD-123.pdf" in dom and "chỉ ghi “Đã thực hiện”" in dom
    assert "evidence-" not in dom  # officials read sentences, not internal codes
    links = re.findall(r'href="(\.\./\.\./goi-tai-lieu/[^"]+)"', dom)
    assert links and all((page.parent / unquote(h)).resolve().is_file() for h in links)
    index = chrome(tmp_path / "chrome", "--dump-dom", (out / "trang-kiem-chung" / "index.html").as_uri()).stdout
    assert "Theo lĩnh vực" in index and "Theo cơ quan" in index
    shot = tmp_path / "trang.png"
    chrome(tmp_path / "chrome", f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert shot.is_file() and shot.stat().st_size > 5000


@pytest.mark.libreoffice
def test_the_index_workbook_survives_a_libreoffice_round_trip(
    campaign: Campaign, tmp_path: Path, packaged_returns: Path
) -> None:
    require_soffice()
    from openpyxl import load_workbook

    returns = packaged_returns
    out = tmp_path / "ho-so"
    assert CliRunner().invoke(app, ["evidence", str(returns), "-o", str(out)]).exit_code == 0
    saved = roundtrip(out / "goi-tai-lieu" / "danh-muc-tai-lieu.xlsx", tmp_path / "lo")
    ws = load_workbook(saved).active
    assert ws is not None
    rows: list[tuple[Any, ...]] = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("Mục", "Cơ quan", "Tệp trong gói")
    packed = [r for r in rows[1:] if r[2]]
    assert len(packed) == 3  # QD-123 for two items, KH 4 for one
    assert {r[4] for r in packed} == {1, 2}
    assert any(r[6] and "Đã thực hiện" in r[6] for r in rows[1:])
