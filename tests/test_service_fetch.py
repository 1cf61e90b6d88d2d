"""URL fetching and its SSRF rules, without touching the internet.

Refusals are tested with literal addresses, odd spellings the system resolver turns into
loopback (``2130706433``, ``localhost``), and resolvers injected through ``FetchPolicy``. A
local HTTP server on 127.0.0.1 stands in for a public news site: the test policy resolves
``news.test`` to it and allows exactly that address and port, so redirects from it to
forbidden places exercise the per-hop checks for real.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("httpx")
pytest.importorskip("fastapi")

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402
from newsbrief.service.errors import ServiceError  # noqa: E402
from newsbrief.service.fetch import (  # noqa: E402
    BACKEND_PORTS,
    DestinationRefused,
    FetchPolicy,
    IPAddress,
    address_problem,
    fetch_url,
    guarded_transport,
    pinned_request,
)

SEED = (Path(__file__).parent / "fixtures" / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
PAGE = (
    "<!doctype html><html><head><title>Erdogan meets Putin</title></head><body><article>"
    + "".join(f"<p>{p}</p>" for p in SEED.split("\n\n")[8:20])
    + "</article></body></html>"
)


def ip(text: str) -> IPAddress:
    return ipaddress.ip_address(text)


def fetch(url: str, policy: FetchPolicy) -> Any:
    return asyncio.run(fetch_url(url, policy))


def refused(url: str, policy: FetchPolicy) -> ServiceError:
    with pytest.raises(ServiceError) as info:
        fetch(url, policy)
    return info.value


def no_dns(host: str, port: int) -> Any:
    raise AssertionError(f"resolver called for {host}")


# --- the address rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("fd00:ec2::254", "metadata"),
        ("fc00::1", "private"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not a globally routable"),  # shared address space (CGNAT)
        ("100.100.100.200", "metadata"),  # Alibaba Cloud
        ("168.63.129.16", "metadata"),  # Azure wire server: a public address, still refused
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "metadata"),
        ("2002:a00:1::1", "private"),  # 6to4 around 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 around 169.254.169.254
        ("fec0::1", "site-local"),
        ("198.18.0.1", "private"),  # benchmarking
        # regressions: Python 3.11 calls these global
        ("192.88.99.1", "not a globally routable"),  # deprecated 6to4 relay anycast
        ("192.0.0.255", "not a globally routable"),  # IETF protocol assignments
        ("192.0.0.8", "not a globally routable"),
        ("2002:c058:6301::1", "embedded in"),  # 6to4 around 192.88.99.1
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    problem = address_problem(ip(address), FetchPolicy())
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "151.101.1.67", "192.0.0.9", "192.0.0.10"],  # PCP, TURN
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ip(address), FetchPolicy()) is None


def test_metadata_stays_refused_even_when_its_network_is_allowed() -> None:
    policy = FetchPolicy(allow_networks=(ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("::/0")))
    assert "metadata" in (address_problem(ip("169.254.169.254"), policy) or "")
    assert "metadata" in (address_problem(ip("fd00:ec2::254"), policy) or "")
    assert address_problem(ip("169.254.1.1"), policy) is None


# --- refusals before any connection -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:80/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:10.0.0.1]/",
        "http://10.0.0.1/",
        "https://192.168.1.1/",
        "http://0.0.0.0/",
    ],
)
def test_literal_addresses_are_refused_without_dns(url: str) -> None:
    err = refused(url, FetchPolicy(resolver=no_dns))
    assert err.code == "url_forbidden"
    assert err.status == 403


@pytest.mark.parametrize("url", ["http://localhost/", "http://2130706433/", "http://0x7f.1/", "http://127.1/"])
def test_names_and_odd_spellings_are_judged_by_what_they_resolve_to(url: str) -> None:
    err = refused(url, FetchPolicy())  # the system resolver: /etc/hosts and numeric forms, no network
    assert err.code == "url_forbidden"
    assert "127.0.0.1" in err.message


def test_every_dns_answer_is_checked() -> None:
    async def mixed(host: str, port: int) -> list[IPAddress]:
        return [ip("93.184.215.14"), ip("10.0.0.5")]  # one public answer does not vouch for the other

    err = refused("http://news.example/", FetchPolicy(resolver=mixed))
    assert err.code == "url_forbidden"
    assert err.details["address"] == "10.0.0.5"

    async def metadata(host: str, port: int) -> list[IPAddress]:
        return [ip("fd00:ec2::254")]

    assert "metadata" in refused("https://sneaky.example/", FetchPolicy(resolver=metadata)).message


async def public(host: str, port: int) -> list[IPAddress]:
    return [ip("93.184.215.14")]


def test_only_allowed_ports() -> None:
    err = refused("http://news.example:6379/", FetchPolicy(resolver=public))
    assert err.code == "url_forbidden"
    assert "port 6379" in err.message


@pytest.mark.parametrize("url", ["http://news.example:0/", "https://news.example:0/", "http://[2606:4700::1]:0/"])
def test_an_explicit_port_0_is_refused_not_taken_for_the_default(url: str) -> None:
    """Regression: port 0 was checked as 80 (``url.port or 80``)."""
    policy = FetchPolicy(resolver=public, allowed_ports=frozenset({0, 80, 443}))  # even when listed
    err = refused(url, policy)
    assert err.code == "url_forbidden"
    assert "port 0" in err.message


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",  # unclosed IPv6 bracket
        "http://[::1]x/",
        "http://news.example:80abc/",
        "http://\u2603.com/",  # not valid IDNA (a symbol)
        "https://\u00ad/",  # a soft hyphen: empty after IDNA mapping
        "http://news.example:-1/",
        "http://news.example:99999/",
        "",
        "   ",
    ],
)
def test_hostile_urls_get_a_stable_code(url: str) -> None:
    err = refused(url, FetchPolicy(resolver=public))
    assert err.code in ("invalid_url", "url_forbidden")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "http://user:pw@example.com/", "http:///x"]
)
def test_invalid_urls(url: str) -> None:
    assert refused(url, FetchPolicy(resolver=no_dns)).code == "invalid_url"


def test_pinned_request_connects_to_the_checked_address_but_keeps_the_name() -> None:
    url = httpx.URL("https://news.example.com/world/story.html?x=1")
    request = pinned_request(url, ip("93.184.215.14"), FetchPolicy())
    assert request.url.host == "93.184.215.14"
    assert request.url.path == "/world/story.html"
    assert request.headers["host"] == "news.example.com"
    assert request.extensions["sni_hostname"] == "news.example.com"  # TLS name and certificate check
    v6 = pinned_request(httpx.URL("http://news.example.com:80/"), ip("2606:4700::1"), FetchPolicy())
    assert v6.url.host == "2606:4700::1"
    assert "sni_hostname" not in v6.extensions


# --- a local server standing in for a public site -------------------------------------------------


class _Site:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer()  # the fetcher may hang up on purpose (size or time cap)

            def _answer(self) -> None:
                site.requests.append((self.path, self.headers.get("Host", "")))
                port = site.port
                routes: dict[str, tuple[int, dict[str, str], bytes]] = {
                    "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode()),
                    "/mislabelled": (
                        200,
                        {"Content-Type": "text/html; charset=klingon"},
                        PAGE.encode("cp1252", "replace"),
                    ),
                    "/hop": (302, {"Location": "/article"}, b""),
                    "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
                    "/to-internal": (301, {"Location": f"http://internal.test:{port}/article"}, b""),
                    "/to-loopback": (307, {"Location": f"http://127.0.0.2:{port}/article"}, b""),
                    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
                    "/to-bad-ipv6": (302, {"Location": "http://[::1"}, b""),
                    "/to-bad-port": (302, {"Location": "http://news.test:80abc/"}, b""),
                    "/to-bad-idna": (
                        302,
                        {"Location": "http://\u00e2\u0098\u0083.com/"},
                        b"",
                    ),  # UTF-8 of a snowman, read as Latin-1
                    "/to-port-0": (302, {"Location": "http://news.test:0/article"}, b""),
                    "/to-colon": (302, {"Location": "http:127.0.0.1"}, b""),
                    "/loop": (302, {"Location": "/loop"}, b""),
                    "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG" + b"0" * 100),
                    "/missing": (404, {"Content-Type": "text/html"}, b"not here"),
                }
                if self.path == "/big":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()  # no Content-Length: the cap must count while streaming
                    for _ in range(64):
                        self.wfile.write(b"word " * 4000)
                    return
                if self.path == "/slow":
                    time.sleep(1.5)
                status, headers, body = routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def policy(self, **overrides: Any) -> FetchPolicy:
        names = {"news.test": "127.0.0.1", "internal.test": "10.0.0.7"}

        async def resolver(host: str, port: int) -> list[IPAddress]:
            if host not in names:
                raise ServiceError("url_fetch_failed", f"unknown test host {host}")
            return [ip(names[host])]

        settings: dict[str, Any] = {
            "resolver": resolver,
            "allow_networks": (ipaddress.ip_network("127.0.0.1/32"),),  # this one address plays "public"
            "allowed_ports": frozenset({self.port}),
            "timeout": 5.0,
        }
        settings.update(overrides)
        return FetchPolicy(**settings)

    def url(self, path: str) -> str:
        return f"http://news.test:{self.port}{path}"


@pytest.fixture(scope="module")
def site() -> Iterator[_Site]:
    s = _Site()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def fresh(site: _Site) -> _Site:
    site.requests.clear()
    return site


def test_fetch_from_an_allowed_host(fresh: _Site) -> None:
    got = fetch(fresh.url("/article"), fresh.policy())
    assert got.status == 200
    assert got.content_type == "text/html" and got.charset == "utf-8"
    assert b"Erdogan" in got.content
    assert got.address == "127.0.0.1"
    assert fresh.requests == [("/article", f"news.test:{fresh.port}")]  # pinned IP, real Host header


def test_redirects_are_followed_and_recorded(fresh: _Site) -> None:
    got = fetch(fresh.url("/hop"), fresh.policy())
    assert got.redirects == [fresh.url("/article")]
    assert [p for p, _ in fresh.requests] == ["/hop", "/article"]


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/to-metadata", "url_forbidden"),
        ("/to-internal", "url_forbidden"),  # a name that resolves to a private address
        ("/to-loopback", "url_forbidden"),  # another loopback address than the one allowed
        ("/to-file", "url_forbidden"),
        ("/to-port-0", "url_forbidden"),  # regression: port 0 was taken for 80
        # a malformed Location is the site's failure; "http:127.0.0.1" raised httpx.InvalidURL (a 500)
        ("/to-colon", "url_fetch_failed"),
        ("/to-bad-ipv6", "url_fetch_failed"),
        ("/to-bad-port", "url_fetch_failed"),
        ("/to-bad-idna", "url_fetch_failed"),
    ],
)
def test_redirects_to_forbidden_places_are_refused(fresh: _Site, path: str, code: str) -> None:
    err = refused(fresh.url(path), fresh.policy())
    assert err.code == code
    assert [p for p, _ in fresh.requests] == [path]  # the forbidden hop was never requested


def test_redirect_limit(fresh: _Site) -> None:
    err = refused(fresh.url("/loop"), fresh.policy(max_redirects=3))
    assert err.code == "url_fetch_failed"
    assert "redirects" in err.message
    assert len(fresh.requests) == 4


def test_size_cap_counts_while_streaming(fresh: _Site) -> None:
    err = refused(fresh.url("/big"), fresh.policy(max_bytes=100_000))
    assert err.code == "url_fetch_failed"
    assert "limit" in err.message


@pytest.mark.parametrize(("path", "text"), [("/image", "image/png"), ("/missing", "HTTP 404")])
def test_upstream_problems(fresh: _Site, path: str, text: str) -> None:
    err = refused(fresh.url(path), fresh.policy())
    assert err.code == "url_fetch_failed"
    assert err.status == 502
    assert text in err.message


def test_time_cap(fresh: _Site) -> None:
    t0 = time.perf_counter()
    err = refused(fresh.url("/slow"), fresh.policy(timeout=0.3))
    assert err.code == "timeout" and err.status == 504
    assert time.perf_counter() - t0 < 1.2


def test_dns_is_asked_once_per_hop_and_the_checked_address_is_used(fresh: _Site) -> None:
    """DNS rebinding: a second lookup would give a private address; there must not be one."""
    answers = iter([ip("127.0.0.1"), ip("10.0.0.1"), ip("10.0.0.1")])
    calls: list[str] = []

    async def rebinding(host: str, port: int) -> list[IPAddress]:
        calls.append(host)
        return [next(answers)]

    got = fetch(fresh.url("/article"), fresh.policy(resolver=rebinding))
    assert calls == ["news.test"]
    assert got.address == "127.0.0.1"
    assert len(fresh.requests) == 1


def test_the_api_fetches_and_refuses_through_the_same_rules(fresh: _Site, tmp_path: Path) -> None:
    config = ServiceConfig(db_path=tmp_path / "db.sqlite", allow_url_fetch=True, fetch=fresh.policy())
    with TestClient(create_app(config)) as client:
        r = client.post("/v1/articles", json={"url": fresh.url("/hop")})
        assert r.status_code == 201, r.text
        data = r.json()
        assert data["article"]["url"] == fresh.url("/article")
        assert data["article"]["input_format"] == "html"
        assert any("fetched from" in n for n in data["article"]["notes"])
        odd = client.post("/v1/summarize", json={"url": fresh.url("/mislabelled")})
        assert odd.status_code == 200, odd.text
        assert any("ignored the page's declared charset 'klingon'" in n for n in odd.json()["article"]["notes"])
        r = client.post("/v1/articles", json={"url": fresh.url("/to-metadata")})
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "url_forbidden"
        r = client.post("/v1/summarize", json={"url": fresh.url("/missing")})
        assert r.status_code == 502
        assert r.json()["error"]["code"] == "url_fetch_failed"
        r = client.post("/v1/summarize", json={"url": fresh.url("/to-colon")})  # was a 500 (InvalidURL)
        assert r.status_code == 502
        assert r.json()["error"]["code"] == "url_fetch_failed"


# --- the guarded transport for the operator's backends (llm) ----------------------------------------


class _Backend:
    """A loopback stand-in for an OpenAI-compatible endpoint that records what reaches it."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str]] = []
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _record(self) -> None:
                backend.requests.append((self.command, self.path, self.headers.get("Host", "")))

            def do_POST(self) -> None:  # noqa: N802
                self._record()
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/v1/redirect":
                    self.send_response(307)
                    self.send_header("Location", "http://10.0.0.1/v1/chat/completions")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b'{"choices": [{"message": {"content": "[]"}}]}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def backend() -> Iterator[_Backend]:
    b = _Backend()
    yield b
    b.server.shutdown()
    b.server.server_close()


@pytest.fixture
def quiet(backend: _Backend) -> _Backend:
    backend.requests.clear()
    return backend


def names(mapping: dict[str, list[str]]) -> Any:
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[IPAddress]:
        calls.append(host)
        if host not in mapping:
            raise httpx.ConnectError(f"unknown test host {host}")
        return [ip(a) for a in mapping[host]]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


def post(transport: httpx.BaseTransport, url: str) -> httpx.Response:
    with httpx.Client(transport=transport, timeout=10) as client:
        return client.post(url, json={"model": "m", "messages": []})


def test_backend_on_loopback_is_refused_unless_private_backends_are_allowed(quiet: _Backend) -> None:
    url = f"http://127.0.0.1:{quiet.port}/v1/chat/completions"
    with pytest.raises(DestinationRefused, match="loopback"):
        post(guarded_transport(FetchPolicy(), allowed_ports=BACKEND_PORTS), url)
    with pytest.raises(DestinationRefused, match="loopback"):  # a name is judged by its answer
        post(guarded_transport(FetchPolicy(), allowed_ports=BACKEND_PORTS), url.replace("127.0.0.1", "localhost"))
    assert quiet.requests == []  # refused before connecting: the listener received nothing
    r = post(guarded_transport(FetchPolicy(), allow_private=True, allowed_ports=BACKEND_PORTS), url)
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "[]"
    assert quiet.requests == [("POST", "/v1/chat/completions", f"127.0.0.1:{quiet.port}")]


def test_backend_request_goes_to_the_checked_address_under_its_own_name(quiet: _Backend) -> None:
    resolve = names({"ollama.test": ["127.0.0.1"]})
    transport = guarded_transport(FetchPolicy(), allow_private=True, allowed_ports=BACKEND_PORTS, resolver=resolve)
    with httpx.Client(transport=transport, timeout=10) as client:
        for _ in range(2):
            assert client.post(f"http://ollama.test:{quiet.port}/v1/chat/completions", json={}).status_code == 200
    assert quiet.requests == [("POST", "/v1/chat/completions", f"ollama.test:{quiet.port}")] * 2  # Host kept
    assert resolve.calls == ["ollama.test", "ollama.test"]  # checked per request


def test_every_backend_dns_answer_is_checked_even_with_private_allowed(quiet: _Backend) -> None:
    resolve = names({"sneaky.test": ["127.0.0.1", "169.254.169.254"], "v6.test": ["fd00:ec2::254"]})
    transport = guarded_transport(FetchPolicy(), allow_private=True, allowed_ports=BACKEND_PORTS, resolver=resolve)
    with pytest.raises(DestinationRefused, match="metadata"):
        post(transport, f"http://sneaky.test:{quiet.port}/v1/chat/completions")
    with pytest.raises(DestinationRefused, match="metadata"):
        post(transport, "http://v6.test/v1/chat/completions")
    with pytest.raises(DestinationRefused, match="metadata"):
        post(transport, "http://[::ffff:169.254.169.254]/latest/meta-data/")
    assert quiet.requests == []


def test_backend_ports_and_schemes(quiet: _Backend) -> None:
    local = guarded_transport(FetchPolicy(), allow_private=True, allowed_ports=BACKEND_PORTS)
    with pytest.raises(DestinationRefused, match="port 0"):
        post(local, "http://127.0.0.1:0/v1/chat/completions")
    with pytest.raises(DestinationRefused, match=f"port {quiet.port}"):  # the policy's 80/443 by default
        post(guarded_transport(FetchPolicy(), allow_private=True), f"http://127.0.0.1:{quiet.port}/v1/x")
    with pytest.raises(DestinationRefused, match="only http and https"):
        local.handle_request(httpx.Request("GET", "ftp://127.0.0.1/x"))
    assert quiet.requests == []


def test_backend_redirects_are_not_followed(quiet: _Backend) -> None:
    transport = guarded_transport(FetchPolicy(), allow_private=True, allowed_ports=BACKEND_PORTS)
    with (
        httpx.Client(transport=transport, timeout=10, follow_redirects=True) as client,
        pytest.raises(DestinationRefused, match="redirects are not followed"),
    ):
        client.post(f"http://127.0.0.1:{quiet.port}/v1/redirect", json={})
    assert quiet.requests == [("POST", "/v1/redirect", f"127.0.0.1:{quiet.port}")]
