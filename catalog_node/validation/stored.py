"""Validating stored records from the queue: worker processes, batches, results in the ledger.

The queue is the ledger itself: a published record whose hash (or the profile's fingerprint)
differs from its last validation is pending, so a crash loses nothing and an unchanged record
is never validated again. The profiles are run as one stack (``hdh`` includes
``healthdcat-ap``): each result is attributed to the profiles whose files hold its shape.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import RdfFormat, serialize
from rdflib import Graph

from catalog_node.errors import ConfigError
from catalog_node.ledger import Ledger
from catalog_node.ledger import validations as rows
from catalog_node.store import Store
from catalog_node.validation.engine import Validator
from catalog_node.validation.profiles import get_profile, shapes_dir
from catalog_node.validation.report import ValidationReport
from catalog_node.validation.vocabulary import Vocabularies, load_vocabularies

log = logging.getLogger(__name__)
STORED_PROFILES = ("healthdcat-ap", "hdh")
BATCH = 25
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Plan:
    """Which profile stack to run for the stored profiles."""

    stack: str
    profiles: tuple[str, ...]
    vocabularies: Path | None = None


def stored_plan(vocabularies: Path | None = None) -> Plan:
    from catalog_node.validation.profiles import load_profiles

    wanted = os.environ.get("CATALOG_NODE_VALIDATION_PROFILES")
    names = tuple(n.strip() for n in wanted.split(",")) if wanted else STORED_PROFILES
    known = [p for p in names if p in load_profiles()]
    if not known:
        raise ConfigError(f"none of the profiles {', '.join(names)} is defined",
                          place=str(shapes_dir()), hint="see `catalog-node profiles`")
    return Plan(stack=known[-1], profiles=tuple(known), vocabularies=vocabularies)


@cache
def _profile_files(name: str, level: str | None) -> frozenset[str]:
    """The files of ``name`` at ``level``, as report results name them (relative to shapes/)."""
    root = shapes_dir()
    return frozenset(str(p.relative_to(root)) if p.is_relative_to(root) else str(p)
                     for p in get_profile(name).files_for(level))


def split_by_profile(report: ValidationReport, profiles: Sequence[str]) -> dict[str, dict]:
    """One JSON report per profile, from a run of the widest profile of the stack."""
    level = report.levels[0] if report.levels else None
    out: dict[str, dict] = {}
    for name in profiles:
        files = _profile_files(name, level)
        part = ValidationReport(profile=name, version=get_profile(name).version,
                                levels=report.levels, source=report.source,
                                results=[r for r in report.results if r.shape_file in files
                                         or not r.shape_file])
        out[name] = part.to_json()
    return out


# -- worker side -----------------------------------------------------------------------------
_WORKER: dict[str, object] = {}


def _init_worker(plan: Plan) -> None:
    validator = Validator(plan.stack, plan.vocabularies)
    for level in ("PUBLIC", "RESTRICTED", "NON_PUBLIC"):
        validator.shapes(level).pyshacl_shapes()
    _WORKER.update(plan=plan, validator=validator)


def _validate_batch(items: list[tuple[str, str, bytes]]) -> list[tuple[str, str, dict, dict]]:
    """Worker: ``(iri, hash, N-Triples)`` → ``(iri, hash, reports by profile, quality)``."""
    from catalog_node.quality import score_record

    plan: Plan = _WORKER["plan"]  # type: ignore[assignment]
    validator: Validator = _WORKER["validator"]  # type: ignore[assignment]
    done = []
    for iri, digest, ntriples in items:
        graph = Graph()
        graph.parse(data=ntriples, format="nt")
        report = validator.validate(graph, source=iri)
        by_profile = split_by_profile(report, plan.profiles)
        dcat_ap = not any(r.severity == "violation" and r.shape_file.startswith("dcat-ap")
                          for r in report.results)
        quality = score_record(graph, compliance=dcat_ap, url_checks=None,
                               vocabulary=validator.vocabularies.__contains__, record=iri)
        done.append((iri, digest, by_profile, quality.to_json()))
    return done


# -- node side -------------------------------------------------------------------------------
def worker_count() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


class ValidationQueue:
    """Drains pending validations into the ledger, with a pool of worker processes."""

    def __init__(self, store: Store, ledger: Ledger, vocabularies: Path | None = None,
                 workers: int | None = None):
        self.store = store
        self.ledger = ledger
        self.plan = stored_plan(vocabularies)
        self.workers = workers or worker_count()
        self._pool: ProcessPoolExecutor | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.validated = 0

    def vocabularies(self) -> Vocabularies:
        return load_vocabularies(self.plan.vocabularies)

    def fingerprint(self) -> str:
        return Validator(self.plan.stack, self.plan.vocabularies).fingerprint()

    def pending(self, fingerprint: str | None = None) -> list[tuple[str, str]]:
        fingerprint = fingerprint or self.fingerprint()
        seen: dict[str, str] = {}
        for profile in self.plan.profiles:
            for iri, digest in rows.pending(self.ledger, profile, fingerprint):
                seen[iri] = digest
        return sorted(seen.items())

    def _payload(self, iri: str, digest: str) -> tuple[str, str, bytes]:
        return iri, digest, serialize([q.triple for q in self.store.graph_quads(iri)],
                                      format=RdfFormat.N_TRIPLES)

    def run_pending(self, progress: Progress | None = None) -> int:
        """Validate every pending record now; returns how many were validated."""
        fingerprint = self.fingerprint()
        todo = self.pending(fingerprint)
        if not todo:
            return 0
        if self._pool is None:
            import multiprocessing

            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(self.plan,))
        batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]
        futures = [self._pool.submit(_validate_batch, [self._payload(*item) for item in batch])
                   for batch in batches[: self.workers * 2]]
        next_batch, done = len(futures), 0
        while futures:
            result = futures.pop(0).result()
            if next_batch < len(batches):
                futures.append(self._pool.submit(
                    _validate_batch, [self._payload(*item) for item in batches[next_batch]]))
                next_batch += 1
            self._save(result, fingerprint)
            done += len(result)
            if progress:
                progress("validate", done, len(todo))
        self.validated += done
        return done

    def _save(self, result: list[tuple[str, str, dict, dict]], fingerprint: str) -> None:
        stored, quality = [], []
        for iri, digest, by_profile, score in result:
            for profile, report in by_profile.items():
                levels = report.get("levels") or [None]
                stored.append(rows.StoredValidation(
                    iri, profile, digest, fingerprint, levels[0], bool(report["conforms"]),
                    int(report["violations"]), int(report["warnings"]), int(report["infos"]),
                    report))
            quality.append((iri, digest, int(score["points"]), str(score["rating"]), score))
        rows.save(self.ledger, stored, quality)

    # -- background ----------------------------------------------------------------------------
    def start(self) -> None:
        """Drain in a background thread, woken by :meth:`notify` after each write."""
        self._thread = threading.Thread(target=self._loop, name="validation", daemon=True)
        self._thread.start()
        self._wake.set()

    def notify(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.run_pending()
            except Exception:  # keep the queue alive; the records stay pending
                log.exception("validation run failed; pending records will be retried")

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
