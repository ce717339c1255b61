"""A catalogue record: its content, its content hash and the fields the ledger keeps.

The content hash is the SHA-256 of the record's content statements after
skolemisation, as sorted N-Triples lines; the statements the node itself writes
about the record (catalogue membership, dates, checksum) are not part of it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from catalog_node.model.iris import IriMinter
from catalog_node.model.skolem import signature_of, skolem_names
from catalog_node.namespaces import (
    ACCESS_RIGHT,
    ADMS,
    ADMS_STATUS,
    DCAT,
    DCT,
    FOAF,
    PROV,
    RDF,
    SKOS,
    SPDX,
    XSD,
)
from catalog_node.rdf.split import Draft

SHA256 = "<https://spdx.org/rdf/terms#checksumAlgorithm_sha256>"

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
    #: normalisation changes made to the source's statements (for the harvest report)
    changes: list[dict[str, str]] = field(default_factory=list)
    #: datasets of other sources this one duplicates (stated with ``dct:relation``)
    links: list[str] = field(default_factory=list)

    def graph_lines(self, minter: IriMinter, issued: str, modified: str) -> list[str]:
        """The whole named graph: content plus the node's statements about the record."""
        r, d = f"<{self.iri}>", f"<{self.dataset_iri}>"
        checksum = f"<{minter.checksum(self.iri)}>"
        top, sub = f"<{minter.catalog()}>", f"<{minter.subcatalog(self.catalog)}>"
        stamp = f"^^<{XSD}dateTime>"
        status = f"<{ADMS_STATUS}Completed>"
        meta = [
            f"{r} <{RDF}type> <{DCAT}CatalogRecord> .",
            f"{r} <{FOAF}primaryTopic> {d} .",
            f'{r} <{DCT}issued> "{issued}"{stamp} .',
            f'{r} <{DCT}modified> "{modified}"{stamp} .',
            # dct:source of a record must be the harvested dcat:CatalogRecord (DCAT-AP 3):
            # where the record came from is stated with PROV instead.
            f"{r} <{PROV}wasDerivedFrom> <{minter.source(self.source)}> .",
            f"{r} <{ADMS}status> {status} .",
            f"{status} <{RDF}type> <{SKOS}Concept> .",
            f"{status} <{SKOS}inScheme> <{ADMS_STATUS}1.0> .",
            f'{status} <{SKOS}prefLabel> "Completed"@en .',
            f"{r} <{SPDX}checksum> {checksum} .",
            f"{checksum} <{RDF}type> <{SPDX}Checksum> .",
            # The https form is the one DCAT-AP 3.0.1's code-list shape accepts.
            f"{checksum} <{SPDX}algorithm> {SHA256} .",
            f"{SHA256} <{RDF}type> <{SPDX}ChecksumAlgorithm> .",
            f'{checksum} <{SPDX}checksumValue> "{self.hash}"^^<{XSD}hexBinary> .',
            f"{top} <{DCAT}record> {r} .",
            f"{top} <{DCAT}dataset> {d} .",
            f"{sub} <{DCAT}record> {r} .",
            f"{sub} <{DCAT}dataset> {d} .",
        ]
        # Duplicates across sources are linked, never merged: each source keeps its record.
        meta += [f"{d} <{DCT}relation> <{other}> ." for other in self.links
                 if other != self.dataset_iri]
        return self.lines + meta




_ESCAPES = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))')
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
           "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    short, long_, char = match.groups()
    if short or long_:
        return chr(int(short or long_, 16))
    return _SIMPLE.get(char, char)


def literal_value(term: str) -> Literal | None:
    """Parse one N-Triples literal term (as pyoxigraph writes them)."""
    if not term.startswith('"'):
        return None
    end = term.rindex('"')
    text = term[1:end]
    if "\\" in text:
        text = _ESCAPES.sub(_unescape, text)
    rest = term[end + 1:]
    if rest.startswith("@"):
        return Literal(text, language=rest[1:])
    if rest.startswith("^^<"):
        return Literal(text, datatype=NamedNode(rest[3:-1]))
    return Literal(text)


def _literals(block: list[str], predicate: str) -> dict[str, str]:
    """``{language: value}`` of a block's literals for ``predicate`` (first one wins)."""
    found: dict[str, str] = {}
    prefix = predicate + " "
    for line in block:
        if line.startswith(prefix) and (lit := literal_value(line[len(prefix):])) is not None:
            found.setdefault((lit.language or "").split("-")[0], lit.value)
    return found


def _objects(block: list[str], predicate: str) -> list[str]:
    prefix = predicate + " "
    return [line[len(prefix):] for line in block if line.startswith(prefix)]


def read_fields(blocks: dict[str, list[str]], dataset: str) -> RecordFields:
    """Titles, publisher and access level of the dataset ``dataset`` (an N-Triples term)."""
    root = blocks.get(dataset, [])
    titles = _literals(root, _TITLE)
    publishers = [o for o in _objects(root, _PUBLISHER) if o[0] in "<_"]
    publisher = min(publishers) if publishers else None
    access = next((o[1 + len(ACCESS_RIGHT):-1] for o in _objects(root, _ACCESS)
                   if o.startswith(f"<{ACCESS_RIGHT}")), None)
    names = _literals(blocks.get(publisher, []), _NAME) if publisher else {}
    fallback = titles.get("")
    return RecordFields(
        title_fr=titles.get("fr") or fallback,
        title_en=titles.get("en") or fallback,
        publisher_iri=publisher[1:-1] if publisher and publisher[0] == "<" else None,
        publisher_name=names.get("en") or names.get("") or names.get("fr")
        or next(iter(names.values()), None),
        access_level=access,
    )


def dataset_key(draft: Draft) -> str:
    """The source's own key for a dataset: its IRI, else its identifier, else its content."""
    if draft.root.startswith("<"):
        return draft.root[1:-1]
    identifiers = _literals(draft.blocks.get(draft.root, []), _IDENTIFIER)
    if identifiers:
        return "identifier:" + min(identifiers.values())
    return "signature:" + signature_of(draft.statements(), draft.root)


def _blank_statements(blocks: dict[str, list[str]]) -> list[Statement]:
    """Every statement with a blank node as subject or object."""
    found: list[Statement] = []
    for subject, block in blocks.items():
        if subject[0] == "_":
            found.extend((subject, *line.split(" ", 1)) for line in block)  # type: ignore[misc]
        else:
            found.extend((subject, *line.split(" ", 1)) for line in block  # type: ignore[misc]
                         if " _:" in line and line[line.index(" ") + 1] == "_")
    return found


def build_record(draft: Draft, *, source: str, catalog: str, minter: IriMinter) -> Record:
    """Name, skolemise and hash a draft."""
    key = dataset_key(draft)
    record_iri = minter.record(source, key)
    names: dict[str, str] = {}
    if draft.root.startswith("<"):
        dataset_iri = key
    else:
        dataset_iri = minter.dataset(source, key)
        names[draft.root] = f"<{dataset_iri}>"
    blank = _blank_statements(draft.blocks)
    if blank:
        named = [(names.get(s, s), p, names.get(o, o)) for s, p, o in blank]
        names.update(skolem_names(named, lambda d: minter.skolem(record_iri, d)))
    lines: list[str] = []
    touched = {s for s, _, o in blank if s in names or o in names}
    for subject, block in draft.blocks.items():
        if subject in touched or subject in names:
            term = names.get(subject, subject)
            for line in block:
                predicate, obj = line.split(" ", 1)
                lines.append(f"{term} {predicate} {names.get(obj, obj)} .")
        else:
            lines.extend([f"{subject} {line} ." for line in block])
    lines = sorted(set(lines))
    fields = read_fields(draft.blocks, draft.root)
    return Record(iri=record_iri, dataset_iri=dataset_iri, source=source, catalog=catalog,
                  lines=lines, hash=content_hash(lines), fields=fields)


def content_hash(lines: list[str]) -> str:
    """SHA-256 over the record's N-Triples lines, already sorted and distinct."""
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
