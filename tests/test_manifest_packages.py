"""Package returns in the merge manifest: a folder by its members (combined SHA-256), a zip with its members listed."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.manifest import ManifestError, load_manifest
from tests.helpers.evidence import DEPT, build_package, pdf_bytes, png_bytes
from tests.helpers.factory import MakeReturn

runner = CliRunner()
ZIP_DEPT = "so-tu-phap"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _returns(campaign: Campaign, make_return: MakeReturn, root: Path) -> tuple[Path, Path, Path]:
    """Every department returns; one as a folder package, one as a zip package."""
    returns = root / "gui-ve"
    for dept in campaign.departments:
        if dept.id not in (DEPT, ZIP_DEPT):
            make_return(dept.id, returns)
    folder, _codes = build_package(
        make_return,
        campaign,
        returns / "PL02 vp ubnd",
        {0: "Quyết định số 123/QĐ-UBND ngày 05/01/2023\nQD-123.pdf", 1: "hoi-nghi.png"},
        {"QD-123.pdf": pdf_bytes("q", 2), "anh/hoi-nghi.png": png_bytes(), "thua.pdf": pdf_bytes("t")},
        as_zip=False,
    )
    staging = root / "zip-staging"
    code = campaign.department_by_id[ZIP_DEPT].items[0].code
    form = make_return(ZIP_DEPT, staging, overrides={code: {"evidence": "KH-45.pdf"}})
    package = returns / "PL03-so-tu-phap.zip"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(form, form.name)
        archive.writestr("tai-lieu/KH-45.pdf", pdf_bytes("kh"))
    return returns, folder, package


@pytest.fixture
def merged(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    returns, folder, package = _returns(campaign, make_return, tmp_path)
    out = tmp_path / "tong-hop.xlsx"
    result = runner.invoke(app, ["merge", str(returns), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, returns, folder, package


def test_a_folder_package_is_listed_with_its_members_and_their_combined_hash(
    merged: tuple[Path, Path, Path, Path],
) -> None:
    out, _returns_dir, folder, package = merged
    record = json.loads(out.with_name(out.name + ".manifest.json").read_text(encoding="utf-8"))
    inputs = {e["name"]: e for e in record["inputs"]}
    entry = inputs[folder.name]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    expected = [
        {"name": p.relative_to(folder).as_posix(), "size": p.stat().st_size, "sha256": sha(p.read_bytes())}
        for p in files
    ]
    assert entry["kind"] == "folder" and entry["path"] == str(folder.resolve())
    assert entry["department"] == DEPT and entry["status"] == "ok" and entry["role"] == "return"
    assert sorted(entry["members"], key=lambda m: m["name"]) == expected
    assert entry["size"] == sum(p.stat().st_size for p in files)
    listing = "".join(f"{m['sha256']}  {m['name']}\n" for m in expected)  # the rule, as sha256sum writes it
    assert entry["sha256"] == sha(listing.encode("utf-8"))
    assert entry["items"]  # the items it supplied, as for a workbook

    zipped = inputs[package.name]
    assert zipped["kind"] == "zip" and zipped["sha256"] == sha(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        evidence = archive.read("tai-lieu/KH-45.pdf")
    members = {m["name"]: m for m in zipped["members"]}
    assert members["tai-lieu/KH-45.pdf"] == {
        "name": "tai-lieu/KH-45.pdf",
        "size": len(evidence),
        "sha256": sha(evidence),
    }
    form = next(m for n, m in members.items() if n.endswith(".xlsx"))
    assert form["sha256"] is None  # the form is streamed into the reader, not hashed; the zip is not read again

    plain = next(e for e in record["inputs"] if e["name"].endswith(".xlsx"))
    assert "kind" not in plain and "members" not in plain  # a plain workbook's entry is unchanged


def test_a_manifest_with_a_folder_package_is_checked_member_by_member(merged: tuple[Path, Path, Path, Path]) -> None:
    out, _returns_dir, folder, _package = merged
    assert load_manifest(out)["kind"] == "merge"
    # a report cannot be re-created from a merge manifest: said as such, not as a missing input
    refused = runner.invoke(app, ["report", "--manifest", str(out), "-o", str(out.with_name("bc.md"))])
    assert refused.exit_code == 2, refused.output
    assert "không phải report" in refused.output
    (folder / "anh" / "hoi-nghi.png").write_bytes(png_bytes() + b"\0")
    with pytest.raises(ManifestError, match="nội dung đã thay đổi"):
        load_manifest(out)
    (folder / "anh" / "hoi-nghi.png").unlink()
    with pytest.raises(ManifestError, match="nội dung đã thay đổi"):
        load_manifest(out)  # a member removed changes the combined hash too
    renamed = folder.with_name("khac")
    folder.rename(renamed)
    with pytest.raises(ManifestError, match="không còn tồn tại"):
        load_manifest(out)


def test_check_unchanged_still_guards_the_consolidated_workbook(merged: tuple[Path, Path, Path, Path]) -> None:
    out, returns_dir, _folder, _package = merged
    again = runner.invoke(app, ["merge", str(returns_dir), "-o", str(out)])
    assert again.exit_code == 0, again.output
    record = json.loads(out.with_name(out.name + ".manifest.json").read_text(encoding="utf-8"))
    assert {e.get("kind") for e in record["inputs"]} == {None, "folder", "zip"}
