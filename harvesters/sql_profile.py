"""The tables of a database schema as a data dictionary, measured with aggregate queries only.

For each table: its columns (in order) with their type, required flag, primary and foreign
keys and comments, read from the database's catalogue; then **one** aggregate statement
(``SELECT COUNT(*), COUNT(c1), COUNT(c2), …``) gives the row count and every column's nulls.
Only a column the caller calls *coded* has its values read, by a grouped statement
(``SELECT c, COUNT(*) … GROUP BY c ORDER BY c LIMIT 201``); up to 200 distinct values are
kept with their raw counts (suppression happens when the description is built). Identifiers
are always quoted by SQLAlchemy, never pasted into SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from catalog_node.describe.model import AllowedValue, ForeignKey, Table, Variable
from harvesters.warehouse_db import run_query

#: distinct values of a coded column kept at most (more: none are kept)
MAX_VALUES = 200

Coded = Callable[[str, str], bool]
Progress = Callable[[int, int], None]


@dataclass
class ColumnShape:
    name: str
    type: sa.types.TypeEngine[Any]
    type_text: str
    nullable: bool
    comment: str | None = None


@dataclass
class TableShape:
    name: str
    columns: list[ColumnShape]
    comment: str | None = None
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)


def describe_tables(connection: sa.Connection, *, schema: str | None = None,
                    tables: Iterable[str] | None = None,
                    coded: Coded = lambda table, column: False,
                    progress: Progress | None = None) -> list[Table]:
    """Every table of ``schema`` (or only ``tables``), sorted by name, measured."""
    shapes = read_catalogue(connection, schema=schema, tables=tables)
    described = []
    for done, shape in enumerate(shapes, 1):
        described.append(measure_table(connection, shape, schema=schema, coded=coded))
        if progress is not None:
            progress(done, len(shapes))
    return described


def measure_table(connection: sa.Connection, shape: TableShape, *, schema: str | None,
                  coded: Coded) -> Table:
    """One table: its row count, nulls per column and the values of its coded columns."""
    target = sa.table(shape.name, *(sa.column(c.name) for c in shape.columns), schema=schema)
    counts = sa.select(sa.func.count(), *(sa.func.count(target.c[c.name])
                                         for c in shape.columns)).select_from(target)
    row = run_query(connection, counts, table=shape.name)[0]
    rows = int(row[0])
    variables = []
    for column, present in zip(shape.columns, row[1:], strict=True):
        is_coded = coded(shape.name, column.name)
        variable = Variable(name=column.name, datatype=csvw_datatype(column.type,
                                                                      column.type_text),
                            required=not column.nullable, coded=is_coded,
                            null_count=rows - int(present), source_type=column.type_text)
        if column.comment:
            variable.descriptions = {"": column.comment}
        if is_coded and int(present) > 0:
            variable.allowed_values = _values(connection, target, shape.name, column.name)
        variables.append(variable)
    return Table(name=shape.name, descriptions={"": shape.comment} if shape.comment else {},
                 row_count=rows, variables=variables, primary_key=list(shape.primary_key),
                 foreign_keys=list(shape.foreign_keys))


def _values(connection: sa.Connection, target: sa.TableClause, table: str,
            column: str) -> list[AllowedValue]:
    """Up to ``MAX_VALUES`` distinct non-null values with their rows; none when more."""
    c = target.c[column]
    grouped = (sa.select(c, sa.func.count()).select_from(target).where(c.is_not(None))
               .group_by(c).order_by(c).limit(MAX_VALUES + 1))
    found = run_query(connection, grouped, table=table)
    if len(found) > MAX_VALUES:
        return []
    return [AllowedValue(code=_code(value), count=int(count)) for value, count in found]


def _code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- the catalogue ------------------------------------------------------------------------

def read_catalogue(connection: sa.Connection, *, schema: str | None = None,
                   tables: Iterable[str] | None = None) -> list[TableShape]:
    """Tables (sorted by name) with their columns in order, keys and comments."""
    if connection.dialect.name == "duckdb":
        shapes = _duckdb_catalogue(connection, schema)
    else:
        shapes = _inspected(connection, schema)
    if tables is not None:
        wanted = set(tables)
        shapes = [s for s in shapes if s.name in wanted]
    return sorted(shapes, key=lambda s: s.name)


def _inspected(connection: sa.Connection, schema: str | None) -> list[TableShape]:
    inspector = sa.inspect(connection)
    names = inspector.get_table_names(schema=schema)
    if not names:
        return []
    columns = inspector.get_multi_columns(schema=schema, filter_names=names)
    keys = inspector.get_multi_pk_constraint(schema=schema, filter_names=names)
    foreign = inspector.get_multi_foreign_keys(schema=schema, filter_names=names)
    try:
        comments = inspector.get_multi_table_comment(schema=schema, filter_names=names)
    except NotImplementedError:
        comments = {}
    shapes = []
    for (_, name), cols in columns.items():
        key = (schema, name)
        shapes.append(TableShape(
            name=name,
            columns=[ColumnShape(c["name"], c["type"], _type_text(c["type"]),
                                 bool(c.get("nullable", True)), c.get("comment"))
                     for c in cols],
            comment=(comments.get(key) or {}).get("text"),
            primary_key=list((keys.get(key) or {}).get("constrained_columns") or []),
            foreign_keys=[ForeignKey(list(f["constrained_columns"]), f["referred_table"],
                                     list(f["referred_columns"]))
                          for f in foreign.get(key, [])]))
    return shapes


def _type_text(kind: sa.types.TypeEngine[Any]) -> str:
    try:
        return str(kind)
    except (sa.exc.CompileError, TypeError):  # a type that needs its dialect to render
        return type(kind).__name__


def _duckdb_catalogue(connection: sa.Connection, schema: str | None) -> list[TableShape]:
    """DuckDB's own catalogue functions (duckdb-engine's reflection does not run on
    SQLAlchemy 2.1: it asks for PostgreSQL catalogue tables DuckDB does not have)."""
    where = ("database_name = current_database() AND schema_name = "
             + ("current_schema()" if schema is None else ":schema"))
    params = {} if schema is None else {"schema": schema}

    def query(sql: str) -> Sequence[sa.Row[Any]]:
        return run_query(connection, sa.text(sql).bindparams(**params), table="(catalogue)")

    tables = {name: TableShape(name, [], comment or None) for name, comment in query(
        f"SELECT table_name, comment FROM duckdb_tables() WHERE {where}")}
    for table, name, kind, nullable, comment in query(
            f"SELECT table_name, column_name, data_type, is_nullable, comment "
            f"FROM duckdb_columns() WHERE {where} ORDER BY table_name, column_index"):
        if table in tables:
            tables[table].columns.append(ColumnShape(name, sa.types.NullType(), kind,
                                                     bool(nullable), comment or None))
    for table, kind, columns, referenced, referenced_columns in query(
            f"SELECT table_name, constraint_type, constraint_column_names, referenced_table, "
            f"referenced_column_names FROM duckdb_constraints() WHERE {where} "
            f"AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') "
            f"ORDER BY table_name, constraint_index"):
        if table not in tables:
            continue
        if kind == "PRIMARY KEY":
            tables[table].primary_key = list(columns)
        else:
            tables[table].foreign_keys.append(
                ForeignKey(list(columns), referenced, list(referenced_columns)))
    return list(tables.values())


# -- datatypes ----------------------------------------------------------------------------

_TYPE_CLASSES: list[tuple[type[sa.types.TypeEngine[Any]], str]] = [
    (sa.Boolean, "boolean"), (sa.Integer, "integer"), (sa.Float, "double"),
    (sa.Numeric, "decimal"), (sa.DateTime, "dateTime"), (sa.Date, "date"), (sa.Time, "time"),
    (sa.Interval, "duration"), (sa.LargeBinary, "binary"), (sa.BINARY, "binary"),
    (sa.VARBINARY, "binary"),
    (sa.JSON, "json"), (sa.String, "string"),
]
_TYPE_NAMES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), d) for p, d in (
    (r"^BOOL", "boolean"),
    (r"^(U?(TINY|SMALL|BIG|HUGE)?INT|INTEGER|SERIAL|BIGSERIAL|LONG|SHORT|INT\d)", "integer"),
    (r"^(DOUBLE|FLOAT|REAL)", "double"), (r"^(DECIMAL|NUMERIC|NUMBER)", "decimal"),
    (r"^(TIMESTAMP|DATETIME)", "dateTime"), (r"^DATE$", "date"), (r"^TIME", "time"),
    (r"^INTERVAL", "duration"), (r"^(BLOB|BYTEA|BINARY|VARBINARY|BIT)", "binary"),
    (r"^JSON", "json"),
)]


def csvw_datatype(kind: sa.types.TypeEngine[Any], type_text: str = "") -> str:
    """The CSVW datatype name of a SQL type (``string`` when nothing better is known)."""
    for cls, name in _TYPE_CLASSES:
        if isinstance(kind, cls):
            return name
    text = type_text.strip().upper()
    if text.endswith("]"):  # arrays and lists
        return "string"
    for pattern, name in _TYPE_NAMES:
        if pattern.match(text):
            return name
    return "string"
