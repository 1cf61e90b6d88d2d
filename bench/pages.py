"""Body extraction from real pages' scraped text: held-out F1, highlight provenance, speed.

What it measures, on the 99 dev pages of ``../shared/data/dev/pages.jsonl.gz``
------------------------------------------------------------------------------
* body F1 of ``parse`` on each page's scraped ``text`` against the hand-checked ``body``,
  with the article-extraction-benchmark's own metric: word 4-gram shingles of ``\\w+``
  tokens, TP/FP/FN per page normalised to sum 1, precision and recall averaged over pages
  (a page counts for precision only when something was predicted, for recall only when the
  gold body is non-empty), F1 of the two means;
* by 5-fold cross-validation: the fold of a page is ``sha1(id) % 5``, fixed before any
  fitting; the line model is fitted on four folds (``bench/fit_lines.py``) and scored on the
  fifth. Only these held-out figures are claims. The shipped weights are fitted on all 99
  pages; their in-sample figure is reported too, labelled as such;
* the share of default highlights (``highlights`` method) whose spans come from the true
  body (a highlight is "from the body" when most of its 4-gram shingles, or for a short one
  its token sequence, are in the gold body), held out;
* pages/s of ``parse`` of the scraped text on one core (analysis aside), best of 3 passes, by
  CPU time and by the wall clock.

Run from the repository root::

    .venv/bin/python bench/pages.py            # CV + in-sample + speed -> bench/results/pages.{md,json}
    .venv/bin/python bench/pages.py --baseline # also score the whole text and the 10-line filter
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO.parent / "shared" / "data" / "dev" / "pages.jsonl.gz"
RESULTS = REPO / "bench" / "results"
N_FOLDS = 5
_TOKEN = re.compile(r"\w+")


def load_pages(path: Path = PAGES) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fold_of(page_id: str) -> int:
    """The page's fold: a hash of its id, so the assignment never depends on the order or the code."""
    return int(hashlib.sha1(page_id.encode("utf-8")).hexdigest(), 16) % N_FOLDS


# --- the benchmark's metric -------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter[str]:
    toks = tokens(text)
    return Counter(" ".join(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def match(true: str, pred: str) -> tuple[float, float, float]:
    """TP, FP, FN of shingles, normalised to sum 1 so that long pages weigh no more than short ones."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp else 0.0


def prf(matches: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Precision and recall averaged over pages, F1 of the two means (the benchmark's definition)."""
    ps = [_precision(*m) for m in matches if m[0] + m[1] > 0]
    rs = [_recall(*m) for m in matches if m[0] + m[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r, "pages": len(matches)}


def from_body(text: str, body_shingles: Counter[str], body_tokens: str) -> bool:
    """Whether a highlight's text comes from the gold body."""
    sh = shingles(text)
    toks = tokens(text)
    if len(toks) < 4:
        return " ".join(toks) in body_tokens
    return sum(1 for s in sh if s in body_shingles) >= 0.5 * len(sh)


# --- the extractors scored --------------------------------------------------------------


def ten_line_filter(text: str) -> str:
    """The issue's reference point: keep lines of >= 10 words that end like a sentence."""
    keep = [s.strip() for s in text.splitlines() if len(s.split()) >= 10 and re.search(r"[.!?\"”’]\s*$", s)]
    return "\n\n".join(keep)


def score(pages: Iterable[dict[str, Any]], extract: Callable[[str], str]) -> dict[str, Any]:
    matches = [match(p["body"], extract(p["text"])) for p in pages]
    return prf(matches)


def parse_page(text: str, model: Any | None = None) -> Any:
    """``parse_text`` as the CLI runs it, with ``model`` (None: the shipped line model)."""
    from newsbrief.ingest import detect_format, parse_text
    from newsbrief.ingest.text import read_plain, read_scraped

    if model is None:
        return parse_text(text)
    fmt = detect_format(text)
    if fmt == "scraped":
        return read_scraped(text, model=model)
    if fmt == "plain":
        return read_plain(text, model=model)
    return parse_text(text)


def highlight_provenance(
    parsed: Sequence[tuple[dict[str, Any], Any]], floor: float | None = None
) -> tuple[int, int, list[str]]:
    """Default highlights of parsed pages: how many, how many from the gold body, and the others.
    ``floor``: the summarizer's confidence floor (None: the shipped one)."""
    from newsbrief.summarize.highlights import HighlightsSummarizer

    summarizer = HighlightsSummarizer() if floor is None else HighlightsSummarizer(confidence_floor=floor)
    n_high = n_from_body = 0
    furniture: list[str] = []
    for page, article in parsed:
        if not article.sentences:
            continue
        body_sh = shingles(page["body"])
        body_tok = " ".join(tokens(page["body"]))
        for h in summarizer.summarize(article).highlights:
            n_high += 1
            if from_body(h.text, body_sh, body_tok):
                n_from_body += 1
            else:
                furniture.append(f"{page['id'][:12]}: {h.text[:100]}")
    return n_high, n_from_body, furniture


def evaluate_reader(pages: Sequence[dict[str, Any]], model: Any | None, floor: float | None = None) -> dict[str, Any]:
    """Body F1 and highlight provenance of the reader with ``model`` (None: the shipped one) and
    the summarizer's confidence ``floor`` (None: the shipped one)."""
    parsed = [(page, parse_page(page["text"], model)) for page in pages]
    out = prf([match(page["body"], article.body) for page, article in parsed])
    n_high, n_from_body, furniture = highlight_provenance(parsed, floor)
    out["highlights"] = n_high
    out["highlights_from_body"] = n_from_body / n_high if n_high else 1.0
    out["furniture_highlights"] = furniture
    return out


# Confidence floors tried (0: off). The floor is chosen on a fold's training pages only, from
# their inner-CV parses (each training fold read by a model fitted on the other three), so that
# the confidences it is chosen on are held-out ones, as the test fold's will be.
FLOORS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def inner_parses(pages: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], Any]]:
    """Each page parsed by a line model fitted on the pages of the other folds among ``pages``."""
    import fit_lines

    out = []
    for k in sorted({fold_of(p["id"]) for p in pages}):
        model = fit_lines.fit([p for p in pages if fold_of(p["id"]) != k])
        out += [(p, parse_page(p["text"], model)) for p in pages if fold_of(p["id"]) == k]
    return out


def choose_floor(parsed: Sequence[tuple[dict[str, Any], Any]]) -> tuple[float, dict[float, float]]:
    """The floor with the largest share of highlights from the gold body (ties: the lower)."""
    shares = {}
    for floor in FLOORS:
        n_high, n_from, _ = highlight_provenance(parsed, floor)
        shares[floor] = n_from / n_high if n_high else 1.0
    best = max(FLOORS, key=lambda f: (round(shares[f], 6), -f))
    return best, shares


def cross_validate(pages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    import fit_lines

    folds: list[dict[str, Any]] = []
    all_matches: list[tuple[float, float, float]] = []
    all_parsed: list[tuple[dict[str, Any], Any]] = []
    n_high = n_from = 0
    furniture: list[str] = []
    for k in range(N_FOLDS):
        train = [p for p in pages if fold_of(p["id"]) != k]
        test = [p for p in pages if fold_of(p["id"]) == k]
        model = fit_lines.fit(train)
        floor, shares = choose_floor(inner_parses(train))
        res = evaluate_reader(test, model, floor)
        res["confidence_floor"] = floor
        res["floor_shares_on_training"] = {str(f): round(v, 4) for f, v in shares.items()}
        folds.append({"fold": k, **{key: v for key, v in res.items() if key != "furniture_highlights"}})
        held_out = [(p, parse_page(p["text"], model)) for p in test]
        all_parsed += held_out
        all_matches += [match(p["body"], article.body) for p, article in held_out]
        n_high += res["highlights"]
        n_from += round(res["highlights_from_body"] * res["highlights"])
        furniture += res["furniture_highlights"]
        print(
            f"fold {k}: F1 {res['f1']:.3f} P {res['precision']:.3f} R {res['recall']:.3f} ({len(test)} pages); "
            f"floor {floor} (training {shares[floor]:.3f}), highlights {res['highlights_from_body']:.3f}"
        )
    pooled = prf(all_matches)
    # the floor to ship (candidates.CONFIDENCE_FLOOR): chosen the same way on all 99 pages'
    # held-out parses, as the shipped weights are fitted on all 99 pages
    shipped_floor, shipped_shares = choose_floor(all_parsed)
    return {
        "shipped_floor": shipped_floor,
        "shipped_floor_shares": {str(f): round(v, 4) for f, v in shipped_shares.items()},
        "folds": folds,
        "pooled": pooled,
        "mean_f1": statistics.mean(f["f1"] for f in folds),
        "highlights": n_high,
        "highlights_from_body": n_from / n_high if n_high else 1.0,
        "furniture_highlights": furniture,
    }


def speed(pages: Sequence[dict[str, Any]], passes: int = 3) -> dict[str, float]:
    """Pages/s of parse_text on the scraped text (no analysis, no summary), best of ``passes``:
    by the wall clock, and by this process's CPU time (what one core gives when the machine is
    shared with other jobs, as the wall clock then is not). Also the CPU seconds of two of its
    parts on the same pages: the certain rules (splitting and ruling the lines) and the line
    model (features and both stages, on the ruled lines)."""
    from newsbrief.ingest import parse_text
    from newsbrief.ingest.lines import default_model
    from newsbrief.ingest.page import ruled_units

    def best_cpu_of(run: Callable[[], object]) -> float:
        best = float("inf")
        for _ in range(passes):
            c0 = time.process_time()
            run()
            best = min(best, time.process_time() - c0)
        return best

    best_wall = best_cpu = float("inf")
    for _ in range(passes):
        t0, c0 = time.perf_counter(), time.process_time()
        for p in pages:
            parse_text(p["text"])
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    units = [ruled_units(p["text"]) for p in pages]
    model = default_model()
    return {
        "wall": len(pages) / best_wall,
        "cpu": len(pages) / best_cpu,
        "cpu_s": best_cpu,
        "rules_cpu_s": best_cpu_of(lambda: [ruled_units(p["text"]) for p in pages]),
        "model_cpu_s": best_cpu_of(lambda: [model.probabilities(u) for u in units]),
    }


def huge_inputs() -> dict[str, float]:
    """Seconds to parse inputs that would expose quadratic work: one 5 MB line, 100,000 short
    lines, 100,000 sentence lines (one pass each)."""
    from newsbrief.ingest import parse_text

    cases = {
        "one 5 MB line": "word " * 1_000_000,
        "100,000 short lines": "\n".join(f"Short line {i}" for i in range(100_000)),
        "100,000 sentence lines": "\n".join(
            f"This is sentence {i} of a long text about nothing." for i in range(100_000)
        ),
    }
    out = {}
    for name, text in cases.items():
        t0 = time.perf_counter()
        parse_text(text, format="scraped")
        out[name] = time.perf_counter() - t0
    return out


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def write_report(result: dict[str, Any], out: Path) -> None:
    cv = result["cv"]
    lines = [
        "# Body extraction from scraped page text (issue 12)",
        "",
        f"Command: `{result['command']}`  ",
        f"Date: {result['date']}; {result['machine']}; speed {result['pinning']}.",
        "",
        "Data: the 99 dev pages of `../shared/data/dev/pages.jsonl.gz`, scraped `text` against the",
        "hand-checked `body`; metric: the article-extraction-benchmark's word 4-gram shingles, TP/FP/FN",
        "normalised per page, precision and recall averaged over pages, F1 of the two means.",
        "",
        "## Held out (5-fold CV, fold = sha1(page id) % 5; fitted on four folds, scored on the fifth)",
        "",
        "| fold | pages | F1 | precision | recall | highlights from the true body | confidence floor (from training) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in cv["folds"]:
        lines.append(
            f"| {f['fold']} | {f['pages']} | {f['f1']:.3f} | {f['precision']:.3f} | {f['recall']:.3f} | "
            f"{f['highlights_from_body']:.1%} of {f['highlights']} | {f['confidence_floor']} |"
        )
    p = cv["pooled"]
    lines += [
        f"| **mean of folds** | | **{cv['mean_f1']:.3f}** | "
        f"{statistics.mean(f['precision'] for f in cv['folds']):.3f} | "
        f"{statistics.mean(f['recall'] for f in cv['folds']):.3f} | | |",
        f"| all 99 held-out pages pooled | {p['pages']} | {p['f1']:.3f} | {p['precision']:.3f} | {p['recall']:.3f} | "
        f"**{cv['highlights_from_body']:.1%}** of {cv['highlights']} | |",
        "",
    ]
    lines += [
        "What was chosen by looking at these held-out figures: the feature set (a few rounds of adding",
        "and dropping features) and, earlier, the fit's L2, line-length power and views. Weights and",
        "thresholds are fitted on the training folds only. The selection makes the figure somewhat",
        "optimistic; single pages flipping move a fold by 0.02-0.05, so differences under 0.005 are noise.",
        "The last two features (`redundant_next_2`, `restating_run_start`: a dek restates the lead below",
        "it) were also checked by an inner 4-fold CV on each outer fold's training pages only: the inner",
        "figures keep them on folds 0, 1 and 4 and not on 2 and 3; the held-out result of that per-fold",
        "choice (mean F1 0.922, highlights 94.6%) is the table's within 0.001.",
        "",
        "Two certain rules then took the held-out highlights from 94.6% to 96.4% (floor 0 below): a date",
        "+ author line (`November 20, 2019 Emiliano Bellini`) is a byline, `NAME for OUTLET` and",
        "`NAME/Getty` credits are captions (`patterns.DATE_AUTHOR`, `CREDIT_FOR`, `AGENCY_SLASH`).",
        "",
        "The highlights engine passes over sentences of paragraphs the reader kept with a line-model",
        "probability below a confidence floor, when at least three usable sentences of surer paragraphs",
        "remain (`summarize.candidates.unsure_sentences`; it changes no body, so F1 is untouched). Each",
        f"fold's floor is chosen from {', '.join(str(f) for f in FLOORS)} (0: off)",
        "on its training pages only, read by an inner 4-fold CV (fit on three training folds, read the",
        "fourth) so that the confidences it is chosen on are held-out ones; the test fold is then read",
        "with that floor. The grid and the three sure sentences were set before the first run and not",
        "changed; the per-fold floors (0.6-0.85) show the choice is noisy on 80 pages.",
        "The shipped floor (`CONFIDENCE_FLOOR`) is chosen the same way on all 99 held-out reads:",
        f"**{cv['shipped_floor']}** (share of highlights from the body by floor: "
        + ", ".join(f"{k}: {v:.1%}" for k, v in cv["shipped_floor_shares"].items())
        + "; in-sample, not a claim).",
        "",
    ]
    if cv["furniture_highlights"]:
        lines += ["Held-out default highlights not from the true body:", ""]
        lines += [f"- `{h}`" for h in cv["furniture_highlights"]]
        lines.append("")
    ins = result["in_sample"]
    lines += [
        "## Reference points (all 99 pages)",
        "",
        "| extractor | F1 | precision | recall |",
        "|---|---:|---:|---:|",
    ]
    lines.append(
        "| `newsbrief parse` before issue 12 (commit 3a3e202; figure from the issue) | 0.766 | 0.638 | 0.960 |"
    )
    for name, r in result.get("baselines", {}).items():
        lines.append(f"| {name} | {r['f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} |")
    lines += [
        f"| shipped weights (fitted on all 99 pages: in-sample, not a claim) | {ins['f1']:.3f} | "
        f"{ins['precision']:.3f} | {ins['recall']:.3f} |",
        "",
        "## Speed",
        "",
        f"`parse_text` of the scraped text, no analysis, on one core (best of 3 passes over the 99 pages): "
        f"**{result['pages_per_s']['cpu']:.0f} pages/s** of CPU time, {result['pages_per_s']['wall']:.0f} "
        f"pages/s by the wall clock (the machine was shared with other jobs, load average {result['load']:.1f}). "
        f"Of the {result['pages_per_s']['cpu_s']:.2f} CPU seconds a pass takes, the line model (features and "
        f"both stages) takes {result['pages_per_s']['model_cpu_s']:.2f} s "
        f"({result['pages_per_s']['model_cpu_s'] / result['pages_per_s']['cpu_s']:.0%}) and the certain rules "
        f"(splitting and ruling the lines) {result['pages_per_s']['rules_cpu_s']:.2f} s "
        f"({result['pages_per_s']['rules_cpu_s'] / result['pages_per_s']['cpu_s']:.0%}).",
        "",
        "Huge inputs (one pass each): "
        + "; ".join(f"{k}: {v:.1f} s" for k, v in result["huge_inputs_s"].items())
        + ".",
        "",
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=PAGES)
    ap.add_argument("--baseline", action="store_true", help="also score the whole text and the 10-line filter")
    ap.add_argument("--out", type=Path, default=RESULTS / "pages")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    pages = load_pages(args.pages)
    result: dict[str, Any] = {
        "command": "python bench/pages.py" + (" " + shlex.join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ""),
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}",
    }
    if args.baseline:
        result["baselines"] = {
            "whole scraped text": score(pages, lambda t: t),
            "10-line filter (>= 10 words, ends like a sentence)": score(pages, ten_line_filter),
        }
    result["cv"] = cross_validate(pages)
    from newsbrief.summarize.candidates import CONFIDENCE_FLOOR

    if result["cv"]["shipped_floor"] != CONFIDENCE_FLOOR:
        print(f"note: the chosen floor {result['cv']['shipped_floor']} is not CONFIDENCE_FLOOR={CONFIDENCE_FLOOR}")
    result["in_sample"] = {k: v for k, v in evaluate_reader(pages, None).items() if k != "furniture_highlights"}
    result["pinning"] = _pin_one_core()
    result["pages_per_s"] = speed(pages)
    result["load"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    result["huge_inputs_s"] = huge_inputs()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    write_report(result, args.out.with_suffix(".md"))
    print(
        f"held-out mean F1 {result['cv']['mean_f1']:.3f}; highlights from body {result['cv']['highlights_from_body']:.1%}"
    )
    speeds = result["pages_per_s"]
    print(f"{speeds['cpu']:.0f} pages/s (CPU), {speeds['wall']:.0f} (wall); written {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
