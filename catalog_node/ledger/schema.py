"""The ledger's schema, versioned with ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

from catalog_node.errors import ConfigError

SCHEMA_VERSION = 3

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

_HARVEST_SCHEMA = """
-- Configured sources: names and references only, never a secret.
CREATE TABLE sources (
    name          TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    type          TEXT NOT NULL,
    catalog       TEXT NOT NULL,
    schedule      TEXT,
    grace_days    INTEGER NOT NULL,
    max_bytes     INTEGER NOT NULL,
    allow_private INTEGER NOT NULL,
    credential    TEXT,            -- env:VARIABLE or file:/path, never the value
    options       TEXT NOT NULL,   -- JSON object
    added         TEXT NOT NULL
);

-- Harvest runs and their reports (zlib-compressed JSON), kept as history.
CREATE TABLE runs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    source   TEXT NOT NULL,
    started  TEXT NOT NULL,
    finished TEXT,
    state    TEXT NOT NULL CHECK (state IN ('running', 'committed', 'failed', 'rolled-back')),
    complete INTEGER,
    report   BLOB
);
CREATE INDEX runs_source ON runs (source, id);

-- What a running harvest is changing, written before each store write, so that a run
-- that fails or is killed is undone whole. prior_row NULL: the record is new (drop it);
-- prior_nquads NULL as well for a new record; a graph with no ledger row (the catalogue)
-- has prior_row NULL and its prior quads.
CREATE TABLE run_undo (
    run_id       INTEGER NOT NULL,
    record_iri   TEXT NOT NULL,
    prior_row    TEXT,
    prior_nquads BLOB,           -- zlib-compressed N-Quads
    reason       TEXT NOT NULL,  -- superseded / withdrawn / graph
    PRIMARY KEY (run_id, record_iri)
);

-- The pages a source gave at its last committed run: validators, digest, records.
CREATE TABLE source_pages (
    source        TEXT NOT NULL,
    url           TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    digest        TEXT,
    next_url      TEXT,           -- the page's next link, for a 304 answer next time
    records       BLOB NOT NULL,  -- zlib-compressed JSON list of record IRIs
    PRIMARY KEY (source, url)
);

-- Records missing from their source's last complete runs: since when (last_seen: when noted).
CREATE TABLE record_seen (
    record_iri    TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    missing_since TEXT
);
CREATE INDEX record_seen_source ON record_seen (source);

-- Identifying keys of records (identifier, landing page), to link duplicates across sources.
CREATE TABLE record_keys (
    record_iri TEXT NOT NULL,
    key        TEXT NOT NULL,
    PRIMARY KEY (record_iri, key)
);
CREATE INDEX record_keys_key ON record_keys (key);

-- What each run did to each record it created, updated or withdrew, and why.
CREATE TABLE run_changes (
    run_id     INTEGER NOT NULL,
    record_iri TEXT NOT NULL,
    change     TEXT NOT NULL,
    details    BLOB,             -- zlib-compressed JSON (normalisation changes, duplicates)
    PRIMARY KEY (run_id, record_iri)
);
"""

#: Statements that bring a ledger of an older version up to this one.
_MIGRATIONS = {1: _VALIDATION_SCHEMA + _HARVEST_SCHEMA, 2: _HARVEST_SCHEMA}


def ensure_schema(connection: sqlite3.Connection, place: str) -> None:
    """Create the schema in a new ledger, or check an existing one's version."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        with connection:
            connection.executescript(_SCHEMA + _VALIDATION_SCHEMA + _HARVEST_SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version in _MIGRATIONS:
        with connection:
            connection.executescript(_MIGRATIONS[version])
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version != SCHEMA_VERSION:
        raise ConfigError(f"ledger schema version {version}, this node reads {SCHEMA_VERSION}",
                          place=place, hint="rebuild it with `catalog-node check --repair`")
