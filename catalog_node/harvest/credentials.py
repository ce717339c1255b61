"""Credentials are referenced by name (``env:VARIABLE`` or ``file:/path``), never stored."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from catalog_node.errors import ConfigError


def check_reference(reference: str | None) -> str | None:
    """A credential reference as given to ``source add --credential`` (never a value)."""
    if reference is None:
        return None
    kind, _, name = reference.partition(":")
    if kind not in {"env", "file"} or not name:
        raise ConfigError(f"credential reference {reference!r} is neither env:VARIABLE nor "
                          "file:/path", hint="name where the secret is, never the secret")
    if kind == "file" and not Path(name).is_absolute():
        raise ConfigError(f"secrets file {name!r} must be an absolute path",
                          hint="for example file:/etc/catalog-node/ckan.token")
    return reference


def resolve_secret(reference: str | None, source: str) -> str | None:
    """The secret a reference names, read now; None without a reference."""
    if reference is None:
        return None
    kind, _, name = reference.partition(":")
    if kind == "env":
        value = os.environ.get(name)
        if not value:
            raise ConfigError(f"environment variable {name} is not set", place=source,
                              hint=f"export {name}=… before the run (the source names it)")
        return value.strip()
    path = Path(name)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"cannot read the secrets file: {exc.strerror}", place=name) from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError("the secrets file is readable by others", place=name,
                          hint=f"chmod 600 {name}")
    return path.read_text(encoding="utf-8").strip()
