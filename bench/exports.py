"""P2: exports per 1,000 codings at two sizes, and the open-coding CSV beside pandas ``to_csv`` of its rows.

Each export runs the way the CLI runs it (the same service call) on generated projects of 100 codings per
document, a third held out (``generate.cached_project``), after one untimed run of each export on the small
project (so that neither size pays the first imports). In each repetition the large size runs once and the small
one ``SMALL_RUNS`` times around it (it takes a tenth as long, so one run of it swings most with the machine's
load); each size's figure is the median of its runs. ``ratio`` per export is (seconds per coding at the large
size) / (at the small size), ``cpu_ratio`` the same in CPU seconds: 1.0 is linear.

``python -m bench.exports [20000,200000] [--repeat 2] [--only csv,qdpx]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench import generate
from bench.workloads import timed

SIZES = (20_000, 200_000)


def spec(codings: int) -> generate.ProjectSpec:
    """The project of ``codings`` codings (200,000: the W2/W4/W6 project)."""
    return generate.ProjectSpec(codings // 100, codings, codings * 100, holdout=1 / 3)


SMALL_RUNS = 4  # runs of the small size per repetition, two before the large size's run and two after


def _open_coding(fmt: str) -> Callable[[object, Path], None]:
    def run(project, out: Path) -> None:
        from gtcode.services.open_coding_table import export_open_coding

        export_open_coding(project, out / f"open.{fmt}", fmt)
    return run


def _codebook(project, out: Path) -> None:
    from gtcode.services.codebook_exchange import export_codebook

    export_codebook(project, out / "codebook.yaml")
    export_codebook(project, out / "codebook.csv")


def _matrix(project, out: Path) -> None:
    from gtcode.exchange.tables import write_table
    from gtcode.services.analysis import matrix

    write_table(matrix(project, "code-doc", "concept").reset_index(), out / "matrix.csv", "csv")


def _qdpx(project, out: Path) -> None:
    from gtcode.services.refi_exchange import export_project

    export_project(project, out / "project.qdpx")


EXPORTS: dict[str, Callable[[object, Path], None]] = {
    "open-coding csv": _open_coding("csv"), "open-coding xlsx": _open_coding("xlsx"), "codebook": _codebook,
    "matrix": _matrix, "qdpx": _qdpx,
}


def csv_floor(folder: Path, out: Path, repeat: int) -> dict:
    """The open-coding CSV beside pandas ``to_csv`` of the very rows it writes (the floor), interleaved."""
    from gtcode.services.open_coding_table import open_coding_frame, open_coding_rows
    from gtcode.services.project import open_project

    project = open_project(folder)
    try:
        frame = open_coding_frame(open_coding_rows(project))
        product, floor = [], []
        for _ in range(repeat):
            floor.append(timed(lambda: frame.to_csv(out / "floor.csv", index=False, encoding="utf-8")))
            product.append(timed(lambda: EXPORTS["open-coding csv"](project, out)))
    finally:
        project.close()
    ratios = [p[0] / f[0] for p, f in zip(product, floor)]
    return {"seconds": round(statistics.median(p[0] for p in product), 3),
            "cpu_seconds": round(statistics.median(p[1] for p in product), 3),
            "to_csv_seconds": round(statistics.median(f[0] for f in floor), 3),
            "to_csv_cpu_seconds": round(statistics.median(f[1] for f in floor), 3),
            "cpu_ratio": round(statistics.median(p[1] / f[1] for p, f in zip(product, floor) if f[1]), 3),
            "ratio": round(statistics.median(ratios), 3), "range": [round(min(ratios), 3), round(max(ratios), 3)],
            "rows": len(frame)}


def measure(sizes: tuple[int, ...] = SIZES, repeat: int = 2, only: tuple[str, ...] = tuple(EXPORTS),
            workdir: Path | None = None) -> dict:
    """Per export and size: median seconds (wall and CPU) and seconds per 1,000 codings; the per-coding ratio."""
    from gtcode.services.project import open_project

    folders = {size: generate.cached_project(spec(size)) for size in sizes}
    times: dict[tuple[str, int], list[tuple[float, float]]] = {(e, s): [] for e in only for s in sizes}
    with tempfile.TemporaryDirectory(prefix="gtcode-p2-", dir=workdir) as scratch:
        out = Path(scratch)
        project = open_project(folders[sizes[0]])
        try:  # untimed: the modules each export imports (pandas, openpyxl, lxml) are loaded once, not by one size
            for name in only:
                EXPORTS[name](project, out)
        finally:
            project.close()
        first, *others = sizes
        half = SMALL_RUNS // 2
        order = [first] * half + others + [first] * (SMALL_RUNS - half)  # interleaved: drift hits both sizes alike
        for _ in range(repeat):
            for name in only:
                for size in order:
                    project = open_project(folders[size])
                    try:
                        times[(name, size)].append(timed(partial(EXPORTS[name], project, out)))
                    finally:
                        project.close()
        floor = csv_floor(folders[sizes[-1]], out, repeat) if "open-coding csv" in only else None
    result: dict = {}
    for name in only:
        per = {}
        for size in sizes:
            walls = [t[0] for t in times[(name, size)]]
            cpus = [t[1] for t in times[(name, size)]]
            per[str(size)] = {"seconds": round(statistics.median(walls), 3),
                              "cpu_seconds": round(statistics.median(cpus), 3),
                              "seconds_per_1000": round(statistics.median(walls) / size * 1000, 4),
                              "runs": len(walls), "range": [round(min(walls), 3), round(max(walls), 3)]}
        (small, big), scale = (times[(name, size)] for size in (sizes[0], sizes[-1])), sizes[0] / sizes[-1]
        for key, column in (("ratio", 0), ("cpu_ratio", 1)):  # from the medians themselves, not their rounding
            per[key] = round(statistics.median(t[column] for t in big) / statistics.median(t[column] for t in small)
                             * scale, 3)
        result[name] = per
    if floor is not None:
        result["open-coding csv"]["to_csv"] = floor
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="?", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(EXPORTS)}")
    args = parser.parse_args(argv)
    only = tuple(e.strip() for e in args.only.split(",") if e.strip()) or tuple(EXPORTS)
    print(json.dumps(measure(tuple(int(s) for s in args.sizes.split(",")), args.repeat, only), indent=1))


if __name__ == "__main__":
    main()
