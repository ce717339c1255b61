"""A real PostgreSQL server (Debian's package) on loopback, for the warehouse tests.

``initdb`` into a temporary directory, ``postgres`` on 127.0.0.1 and a free port, its unix
socket in that directory, fsync off; scram-sha-256 passwords for every connection. When the
tests run as root, both run as the ``postgres`` system user (PostgreSQL refuses root) by
``Popen(user=...)``, so the PID we hold is the server's own. Two roles: ``owner`` (superuser,
owns database ``omop``) and ``reader`` (CONNECT, USAGE and SELECT, also on schemas and tables
the owner creates later). Stopped by PID at the end of the session.

    from tests.support_postgres import postgres_server  # noqa: F401 (a fixture)

    def test_x(postgres_server):
        engine = sa.create_engine(postgres_server.url("reader"))

The fixture skips when the binaries (``apt-get install postgresql``) or psycopg are missing.
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
from typing import Any

import pytest

from tests.conftest import free_port

ROLES = ("owner", "reader")
#: privileges of ``reader`` in database ``omop`` (schema ``cdm`` made here for the tests)
_READER_GRANTS = (
    "GRANT CONNECT ON DATABASE omop TO reader",
    "CREATE SCHEMA IF NOT EXISTS cdm",
    "GRANT USAGE ON SCHEMA public, cdm TO reader",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public, cdm TO reader",
    "ALTER DEFAULT PRIVILEGES FOR ROLE owner GRANT SELECT ON TABLES TO reader",
    "ALTER DEFAULT PRIVILEGES FOR ROLE owner GRANT USAGE ON SCHEMAS TO reader",
)


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/N/bin`` holding ``initdb`` and ``postgres``."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
             if (p.parent / "postgres").is_file()]
    found.sort(key=lambda b: [int(x) if x.isdigit() else 0
                              for x in b.parent.name.split(".")])
    return found[-1] if found else None


@dataclass
class PostgresServer:
    """One server; ``start()`` it, ``stop()`` it (which also removes ``root``)."""

    bin: Path
    root: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    passwords: dict[str, str] = field(
        default_factory=lambda: {role: secrets.token_urlsafe(18) for role in ROLES})
    process: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, role: str = "owner", database: str = "omop") -> str:
        """A SQLAlchemy URL (psycopg 3) for ``role``, password included."""
        return (f"postgresql+psycopg://{role}:{self.passwords[role]}@{self.host}:{self.port}/"
                f"{database}")

    # -- start ----------------------------------------------------------------------------
    def _as_postgres(self) -> dict[str, Any]:
        """Popen arguments running the command as ``postgres`` when we are root."""
        if os.geteuid() == 0:
            return {"user": "postgres", "group": "postgres", "extra_groups": []}
        return {}

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    def start(self, timeout: float = 30) -> PostgresServer:
        self.root.mkdir(parents=True, exist_ok=True)
        self._own(self.root)
        secret = self.root / "owner.pw"
        secret.write_text(self.passwords["owner"] + "\n")
        secret.chmod(0o600)
        self._own(secret)
        done = subprocess.run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "owner",
             "--auth", "scram-sha-256", "--pwfile", str(secret), "-E", "UTF8",
             "--locale", "C.UTF-8", "--no-sync"],
            capture_output=True, text=True, timeout=120, cwd=self.root, **self._as_postgres())
        secret.unlink()
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed ({done.returncode}): {done.stderr[-2000:]}")
        self.log.touch()
        self._own(self.log)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-c", f"listen_addresses={self.host}",
                 "-c", f"unix_socket_directories={self.root}",
                 "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off"],
                stdout=log, stderr=subprocess.STDOUT, cwd=self.root, **self._as_postgres())
        self._wait(timeout)
        self.execute("CREATE DATABASE omop", database="postgres")
        self.execute(f"CREATE ROLE reader LOGIN PASSWORD '{self.passwords['reader']}'",
                     database="postgres")
        self.execute("; ".join(_READER_GRANTS))
        return self

    def _wait(self, timeout: float) -> None:
        """Poll until the owner can log in; the server log's tail in the error otherwise."""
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                self.connect("postgres", connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                exited = self.process is not None and self.process.poll() is not None
                if exited or time.monotonic() > deadline:
                    tail = self.log.read_text(errors="replace")[-2000:]
                    what = (f"exited with {self.process.returncode}" if exited and self.process
                            else f"did not accept connections within {timeout:g} s")
                    self.stop()
                    raise RuntimeError(f"PostgreSQL {what}; server log:\n{tail}") from None
                time.sleep(0.1)

    # -- SQL as the owner -----------------------------------------------------------------
    def connect(self, database: str = "omop", role: str = "owner", **options: Any) -> Any:
        """A psycopg connection (autocommit) over TCP with ``role``'s password."""
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=role, dbname=database,
                               password=self.passwords[role], autocommit=True, **options)

    def execute(self, sql: str, database: str = "omop") -> None:
        """Run SQL (several statements separated by ``;`` allowed) as the owner."""
        with self.connect(database) as db:
            db.execute(sql)

    def query(self, sql: str, database: str = "omop") -> list[tuple[Any, ...]]:
        """The rows of one query, run as the owner."""
        with self.connect(database) as db:
            return db.execute(sql).fetchall()

    # -- stop -----------------------------------------------------------------------------
    def stop(self) -> None:
        """SIGTERM by PID (smart shutdown); if sessions keep it up, SIGINT (fast shutdown,
        which disconnects them); SIGKILL if it still lingers. Then remove the directory."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 3), (signal.SIGINT, 15), (signal.SIGKILL, 10)):
                os.kill(process.pid, sig)
                try:
                    process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server for the session; skips when it cannot be had here."""
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; "
                    "no /usr/lib/postgresql/*/bin/initdb)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root with no postgres user: cannot start PostgreSQL")
    top = Path(tempfile.mkdtemp(prefix="catalog-node-pg-"))
    top.chmod(0o755)  # the postgres user must reach its directory inside
    server = PostgresServer(binaries, top / "pg")
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(top, ignore_errors=True)
