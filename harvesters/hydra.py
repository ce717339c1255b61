"""What a page says about paging and filtering, in either Hydra design.

Two designs are in use:

- the current one: a ``hydra:PartialCollectionView`` (usually the object of the
  collection's ``hydra:view``) with ``hydra:next`` / ``hydra:previous`` / ``hydra:first`` /
  ``hydra:last``;
- the legacy one (Hydra drafts of 2013-2014, still written by CKAN's and udata's DCAT
  exports): a ``hydra:PagedCollection`` with ``hydra:nextPage`` / ``hydra:firstPage`` /
  ``hydra:lastPage`` / ``hydra:itemsPerPage``.

Both are read under the current namespace and the older IRIs that were published for it
(``https://`` and ``http://purl.org/hydra/core#``). A link may be an IRI or, as udata and
CKAN write it, a literal holding the URL; a relative one is resolved against the page URL.

A ``hydra:search`` (or any ``hydra:IriTemplate`` on the page) is read too, so that the
harvester can ask for a filtered listing; see :attr:`Paging.modified_since`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from catalog_node.namespaces import DCT, RDF

#: The Hydra core namespace, then the IRIs it was published under before.
HYDRA_NAMESPACES = (
    "http://www.w3.org/ns/hydra/core#",
    "https://www.w3.org/ns/hydra/core#",
    "http://purl.org/hydra/core#",
)
_RDF_TYPE = RDF + "type"
#: Variable names taken to mean "changed since" in an IRI template.
_SINCE_VARIABLE = re.compile(r"^(modified[_-]?since|modifiedSince|since|changed[_-]?since)$",
                             re.IGNORECASE)
_MODIFIED_PROPERTIES = frozenset({DCT + "modified", "http://purl.org/dc/elements/1.1/date"})

Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class Template:
    """A ``hydra:IriTemplate``: its template string and variable → property mappings."""

    template: str
    variables: tuple[tuple[str, str | None], ...]

    def since_variable(self) -> str | None:
        """The variable that filters on modification date, when there is one.

        Taken to be the variable whose ``hydra:property`` is ``dct:modified``, or else
        one named ``modified_since`` (``modifiedSince``, ``since``, ``changed_since``).
        """
        for variable, prop in self.variables:
            if prop in _MODIFIED_PROPERTIES:
                return variable
        for variable, _prop in self.variables:
            if _SINCE_VARIABLE.match(variable):
                return variable
        return None


@dataclass
class Paging:
    """The Hydra statements of one page, and what follows from them."""

    base: str
    types: dict[str, set[str]] = field(default_factory=dict)
    links: list[tuple[str, str, Term]] = field(default_factory=list)
    triples: int = 0

    # -- collecting -------------------------------------------------------------------
    def add(self, quads: Iterable[Quad]) -> None:
        """Keep the Hydra statements of ``quads`` (and count every triple)."""
        count = self.triples
        for quad in quads:
            count += 1
            predicate = quad.predicate.value
            if predicate == _RDF_TYPE:
                kind = quad.object
                if isinstance(kind, NamedNode) and kind.value.startswith(HYDRA_NAMESPACES):
                    self.types.setdefault(str(quad.subject), set()).add(_local(kind.value))
            elif predicate.startswith(HYDRA_NAMESPACES):
                self.links.append((str(quad.subject), _local(predicate), quad.object))
        self.triples = count

    # -- reading ----------------------------------------------------------------------
    @property
    def next_url(self) -> str | None:
        """The absolute URL of the next page, or None on the last (or only) page."""
        candidates = [(s, o) for s, local, o in self.links
                      if local in ("next", "nextPage") and not isinstance(o, BlankNode)]
        if not candidates:
            return None
        views = {str(o) for _s, local, o in self.links if local == "view"}
        typed = {s for s, kinds in self.types.items()
                 if kinds & {"PartialCollectionView", "PagedCollection"}}

        def rank(item: tuple[str, Term]) -> int:
            subject = item[0]
            if subject in typed or subject in views:
                return 0 if _iri_of(subject) == self.base else 1
            return 2

        _subject, target = min(candidates, key=rank)
        value = target.value.strip()
        return urljoin(self.base, value) if value else None

    def templates(self) -> list[Template]:
        """Every IRI template the page describes (``hydra:search`` or typed)."""
        by_subject: dict[str, list[tuple[str, Term]]] = {}
        for s, local, o in self.links:
            by_subject.setdefault(s, []).append((local, o))
        found = []
        for pairs in by_subject.values():
            text = next((o.value for local, o in pairs
                         if local == "template" and isinstance(o, Literal)), None)
            if text is None:
                continue
            variables = []
            for local, mapping in pairs:
                if local != "mapping":
                    continue
                props = dict(by_subject.get(str(mapping), []))
                variable = props.get("variable")
                prop = props.get("property")
                if isinstance(variable, Literal):
                    variables.append((variable.value,
                                      prop.value if isinstance(prop, NamedNode) else None))
            found.append(Template(text, tuple(variables)))
        return found

    def modified_since(self) -> tuple[Template, str] | None:
        """The template (and its variable) that lists only datasets changed since a date."""
        for template in self.templates():
            variable = template.since_variable()
            if variable:
                return template, variable
        return None


def _local(iri: str) -> str:
    """The local name of an IRI in one of the Hydra namespaces."""
    return iri[iri.index("#") + 1:]


def _iri_of(term_text: str) -> str:
    """The IRI inside ``<…>`` (pyoxigraph's ``str`` of a named node)."""
    return term_text[1:-1] if term_text.startswith("<") and term_text.endswith(">") else ""
