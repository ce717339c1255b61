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


def find_duplicates(ledger: Ledger, source: str, keys: dict[str, set[str]]
                    ) -> dict[str, list[dict[str, str]]]:
    """For each record IRI → its keys: published records of other sources sharing a key.

    One query per call (the caller batches records), looking the keys up by their index.
    """
    wanted = sorted({key for found in keys.values() for key in found})
    by_key: dict[str, list[tuple[str, str, str]]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for key, iri, dataset, other in ledger.read(
                f"SELECT k.key, r.record_iri, r.dataset_iri, r.source FROM record_keys k "
                f"CROSS JOIN records r ON r.record_iri = k.record_iri "
                f"WHERE k.key IN ({marks}) AND r.status = 'published' AND r.source != ?",
                (*chunk, source)):
            by_key.setdefault(key, []).append((iri, dataset, other))
    result: dict[str, list[dict[str, str]]] = {}
    for record_iri, found in keys.items():
        matches: dict[str, dict[str, str]] = {}
        for key in sorted(found):
            for iri, dataset, other in by_key.get(key, ()):
                matches.setdefault(iri, {"record": iri, "dataset": dataset, "source": other,
                                         "key": key})
        if matches:
            result[record_iri] = [matches[iri] for iri in sorted(matches)]
    return result
