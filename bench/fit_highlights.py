"""Fit the highlight scorer's weights (``src/newsbrief/summarize/data/highlights_weights.json``).

What it fits: a ridge regression from the sentence features of ``newsbrief.summarize.features``
to how much of the references a sentence (cut as the engine would cut it) holds: for each
candidate sentence, ROUGE-1 F1 + ROUGE-2 F1 (x100), half the mean over the article's 11
references and half the original CNN/DailyMail highlights alone. The half is the CV objective's
own split (``bench/highlights_cv.py`` averages multi-reference and original-only scores): with the
mean over 11 references alone the original highlights weigh 1/11 of the target, and the scorer
learnt to pick what the SummEval writers keep (the lead) over the later first-mention sentences
the original bullets copy (held-out figures for shares 0, 0.5 and 1 in
``bench/results/highlights_cv.md``). The engine then ranks candidates by the predicted value. Pure data at run time: the weights are
a JSON list, read with the standard library.

Which articles: the SummEval dev articles (``../shared/data/dev/summeval.jsonl``), all 11
references each. ``bench/highlights_cv.py`` calls :func:`fit` on the training folds only and
reports held-out folds; this script's ``main`` fits on all 100 for the shipped weights.

    .venv/bin/python bench/fit_highlights.py [--data PATH] [--ridge 1.0] [--original-share 0.5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev" / "summeval.jsonl"
WEIGHTS = REPO / "src" / "newsbrief" / "summarize" / "data" / "highlights_weights.json"
RIDGE = 1.0  # chosen on folds (bench/results/highlights_cv.md); the features are all in [0, 1]
ORIGINAL_SHARE = 0.5  # of the target taken by the original highlights (the rest: mean over all references)


@dataclass
class Doc:
    """One dev article, parsed, with its references tokenised once."""

    id: str
    article: Any  # newsbrief.Article
    references: list[str]  # all 11, one sentence per line
    original: str  # the original CNN/DailyMail highlights
    lead3: str  # the published LEAD-3 output
    ref_grams: list[tuple[Counter[str], Counter[tuple[str, str]]]]
    original_grams: tuple[Counter[str], Counter[tuple[str, str]]]


_TOKENIZER: Any = None


def tokens(text: str) -> list[str]:
    """rouge-score's own tokenizer (stemmed), so counts match the reported ROUGE."""
    global _TOKENIZER
    if _TOKENIZER is None:
        from newsbrief.evaluate.rouge import _CachedTokenizer

        _TOKENIZER = _CachedTokenizer()
    return list(_TOKENIZER.tokenize(text))


def grams(text: str) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    toks = tokens(text)
    return Counter(toks), Counter(zip(toks, toks[1:], strict=False))


def _f1(overlap: int, pred: int, ref: int) -> float:
    if not overlap or not pred or not ref:
        return 0.0
    p, r = overlap / pred, overlap / ref
    return 2 * p * r / (p + r)


def rouge12(
    pred: tuple[Counter[str], Counter[tuple[str, str]]], ref: tuple[Counter[str], Counter[tuple[str, str]]]
) -> tuple[float, float]:
    """ROUGE-1 and ROUGE-2 F1 (fractions) from n-gram counts: rouge-score's rouge_n, exactly."""
    (p1, p2), (r1, r2) = pred, ref
    o1 = sum((p1 & r1).values())
    o2 = sum((p2 & r2).values())
    return _f1(o1, sum(p1.values()), sum(r1.values())), _f1(o2, sum(p2.values()), sum(r2.values()))


def load_docs(path: Path = DEFAULT_DATA) -> list[Doc]:
    import newsbrief

    docs = []
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        record = json.loads(line)
        article = newsbrief.parse(record["article"])
        article.id = record["id"]
        refs = [r for r in record["references"] if r.strip()]
        docs.append(
            Doc(
                id=record["id"],
                article=article,
                references=refs,
                original=record["highlights"],
                lead3=record["systems"]["LEAD-3"],
                ref_grams=[grams(r) for r in refs],
                original_grams=grams(record["highlights"]),
            )
        )
    return docs


def training_rows(
    docs: Sequence[Doc], min_words: int = 12, original_share: float = ORIGINAL_SHARE
) -> tuple[list[list[float]], list[float]]:
    """Feature rows and targets for every candidate sentence of ``docs`` (see the module docstring)."""
    from newsbrief.summarize.candidates import rejection
    from newsbrief.summarize.compress import compress
    from newsbrief.summarize.features import sentence_features

    xs: list[list[float]] = []
    ys: list[float] = []
    for doc in docs:
        sentences = [s for s in doc.article.sentences if rejection(s) is None]
        if not sentences:
            continue
        xs.extend(sentence_features([s.text for s in sentences]))
        for s in sentences:
            cut = grams(compress(s.text, s.start, min_words=min_words).text)
            scores = [rouge12(cut, ref) for ref in doc.ref_grams]
            multi = sum(a + b for a, b in scores) / len(scores)
            original = sum(rouge12(cut, doc.original_grams))
            ys.append(100 * ((1 - original_share) * multi + original_share * original))
    return xs, ys


def fit(docs: Sequence[Doc], ridge: float = RIDGE, original_share: float = ORIGINAL_SHARE) -> list[float]:
    """Ridge regression weights (bias first, as ``FEATURES``); the bias is not penalised."""
    xs, ys = training_rows(docs, original_share=original_share)
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    penalty = ridge * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    w = np.linalg.solve(x.T @ x + penalty, x.T @ y)
    return [round(float(v), 5) for v in w]


def write_weights(
    weights: list[float], docs: int, ridge: float, original_share: float = ORIGINAL_SHARE, path: Path = WEIGHTS
) -> None:
    from newsbrief.summarize.features import FEATURES

    data = {
        "features": list(FEATURES),
        "weights": weights,
        "fitted": f"bench/fit_highlights.py on {docs} SummEval dev articles, ridge {ridge}, {dt.date.today()}",
        "target": (
            f"ROUGE-1 F1 + ROUGE-2 F1 (x100) of the cut sentence: {1 - original_share:g} x the mean over all "
            f"references + {original_share:g} x the original highlights"
        ),
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ridge", type=float, default=RIDGE)
    parser.add_argument("--original-share", type=float, default=ORIGINAL_SHARE, help="of the target (0 to 1)")
    args = parser.parse_args(argv)
    docs = load_docs(args.data)
    weights = fit(docs, args.ridge, args.original_share)
    write_weights(weights, len(docs), args.ridge, args.original_share)
    from newsbrief.summarize.features import FEATURES

    for name, w in zip(FEATURES, weights, strict=True):
        print(f"{name:16} {w:+.3f}")
    print(f"wrote {WEIGHTS.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
