"""An OMOP CDM warehouse harvested through the node, on PostgreSQL, SQLite and DuckDB.

The warehouse is the deterministic synthetic one of ``bench/omop_synthetic.py`` (10,000
persons). Every published figure is compared with the same figure computed here by SQL
written for the test, on the database itself; the small cells the generator plants (3 persons
of another sex, 7 device exposures, 4 HCPCS procedures) must not be published.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rdflib import Graph, URIRef

from catalog_node.ledger import validations
from catalog_node.node import Node
from harvesters.base import SourceConfig
from tests.conftest import ROOT, cli, synthetic_omop
from tests.support_postgres import postgres_server  # noqa: F401 (a fixture)

METADATA = ROOT / "harvesters" / "examples" / "warehouse-metadata.ttl"
PERSONS = 10_000
THRESHOLD = 10
HEALTH = "http://healthdataportal.eu/ns/health#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
DQV = "http://www.w3.org/ns/dqv#"
CODING = "https://hdeu-dcat.data.health.europa.eu/resource/authority/coding-system/"
#: OMOP vocabulary_id → HealthData@EU coding system (the facts the test relies on)
CODING_SYSTEMS = {"SNOMED": "SNOMED-CT", "ICD10": "ICD-10", "ICD10CM": "ICD-10-NAT",
                  "LOINC": "LOINC", "ATC": "ATC", "RxNorm": "RXNORM", "UCUM": "UCUM",
                  "CPT4": "PROC-CODES-NAT", "HCPCS": "PROC-CODES-NAT", "Visit": "OHDSI-VOCAB",
                  "Gender": "OHDSI-VOCAB", "Type Concept": "OHDSI-VOCAB"}
EVENT_TABLES = {"visit_occurrence": ("visit_concept_id", "visit_source_concept_id"),
                "condition_occurrence": ("condition_concept_id", "condition_source_concept_id"),
                "drug_exposure": ("drug_concept_id", "drug_source_concept_id"),
                "procedure_occurrence": ("procedure_concept_id", "procedure_source_concept_id"),
                "measurement": ("measurement_concept_id", "measurement_source_concept_id"),
                "observation": ("observation_concept_id", "observation_source_concept_id"),
                "device_exposure": ("device_concept_id", "device_source_concept_id"),
                "death": ("cause_concept_id", "cause_source_concept_id")}




@pytest.fixture(scope="module")
def warehouse_data():
    return synthetic_omop().generate(PERSONS)


@pytest.fixture(scope="module")
def sqlite_url(warehouse_data, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("omop") / "omop.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    synthetic_omop().create_and_load(engine, warehouse_data)
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def duckdb_url(warehouse_data, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("omop") / "omop.duckdb"
    engine = sa.create_engine(f"duckdb:///{path}")
    synthetic_omop().create_and_load(engine, warehouse_data)
    engine.dispose()
    return f"duckdb:///{path}"


@pytest.fixture(scope="module")
def postgres_warehouse(postgres_server, warehouse_data):  # noqa: F811
    """(URL with the reader's password as a placeholder, env, owner URL, schema)."""
    engine = sa.create_engine(postgres_server.url("owner"))
    synthetic_omop().create_and_load(engine, warehouse_data, schema="cdm")
    engine.dispose()
    reader = postgres_server.url("reader")
    secret = postgres_server.passwords["reader"]
    placeholder = reader.replace(f":{secret}@", ":{env:TEST_OMOP_PASSWORD}@")
    assert placeholder != reader
    return placeholder, {"TEST_OMOP_PASSWORD": secret}, postgres_server.url("owner"), "cdm"


@pytest.fixture(params=["postgresql", "sqlite", "duckdb"])
def warehouse(request) -> Iterator[tuple[str, str, str | None]]:
    """(source URL, URL for the test's own SQL, schema) on each database."""
    if request.param == "postgresql":
        url, env, owner, schema = request.getfixturevalue("postgres_warehouse")
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        yield url, owner, schema
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        return
    url = request.getfixturevalue(f"{request.param}_url")
    yield url, url, None


# -- independent figures -----------------------------------------------------------------

def _table(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def expected_figures(url: str, schema: str | None) -> dict[str, object]:
    """The figures, by SQL written here (percentile_disc written out with window functions)."""
    t = lambda name: _table(name, schema)  # noqa: E731
    engine = sa.create_engine(url)
    with engine.connect() as db:
        one = lambda sql: db.execute(sa.text(sql)).scalar_one()  # noqa: E731
        figures: dict[str, object] = {"persons": one(f"SELECT COUNT(*) FROM {t('person')}")}
        figures["rows"] = {name: one(f"SELECT COUNT(*) FROM {t(name)}")
                           for name in EVENT_TABLES}
        ages = (f"SELECT EXTRACT(YEAR FROM MIN(o.observation_period_start_date)) - "
                f"MIN(p.year_of_birth) AS age FROM {t('person')} p JOIN "
                f"{t('observation_period')} o ON o.person_id = p.person_id GROUP BY p.person_id")
        if engine.dialect.name == "sqlite":
            ages = ages.replace("EXTRACT(YEAR FROM MIN(o.observation_period_start_date))",
                                "CAST(strftime('%Y', MIN(o.observation_period_start_date)) "
                                "AS INTEGER)")
        ranked = (f"SELECT age, ROW_NUMBER() OVER (ORDER BY age) AS rn, COUNT(*) OVER () AS n "
                  f"FROM ({ages}) a")
        figures["ages"] = tuple(int(one(f"SELECT MIN(age) FROM ({ranked}) r "
                                        f"WHERE rn >= {p} * n")) for p in (0.05, 0.95))
        figures["period"] = tuple(str(one(f"SELECT {f}({c}) FROM {t('observation_period')}"))[:10]
                                  for f, c in (("MIN", "observation_period_start_date"),
                                               ("MAX", "observation_period_end_date")))
        figures["sex"] = dict(db.execute(sa.text(
            f"SELECT gender_concept_id, COUNT(*) FROM {t('person')} GROUP BY 1")).all())
        counts: dict[str, int] = {}
        columns = [(name, c) for name, pair in EVENT_TABLES.items() for c in pair]
        columns.append(("measurement", "unit_concept_id"))
        for name, column in columns:
            for vocabulary, rows in db.execute(sa.text(
                    f"SELECT c.vocabulary_id, COUNT(*) FROM {t(name)} e JOIN {t('concept')} c "
                    f"ON c.concept_id = e.{column} GROUP BY 1")):
                counts[vocabulary] = counts.get(vocabulary, 0) + rows
        figures["vocabularies"] = counts
        figures["secrets"] = [v for (v,) in db.execute(sa.text(
            f"SELECT person_source_value FROM {t('person')} LIMIT 50"))]
        figures["secrets"] += [v for (v,) in db.execute(sa.text(
            f"SELECT DISTINCT sig FROM {t('drug_exposure')} WHERE sig IS NOT NULL"))]
    engine.dispose()
    return figures


# -- the harvest -----------------------------------------------------------------------

def _harvest(node: Node, url: str, schema: str | None, metadata: Path | None,
             name: str = "eds") -> tuple[dict, str, Graph]:
    options = {"schema": schema} if schema else {}
    if metadata:
        options["metadata"] = str(metadata)
    node.add_source(SourceConfig(name=name, url=url, type="omop", catalog=name,
                                 options=options))
    report = node.harvest(name)
    assert report["committed"] and report["errors"] == [], report["errors"]
    [(record, _dataset_iri)] = node.ledger.read(
        "SELECT record_iri, dataset_iri FROM records WHERE source = ? AND status = "
        "'published'", (name,))
    graph = Graph()
    for quad in node.store.graph_quads(record):
        graph.parse(data=f"{quad.subject} {quad.predicate} {quad.object} .", format="nt")
    return report, record, graph


def _one(graph: Graph, subject: str, predicate: str) -> str:
    values = [str(o) for o in graph.objects(URIRef(subject), URIRef(predicate))]
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def _measurements(graph: Graph, subject: str) -> dict[str, str]:
    out = {}
    for m in graph.subjects(URIRef(DQV + "computedOn"), URIRef(subject)):
        metric = str(next(graph.objects(m, URIRef(DQV + "isMeasurementOf"))))
        out[metric.rsplit("#", 1)[-1]] = str(next(graph.objects(m, URIRef(DQV + "value"))))
    return out


def _dataset(graph: Graph) -> str:
    [dataset] = {str(s) for s in graph.subjects(URIRef(HEALTH + "hasVariables"))}
    return dataset


def test_figures_equal_independent_sql_and_small_counts_are_suppressed(
        node: Node, warehouse) -> None:
    url, sql_url, schema = warehouse
    expected = expected_figures(sql_url, schema)
    _report, record, graph = _harvest(node, url, schema, METADATA)
    dataset = _dataset(graph)
    assert int(_one(graph, dataset, HEALTH + "numberOfUniqueIndividuals")) \
        == expected["persons"] == PERSONS
    rows = expected["rows"]
    assert rows["device_exposure"] == 7  # the planted small table
    assert int(_one(graph, dataset, HEALTH + "numberOfRecords")) == sum(rows.values())
    low, high = expected["ages"]
    assert int(_one(graph, dataset, HEALTH + "minTypicalAge")) == low
    assert int(_one(graph, dataset, HEALTH + "maxTypicalAge")) == high
    period = _one(graph, dataset, DCT + "temporal")
    assert (_one(graph, period, DCAT + "startDate"),
            _one(graph, period, DCAT + "endDate")) == expected["period"]
    systems = {str(o) for o in graph.objects(URIRef(dataset), URIRef(HEALTH + "hasCodingSystem"))}
    rows_by_system: dict[str, int] = {}
    for vocabulary, n in expected["vocabularies"].items():
        if vocabulary in CODING_SYSTEMS:
            key = CODING + CODING_SYSTEMS[vocabulary]
            rows_by_system[key] = rows_by_system.get(key, 0) + n
    assert systems == {s for s, n in rows_by_system.items() if n >= THRESHOLD}
    assert CODING + "SNOMED-CT" in systems and CODING + "LOINC" in systems
    # persons per sex: "other" (3) and the next smallest cell are not published
    sex = expected["sex"]
    assert sex[8521] == 3
    published = _measurements(graph, dataset)
    assert "personsOtherSex" not in published
    assert len({"personsFemale", "personsMale"} & set(published)) == 1
    for metric, concept in (("personsFemale", 8532), ("personsMale", 8507)):
        if metric in published:
            assert int(published[metric]) == sex[concept]
    # table row counts: the device table and the next smallest event table are hidden
    tables = {_one(graph, str(t), "http://www.w3.org/ns/csvw#name"): str(t)
              for t in graph.objects(None, URIRef("http://www.w3.org/ns/csvw#table"))}
    assert {"person", "observation_period", "concept", *EVENT_TABLES} <= set(tables)
    assert "rowCount" not in _measurements(graph, tables["device_exposure"])
    hidden = min((n, name) for name, n in rows.items() if name != "device_exposure")[1]
    assert "rowCount" not in _measurements(graph, tables[hidden])
    assert int(_measurements(graph, tables["person"])["rowCount"]) == PERSONS
    text = graph.serialize(format="nt")
    for secret in expected["secrets"]:
        assert secret not in text, secret  # free text and local identifiers never leave
    node.validate_pending()
    stored = validations.get(node.ledger, record, "healthdcat-ap")
    assert stored is not None and stored.violations == 0, json.dumps(stored.report)[:2000]
    again = node.harvest("eds")
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_without_metadata_the_record_is_published_and_its_report_names_what_is_missing(
        node: Node, sqlite_url: str) -> None:
    _, record, graph = _harvest(node, sqlite_url, None, None)
    assert int(_one(graph, _dataset(graph), HEALTH + "numberOfUniqueIndividuals")) == PERSONS
    node.validate_pending()
    stored = validations.get(node.ledger, record, "healthdcat-ap")
    assert stored is not None and stored.violations > 0
    assert "publisher" in json.dumps(stored.report)


def test_a_literal_password_is_refused_and_a_placeholder_is_never_stored(
        data_dir: Path, postgres_warehouse) -> None:
    url, env, _, schema = postgres_warehouse
    secret = env["TEST_OMOP_PASSWORD"]
    literal = url.replace("{env:TEST_OMOP_PASSWORD}", secret)
    refused = cli("source", "add", "eds", literal, "--type", "omop", data_dir=data_dir)
    assert refused.returncode == 2 and "password" in refused.stderr
    assert secret not in refused.stderr + refused.stdout
    added = cli("source", "add", "eds", url, "--type", "omop", "--schema", schema,
                data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    missing = cli("harvest", "eds", "--no-validate", data_dir=data_dir)
    assert missing.returncode == 1 and "TEST_OMOP_PASSWORD" in missing.stderr
    run = cli("harvest", "eds", "--no-validate", data_dir=data_dir, env=env)
    assert run.returncode == 0, run.stderr
    listed = cli("source", "list", "--json", data_dir=data_dir).stdout
    assert secret not in listed + run.stdout + run.stderr
    assert secret.encode() not in (data_dir / "ledger.sqlite").read_bytes()
