"""Quality of stored records: summaries from the ledger, and the explicit URL-check run."""

from __future__ import annotations

from collections.abc import Callable

from catalog_node.ledger import Ledger
from catalog_node.ledger import validations as rows
from catalog_node.net.safe_http import HttpPolicy, SafeHttpClient
from catalog_node.quality.score import rating, score_record
from catalog_node.quality.url_checks import check_record_urls
from catalog_node.store import Store

Progress = Callable[[str, int, int | None], None]


def quality_summary(ledger: Ledger) -> dict[str, object]:
    """Mean points and ratings per publisher, from the stored scores."""
    db = ledger._db
    found = db.execute(
        "SELECT coalesce(r.publisher_name, r.publisher_iri, '—'), count(q.record_iri), "
        "avg(q.points), sum(q.rating = 'excellent'), sum(q.rating = 'good'), "
        "sum(q.rating = 'sufficient'), sum(q.rating = 'bad'), sum(q.urls IS NOT NULL) "
        "FROM records r JOIN quality q ON q.record_iri = r.record_iri AND q.hash = r.hash "
        "WHERE r.status = 'published' GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    publishers = [{"publisher": name, "records": n, "mean_points": round(mean or 0, 1),
                   "rating": rating(mean or 0),
                   "ratings": {"excellent": e, "good": g, "sufficient": s, "bad": b},
                   "urls_checked": u}
                  for name, n, mean, e, g, s, b, u in found]
    scored = sum(p["records"] for p in publishers)
    mean = (sum(p["mean_points"] * p["records"] for p in publishers) / scored) if scored else 0
    return {"records": scored, "mean_points": round(mean, 1), "rating": rating(mean),
            "maximum": 405, "publishers": publishers}


def check_urls(store: Store, ledger: Ledger, vocabulary: Callable[[str], bool],
               policy: HttpPolicy | None = None, progress: Progress | None = None) -> int:
    """Check every access and download URL of the published records, then rescore them.

    Runs only when asked (`catalog-node quality --check-urls`), through the hardened client:
    no private addresses, timeouts, size caps, one request at a time per host.
    """
    from catalog_node.validation.documents import graph_from_quads

    client = SafeHttpClient(policy or HttpPolicy())
    todo = list(ledger._db.execute(
        "SELECT r.record_iri, r.hash, q.score FROM records r JOIN quality q "
        "ON q.record_iri = r.record_iri WHERE r.status = 'published' ORDER BY r.record_iri"))
    done = 0
    for iri, digest, _ in todo:
        graph = graph_from_quads(store.graph_quads(iri))
        checks = check_record_urls(graph, client)
        stored = rows.get(ledger, iri, "healthdcat-ap")
        dcat_ap = None if stored is None else not any(
            r["severity"] == "violation" and str(r["shape_file"]).startswith("dcat-ap")
            for res in stored.report.get("resources", []) for r in res["results"])
        score = score_record(graph, compliance=dcat_ap, url_checks=checks,
                             vocabulary=vocabulary, record=iri)
        rows.save(ledger, [], [(iri, digest, int(score.points), score.rating, score.to_json())])
        rows.save_url_checks(ledger, iri, {u: c.to_json() for u, c in checks.items()})
        done += 1
        if progress:
            progress("check URLs", done, len(todo))
    return done
