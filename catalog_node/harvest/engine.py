"""One harvest run: pages → normalised records → the one write pipeline, committed whole.

The run journals every prior state before it writes (:mod:`journal`), so a failure or a
kill undoes it whole. Unchanged pages (304, or the same bytes as last time) are not
parsed; unchanged records are not rewritten, revalidated or reindexed. Records missing
from a complete run are withdrawn once their grace period has passed; a run that could
not see all of its source withdraws nothing.
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from catalog_node.errors import CatalogNodeError, InputError, RecordError
from catalog_node.harvest.credentials import resolve_secret
from catalog_node.harvest.duplicates import find_duplicates
from catalog_node.harvest.journal import RunJournal, close_failed_run, commit_run, start_run
from catalog_node.harvest.pages import PageMemory, base_of, first_invalid_iri, page_memory
from catalog_node.harvest.rollback import undo_run
from catalog_node.ledger import Ledger
from catalog_node.ledger.ledger import now
from catalog_node.loading import Document, _batches, _write_overlapped, index_document
from catalog_node.model.keys import record_keys
from catalog_node.model.record import Record
from catalog_node.normalise import Normaliser
from catalog_node.pipeline import Progress, WritePipeline, WriteReport, _silent
from catalog_node.rdf.parse import is_iri_error
from catalog_node.store import Store
from harvesters import harvester_for
from harvesters.base import HarvestContext, Page, SourceConfig

log = logging.getLogger(__name__)

#: A run without ``modified_since`` at least this often, so that withdrawals are seen.
FULL_LISTING_EVERY = timedelta(hours=24)
#: Records listed with their changes in the report itself (all are in ``run_changes``).
REPORTED_RECORDS = 200


def normaliser_version() -> str:
    return str(Normaliser.VERSION)


@dataclass
class HarvestReport:
    """What one run did: counts, errors with their places, and per-record explanations."""

    run: int
    source: str
    started: str
    finished: str | None = None
    seconds: float = 0.0
    committed: bool = False
    complete: bool = True
    incomplete_reason: str | None = None
    pages: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    datasets: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    missing: int = 0
    invalid: int | None = None
    failed: int = 0
    duplicates: int = 0
    normalised: dict[str, int] = field(default_factory=dict)
    records: list[dict[str, object]] = field(default_factory=list)
    errors: list[dict[str, str | None]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class _Run:
    """The state of one run while it walks its source."""

    def __init__(self, pipeline: WritePipeline, ledger: Ledger, source: SourceConfig,
                 run_id: int, context: HarvestContext, progress: Progress,
                 memory: dict[str, PageMemory]):
        self.pipeline, self.ledger, self.source = pipeline, ledger, source
        self.context, self.progress = context, progress
        self.report = HarvestReport(run=run_id, source=source.name, started=now())
        self.writes = WriteReport()
        self.memory = memory  # what each page gave at the last committed run
        self.pages: dict[str, PageMemory] = {}
        self.seen: set[str] = set()
        self.details: dict[str, bytes] = {}  # record IRI → compressed JSON explanations
        self._published: set[str] | None = None
        self.withdrawn_now: list[str] = []

    # -- pages ---------------------------------------------------------------------------
    def take(self, page: Page) -> None:
        self.report.pages += 1
        self.progress("pages", self.report.pages, None)  # the same bar as the harvester's
        previous = self.memory.get(page.url)
        if page.not_modified:
            if previous is None:
                self.context.page_failed(InputError(
                    "the server answered 304 Not Modified, but no earlier copy is known",
                    source=page.url, hint="run the harvest again; it will fetch the page"))
                return
            self._carry(page, previous)
            return
        assert page.data is not None
        digest = self.context.page_digest(page.data, page.input_format)
        if previous and previous.digest == digest and self._still_published(previous):
            self._carry(page, previous, digest)
            return
        failed_before = self.writes.failed
        document = Document(name=page.url, data=page.data, input_format=page.input_format)
        lenient = False
        try:
            try:
                index = index_document(document, base_of(page.url),
                                       max_bytes=self.source.max_bytes, normaliser=Normaliser())
            except InputError as exc:
                if not is_iri_error(exc):
                    raise
                # One bad IRI must not cost the page: read it leniently, skip its records.
                lenient = True
                index = index_document(document, base_of(page.url),
                                       max_bytes=self.source.max_bytes,
                                       normaliser=Normaliser(), lenient=True)
        except CatalogNodeError as exc:
            self.report.pages_failed += 1
            self.context.page_failed(exc)
            return
        records: list[str] = []
        built = self.pipeline.records_from_index(
            index, source=self.source.name, catalog=self.source.catalog, report=self.writes)
        fresh = self._fresh(self._valid_iris(built) if lenient else built, records)
        done = len(self.seen)
        _write_overlapped(self.pipeline, _batches(fresh, self.pipeline.current_batch_size),
                          self.writes, lambda n: self.progress("store", done + n, None))
        del index
        clean = self.writes.failed == failed_before
        self.pages[page.url] = PageMemory(page.etag, page.last_modified,
                                          digest if clean else None, records, page.next_url)

    def _carry(self, page: Page, previous: PageMemory, digest: str | None = None) -> None:
        """An unchanged page: the records it gave last time are seen, untouched."""
        self.report.pages_unchanged += 1
        new = [iri for iri in previous.records if iri not in self.seen]
        self.seen.update(new)
        self.writes.unchanged += len(new)
        self.writes.datasets += len(new)
        self.pages[page.url] = PageMemory(page.etag or previous.etag,
                                          page.last_modified or previous.last_modified,
                                          digest or previous.digest, previous.records,
                                          page.next_url or previous.next_url)

    def _still_published(self, previous: PageMemory) -> bool:
        """Whether every record the page gave last time is still published (one query per
        run: 28 ms per page of 1,000 records when asked page by page)."""
        if self._published is None:
            self._published = {iri for (iri,) in self.ledger.read(
                "SELECT record_iri FROM records WHERE source = ? AND status = 'published'",
                (self.source.name,))}
        return all(iri in self._published for iri in previous.records)

    def _fresh(self, records: Iterator[Record], page_records: list[str]) -> Iterator[Record]:
        """Records not yet seen in this run, with their duplicates across sources linked."""
        while chunk := self._unseen(records, 200):
            keys = {record.iri: record_keys(record.dataset_iri, record.lines)
                    for record in chunk}
            duplicates = find_duplicates(self.ledger, self.source.name, keys)
            for record in chunk:
                page_records.append(record.iri)
                found = duplicates.get(record.iri, [])
                record.links = sorted({d["dataset"] for d in found})
                self.report.duplicates += bool(found)
                if record.changes or found:
                    self.details[record.iri] = zlib.compress(json.dumps(
                        {"normalised": record.changes, "duplicates": found},
                        ensure_ascii=False).encode())
                for change in record.changes:
                    rule = str(change.get("rule"))
                    self.report.normalised[rule] = self.report.normalised.get(rule, 0) + 1
                yield record

    def _valid_iris(self, records: Iterator[Record]) -> Iterator[Record]:
        """Records of a leniently read page, less those holding an invalid IRI (reported;
        still counted as seen, so that their previous version is not withdrawn)."""
        for record in records:
            bad = first_invalid_iri(record.lines)
            if bad is None:
                yield record
                continue
            self.seen.add(record.iri)
            self.writes.failed += 1
            self.writes.datasets -= 1
            self.writes.add_error(RecordError(
                f"invalid IRI {bad}", place=record.dataset_iri,
                hint="the record was skipped; the source must encode the IRI (e.g. spaces "
                     "as %20)"))

    def _unseen(self, records: Iterator[Record], size: int) -> list[Record]:
        """The next ``size`` records not seen before in this run (a repeat is counted once)."""
        chunk: list[Record] = []
        for record in records:
            if record.iri in self.seen:
                self.writes.datasets -= 1  # listed twice by the source
                continue
            self.seen.add(record.iri)
            chunk.append(record)
            if len(chunk) == size:
                break
        return chunk

    # -- end of the walk -----------------------------------------------------------------
    def withdraw_missing(self) -> list[tuple[str, str | None]]:
        """Withdraw what a complete run did not see, after the grace period.

        Returns the records now missing, with the time they were first missed.
        """
        if not self.context.complete:
            return []
        stamp = now()
        rows = self.ledger.read(
            "SELECT r.record_iri, s.missing_since FROM records r LEFT JOIN record_seen s "
            "ON s.record_iri = r.record_iri WHERE r.source = ? AND r.status = 'published'",
            (self.source.name,))
        cutoff = (datetime.now(UTC) - timedelta(days=self.source.grace_days)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        missing: list[tuple[str, str | None]] = []
        doomed: list[str] = []
        for iri, since in rows:
            if iri in self.seen:
                continue
            since = since or stamp
            if self.source.grace_days == 0 or since <= cutoff:
                doomed.append(iri)
            else:
                missing.append((iri, since))
        for start in range(0, len(doomed), 500):
            self.report.withdrawn += self.pipeline.drop_records(doomed[start:start + 500])
        if self.pipeline.journal is not None:
            self.pipeline.journal.written.update(dict.fromkeys(doomed, "withdrawn"))
        self.report.missing = len(missing)
        self.withdrawn_now = doomed
        return missing

    def ledger_updates(self, missing: list[tuple[str, str | None]]) -> list[tuple[str, list]]:
        stamp, name, run_id = now(), self.source.name, self.report.run
        updates: list[tuple[str, list]] = []
        if self.context.complete:
            updates.append(("DELETE FROM source_pages WHERE source = ?", [(name,)]))
        updates.append((
            "INSERT OR REPLACE INTO source_pages VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(name, url, m.etag, m.last_modified, m.digest, m.next_url,
              zlib.compress(json.dumps(m.records).encode())) for url, m in self.pages.items()]))
        # ``record_seen`` holds the records missing from their source, since when: a record
        # seen again leaves it; one newly missed enters it (writing a row for every record
        # seen cost 1.5 s a run at 100k).
        back = [iri for (iri,) in self.ledger.read(
            "SELECT record_iri FROM record_seen WHERE source = ?", (name,)) if iri in self.seen]
        updates.append(("DELETE FROM record_seen WHERE record_iri = ?",
                        [(iri,) for iri in (*back, *self.withdrawn_now)]))
        updates.append(("INSERT OR IGNORE INTO record_seen VALUES (?, ?, ?, ?)",
                        [(iri, name, stamp, since) for iri, since in missing]))
        written = self.pipeline.journal.written if self.pipeline.journal else {}
        updates.append(("INSERT OR REPLACE INTO run_changes VALUES (?, ?, ?, ?)",
                        [(run_id, iri, kind, self.details.get(iri))
                         for iri, kind in written.items()]))
        return updates

    def summarise(self, started: float) -> None:
        report, writes = self.report, self.writes
        report.datasets, report.created = writes.datasets, writes.created
        report.updated, report.unchanged = writes.updated, writes.unchanged
        report.failed = writes.failed
        report.complete = self.context.complete
        report.incomplete_reason = self.context.incomplete_reason
        report.errors = [e.to_dict() for e in self.context.errors] + writes.errors
        report.seconds = round(time.monotonic() - started, 3)
        report.finished = now()
        written = self.pipeline.journal.written if self.pipeline.journal else {}
        for iri, kind in list(written.items())[:REPORTED_RECORDS]:
            detail = self.details.get(iri)
            entry: dict[str, object] = {"record": iri, "change": kind}
            if detail:
                entry.update(json.loads(zlib.decompress(detail)))
            report.records.append(entry)


def _since(ledger: Ledger, source: str) -> str | None:
    """Start of the last committed run, unless a full listing is due."""
    last = ledger.read_one("SELECT started FROM runs WHERE source = ? AND state = "
                           "'committed' ORDER BY id DESC LIMIT 1", (source,))
    full = ledger.read_one("SELECT started FROM runs WHERE source = ? AND state = "
                           "'committed' AND complete = 1 ORDER BY id DESC LIMIT 1", (source,))
    if last is None or full is None:
        return None
    age = datetime.now(UTC) - datetime.strptime(full, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return None if age > FULL_LISTING_EVERY else last


def run_harvest(pipeline: WritePipeline, store: Store, ledger: Ledger, source: SourceConfig,
                *, conditional: bool = True, progress: Progress = _silent) -> HarvestReport:
    """Harvest one source; the run commits whole, or is undone whole and reported."""
    started = time.monotonic()
    run_id = start_run(ledger, source.name)
    journal = RunJournal(ledger, run_id)
    memory = page_memory(ledger, source.name)
    validators = {url: (m.etag, m.last_modified) for url, m in memory.items()}
    run: _Run | None = None
    try:
        secret = resolve_secret(source.credential, source.name)
        context = HarvestContext(source, since=_since(ledger, source.name),
                                 validators=validators, conditional=conditional,
                                 next_links={url: m.next_url for url, m in memory.items()},
                                 page_digests={url: m.digest for url, m in memory.items()},
                                 digest_salt=normaliser_version(),
                                 secret=secret, progress=progress,
                                 base_iri=pipeline.minter.base)
        run = _Run(pipeline, ledger, source, run_id, context, progress, memory)
        pipeline.journal = journal
        pipeline.begin_job()
        pipeline.ensure_catalog(source.catalog)
        for page in harvester_for(source).pages(context):
            run.take(page)
        if not run.seen and (context.errors or run.report.pages_failed
                             or (run.report.pages == 0 and context.complete)):
            # An empty listing with no error is a success only when the source listed just
            # what changed (modified_since); a complete listing that is empty is suspect,
            # and committing it would withdraw everything.
            raise _NothingHarvested()
        missing = run.withdraw_missing()
        run.summarise(started)
        commit_run(ledger, run_id, run.report.to_dict(), context.complete,
                   run.ledger_updates(missing))
        run.report.committed = True
        return run.report
    except _NothingHarvested:
        assert run is not None
        return _undo(store, ledger, run_id, run, started, "nothing could be harvested")
    except CatalogNodeError as exc:
        if run is None:
            run = _Run(pipeline, ledger, source, run_id,
                       HarvestContext(source, conditional=False), progress, memory)
        run.context.errors.append(exc)
        return _undo(store, ledger, run_id, run, started, str(exc))
    except BaseException:
        undo_run(store, ledger, run_id)
        pipeline.forget_catalogs()
        close_failed_run(ledger, run_id, {"error": "the run stopped on an unexpected error; "
                                                   "it was undone"})
        raise
    finally:
        pipeline.journal = None


class _NothingHarvested(Exception):
    """No page of the source could be read."""


def _undo(store: Store, ledger: Ledger, run_id: int, run: _Run, started: float,
          why: str) -> HarvestReport:
    undo_run(store, ledger, run_id)
    run.pipeline.forget_catalogs()
    run.summarise(started)
    run.report.created = run.report.updated = run.report.withdrawn = 0
    run.report.records = []
    run.report.incomplete_reason = why
    run.report.complete = False
    close_failed_run(ledger, run_id, run.report.to_dict())
    return run.report
