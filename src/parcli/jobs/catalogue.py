"""``parcli catalogue …``: show the criteria catalogue, export it as a table, import a table or an annex, diff two."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.errors import InputNotFoundError, OutputError, UsageError
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.catalogue_table import LevelTotal, TableProblem, TreeRow
    from parcli.catalogue_table.diff import CatalogueDiff
    from parcli.config.catalogue import Catalogue


def catalogues_of(path: Path | None, campaign: Path | None, listener: Listener = SILENT) -> list[Catalogue]:
    """The catalogue named, or every catalogue of the campaign (one per unit group in each-unit-scores mode;
    the bundled example's by default)."""
    from parcli.config.catalogue import load_catalogue

    if path is not None and campaign is not None:
        raise UsageError("Chỉ ra tệp bộ tiêu chí hoặc --campaign, không dùng cả hai.")
    if path is not None:
        if not path.is_file():
            raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
        return [load_catalogue(path)]
    camp = load.campaign(campaign, None, listener)
    return list(camp.catalogues.values()) or [camp.catalogue]


def catalogue_of(path: Path | None, campaign: Path | None, listener: Listener = SILENT) -> Catalogue:
    """The one catalogue named, or the campaign's; a campaign with one catalogue per unit group names its files."""
    found = catalogues_of(path, campaign, listener)
    if len(found) > 1:
        files = ", ".join(str(c.path) for c in found)
        raise UsageError(
            f"Kế hoạch có {len(found)} bộ tiêu chí (mỗi nhóm đơn vị một bộ): chỉ rõ tệp cần dùng ({files})."
        )
    return found[0]


def refuse_overwrite(out: Path, force: bool, suffixes: tuple[str, ...]) -> None:
    """An output of the wrong type, a folder, or an existing file without ``--force`` is refused."""
    if out.suffix.lower() not in suffixes:
        raise UsageError(f"Tệp ghi ra {out} phải có đuôi {' hoặc '.join(suffixes)}.")
    if out.is_dir():
        raise OutputError(f"{out} là một thư mục; chỉ ra tên tệp.")
    if out.exists() and not force:
        raise OutputError(f"Tệp {out} đã có; dùng --force để ghi đè.")


@dataclass
class Shown(JobResult):
    """A catalogue as a tree with its totals by level."""

    catalogue: Catalogue | None = None
    tree: list[TreeRow] = field(default_factory=list)
    levels: list[LevelTotal] = field(default_factory=list)


def show(path: Path | None, campaign: Path | None, listener: Listener = SILENT) -> list[Shown]:
    """Each catalogue's tree (code, title, points, rule, verified) and its totals by level: the one named, or
    every catalogue of the campaign (one per unit group in each-unit-scores mode)."""
    from parcli.catalogue_table import catalogue_tree, level_totals

    return [
        Shown(catalogue=cat, tree=list(catalogue_tree(cat)), levels=list(level_totals(cat)))
        for cat in catalogues_of(path, campaign, listener)
    ]


@dataclass(frozen=True)
class ExportRequest:
    """``catalogue export``: the catalogue (or the campaign's) and the table to write."""

    out: Path
    catalogue: Path | None = None
    campaign: Path | None = None
    force: bool = False


@dataclass
class Exported(JobResult):
    """The catalogue written as a table."""

    catalogue: Catalogue | None = None


def export(request: ExportRequest, listener: Listener = SILENT) -> Exported:
    """Write the catalogue as an editable table (one row per node, and its own fields)."""
    from parcli.catalogue_table import export_table

    refuse_overwrite(request.out, request.force, (".xlsx",))
    cat = catalogue_of(request.catalogue, request.campaign, listener)
    warnings = load.guard(listener, inputs=[request.catalogue, request.campaign, cat.path], files=[request.out])
    export_table(cat, request.out)
    return Exported(outputs=[request.out], warnings=warnings, catalogue=cat)


@dataclass(frozen=True)
class ImportRequest:
    """``catalogue import``: a corrected table (.xlsx) or a decision's annex (.docx, or .pdf with a text layer)."""

    table: Path
    out: Path
    review: Path | None = None  # an annex's review table (default: <yaml name>-xem-lai.xlsx)
    force: bool = False


@dataclass
class Imported(JobResult):
    """The catalogue written (None when an annex left rows in doubt), its warnings or the annex's doubts."""

    catalogue: Catalogue | None = None
    review: Path | None = None
    doubts: list[TableProblem] = field(default_factory=list)
    table_warnings: list[TableProblem] = field(default_factory=list)


def import_(request: ImportRequest, listener: Listener = SILENT) -> Imported:
    """Read a table or an annex into catalogue YAML; an annex always gets its review table.

    The YAML is written only when every catalogue check passes (a table with errors
    raises, naming every cell) and, for an annex, no row is in doubt (``ok`` False).
    """
    from parcli.catalogue_table import import_table
    from parcli.config.catalogue import parse_catalogue
    from parcli.files import atomic_write_text

    out = request.out
    refuse_overwrite(out, request.force, (".yaml", ".yml"))
    result = Imported()
    if request.table.suffix.casefold() in (".docx", ".pdf"):
        from parcli.catalogue_table.annex import import_annex

        review = request.review or out.with_name(out.stem + "-xem-lai.xlsx")
        refuse_overwrite(review, request.force, (".xlsx",))
        result.warnings = load.guard(listener, inputs=[request.table], files=[out, review])
        text, result.doubts = import_annex(request.table, review)
        result.review = review
        result.outputs.append(review)
        if text is None:
            result.ok = False
            return result
    else:
        result.warnings = load.guard(listener, inputs=[request.table], files=[out])
        text, result.table_warnings = import_table(request.table)
    result.catalogue = parse_catalogue(text, source=str(out))
    atomic_write_text(out, text)
    result.outputs.append(out)
    return result


@dataclass(frozen=True)
class DiffRequest:
    """``catalogue diff``: two catalogue versions, the table of changes and the code mapping to write."""

    old: Path
    new: Path
    out: Path | None = None  # None: the changes are only returned (the command line prints them)
    mapping: Path | None = None
    force: bool = False


@dataclass
class Diffed(JobResult):
    """What changed, as data and as Markdown."""

    diff: CatalogueDiff | None = None
    markdown: str = ""


def diff(request: DiffRequest, listener: Listener = SILENT) -> Diffed:
    """Compare two catalogue versions; write the changes (.xlsx or .md) and the code mapping (.csv) if asked."""
    from parcli.catalogue_table.diff import diff_catalogues, diff_markdown, mapping_csv, write_diff_xlsx
    from parcli.config.catalogue import load_catalogue
    from parcli.files import atomic_write_text

    if request.out is not None:
        refuse_overwrite(request.out, request.force, (".xlsx", ".md"))
    if request.mapping is not None:
        refuse_overwrite(request.mapping, request.force, (".csv",))
    outputs = [p for p in (request.out, request.mapping) if p is not None]
    warnings = load.guard(listener, inputs=[request.old, request.new], files=outputs)
    found = diff_catalogues(load_catalogue(request.old), load_catalogue(request.new))
    markdown = diff_markdown(found)
    if request.out is not None:
        if request.out.suffix.lower() == ".md":
            atomic_write_text(request.out, markdown)
        else:
            write_diff_xlsx(found, request.out)
    if request.mapping is not None:
        atomic_write_text(request.mapping, mapping_csv(found))
    return Diffed(outputs=outputs, warnings=warnings, diff=found, markdown=markdown)
