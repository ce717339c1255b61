"""A real Oxigraph SPARQL server for tests: ``oxigraph load`` files, ``oxigraph serve`` on
loopback, wait until it answers, stop it by its PID.

    with oxigraph_server(tmp_path / "db", [Loaded(path)]) as server:
        httpx.get(server.query_url, params={"query": "ASK {}"})

Tests skip (``pytest.skip``) when the ``oxigraph`` command is not installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port


@dataclass(frozen=True)
class Loaded:
    """A file to load; into the default graph unless ``graph`` names one."""

    path: Path
    graph: str | None = None
    input_format: str | None = None  # an extension or media type, when the name does not tell
    base: str | None = None  # for relative IRIs


@dataclass
class OxigraphServer:
    url: str
    location: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    def ask(self, query: str) -> httpx.Response:
        """Run a query directly (no harvester in between), for checks in tests."""
        return httpx.get(self.query_url, params={"query": query}, timeout=30,
                         headers={"Accept": "application/sparql-results+json"})


def oxigraph_command() -> str:
    """The ``oxigraph`` executable beside this Python, or on PATH; skip the test without it."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph command (pip install oxigraph) is not installed")
    return found


def load(location: Path, files: Sequence[Loaded]) -> None:
    """Bulk-load files into the store at ``location`` (the server must not be running)."""
    command = oxigraph_command()
    for item in files:
        args = [command, "load", "--location", str(location), "--file", str(item.path)]
        if item.graph:
            args += ["--graph", item.graph]
        if item.input_format:
            args += ["--format", item.input_format]
        if item.base:
            args += ["--base", item.base]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"oxigraph load {item.path} failed: {done.stderr.strip()}")


def start(location: Path, *, read_only: bool = False, timeout: float = 30) -> OxigraphServer:
    """Serve the store at ``location`` on a free loopback port; wait until it answers."""
    port = free_port()
    log = location.with_name(f"{location.name}-oxigraph-{port}.log")
    mode = "serve-read-only" if read_only else "serve"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [oxigraph_command(), mode, "--location", str(location),
             "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    server = OxigraphServer(f"http://127.0.0.1:{port}", location, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {process.returncode}: {log.read_text()}")
        try:
            if server.ask("ASK {}").is_success:
                return server
        except httpx.HTTPError:
            time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"oxigraph did not answer within {timeout:g} s: {log.read_text()}")


def stop(server: OxigraphServer) -> None:
    """SIGTERM by PID, then SIGKILL if it lingers."""
    if server.process.poll() is None:
        os.kill(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


@contextmanager
def oxigraph_server(location: Path, files: Sequence[Loaded] = (), *,
                    read_only: bool = False) -> Iterator[OxigraphServer]:
    """Load ``files`` into a store at ``location``, serve it, stop it afterwards.

    ``read_only`` serves with ``serve-read-only`` (the store must then hold something).
    """
    location.mkdir(parents=True, exist_ok=True)
    load(location, files)
    server = start(location, read_only=read_only)
    try:
        yield server
    finally:
        stop(server)
