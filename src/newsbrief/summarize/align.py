"""Align any highlight text to the article sentences that best support it.

Abstractive methods (``hf``, ``llm``) write their own words, so their highlights have no
source spans. To keep every highlight auditable we point it at *support*: the body
sentence(s) whose content words cover most of the highlight's content words. The spans are
evidence for a reader to check, not the origin of the text, and the score says how much of the
highlight that evidence covers (1.0: every content word and bigram is found there; 0.0: none).

How, and why this way:

* **Light normalisation only**: lower case, accents and curly quotes folded, digit groups
  joined (``1,834`` -> ``1834``), a crude plural strip. No stemmer or embeddings: the question
  is "can the reader find these words in the article", and that is a lexical question.
* **Weighted by rarity**: each word weighs ``log(1 + (N + 1) / (df + 1))`` over the article's
  N sentences, so names and numbers decide the match, not "said" or "police". A highlight word
  that the article never uses weighs the most, which pulls the score down: unsupported content
  is exactly what the score should expose.
* **Bigrams** of adjacent content words add word-order evidence (``BIGRAM_WEIGHT``).
* **Greedy cover**: the best sentence first, then another while it adds at least ``min_gain``
  coverage, up to ``max_sentences`` (highlights often fuse two sentences).

``AlignmentIndex`` precomputes the per-article tables once (postings, weights); each ``align``
call then touches only the sentences that share a word with the highlight.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from newsbrief.article import Article, Highlight, Span
from newsbrief.nlp.stopwords import ALIGNMENT_STOPWORDS

__all__ = ["Alignment", "AlignmentIndex", "align", "aligned_highlights", "content_words"]

# How much of the score comes from bigrams when the highlight has any; the rest is unigrams.
# Chosen by hand so that a verbatim sentence scores 1.0 and a reordered paraphrase of the
# same words still scores high (tests pin both); not tuned on a benchmark.
BIGRAM_WEIGHT = 0.3
# Below this, a highlight is noted as weakly supported (most of its content is not found).
WEAK_SUPPORT = 0.5
# Work per aligned text is bounded, whatever the article: a word found in more than
# ``MAX_POSTINGS`` sentences proposes only its first ones as candidates (it says little about
# where the text came from), and the greedy cover looks at the ``MAX_CANDIDATES`` sentences that
# share the most weight with the text. Why: a client may send a 10,000-sentence summary of a
# 10,000-sentence article (``POST /v1/check``); every sentence against every sentence was quadratic.
MAX_POSTINGS = 256
MAX_CANDIDATES = 64

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")
_STOP = ALIGNMENT_STOPWORDS
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


class Alignment(NamedTuple):
    """Supporting sentences, their body spans (in article order) and the share of the text covered."""

    sentence_ids: list[int]
    spans: list[Span]
    score: float


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES).lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _normal(token: str) -> str:
    if token[0].isdigit():
        return token.replace(",", "").rstrip(".")
    if token.endswith("'s"):
        token = token[:-2]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def content_words(text: str) -> list[str]:
    """Normalised content words of ``text`` in order (stop words and one-letter words dropped)."""
    out = []
    for raw in _TOKEN.findall(_fold(text)):
        word = _normal(raw)
        if word and word not in _STOP and (len(word) > 1 or word.isdigit()):
            out.append(word)
    return out


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


class AlignmentIndex:
    """Per-article lookup tables, built once and shared by all of the article's highlights."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self._words: list[set[str]] = []
        self._bigrams: list[set[tuple[str, str]]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for i, sentence in enumerate(article.sentences):
            words = content_words(sentence.text)
            unique = set(words)
            self._words.append(unique)
            self._bigrams.append(_bigrams(words))
            for w in unique:
                postings[w].append(i)
        self._postings = dict(postings)
        self._position = {s.id: i for i, s in enumerate(article.sentences)}
        n = len(article.sentences)
        self._unseen_weight = math.log(1 + (n + 1))  # a word no sentence has: df = 0
        self._weight = {w: math.log(1 + (n + 1) / (len(ids) + 1)) for w, ids in self._postings.items()}

    def weight(self, word: str) -> float:
        return self._weight.get(word, self._unseen_weight)

    def align(
        self,
        text: str,
        *,
        within: Collection[int] | None = None,
        max_sentences: int = 3,
        min_gain: float = 0.1,
    ) -> Alignment:
        """Best-supporting sentences for ``text``; ``within`` limits the candidates (sentence ids).

        Use ``within`` when the writer saw only part of the article (a truncated input): support
        from text the model never read would be a coincidence, not evidence.
        """
        words = content_words(text)
        targets = set(words)
        if not targets:
            return Alignment([], [], 0.0)
        bigrams = _bigrams(words)
        # fsum: exactly rounded, so the sum does not depend on set order (string hashing varies
        # between processes, and a gain of exactly ``min_gain`` must not decide differently).
        uni_total = math.fsum(self.weight(w) for w in targets)
        share_bi = BIGRAM_WEIGHT if bigrams else 0.0
        shared: dict[int, float] = defaultdict(float)  # sentence -> weight of the words it shares
        for w in targets:
            weight = self.weight(w)
            for i in self._postings.get(w, ())[:MAX_POSTINGS]:
                shared[i] += weight
        if within is not None:
            allowed = {self._position[i] for i in within if i in self._position}
            shared = defaultdict(float, {i: v for i, v in shared.items() if i in allowed})
        if len(shared) > MAX_CANDIDATES:
            candidates = set(sorted(shared, key=lambda i: (-shared[i], i))[:MAX_CANDIDATES])
        else:
            candidates = set(shared)
        covered: set[str] = set()
        covered_bi: set[tuple[str, str]] = set()
        chosen: list[int] = []
        score = 0.0
        while candidates and len(chosen) < max_sentences:
            best, best_score = -1, score
            for i in sorted(candidates):  # sorted: ties go to the earlier sentence
                uni = covered | (self._words[i] & targets)
                bi = covered_bi | (self._bigrams[i] & bigrams)
                s = (1 - share_bi) * math.fsum(self.weight(w) for w in uni) / uni_total
                if share_bi:
                    s += share_bi * len(bi) / len(bigrams)
                if s > best_score + 1e-12:
                    best, best_score = i, s
            if best < 0 or (chosen and best_score - score < min_gain):
                break
            chosen.append(best)
            covered |= self._words[best] & targets
            covered_bi |= self._bigrams[best] & bigrams
            score = best_score
            candidates.discard(best)
        chosen.sort()
        sentences = self.article.sentences
        return Alignment(
            [sentences[i].id for i in chosen],
            [(sentences[i].start, sentences[i].end) for i in chosen],
            round(min(score, 1.0), 4),
        )


def align(article: Article, text: str, **options: Any) -> Alignment:
    """One-off alignment; build an ``AlignmentIndex`` yourself to align many texts to one article."""
    return AlignmentIndex(article).align(text, **options)


def aligned_highlights(
    article: Article,
    texts: Iterable[str],
    *,
    index: AlignmentIndex | None = None,
    within: Collection[int] | None = None,
    notes: list[str] | None = None,
) -> list[Highlight]:
    """Highlights carrying model-written ``texts``, each pointing at its best support.

    With ``notes``, a line is added for every highlight whose support is below ``WEAK_SUPPORT``:
    the cheapest possible faithfulness flag, there even when no checker is installed.
    """
    index = index or AlignmentIndex(article)
    out = []
    for number, text in enumerate(texts, 1):
        found = index.align(text, within=within)
        out.append(Highlight(text=text, sentence_ids=found.sentence_ids, spans=found.spans, score=found.score))
        if notes is not None and found.score < WEAK_SUPPORT:
            notes.append(f"highlight {number} is weakly supported by the article (support {found.score:.2f}): check it")
    return out


ABSTRACTIVE_NOTE = (
    "abstractive: highlight texts are written by the model; spans point at the best-supporting "
    "article sentences (evidence to check), not at the source of the words"
)
