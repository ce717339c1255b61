"""What normalisation changed, kept compactly per subject and counted per rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

#: Changes kept per subject; more are counted (``counts``, ``omitted_for``) but not kept.
MAX_CHANGES_PER_SUBJECT = 50


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a source's statements: which rule, on which subject, before → after.

    ``subject`` is the N-Triples term of the statement's subject after normalisation;
    ``before`` and ``after`` are the terms (or, for a dropped duplicate, the statement)
    before and after; ``after`` is ``""`` when the statement was dropped.
    """

    rule: str
    subject: str
    before: str
    after: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "subject": self.subject, "before": self.before,
                "after": self.after}


class ChangeLog:
    """Changes by subject, at most ``cap`` kept per subject, with their strings shared."""

    def __init__(self, cap: int = MAX_CHANGES_PER_SUBJECT):
        self._cap = cap
        self._kept: dict[str, list[tuple[str, str, str]]] = {}
        self._omitted: Counter[str] = Counter()
        self._counts: Counter[str] = Counter()
        self._strings: dict[str, str] = {}

    def _shared(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def add(self, rule: str, subject: str, before: str, after: str) -> None:
        self._counts[rule] += 1
        kept = self._kept.get(subject)
        if kept is None:
            kept = self._kept[self._shared(subject)] = []
        if len(kept) >= self._cap:
            self._omitted[subject] += 1
            return
        entry = (self._shared(rule), self._shared(before), self._shared(after))
        if entry not in kept:  # the same statement seen twice in the document
            kept.append(entry)

    def for_subjects(self, subjects: Iterable[str]) -> list[Change]:
        return [Change(rule, subject, before, after) for subject in subjects
                for rule, before, after in self._kept.get(subject, ())]

    def omitted_for(self, subjects: Iterable[str]) -> int:
        return sum(self._omitted.get(subject, 0) for subject in subjects)

    def counts(self) -> dict[str, int]:
        return dict(sorted(self._counts.items()))
