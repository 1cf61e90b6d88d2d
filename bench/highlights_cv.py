"""Held-out figures of the default highlights engine: 5-fold cross-validation on SummEval dev.

Honest tuning: the folds are fixed before anything is tried (``fold = sha1(id) mod 5``). For
each fold, the scorer's weights are fitted (``bench/fit_highlights.py``) and the settings are
chosen from a small grid (``GRID``: target and maximum words, which decide per article whether
a third highlight is added, minimum words after a cut, the short-article rule) on the other four
folds only, by mean multi-reference ROUGE-1 + ROUGE-2 F1
over all 11 references averaged with
the original highlights alone. The held-out fold is then summarized with what was chosen. Every figure
in the report is a held-out one: each article is scored by an engine that never saw it.

Reported, for the held-out predictions of all folds together: ROUGE-1/2/Lsum F1 against all 11
references (multi-reference max, as SummEval) and against the original highlights alone, our
``lead`` (3 sentences) and the published LEAD-3, paired bootstrap tests (1,000 resamples,
seed 0) against both, per-fold figures, the procedure rerun with other shares of the original
highlights in the scorer's fit target, a feature ablation (each feature dropped and the scorer
refitted, held-out), highlights per article, cut precision on the hand-labelled cuts
(``bench/data/cuts_gold.jsonl``) and highlights opening with a dateline on dev and on the page
variants (``bench/data/page_variants.jsonl``).

    .venv/bin/python bench/highlights_cv.py        # -> bench/results/highlights_cv.{md,json}
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import itertools
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_highlights as F  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CUTS_GOLD = REPO / "bench" / "data" / "cuts_gold.jsonl"
FOLDS = 5
OBJECTIVE = "mixed"  # what the grid maximises on the training folds: see objective()
ORIGINAL_WEIGHTS = importlib.import_module("newsbrief.summarize.highlights").learned_weights
# Shares of the scorer's fit target taken by the original highlights that the grid may choose from
# (one: fixed; see fit_highlights.ORIGINAL_SHARE and share_sensitivity).
SHARES: tuple[float, ...] = (F.ORIGINAL_SHARE,)
FIT_ONLY = ("ridge", "share")  # grid keys that are fitting choices, not engine settings
# Length is chosen per article by the words the first highlights take: two highlights, a third
# while those two are under target_words and the three stay within max_words (a short story's
# two long sentences stop at two; two short ones get a third). The position scorer and ridge 10
# were dropped from the grid: chosen on three training folds out of five in the last report, they
# lost held-out on the original highlights (-0.06 R-1 overall) and never won on the multi ones.
GRID: dict[str, tuple[Any, ...]] = {
    "scorer": ("learned",),
    "ridge": (1.0,),
    "n": (2,),
    "max_n": (3,),
    "target_words": (30, 40, 50),
    "max_words": (70, 100),
    "min_highlight_words": (16, 20, 24),
    "short_article": (0, 20),
}


def fold_of(doc_id: str) -> int:
    return int(hashlib.sha1(doc_id.encode()).hexdigest()[:8], 16) % FOLDS


def use_weights(weights: Sequence[float]) -> None:
    """Point the engine at ``weights`` (instead of the shipped file) for what follows."""
    H = importlib.import_module("newsbrief.summarize.highlights")
    fixed = tuple(weights)
    H.learned_weights = lambda: fixed  # type: ignore[assignment]


def summarize_texts(doc: F.Doc, settings: dict[str, Any]) -> list[str]:
    from newsbrief.summarize.highlights import HighlightsConfig, HighlightsSummarizer

    return HighlightsSummarizer(HighlightsConfig(**settings)).summarize(doc.article).texts


def objective(docs: Sequence[F.Doc], settings: dict[str, Any]) -> float:
    """ROUGE-1 + ROUGE-2 F1 x100, the mean of multi-reference (max over all 11) and original-only."""
    total = 0.0
    for doc in docs:
        pred = F.grams(" ".join(summarize_texts(doc, settings)))
        multi = max(sum(F.rouge12(pred, ref)) for ref in doc.ref_grams)
        original = sum(F.rouge12(pred, doc.original_grams))
        total += {"mixed": (multi + original) / 2, "multi": multi, "original": original}[OBJECTIVE]
    return 100 * total / len(docs)


def choose(train: Sequence[F.Doc]) -> tuple[dict[str, Any], list[float], float]:
    """The best grid point on ``train``: settings (with the fit's ridge and share), weights
    (fitted on ``train``), objective."""
    best: tuple[float, dict[str, Any], list[float]] | None = None
    weights = {(r, sh): F.fit(train, r, sh) for r in GRID["ridge"] for sh in SHARES}
    for (ridge, share), w in weights.items():
        use_weights(w)
        for values in itertools.product(*GRID.values()):
            point = dict(zip(GRID, values, strict=True))
            if point.pop("ridge") != ridge:
                continue
            value = objective(train, point)
            if best is None or value > best[0] + 1e-9:
                best = (value, {**point, "ridge": ridge, "share": share}, w)
    assert best is not None
    return best[1], best[2], best[0]


def engine_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """What the engine takes of a grid point (not how its weights were fitted)."""
    return {k: v for k, v in settings.items() if k not in FIT_ONLY}


def full_scores(pred_lines: str, references: Sequence[str]) -> dict[str, float]:
    from newsbrief.evaluate.rouge import score_rouge, text_lines

    refs = [text_lines(r) for r in references]
    return {k: 100 * v.f1 for k, v in score_rouge(pred_lines, refs).items()}


def paired(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    from newsbrief.evaluate.bootstrap import paired_bootstrap

    t = paired_bootstrap(list(a), list(b))
    return {"delta": t.diff, "low": t.lo, "high": t.hi, "p": t.p_value}


def cut_precision(path: Path = CUTS_GOLD) -> dict[str, Any]:
    """Share of hand-labelled cuts that are acceptable: per labelling batch as labelled (the
    held-out batches were labelled before any rule was written from them), and for the cuts the
    engine still makes now (re-run at each row's ``min_words``; every setting for rows whose
    ``min_words`` is null), as ``tests/test_cuts_gold.py`` checks."""
    from newsbrief.summarize.compress import compress
    from newsbrief.summarize.highlights import HighlightsConfig

    ops = HighlightsConfig().cuts
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    batches: dict[str, dict[str, int]] = {}
    for r in rows:
        b = batches.setdefault(r["batch"], {"labelled": 0, "acceptable": 0})
        b["labelled"] += 1
        b["acceptable"] += r["label"] == "acceptable"

    def made(r: dict[str, Any]) -> bool:
        settings = [r["min_words"]] if r["min_words"] else [20, 16, 12, 8]
        return any(compress(r["sentence"], 0, min_words=m, ops=ops).text == r["cut"] for m in settings)

    now = [r for r in rows if made(r)]
    ok = sum(r["label"] == "acceptable" for r in now)
    return {
        "labelled": len(rows),
        "acceptable_labelled": sum(r["label"] == "acceptable" for r in rows),
        "batches": batches,
        "still_made": len(now),
        "acceptable_still_made": ok,
        "precision": ok / len(now) if now else None,
    }


def datelines() -> dict[str, int]:
    import newsbrief
    from newsbrief.ingest import parse_text
    from page_variants import DATELINE_OPENING, dateline_highlights, load_variants

    dev = 0
    for doc in F.load_docs():
        dev += sum(bool(DATELINE_OPENING.match(t)) for t in newsbrief.summarize(doc.article).texts)
    pages = 0
    variants = load_variants()
    for v in variants:
        article = parse_text(v["text"])
        if article.sentences:
            pages += len(dateline_highlights(newsbrief.summarize(article).texts, v))
    return {
        "dev_highlights_opening_with_dateline": dev,
        "page_variant_highlights_opening_with_dateline": pages,
        "page_variants": len(variants),
    }


def run(docs: Sequence[F.Doc]) -> dict[str, Any]:
    import newsbrief
    from newsbrief.evaluate.rouge import lines, text_lines

    lead = newsbrief.get_summarizer("lead")
    per_doc: dict[str, dict[str, Any]] = {}
    folds: list[dict[str, Any]] = []
    for k in range(FOLDS):
        train = [d for d in docs if fold_of(d.id) != k]
        test = [d for d in docs if fold_of(d.id) == k]
        settings, weights, train_value = choose(train)
        use_weights(weights)
        engine = engine_settings(settings)
        folds.append(
            {
                "fold": k,
                "train": len(train),
                "test": len(test),
                "chosen": settings,
                "train_objective": round(train_value, 3),
                "test_objective": round(objective(test, engine), 3),
            }
        )
        for doc in test:
            texts = summarize_texts(doc, engine)
            per_doc[doc.id] = {
                "fold": k,
                "highlights": texts,
                "n": len(texts),
                "words": sum(len(t.split()) for t in texts),
            }
            for name, pred in (
                ("highlights", lines(texts)),
                ("lead", lines(lead.summarize(doc.article).texts)),
                ("LEAD-3", text_lines(doc.lead3)),
            ):
                per_doc[doc.id][name] = {
                    "multi": full_scores(pred, doc.references),
                    "original": full_scores(pred, [doc.original]),
                }
        print(f"fold {k}: {settings} train {train_value:.2f} test {folds[-1]['test_objective']:.2f}", file=sys.stderr)
    ids = [d.id for d in docs]
    table: dict[str, Any] = {}
    tests: dict[str, Any] = {}
    for refs in ("multi", "original"):
        table[refs] = {
            name: {
                m: statistics.fmean(per_doc[i][name][refs][m] for i in ids) for m in ("rouge1", "rouge2", "rougeLsum")
            }
            for name in ("highlights", "lead", "LEAD-3")
        }
        for base in ("LEAD-3", "lead"):
            tests[f"{refs} vs {base}"] = {
                m: paired([per_doc[i]["highlights"][refs][m] for i in ids], [per_doc[i][base][refs][m] for i in ids])
                for m in ("rouge1", "rouge2", "rougeLsum")
            }
    for f in folds:
        test_ids = [i for i in ids if per_doc[i]["fold"] == f["fold"]]
        f["delta_r1_vs_LEAD-3_multi"] = statistics.fmean(
            per_doc[i]["highlights"]["multi"]["rouge1"] - per_doc[i]["LEAD-3"]["multi"]["rouge1"] for i in test_ids
        )
        f["delta_r1_vs_LEAD-3_original"] = statistics.fmean(
            per_doc[i]["highlights"]["original"]["rouge1"] - per_doc[i]["LEAD-3"]["original"]["rouge1"]
            for i in test_ids
        )
    counts = [per_doc[i]["n"] for i in ids]
    return {
        "folds": folds,
        "table": table,
        "tests": tests,
        "per_doc": per_doc,
        "highlights_per_article": {str(c): counts.count(c) for c in sorted(set(counts))},
        "mean_words": statistics.fmean(per_doc[i]["words"] for i in ids),
    }


def share_sensitivity(docs: Sequence[F.Doc]) -> dict[str, Any]:
    """The whole procedure again with other shares of the original highlights in the fit target,
    fixed (0, 1) or chosen on the training folds with the rest of the grid (0, 0.5 or 1):
    held-out differences from LEAD-3."""
    global SHARES
    kept = SHARES
    out: dict[str, Any] = {}
    try:
        for label, shares in (("0", (0.0,)), ("1", (1.0,)), ("chosen on folds from 0, 0.5, 1", (0.0, 0.5, 1.0))):
            SHARES = shares
            result = run(docs)
            out[label] = {
                refs: {m: result["tests"][f"{refs} vs LEAD-3"][m] for m in ("rouge1", "rouge2")}
                for refs in ("multi", "original")
            }
            out[label]["chosen"] = [f["chosen"].get("share") for f in result["folds"]]
    finally:
        SHARES = kept
    return out


def ablation(docs: Sequence[F.Doc], settings: dict[str, Any]) -> dict[str, float]:
    """Held-out objective with each feature dropped (weights refitted without it), fixed settings."""
    import fit_highlights

    features = importlib.import_module("newsbrief.summarize.features")

    full = features.FEATURES
    out: dict[str, float] = {}
    engine = engine_settings(settings)
    for drop in (None, *full[1:]):
        total = 0.0
        for k in range(FOLDS):
            train = [d for d in docs if fold_of(d.id) != k]
            test = [d for d in docs if fold_of(d.id) == k]
            share = settings.get("share", F.ORIGINAL_SHARE)
            w = fit_highlights.fit(train, settings.get("ridge", F.RIDGE), share)
            if drop is not None:
                xs, ys = fit_highlights.training_rows(train, original_share=share)
                j = full.index(drop)
                import numpy as np

                x = np.delete(np.asarray(xs), j, axis=1)
                pen = settings.get("ridge", F.RIDGE) * np.eye(x.shape[1])
                pen[0, 0] = 0
                sol = np.linalg.solve(x.T @ x + pen, x.T @ np.asarray(ys))
                w = [*map(float, sol[:j]), 0.0, *map(float, sol[j:])]
            use_weights(w)
            total += objective(test, engine) * len(test)
        out["(none)" if drop is None else drop] = total / len(docs)
    return out


def markdown(result: dict[str, Any]) -> str:
    t, tests = result["table"], result["tests"]
    out = [
        "# Highlights, held-out: 5-fold cross-validation on the SummEval dev articles",
        "",
        "Made by `.venv/bin/python bench/highlights_cv.py`. Folds fixed before tuning (`sha1(id) mod 5`);",
        "weights fitted and settings chosen on the other four folds; every figure below is for articles",
        "the engine (weights and settings) never saw. ROUGE F1 x100, rouge-score with stemming, Lsum one",
        "sentence per line. *multi*: max over all 11 SummEval references; *original*: the CNN/DailyMail",
        "highlights alone. `lead` is ours (3 sentences), `LEAD-3` the published output.",
        "",
    ]
    for refs in ("multi", "original"):
        out += [f"## References: {refs}", "", "| system | R-1 | R-2 | R-Lsum |", "|---|---:|---:|---:|"]
        for name, row in t[refs].items():
            out.append(f"| {name} | {row['rouge1']:.2f} | {row['rouge2']:.2f} | {row['rougeLsum']:.2f} |")
        out += ["", "| highlights minus | R-1 | R-2 | R-Lsum |", "|---|---|---|---|"]
        for base in ("LEAD-3", "lead"):
            cells = [
                f"{v['delta']:+.2f} [{v['low']:+.2f}, {v['high']:+.2f}] p={v['p']:.3f}"
                for v in tests[f"{refs} vs {base}"].values()
            ]
            out.append(f"| {base} | " + " | ".join(cells) + " |")
        out.append("")
    out += [
        "## Folds",
        "",
        "| fold | test docs | chosen on the other folds | R-1 minus LEAD-3 (multi / original) |",
        "|---|---:|---|---|",
    ]
    for f in result["folds"]:
        out.append(
            f"| {f['fold']} | {f['test']} | `{json.dumps(f['chosen'])}` | {f['delta_r1_vs_LEAD-3_multi']:+.2f} / {f['delta_r1_vs_LEAD-3_original']:+.2f} |"
        )
    out += [
        "",
        f"Highlights per article (held-out): {result['highlights_per_article']}; mean words {result['mean_words']:.1f}.",
        "",
    ]
    if "ablation" in result:
        base = result["ablation"]["(none)"]
        out += [
            "## Feature ablation (held-out objective: R-1 + R-2, multi and original averaged, refitted without the feature)",
            "",
            "| dropped | objective | change |",
            "|---|---:|---:|",
        ]
        for name, value in result["ablation"].items():
            out.append(f"| {name} | {value:.2f} | {value - base:+.2f} |")
        out.append("")
    if "shares" in result:
        out += [
            "## The fit target: share of the original highlights (the whole procedure rerun with each)",
            "",
            "| share | multi R-1 | multi R-2 | original R-1 | original R-2 | share per fold |",
            "|---|---|---|---|---|---|",
        ]
        for share, row in result["shares"].items():
            cells = [
                f"{row[refs][m]['delta']:+.2f} (p={row[refs][m]['p']:.3f})"
                for refs in ("multi", "original")
                for m in ("rouge1", "rouge2")
            ]
            out.append(f"| {share} | " + " | ".join(cells) + f" | {row['chosen']} |")
        out += [
            "",
            "Differences from LEAD-3, held-out. The shipped share, 0.5, is the objective's own split (multi and",
            "original averaged), but it was fixed after a trial run had shown these three fixed shares, and it",
            "is the best of them: its row carries that selection. Chosen on the training folds as well, the",
            "share is 0 on every fold (within noise in-sample): the last row is what the procedure gives when",
            "it must choose the share too, and it is the conservative figure to quote.",
            "",
        ]
    if "final_choice" in result:
        out += [
            "## The shipped defaults",
            "",
            "The same procedure run on all 100 articles (its figures above are the held-out estimate",
            f"of what it gives): `{json.dumps(result['final_choice']['settings'])}`; weights from",
            "`bench/fit_highlights.py` on all 100 articles.",
            "",
        ]
    c, d = result["cuts"], result["datelines"]
    out += ["## Cuts and datelines", ""]
    out += [
        f"Hand-labelled cuts (`bench/data/cuts_gold.jsonl`, {c['labelled']} rows), precision as labelled:",
        "",
        "| batch | labelled | acceptable | precision |",
        "|---|---:|---:|---:|",
    ]
    for name, b in c["batches"].items():
        out.append(f"| {name} | {b['labelled']} | {b['acceptable']} | {100 * b['acceptable'] / b['labelled']:.1f}% |")
    out += [
        "",
        f"Of the labelled cuts the engine still makes ({c['still_made']}), {c['acceptable_still_made']} are "
        f"acceptable: **{100 * c['precision']:.1f}%** (in-sample for the dev rows: the rules were fixed on their "
        "broken cuts).",
        "",
    ]
    out.append(
        f"Highlights opening with a dateline: {d['dev_highlights_opening_with_dateline']} on dev, "
        f"{d['page_variant_highlights_opening_with_dateline']} on the {d['page_variants']} page variants."
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    global OBJECTIVE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--no-shares", action="store_true", help="skip the fit-target share table")
    parser.add_argument("--objective", choices=("mixed", "multi", "original"), default=OBJECTIVE)
    parser.add_argument("--out", default="highlights_cv", help="result file stem under bench/results")
    args = parser.parse_args(argv)
    OBJECTIVE = args.objective
    docs = F.load_docs()
    result = run(docs)
    if not args.no_shares:
        main_row = {
            refs: {m: result["tests"][f"{refs} vs LEAD-3"][m] for m in ("rouge1", "rouge2")}
            for refs in ("multi", "original")
        }
        main_row["chosen"] = [f["chosen"].get("share") for f in result["folds"]]
        result["shares"] = {f"{SHARES[0]:g} (shipped)": main_row, **share_sensitivity(docs)}
    settings, weights, value = choose(docs)
    if not args.no_ablation:
        result["ablation"] = ablation(docs, settings)
    result["final_choice"] = {"settings": settings, "weights": weights, "objective_in_sample": value}
    print(f"on all folds: {settings} (in-sample {value:.2f})", file=sys.stderr)
    result["cuts"] = cut_precision()
    H = importlib.import_module("newsbrief.summarize.highlights")
    H.learned_weights = ORIGINAL_WEIGHTS  # the shipped weights for the dateline counts
    result["datelines"] = datelines()
    result["objective"] = OBJECTIVE
    (RESULTS / f"{args.out}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (RESULTS / f"{args.out}.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
