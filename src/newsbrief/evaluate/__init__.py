"""Evaluation: ROUGE with bootstrap intervals and paired tests, against baselines and
published systems, on the same documents; and a faithfulness checker against human labels
(ROC AUC, balanced accuracy, Kendall tau-b, beside bigram precision on the same rows).

    >>> from newsbrief.evaluate import evaluate
    >>> result = evaluate("dev/summeval.jsonl", methods=["lead", "lead:n=2"], systems=True, out_dir="out")

Names are loaded on first use: importing the package (or its CLI) stays cheap and works
without the optional numpy / rouge-score / matplotlib, which only evaluation needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsbrief.evaluate.bootstrap import Interval, PairedTest, bootstrap_ci, paired_bootstrap
    from newsbrief.evaluate.checker import (
        CheckerEval,
        balanced_accuracy,
        evaluate_checker,
        kendall_tau_b,
        read_labelled,
        roc_auc,
    )
    from newsbrief.evaluate.result import EvalResult, Row
    from newsbrief.evaluate.rouge import Rouge, Score, score_rouge
    from newsbrief.evaluate.runner import evaluate
    from newsbrief.evaluate.spec import parse_method

_WHERE = {
    "CheckerEval": "checker",
    "balanced_accuracy": "checker",
    "evaluate_checker": "checker",
    "kendall_tau_b": "checker",
    "read_labelled": "checker",
    "roc_auc": "checker",
    "EvalResult": "result",
    "Interval": "bootstrap",
    "PairedTest": "bootstrap",
    "Rouge": "rouge",
    "Row": "result",
    "Score": "rouge",
    "bootstrap_ci": "bootstrap",
    "evaluate": "runner",
    "paired_bootstrap": "bootstrap",
    "parse_method": "spec",
    "score_rouge": "rouge",
}

__all__ = [
    "CheckerEval",
    "EvalResult",
    "Interval",
    "PairedTest",
    "Rouge",
    "Row",
    "Score",
    "balanced_accuracy",
    "bootstrap_ci",
    "evaluate",
    "evaluate_checker",
    "kendall_tau_b",
    "paired_bootstrap",
    "parse_method",
    "read_labelled",
    "roc_auc",
    "score_rouge",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Explicit imports (not importlib): the import graph stays readable by tools.
    if module == "bootstrap":
        from newsbrief.evaluate import bootstrap as found
    elif module == "checker":
        from newsbrief.evaluate import checker as found  # type: ignore[no-redef]
    elif module == "rouge":
        from newsbrief.evaluate import rouge as found  # type: ignore[no-redef]
    elif module == "result":
        from newsbrief.evaluate import result as found  # type: ignore[no-redef]
    elif module == "runner":
        from newsbrief.evaluate import runner as found  # type: ignore[no-redef]
    else:
        from newsbrief.evaluate import spec as found  # type: ignore[no-redef]
    return getattr(found, name)
