"""Duplicates across sources: the same dataset described by two sources is linked, not doubled.

Two records are duplicates when their datasets share the dataset IRI, a ``dct:identifier``,
an ``adms:identifier`` notation or a landing page. Each source keeps its own record; the
record written later states ``dct:relation`` to the other dataset (a node statement, out
of the content hash), and the run report lists the pair with the key they share.
"""

from __future__ import annotations

from catalog_node.ledger import Ledger


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
