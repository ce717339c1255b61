"""The harvest commands as a user runs them: sources, exit codes, a SIGKILL, a serving node."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from catalog_node.harvest.schedule import Scheduler, due_sources
from catalog_node.node import Node
from harvesters.base import SourceConfig
from tests.conftest import ROOT, cli, start_server, stop_server
from tests.support_pages import PageServer, demo_pages


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer(demo_pages(12)).start()
    yield server
    server.stop()


def _store_quads(data_dir: Path) -> list[str]:
    """Every quad of the store, every graph (not only the published view)."""
    with Node.open(data_dir) as node:
        rows = node.sparql("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(" ".join(str(b[v]) for v in ("g", "s", "p", "o")) for b in rows)


def test_sources_are_added_listed_and_removed_without_secrets(data_dir: Path,
                                                              pages: PageServer) -> None:
    os.environ["TEST_CKAN_TOKEN"] = "s3cr3t-value"
    added = cli("source", "add", "paged", pages.url, "--type", "dcat", "--allow-private",
                "--schedule", "daily", "--grace-days", "3", "--credential",
                "env:TEST_CKAN_TOKEN", data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    listed = cli("source", "list", "--json", data_dir=data_dir)
    [source] = json.loads(listed.stdout)
    assert (source["catalog"], source["schedule"], source["grace_days"],
            source["credential"]) == ("paged", "daily", 3, "env:TEST_CKAN_TOKEN")
    harvested = cli("harvest", "paged", "--no-validate", data_dir=data_dir)
    assert harvested.returncode == 0, harvested.stderr
    assert "created 12" in harvested.stdout
    for text in (listed.stdout, harvested.stdout, harvested.stderr,
                 cli("source", "runs", "--json", data_dir=data_dir).stdout):
        assert "s3cr3t-value" not in text
    bad = cli("source", "add", "bad", pages.url, "--type", "dcat", "--schedule", "now",
              data_dir=data_dir)
    assert bad.returncode == 2 and "schedule" in bad.stderr
    removed = cli("source", "remove", "paged", data_dir=data_dir)
    assert removed.returncode == 0 and "12 records withdrawn" in removed.stdout
    assert json.loads(cli("source", "list", "--json", data_dir=data_dir).stdout) == []


def test_exit_codes(data_dir: Path, pages: PageServer) -> None:
    cli("source", "add", "paged", pages.url, "--type", "dcat", "--allow-private",
        data_dir=data_dir)
    cli("source", "add", "refused", pages.url, "--type", "dcat", data_dir=data_dir)
    pages.fail[7] = 500
    partial = cli("harvest", "paged", "--no-validate", data_dir=data_dir)
    assert partial.returncode == 0, partial.stderr  # committed, with a reported page error
    assert "/page/7" in partial.stderr and "incomplete" in partial.stdout
    refused = cli("harvest", "refused", "--no-validate", data_dir=data_dir)
    assert refused.returncode == 1  # loopback is refused without --allow-private
    assert "public addresses" in refused.stderr
    assert cli("harvest", "nosuch", data_dir=data_dir).returncode == 1
    assert cli("harvest", data_dir=data_dir).returncode == 2


def test_sigkill_in_the_middle_leaves_the_store_as_it_was(data_dir: Path,
                                                          pages: PageServer) -> None:
    assert cli("source", "add", "paged", pages.url, "--type", "dcat", "--allow-private",
               "--grace-days", "0", data_dir=data_dir).returncode == 0
    assert cli("harvest", "paged", "--no-validate", data_dir=data_dir).returncode == 0
    before = _store_quads(data_dir)
    for number in (1, 2, 3):  # changed records, then new ones, then a vanished one
        pages.pages[number] = pages.pages[number].replace(b'"@en', b' (2)"@en', 1)
    pages.pages += demo_pages(14)[12:]
    pages.pages.pop(0)
    pages.hold = 6
    process = subprocess.Popen([sys.executable, "-m", "catalog_node", "--data",
                                str(data_dir), "harvest", "paged", "--no-validate"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert pages.held.wait(60), "the harvest never reached page 6"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
        pages.release()
    pages.hold = None
    after = _store_quads(data_dir)  # opening the node undoes the interrupted run
    assert after == before
    runs = json.loads(cli("source", "runs", "--json", data_dir=data_dir).stdout)
    assert runs[0]["state"] == "rolled-back" and runs[0]["records_restored"] >= 3
    check = cli("check", data_dir=data_dir)
    assert check.returncode == 0, check.stdout
    rerun = cli("harvest", "paged", "--no-validate", "--json", data_dir=data_dir)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert (report["created"], report["updated"], report["withdrawn"]) == (2, 3, 1)
    again = json.loads(cli("harvest", "paged", "--no-validate", "--json",
                           data_dir=data_dir).stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 13)


def test_harvest_through_a_serving_node(data_dir: Path, pages: PageServer) -> None:
    served = start_server(data_dir)
    try:
        added = cli("source", "add", "paged", pages.url, "--type", "dcat",
                    "--allow-private", data_dir=data_dir)
        assert added.returncode == 0, added.stderr
        run = cli("harvest", "--all", "--json", data_dir=data_dir)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["created"] == 12
        catalog = httpx.get(f"{served.url}/catalog", timeout=30,
                            headers={"Accept": "application/n-triples"})
        assert catalog.status_code == 200
        assert catalog.text.count("<http://www.w3.org/ns/dcat#dataset>") >= 12
        runs = json.loads(cli("source", "runs", "paged", "--json", data_dir=data_dir).stdout)
        assert runs[0]["state"] == "committed"
    finally:
        stop_server(served)


def test_scheduled_sources_run_when_due(node: Node, pages: PageServer) -> None:
    node.add_source(SourceConfig(name="hourly", url=pages.url, type="dcat",
                                 catalog="hourly", schedule="hourly", allow_private=True))
    node.add_source(SourceConfig(name="manual", url=pages.url, type="dcat",
                                 catalog="manual", allow_private=True))
    added = datetime.strptime(node.ledger.read_one(
        "SELECT added FROM sources WHERE name = 'hourly'"), "%Y-%m-%dT%H:%M:%SZ")
    assert due_sources(node, added) == []
    slot = added.replace(minute=0, second=0) + timedelta(hours=1)
    assert due_sources(node, slot - timedelta(seconds=1)) == []
    assert due_sources(node, slot) == ["hourly"]
    assert Scheduler(node).tick(slot) == ["hourly"]
    assert node.runs("hourly")[0]["created"] == 12
    with node.ledger.write() as db:  # the run happened at the slot time
        db.execute("UPDATE runs SET started = ? WHERE source = 'hourly'",
                   (slot.strftime("%Y-%m-%dT%H:%M:%SZ"),))
    assert due_sources(node, slot + timedelta(minutes=59)) == []
    assert due_sources(node, slot + timedelta(hours=1)) == ["hourly"]
    assert node.runs("manual") == []
