"""Fit the line model (src/newsbrief/ingest/data/line_model.json) on the dev pages.

Labels come from the hand-checked bodies, never from hand-labelling: the page's tokens
(``\\w+``) are marked where a 4-gram of them occurs in the gold ``body``; a line is body when
more than half of its tokens are marked. Lines a certain rule already claims (media,
highlights, prompts, credits, timestamps, ...) are context only, not training rows.

Each page weighs the same in the loss (the benchmark averages over pages) and a line weighs by
its length within its page (the benchmark counts shingles). Two L2-regularised logistic
regressions (Newton's method, numpy): stage 1 on ``FEATURES_1``; stage 2 on
``FEATURES_1 + FEATURES_2``, whose stage-1 inputs are cross-fitted (each quarter of the
training pages gets stage-1 probabilities from a model fitted on the other three) so that
stage 2 learns how far to trust stage 1 on pages it has not seen.

Run from the repository root (``make fit-lines``)::

    .venv/bin/python bench/fit_lines.py        # fit on all 99 dev pages, write the shipped weights

``bench/pages.py`` calls ``fit()`` on four folds at a time for its held-out figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The fits are small (tens of thousands of rows, ~90 columns): a BLAS thread pool only fights
# the other jobs of a shared machine for its cores (ten times slower here); one thread it is.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsbrief.ingest.features import (  # noqa: E402
    FEATURES_1,
    FEATURES_2,
    Unit,
    prose_flags,
    redundancies,
    stage1,
    stage2,
    story_starts,
)
from newsbrief.ingest.lines import MODEL_PATH, LineModel  # noqa: E402
from newsbrief.ingest.page import ruled_units  # noqa: E402
from pages import PAGES, fold_of, load_pages  # noqa: E402

_TOKEN = re.compile(r"\w+")
# Tuned as a set on the dev folds (held-out F1), not one by one:
L2 = 1e-3  # ridge on standardised features (loss: mean log-loss over pages)
LENGTH_POWER = 0.5  # a line weighs (words + 1) ** LENGTH_POWER within its page
INNER_FOLDS = 4  # cross-fitting of stage-1 probabilities for stage 2's training rows
AUGMENT_WEIGHT = 0.1  # weight of each derived view (article alone; page cropped) against the page
CROP_MARGIN = 10  # lines kept on either side of the gold body in the cropped view


def line_labels(units: Sequence[Unit], body: str) -> list[bool]:
    """Body or not for every unit: most of its tokens lie in a 4-gram that the gold body has."""
    btok = _TOKEN.findall(body)
    gold = {tuple(btok[i : i + 4]) for i in range(len(btok) - 3)}
    toks: list[str] = []
    owner: list[int] = []
    for k, u in enumerate(units):
        t = _TOKEN.findall(u.text)
        toks += t
        owner += [k] * len(t)
    covered = [False] * len(toks)
    for i in range(len(toks) - 3):
        if tuple(toks[i : i + 4]) in gold:
            covered[i : i + 4] = [True] * 4
    n = [0] * len(units)
    c = [0] * len(units)
    for j, k in enumerate(owner):
        n[k] += 1
        c[k] += covered[j]
    return [n[k] > 0 and c[k] > 0.5 * n[k] for k in range(len(units))]


class _Page:
    def __init__(self, page_id: str, text: str, body: str, weight: float = 1.0) -> None:
        self.id = page_id
        self.units = ruled_units(text)
        self.rows1, self.nws = stage1(self.units)
        self.labels = line_labels(self.units, body)
        free = [u.rule is None for u in self.units]
        raw = [(nw + 1.0) ** LENGTH_POWER if f else 0.0 for nw, f in zip(self.nws, free, strict=True)]
        total = sum(raw) or 1.0
        self.weights = [weight * r / total for r in raw]


_VIEWS: dict[tuple[str, int], list[_Page]] = {}  # features do not depend on the fit: CV reuses them


def _views(page: dict[str, Any]) -> list[_Page]:
    key = (page["id"], hash(page["text"]))
    if key not in _VIEWS:
        _VIEWS[key] = _make_views(page)
    return _VIEWS[key]


def _make_views(page: dict[str, Any]) -> list[_Page]:
    """The page as scraped, and two views of it that users also paste: the article alone (its
    gold body, one paragraph per line) and the page cropped to a few lines around the body.
    Both are derived from the page and its gold body; they teach the model that a short, clean
    text is body, which 100-600-line pages alone cannot."""
    full = _Page(page["id"], page["text"], page["body"])
    views = [full]
    paragraphs = [s.strip() for s in page["body"].splitlines() if s.strip()]
    if paragraphs:
        views.append(_Page(page["id"] + "/body", "\n\n".join(paragraphs), page["body"], AUGMENT_WEIGHT))
    gold = [i for i, lab in enumerate(full.labels) if lab]
    if gold:
        a, b = max(0, gold[0] - CROP_MARGIN), min(len(full.units), gold[-1] + CROP_MARGIN + 1)
        crop = "\n\n".join(u.text for u in full.units[a:b])
        views.append(_Page(page["id"] + "/crop", crop, page["body"], AUGMENT_WEIGHT))
    return views


def _fit_lr(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method; column 0 is the (unpenalised) bias.
    Returns weights for the raw (unstandardised) features."""
    mean = x[:, 1:].mean(axis=0)
    std = x[:, 1:].std(axis=0)
    std[std == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x[:, 1:] - mean) / std])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    scale = w.sum()
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) / scale + penalty * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z / scale + np.diag(penalty) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    raw = beta.copy()
    raw[1:] = beta[1:] / std
    raw[0] = beta[0] - float((beta[1:] * mean / std).sum())
    return raw


def _stack(
    pages: Sequence[_Page], rows: Sequence[Sequence[Sequence[float]]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, ws = [], [], []
    for page, r in zip(pages, rows, strict=True):
        for row, label, weight in zip(r, page.labels, page.weights, strict=True):
            if weight > 0:
                xs.append(row)
                ys.append(float(label))
                ws.append(weight)
    return np.array(xs), np.array(ys), np.array(ws)


def _fit_stage1(pages: Sequence[_Page]) -> np.ndarray:
    x, y, w = _stack(pages, [p.rows1 for p in pages])
    return _fit_lr(x, y, w, L2)


def _p1(w1: np.ndarray, page: _Page) -> list[float]:
    z = np.array(page.rows1) @ w1
    return list(1.0 / (1.0 + np.exp(-z)))


def fit(pages: Sequence[dict[str, Any]], *, note: str = "") -> LineModel:
    """The line model fitted on ``pages`` (dicts with ``id``, ``text``, ``body``)."""
    prepared = [v for p in pages for v in _views(p)]
    # stage 2 rows from cross-fitted stage-1 probabilities (a page's views stay in one group)
    groups = [
        [p for p in prepared if (fold_of(p.id.split("/")[0] + "/inner") % INNER_FOLDS) == g] for g in range(INNER_FOLDS)
    ]
    rows2: dict[str, list[list[float]]] = {}
    for g, held in enumerate(groups):
        rest = [p for h, grp in enumerate(groups) if h != g for p in grp]
        if not held or not rest:
            continue
        w1_inner = _fit_stage1(rest)
        for p in held:
            r2 = stage2(_p1(w1_inner, p), p.nws, story_starts(p.rows1), prose_flags(p.rows1), redundancies(p.rows1))
            rows2[p.id] = [[*a, *b] for a, b in zip(p.rows1, r2, strict=True)]
    w1 = _fit_stage1(prepared)
    used = [p for p in prepared if p.id in rows2]
    x, y, w = _stack(used, [rows2[p.id] for p in used])
    w2 = _fit_lr(x, y, w, L2)
    meta = {
        "fitted_on": f"{len(pages)} pages" + (f" ({note})" if note else ""),
        "date": dt.date.today().isoformat(),
        "script": "bench/fit_lines.py",
        "l2": L2,
        "length_power": LENGTH_POWER,
    }
    return LineModel(
        w1=tuple(float(v) for v in w1),
        w2=tuple(float(v) for v in w2),
        threshold=0.5,
        meta=meta,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    pages = load_pages(args.pages)
    model = fit(pages, note="all dev pages of ../shared/data/dev/pages.jsonl.gz")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = model.to_dict()
    data["w1"] = [round(v, 6) for v in data["w1"]]
    data["w2"] = [round(v, 6) for v in data["w2"]]
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(FEATURES_1)} + {len(FEATURES_2)} features, {len(pages)} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
