"""Bounded work on hostile input (issue 11): the limits are taken and said, the work is counted.

No wall clock: each test counts operations (list reads, regex scans, comparisons) or checks
that a capped path was taken and noted, on inputs big enough that the old code did
quadratic work (0.9 s for a 2,000-word sentence in the checker, minutes for analysis of
repeated capitalised words). The rewritten look-ups are also checked against the plain
definitions they replace, on random input.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbrief import faithfulness as F
from newsbrief.analyze import analysis as A
from newsbrief.analyze import entities as E
from newsbrief.analyze import quotes as Q
from newsbrief.analyze.numbers import Quantity, QuantityIndex, find_numbers
from newsbrief.article import Article
from newsbrief.ingest.build import set_body
from newsbrief.nlp.tokens import tokens

SMALL = settings(max_examples=300, deadline=None)


def article(text: str) -> Article:
    return set_body(Article(id="hostile"), [(p, None) for p in text.split("\n\n")])


class CountingList(list[Any]):
    """A list that counts item reads, to measure the work of a loop over it."""

    reads = 0

    def __getitem__(self, key: Any) -> Any:
        CountingList.reads += 1
        return super().__getitem__(key)


# --- the checker --------------------------------------------------------------------------


def test_patchwork_work_is_linear_in_the_summary_whatever_the_article() -> None:
    # One word 20,000 times: each summary word used to be extended at every occurrence.
    index = F.ArticleIndex(article("the " * 20_000))
    index.stems = CountingList(index.stems)
    st_ = ["the"] * 2000
    CountingList.reads = 0
    caps: set[str] = set()
    share, fragments = F._patchwork(index, st_, caps)
    assert CountingList.reads <= 2 * F.MAX_OCCURRENCES * len(st_)
    assert caps == {"occurrences"} and share == 0.0 and sum(n for _, n in fragments) == len(st_)


def test_patchwork_uncapped_equals_the_definition() -> None:
    index = F.ArticleIndex(article("Putin met Erdogan in Moscow. Erdogan met Putin in Ankara on Tuesday."))
    st_ = ["putin", "met", "erdogan", "in", "ankara", "on", "monday"]
    caps: set[str] = set()
    share, fragments = F._patchwork(index, st_, caps)
    # "putin met erdogan in" (4 words), "ankara on" (2: short), "monday" not in the article.
    assert caps == set() and fragments[0][1] == 4 and fragments[1][1] == 2 and share == 1 / 7


def test_long_summary_sentence_is_checked_in_pieces_with_a_note() -> None:
    text = "Putin met Erdogan in Moscow on Tuesday and they talked about Syria " * 100
    report = F.check(article(text), text)
    words = [len(re.findall(r"\w+", s.text)) for s in report.sentences]
    assert len(report.sentences) == -(-1200 // F.MAX_UNIT_WORDS) and max(words) <= F.MAX_UNIT_WORDS
    assert {s.index for s in report.sentences} == {0}
    assert any(f"pieces of at most {F.MAX_UNIT_WORDS} words" in n for n in report.notes)
    assert "".join(s.text for s in report.sentences) == text.strip()  # every character checked


def test_supporting_window_is_narrowed_with_a_note() -> None:
    words = [a + b + c for a in "bcdfg" for b in "aeiou" for c in "klmnprstvwxz" for _ in "xy"][::2]  # 300
    text = " ".join(f"{w} {v}" for w in words for v in words[:10])  # one sentence of 6,000 words
    summary = " ".join(text.split()[3000:3020]) + "."
    report = F.check(article(text), summary)
    (s,) = report.sentences
    assert s.support_span is not None and s.support_text is not None
    assert len(tokens(s.support_text)) == F.MAX_WINDOW_WORDS
    assert summary[:-1] in s.support_text and s.score == 1.0
    assert any("MAX_WINDOW_WORDS" in n for n in report.notes)


def test_summary_words_past_the_limit_are_left_out_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(F, "MAX_SUMMARY_WORDS", 50)
    summary = "Putin met Erdogan in Moscow on Tuesday. " * 20  # 140 words
    report = F.check(article("Putin met Erdogan in Moscow on Tuesday."), summary)
    assert sum(len(s.text.split()) for s in report.sentences) == 50
    assert any("first 50 of the summary's 140 words" in n for n in report.notes)


def test_frequent_word_pairs_do_not_rank_sentences() -> None:
    text = " ".join(f"The minister spoke about item {i}." for i in range(F.MAX_BIGRAM_SENTENCES + 10))
    report = F.check(article(text), "The minister spoke about item 7.")
    assert any("MAX_BIGRAM_SENTENCES" in n for n in report.notes)
    assert report.sentences[0].support_text == "The minister spoke about item 7."


def test_numbers_past_the_limit_are_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(F, "MAX_NUMBER_CHARS", 100)
    text = "Putin met 5 men in Moscow. " * 10 + "He paid $7 million in Ankara."
    report = F.check(article(text), "He paid $7 million in Ankara.")
    assert any("MAX_NUMBER_CHARS" in n for n in report.notes)
    assert [i.kind for i in report.issues] == ["number"]  # said, not hidden


def test_number_checks_compare_each_summary_number_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = Quantity.matches

    def counting(self: Quantity, other: Quantity) -> bool:
        nonlocal calls
        calls += 1
        return original(self, other)

    monkeypatch.setattr(Quantity, "matches", counting)
    body = " ".join(f"{i} men" for i in range(5000))
    index = F.ArticleIndex(article(body))
    F.check(index, " ".join(f"{i} women" for i in range(0, 10_000, 7)))
    assert calls == 0  # every look-up goes through QuantityIndex


def test_no_item_check_scans_the_article_per_item() -> None:
    index = F.ArticleIndex(article("Putin met Erdogan. " * 2000))
    F.check(index, "Putin met Angela Merkel. " * 200)
    assert len(index._phrase_memo) <= 3  # one substring search per distinct several-word name


# --- the rewritten look-ups against their definitions -------------------------------------

positions = st.lists(st.integers(0, 60), max_size=25, unique=True).map(sorted)


@SMALL
@given(first=positions, second=positions, dist_steps=st.lists(st.integers(0, 2), min_size=61, max_size=61))
def test_close_equals_its_definition(first: list[int], second: list[int], dist_steps: list[int]) -> None:
    dist = [sum(dist_steps[: i + 1]) for i in range(61)]
    expected = any(ja < jb and dist[jb] - dist[ja] <= F._PAIR_DISTANCE for ja in first for jb in second)
    assert F._close(first, second, dist, set()) == expected


words_ = st.lists(st.sampled_from("a b c d".split()), max_size=40)


@SMALL
@given(art=words_, quoted=st.lists(st.sampled_from("a b c d".split()), min_size=1, max_size=12))
def test_mostly_copied_equals_its_definition(art: list[str], quoted: list[str]) -> None:
    index = F.ArticleIndex(article(" ".join(art) + "."))
    best = 0
    for i in range(len(quoted)):
        for j in range(len(index.stems)):
            k = 0
            while i + k < len(quoted) and j + k < len(index.stems) and quoted[i + k] == index.stems[j + k]:
                k += 1
            best = max(best, k)
    assert F._mostly_copied(index, " ".join(quoted), set()) == (best / len(quoted) >= F.QUOTE_COVERAGE)


number_texts = st.lists(
    st.sampled_from(
        "5|5.0|$5|5 million|5.5 million|£5|7%|7 per cent|1994|the 1990s|March 14|March 14, 2015|"
        "14 March|March 2015|Monday|2015|aged 35|3pm|third|twenty-five|25|2.46 billion|0.5|1990".split("|")
    ),
    max_size=12,
)


@SMALL
@given(article_numbers=number_texts, summary_numbers=number_texts)
def test_quantity_index_equals_pairwise_matching(article_numbers: list[str], summary_numbers: list[str]) -> None:
    found = find_numbers(" ; ".join(article_numbers))
    index = QuantityIndex(found)
    for q in find_numbers(" ; ".join(summary_numbers)):
        assert index.matches_any(q) == any(q.matches(a) for a in found), q


spans = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])), max_size=15)


@SMALL
@given(spans=spans, pos=st.integers(-2, 75), pad=st.integers(0, 1))
def test_spans_holds_equals_any(spans: list[tuple[int, int]], pos: int, pad: int) -> None:
    assert Q._Spans(spans, pad).holds(pos) == any(a - pad <= pos < b + pad for a, b in spans)


def _better_close_follows(events: list[tuple[int, int, Any]], idx: int, mark: Any) -> bool:
    """The scan ``_closes_later`` replaced (quadratic on a run of possessives)."""
    for _, _, later in events[idx + 1 :]:
        if later is None:
            return False
        if later.family != mark.family:
            continue
        if later.role in ("close", "either"):
            return True
        if later.role == "open":
            return False
    return False


@SMALL
@given(
    items=st.lists(
        st.one_of(st.none(), st.tuples(st.sampled_from("ds"), st.sampled_from(["open", "close", "weak", "either"])))
    )
)
def test_closes_later_equals_the_scan(items: list[tuple[str, str] | None]) -> None:
    events = [(i, 0, None if it is None else Q._Mark(i, it[0], it[1])) for i, it in enumerate(items)]
    got = Q._closes_later(events)
    for idx, (_, _, mark) in enumerate(events):
        if mark is not None:
            assert got[idx] == _better_close_follows(events, idx, mark)


# --- analysis -----------------------------------------------------------------------------


class CountingPattern:
    """Wraps a compiled pattern, adding up the characters each ``finditer`` scans."""

    scanned = 0

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**63) -> Any:
        CountingPattern.scanned += min(endpos, len(text)) - pos
        return self.pattern.finditer(text, pos, endpos)


def test_in_sentence_cues_scan_each_character_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Q, "_IN_SENTENCE", [CountingPattern(p) for p in Q._IN_SENTENCE])
    text = " ".join(f'"word{i} and more' for i in range(20_000))  # one sentence, 20,000 open quotes
    CountingPattern.scanned = 0
    found = Q.find_quotes(text, entities=[])
    assert len(found) == 20_000
    # Ranges are rounded out to IN_SENTENCE_REACH, so neighbouring quotes share them: about six
    # scans per character (it was one scan of the whole 389,000-character sentence per quote).
    assert CountingPattern.scanned <= 8 * len(text) * len(Q._IN_SENTENCE)


def test_capitalised_run_is_typed_once_not_per_word(monkeypatch: pytest.MonkeyPatch) -> None:
    class CountingSet(frozenset[str]):
        lookups = 0

        def __contains__(self, item: object) -> bool:
            CountingSet.lookups += 1
            return super().__contains__(item)

    monkeypatch.setattr(E, "PLACES", CountingSet(E.PLACES))
    found = E.find_entities("Putin " * 20_000)
    assert len(found) == 1 and found[0].text.count("Putin") == 20_000
    assert CountingSet.lookups <= 10


def test_analysis_limits_are_noted_and_spans_still_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(A, "MAX_ANALYSIS_CHARS", 2000)
    monkeypatch.setattr(A, "MAX_QUOTE_MARKS", 10)
    a = article(" ".join(f'"We won {i} games," said Putin.' for i in range(200)))
    found = A.analyze(a)
    assert [n.split(" (")[1] for n in found.notes] == ["MAX_ANALYSIS_CHARS)", "MAX_QUOTE_MARKS)"]
    assert 0 < len(found.quotes) <= 5 and all(q.speaker == "Putin" for q in found.quotes)
    assert max(e.span[1] for e in found.entities) <= 2000
    for q in found.quotes:
        assert a.body[q.span[0] : q.span[1]] == q.text
