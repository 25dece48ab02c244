"""The evidence site for the appraisers: static HTML and CSS that opens from ``file://``, no server, no script.

``index.html`` lists the items by field and the departments — in
each-unit-scores mode, the units under their group's heading instead (see
:func:`index_context`); each department or unit has its page with every item,
under its field's heading: self-score, explanation, evidence lines, links to
the files of the pack (relative, percent-encoded, so they open from a folder
or a copied zip), problems and, with the appraisal workbooks, the appraisal
state (round 1, final, note, stale, not yet appraised) with counts and
self-assessed against appraised totals per page, per group and in all.
Rendered through :mod:`parcli.render` from plain dicts (templates
``evidence-index.html.j2``, ``evidence-department.html.j2``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from parcli.results.evidence.book import STATE_LABELS, appraisal_progress

if TYPE_CHECKING:
    from parcli.results.evidence.book import Card, EvidenceBook, Owner

DEPARTMENT_DIR = "co-quan"
UNIT_DIR = "don-vi"
STYLE = "style.css"


def _href(pack: str, relative: str) -> str:
    return "/".join([pack, *(quote(part) for part in relative.split("/"))])


def _card(card: Card, pack: str) -> dict[str, Any]:
    a = card.appraisal
    return {
        "code": card.code,
        "title": card.title,
        "field": card.field_code,
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
        "appraisal": {
            "state": card.appraisal_state,
            "label": STATE_LABELS[card.appraisal_state],
            "round1": a.round1 if a else None,
            "round2": a.round2 if a else None,
            "final": a.final if a else None,
            "note": a.note if a else "",
            "stale": bool(a and a.stale),
        },
    }


def _counts(cards: list[Card]) -> dict[str, int]:
    return {
        "items": len(cards),
        "files": sum(len(c.files) for c in cards),
        "errors": sum(1 for c in cards for p in c.problems if p[0] == "error"),
        "warnings": sum(1 for c in cards for p in c.problems if p[0] != "error"),
    }


def _sections(book: EvidenceBook, owner: Owner, cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards of one page under their field's heading, in catalogue order."""
    fields = book.fields.get(owner.group or "", [])
    sections = []
    for code, title in fields:
        mine = [c for c in cards if c["field"] == code]
        if mine:
            sections.append({"code": code, "title": title, "cards": mine})
    known = {code for code, _ in fields}
    if rest := [c for c in cards if c["field"] not in known]:  # never drop a card, whatever its field
        sections.append({"code": "khac", "title": "Mục khác", "cards": rest})
    return sections


def write_site(book: EvidenceBook, site: Path, pack_from_site: str) -> Path:
    """Write the site into ``site``; ``pack_from_site`` is the pack folder relative to ``site``."""
    from parcli.render import find_template, render, render_each

    pages_dir = UNIT_DIR if book.units else DEPARTMENT_DIR
    (site / pages_dir).mkdir(parents=True, exist_ok=True)
    (site / STYLE).write_bytes(find_template("evidence-style.css").read_bytes())
    from_pages = f"../{pack_from_site}"
    by_owner: dict[str, list[Card]] = {}
    for c in book.cards:
        by_owner.setdefault(c.department, []).append(c)
    entries: dict[str, dict[str, Any]] = {}
    jobs = []
    common = {"title": book.title, "year": book.year, "appraised": book.appraised, "units": book.units}
    groups = dict(book.groups)
    for owner in book.departments:
        own = by_owner.get(owner.id, [])
        cards = [_card(c, from_pages) for c in own]
        entry: dict[str, Any] = {
            "id": owner.id,
            "name": owner.name,
            "status": owner.status,
            "group": groups.get(owner.group or "", ""),
        }
        entry |= _counts(own) | {"page": f"{pages_dir}/{quote(owner.id)}.html"}
        entry["appraisal"] = appraisal_progress(owner.name, own).to_dict()
        entries[owner.id] = entry
        context = common | {"department": entry, "sections": _sections(book, owner, cards)}
        jobs.append((context, site / pages_dir / f"{owner.id}.html"))
    render_each("evidence-department.html.j2", jobs)
    index = site / "index.html"
    render("evidence-index.html.j2", common | index_context(book, entries, by_owner), index)
    return site


def index_context(
    book: EvidenceBook, entries: dict[str, dict[str, Any]], by_owner: dict[str, list[Card]]
) -> dict[str, Any]:
    """What ``index.html`` shows besides the title.

    A province campaign: the items by field (every department's row of an item
    together) and the departments.  An each-unit-scores campaign: the units
    under their group's heading, with the group's totals, and no list by
    field — every unit is appraised as a whole against its own group's
    catalogue, field codes mean different things in different groups, and a
    list of every item of every commune would run to thousands of rows; the
    unit's page is ordered by field instead.
    """
    summary = {
        "total": appraisal_progress("Cộng", book.cards).to_dict(),
        "files": len(book.appraisal_files),
        "errors": book.appraisal_errors,
    }
    out: dict[str, Any] = {"summary": summary, "fields": [], "groups": [], "departments": []}
    if book.units:
        for gid, name in book.groups:
            owners = [o for o in book.departments if (o.group or "") == gid]
            cards = [c for o in owners for c in by_owner.get(o.id, [])]
            out["groups"].append(
                {
                    "id": gid,
                    "name": name,
                    "anchor": f"nhom-{quote(gid)}",
                    "units": [entries[o.id] for o in owners],
                    "appraisal": appraisal_progress(name, cards).to_dict(),
                }
                | _counts(cards)
            )
        return out
    out["departments"] = [entries[o.id] for o in book.departments]
    for code, title in book.fields.get("", []):
        rows = [_field_row(c) for c in book.cards if c.field_code == code]
        out["fields"].append({"code": code, "title": title, "rows": rows})
    return out


def _field_row(c: Card) -> dict[str, Any]:
    a = c.appraisal
    return {
        "code": c.code,
        "title": c.title,
        "department_name": c.department_name,
        "href": f"{DEPARTMENT_DIR}/{quote(c.department)}.html#muc-{quote(c.code)}",
        "score": c.score,
        "not_applicable": c.not_applicable,
        "max": c.max_points,
        "files": len(c.files),
        "errors": sum(1 for p in c.problems if p[0] == "error"),
        "warnings": sum(1 for p in c.problems if p[0] != "error"),
        "state": c.appraisal_state,
        "label": STATE_LABELS[c.appraisal_state],
        "final": a.final if a else None,
    }
