"""``analyze(article)``: quotes, entities and numbers in one JSON-ready object."""

from __future__ import annotations

import json
from pathlib import Path

import newsbrief
from newsbrief.analyze import analyze

SEED = Path(__file__).parents[1] / "fixtures" / "cnn-erdogan-putin.txt"


def test_analyze_seed_to_json() -> None:
    article = newsbrief.parse(SEED.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(analyze(article).to_dict()))
    assert set(data) == {"quotes", "entities", "numbers", "notes"} and data["notes"] == []
    speakers = [q["speaker"] for q in data["quotes"] if q["speaker"]]
    assert (
        speakers
        == ["President Putin", "Putin", "Fadi Hakura", "Fadi Hakura", "Alexander Shimulin"] + ["Downing Street"] * 2
    )
    assert {"November", "Tuesday"} <= {n["text"] for n in data["numbers"]}
    for n in data["numbers"]:
        assert article.body[n["span"][0] : n["span"][1]] == n["text"]
