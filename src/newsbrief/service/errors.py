"""Errors the service answers with: a stable machine ``code``, an HTTP status and a message.

Why codes: clients branch on ``error.code`` (stable, documented in docs/service.md), never on
the message, which is for people and may be reworded. Every error body has the same shape::

    {"error": {"code": "body_too_large", "status": 413, "message": "...", "details": null}}
"""

from __future__ import annotations

from typing import Any

# code -> (HTTP status, when). The table is the contract: docs/service.md lists it and a test
# checks the two agree.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "invalid_json": (400, "the body is not valid UTF-8 JSON, or not a JSON object"),
    "host_not_allowed": (400, "the Host header names a host this server does not answer for (DNS rebinding guard)"),
    "cross_origin_forbidden": (403, "a browser sent a POST from another site's page (cross-site request guard)"),
    "not_found": (404, "no article with that id, or no such path"),
    "method_not_allowed": (405, "the path exists but not for this HTTP method"),
    "method_not_enabled": (403, "the summarization method is not one the server's operator enabled (GET /v1/methods)"),
    "setting_not_allowed": (
        403,
        "the setting is the server operator's (an endpoint, model, key variable, cost limit), or fixed by the operator",
    ),
    "body_too_large": (413, "the request body is over the limit (checked while it streams in)"),
    "unsupported_media_type": (415, "the Content-Type is not JSON, text, HTML, octet-stream or multipart form data"),
    "invalid_request": (422, "a field is missing, of the wrong type or out of range; unknown method or setting"),
    "invalid_url": (422, "the URL is not an absolute http(s) URL, or it carries credentials"),
    "unreadable_input": (422, "the input is not an article: empty, binary, undecodable, no article text"),
    "url_fetch_disabled": (403, "a URL was given but the server runs without --allow-url-fetch"),
    "url_forbidden": (403, "the URL (or a redirect hop, or a DNS answer) points at a non-public address or port"),
    "url_fetch_failed": (
        502,
        "the URL could not be fetched: connection error, HTTP error, too many redirects, too large, not text or HTML",
    ),
    "internal_error": (500, "a bug; the server log has the traceback"),
    "backend_failed": (502, "the summarization backend (the operator's LLM endpoint or model) failed"),
    "timeout": (504, "the request (reading, fetching, processing) took longer than the time limit"),
}


class ServiceError(Exception):
    """An error with a stable code; the HTTP status comes from ``ERROR_CODES``."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.status = ERROR_CODES[code][0]
        self.message = message
        self.details = details
        self.headers = headers or {}

    def to_dict(self) -> dict[str, Any]:
        """The JSON error body."""
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The one shape of every error response."""
    return {"error": {"code": code, "status": ERROR_CODES[code][0], "message": message, "details": details}}
