"""No client request reaches the network or the server's secrets, and hostile bodies get 4xx.

Every case here was found by an attacker-style test of the service (issue 11): a client that
names the LLM endpoint, the API key's environment variable or a model path; bodies nested
1,000 deep, numbers of 5,000 digits, ``NaN`` settings, lone surrogates, NULs in queries. A
loopback listener stands in for "anywhere": it must receive nothing.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402

SEED = (Path(__file__).parent / "fixtures" / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
SECRET = "sk-test-secret-value-0123456789"


class Listener:
    """A TCP server on loopback that records every connection and what it was sent."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                try:
                    self.received.append(conn.recv(65536))
                except OSError:
                    self.received.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("NEWSBRIEF_TEST_SECRET", SECRET)
    with TestClient(create_app(ServiceConfig(db_path=tmp_path / "a.db")), raise_server_exceptions=False) as c:
        yield c


def _error(response: Any) -> tuple[int, str]:
    assert SECRET not in response.text
    return response.status_code, response.json()["error"]["code"]


def test_a_client_cannot_point_the_server_at_a_host_or_an_environment_variable(
    client: TestClient, listener: Listener
) -> None:
    hostile = {"base_url": listener.url, "model": "x", "api_key_env": "NEWSBRIEF_TEST_SECRET"}
    spec = f"llm:base_url={listener.url},model=x,api_key_env=NEWSBRIEF_TEST_SECRET"
    answers = [
        client.post("/v1/summarize", json={"text": SEED, "method": "llm", "settings": hostile}),
        client.post("/v1/articles", json={"text": SEED, "method": "llm", "settings": hostile}),
        client.post("/v1/summarize", json={"text": SEED, "method": spec}),
        client.post(
            "/v1/summarize", params={"method": spec}, content=SEED.encode(), headers={"Content-Type": "text/plain"}
        ),
        client.post("/v1/articles", data={"text": SEED, "method": "llm", "settings": json.dumps(hostile)}),
        client.post(
            "/v1/articles",
            data={"method": "llm", "settings": json.dumps(hostile)},
            files={"file": ("a.txt", SEED.encode(), "text/plain")},
        ),
        client.post("/v1/summarize", json={"text": SEED, "method": "hf", "settings": {"model": "/etc"}}),
        client.post("/v1/summarize", json={"text": SEED, "method": "hf:model=/etc"}),
    ]
    for r in answers:
        assert _error(r) == (403, "method_not_enabled"), r.text
    assert listener.received == []


def test_operator_settings_stay_the_operators_even_when_the_method_is_enabled(
    tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBRIEF_TEST_SECRET", SECRET)
    methods = {"highlights": {}, "llm": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}}
    config = ServiceConfig(db_path=tmp_path / "a.db", methods=methods)
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        for settings in (
            {"base_url": listener.url},
            {"api_key_env": "NEWSBRIEF_TEST_SECRET"},
            {"model": "other"},
            {"timeout": 3000},
            {"max_retries": 20},
        ):
            r = c.post("/v1/summarize", json={"text": SEED, "method": "llm", "settings": settings})
            assert _error(r) == (403, "setting_not_allowed"), (settings, r.text)
        r = c.post("/v1/summarize", json={"text": SEED, "method": "highlights", "settings": {"n": 99}})
        assert _error(r) == (422, "invalid_request")
        methods_shown = c.get("/v1/methods").json()["methods"]
    assert listener.received == []
    llm = next(m for m in methods_shown if m["name"] == "llm")
    shown = {s["name"] for s in llm["settings"]}
    assert "base_url" not in shown and "api_key_env" not in shown and {"n", "temperature"} <= shown
    assert llm["fixed"] == ["base_url", "model"]
    assert "127.0.0.1:9" not in json.dumps(methods_shown)  # the operator's endpoint is not shown


def test_methods_lists_only_what_the_operator_enabled(client: TestClient) -> None:
    names = [m["name"] for m in client.get("/v1/methods").json()["methods"]]
    assert names == ["highlights", "lead", "lead-words"]
    assert client.get("/healthz").json()["features"]["methods"] == names


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "x", "settings": {"a": ' + _nested(2000) + "}}",
        _nested(100_000),
        '{"text": "x", "settings": {"n": ' + "7" * 5000 + "}}",
        '{"text": "' + "a" * 10 + '", "n": ' + "-" + "1" * 4400 + "}",
    ],
    ids=["settings-2000-deep", "body-100000-deep", "int-5000-digits", "negative-int-4400-digits"],
)
def test_bodies_past_parser_limits_are_400(client: TestClient, body: str) -> None:
    r = client.post("/v1/summarize", content=body.encode(), headers={"Content-Type": "application/json"})
    assert _error(r) == (400, "invalid_json")
    assert client.get("/healthz").status_code == 200


def test_a_deep_multipart_settings_field_is_400(client: TestClient) -> None:
    r = client.post("/v1/summarize", data={"text": SEED, "settings": '{"a": ' + _nested(5000) + "}"})
    assert _error(r) == (400, "invalid_json")


@pytest.mark.parametrize("path", ["/v1/summarize", "/v1/articles", "/v1/check"])
def test_lone_surrogates_are_replaced_not_a_500(client: TestClient, path: str) -> None:
    text = json.dumps(SEED).replace("Turkish President", "Tur\\ud800kish President", 1)  # the escape a client sends
    body = '{"text": ' + text + (', "summary": "Erdogan met Pu\\udfffin."' if path == "/v1/check" else "") + "}"
    r = client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code in (200, 201), r.text
    assert r.json()["article"]["body"].startswith("Tur\ufffdkish President")


def test_nul_in_a_search_query_is_422(client: TestClient) -> None:
    r = client.get("/v1/search", params={"q": "putin\x00"})
    assert _error(r) == (422, "invalid_request")


def test_an_unreachable_operator_backend_is_502_not_500(tmp_path: Path) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    methods = {"llm": {"base_url": f"http://127.0.0.1:{port}/v1", "model": "m", "max_retries": 0, "timeout": 2.0}}
    config = ServiceConfig(db_path=tmp_path / "a.db", methods=methods, allow_private_backends=True)
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        r = c.post("/v1/summarize", json={"text": SEED, "method": "llm"})
    assert _error(r) == (502, "backend_failed")
    assert "could not be reached" in r.json()["error"]["message"]


class FakeOpenAI:
    """A loopback OpenAI-compatible endpoint that answers every chat completion with two highlights."""

    def __init__(self, highlights: list[str]) -> None:
        import http.server

        answer = json.dumps({"choices": [{"message": {"content": json.dumps({"highlights": highlights})}}]}).encode()
        seen = self.requests = []  # type: list[dict[str, Any]]

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                seen.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": self.rfile.read(length)}
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI(
        [
            "Turkish President Recep Tayyip Erdogan is in St. Petersburg to meet Vladimir Putin.",
            "Putin announced a $5 billion loan to Turkey.",
        ]
    )
    yield server
    server.close()


@pytest.mark.parametrize("allow_private", [False, True])
def test_the_operators_llm_goes_through_the_address_guard(
    tmp_path: Path, fake_llm: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, allow_private: bool
) -> None:
    monkeypatch.setenv("NEWSBRIEF_TEST_SECRET", SECRET)
    # A refusal is final: with retries every 60 s it would outlast the request's 5 s and be a 504.
    llm = {"base_url": fake_llm.url, "model": "m", "api_key_env": "NEWSBRIEF_TEST_SECRET", "backoff": 60.0}
    config = ServiceConfig(
        db_path=tmp_path / "a.db", methods={"llm": llm}, allow_private_backends=allow_private, request_timeout=5
    )
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        r = c.post("/v1/summarize", json={"text": SEED, "method": "llm", "settings": {"n": 2}})
    if not allow_private:  # a loopback endpoint is refused before any connection is made
        assert _error(r) == (502, "backend_failed")
        assert "127.0.0.1" in r.json()["error"]["message"]
        assert fake_llm.requests == []
        return
    assert r.status_code == 200, r.text
    assert SECRET not in r.text
    assert [h["text"] for h in r.json()["highlights"]][0].startswith("Turkish President")
    assert len(fake_llm.requests) == 1 and fake_llm.requests[0]["auth"] == f"Bearer {SECRET}"


@pytest.mark.parametrize("charset", ["zlib", "rot13", "base64", "idna", "punycode"])
def test_a_fetched_pages_codec_charset_is_ignored_with_a_note(tmp_path: Path, charset: str) -> None:
    import ipaddress

    import httpx

    from newsbrief.service.fetch import FetchPolicy

    async def public(host: str, port: int) -> list[Any]:
        return [ipaddress.ip_address("93.184.216.34")]

    def site(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": f"text/plain; charset={charset}"}
        return httpx.Response(200, headers=headers, content=SEED.encode("utf-8"))

    config = ServiceConfig(db_path=tmp_path / "a.db", allow_url_fetch=True, fetch=FetchPolicy(resolver=public))
    app = create_app(config, fetch_transport=httpx.MockTransport(site))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/v1/summarize", json={"url": "http://news.example/story"})
    assert r.status_code == 200, r.text
    assert any(f"ignored the page's declared charset {charset!r}" in n for n in r.json()["article"]["notes"])


@pytest.mark.parametrize("charset", ["idna", "punycode", "rot13", "zlib"])
def test_a_codec_charset_on_a_raw_body_is_a_422(client: TestClient, charset: str) -> None:
    r = client.post("/v1/summarize", content=SEED.encode(), headers={"Content-Type": f"text/plain; charset={charset}"})
    assert _error(r) == (422, "unreadable_input")
    assert "not a text encoding" in r.json()["error"]["message"]


def test_operator_settings_are_checked_and_typed_like_any_other(tmp_path: Path) -> None:
    # A list from a TOML file or Python config is coerced to the method's type, not passed raw.
    methods = {"highlights": {"cuts": ["clause"], "n": "2"}}
    with TestClient(create_app(ServiceConfig(db_path=tmp_path / "a.db", methods=methods))) as c:
        r = c.post("/v1/summarize", json={"text": SEED})
    assert r.status_code == 200, r.text
    assert r.json()["settings"]["cuts"] == ["clause"]
    assert len(r.json()["highlights"]) == 2
