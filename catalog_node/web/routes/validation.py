"""``POST /api/validate`` and the ``/validate`` page where a producer checks a file."""

from __future__ import annotations

from functools import cache
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from catalog_node.errors import CatalogNodeError, InputError
from catalog_node.net.safe_http import HttpPolicy, SafeHttpClient
from catalog_node.rdf.formats import SYNTAXES, syntax_for_media_type, syntax_for_path, syntax_named
from catalog_node.validation.documents import MAX_VALIDATION_BYTES, read_document
from catalog_node.validation.engine import Validator
from catalog_node.validation.profiles import DEFAULT_PROFILE, load_profiles
from catalog_node.validation.report import ValidationReport
from catalog_node.web.i18n import choose_language
from catalog_node.web.negotiation import choose
from catalog_node.web.render import html_response

router = APIRouter()
REPORT_TYPES = ["application/json", "text/turtle", "application/ld+json", "text/html"]


@cache
def validator_for(profile: str) -> Validator:
    return Validator(profile)


def _policy(request: Request) -> HttpPolicy:
    return getattr(request.app.state, "http_policy", None) or HttpPolicy(
        max_body_bytes=MAX_VALIDATION_BYTES)


def _read(body: bytes, content_type: str | None, source: str, syntax_name: str | None):
    if len(body) > MAX_VALIDATION_BYTES:
        raise InputError("larger than the validation limit (64 MB)", source=source)
    syntax = (syntax_named(syntax_name) if syntax_name
              else syntax_for_media_type(content_type or "") or syntax_for_path(source))
    if syntax is None:
        raise InputError(f"cannot tell the RDF syntax from Content-Type {content_type!r}",
                         source=source, hint="send text/turtle, application/rdf+xml, "
                                             "application/ld+json, application/n-triples…")
    # Never a base derived from a name the client sent (it could reveal server paths).
    return read_document(body, source, syntax, base_iri="urn:catalog-node:validate:")


def _validate(profile: str, body: bytes, content_type: str | None, source: str,
              syntax_name: str | None = None) -> ValidationReport:
    if profile not in load_profiles():
        raise InputError(f"unknown profile {profile!r}", source="profile",
                         hint=f"one of: {', '.join(sorted(load_profiles()))}")
    graph = _read(body, content_type, source, syntax_name)
    return validator_for(profile).validate(graph, source=source)


def _fetch(request: Request, url: str) -> tuple[bytes, str | None]:
    document = SafeHttpClient(_policy(request)).fetch(
        url, headers={"Accept": ", ".join(s.media_type for s in SYNTAXES)})
    if document.status >= 400:
        raise InputError(f"the URL answered HTTP {document.status}", source=url)
    return document.body, document.content_type


def _error(exc: CatalogNodeError) -> JSONResponse:
    return JSONResponse({"error": type(exc).__name__, **exc.to_dict()}, status_code=400)


@router.post("/api/validate")
async def api_validate(request: Request, profile: str = DEFAULT_PROFILE,
                       url: str | None = None, format: str | None = None) -> Response:
    """Validate the body (syntax from Content-Type) or the document at ``url``."""
    wanted = choose(request.headers.get("accept"), REPORT_TYPES[:3], "application/json")
    if format:
        wanted = {"json": "application/json", "turtle": "text/turtle",
                  "jsonld": "application/ld+json"}.get(format, wanted)
    try:
        if url:
            body, content_type = _fetch(request, url)
            source = url
        else:
            body, content_type, source = (await request.body(),
                                          request.headers.get("content-type"), "request body")
        report = _validate(profile, body, content_type, source)
    except CatalogNodeError as exc:
        return _error(exc)
    if wanted in ("text/turtle", "application/ld+json"):
        syntax = "turtle" if wanted == "text/turtle" else "json-ld"
        return Response(report.graph.serialize(format=syntax), media_type=wanted,
                        headers={"Vary": "Accept"})
    return JSONResponse(report.to_json(), headers={"Vary": "Accept"})


@router.get("/validate", include_in_schema=False)
def validate_page(request: Request, lang: str | None = None) -> Response:
    language = choose_language(lang, request.headers.get("accept-language"))
    return html_response(request, "validate.html", language, _page_context())


@router.post("/validate", include_in_schema=False)
async def validate_form(request: Request, lang: str | None = None) -> Response:
    """The page's form: pasted text (or an uploaded file's text) or a URL."""
    language = choose_language(lang, request.headers.get("accept-language"))
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace"),
                                         keep_blank_values=True).items()}
    context = _page_context(form)
    try:
        if form.get("url"):
            body, content_type = _fetch(request, form["url"])
            report = _validate(form.get("profile", DEFAULT_PROFILE), body, content_type,
                               form["url"], form.get("syntax") or None)
        else:
            name = form.get("filename") or "pasted text"
            report = _validate(form.get("profile", DEFAULT_PROFILE),
                               form.get("text", "").encode(), None, name,
                               form.get("syntax") or "turtle")
        context["report"] = report.to_json()
    except CatalogNodeError as exc:
        context["error"] = exc.to_dict()
    return html_response(request, "validate.html", language, context,
                         status_code=400 if context.get("error") else 200)


def _page_context(form: dict[str, str] | None = None) -> dict[str, object]:
    return {"profiles": list(load_profiles().values()), "form": form or {},
            "syntaxes": [s.name for s in SYNTAXES], "report": None, "error": None}
