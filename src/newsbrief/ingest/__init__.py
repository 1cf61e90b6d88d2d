"""Readers: any supported source in, ``Article`` out. Format detection lives here.

Formats: ``scraped`` (page text as copied from a news site), ``plain``, ``story``
(CNN/DailyMail ``@highlight`` files), ``html`` (via trafilatura) and ``jsonl`` (datasets,
one article per line). ``auto`` picks one from the file name and the content.
"""

from __future__ import annotations

import gzip
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from newsbrief.article import Article
from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import patterns as P
from newsbrief.ingest import safejson
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES, clean_text, decode, human_size
from newsbrief.ingest.html import read_html
from newsbrief.ingest.jsonl import Record, iter_jsonl
from newsbrief.ingest.story import read_story
from newsbrief.ingest.text import read_plain, read_scraped

__all__ = ["FORMATS", "Record", "detect_format", "iter_records", "parse_text", "parse_bytes", "parse_file"]

FORMATS = ("auto", "scraped", "plain", "story", "html", "jsonl")
_SNIFF = 65536
# A line like one of these means page text, not an edited plain article.
_SCRAPED_MARKERS = (
    P.MEDIA_FILE,
    P.DURATION,
    P.HIGHLIGHTS_LABEL,
    P.DATELINE_LINE,
    P.TIMESTAMP,
    P.BOILERPLATE,
    P.CAPTION,
)
_HTML = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]|<(?:p|div|article|span|h1)[\s>]", re.I)


def detect_format(text: str, name: str | None = None) -> str:
    """Guess the format from a file name and the first part of the content."""
    lower = (name or "").lower().removesuffix(".gz")
    for ext, fmt in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".story", "story"),
        (".html", "html"),
        (".htm", "html"),
    ):
        if lower.endswith(ext):
            return fmt
    head = text[:_SNIFF].lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        first, newline, _ = head.partition("\n")
        if not newline and len(head) >= _SNIFF - 4 and head.startswith('{"'):
            return "jsonl"  # a first record longer than the sniffed part
        try:
            if isinstance(safejson.loads(first), dict):
                return "jsonl"
        except safejson.JSONLimitError:
            pass
    if re.search(r"^@highlight\s*$", head, re.M):
        return "story"
    if len(_HTML.findall(head)) >= 2 or head[:15].lower().startswith(("<!doctype", "<html")):
        return "html"
    for line in head.splitlines()[:400]:
        s = line.strip()
        if s and any(p.match(s) for p in _SCRAPED_MARKERS):
            return "scraped"
    return "plain"


def parse_text(text: str, *, format: str = "auto", name: str | None = None) -> Article:
    """Parse one article from text. For ``jsonl`` text, use ``iter_records``."""
    text, notes = clean_text(text)
    fmt = detect_format(text, name) if format == "auto" else format
    if fmt == "scraped":
        article = read_scraped(text)
    elif fmt == "plain":
        article = read_plain(text)
    elif fmt == "story":
        article = read_story(text)
    elif fmt == "html":
        article = read_html(text)
    elif fmt == "jsonl":
        raise UsageError("JSON Lines input holds many articles: read it with iter_records()")
    else:
        raise UsageError(f"unknown input format {format!r}; choose from {', '.join(FORMATS)}")
    if not article.body and not article.reference_highlights:
        raise InputError("input has no article text")
    if article.id is None and name and name != "-":
        article.id = Path(name).name
    article.notes[:0] = notes
    return article


def parse_bytes(
    data: bytes,
    *,
    format: str = "auto",
    name: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Article:
    """Parse one article from raw bytes; encoding problems are noted in ``article.notes``."""
    text, notes = decode(data, encoding=encoding, max_bytes=max_bytes)
    article = parse_text(text, format=format, name=name)
    article.notes[:0] = notes
    return article


def parse_file(path: str | os.PathLike[str], **kwargs: object) -> Article:
    """Parse the one article in a file (``-`` for stdin)."""
    records = list(iter_records(path, **kwargs))  # type: ignore[arg-type]
    if len(records) != 1:
        raise UsageError(f"{path} holds {len(records)} records; use iter_records() for datasets")
    if records[0].error:
        raise InputError(records[0].error)
    assert records[0].article is not None
    return records[0].article


def iter_records(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    format: str = "auto",
    text_field: str = "article",
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[Record]:
    """Yield every article in a source: one for an article file, one per line for JSONL.

    JSONL is streamed; a record that cannot be read is yielded with ``error`` set and the
    rest go on. Other formats are read whole (up to ``max_bytes``) and yield one record, or
    raise ``InputError``.
    """
    if format not in FORMATS:
        raise UsageError(f"unknown input format {format!r}; choose from {', '.join(FORMATS)}")
    name, stream = _open(source)
    try:
        head = stream.read(_SNIFF)
        fmt = format
        if fmt == "auto":
            fmt = detect_format(head.decode("utf-8", errors="replace"), name)
        if fmt == "jsonl":

            def parse_one(text: str) -> Article:
                return parse_text(text, format="auto")

            count = 0
            lines = rejoin_lines(head, stream)
            for record in iter_jsonl(lines, parse_one, text_field=text_field, max_line_bytes=max_bytes):
                count += 1
                yield record
            if count == 0:
                raise InputError("input is empty" if not head.strip() else "input has no JSON records")
            return
        if max_bytes is None:
            data = head + stream.read()
        elif len(head) > max_bytes:
            data = head
        else:
            data = head + stream.read(max_bytes + 1 - len(head))
        if max_bytes is not None and len(data) > max_bytes:
            raise InputError(
                f"input is {_size_of(stream, len(data))}, above the {human_size(max_bytes)} limit for one article "
                "(raise it with --max-bytes)"
            )
        article = parse_bytes(data, format=fmt, name=name, encoding=encoding, max_bytes=max_bytes)
        yield Record(1, article.id, article=article)
    except (OSError, EOFError) as exc:  # e.g. a truncated or fake .gz file
        raise InputError(f"cannot read {name or 'input'}: {exc}") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _size_of(stream: IO[bytes], read: int) -> str:
    """The real size of an oversized input when it can be known without reading it all."""
    try:
        st = os.fstat(stream.fileno())
        if not isinstance(stream, gzip.GzipFile) and stat.S_ISREG(st.st_mode):
            return human_size(st.st_size)
    except (OSError, AttributeError, ValueError):
        pass
    return f"more than {human_size(read - 1)}"


def rejoin_lines(head: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``head`` (bytes already read to sniff the format) and then the rest of
    ``stream``, split on newlines: streaming readers use it after format detection."""
    parts = head.split(b"\n")
    for part in parts[:-1]:
        yield part + b"\n"
    tail = parts[-1]
    for line in stream:
        if tail:
            line, tail = tail + line, b""
        yield line
    if tail:
        yield tail


def _open(source: str | os.PathLike[str] | IO[bytes]) -> tuple[str | None, IO[bytes]]:
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if name == "-":
            return "-", sys.stdin.buffer
        path = Path(name)
        if path.is_dir():
            raise InputError(f"{name} is a directory, not a file")
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
        if name.endswith(".gz"):
            return name, cast(IO[bytes], gzip.GzipFile(fileobj=raw))
        return name, raw
    return getattr(source, "name", None), source
