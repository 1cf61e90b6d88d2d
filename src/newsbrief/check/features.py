"""Features of a summary against its article, for the learned checker (``check.learned``).

Why these: the offline checker's four lexical measurements (``faithfulness``) tell copied
text from stitched text, but miss what a fitted model can weigh against each other: how many
article sentences a summary sentence needs, whether its word pairs appear in the reverse
order in the supporting window (swapped roles), how long its copied runs are, how much of
it is new words, where in the article its support sits, and the unsupported names, numbers,
quotes and negations the checker already finds. Every feature is offline, lexical and
bounded: each costs a few set look-ups per summary word on top of ``faithfulness.check``,
reusing its ``ArticleIndex`` (the article side is computed once per article and cached).

``sentence_features`` gives one vector per summary sentence (names in ``SENTENCE_FEATURES``);
``summary_features`` pools them (mean, worst) with summary-level features into one vector
(names in ``SUMMARY_FEATURES``).
"""

from __future__ import annotations

import math
import weakref
from bisect import bisect_right
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from newsbrief.article import Summary
from newsbrief.faithfulness import ArticleIndex, FaithfulnessReport, SentenceReport, check
from newsbrief.nlp.stem import stem
from newsbrief.nlp.stopwords import STOPWORDS
from newsbrief.nlp.tokens import TOKEN_PATTERN

__all__ = [
    "SENTENCE_FEATURES",
    "SUMMARY_FEATURES",
    "WINDOW_FEATURES",
    "ArticleGrams",
    "article_grams",
    "sentence_features",
    "summary_features",
]

ISSUE_KINDS = ("entity", "number", "number_flip", "quote", "negation_flip")
# Per summary sentence. Shares are in [0, 1]; counts are raw.
SENTENCE_FEATURES: tuple[str, ...] = (
    "bigram_support",  # faithfulness: bigrams found in the best two article sentences
    "word_pairs",  # faithfulness: content-word pairs found close together, in order
    "patchwork",  # faithfulness: one- or two-word copied scraps per word
    "window_lcs",  # faithfulness: words in order in the supporting window
    "content_in_article",  # content words found anywhere in the article
    "novel_bigrams",  # share of the sentence's bigrams found nowhere in the article
    "novel_trigrams",  # the same for trigrams
    "novel_4grams",  # and 4-grams
    "longest_run",  # longest run of words copied in order (by trigrams), per word
    "content_in_window",  # content words found in the supporting window
    "content_best_sentence",  # content words found in the single article sentence holding most of them
    "sentences_needed",  # article sentences a greedy cover needs for 90% of the content words (capped at 4)
    "reversed_pairs",  # content-word pairs whose only order in the window is the reverse (role swaps)
    "capitals_unknown",  # capitalised words after the first not found in the article
    "digits_off_window",  # share of the sentence's digit tokens not in the supporting window
    "support_position",  # start of the supporting window, as a share of the article's sentences
    "no_support",  # 1 when no supporting window was found
    "length_ratio",  # sentence words / supporting window words (capped at 2)
    "words",  # sentence length in words, / 50
    *(f"issue_{k}" for k in ISSUE_KINDS),  # unsupported items found by faithfulness, counted
)
# The features that read the supporting window and the article's sentences: the slower half,
# computed only for a model that reads them (``full``).
WINDOW_FEATURES: tuple[str, ...] = (
    "content_in_window",
    "content_best_sentence",
    "sentences_needed",
    "reversed_pairs",
    "capitals_unknown",
    "digits_off_window",
    "support_position",
    "no_support",
    "length_ratio",
)
_WORST_IS_LOW = frozenset(
    {"bigram_support", "word_pairs", "window_lcs", "content_in_article", "longest_run", "content_in_window"}
    | {"content_best_sentence"}
)
_LOW_IS_WORST = tuple(n in _WORST_IS_LOW for n in SENTENCE_FEATURES)
SUMMARY_FEATURES: tuple[str, ...] = (
    *(f"mean_{n}" for n in SENTENCE_FEATURES),
    *(f"worst_{n}" for n in SENTENCE_FEATURES),
    "sentences",  # number of summary sentences, / 5
    "summary_article_ratio",  # summary words / article words (capped at 1)
    "summary_novel_bigrams",  # bigram novelty over the whole summary
    "summary_novel_trigrams",
)
_MAX_NEEDED = 4  # sentences_needed is capped here: more means "stitched from all over"
_MAX_SENTENCE_LOOKUPS = 64  # article sentences examined per content word (a word in every sentence says little)


class ArticleGrams:
    """The article's stem bigrams, trigrams and 4-grams and each stem's sentences: computed
    once per ``ArticleIndex`` (see ``article_grams``)."""

    def __init__(self, index: ArticleIndex) -> None:
        st = index.stems
        self.bigrams: set[tuple[str, str]] = set(zip(st, st[1:], strict=False))
        self.trigrams: set[tuple[str, str, str]] = set(zip(st, st[1:], st[2:], strict=False))
        self.fourgrams: set[tuple[str, str, str, str]] = set(zip(st, st[1:], st[2:], st[3:], strict=False))
        self.sentence_of: list[int] = [0] * len(st)
        for sid, (a, b) in enumerate(index.sentence_tokens):
            for j in range(a, b):
                self.sentence_of[j] = sid
        self.sentence_starts: list[int] = [a for a, _ in index.sentence_spans]
        self.words = len(st)


_GRAMS: weakref.WeakKeyDictionary[ArticleIndex, ArticleGrams] = weakref.WeakKeyDictionary()


def article_grams(index: ArticleIndex) -> ArticleGrams:
    """The ``ArticleGrams`` of ``index``, built on first use and kept as long as the index."""
    grams = _GRAMS.get(index)
    if grams is None:
        grams = _GRAMS[index] = ArticleGrams(index)
    return grams


def sentence_features(index: ArticleIndex, report: SentenceReport, full: bool = True) -> list[float]:
    """The ``SENTENCE_FEATURES`` of one checked summary sentence; with ``full=False`` the
    ``WINDOW_FEATURES`` (the slower half) are left out as NaN."""
    return _sentence(index, report, full)[0]


def _sentence(index: ArticleIndex, report: SentenceReport, full: bool) -> tuple[list[float], list[str]]:
    """(``sentence_features``, the sentence's stems)."""
    grams = article_grams(index)
    toks = TOKEN_PATTERN.findall(report.text)  # the checker's tokens, as strings
    st = [stem(t) for t in toks]
    n = max(1, len(st))
    f = report.features
    out = [
        f.get("bigram_support", 1.0),
        f.get("word_pairs", 1.0),
        f.get("patchwork", 0.0),
        f.get("window_lcs", 1.0),
        f.get("content_in_article", 1.0),
    ]
    bi = list(zip(st, st[1:], strict=False))
    tri = list(zip(st, st[1:], st[2:], strict=False))
    four = list(zip(st, st[1:], st[2:], st[3:], strict=False))
    tri_hits = list(map(grams.trigrams.__contains__, tri))
    out += [
        _novel(bi, grams.bigrams),
        1.0 - sum(tri_hits) / len(tri) if tri else 0.0,
        _novel(four, grams.fourgrams),
        _longest_run(tri_hits) / n,
    ]
    out += _window_group(index, grams, report, toks, st) if full else [math.nan] * len(WINDOW_FEATURES)
    out.append(len(st) / 50)
    counts = dict.fromkeys(ISSUE_KINDS, 0.0)
    for issue in report.issues:
        if issue.kind in counts:
            counts[issue.kind] += 1.0
    out += counts.values()
    return out, st


def _window_group(
    index: ArticleIndex, grams: ArticleGrams, report: SentenceReport, toks: list[str], st: list[str]
) -> list[float]:
    """The ``WINDOW_FEATURES``: what the supporting window and the article's sentences hold."""
    out: list[float] = []
    content = [s for s in st if s not in STOPWORDS and s in index.positions]
    wanted = [s for s in st if s not in STOPWORDS]
    window = _window_tokens(index, report)
    if window is not None:
        lo, hi = window
        in_window = set(index.stems[lo:hi])
        out.append(sum(s in in_window for s in wanted) / len(wanted) if wanted else 1.0)
    else:
        in_window = set()
        out.append(0.0)
    best, needed = _cover(index, grams, content, len(set(wanted)))
    out += [best, needed / _MAX_NEEDED]
    out.append(_reversed_pairs(index, window, wanted, in_window))
    caps = [stem(t) for t in toks[1:] if t[:1].isupper()]
    out.append(sum(c not in index.vocab for c in caps) / len(caps) if caps else 0.0)
    digits = [s for s in st if s.isdigit()]
    out.append(sum(d not in in_window for d in digits) / len(digits) if digits else 0.0)
    if report.support_span is not None and grams.sentence_starts:
        sid = max(0, bisect_right(grams.sentence_starts, report.support_span[0]) - 1)
        width = window[1] - window[0] if window else 0
        out += [sid / len(grams.sentence_starts), 0.0, min(2.0, len(st) / width) if width else 2.0]
    else:
        out += [1.0, 1.0, 2.0]
    return out


def summary_features(
    index: ArticleIndex,
    summary: str | Sequence[str] | Summary,
    report: FaithfulnessReport | None = None,
    full: bool = True,
) -> tuple[list[float], list[list[float]]]:
    """(``SUMMARY_FEATURES`` of the whole summary, ``SENTENCE_FEATURES`` per sentence).

    ``report``: the ``faithfulness.check`` of the same pair, if the caller has it already;
    ``full=False`` leaves the ``WINDOW_FEATURES`` out (NaN), for a model that does not read them.
    """
    report = report if report is not None else check(index, summary)
    done = [_sentence(index, s, full) for s in report.sentences]
    per = [v for v, _ in done]
    grams = article_grams(index)
    per_pool = per or [_empty_sentence()]
    columns = list(zip(*per_pool, strict=True))
    mean = [sum(c) / len(per_pool) for c in columns]
    worst = [min(c) if low else max(c) for c, low in zip(columns, _LOW_IS_WORST, strict=True)]
    st = [w for _, stems in done for w in stems]
    bi = list(zip(st, st[1:], strict=False))
    tri = list(zip(st, st[1:], st[2:], strict=False))
    extra = [
        len(per) / 5,
        min(1.0, len(st) / grams.words) if grams.words else 1.0,
        _novel(bi, grams.bigrams),
        _novel(tri, grams.trigrams),
    ]
    return mean + worst + extra, per


def _empty_sentence() -> list[float]:
    """An empty summary claims nothing: every share at its best."""
    best = {n: (1.0 if n in _WORST_IS_LOW else 0.0) for n in SENTENCE_FEATURES}
    return [best[n] for n in SENTENCE_FEATURES]


def _novel(grams: Sequence[tuple[str, ...]], known: AbstractSet[tuple[str, ...]]) -> float:
    """Share of ``grams`` not in ``known`` (0 when there are none)."""
    if not grams:
        return 0.0
    return 1.0 - sum(map(known.__contains__, grams)) / len(grams)


def _longest_run(hits: list[bool]) -> int:
    """Words covered by the longest chain of consecutive found trigrams (0 if none found)."""
    best = run = 0
    for h in hits:
        if h:
            run += 1
            if run > best:
                best = run
        else:
            run = 0
    return best + 2 if best else 0


def _window_tokens(index: ArticleIndex, report: SentenceReport) -> tuple[int, int] | None:
    """Token range of the report's supporting window."""
    if report.support_span is None:
        return None
    lo_char, hi_char = report.support_span
    lo = _token_at(index, lo_char)
    hi = _token_at(index, hi_char)
    return (lo, hi) if hi > lo else None


def _token_at(index: ArticleIndex, char: int) -> int:
    """Index of the first token starting at or after ``char``."""
    spans = index.token_spans
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid][0] < char:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _cover(index: ArticleIndex, grams: ArticleGrams, content: list[str], wanted: int) -> tuple[float, int]:
    """(share of the ``wanted`` distinct content words in the best single article sentence,
    sentences a greedy cover needs for 90% of those found in the article, capped at
    ``_MAX_NEEDED``)."""
    if not content or not wanted:
        return (1.0 if not wanted else 0.0), (0 if not wanted else _MAX_NEEDED)
    where: dict[str, set[int]] = {}
    for s in set(content):
        pos = index.positions[s]
        if len(pos) > _MAX_SENTENCE_LOOKUPS:
            pos = pos[:_MAX_SENTENCE_LOOKUPS]
        where[s] = {grams.sentence_of[j] for j in pos}
    left = set(where)
    goal = 0.1 * len(where)
    counts: dict[int, int] = {}
    for s in where:
        for sid in where[s]:
            counts[sid] = counts.get(sid, 0) + 1
    best = max(counts.values()) / wanted if counts else 0.0
    needed = 0
    while len(left) > goal and needed < _MAX_NEEDED:
        tally: dict[int, int] = {}
        for s in left:
            for sid in where[s]:
                tally[sid] = tally.get(sid, 0) + 1
        if not tally:
            needed = _MAX_NEEDED
            break
        pick = max(tally, key=lambda sid: (tally[sid], -sid))
        left = {s for s in left if pick not in where[s]}
        needed += 1
    return best, needed


def _reversed_pairs(
    index: ArticleIndex, window: tuple[int, int] | None, wanted: list[str], in_window: set[str]
) -> float:
    """Share of consecutive content-word pairs (both in the window) found in the window only in
    the reverse order: "Chelsea beat Arsenal" against "Arsenal beat Chelsea"."""
    if window is None:
        return 0.0
    known = [s for s in wanted if s in in_window]
    pairs = [(a, b) for a, b in zip(known, known[1:], strict=False) if a != b]
    if not pairs:
        return 0.0
    lo, hi = window
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for j in range(lo, hi):
        s = index.stems[j]
        if s in in_window:
            first.setdefault(s, j)
            last[s] = j
    reversed_only = sum(1 for a, b in pairs if first[a] > last[b])
    return reversed_only / len(pairs)
