"""Evidence names as people write them: a file named like a citation is a file, not a malformed citation; names
that differ only in case are told apart by the exact spelling or refused; a long name keeps its extension."""

from __future__ import annotations

import zipfile
from pathlib import Path

from parcli.config.campaign import Campaign
from parcli.jobs.evidence import EvidenceRequest, evidence
from parcli.results.evidence.book import safe_name
from parcli.rounds.scoring.read import read_return
from tests.helpers.evidence import pdf_bytes

DEPT = "so-tu-phap"


def _package(make_return, campaign: Campaign, folder: Path, cells: list[str], files: list[str]) -> Path:  # type: ignore[no-untyped-def]
    """A folder package of Sở Tư pháp: ``cells`` typed on its first items' evidence, ``files`` beside the form."""
    codes = [leaf.code for leaf in campaign.department_by_id[DEPT].items]
    overrides = {codes[i]: {"evidence": text} for i, text in enumerate(cells)}
    make_return(DEPT, folder, overrides=overrides, name="PL03-so-tu-phap.xlsx")
    for name in files:
        (folder / name).write_bytes(pdf_bytes("tài liệu"))
    return folder


def test_file_names_that_look_like_citations_are_files(make_return, campaign: Campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    names = ["Quyết định số 123.pdf", "Kế hoạch số 20 năm 2023.pdf", "Công văn số 1876-SNV.pdf"]
    package = _package(make_return, campaign, tmp_path / "PL03", [*names, "Quyết định số 12 ngày 05/01/2023"], names)
    result = read_return(package, campaign)
    slugs = {(p.item, p.slug) for p in result.problems}
    codes = [leaf.code for leaf in campaign.department_by_id[DEPT].items]
    for code, name in zip(codes, names, strict=False):
        assert result.evidence[code].files == [name]
        assert (code, "evidence-citation-malformed") not in slugs
        assert result.items[code].accepted
    assert (codes[3], "evidence-citation-malformed") in slugs  # a citation typed without its symbol still is


def test_names_differing_only_in_case(make_return, campaign: Campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    package = _package(make_return, campaign, tmp_path / "PL03", ["QD.pdf", "qd.pdf", "Qd.pdf"], ["QD.pdf", "qd.pdf"])
    result = read_return(package, campaign)
    codes = [leaf.code for leaf in campaign.department_by_id[DEPT].items]
    assert result.evidence[codes[0]].files == ["QD.pdf"]  # the exact spelling wins
    assert result.evidence[codes[1]].files == ["qd.pdf"]
    assert result.evidence[codes[2]].ambiguous == ["Qd.pdf"] and not result.evidence[codes[2]].files
    (problem,) = [p for p in result.problems if p.slug == "evidence-file-ambiguous"]
    assert problem.item == codes[2] and "chữ hoa" in problem.message


def test_a_long_name_keeps_its_extension_in_the_pack(make_return, campaign: Campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long = "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính " * 4 + "năm 2023.pdf"
    assert len(long) > 200
    staging = _package(make_return, campaign, tmp_path / "staging", [long], [])
    returns = tmp_path / "gui-ve"
    returns.mkdir()
    with zipfile.ZipFile(returns / "PL03-so-tu-phap.zip", "w") as archive:  # longer than a Linux file name
        archive.write(staging / "PL03-so-tu-phap.xlsx", "PL03-so-tu-phap.xlsx")
        archive.writestr(long, pdf_bytes("tài liệu"))
    result = evidence(EvidenceRequest(returns, tmp_path / "ho-so"))
    assert result.book is not None
    (packed,) = result.book.files
    assert packed.name.endswith(".pdf") and len(packed.name) <= 150, packed.name


def test_safe_name_keeps_the_suffix() -> None:
    assert safe_name("a" * 300 + ".pdf", 50, keep_suffix=True) == "a" * 46 + ".pdf"
    assert safe_name("Quyết định.PDF", 50, keep_suffix=True) == "Quyết định.PDF"
    assert safe_name("không có đuôi", 8, keep_suffix=True) == "không"  # cut at a word


def test_no_path_in_the_pack_is_longer_than_the_cap(make_return, campaign: Campaign, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A realistic name (151 characters) under a long item title: every path of the hồ sơ within the cap."""
    from parcli.results.evidence.pack import MAX_PACK_PATH

    long = (
        "Quyết định số 08-QĐ-STP ngày 10 tháng 01 năm 2023 về việc ban hành Kế hoạch cải cách hành chính "
        "năm 2023 của Sở Tư pháp tỉnh Hưng Yên.pdf"
    )
    assert len(long) > 130
    staging = _package(make_return, campaign, tmp_path / "staging", [long, long], [])
    returns = tmp_path / "gui-ve"
    returns.mkdir()
    with zipfile.ZipFile(returns / "PL03-so-tu-phap.zip", "w") as archive:
        archive.write(staging / "PL03-so-tu-phap.xlsx", "PL03-so-tu-phap.xlsx")
        archive.writestr(long, pdf_bytes("tài liệu"))
    out = tmp_path / "ho-so"
    evidence(EvidenceRequest(returns, out))
    paths = [p.relative_to(out).as_posix() for p in out.rglob("*")]
    packed = [p for p in paths if p.endswith(".pdf")]
    assert packed and all(p.endswith(".pdf") for p in packed)
    assert max(len(p) for p in paths) <= MAX_PACK_PATH, max(paths, key=len)
