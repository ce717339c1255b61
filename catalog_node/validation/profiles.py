"""Profiles as data: each ``shapes/<dir>/profile.toml`` names a profile, its version and files."""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from catalog_node.errors import ConfigError

log = logging.getLogger(__name__)

LEVELS = ("PUBLIC", "RESTRICTED", "NON_PUBLIC")
DEFAULT_PROFILE = "healthdcat-ap"


def shapes_dir() -> Path:
    """``CATALOG_NODE_SHAPES``, or the ``shapes/`` folder of this checkout."""
    env = os.environ.get("CATALOG_NODE_SHAPES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shapes"


@dataclass(frozen=True, eq=False)
class Profile:
    """A named, versioned set of shape files; levelled profiles add files per access level."""

    name: str
    title: str
    version: str
    specification: str
    description_en: str
    description_fr: str
    files: tuple[Path, ...]
    levels: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    include: str | None = None

    @property
    def levelled(self) -> bool:
        return bool(self.levels)

    def files_for(self, level: str | None) -> tuple[Path, ...]:
        """The files loaded together for one run (one access level, for a levelled profile)."""
        if not self.levelled:
            return self.files
        chosen = level if level in self.levels else "NON_PUBLIC"
        return tuple(dict.fromkeys(self.files + self.levels.get(chosen, ())))

    def all_files(self) -> tuple[Path, ...]:
        extra = tuple(p for level in LEVELS for p in self.levels.get(level, ()))
        return tuple(dict.fromkeys(self.files + extra))

    def to_json(self) -> dict[str, object]:
        root = shapes_dir()
        rel = [str(p.relative_to(root)) if p.is_relative_to(root) else str(p)
               for p in self.files]
        return {"name": self.name, "title": self.title, "version": self.version,
                "specification": self.specification, "include": self.include,
                "description": {"en": self.description_en, "fr": self.description_fr},
                "files": rel,
                "levels": {level: [str(p.relative_to(root)) for p in files]
                           for level, files in self.levels.items()}}


def _read(path: Path, root: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"unreadable profile description: {exc}", place=str(path)) from exc


def _paths(names: object, root: Path, place: Path) -> tuple[Path, ...]:
    if not isinstance(names, list):
        raise ConfigError("`files` must be a list of paths relative to shapes/", place=str(place))
    paths = tuple(root / str(name) for name in names)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"profile file(s) missing: {', '.join(missing)}", place=str(place))
    return paths


@cache
def load_profiles(root: Path | None = None) -> dict[str, Profile]:
    """Every profile under ``root`` (``shapes/``), includes resolved, by name."""
    root = root or shapes_dir()
    raw: dict[str, tuple[Path, dict[str, object]]] = {}
    for path in sorted(root.glob("*/profile.toml")):
        data = _read(path, root)
        raw[str(data.get("name", path.parent.name))] = (path, data)
    profiles: dict[str, Profile] = {}

    def build(name: str, chain: tuple[str, ...] = ()) -> Profile:
        if name in profiles:
            return profiles[name]
        if name not in raw:
            raise ConfigError(f"unknown profile {name!r}", place=str(root),
                              hint=f"known profiles: {', '.join(sorted(raw))}")
        if name in chain:
            raise ConfigError(f"profiles include each other: {' → '.join((*chain, name))}",
                              place=str(raw[name][0]))
        path, data = raw[name]
        files = _paths(data.get("files", []), root, path)
        levels = {str(k): _paths(v, root, path)
                  for k, v in dict(data.get("levels", {}) or {}).items()}
        include = data.get("include")
        if include:
            base = build(str(include), (*chain, name))
            files = tuple(dict.fromkeys(base.files + files))
            levels = {level: tuple(dict.fromkeys(base.levels.get(level, ())
                                                 + levels.get(level, ())))
                      for level in set(base.levels) | set(levels)}
        profile = Profile(name=name, title=str(data.get("title", name)),
                          version=str(data.get("version", "")),
                          specification=str(data.get("specification", "")),
                          description_en=str(data.get("description_en", "")),
                          description_fr=str(data.get("description_fr", "")),
                          files=files, levels=levels,
                          include=str(include) if include else None)
        profiles[name] = profile
        return profile

    for name in raw:
        try:
            build(name)
        except ConfigError as exc:  # one broken profile must not hide the others
            log.warning("profile %s unusable: %s", name, exc)
    return profiles


def get_profile(name: str, root: Path | None = None) -> Profile:
    profiles = load_profiles(root)
    if name not in profiles:
        raise ConfigError(f"unknown profile {name!r}", place=str(root or shapes_dir()),
                          hint=f"choose one of: {', '.join(sorted(profiles))}")
    return profiles[name]
