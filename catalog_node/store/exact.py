"""Keeping literals exact in a store that value-encodes them (embedded Oxigraph).

Oxigraph stores typed literals by value: ``"1024"^^xsd:nonNegativeInteger`` comes back
as ``"1024"^^xsd:integer`` (every integer-derived type collapses to xsd:integer) and
``"1.50"^^xsd:decimal`` as ``"1.5"``. DCAT-AP and HealthDCAT-AP require
``xsd:nonNegativeInteger`` (byte sizes, record counts), so the change would make stored
records fail validation. For each record graph the backend records which stored
statements differ from what was written, in one statement of the graph
(``<record> <urn:catalog-node:exact-literals> "{json}"``), and restores them on read.
SPARQL queries see the store's canonical forms (same values, canonical datatypes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pyoxigraph import Quad, RdfFormat, Store, parse

EXACT_LITERALS = "urn:catalog-node:exact-literals"
_PLAIN = ('"^^<http://www.w3.org/2001/XMLSchema#string>',
          '"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>')


def _typed_object(line: str) -> tuple[str, str] | None:
    """``(subject predicate, object)`` of an N-Triples line whose object is a typed literal."""
    if not line.endswith('> .') or '"^^<' not in line:
        return None
    subject, predicate, obj = line[:-2].split(" ", 2)
    if not obj.startswith('"') or obj.endswith(_PLAIN):
        return None
    return f"{subject} {predicate}", obj


def _json_literal(changes: dict[str, str]) -> str:
    payload = json.dumps(changes, ensure_ascii=False, sort_keys=True)
    return json.dumps(payload, ensure_ascii=False)


class ExactLiterals:
    """Predicts how the store rewrites literals, and undoes it on read."""

    def __init__(self, cache_size: int = 200_000):
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size

    def _stored_forms(self, terms: set[str]) -> dict[str, str]:
        """How the store will write back each literal term, from the cache or a probe."""
        found: dict[str, str] = {}
        missing: list[str] = []
        for term in terms:
            known = self._cache.get(term)
            if known is None:
                missing.append(term)
            else:
                found[term] = known
        if missing:
            probe = Store()
            probe.load("".join(f"<urn:x:{i}> <urn:x:p> {t} .\n" for i, t in enumerate(missing)),
                       format=RdfFormat.N_TRIPLES)
            fresh = {missing[int(q.subject.value[6:])]: str(q.object) for q in probe}
            if len(self._cache) + len(fresh) > self._cache_size:
                self._cache.clear()
            self._cache.update(fresh)
            found.update(fresh)
        return found

    def corrections(self, graphs: Sequence[tuple[str, list[str]]]) -> dict[str, str]:
        """``{graph IRI: statement}`` to add to the graphs whose exact lines need restoring.

        One scratch store answers for every new literal of the whole batch.
        """
        typed = [(iri, i, found) for iri, lines in graphs for i, line in enumerate(lines)
                 if '"^^<' in line and (found := _typed_object(line))]
        if not typed:
            return {}
        stored = self._stored_forms({obj for _, _, (_, obj) in typed})
        lines_of = dict(graphs)
        changes: dict[str, dict[str, str]] = {}
        for iri, i, (head, obj) in typed:
            if stored[obj] != obj:
                changes.setdefault(iri, {})[f"{head} {stored[obj]} ."] = lines_of[iri][i]
        return {iri: f"<{iri}> <{EXACT_LITERALS}> {_json_literal(c)} ."
                for iri, c in changes.items()}

    @staticmethod
    def restore(quads: list[Quad], corrections: list[Quad]) -> list[Quad]:
        """A graph's quads as written: stored forms swapped back, corrections dropped.

        ``corrections`` are the graph's ``exact-literals`` statements (an indexed look-up);
        quads are compared by value, so no term is turned into text here.
        """
        if not corrections:
            return quads
        graph = corrections[0].graph_name
        swap: dict[Quad, Quad] = {}
        for correction in corrections:
            for stored, written in json.loads(correction.object.value).items():
                before = next(iter(parse(stored, format=RdfFormat.N_TRIPLES)))
                after = next(iter(parse(written, format=RdfFormat.N_TRIPLES)))
                swap[Quad(before.subject, before.predicate, before.object, graph)] = Quad(
                    after.subject, after.predicate, after.object, graph)
        dropped = set(corrections)
        return [swap.get(q, q) for q in quads if q not in dropped]
