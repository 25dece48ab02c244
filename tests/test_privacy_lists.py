"""Personal data in the survey lists: the consolidated list encrypted, lists sent encrypted read, nothing in clear.

The password comes from ``PARCLI_PASSWORD`` or ``--password-prompt``; it must never reach a file parcli writes
(crash log included), and with it no respondent's phone or e-mail may be found in clear under the output folder,
in the manifest or in the JSON.  LibreOffice, the program the units and the office have, opens the encrypted list
with the password and refuses it without.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import parcli.rounds.lists.write
from parcli.config.campaign import Campaign
from parcli.config.lists_plan import ListsPlan, load_lists_plan
from parcli.errors import ConsolidatedError
from parcli.rounds.lists.checks import normalise_phone
from parcli.rounds.lists.issue import generate_lists
from parcli.rounds.lists.merge import merge_lists
from parcli.rounds.lists.read import read_list
from parcli.rounds.lists.write import write_respondents
from parcli.secret import Password, WrongPassword, decrypt_bytes, encrypt_bytes, is_encrypted, redact
from tests.helpers.factory import FIXED_NOW
from tests.helpers.privacy import found_in, plain_workbook, readable_bytes, run_parcli, workbook
from tests.helpers.programs import libreoffice_open_encrypted
from tests.helpers.respondents import CITIZENS, OFFICIALS, Rows, default_rows, fill_list

SECRET = "Bí-mật đúng 2024!"  # diacritics and a space: what a careless writer would mangle or leak
UNITS = ("so-noi-vu", "so-tu-phap", "h-van-lam")  # officials and citizens, a department and a district


@pytest.fixture(scope="module")
def plan(campaign: Campaign) -> ListsPlan:
    return load_lists_plan(campaign)


@pytest.fixture(scope="module")
def typed(plan: ListsPlan) -> dict[str, Rows]:
    """What each unit typed: its valid rows, plus a private mailbox and a bad phone to be refused."""
    rows = {unit: default_rows(plan, unit) for unit in UNITS}
    rows["so-tu-phap"][OFFICIALS][0]["email"] = "rieng.tu.phap@gmail.com"
    rows["h-van-lam"][CITIZENS][1]["phone"] = "0977 61"
    return rows


@pytest.fixture(scope="module")
def lists_folder(plan: ListsPlan, typed: dict[str, Rows], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three units' lists as returned (plain), 30 rows a sheet."""
    small = dataclasses.replace(plan, model=plan.model.model_copy(update={"rows_per_sheet": 30}))
    issued = generate_lists(small, tmp_path_factory.mktemp("issued"), now=FIXED_NOW, units=list(UNITS))
    folder = tmp_path_factory.mktemp("returned")
    for item in issued.lists:
        fill_list(item.path, folder / item.path.name, typed[item.unit.id])
    return folder


def personal_values(typed: dict[str, Rows]) -> list[str]:
    """Every e-mail and phone typed (as typed, and as parcli normalises them)."""
    values: set[str] = set()
    for rows in typed.values():
        for entries in rows.values():
            for entry in entries:
                for key in ("email", "phone"):
                    if entry.get(key):
                        values.update({str(entry[key]), str(entry[key]).lower()})
                if entry.get("phone") and (digits := normalise_phone(entry["phone"])[0]):
                    values.add(digits)
    return sorted(values)


def merge_cli(lists_folder: Path, out: Path, *extra: str, password: str | None = None) -> Any:
    """``parcli survey merge`` with ``--json`` beside the output, the password (or none) in the environment."""
    args = ["survey", "merge", str(lists_folder), "-o", str(out), "--json", str(out.parent / "r.json"), *extra]
    return run_parcli(args, password=password)


def test_the_consolidated_list_is_encrypted_and_opens_only_with_the_password(
    lists_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ket-qua" / "danh-sach.xlsx"
    result = merge_cli(lists_folder, out, password=SECRET)
    assert result.exit_code == 1, result.output  # missing units: the data has problems, the output is written
    said = " ".join(result.output.split())
    assert "được mã hóa bằng mật khẩu" in said and "KHÔNG có mật khẩu" not in said
    assert is_encrypted(out)
    with pytest.raises(Exception):  # noqa: B017 - without the password it is no workbook anyone can read
        workbook(out)
    with pytest.raises(WrongPassword):
        decrypt_bytes(out, Password("Bí-mật đúng 2024"))  # one character short
    wb = workbook(decrypt_bytes(out, Password(SECRET)))
    officials = wb["Lãnh đạo sở, ngành"]
    header = [c.value for c in officials[4]]
    assert header == ["STT", "Họ và tên", "Chức vụ", "Cơ quan/đơn vị", "Email công vụ", "Đơn vị giới thiệu"]
    assert officials["E5"].value == "so-noi-vu.lanh-dao-so.0@hungyen.gov.vn"
    citizens = wb["Người dân, doanh nghiệp"]
    header = [c.value for c in citizens[4]]
    assert "Chức vụ" not in header and header[5] == "Số điện thoại"
    assert citizens["F5"].data_type == "s" and str(citizens["F5"].value).startswith("0")  # keeps its 0
    manifest = json.loads((out.parent / "danh-sach.xlsx.manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["encrypted"] is True and manifest["output"]["sha256"]


def test_without_a_password_the_file_is_plain_and_a_warning_says_it_holds_personal_data(
    lists_folder: Path, tmp_path: Path, typed: dict[str, Rows]
) -> None:
    out = tmp_path / "ket-qua" / "danh-sach.xlsx"
    result = merge_cli(lists_folder, out)
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())  # as read, whatever the terminal's width
    assert "chứa dữ liệu cá nhân" in said and "KHÔNG có mật khẩu" in said
    assert not is_encrypted(out)
    # the scanner finds what is there: the plain workbook holds the e-mails (and the citizens' phones)
    assert any(name == "danh-sach.xlsx" for name, _ in found_in(out.parent, personal_values(typed)))


def test_nothing_written_holds_a_phone_or_an_email_in_clear(
    lists_folder: Path, tmp_path: Path, typed: dict[str, Rows]
) -> None:
    out = tmp_path / "ket-qua" / "danh-sach.xlsx"
    result = merge_cli(lists_folder, out, password=SECRET)
    assert result.exit_code == 1, result.output
    written = sorted(p.name for p in out.parent.iterdir())
    assert written == ["danh-sach.xlsx", "danh-sach.xlsx.manifest.json", "r.json"]
    needles = personal_values(typed)
    assert "rieng.tu.phap@gmail.com" in needles and "0977 61" in needles  # the refused values too
    assert found_in(out.parent, needles) == []
    assert not any(value in result.output for value in needles if len(value) > 7)  # nor on the terminal
    data = json.loads((out.parent / "r.json").read_text(encoding="utf-8"))
    slugs = {p["code"] for p in data["problems"]}
    assert {"email-not-official", "phone-invalid"} <= slugs  # said, by cell, without the values


def test_the_password_never_lands_in_a_file_not_even_the_crash_log(
    lists_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs = tmp_path / "logs"
    monkeypatch.setenv("PARCLI_LOG_DIR", str(logs))
    out = tmp_path / "ket-qua" / "danh-sach.xlsx"
    assert merge_cli(lists_folder, out, password=SECRET).exit_code == 1
    encrypted = out.read_bytes()
    again = merge_cli(lists_folder, out, password=SECRET)  # replaces its own encrypted output
    assert again.exit_code == 1, again.output
    assert out.read_bytes() != encrypted  # a fresh salt: written anew

    def broken(*_args: object, password: Password | None = None, **_kwargs: object) -> None:
        assert password is not None
        raise RuntimeError(f"hỏng khi ghi với {password.reveal()!r}") from KeyError(password.reveal().encode())

    monkeypatch.setattr(parcli.rounds.lists.write, "write_respondents", broken)
    crashed = merge_cli(lists_folder, tmp_path / "khac" / "danh-sach.xlsx", password=SECRET)
    assert crashed.exit_code == 4, crashed.output
    (log,) = logs.iterdir()
    assert "RuntimeError" in log.read_text(encoding="utf-8") and "***" in log.read_text(encoding="utf-8")
    forms = [SECRET, repr(SECRET)[1:-1], repr(SECRET.encode())[2:-1], "Bí-mật"]
    for path in sorted(p for p in tmp_path.rglob("*") if p.is_file()):
        for blob in readable_bytes(path):
            for form in forms:
                assert form.encode("utf-8") not in blob and form.encode("utf-16-le") not in blob, (path, form)
    assert SECRET not in crashed.output and SECRET not in again.output


def test_redact_takes_every_form_of_a_password_out() -> None:
    Password(SECRET)
    text = f"a {SECRET} b {SECRET!r} c {SECRET.encode()!r} d {SECRET.encode('utf-16-le')!r}"
    assert "Bí" not in redact(text) and "\\xc3" not in redact(text) and redact(text).count("***") == 4
    assert SECRET not in repr(Password(SECRET)) and SECRET not in f"{Password(SECRET)}"


def test_an_existing_encrypted_list_is_replaced_only_with_its_password(lists_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "danh-sach.xlsx"
    assert merge_cli(lists_folder, out, password=SECRET).exit_code == 1
    before = out.read_bytes()
    plain = merge_cli(lists_folder, out)
    assert plain.exit_code == 3 and "không bao giờ ghi bản không mật khẩu" in plain.output
    other = merge_cli(lists_folder, out, password="mat-khau-khac")
    assert other.exit_code == 3 and "không mở được" in other.output
    weak = merge_cli(lists_folder, out, password="ngan")
    assert weak.exit_code == 2 and "ít nhất 8 ký tự" in weak.output
    assert out.read_bytes() == before
    foreign = tmp_path / "khac.xlsx"
    foreign.write_bytes(encrypt_bytes(plain_workbook(), Password(SECRET)))  # encrypted, but not a list of ours
    refused = merge_cli(lists_folder, foreign, password=SECRET)
    assert refused.exit_code == 3 and "không phải danh sách tổng hợp" in refused.output


def test_a_save_made_meanwhile_is_never_lost(plan: ListsPlan, lists_folder: Path, tmp_path: Path) -> None:
    """The "replace only if unchanged since read" guard holds for an encrypted output."""
    out = tmp_path / "danh-sach.xlsx"
    password = Password(SECRET)
    merged = merge_lists(plan, lists_folder)
    write_respondents(merged, out, now=FIXED_NOW, password=password)
    read = parcli.rounds.lists.write.check_output(plan, lists_folder, out, password)
    out.write_bytes(encrypt_bytes(decrypt_bytes(out, password), password))  # someone saved it again
    saved = out.read_bytes()
    with pytest.raises(Exception, match="đã thay đổi sau khi được đọc"):
        write_respondents(merged, out, now=FIXED_NOW, read=read, password=password)
    assert out.read_bytes() == saved
    with pytest.raises(ConsolidatedError):
        write_respondents(merged, out, now=FIXED_NOW)  # no password: the encrypted file is not replaced


def test_lists_sent_encrypted_are_read_with_the_password(plan: ListsPlan, lists_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "gui-ve"
    folder.mkdir()
    for path in lists_folder.iterdir():
        (folder / path.name).write_bytes(encrypt_bytes(path.read_bytes(), Password(SECRET)))
    clear = merge_lists(plan, lists_folder)
    opened = merge_lists(plan, folder, password=Password(SECRET))
    assert [p.to_dict() for p in opened.problems] == [p.to_dict() for p in clear.problems]
    assert [r.model_dump() for r in opened.respondents] == [r.model_dump() for r in clear.respondents]
    assert {r.sha256 for r in opened.lists}.isdisjoint({r.sha256 for r in clear.lists})  # the files as sent
    without = read_list(folder / "DS01-so-noi-vu.xlsx", plan)
    assert [(p.slug, "PARCLI_PASSWORD" in p.message) for p in without.problems] == [("encrypted-workbook", True)]
    wrong = read_list(folder / "DS01-so-noi-vu.xlsx", plan, Password("mat-khau-khac"))
    assert [p.slug for p in wrong.problems] == ["wrong-password"] and not wrong.usable
    args = ["survey", "merge", str(folder), "-o", str(tmp_path / "ds.xlsx")]
    result = run_parcli(args, password="mat-khau-khac")
    assert result.exit_code == 1 and "wrong-password" in result.output


def test_a_password_can_be_typed_at_the_prompt(lists_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "danh-sach.xlsx"
    args = ["survey", "merge", str(lists_folder), "-o", str(out), "--password-prompt"]
    mismatch = run_parcli(args, input=f"{SECRET}\nkhac-han-roi\n")
    assert mismatch.exit_code == 2 and "không khớp" in mismatch.output and not out.exists()
    typed = run_parcli(args, input=f"{SECRET}\n{SECRET}\n")
    assert typed.exit_code == 1, typed.output
    assert decrypt_bytes(out, Password(SECRET)) and SECRET not in typed.output


@pytest.mark.libreoffice
def test_libreoffice_opens_the_encrypted_list_with_the_password_only(lists_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "danh-sach.xlsx"
    assert merge_cli(lists_folder, out, password=SECRET).exit_code == 1
    opened = libreoffice_open_encrypted(out, SECRET, tmp_path / "lo-dung")
    assert opened is not None
    wb = workbook(opened)
    assert wb["Lãnh đạo sở, ngành"]["E5"].value == "so-noi-vu.lanh-dao-so.0@hungyen.gov.vn"
    assert libreoffice_open_encrypted(out, None, tmp_path / "lo-khong") is None
    assert libreoffice_open_encrypted(out, "mat-khau-khac", tmp_path / "lo-sai") is None


def test_a_worker_process_gets_the_password_through_its_pipe(
    plan: ListsPlan, lists_folder: Path, tmp_path: Path
) -> None:
    """The form kind a worker rebuilds (a large folder is read on both cores) carries the password, masked."""
    import pickle

    from parcli.rounds.lists.merge import ListForms

    sealed = tmp_path / "DS01-so-noi-vu.xlsx"
    sealed.write_bytes(encrypt_bytes((lists_folder / sealed.name).read_bytes(), Password(SECRET)))
    build, ref = ListForms(plan, Password(SECRET)).worker()
    rebuilt = pickle.loads(pickle.dumps(build))(ref)  # as the pool sends it
    assert rebuilt.read(sealed).usable and SECRET not in repr(rebuilt)
