"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from catalog_node import __version__
from catalog_node.errors import CatalogNodeError, NotFoundError
from catalog_node.node import Node
from catalog_node.web.routes import admin, public, validation


def create_app(node: Node, admin_token: str | None = None,
               on_shutdown: Sequence[Callable[[], None]] = ()) -> FastAPI:
    """The node's web application over an opened node.

    ``admin_token`` enables the admin routes (loopback clients bearing the token only);
    ``on_shutdown`` runs when the server stops (uvicorn re-raises SIGTERM afterwards,
    so code after ``uvicorn.run`` may never run).
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        for callback in on_shutdown:
            callback()

    app = FastAPI(title="catalog-node", version=__version__, docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None, lifespan=lifespan)
    app.state.node = node
    app.state.admin_token = admin_token
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")),
              name="static")

    @app.exception_handler(CatalogNodeError)
    async def node_error(request: Request, exc: CatalogNodeError) -> Response:
        status = 404 if isinstance(exc, NotFoundError) else 400
        return JSONResponse(exc.to_dict(), status_code=status)

    if admin_token:
        app.include_router(admin.router)
    app.include_router(validation.router)
    app.include_router(public.router)
    return app
