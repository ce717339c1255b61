"""The dcat source type on real catalogues: every corpus RDF file, formats refused, safety.

Paging, conditional GET and ``modified_since`` are in ``test_harvest_dcat_paging.py``.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from catalog_node.errors import CatalogNodeError, InputError
from catalog_node.rdf.formats import syntax_named
from harvesters.base import HarvestContext, Page, SourceConfig
from harvesters.dcat import DcatHarvester

BENCH = Path(__file__).resolve().parents[1] / "bench"
DCAT_DATASET = "http://www.w3.org/ns/dcat#Dataset"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FORMATS = {"Turtle": "turtle", "RDF/XML": "xml", "JSON-LD": "json-ld",
               "N-Triples": "nt", "TriG": "trig", "N-Quads": "nquads"}
#: Files rdflib reads but a strict parser (pyoxigraph, the node's loader) refuses: read
#: leniently past an IRI error, geonetwork.xml then fails on its structure; a context-only
#: document.
STRICT_REFUSALS = {
    "udata-harvest-fixtures/dcat/geonetwork.xml": "Unexpected text event",
    "semiceu-dcat-ap-examples/3.0.0-hvd/context-hvd.jsonld": "expansion",
}
#: Files with IRIs a strict parser refuses (``tel:+49 40 …``, a URL with a blank): read
#: leniently, so that only the records holding them are skipped (by the engine).
INVALID_IRI_FILES = frozenset({
    "govdata-ckanext-dcatde/catalog-endpoint.rdf",
    "govdata-ckanext-dcatde/metadata_max.rdf",
    "govdata-ckanext-dcatde/metadata_max_1_0.rdf",
    "govdata-ckanext-dcatde/metadata_max_1_0_1.rdf",
    "govdata-ckanext-dcatde/metadata_max_multi_namespaces.rdf",
    "datosgobes-dcat-ap-es/examples/ttl/NTI-RISPv1_Dataset.ttl",
})


def load_bench(name: str) -> ModuleType:
    """A module of ``bench/`` (not a package), loaded once."""
    key = f"bench_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module  # dataclasses look their module up while built
        spec.loader.exec_module(module)
    return sys.modules[key]


endpoint = load_bench("paged_endpoint")


def context_for(url: str, *, options: dict[str, str] | None = None,
                max_bytes: int = 50 * 1024 * 1024, **kwargs: Any) -> HarvestContext:
    source = SourceConfig(name="t", url=url, type="dcat", catalog="t", allow_private=True,
                          max_bytes=max_bytes, options=options or {})
    return HarvestContext(source, backoff=0.01, **kwargs)


def harvest(url: str, **kwargs: Any) -> tuple[list[Page], HarvestContext]:
    """Every page the harvester yields for ``url``, and the context (errors, completeness)."""
    context = context_for(url, **kwargs)
    return list(DcatHarvester(context.source).pages(context)), context


def page_datasets(page: Page) -> set[str]:
    """The dcat:Dataset subjects of a page, parsed independently of the harvester."""
    assert page.data is not None and page.input_format is not None
    rdf_format = syntax_named(page.input_format).rdf_format
    base = page.url if "://" in page.url else Path(page.url).resolve().as_uri()
    return {str(q.subject) for q in ox.parse(page.data, format=rdf_format, base_iri=base,
                                              lenient=True)
            if q.predicate.value == RDF_TYPE and q.object.value == DCAT_DATASET}


def count_datasets(pages: list[Page]) -> int:
    return sum(len(page_datasets(page)) for page in pages)


def rdflib_datasets(path: Path, fmt: str) -> int:
    """The number of dcat:Dataset subjects rdflib finds in a corpus file (all graphs)."""
    graph = rdflib.Dataset() if fmt in ("trig", "nquads") else rdflib.Graph()
    graph.parse(str(path), format=fmt)
    dataset = rdflib.URIRef(DCAT_DATASET)
    return len({q[0] for q in graph.quads((None, rdflib.RDF.type, dataset, None))}
               if isinstance(graph, rdflib.Dataset)
               else set(graph.subjects(rdflib.RDF.type, dataset)))


@pytest.fixture
def corpus(shared: Path) -> Path:
    path = shared / "corpus"
    if not (path / "PROVENANCE.md").is_file():
        pytest.skip("../shared/corpus not present")
    return path


def provenance(corpus: Path) -> Iterator[tuple[str, str, str]]:
    """(relative path, format, note) of every file PROVENANCE.md lists."""
    section = None
    for line in (corpus / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"^## (\S+)", line):
            section = heading.group(1)
        elif section and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            yield f"{section}/{cells[0].strip('`')}", cells[3], cells[4] if len(cells) > 4 else ""


# -- every corpus RDF file, from a path ---------------------------------------------------

def test_every_corpus_rdf_file_from_a_path(corpus: Path) -> None:
    """Datasets yielded = rdflib's count; files that do not parse (or hold no triple) refused."""
    checked = refused = 0
    problems = []
    for relative, fmt, note in provenance(corpus):
        if fmt not in RDF_FORMATS:
            continue
        path = corpus / relative
        pages, context = harvest(str(path))
        empty = note.startswith("0 triples") and relative not in STRICT_REFUSALS
        if "does not parse" in note or relative in STRICT_REFUSALS or empty:
            refused += 1
            errors = [e for e in context.errors if isinstance(e, InputError)]
            if pages or len(errors) != 1 or errors[0].source != str(path):
                problems.append(f"{relative}: expected one InputError, got {context.errors}")
            elif empty and "holds no triples" not in str(errors[0]):
                problems.append(f"{relative}: unexpected error {errors[0]}")
            elif not empty and fmt != "RDF/XML" and errors[0].line is None:
                problems.append(f"{relative}: no line in {errors[0]}")
            elif relative in STRICT_REFUSALS and STRICT_REFUSALS[relative] not in str(errors[0]):
                problems.append(f"{relative}: unexpected error {errors[0]}")
            continue
        checked += 1
        expected = rdflib_datasets(path, RDF_FORMATS[fmt])
        if context.errors or len(pages) != 1 or count_datasets(pages) != expected:
            problems.append(f"{relative}: {count_datasets(pages)} datasets in {len(pages)} "
                            f"pages, rdflib counts {expected}; errors {context.errors}")
    assert not problems, "\n".join(problems)
    assert checked == 245 and refused == 17


def test_broken_files_name_file_and_line(corpus: Path) -> None:
    cases = {
        "datosgobes-dcat-ap-es/examples/ttl/Conventions_general-temporal.ttl": 9,
        "ckanext-dcat/examples/croissant/full_croissant_dataset.jsonld": 78,
        "semiceu-dcat-ap-examples/3.0.0-hvd/example-bees_wasps_dataset.ttl": 2,
    }
    for relative, line in cases.items():
        _pages, context = harvest(str(corpus / relative))
        (error,) = context.errors
        assert isinstance(error, InputError) and error.source == str(corpus / relative)
        assert error.line == line if line else error.line is not None, str(error)
        assert str(error).startswith(f"{corpus / relative}:{error.line}:")
    assert not context.complete


def test_file_url_and_gzip_by_name_or_magic(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "mvd-health-demo" / "health-catalog.ttl"
    expected = rdflib_datasets(source, "turtle")
    named = tmp_path / "health-catalog.ttl.gz"
    named.write_bytes(gzip.compress(source.read_bytes()))
    unnamed = tmp_path / "catalogue"
    unnamed.write_bytes(named.read_bytes())
    for url in (source.as_uri(), str(named), str(unnamed)):
        pages, context = harvest(url)
        assert not context.errors and count_datasets(pages) == expected == 21
    assert pages[0].input_format == "turtle"


def test_nquads_by_extension_or_sniffed(corpus: Path, tmp_path: Path) -> None:
    trig = corpus / "cz-nkod-sample" / "nkod.trig"
    quads = ox.serialize(ox.parse(path=trig, format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)
    for name in ("nkod.nq", "nkod-without-extension"):
        (tmp_path / name).write_bytes(quads)
        pages, context = harvest(str(tmp_path / name))
        assert not context.errors and [p.input_format for p in pages] == ["nquads"]
        assert count_datasets(pages) == rdflib_datasets(trig, "trig") == 1


def test_local_file_bounded_by_max_bytes(corpus: Path, tmp_path: Path) -> None:
    source = corpus / "mvd-health-demo" / "health-catalog.ttl"
    bomb = tmp_path / "small.ttl.gz"
    bomb.write_bytes(gzip.compress(source.read_bytes()))
    for path in (source, bomb):
        pages, context = harvest(str(path), max_bytes=100_000)
        assert not pages and "larger than 100,000 bytes" in str(context.errors[0])


# -- over HTTP ----------------------------------------------------------------------------

def test_corpus_files_over_http(corpus: Path) -> None:
    files = {  # path served → (corpus file, Content-Type sent)
        "/nkod": ("cz-nkod-sample/nkod.trig", "application/trig"),
        "/cat.nt": ("fedict-datagovbe/cat.nt", "text/plain"),
        "/swiss": ("opendata-swiss/catalog.xml", "application/rdf+xml; charset=utf-8"),
        "/bnodes.jsonld": ("udata-harvest-fixtures/dcat/bnodes.jsonld", None),
        "/health": ("mvd-health-demo/health-catalog.ttl", "application/octet-stream"),
        "/nsip.xml": ("datosgobes-dcat-ap-es/examples/rdf/1.0.0/E_DCAT-AP-ES_Catalog_NSIP.rdf",
                      "application/xml"),
        "/valid": ("dcat-ap-no-validator-service-tests/valid_catalog.json",
                   "application/json"),
    }
    documents = {path: endpoint.StaticDocument((corpus / name).read_bytes(), ctype)
                 for path, (name, ctype) in files.items()}
    documents["/gz"] = endpoint.StaticDocument(
        gzip.compress((corpus / "udata-harvest-fixtures/dcat/catalog.xml").read_bytes()),
        "application/gzip")
    files["/gz"] = ("udata-harvest-fixtures/dcat/catalog.xml", None)
    formats = {"/nkod": "trig", "/cat.nt": "ntriples", "/swiss": "rdfxml",
               "/bnodes.jsonld": "jsonld", "/health": "turtle", "/nsip.xml": "rdfxml",
               "/valid": "jsonld", "/gz": "rdfxml"}
    with endpoint.start_static(documents) as server:
        for path, (name, _ctype) in files.items():
            fmt = next(f for rel, f, _n in provenance(corpus) if rel == name)
            pages, context = harvest(server.url + path)
            assert not context.errors, (path, context.errors)
            assert [p.input_format for p in pages] == [formats[path]]
            assert count_datasets(pages) == rdflib_datasets(corpus / name, RDF_FORMATS[fmt])


# -- formats no source type reads ---------------------------------------------------------

def _single_error(url: str) -> CatalogNodeError:
    pages, context = harvest(url)
    assert not pages and not context.complete
    (error,) = context.errors
    return error


def test_dcat_us_json_refused(corpus: Path) -> None:
    files = sorted((corpus / "gsa-dcat-us-harvester").glob("*.json"))
    files.append(corpus / "udata-harvest-fixtures/dcat/evian.json")
    assert len(files) == 25
    for path in files:
        error = _single_error(str(path))
        assert isinstance(error, InputError) and error.source == str(path)
        assert "DCAT-US (Project Open Data) JSON catalogue, not DCAT RDF" in str(error)
        assert error.hint and "DCAT RDF" in error.hint


def test_csw_envelopes_refused(corpus: Path) -> None:
    files = sorted((corpus / "udata-harvest-fixtures/csw_dcat").glob("*.xml"))
    assert len(files) == 11
    for path in files:
        error = _single_error(str(path))
        assert "OGC CSW GetRecordsResponse (XML envelope), not DCAT RDF" in str(error)


def test_html_and_plain_json_refused_over_http(corpus: Path) -> None:
    html = b"<!DOCTYPE html>\n<html><head><title>Catalogue</title></head><body/></html>"
    documents = {
        "/page": endpoint.StaticDocument(html, "text/html"),
        "/error.ttl": endpoint.StaticDocument(html, "text/turtle"),
        "/dataset.json": endpoint.StaticDocument(
            (corpus / "ckanext-dcat/examples/ckan/dataset.json").read_bytes(),
            "application/json"),
        "/dcatus": endpoint.StaticDocument(
            (corpus / "gsa-dcat-us-harvester/dcatus.json").read_bytes(), "application/json"),
        "/csw": endpoint.StaticDocument(
            (corpus / "udata-harvest-fixtures/csw_dcat/geonetwork-dcat-page-1.xml")
            .read_bytes(), "application/xml"),
    }
    with endpoint.start_static(documents) as server:
        for path, words in [("/page", "HTML page, not DCAT RDF"),
                            ("/error.ttl", "HTML page, not DCAT RDF"),
                            ("/dataset.json", "plain JSON, not JSON-LD"),
                            ("/dcatus", "DCAT-US (Project Open Data) JSON catalogue"),
                            ("/csw", "OGC CSW GetRecordsResponse")]:
            error = _single_error(server.url + path)
            assert error.place == server.url + path and words in error.message


# -- safety -------------------------------------------------------------------------------

XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "{target}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://example.org/d1"><dct:title>&secret;</dct:title></dcat:Dataset>
</rdf:RDF>
"""


def test_xml_external_entities_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    document = XXE.format(target=secret.as_uri()).encode()
    # pyoxigraph alone does not resolve it: it refuses the declaration
    with pytest.raises(SyntaxError) as raised:
        list(ox.parse(document, format=ox.RdfFormat.RDF_XML))
    assert "TOP-SECRET" not in str(raised.value)
    # the harvester refuses the page with a message naming the entity
    path = tmp_path / "xxe.rdf"
    path.write_bytes(document)
    pages, context = harvest(str(path))
    assert not pages
    (error,) = context.errors
    assert "external XML entity &secret; (SYSTEM) is never resolved" in str(error)
    assert error.place == f"{path}:2" and "TOP-SECRET" not in str(error)


def test_xml_entity_expansion_bounded(tmp_path: Path) -> None:
    nested = XXE.replace('<!ENTITY secret SYSTEM "{target}">',
                         '<!ENTITY a "aaaaaaaaaa"><!ENTITY secret "&a;&a;&a;&a;">')
    wide = XXE.replace('<!ENTITY secret SYSTEM "{target}">',
                       f'<!ENTITY secret "{"x" * 5000}">').replace(
        "<dct:title>&secret;</dct:title>", "<dct:title>&secret;</dct:title>" * 30)
    for name, text, words in [("nested.rdf", nested, "refers to other entities"),
                              ("wide.rdf", wide, "would expand the document past 100,000")]:
        path = tmp_path / name
        path.write_text(text)
        pages, context = harvest(str(path), max_bytes=100_000)
        assert not pages and words in str(context.errors[0])
    ok = tmp_path / "ok.rdf"
    ok.write_text(XXE.replace('SYSTEM "{target}"', '"plain text"'))
    pages, context = harvest(str(ok))
    assert not context.errors and count_datasets(pages) == 1


def _jsonld(context: Any, next_url: str | None = None) -> bytes:
    node: dict[str, Any] = {"@id": "http://example.org/d1",
                            "@type": "http://www.w3.org/ns/dcat#Dataset",
                            "http://purl.org/dc/terms/title": "One"}
    graph: list[dict[str, Any]] = [node]
    if next_url:
        graph.append({"@id": "http://example.org/catalog", "@type": "Collection",
                      "view": {"@id": "http://example.org/catalog?page=1",
                               "@type": "PartialCollectionView", "next": next_url}})
    return json.dumps({"@context": context, "@graph": graph}).encode()


def test_remote_jsonld_context_never_fetched(tmp_path: Path) -> None:
    counted = endpoint.start_static(
        {"/ctx.jsonld": endpoint.StaticDocument(b'{"@context": {}}', "application/ld+json")})
    remote = counted.url + "/ctx.jsonld"
    try:
        for context in (remote, [remote, {"dct": "http://purl.org/dc/terms/"}],
                        {"@import": remote}, {"t": {"@id": "http://x/t", "@context": remote}}):
            document = _jsonld(context)
            if "t" not in context:  # pyoxigraph loads a scoped context only when used
                with pytest.raises(SyntaxError, match="LoadDocumentCallback"):
                    list(ox.parse(document, format=ox.RdfFormat.JSON_LD))
            path = tmp_path / "remote.jsonld"
            path.write_bytes(document)
            error = _single_error(str(path))
            assert f"remote JSON-LD context {remote} is not fetched" in str(error)
            with endpoint.start_static({"/c.jsonld": document}) as server:
                error = _single_error(server.url + "/c.jsonld")
                assert f"remote JSON-LD context {remote} is not fetched" in str(error)
        relative = tmp_path / "relative.jsonld"
        relative.write_bytes(_jsonld("ctx.jsonld"))
        assert "remote JSON-LD context ctx.jsonld is not fetched" in str(
            _single_error(str(relative)))
        assert counted.requests == []
    finally:
        counted.stop()


def test_known_remote_context_replaced_by_local_copy() -> None:
    hydra = "http://www.w3.org/ns/hydra/context.jsonld"
    with endpoint.start_static({}) as server:
        base = server.url
        server.server.documents.update({
            "/p1": endpoint.StaticDocument(_jsonld(hydra, base + "/p2"), "application/ld+json"),
            "/p2": endpoint.StaticDocument(_jsonld([hydra, {"x": "http://x/"}]),
                                           "application/ld+json")})
        pages, context = harvest(base + "/p1")
        assert not context.errors and [p.url for p in pages] == [base + "/p1", base + "/p2"]
        assert hydra.encode() not in pages[0].data and b"hydra/core#" in pages[0].data
        assert count_datasets(pages) == 2
        assert [r.path for r in server.requests] == ["/p1", "/p2"]
