"""The FAIR Data Point harvester against real FDP documents served on loopback.

Three FDPs from the corpus: ``static-fdp-content`` (root → catalogue → dataset →
distribution), ``fairdatapoint-docs-examples`` (DCAT-1-era FDP with three catalogues) and
an FDP assembled from ``gdi-ckanext-fairdatapoint`` test data. Their documents name their
original hosts, so the test server rewrites those IRIs to its own address while serving
(the corpus is never edited) and appends a few linking triples of its own where the
corpus files do not link each other.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF

from catalog_node.errors import ConfigError
from catalog_node.loading import Document, index_document
from catalog_node.node import Node
from harvesters import harvester_for
from harvesters.base import HarvestContext, Page, SourceConfig
from tests.support_pages import walk_pages

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
TURTLE = "text/turtle"
STATIC_HOST = "https://raw.githubusercontent.com/kburger/static-fdp-content/master/"
HIP = "https://fair.healthinformationportal.eu/"
HRI = "https://health-ri.sandbox.semlab-leiden.nl/"
HIP_CATALOG = "catalog/1c75c2c9-d2cc-44cb-aaa8-cf8c11515c8d"
CBIOPORTAL = "dataset/d9956191-1aff-4181-ac8b-16b829135ed5"
D7129 = "dataset/d7129d28-b72a-437f-8db0-4f0258dd3c25"
F9B9 = "distribution/f9b9dff8-a039-4ca2-be9b-da72a61e3bac"


@dataclass
class FdpServer:
    """A loopback HTTP server answering fixed documents by path; it logs every request."""

    routes: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    union: rdflib.Graph = field(default_factory=rdflib.Graph)
    base: str = ""

    def serve(self, path: str, text: str, media: str = TURTLE) -> None:
        """Serve ``text`` at ``path``; its triples join the independent union graph."""
        self.union.parse(data=text, format="turtle", publicID=self.base + path)
        body = text.encode()
        if media == "application/rdf+xml":
            body = rdflib.Graph().parse(data=text, format="turtle",
                                        publicID=self.base + path).serialize(format="xml").encode()
        self.routes[path] = (body, media)

    def missing(self) -> set[str]:
        return {self.base + path for path, _ in self.requests if path not in self.routes}


@pytest.fixture
def server() -> Iterator[FdpServer]:
    state = FdpServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.lstrip("/")
            state.requests.append((path, self.headers.get("Accept", "")))
            body, media = state.routes.get(path, (b"not found", "text/plain"))
            self.send_response(200 if path in state.routes else 404)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def corpus(shared: Path) -> Path:
    path = shared / "corpus"
    if not (path / "static-fdp-content").is_dir():
        pytest.skip("../shared/corpus not present")
    return path


def rewritten(path: Path, rules: list[tuple[str, str]], glue: str = "") -> str:
    text = path.read_text(encoding="utf-8")
    for old, new in rules:
        text = text.replace(old, new)
    return f"{text}\n{glue}\n"


def harvest(url: str, **options: str) -> tuple[list[Page], HarvestContext]:
    """Run the harvester in a thread; fail if the walk does not end (a loop would hang)."""
    source = SourceConfig(name="fdp-test", url=url, type="fdp", catalog="test",
                          allow_private=True, options=options)
    context = HarvestContext(source, retries=0)
    return walk_pages(source, context), context


def by_dataset(pages: list[Page]) -> dict[str, rdflib.Graph]:
    """Each page parsed independently, keyed by its one dataset; the engine's reader agrees."""
    graphs: dict[str, rdflib.Graph] = {}
    for page in pages:
        assert page.input_format == "ntriples"
        index = index_document(Document(name=page.url, data=page.data,
                                        input_format=page.input_format), page.url)
        assert len(index.roots) == 1, page.url
        graph = rdflib.Graph().parse(data=page.data, format="nt")
        roots = {str(s) for kind in (DCAT.Dataset, DCAT.DatasetSeries)
                 for s in graph.subjects(RDF.type, kind)}
        assert len(roots) == 1, roots
        (root,) = roots
        assert root not in graphs, f"{root} yielded twice"
        graphs[root] = graph
    return graphs


def assert_pages_hold_their_datasets(server: FdpServer, pages: list[Page]) -> None:
    """One page per dataset of the served documents, with its titles and distribution URLs."""
    union = server.union
    expected = {str(s) for kind in (DCAT.Dataset, DCAT.DatasetSeries)
                for s in union.subjects(RDF.type, kind)}
    graphs = by_dataset(pages)
    assert set(graphs) == expected
    for iri, graph in graphs.items():
        dataset = rdflib.URIRef(iri)
        assert set(graph.objects(dataset, DCTERMS.title)) == set(union.objects(dataset,
                                                                               DCTERMS.title))
        for distribution in union.objects(dataset, DCAT.distribution):
            assert (dataset, DCAT.distribution, distribution) in graph
            for prop in (DCAT.accessURL, DCAT.downloadURL):
                assert set(union.objects(distribution, prop)) <= set(
                    graph.objects(distribution, prop)), (iri, distribution, prop)
        ldp = [t for t in graph if "http://www.w3.org/ns/ldp#" in "".join(map(str, t))]
        assert ldp == []


def assert_each_url_fetched_once(server: FdpServer) -> None:
    paths = [path for path, _ in server.requests]
    assert len(paths) == len(set(paths))
    assert all(accept.startswith(TURTLE) for _, accept in server.requests)


# -- static-fdp-content ----------------------------------------------------------------

@pytest.mark.parametrize("mode", ["absolute", "relative", "localhost", "rdfxml"])
def test_static_fdp_root_to_distribution(server: FdpServer, corpus: Path, mode: str) -> None:
    """Links as absolute loopback IRIs, relative IRIs, a ``localhost:8080`` variant, RDF/XML."""
    prefix = {"absolute": server.base + "static/", "rdfxml": server.base + "static/",
              "relative": "", "localhost": "http://localhost:8080/static/"}[mode]
    rules = [(f"<{STATIC_HOST}", f"<{prefix}")]
    media = "application/rdf+xml" if mode == "rdfxml" else TURTLE
    for name in ("root", "catalog", "dataset", "distribution"):
        text = rewritten(corpus / "static-fdp-content" / f"{name}.ttl", rules)
        server.serve(f"static/{name}.ttl", text, media)

    pages, context = harvest(server.base + "static/root.ttl")

    assert context.errors == [] and context.complete
    assert_pages_hold_their_datasets(server, pages)
    assert_each_url_fetched_once(server)
    assert len(server.requests) == 4
    (graph,) = by_dataset(pages).values()
    iri = (prefix or server.base + "static/")
    dataset, catalog = rdflib.URIRef(iri + "dataset.ttl"), rdflib.URIRef(iri + "catalog.ttl")
    distribution = rdflib.URIRef(iri + "distribution.ttl")
    assert (dataset, DCTERMS.title, rdflib.Literal("This is a test Dataset")) in graph
    assert (distribution, DCAT.accessURL, rdflib.URIRef("http://example.com")) in graph
    assert set(graph.predicate_objects(catalog)) == {(RDF.type, DCAT.Catalog),
                                                     (DCAT.dataset, dataset)}
    assert not [s for s in graph.subjects() if "/metrics/" in str(s)]
    # the hash IRI the dataset owns comes along
    assert (rdflib.URIRef(iri + "dataset.ttl#accessRights"), DCTERMS.description,
            rdflib.Literal("This resource has no access restriction")) in graph


# -- fairdatapoint-docs-examples -----------------------------------------------------------

DOCS_ROUTES = {
    "fdp": "dtl-fdp",
    "fdp/textmining": "textmining-catalog",
    "fdp/transcriptomics": "transcriptomics-catalog",
    "fdp/comparativeGenomics": "comparative-genomics-catalog",
    "fdp/textmining/gene-disease-association_disgenet": "disgenet",
    "fdp/textmining/gene-disease-association_disgenet/nanopubs-gzip": "disgenet-nanopubs-gzip",
    "fdp/textmining/gene-disease-association_disgenet/textfile-gzip": "disgenet-textfile-gzip",
    "fdp/textmining/gene-disease-association_disgenet/html": "disgenet-html-page",
    "fdp/textmining/gene-disease-association_lumc": "gda-lumc",
    "textmining/gene-disease-association_lumc/textfile": "gda-lumc-textfile",
    "textmining/gene-disease-association_lumc/sparql": "gda-lumc-sparql",
    "fdp/transcriptomics/fantom5": "fantom5",
    "fdp/transcriptomics/fantom5/sparqlEndpoint": "fantom5-sparql",
    "fdp/transcriptomics/fantom5/textfile-gzip": "fantom5-textfile",
    "fdp/transcriptomics/fantom5/html": "fantom5-html",
    "fdp/comparativeGenomics/goNlSvR5": "goNlSvR5-dataset",
    "fdp/comparativeGenomics/goNlSvR5/textfile-gzip": "goNlSvR5-textfile-gzip",
    "fdp/comparativeGenomics/goNlSvR5/html": "goNlSvR5-html",
}


def test_docs_examples_fdp_with_link_loops(server: FdpServer, corpus: Path) -> None:
    """A container root, DCAT 1 catalogues, a catalogue linking back to the root and itself."""
    base = server.base + "dtls/"
    rules = [("http://www.dtls.nl/", base)]
    loops = {"fdp/textmining": f"<{base}fdp/textmining> <{DCAT}catalog> <{base}fdp> .",
             "fdp/transcriptomics":
                 f"<{base}fdp/transcriptomics> <{DCAT}catalog> <{base}fdp/transcriptomics> ."}
    for path, name in DOCS_ROUTES.items():
        text = rewritten(corpus / "fairdatapoint-docs-examples" / f"{name}.ttl", rules,
                         loops.get(path, ""))
        server.serve(f"dtls/{path}", text)

    pages, context = harvest(base + "fdp")

    assert context.errors == [] and context.complete
    assert len(pages) == 4
    assert_pages_hold_their_datasets(server, pages)
    assert_each_url_fetched_once(server)
    assert {server.base + path for path, _ in server.requests} == {
        server.base + path for path in server.routes}
    # gda-lumc.ttl calls itself and its text-file distribution by other IRIs than the links:
    # the dataset keeps its own IRI, the distribution takes the IRI the dataset links
    lumc = by_dataset(pages)[base + "textmining/gene-disease-association_lumc"]
    textfile = rdflib.URIRef(base + "textmining/gene-disease-association_lumc/textfile")
    assert list(lumc.objects(textfile, DCAT.downloadURL))
    assert (rdflib.URIRef(base + "fdp/textmining"), DCAT.dataset,
            rdflib.URIRef(base + "textmining/gene-disease-association_lumc")) in lumc


# -- gdi-ckanext-fairdatapoint ---------------------------------------------------------------

def serve_gdi(server: FdpServer, corpus: Path) -> str:
    """An FDP from the GDI harvester's test data; returns its root URL."""
    folder, base = corpus / "gdi-ckanext-fairdatapoint", server.base + "gdi/"
    hip, hri = [(HIP, base + "hip/")], [(HRI, base + "hri/")]
    exo = [(f"https://example.org/{kind}/", f"{base}exo/{kind}/")
           for kind in ("dataset", "distribution", "catalog")]
    root_glue = (f"<{base}r/Catalog1> <{DCAT}catalog> <{base}hip/{HIP_CATALOG}>, "
                 f"<{base}mp/Catalog1>, <{base}mp/Study1>, <{base}pc> .")
    catalog_glue = (f"<{base}hip/{HIP_CATALOG}> <{DCAT}dataset> "
                    f"<{base}hip/dataset/898ca4b8-197b-4d40-bc81-d9cd88197670>, "
                    f"<{base}hri/{D7129}>, <{base}hri/{CBIOPORTAL}>, "
                    f"<{base}exo/dataset/with-accessservice> .")
    service_glue = (f"<{base}hri/{F9B9}> <{DCAT}accessService> <{base}service/sparql>, "
                    "<https://example.net/api> .")
    files = {
        "hip/" + HIP_CATALOG: ("fdp_catalog", hip, catalog_glue),
        "hip/dataset/898ca4b8-197b-4d40-bc81-d9cd88197670":
            ("dataset_898ca4b8-197b-4d40-bc81-d9cd88197670", hip, ""),
        "hri/" + D7129: ("dataset_d7129d28-b72a-437f-8db0-4f0258dd3c25", hri, ""),
        "hri/" + F9B9: ("distribution_f9b9dff8-a039-4ca2-be9b-da72a61e3bac", hri, service_glue),
        "hri/" + CBIOPORTAL: ("dataset_cbioportal", hri, ""),
        "exo/dataset/with-accessservice": ("dataset_with-accessservice", exo, ""),
        "exo/distribution/with-accessservice": ("distribution_with-accessservice", exo, ""),
    }
    for name in ("Catalog1", "DatasetSeries1", "Dataset1"):
        files[f"r/{name}"] = ("root_fdp_response", [("http://example.org/", base + "r/")],
                              root_glue)
    for name in ("Study1", "Population1", "Dataseries1", "Dataset1", "Catalog1"):
        files[f"mp/{name}"] = ("fdp_multiple_parents", [("http://example.org/", base + "mp/")],
                               "")
    for path in ("pc", "pc/catalog1", "pc/dataset1"):
        files[path] = ("fdp_process_catalogs", [("http://example.com", base + "pc")], "")
    for path, (name, rules, glue) in files.items():
        server.serve("gdi/" + path, rewritten(folder / f"{name}.ttl", rules, glue))
    server.serve("gdi/service/sparql", (
        f"<{base}service/sparql> a <{DCAT}DataService> ; "
        f"<{DCTERMS}title> \"Test SPARQL service\" ; "
        f"<{DCAT}endpointURL> <https://example.org/sparql> ."))
    return base + "r/Catalog1"


def test_gdi_fdp_failures_parents_and_services(server: FdpServer, corpus: Path) -> None:
    root = serve_gdi(server, corpus)
    base = server.base + "gdi/"

    pages, context = harvest(root)

    assert len(pages) == 9
    assert_pages_hold_their_datasets(server, pages)
    assert_each_url_fetched_once(server)
    graphs = by_dataset(pages)
    # a dataset listed by a catalogue and by a series: one page, one request
    assert sum(1 for page in pages if page.url == base + "mp/Dataset1") == 1
    assert (rdflib.URIRef(base + "mp/Catalog1"), DCAT.dataset,
            rdflib.URIRef(base + "mp/Dataset1")) in graphs[base + "mp/Dataset1"]
    # every 404 is reported with its URL, and only those; the run is partial
    failed = {error.place for error in context.errors}
    assert failed == server.missing()
    assert {base + "hip/dataset/125c32c0-3aa8-4277-92f6-34acdd058d43",
            base + "hri/distribution/931ed9c4-ad23-47ff-b121-2eb428e57423",
            base + "hri/distribution/ad00299f-6efb-42aa-823d-5ff2337f38f7"} <= failed
    assert not context.complete and "failed" in (context.incomplete_reason or "")
    assert any(f"<{base}hri/{CBIOPORTAL}>" in error.message for error in context.errors)
    # the dataset whose distributions failed is still there, with what its document said
    cbio = graphs[base + "hri/" + CBIOPORTAL]
    mutations = rdflib.URIRef(base + "hri/distribution/ad00299f-6efb-42aa-823d-5ff2337f38f7")
    assert (mutations, DCAT.accessURL,
            rdflib.URIRef("https://cbioportal.health-ri.nl/study/summary?id=lgg_ucsf_2014")) in cbio
    # a data service linked as a separate document on the FDP is read; another host is not
    example = graphs[base + "hri/" + D7129]
    service = rdflib.URIRef(base + "service/sparql")
    assert (rdflib.URIRef(base + "hri/" + F9B9), DCAT.accessService, service) in example
    assert (service, DCTERMS.title, rdflib.Literal("Test SPARQL service")) in example
    # an access service described inline (a blank node) comes with its distribution
    inline = graphs[base + "exo/dataset/with-accessservice"]
    (node,) = inline.objects(None, DCAT.accessService)
    assert (node, DCAT.endpointURL, rdflib.URIRef("https://example.org/api/sparql")) in inline
    # the same FDP gives the same bytes (blank nodes included): the engine's page digest holds
    again, _ = harvest(root)
    assert [page.data for page in again] == [page.data for page in pages]


# -- limits and errors ---------------------------------------------------------------------

def test_max_documents_bounds_the_walk(server: FdpServer, corpus: Path) -> None:
    rules = [(f"<{STATIC_HOST}", f"<{server.base}static/")]
    for name in ("root", "catalog", "dataset", "distribution"):
        server.serve(f"static/{name}.ttl",
                     rewritten(corpus / "static-fdp-content" / f"{name}.ttl", rules))

    pages, context = harvest(server.base + "static/root.ttl", max_documents="2")

    assert pages == [] and len(server.requests) == 2
    assert not context.complete and "max_documents" in (context.incomplete_reason or "")


def test_bad_max_documents_option_names_the_source() -> None:
    source = SourceConfig(name="fdp-x", url="https://fdp.example.org/", type="fdp",
                          catalog="test", options={"max_documents": "lots"})
    with pytest.raises(ConfigError) as caught:
        harvester_for(source)
    assert caught.value.place == "source fdp-x" and "'lots'" in caught.value.message


def test_unreachable_root_is_reported(server: FdpServer) -> None:
    pages, context = harvest(server.base + "no-fdp-here")

    assert pages == []
    (error,) = context.errors
    assert error.place == server.base + "no-fdp-here" and "404" in error.message
    assert not context.complete


def test_fdp_harvested_through_the_node(server: FdpServer, corpus: Path, node: Node) -> None:
    """The walk through the engine: one record per dataset, nothing rewritten next time,
    nothing withdrawn by a run whose 404s hid part of the FDP."""
    root = serve_gdi(server, corpus)
    node.add_source(SourceConfig(name="gdi-fdp", url=root, type="fdp", catalog="fdp",
                                 allow_private=True, grace_days=0))
    first = node.harvest("gdi-fdp")
    assert first["committed"] and not first["complete"]  # the FDP's own 404s
    assert first["created"] == 9 and first["failed"] == 0
    again = node.harvest("gdi-fdp")
    assert (again["created"], again["updated"], again["unchanged"], again["withdrawn"]) == (
        0, 0, 9, 0)
    served = {str(s) for kind in (DCAT.Dataset, DCAT.DatasetSeries)
              for s in server.union.subjects(rdflib.RDF.type, kind)}
    stored = {row[0] for row in node.ledger.read(
        "SELECT dataset_iri FROM records WHERE source = 'gdi-fdp' AND status = 'published'")}
    assert len(stored) == 9 and stored <= served
