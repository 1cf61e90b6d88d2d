"""The one contract every summarizer honours, and the registry that names them.

A summarizer is built from keyword settings and maps an ``Article`` to a ``Summary`` whose
highlights point back at body spans. Adding a method is one ``@register`` line.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from newsbrief.article import Article, Highlight, Sentence, Summary
from newsbrief.errors import UsageError


class Summarizer(Protocol):
    name: ClassVar[str]

    def summarize(self, article: Article) -> Summary: ...


_REGISTRY: dict[str, tuple[Callable[..., Summarizer], str]] = {}
DEFAULT_METHOD = "highlights"


def register(name: str, description: str) -> Callable[[Callable[..., Summarizer]], Callable[..., Summarizer]]:
    def deco(factory: Callable[..., Summarizer]) -> Callable[..., Summarizer]:
        _REGISTRY[name] = (factory, description)
        return factory

    return deco


def methods() -> dict[str, str]:
    """Registered method names with a one-line description each."""
    return {name: desc for name, (_, desc) in sorted(_REGISTRY.items())}


def registering_module(method: str) -> str | None:
    """The module whose ``register`` call defined ``method``: worker processes import it so
    that methods registered by plugins exist there too."""
    try:
        return getattr(_REGISTRY[method][0], "__module__", None)
    except KeyError:
        raise UsageError(f"unknown method {method!r}; choose from {', '.join(sorted(_REGISTRY))}") from None


def get_summarizer(method: str = DEFAULT_METHOD, **settings: Any) -> Summarizer:
    try:
        factory = _REGISTRY[method][0]
    except KeyError:
        raise UsageError(f"unknown method {method!r}; choose from {', '.join(sorted(_REGISTRY))}") from None
    accepted = _setting_names(factory)
    unknown = sorted(set(settings) - accepted) if accepted is not None else []
    if unknown:
        raise UsageError(
            f"method {method!r} does not take {', '.join(unknown)}; it takes: {', '.join(sorted(accepted or ())) or 'nothing'}"
        )
    try:
        return factory(**settings)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"bad settings for method {method!r}: {exc}") from None


def _setting_names(factory: Callable[..., Summarizer]) -> set[str] | None:
    """Keyword settings a factory accepts, or None when it takes arbitrary ones."""
    try:
        params = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}


def summarize(article: Article, method: str = DEFAULT_METHOD, **settings: Any) -> Summary:
    """Summarize one article with a registered method; timings are filled in."""
    summarizer = get_summarizer(method, **settings)
    t0 = time.perf_counter()
    summary = summarizer.summarize(article)
    summary.timings.setdefault("summarize", time.perf_counter() - t0)
    return summary


def sentence_highlight(sentence: Sentence, score: float | None = None) -> Highlight:
    """A highlight that is one whole body sentence."""
    return Highlight(
        text=sentence.text, sentence_ids=[sentence.id], spans=[(sentence.start, sentence.end)], score=score
    )
