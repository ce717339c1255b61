"""The ledger's schema, versioned with ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

from catalog_node.errors import ConfigError

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE records (
    record_iri     TEXT PRIMARY KEY,
    dataset_iri    TEXT NOT NULL,
    source         TEXT NOT NULL,
    catalog        TEXT NOT NULL,
    publisher_iri  TEXT,
    publisher_name TEXT,
    access_level   TEXT,
    status         TEXT NOT NULL CHECK (status IN ('published', 'withdrawn')),
    issued         TEXT NOT NULL,
    modified       TEXT NOT NULL,
    hash           TEXT NOT NULL,
    validation     TEXT NOT NULL DEFAULT '{}',
    title_fr       TEXT,
    title_en       TEXT
);
CREATE INDEX records_dataset ON records (dataset_iri);
CREATE INDEX records_listing ON records (status, catalog, record_iri);
CREATE INDEX records_publisher ON records (status, publisher_iri);
CREATE INDEX records_source ON records (source, status);

-- Write intents: opened before the store is touched, closed with the ledger update.
-- items: JSON list of [record IRI, new hash or null (drop), prior hash or null (new)].
CREATE TABLE intents (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    started  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('open', 'done', 'repaired')),
    items    TEXT NOT NULL
);
CREATE INDEX intents_open ON intents (state) WHERE state = 'open';

-- Superseded and withdrawn versions: kept outside the store, never published by SPARQL.
CREATE TABLE history (
    record_iri TEXT NOT NULL,
    hash       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    nquads     BLOB NOT NULL  -- zlib-compressed N-Quads of the record graph
);
CREATE INDEX history_record ON history (record_iri, valid_to);
"""

_VALIDATION_SCHEMA = """
-- Validation results, one row per record and profile; `hash` is the record hash validated,
-- `fingerprint` the profile's shapes and vocabularies: a row is current while both match.
CREATE TABLE validations (
    record_iri   TEXT NOT NULL,
    profile      TEXT NOT NULL,
    hash         TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    level        TEXT,
    conforms     INTEGER NOT NULL,
    violations   INTEGER NOT NULL,
    warnings     INTEGER NOT NULL,
    infos        INTEGER NOT NULL,
    report       BLOB NOT NULL,  -- zlib-compressed JSON report
    validated_at TEXT NOT NULL,
    PRIMARY KEY (record_iri, profile)
);

-- Metadata quality (MQA-style), one row per record, computed with its validation.
CREATE TABLE quality (
    record_iri  TEXT PRIMARY KEY,
    hash        TEXT NOT NULL,
    points      INTEGER NOT NULL,
    rating      TEXT NOT NULL,
    score       BLOB NOT NULL,  -- zlib-compressed JSON score
    urls        BLOB,           -- zlib-compressed JSON URL checks, from `quality --check-urls`
    computed_at TEXT NOT NULL
);
"""

#: Statements that bring a ledger of an older version up to this one.
_MIGRATIONS = {1: _VALIDATION_SCHEMA}


def ensure_schema(connection: sqlite3.Connection, place: str) -> None:
    """Create the schema in a new ledger, or check an existing one's version."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        with connection:
            connection.executescript(_SCHEMA + _VALIDATION_SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version in _MIGRATIONS:
        with connection:
            connection.executescript(_MIGRATIONS[version])
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version != SCHEMA_VERSION:
        raise ConfigError(f"ledger schema version {version}, this node reads {SCHEMA_VERSION}",
                          place=place, hint="rebuild it with `catalog-node check --repair`")
