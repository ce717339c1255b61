"""Undoing a harvest run whole, from its journal: the catalogue as it was before the run.

Used when a run fails, and when a node opens a data directory where a run was left
``running`` (its process was killed). Idempotent: an undo that is itself interrupted is
simply done again.
"""

from __future__ import annotations

import json
import logging
import zlib

from pyoxigraph import RdfFormat, parse

from catalog_node.harvest.journal import close_failed_run
from catalog_node.ledger import Ledger, LedgerRow
from catalog_node.model.keys import record_keys
from catalog_node.store import RecordGraph, Store

log = logging.getLogger(__name__)


def _graph_lines(nquads: bytes) -> dict[str, list[str]]:
    """The N-Triples lines of each graph in an N-Quads document."""
    graphs: dict[str, list[str]] = {}
    for quad in parse(nquads, format=RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(
            f"{quad.subject} {quad.predicate} {quad.object} .")
    return graphs


def undo_run(store: Store, ledger: Ledger, run_id: int, batch: int = 200) -> int:
    """Restore every record the run touched; return how many."""
    entries = ledger.read("SELECT record_iri, prior_row, prior_nquads FROM run_undo "
                          "WHERE run_id = ?", (run_id,))
    for start in range(0, len(entries), batch):
        chunk = entries[start:start + batch]
        dropped = [iri for iri, _, nquads in chunk if nquads is None]
        restored: list[RecordGraph] = []
        for iri, _, nquads in chunk:
            if nquads is not None:
                lines = _graph_lines(zlib.decompress(nquads)).get(iri, [])
                restored.append(RecordGraph(iri, lines))
        if dropped:
            store.drop(dropped)
        if restored:
            present = {g.iri for g in restored if store.has_graph(g.iri)}
            store.write([g for g in restored if g.iri not in present],
                        [g for g in restored if g.iri in present])
        rows = [LedgerRow(**json.loads(row)) for _, row, _ in chunk if row]
        forgotten = [iri for iri, row, _ in chunk if row is None and iri in dropped]
        lines = {graph.iri: graph.lines for graph in restored}
        keys = [(row.record_iri, key) for row in rows if row.record_iri in lines
                for key in record_keys(row.dataset_iri, lines[row.record_iri])]
        ledger.restore(rows, forgotten, keys)
    touched = {iri for iri, _, _ in entries}
    for intent, _kind, items in ledger.open_intents():
        if any(item.record_iri in touched for item in items) or not items:
            ledger.finish(intent, [], state="repaired")
    return len(entries)


def recover_interrupted_runs(store: Store, ledger: Ledger) -> list[int]:
    """Undo every run left ``running`` by a process that died; return their ids."""
    undone = []
    for (run_id,) in ledger.read("SELECT id FROM runs WHERE state = 'running' ORDER BY id"):
        count = undo_run(store, ledger, run_id)
        close_failed_run(ledger, run_id, {"error": "the run was interrupted (its process "
                                                   "stopped); it was undone",
                                          "records_restored": count}, state="rolled-back")
        log.warning("harvest run %s was interrupted: undone (%s records restored)",
                    run_id, count)
        undone.append(run_id)
    return undone
