"""Remedy plans: issue from the preliminary round, fill like a department, merge, and the points recovered."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.errors import UsageError
from parcli.results.consolidated import read_consolidated
from parcli.results.remedy import lost_items, recovery
from parcli.rounds.remedy import layout
from parcli.rounds.remedy.issue import issue_remedies
from parcli.rounds.remedy.merge import collect_remedies
from parcli.rounds.remedy.read import read_remedy
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.programs import require_soffice, roundtrip
from tests.helpers.remedy import COLS, PRELIM, World, fill_plan


def _first_code(path: Path) -> str:
    ws = load_workbook(path)[layout.SHEET_REMEDY]
    return str(ws.cell(row=layout.HEADER_ROW + 1, column=COLS[layout.HEADER_CODE]).value)


def test_plans_list_exactly_the_items_that_lost_points(remedy_world: World) -> None:
    expected = {
        code
        for code, s in remedy_world.prelim_scores.items()
        if s < remedy_world.campaign.catalogue.leaf_by_code[code].max_points
    }
    listed = set()
    for dept_id, path in remedy_world.plans.items():
        ws = load_workbook(path)[layout.SHEET_REMEDY]
        assert ws.protection.sheet
        for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
            code = ws.cell(row=r, column=COLS[layout.HEADER_CODE]).value
            if code:
                listed.add(code)
                leaf = remedy_world.campaign.catalogue.leaf_by_code[code]
                assert remedy_world.campaign.owner_of[code].id == dept_id
                lost = ws.cell(row=r, column=COLS[layout.HEADER_LOST]).value
                assert Decimal(str(lost)) == leaf.max_points - remedy_world.prelim_scores[code]
    assert listed == expected and expected


def test_issue_never_overwrites_a_plan(remedy_world: World) -> None:
    data = read_consolidated(remedy_world.prelim, remedy_world.campaign)
    with pytest.raises(UsageError, match="không bị ghi đè"):
        issue_remedies(
            remedy_world.campaign,
            lost_items(remedy_world.campaign, data),
            next(iter(remedy_world.plans.values())).parent,
        )


def test_filled_plans_merge_without_problems(remedy_world: World, tmp_path: Path) -> None:
    for path in remedy_world.plans.values():
        fill_plan(path, tmp_path / path.name)
    found = collect_remedies(remedy_world.campaign, tmp_path, date(2023, 11, 1), list(_expected(remedy_world)))
    assert found.problems == []
    assert len(found.items) == sum(1 for _ in _lost_codes(remedy_world))
    assert all(i.entry.progress == "Đang thực hiện" for i in found.items)


def _expected(remedy_world: World) -> Any:
    return [remedy_world.campaign.department_by_id[d] for d in remedy_world.plans]


def _lost_codes(remedy_world: World) -> Any:
    return (
        c
        for c, s in remedy_world.prelim_scores.items()
        if s < remedy_world.campaign.catalogue.leaf_by_code[c].max_points
    )


def test_overdue_and_silent(remedy_world: World, tmp_path: Path) -> None:
    first, *rest = list(remedy_world.plans.items())
    for _, path in rest[:-1]:
        fill_plan(path, tmp_path / path.name, {_first_code(path): {layout.HEADER_PROGRESS: "Đã hoàn thành"}})
    code = _first_code(first[1])
    fill_plan(first[1], tmp_path / first[1].name, {code: {layout.HEADER_DEADLINE: datetime(2023, 11, 30)}})
    found = collect_remedies(remedy_world.campaign, tmp_path, date(2023, 12, 1), list(_expected(remedy_world)))
    overdue = [p for p in found.problems if p.slug == "remedy-overdue"]
    assert [(p.department, p.item) for p in overdue] == [(first[0], code)]
    assert overdue[0].severity == "warning" and overdue[0].cell
    silent = rest[-1][0]
    assert [d.id for d in found.silent] == [silent]
    assert [p.department for p in found.problems if p.slug == "remedy-plan-missing"] == [silent]
    assert not found.ok


@pytest.mark.parametrize(
    ("header", "value", "slug"),
    [
        (layout.HEADER_DEADLINE, "ngày mai", "remedy-deadline-not-a-date"),
        (layout.HEADER_DEADLINE, "31/02/2023", "remedy-deadline-not-a-date"),
        (layout.HEADER_DEADLINE, "2023-13-45", "remedy-deadline-not-a-date"),
        (layout.HEADER_DEADLINE, datetime(2024, 2, 1), "remedy-deadline-too-late"),
        (layout.HEADER_DEADLINE, "20/01/2024", "remedy-deadline-too-late"),
        (layout.HEADER_DEADLINE, None, "remedy-deadline-missing"),
        (layout.HEADER_PROGRESS, "Sắp xong", "remedy-progress-unknown"),
        (layout.HEADER_REMEDY, None, "remedy-missing"),
        (layout.HEADER_REMEDY, "   ", "remedy-missing"),
    ],
)
def test_bad_input_by_cell(remedy_world: World, tmp_path: Path, header: str, value: Any, slug: str) -> None:
    path = next(iter(remedy_world.plans.values()))
    code = _first_code(path)
    target = tmp_path / path.name
    fill_plan(path, target, {code: {header: value}})
    result = read_remedy(target, remedy_world.campaign)
    found = [(p.slug, p.item, p.cell) for p in result.problems]
    col = layout.HEADER_REMEDY if slug == "remedy-missing" else header
    from openpyxl.utils import get_column_letter

    assert found == [(slug, code, f"{get_column_letter(COLS[col])}{layout.HEADER_ROW + 1}")]


def test_text_dates_and_progress_in_other_case_are_accepted(remedy_world: World, tmp_path: Path) -> None:
    path = next(iter(remedy_world.plans.values()))
    code = _first_code(path)
    fill_plan(
        path,
        tmp_path / path.name,
        {code: {layout.HEADER_DEADLINE: "15/12/2023", layout.HEADER_PROGRESS: "đã hoàn thành"}},
    )
    result = read_remedy(tmp_path / path.name, remedy_world.campaign)
    assert result.problems == []
    entry = next(e for e in result.entries if e.code == code)
    assert entry.deadline == date(2023, 12, 15) and entry.done


def test_deleted_row_is_remedy_missing(remedy_world: World, tmp_path: Path) -> None:
    path = next(iter(remedy_world.plans.values()))
    code = _first_code(path)
    wb = load_workbook(path)
    wb[layout.SHEET_REMEDY].cell(row=layout.HEADER_ROW + 1, column=COLS[layout.HEADER_CODE]).value = None
    wb.save(tmp_path / path.name)
    result = read_remedy(tmp_path / path.name, remedy_world.campaign)
    assert ("remedy-missing", code) in [(p.slug, p.item) for p in result.problems]


def test_plan_of_another_round_is_wrong_round(remedy_world: World, tmp_path: Path) -> None:
    path = next(iter(remedy_world.plans.values()))
    fill_plan(path, tmp_path / path.name)
    result = read_remedy(tmp_path / path.name, remedy_world.year_end)
    assert [p.slug for p in result.problems] == ["wrong-round"]


def test_points_recovered_computed_independently(remedy_world: World, tmp_path: Path) -> None:
    cat = remedy_world.campaign.catalogue
    for path in remedy_world.plans.values():
        fill_plan(path, tmp_path / path.name)
    plans = collect_remedies(remedy_world.campaign, tmp_path, date(2023, 11, 1), list(_expected(remedy_world)))
    section = recovery(
        remedy_world.campaign,
        read_consolidated(remedy_world.prelim, remedy_world.campaign),
        read_consolidated(remedy_world.final, remedy_world.year_end),
        plans,
    )
    by_field: dict[str, Decimal] = {}
    by_dept: dict[str, Decimal] = {}
    still = set()
    for code in _lost_codes(remedy_world):
        leaf = cat.leaf_by_code[code]
        gained = remedy_world.final_scores[code] - remedy_world.prelim_scores[code]
        by_field[leaf.field_code] = by_field.get(leaf.field_code, Decimal(0)) + gained
        owner = remedy_world.campaign.owner_of[code].id
        by_dept[owner] = by_dept.get(owner, Decimal(0)) + gained
        if remedy_world.final_scores[code] < leaf.max_points:
            still.add(code)
    assert {f["code"]: f["recovered"] for f in section["by_field"]} == by_field
    assert {d["id"]: d["recovered"] for d in section["by_department"]} == by_dept
    assert {r["code"] for r in section["still_losing"]} == still
    assert section["total"]["recovered"] == sum(by_field.values()) > 0
    assert all(r["remedy"] for r in section["items"])


def test_cli_issue_and_merge(remedy_world: World, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "khac-phuc"
    res = runner.invoke(
        app, ["remedy", "issue", str(remedy_world.prelim), "-c", str(remedy_world.campaign.path), "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in remedy_world.plans.values())
    res = runner.invoke(app, ["remedy", "issue", str(remedy_world.prelim), "-o", str(out)])
    assert res.exit_code == 2 and "không bị ghi đè" in res.output
    filled = tmp_path / "gui-ve"
    for path in sorted(out.iterdir())[:-1]:
        fill_plan(path, filled / path.name)
    track = tmp_path / "theo-doi.xlsx"
    args = ["remedy", "merge", str(filled), "--preliminary", str(remedy_world.prelim), "-o", str(track)]
    res = runner.invoke(app, [*args, "--today", "2023-12-20", "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 1, res.output
    assert "remedy-plan-missing" in res.output and "remedy-overdue" in res.output
    import json

    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["round"] == PRELIM and len(data["silent"]) == 1 and data["overdue"]
    assert load_workbook(track).sheetnames[0] == "Theo dõi khắc phục"
    res = runner.invoke(app, ["remedy", "merge", str(filled), "-o", str(tmp_path / "t2.xlsx"), "--today", "2023-11-01"])
    assert res.exit_code == 0, res.output  # without --preliminary: the round before the last, nobody told silent


@pytest.mark.libreoffice
def test_libreoffice_round_trip(remedy_world: World, tmp_path: Path) -> None:
    require_soffice()
    path = next(iter(remedy_world.plans.values()))
    code = _first_code(path)
    typed = tmp_path / "typed" / path.name
    fill_plan(path, typed, {code: {layout.HEADER_PROGRESS: "Đã hoàn thành"}})
    saved = roundtrip(typed, tmp_path / "lo")
    result = read_remedy(saved, remedy_world.campaign)
    assert result.problems == [], result.problems
    entry = next(e for e in result.entries if e.code == code)
    assert entry.done and entry.deadline == date(2023, 12, 15)
    wb = load_workbook(saved)
    assert wb[layout.SHEET_REMEDY].protection.sheet
    assert wb[layout.SHEET_META].sheet_state == "hidden"
    assert wb[layout.SHEET_REMEDY].data_validations.dataValidation
    shutil.rmtree(tmp_path / "lo", ignore_errors=True)


def test_report_remedy_section(remedy_world: World, tmp_path: Path) -> None:
    filled = tmp_path / "gui-ve"
    for path in remedy_world.plans.values():
        fill_plan(path, filled / path.name)
    section = recovery(
        remedy_world.campaign,
        read_consolidated(remedy_world.prelim, remedy_world.campaign),
        read_consolidated(remedy_world.final, remedy_world.year_end),
    )
    runner = CliRunner()
    for suffix in ("md", "html"):
        out = tmp_path / f"bao-cao.{suffix}"
        args = [
            "report",
            str(remedy_world.final),
            "-o",
            str(out),
            "--preliminary",
            str(remedy_world.prelim),
            "--remedies",
            str(filled),
        ]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        text = out.read_text(encoding="utf-8")
        assert "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ" in text
        assert "Bổ sung nhiệm vụ mục" in text and "Đang thực hiện" in text
        assert section["still_losing"][0]["code"] in text
    res = runner.invoke(
        app, ["report", str(remedy_world.final), "-o", str(tmp_path / "x.md"), "--remedies", str(filled)]
    )
    assert res.exit_code == 2
    plain = tmp_path / "plain.md"
    assert runner.invoke(app, ["report", str(remedy_world.final), "-o", str(plain)]).exit_code == 0
    assert "Kết quả khắc phục" not in plain.read_text(encoding="utf-8")


def test_report_manifest_records_preliminary_and_remedies(remedy_world: World, tmp_path: Path) -> None:
    import json

    filled = tmp_path / "gui-ve"
    for path in remedy_world.plans.values():
        fill_plan(path, filled / path.name)
    runner = CliRunner()
    out = tmp_path / "bao-cao.md"
    args = [
        "report",
        str(remedy_world.final),
        "-o",
        str(out),
        "--preliminary",
        str(remedy_world.prelim),
        "--remedies",
        str(filled),
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    record = json.loads(out.with_name("bao-cao.md.manifest.json").read_text(encoding="utf-8"))
    roles = [(e["role"], Path(e["path"]).name) for e in record["inputs"]]
    assert ("preliminary", remedy_world.prelim.name) in roles
    assert sorted(name for role, name in roles if role == "remedy") == sorted(
        p.name for p in remedy_world.plans.values()
    )
    assert record["options"]["remedies"] == str(filled.resolve())
    # the manifest remakes the same report, remedy section included
    again = tmp_path / "lai.md"
    replay = runner.invoke(app, ["report", "--manifest", str(out), "-o", str(again)])
    assert replay.exit_code == 0, replay.output
    assert again.read_text(encoding="utf-8") == text
    assert "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ" in text
    # a remedy workbook typed into since is refused, by name
    changed = sorted(filled.glob("*.xlsx"))[0]
    code = _first_code(changed)
    fill_plan(changed, changed, {code: {layout.HEADER_PROGRESS: "Đã hoàn thành"}}, default=False)
    refused = runner.invoke(app, ["report", "--manifest", str(out), "-o", str(tmp_path / "x.md")])
    assert refused.exit_code == 3, refused.output
    assert changed.name in refused.output


def test_word_report_remedy_section(remedy_world: World, tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    from parcli.numbers import fmt_points
    from tests.helpers.documents import read_docx

    filled = tmp_path / "gui-ve"
    for path in remedy_world.plans.values():
        fill_plan(path, filled / path.name)
    section = recovery(
        remedy_world.campaign,
        read_consolidated(remedy_world.prelim, remedy_world.campaign),
        read_consolidated(remedy_world.final, remedy_world.year_end),
    )
    out = tmp_path / "bao-cao.docx"
    args = [
        "report",
        str(remedy_world.final),
        "-o",
        str(out),
        "--preliminary",
        str(remedy_world.prelim),
        "--remedies",
        str(filled),
    ]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    doc = read_docx(out)
    assert "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ" in doc.text
    total = section["total"]
    assert f"khôi phục được {fmt_points(total['recovered'])} điểm" in doc.text
    heads = ("Số mục", "Điểm bị trừ (sơ bộ)", "Điểm khôi phục", "Điểm còn bị trừ")
    tables = (("TT", "Lĩnh vực", "by_field", "title"), ("PL", "Cơ quan", "by_department", "name"))
    for first, title, rows, key in tables:
        table = doc.table(first, title, *heads)  # each sums table its own caption and header
        for row in section[rows]:
            expected = [str(row["items"]), *(fmt_points(row[k]) for k in ("lost_before", "recovered", "lost_after"))]
            assert doc.row(table, row[key], col=1)[2:] == expected
        assert table[-1] == [
            "",
            "Cộng",
            str(total["items"]),
            *(fmt_points(total[k]) for k in ("lost_before", "recovered", "lost_after")),
        ]
    items = doc.table("Mã", "Tiêu chí thành phần", "Cơ quan", "Điểm sơ bộ", "Giải pháp khắc phục", "Tiến độ")
    assert [r[0] for r in items] == [i["code"] for i in section["items"]]
    assert [r[1] for r in items] == [i["title"] for i in section["items"]]  # every code with its name
    first = section["items"][0]
    assert items[0][4] == f"Bổ sung nhiệm vụ mục {first['code']} vào kế hoạch quý IV"
    assert items[0][5].startswith("Đang thực hiện") and items[0][7] == fmt_points(first["recovered"])
    losing = doc.table("Mã", "Tiêu chí thành phần", "Cơ quan", "Điểm cả năm / tối đa", "Điểm còn bị trừ")
    assert [r[0] for r in losing] == [i["code"] for i in section["still_losing"]]
    # header rows repeat on every page, no row splits across pages
    for table in Document(str(out)).tables:
        if table.rows[0].cells[0].text in ("TT", "PL", "Mã"):
            assert all(r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
            assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_report_names_departments_that_sent_no_plan(remedy_world: World, tmp_path: Path) -> None:
    filled = tmp_path / "gui-ve"
    silent, *others = sorted(remedy_world.plans)
    for dept in others:
        fill_plan(remedy_world.plans[dept], filled / remedy_world.plans[dept].name)
    out = tmp_path / "bao-cao.md"
    args = [
        "report",
        str(remedy_world.final),
        "-o",
        str(out),
        "--preliminary",
        str(remedy_world.prelim),
        "--remedies",
        str(filled),
    ]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    name = remedy_world.campaign.department_by_id[silent].name
    assert f"Cơ quan chưa gửi kế hoạch khắc phục: {name}." in out.read_text(encoding="utf-8")


def test_remedy_section_uses_the_appraised_year_end_score(remedy_world: World, tmp_path: Path) -> None:
    """With --appraisals the remedy section's year-end score is the appraised one, as everywhere else in the report."""
    from parcli.jobs.report import ReportRequest
    from parcli.jobs.report import report as produce_report
    from parcli.rounds.appraisal.issue import issue_appraisals
    from tests.helpers.appraisal import type_into

    prelim = read_consolidated(remedy_world.prelim, remedy_world.campaign)
    lost = lost_items(remedy_world.campaign, prelim)
    item = next(i for i in lost if remedy_world.final_scores[i.code] > remedy_world.prelim_scores[i.code])
    books = tmp_path / "tham-dinh"
    rows = merge_returns(remedy_world.year_end, remedy_world.final.parent / "returns").returned_rows()
    issue_appraisals(remedy_world.year_end, rows, books)
    book = next(books.glob(f"*{item.owner.file_stem}.xlsx"))
    type_into(book, {item.code: (float(item.score), "Tài liệu kiểm chứng chưa thể hiện kết quả khắc phục")})
    request = ReportRequest(
        consolidated=remedy_world.final, out=tmp_path / "bao-cao.md", preliminary=remedy_world.prelim, appraisals=books
    )
    report = produce_report(request).report
    assert report is not None
    section = report.context["remedy"]
    # independently: every lost item recovers its year-end self-score, except the one appraised back down
    expected = sum((remedy_world.final_scores[i.code] - remedy_world.prelim_scores[i.code] for i in lost), Decimal(0))
    expected -= remedy_world.final_scores[item.code] - item.score
    assert section["total"]["recovered"] == expected
    row = next(r for r in section["items"] if r["code"] == item.code)
    assert (row["year_end"], row["recovered"], row["still_losing"]) == (item.score, 0, True)
