"""A small read-only view over one record's quads, for building page and JSON views."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from catalog_node.namespaces import DCT, FOAF, RDFS, SKOS, VCARD

Node = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal

_LABEL_PREDICATES = (f"{SKOS}prefLabel", f"{DCT}title", f"{FOAF}name", f"{VCARD}fn",
                     f"{RDFS}label", f"{VCARD}organization-name")


class RecordGraphView:
    """Index of a record's triples by subject and predicate."""

    def __init__(self, quads: Iterable[Quad]):
        self._by_subject: dict[Node, dict[str, list[Term]]] = defaultdict(
            lambda: defaultdict(list))
        for quad in quads:
            self._by_subject[quad.subject][quad.predicate.value].append(quad.object)

    def properties(self, subject: Node) -> dict[str, list[Term]]:
        return self._by_subject.get(subject, {})

    def objects(self, subject: Node, predicate: str) -> list[Term]:
        return sorted(self.properties(subject).get(predicate, []), key=str)

    def nodes(self, subject: Node, predicate: str) -> list[Node]:
        return [o for o in self.objects(subject, predicate)
                if isinstance(o, NamedNode | BlankNode)]

    def text(self, subject: Node, predicate: str, lang: str) -> str | None:
        """The literal in ``lang``, else one without a language, else any."""
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, Literal)]
        for wanted in (lang, "", "en", "fr"):
            for literal in literals:
                if (literal.language or "").split("-")[0] == wanted:
                    return literal.value
        return literals[0].value if literals else None

    def texts(self, subject: Node, predicate: str, lang: str) -> list[str]:
        """All literals in ``lang`` (or with no language); others if there are none."""
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, Literal)]
        chosen = [lit.value for lit in literals if (lit.language or "").split("-")[0]
                  in (lang, "")]
        return chosen or [lit.value for lit in literals]

    def label(self, term: Term, lang: str) -> str:
        """A human label for any term: a literal's value, a node's label, an IRI's tail."""
        if isinstance(term, Literal):
            return term.value
        for predicate in _LABEL_PREDICATES:
            found = self.text(term, predicate, lang)
            if found:
                return found
        if isinstance(term, NamedNode):
            tail = term.value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            return tail or term.value
        return "—"

    def has(self, subject: Node) -> bool:
        return subject in self._by_subject
