"""Personal data after the survey: lists cited as evidence kept encrypted (or refused in a zip), and
``parcli survey purge`` finding and removing what parcli wrote — never what a unit typed."""

from __future__ import annotations

import dataclasses
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from parcli.config.campaign import Campaign
from parcli.config.lists_plan import ListsPlan, load_lists_plan
from parcli.errors import OutputError
from parcli.jobs.survey import PurgeRequest, find_purge
from parcli.rounds.lists.issue import generate_lists
from parcli.rounds.lists.purge import PurgeFindings, find_personal_files, holding, remove_files
from parcli.secret import Password, decrypt_bytes, encrypt_bytes, is_encrypted
from tests.helpers.evidence import GOOD, build_package, pdf_bytes
from tests.helpers.factory import FIXED_NOW, MakeReturn
from tests.helpers.privacy import found_in, plain_workbook, run_parcli, seven_zip_extract
from tests.helpers.respondents import default_rows, fill_list

SECRET = "mat-khau-vi-du-2024"
UNIT = "so-noi-vu"


@pytest.fixture(scope="module")
def plan(campaign: Campaign) -> ListsPlan:
    return load_lists_plan(campaign)


@pytest.fixture(scope="module")
def blank_list(plan: ListsPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issued (blank) list of one unit, 30 rows a sheet."""
    small = dataclasses.replace(plan, model=plan.model.model_copy(update={"rows_per_sheet": 30}))
    return generate_lists(small, tmp_path_factory.mktemp("phat-hanh"), now=FIXED_NOW, units=[UNIT]).lists[0].path


@pytest.fixture(scope="module")
def filled(plan: ListsPlan, blank_list: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """That list as the unit returned it, people typed in."""
    return fill_list(blank_list, tmp_path_factory.mktemp("gui-ve") / blank_list.name, default_rows(plan, UNIT))


def needles(plan: ListsPlan) -> list[str]:
    rows = default_rows(plan, UNIT)
    return sorted({str(e["email"]).lower() for entries in rows.values() for e in entries if e.get("email")})


def survey_files(folder: Path, password: Password | None = None) -> PurgeFindings:
    """What ``survey purge`` finds (its dry run, as the job does it)."""
    found = find_purge(PurgeRequest(folder, password)).found
    assert found is not None
    return found


def returns_citing_the_list(campaign: Campaign, make_return: MakeReturn, filled: Path, root: Path) -> Path:
    """A returns folder: one department's zip package citing a survey list as evidence."""
    returns = root / "gui-ve"
    returns.mkdir(parents=True)
    files = {"QD-123.pdf": pdf_bytes("q"), f"danh-sach/{filled.name}": filled.read_bytes()}
    build_package(make_return, campaign, returns / "PL02-vp-ubnd.zip", {0: GOOD, 1: filled.name}, files)
    return returns


def test_a_list_cited_as_evidence_is_kept_encrypted_and_zipped_with_aes(
    campaign: Campaign, plan: ListsPlan, make_return: MakeReturn, filled: Path, tmp_path: Path
) -> None:
    returns = returns_citing_the_list(campaign, make_return, filled, tmp_path)
    out = tmp_path / "ho-so"
    refused = run_parcli(["evidence", str(returns), "-o", str(out), "--zip"])
    assert refused.exit_code == 2, refused.output
    said = " ".join(refused.output.split())
    assert "dữ liệu cá nhân" in said and filled.name in said and not out.exists()  # nothing written
    plain = run_parcli(["evidence", str(returns), "-o", str(out)])
    assert plain.exit_code in (0, 1) and "KHÔNG có mật khẩu" in " ".join(plain.output.split())
    (copy,) = (out / "goi-tai-lieu").rglob(f"*{filled.name}")
    assert holding(copy) == "list" and not is_encrypted(copy)
    assert f"personal: goi-tai-lieu/{copy.relative_to(out / 'goi-tai-lieu').as_posix()}" in (
        out / ".parcli-ho-so-kiem-chung"
    ).read_text(encoding="utf-8")

    locked = run_parcli(["evidence", str(returns), "-o", str(out), "--zip"], password=SECRET)
    assert locked.exit_code in (0, 1), locked.output
    (copy,) = (out / "goi-tai-lieu").rglob(f"*{filled.name}")
    assert is_encrypted(copy) and holding(copy, Password(SECRET)) == "list"
    archive = out / "ho-so-kiem-chung.zip"
    with zipfile.ZipFile(archive) as opened:
        assert all(info.flag_bits & 0x1 for info in opened.infolist())  # every member encrypted
    assert found_in(out, needles(plan)) == []  # the hồ sơ holds no e-mail in clear
    assert not seven_zip_extract(archive, "sai-mat-khau", tmp_path / "7z-sai")
    assert seven_zip_extract(archive, SECRET, tmp_path / "7z")
    assert (tmp_path / "7z" / "trang-kiem-chung" / "index.html").is_file()
    marker = (out / ".parcli-ho-so-kiem-chung").read_text(encoding="utf-8")
    assert "personal: ho-so-kiem-chung.zip" in marker and SECRET not in marker


def test_purge_lists_and_removes_what_parcli_wrote_only(
    campaign: Campaign, plan: ListsPlan, make_return: MakeReturn, blank_list: Path, filled: Path, tmp_path: Path
) -> None:
    work = tmp_path / "dieu-tra"
    (work / "phat-hanh").mkdir(parents=True)
    shutil.copy(blank_list, work / "phat-hanh" / blank_list.name)  # blank: no personal data
    lists = work / "gui-ve"
    lists.mkdir()
    shutil.copy(filled, lists / filled.name)  # typed by the unit: named, never removed
    sealed = lists / "DS03-so-tu-phap.xlsx"
    sealed.write_bytes(encrypt_bytes(filled.read_bytes(), Password(SECRET)))  # sent encrypted
    merged = work / "ket-qua" / "danh-sach.xlsx"
    assert run_parcli(["survey", "merge", str(lists), "-o", str(merged)], password=SECRET).exit_code == 1
    old = work / "cu" / "danh-sach-cu.xlsx"  # an earlier run without a password: told by its hidden metadata
    assert run_parcli(["survey", "merge", str(lists), "-o", str(old)]).exit_code == 1
    (work / "cua-toi.xlsx").write_bytes(plain_workbook())  # not parcli's: ignored
    stranger = work / "bi-mat.xlsx"
    stranger.write_bytes(encrypt_bytes(plain_workbook(), Password("mat-khau-nguoi-khac")))
    returns = returns_citing_the_list(campaign, make_return, filled, work / "kiem-chung")
    assert run_parcli(["evidence", str(returns), "-o", str(work / "ho-so"), "--zip"], password=SECRET).exit_code < 2

    found = survey_files(work)  # no password: the encrypted list is told by its manifest
    ours = {p.path.relative_to(work).as_posix(): p.how for p in found.ours}
    assert ours["ket-qua/danh-sach.xlsx"] == "manifest" and "ket-qua/danh-sach.xlsx.manifest.json" in ours
    assert ours["cu/danh-sach-cu.xlsx"] == "siêu dữ liệu ẩn"
    assert any(name.startswith("ho-so/goi-tai-lieu/") for name in ours) and "ho-so/ho-so-kiem-chung.zip" in ours
    assert {p.path.name for p in found.theirs} == {filled.name}  # the sealed one needs the password
    assert {p.name for p in found.unknown} == {"DS03-so-tu-phap.xlsx", "bi-mat.xlsx"}
    told = survey_files(work, Password(SECRET))
    assert {p.path.name for p in told.theirs} == {filled.name, "DS03-so-tu-phap.xlsx"}
    assert {p.name for p in told.unknown} == {"bi-mat.xlsx"}
    assert {p.path.relative_to(work).as_posix(): p.how for p in told.ours}["ket-qua/danh-sach.xlsx"] == "mật khẩu"

    dry = run_parcli(["survey", "purge", str(work)], password=SECRET)
    assert dry.exit_code == 0 and "Chưa xóa tệp nào" in " ".join(dry.output.split())
    asked = run_parcli(["survey", "purge", str(work), "--delete"], password=SECRET, input="n\n")
    assert asked.exit_code == 0 and "Không xóa tệp nào" in asked.output
    assert all(p.path.exists() for p in told.ours)
    done = run_parcli(["survey", "purge", str(work), "--delete", "--yes"], password=SECRET)
    assert done.exit_code == 0, done.output
    assert not any(p.path.exists() for p in told.ours)
    for kept in (lists / filled.name, sealed, stranger, work / "cua-toi.xlsx", work / "phat-hanh" / blank_list.name):
        assert kept.exists(), kept
    assert (work / "ho-so" / "trang-kiem-chung" / "index.html").exists()  # the rest of the hồ sơ stays
    again = survey_files(work, Password(SECRET))
    assert again.ours == [] and json.dumps([str(p.path) for p in again.theirs])


def test_purge_removes_nothing_that_changed_since_it_was_found(plan: ListsPlan, filled: Path, tmp_path: Path) -> None:
    lists = tmp_path / "gui-ve"
    lists.mkdir()
    shutil.copy(filled, lists / filled.name)
    first, second = tmp_path / "a" / "ds.xlsx", tmp_path / "b" / "ds.xlsx"
    for out in (first, second):
        assert run_parcli(["survey", "merge", str(lists), "-o", str(out)], password=SECRET).exit_code == 1
    found = find_personal_files(tmp_path, Password(SECRET))
    assert len(found.ours) == 4  # two lists, two manifests
    second.write_bytes(encrypt_bytes(decrypt_bytes(second, Password(SECRET)), Password(SECRET)))  # saved again
    with pytest.raises(OutputError):
        remove_files(found.ours)
    assert first.exists() and second.exists()
