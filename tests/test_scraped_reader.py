"""The scraped-page reader on the seed article: the acceptance criteria of issue 2."""

from __future__ import annotations

import pytest

import newsbrief
from helpers import accounted_lines, input_lines
from newsbrief import parse
from newsbrief.ingest import detect_format
from newsbrief.ingest import patterns as P
from newsbrief.ingest.text import read_scraped

SUBHEADS_AND_RELATED = [
    "How the warplane drama unfolded",
    "Turkey feels the pinch",
    "Russia, Turkey trade charges: Who bought oil from ISIS?",
    "Russian tourists start returning to Turkey",
    "Coup opportunity",
    "Turkey coup: How night of death and mayhem unfolded",
    "Erdogan tells million-strong rally: I support death penalty",
]


@pytest.fixture
def seed(seed_text):
    return parse(seed_text)


def test_seed_is_detected_as_scraped(seed_text):
    assert detect_format(seed_text) == "scraped"


def test_seed_reference_highlights(seed):
    assert seed.reference_highlights == [
        "The two leaders fell out after a Russian warplane was shot down over Syria by Turkey",
        "Turkey's economy is suffering during the spat with Moscow",
    ]


def test_seed_media(seed):
    assert [(m.kind, m.file_name, m.title, m.duration, m.duration_seconds, m.source) for m in seed.media] == [
        (
            "video",
            "erdogan meets with putin in russia_00012016.jpg",
            "Erdogan meets with Putin after weeks of tension",
            "03:00",
            180,
            "CNN",
        ),
        (
            "video",
            "tensions escalating between turkey and russia matthew chance_00014124.jpg",
            "Tensions escalate between Turkey and Russia",
            "03:04",
            184,
            "CNN",
        ),
    ]
    assert seed.media[0].caption == "erdogan meets with putin in russia"


def test_seed_dateline_and_source(seed):
    assert seed.dateline == "St. Petersburg, Russia"
    assert seed.source == "CNN"


def test_seed_headings_and_related_are_outside_the_body(seed):
    kept = {b.text: b.kind for b in seed.blocks}
    for line in SUBHEADS_AND_RELATED:
        assert line not in seed.body
        assert kept[line] in {"heading", "related"}
    assert kept["Turkey feels the pinch"] == "heading"
    assert kept["Coup opportunity"] == "heading"
    assert kept["Turkey coup: How night of death and mayhem unfolded"] == "related"


def test_seed_body_starts_with_the_story_and_holds_no_noise(seed):
    assert seed.body.startswith("Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg")
    for noise in ["_00012016.jpg", "03:00 - Source", "Story highlights", "CNN  —", "Turkey's economy is suffering"]:
        assert noise not in seed.body
    assert seed.body.rstrip().endswith("international counter-terrorism effort.”")


def test_seed_every_line_is_kept_exactly_once(seed_text, seed):
    assert accounted_lines(seed) == input_lines(seed_text)


def test_sentences_point_into_the_body(seed):
    assert len(seed.sentences) > 25
    for s in seed.sentences:
        assert seed.body[s.start : s.end] == s.text
        p = seed.paragraphs[s.paragraph]
        assert p.start <= s.start < s.end <= p.end
    texts = [s.text for s in seed.sentences]
    assert "He wasn’t kidding." in texts
    assert "The Kremlin’s retribution also got personal." in texts


def test_dailymail_page_byline_timestamp_and_furniture(fixtures):
    text = (fixtures / "dailymail-scraped.txt").read_text()
    article = parse(text)
    assert article.title == "Gone With The Wind dress sells for $137,000 at auction"
    assert article.byline == "Daily Mail Reporter"
    assert article.published == "10:22 EST, 18 April 2015"
    assert article.updated == "11:43 EST, 18 April 2015"
    kinds = {b.text: b.kind for b in article.blocks}
    assert kinds["Scroll down for video"] == "prompt"
    assert kinds["Photo: Heritage Auctions"] == "caption"
    assert kinds["Share or comment on this article"] == "prompt"
    for noise in ["Scroll down", "Photo:", "PUBLISHED", "By Daily", "Share or comment"]:
        assert noise not in article.body
    assert article.body.startswith("A dress worn by Vivien Leigh")
    assert accounted_lines(article) == input_lines(text)


def test_image_with_caption_line_and_bare_duration_line():
    text = (
        "Big fire in the city\n\nfire downtown_0001.jpg\nSmoke rises over the old town\n\n"
        "Firefighters battled the blaze for hours.\n\n02:15 - Source: WABC\n\nNobody was hurt, police said.\n"
    )
    article = read_scraped(text)
    assert article.title == "Big fire in the city"
    assert [(m.kind, m.title, m.duration) for m in article.media] == [
        ("image", "Smoke rises over the old town", None),
        ("video", None, "02:15"),
    ]
    assert article.media[1].source == "WABC"
    assert [s.text for s in article.sentences] == [
        "Firefighters battled the blaze for hours.",
        "Nobody was hurt, police said.",
    ]
    assert accounted_lines(article) == input_lines(text)


@pytest.mark.parametrize(
    ("line", "place", "source"),
    [
        ("St. Petersburg, Russia CNN  —", "St. Petersburg, Russia", "CNN"),
        ("WASHINGTON (Reuters) -", "WASHINGTON", "Reuters"),
        ("(CNN) --", None, "CNN"),
        ("Hong Kong CNN —", "Hong Kong", "CNN"),
    ],
)
def test_dateline_line_pattern(line, place, source):
    m = P.DATELINE_LINE.match(line)
    assert m is not None
    assert (m.group("place") or None) == place
    assert (m.group("psource") or m.group("source")) == source


@pytest.mark.parametrize(
    ("paragraph", "place", "source", "rest"),
    [
        ("(CNN) -- After a Russian fighter jet", None, "CNN", "After a Russian fighter jet"),
        ("Rome (CNN) Italy is coping with a rising wave", "Rome", "CNN", "Italy is coping with a rising wave"),
        ("WASHINGTON (Reuters) - The Senate voted", "WASHINGTON", "Reuters", "The Senate voted"),
        ("LONDON, England (CNN) -- Police said", "LONDON, England", "CNN", "Police said"),
    ],
)
def test_dateline_prefix_is_taken_off_the_first_paragraph(paragraph, place, source, rest):
    article = parse(paragraph + " on Monday.\n\nA second paragraph follows here.")
    assert article.source == source
    assert article.dateline == place
    assert article.body.startswith(rest)
    assert [b.kind for b in article.blocks] == ["dateline"]


def test_parenthesised_source_inside_a_sentence_is_not_a_dateline():
    article = parse("Officials told CNN (CNN) reporters nothing. The talks went on.")
    assert article.dateline is None
    assert article.body.startswith("Officials told CNN")


@pytest.mark.parametrize(
    "line",
    ["By . Daily Mail Reporter .", "By Jane Smith and John Doe, CNN", "By JAMES SLACK"],
)
def test_byline_pattern(line):
    assert P.BYLINE.match(line)


def test_timestamp_pattern_dailymail():
    m = P.TIMESTAMP.match("PUBLISHED: . 10:22 EST, 16 March 2014 . | . UPDATED: . 11:43 EST, 16 March 2014 .")
    assert m is not None
    assert m.group("published") == "10:22 EST, 16 March 2014"
    assert m.group("updated") == "11:43 EST, 16 March 2014"


def test_body_sentence_ending_in_a_question_stays_in_the_body():
    text = "Story highlights\n\nA short highlight\n\nLONDON CNN —\n\nWho will pay for it? Nobody knows.\n\nThe bill is due.\n"
    article = read_scraped(text)
    assert article.reference_highlights == ["A short highlight"]
    assert article.body.startswith("Who will pay for it?")


# --- issue 12: any outlet's page --------------------------------------------------------------

NEW_CNN = """Smoke from massive fires in Siberia created fiery sunsets

By Jane Smith and John Doe, CNN

Updated 12:12 AM ET, Mon April 20, 2015

STORY HIGHLIGHTS

Smoke from massive fires in Siberia created fiery sunsets in the Pacific Northwest.

Atmospheric winds carried smoke from the wildfires across the Pacific Ocean.

Washington (CNN) — A fiery sunset greeted people in Washington Sunday.

The deep reddish color caught Seattle native Tim Durkan's eye. He photographed a handful of aerial shots.

The stunning sunsets were the result of raging wildfires in parts of Siberia, officials said on Monday.

Share Save

Getty Images

The fires were started in southeastern Siberia, by farmers burning grass in their fields.

CNN's Jane Roe contributed to this report.
"""


def test_cnn_page_with_period_highlights_inline_dateline_and_byline():
    article = parse(NEW_CNN)
    assert article.reference_highlights == [
        "Smoke from massive fires in Siberia created fiery sunsets in the Pacific Northwest.",
        "Atmospheric winds carried smoke from the wildfires across the Pacific Ocean.",
    ]
    assert (article.dateline, article.source) == ("Washington", "CNN")
    assert article.byline == "Jane Smith and John Doe, CNN"
    assert article.body.startswith("A fiery sunset greeted people in Washington Sunday.")
    for noise in ["Smoke from massive", "Atmospheric winds", "Share Save", "Getty Images", "contributed", "(CNN)"]:
        assert noise not in article.body
    assert article.sentences[0].text == "A fiery sunset greeted people in Washington Sunday."
    for s in article.sentences:
        assert article.body[s.start : s.end] == s.text
    assert accounted_lines(article) == input_lines(NEW_CNN)


def test_key_points_bullets_without_periods():
    text = (
        "Key points\n\n- Council approves budget\n- Libraries stay open\n\n"
        "The city council approved a $4.2 million budget on Tuesday.\n\nCritics said it was too small.\n"
    )
    article = parse(text)
    assert article.reference_highlights == ["Council approves budget", "Libraries stay open"]
    assert article.body.startswith("The city council approved")


@pytest.mark.parametrize(
    ("opening", "place", "source"),
    [
        ("(CNN) --", None, "CNN"),
        ("WASHINGTON (CNN) —", "WASHINGTON", "CNN"),
        ("LONDON (Reuters) -", "LONDON", "Reuters"),
        ("WASHINGTON (AP) —", "WASHINGTON", "AP"),
        ("PARIS (AFP) -", "PARIS", "AFP"),
        ("BERLIN (dpa) -", "BERLIN", "dpa"),
        ("WASHINGTON —", "WASHINGTON", None),
    ],
)
def test_inline_datelines_of_agencies(opening, place, source):
    text = (
        f"Senate passes the budget bill\n\nBy Jane Smith\n\n{opening} The Senate passed the budget bill on Tuesday "
        "after a long night of debate.\n\nThe vote was 52-48, officials said.\n\nThe House votes next week.\n"
    )
    article = parse(text)
    assert (article.dateline, article.source) == (place, source)
    assert article.byline == "Jane Smith"
    assert article.body.startswith("The Senate passed the budget bill on Tuesday")
    assert article.sentences[0].text.startswith("The Senate passed")
    assert article.body[article.sentences[0].start : article.sentences[0].end] == article.sentences[0].text
    assert all(opening not in h.text for h in newsbrief.summarize(article).highlights)
    assert accounted_lines(article) == input_lines(text)


def test_daily_mail_run_together_header():
    text = (
        "By . Jane Smith . PUBLISHED: . 10:22 EST, 16 March 2014 . | . UPDATED: . 11:43 EST, 16 March 2014 . "
        "A dress worn by Vivien Leigh has fetched $137,000 at auction. The buyer was not named."
    )
    article = parse(text)
    assert article.byline == "Jane Smith"
    assert (article.published, article.updated) == ("10:22 EST, 16 March 2014", "11:43 EST, 16 March 2014")
    assert article.dateline is None
    assert article.body.startswith("A dress worn by Vivien Leigh")


def test_byline_with_outlet_is_not_a_dateline():
    text = "By Jane Smith, CNN\n\nThe Senate passed the bill on Tuesday night after a long debate.\n\nIt goes on.\n"
    article = parse(text)
    assert article.byline == "Jane Smith, CNN"
    assert article.dateline is None


def test_outlet_furniture_stays_out_of_body_and_highlights():
    furniture = [
        "Share Save",
        "Image copyright Getty Images",
        "Photograph: Tom Jenkins/The Guardian",
        "By continuing to use our service, you agree to our use of cookies.",
        "GET BREAKING NEWS IN YOUR BROWSER. CLICK HERE TO TURN ON NOTIFICATIONS.",
        "This post may contain affiliate links",
    ]
    story = [
        "Prosecutors in Sweden have dropped an investigation into an allegation made in 2010.",
        "The decision was taken after interviews with seven witnesses, the prosecutor said.",
        "He is currently being held at a prison in London, where he awaits a hearing.",
    ]
    text = "\n\n".join([furniture[3], furniture[4], story[0], furniture[0], furniture[1], story[1]])
    text += "\n\n" + "\n\n".join([furniture[2], story[2], furniture[5]]) + "\n"
    article = parse(text)
    assert article.body == "\n\n".join(story)
    texts = newsbrief.summarize(article).texts
    assert texts and all(not any(f in h for f in furniture) for h in texts)
    assert accounted_lines(article) == input_lines(text)


def test_page_of_only_furniture_gives_an_empty_body_with_a_note():
    text = "\n".join(["Home", "News", "Sport", "Share Save", "Privacy Policy", "© 2019 Example News"] * 4)
    article = parse(text)
    assert article.body == "" and article.sentences == []
    assert any("no article text" in n for n in article.notes)
    assert accounted_lines(article) == input_lines(text)


def test_empty_text_is_still_an_input_error():
    from newsbrief import InputError

    with pytest.raises(InputError):
        parse("   \n\n  ")


def _page(*blocks: str) -> str:
    """Page text as a scraper dumps it: blocks separated by blank lines."""
    return "\n\n".join(blocks) + "\n"


STORY = [
    "Prosecutors in Sweden have dropped an investigation into an allegation made in 2010.",
    "The decision was taken after interviews with seven witnesses, the prosecutor said.",
    "He is currently being held at a prison in London, where he awaits a hearing.",
]


@pytest.mark.parametrize(
    "box",
    [
        "Newsletter\nThe best of our journalism, handpicked each weekday.\nSign me up",
        "Newsletter abonnieren\nDie wichtigsten Nachrichten des Tages direkt in Ihr Postfach.\nJetzt anmelden",
        "Get our free daily briefing\nEnter your email address\nSubscribe",
    ],
)
def test_sign_up_box_lines_are_prompts_not_body(box):
    text = _page("Home\nNews\nWorld", STORY[0], STORY[1], box, STORY[2], "© 2015 Example News")
    article = parse(text)
    assert article.body == "\n\n".join(STORY)
    assert accounted_lines(article) == input_lines(text)


def test_short_prose_block_with_no_newsletter_word_is_not_a_sign_up_box():
    """Only a block that names a newsletter or subscription is a box; two short lines of story
    in one block stay body."""
    story = ["The vote was 5-4.", "Critics said it was too small and came far too late for the city."]
    page = _rules_of(_page("Home\nNews", STORY[0], "\n".join(story), STORY[1]))
    assert [u.rule for u in page][-3:-1] == [None, None]


def _rules_of(text: str) -> list:
    from newsbrief.ingest.page import ruled_units

    return ruled_units(text)


def test_click_to_tweet_is_a_prompt():
    (unit,) = _rules_of("Click To Tweet")
    assert unit.rule == "prompt"


def test_highlight_with_an_initial_is_one_bullet():
    text = _page(
        "Judge orders Stiviano to pay back gifts",
        "Story highlights",
        "V. Stiviano must pay back $2.6 million in gifts from Donald Sterling.",
        "The items included a Ferrari, two Bentleys and a Range Rover.",
        "(CNN) -- A Los Angeles judge has ordered V. Stiviano to pay back more than $2.6 million in gifts.",
        STORY[1],
        STORY[2],
    )
    article = parse(text)
    assert article.reference_highlights == [
        "V. Stiviano must pay back $2.6 million in gifts from Donald Sterling.",
        "The items included a Ferrari, two Bentleys and a Range Rover.",
    ]
    assert article.source == "CNN"
    assert article.body.startswith("A Los Angeles judge")


@pytest.mark.parametrize("name", ["Anna Hartley and Tom Devlin", "Oscar Whitfield in Sydney", "Wen Ellery"])
def test_name_line_after_key_points_ends_the_highlights(name):
    """The Guardian prints its byline as a bare name right under the Key points bullets."""
    text = _page(
        "Leicester win again to boost survival hopes",
        "Key points",
        "Leicester have won back-to-back league games to boost survival hopes",
        "Nigel Pearson has urged his players to focus on their own run-in.",
        name,
        "Tue 14 Apr 2015 10.22 BST",
        *STORY,
    )
    article = parse(text)
    assert article.reference_highlights == [
        "Leicester have won back-to-back league games to boost survival hopes",
        "Nigel Pearson has urged his players to focus on their own run-in.",
    ]
    assert name not in article.body
    assert accounted_lines(article) == input_lines(text)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Phil Helsel is a reporter for NBC News.", "contributor"),
        ("Eric Song is IGN's deal curator and spends 25% of his pay on stuff he posts.", "contributor"),
        ("Khashoggi is a journalist who was killed in the consulate in October.", None),
        ("6 thoughts on “How to Adopt an Online Leader Success Mindset”", "prompt"),
        ("Leave a Reply", "prompt"),
        ("All quotes delayed a minimum of 15 minutes. See here for a complete list of exchanges and delays.", "footer"),
        ("The material on this site may not be reproduced, distributed, transmitted or cached.", "footer"),
        ("Please enable JavaScript to view the comments powered by Disqus.", "prompt"),
        ("You must be logged in to post a comment.", "prompt"),
        ("The views expressed in the contents above are those of our users and do not reflect ours.", "prompt"),
        ("The views and opinions expressed in the article do not necessarily reflect those of Sputnik.", None),
    ],
)
def test_furniture_under_the_story(line, kind):
    (unit,) = _rules_of(line)
    assert unit.rule == kind


def test_story_goes_on_after_a_break_but_teasers_do_not():
    from newsbrief.ingest.features import Unit
    from newsbrief.ingest.page import BREAK_MIN_P, _grow_past_break

    texts = [
        STORY[0],  # body
        "Newsletter",
        "Sign up for our daily briefing",
        "Sign me up",
        STORY[1],  # after a break: body although the model is unsure
        "Related",
        "Hong Kong civilians step in to save students trapped in the university campus…",
        STORY[2],  # a second step from grown body: not taken
    ]
    units = [Unit(t, k + 1, k) for k, t in enumerate(texts)]
    free = [True, False, False, False, True, True, True, True]
    probs = [0.9, 0.0, 0.0, 0.0, BREAK_MIN_P, 0.0, BREAK_MIN_P, BREAK_MIN_P]
    body = [True] + [False] * 7
    _grow_past_break(units, free, probs, body)
    assert body == [True, False, False, False, True, False, False, False]
    probs[4] = BREAK_MIN_P / 2
    body = [True] + [False] * 7
    _grow_past_break(units, free, probs, body)
    assert body == [True] + [False] * 7


@pytest.mark.parametrize(
    "teaser",
    [
        "Hong Kong civilians step in to save students trapped in the university campus…",
        "I want to tell you about another important change in our newsroom this year, […]",
        "Quickly Collect Signatures. Anywhere And On Any Device With Our Free App.",
    ],
)
def test_a_teaser_after_a_break_is_not_the_story_going_on(teaser):
    from newsbrief.ingest.features import Unit
    from newsbrief.ingest.page import BREAK_MIN_P, _grow_past_break

    units = [Unit(t, k + 1, k) for k, t in enumerate([STORY[0], "Advertisement", teaser])]
    body = [True, False, False]
    _grow_past_break(units, [True, False, True], [0.9, 0.0, BREAK_MIN_P], body)
    assert body == [True, False, False]


def test_captions_with_position_markers_leave_the_body():
    """Daily Mail captions stand between paragraphs with no final stop; a marker such as
    "(pictured)" or an opening "Pictured:" names them, even three in a row."""
    captions = [
        "Gregory van der Wiel (right) says he is not interested in leaving Paris Saint-Germain",
        "Pictured: the moment it happened. Pictured: the scene",
        "Police at the scene on Sunday night (pictured)",
    ]
    text = _page("Home\nNews\nSport", STORY[0], *captions, STORY[1], STORY[2], "© 2015 Example News")
    article = parse(text)
    assert article.body == "\n\n".join(STORY)
    assert all(c in [b.text for b in article.blocks] for c in captions)
    assert accounted_lines(article) == input_lines(text)


def test_a_marker_inside_prose_keeps_the_line_in_the_body():
    story = [STORY[0], "Manager Laurent Blanc (pictured) said the full back would stay at the club.", STORY[1]]
    article = parse(_page("Home\nNews\nSport", *story, "© 2015 Example News"))
    assert article.body == "\n\n".join(story)


def test_a_break_of_unclaimed_prose_or_a_question_does_not_carry_the_story():
    from newsbrief.ingest.features import Unit
    from newsbrief.ingest.page import BREAK_MIN_P, _grow_past_break

    question = "Could an astronaut lost in space use gravity alone to get back to the station?"
    for texts, free in (
        ([STORY[0], "rmb8090 is the editor of this blog and its many pages", STORY[1]], [True, True, True]),
        ([STORY[0], "Advertisement", question], [True, False, True]),
    ):
        units = [Unit(t, k + 1, k) for k, t in enumerate(texts)]
        body = [True, False, False]
        _grow_past_break(units, free, [0.9, 0.0, BREAK_MIN_P], body)
        assert body == [True, False, False], texts


def test_headline_above_the_byline_is_the_title_when_no_title_line_matches():
    text = _page(
        "We care about your privacy\nAccept all cookies",
        "Politics\nMoney\nTech",
        "Swedish prosecutors drop the investigation",
        "By Jane Smith, CNN",
        "Updated 11:59 PM ET, Tue April 21, 2015",
        *STORY,
    )
    article = parse(text)
    assert article.title == "Swedish prosecutors drop the investigation"
    assert article.body == "\n\n".join(STORY)


def test_furniture_keeps_its_own_kind() -> None:
    # The classes reach the data model: a prompt, a footer and a navigation run are
    # kept as what they are, not folded into one "boilerplate" bin.
    text = (
        "Home | World | Business | Tech\n"
        "Council approves budget after weeks of debate\n"
        "By Jane Smith\n"
        "The city council approved a $4.2 million budget on Tuesday, ending weeks of debate over library funding.\n"
        "Mayor Jane Ortiz said the plan protects every library in the city and keeps taxes where they are.\n"
        "Critics said the budget leaves too little for road repairs and asked for a second vote next month.\n"
        "Sign up for our newsletter to get the day's top stories in your inbox.\n"
        "© 2024 Example News. All rights reserved.\n"
    )
    kinds = {b.text: b.kind for b in parse(text, format="scraped").blocks}
    assert kinds.get("Sign up for our newsletter to get the day's top stories in your inbox.") == "prompt"
    assert kinds.get("© 2024 Example News. All rights reserved.") == "footer"
