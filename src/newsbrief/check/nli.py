"""An entailment checker for abstractive summaries: each summary sentence against its best article windows.

Why a second checker: the default one (``newsbrief.faithfulness``) judges a sentence by the
article words, pairs and numbers it can find, which is fast, offline and strong on summaries
that reuse the article's words, but a faithful paraphrase shares few of them. A natural-language
inference model reads meaning instead. The method follows SummaC's zero-shot recipe (Laban et
al., 2022): the article is cut into windows of a few sentences, each summary sentence is paired
with its most promising windows (ranked by shared words, so the cost per sentence is bounded by
``candidates`` pairs whatever the article's length), and the sentence's score is its best
window's probability of entailment.

Models: any ``AutoModelForSequenceClassification`` trained on MNLI-style labels, for example
``microsoft/deberta-large-mnli``, ``roberta-large-mnli``, ``facebook/bart-large-mnli`` or
``cross-encoder/nli-deberta-v3-base``; the label order is read from the model's ``id2label``
(give ``labels`` for a checkpoint whose labels are generic, such as ``LABEL_0``). Nothing is
downloaded unless the name is a hub id and the machine can reach the hub; a local directory
always works. torch and transformers (the ``hf`` extra) are imported on first use.

The report has the default checker's shape (``FaithfulnessReport``), so everything that shows a
report (CLI, service, web page) shows this one too; ``features`` carries the three
probabilities of the best window.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsbrief.article import Article, Summary
from newsbrief.errors import UsageError
from newsbrief.faithfulness import (
    FaithfulnessReport,
    Issue,
    SentenceReport,
    _units,
    give_reason,
    sentence_verdict,
    verdict,
)

__all__ = ["DEFAULT_LABELS", "NLIChecker"]

DEFAULT_LABELS = ("contradiction", "neutral", "entailment")  # the MNLI order of most checkpoints
_WORD = re.compile(r"\w+")
_MIN_OVERLAP_WORD = 3  # shorter words do not rank windows ("the", "of")
CONTRADICTION = 0.5  # a best window this likely to contradict the sentence is named as the reason


class NLIChecker:
    """Check summaries with an NLI model; build once, call ``check`` for many summaries."""

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        batch_size: int = 16,
        window: int = 2,
        candidates: int = 4,
        max_tokens: int = 512,
        labels: Sequence[str] | None = None,
    ) -> None:
        if not isinstance(model, str) or not model.strip():
            raise UsageError("the nli checker needs a model: a local directory or a Hugging Face model name")
        if batch_size < 1 or window < 1 or candidates < 1 or max_tokens < 16:
            raise UsageError("nli checker: batch_size, window and candidates must be >= 1, max_tokens >= 16")
        self.model_name = model.strip()
        self.device = device
        self.batch_size = batch_size
        self.window = window
        self.candidates = candidates
        self.max_tokens = max_tokens
        self._labels = tuple(labels) if labels else None
        self._model: Any = None
        self._tokenizer: Any = None
        self._index: dict[str, int] = {}

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Load the tokenizer and model (once); map the labels to the three we use."""
        if self._model is not None:
            return
        try:
            import torch
            import transformers
        except ImportError as exc:
            raise UsageError(f"the nli checker needs the hf extra: pip install 'newsbrief[hf]' ({exc})") from None
        try:
            self._tokenizer = transformers.AutoTokenizer.from_pretrained(self.model_name)
            model = transformers.AutoModelForSequenceClassification.from_pretrained(self.model_name)
        except (OSError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UsageError(f"cannot load NLI model {self.model_name!r}: {first}") from None
        names = self._labels or tuple(str(model.config.id2label[i]) for i in range(model.config.num_labels))
        self._index = _label_index(names, explicit=self._labels is not None)
        if self.device is None:
            self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self._model = model.to(self.device).eval()

    def _predict(self, pairs: list[tuple[str, str]]) -> list[tuple[float, float, float]]:
        """(contradiction, neutral, entailment) probabilities of each (premise, hypothesis) pair."""
        import torch

        self.load()
        out: list[tuple[float, float, float]] = []
        c, n, e = self._index["contradiction"], self._index["neutral"], self._index["entailment"]
        for start in range(0, len(pairs), self.batch_size):
            batch = pairs[start : start + self.batch_size]
            encoded = self._tokenizer(
                [p for p, _ in batch],
                [h for _, h in batch],
                truncation="only_first",
                max_length=self.max_tokens,
                padding=True,
                return_tensors="pt",
            ).to(self.device)
            with torch.no_grad():
                probs = self._model(**encoded).logits.float().softmax(dim=-1).cpu().tolist()
            out.extend((row[c], row[n], row[e]) for row in probs)
        return out

    # -- checking ---------------------------------------------------------------------------

    def windows(self, article: Article) -> list[tuple[int, int]]:
        """Body spans of ``window`` consecutive sentences, one starting at each sentence."""
        spans = [(s.start, s.end) for s in article.sentences]
        if not spans:
            return [(0, len(article.body))] if article.body.strip() else []
        w = min(self.window, len(spans))
        return [(spans[i][0], spans[i + w - 1][1]) for i in range(len(spans) - w + 1)]

    def check(self, article: Article, summary: str | Sequence[str] | Summary) -> FaithfulnessReport:
        """Each summary sentence against its ``candidates`` best windows; the report as the default
        checker gives it (summary score: the weakest and the mean sentence, equally weighted)."""
        units = _units(summary)
        windows = self.windows(article)
        body = article.body
        window_words = [_words(body[a:b]) for a, b in windows]
        plan: list[tuple[int, list[int]]] = []
        pairs: list[tuple[str, str]] = []
        for i, text in enumerate(units):
            words = _words(text)
            ranked = sorted(range(len(windows)), key=lambda k: (-len(words & window_words[k]), k))
            chosen = ranked[: self.candidates]
            plan.append((i, chosen))
            pairs.extend((body[windows[k][0] : windows[k][1]], text) for k in chosen)
        probs = self._predict(pairs) if pairs else []
        reports: list[SentenceReport] = []
        at = 0
        for i, chosen in plan:
            scored = probs[at : at + len(chosen)]
            at += len(chosen)
            reports.append(_sentence_report(i, units[i], body, [windows[k] for k in chosen], scored))
        if reports:
            scores = [r.score for r in reports]
            overall = 0.5 * min(scores) + 0.5 * sum(scores) / len(scores)
        else:
            overall = 1.0
        notes = [f"checked with the NLI model {self.model_name} (windows of {self.window} sentences)"]
        return FaithfulnessReport(overall, verdict(overall), reports, article.id, notes=notes)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= _MIN_OVERLAP_WORD}


def _sentence_report(
    index: int, text: str, body: str, spans: list[tuple[int, int]], probs: list[tuple[float, float, float]]
) -> SentenceReport:
    if not probs:
        issue = Issue("no_support", text, (0, len(text)), "the article has no text to support it")
        return SentenceReport(index, text, 0.0, None, None, [issue], verdict="unsupported")
    best = max(range(len(probs)), key=lambda k: (probs[k][2], -k))
    contradiction, neutral, entailment = probs[best]
    span = spans[best]
    issues: list[Issue] = []
    worst = max(range(len(probs)), key=lambda k: probs[k][0])
    if probs[worst][0] >= CONTRADICTION and probs[worst][0] > entailment:
        issues.append(
            Issue(
                "contradiction",
                text,
                (0, len(text)),
                f"an article passage contradicts it (p={probs[worst][0]:.2f})",
                evidence=spans[worst],
            )
        )
    features = {"entailment": entailment, "neutral": neutral, "contradiction": contradiction}
    said = sentence_verdict(entailment)
    report = SentenceReport(index, text, entailment, span, body[span[0] : span[1]], issues, features, said)
    give_reason(report, f"no article window entails it (best p={entailment:.2f})")
    return report


def _label_index(names: Sequence[str], *, explicit: bool) -> dict[str, int]:
    """Which output is contradiction, neutral and entailment, from label names."""
    found: dict[str, int] = {}
    for i, name in enumerate(names):
        low = name.lower()
        for key in ("contradiction", "neutral", "entailment"):
            if low.startswith(key[:6]):
                found[key] = i
    if len(found) != 3 or len(names) != 3:
        hint = "" if explicit else "; give labels=contradiction,neutral,entailment in the model's output order"
        raise UsageError(f"the NLI model's labels {list(names)} are not contradiction/neutral/entailment{hint}")
    return found
