"""Fetching an article from a URL without letting the URL reach inside the network (SSRF).

A server that fetches URLs for its clients can be pointed at addresses only it can reach:
``http://169.254.169.254/`` (cloud credentials), ``http://localhost:6379/``, the office
intranet. The rules, each for a way around the obvious check:

1. **Off by default** (``--allow-url-fetch``); only ``http``/``https``, no credentials in the
   URL, only ports in ``FetchPolicy.allowed_ports`` (80 and 443).
2. **Check addresses, not names**: the host is resolved first and *every* DNS answer must be
   public (not private, loopback, link-local, multicast, reserved, unspecified, shared/CGNAT
   or otherwise non-global, and never a cloud metadata address). Odd spellings
   (``2130706433``, ``0x7f.1``, ``[::ffff:127.0.0.1]``) resolve to the address they mean and
   are judged by it; IPv6 forms that embed an IPv4 address (mapped, 6to4, Teredo, NAT64) are
   judged by the embedded address too.
3. **Pin the checked address**: the request goes to the IP that was checked (the URL's host is
   replaced by the IP; ``Host`` header and TLS SNI/certificate check keep the real name), so a
   second DNS lookup cannot return something else (DNS rebinding). No proxies from the
   environment; no connection reuse between hops.
4. **Redirects by hand**: each ``Location`` is checked like the first URL (scheme, port,
   resolve, every answer, pin), at most ``max_redirects`` hops.
5. **Caps**: total time (``timeout``), response size (``max_bytes``, counted while streaming),
   text or HTML content types only.

Tests inject ``FetchPolicy.resolver`` and ``FetchPolicy.allow_networks`` to let a local test
server stand in for a public site; metadata addresses stay refused even then.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import threading
from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import httpx

from newsbrief import __version__
from newsbrief.service.errors import ServiceError

__all__ = [
    "BACKEND_PORTS",
    "DestinationRefused",
    "FetchPolicy",
    "Fetched",
    "GuardedTransport",
    "IPAddress",
    "address_problem",
    "fetch_url",
    "guarded_transport",
    "pinned_request",
    "system_resolver",
    "url_port",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
SyncResolver = Callable[[str, int], list[IPAddress]]

# Never fetched, whatever else a policy allows: instance metadata and cloud-internal services.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle metadata
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.123",  # AWS time sync
        "169.254.169.253",  # AWS DNS
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "fd00:ec2::123",
        "100.100.100.200",  # Alibaba Cloud metadata
        "192.0.0.192",  # Oracle Cloud (classic) metadata
        "168.63.129.16",  # Azure wire server (a public address!)
    )
)
# Not globally routable although some Python versions say they are (rules as data): the IETF
# protocol assignments block (its two anycast exceptions are public) and the deprecated 6to4
# relay anycast prefix (RFC 7526), which forwards to whatever relay is nearest.
_NON_GLOBAL: tuple[tuple[IPNetwork, frozenset[IPAddress]], ...] = (
    (
        ipaddress.ip_network("192.0.0.0/24"),
        frozenset({ipaddress.ip_address("192.0.0.9"), ipaddress.ip_address("192.0.0.10")}),  # PCP, TURN anycast
    ),
    (ipaddress.ip_network("192.88.99.0/24"), frozenset()),
)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown"})


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """All addresses the system resolver gives for ``host`` (A and AAAA), in its order."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:  # gaierror, IDNA trouble, NUL bytes
        raise ServiceError("url_fetch_failed", f"cannot resolve {host!r}: {exc}") from None
    out: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in out:
            out.append(ip)
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """What URL fetching may reach and how much it may take."""

    max_bytes: int = 5_000_000  # response body, after content decoding
    timeout: float = 10.0  # seconds for the whole fetch, all hops
    max_redirects: int = 5
    allowed_ports: frozenset[int] = frozenset({80, 443})
    # Addresses to treat as public although they are not: for tests (a local server standing in
    # for a news site) and closed intranets. Metadata addresses are refused even when listed.
    allow_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver | None = None  # None: the system resolver
    user_agent: str = f"newsbrief/{__version__} (article fetcher)"


@dataclass(slots=True)
class Fetched:
    """A fetched document: the bytes and what is needed to decode and parse them."""

    url: str  # the final URL, after redirects
    content: bytes
    content_type: str | None
    charset: str | None
    status: int
    address: str  # the IP the content came from
    redirects: list[str] = field(default_factory=list)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: IPAddress, policy: FetchPolicy | None = None) -> str | None:
    """Why ``ip`` must not be fetched from (``None``: it is a public address)."""
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    embedded = _embedded_ipv4(ip)
    if embedded is not None and embedded in METADATA_ADDRESSES:
        return f"a cloud metadata address (embedded in {ip})"
    if policy is not None and any(ip.version == net.version and ip in net for net in policy.allow_networks):
        return None
    if embedded is not None:
        inner = address_problem(embedded, policy)
        if inner is not None:
            return f"{inner} (embedded in {ip})"
    for attr, label in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    ):
        if getattr(ip, attr):
            return label
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    for net, exceptions in _NON_GLOBAL:
        if ip.version == net.version and ip in net and ip not in exceptions:
            return "not a globally routable address"
    if not ip.is_global:
        return "not a globally routable address"
    return None


@dataclass(frozen=True, slots=True)
class _Target:
    url: httpx.URL
    addresses: list[IPAddress]


def _parse_url(raw: str, base: httpx.URL | None = None) -> httpx.URL:
    """The URL (``raw`` joined to ``base`` for a redirect), or ``invalid_url``: never another error."""
    try:
        url = httpx.URL(raw) if base is None else base.join(raw)
        url.raw_host.decode("ascii")
    except (httpx.InvalidURL, TypeError, ValueError) as exc:  # UnicodeError is a ValueError
        raise ServiceError("invalid_url", f"not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https"):
        raise ServiceError(
            "invalid_url", f"only http and https URLs are fetched, not {url.scheme or 'a relative URL'!r}"
        )
    if not url.host:
        raise ServiceError("invalid_url", "the URL has no host")
    if url.userinfo:
        raise ServiceError("invalid_url", "URLs with a user name or password are not fetched")
    return url.copy_with(fragment=None)


def url_port(url: httpx.URL) -> int:
    """The port a URL connects to: an explicit one (0 included: it is refused, not 80) or the default."""
    if url.port is not None:
        return url.port
    return 443 if url.scheme == "https" else 80


async def _check(url: httpx.URL, policy: FetchPolicy) -> _Target:
    """Resolve the URL's host and refuse it unless every address and the port are allowed."""
    port = url_port(url)
    if not 0 < port < 65536 or port not in policy.allowed_ports:
        allowed = ", ".join(str(p) for p in sorted(policy.allowed_ports))
        raise ServiceError(
            "url_forbidden", f"port {port} is not fetched (allowed: {allowed})", details={"url": str(url)}
        )
    host = url.raw_host.decode("ascii")  # IDNA-encoded: what DNS is asked (checked ASCII by _parse_url)
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]
    except ValueError:
        resolver = policy.resolver or system_resolver
        addresses = await resolver(host, port)
    if not addresses:
        raise ServiceError("url_fetch_failed", f"{host!r} has no addresses")
    for ip in addresses:
        problem = address_problem(ip, policy)
        if problem is not None:
            where = "" if str(ip) == host else f" ({host} resolves to {ip})"
            raise ServiceError(
                "url_forbidden",
                f"refusing to fetch {url}: {ip} is {problem}{where}",
                details={"url": str(url), "address": str(ip), "reason": problem},
            )
    return _Target(url, addresses)


def pinned_request(url: httpx.URL, ip: IPAddress, policy: FetchPolicy) -> httpx.Request:
    """A GET for ``url`` that connects to ``ip``, keeping the name for Host, SNI and the certificate."""
    pinned = url.copy_with(host=str(ip))
    extensions: dict[str, Any] = {
        "timeout": httpx.Timeout(policy.timeout).as_dict(),
    }
    if url.scheme == "https":
        extensions["sni_hostname"] = url.raw_host.decode("ascii")
    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    return httpx.Request("GET", pinned, headers=headers, extensions=extensions)


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def _client(transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    # trust_env=False: an HTTP(S)_PROXY from the environment would connect by name and undo the pinning.
    return httpx.AsyncClient(
        transport=transport or httpx.AsyncHTTPTransport(verify=_ssl_context(), retries=0, trust_env=False),
        follow_redirects=False,
        trust_env=False,
    )


async def fetch_url(url: str, policy: FetchPolicy, *, transport: httpx.AsyncBaseTransport | None = None) -> Fetched:
    """Fetch ``url`` under ``policy``: raises ``ServiceError`` (url_forbidden, url_fetch_failed, timeout...)."""
    try:
        async with asyncio.timeout(policy.timeout):
            return await _fetch(url, policy, transport)
    except TimeoutError:
        raise ServiceError("timeout", f"fetching {url} took longer than {policy.timeout:g} s") from None


async def _fetch(raw_url: str, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None) -> Fetched:
    url = _parse_url(raw_url)
    redirects: list[str] = []
    while True:
        target = await _check(url, policy)
        response, ip, client = await _connect(target, policy, transport)
        try:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                if len(redirects) >= policy.max_redirects:
                    raise ServiceError(
                        "url_fetch_failed",
                        f"more than {policy.max_redirects} redirects",
                        details={"redirects": redirects},
                    )
                try:
                    url = _parse_url(location, base=url)
                except ServiceError as exc:
                    raise ServiceError(
                        "url_forbidden",
                        f"redirect to a URL that is not fetched: {exc.message}",
                        details={"location": location},
                    ) from None
                redirects.append(str(url))
                continue
            if response.status_code >= 400:
                raise ServiceError(
                    "url_fetch_failed",
                    f"{url} answered HTTP {response.status_code}",
                    details={"status": response.status_code},
                )
            if not 200 <= response.status_code < 300:
                raise ServiceError("url_fetch_failed", f"{url} answered HTTP {response.status_code} without content")
            mime, charset = _content_type(response.headers.get("content-type"))
            if mime is not None and mime not in _CONTENT_TYPES:
                raise ServiceError(
                    "url_fetch_failed", f"{url} is {mime}, not text or HTML", details={"content_type": mime}
                )
            content = await _read_capped(response, policy.max_bytes, url)
            return Fetched(str(url), content, mime, charset, response.status_code, str(ip), redirects)
        finally:
            await response.aclose()
            await client.aclose()


async def _connect(
    target: _Target, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None
) -> tuple[httpx.Response, IPAddress, httpx.AsyncClient]:
    """Send the request to each checked address in turn until one connects (a fresh client per hop)."""
    errors: list[str] = []
    for ip in target.addresses:
        client = _client(transport)
        try:
            response = await client.send(pinned_request(target.url, ip, policy), stream=True)
            return response, ip, client
        except httpx.TimeoutException:
            await client.aclose()
            raise ServiceError("timeout", f"{target.url} did not answer in time") from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
            await client.aclose()
            # httpx reads a redirect's Location as the answer arrives, and raises on a malformed
            # one (``http:127.0.0.1``, ``http://[::1``): the site answered, with a bad redirect.
            if isinstance(exc, httpx.InvalidURL) or "location header" in str(exc).lower():
                raise ServiceError(
                    "url_fetch_failed",
                    f"{target.url} redirected to an invalid URL ({exc})",
                    details={"url": str(target.url)},
                ) from None
            errors.append(f"{ip}: {type(exc).__name__}: {exc}".rstrip(": "))
    raise ServiceError("url_fetch_failed", f"cannot connect to {target.url}", details={"attempts": errors})


async def _read_capped(response: httpx.Response, max_bytes: int, url: httpx.URL) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ServiceError("url_fetch_failed", f"{url} is {int(declared)} bytes, over the {max_bytes}-byte limit")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise ServiceError("url_fetch_failed", f"{url} is over the {max_bytes}-byte limit")
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise ServiceError("timeout", f"{url} sent its content too slowly") from None
    except httpx.HTTPError as exc:
        raise ServiceError("url_fetch_failed", f"reading {url} failed: {type(exc).__name__}: {exc}") from None
    return b"".join(chunks)


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    mime, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip('"').lower()
    return mime.strip().lower() or None, charset


# --- outbound calls to the operator's backends (the llm method) ---------------------------------

# Any real port: a local Ollama listens on 11434, vLLM on 8000. Port 0 is never a destination.
BACKEND_PORTS: Container[int] = range(1, 65536)


class DestinationRefused(httpx.TransportError):
    """The address guard refused the destination; nothing was sent.

    A ``TransportError`` because, for the caller, the endpoint could not be reached; the
    message says why (scheme, port, which DNS answer is which kind of address, a redirect).
    ``retryable`` is False: asking again gets the same answer, so callers do not retry it.
    """

    retryable = False


def _system_resolver_sync(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:
        raise httpx.ConnectError(f"cannot resolve {host!r}: {exc}") from None
    out: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in out:
            out.append(ip)
    return out


def _is_metadata(ip: IPAddress) -> bool:
    embedded = _embedded_ipv4(ip)
    return ip in METADATA_ADDRESSES or (embedded is not None and embedded in METADATA_ADDRESSES)


class GuardedTransport(httpx.BaseTransport):
    """A sync httpx transport that sends a request only to an address the guard allows.

    Per request: http(s) only; the port must be in ``allowed_ports``; the host is resolved and
    *every* answer checked (``address_problem`` under ``policy``; with ``allow_private`` only
    metadata addresses are refused); the connection goes to the checked IP (Host header and
    TLS SNI/certificate keep the name), so a second lookup cannot differ. A redirect answer
    raises ``DestinationRefused``: an API endpoint has no business sending the caller elsewhere.
    Connections are pooled per (scheme, name, IP, port), never shared between names.
    """

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        allow_private: bool = False,
        allowed_ports: Container[int] | None = None,
        resolver: SyncResolver | None = None,
    ) -> None:
        self.policy = policy
        self.allow_private = allow_private
        self.allowed_ports = policy.allowed_ports if allowed_ports is None else allowed_ports
        self._resolver = resolver
        self._pools: dict[tuple[str, str, str, int], httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def problem(self, ip: IPAddress) -> str | None:
        """Why a request must not go to ``ip`` (``None``: it may)."""
        if self.allow_private:
            return "a cloud metadata address" if _is_metadata(ip) else None
        return address_problem(ip, self.policy)

    def _resolve(self, host: str, port: int) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        if self._resolver is not None:
            return self._resolver(host, port)
        if self.policy.resolver is not None:  # an async resolver (tests, closed networks)
            try:
                return asyncio.run(self.policy.resolver(host, port))  # type: ignore[arg-type]
            except ServiceError as exc:
                raise httpx.ConnectError(exc.message) from None
        return _system_resolver_sync(host, port)

    def _pool(self, scheme: str, host: str, ip: IPAddress, port: int) -> httpx.HTTPTransport:
        key = (scheme, host, str(ip), port)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = httpx.HTTPTransport(verify=_ssl_context(), retries=0, trust_env=False)
            return pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise DestinationRefused(
                f"refusing {url.scheme or 'a relative'!r} URL: only http and https", request=request
            )
        port = url_port(url)
        if not 0 < port < 65536 or port not in self.allowed_ports:
            raise DestinationRefused(f"refusing {url}: port {port} is not allowed", request=request)
        try:
            host = url.raw_host.decode("ascii")
        except UnicodeError:
            raise DestinationRefused(f"refusing {url}: the host is not ASCII", request=request) from None
        if not host:
            raise DestinationRefused(f"refusing {url}: no host", request=request)
        addresses = self._resolve(host, port)
        if not addresses:
            raise httpx.ConnectError(f"{host!r} has no addresses", request=request)
        for ip in addresses:
            problem = self.problem(ip)
            if problem is not None:
                where = "" if str(ip) == host else f" ({host} resolves to {ip})"
                raise DestinationRefused(f"refusing {url}: {ip} is {problem}{where}", request=request)
        failures: list[str] = []
        for ip in addresses:
            extensions = dict(request.extensions)
            if url.scheme == "https":
                extensions["sni_hostname"] = host
            pinned = httpx.Request(
                request.method,
                url.copy_with(host=str(ip)),
                headers=request.headers,  # Host still names the host, not the IP
                stream=request.stream,
                extensions=extensions,
            )
            try:
                response = self._pool(url.scheme, host, ip, port).handle_request(pinned)
            except httpx.ConnectError as exc:
                failures.append(f"{ip}: {exc}")
                continue
            if response.status_code in _REDIRECTS and "location" in response.headers:
                response.close()
                raise DestinationRefused(
                    f"{url} answered {response.status_code} redirecting to {response.headers['location']!r}; "
                    "redirects are not followed",
                    request=request,
                )
            return response
        raise httpx.ConnectError(f"cannot connect to {url}: {'; '.join(failures)}", request=request)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def guarded_transport(
    policy: FetchPolicy,
    *,
    allow_private: bool = False,
    allowed_ports: Container[int] | None = None,
    resolver: SyncResolver | None = None,
) -> httpx.BaseTransport:
    """The transport for calls to an operator's backend (``httpx.Client(transport=...)``).

    ``allowed_ports``: ``policy.allowed_ports`` unless given; ``BACKEND_PORTS`` for an API on
    any port. ``allow_private``: the operator's backend may be a loopback or private address
    (a local Ollama); metadata addresses stay refused. See ``GuardedTransport``.
    """
    return GuardedTransport(policy, allow_private=allow_private, allowed_ports=allowed_ports, resolver=resolver)
