"""Body extraction from HTML: our reader against trafilatura alone, on the dev pages' HTML.

What it measures
----------------
On the 99 pages of ``../shared/data/dev/pages.jsonl.gz`` the body our HTML reader
(``newsbrief.ingest.html.read_html``) recovers from the page's ``html`` is scored against the
hand-checked ``body`` with the article-extraction-benchmark's own metric: word 4-gram shingles
of ``\\w+`` tokens, TP/FP/FN per page normalised to sum 1, precision and recall averaged over
pages, F1 of the two means. trafilatura alone (``trafilatura.extract(html)``, its defaults) is
scored on the same HTML.

The one thing fitted is which trafilatura options our reader passes (a handful of candidate
sets). It is chosen by 5-fold cross-validation: on each fold the set with the best F1 on the
other four folds is scored on the held-out fold; the held-out figures are what counts. The
script also counts the pages where trafilatura finds text and our reader raises.

Run from the repository root (about a minute)::

    .venv/bin/python bench/pages_html.py [--pages ../shared/data/dev/pages.jsonl.gz] [--out bench/results/pages_html.md]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsbrief.errors import InputError  # noqa: E402
from newsbrief.ingest.html import EXTRACTOR_OPTIONS, read_html  # noqa: E402

PAGES = ROOT.parent / "shared" / "data" / "dev" / "pages.jsonl.gz"
OUT = ROOT / "bench" / "results" / "pages_html.md"
FOLDS = 5
# The candidate option sets for trafilatura inside our reader.
CANDIDATES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "no comments": {"include_comments": False, "include_tables": True},
    "no comments, no tables": {"include_comments": False, "include_tables": False},
    "no comments, favor_recall": {"include_comments": False, "favor_recall": True},
    "no comments, favor_precision": {"include_comments": False, "include_tables": True, "favor_precision": True},
}

# --- the benchmark's metric -------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
Match = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[str]:
    toks = _TOKEN.findall(text or "")
    return Counter(" ".join(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def match(true: str, pred: str) -> Match:
    """TP, FP, FN of shingles, normalised to sum 1 so that long pages weigh no more than short ones."""
    t, p = shingles(true), shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def prf(matches: Sequence[Match]) -> dict[str, float]:
    """Precision and recall averaged over pages, F1 of the two means (the benchmark's definition)."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (tp / (tp + fp) if tp else 0.0)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (tp / (tp + fn) if tp else 0.0)

    ps = [precision(*m) for m in matches if m[0] + m[1] > 0]
    rs = [recall(*m) for m in matches if m[0] + m[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# --- systems ----------------------------------------------------------------------------


def trafilatura_alone(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def ours(options: dict[str, Any], *, headings_in_body: bool = False) -> Callable[[str], str]:
    def run(html: str) -> str:
        try:
            return read_html(html, options=options, headings_in_body=headings_in_body).body
        except InputError:
            return ""

    return run


def run_system(pages: list[dict[str, Any]], system: Callable[[str], str]) -> tuple[list[Match], list[bool], float]:
    matches, empty = [], []
    start = time.perf_counter()
    for page in pages:
        text = system(page["html"])
        matches.append(match(page["body"], text))
        empty.append(not text.strip())
    return matches, empty, time.perf_counter() - start


def cross_validate(per_candidate: dict[str, list[Match]], trafilatura: list[Match]) -> list[dict[str, Any]]:
    n = len(trafilatura)
    folds = []
    for k in range(FOLDS):
        test = [i for i in range(n) if i % FOLDS == k]
        train = [i for i in range(n) if i % FOLDS != k]
        best = max(per_candidate, key=lambda c: prf([per_candidate[c][i] for i in train])["f1"])
        folds.append(
            {
                "fold": k,
                "pages": len(test),
                "chosen": best,
                "ours": prf([per_candidate[best][i] for i in test]),
                "trafilatura": prf([trafilatura[i] for i in test]),
            }
        )
    return folds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    with gzip.open(args.pages, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f]

    traf, traf_empty, traf_time = run_system(pages, trafilatura_alone)
    per_candidate: dict[str, list[Match]] = {}
    rows: list[dict[str, Any]] = [{"system": "trafilatura alone (defaults)", **prf(traf), "seconds": traf_time}]
    raised: list[str] = []
    for name, options in CANDIDATES.items():
        matches, empty, seconds = run_system(pages, ours(options))
        per_candidate[name] = matches
        rows.append({"system": f"ours, trafilatura {name}", **prf(matches), "seconds": seconds})
        if options == dict(EXTRACTOR_OPTIONS):
            raised = [p["url"] for p, e, te in zip(pages, empty, traf_empty, strict=True) if e and not te]
    headings, _, seconds = run_system(pages, ours(dict(EXTRACTOR_OPTIONS), headings_in_body=True))
    rows.append({"system": "ours, shipped options, `headings_in_body=True`", **prf(headings), "seconds": seconds})
    folds = cross_validate(per_candidate, traf)
    for f in folds:
        f["headings_in_body"] = prf([m for i, m in enumerate(headings) if i % FOLDS == f["fold"]])
    held_out = {
        "ours_f1": statistics.mean(f["ours"]["f1"] for f in folds),
        "trafilatura_f1": statistics.mean(f["trafilatura"]["f1"] for f in folds),
    }
    write_report(args.out, pages, rows, folds, held_out, raised)
    print(f"held-out F1: ours {held_out['ours_f1']:.3f}, trafilatura {held_out['trafilatura_f1']:.3f} -> {args.out}")
    return 0


def write_report(
    out: Path,
    pages: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    folds: list[dict[str, Any]],
    held_out: dict[str, float],
    raised: list[str],
) -> None:
    import trafilatura

    shipped = next(name for name, o in CANDIDATES.items() if o == dict(EXTRACTOR_OPTIONS))
    lines = [
        "# HTML body extraction: newsbrief vs trafilatura on the dev pages",
        "",
        f"{len(pages)} pages of `../shared/data/dev/pages.jsonl.gz`, their `html` against the hand-checked",
        "`body`; metric: the article-extraction-benchmark's word 4-gram shingles (`\\w+` tokens), TP/FP/FN",
        "per page normalised to sum 1, P and R averaged over pages, F1 of the two means.",
        f"trafilatura {trafilatura.__version__}. Reproduce: `.venv/bin/python bench/pages_html.py`.",
        "",
        "## Held-out folds (what counts)",
        "",
        "The trafilatura options our reader passes are the only thing chosen: on each fold, the candidate",
        "with the best F1 on the other four folds (pages `i % 5 != k`) is scored on the held-out fold.",
        "",
        "| fold | pages | chosen on the other folds | ours P | ours R | ours F1 | trafilatura F1 | ours, headings in body, F1 |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for f in folds:
        o, t = f["ours"], f["trafilatura"]
        lines.append(
            f"| {f['fold']} | {f['pages']} | {f['chosen']} | {o['precision']:.3f} | {o['recall']:.3f} | {o['f1']:.3f} "
            f"| {t['f1']:.3f} | {f['headings_in_body']['f1']:.3f} |"
        )
    lines += [
        f"| **mean** | | | | | **{held_out['ours_f1']:.3f}** | {held_out['trafilatura_f1']:.3f} "
        f"| {statistics.mean(f['headings_in_body']['f1'] for f in folds):.3f} |",
        "",
        f"Shipped (`EXTRACTOR_OPTIONS` in `src/newsbrief/ingest/html.py`): **{shipped}**.",
        f'Pages where trafilatura finds text and our reader raises "no article text": **{len(raised)}**'
        + (f" ({', '.join(raised)})" if raised else "")
        + ".",
        "",
        "## Every candidate on all pages (in-sample, for reading the table above)",
        "",
        "| system | P | R | F1 | s (all pages, 1 core) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        seconds = f"{r['seconds']:.1f}" if "seconds" in r else ""
        lines.append(f"| {r['system']} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {seconds} |")
    lines += [
        "",
        "What our reader adds to trafilatura's body and what it costs: the repeated headline, an opening",
        "agency dateline (`ST. JOSEPH, Mich. (AP) —`), a highlights block, media file names and durations",
        "and short certain furniture lines (`Scroll down for video`, `Photo: ...`) are moved out of the",
        "body, and subheadings are kept as `heading` blocks (README: subheadings kept apart). The",
        "benchmark's bodies include subheadings, so that last choice costs recall on listicles and deal",
        "pages (ign.com deals: recall 0.25 against trafilatura's 0.88), and fold 1 falls below",
        "trafilatura; `headings_in_body=True` (last column, no fitting involved) keeps them in place.",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = {"rows": rows, "folds": folds, "held_out": held_out, "raised": raised, "shipped": shipped}
    out.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
