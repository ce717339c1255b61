"""Normalisation shared by every source: canonical namespaces, DCAT-AP 3 and HealthDCAT-AP
Release 8 terms, literal datatypes; each change explained (rule, subject, before → after)."""

from catalog_node.normalise.changes import Change
from catalog_node.normalise.normaliser import Normaliser

__all__ = ["Change", "Normaliser"]
