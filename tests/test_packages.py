"""Packages (a folder or a .zip with a form and its files): every zip danger refused and named, nothing escapes."""

from __future__ import annotations

import stat
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from tests.conftest import MakeReturn

from parcli.config.campaign import Campaign
from parcli.packages import copy_member, open_package
from parcli.rounds.scoring.read import read_return


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
        ({"a\\..\\..\\win.pdf": b"%PDF-"}, (), "unsafe-path", "a\\..\\..\\win.pdf"),
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
