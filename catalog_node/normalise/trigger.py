"""One compiled regular expression that says whether any rule could apply to a text.

Python's regex engine tries the branches of an alternation one after the other, so a
plain ``a|b|c`` of a few hundred IRI prefixes is slow on a gigabyte of N-Triples. The
literal keys are therefore merged into a character trie first: at each ``<`` of the text
the engine walks one path, and a branch whose first character differs is skipped at
once. A key may end with a regex *tail* (a lookahead, a character class) that the
literal prefix must be followed by.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    tails: set[str] = field(default_factory=set)


def _emit(node: _Node) -> str:
    if "" in node.tails:  # a key ends here: the search can stop, nothing longer matters
        return ""
    parts = [re.escape(char) + _emit(child) for char, child in sorted(node.children.items())]
    parts += sorted(node.tails)
    if len(parts) == 1:
        return parts[0]
    return "(?:" + "|".join(parts) + ")"


def trie_pattern(keys: Iterable[tuple[str, str]]) -> str:
    """A regex matching any ``literal`` followed by its ``tail`` (both from ``keys``)."""
    root = _Node()
    for literal, tail in keys:
        node = root
        for char in literal:
            node = node.children.setdefault(char, _Node())
        node.tails.add(tail)
    if not root.children and not root.tails:
        return r"(?!x)x"  # matches nothing
    return _emit(root)


def compile_trigger(keys: Iterable[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile(trie_pattern(keys))
