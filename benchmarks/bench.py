"""parcli benchmark: generate, fill, merge and report a synthetic campaign of N units, against floors.

Usage: python benchmarks/bench.py [--units 1000] [--dir .bench/N] [--json .bench/bench-N.json]

Each stage runs in its own process so that its peak memory can be measured.
Floors, measured in the same run on the same files:
- generate: xlsxwriter writing the same cells (scoring sheet, metadata) with the same data validations;
- merge: python-calamine reading every cell of every returned workbook, then xlsxwriter (constant memory)
  writing a table of the item rows read.
The merge is measured twice: on the synthetic campaign of N units, and on the 17 returns of the bundled
example campaign (issued by parcli, filled by examples/fill_returns.py).  The evidence stages
(benchmarks/bench_evidence.py: 1,000 evidence files in 17 packages, zip bombs) run after them, or alone
with --evidence-only (results in .bench/bench-evidence.json).
Ratios (parcli ÷ floor) are printed and written to the JSON file to compare runs over time.
This is a measurement, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bench_evidence  # noqa: E402
from bench_evidence import STAGES as EVIDENCE_STAGES  # noqa: E402


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


def stage_generate(folder: Path) -> dict[str, Any]:
    from parcli.config.campaign import load_campaign
    from parcli.rounds.scoring.issue import generate_workbooks

    campaign = load_campaign(folder / "campaign" / "campaign.yaml")
    started = time.perf_counter()
    result = generate_workbooks(campaign, folder / "issued")
    return {"seconds": time.perf_counter() - started, "files": len(result.workbooks)}


def stage_generate_floor(folder: Path) -> dict[str, Any]:
    """xlsxwriter writing the same cells and validations, no styles: the floor for generate."""
    import xlsxwriter

    from parcli.config.campaign import load_campaign
    from parcli.rounds.scoring import layout

    campaign = load_campaign(folder / "campaign" / "campaign.yaml")
    out = folder / "floor-issued"
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for dept in campaign.departments:
        wb = xlsxwriter.Workbook(str(out / f"{dept.file_stem}.xlsx"))
        ws = wb.add_worksheet(layout.SHEET_SCORES)
        meta = wb.add_worksheet(layout.SHEET_META)
        for col, label in enumerate(layout.SCORE_HEADERS):
            ws.write_string(layout.SCORE_HEADER_ROW - 1, col, label)
        row = layout.SCORE_HEADER_ROW
        list_row = layout.META_LISTS_FIRST_ROW - 1
        for leaf in dept.items:
            ws.write_string(row, 0, leaf.code)
            ws.write_string(row, 1, leaf.title)
            ws.write_number(row, 2, float(leaf.max_points))
            ws.write_string(row, 6, leaf.guidance or "")
            allowed = leaf.allowed_points()
            if allowed is not None:
                for c, value in enumerate(allowed, start=1):
                    meta.write_number(list_row, c, float(value))
                ws.data_validation(
                    row, 3, row, 3, {"validate": "list", "source": f"=parcli!$B${list_row + 1}:$D${list_row + 1}"}
                )
                list_row += 1
            else:
                ws.data_validation(
                    row,
                    3,
                    row,
                    3,
                    {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": float(leaf.max_points)},
                )
            row += 1
        for r, key in enumerate(layout.META_KEYS):
            meta.write_string(r, 0, key)
            meta.write_string(r, 1, dept.id)
        wb.close()
    return {"seconds": time.perf_counter() - started, "files": len(campaign.departments)}


def _fill_one(args: tuple[str, str, str]) -> None:
    sys.path.insert(0, str(ROOT))  # the test helpers: tests.helpers.factory
    from parcli.config.campaign import load_campaign
    from tests.helpers.factory import expected_values, fill_workbook

    campaign_path, src, dst = args
    if campaign_path not in _CAMPAIGNS:
        _CAMPAIGNS[campaign_path] = load_campaign(Path(campaign_path))
    campaign = _CAMPAIGNS[campaign_path]
    dept = next(d for d in campaign.departments if d.file_stem == Path(src).stem)
    fill_workbook(Path(src), Path(dst), expected_values(dept))


_CAMPAIGNS: dict[str, Any] = {}


def stage_fill(folder: Path) -> dict[str, Any]:
    """Fill every issued workbook as a department would (openpyxl), on both cores. Not a target."""
    from concurrent.futures import ProcessPoolExecutor

    campaign = str(folder / "campaign" / "campaign.yaml")
    returns = folder / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    jobs = [(campaign, str(p), str(returns / p.name)) for p in sorted((folder / "issued").glob("*.xlsx"))]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        list(pool.map(_fill_one, jobs, chunksize=8))
    return {"seconds": time.perf_counter() - started, "files": len(jobs)}


def _campaign_path(folder: Path) -> Path:
    """The synthetic campaign of a run, or the example campaign named in ``campaign-path.txt``."""
    named = folder / "campaign-path.txt"
    return Path(named.read_text(encoding="utf-8").strip()) if named.exists() else folder / "campaign" / "campaign.yaml"


def stage_example_setup(folder: Path) -> dict[str, Any]:
    """Issue the bundled example campaign's workbooks and fill them as examples/fill_returns.py does."""
    import random

    sys.path.insert(0, str(ROOT / "examples"))
    from fill_returns import fill

    from parcli.config.campaign import default_campaign_path, load_campaign
    from parcli.rounds.scoring.issue import generate_workbooks

    campaign_path = default_campaign_path()
    (folder / "campaign-path.txt").write_text(str(campaign_path), encoding="utf-8")
    campaign = load_campaign(campaign_path)
    result = generate_workbooks(campaign, folder / "issued")
    returns = folder / "returns"
    returns.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2023)
    for workbook in result.workbooks:
        fill(campaign, workbook.path, returns / workbook.path.name, rng)
    return {"seconds": 0.0, "files": len(result.workbooks)}


def stage_merge(folder: Path) -> dict[str, Any]:
    from parcli.config.campaign import load_campaign
    from parcli.results.consolidated_write import write_consolidated
    from parcli.rounds.scoring.merge import merge_returns

    campaign = load_campaign(_campaign_path(folder))
    target = folder / "tong-hop.xlsx"
    if target.exists():
        target.unlink()
    started = time.perf_counter()
    result = merge_returns(campaign, folder / "returns")
    read = time.perf_counter() - started
    write_consolidated(result, target)
    return {
        "seconds": time.perf_counter() - started,
        "read_seconds": read,
        "files": len(result.returns),
        "problems": len(result.problems),
        "ok": result.ok,
    }


def stage_merge_floor(folder: Path) -> dict[str, Any]:
    """The floor for merge, one process: python-calamine reading every cell of every return, then
    xlsxwriter (constant memory) writing one table of the item rows read (file name + the row's cells)."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from parcli.rounds.scoring import layout

    files = sorted((folder / "returns").glob("*.xlsx"))
    target = folder / "floor-tong-hop.xlsx"
    started = time.perf_counter()
    cells = 0
    items: list[tuple[str, list[Any]]] = []
    for path in files:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            cells += sum(len(r) for r in rows)
            if name == layout.SHEET_SCORES:
                items.extend((path.name, r) for r in rows if r and str(r[0]).count(".") == 2)
    out = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False})
    ws = out.add_worksheet(layout.SHEET_CONSOLIDATED)
    for r, (name, row) in enumerate(items, start=1):
        ws.write_string(r, 0, name)
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, c, value)
    out.close()
    return {"seconds": time.perf_counter() - started, "files": len(files), "cells": cells, "rows": len(items)}


def stage_report(folder: Path) -> dict[str, Any]:
    from parcli.config.campaign import load_campaign
    from parcli.results.ranking import build_ranking, render_ranking

    campaign = load_campaign(_campaign_path(folder))
    started = time.perf_counter()
    context = build_ranking(campaign, folder / "tong-hop.xlsx")
    built = time.perf_counter() - started
    render_ranking(context, folder / "xep-hang.html")
    return {"seconds": time.perf_counter() - started, "build_seconds": built}


STAGES = {
    "generate": stage_generate,
    "generate-floor": stage_generate_floor,
    "fill": stage_fill,
    "merge": stage_merge,
    "merge-floor": stage_merge_floor,
    "report": stage_report,
    "example-setup": stage_example_setup,
    **EVIDENCE_STAGES,
}


def run_stage(name: str, folder: Path) -> dict[str, Any]:
    """Run one stage in a fresh process; return its timings and peak memory."""
    out = subprocess.run(
        [sys.executable, str(HERE / "bench.py"), "--stage", name, "--dir", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"stage {name} failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _parcli() -> list[str]:
    """The parcli command of this interpreter's environment."""
    bin_dir = Path(sys.executable).parent
    return [str(bin_dir / "parcli")] if (bin_dir / "parcli").exists() else [sys.executable, "-m", "parcli"]


def startup(command: list[str], runs: int = 7) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Run every stage and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--stage", choices=sorted(STAGES), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--evidence-only", action="store_true", help="only the evidence stages (1,000 files, zip bomb)")
    args = parser.parse_args()
    if args.stage:
        result = STAGES[args.stage](args.dir)
        result["peak_mb"] = round(_peak_mb(), 1)
        print(json.dumps(result))
        return

    from parcli.config.synthetic import write_campaign

    if args.evidence_only:
        folder = args.dir or ROOT / ".bench" / "evidence"
        if folder.exists():
            shutil.rmtree(folder)
        print(f"parcli evidence benchmark: {bench_evidence.EVIDENCE_FILES} evidence files, 17 returns", flush=True)
        results = {"evidence": bench_evidence.run(run_stage, folder, _parcli())}
        target_json = args.json or ROOT / ".bench" / "bench-evidence.json"
        target_json.parent.mkdir(parents=True, exist_ok=True)
        target_json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nResults: {target_json}")
        return

    folder = args.dir or ROOT / ".bench" / str(args.units)
    if folder.exists():
        shutil.rmtree(folder)
    write_campaign(folder / "campaign", args.units, groups=2, exempt_every=10)
    print(
        f"parcli benchmark: {args.units} units, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        flush=True,
    )
    results: dict[str, Any] = {
        "units": args.units,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    for name in ("generate", "generate-floor", "fill", "merge", "merge-floor", "report"):
        results[name] = run_stage(name, folder)
        r = results[name]
        per = f"{1000 * r['seconds'] / max(r.get('files', args.units), 1):7.1f} ms/file" if "files" in r else ""
        print(f"  {name:15s} {r['seconds']:8.2f} s  {per}  peak {r['peak_mb']:7.1f} MB", flush=True)
    example = folder / "example"
    example.mkdir()
    run_stage("example-setup", example)
    for name in ("merge", "merge-floor"):
        r = results[f"example-{name}"] = run_stage(name, example)
        print(f"  {'example-' + name:15s} {r['seconds']:8.2f} s  ({r['files']} returns)  peak {r['peak_mb']:7.1f} MB")
    results["evidence"] = bench_evidence.run(run_stage, folder / "evidence", _parcli())
    parcli = _parcli()
    # whole processes, as an officer runs them: start-up, campaign loading and output included (medians)
    floor = [sys.executable, str(HERE / "bench.py"), "--stage", "merge-floor", "--dir"]
    big_runs = 3 if args.units > 100 else 5
    results["process"] = {
        "example_merge": startup(
            [
                *parcli,
                "merge",
                str(example / "returns"),
                "-c",
                str(_campaign_path(example)),
                "-o",
                str(example / "th-process.xlsx"),
            ]
        ),
        "example_merge_floor": startup([*floor, str(example)]),
        "merge": startup(
            [
                *parcli,
                "merge",
                str(folder / "returns"),
                "-c",
                str(_campaign_path(folder)),
                "-o",
                str(folder / "th-process.xlsx"),
            ],
            runs=big_runs,
        ),
        "merge_floor": startup([*floor, str(folder)], runs=big_runs),
        "report": startup(
            [
                *parcli,
                "report",
                str(folder / "tong-hop.xlsx"),
                "-c",
                str(_campaign_path(folder)),
                "-o",
                str(folder / "xep-hang-process.html"),
            ]
        ),
    }
    proc = results["process"]
    print(
        f"  processes: example merge {proc['example_merge']:.2f} s (floor {proc['example_merge_floor']:.2f} s), "
        f"merge {proc['merge']:.2f} s (floor {proc['merge_floor']:.2f} s), report {proc['report']:.2f} s",
        flush=True,
    )
    typer_start = startup([sys.executable, "-c", "import typer"])
    results["startup"] = {
        "import_typer": typer_start,
        "help": startup([*parcli, "--help"]),
        "version": startup([*parcli, "--version"]),
    }
    ratios = {
        "merge_vs_floor": results["merge"]["seconds"] / results["merge-floor"]["seconds"],
        "merge_read_vs_floor": results["merge"]["read_seconds"] / results["merge-floor"]["seconds"],
        "example_merge_vs_floor": proc["example_merge"] / proc["example_merge_floor"],
        "merge_process_vs_floor": proc["merge"] / proc["merge_floor"],
        "generate_vs_xlsxwriter": results["generate"]["seconds"] / results["generate-floor"]["seconds"],
        "help_vs_import_typer": results["startup"]["help"] / typer_start,
        "version_vs_import_typer": results["startup"]["version"] / typer_start,
    }
    results["ratios"] = ratios
    targets = {
        "merge_vs_floor": 3,
        "example_merge_vs_floor": 3,
        "merge_process_vs_floor": 3,
        "generate_vs_xlsxwriter": 2,
        "help_vs_import_typer": 2,
        "version_vs_import_typer": 2,
    }
    print("\n  ratio                         measured  target")
    for key, target in targets.items():
        mark = "ok" if ratios[key] <= target else "MISSED"
        print(f"  {key:28s} {ratios[key]:8.2f}  ≤ {target}   {mark}")
    report_ok = proc["report"] <= 1
    print(f"  report process (s)           {proc['report']:8.2f}  ≤ 1   {'ok' if report_ok else 'MISSED'}")
    merge_mem_ok = results["merge"]["peak_mb"] <= 300
    print(
        f"  merge peak memory (MB)       {results['merge']['peak_mb']:8.1f}  ≤ 300 {'ok' if merge_mem_ok else 'MISSED'}"
    )
    target_json = args.json or ROOT / ".bench" / f"bench-{args.units}.json"
    target_json.parent.mkdir(parents=True, exist_ok=True)
    target_json.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nResults: {target_json}")


if __name__ == "__main__":
    main()
