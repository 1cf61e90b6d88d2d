"""Second-round checker candidates under the folds of ``checker_cv.py``: held-out figures only.

Issue 14 asks whether offline semantic similarity (a small static embedding model that ships
inside a PyPI wheel) or features of how a summary sentence is stitched together lift the
checker's held-out ROC AUC. Three families, each added to the learned model's features
(``fit_checker.FEATURES``) and refitted as a logistic regression on four folds of both sets
pooled, scored on the fifth (the same folds and code as ``checker_cv.py --explore``):

* **static embeddings** (WordLlama ``l2_supercat_256``, 16 MB of weights inside the
  ``wordllama`` wheel, read here straight from the wheel's files with ``tokenizers`` and
  ``safetensors``; its loader would try Hugging Face first): cosine of the sentence's mean
  content-token vector with its supporting window's and with the closest article sentence; soft
  token alignment (each content token's best cosine in the window), over all tokens and over
  those the window lacks;
* **junctions**: the sentence aligned to the article by greedy longest copied runs
  (``checker_cv._runs``); junctions
  between runs, those crossing article sentences, running backwards, skipping text inside one
  sentence, and skips whose left side ends on a word that needs its complement ("with", "the",
  "of", "was") -- a deletion that changes what the words say;
* **multiple-instance pooling**: one logistic model per sentence, the summary consistent only
  if every sentence is (noisy-AND of the sentence probabilities), fitted on summary labels.

    .venv/bin/pip install wordllama            # only for this script; newsbrief does not need it
    .venv/bin/python bench/checker_semantic.py # -> bench/results/checker_semantic.md / .json
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief import faithfulness as F
from newsbrief.check.features import SENTENCE_FEATURES, article_grams, summary_features
from newsbrief.nlp.stem import stem
from newsbrief.nlp.stopwords import STOPWORDS
from newsbrief.nlp.tokens import TOKEN_PATTERN

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checker_cv as CV  # noqa: E402  (sibling scripts, not a package)
import fit_checker as FC  # noqa: E402

OUT = CV.OUT.parent / "checker_semantic"
L2 = (10.0, 100.0)
# Words that leave a phrase open: a copied run ending on one and a skip after it replaces the
# complement the article gave it ("restarted his row with [Andros Townsend ... draw with] Burnley").
OPEN_ENDS = frozenset(
    "a an the of to in on at by with from for into onto over under about against between after before "
    "during as than his her their its our my your this that these those is was were are be been being "
    "has have had will would can could should may might must and or but who which whom whose".split()
)
EMBED_STOP = frozenset(
    "the a an of to in and or for on at by with from as is was were are be been that this it its he she "
    "they his her their said says has have had will would".split()
)


class StaticEmbeddings:
    """WordLlama's token vectors and tokenizer, read from the installed wheel's files."""

    def __init__(self) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        spec = importlib.util.find_spec("wordllama")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("this script needs `pip install wordllama` (its weights ship in the wheel)")
        root = Path(next(iter(spec.submodule_search_locations)))
        with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
            vectors = f.get_tensor("embedding.weight").astype(np.float32)
        self.vectors = vectors
        self.unit = vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))

    def ids(self, text: str) -> list[int]:
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        return [
            i
            for i, t in zip(enc.ids, enc.tokens, strict=True)
            if t.strip("\u2581").lower() not in EMBED_STOP and any(c.isalnum() for c in t)
        ]

    def mean(self, ids: list[int]) -> np.ndarray:
        if not ids:
            return np.zeros(self.vectors.shape[1], np.float32)
        v = self.vectors[ids].mean(axis=0)
        return v / (np.linalg.norm(v) + 1e-9)


EMBED = ("window_cosine", "closest_sentence_cosine", "soft_alignment", "soft_alignment_missing")
JUNCTIONS = ("junctions", "cross_sentence", "backwards", "skips", "open_end_skips")


def embedding_features(emb: StaticEmbeddings, rows: list[dict[str, Any]], idx: list[F.ArticleIndex]) -> np.ndarray:
    sentence_vectors: dict[int, np.ndarray] = {}
    out = []
    for r, index in zip(rows, idx, strict=True):
        body = index.article.body
        key = id(index)
        if key not in sentence_vectors:
            sentence_vectors[key] = np.stack([emb.mean(emb.ids(body[a:b])) for a, b in index.sentence_spans])
        per = []
        for s in F.check(index, r["summary"]).sentences:
            ids = emb.ids(s.text)
            window = emb.ids(body[s.support_span[0] : s.support_span[1]]) if s.support_span else []
            if not ids:
                per.append([1.0, 1.0, 1.0, 1.0])
                continue
            if not window:
                per.append([0.0, 0.0, 0.0, 0.0])
                continue
            own = set(window)
            best = (emb.unit[ids] @ emb.unit[sorted(own)].T).max(axis=1)
            missing = [x for i, x in zip(ids, best, strict=True) if i not in own]
            v = emb.mean(ids)
            per.append(
                [
                    float(emb.mean(window) @ v),
                    float((sentence_vectors[key] @ v).max()),
                    float(best.mean()),
                    float(np.mean(missing)) if missing else 1.0,
                ]
            )
        out.append(_pool(per, low_is_worst=True, width=len(EMBED)))
    return np.asarray(out)


def junction_features(rows: list[dict[str, Any]], idx: list[F.ArticleIndex]) -> np.ndarray:
    out = []
    for r, index in zip(rows, idx, strict=True):
        grams = article_grams(index)
        per = []
        for s in F.check(index, r["summary"]).sentences:
            st = [stem(t) for t in TOKEN_PATTERN.findall(s.text)]
            # (summary start, summary end, article start) of each copied run of 2 or more words
            runs = [(i, i + n, j) for i, j, n in CV._runs(index, st) if n >= 2]
            counts = dict.fromkeys(JUNCTIONS, 0.0)
            for (a0, a1, ap), (b0, _, bp) in zip(runs, runs[1:], strict=False):
                after = ap + (a1 - a0)
                same = grams.sentence_of[after - 1] == grams.sentence_of[bp]
                counts["junctions"] += 1
                counts["cross_sentence"] += not same
                counts["backwards"] += bp < ap
                if same and bp >= after:
                    counts["skips"] += 1
                    counts["open_end_skips"] += st[a1 - 1] in OPEN_ENDS and st[b0] not in STOPWORDS
            per.append(list(counts.values()))
        out.append(_pool(per, low_is_worst=False, width=len(JUNCTIONS)))
    return np.asarray(out)


def _pool(per: list[list[float]], low_is_worst: bool, width: int) -> list[float]:
    """Mean and worst over a summary's sentences."""
    a = np.asarray(per or [[1.0 if low_is_worst else 0.0] * width], dtype=float)
    return [*a.mean(axis=0), *(a.min(axis=0) if low_is_worst else a.max(axis=0))]


def mil_scores(rows: list[dict[str, Any]], idx: list[F.ArticleIndex], folds: np.ndarray, l2: float) -> np.ndarray:
    """Held-out log-probability that every sentence is consistent (noisy-AND of per-sentence
    logistic models over ``SENTENCE_FEATURES``), fitted on summary labels, sets weighted equally."""
    per = [
        np.asarray(summary_features(ix, r["summary"])[1] or [[0.0] * len(SENTENCE_FEATURES)])
        for ix, r in zip(idx, rows, strict=True)
    ]
    y = np.asarray([r["label"] for r in rows], dtype=float)
    weight = FC.set_weights(np.asarray([r["set"] for r in rows]))
    scores = np.zeros(len(rows))
    for k in range(CV.FOLDS):
        train = np.flatnonzero(folds != k)
        x = np.vstack([per[i] for i in train])
        group = np.concatenate([[j] * len(per[i]) for j, i in enumerate(train)])
        mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
        z_in = (x - mu) / sd
        w, b = np.zeros(x.shape[1]), 2.0
        m1, m2 = np.zeros(len(w) + 1), np.zeros(len(w) + 1)
        for step in range(800):  # Adam on the summary-level log loss
            z = z_in @ w + b
            log_p = np.bincount(group, -np.logaddexp(0, -z), minlength=len(train))
            p = np.exp(log_p).clip(1e-9, 1 - 1e-9)
            d_log_p = -(y[train] - (1 - y[train]) * p / (1 - p)) * weight[train]
            dz = d_log_p[group] / (1 + np.exp(z))
            grad = np.append(z_in.T @ dz + l2 * w, dz.sum()) / len(train)
            m1 = 0.9 * m1 + 0.1 * grad
            m2 = 0.999 * m2 + 0.001 * grad * grad
            move = 0.05 * (m1 / (1 - 0.9 ** (step + 1))) / (np.sqrt(m2 / (1 - 0.999 ** (step + 1))) + 1e-8)
            w, b = w - move[:-1], b - move[-1]
        for i in np.flatnonzero(folds == k):
            scores[i] = float(-np.logaddexp(0, -(((per[i] - mu) / sd) @ w + b)).sum())
    return scores


def main() -> None:
    rows = CV.load()
    idx = FC.indexes(rows)
    y = np.asarray([r["label"] for r in rows], dtype=bool)
    folds = np.asarray([CV.fold_of(r["article"]) for r in rows])
    sets = np.asarray([r["set"] for r in rows])
    base = FC.matrix(rows, idx)[:, [FC.SUMMARY_FEATURES.index(n) for n in FC.FEATURES]]
    emb = embedding_features(StaticEmbeddings(), rows, idx)
    junc = junction_features(rows, idx)
    names = {
        "embeddings": [f"{p}_{n}" for p in ("mean", "worst") for n in EMBED],
        "junctions": [f"{p}_{n}" for p in ("mean", "worst") for n in JUNCTIONS],
    }
    variants: dict[str, np.ndarray] = {"learned's features": base}
    for family, x in (("embeddings", emb), ("junctions", junc)):
        for j, n in enumerate(names[family]):
            variants[f"+ {n}"] = np.hstack([base, x[:, [j]]])
        variants[f"+ all {family}"] = np.hstack([base, x])
    variants["+ both families"] = np.hstack([base, emb, junc])

    def cell(s: np.ndarray) -> dict[str, Any]:
        return {
            w: {
                "auc": round(CV.B.roc_auc(s[sets == w], y[sets == w]), 4),
                "folds": [
                    round(CV.B.roc_auc(s[(sets == w) & (folds == k)], y[(sets == w) & (folds == k)]), 3)
                    for k in range(CV.FOLDS)
                ],
            }
            for w in ("qags", "summeval")
        }

    result: dict[str, Any] = {"l2": list(L2), "rows": {}}
    for name, x in variants.items():
        result["rows"][name] = {str(l2): cell(CV.cv_scores(x, y, folds, l2)) for l2 in L2}
    result["rows"]["multiple-instance (noisy-AND of sentences)"] = {
        str(l2): cell(mil_scores(rows, idx, folds, l2)) for l2 in L2
    }
    write(result)


def write(result: dict[str, Any]) -> None:
    Path(f"{OUT}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    l2s = [str(v) for v in result["l2"]]
    head = " | ".join(f"QAGS L2={v} | SummEval L2={v}" for v in l2s)
    base = result["rows"]["learned's features"]
    lines = [
        "# Static embeddings, junctions, multiple-instance pooling: held-out checker AUC",
        "",
        "`python bench/checker_semantic.py` (needs `pip install wordllama`). The folds and the refit of "
        "`checker_cv.md`: each row is the learned model's features plus the candidate, a logistic regression "
        "fitted on four folds of both sets pooled and scored on the fifth; ROC AUC of the pooled held-out "
        "scores. What each candidate measures: the script's docstring. Per-fold figures: the .json.",
        "",
        f"| features | {head} |",
        "|---|" + "---:|---:|" * len(l2s),
    ]
    for name, cells in result["rows"].items():
        parts = [f"{cells[v]['qags']['auc']:.3f} | {cells[v]['summeval']['auc']:.3f}" for v in l2s]
        lines.append(f"| {name} | " + " | ".join(parts) + " |")
    best = {
        w: max((cells[v][w]["auc"] - base[v][w]["auc"], name) for name, cells in result["rows"].items() for v in l2s)
        for w in ("qags", "summeval")
    }
    lines += [
        "",
        f"Largest held-out gain over the same features at the same L2: QAGS {best['qags'][0]:+.3f} "
        f"({best['qags'][1]}), SummEval {best['summeval'][0]:+.3f} ({best['summeval'][1]}). "
        "That is the best of all rows, so it flatters them. Issue 14 asks for 0.88 and 0.85, each bigram "
        "precision + 0.05; no family here comes within reach, and none ships: a 19 MB dependency (and "
        "numpy, tokenizers, safetensors) for under +0.02 on one set and about +0.01 on the other, within "
        "the spread between folds, is not worth its weight.",
        "",
    ]
    Path(f"{OUT}.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
