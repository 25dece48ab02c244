"""The codes of the rows of the Ministry's table, from its code or order-number column.

A table may carry the codes themselves (``1``, ``1.2``, ``1.2.3``, trailing dots or not), or number its
rows as a decision does (``I. / 1. / a)``).  :func:`codes_of` reads the column as a whole: when every
number is dotted, a number is its code; otherwise the level of each row comes from the numbering
(:class:`parcli.catalogue_table.annex_numbering.Outline`, the reading ``catalogue import`` uses) and
the codes are counted anew, field by field, as the catalogue counts them.  A column of running numbers
(``1, 2, 3 … 88``) names no item: its rows get no code, and the reader matches them by title.
"""

from __future__ import annotations

from parcli.catalogue_table.annex_numbering import DOTTED, Number, Outline, read_number

Coded = tuple[str, str | None, str]  # (the text as written, the code or None, why there is none)


def codes_of(written: list[str]) -> list[Coded]:
    """The code of every row (see the module docstring), in order."""
    readings = [read_number(w) for w in written]
    running = _running(readings)
    if all(r[0].style == DOTTED for r in readings if r) and not running:
        return [
            (w, ".".join(str(p) for p in r[0].parts) if r else None, "" if r else "không đọc được")
            for w, r in zip(written, readings, strict=True)
        ]
    if running:
        return [(w, None, "số thứ tự chạy liên tục, không phải mã tiêu chí") for w in written]
    return _counted(written)


def _running(readings: list[list[Number]]) -> bool:
    """Whether the column is running numbers 1, 2, 3 … (more of them than a catalogue has fields)."""
    numbers = []
    for r in readings:
        if not r or r[0].style != DOTTED or len(r[0].parts) != 1:
            return False
        numbers.append(r[0].parts[0])
    return len(numbers) > 12 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _counted(written: list[str]) -> list[Coded]:
    """Codes counted anew from the level of each row (field, criterion, component criterion)."""
    outline = Outline()
    counts = [0, 0, 0]
    out: list[Coded] = []
    for text in written:
        placement = outline.place(text)
        level = placement.level
        if level is None or level > 3 or (level > 1 and counts[0] == 0) or (level > 2 and counts[1] == 0):
            out.append((text, None, placement.doubt or "không xác định được cấp của dòng"))
            continue
        counts[level - 1] += 1
        for deeper in range(level, 3):
            counts[deeper] = 0
        out.append((text, ".".join(str(n) for n in counts[:level]), ""))
    return out
