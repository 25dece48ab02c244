"""Letters (công văn) the organiser signs: one Word layout after Nghị định 30/2020, a text copy for e-mail.

Every letter parcli writes (reminders now; appraisal notices and remedy
requests next) is a *body* — a plain-text Jinja template rendered with the
letter's data, paragraphs separated by blank lines, lines starting with "- "
as list paragraphs — put into the one Word layout ``letter.docx`` with the
campaign's letterhead, number symbol, date line, recipients and signer
(Nghị định 30/2020/NĐ-CP, Phụ lục I: công văn), and into ``letter.txt.j2``,
the same letter as plain text for pasting into an e-mail.  Both go through
:mod:`parcli.render`, so an office's ``--templates`` folder overrides either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.render import render_each, render_string

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign

LETTER_DOCX = "letter.docx"
LETTER_TEXT = "letter.txt.j2"
CLOSING = "./."  # the end of a document's body (Nghị định 30/2020/NĐ-CP, Phụ lục I)


@dataclass(frozen=True)
class Letter:
    """One công văn: to whom, about what (trích yếu, without "V/v"), its body and who else receives it."""

    recipient: str
    subject: str
    body: tuple[str, ...]
    copies: tuple[str, ...] = ("Như trên",)


def paragraphs(text: str) -> tuple[str, ...]:
    """The paragraphs of a rendered body text, the last one closed with "./.".

    Blank lines separate paragraphs; inside one, lines are joined with a
    space, except that a line starting with "- " or "+ " opens a paragraph of
    its own (a list entry).
    """
    found: list[str] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        current: list[str] = []
        for raw in block.splitlines():
            line = " ".join(raw.split())
            if not line:
                continue
            if line.startswith(("- ", "+ ")) and current:
                found.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            found.append(" ".join(current))
    if found and not found[-1].endswith(CLOSING):
        found[-1] = found[-1].rstrip(" .;:") + CLOSING
    return tuple(found)


def body_of(template: str, context: Mapping[str, Any], template_dir: Path | None = None) -> tuple[str, ...]:
    """Render a body template (plain text) and split it into paragraphs."""
    return paragraphs(render_string(template, context, template_dir))


def letter_context(campaign: Campaign, letter: Letter, day: date | None = None) -> dict[str, Any]:
    """Plain data for the letter templates: letterhead, signer, recipient, subject, body, copies.

    ``day`` is the letter's date; without it the campaign's ``documents.letter_date``,
    and without that the date line is left for the office to fill in on signing.
    """
    return {
        "letterhead": campaign.letterhead(day or campaign.documents.letter_date),
        "recipient": letter.recipient,
        "subject": letter.subject,
        "body": list(letter.body),
        "copies": list(letter.copies),
    }


def write_letters(
    campaign: Campaign,
    jobs: Sequence[tuple[Letter, Path]],
    *,
    template_dir: Path | None = None,
    text_copies: bool = True,
) -> list[Path]:
    """Write each letter as a Word document at its path (and, with ``text_copies``, a ``.txt`` beside it).

    Returns the Word documents written.
    """
    contexts = [(letter_context(campaign, letter), out) for letter, out in jobs]
    written = render_each(LETTER_DOCX, contexts, template_dir)
    if text_copies:
        render_each(LETTER_TEXT, [(context, out.with_suffix(".txt")) for context, out in contexts], template_dir)
    return written
