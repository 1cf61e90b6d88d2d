"""Features of the lines (units) of a page's text, for the body/furniture line model.

Two stages, in the spirit of jusText and boilerpipe. Stage 1 looks at a line and its near
neighbours: length, end punctuation, function-word density in the page's language,
capitalisation, digits, link-like and known-furniture shapes, repetition, position, the size of
its blank-line-separated block, and how prose-like the lines around it are. Stage 2 adds what
stage 1 thought of the neighbourhood: the smoothed body probability around the line, whether the
line lies in the densest run of body text (a maximum-sum run of length-weighted probabilities)
and how far from it, and how much predicted body text lies before and after it.

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


def stage1(units: Sequence[Unit]) -> tuple[list[list[float]], list[int]]:
    """Stage-1 feature rows (in ``FEATURES_1`` order) and each unit's word count."""
    n = len(units)
    toks = [_TOKEN.findall(u.text) for u in units]
    nws = [len(t) for t in toks]
    lowered = [[w.lower() for w in t] for t in toks]
    lang = page_language(w for t, nw in zip(lowered, nws, strict=True) if nw >= 5 for w in t)
    stop = STOPWORDS[lang] if lang else _ALL_STOPWORDS
    ends = [P.ends_like_sentence(u.text) for u in units]
    prose = [1.0 if e and nw >= 10 else 0.0 for e, nw in zip(ends, nws, strict=True)]
    short = [nw <= 4 and not e for e, nw in zip(ends, nws, strict=True)]
    counts = Counter(u.text for u in units)
    block_sizes = Counter(u.block for u in units)
    total_chars = sum(len(u.text) for u in units) or 1
    # prefix sums for windowed means (linear time)
    cum = [0.0]
    for x in prose:
        cum.append(cum[-1] + x)
    run = _runs(short)
    page_prose = sum(prose) / n if n else 0.0
    comments_before = 0
    prose_seen = False
    rules = [u.rule for u in units]
    meta = [r in ("byline", "timestamp") for r in rules]
    credit = [P.is_credit(u.text) for u in units]
    caption = [r == "caption" or c for r, c in zip(rules, credit, strict=True)]
    media = [r == "media" for r in rules]
    dates = [r == "timestamp" for r in rules]
    listed = [bool(_LIST_ITEM.match(u.text)) for u in units]
    # the page's first byline or timestamp, when it stands in the top part of the page: the
    # story's own header, above which come menus, the headline and the standfirst
    first_meta = next((i for i, m in enumerate(meta) if m), n)
    if first_meta > 0.6 * n:
        first_meta = -1
    list_run = _runs(listed)
    headline = [
        2 <= nw <= 12 and not e and _leading_caps(t) >= 0.5 * nw for nw, e, t in zip(nws, ends, toks, strict=True)
    ]
    rows: list[list[float]] = []
    chars_before = 0
    for i, u in enumerate(units):
        t = u.text
        nw = nws[i]
        low = lowered[i]
        alpha = [w for w in toks[i] if w[0].isalpha()]
        n_alpha = len(alpha) or 1
        log_words = math.log1p(nw)

        def mean(a: int, b: int) -> float:
            a, b = max(a, 0), min(b, n)
            return (cum[b] - cum[a]) / (b - a) if b > a else 0.0

        sw = sum(1 for w in low if w in stop) / nw if nw else 0.0
        around = (cum[min(n, i + 11)] - cum[max(0, i - 10)] - prose[i]) / max(1, min(n, i + 11) - max(0, i - 10) - 1)
        row = [
            1.0,
            log_words,
            math.log1p(len(t)),
            *_bucket(nw),
            float(ends[i]),
            float(t.endswith(":")),
            float(t.endswith("?")),
            prose[i],
            math.log1p(len(_INNER_STOP.findall(t))),
            sw,
            sw if nw >= 8 else 0.0,
            sum(1 for w in alpha if w[0].isupper()) / n_alpha if alpha else 0.0,
            float(t.isupper() and len(alpha) >= 1),
            sum(1 for w in toks[i] if w[0].isdigit()) / nw if nw else 0.0,
            t.count(",") / (nw + 1),
            float(bool(_SEPARATOR.search(t))),
            float(bool(_URLISH.search(t))),
            float(bool(_QUOTE.search(t))),
            float(t[:1].islower()),
            float(bool(P.BULLET.match(t))),
            float(nw <= 25 and bool(P.DATE_LINE.match(t) or P.STAMP_LINE.match(t))),
            float(nw <= 16 and bool(P.BYLINE.match(t))),
            float(bool(P.PROMPT.match(t))),
            float(credit[i]),
            float(nw <= 40 and bool(P.RELATED.match(t))),
            float(P.is_footer(t)),
            float(u.rule is not None),
            math.log(counts[t]),
            i / (n - 1) if n > 1 else 0.0,
            chars_before / total_chars,
            math.log1p(block_sizes[u.block]),
            float(block_sizes[u.block] == 1),
            mean(i - 3, i),
            mean(i + 1, i + 4),
            around,
            math.log1p(run[i]),
            math.log1p(nws[i - 1]) if i > 0 else 0.0,
            math.log1p(nws[i + 1]) if i + 1 < n else 0.0,
            float(ends[i - 1]) if i > 0 else 0.0,
            float(ends[i + 1]) if i + 1 < n else 0.0,
            page_prose,
            float(_starts_with_dateline(t)),
            math.log1p(_leading_caps(toks[i])),
            math.log1p(comments_before),
            float(any(meta[i + 1 : i + 4])),
            float(any(meta[max(0, i - 3) : i])),
            float(i + 1 < n and caption[i + 1]),
            float(i > 0 and caption[i - 1]),
            float(any(media[max(0, i - 2) : i]) or any(media[i + 1 : i + 3])),
            float(any(dates[max(0, i - 2) : i]) or any(dates[i + 1 : i + 3])),
            float(i > 0 and headline[i - 1]),
            float(i + 1 < n and headline[i + 1]),
            float(listed[i]),
            math.log1p(list_run[i]),
            float(i < first_meta),
            float(any(meta[i + 1 : i + 7])),
        ]
        rows.append(row)
        chars_before += len(t)
        if prose_seen and nw <= 25 and (P.COMMENT_HEADER.match(t) or P.COMMENT_MARK.match(t)):
            comments_before += 1  # menus above the first prose line do not open a comment section
        prose_seen = prose_seen or prose[i] > 0
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
