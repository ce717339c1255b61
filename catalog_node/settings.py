"""The data directory and the node's settings: one typed object, one place.

Resolution order for the data directory: the global ``--data`` option, then the
``CATALOG_NODE_DATA`` environment variable, then ``./data``. The directory carries
``node.json`` with its format version and its base IRI, fixed at ``init``.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from catalog_node.errors import ConfigError

FORMAT_VERSION = 1
CONFIG_FILE = "node.json"
DEFAULT_BASE_IRI = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class NodeDescription:
    """What the node's own catalogue says about itself."""

    title_fr: str = "Catalogue national des données de santé (nœud catalog-node)"
    title_en: str = "National health data catalogue (catalog-node)"
    description_fr: str = (
        "Catalogue des bases de données de santé disponibles en France : qui les détient, "
        "ce qu'elles contiennent jusqu'aux variables, et comment y accéder. Ce nœud alimente "
        "le catalogue européen HealthData@EU de l'Espace européen des données de santé."
    )
    description_en: str = (
        "Catalogue of the health databases available in France: who holds them, what they "
        "contain down to their variables, and how to access them. This node feeds the "
        "European Health Data Space's HealthData@EU central catalogue."
    )
    publisher_name: str = "catalog-node"
    publisher_email: str = "catalogue@example.org"
    homepage: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything the node needs to know about its data directory."""

    data_dir: Path
    base_iri: str
    format_version: int = FORMAT_VERSION
    created: str = ""
    description: NodeDescription = field(default_factory=NodeDescription)

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store"

    @property
    def ledger_path(self) -> Path:
        return self.data_dir / "ledger.sqlite"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "serve.json"

    @property
    def token_path(self) -> Path:
        return self.data_dir / "admin.token"

    @property
    def tmp_dir(self) -> Path:
        return self.data_dir / "tmp"


def resolve_data_dir(option: str | os.PathLike[str] | None) -> Path:
    """The data directory named by ``--data``, the environment, or ``./data``."""
    chosen = option or os.environ.get("CATALOG_NODE_DATA") or "data"
    return Path(chosen).expanduser().resolve()


def check_base_iri(base_iri: str) -> str:
    """A base IRI is absolute http(s) and ends with a slash."""
    if not base_iri.startswith(("http://", "https://")):
        raise ConfigError(f"base IRI {base_iri!r} is not an http(s) IRI",
                          hint="give e.g. --base-iri https://catalogue.example.org/")
    if any(c in base_iri for c in " <>\"{}|\\^`#?"):
        raise ConfigError(f"base IRI {base_iri!r} contains a character not allowed here")
    return base_iri if base_iri.endswith("/") else base_iri + "/"


def init_data_dir(data_dir: Path, base_iri: str = DEFAULT_BASE_IRI) -> tuple[Settings, bool]:
    """Create the data directory; return its settings and whether it was created now.

    Initialising an existing directory with the same base IRI is a no-op; a different
    base IRI is refused, since every stored IRI depends on it.
    """
    base_iri = check_base_iri(base_iri)
    config = data_dir / CONFIG_FILE
    if config.exists():
        settings = load_settings(data_dir)
        if settings.base_iri != base_iri:
            raise ConfigError(
                f"already initialised with base IRI {settings.base_iri}, not {base_iri}",
                place=str(config),
                hint="the base IRI is fixed at init; use another --data directory")
        return settings, False
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data_dir, base_iri=base_iri,
                        created=datetime.now(UTC).isoformat(timespec="seconds"))
    payload = {"format_version": FORMAT_VERSION, "base_iri": base_iri,
               "created": settings.created, "description": asdict(settings.description)}
    tmp = config.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(config)
    return settings, True


def load_settings(data_dir: Path) -> Settings:
    """Read ``node.json``; refuse a missing directory or another format version."""
    config = data_dir / CONFIG_FILE
    if not config.exists():
        raise ConfigError("no catalog-node data directory here", place=str(data_dir),
                          hint="run `catalog-node init` first, or pass --data DIR")
    try:
        payload = json.loads(config.read_text(encoding="utf-8"))
        version = int(payload["format_version"])
        base_iri = check_base_iri(str(payload["base_iri"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"unreadable node configuration: {exc}", place=str(config)) from exc
    if version != FORMAT_VERSION:
        raise ConfigError(f"data directory format {version}, this node reads {FORMAT_VERSION}",
                          place=str(config), hint="use the catalog-node version that wrote it")
    known = NodeDescription.__dataclass_fields__
    description = NodeDescription(**{k: v for k, v in payload.get("description", {}).items()
                                     if k in known})
    return Settings(data_dir=data_dir, base_iri=base_iri, format_version=version,
                    created=str(payload.get("created", "")), description=description)


def new_admin_token(settings: Settings) -> str:
    """Write a fresh admin token readable by the owner only, and return it."""
    token = secrets.token_urlsafe(32)
    path = settings.token_path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token)
    os.chmod(path, 0o600)
    return token
