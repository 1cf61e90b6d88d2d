"""Numbers: canonical values and units so that equal amounts compare equal."""

from __future__ import annotations

import pytest

from newsbrief.analyze import Quantity, find_numbers, parse_number


def one(text: str) -> Quantity:
    found = find_numbers(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    "group",
    [
        ["$137,000", "137,000 dollars", "$137k", "US$137,000"],
        ["3.2 per cent", "3.2%", "3.2 percent"],
        ["five", "5"],
        ["2.5 million", "2,500,000"],
        ["$2.5m", "$2,500,000", "2.5 million dollars"],
        ["£200million", "£200 million", "200 million pounds"],
        ["twenty-five", "25"],
        ["50 cents", "$0.50"],
    ],
)
def test_equal_amounts_match(group: list[str]) -> None:
    quantities = [one(text) for text in group]
    for a in quantities:
        for b in quantities:
            assert a.matches(b), (a.text, b.text)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$137,000", "$173,000"),
        ("3.2%", "3.5%"),
        ("five", "six"),
        ("$5 million", "£5 million"),
        ("2 million", "2.4 million"),
    ],
)
def test_different_amounts_do_not_match(a: str, b: str) -> None:
    assert not one(a).matches(one(b))


def test_canonical_keys() -> None:
    assert one("$137k").key == "money:137000:USD"
    assert one("3.2 per cent").key == "percent:3.2:%"
    assert one("2.5 million").key == "number:2500000"
    assert one("a 12ft drop").key == "number:12:ft"


def test_rounded_decimal_with_scale_word() -> None:
    # "$2.5 million" is any amount the writer could round to it.
    assert one("$2.5 million").matches(one("$2,460,000"))
    assert not one("$2.5 million").matches(one("$2,600,000"))


@pytest.mark.parametrize("text", ["aged 35", "a 35-year-old man", "John Smith, 35, from Leeds", "35 years old"])
def test_ages(text: str) -> None:
    q = one(text)
    assert (q.kind, q.value, q.unit) == ("age", 35.0, "year")
    assert q.matches(one("35 years"))


def test_age_span_is_the_number_only() -> None:
    text = "Mr Lawler, now 64, said. Sapp, 42, cries."
    (q,) = [q for q in find_numbers(text) if q.kind == "age"]
    assert text[q.span[0] : q.span[1]] == "42" and q.text == "42"


def test_dates() -> None:
    full = one("on February 2, 2015 in Phoenix")
    assert (full.year, full.month, full.day) == (2015, 2, 2)
    assert one("February 2").matches(full) and one("2 February").matches(full)
    assert not one("February 3").matches(full)
    assert one("in January 1978").matches(one("Jan. 1978"))
    assert one("the 1970s").matches(one("in 1978"))
    assert one("on Tuesday").key == "date:?-?-?-1-?"
    assert find_numbers("you may go") == [] and find_numbers("Theresa May said") == []


def test_detokenizer_artefacts() -> None:
    # CNN/DailyMail as distributed: "235, 000", "1. 3 billion".
    assert one("viewed more than 235, 000 times").matches(one("235,000"))
    assert one("around 1. 3 billion people").matches(one("1.3 billion"))
    assert [q.value for q in find_numbers("In 2013, 400 people came")] == [None, 400.0]


def test_spans_and_offset() -> None:
    text = "He paid $137,000 for a 12ft boat in 2015."
    for q in find_numbers(text, offset=10):
        assert text[q.span[0] - 10 : q.span[1] - 10] == q.text


def test_parse_number() -> None:
    assert parse_number("137,000") == 137000
    assert parse_number("twenty-five") == 25
    assert parse_number("a dozen") == 12
    assert parse_number("lots") is None


def test_to_dict_has_key() -> None:
    data = one("$137k").to_dict()
    assert data["key"] == "money:137000:USD" and data["span"] == [0, 5]
