"""A warehouse's description becomes HealthDCAT-AP RDF with small counts suppressed.

The descriptions here are built by hand, so each disclosure rule is checked on figures the
test chose; the readers (OMOP, SQL, dictionaries, template) are tested on real databases
and files elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph

from catalog_node.describe.build import description_ntriples, description_triples
from catalog_node.describe.disclosure import (
    percentile,
    safe_rate,
    suppress_cells,
    typical_range,
)
from catalog_node.describe.metadata import read_metadata
from catalog_node.describe.model import (
    AllowedValue,
    DataDictionary,
    DatasetDescription,
    PopulationFacts,
    Table,
    Variable,
)
from catalog_node.errors import InputError
from catalog_node.model.iris import IriMinter
from catalog_node.namespaces import CND, CSVW, DCAT, DCT, DQV, HEALTHDCATAP, SKOS
from catalog_node.validation.engine import Validator

ROOT = Path(__file__).resolve().parents[1]
METADATA = ROOT / "harvesters" / "examples" / "warehouse-metadata.ttl"
MINTER = IriMinter("http://127.0.0.1:8000/")
DATASET = MINTER.dataset("eds", "eds-test")
SNOMED = "https://hdeu-dcat.data.health.europa.eu/resource/authority/coding-system/SNOMED-CT"
ORPHA = "https://hdeu-dcat.data.health.europa.eu/resource/authority/coding-system/ORPHACODE"


# -- the disclosure rules on their own ------------------------------------------------------

def test_small_cells_and_the_next_smallest_are_suppressed():
    cells = suppress_cells({"a": 500, "b": 3, "c": 40, "d": 0}, 10)
    assert cells.suppressed == {"b", "c"}  # 3 alone could be recomputed from the total
    assert cells.published == {"a": 500, "d": 0}  # a zero describes no one
    assert cells.total == 543


def test_total_goes_when_the_suppressed_cells_cannot_hide_enough():
    cells = suppress_cells({"a": 3, "b": 4}, 10)
    assert cells.published == {} and cells.total is None


def test_nothing_is_suppressed_without_small_cells():
    cells = suppress_cells({"a": 10, "b": 11}, 10)
    assert cells.suppressed == frozenset() and cells.total == 21


def test_a_rate_whose_part_or_complement_is_small_is_not_published():
    assert safe_rate(5, 1000, 10) is None
    assert safe_rate(995, 1000, 10) is None
    assert safe_rate(0, 1000, 10) == 0.0
    assert safe_rate(250, 1000, 10) == 0.25


def test_percentiles_are_robust_and_need_enough_people():
    histogram = {1905 - 1900: 2, **{age: 10 for age in range(20, 70)}}
    low, high = typical_range(histogram, 10)
    assert low == percentile(histogram, 0.05) and low >= 20  # the two outliers do not show
    assert high == 67
    assert typical_range({40: 9}, 10) is None


# -- a built description ---------------------------------------------------------------------

def _description(**changes) -> DatasetDescription:
    person = Table("person", row_count=1_003, variables=[
        Variable("person_id", "integer", required=True, null_count=0),
        Variable("gender_concept_id", "integer", coded=True, null_count=0, allowed_values=[
            AllowedValue("8532", count=520), AllowedValue("8507", count=480),
            AllowedValue("8521", count=3)]),
        Variable("person_source_value", "string", null_count=1)],
        primary_key=["person_id"])
    device = Table("device_exposure", row_count=7,
                   variables=[Variable("device_exposure_id", "integer", null_count=0)])
    death = Table("death", row_count=20, variables=[Variable("person_id", "integer")])
    visits = Table("visit_occurrence", row_count=4_000,
                   variables=[Variable("visit_occurrence_id", "integer", null_count=0)])
    population = PopulationFacts(
        persons=1_003,
        event_rows={"visit_occurrence": 4_000, "device_exposure": 7, "death": 20},
        persons_by_sex={"female": 520, "male": 480, "other": 3, "unknown": 0},
        age_histogram={**{age: 20 for age in range(18, 68)}, 119: 3},
        observation_start=date(2010, 1, 1), observation_end=date(2023, 12, 31),
        coding_systems={SNOMED: 5_000, ORPHA: 4}, model="OMOP CDM 5.4")
    base = DatasetDescription(
        key="eds-test", identifier="eds-test", titles={"en": "Test warehouse"},
        dictionary=DataDictionary(tables=[person, device, death, visits]),
        population=population, place="omop://eds/eds-test")
    return replace(base, **changes)


def _graph(data: bytes) -> Graph:
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _values(graph: Graph, subject: str, predicate: str) -> set[str]:
    from rdflib import URIRef

    return {str(o) for o in graph.objects(URIRef(subject), URIRef(predicate))}


def _measured(graph: Graph, subject: str) -> dict[str, str]:
    """metric local name → value of the DQV measurements of ``subject``."""
    from rdflib import URIRef

    out = {}
    for m in graph.subjects(URIRef(DQV + "computedOn"), URIRef(subject)):
        metric = next(graph.objects(m, URIRef(DQV + "isMeasurementOf")))
        out[str(metric).rsplit("#", 1)[-1]] = str(next(graph.objects(m, URIRef(DQV + "value"))))
    return out


def test_population_figures_are_published_after_suppression():
    graph = _graph(description_ntriples(_description(), MINTER, "eds", 10))
    # device_exposure (7) is small; death (20), the next smallest, goes with it
    assert _values(graph, DATASET, HEALTHDCATAP + "numberOfRecords") == {"4027"}
    assert _values(graph, DATASET, HEALTHDCATAP + "numberOfUniqueIndividuals") == {"1003"}
    assert _values(graph, DATASET, HEALTHDCATAP + "minTypicalAge") == {"20"}
    assert _values(graph, DATASET, HEALTHDCATAP + "maxTypicalAge") == {"65"}
    assert _values(graph, DATASET, HEALTHDCATAP + "hasCodingSystem") == {SNOMED}
    temporal = _values(graph, DATASET, DCT + "temporal")
    assert temporal == {f"{DATASET}/temporal"}
    assert _values(graph, f"{DATASET}/temporal", DCAT + "startDate") == {"2010-01-01"}
    sexes = _measured(graph, DATASET)
    # 3 "other" is small; "male", the smallest non-zero other cell, goes too; 0 is published
    assert sexes == {"personsFemale": "520", "personsUnknownSex": "0"}
    english = next(v for v in _values(graph, DATASET, DCT + "description") if "Sex of" in v)
    assert "51.8 % female" in english and " % male" not in english


def test_dictionary_hides_suppressed_tables_values_and_rates():
    graph = _graph(description_ntriples(_description(), MINTER, "eds", 10))
    table = MINTER.table(DATASET, "person")
    assert _measured(graph, table) == {"rowCount": "1003"}
    for hidden in ("device_exposure", "death"):
        assert _measured(graph, MINTER.table(DATASET, hidden)) == {}
    assert _measured(graph, MINTER.table(DATASET, "visit_occurrence")) == {"rowCount": "4000"}
    gender = MINTER.column(table, "gender_concept_id")
    values = _values(graph, gender, CND + "allowedValue")
    notations = {n for v in values for n in _values(graph, v, SKOS + "notation")}
    assert notations == {"8532", "8507"}  # 8521 is held by 3 persons
    source = MINTER.column(table, "person_source_value")
    assert _values(graph, source, CND + "allowedValue") == set()
    assert _measured(graph, source) == {}  # one null in 1,003 rows: the rate would give 1
    assert _measured(graph, MINTER.column(table, "person_id")) == {"nullRate": "0.0"}
    assert _values(graph, gender, CSVW + "datatype") == {"integer"}
    assert _values(graph, table, CSVW + "primaryKey") == {"person_id"}


def test_a_lower_threshold_publishes_more():
    graph = _graph(description_ntriples(_description(), MINTER, "eds", 3))
    assert _measured(graph, MINTER.table(DATASET, "device_exposure")) == {"rowCount": "7"}
    assert _values(graph, DATASET, HEALTHDCATAP + "hasCodingSystem") == {SNOMED, ORPHA}


def test_output_is_deterministic():
    first = description_ntriples(_description(), MINTER, "eds", 10)
    reordered = _description()
    reordered.population.event_rows = dict(reversed(reordered.population.event_rows.items()))
    text, subject = read_metadata(METADATA)
    with_metadata = description_ntriples(
        replace(_description(), metadata=text, metadata_subject=subject), MINTER, "eds", 10)
    assert description_ntriples(reordered, MINTER, "eds", 10) == first
    assert description_ntriples(
        replace(_description(), metadata=text, metadata_subject=subject),
        MINTER, "eds", 10) == with_metadata
    assert b"_:b0" in with_metadata  # blank nodes are numbered, not random


def test_metadata_is_moved_onto_the_dataset_and_measured_figures_win():
    text, subject = read_metadata(METADATA)
    text += (f"{subject} <{HEALTHDCATAP}numberOfRecords> "
             "\"12\"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n")
    graph = _graph(description_ntriples(
        replace(_description(), metadata=text, metadata_subject=subject), MINTER, "eds", 10))
    assert _values(graph, DATASET, DCT + "identifier") == {"eds-chu-valbonne"}
    assert _values(graph, DATASET, DCT + "publisher") == {"https://chu-valbonne.example/#organisation"}
    assert _values(graph, DATASET, HEALTHDCATAP + "numberOfRecords") == {"4027"}
    descriptions = _values(graph, DATASET, DCT + "description")
    assert any(d.startswith("Données de soins") and "Sexe des personnes" in d
               for d in descriptions)


def test_metadata_file_must_describe_one_dataset(tmp_path):
    two = tmp_path / "two.ttl"
    two.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                   "<https://x.example/a> a dcat:Dataset .\n"
                   "<https://x.example/b> a dcat:Dataset .\n")
    with pytest.raises(InputError) as caught:
        read_metadata(two)
    assert str(two) in str(caught.value) and "2 dcat:Dataset" in str(caught.value)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
                      "[] a dcat:Dataset ;\n  dct:x 1 .\n")
    with pytest.raises(InputError) as caught:
        read_metadata(broken)
    assert str(broken) in str(caught.value)


def test_with_the_producers_metadata_the_record_passes_healthdcat_ap():
    text, subject = read_metadata(METADATA)
    data = description_ntriples(
        replace(_description(), metadata=text, metadata_subject=subject), MINTER, "eds", 10)
    for profile in ("healthdcat-ap", "hdh"):  # the EU profile and the national one
        report = Validator(profile).validate(_graph(data), source="test")
        assert report.violations == 0, (profile, [r.to_json() for r in report.results][:5])


def test_without_metadata_the_report_names_what_is_missing():
    data = description_ntriples(_description(), MINTER, "eds", 10)
    report = Validator("healthdcat-ap").validate(_graph(data), source="test")
    assert report.violations > 0
    missing = {r.to_json()["path"] for r in report.results}
    assert any("publisher" in str(p) for p in missing), missing


def test_triples_parse_back_with_oxigraph():
    triples = description_triples(_description(), MINTER, "eds", 10)
    data = description_ntriples(_description(), MINTER, "eds", 10)
    assert len(list(parse(data, format=RdfFormat.N_TRIPLES))) == len(set(triples))


def test_the_official_healthdcat_ap_shapes_agree():
    """The official R8 shapes (the oracle in ../shared) find no violation either."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from official import official_verdicts, reference

    if not reference().is_dir():
        pytest.skip("../shared/reference is absent")
    text, subject = read_metadata(METADATA)
    data = description_ntriples(
        replace(_description(), metadata=text, metadata_subject=subject), MINTER, "eds", 10)
    assert official_verdicts(_graph(data)) == set()
