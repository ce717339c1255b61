"""The benchmark harness behind ``bench/run``: generate, load, export, baseline, one table.

Every measured step runs as its own child process (started in a new session so a timeout can end
its whole process group). Wall time is taken around the child with ``time.perf_counter``. Peak
RSS is the child's ``ru_maxrss`` as returned by ``os.wait4`` for that one child: on Linux it is
the largest resident set of the child or of any descendant it reaped, never the parent's. A
psutil thread also samples the *sum* of RSS over the child's process tree every 50 ms; when that
sum is higher (descendants running side by side) the notes column says so.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
MB = 1_000_000
#: Targets, checked at ``--target-size`` (100k datasets by default).
MAX_LOAD_RSS_MB = 2000.0
MIN_SPEEDUP = 5.0
BASELINE_CODE = (
    "import sys, rdflib\n"
    "g = rdflib.Graph()\n"
    "g.parse(sys.argv[1], format='turtle')\n"
    "print(len(g))\n"
)


@dataclass
class Run:
    """One finished child process."""

    cmd: list[str]
    returncode: int
    seconds: float
    maxrss_mb: float
    tree_peak_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def error(self, step: str = "") -> str:
        what = "timed out" if self.timed_out else f"exit {self.returncode}"
        tail = " / ".join(line.strip() for line in self.stderr.strip().splitlines()[-4:])
        return f"ERROR ({step + ' ' if step else ''}{what}): {tail[-300:] or 'no stderr'}"


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until it is gone.

    Listing descendants scans /proc, so it is done once a second; the RSS of the known
    processes is read every ``interval`` seconds (the sampler costs ~1 % of a core).
    """

    def __init__(self, pid: int, interval: float = 0.2, rescan: int = 5):
        super().__init__(daemon=True)
        self.pid, self.interval, self.rescan, self.peak = pid, interval, rescan, 0
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        procs, tick = [root], 0
        while not self._halt.is_set():
            if tick % self.rescan == 0:
                with contextlib.suppress(psutil.Error):
                    procs = [root, *root.children(recursive=True)]
            total = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak, tick = max(self.peak, total), tick + 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def measure(cmd: list[str], log: Path, timeout: float) -> Run:
    """Run ``cmd`` from the repository root; its output goes to ``log``.{out,err}."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    with open(f"{log}.out", "wb") as out, open(f"{log}.err", "wb") as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env,
                                    start_new_session=True)
        except OSError as exc:  # e.g. a --node command that does not exist
            return Run(cmd, -1, 0.0, 0.0, 0.0, "", f"cannot start {cmd[0]}: {exc}")
        sampler = TreeSampler(proc.pid)
        sampler.start()
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        sampler.stop()
    return Run(cmd, proc.returncode, seconds, usage.ru_maxrss * 1024 / MB, sampler.peak / MB,
               _tail(Path(f"{log}.out")), _tail(Path(f"{log}.err")), expired.is_set())


def _tail(path: Path, limit: int = 20_000) -> str:
    """The end of a log file (a child may write a lot)."""
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - limit))
        return stream.read().decode("utf-8", "replace")


@dataclass
class Row:
    """One line of the table (a median when the step was repeated)."""

    size: int
    step: str
    seconds: float | None = None
    rss_mb: float | None = None
    ratio: str = ""
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def cells(self) -> list[str]:
        rate = f"{self.size / self.seconds:,.0f}" if self.seconds else ""
        notes = [self.error] if self.error else []
        return [f"{self.size:,}", self.step,
                "" if self.seconds is None else f"{self.seconds:.2f}", rate,
                "" if self.rss_mb is None else f"{self.rss_mb:,.0f}", self.ratio,
                "; ".join(notes + self.notes).replace("|", "\\|")]


def summarise(size: int, step: str, runs: Sequence[Run], extra: Sequence[str] = ()) -> Row:
    """The median row of repeated runs, or an error row when any run failed."""
    failed = [r for r in runs if not r.ok]
    if failed or not runs:
        return Row(size, step, error=failed[0].error() if failed else "ERROR: not run")
    row = Row(size, step, statistics.median(r.seconds for r in runs),
              statistics.median(r.maxrss_mb for r in runs), notes=list(extra))
    if len(runs) > 1:
        times = [r.seconds for r in runs]
        row.notes.append(f"median of {len(runs)} ({min(times):.2f}-{max(times):.2f} s)")
    tree = max(r.tree_peak_mb for r in runs)
    if tree > 1.1 * max(r.maxrss_mb for r in runs):
        row.notes.append(f"process tree peaked at {tree:,.0f} MB (sampled)")
    return row


def catalogue(size: int, seed: int) -> tuple[Path, dict[str, float], bool]:
    """The cached Turtle catalogue for ``size``, generated when missing; (path, stats, cached)."""
    import generate  # bench/ is on sys.path when this runs as bench/harness.py

    digest = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:10]
    path = CACHE / f"hdcat-{size}-seed{seed}-{digest}.ttl"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text()), True
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"hdcat-{size}-seed{seed}-*"):  # made by another generator version
        stale.unlink()
    stats = generate.generate(size, seed, path, "turtle")
    info = {"datasets": stats.datasets, "triples": stats.triples, "bytes": stats.bytes,
            "mean": stats.mean_triples_per_dataset, "seconds": stats.seconds}
    meta.write_text(json.dumps(info, indent=1) + "\n")
    return path, info, False


def count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))


def _run_once(size: int, rep: int, source: Path, args: argparse.Namespace, run_dir: Path,
              steps: dict[str, list[Run]], notes: dict[str, list[str]]) -> str | None:
    """One repetition of every step for one size; the init error, if init failed."""
    node = shlex.split(args.node) if args.node else [args.python, "-m", "catalog_node"]
    data, label = run_dir / "data", f"[{size:,}] run {rep + 1}/{args.repeat}"
    progress(f"{label}: init + load")
    init = measure([*node, "--data", str(data), "init"], run_dir / "init", args.timeout)
    init_error = None if init.ok else init.error("init")
    if init.ok:
        load = measure([*node, "--data", str(data), "load", str(source), "--catalog", "bench"],
                       run_dir / "load", args.timeout)
        steps["load"].append(load)
        for fmt, suffix in (("nquads", "nq"), ("trig", "trig")):
            if not load.ok:
                break
            progress(f"{label}: export {fmt}")
            out = run_dir / f"export.{suffix}"
            run = measure([*node, "--data", str(data), "export", "--format", fmt, "-o", str(out)],
                          run_dir / f"export-{fmt}", args.timeout)
            steps[fmt].append(run)
            if run.ok and rep == 0 and out.exists():
                notes[fmt].append(f"{out.stat().st_size / MB:,.0f} MB written")
                if fmt == "nquads":
                    notes[fmt].append(f"{count_lines(out) / 1e6:.2f} M quads")
    if not (args.skip_baseline_100k and size >= 100_000):
        progress(f"{label}: rdflib baseline")
        base = measure([args.python, "-c", BASELINE_CODE, str(source)], run_dir / "baseline",
                       args.timeout)
        steps["baseline"].append(base)
        if base.ok and rep == 0 and base.stdout.split():
            notes["baseline"].append(f"{int(base.stdout.split()[-1]) / 1e6:.2f} M "
                                     "distinct triples")
    return init_error


def bench_size(size: int, args: argparse.Namespace, work: Path) -> list[Row]:
    """All rows for one catalogue size."""
    progress(f"[{size:,}] catalogue")
    try:
        source, info, cached = catalogue(size, args.seed)
    except Exception as exc:  # the harness reports, it does not crash
        return [Row(size, "generate", error=f"ERROR: {type(exc).__name__}: {exc}")]
    made = f"cached, generated in {info['seconds']:.1f} s" if cached else "generated now"
    rows = [Row(size, "generate (bench/generate.py)", None if cached else info["seconds"],
                notes=[f"{info['triples'] / 1e6:.2f} M triples, {info['mean']:.1f}/dataset, "
                       f"{info['bytes'] / MB:,.0f} MB Turtle, {made}"])]
    steps: dict[str, list[Run]] = {"load": [], "nquads": [], "trig": [], "baseline": []}
    notes: dict[str, list[str]] = {k: [] for k in steps}
    init_error: str | None = None
    for rep in range(args.repeat):
        run_dir = work / f"{size}-{rep}"
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        init_error = _run_once(size, rep, source, args, run_dir, steps, notes) or init_error
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)

    load_row = (Row(size, "catalog-node load", error=init_error) if init_error
                else summarise(size, "catalog-node load", steps["load"], notes["load"]))
    rows.append(load_row)
    for fmt in ("nquads", "trig"):
        if load_row.error:
            rows.append(Row(size, f"catalog-node export {fmt}", error="skipped: load failed"))
        else:
            rows.append(summarise(size, f"catalog-node export {fmt}", steps[fmt], notes[fmt]))
    if not steps["baseline"]:
        rows.append(Row(size, "rdflib Graph.parse (baseline)", notes=["skipped (option)"]))
        return rows
    base_row = summarise(size, "rdflib Graph.parse (baseline)", steps["baseline"],
                         notes["baseline"])
    base_row.ratio = "" if base_row.error else "1.0 (reference)"
    rows.append(base_row)
    if load_row.seconds and base_row.seconds:
        load_row.ratio = f"{base_row.seconds / load_row.seconds:.1f}x faster"
    return rows


def check_targets(rows: list[Row], target_size: int) -> list[tuple[bool, str]]:
    """(met, text) for each target at ``target_size``; empty when that size was not run."""
    by_step = {r.step: r for r in rows if r.size == target_size}
    load = by_step.get("catalog-node load")
    if load is None:
        return []
    base = by_step.get("rdflib Graph.parse (baseline)")
    results = []
    if load.rss_mb is None:
        results.append((False, f"load peak RSS < {MAX_LOAD_RSS_MB:,.0f} MB: not measured"))
    else:
        results.append((load.rss_mb < MAX_LOAD_RSS_MB,
                        f"load peak RSS < {MAX_LOAD_RSS_MB:,.0f} MB: {load.rss_mb:,.0f} MB"))
    if load.seconds and base is not None and base.seconds:
        speedup = base.seconds / load.seconds
        results.append((speedup >= MIN_SPEEDUP,
                        f"load speed-up >= {MIN_SPEEDUP:.0f}x rdflib: {speedup:.1f}x"))
    else:
        results.append((False, f"load speed-up >= {MIN_SPEEDUP:.0f}x rdflib: not measured"))
    return results


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for dist in ("pyoxigraph", "rdflib"):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{dist} (not installed)")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Machine: {cpu}, {os.cpu_count()} cores ({usable} usable), "
            f"{psutil.virtual_memory().total / 1024**3:.1f} GiB RAM, {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; {', '.join(versions)}; "
            f"{datetime.now(UTC):%Y-%m-%d} (UTC); load average at start {load}")


def render(rows: list[Row]) -> str:
    head = ["size", "step", "seconds", "datasets/s", "peak RSS MB", "ratio", "notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(
        "---:" if h in ("size", "seconds", "datasets/s", "peak RSS MB") else "---"
        for h in head) + "|"]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def progress(text: str) -> None:
    print(f"{datetime.now():%H:%M:%S} {text}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=(
        "Benchmark catalog-node load/export against an rdflib parse of the same catalogue."))
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated numbers of datasets (default 10000,100000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per step; the median is reported (default 1)")
    parser.add_argument("--keep", action="store_true",
                        help="keep data directories, exports and logs")
    parser.add_argument("--skip-baseline-100k", action="store_true",
                        help="skip the rdflib baseline at >= 100000 datasets (minutes, GBs)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--target-size", type=int, default=100_000,
                        help="size at which the targets are checked (default 100000)")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds before a step is killed (default 3600)")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter for the child processes (default: this one)")
    parser.add_argument("--node", default=None,
                        help="command that runs the CLI (default: PYTHON -m catalog_node)")
    parser.add_argument("--work", type=Path, default=None,
                        help="where data directories go (default: a new bench/.cache/run-*)")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be comma-separated integers, not {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        parser.error("--sizes needs positive integers and --repeat at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join(["bench/run", *(sys.argv[1:] if argv is None else argv)])
    machine = machine_line()
    CACHE.mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="run-", dir=CACHE))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for size in args.sizes:
        rows += bench_size(size, args, work)
    targets = check_targets(rows, args.target_size)
    print(f"Command: `{command}`\n\n{machine}\n\n{render(rows)}\n")
    if targets:
        for met, text in targets:
            print(f"- {'PASS' if met else 'FAIL'} at {args.target_size:,} datasets: {text}")
    else:
        print(f"- targets not evaluated: {args.target_size:,} datasets not in --sizes")
    if args.keep:
        print(f"\nData directories, exports and logs kept in {work}")
    elif args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    errors = any(r.error for r in rows)
    return 0 if not errors and all(met for met, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
