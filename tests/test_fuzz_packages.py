"""Fuzzing evidence packages: a damaged package is a problem on that package, never the end of a run.

One department returns its form as a ``.zip`` with its evidence (a PDF, a PNG, a DOCX, a PDF with a Vietnamese
name), every other department a plain workbook.  The package's bytes are damaged (``package_mutants``), its
members given odd names (control characters, very long, NFC/NFD or case twins, backslashes, ``..``, absolute
paths, drive letters, empty names, folders only), its evidence files damaged, in a zip and in a folder package.
Each is read without an exception and either refused with a catalogued slug naming the package or read as
the original; beside the other returns, their scores are unchanged; ``check``/``merge`` exit 0 or 1 without a
traceback and ``evidence`` writes nothing outside its output folder.
"""

from __future__ import annotations

import io
import shutil
import stat
import unicodedata
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parcli import clock
from parcli.cli.main import app
from parcli.config.campaign import Campaign
from parcli.problems import SLUGS
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import MergeResult, merge_returns
from parcli.rounds.scoring.read import ReturnResult, read_return
from tests.helpers.evidence import pdf_bytes, png_bytes
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook
from tests.helpers.mutate import EDIT_LIKE, PACKAGE_MUTATIONS, SEED, fuzz_count, judge, package_mutants, stable, summary

DEPT = "van-phong-ubnd"
FORM = "PL02-vp-ubnd.xlsx"
VIETNAMESE = "Biên bản họp.pdf"  # NFC, cited by its NFC name
LONG = "ệ" * 120 + ".pdf"  # 124 letters, 364 bytes: more than a Linux file name holds
PER_KIND = max(1, -(-fuzz_count(21) // len(PACKAGE_MUTATIONS)))
FIGURES: Counter[str] = Counter()
runner = CliRunner()
Members = list[tuple[str, bytes]]


def docx_bytes() -> bytes:
    """A minimal DOCX (the evidence check sniffs the container, it does not parse the document)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


EVIDENCE: dict[str, bytes] = {
    "QD-123.pdf": pdf_bytes("q", 2),
    "anh/hoi-nghi.png": png_bytes(),
    "bien-ban.docx": docx_bytes(),
    VIETNAMESE: pdf_bytes("bb"),
}
CELLS = [
    "Quyết định số 123/QĐ-UBND ngày 05/01/2023\nQD-123.pdf",
    "hoi-nghi.png",
    "bien-ban.docx",
    VIETNAMESE,
]


def package_zip(members: Members) -> bytes:
    """A zip of ``members`` under any name (control characters, empty, duplicates): written as given."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        for name, body in members:
            info = zipfile.ZipInfo(name, date_time=(2023, 1, 5, 0, 0, 0))
            if name.endswith("/"):
                info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
            archive.writestr(info, body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def snapshot(result: ReturnResult) -> tuple[Any, ...]:
    """What was read of one return: usable, owner, each item's score and whether it counts."""
    return (result.usable, result.owner_id, {c: (e.score, e.accepted) for c, e in result.items.items()})


def others(merged: MergeResult) -> list[Any]:
    """Every other department's status and score."""
    return [(d.owner.id, d.status, d.score, d.used) for d in merged.departments if d.owner.id != DEPT]


@dataclass
class Returns:
    """The returns folder, the department's package in it, its form and what reading them gives."""

    campaign: Campaign
    folder: Path
    form: bytes
    victim: Path
    original: bytes
    read: tuple[Any, ...]
    baseline: list[Any]
    long_form: bytes = b""  # the same form, its first evidence cell citing ``LONG``

    def members(self, replace: dict[str, tuple[str, bytes]] | None = None, extra: Members | None = None) -> Members:
        """The package's members, some renamed or replaced (name -> (new name, bytes)), plus ``extra``."""
        replace = replace or {}
        out = [(FORM, self.form)]
        out += [replace.get(name, (name, body)) for name, body in EVIDENCE.items()]
        return out + (extra or [])


@pytest.fixture(scope="module")
def returns(campaign: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Returns]:
    root = tmp_path_factory.mktemp("fuzz-packages")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(clock.ENV_VAR, str(int(FIXED_NOW.timestamp())))
        folder = root / "gui-ve"
        form = b""
        for w in generate_workbooks(campaign, root / "issued", now=FIXED_NOW).workbooks:
            values = expected_values(w.department)
            if w.department.id != DEPT:
                fill_workbook(w.path, folder / w.path.name, values)
                continue
            for leaf, cell in zip(w.department.items, CELLS, strict=False):
                values[leaf.code]["evidence"] = cell
            fill_workbook(w.path, root / FORM, values)
            form = stable((root / FORM).read_bytes())  # the same bytes in every run
            values[w.department.items[0].code]["evidence"] = LONG
            fill_workbook(w.path, root / "dai.xlsx", values)
        victim = folder / "PL02 vp ubnd.zip"
        holder = Returns(campaign, folder, form, victim, b"", (), [])
        holder.original = package_zip(holder.members())
        holder.long_form = stable((root / "dai.xlsx").read_bytes())
        victim.write_bytes(holder.original)
        first = read_return(victim, campaign)
        assert not [p for p in first.problems if p.is_error], first.problems
        assert all(f.pages or f.slug == "" for f in first.evidence_files.values())
        holder.read = snapshot(first)
        merged = merge_returns(campaign, folder)
        holder.baseline = others(merged)
        yield holder
    print(summary("evidence packages", FIGURES))


def taken(returns: Returns, target: Path, kind: str) -> str:
    """Read one package alone: no exception, every problem catalogued and on it; refused or read as the original."""
    result = read_return(target, returns.campaign)
    for problem in result.problems:
        assert problem.slug in SLUGS and "Traceback" not in problem.message, (kind, problem)
    outcome = judge(kind, result.problems, target.name, snapshot(result), returns.read)
    if outcome == "error" and kind not in EDIT_LIKE:  # a flipped byte in the form may type a wrong score
        slugs = {p.slug for p in result.problems if p.is_error}
        assert any(s.startswith(("package-", "evidence-", "unreadable-")) for s in slugs), (kind, slugs)
    FIGURES[f"{kind}:{outcome}"] += 1
    return outcome


def beside_others(returns: Returns, put: Path, data: bytes | None = None) -> None:
    """The damaged package in the folder beside the other returns: merged, the others' scores unchanged."""
    saved = returns.victim.read_bytes()
    returns.victim.unlink()
    if data is not None:
        put.write_bytes(data)
    try:
        assert others(merge_returns(returns.campaign, returns.folder)) == returns.baseline
    finally:
        if put.is_dir():
            shutil.rmtree(put)
        else:
            put.unlink(missing_ok=True)
        returns.victim.write_bytes(saved)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(PACKAGE_MUTATIONS))
def test_package_byte_mutants(kind: str, returns: Returns, tmp_path: Path) -> None:
    """Flipped, truncated, headers and central directory damaged, members lost or stored twice."""
    for index, data in enumerate(package_mutants(returns.original, kind, PER_KIND, SEED)):
        target = tmp_path / returns.victim.name
        target.write_bytes(data)
        taken(returns, target, kind)
        if index == 0:
            beside_others(returns, returns.folder / "hong.zip", data)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


ODD_NAMES: dict[str, tuple[dict[str, tuple[str, bytes]], Members]] = {
    "control-characters": ({}, [("ghi\x01chu\x1f.pdf", pdf_bytes("c")), ("a\nb.pdf", b"%PDF-"), ("t\x7f\t.png", b"")]),
    "long-name": ({}, [("d" * 300 + ".pdf", pdf_bytes("d")), ("x/" * 150 + "y.pdf", pdf_bytes("y"))]),
    "nfd-cited": ({VIETNAMESE: (nfd(VIETNAMESE), EVIDENCE[VIETNAMESE])}, []),
    "nfc-nfd-twins": ({}, [(nfd(VIETNAMESE), b"%PDF-1.4 hong")]),
    "case-twins": ({}, [("qd-123.PDF", b"%PDF-1.4 hong"), ("Anh/Hoi-Nghi.png", b"")]),
    "backslashes": ({}, [("tl\\QD-9.pdf", pdf_bytes("9")), ("tl\\..\\..\\x.pdf", b"%PDF-")]),
    "dot-dot": ({}, [("../x.pdf", b"%PDF-"), ("a/../../y.pdf", b"%PDF-"), ("a/../b.pdf", b"%PDF-")]),
    "absolute": ({}, [("/etc/x.pdf", b"%PDF-"), ("\\\\may-chu\\x.pdf", b"%PDF-"), ("//x.pdf", b"%PDF-")]),
    "drive-letters": ({}, [("C:/x.pdf", b"%PDF-"), ("C:x.pdf", b"%PDF-"), ("c:\\x.pdf", b"%PDF-")]),
    "empty-names": ({}, [("", b"%PDF-"), ("/", b""), ("./", b""), (".", b"x"), ("./z.pdf", pdf_bytes("z"))]),
    "directories": ({}, [("tl/", b""), ("tl/con/", b""), ("anh/", b"")]),
    "duplicate-cited": ({}, [("QD-123.pdf", b"%PDF-1.4 hong")]),
    "duplicate-cited-good-last": (
        {"QD-123.pdf": ("QD-123.pdf", b"%PDF-1.4 hong")},
        [("QD-123.pdf", EVIDENCE["QD-123.pdf"])],
    ),
    "nfc-nfd-twins-good-last": (
        {VIETNAMESE: (nfd(VIETNAMESE), b"%PDF-1.4 hong")},
        [(VIETNAMESE, EVIDENCE[VIETNAMESE])],
    ),
}
ODD_FORMS: dict[str, Members] = {
    "form-control-characters": [("PL02\x01\n.xlsx", b"")],
    "form-long-name": [("p" * 300 + ".xlsx", b"")],
    "form-nfd": [(nfd("Phiếu chấm điểm.xlsx"), b"")],
    "form-in-backslash-folder": [("goi\\" + FORM, b"")],
    "directories-only": [("tl/", b""), ("anh/", b"")],
    "empty": [],
}


@pytest.mark.parametrize("case", sorted(ODD_NAMES))
def test_odd_member_names(case: str, returns: Returns, tmp_path: Path) -> None:
    """Odd names beside the form and its evidence: refused by slug or read as the original."""
    replace, extra = ODD_NAMES[case]
    data = package_zip(returns.members(replace, extra))
    target = tmp_path / returns.victim.name
    target.write_bytes(data)
    outcome = taken(returns, target, f"name-{case}")
    if case == "nfd-cited":
        assert outcome == "read"
    if case.startswith(("dot-dot", "absolute", "drive-letters", "duplicate-cited", "nfc-nfd-twins")):
        assert outcome == "error"
    beside_others(returns, returns.folder / "la.zip", data)


@pytest.mark.parametrize("case", sorted(ODD_FORMS))
def test_odd_form_names(case: str, returns: Returns, tmp_path: Path) -> None:
    """The form itself under an odd name, or no form at all: read as the original or refused by slug."""
    members = [
        (name, body or returns.form) if name.endswith(".xlsx") else (name, body) for name, body in ODD_FORMS[case]
    ]
    members += list(EVIDENCE.items()) if case.startswith("form-") else []
    target = tmp_path / returns.victim.name
    target.write_bytes(package_zip(members))
    taken(returns, target, f"form-name-{case}")


def _truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


DAMAGED: dict[str, tuple[str, bytes]] = {
    "pdf-truncated": ("QD-123.pdf", _truncated(EVIDENCE["QD-123.pdf"])),
    "pdf-garbage": ("QD-123.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20),
    "pdf-encrypted": ("QD-123.pdf", pdf_bytes("m", password="x")),
    "pdf-empty": ("QD-123.pdf", b""),
    "png-is-jpeg": ("anh/hoi-nghi.png", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)),
    "png-truncated": ("anh/hoi-nghi.png", EVIDENCE["anh/hoi-nghi.png"][:40]),
    "png-is-pdf": ("anh/hoi-nghi.png", EVIDENCE["QD-123.pdf"]),
    "docx-damaged-zip": ("bien-ban.docx", _truncated(EVIDENCE["bien-ban.docx"])),
    "docx-not-office": ("bien-ban.docx", package_zip([("a.txt", b"x")])),
    "docx-empty": ("bien-ban.docx", b""),
}


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_damaged_evidence(case: str, as_zip: bool, returns: Returns, tmp_path: Path) -> None:
    """A damaged cited file is an evidence error on the item citing it, in a zip and in a folder package."""
    name, body = DAMAGED[case]
    members = returns.members({name: (name, body)})
    target = tmp_path / ("PL02 vp ubnd.zip" if as_zip else "PL02 vp ubnd")
    write_package(target, members, as_zip)
    result = read_return(target, returns.campaign)
    assert taken(returns, target, f"damaged-{case}") == "error"
    index = list(EVIDENCE).index(name)
    code = list(result.items)[index]
    slugs = {p.slug for p in result.problems if p.item == code and p.is_error}
    assert slugs == {"evidence-unreadable"}, (case, result.problems)
    assert not result.items[code].accepted


def write_package(target: Path, members: Members, as_zip: bool) -> None:
    if as_zip:
        target.write_bytes(package_zip(members))
        return
    for name, body in members:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(body)


FOLDER_NAMES = {
    "newline": "PL02\nvp ubnd",
    "long": "g" * 250,
    "nfd": nfd("Văn phòng UBND"),
    "odd-members": "PL02 thanh phan",
}


@pytest.mark.parametrize("case", sorted(FOLDER_NAMES))
def test_odd_folder_packages(case: str, returns: Returns, tmp_path: Path) -> None:
    """A folder package under a name Linux allows (newline, 250 bytes, NFD), or holding such file names."""
    extra: Members = []
    if case == "odd-members":
        extra = [("a\nb.pdf", pdf_bytes("n")), ("e" * 240 + ".pdf", pdf_bytes("e")), (nfd("Tờ trình.pdf"), b"%PDF-")]
    replace = {VIETNAMESE: (nfd(VIETNAMESE), EVIDENCE[VIETNAMESE])} if case == "nfd" else {}
    target = tmp_path / FOLDER_NAMES[case]
    write_package(target, returns.members(replace, extra), as_zip=False)
    assert taken(returns, target, f"folder-{case}") == "read"
    put = returns.folder / FOLDER_NAMES[case]
    shutil.copytree(target, put)
    beside_others(returns, put)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_commands_on_a_folder_of_bad_packages(returns: Returns, tmp_path: Path) -> None:
    """check and merge exit 0 or 1 without a traceback; evidence writes only inside its output folder."""
    folder = tmp_path / "gui-ve"
    shutil.copytree(returns.folder, folder)
    (folder / returns.victim.name).unlink()
    for kind in sorted(PACKAGE_MUTATIONS):
        (folder / f"{kind}.zip").write_bytes(package_mutants(returns.original, kind, 1, SEED + 1)[0])
    for case, (replace, extra) in sorted(ODD_NAMES.items()):
        (folder / f"ten-{case}.zip").write_bytes(package_zip(returns.members(replace, extra)))
    for case, (name, body) in sorted(DAMAGED.items()):
        write_package(folder / f"thu-muc-{case}", returns.members({name: (name, body)}), as_zip=False)
    write_package(folder / "PL02\nxuong dong", returns.members(), as_zip=False)
    before = _files(tmp_path)
    out = tmp_path / "ra"
    for args in (["check", str(folder)], ["merge", str(folder), "-o", str(out / "tong-hop.xlsx")]):
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output, result.output
    pack = out / "ho-so"
    result = runner.invoke(app, ["evidence", str(folder), "-o", str(pack), "--zip"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    after = {f for f in _files(tmp_path) if not f.startswith("ra/") and f != "ra"}
    assert after == before
    for written in pack.rglob("*"):
        assert written.resolve().is_relative_to(pack.resolve()), written


def test_evidence_cited_under_a_name_longer_than_a_file_name(returns: Returns, tmp_path: Path) -> None:
    """A zip member cited under a 364-byte name is packed under a shorter one: exit 0, nothing outside."""
    folder = tmp_path / "gui-ve"
    shutil.copytree(returns.folder, folder)
    members = [(FORM, returns.long_form), (LONG, EVIDENCE["QD-123.pdf"])]
    members += [(name, body) for name, body in EVIDENCE.items() if name != "QD-123.pdf"]
    (folder / returns.victim.name).write_bytes(package_zip(members))
    pack = tmp_path / "ho-so"
    result = runner.invoke(app, ["evidence", str(folder), "-o", str(pack)])
    assert result.exit_code == 0, result.output
    stored = [p for p in (pack / "goi-tai-lieu").rglob("*") if p.is_file() and "ệệ" in p.name]
    assert len(stored) == 1 and len(stored[0].name.encode()) <= 255, stored
