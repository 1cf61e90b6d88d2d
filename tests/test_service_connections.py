"""The service's network edge over real loopback sockets (``newsbrief.service.server``).

A small ASGI app behind the real ``BodyLimitMiddleware`` runs in uvicorn with the guarded h11
protocol, in a thread of the test process, with the limits and timeouts lowered so that each
case takes well under a second:

- a connection that sends nothing, or half a request (slowloris), is closed after the header
  timeout (a ``408`` when it had started a request), on its first request and on later ones;
- an idle keep-alive connection is closed after ``keep_alive``;
- 300 idle sockets against a limit of 50: the oldest idle ones are closed to make room and
  ``/healthz`` still answers; with every connection busy, a new one gets ``503``;
- a ``413`` reaches a client that sends the whole body before reading (``http.client``),
  instead of a broken pipe; the lingering that makes that work is bounded in bytes;
- hostile ``Host`` and ``Origin`` headers get a stable 400/403, never a 500.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("h11")

from newsbrief.service.middleware import BodyLimitMiddleware, RequestGuardMiddleware  # noqa: E402
from newsbrief.service.server import (  # noqa: E402
    ConnectionGuard,
    EdgeSettings,
    accept_backlog,
    build_server,
    default_max_connections,
    guard_of,
)

LIMIT = 100_000  # request body limit of the test app


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """``/healthz``: ok; ``/echo``: reads the whole body and says how long it was."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    size = 0
    if scope["path"] == "/echo":
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
    body = json.dumps({"status": "ok", "size": size}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Running:
    def __init__(self, port: int, guard: ConnectionGuard) -> None:
        self.port = port
        self.guard = guard

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return sock


@contextmanager
def serving(**settings: Any) -> Iterator[Running]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = build_server(BodyLimitMiddleware(_app, LIMIT), EdgeSettings(**settings), log_level="critical")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    poll(lambda: server.started, "the server did not start")
    try:
        yield Running(port, guard_of(server))
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def poll(condition: Any, message: str, limit: float = 10.0) -> None:
    """Wait (bounded, generous) until ``condition()`` holds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.01)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (socket timeout: 10 s)."""
    out = b""
    while True:
        data = sock.recv(65536)
        if not data:
            return out
        out += data


def request(path: str = "/healthz", *, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def response_head(sock: socket.socket) -> bytes:
    """One whole response (headers and a Content-Length body) from a kept connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before a response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head


# --- header timeout -----------------------------------------------------------------------------


def test_a_connection_that_sends_nothing_is_closed() -> None:
    with serving(header_timeout=0.3) as srv, srv.connect() as sock:
        assert read_all(sock) == b""  # closed by the server, nothing said
        assert srv.guard.header_timeouts == 1


def test_half_a_request_gets_408_and_is_closed() -> None:
    with serving(header_timeout=0.3) as srv, srv.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # slowloris: never finishes
        reply = read_all(sock)
        assert reply.startswith(b"HTTP/1.1 408 ")
        assert b"connection: close" in reply.lower()


def test_the_header_timeout_holds_for_later_requests_on_a_kept_connection() -> None:
    # keep-alive far longer than the header timeout: only the header timeout can close it
    with serving(header_timeout=0.3, keep_alive=60) as srv, srv.connect() as sock:
        sock.sendall(request())
        assert response_head(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 1")  # the next request, half sent
        assert read_all(sock).startswith(b"HTTP/1.1 408 ")
        assert srv.guard.header_timeouts == 1


def test_a_slow_body_is_not_cut_by_the_header_timeout() -> None:
    with serving(header_timeout=0.2) as srv, srv.connect() as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabcde")
        sock.settimeout(0.8)  # four header timeouts: the connection must still be open
        with pytest.raises(TimeoutError):
            sock.recv(1)
        sock.settimeout(10)
        sock.sendall(b"fghij")
        assert response_head(sock).startswith(b"HTTP/1.1 200")
        assert srv.guard.header_timeouts == 0


def test_an_idle_keep_alive_connection_is_closed() -> None:
    with serving(keep_alive=0.3, header_timeout=60) as srv, srv.connect() as sock:
        sock.sendall(request())
        assert response_head(sock).startswith(b"HTTP/1.1 200")
        assert read_all(sock) == b""
        assert srv.guard.header_timeouts == 0


# --- connection limit -----------------------------------------------------------------------------


def test_idle_sockets_cannot_lock_out_healthz() -> None:
    """Regression: 1,100 idle sockets took the server to its descriptor limit; /healthz died."""
    httpx = pytest.importorskip("httpx")
    # a deep accept queue, so that the 300 connects do not wait on the kernel (see accept_backlog)
    with serving(max_connections=50, header_timeout=60, backlog=512) as srv:
        idle = [srv.connect() for _ in range(300)]
        try:
            poll(lambda: srv.guard.evicted >= 250, f"only {srv.guard.evicted} idle connections were closed")
            assert len(srv.guard.open) <= 50
            for _ in range(3):
                r = httpx.get(f"http://127.0.0.1:{srv.port}/healthz", timeout=10)
                assert r.status_code == 200 and r.json()["status"] == "ok"
            closed = 0
            for sock in idle[:250]:  # the oldest were closed to make room
                sock.settimeout(10)
                closed += sock.recv(1) == b""
            assert closed == 250
        finally:
            for sock in idle:
                sock.close()


def test_when_every_connection_is_busy_a_new_one_gets_503() -> None:
    with serving(max_connections=2, header_timeout=60) as srv:
        busy = [srv.connect() for _ in range(2)]
        try:
            for sock in busy:  # requests in flight: the app waits for the rest of the body
                sock.sendall(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc")
            poll(lambda: len(srv.guard.open) == 2 and not srv.guard.fresh, "the requests did not start")
            with srv.connect() as extra:
                assert read_all(extra).startswith(b"HTTP/1.1 503 ")
            assert srv.guard.refused == 1
            busy[0].sendall(b"defghij")  # the busy ones were left alone
            assert response_head(busy[0]).startswith(b"HTTP/1.1 200")
        finally:
            for sock in busy:
                sock.close()


def test_default_connection_limit_leaves_room_under_the_descriptor_limit() -> None:
    # the limit plus a flood's accepted-but-not-yet-guarded sockets (about limit // 3 * 3)
    # stay under the descriptor limit, with room for the database and worker pipes
    for nofile in (1024, 4096, 20_000):
        limit = default_max_connections(nofile)
        assert limit + 3 * accept_backlog(EdgeSettings(max_connections=limit)) <= nofile - 200
    assert default_max_connections(1024) == 384
    assert default_max_connections(20_000) == 4096
    assert default_max_connections(100) == 16
    for nofile in (256, 1024, 4096, 65536):
        assert default_max_connections(nofile) < nofile


def test_the_soft_descriptor_limit_is_raised_to_the_hard_one() -> None:
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard <= 256:
        pytest.skip("hard descriptor limit too low to lower the soft one")
    code = (
        "import resource; from newsbrief.service.server import raise_open_files_limit; "
        "hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]; "
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard)); "
        "got = raise_open_files_limit(); "
        "print(got, resource.getrlimit(resource.RLIMIT_NOFILE)[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    got, now = (int(x) for x in out.stdout.split())
    assert got == now > 256


# --- 413 delivered before closing -------------------------------------------------------------------


def test_a_413_reaches_a_client_that_sends_the_whole_body_first() -> None:
    """Regression: the server closed with the body unread; the kernel reset the connection and
    http.client (requests, urllib) saw BrokenPipeError instead of the 413."""
    with serving() as srv:
        for _ in range(3):
            conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
            try:
                conn.request("POST", "/echo", body=b"a" * 4_000_000, headers={"Content-Type": "text/plain"})
                response = conn.getresponse()
                assert response.status == 413
                assert json.loads(response.read())["error"]["code"] == "body_too_large"
            finally:
                conn.close()
        assert srv.guard.lingered == 3


def test_after_a_413_the_server_half_closes_and_then_closes() -> None:
    with serving() as srv, srv.connect() as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n" + b"a" * 65536)
        reply = read_all(sock)  # EOF comes with the response (FIN), while the body is still "open"
        assert reply.startswith(b"HTTP/1.1 413 ")
        sock.sendall(b"a" * 65536)  # still read and thrown away: no reset
        sock.shutdown(socket.SHUT_WR)
        poll(lambda: not srv.guard.open, "the lingering connection was not closed after the client's EOF")


def test_lingering_is_bounded_in_bytes() -> None:
    with serving(linger_bytes=1_000_000, linger_seconds=30) as srv, srv.connect() as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n")
        with pytest.raises(OSError):  # a reset once the server has swallowed its budget
            for _ in range(2000):  # at most 128 MB
                sock.sendall(b"a" * 65536)
        poll(lambda: not srv.guard.open, "the connection stayed open")
        assert srv.guard.lingered == 1


def test_lingering_is_bounded_in_time() -> None:
    with serving(linger_seconds=0.2) as srv, srv.connect() as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n")
        assert read_all(sock).startswith(b"HTTP/1.1 413 ")
        poll(lambda: not srv.guard.open, "the lingering connection outlived linger_seconds")


def test_invalid_settings_are_refused() -> None:
    for bad in ({"header_timeout": 0}, {"max_connections": 0}, {"keep_alive": -1}):
        with pytest.raises(ValueError):
            EdgeSettings(**bad)


# --- hostile Host and Origin headers -------------------------------------------------------------


def guarded(allowed: tuple[str, ...] | None, method: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, Any]:
    """One request through ``RequestGuardMiddleware`` (ASGI, no socket): status and JSON body."""
    import asyncio

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/healthz", "headers": headers, "query_string": b""}
    asyncio.run(RequestGuardMiddleware(_app, allowed)(scope, receive, send))
    return sent[0]["status"], json.loads(sent[1]["body"])


LOOPBACK = ("localhost", "127.0.0.1", "::1")


@pytest.mark.parametrize(
    "origin",
    [
        b"http://[::1",  # regression: urlsplit raised ValueError, a 500
        b"http://[::1]x",
        b"http://localhost:99999",
        b"http://localhost:80abc",
        b"http://local host",
        b"http://\xe9vil.example",  # non-ASCII (Latin-1 bytes)
        b"javascript:alert(1)",
        b"http://" + b"a" * 20_000,
        b"http://localhost:8000/path",
    ],
)
def test_a_malformed_origin_is_a_cross_origin_refusal(origin: bytes) -> None:
    status, body = guarded(LOOPBACK, "POST", [(b"host", b"localhost:8000"), (b"origin", origin)])
    assert status == 403
    assert body["error"]["code"] == "cross_origin_forbidden"
    assert len(body["error"]["message"]) < 300  # a huge header is not echoed whole


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        (b"localhost:8000", b"http://localhost:8000"),
        (b"LOCALHOST:8000", b"http://localhost:8000"),
        (b"[::1]:8000", b"http://[::1]:8000"),
        (b"127.0.0.1", b"http://127.0.0.1:80"),  # an explicit default port is the same origin
        (b"localhost", b"https://localhost"),  # behind a TLS proxy
    ],
)
def test_a_same_origin_post_passes(host: bytes, origin: bytes) -> None:
    status, body = guarded(LOOPBACK, "POST", [(b"host", host), (b"origin", origin)])
    assert status == 200 and body["status"] == "ok"


@pytest.mark.parametrize(
    "host",
    [b"[::1", b"[::1]evil", b"localhost:99999", b"localhost:8000:1", b"local host", b"\xe9vil", b"", b"x" * 20_000],
)
def test_a_malformed_host_is_not_answered(host: bytes) -> None:
    status, body = guarded(LOOPBACK, "GET", [(b"host", host)])
    assert status == 400
    assert body["error"]["code"] == "host_not_allowed"
    assert len(body["error"]["message"]) < 300


@pytest.mark.parametrize("host", [b"localhost", b"localhost:8000", b"[::1]:8000", b"[0:0::1]", b"127.0.0.1:1"])
def test_loopback_names_in_any_spelling_are_answered(host: bytes) -> None:
    assert guarded(LOOPBACK, "GET", [(b"host", host)])[0] == 200


def test_without_a_host_list_odd_hosts_are_not_an_error() -> None:
    assert guarded(None, "GET", [(b"host", b"[::1")])[0] == 200
    assert guarded(None, "POST", [(b"host", b"[::1"), (b"origin", b"http://[::1")])[0] == 403
