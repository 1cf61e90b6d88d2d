"""One reader for page text, scraped or plain: every unit is body or one kind of furniture.

A unit is a non-blank line (or, in hard-wrapped plain text, a paragraph). Three passes:

1. **Certain rules** (``patterns``): media file names, durations and their title lines, a
   story-highlights heading and its bullets, datelines on their own line, timestamps, bylines,
   share/follow/newsletter/cookie/paywall/comment prompts, photo credits, "Read more" lines,
   copyright and legal footers.
2. **The line model** (``lines``) gives every unit a body probability from its own shape and
   its neighbours'; the units the rules did not claim are body above the model's threshold.
3. **Structure**: an inline dateline (``WASHINGTON (AP) —``, ``(CNN) --``, ``BERLIN (dpa) -``,
   ``LONDON —``, Daily Mail's ``By . Name . PUBLISHED: ... | UPDATED: ...``) is taken off the
   first body paragraph; short body lines that do not read as sentences become subheadings or
   related links; the other furniture is named by where it stands (title and standfirst above
   the body, navigation, related links and footers around it).

Every unit ends up in exactly one place of the ``Article``: body, title, reference highlights,
media or a ``Block``. A page of nothing but furniture gives an empty body and a note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from newsbrief.article import Article, Block, BlockKind, Media
from newsbrief.ingest import patterns as P
from newsbrief.ingest.build import KeptParagraph, set_body
from newsbrief.ingest.features import Unit
from newsbrief.ingest.lines import LineModel, default_model

_TOKEN = re.compile(r"\w+")
# Kinds of furniture the reader tells apart, and the ``Block`` kind each is kept as. The data
# model has fewer kinds than the reader sees; this table is the one place that maps them.
BLOCK_KIND: dict[str, BlockKind] = {
    "label": "label",
    "dateline": "dateline",
    "timestamp": "timestamp",
    "byline": "byline",
    "contributor": "byline",
    "prompt": "prompt",
    "caption": "caption",
    "related": "related",
    "footer": "footer",
    "navigation": "navigation",
    "heading": "heading",
    "standfirst": "standfirst",
    "boilerplate": "boilerplate",
}
CERTAIN_MAX_WORDS = 40  # lines longer than this are left to the model
MAX_HIGHLIGHTS = 6  # CNN shows 3-4 bullets; more than this is a list, not highlights
MAX_HIGHLIGHT_WORDS = 35
SHORT_INPUT_UNITS = 3  # at most this many units: too little page for the model; keep the text
# Below this many units the text is a pasted article more than a page (the dev pages have
# 40-630 lines): the model may drop short lines, but a line that reads as prose stays body.
SMALL_PAGE_UNITS = 15
GROW_MIN_P = 0.35  # hysteresis floor for prose next to body (tuned on the dev folds with the rest)
# A break in the story (a sign-up box is up to four lines) and the probability from which prose
# right after it goes on with the story (chosen on the variants set, checked on the dev folds).
BREAK_MAX_LINES = 4
BREAK_MIN_P = 0.1
MAX_MODEL_UNITS = 20_000  # the longest dev page has 630 lines; beyond this the text is no web page
# A page where no unit reaches the threshold keeps its prose units of at least this probability
# (and half the page's best) and this many words; a page of only furniture keeps no body.
FALLBACK_MIN_P = 0.05
FALLBACK_MIN_WORDS = 15
_SUBHEADING_MAX_WORDS = 12
MAX_CAPTION_WORDS = 60
MAX_SUBHEADING_RUN = 2  # more short lines than this in a row are a list or a table: body
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s")


@lru_cache(maxsize=8192)  # asked several times per line by the passes below
def _words(text: str) -> int:
    return len(_TOKEN.findall(text))


@lru_cache(maxsize=8192)
def _ends_like_sentence(text: str) -> bool:
    return P.ends_like_sentence(text)


def split_units(text: str, *, join_wrapped: bool = False) -> list[Unit]:
    """Non-blank lines with their line numbers and blank-line blocks.

    With ``join_wrapped`` (plain text), a line that runs on into the next one (it does not end
    like a sentence and the next starts in lower case, or the block is evenly hard-wrapped) is
    joined to it: the unit is then the paragraph.
    """
    units: list[Unit] = []
    block = 0
    raw_blocks: list[list[tuple[int, str]]] = [[]]
    for no, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if s:
            raw_blocks[-1].append((no, s))
        elif raw_blocks[-1]:
            raw_blocks.append([])
    for lines in raw_blocks:
        if not lines:
            continue
        wrapped = join_wrapped and _evenly_wrapped([s for _, s in lines])
        current: list[str] = []
        start = 0
        for k, (no, s) in enumerate(lines):
            if not current:
                start = no
            current.append(s)
            nxt = lines[k + 1][1] if k + 1 < len(lines) else None
            runs_on = nxt is not None and (
                wrapped or (join_wrapped and len(s) >= 40 and not _ends_like_sentence(s) and nxt[:1].islower())
            )
            if not runs_on:
                units.append(Unit(" ".join(current), start, block))
                current = []
        block += 1
    return units


def _evenly_wrapped(lines: Sequence[str]) -> bool:
    """A block typed with hard line breaks: lines of similar width, many ending mid-sentence."""
    if len(lines) < 3:
        return False
    body = lines[:-1]
    widths = [len(s) for s in body]
    mid_sentence = sum(1 for s in body if not _ends_like_sentence(s))
    # continuation lines of wrapped prose often start in lower case; list items never do
    lower = sum(1 for s in lines[1:] if s[:1].islower())
    return (
        min(widths) >= 40
        and max(widths) - min(widths) <= 30
        and 2 * mid_sentence >= len(body)
        and 3 * lower >= len(lines) - 1
    )


# --- pass 1: certain rules ----------------------------------------------------------------


def _media_at(units: Sequence[Unit], i: int) -> tuple[Media, int] | None:
    """A media item starting at ``units[i]``: file name, title line, duration; index after it."""
    t = units[i].text
    nxt = units[i + 1].text if i + 1 < len(units) else ""
    nxt2 = units[i + 2].text if i + 2 < len(units) else ""
    if _media_file(t) and (m := P.MEDIA_FILE.match(t)):
        media = Media(
            kind="video" if m.group("ext").lower() in P.VIDEO_EXTS else "image",
            file_name=t,
            caption=P.media_caption(m.group("name")),
            lines=[t],
            line=units[i].line,
        )
        j = i + 1
        is_duration = P.DURATION.match(nxt) or P.BARE_DURATION.match(nxt)
        if nxt and not is_duration and (P.DURATION.match(nxt2) or P.BARE_DURATION.match(nxt2)):
            media.title = nxt
            media.lines.append(nxt)
            j += 1
        elif nxt and _looks_like_caption(nxt) and not P.MEDIA_FILE.match(nxt) and not is_duration:
            media.title = nxt  # an image followed by its caption line
            media.lines.append(nxt)
            j += 1
        if j < len(units) and (d := P.DURATION.match(units[j].text) or P.BARE_DURATION.match(units[j].text)):
            media.kind = "video"
            _set_duration(media, d, units[j].text)
            j += 1
        return media, j
    if len(t) <= 60 and (d := P.DURATION.match(t) or P.BARE_DURATION.match(t)):
        media = Media(kind="video", lines=[], line=units[i].line)
        _set_duration(media, d, t)
        return media, i + 1
    return None


def _media_file(text: str) -> bool:
    """A cheap test before ``MEDIA_FILE``: the line ends with a media file extension."""
    return text[-5:].rpartition(".")[2].lower() in P.MEDIA_EXTS


def _looks_like_caption(text: str) -> bool:
    return not _ends_like_sentence(text) and 1 <= len(text.split()) <= 30


def _set_duration(media: Media, m: re.Match[str], raw: str) -> None:
    media.duration = m.group("duration")
    media.duration_seconds = P.duration_seconds(media.duration)
    media.source = m.groupdict().get("source")
    media.lines.append(raw)


def _starts_body(text: str) -> bool:
    """A paragraph that opens with an inline dateline: the story starts here."""
    return bool(P.DATELINE_PREFIX.match(text) or P.DATELINE_PLACE_PREFIX.match(text) or P.DM_HEADER_PREFIX.match(text))


def _highlight_end(units: Sequence[Unit], i: int) -> int:
    """Index after the bullets that follow a highlights heading at ``units[i - 1]``."""
    j = i
    first_block = units[i].block if i < len(units) else -1
    one_block = i + 1 < len(units) and units[i + 1].block == first_block
    while j < len(units) and j - i < MAX_HIGHLIGHTS:
        u = units[j]
        t = P.BULLET.sub("", u.text)
        if one_block and u.block != first_block:
            break  # the bullets were one list; the list has ended
        if (
            not t
            or _words(t) > MAX_HIGHLIGHT_WORDS
            or P.SENTENCE_INSIDE.search(t)
            or (len(t.split()) <= P.NAME_LINE_MAX_WORDS and P.NAME_LINE.match(t))
            or P.DATELINE_LINE.match(t)
            or _starts_body(t)
            or P.MEDIA_FILE.match(t)
            or P.DURATION.match(t)
            or P.HIGHLIGHTS_LABEL.match(t)
            or P.TIMESTAMP.match(t)
            or P.DATE_LINE.match(t)
            or (P.BYLINE.match(t) and _words(t) <= 16)
        ):
            break
        j += 1
    return j


def _certain_kind(text: str) -> str | None:
    """The furniture kind of a line that a rule decides alone, or None.

    The rules are asked in a fixed order (the first that matches names the line); each is
    guarded by a cheap necessary condition (``patterns``' preconditions) so that a prose line
    costs a few substring tests, not a dozen regex runs."""
    nw = _words(text)
    low = text.lower()
    if nw > CERTAIN_MAX_WORDS:
        # every certain rule is about a short line, but for a long cookie notice
        if nw <= P.COOKIE_NOTICE_MAX_WORDS and "cookie" in low and P.DISCLOSURE.search(text):
            return "prompt"
        return None
    digit = P.has_digit(text)
    if (digit or "published:" in low or "updated" in low) and P.TIMESTAMP_OR_DATE.match(text):
        return "timestamp"
    if digit and nw <= 16 and P.STAMP_LINE.match(text):
        return "timestamp"
    if (
        (P.BOILERPLATE_OR_PROMPT if nw <= P.PROMPT_MAX_WORDS else P.BOILERPLATE).match(text)
        or (
            nw <= P.PROMPT_ANYWHERE_MAX_WORDS
            and P.PROMPT_ANYWHERE_HINT.search(low)
            and P.PROMPT_ANYWHERE_OR_DISCLOSURE.search(text)
        )
        or (P.DISCLOSURE_HINT.search(low) and P.DISCLOSURE.search(text))
    ):
        return "prompt"
    if text[:1] in P.COMMENT_MARK_FIRST and P.COMMENT_MARK.match(text):
        return "prompt"  # where reader comments start: "3 thoughts on “...”", "Leave a Reply"
    if P.may_be_contributor(low) and P.CONTRIBUTOR.match(text):
        return "contributor"
    if nw <= P.AUTHOR_BIO_MAX_WORDS and P.may_be_author_bio(low) and P.AUTHOR_BIO.match(text):
        return "contributor"
    if text[:1] in P.BYLINE_FIRST and (
        ((m := P.DM_HEADER_PREFIX.match(text)) and not text[m.end() :].strip())
        or (P.BYLINE.match(text) and nw <= 16 and not _ends_like_sentence(text.rstrip(" .")))
    ):
        return "byline"
    if digit and P.is_date_author(text, nw):
        return "byline"  # "November 20, 2019 Emiliano Bellini"
    if P.CAPTION_OR_CREDIT_START.match(text) or P.is_credit_tail(text) or P.is_short_credit(text, nw):
        return "caption"
    if nw <= 15 and not _ends_like_sentence(text) and P.RELATED.match(text):
        return "related"
    if nw <= 30 and P.is_footer(text):
        return "footer"
    if nw <= 16 and P.may_be_dateline_line(text) and P.DATELINE_LINE.match(text):
        return "dateline"
    return None


class _Page:
    """The state of one read: units, what each became, and the article being filled."""

    def __init__(self, units: list[Unit], article: Article) -> None:
        self.units = units
        self.article = article
        self.kind: list[str | None] = [None] * len(units)
        self.media_at: dict[int, Media] = {}
        self.confidence: list[float] | None = None  # the line model's body probability of each unit

    def apply_rules(self) -> None:
        units, i = self.units, 0
        while i < len(units):
            t = units[i].text
            if found := _media_at(units, i):
                self.media_at[i] = found[0]
                for k in range(i, found[1]):
                    self.kind[k] = "media"
                i = found[1]
                continue
            if t[:1] in P.HIGHLIGHTS_LABEL_FIRST and P.HIGHLIGHTS_LABEL.match(t):
                end = _highlight_end(units, i + 1)
                if end > i + 1:
                    self.kind[i] = "label"
                    for k in range(i + 1, end):
                        self.kind[k] = "highlight"
                    i = end
                    continue
                self.kind[i] = "label"
                i += 1
                continue
            self.kind[i] = _certain_kind(t)
            i += 1
        self._unlabelled_highlights()
        self._signup_boxes()
        for u, rule in zip(units, self.kind, strict=True):
            u.rule = rule

    def _unlabelled_highlights(self) -> None:
        """Summary bullets with no heading, between the headline and the byline (Daily Mail):
        two or more one-sentence lines right above the page's first byline or timestamp, with a
        headline-shaped line above them."""
        units, kind = self.units, self.kind
        n = len(units)
        meta = next((i for i, k in enumerate(kind) if k in ("byline", "timestamp")), n)
        if meta >= n or meta > 0.6 * n:
            return
        j = meta
        while j > 0 and kind[j - 1] is None and _bullet_sentence(units[j - 1].text):
            j -= 1
        if meta - j >= 2 and j > 0 and kind[j - 1] is None and _looks_like_title(units[j - 1].text):
            for k in range(j, meta):
                kind[k] = "highlight"

    def _signup_boxes(self) -> None:
        """The short lines of a block that holds a newsletter prompt are that sign-up box's
        pitch, field labels and button: prompts too. A block of body paragraphs is never this
        short, and a page printed without blank lines is one long block."""
        units, kind = self.units, self.kind
        start = 0
        while start < len(units):
            end = start
            while end < len(units) and units[end].block == units[start].block:
                end += 1
            box = range(start, end)
            if (
                end - start <= P.SIGNUP_BOX_MAX_LINES
                and all(kind[i] in (None, "prompt") and _words(units[i].text) <= P.SIGNUP_BOX_MAX_WORDS for i in box)
                and any(kind[i] == "prompt" and P.PROMPT_ANYWHERE.search(units[i].text) for i in box)
            ):
                for i in box:
                    kind[i] = "prompt"
            start = end


def _bullet_sentence(text: str) -> bool:
    t = P.BULLET.sub("", text)
    return _ends_like_sentence(t) and 4 <= _words(t) <= MAX_HIGHLIGHT_WORDS and not P.SENTENCE_INSIDE.search(t)


def ruled_units(text: str, *, join_wrapped: bool = False) -> list[Unit]:
    """The units of ``text`` with the kinds the certain rules give them (``Unit.rule``): what the
    line model sees. The fitting script uses it to build its training rows."""
    page = _Page(split_units(text, join_wrapped=join_wrapped), Article())
    page.apply_rules()
    return page.units


def read_page(
    text: str,
    *,
    input_format: str,
    join_wrapped: bool = False,
    title: str | None = None,
    model: LineModel | None = None,
) -> Article:
    """Read page text (see module docstring). ``title``, when the caller knows it (HTML
    metadata), is kept and no line is taken as the title."""
    article = Article(input_format=input_format, title=title)
    units = split_units(text, join_wrapped=join_wrapped)
    page = _Page(units, article)
    page.apply_rules()
    body = _body_units(page, model or default_model())
    _name_furniture(page, body, title_known=title is not None)
    return _assemble(page, body)


def _body_units(page: _Page, model: LineModel) -> list[bool]:
    units, kind = page.units, page.kind
    n = len(units)
    free = [k is None for k in kind]
    if n <= SHORT_INPUT_UNITS:
        # Too little page to judge; what no rule claimed is the text (a title line aside).
        body = free[:]
        if sum(body) > 1 and _looks_like_title(units[0].text) and body[0]:
            body[0] = False
        return body
    if n > MAX_MODEL_UNITS:
        # Not a web page but a dump of text: the rules only, and what reads as prose is body.
        page.article.notes.append(
            f"{n} lines: read with the line rules only (the line model reads up to {MAX_MODEL_UNITS})"
        )
        return [f and _ends_like_sentence(u.text) and _words(u.text) >= 3 for f, u in zip(free, units, strict=True)]
    probs = model.probabilities(units)
    page.confidence = probs
    body = [f and p >= model.threshold for f, p in zip(free, probs, strict=True)]
    if n < SMALL_PAGE_UNITS:
        for i, u in enumerate(units):
            body[i] = body[i] or (free[i] and _ends_like_sentence(u.text) and _words(u.text) >= 3)
    _grow(units, free, probs, body)
    _grow_past_break(units, free, probs, body)
    if not any(body):
        # Nothing above the threshold: the page's most body-like prose, if it has any (a
        # lone paragraph among hundreds of menu lines scores low on every page-wide feature).
        top = max((p for p, f in zip(probs, free, strict=True) if f), default=0.0)
        for i, u in enumerate(units):
            if free[i] and probs[i] >= max(FALLBACK_MIN_P, 0.5 * top) and _is_prose(u.text):
                body[i] = True
    # An agency dateline that opens a paragraph marks where the story starts, whatever the
    # model says: that paragraph is body, and nothing above it is (teasers, deks, captions).
    for i in range(n):
        t = units[i].text
        if free[i] and P.STORY_START.match(t) and _ends_like_sentence(t) and _words(t) >= 8:
            body[i] = True
            body[:i] = [False] * i
            break
    # Any other dateline that opens a paragraph above the body starts it.
    first = next((i for i, b in enumerate(body) if b), n)
    for i in range(min(first, n)):
        if (
            free[i]
            and _starts_body(units[i].text)
            and _ends_like_sentence(units[i].text)
            and _words(units[i].text) >= 8
        ):
            body[i] = True
            break
    # A dateline line is furniture of the story's top; elsewhere "Photos (AP)" is just a line.
    first = next((i for i, b in enumerate(body) if b), n)
    for i in range(n):
        if kind[i] == "dateline" and i > first and not (i + 1 < n and body[i + 1]):
            kind[i] = None
    return body


def _grow(units: Sequence[Unit], free: Sequence[bool], probs: Sequence[float], body: list[bool]) -> None:
    """Hysteresis, as jusText does with its near-good blocks: a prose paragraph the model was
    unsure of (probability at least ``GROW_MIN_P``) is body when the nearest paragraph on either
    side, over lines the rules claimed and short lines, is body. Sweeps down, then up."""
    n = len(units)
    candidate = [
        free[i] and not body[i] and probs[i] >= GROW_MIN_P and _is_sentence_paragraph(units[i].text) for i in range(n)
    ]
    for order in (range(n), range(n - 1, -1, -1)):
        last: bool | None = None  # was the nearest paragraph so far body?
        for i in order:
            if candidate[i] and last:
                body[i] = True
            if free[i] and _is_sentence_paragraph(units[i].text):
                last = body[i]


def _grow_past_break(units: Sequence[Unit], free: Sequence[bool], probs: Sequence[float], body: list[bool]) -> None:
    """A story broken by a sign-up box, an ad, a video or a caption goes on after it: the
    first prose paragraph past at most ``BREAK_MAX_LINES`` lines that the rules claimed (or the
    story's own subheadings) under a body paragraph is body from the lower probability
    ``BREAK_MIN_P``. Not a cut teaser, a title-case line or a question: those are what stands
    under a story's last paragraph on real pages."""
    last_body = -1
    for i, u in enumerate(units):
        if body[i]:
            last_body = i
        elif (
            last_body >= 0
            and i - last_body - 1 <= BREAK_MAX_LINES
            and free[i]
            and probs[i] >= BREAK_MIN_P
            and _is_sentence_paragraph(u.text)
            and not _reads_as_teaser(u.text)
            and not u.text.rstrip("\"'”’» ").endswith("?")
            and all(not free[j] or _is_subheading(units[j].text) for j in range(last_body + 1, i))
        ):
            body[i] = True
            last_body = i


def _is_subheading(text: str) -> bool:
    """A story's own subheading ("The backlash"): a few words, no stop, not a link."""
    return _words(text) <= P.HEADING_MAX_WORDS and not _ends_like_sentence(text) and ":" not in text


def _reads_as_teaser(text: str) -> bool:
    """A cut excerpt of another story ("... by a Nigeria…", "[…]") or a line in title case
    ("Quickly Collect Signatures. Anywhere And On Any Device."): a teaser, not the story."""
    if text.rstrip().endswith(P.ELLIPSES):
        return True
    long_words = [w for w in text.split() if len(w) >= 4 and w[:1].isalpha()]
    return len(long_words) >= 3 and sum(w[:1].isupper() for w in long_words) >= 0.7 * len(long_words)


def _is_sentence_paragraph(text: str) -> bool:
    return _ends_like_sentence(text) and _words(text) >= 8


def _is_prose(text: str) -> bool:
    return _ends_like_sentence(text) and _words(text) >= FALLBACK_MIN_WORDS


def _looks_like_title(text: str) -> bool:
    return not _ends_like_sentence(text) and 1 <= len(text.split()) <= 30


def _name_furniture(page: _Page, body: list[bool], *, title_known: bool) -> None:
    """Give every unit that is neither body nor ruled furniture a kind, by shape and place."""
    units, kind = page.units, page.kind
    n = len(units)
    first = next((i for i, b in enumerate(body) if b), n)
    last = max((i for i, b in enumerate(body) if b), default=-1)
    # Short body lines that do not read as sentences and stand alone between paragraphs:
    # subheadings and related-story links. Runs of such lines (lists, tables, a recipe's
    # ingredients) stay body, and so does a text with nothing that reads as a sentence.
    has_prose = any(b and _ends_like_sentence(u.text) for b, u in zip(body, units, strict=True))
    for i in range(first, last + 1):
        if has_prose and body[i] and not _ends_like_sentence(units[i].text) and _caption_marked(units[i].text):
            body[i] = False  # "Dani Alves (left) is being linked ...": prose ends with a stop
            kind[i] = "caption"
    loose = [
        body[i] and not _ends_like_sentence(u.text) and not P.BULLET.match(u.text) and not _NUMBERED.match(u.text)
        for i, u in enumerate(units)
    ]
    run = _run_lengths(loose)
    for i in range(first, last + 1):
        t = units[i].text
        if not (has_prose and body[i]):
            continue
        if (
            loose[i] and run[i] <= MAX_SUBHEADING_RUN and _words(t) <= _SUBHEADING_MAX_WORDS
        ) or P.KICKER_QUESTION.match(t):
            body[i] = False
            kind[i] = _short_line_kind(t)
        elif loose[i] and run[i] <= MAX_SUBHEADING_RUN and _caption_shaped(t):
            # a long line that does not end like a sentence, alone between paragraphs: a caption
            body[i] = False
            kind[i] = "caption"
    # Short lines after the story's last sentence are link lists ("Most read", "1. ..."), not body.
    last_prose = max((i for i in range(n) if body[i] and _is_sentence_paragraph(units[i].text)), default=-1)
    for i in range(last_prose + 1, last + 1 if last_prose >= 0 else 0):
        if body[i] and not _ends_like_sentence(units[i].text):
            body[i] = False
            kind[i] = "related"
    if not title_known and (head := _title_index(page, body, first)) is not None:
        kind[head] = "title"
    for i in range(n):
        if body[i] or kind[i] is not None:
            continue
        t = units[i].text
        nw = _words(t)
        if i < first:
            if _ends_like_sentence(t) and nw >= 8 and first - i <= 3:
                kind[i] = "standfirst"
            else:
                kind[i] = "navigation" if nw <= 5 else "boilerplate"
        elif i <= last:
            kind[i] = "boilerplate" if _ends_like_sentence(t) and nw > _SUBHEADING_MAX_WORDS else _short_line_kind(t)
        else:
            kind[i] = "related" if not _ends_like_sentence(t) and nw >= 4 else "boilerplate"


_INNER_STOP = re.compile(r"[.!?][\"”’)]?\s+[A-Z\"“‘(]")
_URLISH = re.compile(r"https?://|www\.|pic\.twitter|@\w", re.I)


def _caption_marked(text: str) -> bool:
    """A line with a caption's position marker ("(pictured)", "(left)") or opening ("Pictured:")
    and no final stop. Asked after the model, of body lines only: a rule here would change what
    the line model was fitted on."""
    return _words(text) >= P.CAPTION_MARKER_MIN_WORDS and bool(
        P.CAPTION_OPENING.match(text) or ("(" in text and P.CAPTION_MARKER.search(text))
    )


def _caption_shaped(text: str) -> bool:
    """One long clause with no final stop, no sentence inside, no link: how photo captions read
    once the page lost its markup (prose that lost its last stop has sentences inside)."""
    return (
        _words(text) <= MAX_CAPTION_WORDS
        and not text.endswith((":", ",", ";"))
        and not _INNER_STOP.search(text)
        and not _URLISH.search(text)
    )


def _run_lengths(flags: Sequence[bool]) -> list[int]:
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = [j - i] * (j - i)
        i = j + 1
    return out


def _short_line_kind(text: str) -> str:
    """A line that does not read as a sentence: a subheading or a related-story headline."""
    if ":" in text or len(text.split()) > P.HEADING_MAX_WORDS:
        return "related"
    return "heading"


def _title_index(page: _Page, body: list[bool], first: int) -> int | None:
    """The headline: the headline-shaped line above the body that the page's first line (its
    ``<title>``) contains, else the first line when it is headline-shaped."""
    units, kind = page.units, page.kind
    if not units or first == 0:
        return None
    head = units[0].text.lower() if kind[0] is None and not body[0] else ""
    best: int | None = None
    for i in range(1, first):
        t = units[i].text
        if kind[i] is not None or body[i] or not _looks_like_title(t) or _words(t) < 3:
            continue
        if head and t.lower() in head:
            best = i  # the nearest to the body wins
    if best is not None:
        return best
    # No <title> line to match: the headline is the headline-shaped line right above the
    # byline or timestamp (within two lines), as article pages print them.
    meta = next((i for i in range(first) if kind[i] in ("byline", "timestamp")), None)
    if meta is not None:
        for i in range(meta - 1, max(-1, meta - 3), -1):
            t = units[i].text
            if kind[i] is None and not body[i] and _looks_like_title(t) and _words(t) >= 3:
                return i
    if head and _looks_like_title(units[0].text):
        return 0
    return None


def _assemble(page: _Page, body: list[bool]) -> Article:
    article, units, kind = page.article, page.units, page.kind
    paragraphs: list[KeptParagraph] = []
    for i, u in enumerate(units):
        k = kind[i]
        if body[i]:
            t = u.text
            if not paragraphs:
                t = take_header_prefix(article, t, u.line)
            paragraphs.append((t, u.line, None if page.confidence is None else round(page.confidence[i], 4)))
        elif k == "media":
            if i in page.media_at:
                article.media.append(page.media_at[i])
        elif k == "highlight":
            article.reference_highlights.append(P.BULLET.sub("", u.text))
        elif k == "title":
            article.title = u.text
        elif k is not None:
            _keep_block(article, k, u)
    if not paragraphs and units:
        article.notes.append(
            f"no article text found: all {len(units)} lines were classed as page furniture (kept in blocks)"
        )
    return set_body(article, paragraphs)


def _keep_block(article: Article, kind: str, u: Unit) -> None:
    t = u.text
    if kind == "dateline" and (m := P.DATELINE_LINE.match(t)):
        source = m.group("psource") or m.group("source")
        article.source = article.source or source.strip()
        if m.group("place"):
            article.dateline = article.dateline or m.group("place").strip().rstrip(",")
    elif kind == "timestamp":
        if m := P.TIMESTAMP.match(t):
            article.published = article.published or m.group("published")
            if m.group("updated"):
                article.updated = article.updated or m.group("updated")
        elif m := P.LAST_UPDATED.match(t):
            article.updated = article.updated or m.group("updated")
        elif re.match(r"^\s*(?:last\s+)?(?:updated|modified)", t, re.I):
            article.updated = article.updated or t
        else:
            article.published = article.published or t
    elif kind == "byline" and (m := P.DM_HEADER_PREFIX.match(t)):
        article.byline = article.byline or m.group("name").strip(" .")
        article.published = article.published or m.group("published")
        article.updated = article.updated or m.group("updated")
    elif kind == "byline" and (m := P.BYLINE.match(t)):
        article.byline = article.byline or m.group("name").strip(" .")
    elif kind == "byline" and (m := P.DATE_AUTHOR.match(t)):
        article.byline = article.byline or m.group("name")
        article.published = article.published or t[: m.start("name")].strip(" ,|·•–—-").removesuffix(" by")
    article.blocks.append(Block(BLOCK_KIND[kind], t, u.line))


def take_header_prefix(article: Article, text: str, line: int | None) -> str:
    """Take an inline dateline or Daily Mail header off the first paragraph into the article.

    ``WASHINGTON (AP) — ...``, ``(CNN) -- ...``, ``BERLIN (dpa) - ...``, ``LONDON — ...`` go to
    ``dateline``/``source``; ``By . Name . PUBLISHED: ... | UPDATED: ...`` to ``byline``,
    ``published``, ``updated``. The prefix is kept as a ``dateline`` block of the same line, so
    the paragraph's full text can be put back together.
    """
    if m := P.DM_HEADER_PREFIX.match(text):
        article.byline = article.byline or m.group("name").strip(" .")
        article.published = article.published or m.group("published")
        article.updated = article.updated or m.group("updated")
        article.source = article.source or "Daily Mail"
        article.blocks.append(Block("dateline", m.group(0).strip(), line))
        return text[m.end() :]
    if m := P.DATELINE_PREFIX.match(text):
        article.blocks.append(Block("dateline", m.group(0).strip(), line))
        article.source = article.source or m.group("source").strip()
        if m.group("place"):
            article.dateline = article.dateline or m.group("place").strip().rstrip(",")
        return text[m.end() :]
    if m := P.DATELINE_PLACE_PREFIX.match(text):
        article.blocks.append(Block("dateline", m.group(0).strip(), line))
        article.dateline = article.dateline or m.group("place").strip().rstrip(",")
        return text[m.end() :]
    return text
