"""The node's one way out to the web: bounded, public-only HTTP(S) GET and HEAD.

Every hop of a request (the first URL and each redirect target) is admitted the same way:
the scheme must be allowed, the host name is resolved here, every address it resolves to
must be public (see ``addresses.py``) unless the policy allows private networks, and the
connection is then pinned to the checked address: the transport never resolves names itself,
so a second DNS answer (rebinding) cannot send the request elsewhere. TLS still verifies the
certificate against the host name (SNI and ``Host`` are the URL's). Proxies from the
environment are ignored.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from catalog_node import __version__
from catalog_node.errors import CatalogNodeError
from catalog_node.net.addresses import IPAddress, refusal_reason, resolve

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(CatalogNodeError):
    """An outbound request failed: refused, unreachable, too slow, too large or malformed."""


class AddressRefused(FetchError):
    """The URL's scheme or host is not one the node may connect to."""


@dataclass(frozen=True)
class HttpPolicy:
    """Limits of one outbound request (all redirect hops together share the deadline)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0
    max_body_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    allowed_schemes: frozenset[str] = frozenset({"http", "https"})
    user_agent: str = f"catalog-node/{__version__}"
    allow_private_networks: bool = False


@dataclass(frozen=True)
class FetchedDocument:
    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes
    headers: Mapping[str, str] = field(repr=False)


@dataclass(frozen=True)
class UrlCheck:
    url: str
    status: int | None
    reachable: bool
    error: str | None
    checked_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "status": self.status,
            "reachable": self.reachable,
            "error": self.error,
            "checked_at": self.checked_at.isoformat(),
        }


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses admitted beforehand; never resolves a name itself."""

    def __init__(self) -> None:
        self._sync = httpcore.SyncBackend()
        self._pins: dict[tuple[str, int], IPAddress] = {}

    def pin(self, host: str, port: int, address: IPAddress) -> None:
        self._pins[(host.lower(), port)] = address

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: object = None,
    ) -> httpcore.NetworkStream:
        address = self._pins.get((host.lower(), port))
        if address is None:
            raise httpcore.ConnectError(f"{host}:{port} was not admitted")
        return self._sync.connect_tcp(
            str(address),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )  # type: ignore[arg-type]

    def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        self._sync.sleep(seconds)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building one costs ~27 ms (measured), and a
    context is safe to share between connections and threads."""
    return httpx.create_ssl_context(trust_env=False)


class _PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: _PinnedBackend) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=backend,
            max_connections=4,
        )


class SafeHttpClient:
    """Outbound GET/HEAD under an ``HttpPolicy``. Thread-safe: each call has its own pool."""

    def __init__(self, policy: HttpPolicy | None = None):
        self.policy = policy or HttpPolicy()

    # -- public ---------------------------------------------------------------------------

    def fetch(self, url: str, *, headers: Mapping[str, str] | None = None) -> FetchedDocument:
        """GET ``url`` and return its body (content-encoding decoded), capped in size.

        Raises ``FetchError`` (``AddressRefused`` for a refused scheme or address).
        """
        cap = self.policy.max_body_bytes
        with self._exchange("GET", url, headers or {}) as (response, started):
            declared = response.headers.get("content-length", "")
            if (
                declared.isdigit()
                and int(declared) > cap
                and not response.headers.get("content-encoding")
            ):
                raise self._too_large(url, f"it declares {int(declared):,} bytes")
            chunks: list[bytes] = []
            size = 0
            for chunk in self._read(url, response, started):
                size += len(chunk)
                if size > cap:
                    raise self._too_large(url, f"more than {cap:,} bytes arrived")
                chunks.append(chunk)
            return FetchedDocument(
                url=url,
                final_url=str(response.url),
                status=response.status_code,
                content_type=response.headers.get("content-type"),
                body=b"".join(chunks),
                headers=dict(response.headers),
            )

    def check(self, url: str) -> UrlCheck:
        """Is ``url`` reachable? HEAD, then a one-byte ranged GET when HEAD is refused.

        Never raises for network trouble: the reason is in ``UrlCheck.error``.
        """
        try:
            status = self._status("HEAD", url, {})
            if status in (405, 501):
                status = self._status("GET", url, {"Range": "bytes=0-0"})
        except FetchError as exc:
            return UrlCheck(url, None, False, str(exc), datetime.now(UTC))
        reachable = 200 <= status < 400
        error = None if reachable else f"HTTP status {status}"
        return UrlCheck(url, status, reachable, error, datetime.now(UTC))

    # -- one request, hop by hop ----------------------------------------------------------

    def _status(self, method: str, url: str, headers: Mapping[str, str]) -> int:
        with self._exchange(method, url, headers) as (response, _started):
            return response.status_code  # the body is never read

    @contextlib.contextmanager
    def _exchange(
        self, method: str, url: str, headers: Mapping[str, str]
    ) -> Iterator[tuple[httpx.Response, float]]:
        policy = self.policy
        started = time.monotonic()
        backend = _PinnedBackend()
        base_headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        with httpx.Client(
            transport=_PinnedTransport(backend),
            trust_env=False,
            follow_redirects=False,
            headers=base_headers,
        ) as client:
            current = url
            for _hop in range(policy.max_redirects + 1):
                self._admit(current, backend)
                remaining = self._remaining(url, started)
                timeout = httpx.Timeout(
                    min(policy.read_timeout, remaining),
                    connect=min(policy.connect_timeout, remaining),
                )
                request = client.build_request(
                    method, current, headers=dict(headers), timeout=timeout
                )
                response = self._send(url, client, request)
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    response.close()
                    if response.status_code == 303 and method != "HEAD":
                        method = "GET"
                    current = urljoin(str(response.url), location)
                    continue
                try:
                    yield response, started
                finally:
                    response.close()
                return
        raise FetchError(
            f"more than {policy.max_redirects} redirects",
            place=url,
            hint="the server redirects in a loop or too often; use the final URL",
        )

    def _admit(self, url: str, backend: _PinnedBackend) -> None:
        """Check scheme and every resolved address of ``url``; pin the first one."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in self.policy.allowed_schemes:
            raise AddressRefused(
                f"scheme {scheme or '(none)'!r} is not allowed",
                place=url,
                hint=f"use one of {', '.join(sorted(self.policy.allowed_schemes))}",
            )
        try:
            raw_host = httpx.URL(url).raw_host.decode("ascii")
            port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
        except (ValueError, httpx.InvalidURL) as exc:
            raise AddressRefused(
                f"malformed URL: {exc}", place=url, hint="check the host and port of the URL"
            ) from None
        if not raw_host:
            raise AddressRefused("the URL has no host", place=url, hint="use an absolute URL")
        try:
            addresses = resolve(raw_host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(
                f"host {raw_host!r} does not resolve ({exc})",
                place=url,
                hint="check the host name, or the node's DNS",
            ) from None
        if not addresses:
            raise FetchError(
                f"host {raw_host!r} has no address", place=url, hint="check the host name"
            )
        if not self.policy.allow_private_networks:
            for address in addresses:
                reason = refusal_reason(address)
                if reason:
                    raise AddressRefused(
                        f"host {raw_host!r} resolves to a {reason}; the node only connects "
                        "to public addresses",
                        place=url,
                        hint="publish the resource at a public address (private networks "
                        "are allowed only by the allow_private_networks setting)",
                    )
        backend.pin(raw_host, port, addresses[0])

    # -- limits -----------------------------------------------------------------------------

    def _remaining(self, url: str, started: float) -> float:
        remaining = self.policy.deadline - (time.monotonic() - started)
        if remaining <= 0:
            raise FetchError(
                f"took longer than the {self.policy.deadline:g} s deadline",
                place=url,
                hint="the server is too slow; try again later",
            )
        return remaining

    def _send(self, url: str, client: httpx.Client, request: httpx.Request) -> httpx.Response:
        try:
            return client.send(request, stream=True)
        except httpx.TimeoutException:
            raise self._timeout(url) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"request failed: {exc}",
                place=url,
                hint="check that the server is up and the URL right",
            ) from None

    def _read(self, url: str, response: httpx.Response, started: float) -> Iterator[bytes]:
        """The decoded body chunk by chunk, within the deadline."""
        try:
            for chunk in response.iter_bytes():
                self._remaining(url, started)
                yield chunk
        except httpx.TimeoutException:
            raise self._timeout(url) from None
        except httpx.DecodingError as exc:
            raise FetchError(
                f"the body cannot be decoded: {exc}",
                place=url,
                hint="the server sends a broken compressed body",
            ) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"the connection broke: {exc}", place=url, hint="try again later"
            ) from None

    def _timeout(self, url: str) -> FetchError:
        p = self.policy
        return FetchError(
            f"timed out (connect {p.connect_timeout:g} s, read {p.read_timeout:g} s)",
            place=url,
            hint="the server is too slow or unreachable; try again later",
        )

    def _too_large(self, url: str, why: str) -> FetchError:
        return FetchError(
            f"the body exceeds the {self.policy.max_body_bytes:,}-byte cap: {why}",
            place=url,
            hint="fetch a smaller document or raise max_body_bytes",
        )


def fetch(url: str, policy: HttpPolicy | None = None) -> FetchedDocument:
    """GET ``url`` under ``policy`` (default ``HttpPolicy()``)."""
    return SafeHttpClient(policy).fetch(url)


def check_url(url: str, policy: HttpPolicy | None = None) -> UrlCheck:
    """Check ``url`` under ``policy`` (default ``HttpPolicy()``): status, never a body."""
    return SafeHttpClient(policy).check(url)
