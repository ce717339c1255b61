"""Public routes: health, the catalogue, and every IRI the node minted."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pyoxigraph import NamedNode

from catalog_node import __version__
from catalog_node.errors import NotFoundError
from catalog_node.ledger import LedgerRow
from catalog_node.model.views import dataset_view, linked_tables
from catalog_node.node import Node
from catalog_node.web.i18n import choose_language
from catalog_node.web.negotiation import HTML, choose, format_override, rdf_offers, syntax_for
from catalog_node.web.render import html_response, rdf_response, streamed_export

router = APIRouter()
PAGE_SIZE = 50


def _node(request: Request) -> Node:
    return request.app.state.node


def _wanted(request: Request, fmt: str | None, default: str, datasets: bool = True) -> str | None:
    override = format_override(fmt)
    if override:
        return override
    return choose(request.headers.get("accept"), [HTML, *rdf_offers(datasets)], default)


def _not_acceptable() -> Response:
    offers = ", ".join([HTML, *rdf_offers(True)])
    return JSONResponse({"error": "NotAcceptable", "message": f"offered: {offers}"},
                        status_code=406)


def stored_validation(node: Node, row: LedgerRow) -> dict[str, object]:
    """The record's stored verdict per profile (current or stale) and its quality score."""
    from catalog_node.ledger import validations

    found: dict[str, object] = {}
    for profile in ("healthdcat-ap", "hdh"):
        result = validations.get(node.ledger, row.record_iri, profile)
        if result is not None:
            found[profile] = {"result": result, "current": result.hash == row.hash}
    found["quality"] = validations.quality_of(node.ledger, row.record_iri)
    return found


@router.get("/api/validation")
def record_validation(request: Request, record: str, profile: str = "healthdcat-ap") -> Response:
    """The stored validation report of one record (JSON), with its quality score."""
    from fastapi.responses import JSONResponse

    from catalog_node.ledger import validations

    node = _node(request)
    result = validations.get(node.ledger, record, profile)
    if result is None:
        return JSONResponse({"error": "NotFound", "message": "no stored validation",
                             "place": record}, status_code=404)
    row = node.ledger.get(record)
    return JSONResponse({"record": record, "profile": profile,
                         "current": bool(row and row.hash == result.hash),
                         "validated_at": result.validated_at, "report": result.report,
                         "quality": validations.quality_of(node.ledger, record)})


@router.get("/health")
def health(request: Request) -> dict[str, object]:
    node = _node(request)
    return {"status": "ok", "version": __version__, "base_iri": node.settings.base_iri,
            "data_dir": str(node.settings.data_dir),
            "records": node.ledger.count("published")}


def _index(request: Request, lang: str, page: int) -> Response:
    node = _node(request)
    total = node.ledger.count("published")
    rows = node.ledger.listing(offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return html_response(request, "index.html", lang, {
        "rows": rows, "total": total, "page": page, "page_size": PAGE_SIZE,
        "about": node.settings.description, "node": node})


@router.get("/", include_in_schema=False)
def home(request: Request, lang: str | None = None, page: int = Query(1, ge=1)) -> Response:
    language = choose_language(lang, request.headers.get("accept-language"))
    return _index(request, language, page)


@router.get("/catalog")
def catalog(request: Request, format: str | None = None, lang: str | None = None,
            page: int = Query(1, ge=1)) -> Response:
    """The whole catalogue as one DCAT document (Turtle unless asked otherwise)."""
    node = _node(request)
    wanted = _wanted(request, format, "text/turtle")
    if wanted is None:
        return _not_acceptable()
    if wanted == HTML:
        return _index(request, choose_language(lang, request.headers.get("accept-language")),
                      page)
    syntax = syntax_for(wanted)
    assert syntax is not None
    return streamed_export(node, syntax)


@router.get("/{path:path}", include_in_schema=False)
def resource(path: str, request: Request, format: str | None = None,
             lang: str | None = None) -> Response:
    """Dereference any IRI the node minted: HTML for browsers, RDF by ``Accept``."""
    node = _node(request)
    iri = node.minter.path_to_iri(path)
    language = choose_language(lang, request.headers.get("accept-language"))
    wanted = _wanted(request, format, HTML)
    if wanted is None:
        return _not_acceptable()
    try:
        row, quads = node.record_for(iri)
    except NotFoundError:
        if wanted != HTML:
            raise
        return html_response(request, "error.html", language, {"iri": iri}, status_code=404)
    is_dataset = iri == row.dataset_iri
    is_record = iri == row.record_iri
    if wanted != HTML:
        syntax = syntax_for(wanted)
        assert syntax is not None
        if not (is_dataset or is_record):
            quads = [q for q in quads if q.subject == NamedNode(iri)]
        return rdf_response(quads, syntax)
    if is_dataset or is_record:
        view = dataset_view(quads, row.dataset_iri, language)
        for record, dataset in node.linked_records(row.record_iri):
            view.tables.extend(linked_tables(node.store.graph_quads(record), dataset, language))
        return html_response(request, "dataset.html", language, {
            "view": view, "row": row, "history": node.ledger.history(row.record_iri),
            "validation": stored_validation(node, row)})
    own = [q for q in quads if q.subject == NamedNode(iri)]
    if not own:
        return html_response(request, "error.html", language, {"iri": iri}, status_code=404)
    from catalog_node.model.graph import RecordGraphView

    graph = RecordGraphView(quads)
    properties = [(p, [(graph.label(o, language), o.value if isinstance(o, NamedNode) else None)
                       for o in graph.objects(NamedNode(iri), p)])
                  for p in sorted(graph.properties(NamedNode(iri)))]
    return html_response(request, "resource.html", language, {
        "iri": iri, "label": graph.label(NamedNode(iri), language),
        "properties": properties, "row": row})
