"""Parsing RDF documents with pyoxigraph, with errors that name the file, line and column."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from xml.parsers import expat

from pyoxigraph import Quad, parse

from catalog_node.errors import InputError
from catalog_node.rdf.formats import Syntax, syntax_for_path, syntax_named

#: Largest document the node parses (bytes, after decompression).
DEFAULT_MAX_BYTES = 4 * 1024**3


class _BoundedReader(io.RawIOBase):
    """A binary reader that refuses to read past ``limit`` bytes."""

    def __init__(self, inner: IO[bytes], limit: int, source: str):
        self._inner = inner
        self._left = limit
        self._limit = limit
        self._source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._inner.read(min(len(buffer), self._left + 1))
        if len(chunk) > self._left:
            raise InputError(f"document larger than {self._limit} bytes", source=self._source,
                             hint="raise the size limit for this source if it is expected")
        self._left -= len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def resolve_syntax(source: str, name: str | None) -> Syntax:
    """The syntax given by name, or else by the file's extension."""
    if name:
        return syntax_named(name)
    syntax = syntax_for_path(source)
    if syntax is None:
        raise InputError("cannot tell the RDF format from the file name", source=source,
                         hint="name it .ttl, .trig, .nt, .nq, .rdf or .jsonld, "
                              "or pass --input-format")
    return syntax


def open_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> IO[bytes]:
    """Open a local file for parsing, through gzip when it is compressed."""
    raw: IO[bytes] = path.open("rb")
    if path.suffix.lower() == ".gz":
        raw = gzip.open(raw, "rb")  # type: ignore[assignment]  # noqa: SIM115 - returned open
    return io.BufferedReader(_BoundedReader(raw, max_bytes, str(path)), 1 << 20)


def located_error(exc: SyntaxError, source: str) -> InputError:
    """Turn a pyoxigraph syntax error into one that names file, line and column."""
    message = exc.msg or str(exc)
    return InputError(f"syntax error: {message}", source=source, line=exc.lineno,
                      column=exc.offset, hint="fix the document; nothing from it was stored")


def quad_parser(stream: IO[bytes] | bytes, syntax: Syntax,
                base_iri: str | None, lenient: bool = False) -> Iterator[Quad]:
    """pyoxigraph's streaming parser; wrap its use in :func:`parse_errors`.

    ``lenient`` lets invalid IRIs through (for a harvest to skip only the records that
    hold them); the caller must then check the IRIs it keeps.
    """
    return parse(stream, format=syntax.rdf_format, base_iri=base_iri, lenient=lenient)


def is_iri_error(error: InputError) -> bool:
    """Whether a parse failed on a sloppy IRI (a space, a bracket…) on one line, which a
    lenient parse gets past; an IRI running over a line break is a broken document."""
    message = error.message
    if "'\n'" in message or "'\r'" in message or "between line" in message:
        return False
    return "error while parsing IRI" in message or "Invalid IRI code point" in message


@contextmanager
def parse_errors(source: str) -> Iterator[None]:
    """Turn what a parser raises into an InputError naming ``source`` (and line, column)."""
    try:
        yield
    except InputError:
        raise
    except SyntaxError as exc:
        raise located_error(exc, source) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8: {exc}", source=source) from exc
    except ValueError as exc:
        raise InputError(f"unreadable document: {exc}", source=source) from exc
    except OSError as exc:
        if isinstance(exc.__context__, InputError):
            raise exc.__context__ from None
        raise InputError(f"cannot read: {exc}", source=source) from exc


def locate_in_text(data: bytes, syntax: Syntax) -> tuple[int, int] | None:
    """Line and column of a well-formedness error pyoxigraph reported without them.

    RDF/XML and JSON-LD errors come without a position; the XML or JSON layer underneath
    is checked again with the standard library (expat resolves no external entities).
    """
    if syntax.name == "jsonld":
        try:
            json.loads(data)
        except json.JSONDecodeError as exc:
            return exc.lineno, exc.colno
        except UnicodeDecodeError:
            return None
    elif syntax.name == "rdfxml":
        parser = expat.ParserCreate()
        try:
            parser.Parse(data, True)
        except expat.ExpatError as exc:
            return exc.lineno, exc.offset + 1
    return None
