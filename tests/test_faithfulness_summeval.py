"""Our default highlights are cut from the article: the checker must find nothing unsupported.

Any unsupported item on them is a checker false positive. Runs over all 100 SummEval dev
articles when ``../shared/data/dev/summeval.jsonl`` is there; skipped otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsbrief
from newsbrief.faithfulness import check

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
