"""Hostile requests against a running service: are they answered in time, and do others keep their latency?

Starts ``newsbrief serve`` on loopback, measures the latency of ordinary requests (the sample
article to ``POST /v1/summarize``) alone, then again while hostile requests are in flight: a
5 MB body that is one long sentence, 5 MB of one quotation, 5 MB of many sentences (each to
``POST /v1/articles``, which parses, summarizes, analyzes, checks and stores). Records how
each hostile request was answered (status, seconds) and the ordinary requests' p50/p95/max.

    .venv/bin/python bench/service_hostile.py            # -> bench/results/service_hostile.md/.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "tests" / "fixtures" / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
RESULTS = ROOT / "bench" / "results"
_READY = re.compile(r"serving (http://[\d.]+:\d+)/")
MB = 1_000_000


def hostile_bodies(size: int) -> dict[str, str]:
    words = "the minister said that the council would meet again on monday to discuss the budget".split()
    one_sentence = " ".join(words[i % len(words)] for i in range(size // 6))[:size]
    return {
        "one 5 MB sentence": one_sentence,
        "one 5 MB quotation": ('He said: "' + one_sentence)[: size - 1] + '"',
        "5 MB of short sentences": ("The council met on Monday. " * (size // 27 + 1))[:size],
        "5 MB of capitalised words": (" ".join(w.capitalize() for w in one_sentence.split()))[:size],
    }


def serve(workers: int, timeout: float) -> tuple[subprocess.Popen[str], str]:
    db = Path(tempfile.mkdtemp(prefix="newsbrief-bench-")) / "b.db"
    cmd = [sys.executable, "-m", "newsbrief.service", "--port", "0", "--db", str(db), "--no-access-log"]
    cmd += ["--timeout", str(timeout), "--max-body-bytes", str(6 * MB)]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    match = _READY.search(proc.stderr.readline())
    if not match:
        proc.kill()
        raise SystemExit("server did not start")
    url = match.group(1)
    threading.Thread(target=lambda: proc.stderr and proc.stderr.read(), daemon=True).start()  # a full pipe stalls
    for _ in range(400):
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit("server did not become healthy")


def ordinary_latencies(url: str, seconds: float, stop: threading.Event | None = None) -> list[float]:
    out: list[float] = []
    with httpx.Client(timeout=120) as client:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (stop and stop.is_set()):
            t0 = time.perf_counter()
            r = client.post(url + "/v1/summarize", json={"text": SEED})
            r.raise_for_status()
            out.append(time.perf_counter() - t0)
            time.sleep(0.05)
    return out


def summary(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "n": len(values),
        "p50_ms": round(1000 * statistics.median(values), 1),
        "p95_ms": round(1000 * values[int(0.95 * (len(values) - 1))], 1),
        "max_ms": round(1000 * values[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5 * MB, help="bytes per hostile body")
    parser.add_argument("--timeout", type=float, default=30.0, help="the server's request timeout")
    parser.add_argument("--workers", type=int, default=2, help="the server's worker processes")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=RESULTS / "service_hostile")
    args = parser.parse_args()

    proc, url = serve(args.workers, args.timeout)
    try:
        baseline = ordinary_latencies(url, args.baseline_seconds)
        rows = []
        for name, body in hostile_bodies(args.size).items():
            answer: dict[str, Any] = {}

            def hostile(body: str = body, answer: dict[str, Any] = answer) -> None:
                t0 = time.perf_counter()
                with httpx.Client(timeout=args.timeout + 30) as client:
                    r = client.post(url + "/v1/articles", json={"text": body})
                answer.update(
                    status=r.status_code,
                    seconds=round(time.perf_counter() - t0, 2),
                    code=(r.json().get("error") or {}).get("code") if r.status_code >= 400 else None,
                    sentences=len(r.json()["article"]["sentences"]) if r.status_code < 300 else None,
                )

            stop = threading.Event()
            thread = threading.Thread(target=hostile)
            thread.start()
            time.sleep(0.2)
            during: list[float] = []
            while thread.is_alive():
                during += ordinary_latencies(url, 1.0, stop)
            thread.join()
            healthy = httpx.get(url + "/healthz", timeout=5).status_code == 200
            rows.append({"input": name, **answer, "ordinary_during": summary(during), "healthz_after": healthy})
            print(name, rows[-1], file=sys.stderr)
    finally:
        proc.send_signal(signal.SIGTERM)
        t0 = time.perf_counter()
        proc.wait(timeout=60)
        shutdown = round(time.perf_counter() - t0, 2)

    result = {
        "command": "python bench/service_hostile.py " + " ".join(sys.argv[1:]),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "size_bytes": args.size,
        "request_timeout_s": args.timeout,
        "workers": args.workers,
        "ordinary_alone": summary(baseline),
        "hostile": rows,
        "sigterm_to_exit_s": shutdown,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Hostile requests against the running service",
        "",
        f"`{result['command']}` on {result['machine']}; server: `--timeout {args.timeout:g}`, "
        f"{args.workers} worker processes. Ordinary request: the sample article to `POST /v1/summarize`.",
        "",
        f"Ordinary requests alone: p50 {result['ordinary_alone']['p50_ms']} ms, "
        f"p95 {result['ordinary_alone']['p95_ms']} ms, max {result['ordinary_alone']['max_ms']} ms "
        f"({result['ordinary_alone']['n']} requests).",
        "",
        "| hostile `POST /v1/articles` body | answer | seconds | ordinary requests meanwhile: n, p50, p95, max (ms) | /healthz after |",
        "|---|---|---:|---|---|",
    ]
    for row in rows:
        o = row["ordinary_during"]
        what = f"{row['status']}" + (f" `{row['code']}`" if row["code"] else f", {row['sentences']} sentences")
        lines.append(
            f"| {row['input']} | {what} | {row['seconds']} | {o['n']}, {o['p50_ms']}, {o['p95_ms']}, {o['max_ms']} "
            f"| {'ok' if row['healthz_after'] else 'FAILED'} |"
        )
    lines += ["", f"SIGTERM to exit: {shutdown} s.", ""]
    args.out.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
