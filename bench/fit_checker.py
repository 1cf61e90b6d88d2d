"""Fit the learned checker (``newsbrief.check.learned``) on both rated sets and write its weights.

The model is linear over ``FEATURES`` (a subset of
``newsbrief.check.features.SUMMARY_FEATURES``), standardised: weights fitted by a pairwise
ranking loss within each set (each set weighted equally: SummEval has 1,600 rows, QAGS 117,
and ROC AUC per set is the target), each weight held to the sign ``sign_of`` allows, then
one logistic calibration (Platt) of the ranked score into a probability. The L2 strength is
chosen from ``L2_GRID`` by an inner cross-validation over the training rows (folds by article
hash), on the mean of the per-set ROC AUCs. Verdict thresholds are fitted
on the training rows too: "supported" at the best set-weighted balanced accuracy, "unsupported"
below the score under which only ``UNSUPPORTED_RECALL_LOSS`` of the supported summaries fall.

``bench/checker_cv.py`` calls ``fit`` with the same code on four folds and scores the fifth.

    .venv/bin/python bench/fit_checker.py     # -> src/newsbrief/check/data/checker_weights.json
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief.check.features import SUMMARY_FEATURES, summary_features
from newsbrief.check.learned import WEIGHTS_PATH, LearnedModel
from newsbrief.faithfulness import ArticleIndex
from newsbrief.ingest import parse_text

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "dev"
SETS = ("qags", "summeval")
# The features the model reads: the four lexical measurements (mean and worst sentence),
# n-gram novelty, the longest copied run, content words found, and the unsupported items.
FEATURES: tuple[str, ...] = (
    "mean_bigram_support",
    "mean_word_pairs",
    "mean_patchwork",
    "mean_window_lcs",
    "worst_bigram_support",
    "worst_word_pairs",
    "worst_patchwork",
    "worst_window_lcs",
    "mean_novel_4grams",
    "mean_novel_trigrams",
    "mean_longest_run",
    "worst_longest_run",
    "mean_content_in_article",
    "worst_content_in_article",
    "mean_issue_entity",
    "mean_issue_number",
    "mean_issue_number_flip",
    "mean_issue_quote",
    "mean_issue_negation_flip",
)
# The direction each feature may push the score (+1: more of it, more support; -1: less;
# 0: either). Fitted weights of the wrong sign are held at 0 (projected gradient descent):
# without this, correlated features trade signs (content words found in the article got a
# negative weight), which holds on these sets and fails on a sentence made up from nothing.
_UP = ("bigram_support", "word_pairs", "window_lcs", "content_in_article", "longest_run", "content_in_window")
_DOWN = ("patchwork", "novel_", "issue_", "sentences_needed", "reversed_pairs", "capitals_unknown")
_DOWN += ("digits_off_window", "no_support")


def sign_of(name: str) -> int:
    """+1, -1 or 0: the direction ``name`` may move the score (see ``_UP`` and ``_DOWN``)."""
    if any(k in name for k in _UP) or name == "mean_content_best_sentence" or name == "worst_content_best_sentence":
        return 1
    if any(k in name for k in _DOWN):
        return -1
    return 0


L2_GRID = (0.1, 1.0, 10.0)
INNER_FOLDS = 4
STEPS = 1500  # gradient steps of the ranking fit
PLATT_STEPS = 2000  # and of the calibration
UNSUPPORTED_RECALL_LOSS = 0.05


def fold_of(article: str, folds: int, salt: str = "") -> int:
    """Fold of an article, by a hash of its text (all summaries of an article share it)."""
    return int(hashlib.sha1((salt + article).encode("utf-8")).hexdigest(), 16) % folds


def load() -> list[dict[str, Any]]:
    """Rows of both sets: set, article, summary, system, label (True = consistent)."""
    rows: list[dict[str, Any]] = []
    for line in (DEV / "qags_cnn_dev.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows.append(
            {"set": "qags", "article": r["article"], "summary": r["summary"], "system": "", "label": r["fact"] == 1.0}
        )
    for line in (DEV / "summeval.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for system, text in r["systems"].items():
            score = r["human"][system]["consistency"]
            rows.append(
                {"set": "summeval", "article": r["article"], "summary": text, "system": system, "label": score == 5.0}
            )
    return rows


def indexes(rows: list[dict[str, Any]]) -> list[ArticleIndex]:
    """One ``ArticleIndex`` per row, shared by the rows of the same article."""
    cache: dict[str, ArticleIndex] = {}
    out = []
    for r in rows:
        index = cache.get(r["article"])
        if index is None:
            index = cache[r["article"]] = ArticleIndex(parse_text(r["article"], format="plain"))
        out.append(index)
    return out


def matrix(rows: list[dict[str, Any]], idx: list[ArticleIndex] | None = None) -> np.ndarray:
    """All ``SUMMARY_FEATURES`` of every row (columns in that order)."""
    idx = idx or indexes(rows)
    return np.asarray([summary_features(ix, r["summary"])[0] for ix, r in zip(idx, rows, strict=True)], dtype=float)


def set_weights(sets: np.ndarray) -> np.ndarray:
    """Row weights giving each set the same total weight (mean weight 1)."""
    w = np.ones(len(sets))
    present = [s for s in SETS if (sets == s).any()]
    for s in present:
        m = sets == s
        w[m] = len(sets) / (len(present) * m.sum())
    return w


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney ROC AUC with average ranks for ties (nan for one class only)."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    for v in np.unique(s):  # average ranks of ties
        m = s == v
        if m.sum() > 1:
            ranks[m] = ranks[m].mean()
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _rank(z: np.ndarray, y: np.ndarray, sets: np.ndarray, l2: float) -> np.ndarray:
    """Weights that rank each set's consistent summaries above its inconsistent ones: the
    pairwise logistic (RankNet) loss over every (consistent, inconsistent) pair of the same
    set, each set's pairs weighted equally, on standardised ``z``; projected gradient descent
    keeps each weight on the side ``sign_of`` allows. Why pairs: ROC AUC per set is the
    target, and it only asks for the order within a set."""
    signs = np.asarray([sign_of(n) for n in FEATURES], dtype=float)
    groups = [(z[(sets == s) & y], z[(sets == s) & ~y]) for s in SETS]
    groups = [(p, q) for p, q in groups if len(p) and len(q)]
    coef = np.zeros(z.shape[1])
    for _ in range(STEPS):
        grad = np.zeros_like(coef)
        for pos, neg in groups:
            d = (pos @ coef)[:, None] - (neg @ coef)[None, :]
            g = -1 / (1 + np.exp(d))  # d/dd of log(1 + exp(-d))
            grad += (g.sum(1) @ pos - g.sum(0) @ neg) / g.size
        coef -= 0.5 * (grad / max(1, len(groups)) + l2 * coef / 1000)
        coef = np.where(signs * coef < 0, 0.0, coef)
    return coef


def _platt(r: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(slope, intercept) turning ranking scores ``r`` into probabilities (set-weighted)."""
    sd = float(r.std()) or 1.0
    u = r / sd
    a, b = 1.0, 0.0
    for _ in range(PLATT_STEPS):
        p = 1 / (1 + np.exp(-(a * u + b)))
        g = w * (p - y)
        a -= 0.5 * float((g * u).mean())
        b -= 0.5 * float(g.mean())
    return a / sd, b


def _fit_at(
    x: np.ndarray, y: np.ndarray, sets: np.ndarray, l2: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    mu, sd = x.mean(0), x.std(0)
    sd = np.where(sd > 1e-9, sd, 1.0)
    z = (x - mu) / sd
    yb = y.astype(bool)
    coef = _rank(z, yb, sets, l2)
    slope, bias = _platt(z @ coef, yb.astype(float), set_weights(sets))
    return mu, sd, coef * slope, bias


def _predict(x: np.ndarray, mu: np.ndarray, sd: np.ndarray, coef: np.ndarray, bias: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(((x - mu) / sd) @ coef + bias)))


def choose_l2(x: np.ndarray, y: np.ndarray, sets: np.ndarray, articles: list[str]) -> tuple[float, dict[str, float]]:
    """The ``L2_GRID`` value with the best mean per-set AUC under inner cross-validation."""
    inner = np.asarray([fold_of(a, INNER_FOLDS, salt="inner") for a in articles])
    results: dict[str, float] = {}
    for l2 in L2_GRID:
        s = np.zeros(len(y))
        for k in range(INNER_FOLDS):
            tr, te = inner != k, inner == k
            s[te] = _predict(x[te], *_fit_at(x[tr], y[tr], sets[tr], l2))
        aucs = [roc_auc(s[sets == w], y[sets == w]) for w in SETS if (sets == w).any()]
        results[str(l2)] = float(np.nanmean(aucs))
    best = max(L2_GRID, key=lambda v: results[str(v)])
    return best, results


def fit(all_x: np.ndarray, y: np.ndarray, sets: np.ndarray, articles: list[str]) -> LearnedModel:
    """Fit the model on these rows (``all_x`` has every ``SUMMARY_FEATURES`` column)."""
    cols = [SUMMARY_FEATURES.index(n) for n in FEATURES]
    x = all_x[:, cols]
    l2, inner = choose_l2(x, y, sets, articles)
    mu, sd, coef, bias = _fit_at(x, y, sets, l2)
    p = _predict(x, mu, sd, coef, bias)
    thresholds = fit_thresholds(p, y, sets)
    meta = {
        "l2": l2,
        "inner_cv_mean_auc": {k: round(v, 4) for k, v in inner.items()},
        "rows": {w: int((sets == w).sum()) for w in SETS},
        "fitted_by": "bench/fit_checker.py",
    }
    return LearnedModel(
        features=FEATURES,
        mean=tuple(float(v) for v in mu),
        scale=tuple(float(v) for v in sd),
        weights=tuple(float(v) for v in coef),
        bias=float(bias),
        thresholds=thresholds,
        meta=meta,
    )


def fit_thresholds(p: np.ndarray, y: np.ndarray, sets: np.ndarray) -> dict[str, float]:
    """ "supported": the cut with the best set-weighted balanced accuracy; "unsupported": the
    score below which only ``UNSUPPORTED_RECALL_LOSS`` of the consistent summaries fall."""
    w = set_weights(sets)
    yb = y.astype(bool)
    values = np.unique(p)
    cuts = (values[1:] + values[:-1]) / 2 if len(values) > 1 else values

    def balanced(t: float) -> float:
        hit = p >= t
        return float(((w * hit)[yb].sum() / w[yb].sum() + (w * ~hit)[~yb].sum() / w[~yb].sum()) / 2)

    supported = float(max(cuts, key=balanced)) if len(cuts) else 0.5
    unsupported = float(min(supported, np.quantile(p[yb], UNSUPPORTED_RECALL_LOSS))) if yb.any() else 0.0
    return {"supported": round(supported, 4), "unsupported": round(unsupported, 4)}


def main() -> None:
    rows = load()
    x = matrix(rows)
    y = np.asarray([r["label"] for r in rows], dtype=bool)
    sets = np.asarray([r["set"] for r in rows])
    model = fit(x, y, sets, [r["article"] for r in rows])
    WEIGHTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    data = model.to_dict()
    for key in ("mean", "scale", "weights"):
        data[key] = [float(f"{v:.6g}") for v in data[key]]
    data["bias"] = float(f"{data['bias']:.6g}")
    data["meta"]["signs"] = {n: sign_of(n) for n in FEATURES}
    data["meta"]["command"] = "python bench/fit_checker.py " + " ".join(sys.argv[1:])
    WEIGHTS_PATH.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"l2": model.meta["l2"], "thresholds": model.thresholds}, indent=2))


if __name__ == "__main__":
    main()
