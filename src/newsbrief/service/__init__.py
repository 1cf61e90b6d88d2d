"""The newsbrief web service: JSON API, article store with search, and a web page.

Needs the ``service`` extra (FastAPI, uvicorn, httpx). Run it with ``newsbrief serve`` or
build the app yourself::

    from newsbrief.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(db_path="articles.db"))

See docs/service.md for the endpoints, error codes, store and URL-fetching rules. Importing
this package (and ``newsbrief.service.cli``) loads none of the extras: ``newsbrief --help``
works without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsbrief.service.errors import ERROR_CODES, ServiceError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from newsbrief.service.config import ServiceConfig

__all__ = ["ERROR_CODES", "ServiceConfig", "ServiceError", "create_app"]


def create_app(config: ServiceConfig | None = None, **kwargs: Any) -> FastAPI:
    """Build the FastAPI app (imported on call: FastAPI is only needed when serving)."""
    from newsbrief.service.app import create_app as _create_app

    return _create_app(config, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "ServiceConfig":
        from newsbrief.service.config import ServiceConfig

        return ServiceConfig
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
