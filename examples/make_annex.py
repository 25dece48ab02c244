"""Write an EXAMPLE annex (.docx) in the shape of a decision's criteria table, from a catalogue.

Used by the demo to show ``parcli catalogue import PHU-LUC.docx`` and ``parcli
catalogue diff``.  The document says on its first line that it is an example,
not an official text.  To give the diff something to find, ``--next-year``
swaps the first two components of the first criterion and renames one
criterion, as a following year's decision might.

    python examples/make_annex.py criteria/par-province-2023.yaml phu-luc-vi-du.docx [--next-year]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from parcli.config.catalogue import ChoiceRule, Component, Criterion, ScaleRule, load_catalogue
from parcli.numbers import fmt_points

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LETTERS = "abcdefghiklmnopqrstuvxy"


def rule_cell(node: Criterion | Component) -> str:
    """The rule as a decision writes it: “Nội dung: 0,5 điểm” lines, or the survey."""
    if node.scored_by == "survey":
        return "Điều tra xã hội học"
    rule = node.rule
    if isinstance(rule, ChoiceRule):
        return "\n".join(f"{o.label}: {fmt_points(o.points)} điểm" for o in rule.options)
    if isinstance(rule, ScaleRule):
        return f"Thang điểm, bước {fmt_points(rule.step)}"
    return ""


def main() -> None:
    """Write the example annex."""
    import docx

    parser = argparse.ArgumentParser()
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--next-year", action="store_true")
    args = parser.parse_args()
    model = load_catalogue(args.catalogue).model
    document = docx.Document()
    document.add_paragraph("VÍ DỤ – bảng do parcli tạo để minh họa, KHÔNG phải văn bản chính thức.")
    document.add_paragraph(f"Phụ lục bộ tiêu chí kèm theo {model.decision}")
    year = model.year + 1 if args.next_year else model.year
    document.add_paragraph(f"Áp dụng đánh giá năm {year}")
    rows: list[tuple[str, str, str, str]] = []
    for f_index, f in enumerate(model.fields):
        rows.append((f"{ROMAN[f_index]}.", f.title, fmt_points(f.max_points), ""))
        for c_index, c in enumerate(f.criteria, start=1):
            title = c.title
            if args.next_year and f_index == 0 and c_index == 2:
                title = f"{title} (sửa đổi)"
            rows.append(
                (f"{c_index}.", title, f"{fmt_points(c.max_points)} điểm", "" if c.components else rule_cell(c))
            )
            components = list(c.components)
            if args.next_year and f_index == 0 and c_index == 1 and len(components) >= 2:
                components[0], components[1] = components[1], components[0]
            for k_index, k in enumerate(components):
                rows.append((f"{LETTERS[k_index]})", k.title, fmt_points(k.max_points), rule_cell(k)))
    table = document.add_table(rows=1 + len(rows), cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("STT", "Nội dung", "Điểm tối đa", "Cách chấm"), strict=True):
        cell.text = text
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(args.out))


if __name__ == "__main__":
    main()
