"""One tokenizer, one stemmer, the stop lists: the behaviour analysis and the checker rely on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbrief.nlp import stopwords
from newsbrief.nlp.stem import loose_stem, stem
from newsbrief.nlp.tokens import is_negation, negations, overlap_words, phrase_key, tokens

SRC = Path(__file__).resolve().parents[2] / "src" / "newsbrief"


def test_tokens_keep_offsets_and_split_hyphens_and_number_groups():
    text = "Brady's face-to-face talk cost 235,000 and he didn’t go."
    toks = tokens(text)
    assert all(text[a:b] == t for t, a, b in toks)
    words = [t for t, _, _ in toks]
    assert words[:5] == ["Brady's", "face", "to", "face", "talk"]
    assert words[6:8] == ["235", "000"]
    assert "did" in words and "n’t" in words


def test_detokenized_text_has_the_same_phrase_key_as_clean_text():
    assert phrase_key("Mother ’ s day") == phrase_key("Mother's day") == phrase_key("mother day")
    assert phrase_key("hiv - positive") == phrase_key("HIV-positive")
    assert phrase_key("x") in phrase_key("The X factor")


@pytest.mark.parametrize(
    ("word", "light", "loose"),
    [
        ("Brady's", "brady", "brady"),
        ("charges", "charge", "charg"),
        ("parties", "party", "party"),
        ("glasses", "glass", "glass"),
        ("writing", "writing", "writ"),
        ("writes", "write", "writ"),
        ("denied", "denied", "deny"),
        ("stopped", "stopped", "stop"),
        ("bus", "bus", "bus"),
    ],
)
def test_stem_is_light_and_loose_stem_drops_tense(word, light, loose):
    assert stem(word) == light
    assert loose_stem(word) == loose


def test_negations_include_the_detokenizers_spaced_contraction():
    toks = tokens("He doesn ’ t know and will not say, he didn't.")
    found = [toks[j][0] for j in negations(toks)]
    assert found == ["t", "not", "n't"]
    assert is_negation("Never") and not is_negation("knot")


def test_overlap_words_are_ascii_content_words_of_three_letters_or_more():
    assert overlap_words("The U.S. said it will fly to Paris at 10 am, not 11.") == {"fly", "paris"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_token_spans_slice_the_text(text):
    for tok, a, b in tokens(text):
        assert text[a:b] == tok and tok


def _summarizer_list(module: str) -> frozenset[str]:
    """The ``_STOP`` set a summarizer module still defines inline, read as data."""
    source = (SRC / "summarize" / f"{module}.py").read_text(encoding="utf-8")
    m = re.search(r"_STOP = frozenset\(\n(.*?)\.split\(\)\n\)", source, re.S)
    if m is None:
        pytest.skip(f"summarize/{module}.py no longer defines its own _STOP")
    return frozenset(m.group(1).strip().strip('"').split())


@pytest.mark.parametrize(
    ("module", "name"),
    [("highlights", "OVERLAP_STOPWORDS"), ("features", "OVERLAP_STOPWORDS"), ("align", "ALIGNMENT_STOPWORDS")],
)
def test_named_lists_equal_the_summarizers_inline_lists_they_replace(module, name):
    """Until each summarizer imports its list from nlp, the two must not drift apart."""
    assert _summarizer_list(module) == getattr(stopwords, name)


def test_the_readers_use_the_nlp_word_lists():
    from newsbrief.ingest import features, language

    assert language.STOPWORDS is stopwords.LANGUAGE_ID_WORDS
    assert features.STOPWORDS is stopwords.PROSE_FUNCTION_WORDS


def test_english_lists_differ_where_their_consumers_were_tuned_apart():
    """Kept apart on purpose (see the module docstring): merging them would move figures."""
    assert {"told", "according"} <= stopwords.STOPWORDS - stopwords.OVERLAP_STOPWORDS
    assert {"new", "like"} <= stopwords.ALIGNMENT_STOPWORDS - stopwords.STOPWORDS
    assert all(w == w.lower() for w in stopwords.STOPWORDS | stopwords.ALIGNMENT_STOPWORDS)
