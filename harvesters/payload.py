"""Bytes of a source document: local files read within a cap, gzip undone within a cap.

A source URL is an ``http(s)`` URL, a ``file://`` URL or a local path. Local files are
read whole but never past ``max_bytes``; gzip (recognised by its magic bytes, whatever
the name says) is decompressed into at most ``max_bytes``. ``Content-Encoding: gzip`` is
already undone by the HTTP client, within the same cap.
"""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from catalog_node.errors import ConfigError, InputError

GZIP_MAGIC = b"\x1f\x8b"


def local_path(url: str) -> Path | None:
    """The local file a source URL names, or None for an http(s) URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return None
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ConfigError(f"file URL on another host: {url}",
                              hint="use file:///path (a file on this machine)")
        return Path(url2pathname(unquote(parts.path)))
    if scheme and len(scheme) > 1:
        raise ConfigError(f"unsupported URL scheme {scheme!r}: {url}",
                          hint="use an http(s) URL, a file:// URL or a local path")
    return Path(url).expanduser()


def read_local(path: Path, place: str, max_bytes: int) -> bytes:
    """A local file's bytes, refused past ``max_bytes``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError("is a directory, not a document", source=place,
                         hint="name one catalogue file") from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", source=place) from None
    if len(data) > max_bytes:
        raise _too_large(place, max_bytes)
    return data


def gunzip_if_compressed(data: bytes, place: str, max_bytes: int) -> bytes:
    """``data`` decompressed when it is gzip (by its magic bytes), else unchanged."""
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"broken gzip data: {exc}", source=place,
                         hint="the compressed document is truncated or corrupt") from None
    if len(out) > max_bytes:
        raise _too_large(place, max_bytes, "once decompressed")
    return out


def _too_large(place: str, max_bytes: int, when: str = "") -> InputError:
    return InputError(f"document larger than {max_bytes:,} bytes{' ' + when if when else ''}",
                      source=place, hint="raise the source's max_bytes if it is expected")
