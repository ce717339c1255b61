"""Reading harvest history: runs and their reports, and the versions of a record."""

from __future__ import annotations

import json
import zlib

from pyoxigraph import RdfFormat, parse, serialize

from catalog_node.errors import NotFoundError
from catalog_node.harvest.journal import unpacked
from catalog_node.ledger import Ledger
from catalog_node.store import Store

#: The profile whose verdict counts a harvested record as invalid.
PRIMARY_PROFILE = "healthdcat-ap"


def _invalid(ledger: Ledger, run_id: int) -> tuple[int, int]:
    """(records of the run found not conforming, records of the run not yet validated)."""
    row = ledger.read(
        "SELECT sum(CASE WHEN v.conforms = 0 THEN 1 ELSE 0 END), "
        "sum(CASE WHEN v.record_iri IS NULL OR v.hash != r.hash THEN 1 ELSE 0 END) "
        "FROM run_changes c JOIN records r ON r.record_iri = c.record_iri "
        "LEFT JOIN validations v ON v.record_iri = c.record_iri AND v.profile = ? "
        "WHERE c.run_id = ? AND c.change != 'withdrawn' AND r.status = 'published'",
        (PRIMARY_PROFILE, run_id))[0]
    return int(row[0] or 0), int(row[1] or 0)


def _summary(ledger: Ledger, row: tuple[object, ...]) -> dict[str, object]:
    run_id, source, started, finished, state, complete, blob = row
    report = unpacked(blob)  # type: ignore[arg-type]
    if state == "committed":
        invalid, pending = _invalid(ledger, int(run_id))  # type: ignore[call-overload]
        report["invalid"] = invalid
        report["validation_pending"] = pending
    report.update({"run": run_id, "source": source, "started": started,
                   "finished": finished, "state": state,
                   "complete": bool(complete) if complete is not None else None})
    return report


_RUN_COLUMNS = "id, source, started, finished, state, complete, report"


def list_runs(ledger: Ledger, source: str | None = None, limit: int = 20
              ) -> list[dict[str, object]]:
    """The latest runs (newest first), without their per-record lists."""
    where, args = ("WHERE source = ?", [source]) if source else ("", [])
    rows = ledger.read(f"SELECT {_RUN_COLUMNS} FROM runs {where} ORDER BY id DESC LIMIT ?",
                       (*args, limit))
    runs = [_summary(ledger, row) for row in rows]
    for run in runs:
        run.pop("records", None)
    return runs


def run_report(ledger: Ledger, run_id: int, records: bool = False) -> dict[str, object]:
    """One run's report; with ``records``, every record it changed and why."""
    rows = ledger.read(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,))
    if not rows:
        raise NotFoundError(f"no harvest run {run_id}", place=str(run_id),
                            hint="see `catalog-node source runs`")
    report = _summary(ledger, rows[0])
    if records:
        report["records"] = [
            {"record": iri, "change": change,
             **(json.loads(zlib.decompress(details)) if details else {})}
            for iri, change, details in ledger.read(
                "SELECT record_iri, change, details FROM run_changes WHERE run_id = ? "
                "ORDER BY record_iri", (run_id,))]
    return report


def _lines(quads_nq: bytes) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object} ."
            for q in parse(quads_nq, format=RdfFormat.N_QUADS)}


def record_history(store: Store, ledger: Ledger, iri: str) -> dict[str, object]:
    """A record's versions, newest first, each with what changed from the one before it."""
    row = ledger.get(iri)
    if row is None:
        raise NotFoundError("no record with this IRI", place=iri)
    current = (serialize(store.graph_quads(iri), format=RdfFormat.N_QUADS)
               if row.status == "published" else None)
    versions: list[tuple[str, str, str, str, bytes | None]] = []
    if current is not None:
        versions.append((row.hash, row.modified, "", "current", current))
    versions += [(h, start, end, reason, zlib.decompress(nq)) for h, start, end, reason, nq
                 in ledger.read("SELECT hash, valid_from, valid_to, reason, nquads FROM "
                                "history WHERE record_iri = ? ORDER BY valid_to DESC", (iri,))]
    result = []
    for position, (digest, start, end, reason, nquads) in enumerate(versions):
        entry: dict[str, object] = {"hash": digest, "valid_from": start,
                                    "valid_to": end or None, "state": reason}
        older = versions[position + 1][4] if position + 1 < len(versions) else None
        if nquads is not None and older is not None:
            new, old = _lines(nquads), _lines(older)
            entry["added"] = sorted(_content(new - old))
            entry["removed"] = sorted(_content(old - new))
        result.append(entry)
    return {"record": iri, "status": row.status, "source": row.source, "versions": result}


def _content(lines: set[str]) -> set[str]:
    """Statements of the source's content (the node's dates and checksum left out)."""
    volatile = ("/terms/modified>", "/terms/issued>", "#checksumValue>")
    return {line for line in lines
            if not (line.split(" ", 2)[1].endswith(volatile) and "/record/" in line.split(" ")[0])}
