"""The service as a real process: ``python -m newsbrief.service`` (the ``serve`` command).

- a server killed with SIGKILL right after answering a POST keeps the article (WAL, commit
  before the answer): restart on the same database and GET it back;
- over a real socket, a chunked body that passes the limit is answered with 413 before the
  client has finished sending it;
- importing the command loads none of the service extras.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
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

    def __init__(self, db: Path, *extra: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.service", "--port", "0", "--db", str(db), "--no-access-log", *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        match = READY.search(line)
        if not match:
            self.proc.kill()
            raise AssertionError(f"server did not start: {line}{self.proc.stderr.read()}")
        self.url = match.group(1)
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
        if self.proc.stderr:
            self.proc.stderr.close()


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
        if server.proc.stderr:
            server.proc.stderr.close()
    assert server.proc.returncode == -signal.SIGKILL
    restarted = Server(db)
    try:
        got = httpx.get(f"{restarted.url}/v1/articles/{posted['id']}", timeout=30)
        assert got.status_code == 200
        assert got.json()["summary"]["highlights"] == posted["summary"]["highlights"]
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
