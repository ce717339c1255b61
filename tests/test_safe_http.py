"""The hardened outbound client against a real HTTP server on loopback, and its refusals."""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from catalog_node import __version__
from catalog_node.net import addresses, safe_http
from catalog_node.net.safe_http import (
    AddressRefused,
    FetchError,
    HttpPolicy,
    SafeHttpClient,
    check_url,
)

LOOPBACK = HttpPolicy(
    connect_timeout=0.5, read_timeout=0.5, deadline=3, allow_private_networks=True
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}) and "Transfer-Encoding" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        if self.path == "/no-head":
            self._send(405, headers={"Allow": "GET"})
        else:
            self.do_GET()

    def do_GET(self) -> None:
        path = self.path
        if path == "/ok":
            self._send(200, b"hello", {"Content-Type": "text/plain"})
        elif path == "/echo":
            agent = self.headers.get("User-Agent", "")
            self._send(200, f"{self.headers['Host']}|{agent}".encode())
        elif path == "/missing":
            self._send(404, b"no")
        elif path == "/no-head":
            status = 206 if self.headers.get("Range") == "bytes=0-0" else 200
            self._send(status, b"x", {"Content-Range": "bytes 0-0/1"})
        elif path == "/big":
            self._send(200, b"a" * 5000)
        elif path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"a" * 5000)
            self.close_connection = True
        elif path == "/gzip":
            self._send(200, gzip.compress(b"<x/>" * 100), {"Content-Encoding": "gzip"})
        elif path == "/gzip-bomb":
            self._send(200, gzip.compress(b"\0" * 100_000), {"Content-Encoding": "gzip"})
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "20")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        elif path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            if left == 0:
                self._send(200, b"arrived")
            else:
                self._send(302, headers={"Location": f"/hops/{left - 1}"})
        elif path.startswith("/redirect-to?"):
            self._send(302, headers={"Location": path.split("?", 1)[1]})
        else:
            self._send(500, b"unexpected path")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend 127.0.0.1 is a public server, so the default policy lets it be the first hop."""
    real = addresses.refusal_reason

    def reason(address: addresses.IPAddress) -> str | None:
        return None if address == ipaddress.ip_address("127.0.0.1") else real(address)

    monkeypatch.setattr(safe_http, "refusal_reason", reason)


# -- fetching -------------------------------------------------------------------------------


def test_fetch_returns_the_document(server: str) -> None:
    doc = SafeHttpClient(LOOPBACK).fetch(f"{server}/ok")
    assert (doc.status, doc.body, doc.content_type) == (200, b"hello", "text/plain")
    assert doc.url == doc.final_url == f"{server}/ok"


def test_user_agent_and_host_header(server: str) -> None:
    body = SafeHttpClient(LOOPBACK).fetch(f"{server}/echo").body.decode()
    host, agent = body.split("|")
    assert host == server.removeprefix("http://")
    assert agent == f"catalog-node/{__version__}"


def test_body_over_the_cap_is_refused(server: str) -> None:
    client = SafeHttpClient(HttpPolicy(max_body_bytes=1000, allow_private_networks=True))
    with pytest.raises(FetchError, match="1,000-byte cap: it declares 5,000 bytes"):
        client.fetch(f"{server}/big")
    with pytest.raises(FetchError, match="1,000-byte cap: more than 1,000 bytes arrived"):
        client.fetch(f"{server}/big-undeclared")
    assert len(SafeHttpClient(LOOPBACK).fetch(f"{server}/big").body) == 5000


def test_gzip_is_decoded_and_the_cap_applies_after_decoding(server: str) -> None:
    doc = SafeHttpClient(LOOPBACK).fetch(f"{server}/gzip")
    assert doc.body == b"<x/>" * 100
    client = SafeHttpClient(HttpPolicy(max_body_bytes=10_000, allow_private_networks=True))
    with pytest.raises(FetchError, match="cap: more than 10,000 bytes arrived"):
        client.fetch(f"{server}/gzip-bomb")


def test_slow_server_times_out_quickly(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out") as caught:
        SafeHttpClient(LOOPBACK).fetch(f"{server}/slow")
    assert time.monotonic() - started < 1.2
    assert caught.value.place == f"{server}/slow" and caught.value.hint


def test_total_deadline_stops_a_dripping_body(server: str) -> None:
    policy = HttpPolicy(read_timeout=0.5, deadline=0.8, allow_private_networks=True)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"0\.8 s deadline"):
        SafeHttpClient(policy).fetch(f"{server}/drip")
    assert time.monotonic() - started < 1.5


def test_redirects_followed_up_to_the_limit(server: str) -> None:
    client = SafeHttpClient(LOOPBACK)
    doc = client.fetch(f"{server}/hops/5")
    assert doc.body == b"arrived" and doc.final_url == f"{server}/hops/0"
    with pytest.raises(FetchError, match="more than 5 redirects"):
        client.fetch(f"{server}/hops/6")


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.0.0.7/", "private address 10.0.0.7"),
        ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
        ("http://[::1]:8080/", "loopback address ::1"),
        ("http://127.0.0.2/", "loopback address 127.0.0.2"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ],
)
def test_redirect_to_a_refused_target_is_stopped(
    server: str, loopback_is_public: None, target: str, reason: str
) -> None:
    client = SafeHttpClient(HttpPolicy(read_timeout=0.5))
    assert client.fetch(f"{server}/ok").body == b"hello"  # the first hop counts as public
    with pytest.raises(AddressRefused, match=reason) as caught:
        client.fetch(f"{server}/redirect-to?{target}")
    assert caught.value.place == target


def test_connection_is_pinned_to_the_checked_address(
    server: str, loopback_is_public: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name resolved once, by the check; the transport connects to that address only."""
    port = int(server.rsplit(":", 1)[1])
    answers: list[str] = []

    def resolve(host: str, port: int) -> list[addresses.IPAddress]:
        answers.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(safe_http, "resolve", resolve)
    body = SafeHttpClient(HttpPolicy()).fetch(f"http://data.example.test:{port}/echo").body
    assert body.decode().split("|")[0] == f"data.example.test:{port}"
    assert answers == ["data.example.test"]


# -- refusals without any network -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback address 127.0.0.1"),
        ("http://10.1.2.3/", "private address 10.1.2.3"),
        ("http://192.168.0.1/", "private address 192.168.0.1"),
        ("http://169.254.169.254/", "link-local address 169.254.169.254"),
        ("http://100.64.1.1/", r"carrier-grade NAT \(100.64.0.0/10\) address 100.64.1.1"),
        ("http://0.0.0.0/", "unspecified address 0.0.0.0"),
        ("http://224.0.0.1/", "multicast address 224.0.0.1"),
        ("http://240.0.0.1/", "reserved address 240.0.0.1"),
        ("http://[::1]/", "loopback address ::1"),
        ("http://[fe80::1]/", "link-local address fe80::1"),
        ("http://[fc00::1]/", "private address fc00::1"),
        ("http://[::ffff:10.0.0.1]/", "IPv4-mapped private address 10.0.0.1"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped loopback address 127.0.0.1"),
        ("http://localhost/", "loopback address"),
        ("http://2130706433/", "loopback address 127.0.0.1"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
        ("ftp://example.org/x", "scheme 'ftp' is not allowed"),
        ("gopher://example.org/", "scheme 'gopher' is not allowed"),
    ],
)
def test_refused_urls(url: str, reason: str) -> None:
    with pytest.raises(AddressRefused, match=reason) as caught:
        SafeHttpClient().fetch(url)
    assert caught.value.place == url
    assert caught.value.hint
    assert not check_url(url).reachable


def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """One private address among public ones is enough to refuse the host."""
    monkeypatch.setattr(
        safe_http,
        "resolve",
        lambda host, port: [
            ipaddress.ip_address("93.184.215.14"),
            ipaddress.ip_address("10.0.0.1"),
        ],
    )
    with pytest.raises(AddressRefused, match=r"private address 10\.0\.0\.1"):
        SafeHttpClient().fetch("http://mixed.example.test/")


def test_public_addresses_pass() -> None:
    for text in ("93.184.215.14", "2606:4700::1111", "::ffff:8.8.8.8"):
        assert addresses.refusal_reason(ipaddress.ip_address(text)) is None


# -- check_url ----------------------------------------------------------------------------------


def test_check_url_statuses(server: str) -> None:
    ok = check_url(f"{server}/ok", LOOPBACK)
    assert (ok.status, ok.reachable, ok.error) == (200, True, None)
    assert ok.checked_at.tzinfo is not None
    missing = check_url(f"{server}/missing", LOOPBACK)
    assert (missing.status, missing.reachable, missing.error) == (404, False, "HTTP status 404")
    fallback = check_url(f"{server}/no-head", LOOPBACK)
    assert (fallback.status, fallback.reachable) == (206, True)
    redirected = check_url(f"{server}/hops/2", LOOPBACK)
    assert (redirected.status, redirected.reachable) == (200, True)


def test_check_url_reports_failures_without_raising(server: str) -> None:
    slow = check_url(f"{server}/slow", LOOPBACK)
    assert slow.status is None and not slow.reachable and "timed out" in (slow.error or "")
    refused = check_url(f"{server}/ok")  # default policy: loopback is refused
    assert refused.status is None and "loopback address 127.0.0.1" in (refused.error or "")
