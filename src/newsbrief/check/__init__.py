"""Checkers of a summary's faithfulness to its article; each returns a ``FaithfulnessReport``.

* ``default``: ``newsbrief.faithfulness.check``, offline and lexical (names, numbers, quotes,
  flips, support spans);
* ``learned``: the same report rescored by a small fitted model (``check.learned``; weights in
  ``check/data``; held-out figures in bench/results/checker_cv.md);
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

__all__ = ["CHECKERS", "NLIChecker", "get_checker"]

CHECKERS = ("default", "learned", "nli")
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
    """A checker by name; ``options`` go to ``NLIChecker`` (``model``, ``device``, ...)."""
    if name == "default":
        if options:
            raise UsageError(f"the default checker takes no options (got {', '.join(sorted(options))})")
        from newsbrief.faithfulness import check

        return check
    if name == "learned":
        if options:
            raise UsageError(f"the learned checker takes no options (got {', '.join(sorted(options))})")
        return _learned
    if name == "nli":
        checker = NLIChecker(**options)

        def nli(article: Article | ArticleIndex, summary: str | Sequence[str] | Summary) -> FaithfulnessReport:
            return checker.check(article.article if isinstance(article, ArticleIndex) else article, summary)

        return nli
    raise UsageError(f"unknown checker {name!r}; choose from {', '.join(CHECKERS)}")
