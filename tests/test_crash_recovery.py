"""A load killed with SIGKILL: the ledger and the store agree, or are repaired to agree."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from catalog_node.node import Node
from tests.conftest import ROOT, cli


def _catalogue(path: Path, datasets: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                  "@prefix dct: <http://purl.org/dc/terms/> .\n")
        for i in range(datasets):
            out.write(f'<https://crash.test/d/{i}> a dcat:Dataset ;\n'
                      f'  dct:title "Jeu {i}"@fr, "Dataset {i}"@en ;\n'
                      f'  dct:identifier "{i}" ;\n'
                      + "".join(f'  dct:subject "s{i}-{k}" ;\n' for k in range(40))
                      + f'  dct:publisher <https://crash.test/agent/{i % 7}> .\n'
                      f'<https://crash.test/agent/{i % 7}> a <http://xmlns.com/foaf/0.1/Agent> .\n')
    return path


def _rows(data_dir: Path) -> int:
    try:
        with sqlite3.connect(data_dir / "ledger.sqlite", timeout=5) as db:
            return db.execute("SELECT count(*) FROM records").fetchone()[0]
    except sqlite3.Error:
        return 0


def _kill_mid_load(data_dir: Path, source: Path, catalog: str) -> None:
    process = subprocess.Popen([sys.executable, "-m", "catalog_node", "--data", str(data_dir),
                                "load", str(source), "--catalog", catalog, "--no-validate"],
                               cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = _rows(data_dir)
    deadline = time.monotonic() + 120
    while _rows(data_dir) <= start and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_sigkill_during_first_load_then_repair(tmp_path: Path, data_dir: Path) -> None:
    source = _catalogue(tmp_path / "big.ttl", 6000)
    _kill_mid_load(data_dir, source, "crash")
    written = _rows(data_dir)
    assert 0 < written < 6000, f"the kill came too late or too early ({written} rows)"
    checked = cli("check", data_dir=data_dir)
    assert checked.returncode in (0, 1), checked.stderr
    repaired = cli("check", "--repair", data_dir=data_dir)
    assert repaired.returncode == 0, repaired.stderr
    assert cli("check", data_dir=data_dir).returncode == 0
    with Node.open(data_dir) as node:
        report = node.check()
        assert report.differences == 0
        assert report.records_in_store == report.records_in_ledger
        # every record still in the store is whole: its content hash matches its checksum
        for row in node.ledger.listing(limit=10_000):
            _, quads = node.record_for(row.dataset_iri)
            assert len([q for q in quads if q.subject.value == row.dataset_iri]) == 45
    # and a complete re-run finishes the job
    rerun = cli("load", str(source), "--catalog", "crash", "--no-validate", data_dir=data_dir)
    assert rerun.returncode == 0, rerun.stdout
    assert cli("check", data_dir=data_dir).returncode == 0
    assert _rows(data_dir) == 6000


def test_sigkill_during_replacing_load_then_repair(tmp_path: Path, data_dir: Path) -> None:
    source = _catalogue(tmp_path / "v1.ttl", 3000)
    assert cli("load", str(source), "--catalog", "crash", "--no-validate",
               data_dir=data_dir).returncode == 0
    changed = tmp_path / "v2.ttl"
    changed.write_text(source.read_text().replace('"@en', ' (v2)"@en'))
    process = subprocess.Popen([sys.executable, "-m", "catalog_node", "--data", str(data_dir),
                                "load", str(changed), "--catalog", "crash", "--no-validate"],
                               cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        with sqlite3.connect(data_dir / "ledger.sqlite", timeout=5) as db:
            if db.execute("SELECT count(*) FROM history").fetchone()[0] > 0:
                break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert cli("check", "--repair", data_dir=data_dir).returncode == 0
    with Node.open(data_dir) as node:
        assert node.check().differences == 0
        rows = node.ledger.listing(limit=10_000)
        assert len(rows) == 3000
        updated = [r for r in rows if (r.title_en or "").endswith("(v2)")]
        assert 0 < len(updated) < 3000
        for row in updated[:50] + rows[-50:]:  # ledger titles agree with the store's
            _, quads = node.record_for(row.dataset_iri)
            titles = {q.object.value for q in quads if q.predicate.value.endswith("/title")}
            assert row.title_en in titles
