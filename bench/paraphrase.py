"""Does a checker's sentence verdict survive paraphrase, and does it catch small falsifications?

Issue 14 asks that a true sentence reworded land in ``check``, not ``unsupported``, and that
every unsupported verdict name a reason. ``bench/data/paraphrase.jsonl`` holds 406 one-sentence
claims written by hand against 50 dev articles (35 SummEval, 15 QAGS-CNN), each labelled true
(``reworded``, ``compressed``, ``fused``) or false (``entity_swap``, ``number_change``,
``negation``, ``role_swap``, ``wrong_attribution``, ``invented``, ``bad_deletion``), with a
``split`` (``fit``/``test``, half the articles each, fixed by a hash of the article id before
anything was fitted). This script runs each checker on every (article, claim) pair and reports,
per split and per kind, the verdicts, the two hit rates, ROC AUC of the claim's score and the
reasons given; bigram precision is the baseline. Nothing is fitted here.

    .venv/bin/python bench/paraphrase.py [--checker lexical --checker learned] [--out bench/results]

A claim the checker splits into several sentences is judged by its weakest sentence (lowest
score), as a reader would: one unsupported part makes the claim unsupported.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data" / "paraphrase.jsonl"
DEV = REPO.parent / "shared" / "data" / "dev"
RESULTS = REPO / "bench" / "results"
TRUE_KINDS = ("reworded", "compressed", "fused")
FALSE_KINDS = ("entity_swap", "number_change", "negation", "role_swap", "wrong_attribution", "invented", "bad_deletion")
VERDICTS = ("supported", "check", "unsupported")
SPLITS = ("fit", "test", "all")
# An ``unsupported`` verdict whose only reason is this one says "no window backs it", not *what*
# in the claim the article contradicts or lacks.
GENERIC_REASON = "no_support"


@dataclass(slots=True)
class Outcome:
    """One checker's judgement of one claim (its weakest sentence)."""

    row: dict[str, Any]
    score: float
    verdict: str
    reasons: list[str]
    pieces: int


def load_claims(path: Path = DATA) -> list[dict[str, Any]]:
    """The labelled claims, one dict a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_articles(dev: Path = DEV) -> dict[str, str]:
    """Article text by the set's ``article_id``: SummEval's ``id``; for QAGS-CNN, whose ids name
    summaries not articles, the first 12 hex digits of the article text's SHA-1."""
    import hashlib

    articles: dict[str, str] = {}
    for line in (dev / "summeval.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            articles[r["id"]] = r["article"]
    for line in (dev / "qags_cnn_dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line)["article"]
            articles.setdefault(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], text)
    return articles


def judge(checker: Callable[[Any, str], Any], index: Any, row: dict[str, Any]) -> Outcome:
    """Run ``checker`` on one claim; the weakest sentence speaks for it."""
    report = checker(index, row["claim"])
    weakest = min(report.sentences, key=lambda s: s.score)
    return Outcome(row, weakest.score, weakest.verdict, [i.kind for i in weakest.issues], len(report.sentences))


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float | None:
    """ROC AUC (ties count half); None when one class is empty."""
    from newsbrief.evaluate.checker import roc_auc as auc

    if all(positive) or not any(positive):
        return None
    return round(float(auc(list(scores), list(positive))), 3)


def _share(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return round(sum(values) / len(values), 3) if values else None


def summarise(outcomes: list[Outcome], baseline: dict[int, float]) -> dict[str, Any]:
    """The figures for one group of claims: verdicts, hit rates, AUCs, reasons (see the .md)."""
    true = [o for o in outcomes if o.row["label"] == "true"]
    false = [o for o in outcomes if o.row["label"] == "false"]
    unsupported = [o for o in outcomes if o.verdict == "unsupported"]
    counts = Counter(o.verdict for o in outcomes)
    return {
        "n": len(outcomes),
        "verdicts": {v: counts.get(v, 0) for v in VERDICTS},
        "true_not_unsupported": _share(o.verdict != "unsupported" for o in true),
        "false_not_supported": _share(o.verdict != "supported" for o in false),
        "auc": roc_auc([o.score for o in outcomes], [o.row["label"] == "true" for o in outcomes]),
        "bigram_auc": roc_auc([baseline[id(o.row)] for o in outcomes], [o.row["label"] == "true" for o in outcomes]),
        "unsupported_no_reason": sum(not o.reasons for o in unsupported),
        "unsupported_generic_reason_only": sum(
            bool(o.reasons) and set(o.reasons) == {GENERIC_REASON} for o in unsupported
        ),
        "reasons": dict(Counter(r for o in unsupported for r in o.reasons).most_common()),
        "split_into_sentences": sum(o.pieces > 1 for o in outcomes),
    }


def breakdown(outcomes: list[Outcome], baseline: dict[int, float]) -> dict[str, Any]:
    """Per split, overall and per kind; a kind's AUC pits its claims against every claim of the
    other label in the same split (so a false kind's AUC says how well it is told from truths)."""
    out: dict[str, Any] = {}
    for split in SPLITS:
        chosen = [o for o in outcomes if split == "all" or o.row["split"] == split]
        kinds: dict[str, Any] = {}
        for kind in TRUE_KINDS + FALSE_KINDS:
            mine = [o for o in chosen if o.row["kind"] == kind]
            other = "false" if kind in TRUE_KINDS else "true"
            figures = summarise(mine, baseline)
            versus = mine + [o for o in chosen if o.row["label"] == other]
            figures["auc"] = summarise(versus, baseline)["auc"]
            figures["bigram_auc"] = summarise(versus, baseline)["bigram_auc"]
            kinds[kind] = figures
        out[split] = {"overall": summarise(chosen, baseline), "kinds": kinds}
    return out


def failures(outcomes: list[Outcome], limit: int = 12) -> list[dict[str, Any]]:
    """The worst misses: true claims called unsupported (lowest score first) and false claims
    called supported (highest score first)."""
    lost = sorted(
        (o for o in outcomes if o.row["label"] == "true" and o.verdict == "unsupported"), key=lambda o: o.score
    )
    passed = sorted(
        (o for o in outcomes if o.row["label"] == "false" and o.verdict == "supported"), key=lambda o: -o.score
    )
    rows = [*lost[: limit // 2], *passed[: limit // 2]]
    return [
        {
            "claim": o.row["claim"],
            "kind": o.row["kind"],
            "label": o.row["label"],
            "split": o.row["split"],
            "verdict": o.verdict,
            "score": round(o.score, 3),
            "reasons": o.reasons,
        }
        for o in rows
    ]


def run(checkers: Sequence[str], claims: list[dict[str, Any]], articles: dict[str, str]) -> dict[str, Any]:
    """Every checker over every claim, each article parsed and indexed once."""
    from newsbrief.check import get_checker
    from newsbrief.evaluate.checker import bigram_precision
    from newsbrief.faithfulness import ArticleIndex
    from newsbrief.ingest import parse_text

    indexes = {
        aid: ArticleIndex(parse_text(articles[aid], format="plain")) for aid in {r["article_id"] for r in claims}
    }
    baseline = {id(r): bigram_precision(r["claim"], articles[r["article_id"]]) for r in claims}
    result: dict[str, Any] = {
        "claims": len(claims),
        "articles": len(indexes),
        "labels": dict(Counter(r["label"] for r in claims)),
        "kinds": dict(Counter(r["kind"] for r in claims)),
        "checkers": {},
    }
    for name in checkers:
        checker = get_checker(name)
        outcomes = [judge(checker, indexes[r["article_id"]], r) for r in claims]
        result["checkers"][name] = {"figures": breakdown(outcomes, baseline), "failures": failures(outcomes)}
    return result


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown(result: dict[str, Any], command: str) -> str:
    """The results page: what was run, what each column means, then the tables."""
    lines = [
        "# Paraphrase and perturbation benchmark (issue 14)",
        "",
        f"`{command}` over `bench/data/paraphrase.jsonl`: {result['claims']} one-sentence claims written by "
        f"hand against {result['articles']} dev articles (35 SummEval, 15 QAGS-CNN; labels {result['labels']}). "
        "Each claim is checked alone against its article (`parse_text(article, format='plain')`); a claim the "
        "checker splits into several sentences is judged by its weakest sentence. Nothing here is fitted: "
        "`fit` and `test` are two halves of the articles, fixed by a hash of the article id, so later tuning "
        "can use `fit` and report `test`. The annotator wrote the claims after reading each article, and "
        "some false kinds (number changes, name swaps) are exactly what the lexical checks were built for, "
        "so treat the per-kind rows, not the overall AUC, as the finding. The `learned` checker's weights were "
        "fitted on dev *summaries* of these same articles (never on these claims), so its figures here are "
        "not held out at the article level.",
        "",
        "Columns: **n** claims; **sup / chk / uns** how many got each sentence verdict; **true ok** the share "
        "of true claims *not* called `unsupported` (issue 14's paraphrase target, high is good); **false caught** "
        "the share of false claims *not* called `supported` (high is good); **AUC** ROC AUC of the sentence "
        "score, true vs false (for a kind row: that kind against every claim of the other label in the split); "
        "**bigram AUC** the same for bigram precision (`newsbrief.evaluate.checker.bigram_precision`); "
        "**no reason** unsupported verdicts with no issue at all; **generic only** unsupported verdicts whose "
        "only reason is `no_support` (no window backs it) rather than a named number, name, negation, verb or "
        "role.",
        "",
    ]
    header = "| kind | n | sup / chk / uns | true ok | false caught | AUC | bigram AUC | no reason | generic only |"
    for name, block in result["checkers"].items():
        for split in SPLITS:
            figures = block["figures"][split]
            lines += [
                f"## `{name}` checker, split `{split}`",
                "",
                header,
                "|---|---:|---|---:|---:|---:|---:|---:|---:|",
            ]
            for kind, row in [("**all**", figures["overall"]), *figures["kinds"].items()]:
                v = row["verdicts"]
                lines.append(
                    f"| {kind} | {row['n']} | {v['supported']} / {v['check']} / {v['unsupported']} | "
                    f"{_pct(row['true_not_unsupported'])} | {_pct(row['false_not_supported'])} | {_num(row['auc'])} | "
                    f"{_num(row['bigram_auc'])} | {row['unsupported_no_reason']} | {row['unsupported_generic_reason_only']} |"
                )
            lines.append("")
        lines += [
            f"### `{name}`: worst misses (all splits)",
            "",
            "| claim | kind | verdict | score | reasons |",
            "|---|---|---|---:|---|",
        ]
        for f in block["failures"]:
            claim = f["claim"].replace("|", "\\|")
            lines.append(
                f"| {claim} | {f['kind']} | {f['verdict']} | {f['score']:.3f} | {', '.join(f['reasons']) or '–'} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--checker",
        action="append",
        choices=("lexical", "learned"),
        help="repeatable; both by default (learned is the default checker)",
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--dev", type=Path, default=DEV, help="folder with summeval.jsonl and qags_cnn_dev.jsonl")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where paraphrase.md and paraphrase.json go")
    args = parser.parse_args(argv)
    checkers = args.checker or ["lexical", "learned"]
    result = run(checkers, load_claims(args.data), load_articles(args.dev))
    command = "python bench/paraphrase.py" + "".join(f" --checker {c}" for c in args.checker or [])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "paraphrase.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (args.out / "paraphrase.md").write_text(markdown(result, command) + "\n", encoding="utf-8")
    for name, block in result["checkers"].items():
        for split in SPLITS:
            o = block["figures"][split]["overall"]
            print(
                f"{name:8} {split:5} n={o['n']} verdicts={o['verdicts']} true_ok={o['true_not_unsupported']} "
                f"false_caught={o['false_not_supported']} auc={o['auc']} bigram={o['bigram_auc']}",
                file=sys.stderr,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
