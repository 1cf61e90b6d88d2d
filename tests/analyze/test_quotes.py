"""Quotes and speakers: the seed article, Daily Mail single-quote style, nesting, spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsbrief
from newsbrief.analyze import Quote, find_quotes

SEED = Path(__file__).parents[1] / "fixtures" / "cnn-erdogan-putin.txt"


@pytest.fixture(scope="module")
def seed() -> newsbrief.Article:
    return newsbrief.parse(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_quotes(seed: newsbrief.Article) -> list[Quote]:
    return find_quotes(seed)


def _quote(quotes: list[Quote], start: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(start)]
    assert len(found) == 1, f"{start!r}: {[q.text[:40] for q in quotes]}"
    return found[0]


def _check_spans(body: str, q: Quote) -> None:
    """The text is the body's characters at the parts; the speaker span names the speaker."""
    assert q.text == " ".join(body[a:b] for a, b in q.parts)
    assert q.span == (q.parts[0][0], q.parts[-1][1])
    if q.speaker_span is not None:
        assert body[q.speaker_span[0] : q.speaker_span[1]] == q.speaker
    if q.resolved_span is not None:
        assert body[q.resolved_span[0] : q.resolved_span[1]] == q.resolved_from


def test_seed_putin_quotes_second_via_he_promised(seed: newsbrief.Article, seed_quotes: list[Quote]) -> None:
    first = _quote(seed_quotes, "Today’s loss for us")  # the apostrophe in "Today’s" is not a mark
    assert first.text.endswith("accomplices of terrorists")
    assert "Putin" in first.speaker and first.canonical == "Vladimir Putin"
    assert first.cue == "said" and first.resolved_from is None
    second = _quote(seed_quotes, "It will have serious consequences")
    assert second.resolved_from == "he" and second.cue == "promised"
    assert "Putin" in second.speaker and second.canonical == "Vladimir Putin"
    for q in (first, second):
        _check_spans(seed.body, q)


def test_seed_hakura_two_quotes(seed: newsbrief.Article, seed_quotes: list[Quote]) -> None:
    said = _quote(seed_quotes, "Turkey’s attempt to restore ties")
    assert said.speaker == "Fadi Hakura" and said.cue == "said" and said.resolved_from is None
    told = _quote(seed_quotes, "Turkey needed to restore")
    assert told.speaker == "Fadi Hakura" and told.cue == "told" and told.resolved_from == "he"
    assert "Turkey also needs Russia" in told.text  # three sentences, one quote
    for q in (said, told):
        _check_spans(seed.body, q)


def test_seed_shimulin_via_he_said(seed: newsbrief.Article, seed_quotes: list[Quote]) -> None:
    q = _quote(seed_quotes, "To increase divisions")
    assert q.speaker == "Alexander Shimulin" and q.resolved_from == "he" and q.cue == "said"
    _check_spans(seed.body, q)


def test_seed_downing_street_statement_and_its_continuation(seed: newsbrief.Article, seed_quotes: list[Quote]) -> None:
    q = _quote(seed_quotes, "The Prime Minister noted")
    assert q.speaker == "Downing Street" and q.resolved_from == "the statement"
    nxt = _quote(seed_quotes, "The Prime Minister and President agreed")
    assert nxt.speaker == "Downing Street" and nxt.cue == "continued"
    assert nxt.text.endswith("counter-terrorism effort.")
    for x in (q, nxt):
        _check_spans(seed.body, x)


def test_seed_scare_quote_has_no_speaker(seed_quotes: list[Quote]) -> None:
    q = _quote(seed_quotes, "regret")
    assert q.speaker is None and q.text == "regret"


# Daily Mail text from ../shared/data/dev/summeval.jsonl, copied as literals.
OGANE = (
    "Speaking to Sports Nippon, Ogane said: 'It is true that Chelsea sent us an offer for Muto. "
    "'It is a formal offer with conditions. They want to acquire him in the summer.' Muto, who only "
    "graduated from Keio University a fortnight ago after completing an economics degree, would be the "
    "first Japanese player to represent Chelsea if he moves to west London."
)
MUTO = (
    "A £4million deal for the youngster has been mooted, but Muto admits that he isn't sure if he will "
    "join the Premier League title chasers despite being pleased with their bid. He said: 'I have not "
    "decided yet at all. It is an honour for me to receive this offer from a great club.' Muto scored 13 "
    "times in his debut season with FC Tokyo and was named in the J-League's best XI."
)
ZOO = (
    "Michael Lurie and his family were at the Cheetah exhibit when they heard the child scream. 'You saw "
    "how far the drop was and you just couldn't believe the kid didn't hurt himself from falling down on "
    "the ground,' Lurie told WKYC. 'I was just shocked,' he said. 'I didn't understand how the parents "
    "let the kid go over the thing.' The cheetahs did not approach the boy or his parents while in the "
    "pit, according to zoo officials. Zoo visitor Terra Lurie believes the boy was not approached by the "
    "fast feline because they were frightened. 'I think they were just curious as to what was going on "
    "and why somebody was in the pen with them,' she said."
)
LAWLER = (  # detokenizer artefacts: spaced curly marks, "Mother ’ s"
    "Mr Lawler, now 64, said the attempted abuse at the Queen Mother ’ s London residence happened in "
    "January 1978 when he was 27. ‘ That prompted another guy to put his hand on my leg and then he "
    "grabbed me, ’ he told the Sunday People."
)


def test_daily_mail_quote_reopened_at_each_sentence_is_one_quote() -> None:
    (q,) = find_quotes(OGANE)
    assert q.speaker == "Ogane" and q.cue == "said"
    assert len(q.parts) == 2 and q.closed
    assert q.text == (
        "It is true that Chelsea sent us an offer for Muto. It is a formal offer with conditions. "
        "They want to acquire him in the summer."
    )
    _check_spans(OGANE, q)


def test_daily_mail_pronoun_before_the_quote() -> None:
    (q,) = find_quotes(MUTO)  # "isn't" and "J-League's" are apostrophes
    assert q.text.startswith("I have not decided") and q.text.endswith("great club.")
    assert q.speaker == "Muto" and q.resolved_from == "He"
    _check_spans(MUTO, q)


def test_daily_mail_speakers_she_skips_past_the_man() -> None:
    quotes = find_quotes(ZOO)
    assert [q.text[:12] for q in quotes] == ["You saw how ", "I was just s", "I didn't und", "I think they"]
    assert [q.speaker for q in quotes] == ["Lurie", "Lurie", "Lurie", "Terra Lurie"]
    assert [q.cue for q in quotes] == ["told", "said", "continued", "said"]
    assert quotes[1].resolved_from == "he" and quotes[3].resolved_from == "she"
    assert quotes[0].canonical == "Michael Lurie"
    for q in quotes:
        _check_spans(ZOO, q)


def test_detokenizer_spaced_curly_quotes_and_apostrophe() -> None:
    (q,) = find_quotes(LAWLER)
    assert q.text == "That prompted another guy to put his hand on my leg and then he grabbed me"
    assert q.speaker == "Lawler" and q.resolved_from == "he" and q.cue == "told"


def test_possessive_plural_is_not_a_closing_mark() -> None:
    text = "Carragher said: 'I don't think the players' wages are the problem,' before adding: 'We must improve.'"
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["I don't think the players' wages are the problem", "We must improve."]
    assert all(q.speaker == "Carragher" for q in quotes)


def test_nested_quote_inside_double_quotes() -> None:
    text = "\"My career began with 'Roots' and I am proud to be a part of this,\" said Burton."
    outer, inner = find_quotes(text)
    assert outer.depth == 0 and outer.speaker == "Burton" and outer.cue == "said"
    assert inner.depth == 1 and inner.text == "Roots" and inner.speaker is None


def test_paragraph_left_open_and_reopened_is_one_quote() -> None:
    text = (
        "The coach spoke after the game.\n\n"
        "“We played well in the first half. We were unlucky,” said Jose Mourinho.\n\n"
        "“Then we lost our shape.\n\n"
        "“In the end the result is fair.”"
    )
    quotes = find_quotes(text)
    assert len(quotes) == 2
    assert quotes[0].speaker == "Jose Mourinho"
    second = quotes[1]
    assert len(second.parts) == 2 and second.text == "Then we lost our shape. In the end the result is fair."
    assert second.speaker == "Jose Mourinho" and second.cue == "continued"


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ('"We will win," according to coach Sam Allardyce.', "Sam Allardyce", "according to"),
        ('"Not bad for a player," Andros Townsend wrote on Twitter.', "Andros Townsend", "wrote"),
        ("'That was a great goal,' Merson put on Twitter.", "Merson", "put"),
        ('"We are shocked," the club said in a statement.', "the club", "said"),
        ('Police chief Mark Rowley told the BBC: "We will find them."', "Mark Rowley", "told"),
    ],
)
def test_attribution_patterns(text: str, speaker: str, cue: str) -> None:
    (q,) = find_quotes(text)
    assert q.speaker == speaker and q.cue == cue


def test_to_dict_is_json() -> None:
    (q,) = find_quotes(OGANE)
    data = json.loads(json.dumps(q.to_dict()))
    assert data["speaker"] == "Ogane" and data["parts"] == [list(p) for p in q.parts]
