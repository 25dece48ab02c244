"""Reading a worksheet's XML directly, before any spreadsheet reader allocates it; no domain words.

* :func:`sheet_extent` bounds the rows and columns a reader would allocate (declared dimension,
  farthest cell and row, unreferenced cells), quickly for the usual shape;
* :func:`part_formulas` finds formula cells as openpyxl shows them, for the calamine fast path;
* :func:`column_letter` and :func:`column_number` convert column names without importing openpyxl.
"""

from __future__ import annotations

import functools
import re

_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?ref=\"([^\"]*)\"")
_CELL_REF_RE = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,9})"')
_CELL_REF_FAST_RE = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,9})"')
_ROW_REF_FAST_RE = re.compile(rb'<row r="([0-9]{1,9})"')
_ROW_REF_RE = re.compile(rb'<(?:\w+:)?row\s[^>]*?r="([0-9]{1,9})"')
_RANGE_END_RE = re.compile(r"([A-Z]{1,3})?([0-9]{1,9})?$")


_FORMULA_RE = re.compile(rb"<f(\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_FORMULA_START_RE = re.compile(rb"<f[ >/]")
_REF_RE = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')
_ERROR_CELL_RE = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt=["']e["']""")  # a cell holding an error value (#N/A)


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """(rows, columns) a reader may allocate for one worksheet's XML: its declared dimension and its cells.

    Rows and cells written without a reference count one each, so a sheet cannot hide its size.
    """
    rows, columns = _declared(xml)
    # The usual shape — every row and cell carries `r="…"` first, unprefixed — is bounded without
    # collecting the hundreds of thousands of cell references of a long table: the rows' references
    # give a bound, and one search proves that no cell reaches past it or past the declared columns
    # and that every cell has the usual shape.  Three passes over the XML: a long table is 24 MB.
    if _PREFIXED_TAG_RE.search(xml) is None:
        row_refs = _ROW_TAG_RE.findall(xml)  # b"" for a row whose first attribute is not its reference
        if b"" not in row_refs:
            bounded = max(rows, len(row_refs), _largest(row_refs))
            beyond = _beyond_pattern(bounded, columns)
            if beyond is not None and beyond.search(xml) is None:
                return bounded, columns
    return _sheet_extent_general(xml, rows, columns)


def _declared(xml: bytes) -> tuple[int, int]:
    """(rows, columns) of the sheet's declared dimension (0, 0 when it declares none)."""
    rows = columns = 0
    for ref in _DIMENSION_RE.findall(xml[:65536]):
        end = _RANGE_END_RE.search(ref.decode("ascii", "replace").split(":")[-1].upper())
        if end is not None:
            columns = max(columns, column_number(end[1] or ""))
            rows = max(rows, int(end[2] or 0))
    return rows, columns


def _sheet_extent_general(xml: bytes, rows: int, columns: int) -> tuple[int, int]:
    """:func:`sheet_extent` for any shape: every cell and row reference collected, unreferenced ones counted."""
    unusual = re.search(rb"c[\t\n\r]+r=", xml) is not None or b':c r="' in xml
    pattern = _CELL_REF_RE if unusual else _CELL_REF_FAST_RE
    refs = pattern.findall(xml)
    for letters in {letters for letters, _ in refs}:
        columns = max(columns, column_number(letters.decode()))
    if refs:
        digits = [number for _, number in refs]
        longest = max(map(len, digits))
        rows = max(rows, int(max(d for d in digits if len(d) == longest)))
    unreferenced = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>") - len(refs)
    row_count = xml.count(b"<row")
    row_refs = _ROW_REF_FAST_RE.findall(xml)
    if len(row_refs) != row_count:  # an attribute before r, or a namespace prefix: the general pattern
        row_refs = _ROW_REF_RE.findall(xml)
    rows = max(rows, row_count, _largest(row_refs))
    return rows, max(columns, unreferenced)


def _largest(numbers: list[bytes]) -> int:
    """The largest of decimal numbers written without sign (0 for none): the longest, then the greatest."""
    if not numbers:
        return 0
    longest = max(map(len, numbers))
    return int(max(n for n in numbers if len(n) == longest))


# a row tag, its reference captured when it comes first (`<rowBreaks` is not a row); a cell tag whose
# first attribute is not its reference is found with the cells past the bounds (:func:`_beyond_pattern`);
# a namespace-prefixed tag (any `<x:c …>` holds `:c`; text with such a colon only costs the general scan)
_ROW_TAG_RE = re.compile(rb'<row(?:[\t\n\r>/]| (?!r=")| r="([0-9]{1,9})")')
_PREFIXED_TAG_RE = re.compile(rb":(?:c|row)[\s>/]")


def _not_greater(text: str, alphabet: str) -> bytes:
    """A regex matching a same-alphabet token that does not sort after ``text`` (shorter, or as long and not
    greater); the alternatives most tokens take first, so that a token within bounds is told quickly."""
    escaped = re.escape
    first, last = alphabet[0], alphabet[-1]
    options = []
    for index, char in enumerate(text):
        if char != first:
            before = alphabet[alphabet.index(char) - 1]
            rest = len(text) - index - 1
            options.append(f"{escaped(text[:index])}[{first}-{before}][{first}-{last}]{{{rest}}}")
    options.append(escaped(text))
    if len(text) > 1:
        options.append(f"[{first}-{last}]{{1,{len(text) - 1}}}")
    return "|".join(f"(?:{option})" for option in options).encode()


@functools.lru_cache(maxsize=64)  # the workbooks of one reading share a few shapes
def _beyond_pattern(rows: int, columns: int) -> re.Pattern[bytes] | None:
    """A cell tag whose first attribute is not its reference, or a cell reference past ``rows`` or past
    ``columns`` or of another shape than ``[A-Z]{1,3}[0-9]{1,9}`` (lower case, four letters, no digits): the
    general scan counts those; None when no bound is known.

    References are searched as those *not* well-formed and within bounds: a reference within bounds
    (almost every one) is dismissed in a few steps.
    """
    if columns < 1 or rows < 1:
        return None
    letters = _not_greater(column_letter(columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    digits = _not_greater(str(rows), "0123456789")
    return re.compile(rb'<c(?:[\t\n\r>/]| (?!r=")| r="(?!(?:' + letters + rb")(?:" + digits + rb')"))')


def part_formulas(xml: bytes) -> dict[tuple[int, int], str] | None:
    """Formula cells of one worksheet's XML as openpyxl shows them (``=TEXT``), by (row, column).

    None when that cannot be exact (shared or array formulas, an XML shape other than the
    usual unprefixed one, an error value such as ``#N/A``, which calamine reads as an empty
    cell): openpyxl then reads the file.
    """
    import html

    if (b't="e"' in xml or b"t='e'" in xml) and _ERROR_CELL_RE.search(xml) is not None:
        return None
    cells: dict[tuple[int, int], str] = {}
    found = _FORMULA_START_RE.search(xml)  # `<f>`, `<f …>` or `<f/>`, not `<fill…`
    while found is not None:
        position = found.start()
        match = _FORMULA_RE.match(xml, position)
        cell_start = xml.rfind(b"<c ", 0, position)
        ref = _REF_RE.search(xml, cell_start, position) if cell_start != -1 else None
        if match is None or match[2] is None or b' t="' in (match[1] or b"") or ref is None:
            return None  # shared or array formula, or an unusual shape: openpyxl expands these
        text = html.unescape(match[2].decode("utf-8"))
        cells[(int(ref[2]), column_number(ref[1].decode()))] = "=" + text
        found = _FORMULA_START_RE.search(xml, match.end())
    if b":c " in xml[:4096] and b"<c " not in xml:
        return None  # namespace-prefixed cells
    return cells


def column_letter(number: int) -> str:
    """1 → ``A``, 28 → ``AB`` (openpyxl's get_column_letter, without importing openpyxl on the read path)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28 (openpyxl's column_index_from_string, without importing openpyxl)."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number
