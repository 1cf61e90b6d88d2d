"""How fast is the checker with the article index reused, and where does a check spend its time?

The figure issue 14 asks for: learned checks per second (``check.learned.score``: the lexical
check plus the fitted model) with each article's ``ArticleIndex`` built once and reused, on
one core, over every fourth dev summary (430: QAGS-CNN dev and SummEval). Timed two ways,
best of ``--passes``: wall clock, and the process's CPU time (``time.process_time``), which a
machine shared with other work inflates less. The ``--stages`` breakdown times each step of
a sentence's check alone over the same sentences (CPU time), to show what to make faster.

    .venv/bin/python bench/checker_speed.py [--stages]     # prints JSON
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import fit_checker as FC  # noqa: E402  (a sibling script, not a package)
from newsbrief import faithfulness as F  # noqa: E402
from newsbrief.check import features as X  # noqa: E402
from newsbrief.check import learned as L  # noqa: E402
from newsbrief.nlp.stem import stem  # noqa: E402
from newsbrief.nlp.tokens import tokens  # noqa: E402


def _best(fn: Callable[[], object], clock: Callable[[], float], passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        t = clock()
        fn()
        best = min(best, clock() - t)
    return best


def speed(rows: list[dict[str, Any]], idx: list[F.ArticleIndex], passes: int = 5) -> dict[str, Any]:
    """Learned checks and lexical checks per second, index reused, one core (see the docstring)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    model = L.load_model()
    sample = list(zip(idx, [r["summary"] for r in rows], strict=True))[::4]
    for ix, summary in sample:  # warm: the per-article caches (n-grams, windows) are built once
        L.score(ix, summary, model)

    def learned() -> None:
        for ix, summary in sample:
            L.score(ix, summary, model)

    def lexical() -> None:
        for ix, summary in sample:
            F.check(ix, summary)

    out: dict[str, Any] = {"summaries": len(sample), "passes": passes}
    for name, clock in (("wall", time.perf_counter), ("cpu", time.process_time)):
        out[f"learned_checks_per_s_{name}"] = round(len(sample) / _best(learned, clock, passes), 1)
        out[f"faithfulness_checks_per_s_{name}"] = round(len(sample) / _best(lexical, clock, passes), 1)
    out["cpu_count"] = os.cpu_count()
    out["load_average"] = [round(v, 2) for v in os.getloadavg()] if hasattr(os, "getloadavg") else None
    return out


def stages(rows: list[dict[str, Any]], idx: list[F.ArticleIndex], passes: int = 5) -> dict[str, float]:
    """CPU milliseconds of each step of ``faithfulness.check`` over the sample's sentences, and
    of the learned model's features (``check.features``) given the lexical report."""
    sample = list(zip(idx, [r["summary"] for r in rows], strict=True))[::4]
    units = [(ix, text) for ix, summary in sample for _, text in F._pieces(F._units(summary), [])]
    pre = []
    for ix, text in units:
        toks = tokens(text)
        st = [stem(t) for t, _, _ in toks]
        feats, window = F._features(ix, st, set())
        pre.append((ix, text, toks, st, feats, window))
    reports = [F.check(ix, summary) for ix, summary in sample]
    steps: dict[str, Callable[[], object]] = {
        "check (whole)": lambda: [F.check(ix, s) for ix, s in sample],
        "tokens and stems": lambda: [[stem(t) for t, _, _ in tokens(text)] for _, text in units],
        "overlap features": lambda: [F._features(ix, st, set()) for ix, _, _, st, _, _ in pre],
        "numbers": lambda: [F._number_issues(ix, text, w, toks) for ix, text, toks, _, _, w in pre],
        "names": lambda: [F._entity_issues(ix, text, toks) for ix, text, toks, _, _, _ in pre],
        "quotes": lambda: [F._quote_issues(ix, text, set()) for ix, text, _, _, _, _ in pre],
        "negations": lambda: [F._negation_issues(ix, toks, w) for ix, _, toks, _, _, w in pre],
        "contrary verbs": lambda: [F._verb_issues(ix, toks, w) for ix, _, toks, _, _, w in pre],
        "swapped roles": lambda: [
            F._role_issues(ix, text, toks, st, w) for ix, text, toks, st, f, w in pre if f["window_lcs"] < 1.0
        ],
        "learned features (report given)": lambda: [
            X.summary_features(ix, s, r, full=False) for (ix, s), r in zip(sample, reports, strict=True)
        ],
    }
    return {name: round(1000 * _best(fn, time.process_time, passes), 1) for name, fn in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--stages", action="store_true", help="also time each step of a check")
    args = parser.parse_args()
    rows = FC.load()
    idx = FC.indexes(rows)
    result: dict[str, Any] = {"speed": speed(rows, idx, args.passes)}
    if args.stages:
        result["stages_cpu_ms"] = stages(rows, idx, args.passes)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
