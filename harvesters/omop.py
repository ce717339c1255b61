"""An OMOP CDM warehouse (5.3 or 5.4) described from aggregate queries only.

``describe_omop`` connects read only, every statement bounded by the timeout, and never
fetches a row to count it: each figure is a ``COUNT``, ``MIN``/``MAX`` or ``GROUP BY`` the
database computes. The figures are raw; the description's builder suppresses small counts.
``OmopHarvester`` turns the description into the one page of its source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from catalog_node.describe.model import (
    DataDictionary,
    DatasetDescription,
    PopulationFacts,
    Table,
)
from catalog_node.describe.page import described_page
from catalog_node.errors import ConfigError
from catalog_node.model.iris import slugify
from harvesters import omop_facts as facts
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.sql_profile import TableShape, measure_table, read_catalogue
from harvesters.warehouse_db import (
    connected,
    database_name,
    place_of,
    run_query,
    timeout_option,
)

Progress = Callable[[int, int], None]
#: concept ids from here up are a site's own (the CDM's convention for local concepts)
LOCAL_CONCEPTS = 2_000_000_000
DICTIONARY_TITLES = {"en": "Tables of the OMOP CDM warehouse",
                     "fr": "Tables de l'entrepôt au format OMOP CDM"}


def describe_omop(engine_or_url: sa.Engine | str, *, schema: str | None = None,
                  progress: Progress | None = None,
                  statement_timeout: float = 120) -> DatasetDescription:
    """The warehouse's dataset description: population facts and data dictionary.

    Population facts: persons (rows of ``person``); rows per clinical event table; persons
    per sex (gender concepts 8532 female, 8507 male, 8521 other, anything else unknown);
    the age histogram, where a person's age is EXTRACT(YEAR FROM the earliest
    observation_period_start_date of the person) - year_of_birth (persons without an
    observation period have no age); the earliest observation_period_start_date and the
    latest observation_period_end_date; rows per HealthData@EU coding system, from the
    vocabulary of each event table's concept and source concept and of the measurement
    units. The dictionary covers every table of the schema; values are read only for the
    concept-id columns of CDM tables. ``progress(done, total)`` follows the tables.
    """
    with connected(engine_or_url, statement_timeout=statement_timeout) as connection:
        return _Warehouse(connection, schema).describe(progress)


class OmopHarvester:
    """One OMOP CDM database (``source.url``, the password as a placeholder) → one page."""

    source_type = "omop"

    def __init__(self, source: SourceConfig):
        self.source = source
        self.schema = source.options.get("schema") or None
        self.timeout = timeout_option(source.options, source.name)

    def pages(self, context: HarvestContext) -> Iterator[Page]:
        return described_page(context, lambda: describe_omop(
            self.source.url, schema=self.schema, statement_timeout=self.timeout,
            progress=lambda done, total: context.progress("tables", done, total)))


class _Warehouse:
    def __init__(self, connection: sa.Connection, schema: str | None):
        self.connection = connection
        self.schema = schema
        self.place = place_of(connection.engine)
        self.notes: list[str] = []
        self.shapes = {s.name.lower(): s for s in read_catalogue(connection, schema=schema)}
        if "person" not in self.shapes:
            raise ConfigError("no person table: this is not an OMOP CDM schema",
                              place=self.place, hint="name the schema (--schema), or use "
                                                     "--type sql for another database")

    # -- helpers ---------------------------------------------------------------------------
    def has(self, table: str, column: str | None = None) -> bool:
        shape = self.shapes.get(table)
        return shape is not None and (column is None or self._column(shape, column) is not None)

    @staticmethod
    def _column(shape: TableShape, column: str) -> str | None:
        return next((c.name for c in shape.columns if c.name.lower() == column), None)

    def table(self, name: str, *columns: str) -> tuple[sa.TableClause, dict[str, Any]]:
        """A table clause and its columns by lower-case name (real names kept: a schema
        created with quoted upper-case names still reads)."""
        shape = self.shapes[name]
        real = {c: self._column(shape, c) or c for c in columns}
        clause = sa.table(shape.name, *(sa.column(r) for r in real.values()), schema=self.schema)
        return clause, {c: clause.c[r] for c, r in real.items()}

    def rows(self, statement: sa.Executable, table: str) -> list[sa.Row[Any]]:
        return list(run_query(self.connection, statement, table=table))

    # -- the description -------------------------------------------------------------------
    def describe(self, progress: Progress | None) -> DatasetDescription:
        source = self.cdm_source()
        version = self.version(source.get("cdm_version"))
        tables = self.dictionary(version, progress)
        counts = {t.name.lower(): t.row_count for t in tables}
        population = PopulationFacts(
            persons=counts.get("person"),
            event_rows={t: counts[t] or 0 for t in facts.EVENT_TABLES if t in counts},
            persons_by_sex=self.persons_by_sex(),
            age_histogram=self.age_histogram(),
            coding_systems=self.coding_systems(),
            model=f"OMOP CDM {version}" if version else "OMOP CDM")
        population.observation_start, population.observation_end = self.observation_span()
        self.label_values(tables)
        identifier = (source.get("cdm_source_abbreviation") or "").strip() \
            or database_name(self.connection.engine)
        name = (source.get("cdm_source_name") or "").strip()
        about = (source.get("source_description") or "").strip()
        return DatasetDescription(
            key=slugify(identifier), identifier=identifier,
            titles={"": name} if name else {}, descriptions={"": about} if about else {},
            dictionary=DataDictionary(titles=dict(DICTIONARY_TITLES), tables=tables),
            population=population, place=self.place, notes=self.notes)

    def cdm_source(self) -> dict[str, str | None]:
        wanted = ["cdm_source_name", "cdm_source_abbreviation", "source_description",
                  "cdm_version"]
        if not self.has("cdm_source"):
            self.notes.append("no cdm_source table: the database name identifies the dataset")
            return {}
        present = [c for c in wanted if self.has("cdm_source", c)]
        if not present:
            return {}
        _, c = self.table("cdm_source", *present)
        found = self.rows(sa.select(*(c[n] for n in present)).limit(2), "cdm_source")
        if not found:
            self.notes.append("cdm_source is empty: the database name identifies the dataset")
            return {}
        if len(found) > 1:
            self.notes.append("cdm_source has several rows: the first one is used")
        return {c: None if v is None else str(v) for c, v in zip(present, found[0], strict=True)}

    def version(self, declared: str | None) -> str | None:
        by_columns = next((v for v, (t, c) in facts.VERSION_MARKERS.items() if self.has(t, c)),
                          None)
        version = facts.version_of(declared)
        if version and by_columns and version != by_columns:
            self.notes.append(f"cdm_source says CDM {version} but visit_occurrence has the "
                              f"columns of {by_columns}: {version} is used")
        if not version:
            version = by_columns
        if not version:
            self.notes.append("the CDM version could not be told (no cdm_version, no "
                              "visit_occurrence)")
        return version

    def dictionary(self, version: str | None, progress: Progress | None) -> list[Table]:
        cdm = facts.CDM_TABLES.get(version or "", facts.ALL_CDM_TABLES)
        shapes = sorted(self.shapes.values(), key=lambda s: s.name)
        tables = []
        for done, shape in enumerate(shapes, 1):
            table = measure_table(self.connection, shape, schema=self.schema,
                                  coded=facts.coded if shape.name.lower() in cdm
                                  else lambda table, column: False)
            if shape.name.lower() in cdm:
                table.titles = facts.table_titles(shape.name)
                table.descriptions = facts.table_descriptions(shape.name) or table.descriptions
            tables.append(table)
            if progress is not None:
                progress(done, len(shapes))
        others = [s.name for s in shapes if s.name.lower() not in cdm]
        if others:
            self.notes.append("tables outside the OMOP CDM, described without their values: "
                              + ", ".join(others))
        return tables

    # -- population ------------------------------------------------------------------------
    def persons_by_sex(self) -> dict[str, int]:
        if not self.has("person", "gender_concept_id"):
            self.notes.append("person has no gender_concept_id: no persons per sex")
            return {}
        gender = self.table("person", "gender_concept_id")[1]["gender_concept_id"]
        sex = sa.case(*((gender == concept, name)
                        for concept, name in facts.GENDER_CONCEPTS.items()),
                      else_="unknown").label("sex")
        inner = sa.select(sex).subquery()
        found = self.rows(sa.select(inner.c.sex, sa.func.count()).group_by(inner.c.sex),
                          "person")
        counts = dict.fromkeys(facts.SEX_CATEGORIES, 0)
        counts.update({str(name): int(n) for name, n in found})
        return counts

    def age_histogram(self) -> dict[int, int]:
        if not (self.has("person", "year_of_birth")
                and self.has("observation_period", "observation_period_start_date")):
            self.notes.append("no observation_period or year_of_birth: no ages")
            return {}
        person, p = self.table("person", "person_id", "year_of_birth")
        _, o = self.table("observation_period", "person_id", "observation_period_start_date")
        first = (sa.select(o["person_id"].label("person_id"),
                           sa.func.min(o["observation_period_start_date"]).label("start"))
                 .group_by(o["person_id"]).subquery())
        age = (sa.extract("year", first.c.start) - p["year_of_birth"]).label("age")
        ages = (sa.select(age).select_from(person.join(first,
                                                       first.c.person_id == p["person_id"]))
                .subquery())
        found = self.rows(sa.select(ages.c.age, sa.func.count()).group_by(ages.c.age),
                          "observation_period")
        histogram = {int(a): int(n) for a, n in found if a is not None}
        if any(a is None for a, _ in found):
            self.notes.append("some persons have no computable age (unreadable date or year "
                              "of birth)")
        return histogram

    def observation_span(self) -> tuple[date | None, date | None]:
        columns = ("observation_period_start_date", "observation_period_end_date")
        if not all(self.has("observation_period", c) for c in columns):
            self.notes.append("no observation_period: no time span")
            return None, None
        _, o = self.table("observation_period", *columns)
        found = self.rows(sa.select(sa.func.min(o[columns[0]]), sa.func.max(o[columns[1]])),
                          "observation_period")
        start, end = (_as_date(v) for v in found[0])
        return start, end

    def coding_systems(self) -> dict[str, int]:
        if not self.has("concept", "vocabulary_id") or not self.has("concept", "concept_id"):
            self.notes.append("no concept table: coding systems not measured")
            return {}
        concept, vocab = self.table("concept", "concept_id", "vocabulary_id")
        columns = [(t, c) for t, event in facts.EVENT_TABLES.items() for c in event
                   if self.has(t, c)]
        if self.has(*facts.UNIT_COLUMN):
            columns.append(facts.UNIT_COLUMN)
        systems: dict[str, int] = {}
        unmapped: set[str] = set()
        for table, column in columns:
            events, e = self.table(table, column)
            statement = (sa.select(vocab["vocabulary_id"], sa.func.count())
                         .select_from(events.join(concept,
                                                  vocab["concept_id"] == e[column]))
                         .group_by(vocab["vocabulary_id"]))
            for vocabulary, rows in self.rows(statement, table):
                system = facts.coding_system(vocabulary)
                if system:
                    systems[system] = systems.get(system, 0) + int(rows)
                elif str(vocabulary or "") not in facts.NO_VOCABULARY:
                    unmapped.add(str(vocabulary))
        if unmapped:
            self.notes.append("vocabularies with no HealthData@EU coding system, not "
                              "published: " + ", ".join(sorted(unmapped)))
        return dict(sorted(systems.items()))

    def label_values(self, tables: list[Table]) -> None:
        """Concept names as the labels of the concept ids the dictionary lists."""
        if not self.has("concept", "concept_name") or not self.has("concept", "concept_id"):
            return
        ids = sorted({int(v.code) for t in tables for var in t.variables
                      for v in var.allowed_values if v.code.lstrip("-").isdigit()})
        _, concept = self.table("concept", "concept_id", "concept_name")
        names: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            statement = sa.select(concept["concept_id"], concept["concept_name"]).where(
                concept["concept_id"].in_(chunk))
            names.update({int(i): str(n) for i, n in self.rows(statement, "concept") if n})
        for table in tables:
            for variable in table.variables:
                for value in variable.allowed_values:
                    name = names.get(int(value.code)) if value.code.lstrip("-").isdigit() \
                        else None
                    if name:
                        value.labels = {"en" if int(value.code) < LOCAL_CONCEPTS else "": name}


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None

