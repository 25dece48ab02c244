"""``parcli evidence`` on an each-unit-scores campaign: each unit's evidence, the site grouped by unit group.

A campaign of two groups with catalogues of different shapes: ``so`` (Sở A, and
Sở B exempt from field 3) and ``huyen`` (Huyện A).  Sở A sends a folder package
citing one file for two items, Sở B a zip with the very same file, Huyện A its
workbook alone.  Round 1 is typed for one item of Sở A and one of Huyện A, then
Huyện A re-sends that item (stale).  Expected cards, folders and counts are
worked out here from the catalogues and the exemptions.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign, load_campaign
from parcli.config.synthetic import catalogue_yaml
from parcli.numbers import fmt_points
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.appraisal import type_into
from tests.helpers.evidence import pdf_bytes, site_links_resolve
from tests.helpers.factory import FIXED_NOW, fill_workbook
from tests.helpers.programs import chrome

runner = CliRunner()
GROUPS = {"so": "Sở, ban, ngành tỉnh", "huyen": "UBND huyện, thị xã"}
UNITS = [("so-a", "Sở A", "so", []), ("so-b", "Sở B", "so", ["3"]), ("h-a", "UBND huyện A", "huyen", [])]
SHARED = pdf_bytes("dung-chung", 2)

CAMPAIGN = """schema: parcli/campaign@1
mode: each-unit-scores
id: test-evidence-units-2023
title: "Xác định Chỉ số CCHC năm 2023 của các đơn vị (kiểm thử tài liệu)"
province: "Hưng Yên"
year: 2023
plan: "Kế hoạch số 01/KH-UBND (kiểm thử)"
organiser:
  name: "Sở Nội vụ tỉnh Hưng Yên"
  parent: "UBND tỉnh Hưng Yên"
deadlines:
  returns: 2024-01-10
groups:
  - {id: so, name: "Sở, ban, ngành tỉnh", catalogue: cat-so.yaml}
  - {id: huyen, name: "UBND huyện, thị xã", catalogue: cat-huyen.yaml}
units:
  - {id: so-a, name: "Sở A", group: so}
  - {id: so-b, name: "Sở B", group: so, exempt: ["3"]}
  - {id: h-a, name: "UBND huyện A", group: huyen}
"""


def _values(camp: Campaign, unit_id: str, evidence: dict[int, str] | None = None) -> dict[str, dict[str, Any]]:
    """Full marks on every item of the unit, explained; ``evidence`` on its n-th items."""
    unit = camp.department_by_id[unit_id]
    out: dict[str, dict[str, Any]] = {}
    for i, leaf in enumerate(unit.items):
        points = leaf.max_points
        out[leaf.code] = {
            "score": int(points) if points == points.to_integral_value() else float(points),
            "explanation": f"Đã hoàn thành đầy đủ nội dung mục {leaf.code}.",
            "evidence": (evidence or {}).get(i, f"Báo cáo số {100 + i}/BC-UBND ngày 15/12/2023"),
        }
    return out


def _applicable(camp: Campaign, unit_id: str) -> list[str]:
    """The self-assessed codes of the unit's group catalogue less its exempt branches (not parcli's unit.items)."""
    group, exempt = next((u[2], u[3]) for u in UNITS if u[0] == unit_id)
    return [
        leaf.code
        for leaf in camp.catalogues[group].leaves
        if leaf.is_self and not any(leaf.code == e or leaf.code.startswith(e + ".") for e in exempt)
    ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("ev-units")
    (root / "cat-so.yaml").write_text(catalogue_yaml("ev-so", leaves_per_criterion=1, criteria_per_field=2), "utf-8")
    (root / "cat-huyen.yaml").write_text(
        catalogue_yaml("ev-huyen", leaves_per_criterion=1, criteria_per_field=1), "utf-8"
    )
    (root / "campaign.yaml").write_text(CAMPAIGN, encoding="utf-8")
    camp = load_campaign(root / "campaign.yaml")
    issued = {w.department.id: w.path for w in generate_workbooks(camp, root / "issued", now=FIXED_NOW).workbooks}
    returns = root / "gui-ve"
    # Sở A: a folder package, dung-chung.pdf cited by two items
    folder = returns / "so-a"
    cited = {0: "dung-chung.pdf", 1: "dung-chung.pdf\nrieng.pdf"}
    fill_workbook(issued["so-a"], folder / issued["so-a"].name, _values(camp, "so-a", cited))
    (folder / "dung-chung.pdf").write_bytes(SHARED)
    (folder / "rieng.pdf").write_bytes(pdf_bytes("rieng"))
    # Sở B: a zip with the very same file
    staging = root / "so-b"
    fill_workbook(issued["so-b"], staging / issued["so-b"].name, _values(camp, "so-b", {0: "dung-chung.pdf"}))
    with zipfile.ZipFile(returns / "so-b.zip", "w") as archive:
        archive.write(staging / issued["so-b"].name, issued["so-b"].name)
        archive.writestr("dung-chung.pdf", SHARED)
    shutil.rmtree(staging)
    # Huyện A: the workbook alone
    fill_workbook(issued["h-a"], returns / issued["h-a"].name, _values(camp, "h-a"))
    # round 1 typed for one item of Sở A and one of Huyện A
    books = root / "tham-dinh"
    issue_appraisals(camp, merge_returns(camp, returns).returned_rows(), books, now=FIXED_NOW)
    first = {u: camp.department_by_id[u].items[0] for u in ("so-a", "h-a")}
    typed = {u: (Decimal(0), f"Thẩm định {u}: không có tài liệu") for u in first}  # 0: every rule allows it
    for unit, (score, note) in typed.items():
        type_into(next(books.glob(f"tham-dinh-lan1-*{unit}.xlsx")), {first[unit].code: (float(score), note)})
    # Huyện A re-sends its first item with another explanation: the appraisal is stale
    changed = _values(camp, "h-a")
    changed[first["h-a"].code]["explanation"] = "Đã bổ sung giải trình sau thẩm định."
    fill_workbook(issued["h-a"], returns / issued["h-a"].name, changed)
    out = root / "ho-so"
    result = runner.invoke(
        app, ["evidence", str(returns), "-c", str(root / "campaign.yaml"), "-o", str(out), "--appraisals", str(books)]
    )
    return {"camp": camp, "out": out, "result": result, "first": first, "typed": typed, "root": root}


def test_the_command_succeeds(world: dict[str, Any]) -> None:
    result = world["result"]
    assert result.exit_code == 0, result.output
    assert "1 mục cần thẩm định lại" in result.output


def test_the_pack_has_one_folder_per_group_then_unit_then_criterion(world: dict[str, Any]) -> None:
    camp: Campaign = world["camp"]
    pack = world["out"] / "goi-tai-lieu"
    stored = sorted(p.relative_to(pack).parts for p in pack.rglob("*.pdf"))
    assert len(stored) == 3, stored  # dung-chung.pdf once in Sở A (two items cite it), once in Sở B; rieng.pdf
    so = camp.department_by_id
    first_a, second_a = so["so-a"].items[0], so["so-a"].items[1]
    expected = {
        (GROUPS["so"], "so-001-so-a", first_a.code, f"{first_a.code}-so-a-1-dung-chung.pdf"),
        (GROUPS["so"], "so-001-so-a", second_a.code, f"{second_a.code}-so-a-2-rieng.pdf"),
        (GROUPS["so"], "so-002-so-b", so["so-b"].items[0].code, f"{so['so-b'].items[0].code}-so-b-1-dung-chung.pdf"),
    }
    got = {(g, u, c.split(" ", 1)[0], name) for g, u, c, name in stored}
    assert got == expected
    assert (pack / "danh-muc-tai-lieu.xlsx").is_file()


def test_every_applicable_item_has_a_card_and_an_exempt_item_none(world: dict[str, Any]) -> None:
    camp: Campaign = world["camp"]
    ws = load_workbook(world["out"] / "goi-tai-lieu" / "danh-muc-tai-lieu.xlsx").active
    assert ws is not None
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert rows[0][:3] == ("Nhóm đơn vị", "Mục", "Đơn vị") and rows[0][-5] == "Tự chấm"
    for uid, name, group, _ in UNITS:
        codes = {str(r[1]).split(". ", 1)[0] for r in rows[1:] if r[2] == name}
        assert codes == set(_applicable(camp, uid)), uid
        assert {r[0] for r in rows[1:] if r[2] == name} == {GROUPS[group]}
    assert not [r for r in rows[1:] if r[2] == "Sở B" and str(r[1]).startswith("3.")]
    stale = [r for r in rows[1:] if str(r[-2]).startswith("Cần thẩm định lại")]
    assert [(r[2], str(r[1]).split(". ")[0]) for r in stale] == [("UBND huyện A", world["first"]["h-a"].code)]


def test_the_site_groups_units_by_group(world: dict[str, Any]) -> None:
    camp: Campaign = world["camp"]
    site = world["out"] / "trang-kiem-chung"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Theo lĩnh vực" not in index
    headings = re.findall(r'<h2 id="nhom-[^"]+">([^<]+)</h2>', index)
    assert headings == [GROUPS["so"], GROUPS["huyen"]]
    so_part, huyen_part = index.split("<h2 id=")[1:3]
    assert "Sở A" in so_part and "Sở B" in so_part and "huyện A" not in so_part
    assert "huyện A" in huyen_part and "Sở A" not in huyen_part
    # group counts: appraised / not yet / stale, self-assessed and after appraisal, worked out here
    typed = world["typed"]
    for part, units in ((so_part, ("so-a", "so-b")), (huyen_part, ("h-a",))):
        items = sum(len(_applicable(camp, u)) for u in units)
        own = sum(
            (
                leaf.max_points
                for u in units
                for leaf in camp.catalogues[camp.department_by_id[u].group or ""].leaves
                if leaf.code in _applicable(camp, u)
            ),
            Decimal(0),
        )
        after = own - sum((world["first"][u].max_points for u in units if u in typed), Decimal(0))
        assert f"đã thẩm định 1/{items} mục, tự chấm {fmt_points(own)}, sau thẩm định {fmt_points(after)}" in part
    b_page = (site / "don-vi" / "so-b.html").read_text(encoding="utf-8")
    assert 'id="muc-3.' not in b_page and 'id="muc-2.' in b_page
    h_page = (site / "don-vi" / "h-a.html").read_text(encoding="utf-8")
    huyen_fields = [f"{f.code}. {f.title}" for f in camp.catalogues["huyen"].model.fields if f.code != "8"]
    assert re.findall(r'<h2 id="linh-vuc-[^"]+">([^<]+)</h2>', h_page) == huyen_fields
    assert "Cần thẩm định lại" in h_page and "Thẩm định h-a: không có tài liệu" in h_page
    assert site_links_resolve(site) >= 6
    assert not [p for p in site.rglob("*.html") if "built-in method" in p.read_text(encoding="utf-8")]


@pytest.mark.chromium
def test_the_units_site_renders_in_headless_chromium(world: dict[str, Any], tmp_path: Path) -> None:
    site = world["out"] / "trang-kiem-chung"
    page = site / "don-vi" / "so-a.html"
    dom = chrome(tmp_path / "chrome", "--dump-dom", page.as_uri()).stdout
    assert "Sở A" in dom and "dung-chung.pdf" in dom and "Đã thẩm định" in dom
    links = re.findall(r'href="(\.\./\.\./goi-tai-lieu/[^"]+)"', dom)
    assert len(links) == 3 and all((page.parent / unquote(h)).resolve().is_file() for h in links)
    index = chrome(tmp_path / "chrome", "--dump-dom", (site / "index.html").as_uri()).stdout
    assert GROUPS["huyen"] in index and "UBND huyện A" in index
    shot = tmp_path / "don-vi.png"
    chrome(tmp_path / "chrome", f"--screenshot={shot}", "--window-size=1200,900", (site / "index.html").as_uri())
    assert shot.is_file() and shot.stat().st_size > 5000
