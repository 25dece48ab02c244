"""Evidence at scale and in ``--json``: file names found in any number of members, the detail per return."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.packages import Member
from parcli.rounds.scoring.evidence import FileNames, parse_cell
from tests.helpers.evidence import DEPT, GOOD, build_package, pdf_bytes, png_bytes
from tests.helpers.factory import MakeReturn

runner = CliRunner()


@pytest.mark.parametrize(
    ("line", "members", "files", "missing"),
    [
        ("a-QD-1.pdf", ["QD-1.pdf", "a-QD-1.pdf"], ["a-QD-1.pdf"], []),  # the longest name ending there
        ("b/qd.PDF và a/QD.pdf", ["a/QD.pdf", "b/QD.pdf"], ["a/QD.pdf", "b/QD.pdf"], []),  # the path decides
        ("QD.pdf", ["a/QD.pdf", "b/QD.pdf"], [], []),  # a base name two files share: ambiguous, neither
        ("KH 4 (bản ký).pdf, khong-co.docx", ["tl/KH 4 (bản ký).pdf"], ["tl/KH 4 (bản ký).pdf"], ["khong-co.docx"]),
        ("Xem README và anh.JPG", ["README", "anh.jpg"], ["anh.jpg", "README"], []),  # a name with no suffix
    ],
)
def test_file_names_in_a_line(line: str, members: list[str], files: list[str], missing: list[str]) -> None:
    parsed = parse_cell("1.1.1", "F8", line, [Member(name, 1) for name in members])
    assert sorted(parsed.files) == sorted(files) and parsed.missing == missing


def test_ten_thousand_members_are_looked_up_where_a_name_can_end() -> None:
    members = [Member(f"tl/{i:05d}.pdf", 1) for i in range(10_000)]
    names = FileNames(members)
    assert names.lengths == {".pdf": [12, 9]}  # two lookups per ".pdf" in a line, whatever the member count
    text = "\n".join(f"Tài liệu {i:05d}.pdf" for i in range(0, 10_000, 7))
    parsed = parse_cell("1.1.1", "F8", text, members, names)
    assert parsed.files == [f"tl/{i:05d}.pdf" for i in range(0, 10_000, 7)] and not parsed.missing


def _zip_return(campaign: Campaign, make_return: MakeReturn, root: Path) -> tuple[Path, list[str], bytes]:
    qd = pdf_bytes("q", 3)
    package, codes = build_package(
        make_return,
        campaign,
        root / "PL02.zip",
        {0: GOOD, 1: "anh/hoi-nghi.png\nhttps://example.vn/a\nQD-123.pdf", 2: "Đã thực hiện"},
        {"QD-123.pdf": qd, "anh/hoi-nghi.png": png_bytes(), "thua.pdf": pdf_bytes("t"), "hong.pdf": b"%PDF-x"},
    )
    return package, codes, qd


def test_check_json_carries_each_evidence_file_and_each_item_parsed(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    package, codes, qd = _zip_return(campaign, make_return, tmp_path)
    out = tmp_path / "check.json"
    result = runner.invoke(app, ["check", str(package), "--json", str(out)])
    assert result.exit_code == 0, result.output  # warnings only: two files no item cites
    entry = json.loads(out.read_text(encoding="utf-8"))["files"][0]
    assert {"file", "department", "errors", "warnings"} <= entry.keys()
    assert entry["package"] == {"kind": "zip", "form": "PL02-vp-ubnd.xlsx", "damaged": None, "refused": []}
    files = {f["name"]: f for f in entry["evidence_files"]}
    assert set(files) == {"QD-123.pdf", "anh/hoi-nghi.png", "thua.pdf", "hong.pdf"}
    assert files["QD-123.pdf"] == {
        "name": "QD-123.pdf",
        "size": len(qd),
        "pages": 3,
        "sha256": hashlib.sha256(qd).hexdigest(),
        "cited_by": [codes[0], codes[1]],
        "problems": [],
    }
    assert files["anh/hoi-nghi.png"]["pages"] is None and files["anh/hoi-nghi.png"]["cited_by"] == [codes[1]]
    assert files["thua.pdf"]["problems"] == ["evidence-file-unused"]
    assert files["hong.pdf"]["problems"] == ["evidence-unreadable", "evidence-file-unused"]
    items = {i["item"]: i for i in entry["evidence"]}
    assert items[codes[0]]["citations"] == [{"number": "123/QĐ-UBND", "well_formed": True, "date": "2023-01-05"}]
    assert items[codes[0]]["dates"] == ["2023-01-05"] and items[codes[0]]["files"] == ["QD-123.pdf"]
    assert items[codes[1]]["links"] == ["https://example.vn/a"] and items[codes[1]]["problems"] == []
    assert items[codes[2]]["problems"] == ["evidence-vague"] and items[codes[2]]["cell"].startswith("F")


def test_merge_json_lists_every_return_with_its_evidence(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    returns = tmp_path / "gui-ve"
    for dept in campaign.departments:
        if dept.id != DEPT:
            make_return(dept.id, returns)
    package, codes, _qd = _zip_return(campaign, make_return, returns)
    out = tmp_path / "merge.json"
    result = runner.invoke(app, ["merge", str(returns), "-o", str(tmp_path / "th.xlsx"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"campaign", "departments", "problems", "versions", "totals"} <= data.keys()
    assert len(data["returns"]) == len(campaign.departments)
    ours = next(r for r in data["returns"] if r["file"] == package.name)
    assert ours["department"] == DEPT and ours["used"] and ours["package"]["kind"] == "zip"
    assert {f["name"] for f in ours["evidence_files"]} == {"QD-123.pdf", "anh/hoi-nghi.png", "thua.pdf", "hong.pdf"}
    assert {i["item"] for i in ours["evidence"]} >= set(codes[:3])
    plain = next(r for r in data["returns"] if r["file"] != package.name)
    assert plain["package"] is None and plain["evidence_files"] == [] and plain["evidence"]
