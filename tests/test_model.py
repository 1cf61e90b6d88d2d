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
