"""One fetched FAIR Data Point document: the resource it describes, its links, what a record keeps.

An FDP serves one metadata document per resource (the FDP itself, each catalogue, dataset,
distribution). Besides the resource's description a document carries bookkeeping: LDP
containers that list the children, labels of metadata profiles, FAIR metrics. A dataset's
record keeps of a document only its *own triples*:

* every triple about the resource itself, except LDP ones (``ldp:*`` predicates and
  ``a ldp:…``);
* the triples of the nodes the document describes that are reached from the resource by
  outgoing links (blank nodes, ``#identifier``/``#contact`` hash IRIs, agents, distributions
  and data services described inline), transitively, with the same LDP filter;
* the walk does not enter LDP containers, resources that are records or listings of their own
  (catalogues, datasets, series, catalogue records, the FDP itself), nor the FDP's FAIR-metric
  links (``sio:SIO_000628``): their triples stay out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, NamedNode, Triple

from catalog_node.errors import InputError
from catalog_node.namespaces import (
    DCAT,
    DCAT_CATALOG,
    DCAT_CATALOG_PROP,
    DCAT_CATALOG_RECORD,
    DCAT_DATA_SERVICE,
    DCAT_DATASET,
    DCAT_DATASET_PROP,
    DCAT_DATASET_SERIES,
    RDF_TYPE,
    n,
)
from catalog_node.net.safe_http import FetchedDocument
from catalog_node.rdf.formats import Syntax, syntax_for_media_type, syntax_for_path, syntax_named
from catalog_node.rdf.parse import parse_errors, quad_parser

FDP_O = "https://w3id.org/fdp/fdp-o#"
R3D = "http://www.re3data.org/schema/3-0#"
LDP = "http://www.w3.org/ns/ldp#"

DCAT_DISTRIBUTION = n(DCAT, "Distribution")
DCAT_DISTRIBUTION_PROP = n(DCAT, "distribution")
DCAT_ACCESS_SERVICE = n(DCAT, "accessService")
LDP_CONTAINS = n(LDP, "contains")
LDP_MEMBERSHIP = n(LDP, "membershipResource")
LDP_MEMBER_RELATION = n(LDP, "hasMemberRelation")
SIO_METRIC = NamedNode("http://semanticscience.org/resource/SIO_000628")


class Role(Enum):
    """What a document is to the walk."""

    LISTING = "listing"  # the FDP, a catalogue or a container: it lists other documents
    DATASET = "dataset"  # a dataset or dataset series: one page
    DISTRIBUTION = "distribution"
    SERVICE = "service"
    UNKNOWN = "unknown"  # an LDP member with no known relation: its types decide


#: Links from a listing to catalogues (FDP ontology, re3data, DCAT sub-catalogues).
CATALOG_LINKS = (n(FDP_O, "metadataCatalog"), n(R3D, "dataCatalog"), DCAT_CATALOG_PROP)

_LISTING_CLASSES = frozenset({
    DCAT_CATALOG, n(FDP_O, "FAIRDataPoint"), n(FDP_O, "FairDataPoint"),
    n(FDP_O, "MetadataService"), n(R3D, "Repository")})
_CONTAINER_CLASSES = frozenset(n(LDP, name) for name in (
    "Container", "BasicContainer", "DirectContainer", "IndirectContainer"))
_CLASSES = {
    Role.DATASET: frozenset({DCAT_DATASET, DCAT_DATASET_SERIES}),
    Role.DISTRIBUTION: frozenset({DCAT_DISTRIBUTION}),
    Role.LISTING: _LISTING_CLASSES,
    Role.SERVICE: frozenset({DCAT_DATA_SERVICE}),
}
_CLASSES[Role.UNKNOWN] = _CLASSES[Role.DATASET] | _LISTING_CLASSES
#: Resources whose triples a record never takes from another resource's document.
_STOP_CLASSES = (_CLASSES[Role.DATASET] | _LISTING_CLASSES | _CONTAINER_CLASSES
                 | {DCAT_CATALOG_RECORD})
#: ``ldp:hasMemberRelation`` → the role of the container's members.
_MEMBER_ROLES = {
    **{link.value: Role.LISTING for link in CATALOG_LINKS},
    DCAT_DATASET_PROP.value: Role.DATASET,
    n(DCAT, "hasPart").value: Role.DATASET,
    n("http://purl.org/dc/terms/", "hasPart").value: Role.DATASET,
    DCAT_DISTRIBUTION_PROP.value: Role.DISTRIBUTION,
}
#: Media types that say nothing about the syntax: the URL's extension decides, else Turtle.
_GENERIC_MEDIA = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})


@dataclass(frozen=True)
class Link:
    """A document to visit: the IRI as the FDP published it and what it should be."""

    iri: str
    role: Role
    #: the catalogue that lists it (datasets only), for the catalogue triple of its page
    catalog: NamedNode | None = None


@dataclass
class FdpDocument:
    """A parsed FDP document and the resource it describes."""

    url: str
    subject: NamedNode
    about: dict[NamedNode | BlankNode, list[Triple]] = field(repr=False)

    @property
    def types(self) -> set[NamedNode]:
        return self._types(self.subject)

    def role(self, expected: Role) -> Role:
        """The document's role by its resource's types; untyped, the link's role decides."""
        types = self.types
        found = {role for role, classes in _CLASSES.items()
                 if role is not Role.UNKNOWN and types & classes}
        if types & _CONTAINER_CLASSES or self._is_container(self.subject):
            found.add(Role.LISTING)
        for role in (Role.DATASET, Role.DISTRIBUTION, Role.LISTING, Role.SERVICE):
            if role in found:
                return role
        return Role.LISTING if expected is Role.UNKNOWN else expected

    # -- links --------------------------------------------------------------------------
    def children(self) -> list[Link]:
        """What a listing lists: catalogues, datasets, and the members of its containers."""
        catalog = self.subject if DCAT_CATALOG in self.types else None
        links = [Link(iri, Role.LISTING) for link in CATALOG_LINKS for iri in self._iris(link)]
        links += [Link(iri, Role.DATASET, catalog) for iri in self._iris(DCAT_DATASET_PROP)]
        for role, iri in self._members():
            if role is not Role.DISTRIBUTION:
                links.append(Link(iri, role, catalog if role is Role.DATASET else None))
        return list(dict.fromkeys(links))

    def series_members(self) -> list[Link]:
        """Datasets a series lists through its containers (``dcat:hasPart``…)."""
        members = [Link(iri, Role.DATASET if role is Role.LISTING else role)
                   for role, iri in self._members() if role is not Role.DISTRIBUTION]
        return list(dict.fromkeys(members))

    def distributions(self) -> list[str]:
        """Distributions with documents of their own (hash IRIs and blank nodes are inline)."""
        iris = self._iris(DCAT_DISTRIBUTION_PROP)
        iris += [iri for role, iri in self._members() if role is Role.DISTRIBUTION]
        own = {_document_of(self.url), _document_of(self.subject.value)}
        return [iri for iri in dict.fromkeys(iris) if _document_of(iri) not in own]

    # -- what a record keeps --------------------------------------------------------------
    def own_triples(self) -> list[Triple]:
        """The resource's triples and those of the nodes it reaches (see the module rules)."""
        kept: list[Triple] = []
        queue: list[NamedNode | BlankNode] = [self.subject]
        seen: set[object] = {self.subject}
        while queue:
            for triple in self.about.get(queue.pop(), ()):
                if _is_ldp(triple):
                    continue
                kept.append(triple)
                target = triple.object
                if (target in seen or triple.predicate == SIO_METRIC
                        or not isinstance(target, (NamedNode, BlankNode))
                        or target not in self.about or self._types(target) & _STOP_CLASSES
                        or self._is_container(target)):
                    continue
                seen.add(target)
                queue.append(target)
        return kept

    # -- helpers ----------------------------------------------------------------------
    def _types(self, node: object) -> set[NamedNode]:
        return {t.object for t in self.about.get(node, ())  # type: ignore[call-overload]
                if t.predicate == RDF_TYPE and isinstance(t.object, NamedNode)}

    def _is_container(self, node: object) -> bool:
        return any(t.predicate == LDP_CONTAINS for t in self.about.get(node, ()))  # type: ignore[call-overload]

    def _iris(self, predicate: NamedNode) -> list[str]:
        return [t.object.value for t in self.about.get(self.subject, ())
                if t.predicate == predicate and isinstance(t.object, NamedNode)]

    def _members(self) -> Iterator[tuple[Role, str]]:
        """(role, IRI) of each member of the containers of this resource."""
        for node, triples in self.about.items():
            if not self._is_container(node):
                continue
            owners = [t.object for t in triples if t.predicate == LDP_MEMBERSHIP]
            if node != self.subject and self.subject not in owners:
                continue
            relation = next((t.object.value for t in triples
                             if t.predicate == LDP_MEMBER_RELATION), "")
            role = _MEMBER_ROLES.get(relation, Role.UNKNOWN)
            for t in triples:
                if t.predicate == LDP_CONTAINS and isinstance(t.object, NamedNode):
                    yield role, t.object.value


def read_document(fetched: FetchedDocument, link: Link, tag: str) -> FdpDocument:
    """Parse a fetched document (syntax from its Content-Type, base IRI its URL).

    Blank nodes are renamed ``tag`` + their rank, so documents combined into one page
    never share a label and an unchanged document gives the same bytes. Raises
    InputError naming the URL when it cannot be parsed or does not describe the linked
    resource.
    """
    syntax = syntax_of(fetched)
    about: dict[NamedNode | BlankNode, list[Triple]] = {}
    labels: dict[str, BlankNode] = {}
    with parse_errors(fetched.url):
        for quad in quad_parser(fetched.body, syntax, fetched.final_url):
            triple = Triple(_relabel(quad.subject, tag, labels), quad.predicate,
                            _relabel(quad.object, tag, labels))
            about.setdefault(triple.subject, []).append(triple)  # type: ignore[arg-type]
    if not about:
        raise InputError("the document holds no triples", source=fetched.url,
                         hint="the FDP answered an empty document; check the URL")
    subject = _resource(about, (link.iri, fetched.url, fetched.final_url), link.role)
    if subject is None:
        raise InputError(f"the document does not describe <{link.iri}>", source=fetched.url,
                         hint="the FDP serves it under another IRI; check its persistent "
                              "URL setting")
    return FdpDocument(url=fetched.url, subject=subject, about=about)


def syntax_of(fetched: FetchedDocument) -> Syntax:
    """The syntax its Content-Type names; for a generic type, the URL's extension or Turtle."""
    media = (fetched.content_type or "").split(";", 1)[0].strip().lower()
    if media in _GENERIC_MEDIA:
        return syntax_for_path(urlsplit(fetched.final_url).path) or syntax_named("turtle")
    syntax = syntax_for_media_type(media)
    if syntax is None:
        raise InputError(f"the server sent {media!r}, which is not an RDF syntax",
                         source=fetched.url,
                         hint="an FDP answers RDF to Accept: text/turtle; check the URL")
    return syntax


def _resource(about: dict[NamedNode | BlankNode, list[Triple]], candidates: Iterable[str],
              expected: Role) -> NamedNode | None:
    """The resource a document describes: the linked IRI or its URL, else the one typed one."""
    for candidate in candidates:
        try:
            node = NamedNode(candidate)
        except ValueError:
            continue
        if node in about:
            return node
    wanted = _CLASSES[expected]
    typed = [s for s, triples in about.items() if isinstance(s, NamedNode) and any(
        t.predicate == RDF_TYPE and t.object in wanted for t in triples)]
    return typed[0] if len(typed) == 1 else None


def _relabel(term: object, tag: str, labels: dict[str, BlankNode]) -> object:
    """``tag`` + the blank node's rank in the document: the same bytes give the same page."""
    if not isinstance(term, BlankNode):
        return term
    node = labels.get(term.value)
    if node is None:
        node = labels[term.value] = BlankNode(f"{tag}{len(labels)}")
    return node


def _is_ldp(triple: Triple) -> bool:
    if triple.predicate.value.startswith(LDP):
        return True
    return (triple.predicate == RDF_TYPE and isinstance(triple.object, NamedNode)
            and triple.object.value.startswith(LDP))


def _document_of(iri: str) -> str:
    return iri.split("#", 1)[0]
