"""Entities: offline rules (titles, suffixes, gazetteer, clustering) and the optional spaCy backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsbrief
from newsbrief.analyze import Entity, find_entities

SEED = Path(__file__).parents[1] / "fixtures" / "cnn-erdogan-putin.txt"


@pytest.fixture(scope="module")
def seed_entities() -> list[Entity]:
    return find_entities(newsbrief.parse(SEED.read_text(encoding="utf-8")))


def _labels(entities: list[Entity]) -> dict[str, str]:
    return {e.text: e.label for e in entities}


def test_seed_people_with_full_names(seed_entities: list[Entity]) -> None:
    people = {e.text: e.canonical for e in seed_entities if e.label == "person"}
    assert people == {
        "Recep Tayyip Erdogan": "Recep Tayyip Erdogan",
        "Erdogan": "Recep Tayyip Erdogan",
        "Vladimir Putin": "Vladimir Putin",
        "Putin": "Vladimir Putin",
        "Fadi Hakura": "Fadi Hakura",
        "Alexander Shimulin": "Alexander Shimulin",
        "Theresa May": "Theresa May",
    }


def test_seed_organisations_places_nationalities(seed_entities: list[Entity]) -> None:
    labels = _labels(seed_entities)
    for name in ("Kremlin", "NATO", "ISIS", "Chatham House", "US-Canada Institute", "Downing Street", "CNN"):
        assert labels[name] == "organisation", name
    for name in (
        "St. Petersburg",
        "Russia",
        "Turkey",
        "Syria",
        "Ankara",
        "London",
        "Moscow",
        "Sochi",
        "UK",
        "Black Sea",
    ):
        assert labels[name] == "place", name
    for name in ("Turkish", "Russian", "British", "Turks", "Russians"):
        assert labels[name] == "nationality", name
    # Sentence-initial capitals that are not names: "Visa-free travel", "Defense officials".
    assert "Visa" not in labels and "Defense" not in labels and "It" not in labels


def test_seed_dateline_is_a_place_outside_the_body(seed_entities: list[Entity]) -> None:
    dateline = [(e.text, e.label) for e in seed_entities if e.field == "dateline"]
    assert dateline == [("St. Petersburg", "place"), ("Russia", "place")]


def test_spans_point_into_the_body() -> None:
    article = newsbrief.parse(SEED.read_text(encoding="utf-8"))
    for e in find_entities(article):
        if e.field == "body":
            assert article.body[e.span[0] : e.span[1]] == e.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chelsea have made an offer for FC Tokyo's 22-year-old forward Yoshinori Muto, according to club president Naoki Ogane.",
            {
                "Chelsea": "organisation",
                "FC Tokyo": "organisation",
                "Yoshinori Muto": "person",
                "Naoki Ogane": "person",
            },
        ),
        (
            "Lead author Dr Antti Saari, of Kuopio University Hospital, warned against overuse.",
            {"Antti Saari": "person", "Kuopio University Hospital": "organisation"},
        ),
        (
            "Salt Lake City Police Detective Dennis McGowan spoke to reporters.",
            {"Salt Lake City Police": "organisation", "Dennis McGowan": "person"},
        ),
        (
            "The Ministry of Defence said it would not comment. Bank of England governor Mark Carney spoke in London.",
            {
                "Ministry of Defence": "organisation",
                "Bank of England": "organisation",
                "Mark Carney": "person",
                "London": "place",
            },
        ),
        ("The boy was rescued in Cleveland on Saturday.", {"Cleveland": "place"}),
        ("Mrs Schwab, 38, was charged.", {"Schwab": "person"}),
    ],
)
def test_rule_cues(text: str, expected: dict[str, str]) -> None:
    assert _labels(find_entities(text)) == expected


def test_gender_from_titles_and_first_names() -> None:
    entities = find_entities("Mrs Schwab met Prime Minister Theresa May and Michael Lurie. Lurie left.")
    genders = {e.text: e.gender for e in entities}
    assert genders == {"Schwab": "f", "Theresa May": "f", "Michael Lurie": "m", "Lurie": "m"}


def test_lower_cased_text_finds_nothing() -> None:
    # QAGS articles are lower-cased: capitalisation rules cannot work, and must not guess.
    assert find_entities("warren sapp was charged with soliciting prostitution in phoenix.") == []


def test_to_dict_is_json(seed_entities: list[Entity]) -> None:
    data = json.loads(json.dumps(seed_entities[0].to_dict()))
    assert set(data) == {"text", "span", "label", "canonical", "gender", "source", "field"}


def test_spacy_backend_with_entity_ruler() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Vladimir Putin"},
            {"label": "PERSON", "pattern": "Putin"},
            {"label": "GPE", "pattern": "Turkey"},
            {"label": "ORG", "pattern": "Chatham House"},
            {"label": "NORP", "pattern": "Turkish"},
            {"label": "DATE", "pattern": "Tuesday"},
        ]
    )
    text = "Turkish officials met Vladimir Putin on Tuesday. Putin praised Turkey, Chatham House said."
    entities = find_entities(text, nlp=nlp)
    assert [(e.text, e.label, e.source) for e in entities] == [
        ("Turkish", "nationality", "spacy"),
        ("Vladimir Putin", "person", "spacy"),
        ("Putin", "person", "spacy"),
        ("Turkey", "place", "spacy"),
        ("Chatham House", "organisation", "spacy"),
    ]  # DATE is left to analyze.numbers
    assert entities[2].canonical == "Vladimir Putin"
    for e in entities:
        assert text[e.span[0] : e.span[1]] == e.text


def test_spacy_model_that_is_not_installed_is_an_error_not_a_download() -> None:
    pytest.importorskip("spacy")
    with pytest.raises(RuntimeError, match="not installed"):
        find_entities("Putin spoke.", model="xx_newsbrief_no_such_pipeline")
