"""JSON documents: JSON-LD made safe to parse, or refused with the format they are.

Remote contexts are never fetched. A ``@context`` (or ``@import``) naming a context the
project ships a copy of (``harvesters/contexts/``, term → IRI mappings written from the
specifications) is replaced by that copy; any other remote or relative context refuses the
document, naming the context URL. pyoxigraph's own JSON-LD parser does no network I/O
either: without a document loader it fails on a remote context, and that failure is
reported the same way.

Refused, with the format named: DCAT-US / Project Open Data ``data.json`` catalogues
(no inline context, a ``dataset`` array, POD or DCAT-US markers), CKAN API answers, and
plain JSON that is not JSON-LD (no ``@context``, no ``@graph``, no IRI keys).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin

from catalog_node.errors import InputError

#: Context URLs the project has a local copy of → file in ``harvesters/contexts/``.
KNOWN_CONTEXTS: dict[str, str] = {
    "http://www.w3.org/ns/hydra/context.jsonld": "hydra.jsonld",
    "https://www.w3.org/ns/hydra/context.jsonld": "hydra.jsonld",
}
_POD_MARKERS = ("project-open-data.cio.gov", "dcat-us", "dcat us")
_NOT_FETCHED_HINT = ("inline the context in the document, or ask for a local copy of this "
                     "context to be shipped with catalog-node (harvesters/contexts/)")


def load_json(data: bytes, place: str) -> Any:
    """The parsed JSON, or an InputError naming line and column."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", source=place, line=exc.lineno,
                         column=exc.colno, hint="fix the document; nothing from it was read"
                         ) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8: {exc}", source=place) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", source=place,
                         hint="the document nests objects beyond what the node reads") from None


def prepare_jsonld(data: bytes, place: str, document: Any = None) -> bytes:
    """JSON-LD bytes safe for pyoxigraph (known remote contexts inlined), or InputError.

    ``document`` is ``data`` already parsed, when the caller has it.
    """
    if document is None:
        document = load_json(data, place)
    refuse_non_jsonld(document, place)
    changed = _inline_contexts(document, place)
    return json.dumps(document, ensure_ascii=False).encode() if changed else data


def refuse_non_jsonld(document: Any, place: str) -> None:
    """Raise InputError naming the format when ``document`` is JSON but not JSON-LD."""
    if isinstance(document, dict) and _looks_dcat_us(document):
        raise InputError(
            "DCAT-US (Project Open Data) JSON catalogue, not DCAT RDF", source=place,
            hint="the dcat source type reads DCAT RDF (Turtle, RDF/XML, JSON-LD with an "
                 "inline @context); ask the publisher for its DCAT RDF endpoint")
    if _is_jsonld(document):
        return
    if isinstance(document, dict) and (("success" in document and "result" in document)
                                       or "help" in document):
        raise InputError("CKAN API JSON, not DCAT RDF", source=place,
                         hint="harvest a CKAN portal with `--type ckan`")
    raise InputError(
        "plain JSON, not JSON-LD (no @context, no @graph, no IRI keys)", source=place,
        hint="serve the catalogue as JSON-LD with an inline @context, or as Turtle or RDF/XML")


def remote_context_error(url: str, place: str) -> InputError:
    return InputError(f"remote JSON-LD context {url} is not fetched", source=place,
                      hint=_NOT_FETCHED_HINT)


# -- classification ---------------------------------------------------------------------

def _looks_dcat_us(document: dict[str, Any]) -> bool:
    """A data.json catalogue: no inline context, and POD / DCAT-US markers or a bare
    ``dataset`` array."""
    if _has_inline_context(document.get("@context")):
        return False
    markers = [document.get("@context"), document.get("conformsTo"),
               document.get("describedBy")]
    text = json.dumps(markers, ensure_ascii=False).lower()
    if any(marker in text for marker in _POD_MARKERS):
        return True
    return "@context" not in document and isinstance(document.get("dataset"), list)


def _has_inline_context(context: Any) -> bool:
    if isinstance(context, dict):
        return True
    return isinstance(context, list) and any(isinstance(item, dict) for item in context)


def _is_jsonld(document: Any) -> bool:
    nodes = document if isinstance(document, list) else [document]
    for node in nodes[:100]:
        if not isinstance(node, dict):
            continue
        if "@context" in node or "@graph" in node:
            return True
        if any(_is_iri_key(key) for key in node):
            return True
    return False


def _is_iri_key(key: str) -> bool:
    scheme, colon, rest = key.partition(":")
    return bool(colon and rest and scheme.isalpha() and not key.startswith("@"))


# -- contexts ---------------------------------------------------------------------------

@cache
def local_context(name: str) -> dict[str, Any]:
    """The ``@context`` object of a context file shipped in ``harvesters/contexts/``."""
    text = (resources.files("harvesters") / "contexts" / name).read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def _inline_contexts(node: Any, place: str) -> bool:
    """Replace every known remote context in ``node`` (recursively); True if any was."""
    changed = False
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key == "@context":
                node[key], replaced = _local_copy(value, place)
                changed |= replaced
            changed |= _inline_contexts(node[key], place)
    elif isinstance(node, list):
        for item in node:
            changed |= _inline_contexts(item, place)
    return changed


def _local_copy(context: Any, place: str) -> tuple[Any, bool]:
    """A context value with remote references replaced by local copies."""
    if isinstance(context, str):
        return _known(context, place), True
    if isinstance(context, list):
        items = [_local_copy(item, place) for item in context]
        return [item for item, _ in items], any(replaced for _, replaced in items)
    if isinstance(context, dict) and isinstance(context.get("@import"), str):
        imported = dict(_known(context["@import"], place))
        imported.update({k: v for k, v in context.items() if k != "@import"})
        return imported, True
    return context, False


def _known(reference: str, place: str) -> dict[str, Any]:
    url = urljoin(place, reference) if "://" in place else reference
    name = KNOWN_CONTEXTS.get(url)
    if name is None:
        raise remote_context_error(url, place)
    return copy.deepcopy(local_context(name))
