"""Compare two catalogue versions (one year's index against the next) and write the code mapping.

Codes move, points change and criteria come and go between decisions (876 for
2022–2023, 892 for 2024, 1187 for 2025).  :func:`diff_catalogues` matches the
nodes of two catalogues — first by code when the titles still look alike, then
by title similarity (:mod:`difflib`) among nodes of the same level — and
reports each node as added, removed, renamed, re-pointed or moved, with the
points before and after.  :func:`mapping_rows` gives, for every scorable item
of the old catalogue, its new code or ``không còn``; ``report --previous
--mapping`` uses it so a year-over-year comparison compares like with like.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from parcli.config.catalogue import Catalogue
from parcli.errors import CatalogueError, InputNotFoundError
from parcli.numbers import fmt_points

GONE = "không còn"
MAPPING_HEADER = ("ma_cu", "ma_moi")
SAME_CODE_SIMILARITY = 0.5  # same code, titles at least this alike: the same node
MOVED_SIMILARITY = 0.75  # different code: titles at least this alike to be the same node
KIND_LABELS = {
    "added": "thêm mới",
    "removed": "bỏ",
    "renamed": "đổi tên",
    "repointed": "đổi điểm",
    "moved": "đổi mã",
}


@dataclass(frozen=True)
class _Node:
    code: str
    title: str
    points: Decimal
    level: int
    leaf: bool


@dataclass(frozen=True)
class Change:
    """One node that differs between the two catalogues."""

    kinds: tuple[str, ...]  # keys of KIND_LABELS
    old_code: str | None
    new_code: str | None
    old_title: str | None
    new_title: str | None
    old_points: Decimal | None
    new_points: Decimal | None

    @property
    def label(self) -> str:
        """The kinds in Vietnamese, e.g. ``đổi mã, đổi điểm``."""
        return ", ".join(KIND_LABELS[k] for k in self.kinds)


@dataclass(frozen=True)
class CatalogueDiff:
    """The changes from ``old`` to ``new`` and the leaf mapping (old code → new code or None)."""

    old: Catalogue
    new: Catalogue
    changes: list[Change]
    mapping: dict[str, str | None]


def _nodes(cat: Catalogue) -> list[_Node]:
    out: list[_Node] = []
    for f in cat.model.fields:
        out.append(_Node(f.code, f.title, f.max_points, 1, False))
        for c in f.criteria:
            out.append(_Node(c.code, c.title, c.max_points, 2, not c.components))
            out.extend(_Node(k.code, k.title, k.max_points, 3, True) for k in c.components)
    return out


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold().split(), b.casefold().split()).ratio()


def diff_catalogues(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Match the nodes of two catalogues and list what changed (see the module docstring)."""
    old_nodes, new_nodes = _nodes(old), _nodes(new)
    new_by_code = {n.code: n for n in new_nodes}
    pairs: dict[str, _Node] = {}  # old code → new node
    taken: set[str] = set()

    def words(text: str) -> str:
        return " ".join(text.casefold().split())

    # 1. the same title at the same level (codes may have swapped), 2. the same code with a similar title,
    # 3. the most similar title at the same level
    by_title: dict[tuple[int, str], list[_Node]] = {}
    for node in new_nodes:
        by_title.setdefault((node.level, words(node.title)), []).append(node)
    for o in old_nodes:
        same = by_title.get((o.level, words(o.title)), [])
        if len(same) == 1 and same[0].code not in taken:
            pairs[o.code] = same[0]
            taken.add(same[0].code)
    for o in old_nodes:
        if o.code in pairs:
            continue
        n = new_by_code.get(o.code)
        if n is not None and n.code in taken:
            continue
        if n is not None and n.level == o.level and _similarity(o.title, n.title) >= SAME_CODE_SIMILARITY:
            pairs[o.code] = n
            taken.add(n.code)
    for o in old_nodes:
        if o.code in pairs:
            continue
        candidates = [c for c in new_nodes if c.code not in taken and c.level == o.level]
        scored = sorted(((_similarity(o.title, c.title), c) for c in candidates), key=lambda s: -s[0])
        if scored and scored[0][0] >= MOVED_SIMILARITY:
            pairs[o.code] = scored[0][1]
            taken.add(scored[0][1].code)
    changes: list[Change] = []
    for o in old_nodes:
        matched = pairs.get(o.code)
        if matched is None:
            changes.append(Change(("removed",), o.code, None, o.title, None, o.points, None))
            continue
        kinds = tuple(
            k
            for k, differs in (
                ("moved", o.code != matched.code),
                ("renamed", " ".join(o.title.split()) != " ".join(matched.title.split())),
                ("repointed", o.points != matched.points),
            )
            if differs
        )
        if kinds:
            changes.append(Change(kinds, o.code, matched.code, o.title, matched.title, o.points, matched.points))
    changes.extend(
        Change(("added",), None, a.code, None, a.title, None, a.points) for a in new_nodes if a.code not in taken
    )
    mapping: dict[str, str | None] = {}
    new_leaves = {leaf.code for leaf in new.leaves}
    for leaf in old.leaves:
        counterpart = pairs.get(leaf.code)
        mapping[leaf.code] = counterpart.code if counterpart is not None and counterpart.code in new_leaves else None
    return CatalogueDiff(old=old, new=new, changes=changes, mapping=mapping)


def mapping_csv(diff: CatalogueDiff) -> str:
    """The mapping file: ``ma_cu,ma_moi`` per scorable item of the old catalogue (``không còn`` when gone), with a
    BOM so that Excel shows “không còn” with its diacritics."""
    from parcli.csvtable import csv_text

    return csv_text([MAPPING_HEADER, *((old_code, new_code or GONE) for old_code, new_code in diff.mapping.items())])


def read_mapping(path: Path, notes: list[str] | None = None) -> dict[str, str | None]:
    """Read a mapping file (``ma_cu,ma_moi``; ``không còn`` or blank: the item has no counterpart).

    Saved back by Excel it may be ``;``-separated or in the Windows code page (a note is added to ``notes``).
    """
    from parcli.csvtable import read_csv

    path = Path(path)
    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
    table = read_csv(path, comment="\0")
    note = table.note(path.name)
    if note is not None and notes is not None:
        notes.append(note)
    rows = table.rows
    if not rows or tuple(c.strip() for c in rows[0][1][:2]) != MAPPING_HEADER:
        raise CatalogueError(path.name, [f"dòng 1 phải là “{','.join(MAPPING_HEADER)}”"])
    out: dict[str, str | None] = {}
    problems = []
    for number, row in rows[1:]:
        if not row or not any(c.strip() for c in row):
            continue
        old = row[0].strip()
        new = row[1].strip() if len(row) > 1 else ""
        if old in out:
            problems.append(f"dòng {number}: mã cũ {old} ghi hai lần")
        out[old] = None if new.casefold() in ("", GONE) else new
    if problems:
        raise CatalogueError(path.name, problems)
    return out


def _points(value: Decimal | None) -> str:
    return "" if value is None else fmt_points(value)


def diff_markdown(diff: CatalogueDiff) -> str:
    """The changes as a Markdown table (Vietnamese)."""
    old, new = diff.old.model, diff.new.model
    lines = [
        f"# Thay đổi bộ tiêu chí: {old.id} ({old.year}) → {new.id} ({new.year})",
        "",
        f"Tổng điểm: {fmt_points(old.total_points)} → {fmt_points(new.total_points)}. "
        f"Số thay đổi: {len(diff.changes)}.",
        "",
        "| Thay đổi | Mã cũ | Mã mới | Nội dung cũ | Nội dung mới | Điểm cũ | Điểm mới |",
        "|---|---|---|---|---|--:|--:|",
    ]
    for c in diff.changes:
        cells = [c.label, c.old_code or "", c.new_code or "", c.old_title or "", c.new_title or ""]
        cells = [x.replace("|", "\\|") for x in cells]
        lines.append("| " + " | ".join([*cells, _points(c.old_points), _points(c.new_points)]) + " |")
    return "\n".join(lines) + "\n"


def write_diff_xlsx(diff: CatalogueDiff, out: Path) -> None:
    """The changes as a workbook: sheet *Thay đổi* and sheet *Đối chiếu mã* (the mapping)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from parcli.xlsx.write import cell_number, save_openpyxl

    wb = Workbook()
    ws = wb.active
    ws.title = "Thay đổi"
    ws.append(["Thay đổi", "Mã cũ", "Mã mới", "Nội dung cũ", "Nội dung mới", "Điểm cũ", "Điểm mới"])
    for c in diff.changes:
        ws.append(
            [
                c.label,
                c.old_code,
                c.new_code,
                c.old_title,
                c.new_title,
                None if c.old_points is None else cell_number(c.old_points),
                None if c.new_points is None else cell_number(c.new_points),
            ]
        )
    for letter, width in zip("ABCDEFG", (18, 9, 9, 50, 50, 9, 9), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    mapping = wb.create_sheet("Đối chiếu mã")
    mapping.append(["Mã cũ", "Mã mới"])
    for old_code, new_code in diff.mapping.items():
        mapping.append([old_code, new_code or GONE])
    for sheet in (ws, mapping):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    save_openpyxl(wb, out)
