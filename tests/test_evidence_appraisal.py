"""``parcli evidence --appraisals``: the appraisal state on the site and in the index; a run that fails midway.

Self-scores are the factory's typed values, appraised scores the ones typed
here; the counts and totals the site must show are summed here with Decimal.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.numbers import fmt_points
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.appraisal import type_into
from tests.helpers.evidence import DEPT, site_links_resolve
from tests.helpers.factory import MakeReturn, expected_values
from tests.helpers.programs import chrome

runner = CliRunner()
STALE_DEPT = "so-noi-vu"
STALE_CODE = "1.1.2"


def _self_scores(campaign: Campaign) -> dict[tuple[str, str], Decimal]:
    """What every department typed (the factory's values), not read back through parcli."""
    return {
        (dept.id, code): Decimal(str(v["score"]))
        for dept in campaign.departments
        for code, v in expected_values(dept).items()
    }


@pytest.fixture
def appraised(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path, packaged_returns_copy: Path
) -> tuple[Path, Path, dict[str, Any]]:
    """Returns with packages, round 1 typed for Văn phòng UBND and Sở Nội vụ, then Sở Nội vụ re-sends 1.1.2."""
    returns = packaged_returns_copy
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, returns).returned_rows(), books)
    codes = [leaf.code for leaf in campaign.department_by_id[DEPT].items]
    typed = {
        (DEPT, codes[0]): (Decimal("0.5"), "Quyết định ban hành chậm"),
        (DEPT, codes[1]): (Decimal(0), "Thiếu bản ký"),
        (STALE_DEPT, STALE_CODE): (Decimal(1), "Thiếu tài liệu kiểm chứng"),
    }
    for dept in (DEPT, STALE_DEPT):
        book = next(books.glob(f"tham-dinh-lan1-*{dept}.xlsx"))
        type_into(book, {code: (float(v), note) for (d, code), (v, note) in typed.items() if d == dept})
    for old in returns.glob(f"*{STALE_DEPT}*"):
        old.unlink()
    make_return(STALE_DEPT, returns, overrides={STALE_CODE: {"evidence": "Quyết định số 99/QĐ-UBND ngày 05/01/2023"}})
    return returns, books, {"typed": typed, "codes": codes}


def test_the_site_and_the_index_show_the_appraisal_state(
    campaign: Campaign, appraised: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    returns, books, info = appraised
    typed: dict[tuple[str, str], tuple[Decimal, str]] = info["typed"]
    out = tmp_path / "ho-so"
    result = runner.invoke(app, ["evidence", str(returns), "-o", str(out), "--appraisals", str(books)])
    assert result.exit_code == 0, result.output  # a stale appraisal is a warning
    assert "1 mục cần thẩm định lại" in result.output
    # expected figures, from the typed values
    own = _self_scores(campaign)
    items = len(own)
    self_total = sum(own.values(), Decimal(0))
    final_total = self_total + sum(v - own[key] for key, (v, _) in typed.items())
    site = out / "trang-kiem-chung"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f"3/{items} mục đã thẩm định, {items - 3} mục chưa thẩm định, 1 mục cần thẩm định lại" in index
    assert f"Tổng điểm tự chấm {fmt_points(self_total)}, sau thẩm định {fmt_points(final_total)}" in index
    page = (site / "co-quan" / f"{DEPT}.html").read_text(encoding="utf-8")
    first, second, third = info["codes"][:3]
    block = page.split(f'id="muc-{first}"')[1].split('class="item"')[0]
    assert "Đã thẩm định" in block and "lần 1: 0,5" in block and "Quyết định ban hành chậm" in block
    assert "Chưa thẩm định" in page.split(f'id="muc-{third}"')[1].split('class="item"')[0]
    stale = (site / "co-quan" / f"{STALE_DEPT}.html").read_text(encoding="utf-8")
    stale_block = stale.split(f'id="muc-{STALE_CODE}"')[1].split('class="item"')[0]
    assert "Cần thẩm định lại" in stale_block and "đề nghị thẩm định lại" in stale_block
    assert site_links_resolve(site) > 0
    assert not [p for p in site.rglob("*.html") if "built-in method" in p.read_text(encoding="utf-8")]
    # the index workbook: the appraisal columns
    ws = load_workbook(out / "goi-tai-lieu" / "danh-muc-tai-lieu.xlsx").active
    assert ws is not None
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    head = list(rows[0])
    assert head[7:] == ["Tự chấm", "Thẩm định lần 1", "Điểm thẩm định", "Tình trạng thẩm định", "Ý kiến thẩm định"]
    vp = campaign.department_by_id[DEPT].name
    second_rows = [r for r in rows[1:] if r[1] == vp and str(r[0]).startswith(f"{second}. ")]
    assert len(second_rows) == 2  # two files cited: one row each
    assert all(r[9] == 0 and r[10] == "Đã thẩm định" and r[11] == "Thiếu bản ký" for r in second_rows)
    noi_vu = campaign.department_by_id[STALE_DEPT].name
    (stale_row,) = [r for r in rows[1:] if r[1] == noi_vu and str(r[0]).startswith(f"{STALE_CODE}. ")]
    assert stale_row[9] == 1 and str(stale_row[10]).startswith("Cần thẩm định lại")
    pending = [r for r in rows[1:] if r[10] == "Chưa thẩm định"]
    assert len({(r[0], r[1]) for r in pending}) == items - 3


def test_appraisal_workbook_errors_are_reported_and_exit_1(
    campaign: Campaign, tmp_path: Path, packaged_returns: Path
) -> None:
    returns = packaged_returns
    books = tmp_path / "tham-dinh"
    rows = merge_returns(campaign, returns).returned_rows()
    issue_appraisals(campaign, rows, books)
    issue_appraisals(campaign, rows, books, by="field")
    code = campaign.department_by_id[DEPT].items[0].code
    type_into(next(books.glob(f"tham-dinh-lan1-*{DEPT}.xlsx")), {code: (0.5, "")})
    field_book = next(books.glob(f"tham-dinh-lan1-linh-vuc-{code.split('.')[0]}.xlsx"))
    type_into(field_book, {code: (1, "")})
    out = tmp_path / "ho-so"
    result = runner.invoke(app, ["evidence", str(returns), "-o", str(out), "--appraisals", str(books)])
    assert result.exit_code == 1, result.output
    assert result.output.count("appraisal-conflict") == 2 and "Phiếu thẩm định: 2 lỗi" in result.output
    page = (out / "trang-kiem-chung" / "co-quan" / f"{DEPT}.html").read_text(encoding="utf-8")
    assert "Chưa thẩm định" in page.split(f'id="muc-{code}"')[1].split('class="item"')[0]  # neither score counts
    assert "2 lỗi trong phiếu thẩm định" in (out / "trang-kiem-chung" / "index.html").read_text(encoding="utf-8")


def test_the_appraisals_folder_is_an_input(campaign: Campaign, tmp_path: Path, packaged_returns: Path) -> None:
    returns = packaged_returns
    books = tmp_path / "tham-dinh"
    books.mkdir()
    result = runner.invoke(app, ["evidence", str(returns), "-o", str(books / "ho-so"), "--appraisals", str(books)])
    assert result.exit_code == 2 and "nằm trong thư mục đầu vào" in result.output, result.output
    assert not (books / "ho-so").exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_run_leaves_the_previous_ho_so_as_it_was(
    campaign: Campaign, tmp_path: Path, packaged_returns: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parcli.results.evidence.site as site_module

    returns = packaged_returns
    out = tmp_path / "ho-so"
    assert runner.invoke(app, ["evidence", str(returns), "-o", str(out), "--zip"]).exit_code == 0
    before = _snapshot(out)
    assert any(name.startswith("goi-tai-lieu/") and name.endswith(".pdf") for name in before)
    real = site_module.write_site

    def half_then_fail(book: Any, site: Path, pack: str) -> Path:
        real(book, site, pack)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_module, "write_site", half_then_fail)
    result = runner.invoke(app, ["evidence", str(returns), "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert "Không tệp nào được ghi" in result.output
    assert _snapshot(out) == before  # the pack, the site and the zip of the previous run, and nothing else
    assert not [p for p in out.iterdir() if p.name.startswith(".parcli-staging")]
    fresh = tmp_path / "moi"
    assert runner.invoke(app, ["evidence", str(returns), "-o", str(fresh)]).exit_code == 3
    assert not fresh.exists()


@pytest.mark.chromium
def test_the_appraised_site_renders_in_headless_chromium(
    campaign: Campaign, appraised: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    returns, books, _ = appraised
    out = tmp_path / "ho-so"
    assert runner.invoke(app, ["evidence", str(returns), "-o", str(out), "--appraisals", str(books)]).exit_code == 0
    site = out / "trang-kiem-chung"
    page = site / "co-quan" / f"{STALE_DEPT}.html"
    dom = chrome(tmp_path / "chrome", "--dump-dom", page.as_uri()).stdout
    assert "Cần thẩm định lại" in dom and "Thiếu tài liệu kiểm chứng" in dom
    index = chrome(tmp_path / "chrome", "--dump-dom", (site / "index.html").as_uri()).stdout
    assert "Đã thẩm định" in index and "Sau thẩm định" in index
    shot = tmp_path / "index.png"
    chrome(tmp_path / "chrome", f"--screenshot={shot}", "--window-size=1200,900", (site / "index.html").as_uri())
    assert shot.is_file() and shot.stat().st_size > 5000
