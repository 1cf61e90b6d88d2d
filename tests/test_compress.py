"""Cuts that keep the meaning (issue 15): no dangling words, no lost time/condition/negation,
and datelines never left at the start of a highlight. Cases are the ones reported, in the
forms news agencies print them."""

from __future__ import annotations

import pytest

from newsbrief.summarize.compress import compress

AP_SENATE = (
    "WASHINGTON — The Senate passed a bill late Friday that would keep the government funded through "
    "mid-March, sending the legislation to President Joe Biden just hours before a shutdown was set to begin."
)


def test_reported_ap_cut_no_longer_dangles_just_hours():
    cut = compress(AP_SENATE, 0, min_words=12)
    assert not cut.text.endswith("just hours.")
    assert "before a shutdown was set to begin" in cut.text
    assert cut.text.startswith("The Senate passed")


@pytest.mark.parametrize(
    ("sentence", "kept_start"),
    [
        (AP_SENATE, "The Senate"),
        (
            "LONDON (Reuters) - British police arrested a man on Monday after a stabbing left three people hurt.",
            "British",
        ),
        ("(CNN) -- The former president will testify before the committee next week in Washington.", "The former"),
        ("(CNN)The former president will testify before the committee next week in Washington.", "The former"),
        ("SPRINGFIELD, Ill. — Illinois lawmakers approved the state budget on Sunday night.", "Illinois"),
        ("BEIRUT, Lebanon (AP) — Syrian troops pushed into the rebel-held town early on Tuesday.", "Syrian"),
        ("NEW YORK -- Stocks rose sharply on Wall Street on Monday as oil prices fell.", "Stocks"),
    ],
)
def test_datelines_never_open_the_cut(sentence, kept_start):
    cut = compress(sentence, 0, min_words=6)
    assert cut.text.startswith(kept_start), cut.text
    assert any(c.startswith("dateline") for c in cut.changes)


@pytest.mark.parametrize(
    "sentence",
    [
        "US President Barack Obama met the leaders of Japan and South Korea at the summit on Tuesday.",
        "Obama (left) - who was in Tokyo - met the leaders of Japan and South Korea on Tuesday.",
        "The UN said on Monday that it had sent more aid to the region than at any time this year.",
    ],
)
def test_capitalised_openings_that_are_not_datelines_are_kept(sentence):
    cut = compress(sentence, 0, min_words=6, ops=("dateline",))
    assert cut.text == sentence


@pytest.mark.parametrize(
    ("sentence", "must_keep"),
    [
        # a time anchor and its clause stay together
        (
            "The plane landed safely at the airport in Denver on Sunday shortly after the pilot reported smoke.",
            "shortly after",
        ),
        (
            "The suspect was released from the police station in the city centre just hours before the attack.",
            "hours before",
        ),
        # negation bounded by the clause: "did not resign" is not "did not resign until ..."
        ("The minister said she would not resign from her post in the government until the inquiry ended.", "until"),
        (
            "The company will not pay any dividend to its shareholders this year because profits fell sharply.",
            "because",
        ),
        (
            "Police have never charged anyone over the killing of the teenager in the park, despite a long inquiry.",
            "despite",
        ),
    ],
)
def test_clause_cuts_keep_time_anchors_and_negated_bounds(sentence, must_keep):
    cut = compress(sentence, 0, min_words=8)
    assert must_keep in cut.text, cut.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The club said the deal with the player was worth as much as £20million over five years, as reported.",
        "The team played in front of a crowd of more than 40,000 fans in the stadium such as - the locals - said.",
        "Officials say the new rules will apply to all of the schools in the state and the - private colleges.",
    ],
)
def test_a_clause_cut_never_ends_on_a_word_that_needs_more(sentence):
    cut = compress(sentence, 0, min_words=8, ops=("clause",))
    last = cut.text.rstrip(".").split()[-1].lower()
    assert last not in {"as", "such", "the", "and", "of", "to", "than", "after", "before"}, cut.text


def test_an_unbounded_clause_is_still_cut():
    sentence = (
        "The incident, in which one of the air crew was killed as he parachuted from the aircraft, "
        "provoked a diplomatic firestorm, with a furious Kremlin vowing retribution."
    )
    cut = compress(sentence, 0, min_words=12)
    assert cut.text.endswith("provoked a diplomatic firestorm.")
