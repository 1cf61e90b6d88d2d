"""The one contract every summarizer honours, and the registry that names them.

A summarizer is built from keyword settings and maps an ``Article`` to a ``Summary`` whose
highlights point back at body spans. Adding a method is one ``@register`` line.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from newsbrief.article import Article, Highlight, Sentence, Summary
from newsbrief.errors import UsageError
from newsbrief.summarize.settings import Setting, coerce_settings


class Summarizer(Protocol):
    name: ClassVar[str]

    def summarize(self, article: Article) -> Summary: ...


@dataclass(frozen=True, slots=True)
class Method:
    """A registered method: how to build it, what it is, which settings it takes."""

    name: str
    factory: Callable[..., Summarizer]
    description: str
    settings: tuple[Setting, ...] | None  # None: undeclared (a plugin); names come from the signature
    open_extra: bool = False  # also takes undeclared settings (operator only), e.g. generation options

    def coerce(self, given: Mapping[str, Any], *, client: bool = False) -> dict[str, Any]:
        """Typed, checked settings (``UsageError`` naming the first bad one)."""
        if self.settings is None:
            if client:
                raise UsageError(f"method {self.name!r} declares no settings, so requests cannot set any")
            return _check_names(self.name, self.factory, dict(given))
        return coerce_settings(self.name, self.settings, given, open_extra=self.open_extra, client=client)


_REGISTRY: dict[str, Method] = {}
DEFAULT_METHOD = "highlights"


def register(
    name: str, description: str, *, settings: Sequence[Setting] | None = None, open_extra: bool = False
) -> Callable[[Callable[..., Summarizer]], Callable[..., Summarizer]]:
    """Register a method; ``settings`` declares its settings (type, range, operator-only)."""

    def deco(factory: Callable[..., Summarizer]) -> Callable[..., Summarizer]:
        declared = tuple(settings) if settings is not None else None
        _REGISTRY[name] = Method(name, factory, description, declared, open_extra)
        return factory

    return deco


def methods() -> dict[str, str]:
    """Registered method names with a one-line description each."""
    return {name: m.description for name, m in sorted(_REGISTRY.items())}


def get_method(name: str) -> Method:
    """The registered method, or a ``UsageError`` listing the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown method {name!r}; choose from {', '.join(sorted(_REGISTRY))}") from None


def registering_module(method: str) -> str | None:
    """The module whose ``register`` call defined ``method``: worker processes import it so
    that methods registered by plugins exist there too."""
    return getattr(get_method(method).factory, "__module__", None)


def get_summarizer(
    method: str = DEFAULT_METHOD, *, objects: Mapping[str, Any] | None = None, **settings: Any
) -> Summarizer:
    """Build a method from checked settings. ``objects`` are Python objects the factory takes
    besides settings (a ``HighlightsConfig``, an httpx transport): never from users."""
    entry = get_method(method)
    checked = entry.coerce(settings)
    try:
        return entry.factory(**checked, **(objects or {}))
    except (TypeError, ValueError) as exc:
        raise UsageError(f"bad settings for method {method!r}: {exc}") from None


def _check_names(method: str, factory: Callable[..., Summarizer], settings: dict[str, Any]) -> dict[str, Any]:
    """An undeclared method: refuse names its factory does not take."""
    accepted = _setting_names(factory)
    unknown = sorted(set(settings) - accepted) if accepted is not None else []
    if unknown:
        raise UsageError(
            f"method {method!r} does not take {', '.join(unknown)}; it takes: {', '.join(sorted(accepted or ())) or 'nothing'}"
        )
    return settings


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
