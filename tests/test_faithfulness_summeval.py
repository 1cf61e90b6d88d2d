"""Our default highlights are cut from the article: the checker must find nothing unsupported.

Any unsupported item on them is a checker false positive. Runs over all 100 SummEval dev
articles when ``../shared/data/dev/summeval.jsonl`` is there; skipped otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsbrief
from newsbrief.faithfulness import ArticleIndex, check

SUMMEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "summeval.jsonl"


@pytest.mark.skipif(not SUMMEVAL.exists(), reason="needs ../shared/data/dev/summeval.jsonl")
def test_default_highlights_have_no_unsupported_items() -> None:
    records = [json.loads(line) for line in SUMMEVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 100
    found = []
    verdicts = set()
    for r in records:
        article = newsbrief.parse(r["article"])
        report = check(article, newsbrief.summarize(article))
        found += [(r["id"], i.kind, i.text) for i in report.issues]
        verdicts.add(report.verdict)
        for sentence in report.sentences:
            assert sentence.support_span is not None
    assert found == []
    assert verdicts == {"consistent"}


@pytest.mark.skipif(not SUMMEVAL.exists(), reason="needs ../shared/data/dev/summeval.jsonl")
def test_human_references_show_no_contrary_verb_or_swapped_roles() -> None:
    """SummEval's human references (and the articles' own highlights) are abstractive but true:
    the contrary-verb and swapped-role checks must not fire on them (each false alarm found
    there is kept as a unit test in test_faithfulness.py)."""
    found = []
    sentences = 0
    for line in SUMMEVAL.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        index = ArticleIndex(newsbrief.parse_text(r["article"], format="plain"))
        highlights = [r["highlights"]] if isinstance(r["highlights"], str) else list(r["highlights"])
        for reference in r["references"] + highlights:
            report = check(index, reference)
            sentences += len(report.sentences)
            found += [(r["id"], i.kind, i.text) for i in report.issues if i.kind in ("verb_contradiction", "role_swap")]
    assert sentences > 3000
    assert found == []
