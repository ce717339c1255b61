"""The one normalisation step every source goes through, on N-Triples text.

``rewrite_text`` is called on each chunk of a document's N-Triples as pyoxigraph writes
it (see ``rdf/split.py``). One compiled search (``trigger``) says whether any rule could
apply; a chunk without a hit is returned as it is, and only the lines with a hit are
taken apart. Every change is logged (``changes_for``, ``counts``), so what the node stores
can be explained statement by statement.

Order on a line: namespace variants first (so ``https://schema.org/startDate`` is
recognised), then term renames and older HealthDCAT-AP IRIs, then literal datatypes
(which depend on the renamed predicate).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from catalog_node.normalise import dcat_ap3, healthdcat, literals, namespaces
from catalog_node.normalise.changes import Change, ChangeLog
from catalog_node.normalise.ntriples import (
    Statement,
    iri,
    join_statement,
    literal_term,
    split_literal,
    split_statement,
)
from catalog_node.normalise.trigger import compile_trigger

#: Bump when the code of a rule changes; table changes are caught by the digest.
_REVISION = 1
PREDICATES: dict[str, tuple[str, str]] = {**dcat_ap3.PREDICATES, **healthdcat.PREDICATES}
_CACHE_LIMIT = 200_000

_Edit = tuple[str, str, str]  # (rule, before, after)


def _version() -> str:
    tables = repr((namespaces.NAMESPACES, namespaces.SPACES, namespaces.NOT_GLUED,
                   sorted(namespaces.NO_SEPARATOR_SWAP),
                   sorted((k, sorted(v)) for k, v in namespaces.SEPARATOR_TERMS.items()),
                   sorted(PREDICATES.items()), sorted(healthdcat.VALUES.items()),
                   healthdcat.PREFIXES, sorted(literals.DATE_PREDICATES), literals.XSD_TYPES))
    return f"{_REVISION}.{hashlib.sha256(tables.encode()).hexdigest()[:10]}"


def _trigger() -> re.Pattern[str]:
    keys = namespaces.trigger_keys() + healthdcat.trigger_keys() + literals.trigger_keys()
    keys += [("<" + old + "> ", "") for old in dcat_ap3.PREDICATES]
    return compile_trigger(keys)


class Normaliser:
    """Rewrites a document's statements to the canonical terms; one instance per document
    (blank-node labels are the document's own)."""

    VERSION: str = _version()
    _TRIGGER = _trigger()

    def __init__(self) -> None:
        self._log = ChangeLog()
        self._terms: dict[str, tuple[str, tuple[_Edit, ...]]] = {}

    # -- the interface ----------------------------------------------------------------
    def rewrite_text(self, text: str) -> str:
        """``text`` (N-Triples lines separated by ``"\\n"``) with every rule applied.

        The result has the same lines, or fewer when a rewritten statement duplicates
        another line of ``text``.
        """
        search = self._TRIGGER.search
        match = search(text)
        if match is None:
            return text
        edits: list[tuple[int, int, str, Statement, list[_Edit]]] = []
        while match is not None:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            end = len(text) if end < 0 else end
            line = text[start:end]
            done = self._rewrite_line(line)
            if done is not None:
                edits.append((start, end, line, *done))
            match = search(text, end)
        if not edits:
            return text
        return self._apply(text, edits)

    def changes_for(self, subjects: Iterable[str]) -> list[Change]:
        """The changes made to statements whose subject is in ``subjects``."""
        return self._log.for_subjects(subjects)

    def omitted_for(self, subjects: Iterable[str]) -> int:
        """How many changes to these subjects were counted but not kept (per-subject cap)."""
        return self._log.omitted_for(subjects)

    def counts(self) -> dict[str, int]:
        """Changes per rule over everything this normaliser rewrote."""
        return self._log.counts()

    # -- one line ---------------------------------------------------------------------
    def _rewrite_line(self, line: str) -> tuple[Statement, list[_Edit]] | None:
        statement = split_statement(line)
        if statement is None:
            return None
        edits: list[_Edit] = []
        subject = self._term(statement.subject, edits)
        predicate = self._predicate(statement.predicate, edits)
        obj = self._object(statement.object, predicate, edits)
        if not edits:
            return None
        return Statement(subject, predicate, obj), edits

    def _term(self, term: str, edits: list[_Edit]) -> str:
        """A subject or object IRI: namespace variants, then older HealthDCAT-AP IRIs."""
        cached = self._terms.get(term)
        if cached is None:
            value = iri(term)
            if value is None:
                return term
            found: list[_Edit] = []
            if (rewrite := namespaces.rewrite_iri(value)) is not None:
                found.append((rewrite.rule, term, f"<{rewrite.iri}>"))
                value = rewrite.iri
            if (mapped := healthdcat.rewrite_value(value)) is not None:
                found.append((mapped[1], f"<{value}>", f"<{mapped[0]}>"))
                value = mapped[0]
            cached = self._remember(term, f"<{value}>", found)
        edits.extend(cached[1])
        return cached[0]

    def _predicate(self, term: str, edits: list[_Edit]) -> str:
        key = "p" + term
        cached = self._terms.get(key)
        if cached is None:
            value = term[1:-1]
            found: list[_Edit] = []
            if (rewrite := namespaces.rewrite_iri(value)) is not None:
                found.append((rewrite.rule, term, f"<{rewrite.iri}>"))
                value = rewrite.iri
            if (renamed := PREDICATES.get(value)) is not None:
                found.append((renamed[1], f"<{value}>", f"<{renamed[0]}>"))
                value = renamed[0]
            cached = self._remember(key, f"<{value}>", found)
        edits.extend(cached[1])
        return cached[0]

    def _object(self, term: str, predicate: str, edits: list[_Edit]) -> str:
        literal = split_literal(term) if term.startswith('"') else None
        if literal is None:
            return self._term(term, edits)
        if literal.language is not None:
            return term
        datatype = literal.datatype
        if datatype is not None:
            if (rewrite := namespaces.rewrite_iri(datatype, datatype=True)) is not None:
                datatype = rewrite.iri
            datatype = literals.fix_datatype(datatype) or datatype
            if datatype != literal.datatype:
                rule = rewrite.rule if rewrite is not None else "xsd/datatype"
                edits.append((rule, f"<{literal.datatype}>", f"<{datatype}>"))
        before = literal_term(literal.lexical, datatype)
        retyped = literals.retype(predicate[1:-1], literal.lexical, datatype)
        if retyped is None:
            return before
        after = literal_term(retyped[0], retyped[1])
        edits.append((retyped[2], before, after))
        return after

    def _remember(self, key: str, result: str, found: list[_Edit]
                  ) -> tuple[str, tuple[_Edit, ...]]:
        if len(self._terms) >= _CACHE_LIMIT:
            self._terms.clear()
        entry = self._terms[key] = (result, tuple(found))
        return entry

    # -- a chunk ----------------------------------------------------------------------
    def _apply(self, text: str, edits: list[tuple[int, int, str, Statement, list[_Edit]]]
               ) -> str:
        """Splice the rewritten lines in; drop one that duplicates a line left as it was
        or one already written."""
        changed = {line for _, _, line, _, _ in edits}
        unchanged = {line for line in text.split("\n") if line not in changed}
        written: set[str] = set()
        pieces: list[str] = []
        last = 0
        log = self._log
        for start, end, line, statement, found in edits:
            new = join_statement(statement)
            for rule, before, after in found:
                log.add(rule, statement.subject, before, after)
            pieces.append(text[last:start])
            if new in unchanged or new in written:
                log.add(found[0][0], statement.subject, line[:-2], "")
                last = end + 1 if end < len(text) else end  # the line and its newline go
                continue
            written.add(new)
            pieces.append(new)
            last = end
        pieces.append(text[last:])
        result = "".join(pieces)
        return result[:-1] if result.endswith("\n") and not text.endswith("\n") else result
