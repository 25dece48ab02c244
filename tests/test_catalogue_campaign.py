"""Catalogue and campaign checks: one clear message naming the place, exit code 3, no traceback."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import default_campaign_path, load_campaign
from parcli.config.catalogue import load_catalogue
from parcli.errors import CampaignError, CatalogueError
from parcli.resources import data_dir

CATALOGUE = data_dir("criteria") / "par-province-2023.yaml"


def test_bundled_catalogue_shape() -> None:
    cat = load_catalogue(CATALOGUE)
    assert cat.counts() == {"fields": 8, "criteria": 37, "components": 88}
    assert cat.model.total_points == 100
    assert cat.self_total() == 68 and cat.survey_total() == 32
    maxima = {f.code: f.max_points for f in cat.model.fields}
    # the four field maxima found in a public source (domain.md §3)
    assert (maxima["3"], maxima["4"], maxima["5"], maxima["8"]) == (13, 10.5, 15, 16.5)
    # nothing pretends to be official: every node says where it comes from
    unverified, total = cat.verification()
    assert total == 8 + 37 + 88 and unverified == total


def test_bundled_campaign() -> None:
    camp = load_campaign(default_campaign_path())
    assert [d.appendix for d in camp.departments][:3] == ["I", "II", "III"]
    assert len(camp.departments) == 17
    assert str(camp.model.deadlines.returns) == "2024-01-15"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An editable copy of the bundled campaign + catalogue (as `parcli init` writes it)."""
    result = CliRunner().invoke(app, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    return tmp_path / "p"


def _edit(path: Path, fn: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    new = fn(text)
    assert new != text, "the mutation did not apply"
    path.write_text(new, encoding="utf-8")


def _cat(project: Path) -> Path:
    return project / "criteria" / "par-province-2023.yaml"


def _first_component_code_dup(text: str) -> str:
    return text.replace('code: "1.1.2"', 'code: "1.1.1"', 1)


def _children_not_adding_up(text: str) -> str:
    # raise the first component's maximum by 0.25 without touching its criterion
    return re.sub(
        r'(code: "1\.1\.1"\n(?:.*\n)*?\s+max_points: )([0-9.]+)',
        lambda m: m[1] + str(float(m[2]) + 0.25),
        text,
        count=1,
    )


CASES = [
    ("duplicate-code", "catalogue", _first_component_code_dup, ["mã 1.1.1 bị trùng", "fields[1].criteria[1]"]),
    (
        "children-sum",
        "catalogue",
        _children_not_adding_up,
        ["tổng điểm các mục con", "fields[1].criteria[1].max_points"],
    ),
    ("yaml-syntax-catalogue", "catalogue", lambda t: t.replace("fields:", "fields: [", 1), ["cú pháp YAML", "dòng"]),
    ("yaml-syntax-campaign", "campaign", lambda t: t.replace("departments:", "departments: {", 1), ["cú pháp YAML"]),
    (
        "unassigned-item",
        "campaign",
        lambda t: re.sub(r'assign: \[[^\]]*"2"[^\]]*\]', 'assign: ["2.1"]', t, count=1),
        ["chưa được giao cho cơ quan nào", "2.2"],
    ),
    (
        "unknown-code",
        "campaign",
        lambda t: t.replace('assign: ["2"]', 'assign: ["2", "9.9"]', 1),
        ["không có mã này", "9.9", "departments[3].assign[2]"],
    ),
    (
        "assigned-twice",
        "campaign",
        lambda t: t.replace('assign: ["2"]', 'assign: ["2", "3.1"]', 1),
        ["được giao hai lần"],
    ),
    (
        "missing-field",
        "campaign",
        lambda t: t.replace("province:", "provinse:", 1),
        ["province", "thiếu trường bắt buộc", "provinse"],
    ),
    (
        "signer-without-title",
        "campaign",
        lambda t: t.replace('    title: "PHÓ GIÁM ĐỐC"\n', "", 1),
        ["documents.signer.title", "thiếu trường bắt buộc"],
    ),
    (
        "bad-report-date",
        "campaign",
        lambda t: re.sub(r"report_date: [0-9-]+", "report_date: 19/01/2024", t, count=1),
        ["documents.report_date"],
    ),
    (
        "unknown-documents-key",
        "campaign",
        lambda t: t.replace('  symbol: "SNV-CCHC"', '  symbl: "SNV-CCHC"', 1),
        ["documents", "symbl"],
    ),
    (
        "bad-number",
        "catalogue",
        lambda t: t.replace("total_points: 100", "total_points: một trăm", 1),
        ["total_points", "phải là một số"],
    ),
]


@pytest.mark.parametrize(("name", "which", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_mistakes_get_one_clear_message(
    project: Path, name: str, which: str, mutate: Callable[[str], str], expected: list[str]
) -> None:
    target = _cat(project) if which == "catalogue" else project / "campaign.yaml"
    _edit(target, mutate)
    result = CliRunner().invoke(app, ["generate", "-c", str(project / "campaign.yaml"), "-o", str(project / "out")])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for fragment in expected:
        assert fragment in result.output, (fragment, result.output)
    assert not (project / "out").exists() or not list((project / "out").iterdir())


def test_library_raises_typed_errors(project: Path) -> None:
    _edit(_cat(project), _first_component_code_dup)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(_cat(project))
    assert any("bị trùng" in m for m in info.value.messages)
    with pytest.raises(CampaignError):
        load_campaign(project / "nope.yaml")


def test_missing_campaign_file_exit_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "-c", str(tmp_path / "none.yaml")])
    assert result.exit_code == 3
    assert "không tìm thấy tệp" in result.output


def test_init_copy_is_self_contained(project: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(project, moved)
    camp = load_campaign(moved / "campaign.yaml")
    assert camp.catalogue.path == (moved / "criteria" / "par-province-2023.yaml").resolve()
    again = CliRunner().invoke(app, ["init", str(moved)])
    assert again.exit_code == 3 and "--force" in again.output


def test_documents_block_is_optional(project: Path) -> None:
    """A campaign without ``documents:`` keeps working: the director signs, the dates are left to fill in."""
    from parcli.config.campaign import load_campaign

    target = project / "campaign.yaml"
    _edit(target, lambda t: re.sub(r"\ndocuments:.*?\n(?=[a-z])", "\n", t, count=1, flags=re.S))
    head = load_campaign(target).letterhead()
    assert (head["sign_on_behalf"], head["sign_title"], head["sign_name"]) == ("", "GIÁM ĐỐC", "")
    assert head["letter_number"] == "Số: …/SNV-CCHC" and head["number"] == "Số: …/BC-SNV"
    assert head["date_line"] == "Hưng Yên, ngày … tháng … năm …"
