"""The criteria catalogue as a spreadsheet table: export, import, YAML writing and the tree for ``show``.

Provinces publish their criteria as tables (annexes in Word or PDF).  A Sở Nội
vụ corrects the provisional catalogue in a table, not in YAML:

* :func:`export_table` writes a catalogue as a workbook with one row per node
  (sheet *Bộ tiêu chí*) and the catalogue's own fields (sheet *Thông tin*);
* :func:`import_table` reads such a table back, checks every cell, builds the
  catalogue YAML and runs it through :func:`parcli.config.catalogue.parse_catalogue`,
  so every load-time check applies; every problem is reported by cell
  (``bang.xlsx › Bộ tiêu chí › C12 (mục 1.2.3): …``), never by YAML path;
* :func:`dump_catalogue_yaml` writes YAML in the style of the bundled file;
* :func:`catalogue_tree` and :func:`level_totals` are what ``parcli catalogue show`` prints.

The level of a row comes from the depth of its code: ``1`` a field,
``1.2`` a criterion, ``1.2.3`` a component criterion.  openpyxl is imported
inside the functions that need it.

Modules: :mod:`~parcli.catalogue_table.layout` (sheets and columns),
:mod:`~parcli.catalogue_table.export` (YAML and the table workbook),
:mod:`~parcli.catalogue_table.cells` (reading one cell, problems by cell),
:mod:`~parcli.catalogue_table.import_` (reading a table back),
:mod:`~parcli.catalogue_table.tree` (the tree and totals of ``show``),
:mod:`~parcli.catalogue_table.annex` (the annex table of a decision, .docx, with its review table).
"""

from __future__ import annotations

from parcli.catalogue_table.cells import CatalogueTableError, TableProblem, parse_rule
from parcli.catalogue_table.export import build_table_workbook, dump_catalogue_yaml, export_table, rule_text
from parcli.catalogue_table.import_ import import_table
from parcli.catalogue_table.layout import COLUMNS, INFO_FIELDS, SHEET_INFO, SHEET_TABLE
from parcli.catalogue_table.tree import LevelTotal, TreeRow, catalogue_tree, level_totals, rule_summary

__all__ = [
    "COLUMNS",
    "INFO_FIELDS",
    "SHEET_INFO",
    "SHEET_TABLE",
    "CatalogueTableError",
    "LevelTotal",
    "TableProblem",
    "TreeRow",
    "build_table_workbook",
    "catalogue_tree",
    "dump_catalogue_yaml",
    "export_table",
    "import_table",
    "level_totals",
    "parse_rule",
    "rule_summary",
    "rule_text",
]
