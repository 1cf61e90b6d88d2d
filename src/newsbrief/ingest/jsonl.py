"""JSON Lines datasets with the cnn_dailymail fields (``id``, ``article``, ``highlights``).

The one JSONL reader of the package: ``iter_records``, ``newsbrief batch`` and ``newsbrief
evaluate`` all go through it, so every one of them gives a line the same id, the same limits
and the same error message. Three steps:

1. ``iter_lines``: raw lines out of a byte stream in bounded blocks. A line longer than
   ``max_bytes`` is skipped in blocks (never held whole) and reported by size; runs of blank
   lines are counted with ``bytes`` methods, not looked at one by one, so a file of 200 MB of
   newlines costs a fraction of a second.
2. ``decode_line``: UTF-8 and bounded JSON (``safejson``: nesting depth, number size) to an
   object and an id. A record without an id is ``<source>:<line>`` (``stdin:<line>`` for
   standard input), also when the line could not be read, so that every record, good or bad,
   can be named.
3. ``to_record``: the object's text field through the article readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from newsbrief.article import Article
from newsbrief.errors import NewsbriefError
from newsbrief.ingest import safejson
from newsbrief.ingest.decode import limit_message

__all__ = ["BLOCK", "JSONLine", "Line", "Record", "decode_line", "fallback_id", "iter_jsonl", "iter_lines", "to_record"]

BLOCK = 1 << 20  # bytes read at a time; a line is held only up to max_bytes plus one block
# Whitespace between records (blank lines, indentation): one tight character-class loop in the
# regex engine, 2-3 ms per MB; a pattern with nested repetition takes 50x longer.
_BLANKS = re.compile(rb"[ \t\r\f\v\n]+")
_STDIN_NAMES = ("-", "<stdin>", "stdin")


@dataclass(slots=True)
class Record:
    """One input record: an article, or the reason it could not be read. Never both."""

    line: int
    id: str | None
    article: Article | None = None
    error: str | None = None


@dataclass(slots=True, frozen=True)
class Line:
    """One non-blank input line: its 1-based number and bytes (without the newline), or
    ``data=None`` when it is longer than the limit; ``size`` is its length either way."""

    no: int
    data: bytes | None
    size: int


@dataclass(slots=True)
class JSONLine:
    """A decoded line: the JSON object, or ``error`` (without a ``line N:`` prefix)."""

    no: int
    id: str
    data: dict[str, Any] | None = None
    error: str | None = None


def fallback_id(source: str | None, no: int) -> str:
    """The id of a record that has none: ``<source>:<line>``, ``stdin:<line>`` for stdin,
    ``input:<line>`` for a stream without a name."""
    name = "input" if source is None else "stdin" if source in _STDIN_NAMES else source
    return f"{name}:{no}"


def iter_lines(
    stream: IO[bytes], head: bytes = b"", *, max_bytes: int | None = None, block: int = BLOCK
) -> Iterator[Line]:
    """The non-blank lines of ``head`` (bytes already read to sniff the format) then ``stream``.

    Memory stays below ``max_bytes`` plus one block whatever the input; ``read1`` is used
    where the stream has it, so a pipe is processed as its lines arrive.
    """
    read: Callable[[int], bytes] = getattr(stream, "read1", None) or stream.read
    buf, pos, no, eof = head, 0, 1, False
    while True:
        blank = _BLANKS.match(buf, pos)
        if blank:
            no += buf.count(b"\n", pos, blank.end())
            pos = blank.end()
        newline = buf.find(b"\n", pos)
        if newline >= 0:
            yield _line(no, buf[pos:newline], max_bytes)
            no, pos = no + 1, newline + 1
            continue
        pending = len(buf) - pos
        if eof:
            if buf[pos:].strip():
                yield _line(no, buf[pos:], max_bytes)
            return
        if max_bytes is not None and pending > max_bytes:
            size, buf, pos, eof = _skip_line(read, pending, block)
            yield Line(no, None, size)
            no += 1
            continue
        more = read(max(block, pending))  # grows with the line: linear, not quadratic, copying
        if not more:
            eof = True
        buf, pos = buf[pos:] + more, 0


def _line(no: int, data: bytes, max_bytes: int | None) -> Line:
    if max_bytes is not None and len(data) > max_bytes:
        return Line(no, None, len(data))
    return Line(no, data, len(data))


def _skip_line(read: Callable[[int], bytes], size: int, block: int) -> tuple[int, bytes, int, bool]:
    """Read past the rest of an over-long line: ``(its size, buffer, position, eof)``."""
    while True:
        chunk = read(block)
        if not chunk:
            return size, b"", 0, True
        newline = chunk.find(b"\n")
        if newline < 0:
            size += len(chunk)
            continue
        return size + newline, chunk, newline + 1, False


def decode_line(line: Line, source: str | None, *, max_bytes: int | None = None) -> JSONLine:
    """A line as a JSON object with its id; never raises for bad input."""
    fallback = fallback_id(source, line.no)
    if line.data is None:
        return JSONLine(line.no, fallback, error=limit_message("line", line.size, max_bytes, "one record"))
    try:
        text = line.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return JSONLine(line.no, fallback, error=f"not valid UTF-8 (byte {exc.start})")
    if line.no == 1:
        text = text.removeprefix("\ufeff")  # a UTF-8 byte-order mark starts the file, not the record
    try:
        data = safejson.loads(text)
    except safejson.JSONLimitError as exc:
        return JSONLine(line.no, fallback, error=str(exc))
    if not isinstance(data, dict):
        return JSONLine(line.no, fallback, error=f"expected a JSON object, got {type(data).__name__}")
    rid = data.get("id")
    return JSONLine(line.no, fallback if rid is None or rid == "" else str(rid), data=data)


def to_record(item: JSONLine, parse_text: Callable[[str], Article], *, text_field: str = "article") -> Record:
    """A decoded line as a ``Record``: its text field parsed, ``highlights``, ``title`` and
    ``url`` kept; a bad line becomes a Record with ``error`` set, never an exception."""
    line, rid, data = item.no, item.id, item.data
    if item.error is not None or data is None:
        return Record(line, rid, error=f"line {line}: {item.error}")
    text = data.get(text_field)
    if not isinstance(text, str):
        fields = ", ".join(sorted(k for k, v in data.items() if isinstance(v, str))) or "none"
        return Record(line, rid, error=f"line {line}: no text field {text_field!r} (string fields: {fields})")
    try:
        article = parse_text(text)
    except NewsbriefError as exc:
        return Record(line, rid, error=f"line {line}: {exc}")
    article.id = rid
    article.input_format = f"jsonl/{article.input_format}"
    highlights = data.get("highlights")
    if isinstance(highlights, str):
        article.reference_highlights = [h.strip() for h in highlights.splitlines() if h.strip()]
    elif isinstance(highlights, list):
        article.reference_highlights = [str(h).strip() for h in highlights if str(h).strip()]
    for key in ("title", "url"):
        if isinstance(data.get(key), str) and getattr(article, key) is None:
            setattr(article, key, data[key])
    return Record(line, rid, article=article)


def iter_jsonl(
    lines: Iterable[Line],
    parse_text: Callable[[str], Article],
    *,
    source: str | None = None,
    text_field: str = "article",
    max_bytes: int | None = None,
) -> Iterator[Record]:
    """Stream records from ``iter_lines`` output; memory stays bounded by the longest line."""
    for line in lines:
        yield to_record(decode_line(line, source, max_bytes=max_bytes), parse_text, text_field=text_field)
