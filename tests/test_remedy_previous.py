"""The remedy section against last year's result (``report --previous``), province mode.

Last year's figures are built by hand (a changed maximum, an appraised score, a
renamed code, an item gone, a code the mapping does not know); the expected
points recovered are computed here from the points typed, as last year's
points lost − this year's points lost.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import PROVINCE_SCOPE
from parcli.numbers import fmt_points
from parcli.results.consolidated import Consolidated, ConsolidatedItem, read_consolidated
from parcli.results.remedy_previous import against_previous
from tests.helpers.documents import read_docx
from tests.helpers.remedy import World, fill_plan

HEADING = "Kết quả khắc phục các mục bị trừ điểm năm trước"


def _item(code: str, top: Decimal, score: Decimal, appraised: Decimal | None = None) -> ConsolidatedItem:
    return ConsolidatedItem(code, top, "self", score, False, appraised, "", "", "", "Đã nhận", "a.xlsx")


def test_against_last_year_by_hand(remedy_world: World) -> None:
    camp = remedy_world.year_end
    leaves = [leaf for leaf in camp.catalogue.leaves if leaf.is_self and leaf.code in camp.owner_of]
    a, b, c = leaves[0], leaves[5], leaves[9]
    half = Decimal("0.5")
    rows = [
        # a: last year's maximum was one point higher; self-assessed full, appraised half a point lower
        _item(a.code, a.max_points + 1, a.max_points + 1, appraised=a.max_points + half),
        _item("9.9.1", b.max_points, Decimal(0)),  # b under its old code, nothing scored last year
        _item(c.code, c.max_points, c.max_points),  # full points: not listed
        _item("9.9.2", Decimal(2), Decimal(1)),  # gone this year
        _item("9.9.3", Decimal(1), Decimal(0)),  # unknown to the mapping
    ]
    last = Consolidated(path=Path("nam-2022.xlsx"), metadata={}, rows={PROVINCE_SCOPE: {r.code: r for r in rows}})
    mapping: dict[str, str | None] = {a.code: a.code, "9.9.1": b.code, c.code: c.code, "9.9.2": None}
    section = against_previous(camp, last, read_consolidated(remedy_world.final, camp), mapping)

    lost_before = {a.code: Decimal(1) - half, b.code: b.max_points}  # a: (max+1) − (max+0,5)
    lost_after = {
        code: camp.catalogue.leaf_by_code[code].max_points - remedy_world.final_scores[code] for code in lost_before
    }
    recovered = {code: lost_before[code] - lost_after[code] for code in lost_before}
    assert [(r["code"], r["recovered"], r["lost_after"]) for r in section["items"]] == [
        (code, recovered[code], lost_after[code]) for code in (a.code, b.code)
    ]
    assert section["items"][1]["old_code"] == "9.9.1" and section["items"][0]["old_code"] == ""
    assert section["total"] == {
        "items": 2,
        "lost_before": sum(lost_before.values()),
        "recovered": sum(recovered.values()),
        "lost_after": sum(lost_after.values()),
    }
    by_dept: dict[str, Decimal] = {}
    by_field: dict[str, Decimal] = {}
    for code, gained in recovered.items():
        owner = camp.owner_of[code].id
        by_dept[owner] = by_dept.get(owner, Decimal(0)) + gained
        field = code.split(".")[0]
        by_field[field] = by_field.get(field, Decimal(0)) + gained
    assert {d["id"]: d["recovered"] for d in section["by_department"]} == by_dept
    assert {f["code"]: f["recovered"] for f in section["by_field"]} == by_field
    assert {r["code"] for r in section["still_losing"]} == {code for code, lost in lost_after.items() if lost > 0}
    assert [(i["old_code"], i["why"]) for i in section["apart"]] == [
        ("9.9.2", "không còn trong bộ tiêu chí năm nay"),
        ("9.9.3", "không có trong tệp đối chiếu mã"),
    ]


def _expected(w: World) -> dict[str, Decimal]:
    """Last year = the preliminary workbook: per code that lost points, the points recovered (same maxima)."""
    cat = w.campaign.catalogue
    out = {}
    for code, score in w.prelim_scores.items():
        top = cat.leaf_by_code[code].max_points
        if score < top:
            out[code] = (top - score) - (top - w.final_scores[code])
    return out


def test_report_previous_alone_and_with_preliminary(remedy_world: World, tmp_path: Path) -> None:
    expected = _expected(remedy_world)
    total = sum(expected.values(), Decimal(0))
    assert total > 0
    filled = tmp_path / "gui-ve"
    for path in remedy_world.plans.values():
        fill_plan(path, filled / path.name)
    runner = CliRunner()
    for suffix in ("md", "html", "docx"):
        out = tmp_path / f"bao-cao.{suffix}"
        args = [
            "report",
            str(remedy_world.final),
            "-o",
            str(out),
            "--previous",
            str(remedy_world.prelim),
            "--remedies",
            str(filled),
        ]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        text = read_docx(out).text if suffix == "docx" else out.read_text(encoding="utf-8")
        assert HEADING in text
        assert "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ" not in text
        assert f"Năm nay các cơ quan đã khôi phục được {fmt_points(total)} điểm" in text
        assert "không được tính là khôi phục" in text
        assert "Bổ sung nhiệm vụ mục" in text  # the plan's remedy, with --remedies
    doc = read_docx(tmp_path / "bao-cao.docx")
    items = doc.table("Mã", "Tiêu chí thành phần", "Cơ quan", "Năm trước / tối đa", "Giải pháp khắc phục", "Tiến độ")
    assert {r[0]: r[7] for r in items} == {code: fmt_points(v) for code, v in expected.items()}
    both = tmp_path / "ca-hai.md"
    args = ["report", str(remedy_world.final), "-o", str(both), "--previous", str(remedy_world.prelim)]
    res = runner.invoke(app, [*args, "--preliminary", str(remedy_world.prelim)])
    assert res.exit_code == 0, res.output
    text = both.read_text(encoding="utf-8")
    assert HEADING in text and "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ" in text
    plain = tmp_path / "chi-nam-truoc.md"
    res = runner.invoke(
        app, ["report", str(remedy_world.final), "-o", str(plain), "--previous", str(remedy_world.prelim)]
    )
    assert res.exit_code == 0, res.output
    assert "Giải pháp khắc phục" not in plain.read_text(encoding="utf-8")  # no plans: no remedy columns


@pytest.mark.parametrize("content", [b"", b"not a workbook at all", b"PK\x03\x04 damaged zip"])
def test_a_damaged_last_year_workbook_is_named_with_what_to_do(
    remedy_world: World,
    tmp_path: Path,
    content: bytes,
) -> None:
    """Last year's workbook is parcli's own output: the message says to point at it or merge again, never "resend"."""
    damaged = tmp_path / "tong-hop-2022.xlsx"
    damaged.write_bytes(content)
    args = ["report", str(remedy_world.final), "-o", str(tmp_path / "x.md"), "--previous", str(damaged)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 3, res.output
    text = " ".join(res.output.split())
    assert "tong-hop-2022.xlsx" in text and "Đề nghị chỉ đúng bảng tổng hợp" in text and "gửi lại" not in text
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not (tmp_path / "x.md").exists()
