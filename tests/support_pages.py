"""A loopback HTTP server for harvest tests: pages the test can change, break or hold.

Pages are Turtle documents linked by ``hydra:next`` (the current Hydra design); each
answers with an ETag and honours ``If-None-Match``. ``fail`` maps a page to a status it
answers with; ``hold`` makes one page wait until ``release()`` (for kill tests).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from harvesters import harvester_for
from harvesters.base import HarvestContext, Page, SourceConfig

HYDRA = "http://www.w3.org/ns/hydra/core#"


@dataclass
class PageServer:
    """Serves ``/page/N`` for N in 1..len(pages); page N links to N+1."""

    pages: list[bytes]
    fail: dict[int, int] = field(default_factory=dict)
    hold: int | None = None
    requests: list[str] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    _release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> PageServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                try:
                    number = int(self.path.rstrip("/").rsplit("/", 1)[-1])
                    body = server.document(number)
                except (ValueError, IndexError):
                    self.send_error(404)
                    return
                if number == server.hold:
                    server.held.set()
                    server._release.wait(60)
                if number in server.fail:
                    self.send_error(server.fail[number])
                    return
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/page/1"

    def page_url(self, number: int) -> str:
        return self.url.rsplit("/", 1)[0] + f"/{number}"

    def document(self, number: int) -> bytes:
        if not 1 <= number <= len(self.pages):
            raise IndexError(number)
        view = (f"\n<{self.page_url(number)}> a <{HYDRA}PartialCollectionView>"
                + (f" ; <{HYDRA}next> <{self.page_url(number + 1)}>"
                   if number < len(self.pages) else "") + " .\n")
        return self.pages[number - 1] + view.encode()

    def release(self) -> None:
        self._release.set()

    def stop(self) -> None:
        self.release()
        self._http.shutdown()
        self._http.server_close()


def demo_pages(count: int, per_page: int = 1) -> list[bytes]:
    """Pages of the shipped demo catalogue, ``per_page`` dataset files each."""
    folder = Path(__file__).resolve().parents[1] / "catalog_node" / "demo"
    files = sorted(folder.glob("*.ttl"))[:count]
    return [b"\n".join(f.read_bytes() for f in files[i:i + per_page])
            for i in range(0, len(files), per_page)]


def walk_pages(source: SourceConfig, context: HarvestContext, timeout: float = 30
               ) -> list[Page]:
    """Every page a source's harvester yields, walked in a thread: a walk that does not end
    within ``timeout`` (a loop would hang) fails the test; what it raised is raised here."""
    pages: list[Page] = []
    failure: list[BaseException] = []

    def walk() -> None:
        try:
            pages.extend(harvester_for(source).pages(context))
        except BaseException as exc:  # reported in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=walk, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"the {source.type} walk did not end"
    if failure:
        raise failure[0]
    return pages
