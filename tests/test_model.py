"""JSON round-trip of the data model, with the schema version."""

from __future__ import annotations

import json

import pytest

from newsbrief import SCHEMA_VERSION, Article, Summary, parse, summarize


def test_article_round_trips_through_json(seed_text):
    article = parse(seed_text)
    data = json.loads(json.dumps(article.to_dict()))
    assert data["schema_version"] == SCHEMA_VERSION
    again = Article.from_dict(data)
    assert again == article
    assert again.to_dict() == article.to_dict()


def test_summary_round_trips_through_json(seed_text):
    summary = summarize(parse(seed_text), method="lead", n=2)
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["highlights"][0]["spans"] == [list(summary.highlights[0].spans[0])]
    assert Summary.from_dict(data) == summary


def test_unknown_major_schema_version_is_refused():
    with pytest.raises(ValueError, match="schema_version"):
        Article.from_dict({"schema_version": "2.0", "body": ""})


def test_unknown_fields_are_ignored_for_forward_compatibility():
    article = Article.from_dict({"schema_version": "1.7", "body": "x", "new_field": 1})
    assert article.body == "x"


def test_summary_explain_and_faithfulness_have_their_own_fields(seed_text):
    summary = summarize(parse(seed_text), method="lead", n=1)
    summary.explain = [{"sentence_id": 0, "chosen": True}]
    summary.faithfulness = {"verdict": "consistent", "score": 1.0}
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["explain"] == [{"sentence_id": 0, "chosen": True}]
    assert data["faithfulness"]["verdict"] == "consistent"
    assert "explain" not in data["settings"] and "faithfulness" not in data["settings"]
    assert Summary.from_dict(data) == summary


def test_summary_to_dict_is_a_copy(seed_text):
    summary = summarize(parse(seed_text), method="lead", n=1)
    data = summary.to_dict()
    data["highlights"][0]["spans"].append([0, 1])
    data["notes"].append("x")
    data["settings"]["n"] = 99
    assert summary.to_dict() != data


def test_schema_1_0_summary_moves_settings_bags_into_fields():
    old = {
        "schema_version": "1.0",
        "highlights": [],
        "method": "highlights",
        "settings": {"n": 2, "explain": [{"sentence_id": 0}], "faithfulness": {"verdict": "consistent"}},
    }
    summary = Summary.from_dict(old)
    assert summary.settings == {"n": 2}
    assert summary.explain == [{"sentence_id": 0}]
    assert summary.faithfulness == {"verdict": "consistent"}
    # a boolean setting of the same name is a setting, not a bag
    assert Summary.from_dict({**old, "settings": {"faithfulness": True}}).settings == {"faithfulness": True}
