"""Variants of well-known namespaces and IRI spaces, and the canonical form of each.

The canonical form is the one the specifications write (DCAT-AP 3.0.1, HealthDCAT-AP
Release 8 and the vocabularies' own prefix tables). A variant is the same namespace with
the other scheme (http/https), with or without ``www.`` (or ``w3c.org`` for ``w3.org``),
or with the wrong separator (``dcat/Dataset``, ``terms#title``) or none (``termstitle``, as
a prefix declared without its ``#`` or ``/`` produces). Only term IRIs are rewritten (a
local name after the namespace), not the namespace IRI itself nor documents below it
(``terms/spdx-ontology.owl.xml``). Each rewrite is reported under ``namespace/<prefix>``;
IRI spaces (code lists, registers) under ``namespace/<name>`` with any path kept.

Two choices follow the shapes rather than the namespace documents:

- IANA media types are written ``http://www.iana.org/assignments/media-types/…``, as in
  the DCAT-AP 3.0.1 specification and the official R8 example (both shapes accept
  either scheme). As a *datatype* (GeoDCAT-AP's GeoJSON literals) the https form is the
  specified one, so datatype IRIs are left alone.
- SPDX checksum algorithms (``checksumAlgorithm_sha256``…) are written with https: the
  DCAT-AP 3.0.1 code-list shape requires ``^https://spdx.org/rdf/terms`` and the node's
  own records use that form; SPDX classes and properties keep the http namespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: (prefix, canonical namespace) of the vocabularies whose terms are normalised.
NAMESPACES: tuple[tuple[str, str], ...] = (
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("schema", "http://schema.org/"),
    ("locn", "http://www.w3.org/ns/locn#"),
    ("odrl", "http://www.w3.org/ns/odrl/2/"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("csvw", "http://www.w3.org/ns/csvw#"),
    ("time", "http://www.w3.org/2006/time#"),
    ("cv", "http://data.europa.eu/m8g/"),
    ("geodcatap", "http://data.europa.eu/930/"),
    ("eli", "http://data.europa.eu/eli/ontology#"),
    ("healthdcatap", "http://healthdataportal.eu/ns/health#"),
    ("dpv", "https://w3id.org/dpv#"),
)

#: (rule suffix, canonical start) of IRI spaces: code lists and registers, any path below.
SPACES: tuple[tuple[str, str], ...] = (
    ("eu-authority", "http://publications.europa.eu/resource/authority/"),
    ("iana-media-types", "http://www.iana.org/assignments/media-types/"),
    ("eli", "http://data.europa.eu/eli/"),
    ("hdeu-authority", "https://hdeu-dcat.data.health.europa.eu/resource/authority/"),
    ("dpv", "https://w3id.org/dpv/"),
)

#: Namespaces whose other separator is a namespace of its own (``dpv/pd#``), not a typo.
NO_SEPARATOR_SWAP = frozenset({"https://w3id.org/dpv#"})
#: Namespaces whose other separator also names things (DCAT-AP's shapes are
#: ``http://data.europa.eu/r5r#…``): a wrong separator is fixed for these terms only.
SEPARATOR_TERMS: dict[str, frozenset[str]] = {
    "http://data.europa.eu/r5r/": frozenset({"applicableLegislation", "availability",
                                             "hvdCategory"}),
}
#: IRIs that look like a namespace glued to a name but are something else.
NOT_GLUED = ("http://www.w3.org/2006/timezone",)

SPDX = "http://spdx.org/rdf/terms#"
SPDX_ALGORITHM = "checksumAlgorithm_"
SPDX_ALGORITHMS = "https://spdx.org/rdf/terms#"
#: a term's local name (a document such as ``terms/spdx-ontology.owl.xml`` is not one)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Rewrite:
    """An IRI rewritten by a rule."""

    iri: str
    rule: str


@dataclass(frozen=True)
class _Variant:
    start: str  # the variant, up to the local name
    canonical: str  # what replaces ``start``
    rule: str
    terms: frozenset[str] | None = None  # only these local names (None: any name)
    space: bool = False  # anything may follow, not only a local name

    def rewrite(self, iri: str) -> Rewrite | None:
        local = iri[len(self.start):]
        if not self.space and (not _NAME.fullmatch(local)
                               or (self.terms is not None and local not in self.terms)):
            return None
        return Rewrite(self.canonical + local, self.rule)

    def trigger(self) -> tuple[str, str]:
        if self.terms is not None:
            return "<" + self.start, "(?:" + "|".join(sorted(self.terms)) + ")>"
        if self.space:
            return "<" + self.start, ""
        if self.start == SPDX_ALGORITHMS:  # its algorithms are already in their form
            return "<" + self.start, f"(?!{SPDX_ALGORITHM})[A-Za-z_]"
        return "<" + self.start, "[A-Za-z_]"


def _schemes_and_hosts(start: str) -> set[str]:
    """``start`` with either scheme, with or without ``www.``, and with the W3C's host
    misspelt ``w3c.org`` (``start`` included)."""
    rest = start.split("://", 1)[1]
    host, slash, path = rest.partition("/")
    bare = host.removeprefix("www.")
    hosts = {bare, "www." + bare} | ({"w3c.org", "www.w3c.org"} if bare == "w3.org" else set())
    return {f"{s}://{h}{slash}{path}" for s in ("http", "https") for h in hosts}


def _build() -> tuple[dict[str, _Variant], list[_Variant]]:
    """Variants ending with a separator (looked up by the IRI up to its last ``#`` or
    ``/``), and the others: IRI spaces and namespaces glued to the name, longest first."""
    separated: dict[str, _Variant] = {}
    others: list[_Variant] = []
    for prefix, namespace in NAMESPACES:
        base, own = namespace[:-1], namespace[-1]
        rule = f"namespace/{prefix}"
        restricted = SEPARATOR_TERMS.get(namespace)
        for variant in _schemes_and_hosts(base):
            for sep in (own,) if namespace in NO_SEPARATOR_SWAP else ("#", "/"):
                if variant + sep != namespace:
                    terms = restricted if sep != own else None
                    separated[variant + sep] = _Variant(variant + sep, namespace, rule, terms)
            others.append(_Variant(variant, namespace, rule, restricted))
    for suffix, start in SPACES:
        others += [_Variant(variant, start, f"namespace/{suffix}", space=True)
                   for variant in _schemes_and_hosts(start) if variant != start]
    others.sort(key=lambda v: -len(v.start))
    return separated, others


def _origin(iri: str) -> str:
    """``scheme://host`` of an IRI."""
    end = iri.find("/", iri.find("://") + 3)
    return iri if end < 0 else iri[:end]


_SEPARATED, _OTHERS = _build()
#: the other variants by ``scheme://host``; those without a path (``http://schema.org``
#: glued to a name) are tried for every IRI
_BY_ORIGIN: dict[str, list[_Variant]] = {}
_HOSTS_ONLY = [v for v in _OTHERS if "/" not in v.start.split("://", 1)[1]]
_HOSTS_ONLY_STARTS = tuple(v.start for v in _HOSTS_ONLY)
for _variant in _OTHERS:
    if _variant not in _HOSTS_ONLY:
        _BY_ORIGIN.setdefault(_origin(_variant.start), []).append(_variant)


def _namespace_rewrite(iri: str) -> Rewrite | None:
    if iri.startswith(NOT_GLUED):
        return None
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    if (variant := _SEPARATED.get(iri[:cut])) is not None:
        return variant.rewrite(iri)
    candidates = _BY_ORIGIN.get(_origin(iri), ())
    if iri.startswith(_HOSTS_ONLY_STARTS):
        candidates = (*candidates, *_HOSTS_ONLY)
    for variant in candidates:
        if iri.startswith(variant.start) and (found := variant.rewrite(iri)) is not None:
            return found
    return None


def rewrite_iri(iri: str, *, datatype: bool = False) -> Rewrite | None:
    """The canonical form of ``iri`` (without angle brackets), or None when it is one."""
    if datatype and "iana.org/assignments/media-types/" in iri:
        return None
    found = _namespace_rewrite(iri)
    target = found.iri if found else iri
    if target.startswith(SPDX + SPDX_ALGORITHM):  # the one https form, see the module doc
        target = SPDX_ALGORITHMS + target[len(SPDX):]
        return None if target == iri else Rewrite(target, "namespace/spdx-checksum-algorithm")
    return found


def trigger_keys() -> list[tuple[str, str]]:
    """(literal, tail) pairs that every IRI :func:`rewrite_iri` changes starts with."""
    keys = [variant.trigger() for variant in (*_SEPARATED.values(), *_OTHERS)]
    keys.append(("<" + SPDX + SPDX_ALGORITHM, ""))
    return keys
