"""Choosing a representation from the ``Accept`` header (or a ``format`` parameter)."""

from __future__ import annotations

from catalog_node.rdf.formats import SYNTAXES, Syntax, syntax_for_media_type, syntax_named

HTML = "text/html"


def _parse_accept(header: str) -> list[tuple[str, float, int]]:
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    return ranges


def _matches(pattern: str, media: str) -> int:
    """Specificity of ``pattern`` matching ``media``: 2 exact, 1 type/*, 0 */*, -1 none."""
    if pattern == media:
        return 2
    if pattern.endswith("/*") and media.startswith(pattern[:-1]):
        return 1
    return 0 if pattern == "*/*" else -1


def choose(accept: str | None, offers: list[str], default: str) -> str | None:
    """The offered media type the client prefers; ``default`` for none or ``*/*``.

    Returns None when the client accepts none of the offers (answer 406).
    """
    if not accept or not accept.strip():
        return default
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        for pattern, quality, position in _parse_accept(accept):
            specificity = _matches(pattern, offer)
            if specificity < 0 or quality <= 0:
                continue
            is_default = 1 if (specificity == 0 and offer == default) else 0
            key = (quality, specificity, is_default, -position * 100 - index)
            if best is None or key > best:
                best, chosen = key, offer
    return chosen


def rdf_offers(datasets: bool = False) -> list[str]:
    """Media types of the RDF syntaxes offered (dataset syntaxes only when asked)."""
    return [s.media_type for s in SYNTAXES if datasets or not s.keeps_graphs]


def syntax_for(media_type: str) -> Syntax | None:
    return syntax_for_media_type(media_type)


def format_override(name: str | None) -> str | None:
    """The media type a ``?format=`` value names (``html``, ``ttl``, ``jsonld``…)."""
    if not name:
        return None
    if name.lower() == "html":
        return HTML
    return syntax_named(name).media_type
