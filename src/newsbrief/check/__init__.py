"""Checkers of a summary's faithfulness to its article; each returns a ``FaithfulnessReport``.

* ``learned`` (the ``default``): the lexical report rescored by a small fitted model
  (``check.learned``; weights in ``check/data``; held-out figures in
  bench/results/checker_cv.md). Why the default: fitted on both rated sets, it holds better on
  summaries it was not fitted on, and it leaves a true sentence said in other words in
  ``check`` (92% of the hand-written true claims of bench/results/paraphrase.md, against 25%
  for ``lexical``), where the lexical score's order and overlap deductions zero it out;
* ``lexical``: ``newsbrief.faithfulness.check`` alone, offline (names, numbers, quotes,
  flips, support spans), 20% faster;
* ``nli``: ``NLIChecker``, an entailment model over article windows for abstractive summaries
  (the ``hf`` extra).

``get_checker(name, **options)`` gives any of them as one ``(article, summary) -> report`` call;
``article`` may be an ``ArticleIndex`` built once for several summaries of one article (a dataset
of 16 systems' summaries per article then indexes each article once, not 16 times).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from newsbrief.article import Article, Summary
from newsbrief.check.nli import NLIChecker
from newsbrief.errors import UsageError
from newsbrief.faithfulness import ArticleIndex, FaithfulnessReport, give_reason

__all__ = ["CHECKERS", "DEFAULT_CHECKER", "NLIChecker", "get_checker"]

CHECKERS = ("default", "learned", "lexical", "nli")
DEFAULT_CHECKER = "learned"  # what "default" names
Checker = Callable[["Article | ArticleIndex", "str | Sequence[str] | Summary"], FaithfulnessReport]
_VERDICTS = {"supported": "consistent", "check": "check", "unsupported": "inconsistent"}


def _learned(article: Article | ArticleIndex, summary: str | Sequence[str] | Summary) -> FaithfulnessReport:
    from newsbrief.check.learned import learned_check, load_model

    result = learned_check(article if isinstance(article, ArticleIndex) else ArticleIndex(article), summary)
    report = result.report
    report.score = result.score
    thresholds = load_model().thresholds
    cut = thresholds.get("unsupported", 0.5)
    for sentence, value, said in zip(report.sentences, result.sentence_scores, result.sentence_verdicts, strict=False):
        sentence.score = value
        sentence.verdict = said  # type: ignore[assignment]
        # The lexical check's own "no support" reason went with its verdict, not this one.
        sentence.issues = [i for i in sentence.issues if i.kind != "no_support"]
        pairs = sentence.features.get("bigram_support", 0.0)
        give_reason(
            sentence,
            f"its fitted support {value:.2f} is below {cut:.2f}: too little of it is found together in one "
            f"article window ({pairs:.0%} of its word pairs)",
        )
    report.verdict = _VERDICTS.get(result.verdict, "check")  # type: ignore[assignment]
    report.thresholds = {
        "consistent": thresholds.get("supported", 0.5),
        "inconsistent": thresholds.get("unsupported", 0.5),
    }
    return report


def get_checker(name: str = "default", **options: Any) -> Checker:
    """A checker by name (``default`` is ``DEFAULT_CHECKER``); ``options`` go to ``NLIChecker``
    (``model``, ``device``, ...)."""
    if name == "default":
        name = DEFAULT_CHECKER
    if name in ("learned", "lexical") and options:
        raise UsageError(f"the {name} checker takes no options (got {', '.join(sorted(options))})")
    if name == "lexical":
        from newsbrief.faithfulness import check

        return check
    if name == "learned":
        return _learned
    if name == "nli":
        checker = NLIChecker(**options)

        def nli(article: Article | ArticleIndex, summary: str | Sequence[str] | Summary) -> FaithfulnessReport:
            return checker.check(article.article if isinstance(article, ArticleIndex) else article, summary)

        return nli
    raise UsageError(f"unknown checker {name!r}; choose from {', '.join(CHECKERS)}")
