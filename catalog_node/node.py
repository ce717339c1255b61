"""The composition root: one process that owns the store, with the node's services.

The CLI, the web application and the tests all call these methods; the CLI reaches
them either in its own process (no node running) or through a running node's admin
routes (:mod:`catalog_node.client`), with the same results.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pyoxigraph import NamedNode, Quad

from catalog_node.errors import NotFoundError
from catalog_node.export.stream import write_export
from catalog_node.harvest.rollback import recover_interrupted_runs
from catalog_node.ledger import Ledger, LedgerRow
from catalog_node.loading import DEMO_CATALOG, Document, demo_documents, load_documents
from catalog_node.model.iris import IriMinter, check_name
from catalog_node.pipeline import Progress, WritePipeline, WriteReport, _silent
from catalog_node.rdf.formats import Syntax
from catalog_node.reconcile import CheckReport, check, repair
from catalog_node.settings import Settings, load_settings
from catalog_node.store import Store, open_store
from catalog_node.store.base import QueryResult

if TYPE_CHECKING:
    from catalog_node.validation.stored import ValidationQueue
    from harvesters.base import SourceConfig


def _counted(iris: Iterator[str], total: int, progress: Progress) -> Iterator[str]:
    done = 0
    for done, iri in enumerate(iris, 1):
        yield iri
        if done % 500 == 0:
            progress("export", done, total)
    progress("export", done, total)


class Node:
    """A data directory opened for reading and writing by this process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.minter = IriMinter(settings.base_iri)
        self.store: Store = open_store(f"oxigraph:{settings.store_path}")
        try:
            self.ledger = Ledger(settings.ledger_path)
        except Exception:
            self.store.close()
            raise
        self.pipeline = WritePipeline(self.store, self.ledger, self.minter,
                                      settings.description)
        self.write_lock = threading.Lock()
        self._validation: ValidationQueue | None = None
        # A harvest whose process died is undone before anything else reads or writes.
        self.interrupted_runs = recover_interrupted_runs(self.store, self.ledger)

    @classmethod
    def open(cls, data_dir: Path) -> Node:
        return cls(load_settings(data_dir))

    @property
    def validation(self) -> ValidationQueue:
        """The validation queue (its worker processes start on first use)."""
        if self._validation is None:
            from catalog_node.validation.stored import ValidationQueue

            self._validation = ValidationQueue(self.store, self.ledger)
        return self._validation

    def validate_pending(self, progress: Progress = _silent) -> int:
        """Validate, now, every record whose last validation is missing or stale."""
        return self.validation.run_pending(progress)

    def validation_summary(self) -> list[dict[str, object]]:
        """Per stored profile: totals and per publisher (pending records counted as such)."""
        from catalog_node.ledger.validations import summary_by

        fingerprint = self.validation.fingerprint()
        return [summary_by(self.ledger, profile, fingerprint)
                for profile in self.validation.plan.profiles]

    def quality(self, check_urls: bool = False, progress: Progress = _silent) -> dict[str, object]:
        """Quality per publisher; ``check_urls`` first checks every access/download URL."""
        from catalog_node.quality.service import check_urls as run_checks
        from catalog_node.quality.service import quality_summary

        checked = 0
        if check_urls:
            vocabulary = self.validation.vocabularies().__contains__
            checked = run_checks(self.store, self.ledger, vocabulary, progress=progress)
        return {**quality_summary(self.ledger), "urls_checked_now": checked}

    def close(self) -> None:
        if self._validation is not None:
            self._validation.close()
        self.ledger.close()
        self.store.close()

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------
    def prepare(self) -> None:
        """Make sure the node's own catalogue graph exists."""
        with self.write_lock:
            self.pipeline.ensure_catalog()

    def load(self, documents: Sequence[Document], catalog: str = "local",
             progress: Progress = _silent) -> WriteReport:
        """Load documents into a sub-catalogue through the one write path."""
        check_name(catalog, "catalogue name")
        with self.write_lock:
            report = load_documents(self.pipeline, documents, catalog=catalog,
                                    base_iri=self.settings.base_iri, progress=progress)
        if self._validation is not None:
            self._validation.notify()  # a running queue picks the changes up; nobody waits
        return report

    def load_demo(self, progress: Progress = _silent) -> WriteReport:
        return self.load(demo_documents(), catalog=DEMO_CATALOG, progress=progress)

    # -- harvesting ----------------------------------------------------------------------
    def add_source(self, source: SourceConfig) -> dict[str, object]:
        from catalog_node.harvest.sources import add_source, get_source, public_view

        add_source(self.ledger, source)
        return public_view(get_source(self.ledger, source.name))

    def sources(self) -> list[dict[str, object]]:
        from catalog_node.harvest.sources import list_sources, public_view

        return [public_view(s) for s in list_sources(self.ledger)]

    def remove_source(self, name: str) -> dict[str, object]:
        """Forget a source and withdraw its records (kept as history)."""
        from catalog_node.harvest.sources import remove_source

        remove_source(self.ledger, name)
        with self.write_lock:
            iris = [iri for (iri,) in self.ledger.read(
                "SELECT record_iri FROM records WHERE source = ? AND status = 'published'",
                (name,))]
            withdrawn = sum(self.pipeline.drop_records(iris[i:i + 500])
                            for i in range(0, len(iris), 500))
        return {"removed": name, "withdrawn": withdrawn}

    def harvest(self, name: str, conditional: bool = True,
                progress: Progress = _silent) -> dict[str, object]:
        """Run one harvest of a configured source (see ``catalog_node.harvest.engine``)."""
        from catalog_node.harvest.engine import run_harvest
        from catalog_node.harvest.sources import get_source

        source = get_source(self.ledger, name)
        with self.write_lock:
            report = run_harvest(self.pipeline, self.store, self.ledger, source,
                                 conditional=conditional, progress=progress)
        if self._validation is not None:
            self._validation.notify()
        return report.to_dict()

    def runs(self, source: str | None = None, limit: int = 20) -> list[dict[str, object]]:
        from catalog_node.harvest.reports import list_runs

        return list_runs(self.ledger, source, limit)

    def run_report(self, run_id: int, records: bool = False) -> dict[str, object]:
        from catalog_node.harvest.reports import run_report

        return run_report(self.ledger, run_id, records)

    def record_history(self, iri: str) -> dict[str, object]:
        from catalog_node.harvest.reports import record_history

        return record_history(self.store, self.ledger, iri)

    def repair(self) -> CheckReport:
        with self.write_lock:
            return repair(self.store, self.ledger, self.minter)

    # -- reading -------------------------------------------------------------------------
    def check(self) -> CheckReport:
        return check(self.store, self.ledger)

    def sparql(self, query: str) -> QueryResult:
        return self.store.query(query)

    def stats(self) -> dict[str, object]:
        return {
            "base_iri": self.settings.base_iri,
            "data_dir": str(self.settings.data_dir),
            "records_published": self.ledger.count("published"),
            "records_withdrawn": self.ledger.count("withdrawn"),
            "quads": self.store.quad_count(),
            "by_catalog": self.ledger.counts_by("catalog"),
            "by_access_level": self.ledger.counts_by("access_level"),
            "by_publisher": self.ledger.counts_by("publisher_name")[:20],
        }

    def catalog_quads(self, catalog: str | None = None,
                      progress: Progress = _silent) -> Iterator[Quad]:
        """The node's catalogue graph, then every published record graph."""
        yield from self.store.iter_graph_quads([self.minter.catalog()])
        if catalog is None:
            iris: Iterator[str] = self.ledger.published_iris()
            total = self.ledger.count()
        else:
            rows = self.ledger.listing(catalog=catalog, limit=1 << 30)
            iris, total = (r.record_iri for r in rows), len(rows)
        yield from self.store.iter_graph_quads(_counted(iris, total, progress))

    def export(self, syntax: Syntax, output: IO[bytes], progress: Progress = _silent) -> None:
        """Stream the whole published catalogue to ``output``."""
        datasets = {} if syntax.keeps_graphs else self.ledger.record_datasets()
        write_export(self.catalog_quads(progress=progress), syntax, output, datasets)

    def record_for(self, iri: str) -> tuple[LedgerRow, list[Quad]]:
        """The record that describes ``iri`` (a dataset, a record, or a node inside one)."""
        row = self.ledger.get(iri)
        if row is None or row.status != "published":
            rows = self.ledger.by_dataset(iri)
            row = rows[0] if rows else None
        if row is None:
            graph = self.store.graph_of(iri)
            row = self.ledger.get(graph) if graph else None
        if row is None or row.status != "published":
            raise NotFoundError("nothing published here has this IRI", place=iri)
        return row, self.store.graph_quads(row.record_iri)

    def linked_records(self, record_iri: str) -> list[tuple[str, str]]:
        """(record IRI, dataset IRI) of published records of other sources that share an
        identifying key with ``record_iri`` (duplicates, and dictionaries that enrich it)."""
        return [(iri, dataset) for iri, dataset in self.ledger.read(
            "SELECT DISTINCT r.record_iri, r.dataset_iri FROM record_keys mine "
            "JOIN record_keys k ON k.key = mine.key AND k.record_iri != mine.record_iri "
            "JOIN records r ON r.record_iri = k.record_iri "
            "JOIN records me ON me.record_iri = mine.record_iri "
            "WHERE mine.record_iri = ? AND r.status = 'published' AND r.source != me.source "
            "ORDER BY r.record_iri", (record_iri,))]

    def describe(self, iri: str) -> tuple[LedgerRow, list[Quad]]:
        """The quads of the record graph whose subject is ``iri`` (for non-dataset IRIs)."""
        row, quads = self.record_for(iri)
        subject = NamedNode(iri)
        return row, [q for q in quads if q.subject == subject]
