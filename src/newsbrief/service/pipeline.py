"""The CPU work behind the endpoints: parse, summarize, analyze, check. No HTTP here.

Two halves. In the server process, ``resolve_method`` decides whether a client's method and
settings are allowed (only the methods the operator enabled, only settings a client may set)
before any work is queued. In a worker process (``service.workers``), ``run_job`` does the
work and returns plain dicts; summarizers are built once per worker and settings.

What the API answers is ``newsbrief.pipeline.Record.to_dict`` (the shape the command line and
batch write), with the article, plus transport fields (the stored id, ``href``); a stored
article is read back into the same shape (``stored_record``), whichever schema wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from newsbrief.article import Article, Summary
from newsbrief.errors import UsageError
from newsbrief.ingest import parse_bytes, parse_text
from newsbrief.pipeline import MethodChoice, Pipeline, Record
from newsbrief.summarize import DEFAULT_METHOD
from newsbrief.summarize.base import get_method
from newsbrief.summarize.spec import parse_method

__all__ = [
    "Done",
    "Job",
    "NotEnabled",
    "RawInput",
    "describe_methods",
    "read_article",
    "resolve_method",
    "run_job",
    "stored_record",
]

# Methods that reach the network, and so get the server's address guard as their transport.
_NETWORK_METHODS = frozenset({"llm"})


@dataclass(slots=True)
class RawInput:
    """An article as it arrived: text (JSON field) or bytes (raw body, upload, fetched URL)."""

    data: str | bytes
    format: str = "auto"
    name: str | None = None  # file name hint for format detection
    encoding: str | None = None  # from a charset parameter
    url: str | None = None  # where it was fetched from
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Job:
    """One request's work, as sent to a worker process (plain, picklable data)."""

    raw: RawInput
    max_bytes: int
    method: str | None = None  # None: check only
    settings: tuple[tuple[str, Any], ...] = ()  # checked, with the operator's fixed settings
    analyze: bool = False
    check: bool = False
    summary: str | tuple[str, ...] | None = None  # for check-only jobs
    allow_private_backends: bool = False


@dataclass(frozen=True, slots=True)
class Done:
    """A worker's answer: the record as the API returns it, and the summary as the store keeps
    it (``Summary.to_dict``, schema-versioned; None when nothing was summarized)."""

    record: dict[str, Any]
    summary: dict[str, Any] | None = None


class NotEnabled(UsageError):
    """A method or setting the operator did not open to requests; ``code`` is the service's."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def resolve_method(
    method: str | None, settings: Mapping[str, Any] | None, enabled: Mapping[str, Mapping[str, Any]]
) -> tuple[str, dict[str, Any]]:
    """A client's ``"name:key=value"`` and settings object -> the method and its full settings.

    Only methods in ``enabled`` (the operator's, with the settings the operator fixed) are
    allowed; a client sets only settings its method declares as client-settable, never one the
    operator fixed. ``UsageError`` (a 422) otherwise, naming the setting.
    """
    name, spec_settings = parse_method(method or DEFAULT_METHOD)
    if name not in enabled:
        raise NotEnabled(
            "method_not_enabled",
            f"method {name!r} is not enabled on this server; enabled: {', '.join(sorted(enabled))}",
        )
    given = {**spec_settings, **(settings or {})}
    fixed = enabled[name]
    entry = get_method(name)
    declared = {s.name: s for s in entry.settings or ()}
    for key in given:
        setting = declared.get(key)
        if key in fixed or (setting is not None and setting.operator) or (setting is None and entry.open_extra):
            raise NotEnabled(
                "setting_not_allowed",
                f"setting {key!r} of method {name!r} is set by the server's operator, not by requests",
            )
    checked = entry.coerce(given, client=True)
    return name, {**entry.coerce(fixed), **checked}  # the operator's values typed too (hashable, checked)


def describe_methods(enabled: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What ``GET /v1/methods`` shows: per enabled method, the settings a request may set."""
    out = []
    for name in sorted(enabled):
        entry = get_method(name)
        fixed = enabled[name]
        settings = [
            {
                "name": s.name,
                "type": ("list" if s.many else s.kind.__name__),
                "default": list(s.default) if isinstance(s.default, tuple) else s.default,
                "expected": s.expected(),
                "help": s.help,
                **({"choices": list(s.choices)} if s.choices else {}),
                **({"min": s.low} if s.low is not None else {}),
                **({"max": s.high} if s.high is not None else {}),
            }
            for s in entry.settings or ()
            if not s.operator and s.name not in fixed
        ]
        out.append({"name": name, "description": entry.description, "settings": settings, "fixed": sorted(fixed)})
    return out


def read_article(raw: RawInput, *, max_bytes: int) -> Article:
    """Parse one article (``InputError`` when it is not one, ``UsageError`` for a bad format)."""
    if isinstance(raw.data, bytes):
        article = parse_bytes(raw.data, format=raw.format, name=raw.name, encoding=raw.encoding, max_bytes=max_bytes)
    else:
        article = parse_text(raw.data, format=raw.format, name=raw.name)
    if raw.url and not article.url:
        article.url = raw.url
    article.notes.extend(raw.notes)
    return article


@lru_cache(maxsize=16)
def _pipeline(
    name: str | None, settings: tuple[tuple[str, Any], ...], analyze: bool, check: bool, allow_private: bool
) -> Pipeline:
    """Built once per worker and request shape: a model loads once, an HTTP client keeps its
    connections. Network methods get the server's address guard as their transport."""
    objects: dict[str, Any] = {}
    if name in _NETWORK_METHODS:
        from newsbrief.service.fetch import BACKEND_PORTS, FetchPolicy, guarded_transport

        objects["transport"] = guarded_transport(
            FetchPolicy(), allow_private=allow_private, allowed_ports=BACKEND_PORTS
        )
    method = MethodChoice(name, dict(settings)) if name is not None else None
    return Pipeline(method, analyze=analyze, check=check, objects=objects)


def run_job(job: Job) -> Done:
    """Do one request's work (in a worker process) through the one pipeline: the record in
    the one output shape (``Record.to_dict``, with the article) and the summary to store."""
    # A client's summary passes the pipeline's gate (``given_summary``): no empty or wordless one,
    # no NUL, lone surrogates replaced with a note, each refusal naming the summary or its item.
    given = (job.summary if isinstance(job.summary, str) else list(job.summary)) if job.summary is not None else None
    pipeline = _pipeline(
        job.method, job.settings, job.analyze, job.check or given is not None, job.allow_private_backends
    )
    record = pipeline.run(lambda: read_article(job.raw, max_bytes=job.max_bytes), summary=given)
    record.raise_error()
    # The summary to store is one we wrote; a given one (``/v1/check``) is answered, not kept.
    summary = record.summary.to_dict() if record.summary is not None and given is None else None
    return Done(record.to_dict(article=True), summary)


def stored_record(found: Mapping[str, Any]) -> dict[str, Any]:
    """A stored article (``Store.get``) in the shape ``run_job`` answers, plus where it is.

    The summary is read through ``Summary.from_dict``, so a row written by an older schema
    (1.0, 1.1: no per-highlight support) comes back in today's shape. Timings are not stored.
    """
    summary = Summary.from_dict(found["summary"]) if found.get("summary") else None
    article = found["article"]
    data = Record(found["id"], summary=summary).to_dict(timings=False)
    data["analysis"] = found.get("analysis")
    data["faithfulness"] = found.get("faithfulness")
    data["notes"] = [*(article.get("notes") or ()), *(summary.notes if summary is not None else ())]
    data["article"] = article
    data["created_at"] = found.get("created_at")
    data["href"] = f"/v1/articles/{found['id']}"
    data["summary_count"] = found.get("summary_count", 0)
    return data
