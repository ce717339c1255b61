"""Stable IRIs for blank nodes, derived from what the node says, never from parser labels.

A blank node's signature is a digest of its own statements, with nested blank nodes
replaced by their signatures; its IRI adds the statements that point at it. Re-parsing
or re-harvesting the same description yields the same IRIs, so records do not churn.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable

Statement = tuple[str, str, str]


def _is_blank(term: str) -> bool:
    return term[0] == "_"


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


class _Signer:
    """Computes signatures of the blank nodes of one record."""

    def __init__(self, statements: list[Statement]):
        self.out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.into: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s, p, o in statements:
            if s[0] == "_":
                self.out[s].append((p, o))
            if o[0] == "_":
                self.into[o].append((s, p))
        self._signatures: dict[str, str] = {}

    def signature(self, node: str, path: frozenset[str] = frozenset()) -> str:
        if node in self._signatures:
            return self._signatures[node]
        if node in path:  # a cycle of blank nodes: cut it with a constant
            return "cycle"
        inner = path | {node}
        parts = sorted(f"{p} {self.signature(o, inner) if _is_blank(o) else o}"
                       for p, o in self.out.get(node, ()))
        value = _digest(parts)
        if not path:
            self._signatures[node] = value
        return value

    def identity(self, node: str) -> str:
        """Signature plus the context pointing at the node."""
        context = sorted(f"{self.signature(s) if _is_blank(s) else s} {p}"
                         for s, p in self.into.get(node, ()))
        return _digest([self.signature(node), *context])


def skolem_names(statements: list[Statement], mint: Callable[[str], str]) -> dict[str, str]:
    """``{blank node: "<iri>"}`` for every blank node in ``statements``.

    ``statements`` must hold every statement whose subject or object is a blank node.
    """
    blanks = {s for s, _, _ in statements if s[0] == "_"}
    blanks.update(o for _, _, o in statements if o[0] == "_")
    if not blanks:
        return {}
    signer = _Signer(statements)
    return {b: f"<{mint(signer.identity(b))}>" for b in blanks}


def signature_of(statements: list[Statement], node: str) -> str:
    """The label-independent signature of one blank node (used to name a blank dataset)."""
    return _Signer(statements).signature(node)
