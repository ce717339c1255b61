"""Read-only, time-bounded connections to the databases a warehouse source names.

A source's database URL names its password, never holds it: ``{env:VARIABLE}`` (an
environment variable) or ``{file:/absolute/path}`` (a secrets file of mode 0600), e.g.
``postgresql+psycopg://reader:{env:OMOP_PASSWORD}@127.0.0.1:5432/omop``. The placeholder is
replaced on the raw string, percent-encoded, just before the URL is parsed; reports, errors
and logs only ever see :func:`redacted` URLs.

Three databases are supported, each opened so that it cannot be written and so that no
statement runs longer than the timeout: PostgreSQL (``default_transaction_read_only`` and
``statement_timeout`` set at connection), SQLite (``mode=ro`` and a progress handler that
aborts a slow statement) and DuckDB (``read_only``, no file access, and a timer that
interrupts a slow statement). :func:`run_query` turns a stopped statement into an error that
names the table and the timeout.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL

from catalog_node.errors import ConfigError
from catalog_node.harvest.credentials import resolve_secret

#: ``{env:NAME}`` or ``{file:/path}`` anywhere in a URL
PLACEHOLDER = re.compile(r"\{(env|file):([^{}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: query parameters that carry a password in libpq-style URLs
_SECRET_KEYS = frozenset({"password", "passwd", "pwd", "sslpassword"})
SUPPORTED = ("postgresql", "sqlite", "duckdb")
#: the longest statement timeout accepted (a day), in seconds
MAX_TIMEOUT = 86_400
_HINT = "write the password as {env:VARIABLE} or {file:/path/to/secret} (mode 0600)"


def redacted(url: str | URL) -> str:
    """``url`` with any password (placeholder or literal) shown as ``***``."""
    text = url.render_as_string(hide_password=False) if isinstance(url, URL) else str(url)
    text = PLACEHOLDER.sub("***", text)
    try:
        parsed = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError):  # unparsable: hidden by pattern instead
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", text)
    hidden = "catalognoderedacted"
    query = {k: (hidden if k.lower() in _SECRET_KEYS else v) for k, v in parsed.query.items()}
    return parsed.set(query=query).render_as_string(hide_password=True).replace(hidden, "***")


def check_database_url(url: str) -> None:
    """Refuse a URL that cannot be opened as a read-only warehouse connection.

    Checks its shape only (a placeholder's secret is read when the harvest connects).
    """
    _check_placeholders(url)
    sentinel = "catalognodesecret"
    parsed = _parse(PLACEHOLDER.sub(sentinel, url), url)
    if parsed.password is not None and parsed.password != sentinel:
        raise ConfigError("the database URL holds a password", place=redacted(url), hint=_HINT)
    for key, value in parsed.query.items():
        values = [value] if isinstance(value, str) else list(value)
        if key.lower() in _SECRET_KEYS and any(v != sentinel for v in values):
            raise ConfigError(f"the database URL holds a password in {key}=",
                              place=redacted(url), hint=_HINT)
    _check_dialect(parsed, url)
    if parsed.get_backend_name() in ("sqlite", "duckdb"):
        _database_file(parsed, url)


def resolved_url(url: str) -> URL:
    """The URL with its placeholders replaced by their secrets (keep it out of reports)."""
    check_database_url(url)

    def secret(match: re.Match[str]) -> str:
        return quote(_secret(match.group(1), match.group(2), url), safe="")

    return _with_driver(_parse(PLACEHOLDER.sub(secret, url), url))


def read_only_engine(url: str, *, statement_timeout: float = 120) -> sa.Engine:
    """An engine whose connections cannot write and stop statements after the timeout."""
    if not 0 < statement_timeout <= MAX_TIMEOUT:
        raise ConfigError(f"statement timeout {statement_timeout!r} must be between 0 and "
                          f"{MAX_TIMEOUT} seconds", place=redacted(url))
    target = resolved_url(url)
    place = redacted(target)
    backend = target.get_backend_name()
    if backend == "postgresql":
        engine = _postgresql(target, statement_timeout)
    elif backend == "sqlite":
        engine = _sqlite(target, statement_timeout)
    else:
        engine = sa.create_engine(target, connect_args={
            "read_only": True, "config": {"enable_external_access": False}})
        _interrupt_after(engine, statement_timeout)

    @sa.event.listens_for(engine, "connect")
    def _remember(dbapi_connection: Any, record: Any) -> None:
        record.info["statement_timeout"] = statement_timeout
        record.info["place"] = place

    return engine


def timeout_option(options: Mapping[str, str], source: str, default: float = 120) -> float:
    """A source's ``statement_timeout`` option in seconds (default 120)."""
    raw = options.get("statement_timeout")
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= MAX_TIMEOUT:
        raise ConfigError(f"option statement_timeout={raw!r} is not a number of seconds "
                          f"between 0 and {MAX_TIMEOUT}", place=f"source {source}",
                          hint="e.g. statement_timeout=300")
    return value


def place_of(engine: sa.Engine) -> str:
    """The engine's URL as reports name it (no secret)."""
    return redacted(engine.url)


def database_name(engine: sa.Engine) -> str:
    """The database's name: a file's stem, else the URL's database."""
    name = engine.url.database or ""
    if engine.url.get_backend_name() in ("sqlite", "duckdb"):
        return Path(name).stem or "database"
    return name or engine.url.host or "database"


@contextmanager
def open_connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection of ``engine``; a failure to connect names the (redacted) URL."""
    place = place_of(engine)
    try:
        connection = engine.connect()
    except sa.exc.DBAPIError as exc:
        raise ConfigError(f"cannot connect to the database: {driver_message(exc, engine)}",
                          place=place, hint="check the host, port, user and password "
                                            "(the variable or file the URL names)") from None
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def connected(engine_or_url: sa.Engine | str, *,
              statement_timeout: float = 120) -> Iterator[sa.Connection]:
    """A connection to a URL opened with :func:`read_only_engine` (disposed after), or to
    a given engine as it is (make it with :func:`read_only_engine` to keep the bounds)."""
    if isinstance(engine_or_url, sa.Engine):
        with open_connection(engine_or_url) as connection:
            yield connection
        return
    engine = read_only_engine(engine_or_url, statement_timeout=statement_timeout)
    try:
        with open_connection(engine) as connection:
            yield connection
    finally:
        engine.dispose()


def run_query(connection: sa.Connection, statement: sa.Executable, *,
              table: str) -> Sequence[sa.Row[Any]]:
    """Every row ``statement`` answers; a stopped or failed statement names ``table``."""
    try:
        return connection.execute(statement).all()
    except sa.exc.DBAPIError as exc:
        raise query_error(exc, connection, table) from None


def query_error(exc: sa.exc.DBAPIError, connection: sa.Connection, table: str) -> ConfigError:
    """The node's error for a statement the database stopped or refused."""
    info = connection.info
    place = info.get("place") or place_of(connection.engine)
    if is_timeout(exc):
        timeout = info.get("statement_timeout")
        limit = f" ({timeout:g} s)" if isinstance(timeout, int | float) else ""
        return ConfigError(f"the query on table {table} was stopped by the statement "
                           f"timeout{limit}", place=place,
                           hint="raise the source's statement_timeout option, or describe "
                                "fewer tables")
    return ConfigError(f"the query on table {table} failed: "
                       f"{driver_message(exc, connection.engine)}", place=place,
                       hint="check that the database user may read this table")


def is_timeout(exc: sa.exc.DBAPIError) -> bool:
    """Whether the database stopped the statement for running too long."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "57014":  # PostgreSQL query_canceled
        return True
    if isinstance(orig, sqlite3.OperationalError) and "interrupted" in str(orig):
        return True
    return type(orig).__name__ == "InterruptException"  # DuckDB


def driver_message(exc: sa.exc.DBAPIError, engine: sa.Engine) -> str:
    """The driver's first line of explanation, any secret of the URL blanked out."""
    lines = [line.strip() for line in str(exc.orig).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc.orig).__name__
    secret = engine.url.password
    if secret:
        for form in {str(secret), quote(str(secret), safe="")}:
            text = text.replace(form, "***")
    return text


# -- URL checks --------------------------------------------------------------------------

def _check_placeholders(url: str) -> None:
    for kind, name in PLACEHOLDER.findall(url):
        if kind == "env" and not _ENV_NAME.fullmatch(name):
            raise ConfigError(f"{{env:{name}}} does not name an environment variable",
                              place=redacted(url), hint="for example {env:OMOP_PASSWORD}")
        if kind == "file" and not Path(name).is_absolute():
            raise ConfigError(f"secrets file {name!r} must be an absolute path",
                              place=redacted(url), hint="for example {file:/etc/omop.secret}")
    leftover = PLACEHOLDER.sub("", url)
    if "{env:" in leftover or "{file:" in leftover:
        raise ConfigError("unclosed {env:…} or {file:…} placeholder", place=redacted(url))


def _parse(text: str, given: str) -> URL:
    try:
        parsed = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise ConfigError(f"unreadable database URL: {str(exc).splitlines()[0][:120]}",
                          place=redacted(given),
                          hint="for example postgresql+psycopg://reader:{env:VAR}@host/db "
                               "or sqlite:////absolute/path.db") from None
    return _with_driver(parsed)


def _with_driver(parsed: URL) -> URL:
    """``postgresql://`` (and ``postgres://``) go through psycopg 3."""
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def _check_dialect(parsed: URL, given: str) -> None:
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise ConfigError(f"database type {backend!r} is not supported", place=redacted(given),
                          hint=f"use one of {', '.join(SUPPORTED)}: the node opens only "
                               "these read only")
    try:
        dialect = parsed.get_dialect()
        dialect.import_dbapi()
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"the database driver {parsed.drivername!r} is not installed: {exc}",
                          place=redacted(given),
                          hint="install it (psycopg, duckdb-engine) in the node's "
                               "environment") from None


def _database_file(parsed: URL, given: str) -> Path:
    name = parsed.database or ""
    if not name or name == ":memory:" or name.startswith("file:"):
        raise ConfigError("the database URL names no database file", place=redacted(given),
                          hint="for example sqlite:////var/lib/omop/omop.db")
    path = Path(name)
    if not path.is_file():
        raise ConfigError(f"no such database file: {path}", place=redacted(given))
    return path


def _secret(kind: str, name: str, url: str) -> str:
    """The secret a placeholder names (the same rules as ``--credential``)."""
    secret = resolve_secret(f"{kind}:{name}", redacted(url))
    if not secret:
        raise ConfigError("the secrets file is empty", place=name)
    return secret


# -- engines -----------------------------------------------------------------------------

def _postgresql(target: URL, timeout: float) -> sa.Engine:
    options = (f"-c default_transaction_read_only=on "
               f"-c statement_timeout={max(1, round(timeout * 1000))}")
    given = target.query.get("options")
    if isinstance(given, str) and given:
        options = f"{given} {options}"
    target = target.difference_update_query(["options"])
    return sa.create_engine(target, isolation_level="REPEATABLE READ",
                            connect_args={"options": options, "connect_timeout": 10})


def _sqlite(target: URL, timeout: float) -> sa.Engine:
    path = Path(target.database or "").resolve()
    uri = f"file:{quote(str(path))}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = sa.create_engine(target, creator=connect)

    @sa.event.listens_for(engine, "connect")
    def _bound(dbapi_connection: Any, record: Any) -> None:
        clock: dict[str, float | None] = {"start": None}
        record.info["clock"] = clock

        def too_long() -> int:
            started = clock["start"]
            return int(started is not None and time.monotonic() - started > timeout)

        dbapi_connection.set_progress_handler(too_long, 10_000)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _start(conn: sa.Connection, *_: Any) -> None:
        conn.info["clock"]["start"] = time.monotonic()

    return engine


def _interrupt_after(engine: sa.Engine, timeout: float) -> None:
    """DuckDB has no statement timeout: a timer interrupts the connection instead."""

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _arm(conn: sa.Connection, *_: Any) -> None:
        raw = conn.connection.dbapi_connection
        timer = threading.Timer(timeout, raw.interrupt)  # type: ignore[union-attr]
        timer.daemon = True
        conn.info["timer"] = timer
        timer.start()

    def _disarm(conn: sa.Connection) -> None:
        timer = conn.info.pop("timer", None)
        if timer is not None:
            timer.cancel()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _done(conn: sa.Connection, *_: Any) -> None:
        _disarm(conn)

    @sa.event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        if context.connection is not None:
            _disarm(context.connection)
