"""End-to-end speed of the path users run: ``newsbrief summarize data.jsonl`` and ``newsbrief batch``.

Why this bench and not bench/speed.py alone: speed.py times parse + summarize in process, with
no start-up, no JSONL decoding and no output; a user pays for all of those. Here the CLI runs
as a child process on a JSONL of the 100 SummEval articles (CNN/DailyMail length) repeated to
``--n`` records, and the child's CPU seconds (user + system, from ``os.wait4``) are measured,
so the figure is articles per CPU second whatever else the machine is doing.

Two inputs: ``repeated`` (the 100 articles as they are, each id made unique: what the issue
specified) and ``unique`` (each copy gets one extra final sentence naming its copy, so no
cache keyed by text can serve a repeat). ``batch`` runs with ``--workers 1``, so its figure
is per worker; its CPU time includes the worker and the fork server (see ``cpu_seconds``).

    .venv/bin/python bench/cli_speed.py            # -> bench/results/cli_speed.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "dev" / "summeval.jsonl"
RESULTS = ROOT / "bench" / "results" / "cli_speed.md"
TARGET = 1000  # articles per CPU second (issue 13)


def write_input(path: Path, n: int, unique: bool) -> int:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    chars = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = rows[i % len(rows)]
            text = row["article"]
            if unique:
                text += f" This is copy {i // len(rows)} of the story."
            chars += len(text)
            f.write(json.dumps({"id": f"{row['id']}#{i}", "article": text}) + "\n")
    return chars // n


def cpu_seconds(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run ``cmd``: CPU seconds (user + system) of it and of every process below it, of the
    busiest process below it (a batch worker; 0 when there is none), its exit code and stderr.

    ``os.wait4`` alone misses batch workers (children of the fork server, which the batch
    process never waits for), so every process of the tree is sampled from ``/proc`` every
    10 ms and its last seen own CPU time summed; the top process's total comes from
    ``wait4`` when that is larger (its last 10 ms). Error: at most 10 ms per process.
    """
    tick = os.sysconf("SC_CLK_TCK")
    seen: dict[int, float] = {}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        while True:
            for pid, own in _tree(proc.pid).items():
                seen[pid] = max(seen.get(pid, 0.0), own / tick)
            done, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        top = max(seen.get(proc.pid, 0.0), usage.ru_utime + usage.ru_stime)
        seen[proc.pid] = top
        err.seek(0)
        below = max((v for pid, v in seen.items() if pid != proc.pid), default=0.0)
        return sum(seen.values()), below, proc.returncode, err.read().decode("utf-8", "replace")


def _tree(root: int) -> dict[int, int]:
    """Own utime + stime (clock ticks) of ``root`` and every process below it."""
    parent: dict[int, int] = {}
    own: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        own[int(entry)] = int(fields[11]) + int(fields[12])
    out = {}
    for pid in own:
        p = pid
        while p in parent and p != root and p > 1:
            p = parent[p]
        if p == root:
            out[pid] = own[pid]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="records (the 100 articles repeated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the fastest is reported")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "newsbrief"]
    rows = []
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        baseline = min(cpu_seconds([*exe, "--version"])[0] for _ in range(args.repeat))  # start-up alone
        for kind in ("repeated", "unique"):
            data = Path(tmp) / f"{kind}.jsonl"
            mean_chars = write_input(data, args.n, unique=kind == "unique")
            for command in ("summarize", "batch"):
                best, best_worker = float("inf"), float("inf")
                for r in range(args.repeat):
                    if command == "summarize":
                        cmd = [*exe, "summarize", str(data), "-o", os.devnull]
                    else:
                        out = Path(tmp) / f"batch-{kind}-{r}.jsonl"
                        cmd = [*exe, "batch", str(data), str(out), "--workers", "1", "--no-progress", "-q"]
                    spent, worker, code, err = cpu_seconds(cmd)
                    if code != 0:
                        raise SystemExit(f"{' '.join(cmd)} exited {code}: {err}")
                    best, best_worker = min(best, spent), min(best_worker, worker)
                rows.append((kind, command, mean_chars, best, args.n / best, best_worker))
                per_worker = f", worker alone {args.n / best_worker:,.0f}/CPU s" if best_worker else ""
                print(
                    f"{kind:8} {command:9} {best:6.2f} CPU s  {args.n / best:7,.0f} articles/CPU s{per_worker}",
                    flush=True,
                )
    lines = [
        "# End-to-end CLI speed (bench/cli_speed.py)",
        "",
        f"Code: {_revision()}.",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {platform.machine()}; "
        f"{args.n:,} records from the 100 SummEval articles (CNN/DailyMail), default method, fastest of {args.repeat} runs.",
        "CPU seconds of the child process and every process below it (user + system; batch workers included), "
        "start-up included "
        f"(`newsbrief --version` alone: {baseline:.2f} CPU s). Target: {TARGET:,} articles per CPU second.",
        f"Load average while it ran: {load_before} before, {_load()} after ({os.cpu_count()} CPUs; CPU seconds "
        "rise on a busy machine too, as its cores' caches are shared).",
        "",
        "| input | command | mean article chars | CPU s (all processes) | articles / CPU s | worker alone: articles / CPU s | target met |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for kind, command, chars, spent, rate, worker in rows:
        shown = (
            "`summarize data.jsonl -o /dev/null`" if command == "summarize" else "`batch data.jsonl OUT --workers 1`"
        )
        alone = f"{args.n / worker:,.0f}" if worker else "-"
        met = "yes" if rate >= TARGET else "no"
        lines.append(f"| {kind} | {shown} | {chars:,} | {spent:.2f} | {rate:,.0f} | {alone} | {met} |")
    lines += [
        "",
        "`repeated`: the articles as they are (ids made unique); `unique`: one extra final sentence per copy, so",
        "nothing keyed by the text can be reused. bench/speed.py's figure is parse + summarize in process, without",
        "start-up, JSONL decoding or output, so it is higher than these.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _revision() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT).stdout
    except OSError:
        return "unknown revision"
    return f"{sha.strip()}" + (" with uncommitted changes under src/" if dirty.strip() else "")


if __name__ == "__main__":
    main()
