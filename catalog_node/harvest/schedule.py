"""Scheduled harvests, run by ``serve``: each source with a schedule, when it falls due."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from catalog_node.errors import CatalogNodeError
from catalog_node.harvest.sources import list_sources, next_due

if TYPE_CHECKING:
    from catalog_node.node import Node

log = logging.getLogger(__name__)


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")


def due_sources(node: Node, at: datetime) -> list[str]:
    """Sources whose schedule fell due since their last run (or since they were added).

    Times are UTC, as the ledger writes them; ``at`` is naive UTC.
    """
    due = []
    for source in list_sources(node.ledger):
        if not source.schedule:
            continue
        last = node.ledger.read_one("SELECT started FROM runs WHERE source = ? "
                                    "ORDER BY id DESC LIMIT 1", (source.name,))
        if last is None:
            last = node.ledger.read_one("SELECT added FROM sources WHERE name = ?",
                                        (source.name,))
        when = next_due(source.schedule, _parse(last))
        if when is not None and when <= at:
            due.append(source.name)
    return due


class Scheduler:
    """A thread that starts due harvests one after another until stopped."""

    def __init__(self, node: Node, interval: float = 30.0):
        self.node = node
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="harvest-scheduler",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.tick(datetime.now(UTC).replace(tzinfo=None))  # the ledger's times: naive UTC

    def tick(self, at: datetime) -> list[str]:
        ran = []
        for name in due_sources(self.node, at):
            if self._stop.is_set():
                break
            try:
                report = self.node.harvest(name)
                log.info("scheduled harvest of %s: run %s, committed %s", name,
                         report["run"], report["committed"])
            except CatalogNodeError as exc:
                log.warning("scheduled harvest of %s failed: %s", name, exc)
            ran.append(name)
        return ran
