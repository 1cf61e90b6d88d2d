"""Features of the lines (units) of a page's text, for the body/furniture line model.

Two stages, in the spirit of jusText and boilerpipe. Stage 1 looks at a line and its near
neighbours: length, end punctuation, function-word density in the page's language (also
against the page's own prose, as the length is), capitalisation, digits, link-like and
known-furniture shapes, words that address the reader ("you", "our": forms, prompts,
disclaimers), a truncated teaser's "...", a related headline glued to its teaser, repetition,
redundancy (how much of its content the next prose lines restate: a dek or a teaser restates
the story below it), position, the size of its blank-line-separated block, and how prose-like
the lines around it are. Stage 2 adds what stage 1 thought of the neighbourhood: the smoothed body probability
around the line, whether the line lies in the densest run of body text (a maximum-sum run of
length-weighted probabilities) and how far from it, how much predicted body text lies before
and after it, how the line compares with the page's most body-like line, whether a short
line sits between body prose, and, for the first prose line of the densest run, how much the
lines after it restate it (a dek pulled into the run restates the lead below it; a lead does
not restate its next paragraphs).

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
from newsbrief.nlp.stem import stem
from newsbrief.nlp.stopwords import PROSE_FUNCTION_WORDS as STOPWORDS

_TOKEN = re.compile(r"\w+")
_URLISH = re.compile(r"https?://|www\.|\S@\S|@\w|\.(?:com|org|net|co\.uk)\b", re.I)
_SEPARATOR = re.compile(r"\s[|»›·/]\s|\s\|\s?|\|")
_QUOTE = re.compile(r"[\"“”«»„]")
_INNER_STOP = re.compile(r"[.!?][\"”’)]?\s+[A-Z\"“‘(]")
_ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[•·▪●◦‣*]|[-–](?=\s))\s*\S")
_REDUNDANCY_REACH = 2  # prose lines below a line whose content words it may restate
_REDUNDANCY_MIN_WORDS = 4  # content words a line needs for its redundancy to mean anything
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
    "prompt_like",
    "related_like",
    "footer_like",
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
    "redundant_next_2",
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
    "restating_run_start",
)


_DATELINE_START = FEATURES_1.index("dateline_start")
_LONG_SENTENCE = FEATURES_1.index("long_sentence")
_REDUNDANT = FEATURES_1.index("redundant_next_2")


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


def prose_flags(rows1: Sequence[Sequence[float]]) -> list[bool]:
    """Units that read as prose (from their stage-1 rows): end like a sentence, ten words or more."""
    return [r[_LONG_SENTENCE] > 0 for r in rows1]


def redundancies(rows1: Sequence[Sequence[float]]) -> list[float]:
    """How much of each unit the next prose lines restate (from its stage-1 row)."""
    return [r[_REDUNDANT] for r in rows1]


def _word_counts(toks: Sequence[str], stop: frozenset[str]) -> tuple[int, int, int, int, int]:
    """Words of a line that start with a letter, a capital and a digit; stop words; reader words."""
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
    return n_alpha, n_upper, n_digit, n_stop, n_reader


@dataclass(slots=True)
class _Lines:
    """What each distinct line of a page says on its own, as columns (``stage1`` looks at a
    line once however often the page repeats it, and builds columns with comprehensions: a
    page's lines cost a few list passes, not a function call per feature per line)."""

    local: list[tuple[float, ...]]  # the run of FEATURES_1 from log_words to footer_like
    tail: list[tuple[float, float]]  # dateline_start, log_leading_caps
    nw: list[int]
    ends: list[bool]
    prose: list[float]
    short: list[bool]
    listed: list[bool]
    headline: list[bool]
    comment: list[bool]
    reader: list[float]
    stopword: list[float]


def _distinct_lines(texts: Sequence[str], toks: Sequence[Sequence[str]], stop: frozenset[str]) -> _Lines:
    nw = [len(k) for k in toks]
    ends = [P.ends_like_sentence(t) for t in texts]
    counts = [_word_counts(k, stop) for k in toks]
    lead = [_leading_caps(k) for k in toks]
    sw = [c[3] / n if n else 0.0 for c, n in zip(counts, nw, strict=True)]
    prose = [1.0 if e and n >= 10 else 0.0 for e, n in zip(ends, nw, strict=True)]
    short = [n <= 4 and not e for e, n in zip(ends, nw, strict=True)]
    local = list(
        zip(
            [math.log1p(n) for n in nw],
            [math.log1p(len(t)) for t in texts],
            *([1.0 if n < b else 0.0 for n in nw] for b in _BUCKETS),
            [float(e) for e in ends],
            [float(t.endswith(":")) for t in texts],
            [float(t.endswith("?")) for t in texts],
            prose,
            [math.log1p(len(_INNER_STOP.findall(t))) if "." in t or "!" in t or "?" in t else 0.0 for t in texts],
            sw,
            [x if n >= 8 else 0.0 for x, n in zip(sw, nw, strict=True)],
            [c[1] / c[0] if c[0] else 0.0 for c in counts],
            [float(c[0] >= 1 and t.isupper()) for c, t in zip(counts, texts, strict=True)],
            [c[2] / n if n else 0.0 for c, n in zip(counts, nw, strict=True)],
            [t.count(",") / (n + 1) for t, n in zip(texts, nw, strict=True)],
            [float(bool(_SEPARATOR.search(t))) for t in texts],
            [float(("." in t or "@" in t) and bool(_URLISH.search(t))) for t in texts],
            [float(bool(_QUOTE.search(t))) for t in texts],
            [float(t[:1].islower()) for t in texts],
            [float(bool(P.BULLET.match(t))) for t in texts],
            [
                float(n <= 25 and bool(P.DATE_LINE.match(t) or P.STAMP_LINE.match(t)))
                for t, n in zip(texts, nw, strict=True)
            ],
            [float(bool(P.PROMPT.match(t))) for t in texts],
            [float(n <= 40 and bool(P.RELATED.match(t))) for t, n in zip(texts, nw, strict=True)],
            [float(P.is_footer(t)) for t in texts],
            strict=True,
        )
    )
    return _Lines(
        local=local,
        tail=[(float(_starts_with_dateline(t)), math.log1p(k)) for t, k in zip(texts, lead, strict=True)],
        nw=nw,
        ends=ends,
        prose=prose,
        short=short,
        listed=[bool(_LIST_ITEM.match(t)) for t in texts],
        headline=[2 <= n <= 12 and not e and k >= 0.5 * n for n, e, k in zip(nw, ends, lead, strict=True)],
        comment=[
            n <= 25 and bool(P.COMMENT_HEADER.match(t) or P.COMMENT_MARK.match(t))
            for t, n in zip(texts, nw, strict=True)
        ],
        reader=[c[4] / n if n else 0.0 for c, n in zip(counts, nw, strict=True)],
        stopword=sw,
    )


# Words that address the reader: prompts, forms, newsletters and disclaimers speak to "you"
# on "our" behalf; news prose rarely does outside quotes.
_READER_WORDS = frozenset(
    "you your yours yourself our ours us vous votre vos nous notre nos sie ihr ihre unser unsere usted ustedes su sus "
    "nuestro nuestra nuestros voi vostro vostra nostro nostra você vocês seu sua nosso nossa вы ваш ваша ваши мы наш "
    "наша наши".split()
)


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


def _content_words(toks: Sequence[str], stop: frozenset[str]) -> frozenset[str]:
    """A line's content words, stemmed: what a standfirst or a teaser restates from the story."""
    return frozenset(stem(w) for w in toks if len(w) > 2 and not w.isdigit() and w.lower() not in stop)


def _redundancy(words: Sequence[frozenset[str]], prose: Sequence[float]) -> list[float]:
    """Per unit: the share of its content words that the next ``_REDUNDANCY_REACH`` prose lines
    below it contain. A dek or a teaser above the story restates its lead (most of its words
    come again just below); a lead paragraph says something its next paragraphs only go on
    from. One pass up the page with a sliding word count: linear in the page's words."""
    out = [0.0] * len(words)
    count: Counter[str] = Counter()
    window: list[frozenset[str]] = []
    for i in range(len(words) - 1, -1, -1):
        ws = words[i]
        if len(ws) >= _REDUNDANCY_MIN_WORDS and window:
            out[i] = sum(1 for w in ws if count[w]) / len(ws)
        if prose[i]:
            window.append(ws)
            count.update(ws)
            if len(window) > _REDUNDANCY_REACH:
                count.subtract(window.pop(0))
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

    Each distinct line is looked at once (``_distinct_lines``); the context features are
    windows over per-page prefix sums, so a page costs a few passes over its lines."""
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
    distinct = list(toks)
    at = {t: j for j, t in enumerate(distinct)}
    idx = [at[t] for t in texts]
    content = {t: _content_words(toks[t], stop) for t in distinct}
    words = [content[t] for t in texts]
    d = _distinct_lines(distinct, [toks[t] for t in distinct], stop)
    nws = [d.nw[j] for j in idx]
    ends = [d.ends[j] for j in idx]
    prose = [d.prose[j] for j in idx]
    counts = Counter(texts)
    block_sizes = Counter(u.block for u in units)
    total_chars = sum(len(t) for t in texts) or 1
    cum = _prefix(prose)
    run = _runs([d.short[j] for j in idx])
    page_prose = cum[-1] / n if n else 0.0
    rules = [u.rule for u in units]
    meta = [r in ("byline", "timestamp") for r in rules]
    cmeta = _prefix(meta)
    caption = [r == "caption" for r in rules]  # credits are ruled captions
    cmedia = _prefix([r == "media" for r in rules])
    cdates = _prefix([r == "timestamp" for r in rules])
    # the page's first byline or timestamp, when it stands in the top part of the page: the
    # story's own header, above which come menus, the headline and the standfirst
    first_meta = next((i for i, m in enumerate(meta) if m), n)
    if first_meta > 0.6 * n:
        first_meta = -1
    listed = [d.listed[j] for j in idx]
    list_run = _runs(listed)
    headline = [d.headline[j] for j in idx]

    def near(c: list[float], before: int, after: int) -> list[float]:
        """Per unit: whether any flag (prefix sums ``c``) is set among the ``before`` units above
        it or the ``after`` units below it."""
        above = [0.0] * before + c  # above[i] = c[i - before], clipped at the page's top
        below = c + [c[-1]] * after  # below[i + 1 + after] = c[i + 1 + after], clipped at its end
        return [
            1.0 if x > y or z > w else 0.0
            for x, y, z, w in zip(c[:n], above[:n], below[1 + after : n + 1 + after], c[1:], strict=True)
        ]

    last = n - 1
    blocks = [block_sizes[u.block] for u in units]
    chars = _prefix([len(t) for t in texts])
    comments = [0] * n
    seen_prose = False
    k = 0
    for i, j in enumerate(idx):
        comments[i] = k
        if seen_prose and d.comment[j]:
            k += 1  # menus above the first prose line do not open a comment section
        seen_prose = seen_prose or d.prose[j] > 0
    lw = [math.log1p(nw) for nw in nws]
    sws = [d.stopword[j] for j in idx]
    prose_idx = [i for i in range(n) if prose[i]]
    page_sw = sum(sws[i] for i in prose_idx) / len(prose_idx) if prose_idx else 0.3
    page_lw = sum(lw[i] for i in prose_idx) / len(prose_idx) if prose_idx else 3.0
    before = zip(  # the context features that come before page_prose in FEATURES_1
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
        [float(x) for x in listed],
        [math.log1p(r) for r in list_run],
        [float(i < first_meta) for i in range(n)],
        near(cmeta, 0, 6),
        _glued_to_headline(texts),
        [x - page_sw if nw >= 5 else 0.0 for x, nw in zip(sws, nws, strict=True)],
        [x - page_lw if nw >= 3 else 0.0 for x, nw in zip(lw, nws, strict=True)],
        [float(t.endswith(("...", "…", "[…]", "[...]"))) for t in texts],
        [d.reader[j] for j in idx],
        _redundancy(words, prose),
        strict=True,
    )
    rows = [[1.0, *d.local[j], *b, page_prose, *d.tail[j], *a] for j, b, a in zip(idx, before, after, strict=True)]
    return rows, nws


def stage2(
    p1: Sequence[float],
    nws: Sequence[int],
    story_starts: Sequence[bool],
    prose: Sequence[bool],
    redundancy: Sequence[float] | None = None,
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

    wp = [wi * pi for wi, pi in zip(w, p1, strict=True)]

    def around(k: int) -> list[float]:
        """Per unit: the length-weighted mean of ``p1`` over the ``k`` units on either side."""
        lo_w, lo_p = [0.0] * k + cw, [0.0] * k + cwp  # [i] -> at max(0, i - k)
        hi_w, hi_p = cw + [cw[-1]] * k, cwp + [cwp[-1]] * k  # [i + k + 1] -> at min(n, i + k + 1)
        out = []
        for bw, aw, bp, ap, wi, x in zip(hi_w[k + 1 :], lo_w[:n], hi_p[k + 1 :], lo_p[:n], w, wp, strict=True):
            den = bw - aw - wi
            out.append((bp - ap - x) / den if den > 0 else 0.5)
        return out

    near_1, near_5, near_15 = around(1), around(5), around(15)

    start, end = densest_run([wi * (pi - 0.5) for wi, pi in zip(w, p1, strict=True)])
    top = max(p1, default=1.0) or 1.0
    tc = min(max(top, 1e-4), 1 - 1e-4)
    top_logit = math.log(tc / (1 - tc))
    tau = min(0.5, 0.5 * top)
    rel_start, rel_end = densest_run([wi * (pi - tau) for wi, pi in zip(w, p1, strict=True)])
    mass = wp
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
    run_prose = next((i for i in range(start, end) if prose[i]), -1)
    restating = redundancy[run_prose] if redundancy is not None and run_prose >= 0 else 0.0
    rows: list[list[float]] = []
    before = 0.0
    for i in range(n):
        a, b = above[i], below[i]
        pa = p1[a] if a is not None else 0.0
        pb = p1[b] if b is not None else 0.0
        pi = min(max(p1[i], 1e-4), 1 - 1e-4)
        logit = math.log(pi / (1 - pi))
        inside = start <= i < end
        dist = 0 if inside else (start - i if i < start else i - end + 1)
        frac = before / total
        rows.append(
            [
                logit,
                near_1[i],
                near_5[i],
                near_15[i],
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
                logit - top_logit,
                float(nws[i] <= 6) * min(pa, pb),
                restating if i == run_prose else 0.0,
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
