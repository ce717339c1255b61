"""The CLI while `serve` runs on the same data directory: no lock errors, same results."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from pyoxigraph import RdfFormat, parse

from tests.conftest import DATA, ServedNode, cli

SAMPLE = DATA / "sample.ttl"


def test_every_command_goes_through_the_running_node(served: ServedNode,
                                                     tmp_path: Path) -> None:
    data_dir = served.data_dir
    loaded = cli("load", str(SAMPLE), "--catalog", "tests", data_dir=data_dir)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "created 4" in loaded.stdout
    assert "lock" not in (loaded.stdout + loaded.stderr).lower()
    # the served node sees the new records at once
    assert httpx.get(f"{served.url}/health").json()["records"] == 4
    stats = cli("stats", "--json", data_dir=data_dir)
    assert stats.returncode == 0 and json.loads(stats.stdout)["records_published"] == 4
    query = cli("sparql", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a "
                "<http://www.w3.org/ns/dcat#Dataset> }", "--format", "json", data_dir=data_dir)
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout)["results"]["bindings"][0]["n"]["value"] == "3"  # + 1 series
    out = tmp_path / "export.trig"
    exported = cli("export", "-o", str(out), data_dir=data_dir)
    assert exported.returncode == 0, exported.stderr
    graphs = {q.graph_name.value for q in parse(path=str(out), format=RdfFormat.TRIG)}
    assert len([g for g in graphs if "/record/" in g]) == 4
    checked = cli("check", data_dir=data_dir)
    assert checked.returncode == 0 and "differences 0" in checked.stdout
    construct = cli("sparql", "CONSTRUCT { ?d ?p ?o } WHERE { ?d a "
                    "<http://www.w3.org/ns/dcat#Dataset> ; ?p ?o } LIMIT 3", data_dir=data_dir)
    assert construct.returncode == 0 and "@prefix" in construct.stdout


def test_admin_routes_refuse_requests_without_the_token(served: ServedNode) -> None:
    assert httpx.get(f"{served.url}/admin/stats").status_code == 401
    assert httpx.post(f"{served.url}/admin/load", json={"paths": [str(SAMPLE)]},
                      headers={"Authorization": "Bearer wrong"}).status_code == 401
    token = (served.data_dir / "admin.token").read_text()
    assert (served.data_dir / "admin.token").stat().st_mode & 0o077 == 0
    ok = httpx.get(f"{served.url}/admin/stats", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200


def test_lock_file_is_removed_when_the_node_stops(data_dir: Path) -> None:
    from tests.conftest import start_server, stop_server

    server = start_server(data_dir)
    assert (data_dir / "serve.json").exists()
    stop_server(server)
    assert not (data_dir / "serve.json").exists()
    # with no node running the CLI opens the store itself
    assert cli("stats", data_dir=data_dir).returncode == 0
