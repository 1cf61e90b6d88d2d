"""Bootstrap confidence intervals and the paired bootstrap test, over documents.

Why documents: a dev set of 100 articles gives a mean ROUGE that moves by a point or more
with the choice of articles, so every score is reported with the spread that comes from
resampling the articles (Koehn, 2004). Everything is seeded (``numpy.random.Generator``),
so a rerun prints the same intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsbrief.evaluate.spec import DEFAULT_RESAMPLES, DEFAULT_SEED

DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Interval:
    """A mean with its percentile bootstrap interval."""

    mean: float
    lo: float
    hi: float


@dataclass(frozen=True, slots=True)
class PairedTest:
    """Method minus baseline on the same documents: mean difference, its interval, p-value."""

    diff: float
    lo: float
    hi: float
    p_value: float
    n: int
    resamples: int


def _as_array(values: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError("need a non-empty 1-D sequence of per-document scores")
    if not np.all(np.isfinite(arr)):
        raise ValueError("per-document scores must be finite")
    return arr


def resample_means(
    values: Sequence[float] | NDArray[np.float64], resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> NDArray[np.float64]:
    """Means of ``resamples`` resamples of the documents, drawn with replacement.

    The indices depend only on ``(len(values), resamples, seed)``: methods scored on the
    same documents are resampled identically (common random numbers).
    """
    arr = _as_array(values)
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, arr.size, size=(resamples, arr.size))
    means: NDArray[np.float64] = arr[idx].mean(axis=1)
    return means


def bootstrap_ci(
    values: Sequence[float] | NDArray[np.float64],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> Interval:
    """Mean and percentile bootstrap interval (Efron & Tibshirani, 1993, ch. 13)."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    arr = _as_array(values)
    means = resample_means(arr, resamples, seed)
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(means, [alpha, 1 - alpha])
    return Interval(float(arr.mean()), float(lo), float(hi))


def paired_bootstrap(
    method: Sequence[float] | NDArray[np.float64],
    baseline: Sequence[float] | NDArray[np.float64],
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = DEFAULT_CONFIDENCE,
) -> PairedTest:
    """Paired bootstrap test of ``method`` against ``baseline``, scored on the same documents.

    Documents are resampled with their pair of scores, so the per-document differences
    ``d`` are what is resampled. With ``delta = mean(d)`` and ``delta*_b`` the mean of
    resample ``b``:

    * interval: percentile interval of ``delta*_b``;
    * two-sided p-value, the "shift" method (Efron & Tibshirani, 1993, §16.4; the two-sided
      form of Berg-Kirkpatrick et al., 2012, §3, which counts ``delta*_b > 2 delta``): the
      resampled differences, centred on ``delta``, stand in for the null distribution, and

          p = (1 + #{b : |delta*_b - delta| >= |delta|}) / (B + 1)

      The +1 terms (Davison & Hinkley, 1997, eq. 4.11) keep p above 0 with finite B; p is
      therefore never below 1 / (B + 1). Identical runs give delta = 0 and p = 1.
    """
    m = _as_array(method)
    b = _as_array(baseline)
    if m.shape != b.shape:
        raise ValueError(f"paired test needs scores on the same documents ({m.size} vs {b.size})")
    d = m - b
    return shift_test(float(d.mean()), resample_means(d, resamples, seed), int(d.size), confidence)


# --- statistics that are not means (ROC AUC, Kendall tau) ----------------------------------


def resample_counts(n: int, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> NDArray[np.float64]:
    """How often each of ``n`` units is drawn in each resample: a ``(resamples, n)`` array.

    Why counts: a statistic that is not a mean (ROC AUC, Kendall tau) can be computed with
    the counts as weights, for every resample at once, instead of on ``resamples`` copied
    datasets. The draws are those of ``resample_means`` for the same ``(n, resamples, seed)``.
    """
    if n < 1:
        raise ValueError("need at least one unit to resample")
    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(resamples, n))
    flat = (idx + n * np.arange(resamples)[:, None]).ravel()
    counts: NDArray[np.float64] = np.bincount(flat, minlength=resamples * n).reshape(resamples, n).astype(np.float64)
    return counts


def percentile_interval(
    point: float, star: Sequence[float] | NDArray[np.float64], confidence: float = DEFAULT_CONFIDENCE
) -> Interval:
    """``point`` with the percentile interval of its resampled values ``star``.

    Resamples where the statistic is undefined (NaN: an AUC of a resample with one class) are
    left out; with none left the interval is NaN.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    arr = np.asarray(star, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return Interval(point, float("nan"), float("nan"))
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(arr, [alpha, 1 - alpha])
    return Interval(point, float(lo), float(hi))


def shift_test(
    delta: float, star: Sequence[float] | NDArray[np.float64], n: int, confidence: float = DEFAULT_CONFIDENCE
) -> PairedTest:
    """A paired test from a difference ``delta`` and its resampled values ``star`` (the
    shift method of ``paired_bootstrap``; undefined resamples are left out)."""
    arr = np.asarray(star, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    iv = percentile_interval(delta, arr, confidence)
    # Tolerance: float noise must not make an exact tie (delta = 0) look like evidence.
    extreme = np.abs(arr - delta) >= abs(delta) - 1e-12
    p = (1 + int(extreme.sum())) / (arr.size + 1)
    return PairedTest(delta, iv.lo, iv.hi, float(p), n, int(arr.size))
