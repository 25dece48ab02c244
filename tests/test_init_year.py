"""``parcli init`` for a real year: a 2026 campaign of the merged Hưng Yên, from the command to its issued forms.

The commune list is TEST DATA made here: 93 xã and 11 phường (as Nghị quyết 1666/NQ-UBTVQH15 counts them) with
names composed from common place-name words — not the official list of the province.
"""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import UTC, datetime
from itertools import product
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli import clock
from parcli.cli import app
from parcli.config.campaign import default_campaign_path, load_campaign
from parcli.config.lists_plan import load_lists_plan
from parcli.config.review import campaign_warnings
from parcli.errors import UsageError

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})

WORDS = ("An", "Bình", "Hòa", "Phú", "Tân", "Thành", "Đông", "Hưng", "Long", "Minh", "Quang", "Thái", "Vĩnh", "Xuân")
OLD_YEARS = re.compile(r"(?<![\d/])(?:2023|2024)(?![\d/])")  # a year or a date's year; not a law's number (13/2023/…)


def communes_test_data(count_xa: int = 93, count_phuong: int = 11) -> list[str]:
    """104 distinct names, “Xã An Bình” … “Phường Tân Long” (TEST DATA, not the official list)."""
    names = [f"{a} {b}" for a, b in product(WORDS, WORDS) if a != b]
    return [f"Xã {n}" for n in names[:count_xa]] + [f"Phường {n}" for n in names[count_xa : count_xa + count_phuong]]


def write_commune_csv(path: Path) -> Path:
    """The province's list as an office keeps it: a title row, STT, the name (with xã/phường), a kind column."""
    rows: list[list[str]] = [["DANH SÁCH XÃ, PHƯỜNG — DỮ LIỆU KIỂM THỬ, KHÔNG PHẢI DANH SÁCH CHÍNH THỨC"], []]
    rows.append(["STT", "Tên đơn vị hành chính", "Loại"])
    for i, name in enumerate(communes_test_data(), start=1):
        rows.append([str(i), name, "phường" if name.startswith("Phường") else "xã"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def in_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """The office's clock in December 2026 (the forms' hidden metadata carry the time they were made)."""
    monkeypatch.setenv(clock.ENV_VAR, str(int(datetime(2026, 12, 1, 8, 0, tzinfo=UTC).timestamp())))


def _xml_texts(book: Path) -> str:
    """Every XML part of a workbook, as text: cells, shared strings, validations, properties, hidden sheets."""
    with zipfile.ZipFile(book) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith((".xml", ".rels"))
        )


def test_init_2026_with_communes_issues_its_forms_without_edits(tmp_path: Path, in_2026: None) -> None:
    units = write_commune_csv(tmp_path / "danh-sach-xa-phuong.csv")
    project = tmp_path / "ke-hoach-2026"
    made = runner.invoke(
        app,
        ["init", str(project), "--province", "Hưng Yên", "--year", "2026", "--mode", "so-xa", "--units", str(units)],
    )
    assert made.exit_code == 0, made.output
    assert "104 đơn vị (93 xã, 11 phường)" in made.output
    written = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert written == [
        "campaign.yaml",
        "criteria/unit-so-example.yaml",
        "criteria/unit-xa-example.yaml",
        "don-vi-xa-phuong.csv",
        "survey-lists.yaml",
    ]
    camp = load_campaign(project / "campaign.yaml")
    groups = [u.group for u in camp.departments]
    assert (groups.count("so"), groups.count("xa")) == (12, 104)
    assert camp.model.year == 2026 and camp.model.deadlines.returns.year == 2027
    assert [r.title for r in camp.rounds] == ["Đánh giá sơ bộ 9 tháng đầu năm 2026", "Tự đánh giá cả năm 2026"]
    assert campaign_warnings(camp, unreviewed=False) == []  # one consistent year
    assert len(load_lists_plan(camp).units) == 12 + 104 + 1  # departments, communes, the Council's office
    # nothing pretends to be official: every node of both catalogues is unverified
    unverified, total = camp.verification()
    assert unverified == total > 0

    out = tmp_path / "phieu"
    issued = runner.invoke(app, ["generate", "-c", str(project / "campaign.yaml"), "-o", str(out)])
    assert issued.exit_code == 0, issued.output
    books = sorted(out.glob("*.xlsx"))
    assert len(books) == 116
    for book in books:
        text = _xml_texts(book)
        assert not OLD_YEARS.findall(text), (book.name, OLD_YEARS.findall(text)[:5])
        assert "Trước ngày 15/01/2027" in text and "NĂM 2026" in text, book.name
        assert "Thời hạn ghi trong phiếu là thời hạn dự kiến" in text, book.name  # the deadlines are proposals

    # the letters of the same campaign: reminders for everyone, nothing received yet
    returns = tmp_path / "gui-ve"
    returns.mkdir()
    letters = tmp_path / "nhac-nho"
    reminded = runner.invoke(
        app, ["remind", str(returns), "-c", str(project / "campaign.yaml"), "-o", str(letters), "--today", "2027-01-12"]
    )
    assert reminded.exit_code == 0, reminded.output
    texts = sorted(letters.glob("*.txt"))
    assert len(texts) == 116
    for letter in texts:
        body = letter.read_text(encoding="utf-8")
        assert not OLD_YEARS.findall(body), (letter.name, OLD_YEARS.findall(body))
        assert "trước ngày 15/01/2027" in body, letter.name
    docx = sorted(letters.glob("nhac-nho-*.docx"))
    assert len(docx) == 116
    assert not OLD_YEARS.findall(_xml_texts(docx[0]))
    listing = _xml_texts(letters / "danh-sach-chua-hoan-thanh.docx")  # the list for the leadership: a Word document
    assert not OLD_YEARS.findall(listing) and "15/01/2027" in listing


def test_init_2026_departments_only_assigns_every_item(tmp_path: Path, in_2026: None) -> None:
    project = tmp_path / "p"
    made = runner.invoke(app, ["init", str(project), "-p", "Hưng Yên", "-y", "2026"])
    assert made.exit_code == 0, made.output
    camp = load_campaign(project / "campaign.yaml")
    assert [(d.appendix, d.name) for d in camp.departments] == [
        ("I", "Sở Nội vụ"),
        ("II", "Văn phòng UBND tỉnh"),
        ("III", "Sở Tư pháp"),
        ("IV", "Sở Tài chính"),
        ("V", "Sở Khoa học và Công nghệ"),
        ("VI", "Sở Nông nghiệp và Môi trường"),
        ("VII", "Sở Văn hóa, Thể thao và Du lịch"),
        ("VIII", "Sở Y tế"),
        ("IX", "Sở Xây dựng"),
        ("X", "Sở Công Thương"),
        ("XI", "Sở Giáo dục và Đào tạo"),
        ("XII", "Thanh tra tỉnh"),
    ]
    codes = {d.id: [leaf.code for leaf in d.items] for d in camp.departments}
    assert "8.4.2" in codes["so-noi-vu"]  # Phụ lục XII (Lao động - Thương binh và Xã hội) went to Sở Nội vụ
    assert {"6.4.1", "8.3.1"} <= set(codes["so-tai-chinh"])  # Phụ lục VII (Kế hoạch và Đầu tư)
    assert "7.2.3" in codes["so-xay-dung"]  # Phụ lục XIII (Giao thông vận tải)
    assert any(c.startswith("7.5.") for c in codes["so-kh-cn"])  # Phụ lục V and VI (TT&TT, KH&CN)
    assert any(c.startswith("8.3.5") for c in codes["so-nn-mt"])  # Phụ lục VIII and XV
    assert camp.catalogue.model.year == 2026 and "tạm tính" in camp.catalogue.model.title
    # the catalogue is the 2023 structure on 876/QĐ-BNV: the officer is told what came after it
    warned = " ".join(campaign_warnings(camp))
    assert "1187/QĐ-BNV" in warned and "phân công các mục" in warned
    text = (project / "campaign.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments and not [c for c in comments if re.search(r"\b(the|and|of|is)\b", c)]  # Vietnamese comments
    out = tmp_path / "phieu"
    issued = runner.invoke(app, ["generate", "-c", str(project / "campaign.yaml"), "-o", str(out)])
    assert issued.exit_code == 0, issued.output
    assert "1187/QĐ-BNV" in " ".join(issued.output.split())
    book = out / "PL09-so-xay-dung.xlsx"
    text = _xml_texts(book)
    assert "phân công ban đầu" in text and not OLD_YEARS.findall(text)
    # a provisional catalogue names no decision: the report's “Căn cứ” cites the plan only, the officer is told
    from parcli.results.letters import criteria_citation

    assert criteria_citation(camp) == "Quyết định số …/QĐ-BNV ngày … của Bộ Nội vụ"  # left to fill in
    assert criteria_citation(load_campaign(default_campaign_path())) == (
        "Quyết định số 876/QĐ-BNV ngày 10/11/2022 của Bộ Nội vụ"
    )
    # the report made from it: its returns as the departments fill them in
    from tests.helpers.factory import fill_return

    issued = {d.id: out / f"{d.file_stem}.xlsx" for d in camp.departments}
    for d in camp.departments:
        fill_return(camp, issued, d.id, tmp_path / "gui-ve" / f"{d.file_stem}.xlsx")
    merged = runner.invoke(app, ["merge", str(tmp_path / "gui-ve"), "-c", str(project / "campaign.yaml"),
                                 "-o", str(tmp_path / "th.xlsx")])  # fmt: skip
    assert merged.exit_code in (0, 1), merged.output
    report = runner.invoke(app, ["report", str(tmp_path / "th.xlsx"), "-o", str(tmp_path / "bc.md")])
    assert report.exit_code == 0, report.output
    said = " ".join(report.output.split())
    assert "Bộ tiêu chí chưa ghi văn bản căn cứ" in said
    intro = next(line for line in (tmp_path / "bc.md").read_text(encoding="utf-8").splitlines() if "Căn cứ" in line)
    assert "Chưa cập nhật" not in intro and intro.startswith("Căn cứ Kế hoạch số …/KH-UBND ngày …"), intro
    assert "; Quyết định số …/QĐ-BNV ngày … của Bộ Nội vụ, Sở Nội vụ tổng hợp" in intro, intro
    # and the People's Committee's draft report to the Ministry
    from tests.helpers.documents import read_docx

    drafted = runner.invoke(app, ["report", str(tmp_path / "th.xlsx"), "-o", str(tmp_path / "bc.docx"), "--to-trinh"])
    assert drafted.exit_code == 0, drafted.output
    draft = " ".join(read_docx(tmp_path / "bc-du-thao-bao-cao-ubnd.docx").text.split())
    assert "Thực hiện Quyết định số …/QĐ-BNV ngày … của Bộ Nội vụ và Kế hoạch số …/KH-UBND" in draft
    assert "Chưa cập nhật" not in draft


def test_an_optional_department_with_nothing_to_score_is_told_what_to_do(tmp_path: Path) -> None:
    project = tmp_path / "p"
    made = runner.invoke(app, ["init", str(project), "-p", "Hưng Yên", "-y", "2026", "--optional", "so-ngoai-vu"])
    assert made.exit_code == 1, made.output
    said = " ".join(made.output.split())
    assert "Sở Ngoại vụ (Phụ lục XIII) chưa được giao mục nào" in said
    assert "hoặc xóa cơ quan khỏi danh sách departments" in said
    refused = runner.invoke(app, ["generate", "-c", str(project / "campaign.yaml"), "-o", str(tmp_path / "o")])
    assert refused.exit_code == 3 and "phải có ít nhất" not in refused.output
    text = (project / "campaign.yaml").read_text(encoding="utf-8")
    fixed = text.replace("    assign: []", '    assign: ["8.4.4"]').replace(
        '    assign: ["8.4.4"]\n  # Phụ lục VIII', "    assign: []\n  # Phụ lục VIII"
    )
    (project / "campaign.yaml").write_text(fixed, encoding="utf-8")
    with pytest.raises(Exception, match="Sở Văn hóa, Thể thao và Du lịch"):
        load_campaign(project / "campaign.yaml")  # the empty one is now Văn hóa: still named, never a bare count


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-p", "Hưng Yên", "-y", "2024"], "--example"),
        (["-p", "Hưng Yên", "-y", "2026", "--mode", "so-xa"], "--units"),
        (["-p", "Hưng Yên", "-y", "2026", "--mode", "huyen"], "--mode so hoặc --mode so-xa"),
        (["-p", "Hưng Yên", "-y", "2026", "--optional", "so-ngoai-giao"], "so-ngoai-vu, so-dan-toc-ton-giao"),
        (["-y", "2026"], "--province"),
        (["--example", "-y", "2026"], "--example không dùng cùng"),
    ],
)
def test_init_refuses_what_cannot_work(tmp_path: Path, args: list[str], words: str) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "p"), *args])
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.output.split())
    assert not (tmp_path / "p" / "campaign.yaml").exists()


def test_init_without_options_in_a_script_copies_the_example(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    assert "bản sao kế hoạch mẫu Hưng Yên năm 2023" in " ".join(result.output.split())
    assert "--province" in result.output
    head = (tmp_path / "p" / "campaign.yaml").read_text(encoding="utf-8").split("schema:")[0]
    assert "Kế hoạch của parcli" in head and "domain.md" not in head and "../../" not in head


def test_init_asks_at_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_2026: None) -> None:
    monkeypatch.setattr("parcli.cli.returns._interactive", lambda: True)
    units = write_commune_csv(tmp_path / "ds.csv")
    answers = "\n".join(["Hưng Yên", "2026", "2", str(tmp_path / "khong-co.csv"), str(units), "so-dan-toc-ton-giao"])
    result = runner.invoke(app, ["init", str(tmp_path / "p")], input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "không tìm thấy tệp" in result.output  # asked again
    camp = load_campaign(tmp_path / "p" / "campaign.yaml")
    assert camp.is_units and "so-dan-toc-ton-giao" in camp.department_by_id and len(camp.departments) == 13 + 104


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    args = ["init", str(tmp_path / "p"), "-p", "Hưng Yên", "-y", "2026"]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 3 and "--force" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_the_commune_list_is_read_as_offices_keep_it(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from parcli.config.unit_list import read_commune_list

    wb = Workbook()
    ws = wb.active
    ws.append(["Danh sách đơn vị hành chính cấp xã (dữ liệu kiểm thử)"])
    ws.append([])
    ws.append(["STT", "Mã ĐVHC", "Tên đơn vị"])
    ws.append([1, 12345, "UBND xã An Bình"])
    ws.append([2, 12346, "PHƯỜNG HÒA PHÚ"])
    ws.append([3, 12347, "Ủy ban nhân dân xã Tân Long"])
    ws.append([4, 12348, "Minh Đức"])  # no kind: counted as a xã, and said
    ws.append([None, None, "Tổng cộng: 4 đơn vị"])
    wb.save(tmp_path / "ds.xlsx")
    found = read_commune_list(tmp_path / "ds.xlsx")
    assert [(u.id, u.name) for u in found.units] == [
        ("xa-an-binh", "UBND xã An Bình"),
        ("phuong-hoa-phu", "UBND phường Hòa Phú"),
        ("xa-tan-long", "UBND xã Tân Long"),
        ("xa-minh-duc", "UBND xã Minh Đức"),
    ]
    assert "dòng 7" in found.warnings[0] and found.summary() == "4 đơn vị (3 xã, 1 phường)"

    (tmp_path / "parcli.csv").write_text("id;name;group;exempt\nxa-001;UBND xã Một;xa;3\n", encoding="utf-8")
    (unit,) = read_commune_list(tmp_path / "parcli.csv").units
    assert (unit.id, unit.name, unit.exempt) == ("xa-001", "UBND xã Một", ("3",))

    (tmp_path / "trung.csv").write_text("Tên\nXã An Bình\nxã An Bình\n", encoding="utf-8")
    with pytest.raises(UsageError, match="ghi hai lần"):
        read_commune_list(tmp_path / "trung.csv")
    (tmp_path / "khong-ten.csv").write_text("STT,Mã\n1,2\n", encoding="utf-8")
    with pytest.raises(UsageError, match="Tên đơn vị"):
        read_commune_list(tmp_path / "khong-ten.csv")
