"""HTML pages: trafilatura's main text as the body, our structure around it.

Why this shape: trafilatura already finds the article in a page's markup better than line
rules applied to its output (on the dev pages, re-reading its text as scraped lines cost
recall: F1 0.910 against its own 0.952). So its body is kept as it is, block by block, and we
only add what it does not know about news: the title it repeats, the page's ``lang``, an
opening agency dateline (``LONDON (Reuters) -``), a ``Story highlights`` / ``Key points``
block, subheadings, and the lines that are certainly not prose (media file names, video
durations, ``Scroll down for video``, ``Photo: ...`` credits, ``PUBLISHED: ...`` stamps).
Whenever trafilatura finds text, the article has a body: if our rules would leave nothing,
trafilatura's text is kept whole, with a note.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsbrief.article import Article, Block, BlockKind, Media, MediaKind
from newsbrief.errors import InputError
from newsbrief.ingest import patterns as P
from newsbrief.ingest.build import set_body
from newsbrief.ingest.language import detect_language, normalise_tag
from newsbrief.ingest.text import apply_dateline_prefix

__all__ = ["EXTRACTOR_OPTIONS", "MAX_ELEMENTS", "NO_TEXT", "page_language_attribute", "read_html"]

NO_TEXT = "HTML page has no article text that could be extracted"
# trafilatura's options, chosen by 5-fold cross-validation on the dev pages among five
# candidate sets (bench/pages_html.py, bench/results/pages_html.md: chosen on every fold,
# held-out F1 0.965 against trafilatura's own 0.952). Comments are not article text. When these
# find nothing, the defaults and then favor_recall are tried: whenever trafilatura finds text,
# we have a body.
EXTRACTOR_OPTIONS: Mapping[str, Any] = {"include_comments": False, "include_tables": True, "favor_precision": True}
_FALLBACKS: tuple[Mapping[str, Any], ...] = (
    {"include_comments": False},
    {"include_comments": False, "favor_recall": True},
)
# trafilatura takes about 0.25 ms per element on deeply nested markup (40,000 nested divs:
# 10 s), so the element count bounds the time a page can take; the largest dev page has 1,737.
MAX_ELEMENTS = 50_000
_ELEMENT = re.compile(r"<[A-Za-z]")
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.I)
_LANG_SNIFF = 16384  # the <html> tag is at the top; never scan a whole 10 MB page for it
_HIGHLIGHT_MAX_WORDS = 40  # a bullet is one sentence; a longer block is the story starting
_HIGHLIGHTS_MAX = 8
_BULLET_JUMP, _BULLET_JUMP_MIN_WORDS = 1.5, 18  # unlisted bullets: where the length jumps, the story starts
_MIN_WORDS = 5  # below this, and with no sentence, the extractor's text is a stray link
_FURNITURE_MAX_WORDS = 12  # the certain-furniture rules judge short lines only: prose starting "Click here to" stays
_BYLINE_MAX_WORDS = 8  # "By Jane Smith and John Doe, CNN"; "By continuing to use ..." is longer
_BULLET = re.compile(r"^(?:[•·▪●◦‣*]|[-–—](?=\s))\s*")


@dataclass(slots=True)
class _Unit:
    """One block of trafilatura's body: a paragraph, heading, list item, quote or table row."""

    kind: str  # "p" or "head"
    text: str
    listed: bool = False  # a list item


def read_html(
    html: str,
    *,
    url: str | None = None,
    options: Mapping[str, Any] | None = None,
    headings_in_body: bool = False,
) -> Article:
    """Read one article from an HTML page (see module docstring).

    ``options`` replaces the trafilatura extraction options (``bench/pages_html.py`` fits
    them on folds); the default is ``EXTRACTOR_OPTIONS``. ``headings_in_body`` keeps
    subheadings in the body as paragraphs of their own, as extraction benchmarks count them
    (F1 0.971 instead of 0.965 on the dev pages), instead of apart as ``heading`` blocks.
    """
    _check_size(html)
    doc = _extract(html, url, EXTRACTOR_OPTIONS if options is None else options)
    units = _units(doc) if doc is not None else []
    if not _is_text(units):
        raise InputError(NO_TEXT)
    title = _clean(getattr(doc, "title", None) or "") or None
    article = Article(input_format="html", title=title)
    article.byline = getattr(doc, "author", None) or None
    article.published = getattr(doc, "date", None) or None
    article.site_name = getattr(doc, "sitename", None) or None
    article.url = getattr(doc, "url", None) or url
    body = _structure(article, units, headings_in_body=headings_in_body)
    if not body:
        # our rules took every block for furniture: trafilatura's text stays the body
        article.blocks, article.media = [], []  # their text is the body now: nothing twice
        article.notes.append("every extracted block looked like page furniture; kept the extractor's text as the body")
        body = [(u.text, None) for u in units if not (title and u.text == title)] or [(u.text, None) for u in units]
    set_body(article, body)
    article.language = _language(article, html)
    return article


def _language(article: Article, html: str) -> str | None:
    """The page's ``lang``, unless its text clearly reads as another language: templates
    keep a default ``lang="en"`` on pages written in German (one of the 84 dev pages that
    declare one)."""
    declared = page_language_attribute(html)
    found = detect_language(article.body)
    if declared and found and found != declared:
        article.notes.append(f"the page declares lang={declared!r} but its text reads as {found!r}")
        return found
    return declared or found


def _check_size(html: str) -> None:
    """Refuse markup too big to extract in reasonable time, before parsing it."""
    elements = len(_ELEMENT.findall(html))
    if elements > MAX_ELEMENTS:
        raise InputError(
            f"HTML page has {elements:,} elements, more than the {MAX_ELEMENTS:,} an article page can have; not extracted"
        )


def _is_text(units: list[_Unit]) -> bool:
    """Whether what the extractor found is text at all: a nav-only page gives back its one
    link ("Home"), which is not an article."""
    words = sum(len(u.text.split()) for u in units)
    return words >= _MIN_WORDS or any(P.SENTENCE_END.search(u.text) for u in units)


def page_language_attribute(html: str) -> str | None:
    """The primary language subtag of ``<html lang="...">`` ("en-GB" -> "en"), if any."""
    m = _HTML_LANG.search(html[:_LANG_SNIFF])
    return normalise_tag(m.group(1)) if m else None


def _extract(html: str, url: str | None, options: Mapping[str, Any]) -> Any:
    import trafilatura  # imported here: the HTML reader is the only user and it is slow to import

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for attempt in (options, *_FALLBACKS):
            try:
                doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **attempt)
            except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as exc:
                raise InputError(f"cannot parse HTML: {type(exc).__name__}: {exc}") from None
            except Exception as exc:  # lxml raises its own error classes on broken markup
                raise InputError(f"cannot parse HTML: {exc}") from None
            if doc is not None and (getattr(doc, "text", None) or "").strip():
                return doc
    return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _text_of(element: Any) -> str:
    """An element's text with line breaks (``<lb/>``) as spaces, whitespace collapsed."""
    for lb in element.iter("lb"):
        lb.tail = " " + (lb.tail or "")
    return _clean("".join(element.itertext()))


def _units(doc: Any) -> list[_Unit]:
    body = getattr(doc, "body", None)
    if body is None or not len(body):
        text = getattr(doc, "text", None) or ""
        return [_Unit("p", _clean(line)) for line in text.splitlines() if line.strip()]
    units: list[_Unit] = []
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "list":
            items = [_text_of(item) for item in element.iter("item")]
            units.extend(_Unit("p", t, listed=True) for t in items if t)
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_text_of(c) for c in row.iter("cell")]
                if line := " | ".join(c for c in cells if c):
                    units.append(_Unit("p", line))
        elif text := _text_of(element):
            units.append(_Unit("head" if tag == "head" else "p", text))
    return units


def _structure(article: Article, units: list[_Unit], *, headings_in_body: bool) -> list[tuple[str, int | None]]:
    """Sort trafilatura's blocks into body, title, highlights, media and kept blocks."""
    body: list[tuple[str, int | None]] = []
    i = 0
    while i < len(units):
        u = units[i]
        t = u.text
        if not body and article.title and _clean(t).casefold() == article.title.casefold():
            i += 1  # trafilatura repeats the headline as the first block
            continue
        if P.HIGHLIGHTS_LABEL.match(t):
            article.blocks.append(Block("label", t))
            i = _highlights(article, units, i + 1)
            continue
        if media := _media(t):
            nxt = units[i + 1].text if i + 1 < len(units) else ""
            if media.file_name and (d := P.DURATION.match(nxt)):
                media.kind = "video"  # a video's file name, then its "03:00 - Source: CNN" line
                media.duration, media.source = d.group("duration"), d.group("source")
                media.duration_seconds = P.duration_seconds(d.group("duration"))
                media.lines.append(nxt)
                i += 1
            article.media.append(media)
        elif kind := _furniture_kind(article, t, at_top=not body):
            article.blocks.append(Block(kind, t))
        elif u.kind == "head" and not headings_in_body:
            article.blocks.append(Block("heading", t))
        else:
            if not body:
                t = apply_dateline_prefix(article, t, None)
            if t.strip():
                body.append((t, None))
        i += 1
    return body


def _highlights(article: Article, units: list[_Unit], i: int) -> int:
    """The bullets after a highlights label: the list that follows, or else the short lines
    that follow, up to the first heading, dateline or long paragraph, or the first change of
    final punctuation (bullets are all stopped or all unstopped) or of length."""
    listed = i < len(units) and units[i].listed
    stopped: bool | None = None
    taken = longest = 0
    while i < len(units) and taken < _HIGHLIGHTS_MAX:
        u = units[i]
        if u.kind == "head" or u.listed != listed or P.DATELINE_PREFIX.match(u.text):
            break
        words = len(u.text.split())
        if words > _HIGHLIGHT_MAX_WORDS:
            break
        ends = bool(P.SENTENCE_END.search(u.text))
        if not listed and stopped is not None and (ends != stopped or _story_length(words, longest)):
            break
        stopped, longest = ends, max(longest, words)
        article.reference_highlights.append(_BULLET.sub("", u.text))
        taken += 1
        i += 1
    return i


def _story_length(words: int, longest_bullet: int) -> bool:
    """A paragraph much longer than every bullet so far is the story starting, not a bullet."""
    return words > _BULLET_JUMP_MIN_WORDS and words > _BULLET_JUMP * longest_bullet


def _media(text: str) -> Media | None:
    if m := P.MEDIA_FILE.match(text):
        kind: MediaKind = "video" if m.group("ext").lower() in P.VIDEO_EXTS else "image"
        return Media(kind=kind, file_name=text, caption=P.media_caption(m.group("name")), lines=[text])
    if d := P.DURATION.match(text):
        duration = d.group("duration")
        return Media(
            kind="video",
            duration=duration,
            duration_seconds=P.duration_seconds(duration),
            source=d.group("source"),
            lines=[text],
        )
    return None


def _furniture_kind(article: Article, text: str, *, at_top: bool) -> BlockKind | None:
    """Lines that are certainly not prose, wherever they stand; bylines only above the body."""
    if len(text.split()) > _FURNITURE_MAX_WORDS:
        return None
    if P.BOILERPLATE.match(text):
        return "boilerplate"
    if P.CAPTION.match(text):
        return "caption"
    if m := P.TIMESTAMP.match(text):
        article.published = article.published or m.group("published")
        article.updated = article.updated or m.group("updated")
        return "timestamp"
    if m := P.DATELINE_LINE.match(text):
        article.source = article.source or (m.group("psource") or m.group("source")).strip()
        if m.group("place"):
            article.dateline = article.dateline or m.group("place").strip().rstrip(",")
        return "dateline"
    if (
        at_top
        and (m := P.BYLINE.match(text))
        and len(text.split()) <= _BYLINE_MAX_WORDS
        and not P.SENTENCE_END.search(m.group("name").rstrip(" ."))
    ):
        article.byline = article.byline or m.group("name").strip(" .")
        return "byline"
    return None
