"""The default highlights over every dev article (../shared/data/dev): length, word
boundaries, and no page furniture. Skipped when the shared data is not beside the repo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SHARED_DEV
from newsbrief import Article, Summary, parse, summarize
from newsbrief.summarize.highlights import HighlightsConfig

SUMMEVAL = SHARED_DEV / "summeval.jsonl"
GOLD = Path(__file__).resolve().parents[1] / "bench" / "data" / "sentence_gold.jsonl"
pytestmark = pytest.mark.skipif(not SUMMEVAL.exists(), reason=f"dev data not found at {SUMMEVAL}")

FURNITURE = re.compile(
    r"scroll down|click here|published:|updated:|\bby \.|\((?:pictured|left|right|centre|center|above|file photo)\)|"
    r"contributed to this report|_\d{6,}\.jpg|\d+:\d\d - source:",
    re.I,
)


@pytest.fixture(scope="module")
def dev() -> list[tuple[dict, Article, Summary]]:
    out = []
    for line in SUMMEVAL.open(encoding="utf-8"):
        record = json.loads(line)
        article = parse(record["article"])
        article.id = record["id"]
        out.append((record, article, summarize(article)))
    return out


def test_every_article_gets_two_to_four_highlights_fewer_for_short_ones(dev):
    counts = [len(s.highlights) for _, _, s in dev]
    assert all(2 <= c <= 4 for c in counts), counts
    usable = [sum("short article" in n for n in s.notes) for _, _, s in dev]
    for c, short in zip(counts, usable, strict=True):
        if short:
            assert c <= HighlightsConfig().short_n


# A highlight that opens with a dateline in any form (the page-variants bench uses the same rule).
DATELINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*,?\s+){0,4}\([A-Z][\w.&' ]{0,30}\)\s*(?:--|—|–|-)?\s|^[A-Z][A-Z.,'’ -]{1,40}\s(?:--|—|–)\s"
)


def test_no_highlight_opens_with_a_dateline(dev):
    opening = [(a.id, h.text) for _, a, s in dev for h in s.highlights if DATELINE.match(h.text)]
    assert not opening


def test_dateline_forms_are_taken_off_a_highlight_even_when_the_reader_left_them():
    for dateline in ("WASHINGTON —", "LONDON (Reuters) -", "(CNN)", "(CNN) --", "SPRINGFIELD, Ill. —"):
        text = (
            f"{dateline} The state senate passed the budget bill late on Friday night after a long and bitter debate."
        )
        summary = summarize(parse(text))
        assert summary.texts[0].startswith("The state senate"), summary.texts


def test_highlights_average_10_to_30_words(dev):
    """Fewer, fuller highlights since issue 15 (min_highlight_words 20, chosen on held-out folds)."""
    lengths = [len(h.text.split()) for _, _, s in dev for h in s.highlights]
    assert 10 <= sum(lengths) / len(lengths) <= 30
    assert max(lengths) <= 45


def test_no_highlight_starts_or_ends_mid_word(dev):
    for _, article, summary in dev:
        body = article.body
        for h in summary.highlights:
            for a, b in h.spans:
                starts_word = a == 0 or not (body[a - 1].isalnum() and body[a].isalnum())
                assert starts_word, (article.id, body[max(0, a - 10) : a + 10])
                assert b == len(body) or not (body[b - 1].isalnum() and body[b].isalnum()), (
                    article.id,
                    body[b - 10 : b + 10],
                )
            assert h.text[0].isupper() or h.text[0] in "\"'“‘" or h.text[0].isdigit(), h.text
            assert re.search(r"[.!?][\"'”’)]*$", h.text), h.text


def test_no_highlight_holds_page_furniture_headings_or_bylines(dev):
    for _, article, summary in dev:
        for h in summary.highlights:
            assert not FURNITURE.search(h.text), (article.id, h.text)
            for block in article.blocks:
                assert block.text not in h.text


def test_no_highlight_overlaps_a_hand_labelled_caption(dev):
    """Gold captions (sentences without a final stop in bench/data/sentence_gold.jsonl) are
    located in the body; no highlight span may touch one."""
    by_id = {article.id: (article, summary) for _, article, summary in dev}
    checked = 0
    for line in GOLD.open(encoding="utf-8"):
        gold = json.loads(line)
        article_id = gold["id"].split("#")[0]
        if article_id not in by_id:
            continue
        article, summary = by_id[article_id]
        offset = article.body.find(gold["text"][:80])
        if offset < 0:
            continue  # passage starts with a dateline that the parser moved out of the body
        pos = 0
        for sentence in gold["sentences"]:
            start = gold["text"].index(sentence, pos)
            pos = start + len(sentence)
            if re.search(r"[.!?][\"'”’)]*$", sentence):
                continue
            a, b = offset + start, offset + pos
            checked += 1
            for h in summary.highlights:
                assert not any(x < b and a < y for x, y in h.spans), (article_id, sentence, h.text)
    assert checked >= 100
