"""The report from appraisal workbooks (``report --appraisals``), its manifest, and a LibreOffice round trip.

Figures are summed here from what was returned and what was typed, with Decimal:
self-assessed → round 1 → final per department, and the items still stale or not appraised.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.numbers import fmt_points
from parcli.results.appraisal import collect_for, round1_prior
from parcli.rounds.appraisal import layout
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.appraisal import type_into
from tests.helpers.documents import Doc, read_docx, read_html, read_md
from tests.helpers.factory import MakeReturn, expected_values
from tests.helpers.programs import require_soffice

runner = CliRunner()
DEPT = "so-noi-vu"
# self 1,5 and 1 (the factory's defaults): round 1 lowers both, round 2 raises 1.3.1 back to 0,5
ROUND1: dict[str, tuple[Any, str]] = {"1.1.2": (1, "Thiếu tài liệu kiểm chứng"), "1.3.1": (0, "Chưa báo cáo")}


def _book(folder: Path, round_: int = 1) -> Path:
    return next(folder.glob(f"tham-dinh-lan{round_}-*PL01-so-noi-vu.xlsx"))


def _self_scores(campaign: Campaign) -> dict[str, Decimal]:
    """Every self-score Sở Nội vụ returned: the values the factory typed (not read back through parcli)."""
    typed = expected_values(campaign.department_by_id[DEPT])
    return {code: Decimal(str(v["score"])) for code, v in typed.items() if isinstance(v["score"], int | float)}


def _read(path: Path) -> Doc:
    if path.suffix == ".docx":
        return read_docx(path)
    text = path.read_text(encoding="utf-8")
    return read_md(text) if path.suffix == ".md" else read_html(text)


@pytest.fixture
def appraised(campaign: Campaign, full_returns: Path, tmp_path: Path) -> Path:
    """Round 1 typed for Sở Nội vụ; the consolidated workbook merged with those appraisals."""
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, full_returns).returned_rows(), books)
    type_into(_book(books), ROUND1)
    out = tmp_path / "tong-hop.xlsx"
    result = runner.invoke(app, ["merge", str(full_returns), "--appraisals", str(books), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return books


def test_report_shows_self_round1_final_and_what_is_left(
    campaign: Campaign, make_return: MakeReturn, full_returns_copy: Path, appraised: Path, tmp_path: Path
) -> None:
    # Sở Nội vụ resubmits 1.1.2 with other evidence after round 1: its appraisal becomes stale
    for old in full_returns_copy.glob("*so-noi-vu*"):
        old.unlink()
    make_return(DEPT, full_returns_copy, overrides={"1.1.2": {"evidence": "Quyết định số 99/QĐ-UBND"}})
    merged = merge_returns(campaign, full_returns_copy)
    found = collect_for(merged, appraised)
    # round 2: 1.3.1 raised after the department's additional explanation
    issue_appraisals(campaign, merged.returned_rows(), appraised, round_=2, prior=round1_prior(found))
    type_into(_book(appraised, 2), {"1.3.1": (0.5, "Đã bổ sung báo cáo")})
    consolidated = tmp_path / "tong-hop-2.xlsx"
    assert runner.invoke(app, ["merge", str(full_returns_copy), "-o", str(consolidated)]).exit_code == 0
    own = _self_scores(campaign)
    assert (own["1.1.2"], own["1.3.1"]) == (Decimal("1.5"), Decimal(1))
    self_total = sum(own.values(), Decimal(0))
    r1 = self_total - Decimal("1.5") - Decimal(1) + Decimal(1) + Decimal(0)
    final = r1 + Decimal("0.5")
    name = campaign.department_by_id[DEPT].name
    left = sorted(set(own) - {"1.1.2", "1.3.1"}, key=lambda c: [int(p) for p in c.split(".")])
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"bao-cao.{fmt}"
        result = runner.invoke(app, ["report", str(consolidated), "--appraisals", str(appraised), "-o", str(out)])
        assert result.exit_code == 0, result.output
        doc = _read(out)
        # its own table, its own header (never continued under the fields' header), in the order of the appendices
        rows = doc.table("PL", "Cơ quan", "Điểm tự đánh giá", "Thẩm định lần 1", "Sau thẩm định")
        assert [r[0] for r in rows[:-1]] == [d.appendix for d in campaign.departments]
        assert doc.row(rows, name, col=1)[2:] == [
            fmt_points(self_total),
            fmt_points(r1),
            fmt_points(final),
            str(len(left)),
            "1",
        ]
        fields = doc.table("TT", "Lĩnh vực", "Điểm tự đánh giá", "Thẩm định lần 1", "Sau thẩm định")
        assert [r[0] for r in fields[:-1]] == [f.code for f in campaign.catalogue.model.fields]  # numbered 1.–8.
        stale = doc.table("Mã", "Tiêu chí thành phần", "Cơ quan", "Điểm tự đánh giá", "Điểm thẩm định")
        assert [(r[0], r[2], r[4]) for r in stale] == [("1.1.2", name, "1")]
        if fmt != "docx":  # the Word report gives counts only
            pending = doc.table("Cơ quan", "Số mục", "Mã mục")
            assert doc.row(pending, name)[1:] == [str(len(left)), ", ".join(left)]
    assert "Thẩm định: tự đánh giá" in result.output
    out = tmp_path / "bao-cao.md"
    text = out.read_text(encoding="utf-8")
    # the manifest names each appraisal workbook with its hash; replay refuses a changed one
    record = json.loads(out.with_name("bao-cao.md.manifest.json").read_text(encoding="utf-8"))
    books = [e for e in record["inputs"] if e["role"] == "appraisal"]
    assert {Path(e["path"]).name for e in books} == {p.name for p in appraised.glob("*.xlsx")}
    assert {_book(appraised).name, _book(appraised, 2).name} <= {Path(e["path"]).name for e in books}
    assert all(len(e["sha256"]) == 64 for e in books)
    again = tmp_path / "lai.md"
    replay = runner.invoke(app, ["report", "--manifest", str(out), "-o", str(again)])
    assert replay.exit_code == 0, replay.output
    assert again.read_text(encoding="utf-8") == text
    type_into(_book(appraised, 2), {"1.3.1": (1, "Sửa lại")})
    refused = runner.invoke(app, ["report", "--manifest", str(out), "-o", str(tmp_path / "x.md")])
    assert refused.exit_code == 3, refused.output
    assert _book(appraised, 2).name in refused.output


def _structure(path: Path) -> dict[str, Any]:
    """What LibreOffice must keep: sheets and their visibility, protection, validations, unlocked inputs, metadata."""
    wb = load_workbook(path)
    ws = wb[layout.SHEET_APPRAISAL]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    inputs = [header.index(h) + 1 for h in (layout.HEADER_APPRAISED, layout.HEADER_NOTE)]
    body = range(layout.HEADER_ROW + 1, ws.max_row + 1)
    return {
        "sheets": [(s.title, s.sheet_state) for s in wb.worksheets],
        "protected": [s.protection.sheet for s in wb.worksheets],
        "header": header,
        "validations": sorted(
            # LibreOffice writes a second formula “0” for a custom rule, which has none: not compared there
            (str(v.sqref), v.type, str(v.formula1), "" if v.type == "custom" else str(v.formula2))
            for v in ws.data_validations.dataValidation
        ),
        "unlocked": sorted(
            (r, c) for r in body for c in range(1, len(header) + 1) if not ws.cell(row=r, column=c).protection.locked
        ),
        "inputs": inputs,
        "metadata": [[c.value for c in row] for row in wb[layout.SHEET_META].iter_rows()],
        "items": [[c.value for c in row] for row in wb[layout.SHEET_ITEMS].iter_rows()],
    }


@pytest.mark.libreoffice
def test_libreoffice_round_trip_keeps_figures_protection_validation_metadata(
    campaign: Campaign, full_returns: Path, tmp_path: Path
) -> None:
    """Issued, typed with openpyxl, re-saved by LibreOffice Calc: the same appraisals, nothing lost."""
    from tests.helpers.programs import roundtrip_many

    require_soffice()
    merged = merge_returns(campaign, full_returns)
    typed = tmp_path / "typed"
    issue_appraisals(campaign, merged.returned_rows(), typed, by="department")
    issue_appraisals(campaign, merged.returned_rows(), typed, by="field")
    type_into(_book(typed), {**ROUND1, "1.2.1": ("0,5", "Gõ dấu phẩy")})  # a decimal comma typed as text
    by_field = next(typed.glob("tham-dinh-lan1-linh-vuc-4.xlsx"))
    type_into(by_field, {"4.1.1": (0, "Không đạt"), "4.2.1": (1, "")})
    chosen = [_book(typed), by_field]
    back = roundtrip_many(chosen, tmp_path / "lo")
    for src, saved in zip(chosen, back, strict=True):
        assert saved.name == src.name
        before, after = _structure(src), _structure(saved)
        assert after == before, src.name
    folder = tmp_path / "tham-dinh-lo"
    folder.mkdir()
    for saved in back:
        shutil.copy2(saved, folder / saved.name)
    only_typed = tmp_path / "tham-dinh-openpyxl"
    only_typed.mkdir()
    for src in chosen:
        shutil.copy2(src, only_typed / src.name)
    found = collect_for(merged, folder)
    assert found.problems == []
    assert found.scores() == collect_for(merged, only_typed).scores()
    expected = {
        "1.1.2": Decimal(1),
        "1.3.1": Decimal(0),
        "1.2.1": Decimal("0.5"),
        "4.1.1": Decimal(0),
        "4.2.1": Decimal(1),
    }
    assert {code: found.scores()[(PROVINCE_SCOPE, code)][0] for code in expected} == expected


@pytest.mark.parametrize("command", ["issue", "notices"])
def test_appraise_output_inside_an_input_folder_is_refused(full_returns: Path, tmp_path: Path, command: str) -> None:
    books = tmp_path / "tham-dinh"
    books.mkdir()
    extra = ["--appraisals", str(books)] if command == "notices" else []
    result = runner.invoke(app, ["appraise", command, str(full_returns), *extra, "-o", str(full_returns / "ra")])
    assert result.exit_code == 2, result.output
    assert "nằm trong thư mục đầu vào" in " ".join(result.output.split())
    assert not (full_returns / "ra").exists()


def test_import_writes_only_the_departments_with_something_typed(
    campaign: Campaign, full_returns: Path, appraised: Path, tmp_path: Path
) -> None:
    out = tmp_path / "nhap"
    result = runner.invoke(app, ["appraise", "import", str(tmp_path / "tong-hop.xlsx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [_book(appraised).name]
    found = collect_for(merge_returns(campaign, full_returns), out)
    assert {k[1]: v[0] for k, v in found.scores().items() if v[0] is not None} == {"1.1.2": 1, "1.3.1": 0}
