"""newsbrief: raw news in, structured articles and faithful story highlights out.

>>> import newsbrief
>>> article = newsbrief.parse_file("story.txt")   # or newsbrief.parse(text)
>>> summary = newsbrief.summarize(article, method="lead", n=3)
>>> [(h.text, h.spans) for h in summary.highlights]
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from newsbrief.article import SCHEMA_VERSION, Article, Block, Highlight, Media, Paragraph, Sentence, Summary
from newsbrief.errors import InputError, NewsbriefError, UsageError
from newsbrief.ingest import detect_format, iter_records, parse_bytes, parse_file, parse_text
from newsbrief.summarize import get_summarizer, methods, summarize

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Block",
    "Highlight",
    "InputError",
    "Media",
    "NewsbriefError",
    "Paragraph",
    "Sentence",
    "Summary",
    "UsageError",
    "detect_format",
    "get_summarizer",
    "iter_records",
    "methods",
    "parse",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "summarize",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def parse(text: str, *, format: str = "auto", name: str | None = None) -> Article:
    """Parse one article from its text. For a file use ``parse_file(path)``; for raw bytes
    ``parse_bytes(data)``; for a JSONL dataset ``iter_records(path)``.

    Why no guessing: ``parse("story.txt")`` used to parse the *file name* as an article. A
    short one-line ``str`` that names an existing file is refused with a ``UsageError`` that
    says to call ``parse_file``; a ``Path`` still works but warns (it will be refused later).
    """
    if isinstance(text, os.PathLike):
        warnings.warn(
            "newsbrief.parse(Path) is deprecated: use newsbrief.parse_file(path)", DeprecationWarning, stacklevel=2
        )
        return parse_file(Path(text), format=format)
    if isinstance(text, bytes | bytearray):
        raise TypeError("newsbrief.parse() takes text (str); for bytes use newsbrief.parse_bytes(data)")
    if not isinstance(text, str):
        raise TypeError(f"newsbrief.parse() takes text (str), not {type(text).__name__}")
    if _names_a_file(text):
        raise UsageError(f"parse() takes article text, and {text!r} is a file name: use newsbrief.parse_file({text!r})")
    return parse_text(text, format=format, name=name)


def _names_a_file(text: str) -> bool:
    if len(text) > 4096 or "\n" in text or not text.strip():
        return False
    try:
        return os.path.isfile(text)
    except (OSError, ValueError):
        return False
