"""Harvest benchmark: a generated catalogue from a loopback Hydra-paged endpoint.

    bench/harvest.py [--size 100000] [--page-size 1000] [--timeout S]

Steps, each a child process measured for wall time and the peak RSS of its process tree
(the endpoint runs in its own process and is not counted):
  first        `catalog-node harvest bench --no-validate` into an empty data directory:
               datasets/s ingested; validation is queued (records pending), not waited for
  conditional  the same harvest again, nothing changed: ETag/304 and modified_since used
  hash only    again with `--no-conditional`: every page fetched and compared by hashes
Prints a markdown table and the targets met or missed; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import ROOT, catalogue, machine_line, measure  # noqa: E402


def _endpoint(source: Path, page_size: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, str(HERE / "paged_endpoint.py"), str(source),
                                "--page-size", str(page_size)], stdout=subprocess.PIPE,
                               text=True, cwd=ROOT)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http"):
        process.kill()
        raise SystemExit(f"the paged endpoint did not start: {url!r}")
    return process, url


def _report(path: Path) -> dict[str, object]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cn-bench-harvest-"))
    data = work / "data"
    source, info, _ = catalogue(args.size, args.seed)
    cli = [sys.executable, "-m", "catalog_node", "--data", str(data)]
    endpoint, url = _endpoint(source, args.page_size)
    rows: list[tuple[str, float, float, str]] = []
    try:
        measure([*cli, "init"], work / "init", args.timeout)
        measure([*cli, "source", "add", "bench", url, "--type", "dcat", "--allow-private"],
                work / "add", args.timeout)
        steps = (("first harvest", []), ("no change, conditional GET + modified_since", []),
                 ("no change, hashes only (--no-conditional)", ["--no-conditional"]))
        for name, extra in steps:
            log = work / name.split(",")[0].replace(" ", "-")
            run = measure([*cli, "harvest", "bench", "--no-validate", "--json", *extra], log,
                          args.timeout)
            report = _report(Path(f"{log}.out"))
            note = (f"created {report.get('created')}, unchanged {report.get('unchanged')}, "
                    f"pages unchanged {report.get('pages_unchanged')}/{report.get('pages')}"
                    if run.ok else run.error())
            rows.append((name, run.seconds, run.tree_peak_mb, note))
        pending = measure([*cli, "stats"], work / "stats", args.timeout)
    finally:
        endpoint.kill()
        endpoint.wait()
    first, conditional, hashes = rows
    rate = args.size / first[1] if first[1] else 0.0
    print(f"catalogue: {info['datasets']} datasets, {info['triples']} triples, pages of "
          f"{args.page_size}; {os.cpu_count()} cores\n")
    print("| step | seconds | peak RSS (MB) | note |\n|---|---:|---:|---|")
    for name, seconds, rss, note in rows:
        print(f"| {name} | {seconds:.1f} | {rss:.0f} | {note} |")
    targets = [
        (first[2] < 2048, f"first harvest peak RSS {first[2]:.0f} MB < 2048 MB"),
        (conditional[1] * 20 <= first[1],
         f"no-change re-harvest with conditional GET {first[1] / conditional[1]:.0f}x faster "
         "than the first (target 20x)"),
        (hashes[1] * 20 <= first[1],
         f"no-change re-harvest by hashes only {first[1] / hashes[1]:.0f}x faster than the "
         "first (target 20x)"),
    ]
    print(f"\nfirst harvest: {rate:.0f} datasets/s; validation queued, not waited for "
          f"(`stats` ran {'ok' if pending.ok else 'with an error'})\n")
    for ok, text in targets:
        print(f"- {'met' if ok else 'MISSED'}: {text}")
    print(f"\n{machine_line()}\nwork directory: {work} (root {ROOT})")
    return 0 if all(ok for ok, _ in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
