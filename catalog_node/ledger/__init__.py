"""The record ledger: one SQLite row per record, for listing without scanning the store."""

from catalog_node.ledger.ledger import Ledger, LedgerRow

__all__ = ["Ledger", "LedgerRow"]
