"""The one style palette of every workbook parcli writes, for both writing engines.

Colours are ``RRGGBB`` hex strings (openpyxl takes them as they are; xlsxwriter wants a ``#`` in
front, see :func:`xw_colour`).  The same look is offered twice:

* :data:`XW` — xlsxwriter format property dicts, to be merged with :func:`xw_props` and turned
  into formats with :func:`xw_format` (xlsxwriter formats belong to one workbook);
* :class:`OpenpyxlStyles` — openpyxl style objects, created once per workbook.

Nothing here knows what the workbook is about; openpyxl is imported only when styles are made.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# --- colours ------------------------------------------------------------------------------------
INPUT_FILL = "FFF2CC"  # pale yellow: the cells a person types into
HEADER_FILL = "D9E1F2"  # pale blue: column headers and total rows
GROUP_FILL = "DDEBF7"  # light blue: first-level group rows (bold)
SUBGROUP_FILL = "F2F2F2"  # light grey: second-level group rows, subtotals
ERROR_FILL = "FFC7CE"  # pale red: a cell with an error
WARNING_FILL = "F4B183"  # orange, clearly apart from the input yellow: a cell with a warning
GOOD_FILL = "C6EFCE"  # pale green: a cell that is fine
NO_VALUE_FILL = "EDEDED"  # grey: no value to judge (left out, or not known yet)
# a five-step scale, best first (green → yellow → red), for banding results
BAND_FILLS: tuple[str, ...] = (GOOD_FILL, "E2F0D9", INPUT_FILL, "FCE4D6", ERROR_FILL)
WARNING_TEXT = "C00000"  # dark red text of a warning line
BORDER_COLOUR = "808080"  # grey thin borders around table cells

# --- fonts --------------------------------------------------------------------------------------
FONT_NAME = "Times New Roman"  # the font of Vietnamese administrative documents
FONT_SIZE = 12  # body text
SMALL_FONT_SIZE = 11  # dense tables
HEADING_FONT_SIZE = 13  # a sheet heading in a dense table
TITLE_FONT_SIZE = 14  # the title of a form

# --- number formats -----------------------------------------------------------------------------
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"
# Two decimals, the separator the reader's own: a number format code is locale-neutral ("." means "the decimal
# separator"), so Excel, LibreOffice and WPS show 0,50 / 1,25 / 10,00 where the locale is Vietnamese and
# 0.50 / 1.25 / 10.00 where it is English -- always the separator the same person types with.  A fixed two
# decimals (scores go in quarter points) never leaves a bare separator ("1," as 0.## would) nor shows
# 0.333333 or 1E-05 (as General would), and lines the separators up in a column.  A literal comma cannot be
# forced by a format without turning the number into text.
DECIMAL_FORMAT = "0.00"


def xw_colour(colour: str) -> str:
    """``FFF2CC`` → ``#FFF2CC``, as xlsxwriter wants colours."""
    return "#" + colour


def _frozen(props: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(props))


class _XlsxwriterPalette:
    """The palette as xlsxwriter format properties (read-only dicts to merge with :func:`xw_props`)."""

    # "automatic": no <color> element, as openpyxl writes a font without colour (xlsxwriter would write theme 1)
    font = _frozen({"font_name": FONT_NAME, "font_size": FONT_SIZE, "font_color": "automatic"})
    bold = _frozen({**font, "bold": True})
    italic = _frozen({**font, "italic": True})
    title = _frozen({**font, "font_size": TITLE_FONT_SIZE, "bold": True})
    warning = _frozen({**bold, "font_color": xw_colour(WARNING_TEXT)})
    border = _frozen({"border": 1, "border_color": xw_colour(BORDER_COLOUR)})
    wrap = _frozen({"text_wrap": True, "valign": "top"})
    nowrap = _frozen({"valign": "top"})
    center = _frozen({"align": "center", "valign": "top", "text_wrap": True})
    input = _frozen({"locked": False, "pattern": 1, "bg_color": xw_colour(INPUT_FILL)})  # unlocked, yellow
    header_fill = _frozen({"pattern": 1, "bg_color": xw_colour(HEADER_FILL)})
    group_fill = _frozen({"pattern": 1, "bg_color": xw_colour(GROUP_FILL)})
    subgroup_fill = _frozen({"pattern": 1, "bg_color": xw_colour(SUBGROUP_FILL)})
    error_fill = _frozen({"pattern": 1, "bg_color": xw_colour(ERROR_FILL)})
    warning_fill = _frozen({"pattern": 1, "bg_color": xw_colour(WARNING_FILL)})
    date = _frozen({"num_format": DATE_FORMAT})
    text = _frozen({"num_format": TEXT_FORMAT})
    decimal = _frozen({"num_format": DECIMAL_FORMAT})
    # a signature block under a printed table: its title bold, its note and date line italic, centred
    sign_title = _frozen({**bold, "align": "center", "valign": "top", "text_wrap": True})
    sign_note = _frozen({**italic, "align": "center", "valign": "top", "text_wrap": True})


XW = _XlsxwriterPalette()


def xw_props(*parts: Mapping[str, object]) -> dict[str, object]:
    """Merge format properties, later parts winning (``xw_props(XW.bold, XW.border, XW.header_fill)``)."""
    props: dict[str, object] = {}
    for part in parts:
        props.update(part)
    return props


def xw_format(wb: Any, *parts: Mapping[str, object]) -> Any:
    """An xlsxwriter format of ``wb`` with the merged properties of ``parts``."""
    return wb.add_format(xw_props(*parts))


class OpenpyxlStyles:
    """The palette as openpyxl style objects, created once per workbook (``size`` is the body font size)."""

    def __init__(self, size: int = FONT_SIZE) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color=BORDER_COLOUR)
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT_NAME, size=size)
        self.bold = Font(name=FONT_NAME, size=size, bold=True)
        self.title = Font(name=FONT_NAME, size=TITLE_FONT_SIZE, bold=True)
        self.italic = Font(name=FONT_NAME, size=size, italic=True)
        self.warning = Font(name=FONT_NAME, size=size, bold=True, color=WARNING_TEXT)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.group_fill = PatternFill("solid", fgColor=GROUP_FILL)
        self.subgroup_fill = PatternFill("solid", fgColor=SUBGROUP_FILL)
        self.input_fill = PatternFill("solid", fgColor=INPUT_FILL)
        self.error_fill = PatternFill("solid", fgColor=ERROR_FILL)
        self.warning_fill = PatternFill("solid", fgColor=WARNING_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.nowrap = Alignment(wrap_text=False, vertical="top")
        self.center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.middle = Alignment(horizontal="center", vertical="center", wrap_text=True)  # header cells
        self.unlocked = Protection(locked=False)


def fill(colour: str) -> Any:
    """A solid openpyxl fill of one palette colour."""
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=colour)
