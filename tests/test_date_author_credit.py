"""The date + author line and the colon-less credit lines (issue 12): certain furniture on real
pages, and never a line of a hand-checked body on the 99 dev pages."""

from __future__ import annotations

import gzip
import json

import pytest

from conftest import SHARED_DEV
from newsbrief.ingest import parse_text
from newsbrief.ingest import patterns as P

PAGES = SHARED_DEV / "pages.jsonl.gz"


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    "line",
    [
        "November 20, 2019 Emiliano Bellini",
        "2019-11-20 17:27:46 Marcus De Guzman",
        "Monday November 18, 2019 7:45 am PST by Joe Rossignol",
        "19 November 2019 | Anna van der Berg",
    ],
)
def test_date_author_lines(line):
    assert P.is_date_author(line, _words(line))


@pytest.mark.parametrize(
    "line",
    [
        "Nov. 19, 2019, 8:41 AM UTC",  # a timestamp: "AM UTC" is no name
        "Wednesday November 20, 2019 Wednesday's Daily Headlines",
        "September 2019 open thread",
        "On November 20, 2019 Emiliano Bellini said the plan would work.",
    ],
)
def test_not_date_author_lines(line):
    assert not P.is_date_author(line, _words(line))


@pytest.mark.parametrize(
    "line",
    [
        "RenderBurger for Quanta Magazine",
        "Jane Doe for The New York Times",
        "Photo illustration by Jane Doe for NPR",
        "Chip Somodevilla/Getty",
        "Jane Doe / AFP",
    ],
)
def test_short_credit_lines(line):
    assert P.is_short_credit(line, _words(line))


@pytest.mark.parametrize(
    "line",
    [
        "Homes for Sale",
        "Work for CNN",
        "Register for Free",
        "A Job for Tuft Cells",
        "Meal Prep Menu for Eating Plan A",
        "Image Source: Neil Godwin / Future Publishing/Shutterstock",
        "He wrote for The New York Times.",
    ],
)
def test_not_short_credit_lines(line):
    assert not P.is_short_credit(line, _words(line))


def test_reader_takes_the_date_author_line_as_byline_and_date():
    text = (
        "South Korea’s roadmap to drive down solar costs\n\n"
        "November 20, 2019 Emiliano Bellini\n\n"
        "South Korea’s ministry has unveiled a plan to help the PV industry reduce the costs of solar modules.\n"
    )
    article = parse_text(text, format="scraped")
    assert article.byline == "Emiliano Bellini"
    assert article.published == "November 20, 2019"
    assert "Bellini" not in article.body


def test_reader_keeps_a_for_credit_out_of_the_body():
    text = (
        "Cells That Taste Danger Set Off Immune Responses\n\n"
        "Cells with taste receptors sometimes develop inside the lungs of animals.\n\n"
        "RenderBurger for Quanta Magazine\n\n"
        "When the immunologist looked deep inside the lungs of mice infected with influenza, he thought he "
        "was seeing things. He had found a strange-looking cell.\n"
    )
    article = parse_text(text, format="scraped")
    assert any(b.text == "RenderBurger for Quanta Magazine" and b.kind == "caption" for b in article.blocks)
    assert "RenderBurger" not in article.body


@pytest.mark.skipif(not PAGES.exists(), reason=f"dev pages not found at {PAGES}")
def test_no_gold_body_line_is_matched():
    with gzip.open(PAGES, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f]
    hits = [
        line
        for page in pages
        for line in (x.strip() for x in page["body"].splitlines())
        if line and (P.is_date_author(line, _words(line)) or P.is_short_credit(line, _words(line)))
    ]
    assert hits == []
