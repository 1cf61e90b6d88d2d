"""News sentence splitting: the hard cases, one by one, and invariants on any text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reference_sentences import split_spans as reference_split_spans

from newsbrief.nlp.sentences import split_sentences, split_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Gov. Brown. They talked.", ["Mr. Smith met Gov. Brown.", "They talked."]),
        ("The U.S. Senate voted. The U.S. The end.", ["The U.S. Senate voted.", "The U.S.", "The end."]),
        ("It happened on Jan. 5 in the U.K. Police came.", ["It happened on Jan. 5 in the U.K.", "Police came."]),
        ("J.K. Rowling wrote it. George W. Bush did not.", ["J.K. Rowling wrote it.", "George W. Bush did not."]),
        ("It cost $1.5 million, or 3.2 per cent. Fine.", ["It cost $1.5 million, or 3.2 per cent.", "Fine."]),
        (  # a decimal split by a tokeniser (CNN/DailyMail text) is no sentence end; a year after a figure is
            "It rose to 22. 0 per cent, up from 19. 8 per cent in 2004. It fell in 2010. 2015 was worse.",
            ["It rose to 22. 0 per cent, up from 19. 8 per cent in 2004.", "It fell in 2010.", "2015 was worse."],
        ),
        ('"It will end," he said. "Soon." Then he left.', ['"It will end," he said.', '"Soon."', "Then he left."]),
        ("'It is over.' Paul Merson had more.", ["'It is over.'", "Paul Merson had more."]),
        ("“Today’s loss.” Putin said so.", ["“Today’s loss.”", "Putin said so."]),
        ("out of the room. ’ Afterwards, Mr Lawler said", ["out of the room. ’", "Afterwards, Mr Lawler said"]),
        ("He waited... Then he left.", ["He waited...", "Then he left."]),
        ('"Why?" he asked. Nobody knew!', ['"Why?" he asked.', "Nobody knew!"]),
        (
            "It is No. 1 in the charts. At 3 p.m. Friday it fell.",
            ["It is No. 1 in the charts.", "At 3 p.m. Friday it fell."],
        ),
        ("Maj. Gen. Igor Konashenkov said so.", ["Maj. Gen. Igor Konashenkov said so."]),
        (
            "at auction on Saturday. Scroll down for video An outfit worn by Leigh sold.",
            ["at auction on Saturday.", "Scroll down for video", "An outfit worn by Leigh sold."],
        ),
        (
            "in Turin on Tuesday night The former Arsenal man was proven wrong.",
            ["in Turin on Tuesday night", "The former Arsenal man was proven wrong."],
        ),
        ("He spoke to The Sun about it.", ["He spoke to The Sun about it."]),
        (
            "The deal with the Serie A champions does not expire.",
            ["The deal with the Serie A champions does not expire."],
        ),
        ("He told The Times that he was fine.", ["He told The Times that he was fine."]),
        ("(CNN) The classic video game is back.", ["(CNN) The classic video game is back."]),
        ("First paragraph\n\nSecond paragraph", ["First paragraph", "Second paragraph"]),
        ("A line wrapped\nin the middle.", ["A line wrapped\nin the middle."]),
    ],
)
def test_news_cases(text, expected):
    assert split_sentences(text) == expected


def test_spans_slice_the_input():
    text = "  First one.  Second one!\n\nThird?  "
    spans = split_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one!", "Third?"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AB.!?'\"’”‘“\n$1()…")), max_size=200))
def test_spans_are_ordered_stripped_and_cover_every_non_space_character(text):
    spans = split_spans(text)
    last_end = 0
    for a, b in spans:
        assert last_end <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert text[last_end:a].strip() == ""  # nothing but whitespace between sentences
        last_end = b
    assert text[last_end:].strip() == ""


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_is_split_without_loss(text):
    spans = split_spans(text)
    rebuilt = "".join(text[a:b] for a, b in spans)
    assert "".join(rebuilt.split()) == "".join(text.split())


# Pieces of news text that exercise every rule: titles, initials, dotted acronyms, months,
# quotes closing after a terminator (also the detokenizer's " ’"), run-on starters after
# names and function words, "(CNN)", unpunctuated page phrases, blank lines, tabs.
_PIECES = [
    *"Mr. Mrs Dr. U.S. U.K. J. K. Jan. No. Inc. etc. a.m. 5 10 $2.6 The A An He But Police Mr".split(),
    *"Texas Serie Group told said the of in x y it on (CNN) (AP) Burnley 2015 London AT&T O’Neill co-op St".split(),
    *[".", ". ", "...", "…", "!", "?", "?!", "'", '"', "’", "”", "“", "‘", " ’ ", ")", "(", "-"],
    *["Scroll down for video", "Click here to watch the video", "See the video below"],
    *[" ", "  ", "\t", "\n", "\n\n", " \n \n", "......", ".'", '."', "."],
]


@settings(max_examples=1500, deadline=None)
@example(["He met x-J.", "Smith", "there."], [" ", " "])  # the word before holds "-", "’", "&"
@example(["It is O’Dr.", "Who", "now."], [" ", " "])
@example(["At AT&Mr.", "Brown", "said."], [" ", " "])
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.lists(st.sampled_from(["", " ", " ", "\t"]), max_size=60))
def test_fast_splitter_equals_the_plain_definitions(pieces, seps):
    """The speed-up (scan starts, look-behinds done in Python, possessive runs) changes no boundary."""
    text = "".join(p + (seps[i] if i < len(seps) else " ") for i, p in enumerate(pieces))
    assert split_spans(text) == reference_split_spans(text)


def test_chinese_and_japanese_full_stops_end_sentences_without_a_space() -> None:
    from newsbrief.nlp.sentences import split_sentences

    assert split_sentences("東京地裁は昨日、判決を言い渡しました。被告は「控訴する。」と述べた。本当に？はい！") == [
        "東京地裁は昨日、判決を言い渡しました。",
        "被告は「控訴する。」と述べた。",  # a stop inside a quotation the sentence goes on after
        "本当に？",
        "はい！",
    ]
    assert split_sentences("他说：“我们会赢。” 比赛明天开始。") == ["他说：“我们会赢。”", "比赛明天开始。"]
