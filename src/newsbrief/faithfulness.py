"""Is a summary supported by its article? A fast, explainable checker for any summary text.

For each summary sentence (or highlight) the checker reports:

- the **supporting span**: the article sentence, widened by a neighbour when that covers
  more, that shares the most word pairs with it, as character offsets into ``Article.body``;
- **unsupported items**: names, numbers, dates and quoted words found nowhere in the article
  (body, title, dateline, captions); a number that differs from the same kind of number in
  the supporting span is reported as a ``number_flip``, and so is one found elsewhere in the
  article where the supporting span puts another number before the same word ("six men"
  against "three men"); a negation flip is a "not" on one side only, in front of words
  both sides share; a **verb contradiction** is a verb whose contrary the supporting window
  states of the same subject ("rejected" against "the Senate passed", ``nlp.contrary``); a
  **role swap** is "X <verb> Y" where the window says only "Y <verb> X". A flip's evidence
  is the window's number, affirmed words, verb or reversed phrase;
- a **support score** in [0, 1], the few **features** it comes from, and a **verdict**
  ("supported", "check", "unsupported", by ``THRESHOLDS``). An unsupported sentence always
  names a reason in its issues: one of the above, or ``no_support`` (no article window
  holds its word pairs) when no item is wrong (``give_reason``).

Why lexical features: abstractive summaries mostly go wrong by stitching pieces of
different sentences together ("Wolfsburg beat Hertha Berlin" from "Bayern, who beat Hertha
Berlin"), and some datasets (QAGS) are lower-cased, so names cannot be found by their
capitals. Four measurements separate supported from unsupported sentences on QAGS-CNN
(``bench/faithfulness.py``):

- ``bigram_support``: share of the sentence's word pairs (bigrams, lightly stemmed) found in
  the two article sentences that contain most of them;
- ``word_pairs``: share of its consecutive content words that occur in the same order within
  seven words of each other in the article (facts from far apart do not);
- ``patchwork``: copied fragments of one or two words per word of the sentence (a sentence
  stitched from scraps);
- ``window_lcs``: share of the sentence's words found in the same order in its supporting
  window (longest common subsequence): words borrowed from elsewhere in the article, or
  the window's words reordered (swapped roles), fall out of it.

A sentence starts at 1.0 and loses points (``DEDUCTIONS``) for each shortfall and
``ISSUE_PENALTY`` per unsupported item; the summary score is the mean sentence score
blended with the weakest one (``MIN_WEIGHT``). The deductions are a logistic regression
fitted on the QAGS-CNN dev half, rounded and rescaled; the benchmark reports a
cross-validated AUC. Verdict: "consistent" at or above ``THRESHOLDS["consistent"]``,
"inconsistent" below ``THRESHOLDS["inconsistent"]``, else "check". Paraphrase costs points
too (a lexical checker cannot tell a faithful paraphrase from a new claim), so a true but
reworded sentence tends to land in "check", not "inconsistent".

Speed: ``ArticleIndex`` precomputes the article side once (stems, n-gram postings, word
positions, numbers, phrase keys); ``check`` reuses it across summaries. The name finder is
skipped for a sentence whose capitalised words are all in the article, the number finder for
one with no digit, currency sign or number word (neither can find anything then: the same
issues on all 6,884 dev summary sentences and highlights), and the role check for one whose
words all occur in order in its window (``bench/checker_speed.py``).

Bounded work (hostile input: a 5 MB article that is one sentence, a word repeated a million
times, a summary as long as the article): building the index is linear in the article, and
the work per summary word is capped by the ``MAX_*`` limits below, so a check takes time
linear in article plus summary. No limit is reached on the dev sets (longest summary
sentence 80 words, longest article sentence 338 words, at most 27 sentences); when one is,
the report's ``notes`` say which, so nothing is cut silently.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from newsbrief.analyze.entities import find_entities, name_key
from newsbrief.analyze.numbers import Quantity, QuantityIndex, find_numbers
from newsbrief.article import Article, Summary
from newsbrief.nlp.contrary import CONTRARY, SAME_SENSE, SYMMETRIC_VERBS
from newsbrief.nlp.lexicon import (
    CURRENCY_SYMBOLS,
    MONTHS,
    NAME_CONNECTORS,
    NEGATION_RAISING,
    NEGATIVE_POLARITY,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    WEEKDAYS,
)
from newsbrief.nlp.sentences import split_spans
from newsbrief.nlp.stem import loose_stem, stem
from newsbrief.nlp.stopwords import STOPWORDS
from newsbrief.nlp.tokens import TOKEN_PATTERN as _WORD_TOKEN
from newsbrief.nlp.tokens import negations, phrase_key, phrase_key_of, tokens

__all__ = [
    "DEDUCTIONS",
    "ISSUE_PENALTY",
    "MIN_WEIGHT",
    "THRESHOLDS",
    "ArticleIndex",
    "FaithfulnessReport",
    "Issue",
    "IssueKind",
    "SentenceReport",
    "SentenceVerdict",
    "check",
    "give_reason",
    "sentence_score",
    "sentence_verdict",
    "verdict",
]

Span = tuple[int, int]
# "contradiction" and "no_support" come from the entailment checker (newsbrief.check.nli).
# "verb_contradiction": a verb the supporting window states as its contrary ("rejected" for
# "passed", ``nlp.contrary``); "role_swap": the window has the sentence's actors the other way
# round around the same verb; "no_support": no window supports the sentence (the reason an
# unsupported sentence is given when no item is wrong).
IssueKind = Literal[
    "entity",
    "number",
    "number_flip",
    "quote",
    "negation_flip",
    "verb_contradiction",
    "role_swap",
    "contradiction",
    "no_support",
]
Verdict = Literal["consistent", "check", "inconsistent"]
SentenceVerdict = Literal["supported", "check", "unsupported"]

# Points a sentence loses per unit of each shortfall, and per unsupported item. A sentence
# copied from one place scores 1.0. The ratios come from a logistic regression on QAGS-CNN
# dev (logit = -21 + 4 bigram_support + 14 word_pairs - 9 patchwork + 4 window_lcs),
# rescaled so that a logit drop of 5 costs the whole point; see bench/results/faithfulness.md.
DEDUCTIONS: dict[str, float] = {
    "bigram_support": 0.8,  # times (1 - share of bigrams found in the best two sentences)
    "word_pairs": 2.8,  # times (1 - share of content-word pairs found close together)
    "patchwork": 1.8,  # times (one- or two-word fragments per word)
    "window_lcs": 0.8,  # times (1 - share of words found in order in the supporting window)
}
# Taken off per unsupported item: one turns a copied sentence into "check", two into
# "inconsistent".
ISSUE_PENALTY = 0.5
# Summary score = MIN_WEIGHT * weakest sentence + (1 - MIN_WEIGHT) * mean sentence score.
MIN_WEIGHT = 0.5
# Verdict cut-offs on the summary score; "consistent" is the benchmark's operating point.
THRESHOLDS: dict[str, float] = {"consistent": 0.7, "inconsistent": 0.3}

REVERSED_PAIR = 0.5  # word_pairs credit for a pair found in the reverse order ("on Tuesday, Putin spoke")
_PAIR_DISTANCE = 7  # word_pairs: content words at most this many tokens apart, in order
QUOTE_COVERAGE = 0.8  # share of a quote's words that must run unbroken in the article
_SKIP_NUMBERS = frozenset({"one", "first", "a dozen"})  # mostly not counts: "one of the"

# Limits on the work per summary word (see "Bounded work" in the module docstring).
MAX_UNIT_WORDS = 200  # a longer summary sentence is checked as consecutive pieces of this many words
MAX_SUMMARY_WORDS = 5000  # words of a summary checked; later words are left out, with a note
MAX_WINDOW_WORDS = 800  # a longer supporting window is narrowed to this many words around its best match
MAX_OCCURRENCES = 256  # occurrences of one article word examined per look-up (fragments, quotes, pairs)
MAX_BIGRAM_SENTENCES = 256  # a word pair found in more article sentences does not rank sentences
MAX_NUMBER_CHARS = 500_000  # numbers are read from this many body characters (as ``analyze`` does)


@dataclass(slots=True)
class Issue:
    """One thing in a summary sentence the article does not back.

    ``span`` is in the summary sentence's text; ``evidence`` is the body span of the article
    item it conflicts with (for a flip), else None.
    """

    kind: IssueKind
    text: str
    span: Span
    detail: str
    evidence: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = list(self.span)
        data["evidence"] = list(self.evidence) if self.evidence else None
        return data


@dataclass(slots=True)
class SentenceReport:
    """The check of one summary sentence (or one highlight)."""

    index: int
    text: str
    score: float
    support_span: Span | None  # body offsets of the best-supporting article window
    support_text: str | None
    issues: list[Issue] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    # "supported", "check" or "unsupported" (``sentence_verdict``); an unsupported sentence
    # always names a reason in ``issues`` (``give_reason``).
    verdict: SentenceVerdict = "check"

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "support_span": list(self.support_span) if self.support_span else None,
            "support_text": self.support_text,
            "issues": [i.to_dict() for i in self.issues],
            "features": {k: round(v, 4) for k, v in self.features.items()},
        }


@dataclass(slots=True)
class FaithfulnessReport:
    """The check of a whole summary: per-sentence reports, a score in [0, 1] and a verdict."""

    score: float
    verdict: Verdict
    sentences: list[SentenceReport]
    article_id: str | None = None
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLDS))
    notes: list[str] = field(default_factory=list)  # a work limit that was reached (``MAX_*``)

    @property
    def issues(self) -> list[Issue]:
        return [i for s in self.sentences for i in s.issues]

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "score": round(self.score, 4),
            "verdict": self.verdict,
            "thresholds": self.thresholds,
            "n_issues": len(self.issues),
            "sentences": [s.to_dict() for s in self.sentences],
            "notes": list(self.notes),
        }


class ArticleIndex:
    """Everything the checker needs from an article, computed once per article.

    ``check(index, summary)`` for each summary of the same article skips this work.
    """

    def __init__(self, article: Article) -> None:
        self.article = article
        body = article.body
        self.sentence_spans: list[Span] = [(s.start, s.end) for s in article.sentences] or split_spans(body)
        toks = tokens(body)
        self.stems: list[str] = [stem(t) for t, _, _ in toks]
        self.words: list[str] = [t for t, _, _ in toks]
        self.token_spans: list[Span] = [(a, b) for _, a, b in toks]
        self.negations: list[int] = negations(toks)
        # Tokens that are forms in the contrary-verbs lexicon (``_verb_issues``), in order.
        self.contrary_positions: list[int] = [j for j, w in enumerate(self.words) if w.lower() in CONTRARY]
        # Token range of each sentence, and the sentence of each token.
        self.sentence_tokens: list[tuple[int, int]] = []
        starts = [a for _, a, _ in toks]
        for a, b in self.sentence_spans:
            self.sentence_tokens.append((bisect_right(starts, a - 1), bisect_right(starts, b - 1)))
        self.bigram_sentences: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.sentence_bigrams: list[set[tuple[str, str]]] = []
        for i, (a, b) in enumerate(self.sentence_tokens):
            grams = set(zip(self.stems[a:b], self.stems[a + 1 : b], strict=False))
            self.sentence_bigrams.append(grams)
            for g in grams:
                self.bigram_sentences[g].add(i)
        # Word distance for ``word_pairs`` skips asides: a relative clause between commas, a
        # parenthesis, a dash aside. "The driver of the car, who has not been identified, said"
        # keeps "car" next to "said", as a summary that drops the aside does.
        inside = _aside_mask(body, toks)
        self.distance_index: list[int] = []
        d = 0
        for j in range(len(toks)):
            self.distance_index.append(d)
            d += 0 if inside[j] else 1
        self.positions: dict[str, list[int]] = defaultdict(list)
        for j, s in enumerate(self.stems):
            self.positions[s].append(j)
        # Everything else the article says, for the item checks: title, dateline, captions.
        extra = [article.title, article.dateline, article.source]
        extra += [m.caption or m.title for m in article.media]
        extra += [b.text for b in article.blocks if b.kind in ("heading", "standfirst", "caption", "dateline")]
        texts = [body] + [x for x in extra if x]
        self.numbers_cut = len(body) > MAX_NUMBER_CHARS
        self.body_quantities: list[Quantity] = find_numbers(body[:MAX_NUMBER_CHARS])
        self.quantities: list[Quantity] = self.body_quantities + [q for text in texts[1:] for q in find_numbers(text)]
        self.quantity_index = QuantityIndex(self.quantities)
        self.quantity_starts: list[int] = [q.span[0] for q in self.body_quantities]
        self.bare_values: set[float] = {v for a in self.quantities for v in (a.day, a.year, a.value) if v is not None}
        self.phrases: str = phrase_key_of(toks) + " ".join(phrase_key(text) for text in texts[1:])
        self.phrase_words: set[str] = set(self.phrases.split())
        self._phrase_memo: dict[str, bool] = {}
        self._windows: dict[tuple[int, int], _WindowFacts] = {}
        self.vocab: set[str] = set(self.stems).union(*(set(map(stem, _words(x))) for x in texts[1:]))

    def window_text(self, window: tuple[int, int]) -> Span:
        return self.sentence_spans[window[0]][0], self.sentence_spans[window[1] - 1][1]

    def has_phrase(self, key: str) -> bool:
        """``key in self.phrases`` (a ``phrase_key``), remembered: the substring search runs
        over the whole article, so each distinct key pays for it once per article."""
        words = key.split()
        if len(words) == 1 and key == f" {words[0]} ":
            return words[0] in self.phrase_words
        found = self._phrase_memo.get(key)
        if found is None:
            found = self._phrase_memo[key] = key in self.phrases
        return found

    def facts(self, window: Window) -> _WindowFacts:
        """The window's numbers and words, computed once per window."""
        found = self._windows.get(window.chars)
        if found is None:
            found = self._windows[window.chars] = _WindowFacts(self, window.chars)
        return found


@dataclass(frozen=True, slots=True)
class Window:
    """A supporting window: body ``chars`` and the token range ``tokens`` of ``ArticleIndex``;
    ``narrowed`` when its sentences were longer than ``MAX_WINDOW_WORDS``."""

    tokens: tuple[int, int]
    chars: Span
    narrowed: bool = False


class _WindowFacts:
    """What the number checks ask of one window: its quantities (for ``matches``), the first
    quantity of each kind and unit (and of each kind, unit and following word), its words."""

    def __init__(self, index: ArticleIndex, chars: Span) -> None:
        lo, hi = chars
        body = index.article.body
        a, b = bisect_left(index.quantity_starts, lo), bisect_left(index.quantity_starts, hi)
        self.quantities = index.body_quantities[a:b]
        self.matcher = QuantityIndex(self.quantities)
        self.phrases = phrase_key(body[lo:hi])
        self.first: dict[tuple[str, str | None], Quantity] = {}
        self.first_before: dict[tuple[str, str | None, str | None], Quantity] = {}
        for q in self.quantities:
            if q.kind == "date":
                continue
            self.first.setdefault((q.kind, q.unit), q)
            word = _next_word(body[q.span[1] : q.span[1] + 40])
            self.first_before.setdefault((q.kind, q.unit, word), q)


def check(article: Article | ArticleIndex, summary: str | Sequence[str] | Summary) -> FaithfulnessReport:
    """Check every sentence of ``summary`` against ``article`` (see the module docstring).

    ``summary``: a text (split into sentences), a list of sentences or highlights (each
    checked as one unit), or a ``Summary`` (its highlights).
    """
    index = article if isinstance(article, ArticleIndex) else ArticleIndex(article)
    caps: set[str] = {"numbers"} if index.numbers_cut else set()
    notes: list[str] = []
    checked = [_check_sentence(index, i, text, caps) for i, text in _pieces(_units(summary), notes)]
    reports = [r for r in checked if r is not None]
    if reports:
        scores = [r.score for r in reports]
        overall = MIN_WEIGHT * min(scores) + (1 - MIN_WEIGHT) * sum(scores) / len(scores)
    else:
        overall = 1.0
    notes += [_CAP_NOTES[c] for c in sorted(caps)]
    return FaithfulnessReport(overall, verdict(overall), reports, index.article.id, notes=notes)


_CAP_NOTES = {
    "occurrences": f"some article words occur so often that look-ups examined only {MAX_OCCURRENCES} of "
    "their occurrences (MAX_OCCURRENCES)",
    "bigrams": f"word pairs found in more than {MAX_BIGRAM_SENTENCES} article sentences were not used to find "
    "supporting sentences (MAX_BIGRAM_SENTENCES)",
    "numbers": f"numbers were read from the first {MAX_NUMBER_CHARS} characters of the article body "
    "(MAX_NUMBER_CHARS); a number stated only later may be reported as unsupported",
    "window": f"supporting sentences longer than {MAX_WINDOW_WORDS} words were narrowed to that many words around "
    "the best match (MAX_WINDOW_WORDS)",
}


def verdict(score: float) -> Verdict:
    """The verdict for a summary score (see ``THRESHOLDS``)."""
    if score >= THRESHOLDS["consistent"]:
        return "consistent"
    if score < THRESHOLDS["inconsistent"]:
        return "inconsistent"
    return "check"


def sentence_verdict(score: float, thresholds: dict[str, float] | None = None) -> SentenceVerdict:
    """The verdict for one sentence's score: "supported" at or above ``thresholds["consistent"]``,
    "unsupported" below ``thresholds["inconsistent"]`` (default ``THRESHOLDS``), else "check"."""
    cut = thresholds or THRESHOLDS
    if score >= cut["consistent"]:
        return "supported"
    if score < cut["inconsistent"]:
        return "unsupported"
    return "check"


def give_reason(sentence: SentenceReport, detail: str | None = None) -> None:
    """Make sure an unsupported sentence says why: when none of its issues does, add a
    ``no_support`` issue over the whole sentence (``detail``, or one read off its features).

    Why: a verdict without a reason cannot be acted on; every checker (default, learned,
    nli) calls this after setting the verdict."""
    if sentence.verdict != "unsupported" or sentence.issues:
        return
    if detail is None:
        f = sentence.features
        if sentence.support_span is None:
            detail = "no article sentence shares its word pairs"
        else:
            detail = (
                f"no article window supports it: {f.get('bigram_support', 0.0):.0%} of its word pairs and "
                f"{f.get('word_pairs', 0.0):.0%} of its content-word pairs are found there"
            )
    sentence.issues.append(Issue("no_support", sentence.text, (0, len(sentence.text)), detail))


# --- one sentence -------------------------------------------------------------------------


def _units(summary: str | Sequence[str] | Summary) -> list[str]:
    if isinstance(summary, Summary):
        return [t for t in summary.texts if t.strip()]
    if isinstance(summary, str):
        return [summary[a:b] for a, b in split_spans(summary)]
    return [t for t in summary if t.strip()]


def _pieces(units: list[str], notes: list[str]) -> Iterator[tuple[int, str]]:
    """(unit index, text) to check: a unit over ``MAX_UNIT_WORDS`` words becomes consecutive
    pieces of that many words; words past ``MAX_SUMMARY_WORDS`` are left out. Both noted.
    Only the words kept are tokenised here; the rest are just counted, for the note."""
    budget = MAX_SUMMARY_WORDS
    for i, text in enumerate(units):
        starts: list[int] = []  # start of every MAX_UNIT_WORDS-th word, up to the budget
        count, end = 0, len(text)
        for m in _WORD_TOKEN.finditer(text):
            if count == budget:
                end = m.start()
                break
            if count % MAX_UNIT_WORDS == 0:
                starts.append(m.start())
            count += 1
        budget -= count
        if count == 0:
            continue
        if len(starts) > 1:
            notes.append(f"summary sentence {i} was checked as {len(starts)} pieces of at most {MAX_UNIT_WORDS} words")
        cuts = [0] + starts[1:]
        for a, b in zip(cuts, cuts[1:] + [end], strict=True):
            yield i, text[a:b]
        if budget == 0:
            left = len(_WORD_TOKEN.findall(text, end)) + sum(len(_WORD_TOKEN.findall(t)) for t in units[i + 1 :])
            if left:
                notes.append(
                    f"only the first {MAX_SUMMARY_WORDS} of the summary's {MAX_SUMMARY_WORDS + left} words were "
                    "checked (MAX_SUMMARY_WORDS)"
                )
            return


def _check_sentence(index: ArticleIndex, i: int, text: str, caps: set[str]) -> SentenceReport | None:
    toks = tokens(text)
    if not toks:
        return None
    st = [stem(t) for t, _, _ in toks]
    features, window = _features(index, st, caps)
    issues = _number_issues(index, text, window, toks)
    issues += _entity_issues(index, text, toks)
    issues += _quote_issues(index, text, caps)
    issues += _negation_issues(index, toks, window)
    issues += _verb_issues(index, toks, window)
    issues += _role_issues(index, text, toks, st, window) if features["window_lcs"] < 1.0 else []
    features["issues"] = float(len(issues))
    score = sentence_score(features)
    span = window.chars if window else None
    support = index.article.body[span[0] : span[1]] if span else None
    report = SentenceReport(i, text, score, span, support, issues, features, sentence_verdict(score))
    give_reason(report)
    return report


def sentence_score(features: dict[str, float]) -> float:
    """1 less the ``DEDUCTIONS`` for each shortfall and ``ISSUE_PENALTY`` per item, in [0, 1]."""
    lost = (
        DEDUCTIONS["bigram_support"] * (1.0 - features["bigram_support"])
        + DEDUCTIONS["word_pairs"] * (1.0 - features["word_pairs"])
        + DEDUCTIONS["patchwork"] * features["patchwork"]
        + DEDUCTIONS["window_lcs"] * (1.0 - features.get("window_lcs", 1.0))
        + ISSUE_PENALTY * features.get("issues", 0.0)
    )
    return min(1.0, max(0.0, 1.0 - lost))


def _features(index: ArticleIndex, st: list[str], caps: set[str]) -> tuple[dict[str, float], Window | None]:
    bigrams = list(zip(st, st[1:], strict=False))
    content = [s for s in st if s not in STOPWORDS]
    f: dict[str, float] = {}
    f["content_in_article"] = _share([s in index.vocab for s in content])
    # Sentences holding most of the bigrams: the best is the support, the best two the union.
    hits: Counter[int] = Counter()
    for g in set(bigrams):
        sids = index.bigram_sentences.get(g, ())
        if len(sids) > MAX_BIGRAM_SENTENCES:
            caps.add("bigrams")
            continue
        hits.update(sids)
    ranked = heapq.nsmallest(2, hits, key=lambda sid: (-hits[sid], sid))
    best = [index.sentence_bigrams[sid] for sid in ranked]
    f["bigram_support"] = _share([any(g in b for b in best) for g in bigrams]) if bigrams else f["content_in_article"]
    f["word_pairs"] = _word_pairs(index, content, caps)
    f["patchwork"], fragments = _patchwork(index, st, caps)
    window = _window(index, ranked[0], set(bigrams), fragments, caps) if ranked else None
    if window is not None:
        lo, hi = window.tokens
        f["window_lcs"] = _lcs_length(index.stems[lo:hi], st) / len(st)
    else:
        f["window_lcs"] = 0.0 if bigrams else f["content_in_article"]
    return f, window


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 1.0


def _word_pairs(index: ArticleIndex, content: list[str], caps: set[str]) -> float:
    """Share of consecutive content words found in the same order, close together."""
    known = [s for s in content if s in index.positions]
    pairs = list(zip(known, known[1:], strict=False))
    if not pairs:
        return 1.0
    ok = 0.0
    dist = index.distance_index
    for a, b in pairs:
        if _close(index.positions[a], index.positions[b], dist, caps):
            ok += 1
        elif _close(index.positions[b], index.positions[a], dist, caps):
            ok += REVERSED_PAIR
    return ok / len(pairs)


def _lcs_length(window: list[str], st: list[str]) -> int:
    """Length of the longest common subsequence of ``window`` and ``st``, bit-parallel
    (Allison and Dix 1986): one big-integer step per word of ``st``."""
    masks: dict[str, int] = defaultdict(int)
    for i, s in enumerate(window):
        masks[s] |= 1 << i
    full = (1 << len(window)) - 1
    v = full
    for s in st:
        u = v & masks.get(s, 0)
        v = ((v + u) | (v - u)) & full
    return len(window) - v.bit_count()


def _close(first: list[int], second: list[int], dist: list[int], caps: set[str]) -> bool:
    """Some occurrence of ``second`` follows one of ``first`` within ``_PAIR_DISTANCE``.

    Walks the shorter list (at most ``MAX_OCCURRENCES`` of it) and looks each occurrence up
    in the other: the next ``second`` after a ``first``, or the last ``first`` before a
    ``second``, is the closest one (``dist`` never decreases).
    """
    forward = len(first) <= len(second)
    walk = first if forward else second
    if len(walk) > MAX_OCCURRENCES:
        caps.add("occurrences")
        walk = walk[:MAX_OCCURRENCES]
    if forward:
        for ja in walk:
            k = bisect_right(second, ja)
            if k < len(second) and dist[second[k]] - dist[ja] <= _PAIR_DISTANCE:
                return True
        return False
    for jb in walk:
        k = bisect_left(first, jb) - 1
        if k >= 0 and dist[jb] - dist[first[k]] <= _PAIR_DISTANCE:
            return True
    return False


def _patchwork(index: ArticleIndex, st: list[str], caps: set[str]) -> tuple[float, list[tuple[int, int]]]:
    """Copied fragments of one or two words, per word: greedy longest matches, left to right
    (ties go to the occurrence nearest the previous fragment's end); and the fragments as
    (article token, length).

    Only the length of each match counts, and extending a candidate never costs more than the
    longest match found, so the work is at most ``MAX_OCCURRENCES`` steps per summary word: a
    word with more occurrences is looked up at the ``MAX_OCCURRENCES`` nearest the previous
    fragment's end (where a copied passage continues).
    """
    art = index.stems
    i = short = 0
    prev_end = -1
    fragments: list[tuple[int, int]] = []
    while i < len(st):
        best_len, best_pos = 0, -1
        occurrences = index.positions.get(st[i], [])
        if len(occurrences) > MAX_OCCURRENCES:
            caps.add("occurrences")
            occurrences = _nearest(occurrences, prev_end, MAX_OCCURRENCES)
        for j in occurrences:
            k = 1
            while i + k < len(st) and j + k < len(art) and st[i + k] == art[j + k]:
                k += 1
            if k > best_len or (k == best_len and abs(j - prev_end) < abs(best_pos - prev_end)):
                best_len, best_pos = k, j
        if best_len == 0:
            i += 1
            continue
        if best_len <= 2:
            short += 1
        fragments.append((best_pos, best_len))
        i += best_len
        prev_end = best_pos + best_len
    return short / len(st), fragments


def _nearest(sorted_positions: list[int], target: int, n: int) -> list[int]:
    """The ``n`` positions nearest ``target``."""
    k = bisect_left(sorted_positions, target)
    near = sorted_positions[max(0, k - n) : k + n]
    return sorted(near, key=lambda j: abs(j - target))[:n]


_ASIDE = re.compile(
    r",\s+(?:who|which|whose|whom|where)\b[^,;:.!?()\"“”]{0,160}?,"  # ", who has played ... since 2013,"
    r"|\([^()]{0,120}\)"  # "(pictured)"
    r"|\s[-–—]{1,2}\s[^-–—.!?]{0,120}?\s[-–—]{1,2}\s"  # " - ranked fourth in the world - "
)


def _aside_mask(body: str, toks: list[tuple[str, int, int]]) -> list[bool]:
    """For each token: is it inside an aside (see ``_ASIDE``)?"""
    mask = [False] * len(toks)
    starts = [a for _, a, _ in toks]
    for m in _ASIDE.finditer(body):
        for j in range(bisect_right(starts, m.start() - 1), bisect_right(starts, m.end() - 1)):
            mask[j] = True
    return mask


def _window(
    index: ArticleIndex, best: int, bigrams: set[tuple[str, str]], fragments: list[tuple[int, int]], caps: set[str]
) -> Window:
    """The best sentence, widened by the neighbour that adds most bigrams (if any does);
    narrowed to ``MAX_WINDOW_WORDS`` words around the longest copied fragment in it when longer."""
    mine = bigrams & index.sentence_bigrams[best]
    lo, hi, gain = best, best + 1, 0
    for nb, window in ((best - 1, (best - 1, best + 1)), (best + 1, (best, best + 2))):
        if 0 <= nb < len(index.sentence_bigrams):
            extra = len(mine | (bigrams & index.sentence_bigrams[nb])) - len(mine)
            if extra > gain:
                gain, (lo, hi) = extra, window
    first, last = index.sentence_tokens[lo][0], index.sentence_tokens[hi - 1][1]
    if last - first <= MAX_WINDOW_WORDS:
        return Window((first, last), index.window_text((lo, hi)))
    caps.add("window")
    inside = [f for f in fragments if first <= f[0] < last]
    at, length = max(inside, key=lambda f: f[1]) if inside else (first, 0)
    start = max(first, min(at - (MAX_WINDOW_WORDS - length) // 2, last - MAX_WINDOW_WORDS))
    end = start + MAX_WINDOW_WORDS
    return Window((start, end), (index.token_spans[start][0], index.token_spans[end - 1][1]), narrowed=True)


# --- items --------------------------------------------------------------------------------


# Words a quantity can start with (``analyze.numbers`` anchors its patterns on these, on
# digits and on currency signs): a sentence with none of them states no number.
_NUMBER_CUES = frozenset(
    {w for w in NUMBER_WORDS if " " not in w} | set(ORDINAL_WORDS) | set(MONTHS) | set(WEEKDAYS) | {"aged"}
)
_NUMBER_SIGNS = re.compile("[0-9" + re.escape("".join({c for c in "".join(CURRENCY_SYMBOLS) if not c.isalpha()})) + "]")


def _may_state_numbers(text: str, toks: list[tuple[str, int, int]]) -> bool:
    """Can ``find_numbers`` find anything in ``text``? False when it has no digit, no currency
    sign and no number, ordinal, month or weekday word: then the number finder (a fifth of
    a check's cost) need not run."""
    return bool(_NUMBER_SIGNS.search(text)) or any(
        t.lower() in _NUMBER_CUES or stem(t) in _NUMBER_CUES
        for t, _, _ in toks  # "Monday's"
    )


def _number_issues(
    index: ArticleIndex, text: str, window: Window | None, toks: list[tuple[str, int, int]] | None = None
) -> list[Issue]:
    """A number found nowhere in the article, or one the supporting window contradicts: the
    window does not state it but puts another number of the same kind and unit before the
    same word ("six men were stopped" where the window says "the three men were stopped",
    though "six" occurs elsewhere in the article)."""
    if toks is not None and not _may_state_numbers(text, toks):
        return []
    out = []
    for q in find_numbers(text):
        if q.text.lower() in _SKIP_NUMBERS:
            continue
        if index.quantity_index.matches_any(q) or _bare_supported(index, q):
            partner = _context_partner(index, q, text, window)
            if partner is None or _in_window(index, q, window):
                continue
        else:
            partner = _flip_partner(index, q, window)
        if partner is not None:
            out.append(Issue("number_flip", q.text, q.span, f"the article says {partner.text!r} here", partner.span))
        else:
            what = "date" if q.kind == "date" else "number"
            out.append(Issue("number", q.text, q.span, f"no matching {what} in the article"))
    return out


def _bare_supported(index: ArticleIndex, q: Quantity) -> bool:
    """A plain number the article writes inside another quantity: "14" of "March 14"."""
    if q.kind != "number" or q.unit is not None or q.value is None:
        return False
    return index.has_phrase(phrase_key(q.text)) or q.value in index.bare_values


def _in_window(index: ArticleIndex, q: Quantity, window: Window | None) -> bool:
    """The supporting window states ``q`` (as a quantity, or as the same words)."""
    if window is None:
        return False
    facts = index.facts(window)
    return facts.matcher.matches_any(q) or phrase_key(q.text) in facts.phrases


def _context_partner(index: ArticleIndex, q: Quantity, text: str, window: Window | None) -> Quantity | None:
    """A number of the same kind and unit in the supporting window followed by the same word
    as ``q`` in the summary ("three men" for "six men")."""
    if window is None:
        return None
    m = _NEXT_WORD.match(text, q.span[1])
    after = stem(m.group(1)) if m else None
    if after is None or after in STOPWORDS:  # "747-8 is": no noun to tie the number to
        return None
    return index.facts(window).first_before.get((q.kind, q.unit, after))


_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")


def _next_word(text: str) -> str | None:
    """The stem of the word right after a number (None if punctuation or a number comes first)."""
    m = _NEXT_WORD.match(text)
    return stem(m.group(1)) if m else None


def _flip_partner(index: ArticleIndex, q: Quantity, window: Window | None) -> Quantity | None:
    """A number of the same kind and unit in the supporting window (body quantities only)."""
    if window is None:
        return None
    return index.facts(window).first.get((q.kind, q.unit))


def _entity_issues(index: ArticleIndex, text: str, toks: list[tuple[str, int, int]]) -> list[Issue]:
    if _all_words_known(index, toks):
        return []
    out = []
    for e in find_entities(text):
        key = phrase_key(e.text)
        if index.has_phrase(key) or _words_known(index, key):
            continue
        words = name_key(e.text).split()
        if e.label == "person" and len(words) == 2 and index.has_phrase(phrase_key(words[-1])):
            continue  # "Vladimir Putin" for the article's "President Putin": the same person
        out.append(Issue("entity", e.text, e.span, f"{e.label} not named in the article"))
    return out


def _all_words_known(index: ArticleIndex, toks: list[tuple[str, int, int]]) -> bool:
    """Every capitalised word of the sentence is in the article (and "the"): then every name in
    it passes the checks below, so the name finder need not run. Why that holds: names are
    runs of capitalised words, with connectors ("of", "the") only between two of them; a
    one-word name is a known word, a longer one has two or more known capitalised words
    (``_words_known``). Most summary sentences are such; skipping saves a fifth of a check."""
    words = index.phrase_words
    if "the" not in words:
        return False
    for tok, _, _ in toks:
        if not tok[:1].isupper():
            continue
        low = tok.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if low and low != "s" and (low not in words or low in NAME_CONNECTORS):  # "LA": a connector
            return False
    return True


def _words_known(index: ArticleIndex, key: str) -> bool:
    """Every word of a several-word name is in the article: "England Under" for "England
    Under-17s", a name run on into the next ("Bulgaria Trent Arnold")."""
    words = [w for w in key.split() if w not in NAME_CONNECTORS and not w.isdigit()]
    return len(words) > 1 and all(w in index.phrase_words for w in words)


_QUOTED = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]|(?<![\w])['‘]([^'‘’]{3,}?)['’](?![\w])")


def _quote_issues(index: ArticleIndex, text: str, caps: set[str]) -> list[Issue]:
    out = []
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) is not None else 2
        key = phrase_key(m.group(group))
        if len(key.split()) < 2 or index.has_phrase(key) or _mostly_copied(index, m.group(group), caps):
            continue
        out.append(Issue("quote", m.group(group), m.span(group), "quoted words not in the article"))
    return out


def _mostly_copied(index: ArticleIndex, quoted: str, caps: set[str]) -> bool:
    """At least ``QUOTE_COVERAGE`` of the quoted words run unbroken somewhere in the article:
    a quote with a word changed or dropped ("dreams of Falcao" for "dream of Falcao") is a
    loose quotation, not an invented one.

    Such a run (``need`` words, more than half the quote) always contains the quote's word at
    ``len - need``, so only that word's occurrences (at most ``MAX_OCCURRENCES``) are extended.
    """
    st = [stem(t) for t, _, _ in tokens(quoted)]
    if not st:
        return False
    need = next(b for b in range(len(st) + 1) if b / len(st) >= QUOTE_COVERAGE)
    art = index.stems
    p = len(st) - need
    occurrences = index.positions.get(st[p], [])
    if len(occurrences) > MAX_OCCURRENCES:
        caps.add("occurrences")
        occurrences = occurrences[:MAX_OCCURRENCES]
    for j in occurrences:
        left = 0
        while left < p and left < j and st[p - left - 1] == art[j - left - 1]:
            left += 1
        right = 1
        while p + right < len(st) and j + right < len(art) and st[p + right] == art[j + right]:
            right += 1
        if left + right >= need:
            return True
    return False


def _negation_issues(index: ArticleIndex, toks: list[tuple[str, int, int]], window: Window | None) -> list[Issue]:
    """A negation governs the next two content words of its clause. A flip: those two words
    occur (in order, close) on the other side with no negation just before them."""
    if window is None:
        return []
    lo, hi = window.tokens
    art_neg = [j - lo for j in index.negations[bisect_left(index.negations, lo) : bisect_left(index.negations, hi)]]
    summary_neg = negations(toks)
    if not art_neg and not summary_neg:  # most sentences: nothing to flip
        return []
    art_words = index.words[lo:hi]
    art = [loose_stem(w) for w in art_words]
    summary_words = [t for t, _, _ in toks]
    st = [loose_stem(t) for t in summary_words]
    out = []
    for j in summary_neg:
        governed = _governed(st, j)
        pos = _find_run(art, governed) if len(governed) == 2 else None
        if pos is not None and not _run_negated(art_neg, art_words, art, pos, governed):
            t, a, b = toks[j]
            evidence = index.token_spans[lo + pos]  # the window's un-negated word
            out.append(Issue("negation_flip", t, (a, b), "the article says this without the negation", evidence))
    for n in art_neg:
        governed = _governed(art, n)
        pos = _find_run(st, governed) if len(governed) == 2 else None
        if pos is not None and not _run_negated(summary_neg, summary_words, st, pos, governed):
            a, b = toks[pos][1], toks[min(pos + 2, len(toks) - 1)][2]
            evidence = index.token_spans[lo + n]
            out.append(Issue("negation_flip", _text_between(toks, pos), (a, b), "the article negates this", evidence))
    return out


_NEGATION_REACH = 3  # a negation this many tokens before a verb negates it ("did not pass")
_SUBJECT_REACH = 4  # tokens before a verb searched for its subject


def _verb_issues(index: ArticleIndex, toks: list[tuple[str, int, int]], window: Window | None) -> list[Issue]:
    """A verb the supporting window states as its contrary, of the same subject: "The Senate
    rejected the bill" where the window says "the Senate passed the bill" (``nlp.contrary``).

    Same fact: the summary's subject (its nearest content word before the verb) is among the
    four tokens before the contrary verb in the window, its object (the nearest content word
    after the verb, if any) among the five after it ("the teacher allowed his students" is
    another fact than "the teacher was banned from teaching"); and neither verb is negated
    ("did not pass" agrees with "rejected"). A window that also states the summary's verb, or a form of
    its sense, contradicts nothing. Evidence: the window's contrary verb."""
    if window is None:
        return []
    lo, hi = window.tokens
    cp = index.contrary_positions
    found = cp[bisect_left(cp, lo) : bisect_left(cp, hi)]
    if not found:
        return []
    here = {index.words[p].lower() for p in found}
    out: list[Issue] = []
    summary_neg: list[int] | None = None
    for j, (t, a, b) in enumerate(toks):
        form = t.lower()
        against = CONTRARY.get(form)
        if not against or not here.isdisjoint(SAME_SENSE[form]) or here.isdisjoint(against):
            continue
        if summary_neg is None:
            summary_neg = negations(toks)
        if _negated(summary_neg, j) or (j + 1 < len(toks) and toks[j + 1][0] == "t"):  # "won ' t"
            continue
        subject = next(
            (stem(w) for w, _, _ in reversed(toks[max(0, j - _SUBJECT_REACH) : j]) if stem(w) not in STOPWORDS),
            None,
        )
        if subject is None:
            continue
        thing = next((stem(w) for w, _, _ in toks[j + 1 : j + 1 + _SUBJECT_REACH] if stem(w) not in STOPWORDS), None)
        for p in found:
            if index.words[p].lower() not in against or _negated(index.negations, p):
                continue
            if subject not in index.stems[max(lo, p - _SUBJECT_REACH) : p]:
                continue
            if thing is None or thing in index.stems[p + 1 : min(hi, p + 2 + _SUBJECT_REACH)]:
                word = index.words[p]
                out.append(
                    Issue("verb_contradiction", t, (a, b), f"the article says {word!r} here", index.token_spans[p])
                )
                break
    return out


def _negated(negs: list[int], j: int) -> bool:
    """A negation (index in the sorted ``negs``) within ``_NEGATION_REACH`` tokens before ``j``."""
    k = bisect_left(negs, j)
    return k > 0 and negs[k - 1] >= j - _NEGATION_REACH


_ROLE_GAP = 3  # at most this many tokens from an actor to the verb, on both sides
_ROLE_ORDER_REACH = 8  # the window "has them in order" when within this many tokens
# Passive ("defeated by"), noun phrases ("coach of Chelsea", "playmaker for Arsenal",
# "given to babies"), symmetric pairs ("X and Y"): the order turns, the fact does not.
_ROLE_BLOCKERS = frozenset({"by", "of", "from", "for", "to", "at", "in", "with", "and", "or", "'s", "’s"})
_ROLE_PUNCTUATION = re.compile(r"[^\w\s'’]")  # an aside or apposition between the words ("Aaron Siler, a man")


def _role_issues(
    index: ArticleIndex, text: str, toks: list[tuple[str, int, int]], st: list[str], window: Window | None
) -> list[Issue]:
    """Swapped roles: the sentence says "X <verb> Y" (content words close together) and the
    supporting window says only "Y <verb> X" ("Chelsea beat Arsenal" against "Arsenal beat
    Chelsea"). Not reported across "by" or "of" on either side (a passive or a noun phrase
    turns the order round without changing the fact), nor for symmetric verbs ("met"). The
    caller skips a sentence whose words all occur in order in its window (``window_lcs`` 1):
    its roles are the window's. Evidence: the window's "Y <verb> X"."""
    if window is None:
        return []
    lo, hi = window.tokens
    positions = index.positions
    content = [(j, s) for j, s in enumerate(st) if s in positions and s not in STOPWORDS and s.isalpha()]
    if len(content) < 3:
        return []
    blocked = [0]  # blockers among the first j tokens
    for t, _, _ in toks:
        blocked.append(blocked[-1] + (t.lower() in _ROLE_BLOCKERS))
    out: list[Issue] = []
    for k in range(1, len(content) - 1):
        jx, x = content[k - 1]
        jv, v = content[k]
        jy, y = content[k + 1]
        if jv - jx > _ROLE_GAP or jy - jv > _ROLE_GAP or blocked[jy] != blocked[jx] or x == y or v in (x, y):
            continue
        verb = toks[jv][0]
        if not verb.islower() or verb in SYMMETRIC_VERBS or _ROLE_PUNCTUATION.search(text, toks[jx][2], toks[jy][1]):
            continue
        py = _within(positions[y], lo, hi)
        if not py:
            continue
        pv, px = _within(positions[v], lo, hi), _within(positions[x], lo, hi)
        if not (pv and px):
            continue
        hit = _tight_order(py, pv, px, index)
        if hit is None or _in_order(px, pv, py, _ROLE_ORDER_REACH):
            continue
        first, last = hit
        evidence = (index.token_spans[first][0], index.token_spans[last][1])
        detail = f"the article has {index.words[first]!r} and {index.words[last]!r} the other way round"
        out.append(Issue("role_swap", text[toks[jx][1] : toks[jy][2]], (toks[jx][1], toks[jy][2]), detail, evidence))
    return out


def _within(pos: list[int], lo: int, hi: int) -> list[int]:
    """The sorted positions ``pos`` in the token range [lo, hi)."""
    return pos[bisect_left(pos, lo) : bisect_left(pos, hi)]


def _in_order(first: list[int], middle: list[int], last: list[int], reach: int) -> bool:
    """Some occurrence of ``first``, then ``middle``, then ``last`` within ``reach`` tokens
    (sorted positions; for each ``middle`` only the nearest ``first`` before it and ``last``
    after it can do, so one bisect each, over at most ``MAX_OCCURRENCES`` of ``middle``)."""
    for m in middle[:MAX_OCCURRENCES]:
        i, k = bisect_left(first, m) - 1, bisect_right(last, m)
        if i >= 0 and k < len(last) and last[k] <= first[i] + reach:
            return True
    return False


def _tight_order(first: list[int], middle: list[int], last: list[int], index: ArticleIndex) -> tuple[int, int] | None:
    """(first, last) token of "first middle last" with at most ``_ROLE_GAP`` tokens between
    each and no ``_ROLE_BLOCKERS`` or punctuation between them, else None (the nearest pair around each
    ``middle``: any other spans more tokens, so more blockers)."""
    for m in middle[:MAX_OCCURRENCES]:
        i, k = bisect_left(first, m) - 1, bisect_right(last, m)
        if i < 0 or k >= len(last):
            continue
        a, c = first[i], last[k]
        if m - a > _ROLE_GAP or c - m > _ROLE_GAP or any(w.lower() in _ROLE_BLOCKERS for w in index.words[a:c]):
            continue
        if not _ROLE_PUNCTUATION.search(index.article.body, index.token_spans[a][1], index.token_spans[c][0]):
            return a, c
    return None


def _governed(stems: list[str], j: int) -> list[str]:
    out = []
    for s in stems[j + 1 : j + 6]:
        if s not in STOPWORDS and s != "n't":
            out.append(s)
            if len(out) == 2:
                break
    return out


def _find_run(stems: list[str], words: list[str]) -> int | None:
    """Where ``words[0]`` is followed within three tokens by ``words[1]``, else None."""
    for i, s in enumerate(stems):
        if s == words[0] and words[1] in stems[i + 1 : i + 4]:
            return i
    return None


_RUN_NEGATION_REACH = 4  # a negation this many tokens before a run (or inside it) negates it
_POLARITY_REACH = 8  # ... or this many, with a negative-polarity word right before the run
_RAISED_REACH = 10  # ... or this many, when it is raised ("don't think X should"): ``_raises``


def _run_negated(negs: list[int], words: list[str], stems: list[str], pos: int, run: list[str]) -> bool:
    """Is the run of ``run`` found at ``pos`` negated on its side? By a negation shortly before
    it or between its two words ("received no bids" for "did not receive bids"), or further
    back when a negative-polarity word stands just before it ("did not feel or hear any
    indication": ``lexicon.NEGATIVE_POLARITY``) or the negation is raised ("I don't think your
    future should be determined by one game": ``lexicon.NEGATION_RAISING``)."""
    end = stems.index(run[1], pos + 1, pos + 4)
    if any(pos - _RUN_NEGATION_REACH <= n < end for n in negs):
        return True
    if any(pos - _RAISED_REACH <= n < pos and _raises(words[n + 1 : n + 3]) for n in negs):
        return True
    if not any(w.lower() in NEGATIVE_POLARITY for w in words[max(0, pos - 2) : pos]):
        return False
    return any(pos - _POLARITY_REACH <= n < pos for n in negs)


def _raises(words: list[str]) -> bool:
    return any(w.lower() in NEGATION_RAISING for w in words)


def _text_between(toks: list[tuple[str, int, int]], pos: int) -> str:
    return " ".join(t for t, _, _ in toks[pos : pos + 3])


def _words(text: str) -> list[str]:
    return [t for t, _, _ in tokens(text)]
