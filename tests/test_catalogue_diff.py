"""Two catalogue versions: the diff, the code mapping, and last year's figures counted under the new codes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from parcli.catalogue_table.diff import diff_catalogues, diff_markdown, mapping_csv, read_mapping
from parcli.cli.catalogue import catalogue_app
from parcli.config.catalogue import Catalogue, parse_catalogue
from parcli.results.consolidated import PROVINCE_SCOPE, Consolidated, ConsolidatedItem
from parcli.results.report import _previous_fields

HEAD = """\
schema: parcli/catalogue@1
id: {id}
title: Bộ thử
year: {year}
decision: Quyết định thử
total_points: {total}
self_points: {total}
survey_points: 0
source: thử
verified: false
fields:
"""


def _leaf(code: str, title: str, points: str, indent: str) -> str:
    return (
        f'{indent}- {{code: "{code}", title: "{title}", max_points: {points}, scored_by: self, '
        f"rule: {{kind: scale}}, source: thử, verified: false}}\n"
    )


def _field(code: str, title: str, points: str, body: str) -> str:
    return (
        f'  - code: "{code}"\n    title: "{title}"\n    max_points: {points}\n    source: thử\n    verified: false\n'
        f"    criteria:\n{body}"
    )


def _criterion(code: str, title: str, points: str, components: str) -> str:
    return (
        f'      - code: "{code}"\n        title: "{title}"\n        max_points: {points}\n        source: thử\n'
        f"        verified: false\n        components:\n{components}"
    )


OLD = HEAD.format(id="cu", year=2023, total=5) + (
    _field(
        "1",
        "Chỉ đạo điều hành",
        "2",
        _criterion(
            "1.1",
            "Kế hoạch",
            "2",
            _leaf("1.1.1", "Ban hành kế hoạch cải cách hành chính", "1", "          ")
            + _leaf("1.1.2", "Tuyên truyền cải cách hành chính", "1", "          "),
        ),
    )
    + _field(
        "2",
        "Thủ tục hành chính",
        "3",
        _leaf("2.1", "Công bố thủ tục hành chính đúng hạn", "2", "      ")
        + _leaf("2.2", "Rà soát quy định thủ tục", "1", "      "),
    )
)

NEW = HEAD.format(id="moi", year=2024, total=6) + (
    _field(
        "1",
        "Chỉ đạo điều hành",
        "3",
        _criterion(
            "1.1",
            "Kế hoạch",
            "3",
            _leaf("1.1.1", "Tuyên truyền cải cách hành chính", "1", "          ")
            + _leaf("1.1.2", "Ban hành kế hoạch cải cách hành chính", "2", "          "),
        ),
    )
    + _field("2", "Thủ tục hành chính", "2", _leaf("2.1", "Công bố thủ tục hành chính kịp thời", "2", "      "))
    + _field("3", "Chuyển đổi số", "1", _leaf("3.1", "Dịch vụ công trực tuyến", "1", "      "))
)


def _catalogues() -> tuple[Catalogue, Catalogue]:
    return parse_catalogue(OLD), parse_catalogue(NEW)


def test_diff_kinds_and_mapping() -> None:
    old, new = _catalogues()
    result = diff_catalogues(old, new)
    kinds = {(c.old_code, c.new_code): c.kinds for c in result.changes}
    assert kinds == {
        ("1", "1"): ("repointed",),
        ("1.1", "1.1"): ("repointed",),
        ("1.1.1", "1.1.2"): ("moved", "repointed"),
        ("1.1.2", "1.1.1"): ("moved",),
        ("2", "2"): ("repointed",),
        ("2.1", "2.1"): ("renamed",),
        ("2.2", None): ("removed",),
        (None, "3"): ("added",),
        (None, "3.1"): ("added",),
    }
    assert result.mapping == {"1.1.1": "1.1.2", "1.1.2": "1.1.1", "2.1": "2.1", "2.2": None}
    assert "| đổi mã, đổi điểm | 1.1.1 | 1.1.2 |" in diff_markdown(result)


def _previous() -> Consolidated:
    """Last year's scores, under the old codes: 1.1.1 1/1, 1.1.2 0,5/1, 2.1 1/2, 2.2 1/1."""

    def item(code: str, score: str, top: str) -> ConsolidatedItem:
        return ConsolidatedItem(
            code, Decimal(top), "self", Decimal(score), False, None, "", "", "", "Đã nhận", "a.xlsx"
        )

    rows = [item("1.1.1", "1", "1"), item("1.1.2", "0.5", "1"), item("2.1", "1", "2"), item("2.2", "1", "1")]
    return Consolidated(path=Path("nam-truoc.xlsx"), metadata={}, rows={PROVINCE_SCOPE: {r.code: r for r in rows}})


def test_previous_year_under_the_new_codes(tmp_path: Path) -> None:
    """By hand: field 1 = (1 + 0,5) / (1 + 1) = 75%; field 2 = 2.1 only (2.2 is gone) = 1 / 2 = 50%;
    field 3 is new: not comparable.  Without the mapping field 2 would read (1 + 1) / 3 = 66,67%."""
    old, new = _catalogues()
    mapping_file = tmp_path / "doi-chieu.csv"
    mapping_file.write_text(mapping_csv(diff_catalogues(old, new)), encoding="utf-8")
    mapping = read_mapping(mapping_file)
    plain = _previous_fields(_previous())
    assert plain["2"]["percent"] == Decimal("66.67")
    mapped = _previous_fields(_previous(), mapping, new)
    assert (mapped["1"]["final"], mapped["1"]["max"], mapped["1"]["percent"]) == (Decimal("1.5"), 2, Decimal(75))
    assert (mapped["2"]["final"], mapped["2"]["max"], mapped["2"]["percent"]) == (Decimal(1), 2, Decimal(50))
    assert mapped["1"]["note"] is None and mapped["2"]["note"] is None
    assert mapped["3"]["percent"] is None
    assert "3.1" in mapped["3"]["note"]


def test_mapping_without_a_code_says_so(tmp_path: Path) -> None:
    _old, new = _catalogues()
    mapping_file = tmp_path / "doi-chieu.csv"
    mapping_file.write_text("ma_cu,ma_moi\n1.1.1,1.1.2\n1.1.2,1.1.1\n2.1,2.1\n", encoding="utf-8")
    mapped = _previous_fields(_previous(), read_mapping(mapping_file), new)
    assert "2.2" in mapped["_unknown"]["note"]


def test_cli_diff(tmp_path: Path) -> None:
    (tmp_path / "cu.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "moi.yaml").write_text(NEW, encoding="utf-8")
    out, mapping = tmp_path / "thay-doi.xlsx", tmp_path / "doi-chieu.csv"
    args = ["diff", str(tmp_path / "cu.yaml"), str(tmp_path / "moi.yaml"), "-o", str(out), "--mapping", str(mapping)]
    result = CliRunner().invoke(catalogue_app, args)
    assert result.exit_code == 0, result.output
    assert read_mapping(mapping)["2.2"] is None
    ws = openpyxl.load_workbook(out)["Thay đổi"]
    assert ws.max_row == 1 + 9
    md = tmp_path / "thay-doi.md"
    result = CliRunner().invoke(
        catalogue_app, ["diff", str(tmp_path / "cu.yaml"), str(tmp_path / "moi.yaml"), "-o", str(md)]
    )
    assert result.exit_code == 0, result.output
    assert "| bỏ | 2.2 |" in md.read_text(encoding="utf-8")
