"""One wording everywhere: no forbidden variant in code strings, templates, workbooks, help or examples."""

from __future__ import annotations

import ast
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.glossary import find_forbidden, new_tone
from parcli.problems import SLUGS
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remind import write_reminders
from parcli.results.report import render_text
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.documents import read_docx
from tests.helpers.factory import MakeReturn
from tests.helpers.reports import report_of

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "parcli"
runner = CliRunner()


def _hits(texts: Iterator[tuple[str, str]]) -> list[str]:
    return [f"{where}: {hit.found!r} → {hit.preferred}" for where, text in texts for hit in find_forbidden(text)]


def _literal(node: ast.AST) -> str | None:
    """A string literal, an f-string with its fields as ``{}``, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _python_strings() -> Iterator[tuple[str, str]]:
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "glossary.py":  # names the forbidden variants on purpose
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = _literal(node)
            if text is not None:
                yield f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}", text


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Các ô khác đã được khoá.", "old-tone"),
        ("Đề nghị xoá dòng này.", "old-tone"),
        ("chuẩn hoá", "old-tone"),
        ("Mục 1.1: tối đa 1 đ", "points-as-dong"),
        ("kết quả không được tin cậy", "not-trusted"),
        ("phát triển kinh tế – xã hội", "en-dash-kinh-te"),
        ("đạt 88,10 %", "space-before-percent"),
        ("parcli đọc là 0,5", "software-reads"),
        ("mục 2.1.2: mục bị trừ điểm", "repeated-muc"),
        ("đánh giá).Mục", "missing-space-after-stop"),
        ("- Mục 2.1.2 (Tuân thủ trình tự): Mục 2.1.2 bị trừ điểm", "repeated-code"),
        ("- Mục 2.1.1 (Mức độ): Điểm của mục 2.1.1 là 2", "repeated-code"),
    ],
)
def test_each_forbidden_variant_is_found(text: str, slug: str) -> None:
    assert [h.slug for h in find_forbidden(text)] == [slug]


@pytest.mark.parametrize(
    "text",
    [
        "khóa, xóa, hóa, hòa, quý, thủy, hoạt động, toàn bộ, hoàn thành, khoảng",
        "tối đa 1 điểm; 88,10%; kinh tế - xã hội; 2023 đến 2024",
        "{% if overdue_days > 0 %}",
        "parcli.collect.engine; Mục 1. Mục 2",
    ],
)
def test_preferred_wording_passes(text: str) -> None:
    assert find_forbidden(text) == []


def test_new_tone_moves_the_mark() -> None:
    assert [new_tone(w) for w in ("khoá", "xoá", "hoà", "thuỷ", "HOẠ", "khoẻ", "hoàn")] == [
        "khóa",
        "xóa",
        "hòa",
        "thủy",
        "HỌA",
        "khỏe",
        "hoàn",
    ]


def test_python_strings_use_the_glossary() -> None:
    assert _hits(_python_strings()) == []


def _template_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "templates").iterdir()):
        if path.suffix == ".j2":
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                yield str(path.relative_to(ROOT)), archive.read("word/document.xml").decode("utf-8")


def test_templates_use_the_glossary() -> None:
    assert _hits(_template_texts()) == []


def test_catalogues_and_examples_use_the_glossary() -> None:
    files = [*sorted((ROOT / "criteria").glob("*.yaml")), *sorted((ROOT / "examples").rglob("*.yaml"))]
    files += sorted((ROOT / "examples").rglob("*.csv"))
    assert _hits((str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in files) == []


def _help_texts() -> Iterator[tuple[str, str]]:
    import typer.main

    group = typer.main.get_command(app)
    yield "parcli --help", runner.invoke(app, ["--help"], terminal_width=200).output
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        yield f"parcli {name} --help", runner.invoke(app, [name, "--help"], terminal_width=200).output
        for sub in sorted(getattr(command, "commands", {})):
            args = [name, sub, "--help"]
            yield f"parcli {name} {sub} --help", runner.invoke(app, args, terminal_width=200).output


def test_help_uses_the_glossary() -> None:
    assert _hits(_help_texts()) == []


def _workbook_texts(path: Path) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield f"{path.name} › {ws.title} › {cell.coordinate}", cell.value
                if cell.comment is not None:
                    yield f"{path.name} › {ws.title} › {cell.coordinate} (ghi chú)", cell.comment.text
        for dv in ws.data_validations.dataValidation:
            for attr in ("promptTitle", "prompt", "errorTitle", "error", "formula1"):
                value = getattr(dv, attr, None)
                if value:
                    yield f"{path.name} › {ws.title} › {dv.sqref} ({attr})", str(value)


def test_generated_workbooks_use_the_glossary(full_returns: Path, tmp_path: Path) -> None:
    issued = tmp_path / "phieu"
    lists = tmp_path / "ds"
    merged = tmp_path / "tong-hop.xlsx"
    for args in (["generate", "-o", str(issued)], ["survey", "generate", "-o", str(lists)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["merge", str(full_returns), "-o", str(merged)])
    assert result.exit_code == 0, result.output
    books = [*sorted(issued.glob("*.xlsx"))[:3], *sorted(lists.glob("*.xlsx"))[:2], merged]
    assert _hits(text for book in books for text in _workbook_texts(book)) == []


def _problem_messages() -> Iterator[tuple[str, str, str]]:
    """(where, slug, message text) for every problem raised with a literal slug in src/."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and len(node.args) >= 2):
                continue
            slug = node.args[0]
            if not (isinstance(slug, ast.Constant) and slug.value in SLUGS):
                continue
            parts = []
            for sub in ast.walk(node.args[1]):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    parts.append(sub.value)
                elif isinstance(sub, ast.Name):
                    parts.append("{" + sub.id + "}")
            yield f"{path.relative_to(ROOT)}:{node.lineno}", str(slug.value), "".join(parts)


def test_every_error_to_a_department_says_what_to_do() -> None:
    """An error message ends with what to do: “Đề nghị …” (or the shared ``resend`` request)."""
    missing = [
        f"{where} {slug}"
        for where, slug, text in _problem_messages()
        if SLUGS[slug][0] == "error" and "đề nghị" not in text.casefold() and "{resend}" not in text
    ]
    assert missing == []


# --- placeholders never reach a real campaign's documents --------------------------------------------


@pytest.fixture
def real_campaign(tmp_path: Path) -> Path:
    """A campaign started with ``parcli init``: a real campaign, still holding the example's sample values."""
    result = runner.invoke(app, ["init", str(tmp_path / "ke-hoach")])
    assert result.exit_code == 0, result.output
    path = tmp_path / "ke-hoach" / "campaign.yaml"
    assert "example: true" not in path.read_text(encoding="utf-8")
    return path


def _one_line(output: str) -> str:
    return " ".join(output.split())


def test_real_campaign_with_sample_contact_is_refused(real_campaign: Path, full_returns: Path, tmp_path: Path) -> None:
    merged = tmp_path / "tong-hop.xlsx"
    assert runner.invoke(app, ["merge", str(full_returns), "-o", str(merged)]).exit_code == 0
    commands = {
        "generate": ["generate", "--campaign", str(real_campaign), "-o", str(tmp_path / "phieu")],
        "remind": ["remind", str(full_returns), "--campaign", str(real_campaign), "-o", str(tmp_path / "dd")],
        "report": ["report", str(merged), "--campaign", str(real_campaign), "-o", str(tmp_path / "bc.html")],
        "survey generate": ["survey", "generate", "--campaign", str(real_campaign), "-o", str(tmp_path / "ds")],
    }
    for name, args in commands.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 3, (name, result.output)
        text = _one_line(result.output)
        assert "Trường organiser.contact trong campaign.yaml vẫn là thông tin mẫu" in text, (name, text)
        assert "Đề nghị thay bằng thông tin thật" in text, name
    assert not (tmp_path / "phieu").exists() and not (tmp_path / "dd").exists()


def test_real_campaign_with_real_contact_is_issued(real_campaign: Path, tmp_path: Path) -> None:
    text = real_campaign.read_text(encoding="utf-8")
    text = text.replace("(thông tin liên hệ mẫu — thay bằng thông tin thật)", "ĐT 0221 3862 545")
    text = text.replace("VÍ DỤ do parcli lập", "bảng do Sở Nội vụ lập")
    # the documents' contact, divisions and appraisal team: the office writes its own (the example marks its own)
    text = text.replace(" (số ví dụ)", "").replace(" (ví dụ)", "")
    real_campaign.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["generate", "--campaign", str(real_campaign), "-o", str(tmp_path / "phieu")])
    assert result.exit_code == 0, result.output
    lists = real_campaign.with_name("survey-lists.yaml")
    refused = runner.invoke(app, ["survey", "generate", "--campaign", str(real_campaign), "-o", str(tmp_path / "ds")])
    assert refused.exit_code == 3 and "survey-lists.yaml" in _one_line(refused.output), refused.output
    plan_text = lists.read_text(encoding="utf-8").replace("(thông tin liên hệ mẫu — thay bằng thông tin thật)", "")
    lists.write_text(plan_text.replace("VÍ DỤ do parcli lập", "do Sở Nội vụ lập"), encoding="utf-8")
    issued = runner.invoke(app, ["survey", "generate", "--campaign", str(real_campaign), "-o", str(tmp_path / "ds")])
    assert issued.exit_code == 0, issued.output


def test_the_bundled_example_is_allowed_and_says_it_is_a_sample(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = runner.invoke(app, ["generate", "-o", str(tmp_path / "phieu")])
    assert result.exit_code == 0, result.output
    book = sorted((tmp_path / "phieu").glob("*.xlsx"))[0]
    texts = [t for _, t in _workbook_texts(book)]
    assert any("thông tin liên hệ mẫu" in t for t in texts)
    assert load_workbook(book).sheetnames  # opens


def test_letters_and_reports_use_the_glossary(
    campaign: Campaign, make_return: MakeReturn, full_returns_copy: Path, tmp_path: Path
) -> None:
    """What an official signs and sends, rendered: a reminder with problems, the non-submitters list, the reports."""
    code = campaign.department_by_id["so-tu-phap"].items[0].code
    folder = full_returns_copy
    for old in folder.glob("*"):
        if "tu-phap" in old.name:
            old.unlink()
    make_return("so-tu-phap", folder, overrides={code: {"score": 99, "explanation": None}}, sent=date(2024, 1, 13))
    result = merge_returns(campaign, folder)
    reminders, listing = write_reminders(result, tmp_path / "nhac-nho", today=date(2024, 1, 18))
    assert reminders, "the scenario has an invalid return"
    texts = [(r.text_path.name, r.text_path.read_text(encoding="utf-8")) for r in reminders]
    texts.append((listing.name, read_docx(listing).text))
    merged = tmp_path / "tong-hop.xlsx"
    write_consolidated(result, merged)
    report = report_of(campaign, merged, today=date(2024, 1, 20))
    texts += [(f"report.{fmt}", render_text(report, fmt)) for fmt in ("md", "html")]
    assert _hits(iter(texts)) == []
