"""Fuzzing the readers (issue 12): mutated returns never raise, never abort, and are named as problems.

Each mutant is a real filled return (or survey list) with one damage: a byte flipped in a zip member
(compressed or not), XML truncated or malformed, a shared-string index out of range, a huge dimension or a
far cell in any sheet, control characters, a deleted or duplicated part (the mutations live in
``tests/helpers/mutate.py``, shared with the other readers' fuzz tests).  The readers must return problems
(or accept the file when the damage is harmless) without an exception; inside a folder, the other returns
are still consolidated.  Seeded and bounded: ``PARCLI_FUZZ`` mutants (default 60) run in ``make test``;
``make fuzz`` runs 2,000 and prints its figures.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parcli.config.campaign import Campaign
from parcli.rounds.scoring.merge import merge_returns
from parcli.rounds.scoring.read import read_return
from tests.helpers.factory import MakeReturn
from tests.helpers.mutate import COUNT, MUTATIONS, SEED, mutants, stable
from tests.helpers.mutate import members_of as _members
from tests.helpers.mutate import sheets_of as _sheets
from tests.helpers.mutate import zip_of as _zip

DEPT = "so-noi-vu"


@pytest.mark.slow
def test_mutants_never_raise(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    """Every mutant is read without an exception; a refused one carries an error naming the file."""
    original = stable(make_return(DEPT, tmp_path / "src").read_bytes())  # the same bytes in every run
    figures: Counter[str] = Counter()
    target = tmp_path / "mutant.xlsx"
    for kind, data in mutants(original, COUNT, SEED):
        target.write_bytes(data)
        result = read_return(target, campaign)  # an exception or an abort fails the test
        assert all(p.file == target.name for p in result.problems), kind
        figures[f"{kind}:{'error' if any(p.is_error for p in result.problems) else 'read'}"] += 1
    summary = ", ".join(f"{k}={v}" for k, v in sorted(figures.items()))
    print(f"\nfuzz: {COUNT} mutants, seed {SEED}, 0 tracebacks, 0 aborts; {summary}")


@pytest.mark.slow
def test_list_mutants_never_raise(tmp_path: Path) -> None:
    """Survey lists too: every mutant of a filled list is read without an exception, problems naming the file."""
    from parcli.rounds.lists.read import read_list

    plan, original = _filled_list(tmp_path)
    figures: Counter[str] = Counter()
    target = tmp_path / "mutant-list.xlsx"
    for kind, data in mutants(stable(original.read_bytes()), COUNT, SEED + 1):
        target.write_bytes(data)
        result = read_list(target, plan)  # an exception or an abort fails the test
        assert all(p.file == target.name for p in result.problems), kind
        figures[f"{kind}:{'error' if any(p.is_error for p in result.problems) else 'read'}"] += 1
    summary = ", ".join(f"{k}={v}" for k, v in sorted(figures.items()))
    print(f"\nfuzz (survey lists): {COUNT} mutants, seed {SEED + 1}, 0 tracebacks, 0 aborts; {summary}")


def _filled_list(tmp_path: Path, unit: str = DEPT) -> tuple[Any, Path]:
    """The lists plan and one unit's survey list, issued and filled in as the unit would."""
    from parcli.config.campaign import default_campaign_path, load_campaign
    from parcli.config.lists_plan import load_lists_plan
    from parcli.rounds.lists.issue import generate_lists
    from tests.helpers.respondents import default_rows, fill_list

    plan = load_lists_plan(load_campaign(default_campaign_path()))
    issued = generate_lists(plan, tmp_path / "issued-lists", units=[unit]).lists[0].path
    return plan, fill_list(issued, tmp_path / "lists" / issued.name, default_rows(plan, unit))


@pytest.mark.parametrize("kind", ["flip-member", "huge-dimension", "shared-string-out-of-range", "truncate-xml"])
def test_damaged_list_in_a_folder(kind: str, tmp_path: Path) -> None:
    """One damaged survey list beside a valid one: it is named, the other unit's list is consolidated ``ok``."""
    from parcli.rounds.lists.merge import merge_lists

    plan, victim = _filled_list(tmp_path, DEPT)
    _filled_list(tmp_path, "so-tu-phap")  # beside it, in the same folder
    victim.write_bytes(MUTATIONS[kind](stable(victim.read_bytes()), random.Random(SEED + len(kind))))
    result = merge_lists(plan, victim.parent)
    status = {u.unit.id: u.status for u in result.units}
    assert status["so-tu-phap"] == "ok", status
    assert any(p.file == victim.name for p in result.problems) or status[DEPT] == "ok"


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_damaged_return_in_a_folder(
    kind: str, campaign: Campaign, full_returns_copy: Path, make_return: MakeReturn, tmp_path: Path
) -> None:
    """One damaged return among valid ones: it is named, the others are consolidated ``ok``."""
    victim = next(p for p in sorted(full_returns_copy.iterdir()) if DEPT.replace("-", "") in p.stem.replace("-", ""))
    data = MUTATIONS[kind](stable(victim.read_bytes()), random.Random(SEED + len(kind)))
    victim.write_bytes(data)
    result = merge_returns(campaign, full_returns_copy)
    others = [d for d in result.departments if d.owner.id != DEPT]
    assert all(d.status == "ok" for d in others), [(d.owner.id, d.status) for d in others if d.status != "ok"]


def test_huge_dimension_in_metadata_sheet_is_a_problem(campaign: Campaign, make_return: MakeReturn) -> None:
    """A far cell in the hidden metadata sheet is refused before any reader allocates its range."""
    path = make_return(DEPT)
    members = _members(path.read_bytes())
    index = _sheets(members)[-1]
    name, body = members[index]
    cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    members[index] = (name, body.replace(b"</sheetData>", cell + b"</sheetData>"))
    path.write_bytes(_zip(members))
    result = read_return(path, campaign)
    assert [p.slug for p in result.problems] == ["sheet-too-large"]


def test_xlsb_is_named(campaign: Campaign, tmp_path: Path) -> None:
    """A binary workbook gets its own message: save it as .xlsx."""
    path = tmp_path / "PL01.xlsb"
    path.write_bytes(_zip([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.bin", b"\x00" * 10)]))
    assert [p.slug for p in read_return(path, campaign).problems] == ["binary-workbook"]


__all__ = ["MUTATIONS", "mutants", "shutil"]


def test_a_worker_that_dies_is_a_problem_on_its_file(
    campaign: Campaign, full_returns: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader process that dies (an abort on one file) names that file; the other returns are still read."""
    from parcli.collect import folder
    from parcli.xlsx import open as xlsx_open

    parent = os.getpid()
    victim = next(p for p in sorted(full_returns.iterdir()) if DEPT.replace("-", "") in p.stem.replace("-", ""))
    original = xlsx_open.sniff_workbook

    def dying_sniff(path: Path, add: Callable[[str, str], None], noun: str) -> bool:
        if os.getpid() != parent and path.name == victim.name:
            os._exit(134)  # what an allocation abort looks like from the parent
        return original(path, add, noun)

    monkeypatch.setattr(xlsx_open, "sniff_workbook", dying_sniff)
    monkeypatch.setattr(folder, "PARALLEL_MIN_FILES", 2)
    result = merge_returns(campaign, full_returns)
    statuses = {d.owner.id: d.status for d in result.departments}
    assert statuses.pop(DEPT) != "ok"
    assert set(statuses.values()) == {"ok"}
    assert any(p.file == victim.name and p.slug == "unreadable-workbook" for p in result.problems)


def test_workers_die_with_their_parent() -> None:
    """Worker processes ask the kernel to kill them when the parent dies (no orphan reads a folder on)."""
    import subprocess
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    script = (
        "import os, signal, time\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    from parcli.parallel import die_with_parent\n"
        "    die_with_parent()\n"
        "    print(os.getpid(), flush=True)\n"
        "    signal.pause()\n"
        "else:\n"
        "    signal.pause()\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(1000):  # the kernel delivers SIGKILL to the child at once; poll without sleeping
        try:
            os.kill(child, 0)
            with open(f"/proc/{child}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    break
        except (ProcessLookupError, FileNotFoundError):
            break
        os.sched_yield()
    else:
        os.kill(child, 9)
        pytest.fail("the worker outlived its parent")


def test_control_characters_reach_the_consolidated_workbook(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    """Control characters in a return's text: merge still writes the consolidated workbook, without them."""
    from openpyxl import load_workbook

    from parcli.results.consolidated_write import write_consolidated

    victim = next(p for p in sorted(full_returns_copy.iterdir()) if DEPT.replace("-", "") in p.stem.replace("-", ""))
    members = _members(victim.read_bytes())
    members = [
        (n, b.replace(b"</t>", b"_x000B_dong 2_x0001_</t>") if n.endswith("sharedStrings.xml") else b)
        for n, b in members
    ]
    victim.write_bytes(_zip(members))
    result = merge_returns(campaign, full_returns_copy)
    out = tmp_path / "tong-hop.xlsx"
    write_consolidated(result, out)
    wb = load_workbook(out, read_only=True)
    texts = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert not any("\x0b" in c or "\x01" in c for c in texts)


@pytest.mark.slow
def test_readers_warn_about_control_characters_and_long_text(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    """A vertical tab and a text over a cell's size in a return: kept readable, each a warning on its cell."""
    from parcli.rounds.scoring.read import read_return

    code = campaign.department_by_id[DEPT].items[0].code
    path = make_return(DEPT, tmp_path / "in", overrides={code: {"explanation": "MARKER-VT", "evidence": "MARKER-LONG"}})
    members = _members(path.read_bytes())
    members = [
        (n, b.replace(b"MARKER-VT", b"dong 1_x000B_dong 2").replace(b"MARKER-LONG", b"x" * 40_000)) for n, b in members
    ]
    path.write_bytes(_zip(members))
    result = read_return(path, campaign)
    found = [p for p in result.problems if p.slug == "text-control-characters"]
    assert found and all(p.cell and p.item and p.sheet for p in found), [p.to_dict() for p in result.problems]
    assert result.items[code].explanation == "dong 1\ndong 2"
    assert len(result.items[code].evidence) == 32_767
    assert [p.item for p in result.problems if p.slug == "text-too-long"] == [code]


_ODD_CELLS = (
    '<c r="a5">',
    '<c r="AAAA5">',
    '<c r="A">',
    '<c r="5">',
    '<c s="1" r="B2">',
    "<c>",
    '<x:c r="Z9">',
    '<c\tr="C3">',
    '<c r="A1234567890">',
)


def _random_sheet(rng: random.Random) -> bytes:
    """A worksheet's XML: mostly the usual shape, with far cells, far rows and odd tags now and then."""
    from parcli.xlsx.sheetxml import column_letter

    rows = []
    for number in range(1, rng.randint(0, 30) + 1):
        row = number if rng.random() > 0.05 else rng.choice([1, 99, 101, 1_048_576, 28_804, 28_805])
        cells = []
        for column in range(1, rng.randint(0, 6)):
            column = column if rng.random() > 0.05 else rng.choice([14, 15, 26, 27, 702, 703, 16_384])
            cell_row = row if rng.random() > 0.05 else rng.choice([row + 1, 99_999, 28_805, 10])
            odd = rng.random() < 0.02
            cells.append((rng.choice(_ODD_CELLS) if odd else f'<c r="{column_letter(column)}{cell_row}">') + "</c>")
        rows.append(f'<row r="{row}">{"".join(cells)}</row>')
    dimension = rng.choice(["", '<dimension ref="A1:N28804"/>', '<dimension ref="A1"/>', '<dimension ref="A1:AA9"/>'])
    return f"<worksheet>{dimension}<sheetData>{''.join(rows)}</sheetData></worksheet>".encode()


@pytest.mark.slow
def test_sheet_extent_fast_path_is_exact() -> None:
    """The quick bound of the usual sheet shape equals the general scan, far cells and odd tags included."""
    from parcli.xlsx.sheetxml import _DIMENSION_RE, _sheet_extent_general, column_number, sheet_extent

    rng = random.Random(SEED)
    for _ in range(max(COUNT * 20, 1000)):
        xml = _random_sheet(rng)
        rows = columns = 0
        for ref in _DIMENSION_RE.findall(xml):
            end = ref.decode().split(":")[-1]
            columns, rows = column_number(end.rstrip("0123456789")), int(end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        assert sheet_extent(xml) == _sheet_extent_general(xml, rows, columns), xml


def _campaign_with_control_characters(root: Path) -> Path:
    """A copy of the bundled campaign whose catalogue title, campaign title, organiser, a department and the
    survey lists hold control characters, and whose first guidance is 40,000 characters long."""
    source = Path(__file__).resolve().parents[1]
    shutil.copytree(source / "examples" / "hung-yen-2023", root / "examples" / "hung-yen-2023")
    (root / "criteria").mkdir()
    catalogue = (source / "criteria" / "par-province-2023.yaml").read_text(encoding="utf-8")
    catalogue = catalogue.replace('title: "Bộ tiêu chí xác định', 'title: "Bộ tiêu chí\\vxác\\x01 định', 1)
    catalogue = catalogue.replace('guidance: "Căn cứ', 'guidance: "' + "dài\\v" * 10_000 + "Căn cứ", 1)
    (root / "criteria" / "par-province-2023.yaml").write_text(catalogue, encoding="utf-8")
    folder = root / "examples" / "hung-yen-2023"
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    text = text.replace('title: "Xác định Chỉ số', 'title: "=Xác định\\vChỉ\\x02 số', 1)
    text = text.replace('name: "Sở Nội vụ tỉnh Hưng Yên"', 'name: "Sở Nội vụ\\f tỉnh\\x03 Hưng Yên"', 1)
    text = text.replace('name: "Sở Nội vụ"', 'name: "Sở\\v Nội vụ\\x04"', 1)
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    lists = (folder / "survey-lists.yaml").read_text(encoding="utf-8")
    (folder / "survey-lists.yaml").write_text(lists.replace('title: "Danh sách', 'title: "Danh\\v sách\\x05', 1))
    return folder / "campaign.yaml"


def _xml_texts(path: Path) -> str:
    """Every XML part of a workbook, parsed strictly (a control character in raw XML fails here), as text."""
    import xml.etree.ElementTree as ET

    parts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                body = archive.read(name)
                ET.fromstring(body)
                parts.append(body.decode("utf-8"))
    return "".join(parts)


@pytest.mark.slow
def test_generate_writes_control_characters_and_long_guidance_safely(tmp_path: Path) -> None:
    """Catalogue and campaign texts with control characters, a 40,000-character guidance: generate and survey
    generate write valid workbooks — line breaks kept, other control characters dropped, text cut to a cell."""
    from openpyxl import load_workbook

    from parcli.config.campaign import load_campaign
    from parcli.config.lists_plan import load_lists_plan
    from parcli.rounds.lists.issue import generate_lists
    from parcli.rounds.scoring.issue import generate_workbooks
    from parcli.xlsx.text import MAX_CELL_TEXT

    bad = load_campaign(_campaign_with_control_characters(tmp_path / "c"))
    assert "\x0b" in bad.catalogue.model.title and "\x04" in bad.department_by_id[DEPT].name
    issued = generate_workbooks(bad, tmp_path / "out", departments=[DEPT]).workbooks[0].path
    lists = generate_lists(load_lists_plan(bad), tmp_path / "lists").lists
    for path in (issued, *(entry.path for entry in lists)):
        xml = _xml_texts(path)
        assert "_x000B_" not in xml and "_x0001_" not in xml and "_x0004_" not in xml, path.name
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        assert cell.data_type == "s" or "Xác" not in cell.value, (path.name, cell.coordinate)
                        assert len(cell.value) <= MAX_CELL_TEXT
                        assert not set(cell.value) & {"\x01", "\x02", "\x03", "\x04", "\x05", "\x0b", "\x0c"}
    cells = [c for ws in load_workbook(issued).worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert any(isinstance(c, str) and c.startswith("Bộ tiêu chí\nxác định") for c in cells)
    assert any(isinstance(c, str) and len(c) == MAX_CELL_TEXT and c.count("dài\n") > 5_000 for c in cells)
    assert read_return(issued, bad).problems is not None  # the issued form reads back without a traceback


@pytest.mark.libreoffice
def test_shared_string_out_of_range_in_a_real_clients_file(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    """openpyxl writes no shared strings: a return saved by LibreOffice has them, and every cell that points
    past the table (a department's typed text included) makes the file a problem — never a silently empty cell."""
    from tests.helpers.programs import roundtrip

    saved = roundtrip(make_return(DEPT, tmp_path / "src"), tmp_path / "lo")
    members = _members(saved.read_bytes())
    assert any(name.endswith("sharedStrings.xml") for name, _ in members)
    clean = read_return(saved, campaign)
    assert clean.errors == 0, [p.message for p in clean.problems]
    index = next(i for i in _sheets(members) if re.search(rb't="s"[^>]*><v>\d+</v>', members[i][1]))
    name, body = members[index]
    cells = list(re.finditer(rb'(t="s"[^>]*><v>)(\d+)(</v>)', body))
    for cell in (cells[0], cells[len(cells) // 2], cells[-1]):
        damaged = body[: cell.start(2)] + b"999999" + body[cell.end(2) :]
        target = tmp_path / f"sst-{cell.start()}.xlsx"
        target.write_bytes(_zip([*members[:index], (name, damaged), *members[index + 1 :]]))
        result = read_return(target, campaign)
        assert result.errors >= 1 and all(p.file == target.name for p in result.problems)
