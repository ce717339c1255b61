"""The database readers on real SQLite and DuckDB files holding a synthetic OMOP warehouse.

Every figure the readers give is checked against the same figure computed here with the raw
``sqlite3`` / ``duckdb`` modules and SQL written for the test.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa
from pyoxigraph import RdfFormat, parse

from catalog_node.describe.build import description_ntriples
from catalog_node.describe.model import DatasetDescription, Table
from catalog_node.errors import ConfigError
from catalog_node.model.iris import IriMinter
from harvesters import omop_facts
from harvesters.base import HarvestContext, SourceConfig
from harvesters.omop import OmopHarvester, describe_omop
from harvesters.sql import SqlHarvester, describe_sql
from harvesters.sql_profile import describe_tables
from harvesters.warehouse_db import (
    check_database_url,
    read_only_engine,
    redacted,
    resolved_url,
    run_query,
)
from tests.conftest import synthetic_omop

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("sqlite", "duckdb")
CODING = "https://hdeu-dcat.data.health.europa.eu/resource/authority/coding-system/"
#: what the synthetic warehouse's vocabularies must count as (written here, not imported)
EXPECTED_SYSTEMS = {"SNOMED": "SNOMED-CT", "ICD10": "ICD-10", "ICD10CM": "ICD-10-NAT",
                    "LOINC": "LOINC", "ATC": "ATC", "RxNorm": "RXNORM", "UCUM": "UCUM",
                    "CPT4": "PROC-CODES-NAT", "HCPCS": "PROC-CODES-NAT",
                    "Visit": "OHDSI-VOCAB"}
EVENTS = {"visit_occurrence": ("visit_concept_id", "visit_source_concept_id"),
          "condition_occurrence": ("condition_concept_id", "condition_source_concept_id"),
          "drug_exposure": ("drug_concept_id", "drug_source_concept_id"),
          "procedure_occurrence": ("procedure_concept_id", "procedure_source_concept_id"),
          "measurement": ("measurement_concept_id", "measurement_source_concept_id"),
          "observation": ("observation_concept_id", "observation_source_concept_id"),
          "device_exposure": ("device_concept_id", "device_source_concept_id"),
          "death": ("cause_concept_id", "cause_source_concept_id")}




def _url(backend: str, path: Path) -> str:
    return f"{backend}:///{path}"


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(backend, version) → a database file: 10,000 persons in 5.4, 2,000 in 5.3."""
    synthetic = synthetic_omop()
    folder = tmp_path_factory.mktemp("omop")
    made = {}
    for version, persons in (("5.4", 10_000), ("5.3", 2_000)):
        data = synthetic.generate(persons, version=version)
        for backend in BACKENDS:
            path = folder / f"omop{version.replace('.', '')}.{backend}"
            engine = sa.create_engine(_url(backend, path))
            synthetic.create_and_load(engine, data)
            engine.dispose()
            made[backend, version] = path
    return made


_described: dict[tuple[str, str], DatasetDescription] = {}


def _describe(warehouses: dict[tuple[str, str], Path], backend: str,
              version: str = "5.4") -> DatasetDescription:
    if (backend, version) not in _described:
        _described[backend, version] = describe_omop(_url(backend, warehouses[backend, version]))
    return _described[backend, version]


def raw(backend: str, path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` through the raw driver module (not SQLAlchemy, not the reader)."""
    if backend == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            return connection.execute(sql).fetchall()
    connection = duckdb.connect(str(path), read_only=True,
                                config={"enable_external_access": False})
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _table(description: DatasetDescription, name: str) -> Table:
    assert description.dictionary is not None
    return next(t for t in description.dictionary.tables if t.name == name)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# -- population figures --------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_population_matches_independent_sql(warehouses: dict[tuple[str, str], Path],
                                             backend: str) -> None:
    path = warehouses[backend, "5.4"]
    facts = _describe(warehouses, backend).population
    assert facts is not None and facts.model == "OMOP CDM 5.4"

    assert facts.persons == raw(backend, path, "SELECT COUNT(*) FROM person")[0][0] == 10_000
    for table in EVENTS:
        assert facts.event_rows[table] == raw(backend, path, f"SELECT COUNT(*) FROM {table}")[0][0]
    assert facts.event_rows["device_exposure"] == 7

    by_gender = dict(raw(backend, path, "SELECT gender_concept_id, COUNT(*) FROM person "
                                        "GROUP BY gender_concept_id"))
    assert facts.persons_by_sex == {"female": by_gender.get(8532, 0),
                                    "male": by_gender.get(8507, 0),
                                    "other": by_gender.get(8521, 0), "unknown": 0}
    assert facts.persons_by_sex["other"] == 3

    ages = raw(backend, path, """
        SELECT CAST(SUBSTR(CAST(f.first_start AS VARCHAR), 1, 4) AS INTEGER) - p.year_of_birth,
               COUNT(*)
        FROM person p JOIN (SELECT person_id, MIN(observation_period_start_date) AS first_start
                            FROM observation_period GROUP BY person_id) f
             ON f.person_id = p.person_id
        GROUP BY 1""")
    assert facts.age_histogram == {int(age): n for age, n in ages}
    assert sum(facts.age_histogram.values()) == 10_000

    start, end = raw(backend, path, "SELECT MIN(observation_period_start_date), "
                                    "MAX(observation_period_end_date) FROM observation_period")[0]
    assert (facts.observation_start, facts.observation_end) == (_day(start), _day(end))
    assert date(2010, 1, 1) <= facts.observation_start <= facts.observation_end \
        <= date(2023, 12, 31)

    expected: dict[str, int] = {}
    pairs = [(t, c) for t, cols in EVENTS.items() for c in cols]
    pairs.append(("measurement", "unit_concept_id"))
    for table, column in pairs:
        for vocabulary, rows in raw(backend, path, f"""
                SELECT c.vocabulary_id, COUNT(*) FROM {table} t
                JOIN concept c ON c.concept_id = t.{column} GROUP BY c.vocabulary_id"""):
            iri = CODING + EXPECTED_SYSTEMS[vocabulary]
            expected[iri] = expected.get(iri, 0) + rows
    assert facts.coding_systems == expected
    assert facts.coding_systems[CODING + "UCUM"] == facts.event_rows["measurement"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_dictionary_counts_match_independent_sql(warehouses: dict[tuple[str, str], Path],
                                                 backend: str) -> None:
    path = warehouses[backend, "5.4"]
    description = _describe(warehouses, backend)
    assert description.dictionary is not None
    names = [t.name for t in description.dictionary.tables]
    assert names == sorted(names) and "person" in names and "episode" in names
    for table in description.dictionary.tables:
        assert table.row_count == raw(backend, path, f"SELECT COUNT(*) FROM {table.name}")[0][0]
    for table, column in (("person", "provider_id"), ("visit_occurrence",
                                                       "admitted_from_concept_id"),
                          ("drug_exposure", "sig"), ("condition_occurrence",
                                                     "condition_end_date"),
                          ("observation", "value_as_string")):
        nulls = raw(backend, path, f"SELECT COUNT(*) FROM {table} WHERE {column} IS NULL")[0][0]
        variable = next(v for v in _table(description, table).variables if v.name == column)
        assert variable.null_count == nulls
    person = _table(description, "person")
    assert [v.name for v in person.variables][:3] == ["person_id", "gender_concept_id",
                                                      "year_of_birth"]
    kinds = {v.name: (v.datatype, v.required) for v in person.variables}
    assert kinds["person_id"] == ("integer", True)
    assert kinds["birth_datetime"] == ("dateTime", False)
    assert kinds["person_source_value"] == ("string", False)
    assert person.primary_key == ["person_id"]
    assert person.titles == {"en": "Persons", "fr": "Personnes"}
    assert set(_table(description, "measurement").descriptions) == {"en", "fr"}
    assert description.dictionary.titles["en"] == "Tables of the OMOP CDM warehouse"
    assert description.identifier == "SYNTH" and description.key == "synth"
    assert description.titles == {"": "Synthetic hospital warehouse (catalog-node)"}
    assert description.place == _url(backend, path)


@pytest.mark.parametrize("backend", BACKENDS)
def test_values_only_for_coded_columns(warehouses: dict[tuple[str, str], Path],
                                       backend: str) -> None:
    path = warehouses[backend, "5.4"]
    engine = read_only_engine(_url(backend, path))
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: statements.append(statement))
    try:
        description = describe_omop(engine)
    finally:
        engine.dispose()
    gender = next(v for v in _table(description, "person").variables
                  if v.name == "gender_concept_id")
    expected = raw(backend, path, "SELECT gender_concept_id, COUNT(*) FROM person "
                                  "GROUP BY gender_concept_id ORDER BY gender_concept_id")
    assert gender.coded
    assert [(v.code, v.count) for v in gender.allowed_values] == [(str(g), n)
                                                                  for g, n in expected]
    assert {v.code: v.labels for v in gender.allowed_values}["8532"] == {"en": "FEMALE"}
    for table, column in (("person", "person_source_value"), ("drug_exposure", "sig"),
                          ("observation", "value_as_string"),
                          ("device_exposure", "unique_device_id"),
                          ("care_site", "care_site_name"), ("location", "address_1")):
        variable = next(v for v in _table(description, table).variables if v.name == column)
        assert not variable.coded and variable.allowed_values == []
        # the only statement naming the column counts its non-null rows
        assert any(re.search(rf'count\(\S*?"?{column}"?\)', s, flags=re.IGNORECASE)
                   for s in statements)
        for statement in statements:
            outside_count = re.sub(rf'count\(\S*?"?{column}"?\)', "", statement,
                                   flags=re.IGNORECASE)
            assert not re.search(rf"\b{column}\b", outside_count), statement


def test_omop_53_by_cdm_source_and_by_columns(warehouses: dict[tuple[str, str], Path],
                                              tmp_path: Path) -> None:
    path = warehouses["sqlite", "5.3"]
    description = _describe(warehouses, "sqlite", "5.3")
    assert description.population is not None
    assert description.population.model == "OMOP CDM 5.3"
    assert description.population.persons == raw("sqlite", path,
                                                 "SELECT COUNT(*) FROM person")[0][0] == 2_000
    visit = _table(description, "visit_occurrence")
    assert "admitting_source_concept_id" in [v.name for v in visit.variables]
    assert "episode" not in [t.name for t in description.dictionary.tables]  # type: ignore[union-attr]

    copy = tmp_path / "no-version.sqlite"
    shutil.copy(path, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE cdm_source SET cdm_version = NULL")
    by_columns = describe_omop(_url("sqlite", copy))
    assert by_columns.population is not None
    assert by_columns.population.model == "OMOP CDM 5.3"

    duck = _describe(warehouses, "duckdb", "5.3")
    assert duck.population == description.population


# -- connections ---------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_connection_is_read_only(warehouses: dict[tuple[str, str], Path],
                                 backend: str) -> None:
    path = warehouses[backend, "5.3"]
    before = raw(backend, path, "SELECT COUNT(*) FROM care_site")[0][0]
    engine = read_only_engine(_url(backend, path))
    try:
        for statement in ("INSERT INTO care_site (care_site_id) VALUES (99)",
                          "CREATE TABLE intruder (a INTEGER)", "DELETE FROM care_site"):
            with engine.connect() as connection, pytest.raises(ConfigError) as caught:
                run_query(connection, sa.text(statement), table="care_site")
            assert "care_site" in str(caught.value)
    finally:
        engine.dispose()
    assert raw(backend, path, "SELECT COUNT(*) FROM care_site")[0][0] == before
    assert "intruder" not in {n for (n,) in raw(
        backend, path, "SELECT name FROM sqlite_master" if backend == "sqlite"
        else "SELECT table_name FROM information_schema.tables")}


@pytest.mark.parametrize("backend", BACKENDS)
def test_slow_query_stopped_by_timeout(warehouses: dict[tuple[str, str], Path],
                                       backend: str) -> None:
    engine = read_only_engine(_url(backend, warehouses[backend, "5.3"]), statement_timeout=0.5)
    slow = sa.text("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r "
                   "WHERE i < 10000000000) SELECT COUNT(*) FROM r")
    try:
        with engine.connect() as connection:
            started = time.monotonic()
            with pytest.raises(ConfigError) as caught:
                run_query(connection, slow, table="endless")
            elapsed = time.monotonic() - started
            assert 0.4 < elapsed < 5
            message = str(caught.value)
            assert "endless" in message and "timeout (0.5 s)" in message
            connection.rollback()
            # a quick statement on the same connection is not interrupted afterwards
            time.sleep(0.6)
            assert run_query(connection, sa.text("SELECT 1"), table="one")[0][0] == 1
    finally:
        engine.dispose()


def test_literal_passwords_refused() -> None:
    for url in ("postgresql://reader:hunter2@127.0.0.1:5432/omop",
                "postgresql+psycopg://reader:hunter2@db.example/omop?sslmode=require",
                "postgresql://reader@127.0.0.1/omop?password=hunter2"):
        with pytest.raises(ConfigError) as caught:
            check_database_url(url)
        text = str(caught.value)
        assert "hunter2" not in text and "{env:" in text and "***" in text
    check_database_url("postgresql://reader:{env:OMOP_PASSWORD}@127.0.0.1:5432/omop")
    check_database_url("postgresql://reader@127.0.0.1/omop")  # peer / trust / .pgpass


def test_url_checks(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(ConfigError, match=r"nowhere\.db"):
        check_database_url(f"sqlite:///{missing}")
    with pytest.raises(ConfigError, match=r"nowhere\.db"):
        check_database_url(f"duckdb:///{missing}")
    with pytest.raises(ConfigError, match="database file"):
        check_database_url("sqlite://")
    with pytest.raises(ConfigError, match="not supported"):
        check_database_url("mysql://reader:{env:X}@127.0.0.1/omop")
    with pytest.raises(ConfigError, match="unreadable database URL"):
        check_database_url("not a url")
    with pytest.raises(ConfigError, match="absolute"):
        check_database_url("postgresql://reader:{file:secret.txt}@127.0.0.1/omop")
    assert resolved_url("postgresql://reader@127.0.0.1/omop").drivername == "postgresql+psycopg"


def test_placeholders_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "p@ss:w/rd {x}%"
    monkeypatch.setenv("CN_TEST_OMOP_PASSWORD", secret)
    url = resolved_url("postgresql://reader:{env:CN_TEST_OMOP_PASSWORD}@127.0.0.1:5432/omop")
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "reader", secret, "127.0.0.1", 5432, "omop")

    monkeypatch.delenv("CN_TEST_OMOP_PASSWORD")
    with pytest.raises(ConfigError, match="CN_TEST_OMOP_PASSWORD") as caught:
        resolved_url("postgresql://reader:{env:CN_TEST_OMOP_PASSWORD}@127.0.0.1/omop")
    assert secret not in str(caught.value)

    secret_file = tmp_path / "omop.secret"
    secret_file.write_text(secret + "\n", encoding="utf-8")
    secret_file.chmod(0o600)
    url = resolved_url(f"postgresql://reader:{{file:{secret_file}}}@127.0.0.1/omop")
    assert url.password == secret
    secret_file.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        resolved_url(f"postgresql://reader:{{file:{secret_file}}}@127.0.0.1/omop")


def test_redacted_hides_secrets() -> None:
    assert redacted("postgresql+psycopg://reader:{env:OMOP_PASSWORD}@127.0.0.1:5432/omop") \
        == "postgresql+psycopg://reader:***@127.0.0.1:5432/omop"
    assert redacted("postgresql://reader:{file:/etc/omop.secret}@db/omop") \
        == "postgresql://reader:***@db/omop"
    assert "hunter2" not in redacted("postgresql://reader:hunter2@db/omop")
    assert "hunter2" not in redacted("postgresql://reader@db/omop?password=hunter2")
    assert "hunter2" not in redacted("postgresql://reader:hunter2@db:notaport/omop")
    assert redacted("sqlite:////var/lib/omop.db") == "sqlite:////var/lib/omop.db"
    engine = sa.create_engine("postgresql+psycopg://reader:hunter2@db/omop")
    assert "hunter2" not in redacted(engine.url)


def test_connection_failure_names_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CN_TEST_PG", "hunter2")
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConfigError) as caught:
        describe_omop(f"postgresql://reader:{{env:CN_TEST_PG}}@127.0.0.1:{port}/omop",
                      statement_timeout=5)
    text = str(caught.value)
    assert "cannot connect" in text and f"127.0.0.1:{port}" in text and "hunter2" not in text


# -- a plain database ---------------------------------------------------------------------

@pytest.fixture
def plain_db(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript("""
            CREATE TABLE author (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL,
                                 born DATE);
            CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL
                               REFERENCES author (id), title TEXT NOT NULL, price REAL,
                               pages DECIMAL(6, 0), cover BLOB, in_print BOOLEAN,
                               "order" INTEGER, added TIMESTAMP);
            INSERT INTO author VALUES (1, 'Ada', '1815-12-10'), (2, 'Alan', NULL);
            INSERT INTO book VALUES (1, 1, 'Notes', 12.5, 80, NULL, 1, 1, NULL),
                                    (2, 2, 'Machines', NULL, 30, x'00', 0, NULL, NULL),
                                    (3, 2, 'Morphogenesis', 20, NULL, NULL, NULL, 2, NULL);
        """)
    return path


def test_describe_sql_plain_database(plain_db: Path) -> None:
    calls: list[tuple[int, int]] = []
    description = describe_sql(f"sqlite:///{plain_db}",
                               progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    assert (description.key, description.identifier) == ("library", "library")
    assert description.population is None
    assert description.dictionary is not None
    author, book = description.dictionary.tables
    assert (author.name, author.row_count, book.name, book.row_count) == ("author", 2,
                                                                          "book", 3)
    assert [v.name for v in book.variables] == ["id", "author_id", "title", "price", "pages",
                                                "cover", "in_print", "order", "added"]
    kinds = {v.name: v.datatype for v in book.variables}
    assert kinds == {"id": "integer", "author_id": "integer", "title": "string",
                     "price": "double", "pages": "decimal", "cover": "binary",
                     "in_print": "boolean", "order": "integer", "added": "dateTime"}
    assert {v.name: v.null_count for v in book.variables} == {
        "id": 0, "author_id": 0, "title": 0, "price": 1, "pages": 1, "cover": 2,
        "in_print": 1, "order": 1, "added": 3}
    assert [v.required for v in author.variables][1:] == [True, False]
    assert next(v for v in author.variables if v.name == "born").datatype == "date"
    assert book.primary_key == ["id"]
    assert [(k.columns, k.table, k.referenced) for k in book.foreign_keys] == [
        (["author_id"], "author", ["id"])]
    assert all(not v.coded and not v.allowed_values for t in (author, book)
               for v in t.variables)


def test_describe_tables_reads_coded_values_only_when_few(plain_db: Path) -> None:
    engine = read_only_engine(f"sqlite:///{plain_db}")
    try:
        with engine.connect() as connection:
            tables = describe_tables(connection, tables=["book"],
                                     coded=lambda table, column: column in ("author_id",
                                                                            "in_print"))
    finally:
        engine.dispose()
    book, = tables
    values = {v.name: [(a.code, a.count) for a in v.allowed_values] for v in book.variables}
    assert values["author_id"] == [("1", 1), ("2", 2)]
    assert values["in_print"] == [("0", 1), ("1", 1)]
    assert values["title"] == []


def test_many_distinct_values_give_none(tmp_path: Path) -> None:
    path = tmp_path / "wide.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (code INTEGER, few INTEGER)")
        connection.executemany("INSERT INTO t VALUES (?, ?)",
                               [(i, i % 3) for i in range(201)])
    engine = read_only_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            table, = describe_tables(connection, coded=lambda table, column: True)
    finally:
        engine.dispose()
    code, few = table.variables
    assert code.allowed_values == []
    assert [(v.code, v.count) for v in few.allowed_values] == [("0", 67), ("1", 67),
                                                              ("2", 67)]


# -- what gets published ------------------------------------------------------------------

def test_ntriples_hide_small_cells(warehouses: dict[tuple[str, str], Path]) -> None:
    description = _describe(warehouses, "sqlite")
    data = description_ntriples(description, IriMinter("http://127.0.0.1:8000/"), "eds", 10)
    triples = list(parse(data, format=RdfFormat.N_TRIPLES))
    text = data.decode("utf-8")
    assert '"10000"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in text
    counts = {t.object.value for t in triples
              if getattr(t.object, "datatype", None) is not None
              and t.object.datatype.value.endswith(("#nonNegativeInteger", "#integer"))}
    assert "3" not in counts and "7" not in counts
    assert "another sex" not in text and "autre sexe" not in text
    assert '"8521"' not in text  # the OTHER gender value: 3 persons
    device = [t for t in triples if "/device_exposure" in t.subject.value
              and "measurement" in t.subject.value]
    assert device == []
    assert f"<{CODING}SNOMED-CT>" in text and f"<{CODING}UCUM>" in text


def test_coding_systems_exist_in_the_vocabulary() -> None:
    graph = parse((ROOT / "vocabularies" / "coding-system.ttl").read_bytes(),
                  format=RdfFormat.TURTLE)
    concepts = {t.subject.value for t in graph
                if t.predicate.value.endswith("#type") and t.object.value.endswith("#Concept")}
    for code in omop_facts.coding_system_codes():
        assert CODING + code in concepts, code
    assert omop_facts.coding_system("SNOMED") == CODING + "SNOMED-CT"
    assert omop_facts.coding_system("Race") is None
    assert [omop_facts.sex_of(c) for c in (8532, 8507, 8521, 8551, 0, None, 42)] == [
        "female", "male", "other", "unknown", "unknown", "unknown", "unknown"]
    assert omop_facts.coded("person", "gender_concept_id")
    assert omop_facts.coded("fact_relationship", "domain_concept_id_1")
    assert not omop_facts.coded("person", "person_source_value")
    assert not omop_facts.coded("concept_ancestor", "ancestor_concept_id")
    assert not omop_facts.coded("my_extra_table", "thing_concept_id")


def test_spec_tables_have_titles(shared_spec: Path) -> None:
    import csv

    for version in ("5.3", "5.4"):
        with (shared_spec / f"OMOP_CDMv{version}_Table_Level.csv").open(
                encoding="utf-8-sig") as handle:
            spec_tables = {row["cdmTableName"].lower() for row in csv.DictReader(handle)}
        assert spec_tables == omop_facts.CDM_TABLES[version]
        for table in spec_tables:
            assert set(omop_facts.table_titles(table)) == {"en", "fr"}
            assert set(omop_facts.table_descriptions(table)) == {"en", "fr"}


@pytest.fixture
def shared_spec() -> Path:
    path = Path(os.environ.get("CATALOG_NODE_SHARED", ROOT.parent / "shared")) / "corpus" \
        / "omop-cdm-spec"
    if not path.is_dir():
        pytest.skip("../shared/corpus/omop-cdm-spec not present")
    return path


# -- harvesters ----------------------------------------------------------------------------

def _context(source: SourceConfig) -> tuple[HarvestContext, list[tuple[str, int, int | None]]]:
    seen: list[tuple[str, int, int | None]] = []
    context = HarvestContext(source, progress=lambda stage, done, total:
                             seen.append((stage, done, total)))
    return context, seen


def test_omop_harvester_yields_one_page(warehouses: dict[tuple[str, str], Path]) -> None:
    url = _url("duckdb", warehouses["duckdb", "5.3"])
    source = SourceConfig(name="eds", url=url, type="omop", catalog="eds",
                          options={"statement_timeout": "30"})
    context, seen = _context(source)
    pages = list(OmopHarvester(source).pages(context))
    assert len(pages) == 1 and pages[0].input_format == "ntriples"
    assert pages[0].url == "omop://eds/synth" and pages[0].data
    assert seen[-1][0] == "tables" and seen[-1][1] == seen[-1][2]
    assert context.complete and not context.errors


def test_harvester_failure_is_reported(monkeypatch: pytest.MonkeyPatch,
                                       plain_db: Path) -> None:
    monkeypatch.delenv("CN_TEST_NOT_SET", raising=False)
    source = SourceConfig(name="eds", url="postgresql://r:{env:CN_TEST_NOT_SET}@127.0.0.1/x",
                          type="omop", catalog="eds")
    context, _ = _context(source)
    assert list(OmopHarvester(source).pages(context)) == []
    assert not context.complete and "CN_TEST_NOT_SET" in str(context.errors[0])

    not_omop = SourceConfig(name="lib", url=f"sqlite:///{plain_db}", type="omop",
                            catalog="lib")
    context, _ = _context(not_omop)
    assert list(OmopHarvester(not_omop).pages(context)) == []
    assert "not an OMOP CDM schema" in str(context.errors[0])

    with pytest.raises(ConfigError, match="statement_timeout"):
        OmopHarvester(SourceConfig(name="x", url="sqlite:///x", type="omop", catalog="x",
                                   options={"statement_timeout": "soon"}))


def test_sql_harvester(plain_db: Path) -> None:
    source = SourceConfig(name="lib", url=f"sqlite:///{plain_db}", type="sql", catalog="lib",
                          options={"tables": "book"})
    context, _ = _context(source)
    page, = SqlHarvester(source).pages(context)
    text = (page.data or b"").decode("utf-8")
    assert "Morphogenesis" not in text and '"book"' in text and '"author"' not in text


@pytest.fixture(autouse=True, scope="module")
def _forget_descriptions() -> Iterator[None]:
    yield
    _described.clear()
