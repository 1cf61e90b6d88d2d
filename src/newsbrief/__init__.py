"""newsbrief: raw news in, structured articles and faithful story highlights out.

>>> import newsbrief
>>> article = newsbrief.parse(open("story.txt").read())
>>> summary = newsbrief.summarize(article, method="lead", n=3)
>>> [(h.text, h.spans) for h in summary.highlights]
"""

from __future__ import annotations

import logging
import os
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


def parse(source: str | bytes | os.PathLike[str], *, format: str = "auto", **kwargs: object) -> Article:
    """Parse one article from text (``str``), raw bytes, or a file path (``Path``)."""
    if isinstance(source, os.PathLike):
        return parse_file(Path(source), format=format, **kwargs)
    if isinstance(source, bytes):
        return parse_bytes(source, format=format, **kwargs)  # type: ignore[arg-type]
    return parse_text(source, format=format, **kwargs)  # type: ignore[arg-type]
