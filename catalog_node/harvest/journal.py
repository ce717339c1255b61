"""The run journal: what a harvest run is changing, so that the run commits or undoes whole.

Before each store write of a run, the prior state of every record it touches (ledger row
and record graph) goes into ``run_undo``. A run that commits moves those prior versions
into the record history in one ledger transaction; a run that fails, or whose process
was killed, is undone from them (:mod:`catalog_node.harvest.rollback`). History is only
written at commit, so an undone run leaves no trace but its failed report.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

from catalog_node.ledger import Ledger, LedgerRow
from catalog_node.ledger.ledger import now

if TYPE_CHECKING:
    from catalog_node.pipeline import PreparedBatch


class RunJournal:
    """The undo entries of one run, in the ledger database."""

    def __init__(self, ledger: Ledger, run_id: int):
        self.ledger = ledger
        self.run_id = run_id
        #: record IRI → "created" or "updated", for what the run wrote
        self.written: dict[str, str] = {}

    def note(self, prepared: PreparedBatch) -> None:
        """Remember what a committed batch created and updated (for the run report)."""
        for record in prepared.changed:
            kind = "updated" if record.iri in prepared.known else "created"
            self.written.setdefault(record.iri, kind)

    def save(self, entries: Iterable[tuple[str, LedgerRow | None, bytes | None, str]]) -> None:
        """Journal ``(record IRI, prior row, prior N-Quads, reason)`` before a store write.

        The first prior state of a record in a run is the one kept.
        """
        values = [(self.run_id, iri, json.dumps(asdict(row)) if row else None,
                   zlib.compress(nquads) if nquads is not None else None, reason)
                  for iri, row, nquads, reason in entries]
        if not values:
            return
        with self.ledger.write() as db:
            db.executemany("INSERT OR IGNORE INTO run_undo VALUES (?, ?, ?, ?, ?)", values)


def start_run(ledger: Ledger, source: str) -> int:
    """Open a run of ``source``; refuse while another of its runs is open."""
    with ledger.write() as db:
        running = db.execute("SELECT id FROM runs WHERE source = ? AND state = 'running'",
                             (source,)).fetchone()
        if running:
            from catalog_node.errors import NodeBusyError

            raise NodeBusyError(f"run {running[0]} of source {source!r} is still running",
                                place=source, hint="wait for it to finish")
        cursor = db.execute("INSERT INTO runs (source, started, state) VALUES (?, ?, "
                            "'running')", (source, now()))
    return int(cursor.lastrowid or 0)


def commit_run(ledger: Ledger, run_id: int, report: dict[str, object], complete: bool,
               ledger_updates: Sequence[tuple[str, Sequence[tuple[object, ...]]]]) -> None:
    """Close a run in one transaction: prior versions to history, its bookkeeping, report."""
    stamp = now()
    with ledger.write() as db:
        db.execute(
            "INSERT INTO history (record_iri, hash, valid_from, valid_to, reason, nquads) "
            "SELECT record_iri, json_extract(prior_row, '$.hash'), "
            "json_extract(prior_row, '$.modified'), ?, reason, prior_nquads FROM run_undo "
            "WHERE run_id = ? AND prior_row IS NOT NULL AND prior_nquads IS NOT NULL",
            (stamp, run_id))
        db.execute("DELETE FROM run_undo WHERE run_id = ?", (run_id,))
        for statement, rows in ledger_updates:
            db.executemany(statement, rows)
        db.execute("UPDATE runs SET state = 'committed', finished = ?, complete = ?, "
                   "report = ? WHERE id = ?",
                   (stamp, int(complete), _packed(report), run_id))


def close_failed_run(ledger: Ledger, run_id: int, report: dict[str, object],
                     state: str = "failed") -> None:
    """Record the report of a run that was undone."""
    with ledger.write() as db:
        db.execute("DELETE FROM run_undo WHERE run_id = ?", (run_id,))
        db.execute("UPDATE runs SET state = ?, finished = ?, complete = 0, report = ? "
                   "WHERE id = ?", (state, now(), _packed(report), run_id))


def _packed(report: dict[str, object]) -> bytes:
    return zlib.compress(json.dumps(report, ensure_ascii=False, default=str).encode())


def unpacked(blob: bytes | None) -> dict[str, object]:
    return json.loads(zlib.decompress(blob)) if blob else {}
