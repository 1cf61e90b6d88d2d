"""Score a faithfulness checker against human labels: ROC AUC, balanced accuracy and Kendall
tau-b, each with a bootstrap interval, beside the bigram-precision baseline on the same rows.

Why these three: ROC AUC says how well the score ranks consistent summaries above the others
at any cut (Mann-Whitney, ties counted half); balanced accuracy says how good the verdict a
user actually sees is (at the checker's own "consistent" threshold, or one given), whatever
the share of positives; Kendall tau-b says whether the score follows a graded label (QAGS
``fact``, SummEval ``consistency``) and not only its top value. Bigram precision (the share
of the summary's word pairs found in the article) is the bar issue 14 sets, so it is scored
on the same rows and resamples, and the checker's lead over it is tested pairwise.

Why resample articles, not rows: SummEval has 16 summaries of each article, and their errors
move together, so resampling rows would make the intervals too narrow. Every row of an
article (same article text) is drawn together. A statistic of a resample is computed with the
resample's draw counts as row weights (``bootstrap.resample_counts``), all resamples at once.

Data shapes (JSONL): rows ``{article, summary, LABEL}`` (QAGS), read by the same
``iter_pairs`` as ``newsbrief check PAIRS.jsonl``; or, with ``systems=True``, records
``{article, systems: {name: text}, human: {name: {LABEL: value}}}`` (SummEval), one row per
system. The checker is any of ``newsbrief.check.get_checker``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsbrief.article import Article, Summary
from newsbrief.errors import InputError, UsageError
from newsbrief.evaluate.bootstrap import (
    DEFAULT_CONFIDENCE,
    Interval,
    PairedTest,
    percentile_interval,
    resample_counts,
    shift_test,
)
from newsbrief.evaluate.report import _finite, _p
from newsbrief.evaluate.runner import versions
from newsbrief.evaluate.spec import DEFAULT_RESAMPLES, DEFAULT_SEED, MIN_RESAMPLES
from newsbrief.faithfulness import ArticleIndex

__all__ = [
    "CheckerEval",
    "LabelledRow",
    "Scored",
    "balanced_accuracy",
    "bigram_precision",
    "evaluate_checker",
    "kendall_tau_b",
    "markdown_table",
    "read_labelled",
    "results_dict",
    "roc_auc",
    "score_rows",
    "weighted_auc",
    "weighted_balanced_accuracy",
    "weighted_kendall_tau_b",
    "write_report",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
BASELINE_NAME = "bigram precision"
_WORD = re.compile(r"\w+")
# Rows of the Kendall pair matrix built at a time: bounds memory at ~_TAU_BLOCK * n floats.
_TAU_BLOCK = 256
# What each shipped checker was fitted on: figures on these sets are not held out.
_LEARNED_FIT = (
    "the learned checker's weights were fitted on the QAGS-CNN dev half and SummEval dev "
    "(held-out figures: bench/results/checker_cv.md)"
)
FITTED_ON = {
    "default": _LEARNED_FIT,  # the default checker is the learned one (``check.DEFAULT_CHECKER``)
    "learned": _LEARNED_FIT,
    "lexical": "the lexical checker's deductions were fitted on the QAGS-CNN dev half",
}


# --- metrics: plain functions of (score, label) lists ---------------------------------------


def _weights(n: int, weights: FloatArray | None) -> FloatArray:
    """Row weights as a ``(resamples, n)`` array; ``None`` is one resample of weight 1 each."""
    if weights is None:
        return np.ones((1, n))
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 1:
        w = w[None, :]
    if w.shape[1] != n:
        raise ValueError(f"weights for {w.shape[1]} rows, data has {n}")
    return w


def _tie_groups(values: FloatArray) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The order that sorts ``values`` and where each run of equal values starts in it."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return order, starts


def weighted_auc(
    scores: Sequence[float] | FloatArray, positive: Sequence[bool] | BoolArray, weights: FloatArray | None = None
) -> FloatArray:
    """ROC AUC per row of ``weights``: the weighted share of (positive, negative) pairs the
    score orders right, ties counted half (Mann-Whitney U / (n+ n-)). NaN without both classes."""
    s = np.asarray(scores, dtype=np.float64)
    pos = np.asarray(positive, dtype=bool)
    w = _weights(s.size, weights)
    order, starts = _tie_groups(s)
    wp = np.add.reduceat((w * pos)[:, order], starts, axis=1)  # positive weight per distinct score
    wn = np.add.reduceat((w * ~pos)[:, order], starts, axis=1)
    below = np.cumsum(wn, axis=1) - wn  # negative weight strictly below each distinct score
    with np.errstate(invalid="ignore", divide="ignore"):
        auc: FloatArray = (wp * (below + 0.5 * wn)).sum(axis=1) / (wp.sum(axis=1) * wn.sum(axis=1))
    return auc


def weighted_balanced_accuracy(
    predicted: Sequence[bool] | BoolArray, positive: Sequence[bool] | BoolArray, weights: FloatArray | None = None
) -> FloatArray:
    """Balanced accuracy per row of ``weights``: the mean of the true positive and true
    negative rates. NaN without both classes."""
    pred = np.asarray(predicted, dtype=bool)
    pos = np.asarray(positive, dtype=bool)
    w = _weights(pred.size, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        tpr = (w @ (pos & pred)) / (w @ pos)
        tnr = (w @ (~pos & ~pred)) / (w @ ~pos)
    ba: FloatArray = (tpr + tnr) / 2
    return ba


def _untied_pairs(values: FloatArray, w: FloatArray) -> FloatArray:
    """Weighted ordered pairs whose two values differ: (sum w)^2 - sum over ties (sum w)^2."""
    order, starts = _tie_groups(values)
    tied = np.add.reduceat(w[:, order], starts, axis=1)
    out: FloatArray = w.sum(axis=1) ** 2 - (tied**2).sum(axis=1)
    return out


def weighted_kendall_tau_b(
    x: Sequence[float] | FloatArray, y: Sequence[float] | FloatArray, weights: FloatArray | None = None
) -> FloatArray:
    """Kendall tau-b per row of ``weights`` (a row drawn k times counts as k tied copies).

    tau-b = (concordant - discordant) / sqrt(pairs untied in x * pairs untied in y); the pair
    matrix is built ``_TAU_BLOCK`` rows at a time, so the cost is O(resamples * n^2) flops in
    matrix products (about a second for 1,000 resamples of 1,600 rows). NaN when x or y is constant.
    """
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.shape != ys.shape:
        raise ValueError(f"x and y differ in length ({xs.size} vs {ys.size})")
    w = _weights(xs.size, weights)
    num = np.zeros(w.shape[0])
    for a in range(0, xs.size, _TAU_BLOCK):
        b = min(a + _TAU_BLOCK, xs.size)
        signs = np.sign(xs[a:b, None] - xs[None, :]) * np.sign(ys[a:b, None] - ys[None, :])
        num += (w[:, a:b] * (w @ signs.T)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau: FloatArray = num / np.sqrt(_untied_pairs(xs, w) * _untied_pairs(ys, w))
    return tau


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """ROC AUC of ``scores`` for the ``positive`` rows, ties counted half (NaN with one class)."""
    return float(weighted_auc(scores, positive)[0])


def balanced_accuracy(predicted: Sequence[bool], positive: Sequence[bool]) -> float:
    """Mean of the true positive and true negative rates of ``predicted`` (NaN with one class)."""
    return float(weighted_balanced_accuracy(predicted, positive)[0])


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall tau-b between ``x`` and ``y`` (ties in either corrected; NaN when one is constant)."""
    return float(weighted_kendall_tau_b(x, y)[0])


def _bigrams(text: str) -> list[tuple[str, str]]:
    words = _WORD.findall(text.lower())
    return list(zip(words, words[1:], strict=False))


def bigram_precision(summary: str | Sequence[str], article: str) -> float:
    """Share of the summary's word pairs (lower-cased ``\\w+`` tokens; pairs within each
    highlight when a list is given) found in the article; 1.0 when it has none. The same
    definition as ``bench/faithfulness.py``'s ``ngram_precision(.., 2)``."""
    units = [summary] if isinstance(summary, str) else list(summary)
    mine = [g for unit in units for g in _bigrams(unit)]
    if not mine:
        return 1.0
    found = set(_bigrams(article))
    return sum(g in found for g in mine) / len(mine)


# --- the data: labelled (article, summary) rows --------------------------------------------


@dataclass(slots=True)
class LabelledRow:
    """One summary to check with its gold label; ``error`` set when its line was unreadable."""

    id: str
    article: Article | None = None
    summary: str | list[str] | Summary | None = None
    label: float | None = None
    system: str | None = None
    error: str | None = None


def _label_value(value: Any) -> float | None:
    """A label as a number: booleans and finite numbers; anything else is no label."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _parse(text: str) -> Article:
    from newsbrief.ingest import parse_text

    return parse_text(text, format="auto")  # as ``check PAIRS.jsonl`` reads its articles


def _system_rows(path: str, label_field: str, text_field: str) -> Iterator[LabelledRow]:
    """SummEval's shape: one row per system of each record, labelled by ``human[system]``."""
    from newsbrief.ingest import open_source
    from newsbrief.ingest.decode import DEFAULT_MAX_BYTES
    from newsbrief.ingest.jsonl import decode_line, iter_lines, to_record

    src = open_source(path)
    try:
        for line in iter_lines(src.stream, max_bytes=DEFAULT_MAX_BYTES):
            item = decode_line(line, path, max_bytes=DEFAULT_MAX_BYTES)
            record = to_record(item, _parse, text_field=text_field)
            if record.error is not None or record.article is None or item.data is None:
                yield LabelledRow(str(item.id), error=record.error or "unreadable")
                continue
            systems, human = item.data.get("systems"), item.data.get("human")
            if not isinstance(systems, dict) or not systems:
                yield LabelledRow(str(item.id), error=f"line {line.no}: no 'systems' object")
                continue
            human = human if isinstance(human, dict) else {}
            for name, text in systems.items():
                rated = human.get(name)
                label = _label_value(rated.get(label_field)) if isinstance(rated, dict) else None
                summary = text if isinstance(text, str) and text.strip() else None
                yield LabelledRow(f"{item.id}:{name}", record.article, summary, label, system=str(name))
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    finally:
        src.close()


def read_labelled(
    path: str,
    label_field: str,
    *,
    systems: bool = False,
    text_field: str = "article",
    summary_field: str = "summary",
) -> Iterator[LabelledRow]:
    """Every labelled row of a JSONL file, in order (see the module docstring for the shapes)."""
    if str(path) == "-":
        raise UsageError("evaluate needs a data file, not stdin")
    if systems:
        yield from _system_rows(str(path), label_field, text_field)
        return
    from newsbrief.ingest.sources import iter_pairs

    for pair in iter_pairs(str(path), text_field=text_field, summary_field=summary_field, label_field=label_field):
        rid = str(pair.id)
        if pair.error is not None or pair.article is None:
            yield LabelledRow(rid, error=pair.error or "unreadable")
        else:
            yield LabelledRow(rid, pair.article, pair.summary, _label_value(pair.label))


# --- scoring --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scored:
    """One scorer's figures on the rows: point estimates with their bootstrap intervals."""

    name: str
    roc_auc: Interval
    kendall_tau_b: Interval
    balanced_accuracy: Interval | None = None  # only for a scorer with a verdict


@dataclass(slots=True)
class CheckerEval:
    """A checker scored against labels, beside the baseline, and the facts of the run."""

    checker: Scored
    baseline: Scored
    vs_baseline: dict[str, PairedTest]  # metric -> checker minus baseline, same resamples
    n: int
    n_positive: int
    n_groups: int
    positive_rule: str
    operating_point: str
    resamples: int
    seed: int
    data_path: str = ""
    label_field: str = ""
    checker_name: str = ""
    shape: str = "pairs"
    command: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)  # per row: id, label, scores, verdict
    notes: list[str] = field(default_factory=list)
    unreadable: int = 0
    first_error: str | None = None
    seconds: float = 0.0
    created: str = ""
    versions: dict[str, str] = field(default_factory=dict)


def score_rows(
    scores: Sequence[float],
    labels: Sequence[float],
    positive: Sequence[bool],
    predicted: Sequence[bool],
    baseline: Sequence[float],
    groups: Sequence[int],
    *,
    name: str = "checker",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> tuple[Scored, Scored, dict[str, PairedTest]]:
    """The checker's and the baseline's figures, and the checker's lead, on the same rows.

    ``groups``: an integer per row (its article); groups are what the bootstrap resamples.
    ``predicted``: the checker's verdict per row (positive = consistent). The baseline has no
    verdict of its own, so no balanced accuracy.
    """
    s, b = np.asarray(scores, dtype=np.float64), np.asarray(baseline, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    pos, pred = np.asarray(positive, dtype=bool), np.asarray(predicted, dtype=bool)
    g = np.asarray(groups, dtype=np.intp)
    if not (s.size == b.size == y.size == pos.size == pred.size == g.size) or s.size == 0:
        raise ValueError("scores, labels, verdicts, baseline and groups need one value per row")
    _, group_index = np.unique(g, return_inverse=True)
    weights = resample_counts(int(group_index.max()) + 1, resamples, seed)[:, group_index]
    auc_s, auc_b = weighted_auc(s, pos, weights), weighted_auc(b, pos, weights)
    tau_s, tau_b = weighted_kendall_tau_b(s, y, weights), weighted_kendall_tau_b(b, y, weights)
    point = {
        "auc_s": float(weighted_auc(s, pos)[0]),
        "auc_b": float(weighted_auc(b, pos)[0]),
        "tau_s": float(weighted_kendall_tau_b(s, y)[0]),
        "tau_b": float(weighted_kendall_tau_b(b, y)[0]),
    }
    ba = percentile_interval(
        balanced_accuracy(pred.tolist(), pos.tolist()), weighted_balanced_accuracy(pred, pos, weights), confidence
    )
    checker = Scored(
        name,
        percentile_interval(point["auc_s"], auc_s, confidence),
        percentile_interval(point["tau_s"], tau_s, confidence),
        ba,
    )
    base = Scored(
        BASELINE_NAME,
        percentile_interval(point["auc_b"], auc_b, confidence),
        percentile_interval(point["tau_b"], tau_b, confidence),
    )
    tests = {
        "roc_auc": shift_test(point["auc_s"] - point["auc_b"], auc_s - auc_b, s.size, confidence),
        "kendall_tau_b": shift_test(point["tau_s"] - point["tau_b"], tau_s - tau_b, s.size, confidence),
    }
    return checker, base, tests


def _summary_units(summary: str | list[str] | Summary) -> str | list[str]:
    if isinstance(summary, Summary):
        return [h.text for h in summary.highlights]
    return summary


def evaluate_checker(
    data_path: str | os.PathLike[str],
    label: str,
    *,
    checker: str = "default",
    checker_options: dict[str, Any] | None = None,
    systems: bool = False,
    text_field: str = "article",
    summary_field: str = "summary",
    threshold: float | None = None,
    positive: float | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    out_dir: str | os.PathLike[str] | None = None,
    command: str | None = None,
) -> CheckerEval:
    """Check every labelled summary of ``data_path`` and score the checker against ``label``.

    A row is positive when its label is at least ``positive`` (default: 1 for 0/1 labels,
    else the highest label in the data: "every rater gave 5"); the checker's verdict is
    "consistent" (its own threshold) or, with ``threshold``, score >= ``threshold``. Rows
    without a summary or a numeric label are skipped and counted in the notes; unreadable
    records are counted in ``unreadable``. With ``out_dir`` the report files are written there.
    """
    from newsbrief.check import get_checker

    t_start = time.perf_counter()
    if resamples < MIN_RESAMPLES:
        raise UsageError(f"resamples must be at least {MIN_RESAMPLES} (got {resamples})")
    if systems and summary_field != "summary":
        raise UsageError("with --systems the summaries are the records' 'systems'; --summary-field is for pairs")
    check = get_checker(checker, **(checker_options or {}))
    path = str(data_path)
    notes: list[str] = []
    kept: list[tuple[LabelledRow, float, str, float, int]] = []  # row, score, verdict, bigram, group
    groups: dict[str, int] = {}
    bad = no_summary = no_label = 0
    first_error: str | None = None
    cut: float | None = None
    index: ArticleIndex | None = None  # the last article's index, reused for its other summaries
    indexed_body = ""
    for row in read_labelled(path, label, systems=systems, text_field=text_field, summary_field=summary_field):
        if row.error is not None or row.article is None:
            bad += 1
            first_error = first_error or row.error
            if bad <= 3:
                notes.append(f"skipped unreadable record: {row.error}")
            continue
        if row.summary is None:
            no_summary += 1
            continue
        if row.label is None:
            no_label += 1
            continue
        if index is None or row.article.body != indexed_body:  # one article's summaries come together
            index, indexed_body = ArticleIndex(row.article), row.article.body
        report = check(index, row.summary)
        cut = report.thresholds.get("consistent") if cut is None else cut
        bigram = bigram_precision(_summary_units(row.summary), row.article.body)
        group = groups.setdefault(row.article.body, len(groups))
        kept.append((row, report.score, report.verdict, bigram, group))
    if bad > 3:
        notes.append(f"skipped {bad} unreadable record(s) in all")
    if no_summary:
        notes.append(f"skipped {no_summary} row(s) without a summary")
    if no_label:
        where = f"human[system][{label!r}]" if systems else repr(label)
        notes.append(f"skipped {no_label} row(s) without a numeric label {where}")
    if not kept:
        raise InputError(f"{path}: no row has a readable article, a summary and a numeric label {label!r}")

    labels = [r.label for r, *_ in kept if r.label is not None]
    binary = set(labels) <= {0.0, 1.0}
    if positive is None:
        positive = 1.0 if binary else max(labels)
        rule = f"{label} = 1" if binary else f"{label} >= {positive:g} (the highest label in the data)"
    else:
        rule = f"{label} >= {positive:g}"
    is_pos = [v >= positive for v in labels]
    n_pos = sum(is_pos)
    if n_pos in (0, len(is_pos)):
        raise UsageError(
            f"every row is {'positive' if n_pos else 'negative'} at {rule}: ROC AUC and balanced accuracy "
            "need both kinds (choose another --positive)"
        )
    scores = [score for _, score, *_ in kept]
    if threshold is None:
        predicted = [verdict == "consistent" for _, _, verdict, *_ in kept]
        point = f"the checker's verdict: consistent at score >= {cut:g}" if cut is not None else "its verdict"
    else:
        predicted = [score >= threshold for score in scores]
        point = f"score >= {threshold:g} (--threshold)"
    checker_fig, base_fig, tests = score_rows(
        scores,
        labels,
        is_pos,
        predicted,
        [bigram for *_, bigram, _ in kept],
        [group for *_, group in kept],
        name=f"checker {checker}",
        resamples=resamples,
        seed=seed,
    )
    if checker in FITTED_ON:
        notes.append(f"{FITTED_ON[checker]}: figures on those sets are not held out")
    per_row = [
        {
            "id": r.id,
            "system": r.system,
            "article": group,
            "label": r.label,
            "positive": p,
            "score": round(score, 6),
            "verdict": verdict,
            "consistent": pred,
            BASELINE_NAME.replace(" ", "_"): round(bigram, 6),
        }
        for (r, score, verdict, bigram, group), p, pred in zip(kept, is_pos, predicted, strict=True)
    ]
    result = CheckerEval(
        checker=checker_fig,
        baseline=base_fig,
        vs_baseline=tests,
        n=len(kept),
        n_positive=n_pos,
        n_groups=len(groups),
        positive_rule=rule,
        operating_point=point,
        resamples=resamples,
        seed=seed,
        data_path=path,
        label_field=label,
        checker_name=checker,
        shape="systems" if systems else "pairs",
        command=command,
        rows=per_row,
        notes=notes,
        unreadable=bad,
        first_error=first_error,
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        versions=versions(),
    )
    result.seconds = time.perf_counter() - t_start
    if out_dir is not None:
        write_report(result, Path(out_dir))
    return result


# --- the report -----------------------------------------------------------------------------


def _fig(iv: Interval | None) -> str:
    if iv is None:
        return "n/a"
    if math.isnan(iv.lo):
        return f"{iv.mean:.3f}"
    return f"{iv.mean:.3f} [{iv.lo:.3f}, {iv.hi:.3f}]"


def _lead(t: PairedTest, resamples: int) -> str:
    return f"{t.diff:+.3f} [{t.lo:+.3f}, {t.hi:+.3f}], p {_p(t.p_value, resamples)}"


def markdown_table(result: CheckerEval) -> str:
    """The checker, the baseline and the checker's lead, with 95% intervals over articles."""
    head = ["scorer", "n", "ROC AUC", "balanced accuracy", "Kendall τ-b"]
    out = ["| " + " | ".join(head) + " |", "|---|---:|---|---|---|"]
    for fig in (result.checker, result.baseline):
        cells = [fig.name, str(result.n), _fig(fig.roc_auc), _fig(fig.balanced_accuracy), _fig(fig.kendall_tau_b)]
        out.append("| " + " | ".join(cells) + " |")
    auc, tau = result.vs_baseline["roc_auc"], result.vs_baseline["kendall_tau_b"]
    lead = [
        f"{result.checker.name} − {BASELINE_NAME}",
        str(result.n),
        _lead(auc, auc.resamples),
        "",
        _lead(tau, tau.resamples),
    ]
    out.append("| " + " | ".join(lead) + " |")
    where = (
        f"`human[system][{result.label_field!r}]`, one row per system"
        if result.shape == "systems"
        else f"`{result.label_field}`"
    )
    out += [
        "",
        f"{result.n} summaries of {result.n_groups} articles from `{result.data_path}`; label {where}; "
        f"positive: {result.positive_rule} ({result.n_positive} positive, {result.n - result.n_positive} not). "
        f"Balanced accuracy at {result.operating_point}; the baseline has no verdict. Value [95% percentile "
        f"bootstrap over articles (all summaries of an article drawn together), {result.resamples} resamples, "
        f"seed {result.seed}]; −: paired on the same resamples, two-sided p (shift method).",
    ]
    if result.notes:
        out += ["", "Notes:", *(f"- {n}" for n in result.notes)]
    return "\n".join(out) + "\n"


def _iv(iv: Interval | None) -> dict[str, float] | None:
    return None if iv is None else {"value": iv.mean, "lo": iv.lo, "hi": iv.hi}


def _scored(fig: Scored) -> dict[str, Any]:
    return {
        "scorer": fig.name,
        "roc_auc": _iv(fig.roc_auc),
        "balanced_accuracy": _iv(fig.balanced_accuracy),
        "kendall_tau_b": _iv(fig.kendall_tau_b),
    }


def results_dict(result: CheckerEval) -> dict[str, Any]:
    """Everything in ``results.json`` except the per-row scores."""
    return {
        "command": result.command,
        "data_path": result.data_path,
        "shape": result.shape,
        "label": result.label_field,
        "positive": result.positive_rule,
        "checker": result.checker_name,
        "operating_point": result.operating_point,
        "n_rows": result.n,
        "n_positive": result.n_positive,
        "n_articles": result.n_groups,
        "rows": [_scored(result.checker), _scored(result.baseline)],
        "vs_baseline": {
            metric: {"diff": t.diff, "lo": t.lo, "hi": t.hi, "p_value": t.p_value, "resamples": t.resamples}
            for metric, t in result.vs_baseline.items()
        },
        "bootstrap": {
            "resamples": result.resamples,
            "seed": result.seed,
            "confidence": DEFAULT_CONFIDENCE,
            "interval": "percentile; articles resampled with replacement, every summary of an article with it",
            "paired_test": "checker minus baseline on the same resamples; two-sided p = (1 + #{|d*_b - d| >= |d|}) / (B + 1)",
        },
        "metrics": {
            "roc_auc": "Mann-Whitney U / (n+ n-), ties counted half",
            "balanced_accuracy": "(true positive rate + true negative rate) / 2 at the operating point",
            "kendall_tau_b": "between the score and the label as given (graded), ties corrected",
            "bigram_precision": "share of the summary's lower-cased \\w+ word pairs found in the article body",
        },
        "created": result.created,
        "versions": result.versions,
        "seconds": result.seconds,
        "unreadable": result.unreadable,
        "notes": result.notes,
    }


def write_report(result: CheckerEval, out_dir: Path) -> dict[str, Path]:
    """``results.md``, ``results.json`` and per-row ``scores.jsonl`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"table": out_dir / "results.md", "results": out_dir / "results.json", "scores": out_dir / "scores.jsonl"}
    header = f"Command: `{result.command}`\n\n" if result.command else ""
    paths["table"].write_text(header + markdown_table(result), encoding="utf-8")
    data = _finite(results_dict(result))
    paths["results"].write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with paths["scores"].open("w", encoding="utf-8") as fh:
        for row in result.rows:
            fh.write(json.dumps(_finite(row), ensure_ascii=False) + "\n")
    return paths
