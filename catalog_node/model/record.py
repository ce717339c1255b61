"""A catalogue record: its content, its content hash and the fields the ledger keeps.

The content hash is the SHA-256 of the record's content statements after
skolemisation, as sorted N-Triples lines; the statements the node itself writes
about the record (catalogue membership, dates, checksum) are not part of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pyoxigraph import Literal, RdfFormat, parse

from catalog_node.model.iris import IriMinter
from catalog_node.model.skolem import signature_of, skolemise
from catalog_node.namespaces import ACCESS_RIGHT, ADMS, ADMS_STATUS, DCAT, DCT, FOAF, RDF, SPDX, XSD
from catalog_node.rdf.split import Draft

Statement = tuple[str, str, str]

_TITLE = f"<{DCT}title>"
_IDENTIFIER = f"<{DCT}identifier>"
_PUBLISHER = f"<{DCT}publisher>"
_ACCESS = f"<{DCT}accessRights>"
_NAME = f"<{FOAF}name>"


@dataclass(frozen=True)
class RecordFields:
    """What listing, paging and facets need, read from the record's content."""

    title_fr: str | None = None
    title_en: str | None = None
    publisher_iri: str | None = None
    publisher_name: str | None = None
    access_level: str | None = None


@dataclass
class Record:
    """One record ready for the store: IRI, dataset, content lines and hash."""

    iri: str
    dataset_iri: str
    source: str
    catalog: str
    lines: list[str]
    hash: str
    fields: RecordFields = field(default_factory=RecordFields)

    def graph_lines(self, minter: IriMinter, issued: str, modified: str) -> list[str]:
        """The whole named graph: content plus the node's statements about the record."""
        r, d = f"<{self.iri}>", f"<{self.dataset_iri}>"
        checksum = f"<{minter.checksum(self.iri)}>"
        top, sub = f"<{minter.catalog()}>", f"<{minter.subcatalog(self.catalog)}>"
        stamp = f"^^<{XSD}dateTime>"
        meta = [
            f"{r} <{RDF}type> <{DCAT}CatalogRecord> .",
            f"{r} <{FOAF}primaryTopic> {d} .",
            f'{r} <{DCT}issued> "{issued}"{stamp} .',
            f'{r} <{DCT}modified> "{modified}"{stamp} .',
            f"{r} <{DCT}source> <{minter.source(self.source)}> .",
            f"{r} <{ADMS}status> <{ADMS_STATUS}Completed> .",
            f"{r} <{SPDX}checksum> {checksum} .",
            f"{checksum} <{RDF}type> <{SPDX}Checksum> .",
            f"{checksum} <{SPDX}algorithm> <{SPDX}checksumAlgorithm_sha256> .",
            f'{checksum} <{SPDX}checksumValue> "{self.hash}"^^<{XSD}hexBinary> .',
            f"{top} <{DCAT}record> {r} .",
            f"{top} <{DCAT}dataset> {d} .",
            f"{sub} <{DCAT}record> {r} .",
            f"{sub} <{DCAT}dataset> {d} .",
        ]
        return self.lines + meta




def content_hash(lines: list[str]) -> str:
    """SHA-256 over sorted, distinct N-Triples lines."""
    return hashlib.sha256("\n".join(sorted(set(lines))).encode("utf-8")).hexdigest()


def literal_value(term: str) -> Literal | None:
    """Parse one N-Triples literal term."""
    if not term.startswith('"'):
        return None
    quad = next(iter(parse(f"<x:s> <x:p> {term} .", format=RdfFormat.N_TRIPLES)))
    obj = quad.object
    return obj if isinstance(obj, Literal) else None


def read_fields(statements: list[Statement], dataset: str) -> RecordFields:
    """Titles, publisher and access level of the dataset ``<dataset>``."""
    titles: dict[str, str] = {}
    publisher: str | None = None
    access: str | None = None
    for s, p, o in statements:
        if s != dataset:
            continue
        if p == _TITLE and (lit := literal_value(o)) is not None:
            titles.setdefault((lit.language or "").split("-")[0], lit.value)
        elif p == _PUBLISHER and o.startswith("<") and publisher is None:
            publisher = o
        elif p == _ACCESS and o.startswith(f"<{ACCESS_RIGHT}"):
            access = o[1 + len(ACCESS_RIGHT):-1]
    names: dict[str, str] = {}
    if publisher:
        for s, p, o in statements:
            if s == publisher and p == _NAME and (lit := literal_value(o)) is not None:
                names.setdefault((lit.language or "").split("-")[0], lit.value)
    fallback = titles.get("")
    return RecordFields(
        title_fr=titles.get("fr") or fallback,
        title_en=titles.get("en") or fallback,
        publisher_iri=publisher[1:-1] if publisher else None,
        publisher_name=names.get("en") or names.get("") or names.get("fr")
        or next(iter(names.values()), None),
        access_level=access,
    )


def dataset_key(draft: Draft) -> str:
    """The source's own key for a dataset: its IRI, else its identifier, else its content."""
    if draft.root.startswith("<"):
        return draft.root[1:-1]
    for s, p, o in draft.statements:
        if s == draft.root and p == _IDENTIFIER and (lit := literal_value(o)) is not None:
            return "identifier:" + lit.value
    return "signature:" + signature_of(draft.statements, draft.root)


def build_record(draft: Draft, *, source: str, catalog: str, minter: IriMinter) -> Record:
    """Name, skolemise and hash a draft."""
    key = dataset_key(draft)
    record_iri = minter.record(source, key)
    if draft.root.startswith("<"):
        dataset_iri = key
        statements = draft.statements
    else:
        dataset_iri = minter.dataset(source, key)
        statements = [(f"<{dataset_iri}>" if s == draft.root else s, p,
                       f"<{dataset_iri}>" if o == draft.root else o)
                      for s, p, o in draft.statements]
    statements = skolemise(statements, lambda d: minter.skolem(record_iri, d))
    lines = sorted({f"{s} {p} {o} ." for s, p, o in statements})
    return Record(iri=record_iri, dataset_iri=dataset_iri, source=source, catalog=catalog,
                  lines=lines, hash=content_hash(lines),
                  fields=read_fields(statements, f"<{dataset_iri}>"))

