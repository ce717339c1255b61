"""Reading a CKAN package or resource dict, whichever way the site's schema stores a field.

A field may sit at the top level (``ckanext-scheming``), in ``extras`` as a string (the
legacy layout, where lists are JSON-encoded: ``"[\\"en\\",\\"ca\\"]"``), or as a
vocabulary value ``{"name": IRI, "display_name": label}`` (sites that enrich their
answers). Multilingual fields come as ``{field}_translated`` or as a dict of language
tag → text. These helpers hide the difference from the mapping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

#: a language tag as CKAN's multilingual fields use them as keys (``en``, ``pt-BR``)
LANG_KEY = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class Fields:
    """One CKAN dict (package, resource or organisation) read field by field."""

    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        extras = data.get("extras")
        self.extras: dict[str, Any] = {}
        if isinstance(extras, list):
            for item in extras:
                if isinstance(item, Mapping) and isinstance(item.get("key"), str):
                    self.extras.setdefault(item["key"], item.get("value"))

    def raw(self, *keys: str) -> Any:
        """The first present, non-empty value of the keys (top level first, then extras)."""
        for key in keys:
            for place in (self.data, self.extras):
                value = place.get(key)
                if value not in (None, "", [], {}):
                    return value
        return None

    def text(self, *keys: str) -> str | None:
        """The first value as one text (a vocabulary value gives its ``name``)."""
        values = self.texts(*keys)
        return values[0] if values else None

    def texts(self, *keys: str, split: bool = False) -> list[str]:
        """Every value of the first present key, flattened to texts, without duplicates.

        ``split`` also splits comma-separated texts (``"en,es,ca"``).
        """
        found = list(_flatten(self.raw(*keys)))
        if split:
            found = [part.strip() for value in found for part in value.split(",")]
        return [value for value in dict.fromkeys(found) if value]

    def translated(self, key: str) -> list[tuple[str, str | None]]:
        """``(text, language)`` pairs: ``{key}_translated``, a dict by language, or one text
        with no language."""
        for value in (self.raw(f"{key}_translated"), self.raw(key)):
            if by_language(value):
                pairs = [(text.strip(), lang) for lang, text in value.items() if text.strip()]
                if pairs:
                    return pairs
        return [(text, None) for text in self.texts(key) if not by_language(self.raw(key))]

    def translated_lists(self, key: str) -> list[tuple[str, str | None]]:
        """Like :meth:`translated` for list fields (``tags_translated``: language → list)."""
        value = self.raw(f"{key}_translated")
        if isinstance(value, Mapping) and all(LANG_KEY.fullmatch(str(k)) for k in value):
            return [(text.strip(), str(lang)) for lang, items in value.items()
                    for text in (items if isinstance(items, list) else [items])
                    if isinstance(text, str) and text.strip()]
        return []

    def records(self, key: str) -> list[Fields]:
        """A repeating composite field (``contact``, ``publisher``, ``temporal_coverage``):
        a list of dicts, a single dict, or either JSON-encoded."""
        value = _decoded(self.raw(key))
        if isinstance(value, Mapping):
            value = [value]
        if not isinstance(value, list):
            return []
        return [Fields(item) for item in value if isinstance(item, Mapping)]


def by_language(value: object) -> bool:
    """Whether a value is a dict of language tag → text."""
    return (isinstance(value, Mapping) and bool(value)
            and all(isinstance(k, str) and LANG_KEY.fullmatch(k) for k in value)
            and all(isinstance(v, str) for v in value.values()))


def _decoded(value: Any) -> Any:
    """A JSON list or object encoded in a string (legacy extras), decoded; else as is."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _flatten(value: Any) -> Iterator[str]:
    value = _decoded(value)
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        yield value.strip()
    elif isinstance(value, int | float):
        yield str(value)
    elif isinstance(value, Mapping):
        for key in ("name", "uri", "url", "value"):
            if isinstance(value.get(key), str | int | float):
                yield str(value[key]).strip()
                return
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)
