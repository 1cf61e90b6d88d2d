"""The Summarizer contract, the registry, and the lead methods."""

from __future__ import annotations

import pytest

from newsbrief import UsageError, get_summarizer, methods, parse, summarize


@pytest.fixture
def seed(seed_text):
    return parse(seed_text)


def test_registry_lists_lead_methods():
    assert {"lead", "lead-words"} <= set(methods())


def test_lead_takes_first_n_body_sentences_with_spans(seed):
    summary = summarize(seed, method="lead", n=3)
    assert summary.method == "lead"
    assert summary.settings == {"n": 3}
    assert [h.sentence_ids for h in summary.highlights] == [[0], [1], [2]]
    for h in summary.highlights:
        ((start, end),) = h.spans
        assert seed.body[start:end] == h.text
    assert "summarize" in summary.timings


def test_lead_highlights_hold_no_page_noise(seed):
    summary = summarize(seed, method="lead", n=4)
    for h in summary.highlights:
        assert ".jpg" not in h.text and "Source: CNN" not in h.text
        for ref in seed.reference_highlights:
            assert ref not in h.text
        for block in seed.blocks:
            assert block.text not in h.text


def test_lead_on_a_short_article_notes_the_shortfall():
    summary = summarize(parse("Only one sentence here."), method="lead", n=3)
    assert summary.texts == ["Only one sentence here."]
    assert "fewer than n=3" in summary.notes[0]


def test_lead_words_respects_the_budget(seed):
    summary = summarize(seed, method="lead-words", max_words=50)
    words = sum(len(h.text.split()) for h in summary.highlights)
    assert words <= 50
    # the next sentence would not have fit
    nxt = seed.sentences[len(summary.highlights)]
    assert words + len(nxt.text.split()) > 50


def test_lead_words_keeps_a_long_first_sentence_whole_and_says_so(seed):
    summary = summarize(seed, method="lead-words", max_words=5)
    assert summary.texts == [seed.sentences[0].text]
    assert "over max_words=5" in summary.notes[0]


@pytest.mark.parametrize(("method", "settings"), [("nope", {}), ("lead", {"n": 0}), ("lead", {"bogus": 1})])
def test_bad_method_or_settings_are_usage_errors(method, settings):
    with pytest.raises(UsageError):
        get_summarizer(method, **settings)
