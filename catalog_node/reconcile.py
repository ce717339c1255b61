"""Checking that the ledger agrees with the store, and repairing it from the store.

The store is the truth: ``repair`` rebuilds every differing ledger row from its
record graph, marks rows whose graph is gone as withdrawn, and closes unfinished
write intents — which amounts to replaying the intents the store applied and rolling
back those it did not (each batch is one store transaction). The one exception is a
batch of the non-transactional bulk loader, whose graphs are dropped (rolled back).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Quad

from catalog_node.ledger import Ledger, LedgerRow
from catalog_node.model.iris import IriMinter
from catalog_node.model.record import read_fields
from catalog_node.namespaces import DCAT, DCT, FOAF, PROV, SPDX
from catalog_node.store import Store

_PRIMARY = f"{FOAF}primaryTopic"


@dataclass
class CheckReport:
    """Differences between the store and the ledger."""

    records_in_store: int = 0
    records_in_ledger: int = 0
    missing_in_ledger: list[str] = field(default_factory=list)
    missing_in_store: list[str] = field(default_factory=list)
    hash_mismatch: list[str] = field(default_factory=list)
    open_intents: list[int] = field(default_factory=list)
    repaired: int = 0

    @property
    def differences(self) -> int:
        return (len(self.missing_in_ledger) + len(self.missing_in_store)
                + len(self.hash_mismatch) + len(self.open_intents))

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "differences": self.differences}


def row_from_graph(record_iri: str, quads: list[Quad], minter: IriMinter) -> LedgerRow | None:
    """Derive a record's ledger row from its graph alone."""
    values: dict[str, str] = {}
    catalog: str | None = None
    blocks: dict[str, list[str]] = {}
    subcatalog_prefix = minter.subcatalog("")
    for quad in quads:
        s, p, o = quad.subject.value, quad.predicate.value, quad.object
        if s == record_iri and p in (_PRIMARY, f"{DCT}issued", f"{DCT}modified",
                                     f"{PROV}wasDerivedFrom"):
            values[p] = o.value
        elif p == f"{SPDX}checksumValue" and s == minter.checksum(record_iri):
            values["hash"] = o.value
        elif p == f"{DCAT}record" and s.startswith(subcatalog_prefix):
            catalog = s[len(subcatalog_prefix):]
        blocks.setdefault(str(quad.subject), []).append(f"{quad.predicate} {quad.object}")
    dataset = values.get(_PRIMARY)
    if not dataset or "hash" not in values or catalog is None:
        return None
    source = values.get(f"{PROV}wasDerivedFrom", "").removeprefix(minter.source(""))
    fields = read_fields(blocks, f"<{dataset}>")
    return LedgerRow(record_iri=record_iri, dataset_iri=dataset, source=source or catalog,
                     catalog=catalog, publisher_iri=fields.publisher_iri,
                     publisher_name=fields.publisher_name, access_level=fields.access_level,
                     status="published", issued=values.get(f"{DCT}issued", ""),
                     modified=values.get(f"{DCT}modified", ""), hash=values["hash"],
                     validation="{}", title_fr=fields.title_fr, title_en=fields.title_en)


def check(store: Store, ledger: Ledger) -> CheckReport:
    """Compare every record graph's checksum with the ledger's published rows."""
    in_store = dict(store.record_checksums())
    in_ledger = ledger.published_hashes()
    report = CheckReport(records_in_store=len(in_store), records_in_ledger=len(in_ledger))
    report.missing_in_ledger = sorted(set(in_store) - set(in_ledger))
    report.missing_in_store = sorted(set(in_ledger) - set(in_store))
    report.hash_mismatch = sorted(i for i in set(in_store) & set(in_ledger)
                                  if in_store[i] != in_ledger[i])
    report.open_intents = [intent for intent, _, _ in ledger.open_intents()]
    return report


def _roll_back_bulk_batches(store: Store, ledger: Ledger) -> int:
    """Drop what unfinished bulk batches were adding: the bulk loader is not transactional,
    so those graphs may be partial. Their records were new, so nothing else is lost."""
    doomed = [item.record_iri for _, kind, items in ledger.open_intents()
              if kind == "bulk-insert" for item in items
              if (row := ledger.get(item.record_iri)) is None or row.status != "published"]
    for start in range(0, len(doomed), 500):
        store.drop(doomed[start:start + 500])
    return len(doomed)


def repair(store: Store, ledger: Ledger, minter: IriMinter) -> CheckReport:
    """Make the ledger agree with the store; return what was found and fixed."""
    rolled_back = _roll_back_bulk_batches(store, ledger)
    report = check(store, ledger)
    rows: list[LedgerRow] = []
    for iri in report.missing_in_ledger + report.hash_mismatch:
        old = ledger.get(iri)
        row = row_from_graph(iri, store.graph_quads(iri), minter)
        if row is None:
            continue
        if old is not None and old.validation and row.hash == old.hash:
            row = LedgerRow(**{**row.__dict__, "validation": old.validation})
        rows.append(row)
    intent = ledger.begin("repair", [])
    ledger.finish(intent, rows, withdrawn=report.missing_in_store, reason="withdrawn")
    for open_intent in report.open_intents:
        ledger.finish(open_intent, [], state="repaired")
    report.repaired = (len(rows) + len(report.missing_in_store) + len(report.open_intents)
                       + rolled_back)
    return report

