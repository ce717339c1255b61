"""The table of RDF syntaxes the node reads and writes, by name, extension and media type."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat

from catalog_node.errors import ConfigError


@dataclass(frozen=True)
class Syntax:
    """One RDF serialisation format."""

    name: str
    rdf_format: RdfFormat
    media_type: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    other_media_types: tuple[str, ...] = ()

    @property
    def keeps_graphs(self) -> bool:
        return self.rdf_format.supports_datasets


SYNTAXES: tuple[Syntax, ...] = (
    Syntax("turtle", RdfFormat.TURTLE, "text/turtle", (".ttl",), ("ttl",),
           ("application/x-turtle",)),
    Syntax("trig", RdfFormat.TRIG, "application/trig", (".trig",), (),
           ("application/x-trig",)),
    Syntax("ntriples", RdfFormat.N_TRIPLES, "application/n-triples", (".nt",),
           ("nt", "n-triples"), ("text/plain",)),
    Syntax("nquads", RdfFormat.N_QUADS, "application/n-quads", (".nq",),
           ("nq", "n-quads"), ("text/x-nquads",)),
    Syntax("rdfxml", RdfFormat.RDF_XML, "application/rdf+xml", (".rdf", ".owl", ".xml"),
           ("xml", "rdf", "rdf/xml"), ()),
    Syntax("jsonld", RdfFormat.JSON_LD, "application/ld+json", (".jsonld", ".json"),
           ("json-ld", "json"), ()),
)

_BY_NAME = {alias: s for s in SYNTAXES for alias in (s.name, *s.aliases)}
_BY_MEDIA = {m: s for s in SYNTAXES for m in (s.media_type, *s.other_media_types)}


def syntax_named(name: str) -> Syntax:
    """The syntax called ``name`` (``turtle``, ``ttl``, ``jsonld``…)."""
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        known = ", ".join(s.name for s in SYNTAXES)
        raise ConfigError(f"unknown RDF format {name!r}", hint=f"use one of {known}") from None


def syntax_for_path(path: str) -> Syntax | None:
    """The syntax a file name implies (a ``.gz`` suffix is looked through)."""
    lowered = path.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    for syntax in SYNTAXES:
        if lowered.endswith(syntax.extensions):
            return syntax
    return None


def syntax_for_media_type(media_type: str) -> Syntax | None:
    """The syntax of a ``Content-Type`` value, parameters ignored."""
    return _BY_MEDIA.get(media_type.split(";", 1)[0].strip().lower())
