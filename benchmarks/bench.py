"""parcli benchmark: generate, fill, merge and report a synthetic campaign of N units, against floors.

Usage: python benchmarks/bench.py [--units 300] [--dir .bench/N] [--json .bench/bench-N.json]
       [--no-evidence] [--evidence-only] [--processes-only]

The targets are measured as an officer runs the commands, as whole processes (start-up, campaign loading
and output included), each with fresh outputs, after one run that is not counted; medians of wall and CPU
seconds (user + system of the process and of the children it waits for: the reading workers of a merge
count when they are forked, not when a forkserver starts them, as it does under the progress bar):
- ``parcli merge`` of the 17 returns of the bundled example campaign and of the N synthetic returns, each
  side by side with its floor (``floor_merge.py``: python-calamine reading every cell of the returns, then
  xlsxwriter, constant memory, writing the item rows read; one process, no parcli import), in turn
  (A B A B …): a ratio is the median of the pairwise ratios, so that both share the load of the moment;
- ``parcli report`` of the N units as the HTML ranking;
- ``parcli --help`` and ``--version`` beside ``python -c "import typer"``.
parcli's modules are compiled to bytecode first, as an installation does.  The load average is recorded:
on a busy machine wall times stretch, CPU times much less.

Each stage also runs in its own process, for its peak memory: generate against xlsxwriter writing the same
cells and validations; merge (read, then write) against the floor above.  The evidence stages
(benchmarks/bench_evidence.py: 1,000 evidence files in 17 packages, zip bombs) run after them, or alone
with --evidence-only (results in .bench/bench-evidence.json).  --processes-only measures the targets again
over the files of a finished run.  Results go to .bench/bench-N.json.
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
from collections.abc import Callable
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
    """The floor for merge (:mod:`floor_merge`), in this process: its seconds and peak memory."""
    from floor_merge import floor_merge

    from parcli.rounds.scoring import layout

    started = time.perf_counter()
    target = folder / "floor-tong-hop.xlsx"
    done = floor_merge(folder / "returns", target, layout.SHEET_SCORES, layout.SHEET_CONSOLIDATED)
    return {"seconds": time.perf_counter() - started, **done}


def stage_report(folder: Path) -> dict[str, Any]:
    from parcli.config.campaign import load_campaign
    from parcli.results.consolidated import consolidated_for
    from parcli.results.ranking import build_ranking, render_ranking

    campaign = load_campaign(_campaign_path(folder))
    started = time.perf_counter()
    context = build_ranking(campaign, consolidated_for(campaign, folder / "tong-hop.xlsx"))
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


def timed(command: list[str], before: Callable[[], None] | None = None) -> tuple[float, float]:
    """One run of a whole process: (wall seconds, CPU seconds: user + system of it and the children it waited for).

    ``before`` runs first, outside the timing (it removes the output of the previous run).  The output
    streams go to /dev/null; exit codes 0 and 1 (data problems, outputs written) are both a finished run.
    """
    if before is not None:
        before()
    started = time.perf_counter()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def _summary(runs: list[tuple[float, float]]) -> dict[str, Any]:
    return {
        "wall": statistics.median(w for w, _ in runs),
        "cpu": statistics.median(c for _, c in runs),
        "runs": [{"wall": round(w, 4), "cpu": round(c, 4)} for w, c in runs],
    }


def alone(command: list[str], runs: int, before: Callable[[], None] | None = None) -> dict[str, Any]:
    """Medians of ``runs`` whole-process runs of one command, after one run that is not counted."""
    timed(command, before)
    return _summary([timed(command, before) for _ in range(runs)])


def side_by_side(
    a: list[str],
    b: list[str],
    runs: int,
    before_a: Callable[[], None] | None = None,
    before_b: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Two commands timed in turn (A B A B …, after one pair that is not counted): each one's medians, and
    the medians of the pairwise ratios A/B (a pair shares the machine's load of its moment)."""
    timed(a, before_a)
    timed(b, before_b)
    pairs = [(timed(a, before_a), timed(b, before_b)) for _ in range(runs)]
    return {
        "parcli": _summary([x for x, _ in pairs]),
        "floor": _summary([y for _, y in pairs]),
        "ratio_wall": statistics.median(x[0] / y[0] for x, y in pairs),
        "ratio_cpu": statistics.median(x[1] / y[1] for x, y in pairs),
    }


def _removing(*paths: Path) -> Callable[[], None]:
    def remove() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    return remove


def _compile_bytecode() -> None:
    """Compile parcli's modules once, as an installation does: no timed run compiles them from source
    (a PYTHONDONTWRITEBYTECODE environment would otherwise make every run do it)."""
    import compileall

    import parcli

    compileall.compile_dir(str(Path(parcli.__file__).parent), quiet=1)


def processes(folder: Path, example: Path, units: int) -> dict[str, Any]:
    """The targets, as an officer runs the commands: whole processes, fresh outputs, medians, each merge
    side by side with its floor (:mod:`floor_merge`) in the same run."""
    from parcli.rounds.scoring import layout

    _compile_bytecode()
    parcli = _parcli()
    sheets = [layout.SHEET_SCORES, layout.SHEET_CONSOLIDATED]

    def merge(where: Path, runs: int) -> dict[str, Any]:
        out, floor_out = where / "th-process.xlsx", where / "floor-process.xlsx"
        command = [*parcli, "merge", str(where / "returns"), "-c", str(_campaign_path(where)), "-o", str(out)]
        floor = [sys.executable, str(HERE / "floor_merge.py"), str(where / "returns"), str(floor_out), *sheets]
        return side_by_side(command, floor, runs, _removing(out, Path(f"{out}.manifest.json")), _removing(floor_out))

    load_before = os.getloadavg()
    results: dict[str, Any] = {"example_merge": merge(example, 9), "merge": merge(folder, 5 if units <= 300 else 3)}
    report_out = folder / "xep-hang-process.html"
    consolidated, campaign = str(folder / "tong-hop.xlsx"), str(_campaign_path(folder))
    report = [*parcli, "report", consolidated, "-c", campaign, "-o", str(report_out)]
    results["report"] = alone(report, runs=7, before=_removing(report_out, Path(f"{report_out}.manifest.json")))
    typer = side_by_side([*parcli, "--help"], [sys.executable, "-c", "import typer"], runs=7)
    version = side_by_side([*parcli, "--version"], [sys.executable, "-c", "import typer"], runs=7)
    results["startup"] = {"help": typer, "version": version}
    results["load_average"] = {"before": load_before, "after": os.getloadavg()}
    return results


def main() -> None:
    """Run every stage and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--stage", choices=sorted(STAGES), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--evidence-only", action="store_true", help="only the evidence stages (1,000 files, zip bomb)")
    parser.add_argument("--no-evidence", action="store_true", help="leave out the evidence stages")
    parser.add_argument(
        "--processes-only",
        action="store_true",
        help="only the whole-process targets, again, over the files of a finished run in --dir",
    )
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
    example = folder / "example"
    if args.processes_only:
        if not (folder / "tong-hop.xlsx").is_file() or not (example / "returns").is_dir():
            raise SystemExit(f"--processes-only needs a finished run in {folder}")
        target_json = args.json or ROOT / ".bench" / f"bench-{args.units}-processes.json"
        proc = _print_targets(processes(folder, example, args.units), args.units)
        _write(target_json, {"units": args.units, "process": proc})
        return
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
    example.mkdir()
    run_stage("example-setup", example)
    for name in ("merge", "merge-floor"):
        r = results[f"example-{name}"] = run_stage(name, example)
        print(f"  {'example-' + name:15s} {r['seconds']:8.2f} s  ({r['files']} returns)  peak {r['peak_mb']:7.1f} MB")
    if not args.no_evidence:
        results["evidence"] = bench_evidence.run(run_stage, folder / "evidence", _parcli())
    proc = results["process"] = processes(folder, example, args.units)
    ratios = {
        "merge_vs_floor": results["merge"]["seconds"] / results["merge-floor"]["seconds"],
        "merge_read_vs_floor": results["merge"]["read_seconds"] / results["merge-floor"]["seconds"],
        "example_merge_vs_floor": proc["example_merge"]["ratio_wall"],
        "merge_process_vs_floor": proc["merge"]["ratio_wall"],
        "generate_vs_xlsxwriter": results["generate"]["seconds"] / results["generate-floor"]["seconds"],
        "help_vs_import_typer": proc["startup"]["help"]["ratio_wall"],
        "version_vs_import_typer": proc["startup"]["version"]["ratio_wall"],
    }
    results["ratios"] = ratios
    print("\n  in-process stage ratio        measured  target")
    for key, target in (("merge_vs_floor", 3), ("generate_vs_xlsxwriter", 2)):
        print(f"  {key:28s} {ratios[key]:8.2f}  ≤ {target}   {'ok' if ratios[key] <= target else 'MISSED'}")
    merge_mem_ok = results["merge"]["peak_mb"] <= 300
    print(
        f"  merge peak memory (MB)       {results['merge']['peak_mb']:8.1f}  ≤ 300 {'ok' if merge_mem_ok else 'MISSED'}"
    )
    _print_targets(proc, args.units)
    _write(args.json or ROOT / ".bench" / f"bench-{args.units}.json", results)


REPORT_TARGET_UNITS = 300  # the ranking report's target (1 s) is set for this many units


def _print_targets(proc: dict[str, Any], units: int) -> dict[str, Any]:
    """The whole-process targets: medians of wall and CPU seconds, ratios to the floors (wall decides)."""
    load = proc["load_average"]
    print(
        f"\n  whole processes (medians; load average {load['before'][0]:.2f} before, {load['after'][0]:.2f} after)"
        "\n  case                    parcli wall / CPU     floor wall / CPU     ratio wall (CPU)  target",
        flush=True,
    )
    for key, label in (("example_merge", "merge, 17 returns"), ("merge", "merge, all units")):
        r = proc[key]
        a, b = r["parcli"], r["floor"]
        mark = "ok" if r["ratio_wall"] <= 3 else "MISSED"
        print(
            f"  {label:22s} {a['wall']:7.2f} s / {a['cpu']:5.2f} s   {b['wall']:7.2f} s / {b['cpu']:5.2f} s"
            f"   {r['ratio_wall']:5.2f}× ({r['ratio_cpu']:4.2f}×)     ≤ 3×  {mark}"
        )
    r = proc["report"]
    if units == REPORT_TARGET_UNITS:
        target = f"≤ 1 s {'ok' if r['wall'] <= 1 else 'MISSED'}"
    else:
        target = f"(≤ 1 s at {REPORT_TARGET_UNITS} units)"
    print(f"  {'report (ranking, HTML)':22s} {r['wall']:7.2f} s / {r['cpu']:5.2f} s{'':39s}{target}")
    for key in ("help", "version"):
        r = proc["startup"][key]
        mark = "ok" if r["ratio_wall"] <= 2 else "MISSED"
        print(
            f"  {'--' + key + ' vs import typer':22s} {r['parcli']['wall']:7.2f} s / {r['parcli']['cpu']:5.2f} s   "
            f"{r['floor']['wall']:7.2f} s / {r['floor']['cpu']:5.2f} s   {r['ratio_wall']:5.2f}× "
            f"({r['ratio_cpu']:4.2f}×)     ≤ 2×  {mark}"
        )
    return proc


def _write(target: Path, results: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nResults: {target}")


if __name__ == "__main__":
    main()
