"""``newsbrief check PAIRS.jsonl`` end to end: the path a user checking a dataset runs.

Why beside ``checker_speed.py``: that one times the checker in process with each article's
index built once (issue 14's criterion). A PAIRS run also decodes each line, parses its article,
builds the checker's and the alignment's indexes for it (every line carries its own article
text) and writes one record with per-highlight support. Input: SummEval's 1,600 (article,
system summary) pairs. CPU seconds of the child process (``cli_speed.cpu_seconds``), with a
bytecode cache as an installed package has, fastest of ``--repeat`` runs.

    .venv/bin/python bench/check_cli_speed.py     # -> bench/results/check_cli_speed.md / .json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cli_speed as CS  # noqa: E402  (sibling scripts, not a package)

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "dev"
OUT = REPO / "bench" / "results" / "check_cli_speed"
NEWSBRIEF = str(Path(sys.executable).with_name("newsbrief"))


def write_pairs(path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for line in (DEV / "summeval.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            for system, text in r["systems"].items():
                out.write(json.dumps({"id": f"{r['id']}/{system}", "article": r["article"], "summary": text}) + "\n")
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        pairs = Path(tmp) / "pairs.jsonl"
        n = write_pairs(pairs)
        env = CS.child_env(Path(tmp) / "pycache")
        for checker in ("default", "lexical"):
            cmd = [NEWSBRIEF, "check", str(pairs), "--checker", checker, "-o", os.devnull]
            CS.cpu_seconds(cmd, env)  # warm-up: fills the bytecode cache
            best = min(CS.cpu_seconds(cmd, env)[0] for _ in range(args.repeat))
            rows.append({"checker": checker, "pairs": n, "cpu_s": round(best, 2), "pairs_per_cpu_s": round(n / best)})
    result = {"command": "python bench/check_cli_speed.py", "load_average": list(os.getloadavg()), "rows": rows}
    Path(f"{OUT}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# `newsbrief check PAIRS.jsonl` end to end",
        "",
        f"`{result['command']}`: SummEval's {n:,} (article, system summary) pairs, CPU seconds of the CLI "
        f"process including start-up, fastest of {args.repeat} runs; load average "
        f"{[round(v, 2) for v in result['load_average']]} on {os.cpu_count()} CPUs.",
        "",
        "| checker | CPU s | pairs / CPU s |",
        "|---|---:|---:|",
        *(f"| {r['checker']} | {r['cpu_s']} | {r['pairs_per_cpu_s']:,} |" for r in rows),
        "",
        "Each line carries its own article, so the article is parsed and indexed again for every pair "
        "(16 per SummEval article): the checker's `ArticleIndex` and the alignment's `AlignmentIndex` are "
        "about half of the time (cProfile of 160 pairs). `bench/checker_speed.py` times the checker with the index reused (issue 14's "
        "criterion); `newsbrief evaluate --label` indexes each article once.",
        "",
    ]
    Path(f"{OUT}.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
