"""The configured sources, kept in the ledger database (configuration lives outside the store)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from croniter import croniter

from catalog_node.errors import ConfigError, NotFoundError
from catalog_node.harvest.credentials import check_reference
from catalog_node.ledger import Ledger
from catalog_node.ledger.ledger import now
from catalog_node.model.iris import check_name
from harvesters import SOURCE_TYPES
from harvesters.base import SourceConfig

#: source types read from a database URL, and from a local file or folder
DATABASE_TYPES = frozenset({"omop", "sql"})
FILE_TYPES = frozenset({"datapackage", "template"})
#: What ``--schedule daily`` and ``hourly`` mean; schedules are read in UTC.
SCHEDULE_ALIASES = {"hourly": "0 * * * *", "daily": "0 3 * * *"}

_COLUMNS = ("name", "url", "type", "catalog", "schedule", "grace_days", "max_bytes",
            "allow_private", "credential", "options")


def cron_of(schedule: str | None) -> str | None:
    """The cron expression a schedule stands for (None: run only when asked)."""
    if schedule is None:
        return None
    expression = SCHEDULE_ALIASES.get(schedule, schedule)
    if not croniter.is_valid(expression):
        raise ConfigError(f"schedule {schedule!r} is not a cron expression",
                          hint="use hourly, daily, or five cron fields such as '30 2 * * *'")
    return expression


def next_due(schedule: str | None, after: datetime) -> datetime | None:
    """When a schedule next falls due after ``after``."""
    expression = cron_of(schedule)
    return None if expression is None else croniter(expression, after).get_next(datetime)


def checked(source: SourceConfig) -> SourceConfig:
    """A source whose every field is usable, or a ConfigError naming the field."""
    check_name(source.name, "source name")
    check_name(source.catalog, "sub-catalogue name")
    if source.type not in SOURCE_TYPES:
        raise ConfigError(f"unknown source type {source.type!r}",
                          hint=f"use one of {', '.join(sorted(SOURCE_TYPES))}")
    url = source.url
    options = dict(source.options)
    if source.type in DATABASE_TYPES:
        from harvesters.warehouse_db import check_database_url

        check_database_url(url)
    elif source.type in FILE_TYPES:
        url = _existing_path(url)
    elif not url.startswith(("http://", "https://")):
        if source.type != "dcat" or url.startswith(("ftp:", "data:")):
            raise ConfigError(f"source URL {url!r} is not an http(s) URL", place=source.name,
                              hint="only a dcat source may be a local file")
        url = _existing_path(url) if not url.startswith("file://") else url
    if options.get("metadata"):
        options["metadata"] = _existing_path(options["metadata"])
    if "threshold" in options:
        from catalog_node.describe.page import threshold_of

        threshold_of(options)
    cron_of(source.schedule)
    if source.grace_days < 0:
        raise ConfigError("--grace-days must be 0 or more", place=source.name)
    if source.max_bytes <= 0:
        raise ConfigError("--max-bytes must be positive", place=source.name)
    check_reference(source.credential)
    return replace(source, url=url, options=options)


def _existing_path(given: str) -> str:
    path = Path(given.removeprefix("file://")).expanduser()
    if not path.exists():
        raise ConfigError("no such file", place=str(path))
    return str(path.resolve())


def add_source(ledger: Ledger, source: SourceConfig, replace_existing: bool = False) -> None:
    source = checked(source)
    verb = "INSERT OR REPLACE" if replace_existing else "INSERT"
    with ledger.write() as db:
        if not replace_existing and db.execute("SELECT 1 FROM sources WHERE name = ?",
                                               (source.name,)).fetchone():
            raise ConfigError(f"source {source.name!r} exists", place=source.name,
                              hint="remove it first, or choose another name")
        db.execute(f"{verb} INTO sources ({', '.join(_COLUMNS)}, added) VALUES "
                   f"({', '.join('?' for _ in _COLUMNS)}, ?)",
                   (source.name, source.url, source.type, source.catalog, source.schedule,
                    source.grace_days, source.max_bytes, int(source.allow_private),
                    source.credential, json.dumps(dict(source.options)), now()))


def _config(row: tuple[Any, ...]) -> SourceConfig:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["allow_private"] = bool(values["allow_private"])
    values["options"] = json.loads(values["options"])
    return SourceConfig(**values)


def list_sources(ledger: Ledger) -> list[SourceConfig]:
    return [_config(row) for row in ledger.read(
        f"SELECT {', '.join(_COLUMNS)} FROM sources ORDER BY name")]


def get_source(ledger: Ledger, name: str) -> SourceConfig:
    rows = ledger.read(f"SELECT {', '.join(_COLUMNS)} FROM sources WHERE name = ?", (name,))
    if not rows:
        known = ", ".join(s.name for s in list_sources(ledger)) or "none yet"
        raise NotFoundError(f"no source called {name!r}", place=name,
                            hint=f"known sources: {known}")
    return _config(rows[0])


def remove_source(ledger: Ledger, name: str) -> None:
    """Forget a source's configuration; its records stay until withdrawn by the node."""
    get_source(ledger, name)
    with ledger.write() as db:
        db.execute("DELETE FROM sources WHERE name = ?", (name,))
        db.execute("DELETE FROM source_pages WHERE source = ?", (name,))


def public_view(source: SourceConfig) -> dict[str, Any]:
    """What ``source list`` shows: everything but secrets (only the reference's name)."""
    return {"name": source.name, "url": source.url, "type": source.type,
            "catalog": source.catalog, "schedule": source.schedule,
            "grace_days": source.grace_days, "max_bytes": source.max_bytes,
            "allow_private": source.allow_private, "credential": source.credential,
            "options": dict(source.options)}
