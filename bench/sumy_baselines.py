"""Run sumy's LexRank, TextRank and LSA on the dev articles, offline, as extra baselines.

Why this exists
---------------
The evaluation table compares our methods with the 16 published systems of SummEval. Users
also ask how we compare with the classic unsupervised extractive summarizers most people reach
for first, and the usual package for those is ``sumy`` (a dev/bench-only dependency, never
imported by ``newsbrief`` itself). This script writes one prediction file per sumy method that
``newsbrief evaluate --pred`` scores on the same documents as everything else.

Running sumy offline
--------------------
sumy's documented quick start (``PlaintextParser.from_string(text, Tokenizer("english"))``)
fails without network: ``Tokenizer("english")`` loads NLTK's Punkt model ``punkt_tab``, which
is *data* that ``nltk.download`` fetches from GitHub, and the default word tokenizer
(``nltk.word_tokenize``) needs the same data again. See ``bench/results/sumy-offline.md`` for
the exact errors. What sumy needs besides that works offline: the English stop words ship inside
the sumy package, and the stemmer is NLTK's Snowball stemmer (code, no data). So:

* sentences are not split by sumy at all: the sumy document is built directly from the
  sentences ``newsbrief`` found in ``Article.body`` (same parse as the evaluator:
  ``newsbrief.iter_records``), one sumy paragraph per newsbrief paragraph, so sumy ranks exactly
  the sentences our methods choose from (captions, bylines etc. already moved out of the body);
* :class:`OfflineTokenizer` stands in for ``sumy.nlp.tokenizers.Tokenizer``: ``to_sentences``
  uses ``newsbrief.nlp.sentences.split_sentences`` instead of Punkt, and ``to_words`` runs
  ``nltk.tokenize.NLTKWordTokenizer`` (the regex tokenizer that ``nltk.word_tokenize`` applies
  to each Punkt sentence, so words match stock sumy) and then sumy's own word filter;
* stop words: ``sumy.utils.get_stop_words("english")`` (package data); stemmer:
  ``sumy.nlp.stemmers.Stemmer("english")``; summarizer settings are sumy's defaults;
* LSA only: exact ties are broken by article order instead of by hash-seed-dependent round-off
  (:class:`ReproducibleLsaSummarizer`), so the prediction files are reproducible.

Each chosen sentence is written with its ``[start, end]`` offsets into ``Article.body`` so the
evaluator's position plot can use it. Highlights are in article order (sumy's output order).

How to run
----------
From the repository root, with the ``[bench]`` extra installed (``pip install -e ".[bench]"``)::

    .venv/bin/python bench/sumy_baselines.py [--data ../shared/data/dev/summeval.jsonl]
        [--out-dir bench/results/sumy] [-n 3] [--method sumy-lexrank ...]

It writes ``<out-dir>/<method>.jsonl`` (one line per record: ``{"id", "highlights": [{"text",
"spans"}]}``) and ``<out-dir>/timings.json``, then score them with::

    .venv/bin/newsbrief evaluate ../shared/data/dev/summeval.jsonl --method lead \\
        --pred bench/results/sumy/sumy-lexrank.jsonl --pred bench/results/sumy/sumy-textrank.jsonl \\
        --pred bench/results/sumy/sumy-lsa.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbrief import Article, iter_records
from newsbrief.nlp.sentences import split_sentences

try:
    from nltk.tokenize import NLTKWordTokenizer
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words
except ImportError as exc:  # pragma: no cover - only without the bench extra
    sys.exit(f"sumy_baselines: {exc}; install the bench extra: .venv/bin/pip install -e '.[bench]'")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev" / "summeval.jsonl"
DEFAULT_OUT = REPO / "bench" / "results" / "sumy"
LANGUAGE = "english"
DEFAULT_SENTENCES = 3

# sumy's own filter on word tokens (``sumy.nlp.tokenizers.Tokenizer._WORD_PATTERN``): letters,
# with apostrophes and hyphens inside; numbers and punctuation are not words.
WORD_PATTERN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")


class ReproducibleLsaSummarizer(LsaSummarizer):
    """sumy's LSA with its ties broken the same way on every run.

    With sumy's default ``REDUCTION_RATIO = 1`` all singular values are kept, so a sentence's
    rank equals the norm of its column in the term matrix: sentences tie exactly whenever their
    content-word count profiles do (26 of the 100 dev documents tie at the 3rd/4th place). SVD
    round-off (~1e-13) then picks the winner, and it depends on the row order of the term
    dictionary, which sumy builds by enumerating a ``frozenset`` of strings, i.e. on
    ``PYTHONHASHSEED``: 3-4 of 100 dev summaries changed between runs. Here the dictionary is
    sorted and ranks are rounded to 9 decimals, so exact ties go to the earlier sentence (the
    same rule sumy's stable sort already applies for LexRank and TextRank). The math is unchanged.
    """

    def _create_dictionary(self, document: Any) -> dict[str, int]:
        return {w: i for i, w in enumerate(sorted(super()._create_dictionary(document)))}

    def _compute_ranks(self, sigma: Any, v_matrix: Any) -> list[float]:
        return [round(r, 9) for r in super()._compute_ranks(sigma, v_matrix)]


SUMMARIZERS: dict[str, Callable[[Stemmer], Any]] = {
    "sumy-lexrank": LexRankSummarizer,
    "sumy-textrank": TextRankSummarizer,
    "sumy-lsa": ReproducibleLsaSummarizer,
}


class OfflineTokenizer:
    """Duck-typed stand-in for ``sumy.nlp.tokenizers.Tokenizer`` that needs no NLTK data.

    sumy's ``Tokenizer.__init__`` loads the Punkt model (``punkt_tab``) and cannot be
    constructed offline, so this does not subclass it. sumy's document model only calls
    ``to_words`` (and parsers call ``to_sentences``).
    """

    def __init__(self, language: str = LANGUAGE) -> None:
        self._language = language
        self._words = NLTKWordTokenizer()

    @property
    def language(self) -> str:
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Replaces Punkt (``punkt_tab`` data) with newsbrief's splitter."""
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """``nltk.word_tokenize`` without its Punkt step (we pass one sentence), then sumy's filter."""
        return tuple(w for w in self._words.tokenize(sentence) if WORD_PATTERN.match(w))


def build_document(article: Article, tokenizer: OfflineTokenizer) -> tuple[Any, list[Any]]:
    """A sumy document holding exactly ``article.sentences``, grouped by paragraph.

    Returns the document and its sumy sentences in article order (parallel to
    ``article.sentences``), so chosen sentences can be mapped back by identity: sumy's
    ``Sentence`` compares and hashes by text, and an article can repeat a sentence.
    """
    sentences = [SumySentence(s.text, tokenizer) for s in article.sentences]
    groups: dict[int, list[Any]] = {}
    for ours, theirs in zip(article.sentences, sentences, strict=True):
        groups.setdefault(ours.paragraph, []).append(theirs)
    return ObjectDocumentModel([Paragraph(g) for g in groups.values()]), sentences


def make_summarizer(name: str) -> Any:
    """A sumy summarizer as in sumy's quick start: English stemmer and stop words, defaults otherwise."""
    summarizer = SUMMARIZERS[name](Stemmer(LANGUAGE))
    summarizer.stop_words = get_stop_words(LANGUAGE)
    return summarizer


def summarize(summarizer: Any, article: Article, tokenizer: OfflineTokenizer, n: int) -> list[dict[str, Any]]:
    """The highlights sumy picks for ``article``: sentence text and its span in ``article.body``."""
    if not article.sentences:
        return []
    document, sentences = build_document(article, tokenizer)
    index = {id(s): i for i, s in enumerate(sentences)}
    chosen = sorted(index[id(s)] for s in summarizer(document, n))
    out = []
    for i in chosen:
        s = article.sentences[i]
        if article.body[s.start : s.end] != s.text:  # the Article contract; cheap to check
            raise AssertionError(f"sentence {s.id} text does not match body[{s.start}:{s.end}]")
        out.append({"text": s.text, "spans": [[s.start, s.end]]})
    return out


@dataclass
class MethodRun:
    name: str
    seconds: float = 0.0
    docs: int = 0
    highlights: int = 0
    warnings: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def load_articles(path: Path) -> tuple[list[tuple[str, Article]], list[str]]:
    """Records parsed exactly as ``newsbrief evaluate`` parses them; unreadable ones are noted."""
    articles: list[tuple[str, Article]] = []
    notes: list[str] = []
    for record in iter_records(path, format="jsonl", text_field="article"):
        if record.error is not None or record.article is None:
            notes.append(f"line {record.line}: skipped ({record.error})")
            continue
        articles.append((str(record.id), record.article))
    return articles, notes


def run_method(name: str, articles: Sequence[tuple[str, Article]], n: int) -> MethodRun:
    """Summarize every article with one method; time covers word tokenization and ranking."""
    run = MethodRun(name)
    summarizer = make_summarizer(name)
    tokenizer = OfflineTokenizer()
    for rid, article in articles:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            highlights = summarize(summarizer, article, tokenizer, n)
            run.seconds += time.perf_counter() - t0
        for w in caught:
            key = re.sub(r"\d+", "N", str(w.message))
            run.warnings[key] = run.warnings.get(key, 0) + 1
        run.docs += 1
        run.highlights += len(highlights)
        run.lines.append(json.dumps({"id": rid, "highlights": highlights}, ensure_ascii=False))
    return run


def versions(packages: Iterable[str]) -> dict[str, str]:
    out = {}
    for p in packages:
        try:
            out[p] = importlib.metadata.version(p)
        except importlib.metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL with 'id' and 'article'")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help="where <method>.jsonl files go")
    parser.add_argument("-n", "--sentences", type=int, default=DEFAULT_SENTENCES, help="sentences per summary")
    parser.add_argument(
        "--method", action="append", choices=list(SUMMARIZERS), help="method(s) to run (default: all three)"
    )
    args = parser.parse_args(argv)
    if args.sentences < 1:
        parser.error("--sentences must be at least 1")

    t0 = time.perf_counter()
    articles, notes = load_articles(args.data)
    parse_seconds = time.perf_counter() - t0
    if not articles:
        print(f"sumy_baselines: no readable records in {args.data}", file=sys.stderr)
        return 1
    args.out_dir.mkdir(parents=True, exist_ok=True)

    timings: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "versions": versions(["newsbrief", "sumy", "nltk", "numpy"]),
        "data": os.path.relpath(args.data, REPO),
        "documents": len(articles),
        "sentences_per_summary": args.sentences,
        "parse_seconds": round(parse_seconds, 3),
        "methods": {},
        "notes": notes,
    }
    print(f"parsed {len(articles)} articles in {parse_seconds:.2f} s (newsbrief, shared by all methods)")
    for name in args.method or list(SUMMARIZERS):
        run = run_method(name, articles, args.sentences)
        path = args.out_dir / f"{name}.jsonl"
        path.write_text("\n".join(run.lines) + "\n", encoding="utf-8")
        timings["methods"][name] = {
            "seconds": round(run.seconds, 3),
            "ms_per_doc": round(1000 * run.seconds / run.docs, 2),
            "docs": run.docs,
            "highlights": run.highlights,
            "warnings": run.warnings,
            "output": str(path.relative_to(REPO) if path.is_relative_to(REPO) else path),
        }
        print(
            f"{name}: {run.docs} docs, {run.highlights} highlights, {run.seconds:.2f} s "
            f"({1000 * run.seconds / run.docs:.1f} ms/doc) -> {path}"
        )
        for message, count in run.warnings.items():
            print(f"  warning x{count}: {message}")
    (args.out_dir / "timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
