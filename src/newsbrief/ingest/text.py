"""Readers for text: page text scraped from a news site, and plain article text.

Scraped pages (``scraped``) are read line by line: every non-blank input line ends up in
exactly one place (title, body, reference highlights, media, dateline, or a kept ``Block``
such as a heading or a related-story link), so nothing is dropped silently. Plain text
(``plain``) is read paragraph by paragraph with only the safe rules: a title line, a dateline
or byline at the top. The two share the per-line vocabulary in ``patterns``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbrief.article import Article, Block, BlockKind, Media
from newsbrief.ingest import patterns as P
from newsbrief.ingest.build import set_body


@dataclass(slots=True)
class _Line:
    no: int  # 1-based line number in the input
    text: str  # stripped


def _content_lines(text: str) -> list[_Line]:
    return [_Line(i, s.strip()) for i, s in enumerate(text.splitlines(), 1) if s.strip()]


def _ends_like_sentence(line: str) -> bool:
    return bool(P.SENTENCE_END.search(line))


def _looks_like_title(line: str) -> bool:
    return not _ends_like_sentence(line) and 1 <= len(line.split()) <= 30


def apply_dateline_prefix(article: Article, text: str, line: int | None) -> str:
    """Take a leading "(CNN) --" / "WASHINGTON (Reuters) -" off a paragraph into the article."""
    m = P.DATELINE_PREFIX.match(text)
    if not m:
        return text
    article.blocks.append(Block("dateline", m.group(0).strip(), line))
    article.source = article.source or m.group("source").strip()
    if m.group("place"):
        article.dateline = article.dateline or m.group("place").strip().rstrip(",")
    return text[m.end() :]


def _set_dateline(article: Article, m: re.Match[str], line: _Line) -> None:
    article.blocks.append(Block("dateline", line.text, line.no))
    source = m.group("psource") or m.group("source")
    article.source = article.source or source.strip()
    if m.group("place"):
        article.dateline = article.dateline or m.group("place").strip().rstrip(",")


def _metadata_line(article: Article, line: _Line) -> bool:
    """Bylines and timestamps, wherever they stand. True if the line was consumed."""
    if m := P.TIMESTAMP.match(line.text):
        article.published = article.published or m.group("published")
        if m.group("updated"):
            article.updated = article.updated or m.group("updated")
        article.blocks.append(Block("timestamp", line.text, line.no))
        return True
    if m := P.LAST_UPDATED.match(line.text):
        article.updated = article.updated or m.group("updated")
        article.blocks.append(Block("timestamp", line.text, line.no))
        return True
    if (
        (m := P.BYLINE.match(line.text))
        and len(line.text.split()) <= 16
        and not _ends_like_sentence(line.text.rstrip(" ."))
    ):
        article.byline = article.byline or m.group("name").strip(" .")
        article.blocks.append(Block("byline", line.text, line.no))
        return True
    return False


def _media(lines: list[_Line], i: int) -> tuple[Media, int] | None:
    """A media item starting at ``lines[i]``; returns it and the index after it."""
    line = lines[i]
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    nxt2 = lines[i + 2].text if i + 2 < len(lines) else ""
    if m := P.MEDIA_FILE.match(line.text):
        media = Media(
            kind="video" if m.group("ext").lower() in P.VIDEO_EXTS else "image",
            file_name=line.text,
            caption=P.media_caption(m.group("name")),
            lines=[line.text],
            line=line.no,
        )
        j = i + 1
        if nxt and not P.DURATION.match(nxt) and P.DURATION.match(nxt2):
            media.title = nxt
            media.lines.append(nxt)
            j += 1
        elif nxt and _looks_like_title(nxt) and not P.MEDIA_FILE.match(nxt) and not P.DURATION.match(nxt):
            # an image followed by its caption line
            media.title = nxt
            media.lines.append(nxt)
            j += 1
        if j < len(lines) and (d := P.DURATION.match(lines[j].text)):
            media.kind = "video"
            _set_duration(media, d, lines[j].text)
            j += 1
        return media, j
    if d := P.DURATION.match(line.text):
        media = Media(kind="video", lines=[], line=line.no)
        _set_duration(media, d, line.text)
        return media, i + 1
    return None


def _set_duration(media: Media, m: re.Match[str], raw: str) -> None:
    media.duration = m.group("duration")
    media.duration_seconds = P.duration_seconds(media.duration)
    media.source = m.group("source")
    media.lines.append(raw)


def _furniture_kind(line: str) -> BlockKind | None:
    """Page furniture that can stand anywhere: "Scroll down for video", photo credits."""
    if P.BOILERPLATE.match(line):
        return "boilerplate"
    if P.CAPTION.match(line):
        return "caption"
    return None


def _short_line_kind(text: str) -> str:
    """A line that does not read as a sentence: a subheading or a related-story headline."""
    if ":" in text or len(text.split()) > P.HEADING_MAX_WORDS:
        return "related"
    return "heading"


def read_scraped(text: str, *, title: str | None = None) -> Article:
    """Read text copied or scraped from a news page (see module docstring).

    ``title``, when the caller knows it (HTML metadata), stops the first headline-shaped line
    from being taken as the title.
    """
    article = Article(input_format="scraped", title=title)
    lines = _content_lines(text)
    body: list[tuple[str, int | None]] = []
    i = 0
    in_highlights = False
    while i < len(lines):
        line = lines[i]
        t = line.text
        if found := _media(lines, i):
            article.media.append(found[0])
            i = found[1]
            in_highlights = False
            continue
        if P.HIGHLIGHTS_LABEL.match(t):
            article.blocks.append(Block("label", t, line.no))
            in_highlights = True
            i += 1
            continue
        if m := P.DATELINE_LINE.match(t):
            _set_dateline(article, m, line)
            in_highlights = False
            i += 1
            continue
        if in_highlights and not _ends_like_sentence(t):
            article.reference_highlights.append(t)
            i += 1
            continue
        in_highlights = False
        if _metadata_line(article, line):
            i += 1
            continue
        if kind := _furniture_kind(t):
            article.blocks.append(Block(kind, t, line.no))
        elif _ends_like_sentence(t) and not P.KICKER_QUESTION.match(t):
            if not body:
                t = apply_dateline_prefix(article, t, line.no)
            body.append((t, line.no))
        elif not body and article.title is None and not article.media and not article.reference_highlights:
            article.title = t
        else:
            article.blocks.append(Block(_short_line_kind(t), t, line.no))  # type: ignore[arg-type]
        i += 1
    return set_body(article, body)


def read_plain(text: str) -> Article:
    """Read plain article text: paragraphs separated by blank lines (or one per line)."""
    article = Article(input_format="plain")
    lines = _content_lines(text)
    # Blank lines separate paragraphs when there are any (single newlines are then wrapping);
    # text without blank lines has one paragraph per line, as trafilatura and most copy-paste give.
    if any(not raw.strip() for raw in text.strip().splitlines()):
        blocks = _paragraph_blocks(text)
    else:
        blocks = [(line.text, line.no) for line in lines]
    body: list[tuple[str, int | None]] = []
    for k, (para, line_no) in enumerate(blocks):
        first = _Line(line_no, para)
        if not body and "\n" not in para and _metadata_line(article, first):
            continue
        if "\n" not in para and (kind := _furniture_kind(para)):
            article.blocks.append(Block(kind, para, line_no))
            continue
        if k == 0 and "\n" not in para and _looks_like_title(para) and len(blocks) > 1:
            article.title = para
            continue
        if not body:
            para = apply_dateline_prefix(article, para, line_no)
        body.append((re.sub(r"\s*\n\s*", " ", para), line_no))
    if not body and lines:
        # a title-like line and nothing else: it is the body, not a title
        article.title = None
        body = [(b[0], b[1]) for b in blocks]
    return set_body(article, body)


def _paragraph_blocks(text: str) -> list[tuple[str, int]]:
    """Blank-line separated blocks with the line number each starts on."""
    blocks: list[tuple[str, int]] = []
    current: list[str] = []
    start = 0
    for no, raw in enumerate(text.splitlines(), 1):
        if raw.strip():
            if not current:
                start = no
            current.append(raw.strip())
        elif current:
            blocks.append(("\n".join(current), start))
            current = []
    if current:
        blocks.append(("\n".join(current), start))
    return blocks
