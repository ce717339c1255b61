"""Expanding the IRI templates Hydra's ``hydra:template`` holds (RFC 6570, string values).

Every operator of RFC 6570 level 3 is expanded (``{var}``, ``{+var}``, ``{#var}``,
``{.var}``, ``{/var}``, ``{;var}``, ``{?var}``, ``{&var}``), with the level 4 prefix
modifier (``{var:3}``); values are strings (Hydra's ``BasicRepresentation``), so the
explode modifier changes nothing. A variable without a value is left out, as the RFC says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

_EXPRESSION = re.compile(r"\{([^{}]*)\}")
_UNRESERVED = "-._~"
_RESERVED = ":/?#[]@!$&'()*+,;="

#: operator → (first, separator, named, if-empty, allow reserved)
_OPERATORS: dict[str, tuple[str, str, bool, str, bool]] = {
    "": ("", ",", False, "", False),
    "+": ("", ",", False, "", True),
    "#": ("#", ",", False, "", True),
    ".": (".", ".", False, "", False),
    "/": ("/", "/", False, "", False),
    ";": (";", ";", True, "", False),
    "?": ("?", "&", True, "=", False),
    "&": ("&", "&", True, "=", False),
}


def expand(template: str, values: Mapping[str, str]) -> str:
    """``template`` with its expressions replaced by ``values`` (missing ones omitted)."""
    return _EXPRESSION.sub(lambda match: _expression(match.group(1), values), template)


def _expression(body: str, values: Mapping[str, str]) -> str:
    operator = body[:1] if body[:1] in _OPERATORS and body[:1] else ""
    first, separator, named, if_empty, reserved = _OPERATORS[operator]
    parts = []
    for item in body[len(operator):].split(","):
        name, prefix = _name(item)
        if name not in values or values[name] is None:
            continue
        value = values[name][:prefix] if prefix else values[name]
        encoded = quote(value, safe=_UNRESERVED + (_RESERVED if reserved else ""))
        if named:
            parts.append(f"{name}={encoded}" if value else name + if_empty)
        else:
            parts.append(encoded)
    return first + separator.join(parts) if parts else ""


def _name(item: str) -> tuple[str, int | None]:
    """A variable specification's name and prefix length (the explode mark dropped)."""
    item = item.strip().rstrip("*")
    if ":" in item:
        name, _, length = item.partition(":")
        return name, int(length) if length.isdigit() else None
    return item, None
