"""Rendered documents read back for tests: the visible text and the tables of Markdown, HTML and Word files.

Used to check a report's figures in every format without comparing bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


def squash(text: str) -> str:
    """Whitespace runs (newlines included) as single spaces."""
    return " ".join(text.split())


@dataclass
class Doc:
    """A rendered report read back: its visible text and its tables (rows of cell texts)."""

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)

    def table(self, *header: str) -> list[list[str]]:
        """The body rows of the (only) table whose header starts with ``header``."""
        found = [t for t in self.tables if t and tuple(t[0][: len(header)]) == header]
        assert len(found) == 1, f"{len(found)} tables with header {header}"
        return found[0][1:]

    def row(self, rows: list[list[str]], key: str, col: int = 0) -> list[str]:
        """The one row whose cell ``col`` is ``key`` or starts with ``key + '. '``."""
        hits = [r for r in rows if r[col] == key or r[col].startswith(key + ". ")]
        assert len(hits) == 1, f"{len(hits)} rows for {key!r}"
        return hits[0]


_MD_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def md_cells(line: str) -> list[str]:
    """Cells of a Markdown table row (split on unescaped pipes only)."""
    return _MD_CELL_SPLIT.split(line.strip())[1:-1]


def md_plain(text: str) -> str:
    """Markdown without bold markers and backslash escapes."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*\*", "", text))


def read_md(text: str) -> Doc:
    """A Markdown document: text without markup, and its pipe tables (separator rows left out)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [squash(md_plain(c)) for c in md_cells(line)]
            if current is None:
                current = []
                tables.append(current)
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        else:
            current = None
    return Doc(text=squash(md_plain(text)), tables=tables)


class _Html(HTMLParser):
    """Collects the visible text and the table cells of an HTML page (style and script left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(squash("".join(self.cell)))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def read_html(text: str) -> Doc:
    """An HTML document: its visible text and its tables."""
    parser = _Html()
    parser.feed(text)
    parser.close()
    return Doc(text=squash(" ".join(parser.text)), tables=parser.tables)


def read_docx(path: Path) -> Doc:
    """A Word document: its paragraphs and table cells as text, and its tables."""
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    tables = []
    for t in document.tables:
        rows = []
        for r in t.rows:
            cells = [squash(c.text) for c in r.cells]
            parts.extend(cells)
            rows.append(cells)
        tables.append(rows)
    return Doc(text=squash("\n".join(parts)), tables=tables)
