"""Packages (a folder or a .zip with a form and its files): every zip danger refused and named, nothing escapes."""

from __future__ import annotations

import contextlib
import random
import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from parcli.config.campaign import Campaign
from parcli.packages import copy_member, member_stream, open_package, spool_member
from parcli.rounds.scoring.read import read_return
from tests.helpers.factory import MakeReturn


def _zip(target: Path, members: dict[str, bytes], *, links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return target


def _bomb(target: Path, size: int) -> Path:
    """A member of ``size`` zero bytes, written in chunks (never held whole)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("bom.pdf", "w") as out:
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            out.write(chunk)
    return target


@pytest.mark.parametrize(
    ("members", "links", "reason", "name"),
    [
        ({"../../ngoai.pdf": b"%PDF-"}, (), "unsafe-path", "../../ngoai.pdf"),
        ({"/etc/tuyet-doi.pdf": b"%PDF-"}, (), "unsafe-path", "/etc/tuyet-doi.pdf"),
        ({"a\\..\\..\\win.pdf": b"%PDF-"}, (), "unsafe-path", "a/../../win.pdf"),  # a backslash separates
        ({}, ("lien-ket.pdf",), "link", "lien-ket.pdf"),
        ({"trong/goi-con.zip": b"PK"}, (), "nested-archive", "trong/goi-con.zip"),
        ({"tai-lieu.rar": b"Rar!"}, (), "nested-archive", "tai-lieu.rar"),
    ],
)
def test_dangerous_members_are_refused_by_name(
    tmp_path: Path, members: dict[str, bytes], links: tuple[str, ...], reason: str, name: str
) -> None:
    package = open_package(_zip(tmp_path / "goi.zip", {"phieu.xlsx": b"x", **members}, links=links))
    assert [(r.reason, r.name) for r in package.refused] == [(reason, name)]
    assert [m.name for m in package.members] == ["phieu.xlsx"]


def test_a_zip_bomb_is_refused_without_reading_it(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bom.zip", 64 << 20)
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    package = open_package(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [r.reason for r in package.refused] == ["bomb"] and not package.members
    assert peak < 4 << 20


def test_the_total_declared_size_is_bounded(tmp_path: Path) -> None:
    members = {f"t{i}.pdf": bytes(range(256)) * 4000 for i in range(3)}  # ~1 MB each, barely compressible
    package = open_package(_zip(tmp_path / "goi.zip", members), max_total=2_500_000)
    assert [r.reason for r in package.refused] == ["bomb"]
    assert len(package.members) == 2


def test_a_copy_never_lands_outside_its_folder(tmp_path: Path) -> None:
    package = open_package(_zip(tmp_path / "goi.zip", {"con/tai-lieu.pdf": b"%PDF-1.4"}))
    out = tmp_path / "ra"
    out.mkdir()
    member = package.members[0]
    assert copy_member(package, member, out) == out / "tai-lieu.pdf"
    assert copy_member(package, member, out, "../../thoat.pdf") == out / "thoat.pdf"
    assert not (tmp_path / "thoat.pdf").exists()
    with pytest.raises(ValueError):
        copy_member(package, member, out, "..")


def test_a_member_larger_than_declared_is_not_copied(tmp_path: Path) -> None:
    package = open_package(_zip(tmp_path / "goi.zip", {"a.pdf": b"%PDF-" * 100}))
    from dataclasses import replace

    lying = replace(package.members[0], size=10)
    with pytest.raises(ValueError):
        copy_member(package, lying, tmp_path)


def test_a_damaged_zip_is_a_problem_on_the_file(campaign: Campaign, tmp_path: Path) -> None:
    bad = tmp_path / "PL02.zip"
    bad.write_bytes(b"PK\x03\x04 khong phai zip")
    result = read_return(bad, campaign)
    assert [p.slug for p in result.problems] == ["package-damaged"] and not result.usable


@pytest.mark.parametrize(
    ("extra", "slug"),
    [
        ({"../x.pdf": b"%PDF-"}, "package-unsafe-path"),
        ({"x.zip": b"PK"}, "package-nested-archive"),
        ({"phieu-2.xlsx": b"x"}, "package-several-forms"),
    ],
)
def test_package_problems_name_the_member(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path, extra: dict[str, bytes], slug: str
) -> None:
    form = make_return("van-phong-ubnd", tmp_path / "src")
    package = _zip(tmp_path / "goi.zip", {form.name: form.read_bytes(), **extra})
    result = read_return(package, campaign)
    found = [p for p in result.problems if p.slug == slug]
    assert found and found[0].file == "goi.zip", result.problems
    if slug != "package-several-forms":
        assert result.usable and result.owner_id == "van-phong-ubnd"
        assert next(iter(extra)) in found[0].message


def test_a_package_without_a_form(campaign: Campaign, tmp_path: Path) -> None:
    result = read_return(_zip(tmp_path / "goi.zip", {"tai-lieu/a.pdf": b"%PDF-"}), campaign)
    assert [p.slug for p in result.problems] == ["package-no-form"]


def test_a_zip_wrapping_one_folder_and_a_folder_package_read_as_the_plain_return(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    form = make_return("van-phong-ubnd", tmp_path / "src")
    plain = read_return(form, campaign)
    wrapped = read_return(_zip(tmp_path / "goi.zip", {f"goi/{form.name}": form.read_bytes()}), campaign)
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    (folder / form.name).write_bytes(form.read_bytes())
    in_folder = read_return(folder, campaign)
    for result in (wrapped, in_folder):
        assert result.usable and result.owner_id == plain.owner_id
        assert {c: (e.score, e.evidence) for c, e in result.items.items()} == {
            c: (e.score, e.evidence) for c, e in plain.items.items()
        }


def _lying(target: Path, declared: int, inflated_mb: int, *, form: Path | None = None, crc_ok: bool = True) -> Path:
    """A zip whose ``bom.pdf`` announces ``declared`` bytes but inflates to ``inflated_mb`` MB.

    Written honestly in chunks, then its local header and central directory rewritten to announce a small
    member (with the CRC of the first ``declared`` bytes when ``crc_ok``, so that only the size lies).
    """
    import io
    import struct
    import zlib

    head = b"%PDF-1.4\n" + bytes((1 << 20) - 9)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        if form is not None:
            archive.write(form, form.name)
        with archive.open("bom.pdf", "w") as out:
            out.write(head)
            for _ in range(inflated_mb - 1):
                out.write(bytes(1 << 20))
    crc = zlib.crc32(head[:declared]) if crc_ok else 0
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("bom.pdf")
    struct.pack_into("<II", data, info.header_offset + 14, crc, info.compress_size)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        size = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + size] == b"bom.pdf":
            struct.pack_into("<I", data, central + 16, crc)
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("crc_ok", [True, False])
def test_a_member_that_lies_about_its_size_is_read_no_further_than_declared(tmp_path: Path, crc_ok: bool) -> None:
    bomb = _lying(tmp_path / "bom.zip", 4096, 64, crc_ok=crc_ok)
    assert bomb.stat().st_size < 1 << 20
    package = open_package(bomb)
    assert not package.refused and [(m.name, m.size) for m in package.members] == [("bom.pdf", 4096)]
    member = package.members[0]
    tracemalloc.start()
    read = 0
    failing = pytest.raises(zipfile.BadZipFile) if not crc_ok else contextlib.nullcontext()
    with failing, member_stream(package, member) as stream:
        while chunk := stream.read(1 << 16):
            read += len(chunk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert read == (4096 if crc_ok else 0)  # the stream ends at the declared size: 64 MB were there to inflate
    assert peak < 2 << 20
    out = tmp_path / "ra"
    out.mkdir()
    with pytest.raises(zipfile.BadZipFile) if not crc_ok else contextlib.nullcontext():
        copy_member(package, member, out)
    assert sum(p.stat().st_size for p in out.iterdir()) <= 4096  # never more on disk than declared
    with pytest.raises(zipfile.BadZipFile) if not crc_ok else contextlib.nullcontext():
        assert len(spool_member(package, member, 1 << 30).read()) == 4096


def test_a_spooled_member_stops_at_its_limit(tmp_path: Path) -> None:
    package = open_package(_zip(tmp_path / "goi.zip", {"a.pdf": b"%PDF-" + random.Random(1).randbytes(3 << 20)}))
    member = package.members[0]
    assert member.size > 3 << 20
    for limit in (100, 2 << 20):  # in memory, then through a temporary file
        assert len(spool_member(package, member, limit).read()) == limit


def test_a_return_with_a_bomb_is_read_in_bounded_memory_and_named(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    dept = campaign.department_by_id["van-phong-ubnd"]
    overrides = {dept.items[0].code: {"evidence": "Quyết định số 5/QĐ-UBND ngày 05/01/2023\nbom.pdf"}}
    form = make_return(dept.id, tmp_path / "src", overrides=overrides)
    lying = _lying(tmp_path / "khai-sai.zip", 4096, 64, form=form)
    honest = tmp_path / "ti-le.zip"
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(form, form.name)
        with archive.open("bom.pdf", "w") as out:
            for _ in range(64):
                out.write(bytes(1 << 20))
    for path, slug in ((lying, "evidence-unreadable"), (honest, "package-bomb")):
        tracemalloc.start()
        result = read_return(path, campaign)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert result.usable and result.owner_id == dept.id
        assert slug in {p.slug for p in result.problems}, result.problems
        assert peak < 32 << 20


def test_a_form_named_longer_than_the_file_system_allows_is_read(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    """A zip keeps names no disk accepts (120 × "ệ" is 360 bytes): the form is still read, under a name of our own."""
    form = make_return("van-phong-ubnd", tmp_path / "src")
    plain = read_return(form, campaign)
    long_name = "ệ" * 120 + ".xlsx"
    result = read_return(_zip(tmp_path / "goi.zip", {long_name: form.read_bytes()}), campaign)
    assert result.usable and result.owner_id == plain.owner_id, [p.message for p in result.problems]
    assert {c: e.score for c, e in result.items.items()} == {c: e.score for c, e in plain.items.items()}
