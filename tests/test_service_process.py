"""The service as a real process: ``python -m newsbrief.service`` (the ``serve`` command).

- a server killed with SIGKILL right after answering a POST keeps the article (WAL, commit
  before the answer): restart on the same database and GET it back;
- over a real socket, a chunked body that passes the limit is answered with 413 before the
  client has finished sending it;
- importing the command loads none of the service extras;
- SIGTERM stops the server within a few seconds with a request in flight, and a watchdog
  ends it even when the application's own shutdown hangs;
- 1,100 idle sockets against a server whose descriptor limit is 1,024 do not stop ``/healthz``
  (the connection limit closes the oldest idle ones);
- a 413 reaches ``http.client``, which sends the whole body before reading the answer.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

SEED = (Path(__file__).parent / "fixtures" / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
READY = re.compile(r"serving (http://[\d.]+:\d+)/")


class Server:
    """``python -m newsbrief.service --port 0``; the URL is read from its first stderr line."""

    def __init__(self, db: Path, *extra: str, open_files: int | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.service", "--port", "0", "--db", str(db), "--no-access-log", *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=None if open_files is None else lambda: _limit_open_files(open_files),
        )
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        match = READY.search(line)
        if not match:
            self.proc.kill()
            raise AssertionError(f"server did not start: {line}{self.proc.stderr.read()}")
        self.url = match.group(1)
        self.log: list[str] = []  # the rest of stderr, drained: a full pipe would stall the server
        self._drain = threading.Thread(target=lambda: self.log.extend(self.proc.stderr or ()), daemon=True)
        self._drain.start()
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.proc.kill()
                raise AssertionError("server did not become healthy")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.close()

    def close(self) -> None:
        """After the process has ended: the drained log complete, the pipe closed."""
        self._drain.join(timeout=10)
        if self.proc.stderr:
            self.proc.stderr.close()


def _limit_open_files(n: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))  # soft and hard: the server cannot raise it


def _wait(proc: subprocess.Popen[str], limit: float) -> int | None:
    """The exit code, or None if the process still runs after ``limit`` seconds (bounded wait)."""
    try:
        return proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        return None


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "articles.db"


def test_the_database_survives_a_killed_server(db: Path) -> None:
    server = Server(db)
    try:
        r = httpx.post(f"{server.url}/v1/articles", json={"text": SEED}, timeout=30)
        assert r.status_code == 201, r.text
        posted = r.json()
        other = httpx.post(
            f"{server.url}/v1/articles",
            json={"text": "A short note.\n\nThe ferry left the harbour at noon on Monday with ten cars."},
            timeout=30,
        )
        assert other.status_code == 201
    finally:
        server.proc.kill()  # SIGKILL: no shutdown, no checkpoint, no cleanup
        server.proc.wait()
        server.close()
    assert server.proc.returncode == -signal.SIGKILL
    restarted = Server(db)
    try:
        got = httpx.get(f"{restarted.url}/v1/articles/{posted['id']}", timeout=30)
        assert got.status_code == 200
        assert got.json()["highlights"] == posted["highlights"]
        assert httpx.get(f"{restarted.url}/v1/articles", timeout=30).json()["total"] == 2
        assert httpx.get(f"{restarted.url}/v1/search", params={"q": "ferry"}, timeout=30).json()["total"] == 1
    finally:
        restarted.stop()


def test_a_chunked_body_is_refused_before_it_ends(db: Path) -> None:
    server = Server(db, "--max-body-bytes", "100000")
    try:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                b"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            chunk = b"a" * 16_384
            for _ in range(8):  # 128 kB: over the limit, and the body is still open (no final 0-chunk)
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.settimeout(10)
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                data = sock.recv(65536)
                if not data:
                    break
                reply += data
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"connection: close" in head.lower()
        assert json.loads(body)["error"]["code"] == "body_too_large"
        assert httpx.get(f"{server.url}/v1/articles", timeout=10).json()["total"] == 0
        # serve on loopback answers only to loopback names (DNS rebinding guard)
        rebound = httpx.get(f"{server.url}/healthz", headers={"Host": "attacker.example"}, timeout=10)
        assert rebound.status_code == 400
        assert rebound.json()["error"]["code"] == "host_not_allowed"
    finally:
        server.stop()


def test_serve_help_and_lazy_imports() -> None:
    code = (
        "import sys; from newsbrief.service.cli import serve_command; "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'httpx', 'starlette', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
    helped = subprocess.run(
        [sys.executable, "-m", "newsbrief.service", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    for option in ("--host", "--port", "--db", "--allow-url-fetch", "--max-body-bytes", "--timeout"):
        assert option in helped.stdout


def test_port_in_use_is_a_one_line_error(db: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "newsbrief.service", "--port", str(port), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert out.returncode == 2
    assert out.stderr.strip().startswith("newsbrief: error: cannot listen on 127.0.0.1:")
    assert "Traceback" not in out.stderr


def test_sigterm_stops_the_server_with_a_request_in_flight(db: Path) -> None:
    """Regression: shutdown waited max(5, --timeout) = 30 s for requests in flight."""
    server = Server(db, "--shutdown-timeout", "1")  # the default (3 s) is checked in test_service_cli
    try:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            # a request in flight: the server waits for the rest of a body that never comes
            sock.sendall(
                b"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 100000\r\n\r\n" + b"a" * 1000
            )
            assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200  # it has been read
            server.proc.send_signal(signal.SIGTERM)
            code = _wait(server.proc, 15)
        assert code is not None, "the server was still running 15 s after SIGTERM"
        assert code in (0, -signal.SIGTERM)
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
        server.close()


_HANGING_SHUTDOWN = """
import socket, threading
from newsbrief.service.server import EdgeSettings, build_server

async def app(scope, receive, send):
    assert scope["type"] == "lifespan"
    await receive()
    await send({"type": "lifespan.startup.complete"})
    await receive()
    threading.Event().wait()  # the application's shutdown never ends (a stuck worker)

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
build_server(app, EdgeSettings(shutdown_timeout=0.2, exit_grace=0.5), log_level="critical").run(sockets=[sock])
"""


def test_a_hanging_shutdown_is_ended_by_the_watchdog() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HANGING_SHUTDOWN], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        deadline = time.monotonic() + 20
        while True:  # the server is up once it accepts a connection
            try:
                socket.create_connection(("127.0.0.1", port), timeout=10).close()
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        code = _wait(proc, 15)
        assert code == 1, f"exit code {code}"
        assert proc.stderr is not None and "exiting now" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


@pytest.mark.slow  # ~9 s: with its accept queue full the kernel makes the flood's connects wait
def test_idle_sockets_do_not_exhaust_descriptors(db: Path) -> None:
    """Regression: 1,100 idle sockets took the server to its 1,024-descriptor limit; /healthz died."""
    from newsbrief.service.server import raise_open_files_limit

    if raise_open_files_limit() < 1_300:
        pytest.skip("this test process may not open 1,100 sockets")
    server = Server(db, open_files=1024)
    idle: list[socket.socket] = []
    try:
        host, port = server.url.removeprefix("http://").split(":")
        for _ in range(1_100):
            idle.append(socket.create_connection((host, int(port)), timeout=10))
        for _ in range(3):
            r = httpx.get(f"{server.url}/healthz", timeout=10)
            assert r.status_code == 200 and r.json()["status"] == "ok"
    finally:
        for sock in idle:
            sock.close()
        server.stop()


def test_a_413_reaches_a_client_that_sends_the_whole_body_first(db: Path) -> None:
    """Regression: http.client (requests, urllib) saw BrokenPipeError instead of the 413."""
    import http.client

    server = Server(db, "--max-body-bytes", "100000")
    try:
        host, port = server.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request("POST", "/v1/articles", body=b"a" * 3_000_000, headers={"Content-Type": "text/plain"})
            response = conn.getresponse()
            assert response.status == 413
            assert json.loads(response.read())["error"]["code"] == "body_too_large"
        finally:
            conn.close()
    finally:
        server.stop()
