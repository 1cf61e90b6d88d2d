"""ROUGE-1, ROUGE-2 and ROUGE-Lsum through Google's ``rouge-score`` package.

Why that package: it is the implementation behind most published CNN/DailyMail numbers
since 2019 (PEGASUS, BART via Hugging Face), so our scores line up with the literature.
Settings: Porter stemming on, the package's own tokenizer (lower-case, ``[a-z0-9]+``).

ROUGE-Lsum is summary-level LCS and reads *one sentence per line*; without newlines it
silently degrades to plain ROUGE-L. So every prediction and reference is turned into
``"\\n".join(sentences)`` first: our highlights one per line, a published system's single
string split with :func:`newsbrief.nlp.sentences.split_sentences`.

Several references: we follow ``RougeScorer.score_multi`` (and SummEval): for each metric
separately, keep the reference with the highest F1 (first one on ties) and report *that*
reference's precision and recall with it, so P, R and F1 in a row always belong together.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rouge_score import rouge_scorer, tokenizers

from newsbrief.nlp.sentences import split_sentences

METRICS: tuple[str, ...] = ("rouge1", "rouge2", "rougeLsum")
LABELS: dict[str, str] = {"rouge1": "R-1", "rouge2": "R-2", "rougeLsum": "R-Lsum"}


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 as fractions in [0, 1] (multiply by 100 for the headline)."""

    precision: float
    recall: float
    f1: float


def lines(sentences: Iterable[str]) -> str:
    """Sentences as ROUGE-Lsum wants them: one per line, no blank or inner line breaks."""
    cleaned = (" ".join(s.split()) for s in sentences)
    return "\n".join(s for s in cleaned if s)


def text_lines(text: str) -> str:
    """A summary written as one string (a published system's output), one sentence per line.

    Text that already has line breaks is taken to be one sentence per line as given.
    """
    if "\n" in text.strip():
        return lines(text.splitlines())
    return lines(split_sentences(text))


class _CachedTokenizer(tokenizers.Tokenizer):
    """The package's default tokenizer, memoised: references are scored against every
    method, and stemming them again each time is most of the cost of ROUGE-1/2."""

    def __init__(self, maxsize: int = 1 << 16) -> None:
        self._inner = tokenizers.DefaultTokenizer(use_stemmer=True)
        self._cached = functools.lru_cache(maxsize=maxsize)(self._tokenize)

    def _tokenize(self, text: str) -> tuple[str, ...]:
        return tuple(self._inner.tokenize(text))

    def tokenize(self, text: str) -> list[str]:
        return list(self._cached(text))


class Rouge:
    """A scorer for R-1/R-2/R-Lsum with multi-reference max; results equal ``rouge_score``'s."""

    def __init__(self, metrics: Sequence[str] = METRICS) -> None:
        self.metrics = tuple(metrics)
        self._scorer = rouge_scorer.RougeScorer(list(self.metrics), use_stemmer=True, tokenizer=_CachedTokenizer())

    def score(self, prediction: str, references: Sequence[str]) -> dict[str, Score]:
        """Score one prediction (one sentence per line) against one or more references."""
        if isinstance(references, str):
            references = [references]
        if not references:
            raise ValueError("at least one reference is needed")
        best: dict[str, Score] = {}
        for reference in references:
            result = self._scorer.score(reference, prediction)
            for metric in self.metrics:
                s = result[metric]
                if metric not in best or s.fmeasure > best[metric].f1:
                    best[metric] = Score(float(s.precision), float(s.recall), float(s.fmeasure))
        return best


@functools.cache
def _default() -> Rouge:
    return Rouge()


def score_rouge(prediction: str, references: str | Sequence[str]) -> dict[str, Score]:
    """Score one prediction against references with the default metrics (see module doc)."""
    refs = [references] if isinstance(references, str) else list(references)
    return _default().score(prediction, refs)
