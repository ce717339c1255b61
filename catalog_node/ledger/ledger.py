"""Ledger rows and the write-intent journal, in one SQLite database (WAL, one writer)."""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from catalog_node.ledger.schema import ensure_schema


def now() -> str:
    """The current UTC time, to the second, as the ledger and records write it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class LedgerRow:
    """One record as listing, paging, facets and the EHDS feed see it."""

    record_iri: str
    dataset_iri: str
    source: str
    catalog: str
    publisher_iri: str | None
    publisher_name: str | None
    access_level: str | None
    status: str
    issued: str
    modified: str
    hash: str
    validation: str
    title_fr: str | None
    title_en: str | None

    def as_tuple(self) -> tuple[str | None, ...]:
        return tuple(getattr(self, name) for name in _FIELD_NAMES)

    def title(self, lang: str = "en") -> str:
        first, second = (self.title_fr, self.title_en) if lang == "fr" else (
            self.title_en, self.title_fr)
        return first or second or self.dataset_iri


_COLUMNS = [f.name for f in fields(LedgerRow)]
_FIELD_NAMES = tuple(_COLUMNS)
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM records"
_UPSERT = (f"INSERT OR REPLACE INTO records ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in _COLUMNS)})")


@dataclass(frozen=True)
class IntentItem:
    record_iri: str
    new_hash: str | None
    prior_hash: str | None


class Ledger:
    """The side table of records; rebuildable from the store, which is the truth."""

    def __init__(self, path: Path):
        self._path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        ensure_schema(self._db, str(path))

    @property
    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
        return connection

    # -- reading -------------------------------------------------------------------------
    def get(self, record_iri: str) -> LedgerRow | None:
        row = self._db.execute(f"{_SELECT} WHERE record_iri = ?", (record_iri,)).fetchone()
        return LedgerRow(*row) if row else None

    def hashes(self, record_iris: Sequence[str]) -> dict[str, tuple[str, str, str]]:
        """``{record IRI: (hash, status, issued)}`` for those of ``record_iris`` known here."""
        found: dict[str, tuple[str, str, str]] = {}
        for start in range(0, len(record_iris), 500):
            chunk = record_iris[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for iri, digest, status, issued in self._db.execute(
                    f"SELECT record_iri, hash, status, issued FROM records "
                    f"WHERE record_iri IN ({marks})", chunk):
                found[iri] = (digest, status, issued)
        return found

    def by_dataset(self, dataset_iri: str) -> list[LedgerRow]:
        rows = self._db.execute(f"{_SELECT} WHERE dataset_iri = ? AND status = 'published' "
                                "ORDER BY modified DESC", (dataset_iri,))
        return [LedgerRow(*r) for r in rows]

    def listing(self, *, catalog: str | None = None, offset: int = 0,
                limit: int = 100) -> list[LedgerRow]:
        """Published records in a stable order (catalog, record IRI), one page."""
        where, args = "status = 'published'", []
        if catalog:
            where += " AND catalog = ?"
            args.append(catalog)
        rows = self._db.execute(f"{_SELECT} WHERE {where} ORDER BY catalog, record_iri "
                                "LIMIT ? OFFSET ?", (*args, limit, offset))
        return [LedgerRow(*r) for r in rows]

    def published_iris(self) -> Iterator[str]:
        """Every published record IRI, in listing order (streams)."""
        cursor = self._db.execute("SELECT record_iri FROM records WHERE status = 'published' "
                                  "ORDER BY catalog, record_iri")
        for (iri,) in cursor:
            yield iri

    def published_hashes(self) -> dict[str, str]:
        return dict(self._db.execute(
            "SELECT record_iri, hash FROM records WHERE status = 'published'"))

    def record_datasets(self) -> dict[str, str]:
        """``{record IRI: dataset IRI}`` of every published record."""
        return dict(self._db.execute(
            "SELECT record_iri, dataset_iri FROM records WHERE status = 'published'"))

    def total(self) -> int:
        """Rows of every status."""
        return self._db.execute("SELECT count(*) FROM records").fetchone()[0]

    def count(self, status: str = "published") -> int:
        return self._db.execute("SELECT count(*) FROM records WHERE status = ?",
                                (status,)).fetchone()[0]

    def counts_by(self, column: str) -> list[tuple[str | None, int]]:
        """Published records counted by ``catalog``, ``access_level`` or ``publisher_name``."""
        if column not in {"catalog", "access_level", "publisher_name", "source"}:
            raise ValueError(column)
        return list(self._db.execute(
            f"SELECT {column}, count(*) FROM records WHERE status = 'published' "
            f"GROUP BY {column} ORDER BY count(*) DESC, {column}"))

    def catalogs(self) -> list[str]:
        return [c for (c,) in self._db.execute(
            "SELECT DISTINCT catalog FROM records ORDER BY catalog")]

    def open_intents(self) -> list[tuple[int, str, list[IntentItem]]]:
        rows = self._db.execute(
            "SELECT id, kind, items FROM intents WHERE state = 'open' ORDER BY id").fetchall()
        return [(i, kind, [IntentItem(*item) for item in json.loads(items)])
                for i, kind, items in rows]

    def history(self, record_iri: str) -> list[tuple[str, str, str, str]]:
        return self._db.execute(
            "SELECT hash, valid_from, valid_to, reason FROM history WHERE record_iri = ? "
            "ORDER BY valid_to DESC", (record_iri,)).fetchall()

    # -- writing -------------------------------------------------------------------------
    def begin(self, kind: str, items: Sequence[IntentItem]) -> int:
        """Journal what is about to be written to the store, before it is written.

        One statement, so that a writer thread competing for the GIL pays for one round trip.
        """
        payload = json.dumps([[i.record_iri, i.new_hash, i.prior_hash] for i in items])
        with self._write_lock, self._db as db:
            cursor = db.execute("INSERT INTO intents (started, kind, state, items) "
                                "VALUES (?, ?, 'open', ?)", (now(), kind, payload))
        return int(cursor.lastrowid or 0)

    def finish(self, intent: int, rows: Sequence[LedgerRow],
               superseded: Sequence[tuple[LedgerRow, bytes]] = (),
               withdrawn: Sequence[str] = (), state: str = "done",
               reason: str = "superseded", keys: Sequence[tuple[str, str]] = ()) -> None:
        """Apply the rows of a written batch and close its intent, in one transaction.

        ``keys`` are the identifying keys of the rows' records (they replace the old ones).
        """
        stamp = now()
        with self._write_lock, self._db as db:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(_UPSERT, [r.as_tuple() for r in rows])
            if keys:
                db.executemany("DELETE FROM record_keys WHERE record_iri = ?",
                               [(r.record_iri,) for r in rows])
                db.executemany("INSERT OR IGNORE INTO record_keys VALUES (?, ?)", keys)
            db.executemany(
                "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?)",
                [(old.record_iri, old.hash, old.modified, stamp, reason, zlib.compress(nq))
                 for old, nq in superseded])
            db.executemany("UPDATE records SET status = 'withdrawn', modified = ? "
                           "WHERE record_iri = ?", [(stamp, iri) for iri in withdrawn])
            db.execute("UPDATE intents SET state = ? WHERE id = ?", (state, intent))

    def write(self) -> Any:
        """A write transaction (``with ledger.write() as db``), one writer at a time."""
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock, self._db as db:
            db.execute("BEGIN IMMEDIATE")
            yield db

    def read(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only statement (for the harvest and validation side tables)."""
        return self._db.execute(sql, tuple(args)).fetchall()

    def read_one(self, sql: str, args: Sequence[object] = ()) -> Any:
        """The first column of the first row of a read-only statement (None when no row)."""
        row = self._db.execute(sql, tuple(args)).fetchone()
        return row[0] if row else None

    def restore(self, rows: Sequence[LedgerRow], deleted: Sequence[str],
                keys: Sequence[tuple[str, str]] = ()) -> None:
        """Put rows (and their keys) back as they were, and forget records that never
        existed (an undo)."""
        with self.write() as db:
            db.executemany(_UPSERT, [r.as_tuple() for r in rows])
            db.executemany("DELETE FROM record_keys WHERE record_iri = ?",
                           [(r.record_iri,) for r in rows])
            db.executemany("INSERT OR IGNORE INTO record_keys VALUES (?, ?)", keys)
            for table in ("records", "validations", "quality", "record_keys", "record_seen"):
                db.executemany(f"DELETE FROM {table} WHERE record_iri = ?",
                               [(iri,) for iri in deleted])

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
