"""Readers: any supported source in, ``Article`` out. Format detection lives here.

Formats: ``scraped`` (page text as copied from a news site), ``plain``, ``story``
(CNN/DailyMail ``@highlight`` files), ``html`` (via trafilatura) and ``jsonl`` (datasets,
one article per line). ``auto`` picks one from the file name and the content.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from newsbrief.article import Article
from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import patterns as P
from newsbrief.ingest import safejson
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES, check_encoding, clean_text, decode, human_size, limit_message
from newsbrief.ingest.jsonl import Record, iter_jsonl, iter_lines

if TYPE_CHECKING:  # imported on first use (``parse_text``, ``__getattr__``), see READERS
    from newsbrief.ingest.html import read_html as read_html
    from newsbrief.ingest.language import detect_language as detect_language
    from newsbrief.ingest.story import read_story as read_story
    from newsbrief.ingest.text import read_plain as read_plain
    from newsbrief.ingest.text import read_scraped as read_scraped

__all__ = [
    "COMPRESSED",
    "FORMATS",
    "Record",
    "Source",
    "detect_format",
    "iter_records",
    "open_source",
    "parse_bytes",
    "parse_file",
    "parse_text",
    "read_whole",
    "strip_codec",
]

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
# The readers and the language detector, imported when an article is parsed: a process that
# only opens and splits input (the batch parent, ``newsbrief --version``) does not pay for them.
# Batch workers get them preloaded, once, in the fork server (``batch.worker.PRELOAD``). The
# names stay importable from here (``__getattr__``).
READERS = ("newsbrief.ingest.text", "newsbrief.ingest.story", "newsbrief.ingest.html", "newsbrief.ingest.language")


def __getattr__(name: str) -> object:
    """PEP 562: the readers and ``detect_language``, imported on first access (see READERS)."""
    if name == "read_plain":
        from newsbrief.ingest.text import read_plain

        return read_plain
    if name == "read_scraped":
        from newsbrief.ingest.text import read_scraped

        return read_scraped
    if name == "read_story":
        from newsbrief.ingest.story import read_story

        return read_story
    if name == "read_html":
        from newsbrief.ingest.html import read_html

        return read_html
    if name == "detect_language":
        from newsbrief.ingest.language import detect_language

        return detect_language
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    lines = [s for s in (line.strip() for line in head.splitlines()[:400]) if s]
    if any(p.match(s) for s in lines for p in _SCRAPED_MARKERS):
        return "scraped"
    # Page text without any known marker still shows its menus: many short lines that are not sentences.
    short = sum(1 for s in lines if len(s.split()) <= 4 and not P.SENTENCE_END.search(s))
    if len(lines) >= 20 and short >= 0.4 * len(lines):
        return "scraped"
    return "plain"


def parse_text(text: str, *, format: str = "auto", name: str | None = None) -> Article:
    """Parse one article from text. For ``jsonl`` text, use ``iter_records``."""
    text, notes = clean_text(text)
    fmt = detect_format(text, name) if format == "auto" else format
    if fmt == "scraped":
        from newsbrief.ingest.text import read_scraped

        article = read_scraped(text)
    elif fmt == "plain":
        from newsbrief.ingest.text import read_plain

        article = read_plain(text)
    elif fmt == "story":
        from newsbrief.ingest.story import read_story

        article = read_story(text)
    elif fmt == "html":
        from newsbrief.ingest.html import read_html

        article = read_html(text)
    elif fmt == "jsonl":
        raise UsageError("JSON Lines input holds many articles: read it with iter_records()")
    else:
        raise UsageError(f"unknown input format {format!r}; choose from {', '.join(FORMATS)}")
    if not article.body and not article.reference_highlights and not (article.blocks or article.media or article.title):
        # Truly nothing. A page of only furniture keeps it all in blocks, with an empty body and a note.
        raise InputError("input has no article text")
    if article.id is None and name and name != "-":
        article.id = Path(name).name
    if article.language is None:  # the HTML reader prefers the page's own lang attribute
        from newsbrief.ingest.language import detect_language

        article.language = detect_language(article.body)
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


def parse_file(
    path: str | os.PathLike[str],
    *,
    format: str = "auto",
    text_field: str = "article",
    encoding: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Article:
    """Parse the one article in a file (``-`` for stdin); a dataset is ``iter_records``'s."""
    records = []
    for record in iter_records(path, format=format, text_field=text_field, encoding=encoding, max_bytes=max_bytes):
        records.append(record)
        if len(records) > 1:  # a dataset: do not read a million records to say so
            raise UsageError(f"{path} holds more than one record; use iter_records() for datasets")
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
    raise ``InputError``. Only regular files are opened (``-`` is stdin), and compressed
    files may not expand past ``expansion_limit``.
    """
    if format not in FORMATS:
        raise UsageError(f"unknown input format {format!r}; choose from {', '.join(FORMATS)}")
    if encoding:
        check_encoding(encoding)
    src = open_source(source, max_bytes=max_bytes)
    name, stream = src.name, src.stream
    try:
        head = stream.read(_SNIFF)
        fmt = format
        if fmt == "auto":
            fmt = detect_format(head.decode("utf-8", errors="replace"), strip_codec(name) if name else None)
        if fmt == "jsonl":

            def parse_one(text: str) -> Article:
                return parse_text(text, format="auto")

            count = 0
            lines = iter_lines(stream, head, max_bytes=max_bytes)
            for record in iter_jsonl(lines, parse_one, source=name, text_field=text_field, max_bytes=max_bytes):
                count += 1
                yield record
            if count == 0:
                raise InputError("input is empty" if not head.strip() else "input has no JSON records")
            return
        data = read_whole(src, head, max_bytes)
        article = parse_bytes(data, format=fmt, name=name, encoding=encoding, max_bytes=max_bytes)
        yield Record(1, article.id, article=article)
    except (OSError, EOFError) as exc:  # e.g. a truncated or fake .gz file
        raise InputError(f"cannot read {name or 'input'}: {exc}") from None
    finally:
        src.close()


def read_whole(src: Source, head: bytes, max_bytes: int | None) -> bytes:
    """The rest of one article's input after the sniffed ``head``: the one ``max_bytes``
    check of a whole-file input (``InputError`` with the one message when it is larger)."""
    if max_bytes is None:
        data = head + src.stream.read()
    elif len(head) > max_bytes:
        data = head
    else:
        data = head + src.stream.read(max_bytes + 1 - len(head))
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(limit_message("input", src.size_text(len(data)), max_bytes, "one article"))
    return data


# A compressed file may expand to MAX_EXPANSION times its size on disk, or MIN_EXPANSION times
# --max-bytes, whichever is more. Real news JSONL compresses 3-10x with gzip or zstd, so real
# data never comes near; a file of repeated bytes (deflate reaches 1,000x, zstd far more) is
# refused before it costs more than seconds. Raise --max-bytes to let a larger one through.
MAX_EXPANSION = 100
MIN_EXPANSION = 10
COMPRESSED = (".gz", ".zst")
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(slots=True)
class Source:
    """An opened input. ``raw`` is the file as stored (its position, in compressed bytes, is
    the progress through it); ``stream`` is what to read: decompressed and capped."""

    name: str | None
    raw: IO[bytes]
    stream: IO[bytes]
    owned: bool = True

    def size_text(self, read: int) -> str:
        """The real size of an oversized input when it can be known without reading it all
        (a plain regular file), else ``more than <what was read>``."""
        if self.stream is self.raw:
            with contextlib.suppress(OSError, AttributeError, ValueError):
                st = os.fstat(self.raw.fileno())
                if stat.S_ISREG(st.st_mode):
                    return human_size(st.st_size)
        return f"more than {human_size(read - 1)}"

    def close(self) -> None:
        if not self.owned:
            return
        with contextlib.suppress(OSError, ValueError):
            if self.stream is not self.raw:
                self.stream.close()
        with contextlib.suppress(OSError, ValueError):
            self.raw.close()


def open_source(source: str | os.PathLike[str] | IO[bytes], *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Source:
    """Open a path (``-``: stdin) or take a binary stream as it is (never closed here).

    A path must be a regular file: a FIFO, a device (``/dev/zero``) or a socket would block
    or never end, so it is refused, as a directory is. ``.gz`` and ``.zst`` are decompressed
    with the total capped at ``expansion_limit``.
    """
    if not isinstance(source, (str, os.PathLike)):
        return Source(getattr(source, "name", None), source, source, owned=False)
    name = os.fspath(source)
    if name == "-":
        return Source("-", sys.stdin.buffer, sys.stdin.buffer, owned=False)
    raw = open_regular(name)
    if not name.endswith(COMPRESSED):
        return Source(name, raw, raw)
    try:
        stream = _decompressor(name, raw)
        limit = expansion_limit(os.fstat(raw.fileno()).st_size, max_bytes)
    except BaseException:
        raw.close()
        raise
    return Source(name, raw, cast(IO[bytes], _CappedReader(stream, limit, name)))


def open_regular(name: str) -> IO[bytes]:
    """A regular file opened for reading, or ``InputError`` saying why not (one line)."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would wait for a writer; fstat says what it is.
        fd = os.open(name, os.O_RDONLY | _NONBLOCK | _BINARY)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {name}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name} is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise InputError(f"cannot read {name}: {file_kind(mode)}, not a regular file (only - reads a stream)")
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, for error messages."""
    for test, kind in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return kind
    return "a special file"


def expansion_limit(compressed_size: int, max_bytes: int | None) -> int:
    """Most bytes a compressed file of ``compressed_size`` may decompress to (see MAX_EXPANSION)."""
    return max(MAX_EXPANSION * compressed_size, MIN_EXPANSION * (max_bytes or DEFAULT_MAX_BYTES))


def strip_codec(path: str) -> str:
    """``a.jsonl.gz`` -> ``a.jsonl``: the name that says the format."""
    for ext in COMPRESSED:
        if path.endswith(ext):
            return path[: -len(ext)]
    return path


def _decompressor(name: str, raw: IO[bytes]) -> IO[bytes]:
    if name.endswith(".gz"):
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw))
    try:
        import zstandard
    except ImportError:
        raise UsageError("reading .zst input needs the zstandard package: pip install 'newsbrief[zstd]'") from None
    return cast(IO[bytes], io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)))


class _CappedReader:
    """A decompressed stream that refuses to produce more than ``limit`` bytes, and reports
    corrupt data (``zlib.error``, ``ZstdError``, a truncated member) as ``OSError``."""

    def __init__(self, stream: IO[bytes], limit: int, name: str) -> None:
        self.stream, self.limit, self.name, self.count = stream, limit, name, 0

    def read(self, n: int | None = -1) -> bytes:
        return self._take(self.stream.read, n)

    def read1(self, n: int = -1) -> bytes:
        read1 = getattr(self.stream, "read1", None) or self.stream.read
        return self._take(read1, n)

    def _take(self, read: Callable[[int], bytes], n: int | None) -> bytes:
        room = self.limit - self.count + 1  # one byte past the limit tells "more" from "exactly"
        try:
            data = read(room if n is None or n < 0 else min(n, room))
        except Exception as exc:  # whatever the decompressor raises for bad data is a read error
            raise OSError(f"corrupt or truncated compressed data ({type(exc).__name__}: {exc})") from None
        self.count += len(data)
        if self.count > self.limit:
            raise InputError(
                f"{self.name} decompresses to more than {human_size(self.limit)} (the most a compressed file "
                f"may expand to: {MAX_EXPANSION}x its size or {MIN_EXPANSION}x --max-bytes; likely a "
                "decompression bomb)"
            )
        return data

    def close(self) -> None:
        self.stream.close()
