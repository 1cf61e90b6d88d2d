"""ASGI middleware: the request body limit, and security headers on every response.

Why raw ASGI and not a FastAPI dependency: the limit must hold *while the body streams in*.
A declared ``Content-Length`` over the limit is refused before a byte of the body is read; a
chunked body is counted message by message and refused the moment it passes the limit, so a
client cannot make the server buffer gigabytes first. The app below sees the refusal as an
exception from ``receive()``; whatever it makes of that, the client gets one 413 with
``Connection: close`` (the rest of the body is never read).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from newsbrief.service.errors import error_body

__all__ = ["BodyLimitMiddleware", "BodyTooLarge", "RequestGuardMiddleware", "SecurityHeadersMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """Raised from ``receive()`` once the body passes the limit."""


def _human(n: int) -> str:
    for unit, size in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


async def _send_json(send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> None:
    payload = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413 ``body_too_large``, without reading them whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        message = f"the request body is over the {_human(limit)} limit"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit:
                    await self._refuse(send, f"{message} (Content-Length: {declared})", declared)
                    return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(message)
            return msg

        async def guarded_send(msg: Message) -> None:
            nonlocal started
            if exceeded:  # the app's own answer to the exception is replaced by ours
                return
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self._refuse(send, message, None)

    async def _refuse(self, send: Send, message: str, declared: int | None) -> None:
        details = {"limit": self.max_bytes, "content_length": declared}
        await _send_json(send, 413, error_body("body_too_large", message, details), [(b"connection", b"close")])


# The pages load nothing from elsewhere; the policy makes the browser enforce that.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", _CSP.encode()),
]


class SecurityHeadersMiddleware:
    """Add nosniff, no-referrer, no framing and a same-origin-only CSP to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                present = {name.lower() for name, _ in msg.get("headers", [])}
                msg["headers"] = list(msg.get("headers", [])) + [h for h in _SECURITY_HEADERS if h[0] not in present]
            await send(msg)

        await self.app(scope, receive, add_headers)


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# reg-name characters of RFC 3986 (percent-encoded bytes included); browsers send IDNA names
_REG_NAME = re.compile(r"^[a-z0-9._~%!$&'()*+,;=-]+$")
_DEFAULT_PORTS = (None, 80, 443)


def _authority(text: str) -> tuple[str, int | None] | None:
    """``Example.com:8000`` -> ``("example.com", 8000)``; ``[::1]`` -> ``("::1", None)``.

    ``None`` for anything malformed (``[::1``, ``a:b:c``, ``host:99999``, spaces, non-ASCII):
    a header an attacker wrote must never raise, and must never match an allowed name by accident.
    """
    text = text.strip().lower()
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        host, rest = text[1:end], text[end + 1 :]
        try:
            host = ipaddress.IPv6Address(host).compressed
        except ValueError:
            return None
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else ""
    else:
        host, _, port_text = text.partition(":")
        if not host or not _REG_NAME.match(host):
            return None
    if not port_text:
        return host, None
    if not port_text.isdigit() or not port_text.isascii() or len(port_text) > 5 or int(port_text) > 65535:
        return None
    return host, int(port_text)


def _host_name(host: str) -> str | None:
    """``example.com:8000`` -> ``example.com``; ``[::1]:8000`` -> ``::1``; ``None``: malformed."""
    parsed = _authority(host)
    return None if parsed is None else parsed[0]


def _allowed_name(name: str) -> str | None:
    """An ``allowed_hosts`` entry as ``_host_name`` gives it: ``::1``, ``[::1]``, ``a.test:80``."""
    bare = name.strip().lower().removeprefix("[").removesuffix("]")
    try:
        return ipaddress.ip_address(bare).compressed
    except ValueError:
        return _host_name(name)


def _same_origin(origin: str, host: str) -> bool:
    """Whether a browser's ``Origin`` names the host it sent the request to.

    The scheme is not compared (behind a TLS proxy the request arrives as http); an absent
    port matches an explicit default one (``http://a`` and ``Host: a:80``).
    """
    scheme, sep, rest = origin.strip().partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return False
    theirs, ours = _authority(rest), _authority(host)
    if theirs is None or ours is None or theirs[0] != ours[0]:
        return False
    return theirs[1] == ours[1] or (theirs[1] in _DEFAULT_PORTS and ours[1] in _DEFAULT_PORTS)


def _shown(value: str, limit: int = 80) -> str:
    """A header value fit for an error message: quoted, and cut if huge."""
    return repr(value if len(value) <= limit else value[:limit] + "...")


class RequestGuardMiddleware:
    """Two guards for a server without authentication that a browser can reach.

    - **Host check** (``allowed_hosts``): a page on a hostile site can rebind its own name to
      127.0.0.1 and then talk to a local server as if same-origin; its requests still carry
      the hostile name in ``Host``, so a loopback server answers only to loopback names.
    - **Cross-site POSTs**: a browser sends ``Origin`` (and ``Sec-Fetch-Site``) with a POST; one
      from another origin is refused, so a page elsewhere cannot store articles through a
      visitor's browser. API clients (curl, httpx) send neither header and are not affected.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app = app
        names = None if allowed_hosts is None else {_allowed_name(h) for h in allowed_hosts}
        self.allowed = None if names is None else frozenset(n for n in names if n is not None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.allowed is not None and _host_name(host) not in self.allowed:
            body = error_body("host_not_allowed", f"this server does not answer for host {_shown(host)}")
            await _send_json(send, 400, body, [])
            return
        if scope.get("method") not in _SAFE_METHODS:
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            if origin and origin != "null":
                cross = not _same_origin(origin, host)  # a malformed Origin is not ours either
            else:
                cross = site == "cross-site" or origin == "null"
            if cross:
                body = error_body(
                    "cross_origin_forbidden",
                    f"refusing a {scope.get('method')} from {_shown(origin) if origin else 'another site'}",
                )
                await _send_json(send, 403, body, [])
                return
        await self.app(scope, receive, send)
