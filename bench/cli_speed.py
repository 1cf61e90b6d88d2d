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

Bytecode: an installed package has its ``.pyc`` files, so the children run with a bytecode
cache of their own (``PYTHONPYCACHEPREFIX`` in a temporary folder, filled by one warm-up run)
even where the environment says ``PYTHONDONTWRITEBYTECODE``; without it every process (the
CLI, the fork server) compiles every module it imports, 0.05-0.07 CPU s each here.
``--no-bytecode-cache`` measures that case.

``--baseline REV`` also times another commit (its ``src``, from ``git archive``, first on
``PYTHONPATH``), each of its runs right after the same run of the code measured, so both see
the same load; the table gets its columns beside these. ``--rev REV`` measures a commit
instead of the working tree (which may hold others' unfinished edits).

    .venv/bin/python bench/cli_speed.py            # -> bench/results/cli_speed.md
    .venv/bin/python bench/cli_speed.py --rev HEAD --baseline HEAD~3
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
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


def cpu_seconds(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
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
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
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


def child_env(pycache: Path | None, src: Path | None = None) -> dict[str, str]:
    """The children's environment: a bytecode cache in ``pycache`` (None: none at all, every
    module compiled in every process) and, for a baseline, its ``src`` first on the path."""
    env = dict(os.environ)
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="records (the 100 articles repeated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the fastest is reported")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--rev", help="measure this commit's src instead of the working tree")
    parser.add_argument("--baseline", help="a commit to time beside it, run for run")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="no .pyc: every process compiles what it imports"
    )
    args = parser.parse_args()
    exe = [sys.executable, "-m", "newsbrief"]
    rows = []
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        pycache = None if args.no_bytecode_cache else Path(tmp) / "pycache"
        trees = {"this": child_env(pycache, export(args.rev, Path(tmp) / "rev") if args.rev else None)}
        if args.baseline:
            trees["baseline"] = child_env(pycache, export(args.baseline, Path(tmp) / "baseline"))
        warm = Path(tmp) / "warm.jsonl"
        write_input(warm, 2, unique=False)
        for env in trees.values():  # fills the bytecode cache, the workers' modules included
            for cmd in ([*exe, "summarize", str(warm), "-o", os.devnull], [*exe, "batch", str(warm), "-", "-q"]):
                subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        startup = min(cpu_seconds([*exe, "--version"], trees["this"])[0] for _ in range(args.repeat))
        for kind in ("repeated", "unique"):
            data = Path(tmp) / f"{kind}.jsonl"
            mean_chars = write_input(data, args.n, unique=kind == "unique")
            for command in ("summarize", "batch"):
                best = {tree: (float("inf"), float("inf")) for tree in trees}
                for r in range(args.repeat):
                    for tree, env in trees.items():
                        if command == "summarize":
                            cmd = [*exe, "summarize", str(data), "-o", os.devnull]
                        else:
                            out = Path(tmp) / f"batch-{kind}-{tree}-{r}.jsonl"
                            cmd = [*exe, "batch", str(data), str(out), "--workers", "1", "--no-progress", "-q"]
                        spent, worker, code, err = cpu_seconds(cmd, env)
                        if code != 0:
                            raise SystemExit(f"{' '.join(cmd)} exited {code}: {err}")
                        best[tree] = (min(best[tree][0], spent), min(best[tree][1], worker))
                rows.append((kind, command, mean_chars, best))
                for tree, (spent, worker) in best.items():
                    per_worker = f", worker alone {args.n / worker:,.0f}/CPU s" if worker else ""
                    print(
                        f"{tree:8} {kind:8} {command:9} {spent:6.2f} CPU s  {args.n / spent:7,.0f} articles/CPU s"
                        f"{per_worker}",
                        flush=True,
                    )
    bytecode = (
        "no bytecode cache (every process compiles every module it imports)"
        if args.no_bytecode_cache
        else "with a bytecode cache, as an installed package has"
    )
    compared = (
        f" Baseline: {_revision(args.baseline)}, each of its runs right after the same run of the code measured."
        if args.baseline
        else ""
    )
    header = "| input | command | mean article chars | CPU s (all processes) | articles / CPU s | worker alone: articles / CPU s | target met |"
    rule = "|---|---|---:|---:|---:|---:|---|"
    if args.baseline:
        header += " baseline CPU s | baseline articles / CPU s | baseline worker alone |"
        rule += "---:|---:|---:|"
    lines = [
        "# End-to-end CLI speed (bench/cli_speed.py)",
        "",
        f"Code: {_revision(args.rev)}.{compared}",
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, {platform.machine()}; "
        f"{args.n:,} records from the 100 SummEval articles (CNN/DailyMail), default method, fastest of {args.repeat} runs, "
        f"{bytecode}.",
        "CPU seconds of the child process and every process below it (user + system; batch workers included), "
        "start-up included "
        f"(`newsbrief --version` alone: {startup:.2f} CPU s). Target: {TARGET:,} articles per CPU second.",
        f"Load average while it ran: {load_before} before, {_load()} after ({os.cpu_count()} CPUs; CPU seconds "
        "rise on a busy machine too, as its cores' caches are shared).",
        "",
        header,
        rule,
    ]
    for kind, command, chars, best in rows:
        shown = (
            "`summarize data.jsonl -o /dev/null`" if command == "summarize" else "`batch data.jsonl OUT --workers 1`"
        )
        cells = []
        for tree in best:
            spent, worker = best[tree]
            alone = f"{args.n / worker:,.0f}" if worker else "-"
            cells.append(f"{spent:.2f} | {args.n / spent:,.0f} | {alone}")
            if tree == "this":
                cells[-1] += f" | {'yes' if args.n / spent >= TARGET else 'no'}"
        lines.append(f"| {kind} | {shown} | {chars:,} | {' | '.join(cells)} |")
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


def export(rev: str, dest: Path) -> Path:
    """``src`` of commit ``rev`` unpacked under ``dest`` (``git archive``); the folder to import from."""
    tar = subprocess.run(["git", "archive", "--format=tar", rev, "src"], capture_output=True, cwd=ROOT, check=True)
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as archive:
        archive.extractall(dest, filter="data")
    return dest / "src"


def _revision(rev: str | None = None) -> str:
    """The commit measured: ``rev``, or this checkout's HEAD and whether src/ has uncommitted changes."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", rev or "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        if rev:
            return f"{sha} (`git archive`)"
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], capture_output=True, text=True, cwd=ROOT).stdout
    except OSError:
        return "unknown revision"
    return sha + (" with uncommitted changes under src/" if dirty.strip() else "")


if __name__ == "__main__":
    main()
