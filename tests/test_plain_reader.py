"""Plain article text through the page reader: furniture at the top goes, a clean article stays whole."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED_DEV
from helpers import norm
from newsbrief import parse
from newsbrief.ingest.text import read_plain

SUMMEVAL = SHARED_DEV / "summeval.jsonl"


def test_plain_article_loses_leading_byline_timestamp_and_share_lines():
    text = (
        "By Jane Smith\n\nUpdated 10:22 AM EST, Mon March 5, 2018\n\nShare this article\n\n"
        "The city council approved a $4.2 million budget on Tuesday, ending weeks of debate.\n\n"
        "Mayor Jane Ortiz said the plan protects every library. Critics disagreed.\n"
    )
    article = read_plain(text)
    assert article.input_format == "plain"
    assert article.byline == "Jane Smith"
    assert article.updated == "Updated 10:22 AM EST, Mon March 5, 2018"
    assert article.body.startswith("The city council approved")
    assert "Share this article" not in article.body
    assert {b.kind for b in article.blocks} >= {"byline", "timestamp", "prompt"}  # "Share this article"


def test_clean_plain_article_keeps_every_paragraph():
    paragraphs = [
        "The city council approved a $4.2 million budget on Tuesday, ending weeks of debate.",
        "It was the third vote.",
        "Mayor Jane Ortiz said the plan protects every library, and critics disagreed with her at length.",
        "The budget takes effect in July.",
    ]
    article = parse("\n\n".join(paragraphs), format="plain")
    assert article.body == "\n\n".join(paragraphs)


def test_plain_dateline_prefix_keeps_offsets():
    article = parse("LONDON (Reuters) - Oil prices fell on Tuesday. Traders were cautious.", format="plain")
    assert (article.dateline, article.source) == ("LONDON", "Reuters")
    assert [s.text for s in article.sentences] == ["Oil prices fell on Tuesday.", "Traders were cautious."]
    assert all(article.body[s.start : s.end] == s.text for s in article.sentences)


@pytest.mark.skipif(not SUMMEVAL.exists(), reason=f"dev data not found at {SUMMEVAL}")
def test_summeval_articles_keep_their_whole_text():
    """The 100 SummEval articles are clean plain text: the reader may take a leading dateline
    off, nothing else."""
    for line in SUMMEVAL.open(encoding="utf-8"):
        record = json.loads(line)
        article = parse(record["article"])
        kept = norm(" ".join(b.text for b in article.blocks if b.kind == "dateline") + " " + article.body)
        assert kept == norm(record["article"]), record["id"]
