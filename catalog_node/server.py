"""Running the node: open the store, announce the admin address, serve until stopped."""

from __future__ import annotations

import json
import logging
import os

import uvicorn

from catalog_node.errors import CatalogNodeError
from catalog_node.harvest.schedule import Scheduler
from catalog_node.node import Node
from catalog_node.settings import Settings, new_admin_token
from catalog_node.web.app import create_app


def _admin_url(host: str, port: int) -> str:
    if host in {"0.0.0.0", "::", ""}:
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(settings: Settings, host: str, port: int, log_level: str = "info") -> None:
    """Serve until interrupted; the lock file exists exactly while this process serves."""
    node = Node(settings)
    lock = settings.lock_path
    closed = False

    scheduler = Scheduler(node)

    def release() -> None:
        nonlocal closed
        scheduler.stop()
        lock.unlink(missing_ok=True)
        if not closed:
            closed = True
            node.close()

    node.pipeline.allow_bulk = False  # pages and queries read while jobs write
    try:
        node.prepare()
        try:
            node.validation.start()  # validates in the background, after each write
        except CatalogNodeError as exc:  # records stay pending until profiles are usable
            logging.getLogger(__name__).warning("validation disabled: %s", exc)
        scheduler.start()  # harvests sources with a schedule when they fall due
        token = new_admin_token(settings)
        app = create_app(node, admin_token=token, on_shutdown=[release])
        lock.write_text(json.dumps({"pid": os.getpid(), "host": host, "port": port,
                                    "admin_url": _admin_url(host, port)}), encoding="utf-8")
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    finally:
        release()
