"""Features of the lines (units) of a page's text, for the body/furniture line model.

Two stages, in the spirit of jusText and boilerpipe. Stage 1 looks at a line and its near
neighbours: length, end punctuation, function-word density in the page's language (also
against the page's own prose, as the length is), capitalisation, digits, link-like and
known-furniture shapes, words that address the reader ("you", "our": forms, prompts,
disclaimers), a truncated teaser's "...", a related headline glued to its teaser, repetition,
position, the size of its blank-line-separated block, and how prose-like the lines around it
are. Stage 2 adds what stage 1 thought of the neighbourhood: the smoothed body probability
around the line, whether the line lies in the densest run of body text (a maximum-sum run of
length-weighted probabilities) and how far from it, how much predicted body text lies before
and after it, how the line compares with the page's most body-like line, and whether a short
line sits between body prose.

Everything is computed in linear time over the page (prefix sums, no neighbour scans), in pure
Python: the base install has no numpy. Both the fitting script (``bench/fit_lines.py``) and the
reader call these functions, so the features a model was fitted on are the ones it is run on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.ingest import patterns as P
from newsbrief.ingest.language import page_language
from newsbrief.nlp.stopwords import PROSE_FUNCTION_WORDS as STOPWORDS

_TOKEN = re.compile(r"\w+")
_URLISH = re.compile(r"https?://|www\.|\S@\S|@\w|\.(?:com|org|net|co\.uk)\b", re.I)
_SEPARATOR = re.compile(r"\s[|»›·/]\s|\s\|\s?|\|")
_QUOTE = re.compile(r"[\"“”«»„]")
_INNER_STOP = re.compile(r"[.!?][\"”’)]?\s+[A-Z\"“‘(]")
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[•·▪●◦‣*]|[-–](?=\s))\s*\S")
_PROSE_REACH = 30  # how far stage 2 looks for the nearest prose line above and below
# Word-count buckets: a line's length matters non-linearly (a 1-word line is navigation, a
# 3-word line a heading or a link, a 30-word line prose).
_BUCKETS = (1, 3, 6, 11, 21, 41)

# Names of the rule kinds the reader fixes before the model runs (media, highlights, prompts...).
RULE_KINDS = (
    "media",
    "label",
    "highlight",
    "dateline",
    "timestamp",
    "byline",
    "prompt",
    "caption",
    "related",
    "footer",
)

FEATURES_1 = (
    "bias",
    "log_words",
    "log_chars",
    *(f"words_lt_{b}" for b in _BUCKETS),
    "ends_sentence",
    "ends_colon",
    "ends_question",
    "long_sentence",
    "inner_sentences",
    "stopword_ratio",
    "stopword_ratio_long",
    "capitalised_ratio",
    "all_caps",
    "digit_ratio",
    "comma_rate",
    "separator",
    "urlish",
    "quote",
    "lower_start",
    "bullet",
    "date_like",
    "byline_like",
    "prompt_like",
    "credit_like",
    "related_like",
    "footer_like",
    "rule_furniture",
    "repeated",
    "position",
    "char_position",
    "log_block_size",
    "single_line_block",
    "prose_before_3",
    "prose_after_3",
    "prose_around_10",
    "log_short_run",
    "prev_log_words",
    "next_log_words",
    "prev_ends_sentence",
    "next_ends_sentence",
    "page_prose_share",
    "dateline_start",
    "log_leading_caps",
    "log_comments_before",
    "meta_after_3",
    "meta_before_3",
    "caption_next",
    "caption_prev",
    "media_near_2",
    "date_near_2",
    "headline_prev",
    "headline_next",
    "numbered_item",
    "log_list_run",
    "before_first_meta",
    "meta_after_6",
    "teaser_glued",
    "stopword_vs_page",
    "words_vs_page",
    "ends_ellipsis",
    "reader_words",
)
FEATURES_2 = (
    "p1_logit",
    "p1_around_1",
    "p1_around_5",
    "p1_around_15",
    "p1_prev",
    "p1_next",
    "in_densest_run",
    "log_distance_to_run",
    "body_mass_before",
    "body_mass_edge",
    "p1_relative_to_max",
    "in_relative_run",
    "before_story_dateline",
    "after_story_dateline",
    "prose_above_p1",
    "prose_below_p1",
    "log_gap_above",
    "log_gap_below",
    "between_body_prose",
    "p1_logit_vs_max",
    "short_between_body",
)


_DATELINE_START = FEATURES_1.index("dateline_start")


@dataclass(slots=True)
class Unit:
    """One line (or, in wrapped plain text, one paragraph) of the input."""

    text: str  # stripped
    line: int  # 1-based input line it starts on
    block: int  # index of its blank-line-separated block
    rule: str | None = None  # a kind fixed by a certain rule, or None when the model decides


def _starts_with_dateline(text: str) -> bool:
    return bool(P.DATELINE_PREFIX.match(text) or P.DATELINE_PLACE_PREFIX.match(text) or P.DM_HEADER_PREFIX.match(text))


def _leading_caps(tokens: Sequence[str]) -> int:
    """Capitalised words a line opens with: a headline run into its teaser ("Customers Leave
    Without Paying $690 Bill At Troy Steakhouse A party of six ...") opens with many."""
    k = 0
    for w in tokens:
        if not (w[0].isupper() or w[0].isdigit()):
            break
        k += 1
    return k


def _runs(flags: Sequence[bool]) -> list[int]:
    """For each position, the length of the run of true flags it belongs to (0 if false)."""
    n = len(flags)
    out = [0] * n
    i = 0
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < n and flags[j]:
            j += 1
        out[i:j] = [j - i] * (j - i)
        i = j
    return out


def _bucket(n: int) -> list[float]:
    return [1.0 if n < b else 0.0 for b in _BUCKETS]


def story_starts(rows1: Sequence[Sequence[float]]) -> list[bool]:
    """Units that open with an inline dateline (from their stage-1 rows): where a story may start."""
    return [r[_DATELINE_START] > 0 for r in rows1]


def prose_flags(units: Sequence[Unit], nws: Sequence[int]) -> list[bool]:
    """Units that read as prose: end like a sentence and have at least ten words."""
    return [nw >= 10 and P.ends_like_sentence(u.text) for u, nw in zip(units, nws, strict=True)]


def _line_shape(text: str, toks: Sequence[str], stop: frozenset[str]) -> tuple[tuple[float, ...], _Shape]:
    """What a line says on its own: the run of its ``FEATURES_1`` values that needs no
    neighbour, and the facts its neighbours' features use (``stage1`` asks once per distinct
    line: a page repeats its menus)."""
    nw = len(toks)
    ends = P.ends_like_sentence(text)
    n_alpha = n_upper = n_digit = n_stop = n_reader = 0
    for w in toks:
        c = w[0]
        if c.isalpha():
            n_alpha += 1
            if c.isupper():
                n_upper += 1
        elif c.isdigit():
            n_digit += 1
        low = w.lower()
        if low in stop:
            n_stop += 1
        if low in _READER_WORDS:
            n_reader += 1
    lead = _leading_caps(toks)
    sw = n_stop / nw if nw else 0.0
    prose = 1.0 if ends and nw >= 10 else 0.0
    credit = P.is_credit(text)
    has_dot = "." in text
    local = (
        math.log1p(nw),
        math.log1p(len(text)),
        *[1.0 if nw < b else 0.0 for b in _BUCKETS],
        float(ends),
        float(text.endswith(":")),
        float(text.endswith("?")),
        prose,
        math.log1p(len(_INNER_STOP.findall(text))) if has_dot or "!" in text or "?" in text else 0.0,
        sw,
        sw if nw >= 8 else 0.0,
        n_upper / n_alpha if n_alpha else 0.0,
        float(n_alpha >= 1 and text.isupper()),
        n_digit / nw if nw else 0.0,
        text.count(",") / (nw + 1),
        float(bool(_SEPARATOR.search(text))),
        float((has_dot or "@" in text) and bool(_URLISH.search(text))),
        float(bool(_QUOTE.search(text))),
        float(text[:1].islower()),
        float(bool(P.BULLET.match(text))),
        float(nw <= 25 and bool(P.DATE_LINE.match(text) or P.STAMP_LINE.match(text))),
        float(nw <= 16 and bool(P.BYLINE.match(text))),
        float(bool(P.PROMPT.match(text))),
        float(credit),
        float(nw <= 40 and bool(P.RELATED.match(text))),
        float(P.is_footer(text)),
    )
    tail = (float(_starts_with_dateline(text)), math.log1p(lead))
    listed = bool(_LIST_ITEM.match(text))
    shape = _Shape(
        nw=nw,
        ends=ends,
        prose=prose,
        short=nw <= 4 and not ends,
        credit=credit,
        listed=listed,
        headline=2 <= nw <= 12 and not ends and lead >= 0.5 * nw,
        comment=nw <= 25 and bool(P.COMMENT_HEADER.match(text) or P.COMMENT_MARK.match(text)),
        tail=tail,
        reader=n_reader / nw if nw else 0.0,
    )
    return local, shape


@dataclass(frozen=True, slots=True)
class _Shape:
    nw: int
    ends: bool
    prose: float
    short: bool
    credit: bool
    listed: bool
    headline: bool
    comment: bool
    reader: float
    tail: tuple[float, float]  # dateline_start, log_leading_caps


# Words that address the reader: prompts, forms, newsletters and disclaimers speak to "you"
# on "our" behalf; news prose rarely does outside quotes.
_READER_WORDS = frozenset(
    "you your yours yourself our ours us vous votre vos nous notre nos sie ihr ihre unser unsere usted ustedes su sus "
    "nuestro nuestra nuestros voi vostro vostra nostro nostra você vocês seu sua nosso nossa вы ваш ваша ваши мы наш "
    "наша наши".split()
)
_SW_LOCAL = FEATURES_1.index("stopword_ratio") - 1  # its place in _line_shape's run


def _glued_to_headline(texts: Sequence[str]) -> list[float]:
    """Lines that open with another, shorter line of the page and run on: a related story's
    headline glued to its teaser ("Headline of story NEW DELHI: The first sentence ...")."""
    heads: dict[str, list[str]] = {}
    for t in set(texts):
        if 15 <= len(t) <= 160 and t.count(" ") >= 2:
            heads.setdefault(t[:15], []).append(t)
    out = []
    for t in texts:
        found = 0.0
        if len(t) >= 40:
            for h in heads.get(t[:15], ()):
                if len(h) + 20 <= len(t) and t.startswith(h):
                    found = 1.0
                    break
        out.append(found)
    return out


def _prefix(flags: Sequence[float] | Sequence[bool]) -> list[float]:
    out = [0.0]
    total = 0.0
    for x in flags:
        total += x
        out.append(total)
    return out


def stage1(units: Sequence[Unit]) -> tuple[list[list[float]], list[int]]:
    """Stage-1 feature rows (in ``FEATURES_1`` order) and each unit's word count.

    Each distinct line is looked at once (``_line_shape``); the context features are windows
    over per-page prefix sums, so a page costs one pass over its lines."""
    n = len(units)
    if not n:
        return [], []
    texts = [u.text for u in units]
    toks: dict[str, list[str]] = {}
    for t in texts:
        if t not in toks:
            toks[t] = _TOKEN.findall(t)
    lang = page_language(w.lower() for t in texts if len(tk := toks[t]) >= 5 for w in tk)
    stop = STOPWORDS[lang] if lang else _ALL_STOPWORDS
    seen = {t: _line_shape(t, tk, stop) for t, tk in toks.items()}
    shapes = [seen[t] for t in texts]
    sh = [s for _, s in shapes]
    nws = [s.nw for s in sh]
    ends = [s.ends for s in sh]
    prose = [s.prose for s in sh]
    counts = Counter(texts)
    block_sizes = Counter(u.block for u in units)
    total_chars = sum(len(t) for t in texts) or 1
    cum = _prefix(prose)
    run = _runs([s.short for s in sh])
    page_prose = cum[-1] / n if n else 0.0
    rules = [u.rule for u in units]
    meta = [r in ("byline", "timestamp") for r in rules]
    cmeta = _prefix(meta)
    caption = [r == "caption" or s.credit for r, s in zip(rules, sh, strict=True)]
    cmedia = _prefix([r == "media" for r in rules])
    cdates = _prefix([r == "timestamp" for r in rules])
    # the page's first byline or timestamp, when it stands in the top part of the page: the
    # story's own header, above which come menus, the headline and the standfirst
    first_meta = next((i for i, m in enumerate(meta) if m), n)
    if first_meta > 0.6 * n:
        first_meta = -1
    list_run = _runs([s.listed for s in sh])
    headline = [s.headline for s in sh]

    def near(c: list[float], before: int, after: int) -> list[float]:
        """Per unit: whether any flag (prefix sums ``c``) is set among the ``before`` units above
        it or the ``after`` units below it."""
        return [1.0 if c[i] > c[max(0, i - before)] or c[min(n, i + 1 + after)] > c[i + 1] else 0.0 for i in range(n)]

    last = n - 1
    blocks = [block_sizes[u.block] for u in units]
    chars = _prefix([len(t) for t in texts])
    comments = [0] * n
    seen_prose = False
    k = 0
    for i, s in enumerate(sh):
        comments[i] = k
        if seen_prose and s.comment:
            k += 1  # menus above the first prose line do not open a comment section
        seen_prose = seen_prose or s.prose > 0
    lw = [math.log1p(nw) for nw in nws]
    sws = [local[_SW_LOCAL] for local, _ in shapes]
    prose_idx = [i for i in range(n) if prose[i]]
    page_sw = sum(sws[i] for i in prose_idx) / len(prose_idx) if prose_idx else 0.3
    page_lw = sum(lw[i] for i in prose_idx) / len(prose_idx) if prose_idx else 3.0
    before = zip(  # the context features that come before page_prose in FEATURES_1
        [float(r is not None) for r in rules],
        [math.log(counts[t]) for t in texts],
        [i / last if n > 1 else 0.0 for i in range(n)],
        [c / total_chars for c in chars[:-1]],
        [math.log1p(b) for b in blocks],
        [float(b == 1) for b in blocks],
        [(cum[i] - cum[max(0, i - 3)]) / min(i, 3) if i else 0.0 for i in range(n)],
        [(cum[min(n, i + 4)] - cum[i + 1]) / min(3, last - i) if i < last else 0.0 for i in range(n)],
        [
            (cum[min(n, i + 11)] - cum[max(0, i - 10)] - prose[i]) / max(1, min(n, i + 11) - max(0, i - 10) - 1)
            for i in range(n)
        ],
        [math.log1p(r) for r in run],
        [0.0, *lw[:-1]],
        [*lw[1:], 0.0],
        [0.0, *map(float, ends[:-1])],
        [*map(float, ends[1:]), 0.0],
        strict=True,
    )
    after = zip(  # and those after dateline_start and log_leading_caps
        [math.log1p(c) for c in comments],
        near(cmeta, 0, 3),
        near(cmeta, 3, 0),
        [*map(float, caption[1:]), 0.0],
        [0.0, *map(float, caption[:-1])],
        near(cmedia, 2, 2),
        near(cdates, 2, 2),
        [0.0, *map(float, headline[:-1])],
        [*map(float, headline[1:]), 0.0],
        [float(s.listed) for s in sh],
        [math.log1p(r) for r in list_run],
        [float(i < first_meta) for i in range(n)],
        near(cmeta, 0, 6),
        _glued_to_headline(texts),
        [x - page_sw if s.nw >= 5 else 0.0 for x, s in zip(sws, sh, strict=True)],
        [x - page_lw if s.nw >= 3 else 0.0 for x, s in zip(lw, sh, strict=True)],
        [float(t.endswith(("...", "…", "[…]", "[...]"))) for t in texts],
        [s.reader for s in sh],
        strict=True,
    )
    rows = [[1.0, *local, *b, page_prose, *s.tail, *a] for (local, s), b, a in zip(shapes, before, after, strict=True)]
    return rows, nws


def stage2(
    p1: Sequence[float], nws: Sequence[int], story_starts: Sequence[bool], prose: Sequence[bool]
) -> list[list[float]]:
    """Stage-2 feature rows (in ``FEATURES_2`` order) from stage-1 body probabilities.

    ``story_starts`` marks units that open with an inline dateline ("WASHINGTON (AP) — ...");
    one that stage 1 also takes for body marks where the story starts.
    """
    n = len(p1)
    starts = [i for i in range(n) if story_starts[i] and p1[i] >= 0.5]
    first_start = starts[0] if starts else n
    w = [nw + 1.0 for nw in nws]
    cw = [0.0]
    cwp = [0.0]
    for wi, pi in zip(w, p1, strict=True):
        cw.append(cw[-1] + wi)
        cwp.append(cwp[-1] + wi * pi)

    def around(i: int, k: int) -> float:
        a, b = max(0, i - k), min(n, i + k + 1)
        den = cw[b] - cw[a] - w[i]
        return (cwp[b] - cwp[a] - w[i] * p1[i]) / den if den > 0 else 0.5

    start, end = densest_run([wi * (pi - 0.5) for wi, pi in zip(w, p1, strict=True)])
    top = max(p1, default=1.0) or 1.0
    tc = min(max(top, 1e-4), 1 - 1e-4)
    top_logit = math.log(tc / (1 - tc))
    tau = min(0.5, 0.5 * top)
    rel_start, rel_end = densest_run([wi * (pi - tau) for wi, pi in zip(w, p1, strict=True)])
    mass = [wi * pi for wi, pi in zip(w, p1, strict=True)]
    total = sum(mass) or 1.0
    # the nearest prose line above and below each unit, within reach
    above: list[int | None] = [None] * n
    below: list[int | None] = [None] * n
    last: int | None = None
    for i in range(n):
        above[i] = last if last is not None and i - last <= _PROSE_REACH else None
        if prose[i]:
            last = i
    last = None
    for i in range(n - 1, -1, -1):
        below[i] = last if last is not None and last - i <= _PROSE_REACH else None
        if prose[i]:
            last = i
    rows: list[list[float]] = []
    before = 0.0
    for i in range(n):
        a, b = above[i], below[i]
        pa = p1[a] if a is not None else 0.0
        pb = p1[b] if b is not None else 0.0
        pi = min(max(p1[i], 1e-4), 1 - 1e-4)
        inside = start <= i < end
        dist = 0 if inside else (start - i if i < start else i - end + 1)
        frac = before / total
        rows.append(
            [
                math.log(pi / (1 - pi)),
                around(i, 1),
                around(i, 5),
                around(i, 15),
                p1[i - 1] if i > 0 else 0.0,
                p1[i + 1] if i + 1 < n else 0.0,
                float(inside),
                math.log1p(dist),
                frac,
                min(frac, 1 - frac - mass[i] / total),
                p1[i] / top,
                float(rel_start <= i < rel_end),
                float(i < first_start),
                float(bool(starts) and i >= first_start),
                pa,
                pb,
                math.log1p(i - a) if a is not None else math.log1p(_PROSE_REACH + 1),
                math.log1p(b - i) if b is not None else math.log1p(_PROSE_REACH + 1),
                min(pa, pb),
                math.log(pi / (1 - pi)) - top_logit,
                float(nws[i] <= 6) * min(pa, pb),
            ]
        )
        before += mass[i]
    return rows


def densest_run(values: Sequence[float]) -> tuple[int, int]:
    """The ``[start, end)`` run of largest sum (Kadane): where the body text is densest."""
    best, best_start, best_end = 0.0, 0, 0
    current, current_start = 0.0, 0
    for i, v in enumerate(values):
        if current <= 0:
            current, current_start = v, i
        else:
            current += v
        if current > best:
            best, best_start, best_end = current, current_start, i + 1
    return best_start, best_end
