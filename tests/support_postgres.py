"""A real PostgreSQL server (Debian's package) on loopback, for the warehouse tests.

``initdb`` into a temporary directory, ``postgres`` on 127.0.0.1 and a free port (run as
the ``postgres`` system user when the tests run as root, so the PID is the server's),
scram-sha-256 passwords for TCP, then two roles: ``owner`` (superuser, owns database
``omop``) and ``reader`` (CONNECT, USAGE, SELECT, also on tables created later).
Stopped by PID at the end of the session.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import free_port


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` holding initdb and postgres."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    return found[-1].parent if found else None


@dataclass
class PostgresServer:
    bin: Path
    root: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    passwords: dict[str, str] = field(default_factory=lambda: {
        "owner": secrets.token_urlsafe(18), "reader": secrets.token_urlsafe(18)})
    process: subprocess.Popen | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, role: str = "owner", database: str = "omop") -> str:
        return (f"postgresql+psycopg://{role}:{self.passwords[role]}@{self.host}:{self.port}/"
                f"{database}")

    def _user(self) -> dict[str, object]:
        """Popen arguments that run a command as ``postgres`` when we are root (PostgreSQL
        refuses to run as root); the process is then the server itself, so its PID stops it."""
        if os.geteuid() == 0:
            return {"user": "postgres", "group": "postgres", "extra_groups": []}
        return {}

    def start(self) -> PostgresServer:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        secret = self.root / "superuser.pw"
        secret.write_text(self.passwords["owner"] + "\n")
        if os.geteuid() == 0:
            shutil.chown(secret, "postgres", "postgres")
        subprocess.run([
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "owner", "-A", "scram-sha-256",
            "--pwfile", str(secret), "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"],
            check=True, capture_output=True, timeout=120, cwd=self.root, **self._user())
        with self.log.open("w") as log:
            if os.geteuid() == 0:
                shutil.chown(self.log, "postgres", "postgres")
            self.process = subprocess.Popen([
                str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                "-c", f"listen_addresses={self.host}", "-c", f"unix_socket_directories={self.root}",
                "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off"], stdout=log, stderr=subprocess.STDOUT,
                cwd=self.root, **self._user())
        self._wait()
        self._roles()
        return self

    def _wait(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(host=self.host, port=self.port, user="owner", dbname="postgres",
                                password=self.passwords["owner"], connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if (self.process is not None and self.process.poll() is not None) \
                        or time.monotonic() > deadline:
                    tail = self.log.read_text(errors="replace")[-2000:]
                    self.stop()
                    raise RuntimeError(f"PostgreSQL did not start:\n{tail}") from None
                time.sleep(0.1)

    def execute(self, sql: str, database: str = "omop") -> None:
        """Run SQL as the owner (autocommit)."""
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user="owner", dbname=database,
                             password=self.passwords["owner"], autocommit=True) as db:
            db.execute(sql)

    def _roles(self) -> None:
        reader = self.passwords["reader"]
        self.execute("CREATE DATABASE omop", database="postgres")
        self.execute(f"CREATE ROLE reader LOGIN PASSWORD '{reader}'", database="postgres")
        self.execute("GRANT CONNECT ON DATABASE omop TO reader; "
                     "CREATE SCHEMA IF NOT EXISTS cdm; "
                     "GRANT USAGE ON SCHEMA public, cdm TO reader; "
                     "ALTER DEFAULT PRIVILEGES FOR ROLE owner GRANT SELECT ON TABLES TO reader; "
                     "ALTER DEFAULT PRIVILEGES FOR ROLE owner GRANT USAGE ON SCHEMAS TO reader")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server; skips when Debian's postgresql package is absent."""
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root with no postgres user: cannot start PostgreSQL")
    root = Path(tempfile.mkdtemp(prefix="catalog-node-pg-"))
    os.chmod(root, 0o755)
    server = PostgresServer(binaries, root / "pg").start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
