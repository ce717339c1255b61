"""Validation benchmark: every record of a generated catalogue, against one naive pySHACL call.

    bench/validation.py [--size 10000] [--baseline-size N] [--timeout S]

Steps, each a child process measured for wall time and the peak RSS of its process tree:
  load      `catalog-node load FILE --no-validate` (records pending validation)
  validate  `catalog-node validate --stored`: the queue, a process pool sized to the cores
  reload    `catalog-node load FILE` again: nothing changed, so nothing may be validated
  baseline  one pySHACL call over the whole catalogue graph merged with the same vocabularies,
            the same HealthDCAT-AP NON_PUBLIC shapes (complete set), in the same run; at
            --baseline-size (default: the same size) when the full size would take too long.
Prints a markdown table and the targets met or missed; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import ROOT, catalogue, machine_line, measure  # noqa: E402

BASELINE = """
import sys, time
from pyshacl import validate
from rdflib import Graph
from catalog_node.validation.engine import Validator
validator = Validator(sys.argv[2])
shapes = validator.shapes("NON_PUBLIC").graph
graph = Graph()
graph.parse(sys.argv[1], format="turtle")
for triple in list(validator.vocabularies.triples_for(graph)):
    graph.add(triple)
started = time.perf_counter()
validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True, inplace=True)
print(len(graph), round(time.perf_counter() - started, 2))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--baseline-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--profile", default="healthdcat-ap",
                        help="stored profile (and the baseline's; its NON_PUBLIC set)")
    args = parser.parse_args()
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="cn-bench-validation-"))
    data = work / "data"
    source, info, _ = catalogue(args.size, args.seed)
    cli = [python, "-m", "catalog_node", "--data", str(data)]
    os.environ["CATALOG_NODE_VALIDATION_PROFILES"] = os.environ.get(
        "CATALOG_NODE_VALIDATION_PROFILES", args.profile if args.profile != "healthdcat-ap"
        else "healthdcat-ap,hdh")
    rows: list[tuple[str, int, float, float, str]] = []
    measure([*cli, "init"], work / "init", args.timeout)
    load = measure([*cli, "load", str(source), "--catalog", "bench", "--no-validate"],
                   work / "load", args.timeout)
    rows.append(("load (no validation)", args.size, load.seconds, load.tree_peak_mb, ""))
    run = measure([*cli, "validate", "--stored", "--format", "json"], work / "validate",
                  args.timeout)
    summary = json.loads((work / "validate.out").read_text()) if run.ok else []
    validated = summary[0]["validated"] if summary else 0
    rows.append(("validate --stored", validated, run.seconds, run.tree_peak_mb,
                 f"{validated / run.seconds:.1f} records/s" if run.ok else run.error()))
    reload = measure([*cli, "load", str(source), "--catalog", "bench"], work / "reload",
                     args.timeout)
    revalidated = "validated" in reload.stdout
    rows.append(("reload, nothing changed", args.size, reload.seconds, reload.tree_peak_mb,
                 "revalidated records!" if revalidated else "no validation"))
    base_size = args.baseline_size or args.size
    base_source = source if base_size == args.size else catalogue(base_size, args.seed)[0]
    script = work / "baseline.py"
    script.write_text(BASELINE)
    base = measure([python, str(script), str(base_source), args.profile], work / "baseline",
                   args.timeout)
    base_rate = base_size / base.seconds if base.ok else 0.0
    rows.append((f"baseline: one pySHACL call ({base_size} datasets)", base_size, base.seconds,
                 base.tree_peak_mb, f"{base_rate:.1f} records/s" if base.ok else base.error()))
    print(f"catalogue: {info['datasets']} datasets, {info['triples']} triples; "
          f"{os.cpu_count()} cores\n")
    print("| step | records | seconds | peak RSS (MB) | note |\n|---|---:|---:|---:|---|")
    for step, count, seconds, rss, note in rows:
        print(f"| {step} | {count} | {seconds:.1f} | {rss:.0f} | {note} |")
    rate = validated / run.seconds if run.ok and run.seconds else 0.0
    targets = [(rate > base_rate, f"faster than the baseline: {rate:.1f} vs {base_rate:.1f} "
                                  f"records/s ({rate / base_rate if base_rate else 0:.1f}x)"),
               (run.tree_peak_mb < 1024, f"peak RSS {run.tree_peak_mb:.0f} MB < 1024 MB"),
               (not revalidated and reload.ok, "a reload with no change validates nothing")]
    print()
    for ok, text in targets:
        print(f"- {'met' if ok else 'MISSED'}: {text}")
    print(f"\n{machine_line()}\nwork directory: {work} (root {ROOT})")
    return 0 if all(ok for ok, _ in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
