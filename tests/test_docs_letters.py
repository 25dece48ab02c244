"""The letters of the season as the office signs them (issue “Every document of the season, ready to sign”).

Points 1, 2, 3 and 7 of the issue and the letters parcli did not write before: the cover letter of the issued
workbooks, the request for remedy plans and its reminder, the final (round-2) appraisal notice and the appraisal
team's record.  Each is rendered through LibreOffice Writer and read page by page: page 1 holds the body's first
paragraph (only the closing keeps with the signature), pages are numbered from page 2, nothing but Nơi nhận and
the signature follows "./.", and the text says what an official would write.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.results.appraisal import collect_for
from parcli.results.appraisal_letters import write_notices, write_record
from parcli.results.consolidated import read_consolidated
from parcli.results.letters import contact_sentence, plan_citation
from parcli.results.remind import write_reminders
from parcli.results.season_letters import write_cover_letter, write_remedy_requests
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.appraisal import type_into
from tests.helpers.documents import read_docx
from tests.helpers.factory import MakeReturn
from tests.helpers.pages import after_closing, document_xml, first_line, margins_mm, pages_of_many, squashed
from tests.helpers.remedy import World, fill_plan

runner = CliRunner()
TODAY = date(2024, 1, 18)  # a Thursday: two working days later is Monday 22/01/2024
FOUR = "van-phong-ubnd"  # its return has four mistakes
OWN = "so-noi-vu"  # the organiser's own department (Phụ lục I)
SIGNER = "Nguyễn Văn A"


def _mistakes(campaign: Campaign) -> dict[str, dict[str, object]]:
    codes = [leaf.code for leaf in campaign.department_by_id[FOUR].items][:4]
    return {
        codes[0]: {"score": 99},
        codes[1]: {"score": -1},
        codes[2]: {"score": 0.1, "explanation": None},
        codes[3]: {"score": 0, "explanation": None},
    }


@pytest.fixture
def season(campaign: Campaign, full_returns_copy: Path, make_return: MakeReturn, tmp_path: Path) -> dict[str, Path]:
    """Sở Nội vụ has not returned, Văn phòng UBND's return has four mistakes; three items of Phụ lục I appraised
    below the self-score in round 1 (Sở Nội vụ returns later), one of them lowered again in round 2."""
    for old in full_returns_copy.glob(f"*{FOUR}*"):
        old.unlink()
    make_return(FOUR, full_returns_copy, overrides=_mistakes(campaign), sent=date(2024, 1, 12))
    merged = merge_returns(campaign, full_returns_copy)
    letters = tmp_path / "letters"
    reminders = letters / "nhac-nho"
    missing = tmp_path / "without-own"
    missing.mkdir()
    for path in full_returns_copy.iterdir():
        if OWN not in path.name:
            (missing / path.name).write_bytes(path.read_bytes())
    write_reminders(merge_returns(campaign, missing), reminders, today=TODAY)
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merged.returned_rows(), books, round_=1)
    own = [leaf for leaf in campaign.department_by_id[OWN].items if leaf.allowed_points() is None][:3]
    typed = {leaf.code: (0, f"Tài liệu kiểm chứng mục {leaf.code} chưa thể hiện đủ kết quả.") for leaf in own}
    type_into(next(books.glob("*PL01*.xlsx")), typed)
    found = collect_for(merged, books)
    write_notices(merged, found, letters / "thong-bao", deadline=date(2024, 1, 25), today=TODAY)
    write_record(merged, found, letters / "bien-ban.docx", today=TODAY, round_=1)
    return {
        "four": reminders / "nhac-nho-PL02-van-phong-ubnd.docx",
        "own-reminder": reminders / "nhac-nho-PL01-so-noi-vu.docx",
        "listing": reminders / "danh-sach-chua-hoan-thanh.docx",
        "own-notice": letters / "thong-bao" / "thong-bao-tham-dinh-PL01-so-noi-vu.docx",
        "record": letters / "bien-ban.docx",
    }


@pytest.mark.libreoffice
def test_long_letters_start_their_body_on_page_1(season: dict[str, Path], tmp_path: Path) -> None:
    """Point 1: only the closing keeps with the signature; the body flows from page 1, numbered from page 2."""
    docs = [season["four"], season["own-notice"]]
    pages = pages_of_many(docs, tmp_path)
    for doc in docs:
        printed = pages[doc.name]
        first = squashed(printed[0])
        assert "Thực hiện Kế hoạch số" in first, doc.name  # the body's first paragraph is on page 1
        assert "Mục " in first, doc.name  # and the list starts there too
        for n, page in enumerate(printed[1:], start=2):
            assert first_line(page) == str(n), (doc.name, n)
        assert after_closing(printed, SIGNER) == [], doc.name
        # the Word file: keep-with-next on the closing paragraph only, before the signature
        xml = document_xml(doc)
        body = xml[: xml.index("Nơi nhận:")]
        paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, flags=re.DOTALL)
        kept = [p for p in paragraphs if "<w:keepNext/>" in p and "<w:t" in p]
        texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in kept]
        assert texts == ["Trân trọng./."], (doc.name, texts)
        assert margins_mm(doc) == [{"orient": "portrait", "top": 20, "bottom": 20, "left": 30, "right": 15}]


def test_the_organisers_own_items_go_to_its_divisions(season: dict[str, Path]) -> None:
    """Point 2: never “Kính gửi: Sở Nội vụ … Quý cơ quan” from Sở Nội vụ: a phiếu chuyển to its divisions."""
    for key in ("own-reminder", "own-notice"):
        text = read_docx(season[key]).text
        assert "PHIẾU CHUYỂN" in text, key
        assert "Kính gửi: Sở Nội vụ" not in text and "Quý cơ quan" not in text, key
        assert "PHÒNG CẢI CÁCH HÀNH CHÍNH" in text and "TRƯỞNG PHÒNG" in text, key
        assert "Số: …/SNV-CCHC" not in text, key  # an internal note is not numbered as a công văn
        assert "Lãnh đạo Sở (để b/c)" in text, key
    notice = read_docx(season["own-notice"]).text
    assert "Phòng Cải cách hành chính" in notice  # the division the explanation goes back to


def test_letters_name_the_contact_and_say_the_example_is_one(season: dict[str, Path], campaign: Campaign) -> None:
    """Point 3: “đ/c …, Phòng …, điện thoại …, thư điện tử …” in every công văn; the example says it is one."""
    sentence = contact_sentence(campaign)
    assert sentence.startswith("Thông tin chi tiết, đề nghị liên hệ đ/c Nguyễn Thị B (ví dụ), Phòng Cải cách hành")
    assert "điện thoại: 0221 3000 000 (số ví dụ)" in sentence and "thư điện tử:" in sentence
    for key in ("four", "own-reminder", "own-notice"):
        text = read_docx(season[key]).text
        assert sentence in text, key
        assert "thay bằng thông tin thật" not in text and "thông tin liên hệ mẫu" not in text, key


def test_a_real_campaign_keeps_no_sample_contact(tmp_path: Path, full_returns: Path) -> None:
    """Point 3: a real campaign started from the example lists every sample value left, the contact's included."""
    made = runner.invoke(app, ["init", str(tmp_path / "p"), "--example"])
    assert made.exit_code == 0, made.output
    plan = tmp_path / "p" / "campaign.yaml"
    result = runner.invoke(app, ["remind", str(full_returns), "-c", str(plan), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    said = " ".join(result.output.split())
    for field in ("documents.contact.name", "documents.contact.phone", "documents.contact.email"):
        assert f"Trường {field} trong campaign.yaml vẫn là thông tin mẫu" in said, field
    assert not (tmp_path / "o").exists()


def test_a_campaign_without_contact_leaves_the_line_to_fill_and_warns(tmp_path: Path, full_returns: Path) -> None:
    made = runner.invoke(app, ["init", str(tmp_path / "p"), "--example"])
    assert made.exit_code == 0, made.output
    plan = tmp_path / "p" / "campaign.yaml"
    text = plan.read_text(encoding="utf-8")
    text = re.sub(r"\n  contact:.*\n(    .*\n)+", "\n", text)  # no documents.contact at all
    text = text.replace("(thông tin liên hệ mẫu — thay bằng thông tin thật)", "ĐT 0221 3862 545")
    text = text.replace("VÍ DỤ do parcli lập", "bảng do Sở Nội vụ lập").replace(" (ví dụ)", "")
    plan.write_text(text, encoding="utf-8")
    result = runner.invoke(
        app, ["cover-letter", "-c", str(plan), "-o", str(tmp_path / "o")], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "documents.contact" in " ".join(result.output.split())
    letter = (tmp_path / "o" / "cong-van-gui-phieu.txt").read_text(encoding="utf-8")
    assert "đề nghị liên hệ đ/c …" in letter


def test_letters_word_the_same_facts_the_same_way(season: dict[str, Path], campaign: Campaign) -> None:
    """Point 7: the plan cited and the contact in one wording; a fixed deadline; the office's phrasing."""
    four = read_docx(season["four"]).text
    notice = read_docx(season["own-notice"]).text
    plan = plan_citation(campaign)
    assert plan == (
        "Kế hoạch số …/KH-UBND ngày … của UBND tỉnh Hưng Yên về triển khai xác định Chỉ số CCHC tỉnh Hưng Yên "
        "năm 2023"
    )
    for text in (four, notice):
        assert f"Thực hiện {plan}," in text
    assert "Qua kiểm tra, phiếu chưa đúng quy định ở các nội dung sau (các ô cần sửa đã được đánh dấu" in four
    assert "trước 17 giờ 00 ngày 22/01/2024" in four and "ngay trong ngày" not in four
    assert "tự chấm" not in four and "Điểm tự đánh giá là 99" in four
    assert "Phiếu chưa hợp lệ" not in four and "tô màu" not in four
    assert "V/v đôn đốc gửi kết quả tự đánh giá Chỉ số CCHC năm 2023" in four
    assert "Về việc thông báo kết quả thẩm định lần 1 kết quả tự đánh giá Chỉ số CCHC năm 2023" in notice
    assert "trước 17 giờ 00 ngày 25/01/2024" in notice
    assert "- Giám đốc Sở (để b/c);" in four  # a deputy signs: the director is told
    listing = read_docx(season["listing"])  # the list for the leadership: a Word document
    assert season["listing"].suffix == ".docx"
    assert [r[2] for r in listing.table("STT", "Phụ lục", "Cơ quan")] == ["Sở Nội vụ", "Văn phòng UBND tỉnh"]


@pytest.fixture
def more_letters(campaign: Campaign, remedy_world: World, tmp_path: Path) -> dict[str, Path]:
    """The cover letter (and its internal note), the remedy requests and one reminder for a silent department."""
    out = tmp_path / "more"
    cover = write_cover_letter(campaign, out / "cong-van", today=None)
    prelim = read_consolidated(remedy_world.prelim, remedy_world.campaign)
    from parcli.results.remedy import lost_items

    lost = lost_items(remedy_world.campaign, prelim)
    requests = write_remedy_requests(
        remedy_world.campaign, lost, out / "de-nghi", deadline=date(2023, 10, 31), today=date(2023, 10, 20)
    )
    filled = tmp_path / "gui-ve"
    silent, *others = sorted(remedy_world.plans)
    for dept in others:
        fill_plan(remedy_world.plans[dept], filled / remedy_world.plans[dept].name)
    reminded = runner.invoke(
        app,
        [
            "remedy",
            "remind",
            str(filled),
            "--preliminary",
            str(remedy_world.prelim),
            "-o",
            str(out / "nhac"),
            "--today",
            "2023-11-06",
        ],
    )
    assert reminded.exit_code == 1, reminded.output  # a plan is missing
    reminder = next((out / "nhac").glob("nhac-khac-phuc-*.docx"))
    assert silent in reminder.name or remedy_world.campaign.department_by_id[silent].file_stem in reminder.name
    return {
        "cover": cover[0],
        "note": cover[1],
        "request": next(path for dept, path in requests if dept != OWN),
        "reminder": reminder,
    }


@pytest.mark.libreoffice
def test_the_new_letters_as_a_reader_sees_them(
    more_letters: dict[str, Path], season: dict[str, Path], tmp_path: Path
) -> None:
    """The letters the season needed and parcli did not write: each on the form, body from page 1."""
    docs = [*more_letters.values(), season["record"]]
    pages = pages_of_many(docs, tmp_path)
    for doc in docs:
        printed = pages[doc.name]
        assert printed[0].lstrip().startswith(("UBND TỈNH HƯNG YÊN", "SỞ NỘI VỤ")), doc.name
        for n, page in enumerate(printed[1:], start=2):
            assert first_line(page) == str(n), (doc.name, n)
    cover = squashed("\n".join(pages[more_letters["cover"].name]))
    assert "V/v triển khai tự đánh giá, chấm điểm Chỉ số CCHC năm 2023" in cover
    assert "Văn phòng UBND tỉnh: Phụ lục II" in cover and "trước ngày 15/01/2024" in cover
    assert "Kính gửi: Các sở, ban, ngành tỉnh" in cover  # sixteen recipients, each named in the body
    assert "Sở Nội vụ: Phụ lục I " not in cover  # the organiser gets the internal note, not its own công văn
    assert after_closing(pages[more_letters["cover"].name], SIGNER) == []
    note = squashed("\n".join(pages[more_letters["note"].name]))
    assert "PHIẾU CHUYỂN" in note and "Phụ lục I" in note
    request = squashed("\n".join(pages[more_letters["request"].name]))
    assert "V/v xây dựng kế hoạch khắc phục các nội dung bị trừ điểm" in request
    assert "trước 17 giờ 00 ngày 31/10/2023" in request and re.search(r"Mục \d+\.\d+\.\d+ \(", request)
    reminder = squashed("\n".join(pages[more_letters["reminder"].name]))
    assert "chưa nhận được kế hoạch khắc phục" in reminder and "trước 17 giờ 00 ngày 08/11/2023" in reminder
    record = squashed("\n".join(pages[season["record"].name]))
    for words in ("BIÊN BẢN", "I. THÀNH PHẦN", "II. NỘI DUNG", "III. KẾT LUẬN", "THƯ KÝ", "TỔ TRƯỞNG TỔ THẨM ĐỊNH"):
        assert words in record, words
    assert "Nguyễn Văn A (ví dụ), Phó Giám đốc Sở Nội vụ – Tổ trưởng" in record
    assert "Bảng 2. Các mục thẩm định thấp hơn điểm tự đánh giá" in record


def test_final_notice_and_record_of_round_2(
    campaign: Campaign, full_returns: Path, tmp_path: Path
) -> None:
    """Round 2: the notice tells the final result (round 1 beside it); the record says it is final."""
    merged = merge_returns(campaign, full_returns)
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merged.returned_rows(), books, round_=1)
    code = next(leaf.code for leaf in campaign.department_by_id["so-tai-chinh"].items if leaf.allowed_points() is None)
    type_into(next(books.glob("*PL04*.xlsx")), {code: (0, "Thiếu tài liệu")})
    result = runner.invoke(app, ["appraise", "issue", str(full_returns), "-o", str(books), "--round", "2"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "lan-2"
    notices = runner.invoke(
        app, ["appraise", "notices", str(full_returns), "--appraisals", str(books), "-o", str(out), "--round", "2"]
    )
    assert notices.exit_code == 0, notices.output
    text = next(out.glob("*PL04*.txt")).read_text(encoding="utf-8")
    assert "V/v thông báo kết quả thẩm định lần 2 (kết quả cuối cùng)" in text
    assert f"Mục {code} (" in text and "điểm thẩm định cuối cùng 0" in text
    record = tmp_path / "bien-ban-lan-2.docx"
    made = runner.invoke(
        app, ["appraise", "record", str(full_returns), "--appraisals", str(books), "-o", str(record), "--round", "2"]
    )
    assert made.exit_code == 0, made.output
    assert "Kết quả thẩm định lần 2 là kết quả cuối cùng" in read_docx(record).text


def test_a_units_cover_letter_names_the_groups_not_every_unit(tmp_path: Path) -> None:
    """Each unit scores its group's catalogue: the letter addresses the groups and says what each scores (the
    units exempt from part of it by name), never “Phụ lục” without a number nor a line per unit."""
    from parcli.config.campaign import load_campaign
    from parcli.results.season_letters import addressed

    plan = Path(__file__).resolve().parents[1] / "examples" / "hung-yen-units-2023" / "campaign.yaml"
    camp = load_campaign(plan)
    written = write_cover_letter(camp, tmp_path / "o")
    text = squashed(read_docx(written[0]).text)
    assert "Kính gửi:" in text and "- Các sở, ban, ngành tỉnh;" in text
    assert "- UBND các huyện, thị xã, thành phố." in text
    counts = {g: sum(1 for d in camp.departments if d.group == g) for g in ("so", "huyen")}
    assert f"Sở, ban, ngành tỉnh ({counts['so']} cơ quan, đơn vị):" in text
    assert f"UBND huyện, thị xã, thành phố ({counts['huyen']} cơ quan, đơn vị):" in text
    office = camp.department_by_id["van-phong-ubnd"]
    assert f"riêng Văn phòng UBND tỉnh không áp dụng lĩnh vực 3 ({len(office.items)} tiêu chí thành phần)" in text
    assert "Phụ lục (" not in text and "Phụ lục  " not in text
    assert sum(1 for d in camp.departments if f"- {d.name}:" in text) == 0  # no line per unit
    internal = squashed(read_docx(written[1]).text)
    assert "theo bộ tiêu chí của nhóm Sở, ban, ngành tỉnh" in internal
    # how a group is addressed
    assert addressed("UBND xã, phường") == "UBND các xã, phường"
    assert addressed("Sở, ban, ngành tỉnh") == "Các sở, ban, ngành tỉnh"
    assert addressed("Các ban quản lý") == "Các ban quản lý"


def test_letters_to_a_unit_name_its_groups_catalogue(tmp_path: Path) -> None:
    """A unit scores its group's catalogue: a reminder says so, never “theo Phụ lục  của Kế hoạch”."""
    from parcli.config.campaign import load_campaign
    from parcli.results.letters import part_of

    plan = Path(__file__).resolve().parents[1] / "examples" / "hung-yen-units-2023" / "campaign.yaml"
    camp = load_campaign(plan)
    unit = next(d for d in camp.departments if d.group == "huyen")
    assert part_of(camp, unit.name) == "bộ tiêu chí của nhóm UBND huyện, thị xã, thành phố"
    empty = tmp_path / "gui-ve"
    empty.mkdir()
    result = runner.invoke(app, ["remind", str(empty), "-c", str(plan), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    letter = (tmp_path / "o" / f"nhac-nho-{unit.file_stem}.txt").read_text(encoding="utf-8")
    assert "các nội dung theo bộ tiêu chí của nhóm UBND huyện, thị xã, thành phố về Sở Nội vụ" in " ".join(
        letter.split()
    )
    assert "Phụ lục" not in letter
