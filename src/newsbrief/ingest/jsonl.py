"""JSON Lines datasets with the cnn_dailymail fields (``id``, ``article``, ``highlights``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newsbrief.article import Article
from newsbrief.errors import NewsbriefError


@dataclass(slots=True)
class Record:
    """One input record: an article, or the reason it could not be read. Never both."""

    line: int
    id: str | None
    article: Article | None = None
    error: str | None = None


def parse_record(
    raw: str,
    line: int,
    parse_text: Callable[[str], Article],
    *,
    text_field: str = "article",
) -> Record:
    """Parse one JSON line; a bad line becomes a Record with ``error`` set, never an exception."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return Record(line, None, error=f"line {line}: not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(data, dict):
        return Record(line, None, error=f"line {line}: expected a JSON object, got {type(data).__name__}")
    rid = data.get("id")
    rid = str(rid) if rid is not None else f"line-{line}"
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
    lines: Iterable[bytes],
    parse_text: Callable[[str], Article],
    *,
    text_field: str = "article",
    max_line_bytes: int | None = None,
) -> Iterator[Record]:
    """Stream records from raw lines; memory stays bounded by the longest line."""
    for no, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        if max_line_bytes is not None and len(raw) > max_line_bytes:
            yield Record(
                no, None, error=f"line {no}: {len(raw) / 1e6:.1f} MB, above the {max_line_bytes / 1e6:g} MB limit"
            )
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(no, None, error=f"line {no}: not valid UTF-8 (byte {exc.start})")
            continue
        yield parse_record(text, no, parse_text, text_field=text_field)
