"""The one write path: parse → split into records → hash → store → ledger.

Every write of the node goes through :class:`WritePipeline`, in the process that owns
the store. A record is replaced atomically (its DROP and INSERT in one transaction),
many records per transaction; a document that fails to parse stores nothing.
Validation and indexing hook in after the ledger step in later stages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyoxigraph import RdfFormat, serialize

from catalog_node.catalog_graph import catalog_lines
from catalog_node.errors import CatalogNodeError, RecordError, StoreError
from catalog_node.ledger import Ledger, LedgerRow
from catalog_node.ledger.ledger import IntentItem, now
from catalog_node.model.iris import IriMinter
from catalog_node.model.keys import record_keys
from catalog_node.model.record import Record, build_record
from catalog_node.rdf.split import SubjectIndex, split_records
from catalog_node.settings import NodeDescription
from catalog_node.store import RecordGraph, Store

if TYPE_CHECKING:
    from catalog_node.harvest.journal import RunJournal

log = logging.getLogger(__name__)

#: ``progress(stage, done, total)``; total is None when unknown.
Progress = Callable[[str, int, int | None], None]


def _silent(stage: str, done: int, total: int | None) -> None:
    """A progress callback that reports nothing."""


@dataclass
class WriteReport:
    """What one write job did."""

    documents: int = 0
    datasets: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict[str, str | None]] = field(default_factory=list)
    seconds: float = 0.0

    def add_error(self, error: CatalogNodeError) -> None:
        self.errors.append(error.to_dict())

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class PreparedBatch:
    """A batch ready to commit: what changed, its ledger rows, the store's payload."""

    batch: list[Record]
    changed: list[Record]
    known: dict[str, tuple[str, str, str]]
    in_store: set[str]
    rows: list[LedgerRow]
    superseded: list[tuple[LedgerRow, bytes]]
    bulk: bool
    encoded: object
    #: prior states for the run journal (harvests only)
    priors: list[tuple[str, LedgerRow | None, bytes | None, str]] = field(default_factory=list)


def ledger_row(record: Record, issued: str, modified: str) -> LedgerRow:
    """The ledger row of a record as written now."""
    f = record.fields
    return LedgerRow(record_iri=record.iri, dataset_iri=record.dataset_iri,
                     source=record.source, catalog=record.catalog,
                     publisher_iri=f.publisher_iri, publisher_name=f.publisher_name,
                     access_level=f.access_level, status="published", issued=issued,
                     modified=modified, hash=record.hash, validation="{}",
                     title_fr=f.title_fr, title_en=f.title_en)


class WritePipeline:
    """Writes records into the store and the ledger, reconcilably."""

    def __init__(self, store: Store, ledger: Ledger, minter: IriMinter,
                 about: NodeDescription, batch_size: int = 500):
        self.store = store
        self.ledger = ledger
        self.minter = minter
        self.about = about
        self.batch_size = batch_size
        self._catalogs: set[str] | None = None
        self._bulk = False
        #: set while a harvest run writes: prior states go to its journal, not to history
        self.journal: RunJournal | None = None
        #: False while other threads read the store (``serve``): the bulk loader is not
        #: transactional, so a reader could see half a new record.
        self.allow_bulk = True

    @property
    def current_batch_size(self) -> int:
        """Records per store request: twice as many for the bulk loader, which then leaves
        fewer files to compact when the store closes (measured at 100k: close 23 s → 10 s,
        peak RSS 1.83 GB; four times as many went over 2 GB)."""
        return self.batch_size * 2 if self._bulk else self.batch_size

    def begin_job(self) -> None:
        """Start a write job: a first load into a store with no records may go in bulk."""
        self._bulk = (self.allow_bulk and self.ledger.total() == 0
                      and not self.ledger.open_intents())

    # -- catalogue -----------------------------------------------------------------------
    def forget_catalogs(self) -> None:
        """Re-read the sub-catalogues from the ledger next time (after an undo)."""
        self._catalogs = None

    def ensure_catalog(self, new_subcatalog: str | None = None) -> None:
        """(Re)write the node's catalogue graph when it is missing or gains a sub-catalogue."""
        if self._catalogs is None:
            self._catalogs = set(self.ledger.catalogs())
        elif new_subcatalog is None or new_subcatalog in self._catalogs:
            return
        if self.store.has_graph(self.minter.catalog()) and (
                new_subcatalog is None or new_subcatalog in self._catalogs):
            return
        if new_subcatalog:
            self._catalogs.add(new_subcatalog)
        lines = catalog_lines(self.minter, self.about, self._catalogs)
        iri = self.minter.catalog()
        if self.journal is not None:
            prior = (serialize(self.store.graph_quads(iri), format=RdfFormat.N_QUADS)
                     if self.store.has_graph(iri) else None)
            self.journal.save([(iri, None, prior, "graph")])
        self.store.write([], [RecordGraph(iri, lines)])

    # -- records -------------------------------------------------------------------------
    def records_from_index(self, index: SubjectIndex, *, source: str, catalog: str,
                           report: WriteReport) -> Iterator[Record]:
        """Records for every dataset of an indexed document; bad ones are reported.

        The normalisation changes made to a record's statements (when the index was built
        with a normaliser) go with the record, for its report.
        """
        seen: set[str] = set()
        normaliser = index.normaliser
        for draft in split_records(index):
            try:
                record = build_record(draft, source=source, catalog=catalog,
                                      minter=self.minter)
            except CatalogNodeError as exc:
                report.failed += 1
                report.add_error(exc)
                continue
            if record.iri in seen:
                continue
            seen.add(record.iri)
            if normaliser is not None:
                record.changes = [c.to_dict() for c in normaliser.changes_for(draft.blocks)]
            report.datasets += 1
            yield record

    def prepare_batch(self, batch: list[Record]) -> PreparedBatch:
        """Everything a batch's commit needs, computed without writing anything.

        Runs in the building thread, so that the writer thread only writes.
        """
        if batch:
            self.ensure_catalog(batch[0].catalog)
        known = self.ledger.hashes([r.iri for r in batch])
        changed = [r for r in batch if known.get(r.iri, ("", "", ""))[:2] != (r.hash, "published")]
        stamp = now()
        in_store = {r.iri for r in changed
                    if known.get(r.iri, ("", "withdrawn", ""))[1] == "published"}
        graphs = [RecordGraph(r.iri, r.graph_lines(
            self.minter, issued=known[r.iri][2] if r.iri in known else stamp, modified=stamp))
            for r in changed]
        superseded = []
        for iri in sorted(in_store):
            old = self.ledger.get(iri)
            if old is not None:
                superseded.append((old, serialize(self.store.graph_quads(iri),
                                                  format=RdfFormat.N_QUADS)))
        priors: list[tuple[str, LedgerRow | None, bytes | None, str]] = []
        if self.journal is not None:
            held = {old.record_iri: (old, nquads) for old, nquads in superseded}
            for r in changed:
                old_row, nquads = held.get(r.iri, (None, None))
                if old_row is None and r.iri in known:
                    old_row = self.ledger.get(r.iri)  # withdrawn: a row, no graph
                priors.append((r.iri, old_row, nquads, "superseded"))
        bulk = self._bulk and not in_store
        encoded = self.store.encode([g for g in graphs if g.iri not in in_store],
                                    [g for g in graphs if g.iri in in_store], bulk=bulk)
        rows = [ledger_row(r, known[r.iri][2] if r.iri in known else stamp, stamp)
                for r in changed]
        return PreparedBatch(batch=batch, changed=changed, known=known, in_store=in_store,
                             rows=rows, superseded=superseded, bulk=bulk, encoded=encoded,
                             priors=priors)

    def commit_batch(self, prepared: PreparedBatch, report: WriteReport) -> None:
        """Journal, write in one store transaction, then record in the ledger."""
        report.unchanged += len(prepared.batch) - len(prepared.changed)
        if not prepared.changed:
            return
        if self.journal is not None:
            self.journal.save(prepared.priors)
        intent = self.ledger.begin("bulk-insert" if prepared.bulk else "replace", [
            IntentItem(r.iri, r.hash, prepared.known[r.iri][0]
                       if r.iri in prepared.in_store else None) for r in prepared.changed])
        try:
            self.store.write_encoded(prepared.encoded)
        except StoreError as exc:
            self.ledger.finish(intent, [], state="repaired")  # nothing of it was applied
            if len(prepared.changed) == 1:
                report.failed += 1
                report.add_error(RecordError(exc.message, place=prepared.changed[0].iri,
                                             hint="the record was skipped"))
                return
            log.warning("batch refused, retrying record by record: %s", exc)
            for record in prepared.changed:
                self.commit_batch(self.prepare_batch([record]), report)
            return
        self.ledger.finish(intent, prepared.rows,
                           prepared.superseded if self.journal is None else (),
                           keys=[(r.iri, key) for r in prepared.changed
                                 for key in record_keys(r.dataset_iri, r.lines)])
        if self.journal is not None:
            self.journal.note(prepared)
        for record in prepared.changed:
            if record.iri in prepared.known:
                report.updated += 1
            else:
                report.created += 1

    def drop_records(self, record_iris: Sequence[str]) -> int:
        """Withdraw records: out of the store, kept as history in the ledger."""
        rows = [row for iri in record_iris if (row := self.ledger.get(iri))
                and row.status == "published"]
        if not rows:
            return 0
        history = [(row, serialize(self.store.graph_quads(row.record_iri),
                                   format=RdfFormat.N_QUADS)) for row in rows]
        if self.journal is not None:
            self.journal.save([(row.record_iri, row, nquads, "withdrawn")
                               for row, nquads in history])
            history = []
        intent = self.ledger.begin("drop", [IntentItem(r.record_iri, None, r.hash)
                                            for r in rows])
        self.store.drop([r.record_iri for r in rows])
        self.ledger.finish(intent, [], history, withdrawn=[r.record_iri for r in rows],
                           reason="withdrawn")
        return len(rows)


def timed(report: WriteReport, started: float) -> WriteReport:
    report.seconds = round(time.monotonic() - started, 3)
    return report
