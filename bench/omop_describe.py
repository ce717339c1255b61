"""Describing a synthetic OMOP CDM warehouse: catalog-node against a naive baseline.

    .venv/bin/python bench/omop_describe.py [--rows 1000000] [--repeat 3] [--workdir DIR]
                                            [--keep] [--postgres-url URL]

Generates the deterministic warehouse of ``omop_synthetic.py`` with about ``--rows`` rows in
all (persons = rows / 14.4 at 12 events per person; the exact total is printed), loads it into
a DuckDB file and a SQLite file (and the PostgreSQL database of ``--postgres-url``, in its
default schema, replacing the CDM tables there), then runs, each time in a child process of
its own so that the peak RSS is that run's alone:

- catalog-node: ``harvesters.omop.describe_omop(url)`` (aggregate SQL in the database);
- the naive baseline: every table read into Python lists (``SELECT *``, ``fetchall``) and the
  same figures counted there: rows and nulls of every column of every table, persons per sex,
  age at the first observation, first and last observation dates.

Prints a markdown table: the work's wall time (timed in the child, without interpreter start
and imports; the whole process's time beside it), rows scanned per second, peak RSS, and the
ratios naive / catalog-node, medians of ``--repeat`` runs. Both must agree on every figure
(persons and rows above all): a line says so, and the script exits 1 when they do not. No
timing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: rows in all tables per person at the generator's default 12 events per person
ROWS_PER_PERSON = 14.4
MIB = 1024 * 1024
#: the CDM's gender concepts; anything else counts as unknown (as describe_omop does)
GENDERS = {8532: "female", 8507: "male", 8521: "other", 8551: "unknown"}
#: the child reads its database URL here (a PostgreSQL password stays out of ``ps``)
URL_VARIABLE = "OMOP_BENCH_URL"
PASSWORD_VARIABLE = "OMOP_BENCH_PASSWORD"


# -- children ------------------------------------------------------------------------------

def child_catalog(url: str) -> dict[str, Any]:
    """The figures of catalog-node's description."""
    sys.path.insert(0, str(ROOT))
    from harvesters.omop import describe_omop

    description = describe_omop(_placeholder(url))
    tables = description.dictionary.tables if description.dictionary else []
    population = description.population
    assert population is not None
    return {
        "persons": population.persons,
        "tables": {t.name.lower(): t.row_count for t in tables},
        "nulls": {f"{t.name.lower()}.{v.name.lower()}": v.null_count
                  for t in tables for v in t.variables},
        "by_sex": population.persons_by_sex,
        "ages": population.age_histogram,
        "span": [_iso(population.observation_start), _iso(population.observation_end)]}


def _placeholder(url: str) -> str:
    """``url`` with its password as ``{env:…}``: describe_omop refuses a literal one."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    if parsed.password is None:
        return url
    os.environ[PASSWORD_VARIABLE] = str(parsed.password)
    marker = "omopbenchpassword"
    return (parsed.set(password=marker).render_as_string(hide_password=False)
            .replace(marker, "{env:" + PASSWORD_VARIABLE + "}"))


def child_naive(url: str) -> dict[str, Any]:
    """The same figures, from every table fetched whole into Python lists."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    data: dict[str, tuple[list[str], list[Any]]] = {}
    with engine.connect() as db:
        for name in sa.inspect(db).get_table_names():
            result = db.execute(sa.select(sa.literal_column("*")).select_from(sa.table(name)))
            columns = list(result.keys())
            data[name.lower()] = ([str(c).lower() for c in columns], result.fetchall())
    engine.dispose()
    nulls = {}
    for name, (columns, rows) in data.items():
        for i, column in enumerate(columns):
            nulls[f"{name}.{column}"] = sum(1 for row in rows if row[i] is None)
    columns, people = data["person"]
    pid, gender, born = (columns.index(c) for c in
                         ("person_id", "gender_concept_id", "year_of_birth"))
    by_sex = dict.fromkeys(("female", "male", "other", "unknown"), 0)
    for row in people:
        by_sex[GENDERS.get(row[gender], "unknown")] += 1
    columns, periods = data["observation_period"]
    owner, start, end = (columns.index(c) for c in ("person_id", "observation_period_start_date",
                                                    "observation_period_end_date"))
    first: dict[Any, date] = {}
    for row in periods:
        day = _day(row[start])
        if row[owner] not in first or day < first[row[owner]]:
            first[row[owner]] = day
    ages: dict[int, int] = {}
    for row in people:
        if row[pid] in first and row[born] is not None:
            age = first[row[pid]].year - int(row[born])
            ages[age] = ages.get(age, 0) + 1
    return {
        "persons": len(people),
        "tables": {name: len(rows) for name, (_, rows) in data.items()},
        "nulls": nulls, "by_sex": by_sex, "ages": ages,
        "span": [_iso(min(_day(r[start]) for r in periods)),
                 _iso(max(_day(r[end]) for r in periods))]}


def _day(value: Any) -> date:
    """A date as the driver returns it (SQLite: text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def child_load(targets: dict[str, str], rows: int) -> dict[str, Any]:
    """Generate the warehouse and load it into every target; sizes and load times."""
    sys.path.insert(0, str(HERE))
    import sqlalchemy as sa
    from omop_synthetic import create_and_load, generate

    persons = max(20, round(rows / ROWS_PER_PERSON))
    started = time.perf_counter()
    data = generate(persons)
    info: dict[str, Any] = {"persons": persons, "rows": data.total_rows(),
                            "tables": len(data.rows),
                            "generate": time.perf_counter() - started, "load": {}}
    for name, url in targets.items():
        started = time.perf_counter()
        engine = sa.create_engine(url)
        try:
            create_and_load(engine, data)
        finally:
            engine.dispose()
        info["load"][name] = time.perf_counter() - started
    return info


# -- the parent ----------------------------------------------------------------------------

def run_child(mode: str, url: str | None = None, extra: list[str] | None = None
              ) -> tuple[float, float, float, dict[str, Any]]:
    """(work seconds, process seconds, peak RSS MiB, result) of one child.

    The child is reaped with ``os.wait4``: ``ru_maxrss`` is that child's peak alone. The
    parent stays small (it never holds the warehouse), so the child does not start big.
    """
    env = dict(os.environ, **({URL_VARIABLE: url} if url else {}))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", mode, *(extra or [])],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {mode} child failed (exit {process.returncode})")
    result = json.loads(out)
    return result.pop("seconds"), seconds, usage.ru_maxrss * 1024 / MIB, result


def disagreements(ours: dict[str, Any], naive: dict[str, Any]) -> list[str]:
    """The figures on which catalog-node and the baseline differ."""
    found = []
    ours_rows, naive_rows = sum(ours["tables"].values()), sum(naive["tables"].values())
    if ours["persons"] != naive["persons"]:
        found.append(f"persons {ours['persons']} vs {naive['persons']}")
    if ours_rows != naive_rows:
        found.append(f"rows {ours_rows} vs {naive_rows}")
    for key in ("tables", "nulls", "by_sex", "ages"):
        differ = sorted(k for k in ours[key].keys() | naive[key].keys()
                        if ours[key].get(k) != naive[key].get(k))
        if differ:
            found.append(f"{key} differ for {', '.join(differ[:5])}"
                         f"{' …' if len(differ) > 5 else ''}")
    if ours["span"] != naive["span"]:
        found.append(f"observation span {ours['span']} vs {naive['span']}")
    return found


def _cell(values: list[float], digits: int = 2) -> str:
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:.{digits}f}"
    return f"{middle:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def machine_line() -> str:
    import psutil
    import sqlalchemy as sa

    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() \
            else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    versions = [f"SQLAlchemy {sa.__version__}"]
    for module in ("duckdb", "sqlite3", "psycopg"):
        try:
            imported = __import__(module)
        except ImportError:
            continue
        version = getattr(imported, "sqlite_version", None) or getattr(imported, "__version__",
                                                                        "?")
        versions.append(f"{module} {version}")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Machine: {cpu}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 1024**3:.1f} GiB RAM; Python "
            f"{platform.python_version()}; {', '.join(versions)}; "
            f"{datetime.now(UTC):%Y-%m-%d} (UTC); load average at start {load}")


def shown(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)


def bench(args: argparse.Namespace) -> int:
    """The database files in the work directory, removed afterwards unless ``--keep``."""
    made = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="omop-bench-")) if made else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    files = [workdir / "omop.duckdb", workdir / "omop.duckdb.wal", workdir / "omop.sqlite"]
    for path in files:
        path.unlink(missing_ok=True)
    targets = {"DuckDB": f"duckdb:///{files[0]}", "SQLite": f"sqlite:///{files[2]}"}
    if args.postgres_url:
        targets["PostgreSQL"] = args.postgres_url
    try:
        return measure(args, targets)
    finally:
        if args.keep:
            print(f"kept: {workdir}")
        elif made:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            for path in files:
                path.unlink(missing_ok=True)


def measure(args: argparse.Namespace, targets: dict[str, str]) -> int:
    """Load, run both methods on every target, print the table; 1 when they disagree."""
    print(machine_line())
    progress(f"generating about {args.rows:,} rows and loading {', '.join(targets)}")
    # Generated and loaded in a child: the parent stays small (see run_child).
    _, _, _, info = run_child("load", extra=["--rows", str(args.rows),
                                             "--targets", json.dumps(targets)])
    loads = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in info["load"].items())
    print(f"OMOP CDM 5.4 synthetic warehouse: {info['persons']:,} persons, "
          f"{info['rows']:,} rows in {info['tables']} tables (generated in "
          f"{info['generate']:.1f} s; loaded: {loads})")
    lines = ["| database | method | work s, median (min-max) | process s | rows/s | "
             "peak RSS MiB | naive / catalog-node |", "|---|---|---:|---:|---:|---:|---|"]
    verdicts, failed = [], False
    for name, url in targets.items():
        figures = {}
        for mode in ("catalog", "naive"):
            progress(f"{name}: {mode} x {args.repeat}")
            runs = [run_child(mode, url) for _ in range(args.repeat)]
            work = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[2] for r in runs)
            results = [r[3] for r in runs]
            if any(r != results[0] for r in results[1:]):
                failed = True
                verdicts.append(f"{name}: {mode} gave different figures from run to run")
            figures[mode] = (work, rss, results[0], runs)
        (cw, cr, ours, c_runs), (nw, nr, naive, n_runs) = figures["catalog"], figures["naive"]
        scanned = sum(naive["tables"].values())
        for label, work, rss, runs, ratio in (
                ("catalog-node `describe_omop`", cw, cr, c_runs, ""),
                ("naive: `SELECT *` into lists", nw, nr, n_runs,
                 f"{nw / cw:.1f}x time, {nr / cr:.1f}x memory")):
            lines.append(f"| {name} | {label} | {_cell([r[0] for r in runs])} | "
                         f"{statistics.median(r[1] for r in runs):.2f} | "
                         f"{scanned / work:,.0f} | {rss:,.0f} | {ratio} |")
        wrong = disagreements(ours, naive)
        if wrong:
            failed = True
            verdicts.append(f"{name}: catalog-node and the baseline DISAGREE: "
                            + "; ".join(wrong))
        else:
            verdicts.append(
                f"{name}: catalog-node and the baseline agree on persons "
                f"({ours['persons']:,}), rows ({scanned:,}), the rows of "
                f"{len(ours['tables'])} tables and the nulls of {len(ours['nulls'])} columns, "
                f"persons by sex, the age histogram ({len(ours['ages'])} ages) and the "
                f"observation span ({ours['span'][0]} to {ours['span'][1]})")
    print()
    print("\n".join(lines))
    print()
    print("\n".join(verdicts))
    if args.postgres_url:
        print(f"PostgreSQL: {shown(args.postgres_url)}")
    return 1 if failed else 0


def progress(text: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="rows in all tables, about (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per method and database; medians reported (default 3)")
    parser.add_argument("--workdir", type=Path,
                        help="where the DuckDB and SQLite files go (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database files")
    parser.add_argument("--postgres-url",
                        help="also a PostgreSQL database (postgresql+psycopg://…), written to")
    parser.add_argument("--child", choices=("load", "catalog", "naive"), help=argparse.SUPPRESS)
    parser.add_argument("--targets", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.rows < 1:
        parser.error("--rows and --repeat must be at least 1")
    if args.child is None:
        return bench(args)
    started = time.perf_counter()
    if args.child == "load":
        result = child_load(json.loads(args.targets), args.rows)
    else:
        work = child_catalog if args.child == "catalog" else child_naive
        result = work(os.environ[URL_VARIABLE])
    print(json.dumps({**result, "seconds": time.perf_counter() - started}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
