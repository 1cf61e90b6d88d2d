"""Benchmark sentence splitters against a hand-labelled gold set of news sentence boundaries.

What it measures
----------------
The gold set (``bench/data/sentence_gold.jsonl``) holds passages cut from real CNN/Daily Mail
articles (``../shared/data/dev/summeval.jsonl``) and from the seed CNN story
(``../shared/data/seed/cnn-erdogan-putin.txt``).  Every passage was split into sentences by
hand.  It is rich in the hard cases of scraped news text: abbreviations (``U.S.``, ``Dr.``,
``St. Louis``, ``News Corp.``), initials (``David L. Wolper``), decimals and money
(``$2.6 million``, ``52.491km``), sentences ending inside quotes (``.'`` / ``. ’``), question and
exclamation marks inside quotes, ellipses, and above all photo captions, "Scroll down for video"
fragments and related-link headlines that have no final full stop and run straight into the next
sentence.  A caption counts as a sentence of its own.

A *boundary* is the character offset where a sentence ends (end of the whitespace-stripped
sentence).  Only internal boundaries count: the end of each passage is not scored.  For every
candidate splitter the script reports, over all passages:

* boundary precision, recall and F1 (exact offsets);
* the same with a small tolerance for quote placement (a predicted boundary matches a gold one
  when only whitespace and quote/bracket characters lie between them, e.g. ``room.`` vs
  ``room. ’``), so that engineers can tell real misses from quote-attachment noise;
* the share of passages split exactly right;
* speed in sentences/s (gold sentence count / wall time, single thread, loop repeated until it
  takes >= 1 s, best of 3 repeats);
* recall and precision per passage tag and recall per gold boundary type (which phenomena each
  tool misses), and up to 15 example errors for the two best candidates.

Candidates: ``newsbrief`` (``newsbrief.nlp.sentences.split_spans``), ``pysbd``, ``sentencex``,
``blingfire`` and a naive regex baseline.  A candidate that fails to import is skipped with a note.

How to run
----------
From the repository root::

    make bench-split      # installs the [bench] extra, then runs:
    .venv/bin/python bench/sentence_split.py \\
        [--gold bench/data/sentence_gold.jsonl] [--out bench/results/sentence_split.md]

The markdown report goes to ``--out`` and the same numbers as JSON next to it (``.json``).
``--validate-only`` just checks the gold file and exits (non-zero on any problem).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.metadata
import json
import math
import os
import platform
import re
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = REPO_ROOT / "bench" / "data" / "sentence_gold.jsonl"
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "sentence_split.md"
SUMMEVAL_CANDIDATES = (
    REPO_ROOT.parent / "shared" / "data" / "dev" / "summeval.jsonl",
    Path("/work/shared/data/dev/summeval.jsonl"),
)
SEED_CANDIDATES = (
    REPO_ROOT.parent / "shared" / "data" / "seed" / "cnn-erdogan-putin.txt",
    Path("/work/shared/data/seed/cnn-erdogan-putin.txt"),
)
MIN_BOUNDARIES = 400
MIN_SECONDS = 1.0
REPEATS = 3
MAX_EXAMPLES = 15
CONTEXT = 40
# Characters that may separate a predicted from a gold boundary in the quote-tolerant score.
QUOTE_GAP = set(" \t\r\n\u00a0'\"\u2018\u2019\u201c\u201d)]")

Span = tuple[int, int]
SplitFn = Callable[[str], list[Span]]


# --------------------------------------------------------------------------- gold data


@dataclass(frozen=True)
class Passage:
    """One gold passage: an exact excerpt of a source article and its hand-made sentence split."""

    id: str
    source: str
    text: str
    sentences: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def article_id(self) -> str:
        return self.id.rsplit("#", 1)[0]


def load_gold(path: Path) -> list[Passage]:
    passages: list[Passage] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                passages.append(
                    Passage(
                        id=str(rec["id"]),
                        source=str(rec["source"]),
                        text=str(rec["text"]),
                        sentences=tuple(str(s) for s in rec["sentences"]),
                        tags=tuple(str(t) for t in rec.get("tags", [])),
                    )
                )
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise SystemExit(f"{path}:{lineno}: malformed gold record: {exc}") from exc
    return passages


def _first_existing(paths: Iterable[Path]) -> Path | None:
    for p in paths:
        if p.is_file():
            return p
    return None


def load_sources(summeval: Path | None, seed: Path | None) -> dict[str, dict[str, str]]:
    """Source articles keyed by source name, then article id."""
    sources: dict[str, dict[str, str]] = {"summeval": {}, "seed": {}}
    if summeval is not None:
        with summeval.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    sources["summeval"][rec["id"]] = rec["article"]
    if seed is not None:
        sources["seed"]["*"] = seed.read_text(encoding="utf-8")
    return sources


def sentence_offsets(passage: Passage) -> list[Span]:
    """(start, end) of each gold sentence in ``passage.text``; raises ValueError if they do not tile it."""
    text = passage.text
    spans: list[Span] = []
    pos = 0
    for i, sent in enumerate(passage.sentences):
        if not sent:
            raise ValueError(f"sentence {i} is empty")
        if sent != sent.strip():
            raise ValueError(f"sentence {i} has leading/trailing whitespace")
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if not text.startswith(sent, pos):
            raise ValueError(f"sentence {i} does not continue the text at offset {pos}: {sent[:50]!r}")
        spans.append((pos, pos + len(sent)))
        pos += len(sent)
    if text[pos:].strip():
        raise ValueError(f"text after the last sentence is not covered: {text[pos : pos + 50]!r}")
    return spans


def gold_boundaries(passage: Passage) -> list[int]:
    """Internal boundaries: end offsets of every sentence except the last."""
    return [end for _, end in sentence_offsets(passage)[:-1]]


def validate(passages: Sequence[Passage], sources: dict[str, dict[str, str]]) -> list[str]:
    """Return a list of problems (empty when the gold set is valid)."""
    errors: list[str] = []
    seen: set[str] = set()
    n_boundaries = 0
    for p in passages:
        where = f"[{p.id}]"
        if p.id in seen:
            errors.append(f"{where} duplicate id")
        seen.add(p.id)
        if "#" not in p.id:
            errors.append(f"{where} id must look like '<article id>#<k>'")
        if p.source not in ("summeval", "seed"):
            errors.append(f"{where} unknown source {p.source!r}")
            continue
        if not p.text or p.text != p.text.strip():
            errors.append(f"{where} text is empty or not stripped")
        key = p.article_id if p.source == "summeval" else "*"
        article = sources[p.source].get(key)
        if article is None:
            if sources[p.source]:
                errors.append(f"{where} source article {p.article_id!r} not found")
            else:
                errors.append(f"{where} source file for {p.source!r} not available; cannot check substring")
        elif p.text not in article:
            errors.append(f"{where} text is not an exact substring of the source article")
        if not p.sentences:
            errors.append(f"{where} no sentences")
            continue
        try:
            n_boundaries += len(gold_boundaries(p))
        except ValueError as exc:
            errors.append(f"{where} {exc}")
        if not isinstance(p.tags, tuple) or not all(p.tags):
            errors.append(f"{where} tags must be non-empty strings")
    if n_boundaries < MIN_BOUNDARIES:
        errors.append(f"only {n_boundaries} internal boundaries; need >= {MIN_BOUNDARIES}")
    return errors


# --------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    name: str
    version: str
    split: SplitFn
    note: str = ""


def _pkg_version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def spans_from_strings(text: str, pieces: Iterable[str]) -> list[Span]:
    """Map sentence strings back to character spans by searching sequentially from the last match.

    Tries an exact search first, then a whitespace-insensitive one (for tools that normalise
    whitespace).  Pieces that cannot be located are skipped.
    """
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        idx = text.find(needle, pos)
        if idx >= 0:
            end = idx + len(needle)
        else:
            pattern = r"\s*".join(re.escape(tok) for tok in needle.split())
            m = re.compile(pattern).search(text, pos)
            if m is None:
                continue
            idx, end = m.start(), m.end()
        spans.append((idx, end))
        pos = end
    return spans


def _regex_candidate() -> Candidate:
    rx = re.compile(r"[.!?](?=\s+[A-Z])")

    def split(text: str) -> list[Span]:
        spans: list[Span] = []
        start = 0
        for m in rx.finditer(text):
            spans.append((start, m.end()))
            start = m.end()
        spans.append((start, len(text)))
        return spans

    return Candidate("regex baseline", "-", split, "split after [.!?] followed by whitespace + capital letter")


def _newsbrief_candidate() -> Candidate:
    from newsbrief.nlp.sentences import split_spans

    try:
        import newsbrief

        version = getattr(newsbrief, "__version__", None) or _pkg_version("newsbrief")
    except ImportError:  # pragma: no cover - split_spans imported, so the package exists
        version = "unknown"

    def split(text: str) -> list[Span]:
        return [(int(s), int(e)) for s, e in split_spans(text)]

    return Candidate("newsbrief", str(version), split, "newsbrief.nlp.sentences.split_spans")


def _pysbd_candidate() -> Candidate:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(text: str) -> list[Span]:
        # Use the returned sentence strings (mapped sequentially) rather than trusting
        # TextSpan.start/end blindly; fall back to them only if a string cannot be found.
        out = segmenter.segment(text)
        spans = spans_from_strings(text, (ts.sent for ts in out))
        if len(spans) < len([ts for ts in out if ts.sent.strip()]):
            spans = [(ts.start, ts.end) for ts in out]
        return spans

    return Candidate("pysbd", _pkg_version("pysbd"), split, 'Segmenter(language="en", clean=False, char_span=True)')


def _sentencex_candidate() -> Candidate:
    import sentencex

    def split(text: str) -> list[Span]:
        return spans_from_strings(text, list(sentencex.segment("en", text)))

    return Candidate("sentencex", _pkg_version("sentencex"), split, 'segment("en", text)')


def _blingfire_candidate() -> Candidate:
    import blingfire

    def split(text: str) -> list[Span]:
        _, offsets = blingfire.text_to_sentences_and_offsets(text)
        return [(int(s), int(e)) for s, e in offsets]

    return Candidate("blingfire", _pkg_version("blingfire"), split, "text_to_sentences_and_offsets")


CANDIDATE_FACTORIES: dict[str, Callable[[], Candidate]] = {
    "newsbrief": _newsbrief_candidate,
    "pysbd": _pysbd_candidate,
    "sentencex": _sentencex_candidate,
    "blingfire": _blingfire_candidate,
    "regex": _regex_candidate,
}


def load_candidates(names: Sequence[str]) -> tuple[list[Candidate], list[str]]:
    candidates: list[Candidate] = []
    skipped: list[str] = []
    for name in names:
        factory = CANDIDATE_FACTORIES[name]
        try:
            candidates.append(factory())
        except Exception as exc:  # noqa: BLE001 - any import/initialisation failure means "skip"
            msg = f"{name}: skipped ({type(exc).__name__}: {exc})"
            print(f"note: {msg}", file=sys.stderr)
            skipped.append(msg)
    return candidates, skipped


# --------------------------------------------------------------------------- scoring


def predicted_boundaries(text: str, spans: Iterable[Span]) -> set[int]:
    """Internal boundaries from predicted spans: stripped span ends strictly inside the text."""
    limit = len(text.rstrip())
    out: set[int] = set()
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        piece = text[start:end]
        if not piece.strip():
            continue
        b = start + len(piece.rstrip())
        if 0 < b < limit:
            out.add(b)
    return out


def quote_tolerant_pred(text: str, pred: set[int]) -> set[int]:
    """Predicted boundaries minus those that only split off quotes/brackets at the passage end."""
    return {b for b in pred if not all(ch in QUOTE_GAP for ch in text[b:])}


def tolerant_matches(text: str, gold: Sequence[int], pred: set[int]) -> int:
    """Greedy one-to-one matches where only whitespace/quotes/brackets separate the two offsets."""
    free = sorted(pred)
    used: set[int] = set()
    hits = 0
    for g in gold:
        for p in free:
            if p in used:
                continue
            lo, hi = min(g, p), max(g, p)
            if all(ch in QUOTE_GAP for ch in text[lo:hi]):
                used.add(p)
                hits += 1
                break
    return hits


def boundary_type(sentence: str) -> str:
    """Coarse type of a gold boundary, from how the sentence before it ends."""
    core = sentence.rstrip(" '\"\u2018\u2019\u201c\u201d)]")
    quoted = core != sentence
    if core.endswith(("...", "\u2026")):
        return "ellipsis"
    if core.endswith(("?", "!")):
        return "?/! in quotes" if quoted else "?/!"
    if core.endswith("."):
        return "period in quotes" if quoted else "period"
    return "no punctuation (caption/headline run-on)"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ErrorExample:
    passage_id: str
    kind: str  # "false split" | "missed boundary"
    offset: int
    context: str
    detail: str  # gold boundary type for misses, the word before the split for false splits


@dataclass
class Result:
    candidate: Candidate
    strict: Counts = field(default_factory=Counts)
    tolerant: Counts = field(default_factory=Counts)
    exact_passages: int = 0
    n_passages: int = 0
    by_tag: dict[str, Counts] = field(default_factory=dict)
    by_type: dict[str, Counts] = field(default_factory=dict)
    errors: list[ErrorExample] = field(default_factory=list)
    sentences_per_s: float = 0.0
    seconds_best: float = 0.0
    loops: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def speed_text(self) -> str:
        return f"{self.sentences_per_s:,.0f}" if self.loops else "n/a"

    @property
    def exact_pct(self) -> float:
        return 100.0 * self.exact_passages / self.n_passages if self.n_passages else 0.0


def _context(text: str, offset: int) -> str:
    left = text[max(0, offset - CONTEXT) : offset]
    right = text[offset : offset + CONTEXT]
    return (left + " ‖ " + right).replace("\n", " ").replace("|", "\\|")


def evaluate(cand: Candidate, passages: Sequence[Passage]) -> Result:
    res = Result(cand, n_passages=len(passages))
    for p in passages:
        gold_spans = sentence_offsets(p)
        gold = [end for _, end in gold_spans[:-1]]
        try:
            pred = predicted_boundaries(p.text, cand.split(p.text))
        except Exception as exc:  # noqa: BLE001 - a crash on one passage is scored as "no prediction"
            res.failures.append(f"{p.id}: {type(exc).__name__}: {exc}")
            pred = set()
        gset = set(gold)
        tp, fp, fn = len(gset & pred), len(pred - gset), len(gset - pred)
        res.strict.add(tp, fp, fn)
        tpred = quote_tolerant_pred(p.text, pred)
        tol = tolerant_matches(p.text, gold, tpred)
        res.tolerant.add(tol, len(tpred) - tol, len(gold) - tol)
        if pred == gset:
            res.exact_passages += 1
        for tag in p.tags:
            res.by_tag.setdefault(tag, Counts()).add(tp, fp, fn)
        for i, g in enumerate(gold):
            kind = boundary_type(p.sentences[i])
            hit = g in pred
            res.by_type.setdefault(kind, Counts()).add(int(hit), 0, int(not hit))
        gold_type = {g: boundary_type(p.sentences[i]) for i, g in enumerate(gold)}
        for b in sorted(pred - gset):
            word = p.text[:b].split()[-1] if p.text[:b].split() else ""
            res.errors.append(ErrorExample(p.id, "false split", b, _context(p.text, b), f"after {word[-20:]!r}"))
        for b in sorted(gset - pred):
            res.errors.append(ErrorExample(p.id, "missed boundary", b, _context(p.text, b), gold_type[b]))
    return res


def measure_speed(cand: Candidate, passages: Sequence[Passage], n_sentences: int) -> tuple[float, float, int]:
    """(sentences/s, best seconds, loops per repeat): loop >= MIN_SECONDS, best of REPEATS."""
    texts = [p.text for p in passages]

    def run(loops: int) -> float:
        t0 = time.perf_counter()
        for _ in range(loops):
            for t in texts:
                cand.split(t)
        return time.perf_counter() - t0

    once = max(run(1), 1e-6)  # also serves as warm-up
    loops = max(1, math.ceil(MIN_SECONDS / once))
    best = min(run(loops) for _ in range(REPEATS))
    return loops * n_sentences / best, best, loops


def measure_articles(summeval: Path | None) -> dict[str, Any]:
    """``split_spans`` on whole articles: what the CLI pays per article, and on hostile text.

    CPU time (``time.process_time``), best of 3: the machine may be shared. SummEval articles
    are CNN/DailyMail length; the hostile input ("Mr. " repeated: a candidate terminator every
    four characters, none of them a boundary) is timed at three sizes to show the cost stays
    linear.
    """
    from newsbrief.nlp.sentences import split_spans

    out: dict[str, Any] = {}
    if summeval is not None:
        with summeval.open(encoding="utf-8") as f:
            articles = [json.loads(line)["article"] for line in f if line.strip()]
        best = min(_cpu_seconds(lambda: [split_spans(a) for a in articles for _ in range(5)]) for _ in range(3))
        out["summeval"] = {
            "articles": len(articles),
            "mb": round(sum(len(a) for a in articles) / 1e6, 3),
            "articles_per_cpu_s": round(5 * len(articles) / best),
        }
    hostile = {}
    for mb in (0.25, 0.5, 1.0):
        text = "Mr. " * int(mb * 1e6 / 4)
        hostile[str(mb)] = round(min(_cpu_seconds(lambda text=text: split_spans(text)) for _ in range(3)), 3)
    out["mr_repeated_cpu_s_by_mb"] = hostile
    return out


def _cpu_seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def pick_examples(errors: Sequence[ErrorExample], limit: int = MAX_EXAMPLES) -> list[ErrorExample]:
    """A varied sample: round-robin over error groups (false splits; misses per gold boundary type),
    at most two examples per passage, each group in gold order."""
    groups: dict[str, list[ErrorExample]] = {}
    for e in errors:
        key = "false split" if e.kind == "false split" else f"missed: {e.detail}"
        groups.setdefault(key, []).append(e)
    pools = sorted(groups.values(), key=len, reverse=True)
    per_passage: Counter[str] = Counter()
    out: list[ErrorExample] = []
    while any(pools) and len(out) < limit:
        for pool in pools:
            while pool:
                e = pool.pop(0)
                if per_passage[e.passage_id] < 2:
                    per_passage[e.passage_id] += 1
                    out.append(e)
                    break
            if len(out) >= limit:
                break
    return out


def short_id(passage_id: str) -> str:
    """``dm-test-8764fb95bfad...#1`` -> ``dm-test-8764fb95#1``."""
    article, _, k = passage_id.rpartition("#")
    head, _, digest = article.rpartition("-")
    if head and len(digest) > 8 and all(c in "0123456789abcdef" for c in digest):
        article = f"{head}-{digest[:8]}"
    return f"{article}#{k}"


# --------------------------------------------------------------------------- reporting


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def gold_summary(passages: Sequence[Passage]) -> dict[str, Any]:
    tags: Counter[str] = Counter(t for p in passages for t in p.tags)
    types: Counter[str] = Counter()
    for p in passages:
        for s in p.sentences[:-1]:
            types[boundary_type(s)] += 1
    return {
        "passages": len(passages),
        "articles": len({p.article_id for p in passages}),
        "sentences": sum(len(p.sentences) for p in passages),
        "internal_boundaries": sum(len(p.sentences) - 1 for p in passages),
        "characters": sum(len(p.text) for p in passages),
        "by_source": dict(Counter(p.source for p in passages)),
        "tag_counts": dict(tags.most_common()),
        "boundary_types": dict(types.most_common()),
    }


def render_markdown(
    command: str,
    date: str,
    gold_path: str,
    summary: dict[str, Any],
    results: Sequence[Result],
    skipped: Sequence[str],
    articles: dict[str, Any] | None = None,
) -> str:
    lines: list[str] = []
    lines.append("# Sentence splitting benchmark")
    lines.append("")
    lines.append(f"- Command: `{command}`")
    lines.append(f"- Date: {date}")
    lines.append(f"- Python {platform.python_version()} on {platform.platform()}, single thread")
    lines.append(
        f"- Gold: `{gold_path}` — {summary['passages']} passages from {summary['articles']} articles "
        f"({', '.join(f'{k} {v}' for k, v in summary['by_source'].items())}), {summary['sentences']} sentences, "
        f"**{summary['internal_boundaries']} internal boundaries**, {summary['characters']} characters"
    )
    lines.append("- Tag counts (passages): " + ", ".join(f"{k} {v}" for k, v in summary["tag_counts"].items()))
    lines.append("- Gold boundary types: " + ", ".join(f"{k} {v}" for k, v in summary["boundary_types"].items()))
    for s in skipped:
        lines.append(f"- Note: {s}")
    lines.append("")
    lines.append(
        "Boundary = end offset of a stripped gold sentence; passage ends are not scored. "
        "P/R/F1 are exact-offset scores; *F1 (quote-tol.)* also accepts a predicted boundary "
        "separated from the gold one only by whitespace/quotes/brackets. Speed = gold sentences / "
        "wall time, best of 3 repeats of a >= 1 s loop."
    )
    lines.append("")
    lines.append("| candidate | version | precision | recall | F1 | F1 (quote-tol.) | exact passages % | sentences/s |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        lines.append(
            f"| {r.candidate.name} | {r.candidate.version} | {_pct(r.strict.precision)} | {_pct(r.strict.recall)} "
            f"| {_pct(r.strict.f1)} | {_pct(r.tolerant.f1)} | {r.exact_pct:.1f} | {r.speed_text} |"
        )
    lines.append("")

    lines.append("## Recall by gold boundary type")
    lines.append("")
    kinds = list(summary["boundary_types"].keys())
    lines.append("| boundary type | n | " + " | ".join(r.candidate.name for r in results) + " |")
    lines.append("|---|---:|" + "---:|" * len(results))
    for k in kinds:
        row = [k, str(summary["boundary_types"][k])]
        for r in results:
            c = r.by_type.get(k, Counts())
            row.append(_pct(c.recall))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    lines.append("## Recall / precision by passage tag")
    lines.append("")
    lines.append(
        "Scores over all boundaries of the passages carrying the tag (a passage usually has several tags). "
        "Low recall = missed boundaries; low precision = false splits (abbreviations, initials, numbers)."
    )
    lines.append("")
    lines.append("| tag | passages | " + " | ".join(f"{r.candidate.name} R / P" for r in results) + " |")
    lines.append("|---|---:|" + "---|" * len(results))
    for tag, n in summary["tag_counts"].items():
        row = [tag, str(n)]
        for r in results:
            c = r.by_tag.get(tag, Counts())
            row.append(f"{_pct(c.recall)} / {_pct(c.precision)}")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    if articles:
        lines.append("")
        lines.append("## newsbrief on whole articles (CPU time, best of 3)")
        lines.append("")
        if "summeval" in articles:
            s = articles["summeval"]
            lines.append(
                f"- {s['articles']} SummEval articles ({s['mb']} MB): **{s['articles_per_cpu_s']:,} articles per CPU "
                "second** (`split_spans` only)"
            )
        sizes = ", ".join(f"{mb} MB: {sec} s" for mb, sec in articles["mr_repeated_cpu_s_by_mb"].items())
        lines.append(f'- Hostile `"Mr. "` repeated (no boundary at all): {sizes} (linear)')
        lines.append("")
    ranked = sorted(results, key=lambda r: r.strict.f1, reverse=True)[:2]
    if ranked:
        lines.append("## Example errors of the two best candidates")
        lines.append("")
        lines.append("`‖` marks the offset in question.")
        for r in ranked:
            lines.append("")
            n_fp = sum(1 for e in r.errors if e.kind == "false split")
            n_fn = len(r.errors) - n_fp
            lines.append(f"### {r.candidate.name} ({n_fp} false splits, {n_fn} missed boundaries in total)")
            lines.append("")
            lines.append("| passage | error | detail | context |")
            lines.append("|---|---|---|---|")
            for e in pick_examples(r.errors):
                detail = e.detail.replace("|", "\\|")
                lines.append(f"| {short_id(e.passage_id)} | {e.kind} | {detail} | `{e.context}` |")
    for r in results:
        if r.failures:
            lines.append("")
            lines.append(f"Note: {r.candidate.name} raised on {len(r.failures)} passages, e.g. {r.failures[0]}")
    lines.append("")
    return "\n".join(lines)


def result_to_json(r: Result) -> dict[str, Any]:
    def counts(c: Counts) -> dict[str, Any]:
        return {
            "tp": c.tp,
            "fp": c.fp,
            "fn": c.fn,
            "precision": round(c.precision, 4),
            "recall": round(c.recall, 4),
            "f1": round(c.f1, 4),
        }

    return {
        "candidate": r.candidate.name,
        "version": r.candidate.version,
        "call": r.candidate.note,
        "boundaries": counts(r.strict),
        "boundaries_quote_tolerant": counts(r.tolerant),
        "exact_passages": r.exact_passages,
        "exact_passages_pct": round(r.exact_pct, 2),
        "sentences_per_s": round(r.sentences_per_s, 1),
        "speed_best_seconds": round(r.seconds_best, 4),
        "speed_loops_per_repeat": r.loops,
        "by_tag": {k: counts(v) for k, v in sorted(r.by_tag.items())},
        "by_boundary_type": {k: counts(v) for k, v in sorted(r.by_type.items())},
        "n_false_splits": sum(1 for e in r.errors if e.kind == "false split"),
        "n_missed_boundaries": sum(1 for e in r.errors if e.kind == "missed boundary"),
        "example_errors": [e.__dict__ for e in pick_examples(r.errors)],
        "failures": r.failures,
    }


# --------------------------------------------------------------------------- main


def _command_line() -> str:
    parts = ["python", *sys.argv]
    prefix = f"PYTHONPATH={os.environ['PYTHONPATH']} " if os.environ.get("PYTHONPATH") else ""
    return prefix + " ".join(shlex.quote(p) for p in parts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown report; JSON goes next to it")
    ap.add_argument("--summeval", type=Path, default=None, help="summeval.jsonl used to validate substrings")
    ap.add_argument("--seed", type=Path, default=None, help="seed article used to validate substrings")
    ap.add_argument(
        "--candidates",
        default=",".join(CANDIDATE_FACTORIES),
        help="comma-separated subset of: " + ", ".join(CANDIDATE_FACTORIES),
    )
    ap.add_argument("--validate-only", action="store_true", help="only validate the gold file")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = ap.parse_args(argv)

    passages = load_gold(args.gold)
    summeval = args.summeval or _first_existing(SUMMEVAL_CANDIDATES)
    seed = args.seed or _first_existing(SEED_CANDIDATES)
    errors = validate(passages, load_sources(summeval, seed))
    summary = gold_summary(passages)
    if errors:
        for e in errors:
            print(f"gold error: {e}", file=sys.stderr)
        print(f"{len(errors)} problem(s) in {args.gold}", file=sys.stderr)
        return 1
    print(
        f"gold ok: {summary['passages']} passages, {summary['articles']} articles, "
        f"{summary['internal_boundaries']} internal boundaries"
    )
    print("tags: " + ", ".join(f"{k}={v}" for k, v in summary["tag_counts"].items()))
    if args.validate_only:
        return 0

    names = [n.strip() for n in args.candidates.split(",") if n.strip()]
    unknown = [n for n in names if n not in CANDIDATE_FACTORIES]
    if unknown:
        ap.error(f"unknown candidate(s): {', '.join(unknown)}")
    candidates, skipped = load_candidates(names)

    results: list[Result] = []
    for cand in candidates:
        res = evaluate(cand, passages)
        if not args.no_speed:
            res.sentences_per_s, res.seconds_best, res.loops = measure_speed(cand, passages, summary["sentences"])
        results.append(res)
        print(
            f"{cand.name:15s} P={_pct(res.strict.precision):>5} R={_pct(res.strict.recall):>5} "
            f"F1={_pct(res.strict.f1):>5} exact={res.exact_pct:5.1f}% {res.speed_text:>12} sent/s"
        )

    date = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = _command_line()
    try:
        gold_display = str(args.gold.resolve().relative_to(REPO_ROOT))
    except ValueError:
        gold_display = str(args.gold)
    articles = None if args.no_speed or "newsbrief" not in names else measure_articles(summeval)
    md = render_markdown(command, date, gold_display, summary, results, skipped, articles)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md, encoding="utf-8")
    payload = {
        "command": command,
        "date": date,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "gold": gold_display,
        "gold_summary": summary,
        "skipped": skipped,
        "results": [result_to_json(r) for r in results],
        "newsbrief_articles": articles,
    }
    json_path = args.out.with_suffix(".json")
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(md)
    print(f"wrote {args.out} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
