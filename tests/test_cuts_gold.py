"""Cut precision on the hand-labelled cuts of ``bench/data/cuts_gold.jsonl`` (issue 15).

Each row is a cut the engine made on a dev article (``source: dev``, SummEval) or on a dev page
of another publisher (``source: pages``), read and labelled by hand: ``acceptable`` (the rest is
a complete sentence that says the same thing) or ``broken``, with a one-line reason. The cutter
is re-run on every sentence at the row's ``min_words`` (rows labelled before a rule change that
no longer reproduce have ``min_words: null`` and are tried at every setting): of the labelled cuts
it still makes, at least 97% must be acceptable, and no broken dev cut may come back.
Held-out precision (cuts labelled before any rule was written from them) is in
bench/results/highlights_cv.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief.summarize.compress import compress
from newsbrief.summarize.highlights import HighlightsConfig

GOLD = Path(__file__).resolve().parents[1] / "bench" / "data" / "cuts_gold.jsonl"
SETTINGS = (20, 16, 12, 8)  # min_words the labelled cuts were made at


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def made_now(row: dict) -> bool:
    ops = HighlightsConfig().cuts
    settings = [row["min_words"]] if row["min_words"] else SETTINGS
    return any(compress(row["sentence"], 0, min_words=m, ops=ops).text == row["cut"] for m in settings)


def test_gold_has_300_labelled_dev_cuts_with_reasons(gold):
    dev = [r for r in gold if r["source"] == "dev"]
    assert len(dev) >= 300
    for r in gold:
        assert r["label"] in ("acceptable", "broken"), r
        assert r["reason"].strip() and r["sentence"] and r["cut"], r
        assert r["cut"] != r["sentence"]


def test_cut_precision_on_labelled_cuts_is_at_least_97_percent(gold):
    made = [r for r in gold if made_now(r)]
    acceptable = sum(r["label"] == "acceptable" for r in made)
    precision = acceptable / len(made)
    print(f"cut precision {precision:.3f} on {len(made)} labelled cuts the engine still makes")
    assert len(made) >= 300  # the labels still describe what the engine does
    assert precision >= 0.97, [r["cut"] for r in made if r["label"] == "broken"]


def test_no_broken_dev_cut_comes_back(gold):
    back = [r["cut"] for r in gold if r["source"] == "dev" and r["label"] == "broken" and made_now(r)]
    assert not back
