"""Shared fixtures: fresh data directories, the CLI as a subprocess, a served node."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from catalog_node.node import Node
from catalog_node.settings import init_data_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
BASE = "http://127.0.0.1:8000/"


def shared_path() -> Path:
    return Path(os.environ.get("CATALOG_NODE_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def shared() -> Path:
    path = shared_path()
    if not (path / "reference").is_dir():
        pytest.skip("../shared not present")
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An initialised, empty data directory."""
    directory = tmp_path / "data"
    init_data_dir(directory, BASE)
    return directory


@pytest.fixture
def node(data_dir: Path) -> Iterator[Node]:
    with Node.open(data_dir) as opened:
        opened.prepare()
        yield opened


def cli(*args: str, data_dir: Path | None = None, timeout: float = 300,
        stdin: bytes | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run ``catalog-node`` in a subprocess, as a user would (``env`` adds variables)."""
    command = [sys.executable, "-m", "catalog_node"]
    if data_dir is not None:
        command += ["--data", str(data_dir)]
    return subprocess.run([*command, *args], capture_output=True, timeout=timeout,
                          input=stdin.decode() if stdin is not None else None, text=True,
                          cwd=ROOT, env={**os.environ, "COLUMNS": "200", **(env or {})})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServedNode:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]


def start_server(data_dir: Path, port: int | None = None) -> ServedNode:
    """Start ``catalog-node serve`` on loopback and wait until it answers."""
    port = port or free_port()
    log = (data_dir.parent / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "catalog_node", "--data", str(data_dir), "serve",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited with {process.returncode}: "
                               f"{(data_dir.parent / f'serve-{port}.log').read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).is_success:
                return ServedNode(url, data_dir, process)
        except httpx.HTTPError:
            time.sleep(0.1)
    stop_server(ServedNode(url, data_dir, process))
    raise RuntimeError("serve did not answer within 30 s")


def stop_server(served: ServedNode) -> None:
    """Stop the server by its PID: SIGTERM, then SIGKILL if it lingers."""
    if served.process.poll() is None:
        os.kill(served.process.pid, signal.SIGTERM)
        try:
            served.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(served.process.pid, signal.SIGKILL)
            served.process.wait(timeout=15)


@pytest.fixture
def served(data_dir: Path) -> Iterator[ServedNode]:
    server = start_server(data_dir)
    try:
        yield server
    finally:
        stop_server(server)


def synthetic_omop() -> ModuleType:
    """``bench/omop_synthetic.py``, the deterministic synthetic OMOP CDM warehouse."""
    spec = importlib.util.spec_from_file_location("omop_synthetic",
                                                  ROOT / "bench" / "omop_synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
