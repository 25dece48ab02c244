"""The evidence site for the appraisers: static HTML and CSS that opens from ``file://``, no server, no script.

``index.html`` lists the items by field and the departments; each department
has its page with every item: self-score, explanation, evidence lines, links
to the files of the pack (relative, percent-encoded, so they open from a
folder or a copied zip) and problems.  Rendered through :mod:`parcli.render`
from plain dicts (templates ``evidence-index.html.j2``, ``evidence-department.html.j2``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from parcli.results.evidence_pack import Card, EvidenceBook

DEPARTMENT_DIR = "co-quan"
STYLE = "style.css"


def _href(pack: str, relative: str) -> str:
    return "/".join([pack, *(quote(part) for part in relative.split("/"))])


def _card(card: Card, pack: str) -> dict[str, Any]:
    return {
        "code": card.code,
        "title": card.title,
        "department": card.department,
        "department_name": card.department_name,
        "max": card.max_points,
        "score": card.score,
        "not_applicable": card.not_applicable,
        "status": card.status,
        "explanation": card.explanation,
        "lines": card.lines,
        "files": [{"name": f.name, "href": _href(pack, f.relative), "pages": f.pages} for f in card.files],
        "refused": card.refused_files,
        "links": card.links,
        "problems": [{"severity": s, "slug": slug, "message": m} for s, slug, m in card.problems],
    }


def write_site(book: EvidenceBook, site: Path, pack_from_site: str) -> Path:
    """Write the site into ``site``; ``pack_from_site`` is the pack folder relative to ``site``."""
    from parcli.render import find_template, render, render_each

    (site / DEPARTMENT_DIR).mkdir(parents=True, exist_ok=True)
    (site / STYLE).write_bytes(find_template("evidence-style.css").read_bytes())
    from_pages = f"../{pack_from_site}"
    departments = []
    jobs = []
    for dept_id, name, status in book.departments:
        cards = [_card(c, from_pages) for c in book.cards if c.department == dept_id]
        page = f"{DEPARTMENT_DIR}/{quote(dept_id)}.html"
        errors = sum(1 for c in cards for p in c["problems"] if p["severity"] == "error")
        warnings = sum(1 for c in cards for p in c["problems"] if p["severity"] != "error")
        files = sum(len(c["files"]) for c in cards)
        entry = {"id": dept_id, "name": name, "status": status, "page": page, "errors": errors}
        entry |= {"warnings": warnings, "files": files, "items": len(cards)}
        departments.append(entry)
        context = {"title": book.title, "year": book.year, "department": entry, "cards": cards}
        jobs.append((context, site / DEPARTMENT_DIR / f"{dept_id}.html"))
    fields = []
    for code, title in book.fields:
        rows = [
            {
                "code": c.code,
                "title": c.title,
                "department_name": c.department_name,
                "href": f"{DEPARTMENT_DIR}/{quote(c.department)}.html#muc-{quote(c.code)}",
                "score": c.score,
                "max": c.max_points,
                "files": len(c.files),
                "errors": sum(1 for p in c.problems if p[0] == "error"),
                "warnings": sum(1 for p in c.problems if p[0] != "error"),
            }
            for c in book.cards
            if c.field_code == code
        ]
        fields.append({"code": code, "title": title, "rows": rows})
    render_each("evidence-department.html.j2", jobs)
    index = site / "index.html"
    render(
        "evidence-index.html.j2",
        {"title": book.title, "year": book.year, "fields": fields, "departments": departments},
        index,
    )
    return site
