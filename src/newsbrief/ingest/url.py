"""An article from a URL (``newsbrief parse|summarize -u URL``), with the service's guards.

Why reuse the service's fetcher: a URL on the command line can point inside the network just
as one in a request can (``http://169.254.169.254/``, ``http://localhost:6379/``), and a tool
run by a scheduler or a web hook takes URLs from others. So the command line refuses the same
addresses (private, loopback, link-local, metadata, ...) with the same resolve-then-pin rules,
timeouts and size cap as ``newsbrief serve`` (``newsbrief.service.fetch``), unless the user
says ``--allow-private-hosts`` (which also opens every port, not only 80 and 443); cloud
metadata addresses stay refused even then.

httpx is needed (the ``service`` or ``llm`` extra); without it the error names the extra.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ipaddress
from dataclasses import dataclass

from newsbrief.article import Article
from newsbrief.errors import InputError, UsageError

__all__ = ["DEFAULT_TIMEOUT_S", "Page", "fetch_page", "read_url"]

DEFAULT_TIMEOUT_S = 10.0
# Every address counts as public with --allow-private-hosts; metadata addresses are refused
# by the fetcher whatever this says.
_EVERYWHERE = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
_USAGE_CODES = frozenset({"invalid_url"})


@dataclass(slots=True)
class Page:
    """What a URL answered: the bytes, its final URL and how to decode them."""

    url: str
    content: bytes
    content_type: str | None
    charset: str | None


def fetch_page(
    url: str, *, max_bytes: int, timeout: float = DEFAULT_TIMEOUT_S, allow_private_hosts: bool = False
) -> Page:
    """Fetch ``url`` (``InputError`` when it cannot be fetched or is refused; ``UsageError``
    for a URL that is not an absolute http(s) URL or when httpx is not installed)."""
    if importlib.util.find_spec("httpx") is None:
        raise UsageError("--url needs httpx: pip install 'newsbrief[service]' (or 'newsbrief[llm]')")
    from newsbrief.service.errors import ServiceError
    from newsbrief.service.fetch import FetchPolicy, fetch_url

    if allow_private_hosts:  # any address (but metadata) and any port: the user's own network
        policy = FetchPolicy(
            max_bytes=max_bytes, timeout=timeout, allow_networks=_EVERYWHERE, allowed_ports=frozenset(range(1, 65536))
        )
    else:
        policy = FetchPolicy(max_bytes=max_bytes, timeout=timeout)
    try:
        fetched = asyncio.run(fetch_url(url, policy))
    except ServiceError as exc:
        hint = (
            " (--allow-private-hosts lets it through)"
            if exc.code == "url_forbidden" and not allow_private_hosts
            else ""
        )
        kind = UsageError if exc.code in _USAGE_CODES else InputError
        raise kind(f"cannot fetch {url}: {exc.message}{hint}") from None
    return Page(fetched.url, fetched.content, fetched.content_type, fetched.charset)


def read_url(
    url: str,
    *,
    format: str = "auto",
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT_S,
    allow_private_hosts: bool = False,
    encoding: str | None = None,
) -> Article:
    """The article at ``url``: fetched under the guards above, then read like a file."""
    from newsbrief.ingest import parse_bytes

    page = fetch_page(url, max_bytes=max_bytes, timeout=timeout, allow_private_hosts=allow_private_hosts)
    name = "page.html" if page.content_type in ("text/html", "application/xhtml+xml") else None
    article = parse_bytes(page.content, format=format, name=name, encoding=encoding, max_bytes=max_bytes)
    article.url = article.url or page.url
    if article.id is None:
        article.id = page.url
    return article
