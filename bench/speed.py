"""Speed and memory of parse + summarize, per method, on one core.

What it measures
----------------
* articles/s (wall time) and articles per CPU-second (``time.process_time``, steadier on a
  loaded machine) for parse + summarize over a corpus built by repeating the dev articles
  (``../shared/data/dev/summeval.jsonl``) to at least ``--docs`` articles (default 5,000); each
  method runs in its own fresh process pinned to one CPU, so its peak RSS (``ru_maxrss``) is
  its own;
* each method's speed as a ratio to ``lead`` measured in the same run, so results compare
  across noisy machines;
* CLI start-up: wall time of ``newsbrief --version`` and of ``newsbrief summarize`` on the
  sample article (median of ``--startup-runs`` runs).

Run from the repository root::

    .venv/bin/python bench/speed.py [--method lead --method lead-words ...] [--docs 5000]

Results go to ``bench/results/speed.json`` and ``bench/results/speed.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev" / "summeval.jsonl"
SAMPLE = REPO / "tests" / "fixtures" / "cnn-erdogan-putin.txt"


def load_corpus(path: Path, docs: int) -> list[str]:
    articles = [json.loads(line)["article"] for line in path.open(encoding="utf-8") if line.strip()]
    reps = -(-docs // len(articles))
    return (articles * reps)[: max(docs, len(articles))]


def worker(method: str, settings: dict[str, Any], data: Path, docs: int, repeats: int) -> dict[str, Any]:
    """Runs inside a fresh process: time parse+summarize over the corpus, report peak RSS."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import newsbrief

    corpus = load_corpus(data, docs)
    summarizer = newsbrief.get_summarizer(method, **settings)
    for text in corpus[:50]:  # warm-up: imports, regex compilation, caches
        summarizer.summarize(newsbrief.parse_text(text))
    best = best_cpu = float("inf")
    highlights = 0
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        highlights = 0
        for text in corpus:
            highlights += len(summarizer.summarize(newsbrief.parse_text(text)).highlights)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return {
        "method": method,
        "settings": settings,
        "docs": len(corpus),
        "seconds": best,
        "articles_per_s": len(corpus) / best,
        "cpu_seconds": best_cpu,
        "articles_per_cpu_s": len(corpus) / best_cpu,
        "highlights": highlights,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(method: str, settings: dict[str, Any], data: Path, docs: int, repeats: int) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        json.dumps({"method": method, "settings": settings, "data": str(data), "docs": docs, "repeats": repeats}),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup(runs: int) -> dict[str, float]:
    exe = Path(sys.executable).parent / "newsbrief"
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsbrief"]
    result = {}
    for name, args in (("version", ["--version"]), ("summarize_sample", ["summarize", str(SAMPLE)])):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(base + args, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        result[name] = statistics.median(times)
    return result


def parse_method(spec: str) -> tuple[str, dict[str, Any]]:
    """``name`` or ``name:key=value,key=value`` (numbers converted)."""
    name, _, rest = spec.partition(":")
    settings: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        try:
            settings[key] = int(value)
        except ValueError:
            try:
                settings[key] = float(value)
            except ValueError:
                settings[key] = value
    return name, settings


def render(report: dict[str, Any]) -> str:
    lines = [
        "# Speed and memory: parse + summarize, one core",
        "",
        f"- Command: `{report['command']}`",
        f"- Date: {report['date']}; Python {report['python']} on {report['platform']}",
        f"- Corpus: {report['docs']} articles (dev articles repeated), best of {report['repeats']} passes; "
        "each method in a fresh process pinned to one CPU",
        "",
        "| method | articles/s (wall) | articles per CPU-second | ratio to lead | peak RSS (MB) | highlights |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["methods"]:
        label = r["method"] + (f" {r['settings']}" if r["settings"] else "")
        lines.append(
            f"| {label} | {r['articles_per_s']:,.0f} | {r['articles_per_cpu_s']:,.0f} | {r['ratio_to_lead']:.2f} | "
            f"{r['peak_rss_mb']:.0f} | {r['highlights']:,} |"
        )
    s = report["startup_s"]
    lines += [
        "",
        "Wall time is what a user waits on an idle core; on a shared, loaded machine other processes take the",
        "core in turns, so CPU time (``time.process_time`` of the worker: parse + summarize, this process only)",
        "is the steadier figure there. The ratio to lead is of CPU-time speeds.",
    ]
    lines += [
        "",
        f"CLI start-up (median of {report['startup_runs']} runs): `newsbrief --version` {s['version'] * 1000:.0f} ms, "
        f"`newsbrief summarize` on the sample article {s['summarize_sample'] * 1000:.0f} ms.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--method", action="append", default=None, help="method or method:key=value (repeatable)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--startup-runs", type=int, default=10)
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "speed")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        spec = json.loads(args.worker)
        print(json.dumps(worker(spec["method"], spec["settings"], Path(spec["data"]), spec["docs"], spec["repeats"])))
        return
    specs = [parse_method(m) for m in (args.method or ["lead", "lead-words"])]
    if "lead" not in [name for name, _ in specs]:
        specs.insert(0, ("lead", {}))
    results = [run_worker(name, settings, args.data, args.docs, args.repeats) for name, settings in specs]
    lead = next(r for r in results if r["method"] == "lead")
    for r in results:
        r["ratio_to_lead"] = r["articles_per_cpu_s"] / lead["articles_per_cpu_s"]
    report = {
        "command": "python bench/speed.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "docs": results[0]["docs"],
        "repeats": args.repeats,
        "methods": results,
        "startup_runs": args.startup_runs,
        "startup_s": startup(args.startup_runs),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    md = render(report)
    args.out.with_suffix(".md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
