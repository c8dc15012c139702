"""``python -m bench [--quick] [--only W1,P1]``: run the workloads, print a table, merge them into bench/results.json.

Workloads not run keep their earlier entry (with its own ``measured`` time and mode), so figures gathered in
separate short runs add up to one file."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.workloads import FULL, QUICK, WORKLOADS, Figure

RESULTS = Path(__file__).resolve().parent / "results.json"


def machine() -> dict:
    """What the figures were measured on."""
    import textual

    return {"python": sys.version.split()[0], "platform": platform.platform(), "processor": platform.processor(),
            "cpus": os.cpu_count(), "textual": textual.__version__, "sqlite": __import__("sqlite3").sqlite_version}


def _cell(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(figures: list[Figure]) -> str:
    lines = [f"{'id':<4} {'figure':>10} {'baseline':>10} {'ratio':>7} {'unit':<4} {'target':<20} workload"]
    for f in figures:
        lines.append(f"{f.id:<4} {_cell(f.figure):>10} {_cell(f.baseline):>10} {_cell(f.ratio):>7} {f.unit:<4} "
                     f"{f.target:<20} {f.workload}" + (f"  [{f.note}]" if f.note else ""))
    return "\n".join(lines)


def run(chosen: list[str], quick: bool, out: Path = RESULTS, repeat: int | None = None) -> list[Figure]:
    sizes = QUICK if quick else FULL
    if repeat:
        sizes = dataclasses.replace(sizes, repeat=repeat, tui_repeat=repeat)
    figures = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gtcode-bench-") as scratch:
        for key in chosen:
            print(f"{key} ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            try:
                figure = WORKLOADS[key](sizes, Path(scratch))
            except Exception as error:  # one failing workload must not hide the others
                traceback.print_exc()
                figure = Figure(key, "failed", "", note=f"{type(error).__name__}: {error}")
            figure.details["wall_seconds"] = round(time.perf_counter() - started, 1)
            figures.append(figure)
    merge(figures, sizes.name, out, round(time.perf_counter() - began, 1))
    return figures


def merge(figures: list[Figure], mode: str, out: Path = RESULTS, seconds: float | None = None) -> None:
    """Put ``figures`` into the results file, each with its mode and time, keeping the entries of other ids."""
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    workloads = results.get("workloads", {})
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for figure in figures:
        workloads[figure.id] = {**figure.as_dict(), "mode": mode, "measured": stamp}
    results.update(machine=machine(), last_run={"mode": mode, "ids": [f.id for f in figures],
                                                 "total_seconds": seconds},
                   workloads=dict(sorted(workloads.items())))
    results.pop("mode", None)
    results.pop("total_seconds", None)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: finishes in about a minute")
    parser.add_argument("--only", default="", help="comma-separated workload ids, e.g. W1,W3")
    parser.add_argument("--repeat", type=int, help="interleaved pairs per workload (default: 3 full, 1 quick)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the JSON results to merge into")
    args = parser.parse_args(argv)
    chosen = [k.strip().upper() for k in args.only.split(",") if k.strip()] or list(WORKLOADS)
    unknown = [k for k in chosen if k not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload {', '.join(unknown)}: choose from {', '.join(WORKLOADS)}")
    figures = run(chosen, args.quick, args.out, args.repeat)
    print(table(figures))
    print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
