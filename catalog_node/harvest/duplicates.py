"""Duplicates across sources: the same dataset described by two sources is linked, not doubled.

Two records are duplicates when their datasets share the dataset IRI, a ``dct:identifier``,
an ``adms:identifier`` notation or a landing page. Each source keeps its own record; the
record written later states ``dct:relation`` to the other dataset (a node statement, out
of the content hash), and the run report lists the pair with the key they share.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from catalog_node.ledger import Ledger
from catalog_node.model.record import Record, literal_value
from catalog_node.namespaces import ADMS, DCAT, DCT, SKOS

_IDENTIFIER = f"<{DCT}identifier>"
_ADMS_ID = f"<{ADMS}identifier>"
_NOTATION = f"<{SKOS}notation>"
_LANDING = f"<{DCAT}landingPage>"


def _landing_key(iri: str) -> str:
    parts = urlsplit(iri)
    return "landing:" + urlunsplit(("", parts.netloc.lower(), parts.path.rstrip("/"),
                                    parts.query, "")).lstrip("/")


def record_keys(record: Record) -> set[str]:
    """The identifying keys of a record's dataset."""
    subject = f"<{record.dataset_iri}> "
    keys = {f"iri:{record.dataset_iri}"}
    id_nodes: set[str] = set()
    for line in record.lines:
        if not line.startswith(subject):
            continue
        predicate, obj = line[len(subject):-2].split(" ", 1)
        if predicate == _IDENTIFIER:
            value = literal_value(obj)
            keys.add(f"id:{(value.value if value else obj.strip('<>')).strip()}")
        elif predicate == _LANDING and obj.startswith("<"):
            keys.add(_landing_key(obj[1:-1]))
        elif predicate == _ADMS_ID:
            id_nodes.add(obj)
    for line in record.lines:
        node, rest = line.split(" ", 1)
        if node in id_nodes and rest.startswith(_NOTATION):
            value = literal_value(rest[len(_NOTATION) + 1:-2])
            if value is not None:
                keys.add(f"id:{value.value.strip()}")
    return {k for k in keys if len(k) > 4}


def find_duplicates(ledger: Ledger, record: Record, keys: set[str]) -> list[dict[str, str]]:
    """Published records of other sources sharing a key with ``record``."""
    if not keys:
        return []
    marks = ", ".join("?" for _ in keys)
    rows = ledger.read(
        f"SELECT DISTINCT r.record_iri, r.dataset_iri, r.source, k.key FROM record_keys k "
        f"JOIN records r ON r.record_iri = k.record_iri WHERE k.key IN ({marks}) "
        "AND r.status = 'published' AND r.source != ? ORDER BY r.record_iri",
        (*sorted(keys), record.source))
    found: dict[str, dict[str, str]] = {}
    for iri, dataset, source, key in rows:
        found.setdefault(iri, {"record": iri, "dataset": dataset, "source": source,
                               "key": key})
    return list(found.values())
