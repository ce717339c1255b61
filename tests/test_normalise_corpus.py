"""catalog_node.normalise on real catalogues (../shared/corpus) against the references.

Each corpus file is parsed with pyoxigraph to N-Triples, as the index does, then rewritten;
the output must parse, be idempotent, and hold the expected terms. The official examples
and the shipped demo catalogue are already normal: nothing may change there.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import yaml

from catalog_node.normalise import Normaliser
from catalog_node.normalise.healthdcat import PREDICATES as HEALTH_RENAMES
from catalog_node.rdf.split import SubjectIndex, split_records
from catalog_node.validation.engine import Validator

ROOT = Path(__file__).resolve().parents[1]
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
HEALTH = "http://healthdataportal.eu/ns/health#"
R8 = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
SH_PATH = ox.NamedNode("http://www.w3.org/ns/shacl#path")
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".rdf": ox.RdfFormat.RDF_XML,
           ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}

#: corpus file → changes per rule (the whole document)
EXPECTED = {
    "ckanext-dcat/examples/dcat/dataset_sweden.rdf": {
        "dcat-ap-3/endDate": 1, "dcat-ap-3/startDate": 1, "literal/date-datatype": 4},
    "ckanext-dcat/examples/dcat/dataset_afs.ttl": {"literal/date-datatype": 1},
    "ckanext-dcat/examples/dcat/catalog_pod.jsonld": {
        "literal/date-datatype": 1, "xsd/datatype": 2},
    "ckanext-dcat/examples/dcat/dataset.rdf": {
        "dcat-ap-3/endDate": 1, "dcat-ap-3/hasVersion": 2, "dcat-ap-3/isVersionOf": 1,
        "dcat-ap-3/startDate": 1, "dcat-ap-3/version": 1, "literal/byteSize": 1,
        "namespace/spdx-checksum-algorithm": 1},
    "govdata-ckanext-dcatde/metadata_max_only_valid_uris.rdf": {
        "dcat-ap-3/endDate": 1, "dcat-ap-3/hasVersion": 1, "dcat-ap-3/isVersionOf": 1,
        "dcat-ap-3/startDate": 1, "dcat-ap-3/version": 1, "namespace/iana-media-types": 1},
    "govdata-dcat-ap-de-validation/testcases/v3.0_shapes/quicktest.ttl": {
        "namespace/dcatap": 4, "namespace/iana-media-types": 3,
        "namespace/spdx-checksum-algorithm": 1},
    "datosgobes-dcat-ap-es/examples/rdf/1.0.0/E_DCAT-AP-ES_Catalog_NSIP.rdf": {
        "literal/byteSize": 8, "namespace/spdx-checksum-algorithm": 1},
    "udata-harvest-fixtures/dcat/datara--5a26b0f6-0ccf-46ad-ac58-734054b91977.rdf.xml": {
        "dcat-ap-3/version": 2, "literal/date-datatype": 1},
    "gdi-ckanext-fairdatapoint/dataset_898ca4b8-197b-4d40-bc81-d9cd88197670.ttl": {
        "dcat-ap-3/hasVersion": 1, "namespace/eu-authority": 2},
    "mvd-health-demo/health-catalog.ttl": {
        "healthdcat-ap-r8/csvw-title": 126, "healthdcat-ap-r8/health-activity": 21,
        "healthdcat-ap-r8/health-category": 51, "healthdcat-ap-r8/publisher-type": 19,
        "literal/byteSize": 63, "namespace/iana-media-types": 84,
        "namespace/spdx-checksum-algorithm": 21},
}
#: terms none of those documents may hold after normalisation (an https IANA IRI may stay
#: as a datatype: GeoDCAT-AP's GeoJSON literals)
GONE = [f"<{DCT}hasVersion>", f"<{DCT}isVersionOf>", "<http://www.w3.org/2002/07/owl#versionInfo>",
        "<http://schema.org/startDate>", "<http://schema.org/endDate>", " <https://www.iana.org/",
        "<http://spdx.org/rdf/terms#checksumAlgorithm_", "<http://www.w3.org/ns/csvw#titles>",
        "<http://healthdata.ec.europa.eu/authority/health-category/", "^^<xsd:"]


def to_ntriples(path: Path) -> str:
    fmt = FORMATS[".rdf" if path.name.endswith(".rdf.xml") else path.suffix]
    quads = ox.parse(path=str(path), format=fmt, base_iri="http://127.0.0.1:8000/")
    return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode().rstrip("\n")


def normalised(text: str) -> tuple[str, Normaliser]:
    normaliser = Normaliser()
    out = normaliser.rewrite_text(text)
    assert len(out.split("\n")) <= len(text.split("\n"))
    list(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES))
    again = Normaliser()
    assert again.rewrite_text(out) == out and again.counts() == {}, "not idempotent"
    trigger = Normaliser._TRIGGER
    missed = [line for line in text.split("\n")
              if not trigger.search(line) and Normaliser()._rewrite_line(line) is not None]
    assert missed == [], "the fast check let through lines a rule changes"
    return out, normaliser


def concepts(path: Path) -> set[str]:
    """Every concept IRI of an R8 code list (RDF/XML)."""
    graph = ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML)
    return {q.subject.value for q in graph if isinstance(q.subject, ox.NamedNode)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_documents(shared: Path, name: str) -> None:
    out, normaliser = normalised(to_ntriples(shared / "corpus" / name))
    assert normaliser.counts() == EXPECTED[name]
    for term in GONE:
        assert term not in out, term


def test_language_tags_are_already_lowercased_by_the_parser(shared: Path) -> None:
    """datos.gob.es writes xml:lang="eN": pyoxigraph gives "@en", so no rule is needed."""
    path = shared / "corpus/datosgobes-dcat-ap-es/examples/rdf/1.0.0/E_DCAT-AP-ES_Catalog_NSIP.rdf"
    assert 'xml:lang="eN"' in path.read_text(encoding="utf-8")
    text = to_ntriples(path)
    assert '"Datos no NSIP"@en .' in text and "@eN" not in text
    out, normaliser = normalised(text)
    assert not any(rule.startswith("literal/lang") for rule in normaliser.counts())
    assert '"Datos no NSIP"@en .' in out
    assert '"45678900"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in out


def test_dcat_ap_2_terms_become_dcat_ap_3(shared: Path) -> None:
    out, _ = normalised(to_ntriples(
        shared / "corpus/govdata-ckanext-dcatde/metadata_max_only_valid_uris.rdf"))
    for term in ("hasVersion", "isVersionOf", "version", "startDate", "endDate"):
        assert f"<{DCAT}{term}>" in out, term


def test_normalising_only_removes_validation_results(shared: Path) -> None:
    """DCAT-AP 3.0.1 (the project's shapes) on a CKAN export before and after: nothing new
    is reported, and what the rules address (DCAT-AP 2 terms, byte size) is gone."""
    text = to_ntriples(shared / "corpus/ckanext-dcat/examples/dcat/dataset.rdf")
    out, _ = normalised(text)
    validator = Validator("dcat-ap")

    def results(ntriples: str) -> Counter[tuple[str, str, str]]:
        report = validator.validate(rdflib.Graph().parse(data=ntriples, format="nt"))
        return Counter((r.severity, r.path, r.component.rsplit("#", 1)[1])
                       for r in report.results)

    before, after = results(text), results(out)
    assert after - before == Counter()
    assert before - after == Counter({
        ("violation", f"{DCT}hasVersion", "ClassConstraintComponent"): 2,
        ("violation", f"{DCAT}byteSize", "DatatypeConstraintComponent"): 1,
        ("warning", f"{DCAT}startDate", "MinCountConstraintComponent"): 1,
        ("warning", f"{DCAT}endDate", "MinCountConstraintComponent"): 1})


def test_release_5_health_catalogue_gets_r8_codes(shared: Path) -> None:
    reference = shared / "reference/healthdcat-ap-r8/validator/catalogue"
    out, _ = normalised(to_ntriples(shared / "corpus/mvd-health-demo/health-catalog.ttl"))
    graph = list(ox.parse(out.encode(), format=ox.RdfFormat.N_TRIPLES))

    def objects(predicate: str) -> set[str]:
        return {q.object.value for q in graph if q.predicate.value == predicate}

    assert objects(HEALTH + "healthCategory") <= concepts(reference / "healthcategories.rdf")
    publisher_types = objects(HEALTH + "publisherType")
    assert publisher_types - concepts(reference / "publisher-type.rdf") == {
        "http://healthdata.ec.europa.eu/authority/publisher-type/Registry"}  # no single R8 type
    assert objects(HEALTH + "healthCategory") and publisher_types
    assert all(m.startswith("http://www.iana.org/assignments/media-types/")
               for m in objects(DCAT + "mediaType"))


def test_every_record_carries_the_changes_to_its_statements(shared: Path) -> None:
    path = shared / "corpus/mvd-health-demo/health-catalog.ttl"
    index = SubjectIndex(normaliser=Normaliser())
    index.add(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    drafts = list(split_records(index))
    assert len(drafts) == 21
    assert index.normaliser is not None
    for draft in drafts:
        changes = index.normaliser.changes_for(draft.blocks)
        assert {c.subject for c in changes} <= set(draft.blocks)
        assert "healthdcat-ap-r8/health-category" in {c.rule for c in changes}
        block = "\n".join(draft.blocks[draft.root])
        assert "http://healthdata.ec.europa.eu/authority/health-category/" not in block


def _hdh_vocabulary(shared: Path, name: str) -> list[str]:
    folder = shared / "reference/davidouagne-datahub-healthdcat-ap-exporter/vocab-hdh"
    data = yaml.safe_load((folder / f"{name}.yml").read_text(encoding="utf-8"))
    return list(data[name]["vocabulary_list"].values())


@pytest.mark.parametrize(("vocabulary", "code_list", "unmapped"), [
    ("HealthTheme", "health-theme.rdf", set()),
    ("HealthCategories", "healthcategories.rdf", set()),
    ("PublisherType", "publisher-type.rdf", {"registry", "govHealth", "healthOrganisation"}),
])
def test_hdh_exporter_iris_become_r8_concepts(shared: Path, vocabulary: str, code_list: str,
                                              unmapped: set[str]) -> None:
    """Each IRI of the HDH exporter's dictionaries, used on a dataset, ends up as an R8
    concept (the publisher types R8 has no single counterpart for are left)."""
    iris = _hdh_vocabulary(shared, vocabulary)
    lines = [f"<https://data.example.org/d{i}> <{HEALTH}healthTheme> <{iri}> ."
             for i, iri in enumerate(iris)]
    out, normaliser = normalised("\n".join(lines))
    r8 = concepts(shared / "reference/healthdcat-ap-r8/validator/catalogue" / code_list)
    results = [line.split(" ")[2][1:-1] for line in out.split("\n")]
    left = {iri.rsplit("/", 1)[1] for iri in results if iri not in r8}
    assert left == unmapped
    assert sum(normaliser.counts().values()) == len(iris) - len(unmapped)


def test_hdh_draft_paths_map_to_paths_of_the_r8_shapes(shared: Path) -> None:
    hdh = shared / ("reference/davidouagne-datahub-healthdcat-ap-exporter/shapes/"
                    "hdap-validator-sensitivity-shape.ttl")
    r8_paths: set[str] = set()
    for part in ("shapes", "recommended"):
        for shapes in (shared / "reference/healthdcat-ap-r8/validator" / part).glob("*.ttl"):
            r8_paths |= {q.object.value for q in ox.parse(path=str(shapes),
                                                          format=ox.RdfFormat.TURTLE,
                                                          base_iri="http://127.0.0.1:8000/")
                         if q.predicate == SH_PATH and isinstance(q.object, ox.NamedNode)}
    hdh_paths = {q.object.value for q in ox.parse(path=str(hdh), format=ox.RdfFormat.TURTLE)
                 if q.predicate == SH_PATH and isinstance(q.object, ox.NamedNode)}
    older = (hdh_paths - r8_paths) & set(HEALTH_RENAMES)
    assert older == set(HEALTH_RENAMES)  # every rename is an HDH draft path R8 dropped
    lines = [f'<https://data.example.org/d> <{path}> "v" .' for path in sorted(older)]
    out, _ = normalised("\n".join(lines))
    assert {line.split(" ")[1][1:-1] for line in out.split("\n")} <= r8_paths


#: official DCAT-AP 3.0.1 examples that do not parse as published
BROKEN = {"example-bee-population-dataset-series-api.ttl",
          "example-bee-population-dataset-series-combined.ttl"}


def _already_normal(shared: Path) -> list[Path]:
    dcat_ap = sorted((shared / "reference/SEMICeu-DCAT-AP/3.0.1/examples").glob("*.ttl"))
    return [*sorted((ROOT / "catalog_node/demo").glob("*.ttl")),
            shared / "reference/healthdcat-ap-r8/examples/example-healthdcat-dataset.ttl",
            *[p for p in dcat_ap if p.name not in BROKEN]]


def test_already_normal_documents_are_left_untouched(shared: Path) -> None:
    counts: Counter[str] = Counter()
    paths = _already_normal(shared)
    assert len(paths) == 43 + 1 + 13
    for path in paths:
        text = to_ntriples(path)
        normaliser = Normaliser()
        assert normaliser.rewrite_text(text) is text, path.name
        counts.update(normaliser.counts())
    assert counts == Counter()
