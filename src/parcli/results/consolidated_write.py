"""Writing the consolidated workbook, for both modes, on the table writer of every consolidated output.

The workbook is parcli's output only: it can be deleted and regenerated from
the returns and the appraisal workbooks.  The appraised score and note of each
item come from the appraisals collected by :mod:`parcli.rounds.appraisal.merge`
(passed in as plain values); their columns are locked like the others.

Rows are keyed by (scope, item code): a split campaign has the single province
scope, an each-unit-scores campaign one scope per unit. The two modes differ
only in the columns of the "Tổng hợp" sheet (:data:`PROVINCE_LAYOUT`,
:data:`UNITS_LAYOUT`): the province table carries the level, the owner and
subtotal rows per field and criterion; the units table is one long
(unit × item) table made for filtering.  The sheets are written by
:mod:`parcli.xlsx.table` (xlsxwriter, constant memory), as the respondents and
the remedy tracking workbooks are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign, Scope
from parcli.config.catalogue import Catalogue, Leaf
from parcli.files import stamp_if_exists
from parcli.glossary import time_vn
from parcli.results.consolidated_existing import APPRAISAL_DIGEST, appraisal_digest, check_replaceable
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.merge import EXEMPT_STATUS, STATUS_LABELS, ItemRow, MergeResult
from parcli.xlsx.table import Table, TableWorkbook, table_workbook
from parcli.xlsx.write import cell_number

_NOTE = (
    f"Cột “{layout.HEADER_APPRAISED}” và “{layout.HEADER_APPRAISAL_NOTE}” lấy từ các phiếu thẩm định "
    "(parcli appraise); không nhập vào bảng này."
)

Appraisals = dict[tuple[str, str], tuple[Decimal | None, str]]  # (scope, item code) -> (appraised score, note)


@dataclass(frozen=True)
class ConsolidatedLayout:
    """The columns of the "Tổng hợp" sheet in one mode."""

    headers: tuple[str, ...]
    widths: tuple[float, ...]
    subtotals: bool  # a row per field and criterion above its items
    ruled: bool  # borders on empty cells too (a short table to print; the long units table is for filtering)
    note: str  # the line under the title, after the time stamp


PROVINCE_LAYOUT = ConsolidatedLayout(layout.CONSOLIDATED_HEADERS, layout.CONSOLIDATED_WIDTHS, True, True, ". " + _NOTE)
UNITS_LAYOUT = ConsolidatedLayout(
    layout.UNIT_CONSOLIDATED_HEADERS,
    layout.UNIT_CONSOLIDATED_WIDTHS,
    False,
    False,
    "; mỗi dòng là một mục của một đơn vị. " + _NOTE,
)
DEPARTMENT_WIDTHS = (8, 16, 38, 14, 10, 10, 11, 12, 8, 10, 40, 14, 14, 14, 24)
PROBLEM_WIDTHS = (10, 22, 30, 28, 14, 8, 8, 80)
# the row style of a field's and a criterion's subtotal row (see parcli.xlsx.table.ROW_STYLES)
_ROW_STYLES = {"leaf": "body", "field": "group", "criterion": "subgroup"}


def write_consolidated(
    result: MergeResult, out: Path, *, appraisals: Appraisals | None = None, now: datetime | None = None
) -> int:
    """Write the consolidated workbook atomically; return how many items carry an appraised score or note.

    ``appraisals`` are the collected appraisals by (scope, item code); the
    workbook is an output only, an earlier copy at ``out`` is replaced.  Raises
    :class:`parcli.errors.ConsolidatedError` (and writes nothing) when ``out``
    exists and is not a consolidated workbook of this campaign.
    """
    campaign = result.campaign
    read = stamp_if_exists(out)  # replaced only if still as read: a save made meanwhile is not lost
    appraisals = appraisals or {}
    if read is not None:  # refuses anything but a consolidated workbook of this campaign holding only parcli's values
        check_replaceable(out, campaign, appraisals)
    stamp = (now or clock.now()).replace(microsecond=0)
    with table_workbook(
        out, created=stamp, read=read, author=f"parcli {__version__}", title=campaign.model.title
    ) as book:
        sheet = _ItemSheet(book, campaign, UNITS_LAYOUT if campaign.is_units else PROVINCE_LAYOUT, appraisals, stamp)
        sheet.write(result)
        for name, headers, widths, key_columns, rows in (
            (layout.SHEET_DEPARTMENTS, layout.DEPARTMENT_HEADERS, DEPARTMENT_WIDTHS, 3, _departments(result)),
            (layout.SHEET_PROBLEMS, layout.PROBLEM_HEADERS, PROBLEM_WIDTHS, 0, _problems(result)),
        ):
            table = book.table(name, headers, widths, print_columns=key_columns)
            for values in rows:
                table.row(values)
        written = appraisal_digest(sheet.written)  # what went into the appraisal columns: anything else is typed
        book.metadata(layout.SHEET_META, {**_metadata_values(campaign, stamp), APPRAISAL_DIGEST: written})
    return sheet.carried


class _ItemSheet:
    """The "Tổng hợp" sheet: a title, a header, then the rows of every scope, streamed.

    A commune campaign writes ~100,000 rows: the cells that repeat per item (code,
    title, maximum…) are prepared once per catalogue, each row only adds its own.
    """

    def __init__(
        self, book: TableWorkbook, campaign: Campaign, mode: ConsolidatedLayout, appraisals: Appraisals, stamp: datetime
    ):
        self.campaign, self.mode, self.appraisals = campaign, mode, appraisals
        self.col = {label: i for i, label in enumerate(mode.headers)}
        self.table: Table = book.table(
            layout.SHEET_CONSOLIDATED,
            mode.headers,
            mode.widths,
            title=f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ — {campaign.model.title.upper()}",
            note=f"Tổng hợp {time_vn(stamp)} bằng parcli {__version__}{mode.note}",
            header_row=layout.CONSOLIDATED_HEADER_ROW - 1,
            freeze_columns=self.col[layout.HEADER_MAX],
            print_columns=self.col[layout.HEADER_CODE] + 1,  # the unit (units mode) and the item code
            ruled=mode.ruled,
            protect=True,
        )
        self.outlines: dict[str, list[tuple[str, Any, list[Any], int]]] = {}
        self.carried = 0
        self.written: list[tuple[str, str, Any, Any]] = []  # (scope, code, appraised score, note) as written

    def write(self, result: MergeResult) -> None:
        """Write the rows in catalogue order, scope by scope."""
        table, col = self.table, self.col
        c_score = col[layout.HEADER_SCORE]
        for scope in self.campaign.scopes:
            items = result.rows.get(scope.id, {})
            unit = scope.unit
            scope_cells = (
                []
                if unit is None
                else [
                    (col[label], value)
                    for label, value in (
                        (layout.HEADER_UNIT_ID, unit.id),
                        (layout.HEADER_UNIT, unit.name),
                        (layout.HEADER_GROUP, unit.group),
                    )
                    if label in col
                ]
            )
            for kind, node, base, base_lines in self._outline(scope.catalogue):
                cells = base.copy()
                for c, value in scope_cells:
                    cells[c] = value
                lines = base_lines
                if kind == "leaf":
                    variable = self._fill(cells, scope, node, items[node.code])
                    cells.pop()
                    lines = max(lines, table.lines(variable))
                else:
                    leaves = scope.catalogue.leaves_under(node.code)
                    cells[c_score] = cell_number(sum((items[x.code].score or Decimal(0) for x in leaves), Decimal(0)))
                table.row(cells, _ROW_STYLES[kind], lines=lines)

    def _outline(self, cat: Catalogue) -> list[tuple[str, Any, list[Any], int]]:
        """(kind, node, its constant cells, their wrapped lines) in catalogue order, once per catalogue."""
        if cat.content_hash in self.outlines:
            return self.outlines[cat.content_hash]
        col, width = self.col, len(self.mode.headers)
        out = []
        for kind, node, level in _outline(cat, self.mode.subtotals):
            cells: list[Any] = [None] * width
            given = {
                layout.HEADER_CODE: node.code,
                layout.HEADER_LEVEL: level,
                layout.HEADER_TITLE: node.title,
                layout.HEADER_MAX: cell_number(node.max_points),
            }
            if kind == "leaf":
                given[layout.HEADER_SCORED_BY] = layout.SCORED_BY_LABELS[node.scored_by]
            for label, value in given.items():
                if label in col:
                    cells[col[label]] = value
            out.append((kind, node, cells, self.table.lines(enumerate(cells))))
        self.outlines[cat.content_hash] = out
        return out

    def _fill(self, cells: list[Any], scope: Scope, leaf: Leaf, item: ItemRow) -> list[tuple[int, Any]]:
        """Put one item's own cells into ``cells`` (appending whether it is open for appraisal); return them."""
        col = self.col
        exempt = item.status == EXEMPT_STATUS
        if item.not_applicable and not exempt:
            score: Any = layout.NOT_APPLICABLE
        else:
            score = None if item.score is None else cell_number(item.score)
        own: list[tuple[str, Any]] = [
            (layout.HEADER_SCORE, score),
            (layout.HEADER_EXPLANATION, item.explanation),
            (layout.HEADER_EVIDENCE, item.evidence),
            (layout.HEADER_ITEM_STATUS, item.status),
            (layout.HEADER_FILE, item.file),
        ]
        appraisable = leaf.is_self and not exempt
        if appraisable:
            owner = scope.owner_of[leaf.code]
            own += [(layout.HEADER_DEPARTMENT, owner.name), (layout.HEADER_APPENDIX, owner.appendix)]
            kept = self.appraisals.get((scope.id, leaf.code))
            if kept is not None and (kept[0] is not None or kept[1]):
                self.carried += 1
                score = None if kept[0] is None else cell_number(kept[0])
                own += [(layout.HEADER_APPRAISED, score), (layout.HEADER_APPRAISAL_NOTE, kept[1])]
                self.written.append((scope.id, leaf.code, score, kept[1]))
        variable = [(col[label], value) for label, value in own if label in col]
        for c, value in variable:
            cells[c] = value
        cells.append(appraisable)
        return variable


def _outline(cat: Catalogue, subtotals: bool) -> Iterator[tuple[str, Any, str]]:
    """(kind, node, level label) in catalogue order; with subtotals, each field and criterion with components first."""
    for f in cat.model.fields:
        if subtotals:
            yield "field", f, layout.LEVEL_LABELS[1]
        for c in f.criteria:
            if subtotals and c.components:
                yield "criterion", c, layout.LEVEL_LABELS[2]
            level = layout.LEVEL_LABELS[3] if c.components else layout.LEVEL_LABELS[2]
            for leaf in cat.leaves_under(c.code):
                yield "leaf", leaf, level


def _metadata_values(campaign: Campaign, stamp: datetime) -> dict[str, str]:
    values = {
        layout.META_KIND: layout.KIND_CONSOLIDATED,
        layout.META_LAYOUT: layout.LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: campaign.id,
        layout.META_CAMPAIGN_HASH: campaign.content_hash,
        layout.META_CATALOGUE: campaign.catalogue.id,
        layout.META_CATALOGUE_HASH: campaign.catalogue.content_hash,
        layout.META_GENERATED_AT: stamp.isoformat(),
        "campaign_path": str(campaign.path.resolve()),
        layout.META_MODE: campaign.model.mode,
    }
    if campaign.round_id is not None:  # only a campaign with rounds says which one
        values[layout.META_ROUND] = campaign.round_id
    return values


def _departments(result: MergeResult) -> list[list[Any]]:
    from parcli.results.status import status_rows

    rows = []
    # status_rows words the timing as the status command does; ``today`` only sets days_left, unused here
    for d, status in zip(result.departments, status_rows(result, clock.today()), strict=True):
        dept = d.department
        first = status.first_received if status.first_received != status.received else None
        rows.append(
            [
                dept.appendix or dept.group,
                dept.id,
                dept.name,
                STATUS_LABELS[d.status],
                d.status,
                len(dept.items),
                float(dept.max_points),
                float(d.score),
                d.errors,
                d.warnings,
                ", ".join(d.files),
                date.fromisoformat(d.sent_date) if d.sent_date else None,
                date.fromisoformat(d.received) if d.received else None,
                first,
                status.timing_words,
            ]
        )
    return rows


def _problems(result: MergeResult) -> list[list[Any]]:
    names = {d.id: d.name for d in result.campaign.departments}
    return [
        [
            "Lỗi" if p.is_error else "Cảnh báo",
            p.slug,
            names.get(p.department or "", ""),
            p.file or "",
            p.sheet or "",
            p.cell or "",
            p.item or "",
            p.message,
        ]
        for p in result.problems
    ]
