"""The node's one exception family: every message names the place and what to do."""

from __future__ import annotations


class CatalogNodeError(Exception):
    """Base of every error the node raises on purpose.

    ``place`` names where the problem is (file:line:column, URL, record IRI);
    ``hint`` says what to do about it.
    """

    exit_code = 2

    def __init__(self, message: str, *, place: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.place = place
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}" if self.place else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, str | None]:
        return {"error": type(self).__name__, "message": self.message,
                "place": self.place, "hint": self.hint}


class ConfigError(CatalogNodeError):
    """The data directory or a setting is missing or wrong."""


class InputError(CatalogNodeError):
    """An input document cannot be used (syntax error, unknown format, too large)."""

    def __init__(self, message: str, *, source: str, line: int | None = None,
                 column: int | None = None, hint: str | None = None):
        place = source
        if line is not None:
            place += f":{line}"
            if column is not None:
                place += f":{column}"
        super().__init__(message, place=place, hint=hint)
        self.source = source
        self.line = line
        self.column = column


class RecordError(CatalogNodeError):
    """One record of an otherwise usable input cannot be stored."""


class StoreError(CatalogNodeError):
    """The triple store refused or failed an operation."""


class NodeBusyError(CatalogNodeError):
    """Another process owns the data directory and cannot be reached."""


class NotFoundError(CatalogNodeError):
    """No resource with that IRI is published here."""

    exit_code = 1


class QueryError(CatalogNodeError):
    """A SPARQL query is malformed or exceeded its limits."""
