"""``ServiceConfig``: every setting of the web service in one typed object.

The ``newsbrief serve`` options map onto it one to one; tests build it directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from newsbrief.service.fetch import FetchPolicy

__all__ = ["DEFAULT_MAX_BODY_BYTES", "DEFAULT_METHODS", "LOOPBACK_HOSTS", "ServiceConfig"]

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
DEFAULT_MAX_BODY_BYTES = 5_000_000  # a news page is far below 1 MB of text; 5 MB leaves room for HTML
# The methods a server offers unless its operator enables more: offline, no files, no network.
DEFAULT_METHODS: Mapping[str, Mapping[str, Any]] = MappingProxyType({"highlights": {}, "lead": {}, "lead-words": {}})


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceConfig:
    """Settings of one running service."""

    db_path: str | Path = "newsbrief.db"
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # refused with 413 as soon as the body passes it
    request_timeout: float = 30.0  # seconds per request: reading, fetching, processing, storing
    worker_threads: int = 4  # threads for parsing/summarizing/storing (CPU work off the event loop)
    allow_url_fetch: bool = False
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    busy_timeout: float = 10.0  # seconds a write waits for another writer
    synchronous: str = "FULL"  # SQLite durability: FULL survives power loss, NORMAL only crashes
    # Host names the server answers for; None: any. ``newsbrief serve`` on a loopback address
    # sets the loopback names, so a DNS-rebinding page cannot reach it under a name of its own.
    allowed_hosts: tuple[str, ...] | None = None
    # Method name -> the settings its operator fixed (``--allow-method llm:base_url=...,model=...``).
    # Clients may use only these methods and set only their non-operator settings.
    methods: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: dict(DEFAULT_METHODS))
    # The operator's backend URLs (llm base_url) may be loopback/private addresses (a local Ollama);
    # metadata addresses stay refused.
    allow_private_backends: bool = False
    workers: int = 2  # worker processes for the CPU work; a request over its time is killed there

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")
        if self.request_timeout <= 0:
            raise ValueError("request_timeout must be positive")
        if self.worker_threads < 1:
            raise ValueError("worker_threads must be at least 1")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError("synchronous must be OFF, NORMAL, FULL or EXTRA")
