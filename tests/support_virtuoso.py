"""A real Virtuoso (``virtuoso-opensource``) SPARQL server for tests, on loopback, with its
database in a temporary directory; stopped by its PID. Tests skip when it is not installed.

    with virtuoso_server(tmp_path / "virtuoso", readable=[corpus]) as server:
        server.load(corpus / "file.ttl", graph="urn:graph")
        harvest(server.sparql_url)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = {dirs}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""


@dataclass
class VirtuosoServer:
    url: str
    sql_port: int
    directory: Path
    process: subprocess.Popen[bytes]

    @property
    def sparql_url(self) -> str:
        return f"{self.url}/sparql"

    def load(self, path: Path, graph: str, *, rdfxml: bool = False, base: str = "") -> None:
        """Load a Turtle (or RDF/XML) file into ``graph``, through Virtuoso's SQL client."""
        text = f"file_to_string_output('{_sql(str(path))}')"
        call = (f"DB.DBA.RDF_LOAD_RDFXML_MT({text}, '{_sql(base)}', '{_sql(graph)}')" if rdfxml
                else f"DB.DBA.TTLP_MT({text}, '{_sql(base)}', '{_sql(graph)}', 0)")
        isql = shutil.which("isql-vt") or "isql-vt"
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                               f"exec={call}; checkpoint;"],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or "Error" in done.stdout:
            raise RuntimeError(f"loading {path} into Virtuoso failed: {done.stdout}{done.stderr}")


def _sql(text: str) -> str:
    return text.replace("'", "''")


def start(directory: Path, readable: Sequence[Path] = (), timeout: float = 60) -> VirtuosoServer:
    """A fresh database in ``directory`` (files under ``readable`` may be loaded)."""
    command = shutil.which("virtuoso-t")
    if command is None or shutil.which("isql-vt") is None:
        pytest.skip("Virtuoso (apt-get install virtuoso-opensource) is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    dirs = ", ".join([".", str(directory), *(str(p) for p in readable)])
    (directory / "virtuoso.ini").write_text(_INI.format(d=directory, sql=sql, http=http,
                                                        dirs=dirs))
    with (directory / "out.log").open("wb") as out:
        process = subprocess.Popen([command, "+configfile", str(directory / "virtuoso.ini"),
                                    "+foreground"], stdout=out, stderr=subprocess.STDOUT,
                                   cwd=directory)
    server = VirtuosoServer(f"http://127.0.0.1:{http}", sql, directory, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited: {(directory / 'out.log').read_text()}")
        try:
            if httpx.get(server.sparql_url, params={"query": "ASK {}"}, timeout=2).is_success:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"Virtuoso did not answer within {timeout:g} s")


def stop(server: VirtuosoServer) -> None:
    """SIGTERM by PID (Virtuoso shuts down cleanly), then SIGKILL if it lingers."""
    if server.process.poll() is None:
        os.kill(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


@contextmanager
def virtuoso_server(directory: Path, readable: Sequence[Path] = ()) -> Iterator[VirtuosoServer]:
    server = start(directory, readable)
    try:
        yield server
    finally:
        stop(server)
