"""The ledger's validation and quality rows: what was checked, against what, with which result."""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from catalog_node.ledger.ledger import Ledger, now


@dataclass(frozen=True)
class StoredValidation:
    """One record's result for one profile."""

    record_iri: str
    profile: str
    hash: str
    fingerprint: str
    level: str | None
    conforms: bool
    violations: int
    warnings: int
    infos: int
    report: dict[str, object]
    validated_at: str = ""


def pending(ledger: Ledger, profile: str, fingerprint: str) -> list[tuple[str, str]]:
    """``(record IRI, hash)`` of published records with no current result for ``profile``."""
    rows = ledger._db.execute(
        "SELECT r.record_iri, r.hash FROM records r LEFT JOIN validations v "
        "ON v.record_iri = r.record_iri AND v.profile = ? "
        "WHERE r.status = 'published' AND (v.hash IS NULL OR v.hash != r.hash "
        "OR v.fingerprint != ?) ORDER BY r.record_iri", (profile, fingerprint))
    return [(iri, digest) for iri, digest in rows]


def save(ledger: Ledger, results: Sequence[StoredValidation],
         quality: Sequence[tuple[str, str, int, str, dict[str, object]]] = ()) -> None:
    """Store results and refresh each record's summary column, in one transaction."""
    stamp = now()
    with ledger._write_lock, ledger._db as db:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT OR REPLACE INTO validations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.record_iri, r.profile, r.hash, r.fingerprint, r.level, int(r.conforms),
              r.violations, r.warnings, r.infos,
              zlib.compress(json.dumps(r.report).encode()), stamp) for r in results])
        db.executemany(
            "INSERT INTO quality (record_iri, hash, points, rating, score, computed_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_iri) DO UPDATE SET "
            "hash = excluded.hash, points = excluded.points, rating = excluded.rating, "
            "score = excluded.score, computed_at = excluded.computed_at",
            [(iri, digest, points, rating, zlib.compress(json.dumps(score).encode()), stamp)
             for iri, digest, points, rating, score in quality])
        iris = sorted({r.record_iri for r in results} | {q[0] for q in quality})
        for iri in iris:
            db.execute("UPDATE records SET validation = ? WHERE record_iri = ?",
                       (json.dumps(_summary(db, iri)), iri))


def _summary(db: object, iri: str) -> dict[str, object]:
    summary: dict[str, object] = {}
    for profile, conforms, violations, warnings, infos, level in db.execute(  # type: ignore[attr-defined]
            "SELECT profile, conforms, violations, warnings, infos, level FROM validations "
            "WHERE record_iri = ?", (iri,)):
        summary[profile] = {"conforms": bool(conforms), "violations": violations,
                            "warnings": warnings, "infos": infos, "level": level}
    row = db.execute("SELECT points, rating FROM quality WHERE record_iri = ?",  # type: ignore[attr-defined]
                     (iri,)).fetchone()
    if row:
        summary["quality"] = {"points": row[0], "rating": row[1]}
    return summary


def get(ledger: Ledger, record_iri: str, profile: str) -> StoredValidation | None:
    row = ledger._db.execute(
        "SELECT record_iri, profile, hash, fingerprint, level, conforms, violations, warnings, "
        "infos, report, validated_at FROM validations WHERE record_iri = ? AND profile = ?",
        (record_iri, profile)).fetchone()
    if row is None:
        return None
    *head, report, stamp = row
    return StoredValidation(*head[:5], bool(head[5]), *head[6:],
                            report=json.loads(zlib.decompress(report)), validated_at=stamp)


def quality_of(ledger: Ledger, record_iri: str) -> dict[str, object] | None:
    row = ledger._db.execute("SELECT score, urls FROM quality WHERE record_iri = ?",
                             (record_iri,)).fetchone()
    if row is None:
        return None
    score = json.loads(zlib.decompress(row[0]))
    if row[1]:
        score["url_checks"] = json.loads(zlib.decompress(row[1]))
    return score


def save_url_checks(ledger: Ledger, record_iri: str, checks: dict[str, object]) -> None:
    with ledger._write_lock, ledger._db as db:
        db.execute("UPDATE quality SET urls = ? WHERE record_iri = ?",
                   (zlib.compress(json.dumps(checks).encode()), record_iri))


def url_checks_of(ledger: Ledger, record_iri: str) -> dict[str, object] | None:
    row = ledger._db.execute("SELECT urls FROM quality WHERE record_iri = ?",
                             (record_iri,)).fetchone()
    return json.loads(zlib.decompress(row[0])) if row and row[0] else None


def summary_by(ledger: Ledger, profile: str, fingerprint: str) -> dict[str, object]:
    """Catalogue-wide figures for one profile: totals, and per publisher.

    A record is pending, as in :func:`pending`, when its last result is for another hash or
    was made with other shapes or vocabularies (``fingerprint``).
    """
    db = ledger._db
    total = db.execute("SELECT count(*) FROM records WHERE status = 'published'").fetchone()[0]
    rows = db.execute(
        "SELECT coalesce(r.publisher_name, r.publisher_iri, '—'), count(v.record_iri), "
        "sum(v.conforms), sum(v.violations), sum(v.warnings), sum(v.infos), "
        "sum(CASE WHEN v.record_iri IS NULL OR v.hash != r.hash OR v.fingerprint != ? "
        "THEN 1 ELSE 0 END), count(*) "
        "FROM records r LEFT JOIN validations v ON v.record_iri = r.record_iri "
        "AND v.profile = ? WHERE r.status = 'published' GROUP BY 1 ORDER BY 8 DESC, 1",
        (fingerprint, profile)).fetchall()
    publishers = [{"publisher": name, "records": records, "validated": records - int(stale),
                   "conforming": int(conforming or 0),
                   "violations": int(v or 0), "warnings": int(w or 0), "infos": int(i or 0),
                   "pending": int(stale)}
                  for name, validated, conforming, v, w, i, stale, records in rows]
    keys = ("validated", "conforming", "violations", "warnings", "infos", "pending")
    totals = {key: sum(int(p[key]) for p in publishers) for key in keys}
    return {"profile": profile, "records": total, **totals, "publishers": publishers}
