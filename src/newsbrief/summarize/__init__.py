"""Summarizers: one ``Summarizer`` contract, a registry, and the built-in methods."""

from newsbrief.summarize import highlights as _highlights  # noqa: F401  (registers the default)
from newsbrief.summarize import lead as _lead  # noqa: F401  (registers the lead methods)
from newsbrief.summarize.base import DEFAULT_METHOD, Summarizer, get_summarizer, methods, register, summarize

__all__ = ["DEFAULT_METHOD", "Summarizer", "get_summarizer", "methods", "register", "summarize"]
