"""Any SQL database (PostgreSQL, SQLite, DuckDB) described as one dataset with its tables.

A generic warehouse says nothing about what its columns hold, so no column's values are
read: the dictionary has the tables, columns, types, keys, comments, row and null counts
(from one aggregate statement per table), and no population facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import sqlalchemy as sa

from catalog_node.describe.model import DataDictionary, DatasetDescription
from catalog_node.describe.page import described_page
from catalog_node.model.iris import slugify
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.sql_profile import describe_tables
from harvesters.warehouse_db import connected, database_name, place_of, timeout_option

Progress = Callable[[int, int], None]


def describe_sql(engine_or_url: sa.Engine | str, *, schema: str | None = None,
                 tables: Iterable[str] | None = None, progress: Progress | None = None,
                 statement_timeout: float = 120) -> DatasetDescription:
    """The database (or one schema, or some tables) as a dataset with its data dictionary."""
    with connected(engine_or_url, statement_timeout=statement_timeout) as connection:
        described = describe_tables(connection, schema=schema, tables=tables,
                                    progress=progress)
        identifier = schema or database_name(connection.engine)
        place = place_of(connection.engine)
    notes = [] if described else [f"no table found in {schema or 'the database'}"]
    if tables is not None:
        missing = sorted(set(tables) - {t.name for t in described})
        if missing:
            notes.append("tables not found: " + ", ".join(missing))
    return DatasetDescription(
        key=slugify(identifier), identifier=identifier, titles={"": identifier},
        dictionary=DataDictionary(titles={"en": f"Tables of {identifier}",
                                          "fr": f"Tables de {identifier}"},
                                  tables=described),
        place=place, notes=notes)


class SqlHarvester:
    """One database schema (``source.url``, the password as a placeholder) → one page.

    Options: ``schema``, ``tables`` (comma-separated names), ``statement_timeout`` (s).
    """

    source_type = "sql"

    def __init__(self, source: SourceConfig):
        self.source = source
        self.schema = source.options.get("schema") or None
        listed = source.options.get("tables")
        self.tables = [t.strip() for t in listed.split(",") if t.strip()] if listed else None
        self.timeout = timeout_option(source.options, source.name)

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        return described_page(context, lambda: describe_sql(
            self.source.url, schema=self.schema, tables=self.tables,
            statement_timeout=self.timeout,
            progress=lambda done, total: context.progress("tables", done, total)))
