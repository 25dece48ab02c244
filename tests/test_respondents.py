"""Respondent lists for the Ministry's sociological survey (issue 6): plan, generate, read, merge, CLI.

The lists are filled here the way a unit would (openpyxl, finding columns by
their header text, independently of parcli's reader), once through LibreOffice,
and every validation rule is a row of a case table: mutation → slug, sheet, cell.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.config.lists_plan import RESERVED_SHEETS, ListsPlan, load_lists_plan
from parcli.errors import CampaignError, ConsolidatedError
from parcli.problems import SLUGS, Problem
from parcli.rounds.lists import layout
from parcli.rounds.lists.checks import check_email, is_official, normalise_phone, tidy_name
from parcli.rounds.lists.issue import generate_lists
from parcli.rounds.lists.merge import ListsMergeResult, merge_lists
from parcli.rounds.lists.read import read_list
from parcli.rounds.lists.write import write_respondents
from tests.helpers.factory import FIXED_NOW, copy_tree_bytes
from tests.helpers.programs import require_soffice, roundtrip_many
from tests.helpers.respondents import (
    CITIZENS,
    COVER,
    FREE,
    GIVEN,
    META,
    OFFICIALS,
    Rows,
    Text,
    default_rows,
    fill_list,
)
from tests.helpers.snapshot import assert_golden, workbook_snapshot

DEPT = "so-noi-vu"  # DS01: Lãnh đạo sở, ngành (3), Lãnh đạo đơn vị thuộc sở (5), Người dân, doanh nghiệp (10)
DEPT_FILE = "DS01-so-noi-vu.xlsx"
DISTRICT = "h-van-lam"  # DS20: Lãnh đạo UBND cấp huyện (3), Người dân, doanh nghiệp (20)
DISTRICTS = {
    "tp-hung-yen": "UBND thành phố Hưng Yên",
    "tx-my-hao": "UBND thị xã Mỹ Hào",
    "h-van-lam": "UBND huyện Văn Lâm",
    "h-van-giang": "UBND huyện Văn Giang",
    "h-yen-my": "UBND huyện Yên Mỹ",
    "h-khoai-chau": "UBND huyện Khoái Châu",
    "h-an-thi": "UBND huyện Ân Thi",
    "h-kim-dong": "UBND huyện Kim Động",
    "h-tien-lu": "UBND huyện Tiên Lữ",
    "h-phu-cu": "UBND huyện Phù Cừ",
}

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})

# --- fixtures and a unit's way of filling a list ------------------------------------------------------


@pytest.fixture(scope="module")
def plan(campaign: Campaign) -> ListsPlan:
    return load_lists_plan(campaign)


@pytest.fixture(scope="module")
def issued_lists(plan: ListsPlan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lists")
    result = generate_lists(plan, out, now=FIXED_NOW)
    return {item.unit.id: item.path for item in result.lists}


@pytest.fixture(scope="module")
def small_lists(plan: ListsPlan, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A few units' lists issued with 30 rows a sheet (the plan's rows_per_sheet), quick to fill case by case."""
    small = dataclasses.replace(plan, model=plan.model.model_copy(update={"rows_per_sheet": 30}))
    out = tmp_path_factory.mktemp("small")
    result = generate_lists(small, out, now=FIXED_NOW, units=[DEPT, "so-tu-phap", "so-y-te", DISTRICT])
    return {item.unit.id: item.path for item in result.lists}


def expected_counts(plan: ListsPlan) -> dict[str, dict[str, int]]:
    return {u.id: {g: (q or FREE) for g, q in u.quotas.items()} for u in plan.units}


@pytest.fixture(scope="module")
def clean_folder(plan: ListsPlan, issued_lists: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every unit returned its list, filled and valid (openpyxl)."""
    folder = tmp_path_factory.mktemp("returned")
    for unit in plan.units:
        fill_list(issued_lists[unit.id], folder / issued_lists[unit.id].name, default_rows(plan, unit.id))
    return folder


@pytest.fixture(scope="module")
def clean_result(plan: ListsPlan, clean_folder: Path) -> ListsMergeResult:
    return merge_lists(plan, clean_folder)


def copy_folder(src: Path, dst: Path, *, without: tuple[str, ...] = ()) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        if path.is_file() and path.name not in without:
            shutil.copy2(path, dst / path.name)
    return dst


def places(problems: list[Problem]) -> set[tuple[str, str | None, str | None]]:
    return {(p.slug, p.sheet, p.cell) for p in problems}


def counts_of(result: ListsMergeResult) -> dict[str, dict[str, int]]:
    return {u.unit.id: {c.group.id: c.accepted for c in u.counts} for u in result.units}


# --- the plan ------------------------------------------------------------------------------------------


def test_plan_units_groups_and_examples(plan: ListsPlan, campaign: Campaign) -> None:
    ids = [u.id for u in plan.units]
    assert ids[:17] == [d.id for d in campaign.departments]
    assert {u.id: u.name for u in plan.units if u.kind == "district"} == DISTRICTS
    assert len(plan.units) == 28  # 17 departments, 10 districts, the People's Council office (plan III.4.b)
    assert [u.name for u in plan.units[:3]] == ["Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tư pháp"]
    assert [(g.id, g.kind) for g in plan.groups] == [
        ("dai-bieu-hdnd", "official"),
        ("lanh-dao-so", "official"),
        ("lanh-dao-don-vi", "official"),
        ("lanh-dao-ubnd-huyen", "official"),
        ("nguoi-dan-doanh-nghiep", "citizen"),
    ]
    assert plan.unit_by_id["vp-doan-dbqh-hdnd"].quotas == {"dai-bieu-hdnd": None}
    assert plan.domains == ("hungyen.gov.vn", "*.hungyen.gov.vn")
    assert plan.model.deadline == date(2024, 1, 5)
    # nothing pretends to be official: the example figures are flagged in the data itself
    assert plan.model.note is not None and "VÍ DỤ" in plan.model.note
    text = plan.path.read_text(encoding="utf-8")
    assert text.count("VÍ DỤ") >= 3  # the comments say so too (in Vietnamese, as the officer reads them)
    for value in [plan.model.title, *(g.label for g in plan.groups), *(u.name for u in plan.units)]:
        assert unicodedata.is_normalized("NFC", value)


def _plan_with(campaign: Campaign, tmp_path: Path, edit: Callable[[str], str]) -> ListsPlan:
    source = campaign.survey_lists_path
    assert source is not None
    target = tmp_path / "survey-lists.yaml"
    target.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    model = campaign.model.model_copy(update={"survey_lists": str(target)})
    return load_lists_plan(dataclasses.replace(campaign, model=model))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      lanh-dao-so: 3\n",
            "      lanh-dao-so: 3\n      lanh-dao-xa: 2\n",
            "units[1].nominate.lanh-dao-xa (dòng",
        ),
        ("  - {id: so-tu-phap,", "  - {id: so-noi-vu,", "units[3].id (dòng"),
        ("  - {id: so-tu-phap,", "  - {id: so-tu-phap-2,", "không phải mã cơ quan"),
        ('short: "Lãnh đạo sở, ngành"', 'short: "Lãnh đạo các sở, ban, ngành thuộc UBND tỉnh"', "groups[2].short"),
        ('short: "Lãnh đạo sở, ngành"', 'short: "Lãnh đạo sở/ngành"', "groups[2].short"),
        ('short: "Lãnh đạo sở, ngành"', 'short: "Đại biểu HĐND tỉnh"', "bị trùng"),
        ("  - hungyen.gov.vn\n", "  - hungyen gov vn\n", "official_domains[1]"),
        ("campaign: hung-yen-2023", "campaign: hung-yen-2022", "campaign (dòng"),
        ("      lanh-dao-so: 3\n", "      lanh-dao-so: 0\n", "units[1].nominate.lanh-dao-so"),
        ("deadline: 2024-01-05", "deadline: 05/01/2024", "deadline"),
    ],
)
def test_plan_mistakes_name_their_yaml_path(
    campaign: Campaign, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    with pytest.raises(CampaignError) as info:
        _plan_with(campaign, tmp_path, lambda text: text.replace(old, new, 1))
    assert expected in str(info.value), str(info.value)


def test_campaign_without_survey_lists_cannot_proceed(campaign: Campaign) -> None:
    model = campaign.model.model_copy(update={"survey_lists": None})
    with pytest.raises(CampaignError, match="survey_lists"):
        load_lists_plan(dataclasses.replace(campaign, model=model))


# --- values ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912345678", "0912345678"),
        ("(+84) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        (912345678, "0912345678"),
        (912345678.0, "0912345678"),
        ("0387 654 321", "0387654321"),
        ("0221 3862 123", "02213862123"),  # Hưng Yên landline, 11 digits
        ("+84 221 3862 123", "02213862123"),
        ("0221386212", "0221386212"),  # 10-digit landline
        (" 0912345678 ", "0912345678"),
    ],
)
def test_phone_normalised(typed: object, expected: str) -> None:
    assert normalise_phone(typed) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("091234567", "quá ngắn"),
        ("09123456789", "đầu số"),
        ("091234567890", "quá dài"),
        ("0912abc678", "chữ"),
        ("01234567890", "11 số"),
        ("+1 202 555 0100", "mã quốc gia"),
        ("0912345678 / 0987654321", "nhiều hơn một số"),
        ("0612345678", "đầu số"),
        ("", "để trống"),
        (date(2024, 1, 5), "ngày tháng"),
        (0.5, "không phải số điện thoại"),
    ],
)
def test_phone_rejected_with_reason(typed: object, reason: str) -> None:
    phone, why = normalise_phone(typed)
    assert phone is None
    assert why is not None and reason in why


@pytest.mark.parametrize(
    ("typed", "expected", "reason"),
    [
        ("nguyenvanan@hungyen.gov.vn", "nguyenvanan@hungyen.gov.vn", None),
        ("  NguyenVanAn@SNV.HungYen.Gov.VN ", "nguyenvanan@snv.hungyen.gov.vn", None),
        ("mailto:an.nv@hungyen.gov.vn", "an.nv@hungyen.gov.vn", None),
        ("an_nv+xhh@hungyen.gov.vn", "an_nv+xhh@hungyen.gov.vn", None),
        ("nguyenvanan@", None, "tên@tên-miền"),
        ("nguyenvanan.hungyen.gov.vn", None, "thiếu ký tự @"),
        ("nguyen van an@hungyen.gov.vn", None, "khoảng trắng"),
        ("a@hungyen.gov.vn; b@hungyen.gov.vn", None, "nhiều hơn một địa chỉ"),
        ("nguyễnvănan@hungyen.gov.vn", None, "có dấu"),
        ("an..nv@hungyen.gov.vn", None, "tên@tên-miền"),
        ("an@hungyen", None, "tên@tên-miền"),
        ("an@-hungyen.gov.vn", None, "tên@tên-miền"),
        ("x" * 65 + "@hungyen.gov.vn", None, "quá dài"),
    ],
)
def test_email_syntax(typed: str, expected: str | None, reason: str | None) -> None:
    address, why = check_email(typed)
    assert address == expected
    assert (why is None) if reason is None else (why is not None and reason in why)


@pytest.mark.parametrize(
    ("address", "official"),
    [
        ("an@hungyen.gov.vn", True),
        ("an@snv.hungyen.gov.vn", True),
        ("an@a.b.hungyen.gov.vn", True),
        ("an@gmail.com", False),
        ("an@hanoi.gov.vn", False),
        ("an@fakehungyen.gov.vn", False),  # a suffix that is not a subdomain
        ("an@hungyen.gov.vn.evil.com", False),
    ],
)
def test_official_domain(address: str, official: bool) -> None:
    assert is_official(address, ("hungyen.gov.vn", "*.hungyen.gov.vn")) is official
    assert is_official(address, ("hungyen.gov.vn",)) is (address == "an@hungyen.gov.vn")


@pytest.mark.parametrize(
    ("typed", "expected", "changed"),
    [
        ("NGUYỄN VĂN AN", "Nguyễn Văn An", True),
        ("nguyễn văn an", "Nguyễn Văn An", True),
        ("đặng thị ánh", "Đặng Thị Ánh", True),
        ("  Trần   Thị  Bình ", "Trần Thị Bình", False),
        ("Nguyễn văn An", "Nguyễn văn An", False),  # mixed case is kept
        ("Lê Thị McKay", "Lê Thị McKay", False),
        (unicodedata.normalize("NFD", "NGUYỄN VĂN AN"), "Nguyễn Văn An", True),
    ],
)
def test_name_tidied(typed: str, expected: str, changed: bool) -> None:
    name, was_changed = tidy_name(typed)
    assert name == expected and was_changed is changed
    assert unicodedata.is_normalized("NFC", name)


# --- generate ----------------------------------------------------------------------------------------------


def test_generated_list_snapshot(issued_lists: dict[str, Path]) -> None:
    assert_golden("survey-list-h-van-lam", workbook_snapshot(issued_lists[DISTRICT]))


def test_every_unit_gets_a_protected_validated_list(plan: ListsPlan, issued_lists: dict[str, Path]) -> None:
    assert len(issued_lists) == 28
    assert issued_lists[DEPT].name == DEPT_FILE
    assert issued_lists[DISTRICT].name == "DS20-h-van-lam.xlsx"
    for unit in plan.units:
        kinds = {g.kind for g in plan.groups_of(unit)}
        expected = [COVER] + [s for k, s in (("official", OFFICIALS), ("citizen", CITIZENS)) if k in kinds] + [META]
        light = load_workbook(issued_lists[unit.id], read_only=True)
        assert light.sheetnames == expected, unit.id
        assert light[META]["B6"].value == unit.id
        light.close()
    for unit in (plan.unit_by_id[u] for u in (DEPT, DISTRICT, "vp-doan-dbqh-hdnd")):  # one of each kind in full
        wb = load_workbook(issued_lists[unit.id])
        kinds = {g.kind for g in plan.groups_of(unit)}
        assert wb[META].sheet_state == "hidden"
        assert wb.security is not None and wb.security.lockStructure
        meta = {wb[META].cell(row=r, column=1).value: wb[META].cell(row=r, column=2).value for r in range(1, 10)}
        assert meta["unit_id"] == unit.id and meta["kind"] == "parcli-survey-list"
        assert meta["campaign_id"] == "hung-yen-2023"
        for kind, sheet in (("official", OFFICIALS), ("citizen", CITIZENS)):
            if kind not in kinds:
                continue
            ws = wb[sheet]
            assert ws.protection.sheet
            assert ws["B5"].value == "Họ và tên" and ws["B5"].protection.locked
            assert ws["A6"].value == 1 and ws["A6"].protection.locked
            assert not ws["B6"].protection.locked and not ws["B205"].protection.locked
            phone_col = "G" if kind == "official" else "H"
            assert ws[f"{phone_col}6"].number_format == "@"
            lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
            assert len(lists) == 1 and str(lists[0].sqref) == "E6:E205"
            row = int(lists[0].formula1.split("$")[-1])
            shorts = [c.value for c in wb[META][row][1:] if c.value]
            assert shorts == [g.short for g in plan.groups_of(unit, kind)]
        if "official" in kinds:
            email = next(dv for dv in wb[OFFICIALS].data_validations.dataValidation if dv.type == "custom")
            assert str(email.sqref) == "F6:F205"
            assert '"@hungyen.gov.vn"' in email.formula1 and '".hungyen.gov.vn"' in email.formula1
        cover = [c.value for c in wb[COVER]["B"] if c.value]
        assert unit.name in cover
        assert any("VÍ DỤ" in str(v) for v in cover)  # the plan's note: the figures are examples


# --- one list: every rule, its slug, sheet and cell -----------------------------------------------------

Mutation = Callable[[Rows], None]


def edit_row(sheet: str, index: int, **fields: Any) -> Mutation:
    def mutate(rows: Rows) -> None:
        rows[sheet][index].update(fields)

    return mutate


def copy_field(sheet: str, source: int, target: int, fieldname: str) -> Mutation:
    def mutate(rows: Rows) -> None:
        rows[sheet][target][fieldname] = rows[sheet][source][fieldname]

    return mutate


NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
ROW_CASES: list[tuple[str, str, Mutation, set[tuple[str, str, str]]]] = [
    # required fields, officials (row 6) and citizens
    ("name-missing", DEPT, edit_row(OFFICIALS, 0, name=None), {("respondent-field-missing", OFFICIALS, "B6")}),
    ("position-missing", DEPT, edit_row(OFFICIALS, 0, position="  "), {("respondent-field-missing", OFFICIALS, "C6")}),
    ("agency-missing", DEPT, edit_row(OFFICIALS, 1, agency=None), {("respondent-field-missing", OFFICIALS, "D7")}),
    ("group-missing", DEPT, edit_row(OFFICIALS, 0, group=None), {("respondent-field-missing", OFFICIALS, "E6")}),
    ("email-missing", DEPT, edit_row(OFFICIALS, 0, email=None), {("respondent-field-missing", OFFICIALS, "F6")}),
    ("dossier-missing", DEPT, edit_row(CITIZENS, 0, dossier=None), {("respondent-field-missing", CITIZENS, "F6")}),
    ("procedure-missing", DEPT, edit_row(CITIZENS, 0, procedure=""), {("respondent-field-missing", CITIZENS, "G6")}),
    ("citizen-phone-missing", DEPT, edit_row(CITIZENS, 2, phone=None), {("respondent-field-missing", CITIZENS, "H8")}),
    # groups
    ("group-unknown", DEPT, edit_row(OFFICIALS, 0, group="Cán bộ xã"), {("group-unknown", OFFICIALS, "E6")}),
    (
        "group-of-districts",
        DEPT,
        edit_row(OFFICIALS, 0, group="Lãnh đạo UBND cấp huyện"),
        {("group-not-allowed", OFFICIALS, "E6")},
    ),
    (
        "group-on-wrong-sheet",
        DEPT,
        edit_row(OFFICIALS, 0, group="Người dân, doanh nghiệp"),
        {("group-not-allowed", OFFICIALS, "E6")},
    ),
    (
        "deputies-by-a-district",
        DISTRICT,
        edit_row(OFFICIALS, 0, group="Đại biểu HĐND tỉnh"),
        {("group-not-allowed", OFFICIALS, "E6")},
    ),
    # e-mail
    ("email-no-domain", DEPT, edit_row(OFFICIALS, 0, email="nguyenvanan@"), {("email-invalid", OFFICIALS, "F6")}),
    (
        "email-space",
        DEPT,
        edit_row(OFFICIALS, 0, email="nguyen an@hungyen.gov.vn"),
        {("email-invalid", OFFICIALS, "F6")},
    ),
    (
        "email-two",
        DEPT,
        edit_row(OFFICIALS, 0, email="a@hungyen.gov.vn, b@hungyen.gov.vn"),
        {("email-invalid", OFFICIALS, "F6")},
    ),
    ("email-accents", DEPT, edit_row(OFFICIALS, 0, email="ân@hungyen.gov.vn"), {("email-invalid", OFFICIALS, "F6")}),
    ("email-gmail", DEPT, edit_row(OFFICIALS, 0, email="an.nv@gmail.com"), {("email-not-official", OFFICIALS, "F6")}),
    (
        "email-other-province",
        DEPT,
        edit_row(OFFICIALS, 0, email="an@hanoi.gov.vn"),
        {("email-not-official", OFFICIALS, "F6")},
    ),
    (
        "email-lookalike",
        DEPT,
        edit_row(OFFICIALS, 0, email="an@fakehungyen.gov.vn"),
        {("email-not-official", OFFICIALS, "F6")},
    ),
    # phone
    ("phone-short", DEPT, edit_row(OFFICIALS, 0, phone="091234"), {("phone-invalid", OFFICIALS, "G6")}),
    ("phone-letters", DEPT, edit_row(CITIZENS, 0, phone="0912abc678"), {("phone-invalid", CITIZENS, "H6")}),
    ("phone-old-11", DEPT, edit_row(CITIZENS, 0, phone="01234567890"), {("phone-invalid", CITIZENS, "H6")}),
    ("phone-foreign", DEPT, edit_row(CITIZENS, 0, phone="+1 202 555 0100"), {("phone-invalid", CITIZENS, "H6")}),
    ("phone-two", DEPT, edit_row(CITIZENS, 0, phone="0912345678; 0987654321"), {("phone-invalid", CITIZENS, "H6")}),
    # formulas, duplicates within the list, text warnings
    ("formula", DEPT, edit_row(OFFICIALS, 0, name='=CONCAT("Nguyễn"," An")'), {("formula-in-cell", OFFICIALS, "B6")}),
    ("same-email", DEPT, copy_field(OFFICIALS, 0, 3, "email"), {("respondent-duplicate", OFFICIALS, "F9")}),
    ("same-mobile", DEPT, copy_field(CITIZENS, 0, 4, "phone"), {("respondent-duplicate", CITIZENS, "H10")}),
    ("nfd-name", DEPT, edit_row(OFFICIALS, 1, name=NFD_NAME), {("text-normalised", OFFICIALS, "B7")}),
    ("upper-name", DEPT, edit_row(OFFICIALS, 2, name="PHẠM THỊ THU"), {("name-recased", OFFICIALS, "B8")}),
    ("legacy-name", DEPT, edit_row(OFFICIALS, 0, name="TrÇn ThÞ Hµ"), {("legacy-encoding", OFFICIALS, "B6")}),
]


@pytest.mark.parametrize(("unit_id", "mutate", "expected"), [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES])
def test_row_rule(
    plan: ListsPlan,
    small_lists: dict[str, Path],
    tmp_path: Path,
    unit_id: str,
    mutate: Mutation,
    expected: set[tuple[str, str, str]],
) -> None:
    rows = default_rows(plan, unit_id)
    mutate(rows)
    path = fill_list(small_lists[unit_id], tmp_path / small_lists[unit_id].name, rows)
    result = read_list(path, plan)
    assert places(result.problems) == expected, [p.to_dict() for p in result.problems]
    for problem in result.problems:
        assert problem.file == path.name and problem.department == unit_id
        assert unicodedata.is_normalized("NFC", problem.message)
        assert SLUGS[problem.slug][0] == problem.severity
    errors = [p for p in result.problems if p.is_error]
    rejected = [r for r in result.respondents if not r.accepted]
    assert len(rejected) == (1 if errors else 0)
    assert len(result.respondents) == sum(len(v) for v in rows.values())


def test_messages_say_why_and_name_both_places(plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path) -> None:
    rows = default_rows(plan, DEPT)
    rows[OFFICIALS][0]["email"] = "an.nv@gmail.com"
    rows[OFFICIALS][3]["email"] = rows[OFFICIALS][1]["email"]
    path = fill_list(small_lists[DEPT], tmp_path / DEPT_FILE, rows)
    problems = {p.slug: p for p in read_list(path, plan).problems}
    gmail = problems["email-not-official"].message
    assert "hộp thư cá nhân (Gmail)" in gmail and "thư điện tử công vụ" in gmail and "…@hungyen.gov.vn" in gmail
    assert gmail.startswith("Dòng 6: email ở tên miền @gmail.com ")  # never the name, the address or the phone
    dup = problems["respondent-duplicate"].message
    assert f"{DEPT_FILE} › {OFFICIALS} › F7" in dup and f"{DEPT_FILE} › {OFFICIALS} › F9" in dup


def test_accepted_values_are_normalised(plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path) -> None:
    rows = default_rows(plan, DISTRICT)
    rows[OFFICIALS][0].update(
        name="  TRẦN   VĂN  HÙNG ", email=" Hung.TV@VanLam.HungYen.gov.vn ", phone="0221 3862 123"
    )
    rows[CITIZENS][0].update(procedure=Text("=Cấp đổi giấy phép"), dossier=12345)
    path = fill_list(small_lists[DISTRICT], tmp_path / "tra-lai.xlsx", rows)
    result = read_list(path, plan)
    assert places(result.problems) == {("name-recased", OFFICIALS, "B6")}
    first = result.respondents[0]
    assert (first.name, first.email, first.phone) == ("Trần Văn Hùng", "hung.tv@vanlam.hungyen.gov.vn", "02213862123")
    assert first.group_id == "lanh-dao-ubnd-huyen"
    citizens = [r for r in result.respondents if r.kind == "citizen"]
    assert citizens[0].procedure == "=Cấp đổi giấy phép" and citizens[0].dossier == "12345"
    # a one-group sheet: rows with the group left empty belong to that group
    assert all(r.group_id == "nguoi-dan-doanh-nghiep" for r in citizens)
    expected_phones = [normalise_phone(e["phone"])[0] for e in rows[CITIZENS]]
    assert [r.phone for r in citizens] == expected_phones
    assert all(p is not None and p.startswith("09") and len(p) == 10 for p in expected_phones)


# --- whole files -------------------------------------------------------------------------------------------


def _set_meta(key: str, value: str) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        ws = wb[META]
        for r in range(1, 12):
            if ws.cell(row=r, column=1).value == key:
                ws.cell(row=r, column=2).value = value

    return edit


def _remove(sheet: str) -> Callable[[Workbook], None]:
    def edit(wb: Workbook) -> None:
        wb.remove(wb[sheet])

    return edit


def _header(wb: Workbook) -> None:
    wb[CITIZENS]["B5"].value = "Tên"


def _zip_with(dst: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(dst, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _with_dtd(src: Path, dst: Path, plan: ListsPlan, scoring: Path) -> None:
    """A filled list whose workbook part declares an XML entity (what an XML bomb needs)."""
    tmp = dst.with_suffix(".tmp")
    fill_list(src, tmp, default_rows(plan, DEPT))
    with zipfile.ZipFile(tmp) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    tmp.unlink()
    parts["xl/workbook.xml"] = b'<!DOCTYPE w [<!ENTITY a "b">]>' + parts["xl/workbook.xml"]  # no XML declaration
    _zip_with(dst, parts)


def _far_below(wb: Workbook) -> None:
    wb[CITIZENS].cell(row=100_100, column=2).value = "ghi chú lạc chỗ"


FILE_CASES: list[tuple[str, Callable[[Path, Path, ListsPlan, Path], None], set[tuple[str, str | None, str | None]]]] = [
    (
        "random-bytes",
        lambda src, dst, plan, scoring: dst.write_bytes(b"\x00garbage" * 50),
        {("not-a-workbook", None, None)},
    ),
    ("empty", lambda src, dst, plan, scoring: dst.write_bytes(b""), {("not-a-workbook", None, None)}),
    (
        "legacy-xls",
        lambda src, dst, plan, scoring: dst.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        {("legacy-xls", None, None)},
    ),
    (
        "encrypted",
        lambda src, dst, plan, scoring: dst.write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600
        ),
        {("encrypted-workbook", None, None)},
    ),
    (
        "renamed-docx",
        lambda src, dst, plan, scoring: _zip_with(dst, {"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}),
        {("not-a-workbook", None, None)},
    ),
    (
        "damaged-zip",
        lambda src, dst, plan, scoring: dst.write_bytes(b"PK\x03\x04" + b"\x00" * 200),
        {("unreadable-workbook", None, None)},
    ),
    ("xml-entity", _with_dtd, {("unsafe-workbook", None, None)}),
    (
        "content-far-below",
        lambda src, dst, plan, scoring: fill_list(src, dst, default_rows(plan, DEPT), edit=_far_below),
        {("list-too-long", CITIZENS, "A100100")},
    ),
    (
        "no-metadata",
        lambda src, dst, plan, scoring: fill_list(src, dst, default_rows(plan, DEPT), edit=_remove(META)),
        {("metadata-missing", None, None)},
    ),
    (
        "scoring-workbook",
        lambda src, dst, plan, scoring: shutil.copy(scoring, dst),
        {("metadata-missing", None, None)},
    ),
    (
        "last-year",
        lambda src, dst, plan, scoring: fill_list(
            src, dst, default_rows(plan, DEPT), edit=_set_meta("campaign_id", "hung-yen-2022")
        ),
        {("wrong-campaign", None, None)},
    ),
    (
        "unknown-unit",
        lambda src, dst, plan, scoring: fill_list(
            src, dst, default_rows(plan, DEPT), edit=_set_meta("unit_id", "so-x")
        ),
        {("unknown-department", None, None)},
    ),
    (
        "old-layout",
        lambda src, dst, plan, scoring: fill_list(
            src, dst, default_rows(plan, DEPT), edit=_set_meta("layout_version", "0")
        ),
        {("unsupported-layout", None, None)},
    ),
    (
        "sheet-deleted",
        lambda src, dst, plan, scoring: fill_list(
            src, dst, {OFFICIALS: default_rows(plan, DEPT)[OFFICIALS]}, edit=_remove(CITIZENS)
        ),
        {("sheet-missing", CITIZENS, None)},
    ),
    (
        "header-edited",
        lambda src, dst, plan, scoring: fill_list(src, dst, default_rows(plan, DEPT), edit=_header),
        {("header-missing", CITIZENS, None)},
    ),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_file_rule(
    plan: ListsPlan,
    small_lists: dict[str, Path],
    issued: dict[str, Path],
    tmp_path: Path,
    build: Callable[[Path, Path, ListsPlan, Path], None],
    expected: set[tuple[str, str | None, str | None]],
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    build(small_lists[DEPT], folder / DEPT_FILE, plan, issued["so-noi-vu"])
    result = read_list(folder / DEPT_FILE, plan)
    assert places(result.problems) == expected, [p.to_dict() for p in result.problems]
    before = copy_tree_bytes(folder)
    merged = merge_lists(plan, folder)
    assert copy_tree_bytes(folder) == before
    outcome = merged.units[0]
    assert outcome.unit.id == DEPT
    valid = result.unit_id is not None and not any(p.is_error for p in result.problems)
    assert outcome.status == ("ok" if valid else "invalid" if result.unit_id else "missing")
    assert expected <= places(merged.problems)


def test_folder_rules(plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    fill_list(small_lists[DEPT], folder / DEPT_FILE, default_rows(plan, DEPT))
    shutil.copy2(folder / DEPT_FILE, folder / "DS01-so-noi-vu (1).xlsx")  # the same bytes twice
    (folder / "~$DS01-so-noi-vu.xlsx").write_bytes(b"lock")
    (folder / ".~lock.DS03-so-tu-phap.xlsx#").write_text("lock")
    (folder / "cong-van.pdf").write_bytes(b"%PDF-1.4")
    # a corrected list with a later date on its cover: the newer one counts
    first = default_rows(plan, "so-tu-phap")
    first[CITIZENS] = first[CITIZENS][:7]
    fill_list(small_lists["so-tu-phap"], folder / "DS03-so-tu-phap.xlsx", first, sent=date(2024, 1, 3))
    fill_list(
        small_lists["so-tu-phap"], folder / "DS03-bo-sung.xlsx", default_rows(plan, "so-tu-phap"), sent="04/01/2024"
    )
    # two different lists, no date to tell them apart: neither is used
    rows = default_rows(plan, "so-y-te")
    fill_list(small_lists["so-y-te"], folder / "DS10-so-y-te.xlsx", rows)
    rows[CITIZENS][0]["procedure"] = "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh"
    fill_list(small_lists["so-y-te"], folder / "DS10-so-y-te-sua.xlsx", rows)
    before = copy_tree_bytes(folder)
    result = merge_lists(plan, folder)
    assert copy_tree_bytes(folder) == before
    status = {u.unit.id: u.status for u in result.units}
    assert (status[DEPT], status["so-tu-phap"], status["so-y-te"]) == ("ok", "ok", "duplicate")
    assert sum(1 for s in status.values() if s == "missing") == 25
    assert sorted(result.ignored) == [".~lock.DS03-so-tu-phap.xlsx#", "~$DS01-so-noi-vu.xlsx"]
    assert sorted((p.slug, p.file) for p in result.problems if p.slug != "list-missing") == [
        ("duplicate-list", "DS10-so-y-te-sua.xlsx"),
        ("duplicate-list", "DS10-so-y-te.xlsx"),
        ("not-a-return", "cong-van.pdf"),
    ]
    assert sum(1 for p in result.problems if p.slug == "list-missing") == 25
    assert [(v.owner_id, v.used) for v in result.decisions] == [
        (DEPT, "DS01-so-noi-vu (1).xlsx"),
        ("so-tu-phap", "DS03-bo-sung.xlsx"),
        ("so-y-te", None),
    ]
    assert "04/01/2024" in result.decisions[1].reason
    assert counts_of(result)["so-tu-phap"] == expected_counts(plan)["so-tu-phap"]
    assert not result.ok
    picked = merge_lists(plan, folder, pick=["DS10-so-y-te-sua.xlsx"])
    assert {u.unit.id: u.status for u in picked.units}["so-y-te"] == "ok"
    assert counts_of(picked)["so-y-te"] == expected_counts(plan)["so-y-te"]


# --- merge: across units, quotas, the consolidated workbook ---------------------------------------------------


def test_clean_round_trip_exact_counts(
    plan: ListsPlan, clean_folder: Path, clean_result: ListsMergeResult, tmp_path: Path
) -> None:
    before = copy_tree_bytes(clean_folder)
    result = clean_result
    assert [p.to_dict() for p in result.problems] == []
    assert result.ok and all(u.status == "ok" for u in result.units)
    assert counts_of(result) == expected_counts(plan)
    assert all(c.status in ("met", "free") for u in result.units for c in u.counts)
    per_group = {g: len(people) for g, people in result.by_group().items()}
    assert per_group == {
        "dai-bieu-hdnd": FREE,
        "lanh-dao-so": 17 * 3,
        "lanh-dao-don-vi": 17 * 5,
        "lanh-dao-ubnd-huyen": 10 * 3,
        "nguoi-dan-doanh-nghiep": 17 * 10 + 10 * 20,
    }
    out = tmp_path / "respondents.xlsx"
    out.write_bytes(b"")  # an unreadable file of that name is refused, never overwritten
    with pytest.raises(ConsolidatedError):
        write_respondents(result, out, now=FIXED_NOW)
    out.unlink()
    write_respondents(result, out, now=FIXED_NOW)
    write_respondents(result, out, now=FIXED_NOW)  # its own earlier output is overwritten
    assert copy_tree_bytes(clean_folder) == before
    wb = load_workbook(out)
    shorts = [g.short for g in plan.groups]
    assert wb.sheetnames == [*shorts, "Số lượng", "Vấn đề", META]
    for group in plan.groups:
        ws = wb[group.short]
        header = [c.value for c in ws[4]]
        # only what the survey uses: officials by official e-mail, citizens by dossier and phone
        fields = (
            ["Chức vụ", "Cơ quan/đơn vị", "Email công vụ"]
            if group.kind == "official"
            else ["Cơ quan/đơn vị", "Mã hồ sơ", "Thủ tục hành chính", "Số điện thoại"]
        )
        assert header == ["STT", "Họ và tên", *fields, "Đơn vị giới thiệu"]
        body = list(ws.iter_rows(min_row=5))
        assert len(body) == per_group[group.id]
        assert [r[0].value for r in body] == list(range(1, len(body) + 1))
        for r in body:
            for cell in r[1:]:
                assert cell.value is None or cell.data_type == "s", cell.coordinate
    hall = wb["Lãnh đạo UBND cấp huyện"]
    first = [c.value for c in hall[5]]
    assert first[1:] == [
        "Nguyễn Văn " + GIVEN[(18 * 1000 + 4 * 100) % len(GIVEN)],
        "Giám đốc",
        "UBND thành phố Hưng Yên",
        "tp-hung-yen.lanh-dao-ubnd-huyen.0@hungyen.gov.vn",
        "UBND thành phố Hưng Yên",
    ]
    counts = wb["Số lượng"]
    table = [[c.value for c in r] for r in counts.iter_rows(min_row=5)]
    unit_rows = [r for r in table if r[0] != "Cộng"]
    assert len(unit_rows) == sum(len(u.quotas) for u in plan.units)
    assert ["Sở Nội vụ", "so-noi-vu", "Hợp lệ", "Lãnh đạo sở, ngành", 3, 3, 3, "Đủ", DEPT_FILE] in table
    van_lam = [r[1] for r in table].index(DISTRICT)
    assert table[van_lam + 1][:8] == [
        "UBND huyện Văn Lâm",
        DISTRICT,
        "Hợp lệ",
        "Người dân, doanh nghiệp",
        20,
        20,
        20,
        "Đủ",
    ]
    totals = {r[3]: r[4:7] for r in table if r[0] == "Cộng"}
    assert totals["Người dân, doanh nghiệp"] == [370, 370, 370]
    assert totals["Đại biểu HĐND tỉnh"] == [None, FREE, FREE]
    assert [c.value for c in wb["Vấn đề"][1]][:3] == ["Mức độ", "Đơn vị", "Tệp"]
    assert wb["Vấn đề"].max_row == 1
    assert wb[META].sheet_state == "hidden" and wb[META]["B1"].value == "parcli-respondents"


@pytest.mark.libreoffice
def test_round_trip_through_libreoffice(plan: ListsPlan, clean_folder: Path, tmp_path: Path) -> None:
    require_soffice()
    chosen = ["DS01-so-noi-vu.xlsx", "DS20-h-van-lam.xlsx", "DS28-vp-doan-dbqh-hdnd.xlsx"]
    folder = copy_folder(clean_folder, tmp_path / "in", without=tuple(chosen))
    converted = roundtrip_many([clean_folder / name for name in chosen], tmp_path / "lo")
    for path in converted:
        shutil.copy(path, folder / path.name)
    result = merge_lists(plan, folder)
    assert [p.to_dict() for p in result.problems] == []
    assert counts_of(result) == expected_counts(plan)
    reread = {r.file: r for r in result.lists}
    original = read_list(clean_folder / "DS20-h-van-lam.xlsx", plan)
    lo = reread["DS20-h-van-lam.xlsx"]
    assert [r.model_dump(exclude={"file"}) for r in lo.respondents] == [
        r.model_dump(exclude={"file"}) for r in original.respondents
    ]


def test_person_nominated_by_two_units_is_reported_once(
    plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    dept_rows = default_rows(plan, DEPT)
    fill_list(small_lists[DEPT], folder / DEPT_FILE, dept_rows)
    shared = dept_rows[CITIZENS][0]["phone"]
    rows = default_rows(plan, "so-tu-phap")
    rows[CITIZENS][3]["phone"] = f"+84 {normalise_phone(shared)[0][1:]}"  # the same mobile, written otherwise
    rows[OFFICIALS][0]["email"] = dept_rows[OFFICIALS][2]["email"].lower()  # typed in capitals in DS01
    fill_list(small_lists["so-tu-phap"], folder / "DS03-so-tu-phap.xlsx", rows)
    result = merge_lists(plan, folder)
    dups = [p for p in result.problems if p.slug == "respondent-duplicate"]
    assert [(p.file, p.sheet, p.cell, p.department) for p in dups] == [
        ("DS03-so-tu-phap.xlsx", OFFICIALS, "F6", "so-tu-phap"),
        ("DS03-so-tu-phap.xlsx", CITIZENS, "H9", "so-tu-phap"),
    ]
    assert f"Sở Nội vụ ({DEPT_FILE} › {OFFICIALS} › F8)" in dups[0].message
    assert f"Sở Tư pháp (DS03-so-tu-phap.xlsx › {OFFICIALS} › F6)" in dups[0].message
    assert f"Sở Nội vụ ({DEPT_FILE} › {CITIZENS} › H6)" in dups[1].message
    assert f"Sở Tư pháp (DS03-so-tu-phap.xlsx › {CITIZENS} › H9)" in dups[1].message
    # the second nomination is not counted: Sở Tư pháp is now one short in both groups
    mine = [(p.slug, p.item) for p in result.problems if p.department == "so-tu-phap"]
    assert mine == [
        ("respondent-duplicate", "lanh-dao-so"),
        ("respondent-duplicate", "nguoi-dan-doanh-nghiep"),
        ("quota-not-met", "lanh-dao-so"),
        ("quota-not-met", "nguoi-dan-doanh-nghiep"),
    ]
    assert not [p for p in result.problems if p.department == DEPT]
    expected = expected_counts(plan)
    expected["so-tu-phap"]["lanh-dao-so"] -= 1
    expected["so-tu-phap"]["nguoi-dan-doanh-nghiep"] -= 1
    counts = counts_of(result)
    assert {u: counts[u] for u in (DEPT, "so-tu-phap")} == {u: expected[u] for u in (DEPT, "so-tu-phap")}
    assert [r.phone for r in result.respondents].count(normalise_phone(shared)[0]) == 1
    status = {u.unit.id: u.status for u in result.units}
    assert (status[DEPT], status["so-tu-phap"], status["thanh-tra"]) == ("ok", "invalid", "missing")


def test_duplicate_within_a_list_is_reported_once_by_merge(
    plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path
) -> None:
    rows = default_rows(plan, DEPT)
    rows[OFFICIALS][4]["email"] = rows[OFFICIALS][0]["email"]
    fill_list(small_lists[DEPT], tmp_path / "in" / DEPT_FILE, rows)
    result = merge_lists(plan, tmp_path / "in")
    assert [(p.slug, p.cell, p.item) for p in result.problems if p.department == DEPT] == [
        ("respondent-duplicate", "F10", "lanh-dao-don-vi"),
        ("quota-not-met", None, "lanh-dao-don-vi"),
    ]


@pytest.mark.parametrize(
    ("people", "slug", "status"),
    [(2, "quota-not-met", "short"), (4, "quota-exceeded", "over"), (3, None, "met")],
)
def test_quota(
    plan: ListsPlan,
    small_lists: dict[str, Path],
    tmp_path: Path,
    people: int,
    slug: str | None,
    status: str,
) -> None:
    rows = default_rows(plan, DEPT)
    leaders = [r for r in rows[OFFICIALS] if r["group"] == "Lãnh đạo sở, ngành"]
    others = [r for r in rows[OFFICIALS] if r["group"] != "Lãnh đạo sở, ngành"]
    extra = {**leaders[0], "email": "them@hungyen.gov.vn", "phone": "0977000111"}
    rows[OFFICIALS] = [*leaders, extra][:people] + others
    folder = tmp_path / "in"
    fill_list(small_lists[DEPT], folder / DEPT_FILE, rows)
    result = merge_lists(plan, folder)
    mine = [p for p in result.problems if p.department == DEPT]
    assert [(p.slug, p.file, p.sheet, p.cell, p.item) for p in mine] == (
        [(slug, DEPT_FILE, OFFICIALS, None, "lanh-dao-so")] if slug else []
    )
    count = next(c for c in result.units[0].counts if c.group.id == "lanh-dao-so")
    assert (count.accepted, count.quota, count.status) == (people, 3, status)
    assert result.units[0].status == ("invalid" if slug == "quota-not-met" else "ok")


# --- the command line --------------------------------------------------------------------------------------


def test_cli_generate(tmp_path: Path) -> None:
    result = runner.invoke(app, ["survey", "generate", "-o", str(tmp_path / "ds")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "ds").glob("DS*.xlsx"))) == 28
    assert "VÍ DỤ" in result.output and "05/01/2024" in result.output


def test_cli_merge_clean_and_json(
    plan: ListsPlan, clean_folder: Path, clean_result: ListsMergeResult, tmp_path: Path
) -> None:
    out = tmp_path / "ket-qua" / "respondents.xlsx"
    result = runner.invoke(
        app, ["survey", "merge", str(clean_folder), "-o", str(out), "--json", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 0, result.output
    assert out.is_file()
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(clean_result.to_json()))
    assert {u["id"]: {g["id"]: g["accepted"] for g in u["groups"]} for u in data["units"]} == expected_counts(plan)
    assert "Hợp lệ 28" in result.output and "538 người hợp lệ" in result.output
    # the record of which files the list was made from: hashes, units, statuses — no personal data
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "survey-merge" and len(manifest["inputs"]) == 28
    assert {e["status"] for e in manifest["inputs"]} == {"ok"}
    for entry in manifest["inputs"]:
        assert entry["sha256"] == hashlib.sha256(Path(entry["path"]).read_bytes()).hexdigest()


def test_cli_merge_with_problems_exits_1(plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    fill_list(small_lists[DEPT], folder / DEPT_FILE, default_rows(plan, DEPT))
    rows = default_rows(plan, "so-y-te")
    rows[OFFICIALS][0]["email"] = "giamdoc.syt@gmail.com"
    rows[OFFICIALS][1]["email"] = default_rows(plan, DEPT)[OFFICIALS][0]["email"]
    fill_list(small_lists["so-y-te"], folder / "DS10-so-y-te.xlsx", rows)
    out = tmp_path / "respondents.xlsx"
    report = tmp_path / "r.json"
    result = runner.invoke(app, ["survey", "merge", str(folder), "-o", str(out), "--json", str(report)])
    assert result.exit_code == 1, result.output
    assert out.is_file()
    assert "email-not-official" in result.output and "DS10-so-y-te.xlsx › Đại biểu, lãnh đạo › F6" in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    slugs = [p["code"] for p in data["problems"]]
    assert slugs.count("respondent-duplicate") == 1 and slugs.count("list-missing") == 26
    assert [u["status"] for u in data["units"][:10]] == ["ok"] + ["missing"] * 8 + ["invalid"]
    problems = load_workbook(out)["Vấn đề"]
    assert problems.max_row == len(data["problems"]) + 1


def test_cli_merge_cannot_proceed(plan: ListsPlan, clean_folder: Path, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["survey", "merge", str(tmp_path / "khong-co")])
    assert missing.exit_code == 3 and "Không tìm thấy thư mục" in missing.output
    foreign = tmp_path / "bang-khac.xlsx"
    foreign.write_bytes(b"not mine")
    refused = runner.invoke(app, ["survey", "merge", str(clean_folder), "-o", str(foreign)])
    assert refused.exit_code == 3 and "không ghi đè" in refused.output
    assert foreign.read_bytes() == b"not mine"
    before = copy_tree_bytes(clean_folder)
    inside = runner.invoke(app, ["survey", "merge", str(clean_folder), "-o", str(clean_folder / "tong-hop.xlsx")])
    assert inside.exit_code == 2 and "thư mục đầu vào" in inside.output
    assert copy_tree_bytes(clean_folder) == before
    campaign_file = tmp_path / "campaign.yaml"
    source = plan.campaign.path.read_text(encoding="utf-8")
    campaign_file.write_text(
        source.replace("../../criteria/", str(plan.campaign.path.parent.parent.parent / "criteria") + "/").replace(
            "survey_lists: survey-lists.yaml", "survey_lists: khong-co.yaml"
        ),
        encoding="utf-8",
    )
    no_plan = runner.invoke(app, ["survey", "generate", "-c", str(campaign_file), "-o", str(tmp_path / "x")])
    assert no_plan.exit_code == 3 and "khong-co.yaml" in no_plan.output


def test_cli_help_is_vietnamese() -> None:
    for command in ("generate", "merge"):
        result = runner.invoke(app, ["survey", command, "--help"])
        assert result.exit_code == 0 and "danh sách" in result.output.lower()


def test_library_import_is_light() -> None:
    code = (
        "import sys, parcli.config.lists_plan, parcli.rounds.lists.issue, parcli.rounds.lists.merge;"
        "print([m for m in ('typer', 'rich', 'openpyxl', 'pandas') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_reserved_sheet_names_are_the_layouts() -> None:
    assert set(RESERVED_SHEETS) == {layout.SHEET_COUNTS, layout.SHEET_PROBLEMS, layout.SHEET_META}


@pytest.mark.slow
def test_a_ten_thousand_row_list_is_read_whole(plan: ListsPlan, small_lists: dict[str, Path], tmp_path: Path) -> None:
    """Every row a person typed is read: 10,000 people, none left out, no warning that hides them."""
    rows: Rows = {
        CITIZENS: [
            {
                "name": f"Nguyễn Văn {GIVEN[i % len(GIVEN)]}",
                "phone": f"09{i:08d}",
                "dossier": f"000.00.01.H31-240105-{i:05d}",
                "procedure": "Cấp giấy phép xây dựng",
            }
            for i in range(10_000)
        ]
    }
    path = fill_list(small_lists[DEPT], tmp_path / DEPT_FILE, rows)
    result = read_list(path, plan)
    assert sum(1 for r in result.respondents if r.sheet == CITIZENS) == 10_000
    assert not [p for p in result.problems if p.slug in ("content-below-table", "list-too-long")]
