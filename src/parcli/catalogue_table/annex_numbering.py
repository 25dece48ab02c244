"""The order numbers of an annex's rows: the styles decisions use, and the level each row takes in the tree.

A number (:func:`read_number`) has a *style* and a position:

- Roman: ``I``, ``II.``, ``IV)``, ``V/`` (and lower case ``i.``, ``ii)``);
- dotted Arabic to any depth, with or without a trailing dot: ``1``, ``1.``, ``1.2``, ``1.2.``, ``1.2.3.4``;
- Arabic closed by a parenthesis or a slash: ``1)``, ``(1)``, ``1/``;
- letters: ``a)``, ``đ.``, ``(b)``, ``c/`` and capitals ``A.``, ``B)``.

The level is not fixed by the style: :class:`Outline` reads the rows as a person does, keeping the styles of
the branch open above the current row. A style already open takes its level back (closing the deeper ones);
a dotted number one part longer than an open dotted number is its child; any other style opens a level below
the current row. So ``I. / 1. / 1.1``, ``1. / 1.1. / 1.1.1.``, ``I / 1) / a)`` and ``I. / 1.1. / 1.1.1.`` all
give fields, criteria and component criteria, and ``a)`` is a criterion under a field but a component
criterion under a criterion.  Where a number does not follow the one before it at its level (``1.3`` after
``1.1``, ``c)`` after ``a)``, ``2.1`` under ``1.``) :meth:`Outline.place` says so: a row may be missing.

One letter that is also a Roman numeral (``I``, ``V``, ``X``, ``i``, ``v`` …) is read as whichever continues
an open style (``i)`` after ``h)`` is a letter, ``V`` after ``IV`` a Roman number); otherwise a capital as
the one that starts a list (``I.`` under ``C.`` opens Roman numbering), lower case as the style already open
when written alike (``i)`` after ``g)`` is a letter out of order, ``i.`` after ``a)`` starts Roman numbering);
else Roman for a capital and a letter for lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN, ROMAN_LOWER, DOTTED, CLOSED, LETTER, CAPITAL = "roman", "roman-lower", "dotted", "closed", "letter", "capital"
# Vietnamese legal texts letter their points a, b, c, d, đ, e, g, h, i, k …; others use the Latin alphabet
_VIETNAMESE = "abcdđeghiklmnopqrstuvxy"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_SHAPE = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")

_FIRST = "đứng đầu danh sách các mục"
_MISSING = ": thiếu dòng hoặc đánh số nhầm"
_NO_PARENT = "không khớp với cách đánh số các dòng trên (không rõ thuộc mục nào)"
_DOTTED = re.compile(r"(\d{1,3}(?:\s*\.\s*\d{1,3})*)\s*\.?")
_CLOSED = re.compile(r"\(\s*(\d{1,3})\s*\)|(\d{1,3})\s*[)/]")
_WORD = re.compile(r"\(\s*([^\W\d_]+)\s*\)|([^\W\d_]+)\s*[.)/]?")


@dataclass(frozen=True)
class Number:
    """An order number as written, its style and its position (``(1, 2, 3)`` for ``1.2.3``; ``(4,)`` for ``d)``)."""

    text: str
    style: str
    parts: tuple[int, ...]
    letter: str = ""  # the letter of a lettered number, in lower case

    @property
    def closer(self) -> str:
        """The punctuation around the number: ``)`` for ``a)``, ``()`` for ``(a)``, ``.`` for ``i.``, or blank."""
        return "()" if self.text.startswith("(") else self.text[-1] if self.text[-1] in ".)/" else ""

    @property
    def key(self) -> tuple[str, int]:
        """What must match for two numbers to be at one level: the style, and the depth of a dotted number."""
        return (self.style, len(self.parts) if self.style == DOTTED else 1)


def _roman_value(letters: str) -> int | None:
    letters = letters.casefold()
    if not letters or _ROMAN_SHAPE.fullmatch(letters) is None:
        return None
    total = 0
    for here, after in zip(letters, [*letters[1:], ""], strict=True):
        value = _ROMAN_VALUES[here]
        total += -value if after and _ROMAN_VALUES[after] > value else value
    return total


def _letter_value(letter: str) -> int | None:
    lower = letter.casefold()
    if len(lower) != 1:
        return None
    if lower in _VIETNAMESE:
        return _VIETNAMESE.index(lower) + 1
    return _LATIN.index(lower) + 1 if lower in _LATIN else None


def read_number(text: str) -> list[Number]:
    """The readings of an order number, most likely first (a letter that is also a Roman numeral has two).

    Empty when ``text`` is no number of the styles above (a dash, a word, ``1.a``).
    """
    text = " ".join(text.split())
    if (match := _DOTTED.fullmatch(text)) is not None:
        parts = tuple(int(p) for p in re.split(r"\s*\.\s*", match.group(1)))
        return [Number(text, DOTTED, parts)]
    if (match := _CLOSED.fullmatch(text)) is not None:
        return [Number(text, CLOSED, (int(match.group(1) or match.group(2)),))]
    match = _WORD.fullmatch(text)
    if match is None:
        return []
    word = match.group(1) or match.group(2)
    readings: list[Number] = []
    roman = _roman_value(word)
    if roman is not None:
        readings.append(Number(text, ROMAN if word.isupper() else ROMAN_LOWER, (roman,)))
    letter = _letter_value(word)
    if letter is not None:
        readings.append(Number(text, CAPITAL if word.isupper() else LETTER, (letter,), word.casefold()))
    if len(readings) == 2 and word.islower():
        readings.reverse()  # lower case: a letter unless it continues Roman numbering
    return readings


def _follows(before: Number, after: Number) -> bool:
    """``after`` is the number right after ``before`` at one level (``1.2`` → ``1.3``, ``d)`` → ``đ)`` or ``e)``)."""
    if after.style in (LETTER, CAPITAL):
        a, b = before.letter, after.letter
        return any(a in abc and b in abc and abc.index(b) == abc.index(a) + 1 for abc in (_VIETNAMESE, _LATIN))
    return after.parts[:-1] == before.parts[:-1] and after.parts[-1] == before.parts[-1] + 1


@dataclass(frozen=True)
class Placement:
    """Where a row goes: its level (1 field, 2 criterion, 3 component criterion, deeper if the annex is) or None."""

    level: int | None
    number: Number | None = None
    doubt: str | None = None


@dataclass
class Outline:
    """The branch open above the current row: for each level, the last number written at that level."""

    open: list[Number] = field(default_factory=list)

    def _index(self, key: tuple[str, int]) -> int | None:
        for index, number in enumerate(self.open):
            if number.key == key:
                return index
        return None

    def _choose(self, readings: list[Number]) -> Number:
        """The reading that continues an open style; else, for a capital, one starting a list before one that is
        open; for lower case one open and written alike, then one starting a list (see the module docstring)."""

        def continues(n: Number) -> bool:
            return (i := self._index(n.key)) is not None and _follows(self.open[i], n)

        def is_open(n: Number) -> bool:
            return self._index(n.key) is not None

        def is_open_alike(n: Number) -> bool:
            return (i := self._index(n.key)) is not None and self.open[i].closer == n.closer

        def starts(n: Number) -> bool:
            return n.parts == (1,)

        upper = readings[0].text.isupper()
        for test in (continues, starts, is_open) if upper else (continues, is_open_alike, starts, is_open):
            for reading in readings:
                if test(reading):
                    return reading
        return readings[0]

    def place(self, text: str) -> Placement:
        """The level of the row numbered ``text``, the branch moved to it, and a doubt if the numbering skips."""
        readings = read_number(text)
        if not readings:
            return Placement(None, doubt=f"số thứ tự “{text}” không đọc được" if text.strip() else "không có số thứ tự")
        number = self._choose(readings)
        same = self._index(number.key)
        return self._child(number) if same is None else self._sibling(same, number)

    def _sibling(self, index: int, number: Number) -> Placement:
        """``number`` is the next at the open level ``index``: the deeper levels close."""
        before, above = self.open[index], self.open[index - 1] if index else None
        del self.open[index:]
        self.open.append(number)
        doubt = None
        if number.style == DOTTED and above is not None and above.style == DOTTED and number.parts[:-1] != above.parts:
            doubt = f"số thứ tự “{number.text}” không thuộc mục “{above.text}” ở trên"
        elif not _follows(before, number):
            doubt = f"số thứ tự “{number.text}” không liền sau “{before.text}”{_MISSING}"
        return Placement(index + 1, number, doubt)

    def _child(self, number: Number) -> Placement:
        """``number`` opens a level: below its dotted parent (one part shorter), else below the last open row."""
        if number.style == DOTTED and any(n.style == DOTTED for n in self.open):
            parent = self._index((DOTTED, len(number.parts) - 1))
            if parent is None:
                return Placement(None, number, f"số thứ tự “{number.text}” {_NO_PARENT}")
            del self.open[parent + 1 :]
        above = self.open[-1] if self.open else None
        self.open.append(number)
        doubt = None
        if number.style == DOTTED and above is not None and above.style == DOTTED:
            if number.parts[:-1] != above.parts:
                doubt = f"số thứ tự “{number.text}” không thuộc mục “{above.text}” ở trên"
            elif number.parts[-1] != 1:
                doubt = f"số thứ tự “{number.text}” {_FIRST} thuộc “{above.text}”{_MISSING}"
        elif number.style in (LETTER, CAPITAL) and number.parts != (1,):
            doubt = f"số thứ tự “{number.text}” {_FIRST} (lẽ ra là “a”){_MISSING}"
        return Placement(len(self.open), number, doubt)
