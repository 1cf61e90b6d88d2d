"""Time of each library stage on hostile inputs of growing size, one core: is the work linear?

What it measures
----------------
For each hostile input shape (``SHAPES``: one sentence with no full stop, many sentences,
one giant quotation, digits, capitalised words, quote marks, brackets, ...) at each size
(default 10 KB, 100 KB, 1 MB, 5 MB) it times, in a fresh process pinned to one CPU:

* ``parse``: ``newsbrief.parse_text(text)`` (format auto);
* ``highlights`` and ``lead``: ``newsbrief.summarize`` with each method;
* ``analyze``: ``newsbrief.analyze.analyze`` (quotes, entities, numbers);
* ``check``: ``newsbrief.faithfulness.check(article, highlights)``, the check the service runs,
  and ``check_self``: the article's first 100 KB checked as a summary of the article (a long
  summary, as a client may send to ``/check``).

A stage that runs past ``--stage-limit`` seconds is killed and larger sizes of that shape are
not tried. The ``ratio`` column is seconds per MB at 5 MB over seconds per MB at 100 KB:
about 1 means linear (small sizes are dominated by fixed costs, so it is often below 1).

Run from the repository root::

    .venv/bin/python bench/hostile.py [--sizes 10000,100000,1000000,5000000] [--shape NAME ...]

Results go to ``bench/results/hostile.json`` and ``bench/results/hostile.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "results"
STAGES = ("parse", "highlights", "lead", "analyze", "check", "check_self")
DEFAULT_SIZES = (10_000, 100_000, 1_000_000, 5_000_000)

_WORDS = (
    "the president said officials in washington were told that police had arrested two men after "
    "a meeting of ministers on tuesday who would not comment but the company reported profits of "
    "million dollars and fans watched as the team won its first title since with players from "
    "russia turkey and syria"
).split()
_NAMES = "Putin Erdogan Moscow Ankara Smith Johnson Kremlin Syria United Nations Barcelona Real Madrid".split()


def _words(n_chars: int, seed: int, *, caps: float = 0.15) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n_chars:
        w = rng.choice(_NAMES) if rng.random() < caps else rng.choice(_WORDS)
        out.append(w)
        size += len(w) + 1
    return out


def _one_sentence(n: int) -> str:
    return " ".join(_words(n, 1))


def _many_sentences(n: int) -> str:
    rng = random.Random(2)
    words = _words(n, 2)
    out, i = [], 0
    while i < len(words):
        k = rng.randint(8, 30)
        piece = words[i : i + k]
        piece[0] = piece[0].capitalize()
        quote = rng.random() < 0.2
        text = " ".join(piece)
        out.append(f'"{text}," he said.' if quote else text + ".")
        if rng.random() < 0.2:
            out.append("\n\n")
        i += k
    return " ".join(out)


def _giant_quote(n: int) -> str:
    return 'Putin said: "' + " ".join(_words(n, 3)) + '" he said.'


def _unclosed_quotes(n: int) -> str:
    return " ".join(f'"{w}' for w in _words(n, 4))


def _capitalised(n: int) -> str:
    return " ".join(w.capitalize() for w in _words(n, 5, caps=1.0))


def _repeat(unit: str) -> Callable[[int], str]:
    def make(n: int) -> str:
        return (unit * (n // len(unit) + 1))[:n]

    return make


SHAPES: dict[str, Callable[[int], str]] = {
    "one-sentence": _one_sentence,
    "many-sentences": _many_sentences,
    "giant-quote": _giant_quote,
    "unclosed-quotes": _unclosed_quotes,
    "capitalised-words": _capitalised,
    "digits": _repeat("0123456789"),
    "spaced-numbers": _repeat("5 12, 000 $3 1.5 million 7% "),
    "double-quotes": _repeat('"'),
    "mixed-quotes": _repeat("\"'“”‘’ "),
    "parentheses": _repeat("(x) "),
    "open-brackets": _repeat("(("),
    "periods": _repeat(". "),
    "dashes": _repeat(" - a"),
    "commas-who": _repeat(", who "),
    "one-word": _repeat("a"),
    "titles": _repeat("Mr. "),
    "same-word": _repeat("Putin "),
    "newlines": _repeat("a\n"),
    "blank-lines": _repeat("Putin said.\n\n"),
}


def worker(shape: str, size: int) -> None:
    """In a fresh process: build the input, time every stage, one JSON line per stage."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import newsbrief
    from newsbrief.analyze import analyze
    from newsbrief.article import Article
    from newsbrief.faithfulness import check
    from newsbrief.ingest.build import set_body

    text = SHAPES[shape](size)

    def emit(stage: str, seconds: float, **extra: Any) -> None:
        print(json.dumps({"stage": stage, "seconds": round(seconds, 4), **extra}), flush=True)

    t = time.perf_counter()
    try:
        article = newsbrief.parse_text(text)
    except newsbrief.InputError as exc:
        emit("parse", time.perf_counter() - t, error=f"InputError: {exc}")
        return
    except Exception as exc:  # a reader bug: report it, and time the other stages on a plain article
        emit("parse", time.perf_counter() - t, error=f"{type(exc).__name__}: {exc}")
        article = set_body(Article(id=shape), [(p, None) for p in text.split("\n\n")])
    else:
        emit("parse", time.perf_counter() - t, sentences=len(article.sentences))
    t = time.perf_counter()
    summary = newsbrief.summarize(article, method="highlights")
    emit("highlights", time.perf_counter() - t, words=sum(len(h.text.split()) for h in summary.highlights))
    t = time.perf_counter()
    newsbrief.summarize(article, method="lead")
    emit("lead", time.perf_counter() - t)
    t = time.perf_counter()
    found = analyze(article)
    emit("analyze", time.perf_counter() - t, quotes=len(found.quotes), entities=len(found.entities))
    t = time.perf_counter()
    report = check(article, summary)
    emit("check", time.perf_counter() - t, score=round(report.score, 3), notes=len(getattr(report, "notes", [])))
    t = time.perf_counter()
    report = check(article, article.body[:100_000])
    emit("check_self", time.perf_counter() - t, score=round(report.score, 3), notes=len(getattr(report, "notes", [])))


def run_one(shape: str, size: int, limit: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", shape, str(size)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=limit * len(STAGES), cwd=REPO)
        lines, error = done.stdout, done.stderr.strip().splitlines()[-1:] if done.returncode else []
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        lines = out.decode() if isinstance(out, bytes) else out
        error = [f"killed after {limit * len(STAGES):.0f} s"]
    stages = {s["stage"]: s for s in map(json.loads, filter(None, lines.splitlines()))}
    return {"shape": shape, "size": size, "stages": stages, "error": error[0] if error else None}


def _ratio(rows: list[dict[str, Any]], stage: str, small: int, big: int) -> float | None:
    by_size = {r["size"]: r["stages"].get(stage, {}).get("seconds") for r in rows}
    a, b = by_size.get(small), by_size.get(big)
    if not a or not b:
        return None
    return (b / big) / (a / small)


def write_report(results: list[dict[str, Any]], sizes: list[int], argv: list[str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "command": "python bench/hostile.py " + " ".join(map(shlex.quote, argv)),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sizes": sizes,
    }
    (out / "hostile.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")
    lines = [
        "# Hostile inputs: seconds per stage, one core",
        "",
        f"- Command: `{meta['command']}`",
        f"- Date: {meta['date']}; Python {meta['python']} on {meta['platform']}",
        "- Each (shape, size) runs in a fresh process pinned to one CPU; `check` checks the",
        "  highlights, `check_self` the body's first 100 KB as a summary. `ratio`: seconds per MB at",
        "  the largest size over seconds per MB at 100 KB (1 = linear).",
        "",
    ]
    big = max(sizes)
    head = "| shape | stage | " + " | ".join(_size(s) for s in sizes) + " | ratio |"
    lines += [head, "|---|---|" + "---:|" * (len(sizes) + 1)]
    for shape in dict.fromkeys(r["shape"] for r in results):
        rows = [r for r in results if r["shape"] == shape]
        for stage in STAGES:
            cells = []
            for s in sizes:
                row = next((r for r in rows if r["size"] == s), None)
                if row is None:
                    cells.append("not run")
                elif stage in row["stages"]:
                    st = row["stages"][stage]
                    cells.append(f"{st['seconds']:.3f}" + (f" ({st['error'].split(':')[0]})" if "error" in st else ""))
                else:
                    cells.append("killed" if row["error"] else "-")
            ratio = _ratio(rows, stage, 100_000, big)
            lines.append(f"| {shape} | {stage} | " + " | ".join(cells) + f" | {ratio:.2f} |" if ratio else " | - |")
            if ratio is None:
                lines[-1] = f"| {shape} | {stage} | " + " | ".join(cells) + " | - |"
    errors = [r for r in results if r["error"]]
    if errors:
        lines += ["", "## Errors", ""] + [f"- {r['shape']} at {_size(r['size'])}: {r['error']}" for r in errors]
    slow = [
        (r["shape"], r["size"], k, v["seconds"]) for r in results for k, v in r["stages"].items() if v["seconds"] > 5
    ]
    lines += ["", "## Stages over 5 s", ""]
    lines += [f"- {s} at {_size(n)}: {k} {sec:.1f} s" for s, n, k, sec in slow] or ["- none"]
    (out / "hostile.md").write_text("\n".join(lines) + "\n")


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def main(argv: list[str]) -> None:
    if argv[:1] == ["--worker"]:
        worker(argv[1], int(argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="default: all")
    parser.add_argument("--stage-limit", type=float, default=30.0, help="seconds per stage before giving up")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results = []
    for shape in args.shape or list(SHAPES):
        for size in sizes:
            row = run_one(shape, size, args.stage_limit)
            results.append(row)
            took = {k: v["seconds"] for k, v in row["stages"].items()}
            print(shape, _size(size), took, row["error"] or "", flush=True)
            if row["error"]:
                break
    write_report(results, sizes, argv, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
