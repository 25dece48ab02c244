"""Catalogue import of a decision's annex at scale: CPU time for 1,000 / 2,000 / 5,000 rows.

The annex (built by ``tests/helpers/annexes.py``: fields of 8 criteria of 4 component criteria) is written once per
size and style, then ``import_annex`` (read the table, build the tree, write the review table, check it as
``catalogue import`` does) is timed in CPU seconds, with the share of ``read_annex`` alone. Time should grow
in proportion to the rows: the last column (ms per row) stays flat.

    PYTHONPATH=src:tests python benchmarks/bench_annex.py [--rows 1000 2000 5000] [--style roman] [--pdf]

Not a test: nothing here fails on a slow machine (``tests/test_annex_scale.py`` holds the bound).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE.parent)]  # parcli, and the test helpers (tests.helpers)


def main() -> None:
    """Time the import for each size and print one line per size."""
    from parcli.catalogue_table.annex import import_annex, read_annex
    from tests.helpers.annexes import STYLES, big_tree, numbered, to_pdf, write_docx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 2000, 5000])
    parser.add_argument("--style", choices=sorted(STYLES), default="roman")
    parser.add_argument("--pdf", action="store_true", help="print the annex to PDF with LibreOffice first")
    parser.add_argument("--notes", action="store_true", help="a fifth column merged down over every 5 rows")
    args = parser.parse_args()
    variant = "".join([args.style, ", notes" if args.notes else "", ", PDF" if args.pdf else ""])
    print(f"{'rows':>6} {'read s':>8} {'import s':>9} {'ms/row':>7}  ({variant})")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.rows:
            tree = big_tree(size)
            annex = write_docx(Path(folder) / f"phu-luc-{size}.docx", numbered(tree, args.style), notes=args.notes)
            if args.pdf:
                soffice = shutil.which("soffice")
                assert soffice is not None, "LibreOffice is needed for --pdf"
                annex = to_pdf([annex], soffice)[0]
            start = time.process_time()
            result = read_annex(annex)
            read = time.process_time() - start
            start = time.process_time()
            _text, problems = import_annex(annex, Path(folder) / f"xem-lai-{size}.xlsx")
            whole = time.process_time() - start
            assert len(result.rows) == len(tree), (len(result.rows), len(tree))
            print(f"{len(tree):>6} {read:>8.2f} {whole:>9.2f} {1000 * whole / len(tree):>7.2f}  {len(problems)} doubts")


if __name__ == "__main__":
    main()
