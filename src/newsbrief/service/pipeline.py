"""The CPU work behind the endpoints: parse, summarize, analyze, check. No HTTP here.

Why a separate module: the same steps serve ``POST /v1/articles`` (stored) and the stateless
endpoints, run in worker threads under the request's time limit, and can be tested without a
server. The analysis (``newsbrief.analyze``) and the faithfulness checker
(``newsbrief.faithfulness``) are optional: they are imported on first use, and when one is
missing or fails, its result is ``None`` and a note says why, instead of failing the request.
"""

from __future__ import annotations

import importlib
import logging
import time
import typing
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from newsbrief.article import Article, Summary
from newsbrief.errors import UsageError
from newsbrief.ingest import parse_bytes, parse_text
from newsbrief.summarize import DEFAULT_METHOD, get_summarizer
from newsbrief.summarize.highlights import HighlightsConfig
from newsbrief.summarize.spec import parse_method

__all__ = ["Processed", "RawInput", "analyze", "available", "check", "process", "read_article", "summarize"]

log = logging.getLogger(__name__)

Settings = dict[str, Any] | HighlightsConfig


@dataclass(slots=True)
class RawInput:
    """An article as it arrived: text (JSON field) or bytes (raw body, upload, fetched URL)."""

    data: str | bytes
    format: str = "auto"
    name: str | None = None  # file name hint for format detection
    encoding: str | None = None  # from a charset parameter
    url: str | None = None  # where it was fetched from
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Processed:
    """Everything one article yields; ``to_dict`` is the API's response body (less the id)."""

    article: Article
    summary: Summary | None
    analysis: dict[str, Any] | None
    faithfulness: dict[str, Any] | None
    notes: list[str]
    timings: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "summary": self.summary.to_dict() if self.summary else None,
            "analysis": self.analysis,
            "faithfulness": self.faithfulness,
            "notes": self.notes,
            "timings": {k: round(v, 6) for k, v in self.timings.items()},
        }


@cache
def _optional(module: str) -> ModuleType | str:
    """The module, or why it cannot be used (imported once per process)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        return f"{module} is not installed ({exc})"
    except Exception as exc:  # a half-written module must not take the service down
        log.exception("importing %s failed", module)
        return f"{module} failed to import ({type(exc).__name__}: {exc})"


def available() -> dict[str, bool]:
    """Which optional features this server has: for /healthz and the web page."""
    return {
        "analysis": not isinstance(_optional("newsbrief.analyze"), str),
        "faithfulness": not isinstance(_optional("newsbrief.faithfulness"), str),
    }


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


def resolve_method(method: str, settings: Settings | None) -> tuple[str, Settings]:
    """``"highlights:n=2"`` plus a settings object -> name and settings (the object wins on conflicts)."""
    name, spec_settings = parse_method(method or DEFAULT_METHOD)
    if isinstance(settings, HighlightsConfig):
        if name != "highlights":
            raise UsageError(f"a HighlightsConfig is for the 'highlights' method, not {name!r}")
        return name, settings
    merged = {**spec_settings, **(settings or {})}
    if isinstance(merged.get("cuts"), list):  # JSON has no tuples
        merged["cuts"] = tuple(merged["cuts"])
    elif isinstance(merged.get("cuts"), str):  # the CLI's spelling: "clause+attribution"
        merged["cuts"] = tuple(op for op in merged["cuts"].split("+") if op)
    if name == "highlights":
        _check_highlights_types(merged)
    return name, merged


def _check_highlights_types(settings: dict[str, Any]) -> None:
    """JSON gives any type: refuse ``n: 2.5`` or ``n: "3"`` here, with the setting's name, not deep inside."""
    hints = typing.get_type_hints(HighlightsConfig)
    for key, value in settings.items():
        hint = hints.get(key)
        if hint is None:
            continue  # unknown keys are reported by the summarizer with the list of known ones
        if hint is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif hint is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif typing.get_origin(hint) is tuple:
            ok = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
        else:
            ok = True
        if not ok:
            expected = "a list of names" if typing.get_origin(hint) is tuple else hint.__name__
            raise UsageError(f"setting {key!r} must be {expected}, not {type(value).__name__} {value!r}")


def summarize(article: Article, method: str = DEFAULT_METHOD, settings: Settings | None = None) -> Summary:
    """Summarize with a method and settings (a dict of the method's keywords, or a ``HighlightsConfig``)."""
    name, resolved = resolve_method(method, settings)
    if isinstance(resolved, HighlightsConfig):
        summarizer = get_summarizer(name, config=resolved)
    else:
        summarizer = get_summarizer(name, **resolved)
    t0 = time.perf_counter()
    summary = summarizer.summarize(article)
    summary.timings.setdefault("summarize", time.perf_counter() - t0)
    return summary


def analyze(article: Article) -> tuple[dict[str, Any] | None, str | None]:
    """Quotes with speakers and entities, or (None, why not)."""
    module = _optional("newsbrief.analyze")
    if isinstance(module, str):
        return None, f"analysis unavailable: {module}"
    try:
        entities = module.find_entities(article)
        quotes = module.find_quotes(article, entities=entities)
    except Exception as exc:
        log.exception("analysis failed")
        return None, f"analysis failed: {type(exc).__name__}: {exc}"
    return {"quotes": [q.to_dict() for q in quotes], "entities": [e.to_dict() for e in entities]}, None


def check(article: Article, summary: Summary | str | list[str]) -> tuple[dict[str, Any] | None, str | None]:
    """The faithfulness report of a summary against its article, or (None, why not)."""
    module = _optional("newsbrief.faithfulness")
    if isinstance(module, str):
        return None, f"faithfulness check unavailable: {module}"
    try:
        report = module.check(article, summary)
        data = report.to_dict()
    except Exception as exc:
        log.exception("faithfulness check failed")
        return None, f"faithfulness check failed: {type(exc).__name__}: {exc}"
    return dict(data), None


def process(
    raw: RawInput,
    *,
    method: str = DEFAULT_METHOD,
    settings: Settings | None = None,
    with_analysis: bool = True,
    with_check: bool = True,
    max_bytes: int,
) -> Processed:
    """Parse, summarize, analyze and check one article, timing each step."""
    timings: dict[str, float] = {}
    notes: list[str] = []
    t0 = time.perf_counter()
    article = read_article(raw, max_bytes=max_bytes)
    t1 = time.perf_counter()
    timings["parse"] = t1 - t0
    summary = summarize(article, method, settings)
    t2 = time.perf_counter()
    timings["summarize"] = t2 - t1
    analysis = faithfulness = None
    if with_analysis:
        analysis, note = analyze(article)
        if note:
            notes.append(note)
        timings["analyze"] = time.perf_counter() - t2
    if with_check:
        t3 = time.perf_counter()
        faithfulness, note = check(article, summary)
        if note:
            notes.append(note)
        timings["check"] = time.perf_counter() - t3
    return Processed(article, summary, analysis, faithfulness, notes, timings)
