"""Describing a synthetic OMOP CDM warehouse: catalog-node against a naive baseline.

    python bench/omop_describe.py [--rows 1000000] [--repeat 3] [--workdir DIR] [--keep]
                                  [--postgres-url URL]

Generates the deterministic warehouse of ``omop_synthetic.py`` with about ``--rows`` rows in
all, loads it into a DuckDB file and a SQLite file (and PostgreSQL, given a URL), then, each in
a child process of its own so that peak RSS is that run's alone:

- catalog-node: ``harvesters.omop.describe_omop`` (aggregate SQL in the database);
- the naive baseline: every table read into Python (``SELECT *`` fetched whole) and the same
  figures counted there: rows and nulls of every column, persons per sex, age at the first
  observation, first and last observation dates.

Prints wall time (median of ``--repeat``), rows scanned per second, peak RSS, and the ratios
naive / catalog-node; exits 1 if the two disagree on persons or rows.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS_PER_PERSON = 14.43  # rows in all tables per person at 12 events per person


def child_catalog(url: str) -> dict:
    sys.path.insert(0, str(HERE.parent))
    from harvesters.omop import describe_omop

    description = describe_omop(url)
    tables = description.dictionary.tables if description.dictionary else []
    return {"persons": description.population.persons,
            "rows": sum(t.row_count or 0 for t in tables)}


def child_naive(url: str) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    rows_total, persons, by_sex = 0, 0, {}
    with engine.connect() as db:
        names = sa.inspect(db).get_table_names()
        data = {}
        for name in names:
            result = db.execute(sa.text(f'SELECT * FROM "{name}"'))
            data[name] = (list(result.keys()), result.fetchall())
        nulls = {}
        for name, (columns, rows) in data.items():
            rows_total += len(rows)
            for i, column in enumerate(columns):
                nulls[f"{name}.{column}"] = sum(1 for r in rows if r[i] is None)
        columns, people = data["person"]
        persons = len(people)
        gender, born, pid = (columns.index(c) for c in
                             ("gender_concept_id", "year_of_birth", "person_id"))
        for row in people:
            by_sex[row[gender]] = by_sex.get(row[gender], 0) + 1
        columns, periods = data["observation_period"]
        start = columns.index("observation_period_start_date")
        end = columns.index("observation_period_end_date")
        owner = columns.index("person_id")
        first: dict[int, object] = {}
        for row in periods:
            when = row[start]
            if row[owner] not in first or str(when) < str(first[row[owner]]):
                first[row[owner]] = when
        ages = sorted(int(str(first[r[pid]])[:4]) - r[born] for r in people if r[pid] in first)
        _ = (ages[len(ages) // 20], min(str(r[start]) for r in periods),
             max(str(r[end]) for r in periods))
    engine.dispose()
    return {"persons": persons, "rows": rows_total}


def load_warehouse(urls: str, rows: int) -> None:
    sys.path.insert(0, str(HERE))
    import sqlalchemy as sa
    from omop_synthetic import create_and_load, generate

    persons = max(20, round(rows / ROWS_PER_PERSON))
    data = generate(persons)
    print(f"OMOP CDM 5.4 synthetic warehouse: {persons:,} persons, {data.total_rows():,} rows")
    for url in json.loads(urls):
        engine = sa.create_engine(url)
        create_and_load(engine, data)
        engine.dispose()


def run_child(mode: str, url: str) -> tuple[float, float, dict]:
    """(seconds of work, peak RSS MiB, result) of one child process (the work is timed in
    the child: the interpreter's start and imports are left out)."""
    process = subprocess.Popen([sys.executable, __file__, "--child", mode, url],
                               stdout=subprocess.PIPE, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{mode} child failed on {url}")
    result = json.loads(out)
    return result["seconds"], usage.ru_maxrss / 1024, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--postgres-url")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child and args.child[0] == "load":
        load_warehouse(args.child[1], args.rows)
        return 0
    if args.child:
        mode, url = args.child
        started = time.perf_counter()
        result = (child_catalog if mode == "catalog" else child_naive)(url)
        print(json.dumps({**result, "seconds": time.perf_counter() - started}))
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="omop-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    targets = {"duckdb": f"duckdb:///{workdir / 'omop.duckdb'}",
               "sqlite": f"sqlite:///{workdir / 'omop.sqlite'}"}
    if args.postgres_url:
        targets["postgresql"] = args.postgres_url
    for name in targets:
        for suffix in ("", ".wal"):
            Path(str(workdir / f"omop.{name}") + suffix).unlink(missing_ok=True)
    # Generated and loaded in a child: a child forked from a large parent would count the
    # parent's pages in its peak RSS.
    subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--child", "load",
                    json.dumps(list(targets.values()))], check=True)
    lines = ["| database | method | seconds (median) | rows/s | peak RSS MiB |",
             "|---|---|---:|---:|---:|"]
    ratios, agree = [], True
    for name, url in targets.items():
        figures = {}
        for mode in ("catalog", "naive"):
            runs = [run_child(mode, url) for _ in range(args.repeat)]
            wall = statistics.median(r[0] for r in runs)
            rss = statistics.median(r[1] for r in runs)
            result = runs[0][2]
            figures[mode] = (wall, rss, result)
            label = "catalog-node describe_omop" if mode == "catalog" else "naive (fetch all)"
            lines.append(f"| {name} | {label} | {wall:.2f} | {result['rows'] / wall:,.0f} | "
                         f"{rss:.0f} |")
        (cw, cr, c), (nw, nr, n) = figures["catalog"], figures["naive"]
        if (c["persons"], c["rows"]) != (n["persons"], n["rows"]):
            agree = False
            print(f"{name}: catalog-node {c} and naive {n} disagree", file=sys.stderr)
        ratios.append(f"{name}: naive/catalog-node time {nw / cw:.1f}x, peak RSS {nr / cr:.1f}x")
    print("\n".join(lines))
    print("\n".join(ratios))
    print("persons and rows agree" if agree else "DISAGREEMENT (see above)")
    if not args.keep and not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
