"""The CKAN package → DCAT-AP 3 mapping on ckanext-dcat's example package dicts.

Values are compared with the package dicts they come from; the structure is checked
against the project's DCAT-AP 3.0.1 shapes (``shapes/dcat-ap-3.0.1``): every predicate
the mapping writes is one the profile names, and every violation the validator finds is
about a value the source itself gave.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse, serialize
from rdflib.namespace import DCTERMS, RDF

from catalog_node.validation.engine import Validator
from harvesters.ckan_mapping import MappedPackage, map_package
from tests.test_harvest_ckan import DCAT, EXAMPLES, PACKAGE_FILES, VCARD

SITE = "http://ckan.example.org"
ROOT = Path(__file__).resolve().parents[1]
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
SPDX_ALGORITHM = "http://spdx.org/rdf/terms#checksumAlgorithm_"
#: predicates DCAT-AP 3 uses that its shapes leave unconstrained: typing, the words of a
#: statement (rdfs:label), the vCard properties of a contact point, an agent's e-mail
UNCONSTRAINED = {str(RDF.type), "http://www.w3.org/2000/01/rdf-schema#label",
                 str(VCARD.fn), str(VCARD.hasEmail), str(VCARD.hasURL),
                 "http://xmlns.com/foaf/0.1/mbox"}


@pytest.fixture
def examples(shared: Path) -> Path:
    path = shared / "corpus" / EXAMPLES
    if not path.is_dir():
        pytest.skip("../shared/corpus not present")
    return path


def package(examples: Path, name: str) -> dict[str, Any]:
    data = json.loads((examples / name).read_text(encoding="utf-8"))
    return {"id": name.removesuffix(".json"), **data}


def graph_of(mapped: MappedPackage) -> rdflib.Graph:
    return rdflib.Graph().parse(data=serialize(mapped.triples, format=RdfFormat.N_TRIPLES),
                                format="nt")


def objects(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef
            ) -> set[rdflib.term.Node]:
    return set(graph.objects(subject, predicate))


def only_distribution(mapped: MappedPackage, graph: rdflib.Graph) -> rdflib.term.Node:
    (distribution,) = graph.objects(rdflib.URIRef(mapped.iri.value), DCAT.distribution)
    return distribution


def test_multilingual_fields_keep_their_languages(examples: Path) -> None:
    source = package(examples, "ckan_dataset_multilingual.json")
    mapped = map_package(source, SITE)
    graph, dataset = graph_of(mapped), rdflib.URIRef(mapped.iri.value)
    assert objects(graph, dataset, DCTERMS.title) == {
        rdflib.Literal(text, lang=lang) for lang, text in source["title_translated"].items()}
    assert objects(graph, dataset, DCTERMS.description) == {
        rdflib.Literal(text, lang=lang) for lang, text in source["notes_translated"].items()}
    assert objects(graph, dataset, DCAT.keyword) == {
        rdflib.Literal(tag, lang=lang) for lang, tags in source["tags_translated"].items()
        for tag in tags}
    distribution = only_distribution(mapped, graph)
    assert objects(graph, distribution, DCTERMS.title) == {
        rdflib.Literal(text, lang=lang)
        for lang, text in source["resources"][0]["name_translated"].items()}
    plain = map_package(package(examples, "ckan_dataset.json"), SITE)
    titles = objects(graph_of(plain), rdflib.URIRef(plain.iri.value), DCTERMS.title)
    assert titles == {rdflib.Literal("Zimbabwe Regional Geochemical Survey.")}  # no tag


@pytest.mark.parametrize("license_id, license_url, expected", [
    ("cc-by", None, EU + "licence/CC_BY_4_0"),
    ("cc-zero", None, EU + "licence/CC0"),
    ("odc-odbl", "http://www.opendefinition.org/licenses/odc-odbl", EU + "licence/ODC_BL"),
    ("cc-by-sa", None, EU + "licence/CC_BYSA_4_0"),
    ("odc-pddl", None, EU + "licence/ODC_PDDL"),
    ("other-at", "https://data.example.org/licence", "https://data.example.org/licence"),
    (None, "https://creativecommons.org/licenses/by-nc/4.0/", EU + "licence/CC_BYNC_4_0"),
    ("notspecified", None, None),
])
def test_package_licence_goes_on_each_distribution(examples: Path, license_id: str | None,
                                                   license_url: str | None,
                                                   expected: str | None) -> None:
    source = package(examples, "full_ckan_dataset_legacy.json")
    source.update(license_id=license_id, license_url=license_url)
    mapped = map_package(source, SITE)
    graph = graph_of(mapped)
    licences = objects(graph, only_distribution(mapped, graph), DCTERMS.license)
    assert licences == ({rdflib.URIRef(expected)} if expected else set())
    if expected:
        assert (rdflib.URIRef(expected), RDF.type, DCTERMS.LicenseDocument) in graph
    assert [n for n in mapped.notes if n.field.startswith("license")] == []


def test_unknown_licence_id_without_url_is_noted(examples: Path) -> None:
    source = package(examples, "full_ckan_dataset_legacy.json")
    source.update(license_id="other-closed", license_url="")
    mapped = map_package(source, SITE)
    assert [(n.field, n.problem) for n in mapped.notes] == [
        ("license_id", "licence 'other-closed' has no known IRI and no licence URL was given")]


def test_resource_formats_media_types_sizes_and_checksums(examples: Path) -> None:
    expectations = {  # file → (format IRI, media type IRI, download URL?)
        "ckan_dataset.json": (EU + "file-type/HTML", IANA + "text/html", False),
        "ckan_full_dataset_croissant.json": (EU + "file-type/ZIP", IANA + "application/zip",
                                             True),
        "ckan_full_dataset_dcat_ap.json": (EU + "file-type/CSV", IANA + "text/csv", True),
        "ckan_full_dataset_dcat_ap_vocabularies.json": (
            EU + "file-type/CSV", "http://www.iana.org/assignments/media-types/text/csv", True),
    }
    for name, (file_type, media_type, download) in expectations.items():
        source = package(examples, name)
        resource = source["resources"][0]
        mapped = map_package(source, SITE)
        graph = graph_of(mapped)
        node = only_distribution(mapped, graph)
        assert objects(graph, node, DCTERMS.format) == {rdflib.URIRef(file_type)}, name
        assert objects(graph, node, DCAT.mediaType) == {rdflib.URIRef(media_type)}, name
        assert objects(graph, node, DCAT.downloadURL) == (
            {rdflib.URIRef(resource.get("download_url", resource["url"]))} if download
            else set()), name
        if resource.get("size") is not None:
            (size,) = graph.objects(node, DCAT.byteSize)
            assert size.datatype == rdflib.XSD.nonNegativeInteger
            assert int(size) == int(resource["size"])
        if resource.get("hash"):
            (checksum,) = graph.objects(node, rdflib.URIRef("http://spdx.org/rdf/terms#checksum"))
            spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
            assert str(graph.value(checksum, spdx.checksumValue)) == resource["hash"]
            algorithm = resource.get("hash_algorithm") or SPDX_ALGORITHM + {
                40: "sha1", 64: "sha256"}[len(resource["hash"])]
            assert str(graph.value(checksum, spdx.algorithm)) == algorithm


def test_invalid_values_are_left_out_and_noted(examples: Path) -> None:
    source = copy.deepcopy(package(examples, "ckan_full_dataset_dcat_ap.json"))
    source["url"] = "http://example.org/a landing page"
    source["modified"] = "the fifth of May"
    source["contact"][0]["email"] = "nobody at example.org"
    resource = source["resources"][0]
    resource.update(size="12 kB", hash="not-hex", issued="2024-13-45",
                    access_url="https://example.com/data file.csv")
    mapped = map_package(source, SITE)
    graph, dataset = graph_of(mapped), rdflib.URIRef(mapped.iri.value)
    notes = {(note.package, note.field) for note in mapped.notes}
    assert {("ckan_full_dataset_dcat_ap", field) for field in (
        "url", "modified", "contact.email", "size", "hash", "issued", "access_url")} <= notes
    assert objects(graph, dataset, DCAT.landingPage) == set()
    assert objects(graph, dataset, DCTERMS.modified) == set()
    assert objects(graph, dataset, DCTERMS.issued) == {
        rdflib.Literal("2024-05-01", datatype=rdflib.XSD.date)}
    distribution = only_distribution(mapped, graph)
    for predicate in (DCAT.byteSize, DCTERMS.issued):
        assert objects(graph, distribution, predicate) == set(), predicate
    for predicate in (DCAT.accessURL, DCAT.downloadURL):  # the resource's url stands in
        assert objects(graph, distribution, predicate) == {
            rdflib.URIRef("https://example.com/data.csv")}, predicate
    assert objects(graph, dataset, DCTERMS.title) == {rdflib.Literal("Test DCAT dataset")}


def test_the_same_package_gives_the_same_bytes(examples: Path) -> None:
    for name in PACKAGE_FILES:
        source = package(examples, name)
        first = serialize(map_package(source, SITE).triples, format=RdfFormat.N_TRIPLES)
        again = serialize(map_package(copy.deepcopy(source), SITE).triples,
                          format=RdfFormat.N_TRIPLES)
        assert first == again, name


def test_mapping_has_dcat_ap3_structure(examples: Path) -> None:
    """Every predicate is a DCAT-AP 3 one; the full package carries the profile's mandatory
    properties; every violation is about a value the source itself gave."""
    paths = {quad.object.value for shapes in (ROOT / "shapes" / "dcat-ap-3.0.1").glob("*.ttl")
             for quad in parse(path=str(shapes), format=RdfFormat.TURTLE)
             if quad.predicate.value == "http://www.w3.org/ns/shacl#path"
             and isinstance(quad.object, NamedNode)}
    union = rdflib.Graph()
    sources: dict[str, str] = {}
    for name in PACKAGE_FILES:
        source = package(examples, name)
        mapped = map_package(source, SITE)
        used = {triple.predicate.value for triple in mapped.triples}
        assert used - paths <= UNCONSTRAINED, (name, used - paths - UNCONSTRAINED)
        union += graph_of(mapped)
        sources[mapped.iri.value] = json.dumps(source)
    full = map_package(package(examples, "ckan_full_dataset_dcat_ap_vocabularies.json"), SITE)
    graph, dataset = graph_of(full), rdflib.URIRef(full.iri.value)
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.keyword,
                      DCAT.theme, DCAT.contactPoint, DCTERMS.spatial, DCTERMS.temporal,
                      DCTERMS.accrualPeriodicity, DCTERMS.accessRights, DCTERMS.language):
        assert objects(graph, dataset, predicate), predicate
    distribution = only_distribution(full, graph)
    for predicate in (DCAT.accessURL, DCTERMS.format, DCAT.mediaType, DCTERMS.license,
                      DCAT.byteSize, rdflib.URIRef("http://spdx.org/rdf/terms#checksum")):
        assert objects(graph, distribution, predicate), predicate
    report = Validator("dcat-ap").validate(union)
    text = "\n".join(sources.values())
    for result in report.results:
        if result.severity != "violation":
            continue
        about = result.value if result.value is not None else result.focus
        explained = about in text or about.startswith(SPDX_ALGORITHM)
        assert explained, (result.shape_file, result.focus, result.path, result.value)
