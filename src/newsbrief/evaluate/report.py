"""Turn an ``EvalResult`` into files: a markdown table, ``results.json``, per-document
``scores.jsonl`` and two PNG plots.

Why these: the table is what goes into an issue or PR; ``results.json`` keeps everything
needed to check or redo the numbers (P/R, intervals, tests, settings, versions); the
per-document file lets anyone find the articles where two rows differ. All scores in the
files are ROUGE points (x100).

Plots are drawn with ``matplotlib.figure.Figure`` and saved straight to PNG with the Agg
renderer: no pyplot, no GUI backend, nothing global changed (works headless), and
matplotlib is imported only here, only when plots are written.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from typing import Any

from newsbrief.errors import UsageError
from newsbrief.evaluate.bootstrap import Interval, PairedTest
from newsbrief.evaluate.result import EvalResult, Row
from newsbrief.evaluate.rouge import LABELS, METRICS

KIND_NAMES = {"method": "ours", "pred": "prediction file", "system": "published"}


def ordered_rows(result: EvalResult) -> list[Row]:
    """Ours first in the order asked for, then published systems by R-1 F1, best first."""
    ours = [r for r in result.rows if r.kind != "system"]
    published = sorted((r for r in result.rows if r.kind == "system"), key=lambda r: -r.f1("rouge1"))
    return ours + published


def _pts(x: float) -> str:
    return f"{100 * x:.2f}"


def _ci(iv: Interval) -> str:
    return f"{100 * iv.mean:.2f} [{100 * iv.lo:.2f}, {100 * iv.hi:.2f}]"


def _delta(t: PairedTest) -> str:
    return f"{100 * t.diff:+.2f} [{100 * t.lo:+.2f}, {100 * t.hi:+.2f}]"


def _p(p: float, resamples: int) -> str:
    floor = 1 / (resamples + 1)
    return f"<{max(floor, 0.001):.3f}" if p <= max(floor, 0.001) else f"{p:.3f}"


def markdown_table(result: EvalResult) -> str:
    """The headline table: F1 x100 with 95% bootstrap intervals, lengths, and the paired
    test of each row against the baseline (ΔR-1 F1 with its interval, two-sided p)."""
    head = [
        "system",
        "kind",
        "n",
        *(f"{LABELS[m]} F1" for m in METRICS),
        "words",
        "sents",
        "ΔR-1 vs " + result.baseline,
        "p",
    ]
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for row in ordered_rows(result):
        test = row.vs_baseline.get("rouge1")
        if row.label == result.baseline:
            delta, p = "(baseline)", ""
        elif test is None:
            delta, p = "n/a", ""
        else:
            delta, p = _delta(test), _p(test.p_value, test.resamples)
        cells = [
            row.label,
            KIND_NAMES[row.kind],
            str(row.n),
            *(_ci(row.intervals[m]["f1"]) for m in METRICS),
            f"{row.mean_words():.1f}",
            f"{row.mean_sentences():.2f}",
            delta,
            p,
        ]
        out.append("| " + " | ".join(cells) + " |")
    refs = "original highlights" if result.reference == "highlights" else "all references, max per metric"
    out += [
        "",
        f"{len(result.doc_ids)} documents from `{result.data_path}`; reference: {refs} "
        f"(first reference: {result.reference_words:.1f} words, {result.reference_sentences:.2f} sentences). "
        f"ROUGE F1 x100 (rouge-score, Porter stemmer, Lsum one sentence per line), mean [95% percentile "
        f"bootstrap over documents, {result.resamples} resamples, seed {result.seed}]; "
        f"p: two-sided paired bootstrap vs {result.baseline} on the documents both have.",
    ]
    if result.notes:
        out += ["", "Notes:", *(f"- {n}" for n in result.notes)]
    return "\n".join(out) + "\n"


def _iv(iv: Interval) -> dict[str, float]:
    return {"mean": 100 * iv.mean, "lo": 100 * iv.lo, "hi": 100 * iv.hi}


def results_dict(result: EvalResult) -> dict[str, Any]:
    """Everything in ``results.json``; scores in ROUGE points (x100)."""
    rows: list[dict[str, Any]] = []
    for row in ordered_rows(result):
        rows.append(
            {
                "label": row.label,
                "kind": row.kind,
                "settings": row.settings,
                "source": row.source,
                "n_docs": row.n,
                "scores": {m: {part: _iv(iv) for part, iv in row.intervals[m].items()} for m in METRICS},
                "words": row.mean_words(),
                "sentences": row.mean_sentences(),
                "vs_baseline": {
                    m: {"diff": 100 * t.diff, "lo": 100 * t.lo, "hi": 100 * t.hi, "p_value": t.p_value, "n_docs": t.n}
                    for m, t in row.vs_baseline.items()
                },
                "summarize_seconds": row.seconds if row.kind == "method" else None,
            }
        )
    return {
        "units": "ROUGE points (x100)",
        "command": result.command,
        "data_path": result.data_path,
        "n_docs": len(result.doc_ids),
        "reference": result.reference,
        "reference_length": {"words": result.reference_words, "sentences": result.reference_sentences},
        "baseline": result.baseline,
        "rouge": {
            "package": "rouge-score",
            "metrics": list(METRICS),
            "use_stemmer": True,
            "lsum": "one sentence per line; system strings split with newsbrief.nlp.sentences.split_sentences",
            "multi_reference": "per metric, the reference with the highest F1 (first on ties); its P and R",
        },
        "bootstrap": {
            "resamples": result.resamples,
            "seed": result.seed,
            "confidence": 0.95,
            "interval": "percentile, documents resampled with replacement",
            "paired_test": "two-sided; p = (1 + #{|d*_b - d| >= |d|}) / (B + 1) (shift method, "
            "Efron & Tibshirani 1993; Berg-Kirkpatrick et al. 2012)",
        },
        "created": result.created,
        "versions": result.versions,
        "seconds": result.seconds,
        "notes": result.notes,
        "rows": rows,
    }


def write_scores(result: EvalResult, path: Path) -> None:
    """One JSON line per (document, row): P/R/F1 per metric, lengths and the scored text."""
    with path.open("w", encoding="utf-8") as fh:
        for rid in result.doc_ids:
            for row in result.rows:
                if rid not in row.scores:
                    continue
                out = row.outputs[rid]
                line = {
                    "id": rid,
                    "system": row.label,
                    "kind": row.kind,
                    **{
                        m: {"p": 100 * s.precision, "r": 100 * s.recall, "f": 100 * s.f1}
                        for m, s in row.scores[rid].items()
                    },
                    "words": out.words,
                    "sentences": out.sentences,
                    "summary": out.text,
                }
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def plot_scores(result: EvalResult, path: Path) -> None:
    """Box plots of per-document R-1 and R-2 F1, one box per row, in table order."""
    from matplotlib.figure import Figure

    rows = ordered_rows(result)
    fig = Figure(figsize=(11, 1.2 + 0.35 * len(rows)), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    for ax, metric in zip(axes, ("rouge1", "rouge2"), strict=True):
        data = [[100 * s[metric].f1 for s in row.scores.values()] for row in rows]
        box = ax.boxplot(data, orientation="horizontal", patch_artist=True, widths=0.6, medianprops={"color": "black"})
        for patch, row in zip(box["boxes"], rows, strict=True):
            patch.set_facecolor("tab:orange" if row.kind != "system" else "lightsteelblue")
        ax.set_title(f"{LABELS[metric]} F1 per document")
        ax.set_xlabel("ROUGE points")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(range(1, len(rows) + 1), [r.label for r in rows])
    axes[0].invert_yaxis()
    fig.savefig(path, dpi=110)


# One colour and hatch per series, in row order: side-by-side bars stay visible even when two
# methods pick exactly the same sentences (overlaid step histograms hid one another).
SERIES_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive")
SERIES_HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")


def _dodged_hist(ax: Any, series: list[tuple[str, list[float]]], edges: list[float]) -> None:
    """One bar per series side by side inside each bin (distinct colour and hatch), with a legend."""
    import numpy as np

    width = (edges[1] - edges[0]) / (len(series) + 1)  # a gap of one bar between bins
    for k, (label, values) in enumerate(series):
        counts, _ = np.histogram(values, bins=edges)
        lefts = np.asarray(edges[:-1]) + width * (k + 0.5)
        ax.bar(
            lefts,
            counts,
            width=width,
            align="edge",
            color=SERIES_COLOURS[k % len(SERIES_COLOURS)],
            hatch=SERIES_HATCHES[k % len(SERIES_HATCHES)],
            edgecolor="black",
            linewidth=0.5,
            label=f"{label} ({len(values)})",
        )
    ax.legend(fontsize="small", title="method (highlights)", title_fontsize="small")
    ax.grid(axis="y", alpha=0.3)


def plot_positions(result: EvalResult, path: Path) -> bool:
    """Where our picked highlights start in the article: relative position of each
    highlight's first span (start / len(body)) and its body sentence index. Published
    systems have no spans and are left out. Returns False when no row has positions."""
    rows = [r for r in result.rows if r.kind != "system" and r.positions()]
    if not rows:
        return False
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4), layout="constrained")
    left, right = fig.subplots(1, 2)
    bins = 20
    _dodged_hist(left, [(r.label, r.positions()) for r in rows], [i / bins for i in range(bins + 1)])
    left.set_xlim(0, 1)
    left.set_xlabel("highlight start / article length")
    left.set_ylabel("highlights")
    left.set_title("Relative position of picked text")
    cap = 15
    with_index = [(r.label, [float(min(i, cap)) for i in r.sentence_indices()]) for r in rows if r.sentence_indices()]
    if with_index:
        _dodged_hist(right, with_index, [i - 0.5 for i in range(cap + 2)])
    right.set_xlim(-0.5, cap + 0.5)
    right.set_xlabel(f"body sentence index (0 = first; {cap} = {cap} or later)")
    right.set_title("Sentence index of picked text")
    fig.savefig(path, dpi=110)
    return True


def write_report(result: EvalResult, out_dir: Path) -> dict[str, Path]:
    """Write every output into ``out_dir`` (created if needed); returns them by name."""
    if importlib.util.find_spec("matplotlib") is None:
        raise UsageError("writing the report plots needs matplotlib: pip install 'newsbrief[eval]'")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "table": out_dir / "results.md",
        "results": out_dir / "results.json",
        "scores": out_dir / "scores.jsonl",
        "score_plot": out_dir / "scores.png",
        "position_plot": out_dir / "positions.png",
    }
    header = f"Command: `{result.command}`\n\n" if result.command else ""
    paths["table"].write_text(header + markdown_table(result), encoding="utf-8")
    data = results_dict(result)
    paths["results"].write_text(json.dumps(_finite(data), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_scores(result, paths["scores"])
    plot_scores(result, paths["score_plot"])
    if not plot_positions(result, paths["position_plot"]):
        del paths["position_plot"]
    return paths


def _finite(value: Any) -> Any:
    """NaN is not JSON: write it as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
