"""Annexes numbered in the styles provinces use import to the same tree; the level comes from the structure.

The existing style (``I.`` / ``1.`` / ``1.1``) is the reference; ``1.`` / ``1.1.`` / ``1.1.1.`` (parcli's own
codes, with trailing dots), the same without dots, ``I`` / ``1)`` / ``a)`` and ``I.`` / ``1.1.`` / ``1.1.1.``
give the same codes, titles, points and rules.  Numbering that skips, a level below component criteria and an
unknown number are doubts named by row, never guessed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parcli.catalogue_table.annex import import_annex, read_annex
from parcli.catalogue_table.annex_numbering import Outline, read_number
from tests.helpers.annexes import STYLES, TREE, Row, numbered, tree_of, write_docx


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The tree read from the annex in the style read before (I. / 1. / 1.1)."""
    folder = tmp_path_factory.mktemp("reference")
    text, problems = import_annex(write_docx(folder / "phu-luc.docx", numbered(TREE, "roman")), folder / "x.xlsx")
    assert problems == [] and text is not None
    return tree_of(text)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_style_gives_the_same_tree(tmp_path: Path, style: str, reference: dict[str, object]) -> None:
    rows = numbered(TREE, style)
    text, problems = import_annex(write_docx(tmp_path / "phu-luc.docx", rows), tmp_path / "xem-lai.xlsx")
    assert [p.message for p in problems] == []
    assert text is not None
    assert tree_of(text) == reference
    # the number as written is kept in the source of each node
    assert f"(số thứ tự “{rows[2][0]}”)" in text


def test_codes_of_the_dotted_style(tmp_path: Path) -> None:
    result = read_annex(write_docx(tmp_path / "a.docx", numbered(TREE, "dotted")))
    assert [(r.level, r.values["code"]) for r in result.rows] == [
        (1, "1"),
        (2, "1.1"),
        (3, "1.1.1"),
        (3, "1.1.2"),
        (2, "1.2"),
        (3, "1.2.1"),
        (3, "1.2.2"),
        (1, "2"),
        (2, "2.1"),
    ]
    assert result.rows[2].values["source"] == "a.docx, dòng 4 (số thứ tự “1.1.1.”)"


@pytest.mark.parametrize(
    ("numbers", "levels"),
    [
        # the style read before, lettered component criteria under a criterion
        (["I.", "1.", "1.1", "2.", "a)", "b)", "II.", "1."], [1, 2, 3, 2, 3, 3, 1, 2]),
        # dotted to any depth, trailing dots or not, mixed in one table
        (["1.", "1.1", "1.1.1.", "1.1.2", "1.2.", "2", "2.1."], [1, 2, 3, 3, 2, 1, 2]),
        # Roman fields without a dot, criteria 1), lettered components, Vietnamese letters (đ after d)
        (["I", "1)", "a)", "b)", "c)", "d)", "đ)", "2)", "II"], [1, 2, 3, 3, 3, 3, 3, 2, 1]),
        # Roman then dotted numbers counted from the field
        (["I.", "1.1.", "1.1.1.", "1.2.", "II.", "2.1.", "2.1.1."], [1, 2, 3, 2, 1, 2, 3]),
        # a letter under a field is a criterion; under a criterion a component criterion
        (["I.", "a)", "b)", "1.", "II.", "1.", "a)"], [1, 2, 2, 3, 1, 2, 3]),
        # parts A. B. above Roman fields: I. under C. opens Roman numbering, D comes back to the parts
        (["A.", "I.", "1.", "B.", "C.", "I.", "D."], [1, 2, 3, 1, 1, 2, 1]),
        # (1), 1/ and 1) are one style; (a) and a/ are letters
        (["I.", "(1)", "(a)", "b/", "2/", "3)"], [1, 2, 3, 3, 2, 2]),
        # lower-case Roman sub-items after letters: ii. is Roman, i. starts the list
        (["1.", "a)", "i.", "ii.", "b)"], [1, 2, 3, 3, 2]),
    ],
)
def test_level_from_the_structure(numbers: list[str], levels: list[int]) -> None:
    outline = Outline()
    placed = [outline.place(n) for n in numbers]
    assert [p.level for p in placed] == levels
    assert [p.doubt for p in placed] == [None] * len(numbers)


@pytest.mark.parametrize(
    ("numbers", "doubt"),
    [
        (["1.", "1.1", "1.3"], "số thứ tự “1.3” không liền sau “1.1”: thiếu dòng"),
        (["1.", "1.2."], "số thứ tự “1.2.” đứng đầu danh sách các mục thuộc “1.”"),
        (["1.", "1.1", "2.1"], "số thứ tự “2.1” không thuộc mục “1.” ở trên"),
        (["I.", "1.", "a)", "c)"], "số thứ tự “c)” không liền sau “a)”"),
        (["I.", "1.", "b)"], "số thứ tự “b)” đứng đầu danh sách các mục (lẽ ra là “a”)"),
        (["1.", "a)", "b)", "i)"], "số thứ tự “i)” không liền sau “b)”"),
        (["I.", "III."], "số thứ tự “III.” không liền sau “I.”"),
        (["1.1", "2."], "số thứ tự “2.” không khớp với cách đánh số các dòng trên"),
        (["I.", "-"], "số thứ tự “-” không đọc được"),
        (["I.", "1.a"], "số thứ tự “1.a” không đọc được"),
        (["I.", ""], "không có số thứ tự"),
    ],
)
def test_numbering_that_skips_is_a_doubt(numbers: list[str], doubt: str) -> None:
    outline = Outline()
    placed = [outline.place(n) for n in numbers]
    assert all(p.doubt is None for p in placed[:-1]), [p.doubt for p in placed]
    assert placed[-1].doubt is not None and placed[-1].doubt.startswith(doubt), placed[-1].doubt


@pytest.mark.parametrize(
    ("text", "style", "parts"),
    [
        ("1.2.3.4.", "dotted", (1, 2, 3, 4)),
        ("1 . 2", "dotted", (1, 2)),
        ("XIV.", "roman", (14,)),
        ("(3)", "closed", (3,)),
        ("đ)", "letter", (5,)),
        ("B.", "capital", (2,)),
    ],
)
def test_read_number(text: str, style: str, parts: tuple[int, ...]) -> None:
    assert (read_number(text)[0].style, read_number(text)[0].parts) == (style, parts)


def _doubts(tmp_path: Path, rows: list[Row]) -> list[str]:
    return [p.message for p in read_annex(write_docx(tmp_path / "a.docx", rows)).problems]


def test_a_row_that_skips_is_named_by_row_and_item(tmp_path: Path) -> None:
    rows = numbered(TREE, "dotted")
    rows[3] = ("1.1.3.", *rows[3][1:])  # 1.1.2. written 1.1.3.
    assert _doubts(tmp_path, rows) == [
        "dòng 5 (mục 1.1.2): số thứ tự “1.1.3.” không liền sau “1.1.1.”: thiếu dòng hoặc đánh số nhầm"
    ]


def test_a_fourth_level_is_a_doubt(tmp_path: Path) -> None:
    rows = numbered(TREE, "dotted")
    rows.insert(3, ("1.1.1.1.", "Một ý của tiêu chí thành phần", "0,25", ""))
    doubts = _doubts(tmp_path, rows)
    assert len(doubts) == 1 and doubts[0].startswith("dòng 5: “1.1.1.1.” là mục cấp thứ tư"), doubts


def test_column_numbers_and_total_rows(tmp_path: Path) -> None:
    rows = [("(1)", "(2)", "(3)", "(4)"), *numbered(TREE, "roman"), ("", "TỔNG CỘNG", "5", "")]
    text, problems = import_annex(write_docx(tmp_path / "a.docx", rows), tmp_path / "x.xlsx")
    assert problems == [] and text is not None
    rows[-1] = ("", "Tổng điểm", "6", "")
    assert _doubts(tmp_path, rows) == ["dòng 12: dòng tổng ghi 6 điểm, các lĩnh vực cộng lại 5"]


def test_decomposed_and_legacy_text(tmp_path: Path) -> None:
    """NFD text (as some editors save it) reads as NFC: the survey item is still found; TCVN3 text is a doubt."""
    import unicodedata

    rows = [(n, unicodedata.normalize("NFD", t), p, unicodedata.normalize("NFD", r)) for n, t, p, r in TREE_ROWS]
    text, problems = import_annex(write_docx(tmp_path / "a.docx", rows), tmp_path / "x.xlsx")
    assert problems == [] and text is not None
    assert "Mức độ hài lòng của người dân" in text and "scored_by: survey" in text
    rows[1] = ("1.", "KÕ ho¹ch c¶i c¸ch hµnh chÝnh", "1,5", "")
    assert _doubts(tmp_path, rows) == [
        "dòng 3 (mục 1.1): nội dung có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI) nên hiển thị sai dấu: chuyển văn bản "
        "sang Unicode (ví dụ bằng Unikey) rồi nhập lại"
    ]


TREE_ROWS = numbered(TREE, "roman")
