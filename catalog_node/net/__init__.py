"""Outbound network access: one hardened HTTP client for validation, URL checks, harvesters."""

from catalog_node.net.safe_http import (
    AddressRefused,
    FetchedDocument,
    FetchError,
    HttpPolicy,
    SafeHttpClient,
    UrlCheck,
    check_url,
    fetch,
)

__all__ = [
    "AddressRefused",
    "FetchError",
    "FetchedDocument",
    "HttpPolicy",
    "SafeHttpClient",
    "UrlCheck",
    "check_url",
    "fetch",
]
