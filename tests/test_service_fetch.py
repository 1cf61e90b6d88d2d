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
    FetchPolicy,
    IPAddress,
    address_problem,
    fetch_url,
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
    ],
)
def test_non_public_addresses_are_refused(address: str, reason: str) -> None:
    problem = address_problem(ip(address), FetchPolicy())
    assert problem is not None and reason in problem


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "151.101.1.67"])
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


def test_only_allowed_ports() -> None:
    async def public(host: str, port: int) -> list[IPAddress]:
        return [ip("93.184.215.14")]

    err = refused("http://news.example:6379/", FetchPolicy(resolver=public))
    assert err.code == "url_forbidden"
    assert "port 6379" in err.message


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
