"""Summarizers: one ``Summarizer`` contract, a registry, and the built-in methods."""

from newsbrief.summarize import hf as _hf  # noqa: F401  (registers "hf"; torch/transformers load on first use)
from newsbrief.summarize import highlights as _highlights  # noqa: F401  (registers the default)
from newsbrief.summarize import lead as _lead  # noqa: F401  (registers the lead methods)
from newsbrief.summarize import llm as _llm  # noqa: F401  (registers "llm"; httpx loads on first use)
from newsbrief.summarize.base import DEFAULT_METHOD, Summarizer, get_summarizer, methods, register, summarize

__all__ = ["DEFAULT_METHOD", "Summarizer", "get_summarizer", "methods", "register", "summarize"]
