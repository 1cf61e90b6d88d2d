"""The line classifier's parts: certain-furniture patterns (each with real text), features, the
shipped model, and linear-time behaviour."""

from __future__ import annotations

import json

import pytest

from newsbrief.ingest import patterns as P
from newsbrief.ingest.features import FEATURES_1, FEATURES_2, Unit, densest_run, stage1, stage2
from newsbrief.ingest.lines import MODEL_PATH, LineModel, default_model
from newsbrief.ingest.page import ruled_units, split_units


@pytest.mark.parametrize(
    "line",
    [
        "Share Save",
        "By continuing to use our service, you agree to our use of cookies.",
        "GET BREAKING NEWS IN YOUR BROWSER. CLICK HERE TO TURN ON NOTIFICATIONS.",
        "This post may contain affiliate links",
        "Sign up for our newsletter",
        "Want more deals? Join the IGN Deals Newsletter.",
        "Media playback is unsupported on your device",
        "Share this with Facebook",
        "Advertisement",
        "Story continues below advertisement",
        "ANZEIGE",
        "Disclosure: This post may contain affiliate links, meaning I get a commission if you decide to buy.",
    ],
)
def test_prompts_are_certain_furniture(line):
    (unit,) = ruled_units(line)
    assert unit.rule == "prompt"


@pytest.mark.parametrize(
    "line",
    [
        "Photograph: Tom Jenkins/The Guardian",
        "Boris Johnson at the rally on Monday. Photograph: Tom Jenkins/The Guardian",
        "Getty Images",
        "Image copyright EPA",
        "Image caption Eva-Marie Persson said the decision had been taken after interviews",
        "The area was cordoned off for several hours (AFP Photo/Rafael Thornton)",
        "Police at the scene on Sunday night. Credit Una Castillo for The New York Times",
    ],
)
def test_credits_and_captions(line):
    (unit,) = ruled_units(line)
    assert unit.rule == "caption"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Updated 10:22 AM EST, Mon March 5, 2018", "timestamp"),
        ("19 November 2019", "timestamp"),
        ("11/19/19 06:56 AM EST", "timestamp"),
        ("3 hours ago", "timestamp"),
        ("By Tess Bonn - 11/19/19 06:56 AM EST", "byline"),
        ("By Jane Smith, CNN", "byline"),
        ("CNN's Jane Doe contributed to this report.", "contributor"),
        ("Reporting by Jane Doe; Editing by John Roe", "contributor"),
        ("Associated Press writer Marcus Ellery contributed.", "contributor"),
        ("© 2019 Associated Press. All Rights Reserved.", "footer"),
        ("Privacy Policy", "footer"),
        ("Read more: Turkey coup unfolds", "prompt"),
        ("You may also like", "related"),
        ("02:15", "media"),
        ("03:00 - Source: CNN", "media"),
        ("WASHINGTON (Reuters) -", "dateline"),
    ],
)
def test_certain_kinds(line, kind):
    (unit,) = ruled_units(line)
    assert unit.rule == kind


@pytest.mark.parametrize(
    "line",
    [
        "Shares in Apple rose 3% after the results were published on Tuesday.",
        "He told the photographer to leave the room.",
        "The Senate voted 52-48 on Tuesday.",
        "Turkey feels the pinch",
        "Apple AirPods with Charging Case (Latest Model)",  # not a dateline
        "Search CNN",  # a menu item, not a dateline
        "He contributed.",
    ],
)
def test_ordinary_lines_are_left_to_the_model(line):
    (unit,) = ruled_units(line)
    assert unit.rule is None


def test_a_byline_is_never_a_dateline_line():
    assert P.DATELINE_LINE.match("By Jane Smith, CNN") is None
    assert P.DATELINE_PREFIX.match("By Jane Smith (CNN) wrote this") is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("ST. JOSEPH, Mich. (AP) — Michigan health authorities are reporting a sixth death.", True),
        ("Hong Kong (CNN Business) A muddled view of trade talks weighed on stocks.", True),
        ("MADRID — Rafael Nadal kept Spain's hopes alive on Saturday.", True),
        ("Groupe LAPS (France) produces movies and media installations.", False),
        ("US - China trade tensions rose again on Monday.", False),
    ],
)
def test_story_start_datelines(text, start):
    assert bool(P.STORY_START.match(text)) is start


def test_feature_rows_have_the_declared_width():
    units = split_units("Home\nNews\n\nA long sentence of the story that ends with a full stop here.\n\n© 2019 X")
    rows, nws = stage1(units)
    assert all(len(r) == len(FEATURES_1) for r in rows)
    assert nws == [1, 1, 13, 2]
    rows2 = stage2([0.1, 0.1, 0.9, 0.0], nws, [False] * 4, [False, False, True, False])
    assert all(len(r) == len(FEATURES_2) for r in rows2)


def test_densest_run_finds_the_body_block():
    assert densest_run([-1, -1, 3, 2, -0.5, 4, -5, 1]) == (2, 6)
    assert densest_run([-1, -2]) == (0, 0)


def test_shipped_model_matches_the_features_and_says_how_it_was_fitted():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["features_1"] == list(FEATURES_1)
    assert data["features_2"] == list(FEATURES_2)
    assert "pages" in data["meta"]["fitted_on"]
    assert default_model().threshold == data["threshold"]


def test_a_model_for_other_features_is_refused():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features_1"] = data["features_1"][:-1]
    with pytest.raises(ValueError, match="refit"):
        LineModel.from_dict(data)


def test_model_prefers_prose_to_menus():
    menu = "\n".join(["Home", "World", "Politics", "Business", "Tech", "Sport", "Video", "Weather"] * 3)
    prose = "\n\n".join(
        f"The council met on Tuesday for the {k}th time this year and approved the new budget after a long debate."
        for k in range(5)
    )
    units = split_units(menu + "\n\n" + prose + "\n\n" + menu)
    probs = default_model().probabilities(units)
    body = [p for u, p in zip(units, probs, strict=True) if u.text.startswith("The council")]
    nav = [p for u, p in zip(units, probs, strict=True) if not u.text.startswith("The council")]
    assert min(body) > 0.5 > max(nav)


def test_units_keep_line_numbers_and_blocks():
    units = split_units("a\nb\n\n\nc")
    assert [(u.text, u.line, u.block) for u in units] == [("a", 1, 0), ("b", 2, 0), ("c", 5, 1)]
    assert all(isinstance(u, Unit) for u in units)


def test_wrapped_plain_paragraphs_are_joined():
    text = "The city council approved a $4.2 million budget on Tuesday,\nending weeks of debate.\n\nNext one."
    units = split_units(text, join_wrapped=True)
    assert [u.text for u in units] == [
        "The city council approved a $4.2 million budget on Tuesday, ending weeks of debate.",
        "Next one.",
    ]


@pytest.mark.slow
def test_huge_inputs_parse():
    """A 5 MB single line and 100,000 short lines go through (linear-time paths; timed in
    bench/pages.py, not here)."""
    from newsbrief.ingest import parse_text

    one_line = parse_text("word " * 1_000_000)
    assert len(one_line.body) == len("word " * 1_000_000) - 1
    many = parse_text("\n".join(f"Short line {i}" for i in range(100_000)), format="scraped")
    assert many.body == "" and any("100000 lines" in n for n in many.notes)


# --- the shipped model on whole pages: furniture out, paragraphs in, nothing lost -------------

_STORY = [
    "The city council approved a $4.2 million budget for the new library on Tuesday night.",
    "The vote ended months of debate over whether the old building should be repaired or replaced.",
    "Supporters said the new library would open in two years and serve twice as many readers.",
    "Opponents argued that the money should have gone to the roads and the schools instead.",
    "The mayor said construction would begin in the spring if the state grant is confirmed.",
]
_PAGE = "\n".join(
    [
        "Springfield council backs new library | Springfield Gazette",
        "Home",
        "News",
        "Sport",
        "Opinion",
        "We use cookies to improve your experience. By continuing to browse you agree to our use of cookies.",
        "Springfield council backs new library",
        "Share on Facebook",
        "Share on Twitter",
        "",
        *[p + "\n" for p in _STORY[:3]],
        "The old library on Main Street. Photograph: Jane Roe/Springfield Gazette",
        "",
        *[p + "\n" for p in _STORY[3:]],
        "Sign up for our newsletter",
        "Most read",
        "Council row over parking fees",
        "Five things to do this weekend",
        "© 2019 Springfield Gazette. All rights reserved.",
    ]
)


def _parse(text: str):
    from newsbrief.ingest import parse_text

    return parse_text(text, format="scraped")


def test_a_page_keeps_its_story_and_drops_banner_share_lines_and_caption():
    article = _parse(_PAGE)
    assert [p.strip() for p in article.body.split("\n\n")] == _STORY
    for furniture in ("cookies", "Share on", "Photograph:", "newsletter", "Most read", "Home"):
        assert furniture not in article.body, furniture


def test_a_plain_article_keeps_every_paragraph():
    from newsbrief.ingest import parse_text

    article = parse_text("\n\n".join(_STORY), format="plain")
    assert [p.strip() for p in article.body.split("\n\n")] == _STORY


@pytest.mark.parametrize("text", [_PAGE, "\n\n".join(_STORY), _PAGE.replace("\n\n", "\n")])
def test_every_non_blank_line_ends_in_exactly_one_place(text):
    from helpers import accounted_lines, input_lines

    assert accounted_lines(_parse(text)) == input_lines(text)


def test_the_model_scores_story_above_the_furniture_around_it():
    units = ruled_units(_PAGE)
    probs = default_model().probabilities(units)
    story = [p for u, p in zip(units, probs, strict=True) if u.text in _STORY]
    menu = [p for u, p in zip(units, probs, strict=True) if u.text in ("Home", "News", "Sport", "Opinion")]
    assert len(story) == len(_STORY) and min(story) > 0.5 > max(menu)


# --- features added for related teasers, prompts and page-relative shape ----------------------


def _column(name: str, lines: list[str]) -> list[float]:
    rows, _ = stage1(split_units("\n".join(lines)))
    k = FEATURES_1.index(name)
    return [r[k] for r in rows]


def test_a_headline_glued_to_its_teaser_is_flagged():
    head = "With shattered dreams, deportees return home from US"
    lines = [head, head + " NEW DELHI: Their American dream shattered, nearly 150 Indians returned home."]
    assert _column("teaser_glued", lines) == [0.0, 1.0]
    assert _column("teaser_glued", [lines[1]]) == [0.0]  # nothing on the page it continues


def test_truncated_teasers_and_reader_addressing_lines():
    lines = [
        "Microsoft removes the safeguard hold for Windows 10 users with Realtek Bluetooth...",
        "Save your name and email in this browser for the next time you comment on our site.",
        "The council approved the budget after a long debate on Tuesday evening.",
    ]
    assert _column("ends_ellipsis", lines) == [1.0, 0.0, 0.0]
    reader = _column("reader_words", lines)
    assert reader[1] > 0 and reader[0] == reader[2] == 0.0


def test_stage1_rows_of_a_repeated_line_are_the_same_but_for_their_place():
    units = split_units("Home\nNews\nHome\n\nA long sentence of the story that ends with a full stop here.")
    rows, _ = stage1(units)
    local = slice(1, FEATURES_1.index("repeated"))
    assert rows[0][local] == rows[2][local]
    assert rows[0][FEATURES_1.index("repeated")] > rows[1][FEATURES_1.index("repeated")]


def test_empty_input_has_no_rows():
    assert stage1([]) == ([], [])
    assert default_model().probabilities([]) == []


def test_a_dek_that_restates_the_lead_is_redundant_and_a_lead_is_not():
    lines = [
        "Police arrest two teenagers after arson attack on village school library.",  # the dek
        "Two teenagers were arrested on Monday after an arson attack on the village school library.",
        "Firefighters said the blaze destroyed hundreds of books and damaged the roof badly.",
        "The head teacher thanked the community for offering donations to replace the shelves.",
    ]
    red = _column("redundant_next_2", lines)
    assert red[0] > 0.6  # most of its content words come again in the lead below
    assert red[1] < 0.3  # the lead says what its next paragraphs only go on from
    assert red[3] == 0.0  # nothing below it to restate
    assert _column("redundant_next_2", ["Home", "News"]) == [0.0, 0.0]  # too few words to judge


def test_the_first_prose_of_the_densest_run_carries_its_redundancy():
    nws = [1, 14, 15, 16, 2]
    prose = [False, True, True, True, False]
    p1 = [0.1, 0.9, 0.95, 0.9, 0.1]
    k = FEATURES_2.index("restating_run_start")
    rows = stage2(p1, nws, [False] * 5, prose, [0.0, 0.75, 0.2, 0.0, 0.0])
    assert [r[k] for r in rows] == [0.0, 0.75, 0.0, 0.0, 0.0]
    assert all(r[k] == 0.0 for r in stage2(p1, nws, [False] * 5, prose))  # no redundancy given
