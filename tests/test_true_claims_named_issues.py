"""A true claim must not be given a wrong reason (issue 14, "evidence that is evidence").

Each general cause found on the hand-written claims of ``bench/data/paraphrase.jsonl`` has a
new sentence pair here and the reported case; the last test holds the whole set: no true claim
gets a named issue (anything but ``no_support``) from either checker.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import newsbrief
from newsbrief.analyze.numbers import find_numbers, parse_number
from newsbrief.check import get_checker
from newsbrief.faithfulness import ArticleIndex
from newsbrief.nlp.tokens import negations, tokens

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "dev"
CHECKERS = ("lexical", "default")


def named_issues(article: str, claim: str, checker: str) -> list[tuple[str, str]]:
    index = ArticleIndex(newsbrief.parse_text(article, format="plain"))
    report = get_checker(checker)(index, claim)
    return [(i.kind, i.text) for s in report.sentences for i in s.issues if i.kind != "no_support"]


# --- "dozen" is a scale word, not a count ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("several dozen survivors", []),  # no count before it: no amount
        ("dozens of survivors", []),
        ("a few dozen survivors", []),
        ("two dozen survivors", [24.0]),  # a count times the scale
        ("about 3 dozen survivors", [36.0]),
        ("nearly a dozen survivors", [12.0]),
    ],
)
def test_dozen_is_an_amount_only_with_a_count(text: str, values: list[float]) -> None:
    assert [q.value for q in find_numbers(text)] == values


ARTICLE_RUBBLE = (
    "An earthquake struck the region on Friday. Rescuers pulled several dozens survivors from the "
    "rubble of the market. The club sold 24 season tickets to the families."
)


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    "claim",
    ["Rescuers pulled several dozen survivors from the rubble.", "The club sold two dozen season tickets."],
)
def test_a_dozen_worded_otherwise_is_no_unsupported_number(checker: str, claim: str) -> None:
    assert named_issues(ARTICLE_RUBBLE, claim, checker) == []


@pytest.mark.parametrize("checker", CHECKERS)
def test_a_changed_count_of_dozens_is_still_a_flip(checker: str) -> None:
    kinds = [k for k, _ in named_issues(ARTICLE_RUBBLE, "The club sold three dozen season tickets.", checker)]
    assert kinds and set(kinds) <= {"number", "number_flip"}


ARTICLE_HEFEI = (
    "The injured man was found bleeding on the toilet floor after he had telephoned his travelling "
    "companions for help. Authorities and emergency personnel arrived to check the man into a Hefei "
    "hospital, where he received several dozens stitches on his left leg and buttocks."
)


@pytest.mark.parametrize("checker", CHECKERS)
def test_reported_several_dozen_stitches(checker: str) -> None:
    claim = "At a Hefei hospital he received several dozen stitches on his left leg and buttocks."
    assert named_issues(ARTICLE_HEFEI, claim, checker) == []


# --- "not until X that Y" asserts Y ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It was not until March that the council approved the budget.",
        "It wasn't until March that the council approved the budget.",
        "It wasn ’ t until March that the council approved the budget.",
        "The report not only criticised the police but also the mayor.",
        "He is not just a striker.",
    ],
)
def test_a_negation_before_a_focus_word_negates_nothing(text: str) -> None:
    assert negations(tokens(text)) == []


def test_other_negations_are_still_found() -> None:
    assert len(negations(tokens("The council did not approve the budget until March."))) == 1
    assert len(negations(tokens("He no longer plays, and until May he cannot coach."))) == 2


ARTICLE_COUNCIL = (
    "The vote was delayed twice by protests. It was not until March that the council approved the "
    "budget for the new library. The mayor did not attend the meeting."
)


@pytest.mark.parametrize("checker", CHECKERS)
def test_not_until_is_no_negation_flip(checker: str) -> None:
    claim = "In March, the council approved the budget for the new library."
    assert named_issues(ARTICLE_COUNCIL, claim, checker) == []


@pytest.mark.parametrize("checker", CHECKERS)
def test_a_real_negation_nearby_still_flips(checker: str) -> None:
    kinds = [k for k, _ in named_issues(ARTICLE_COUNCIL, "The mayor attended the meeting.", checker)]
    assert "negation_flip" in kinds


ARTICLE_TRUONG = (
    "She promised to pick up the boy in the morning, but she never returned and eventually stopped "
    "answering her brother's messages. It wasn't until the next day that truong realized he was "
    "harboring an abducted child when he read an amber alert on online."
)


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    "claim",
    [
        "truong realized the next day that he was harboring an abducted child.",
        "truong babysat the boy, and only the next day realized he was harboring an abducted child.",
    ],
)
def test_reported_it_was_not_until_the_next_day(checker: str, claim: str) -> None:
    assert "negation_flip" not in [k for k, _ in named_issues(ARTICLE_TRUONG, claim, checker)]


# --- the whole hand-written set --------------------------------------------------------------


@pytest.mark.skipif(not (DEV / "summeval.jsonl").exists(), reason="needs ../shared/data/dev")
def test_no_true_claim_of_the_paraphrase_set_gets_a_named_issue() -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import paraphrase
    finally:
        sys.path.remove(str(REPO / "bench"))
    claims = [r for r in paraphrase.load_claims() if r["label"] == "true"]
    articles = paraphrase.load_articles(DEV)
    indexes = {
        aid: ArticleIndex(newsbrief.parse_text(articles[aid], format="plain"))
        for aid in {r["article_id"] for r in claims}
    }
    found = []
    for name in CHECKERS:
        checker = get_checker(name)
        for r in claims:
            report = checker(indexes[r["article_id"]], r["claim"])
            found += [(name, r["claim"], i.kind) for s in report.sentences for i in s.issues if i.kind != "no_support"]
    assert len(claims) == 200
    assert found == []


# --- a negation between the run's words, or carried by "any" -------------------------------

ARTICLE_AUCTION = "The storm passed overnight. The painting received no bids at the auction in London."
ARTICLE_HIKERS = "Searchers worked through the night. There was no sign of the missing hikers near the lake."


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    ("article", "claim"),
    [
        (ARTICLE_AUCTION, "The painting did not receive any bids at the auction in London."),  # "received no bids"
        (ARTICLE_HIKERS, "Rescuers did not see, hear or find any sign of the missing hikers near the lake."),
        # Found on SummEval's human references:
        (
            "No love: 13 letters that hung over Yankee Stadium were estimated to bring in anywhere from $300,000 "
            "to $600,000, but received no bids at a Sotheby's auction Wednesday.",
            "The owner was hoping to sell the letters, estimated to bring in $300,000 to $600,000, "
            "but did not receive any bids.",
        ),
        (
            "The new stretch of land came as a complete surprise to the locals, as there was no indication of "
            "the land movement overnight.",
            "The residents of Hokkaido Island did not feel or hear any indication of the land movement.",
        ),
    ],
)
def test_the_same_negation_worded_otherwise_is_no_flip(checker: str, article: str, claim: str) -> None:
    assert "negation_flip" not in [k for k, _ in named_issues(article, claim, checker)]


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    ("article", "claim"),
    [
        (ARTICLE_AUCTION, "The painting received bids at the auction in London."),
        (ARTICLE_HIKERS, "Rescuers found a sign of the missing hikers near the lake."),
    ],
)
def test_the_negation_dropped_is_still_a_flip(checker: str, article: str, claim: str) -> None:
    assert "negation_flip" in [k for k, _ in named_issues(article, claim, checker)]


# --- a number in words with scale words inside it is one amount -----------------------------


def test_parse_number_reads_a_whole_amount_in_words() -> None:
    texts = ("two dozen", "forty-two", "five hundred thousand", "a few")
    assert [parse_number(t) for t in texts] == [24.0, 42.0, 500000.0, None]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("three thousand five hundred", [3500.0]),
        ("two hundred and fifty thousand", [250000.0]),
        ("five-hundred-thousand", [500000.0]),
        ("twenty-five hundred", [2500.0]),
        ("three hundred", [300.0]),
        ("one two three", [1.0, 2.0, 3.0]),  # no scale word joins them: three numbers
        ("between two hundred and three hundred", [200.0, 300.0]),  # a range, not 20300
    ],
)
def test_words_with_scale_words_are_one_amount(text: str, values: list[float]) -> None:
    assert [q.value for q in find_numbers(text)] == values


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("John Smith, 35, from Leeds", ["age"]),
        ("In Wales, Cardiff, 2,500ft of cable", ["number"]),  # a thousands group follows: no age
        ("Hokkaido Island, 1,000ft of seabed", ["number"]),  # found on a SummEval reference
    ],
)
def test_name_comma_number_is_an_age_only_without_a_thousands_group(text: str, kinds: list[str]) -> None:
    assert [q.kind for q in find_numbers(text)] == kinds


ARTICLE_FAIR = "The fair ran all weekend. The charity raised £3,500 for the hospital at the fair."


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    ("article", "claim"),
    [
        (ARTICLE_FAIR, "The charity raised three thousand five hundred pounds for the hospital."),
        # Found on SummEval's human references:
        (
            "At the same time, managers at the passport agency, which made a £42 million profit during the "
            "chaos, received up to £3,500 in bonuses.",
            "Up to three-thousand five-hundred was received in bonuses.",
        ),
    ],
)
def test_an_amount_in_words_is_no_unsupported_number(checker: str, article: str, claim: str) -> None:
    assert named_issues(article, claim, checker) == []


@pytest.mark.parametrize("checker", CHECKERS)
def test_another_amount_in_words_still_flips(checker: str) -> None:
    claim = "The charity raised four thousand five hundred pounds for the hospital."
    kinds = [k for k, _ in named_issues(ARTICLE_FAIR, claim, checker)]
    assert kinds and set(kinds) <= {"number", "number_flip"}


# --- a raised negation: "I don't think X should" denies X ------------------------------------

ARTICLE_COACH = (
    "The season resumes next week. The coach said he did not think the title race would be settled by a single match."
)


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize(
    ("article", "claim"),
    [
        (ARTICLE_COACH, "The title race would not be settled by a single match, the coach said."),
        # Found on SummEval's human references:
        (
            "I don't think your whole future should be determined by one game, Carragher said on Tuesday.",
            "His losses or lack of wins shouldn't be determined by one game.",
        ),
    ],
)
def test_a_raised_negation_is_no_flip(checker: str, article: str, claim: str) -> None:
    assert "negation_flip" not in [k for k, _ in named_issues(article, claim, checker)]


@pytest.mark.parametrize("checker", CHECKERS)
def test_without_the_raised_negation_it_still_flips(checker: str) -> None:
    article = ARTICLE_COACH.replace("did not think", "thought")
    claim = "The title race would not be settled by a single match, the coach said."
    assert "negation_flip" in [k for k, _ in named_issues(article, claim, checker)]
