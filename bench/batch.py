"""Throughput and memory of ``newsbrief batch``: local engine at 1 and 2 workers, and Ray.

What it measures
----------------
* a corpus of at least ``--docs`` articles (default 5,000) made by repeating the dev articles
  (``../shared/data/dev/summeval.jsonl``) with unique ids, in a temporary JSONL file;
* each configuration runs as the real command (``python -m newsbrief.batch``) in a fresh
  process, ``--repeats`` times (default 3); the best run is reported, because the machine is
  shared and a run can only be slowed down by others, not sped up;
* articles/s over the whole command (start-up included), time to the first record, and the
  rate after the first record (steady state);
* peak memory of the whole run: the driver and every process under it (pool workers,
  forkserver; for Ray the raylet, GCS and actors), sampled every 50 ms with psutil, as the sum
  of PSS (shared pages counted once) and the sum of RSS;
* the same run at ``--big-factor`` x the corpus (default 10x), once, to show that memory
  does not grow with the input;
* the in-process cost of parse + summarize with no batch machinery, for reference.

Run from the repository root::

    .venv/bin/python bench/batch.py [--docs 5000] [--repeats 3] [--no-ray]

Results go to ``bench/results/batch.json`` and ``bench/results/batch.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev" / "summeval.jsonl"
RESULTS = REPO / "bench" / "results"


def make_corpus(data: Path, docs: int, path: Path) -> int:
    """Repeat the dev articles (with unique ids) until there are at least ``docs``."""
    articles = [json.loads(line) for line in data.open(encoding="utf-8") if line.strip()]
    n = 0
    with path.open("w", encoding="utf-8") as f:
        while n < docs:
            for a in articles:
                f.write(json.dumps({"id": f"{a['id']}#{n}", "article": a["article"]}) + "\n")
                n += 1
    return n


def measure(cmd: list[str], out: Path) -> dict[str, Any]:
    """Run ``cmd``; sample the memory of its whole process tree and time its first record."""
    import psutil

    for p in (out, Path(f"{out}.errors.jsonl")):
        p.unlink(missing_ok=True)
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak_pss = peak_rss = 0
    first: float | None = None
    while proc.poll() is None:
        pss = rss = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in procs:
            try:
                info = p.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        if first is None and out.exists() and out.stat().st_size > 0:
            first = time.monotonic() - started
        time.sleep(0.05)
    wall = time.monotonic() - started
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.wait() != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {shlex.join(cmd)}\n{stderr}")
    records = sum(1 for _ in out.open("rb"))
    first = first if first is not None else wall
    steady = records / (wall - first) if wall > first else float("nan")
    return {
        "records": records,
        "wall_s": round(wall, 3),
        "articles_per_s": round(records / wall, 1),
        "first_record_s": round(first, 3),
        "steady_articles_per_s": round(steady, 1),
        "peak_pss_mb": round(peak_pss / 1e6, 1),
        "peak_rss_mb": round(peak_rss / 1e6, 1),
        "summary": stderr.strip().splitlines()[-1] if stderr.strip() else "",
    }


def in_process_rate(corpus: Path, method: str) -> float:
    """parse + summarize in this process, no pool, no output: the work itself."""
    code = (
        "import sys, time; from newsbrief.batch.sources import Plan; from newsbrief.batch.worker import WorkerState, WorkerConfig;"
        f"tasks=[t for c in Plan({str(corpus)!r}).chunks() for t in c]; s=WorkerState(WorkerConfig({method!r}));"
        "t0=time.perf_counter(); [s.process(t) for t in tasks]; print(len(tasks)/(time.perf_counter()-t0))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--method", default="highlights")
    ap.add_argument("--chunk-size", type=int, default=None)
    ap.add_argument("--big-factor", type=int, default=10, help="memory check on this many times the corpus (0: skip)")
    ap.add_argument("--no-ray", action="store_true")
    args = ap.parse_args()
    command = "python bench/batch.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    configs: list[tuple[str, int]] = [("local", 1), ("local", 2)]
    if not args.no_ray:
        try:
            import ray  # noqa: F401
        except ImportError:
            print("ray not installed: skipping the Ray engine", file=sys.stderr)
        else:
            configs += [("ray", 1), ("ray", 2)]

    with tempfile.TemporaryDirectory(prefix="nb-batch-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        n = make_corpus(args.data, args.docs, corpus)
        out = Path(tmp) / "out.jsonl"
        base = [sys.executable, "-m", "newsbrief.batch", str(corpus), str(out), "-m", args.method, "--no-progress"]
        if args.chunk_size:
            base += ["--chunk-size", str(args.chunk_size)]
        rows: list[dict[str, Any]] = []
        for engine, workers in configs:
            runs = []
            for i in range(args.repeats):
                r = measure([*base, "--engine", engine, "--workers", str(workers)], out)
                print(
                    f"{engine} x{workers} run {i + 1}: {r['articles_per_s']} articles/s, {r['peak_pss_mb']} MB",
                    file=sys.stderr,
                )
                runs.append(r)
            best = max(runs, key=lambda r: r["articles_per_s"])
            rows.append(
                {
                    "engine": engine,
                    "workers": workers,
                    **best,
                    "all_articles_per_s": [r["articles_per_s"] for r in runs],
                }
            )
        ideal = in_process_rate(corpus, args.method)
        big: dict[str, Any] | None = None
        if args.big_factor > 1:
            big_corpus = Path(tmp) / "big.jsonl"
            big_n = make_corpus(args.data, args.docs * args.big_factor, big_corpus)
            cmd = [
                sys.executable,
                "-m",
                "newsbrief.batch",
                str(big_corpus),
                str(out),
                "-m",
                args.method,
                "--no-progress",
            ]
            big = {"docs": big_n, **measure([*cmd, "--workers", "2"], out)}
            print(f"big x2: {big['articles_per_s']} articles/s, {big['peak_pss_mb']} MB", file=sys.stderr)

    by = {(r["engine"], r["workers"]): r for r in rows}
    ratio = by[("local", 2)]["articles_per_s"] / by[("local", 1)]["articles_per_s"]
    steady_ratio = by[("local", 2)]["steady_articles_per_s"] / by[("local", 1)]["steady_articles_per_s"]
    result = {
        "command": command,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "method": args.method,
        "docs": n,
        "repeats": args.repeats,
        "in_process_articles_per_s": round(ideal, 1),
        "rows": rows,
        "ratio_2_to_1_workers": round(ratio, 2),
        "steady_ratio_2_to_1_workers": round(steady_ratio, 2),
        "big": big,
    }
    if ("ray", 2) in by:
        result["ray_vs_local_2_workers"] = {
            "throughput_ratio": round(by[("ray", 2)]["articles_per_s"] / by[("local", 2)]["articles_per_s"], 2),
            "steady_ratio": round(
                by[("ray", 2)]["steady_articles_per_s"] / by[("local", 2)]["steady_articles_per_s"], 2
            ),
            "extra_startup_s": round(by[("ray", 2)]["first_record_s"] - by[("local", 2)]["first_record_s"], 2),
            "extra_wall_s": round(by[("ray", 2)]["wall_s"] - by[("local", 2)]["wall_s"], 2),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "batch.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "batch.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Batch throughput and memory: `newsbrief batch`",
        "",
        f"- Command: `{r['command']}`",
        f"- Date: {r['date']}; Python {r['python']} on {r['platform']}, {r['cpus']} CPUs "
        f"(load average before: {', '.join(f'{x:.2f}' for x in r['load_before'])})",
        f"- Corpus: {r['docs']:,} articles (dev articles repeated, unique ids), method `{r['method']}`; "
        f"each row is the best of {r['repeats']} runs of the real command in a fresh process "
        "(the machine is shared: other work only slows a run down)",
        "- articles/s is over the whole command, start-up included; steady is the rate after the first record; "
        "memory is the peak over the whole process tree (driver, workers, forkserver, Ray's daemons) sampled every 50 ms",
        "",
        "| engine | workers | articles/s | steady articles/s | first record (s) | wall (s) | peak PSS (MB) | peak RSS sum (MB) | all runs (articles/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in r["rows"]:
        lines.append(
            f"| {row['engine']} | {row['workers']} | {row['articles_per_s']:,.0f} | {row['steady_articles_per_s']:,.0f} | "
            f"{row['first_record_s']:.2f} | {row['wall_s']:.2f} | {row['peak_pss_mb']:,.0f} | {row['peak_rss_mb']:,.0f} | "
            f"{', '.join(f'{x:,.0f}' for x in row['all_articles_per_s'])} |"
        )
    lines += [
        "",
        f"- 2 workers / 1 worker (local): **{r['ratio_2_to_1_workers']:.2f}x** over the whole command, "
        f"{r['steady_ratio_2_to_1_workers']:.2f}x in steady state.",
        f"- parse + summarize in one process with no batch machinery: {r['in_process_articles_per_s']:,.0f} articles/s "
        "(the ceiling for one worker).",
    ]
    if "ray_vs_local_2_workers" in r:
        v = r["ray_vs_local_2_workers"]
        lines.append(
            f"- Ray vs local at 2 workers: {v['throughput_ratio']:.2f}x the throughput over the whole command, "
            f"{v['steady_ratio']:.2f}x in steady state; {v['extra_startup_s']:+.1f} s to the first record, "
            f"{v['extra_wall_s']:+.1f} s wall."
        )
    if r.get("big"):
        b = r["big"]
        lines.append(
            f"- Memory bound: {b['docs']:,} articles (x{b['docs'] // r['docs']}) on 2 local workers: peak PSS "
            f"{b['peak_pss_mb']:,.0f} MB (RSS sum {b['peak_rss_mb']:,.0f} MB) at {b['articles_per_s']:,.0f} articles/s."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
