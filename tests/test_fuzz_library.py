"""Property-based fuzzing of the library: readers, summarizers, analysis and the checker.

On any text (arbitrary Unicode with control characters, lone surrogates, right-to-left
scripts, combining marks, very long words, and news-like text built from a word alphabet
with punctuation and quote marks) only ``InputError`` may be raised, and the invariants of
docs/ARCHITECTURE.md hold: every sentence slices the body, every highlight span slices it,
every span the analysis reports slices it, every checker score is in [0, 1].

The summarizer, analysis and checker properties also run on articles assembled without a
reader (``set_body``), so that a reader bug cannot hide or fake a library one.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsbrief
from newsbrief.analyze import analyze
from newsbrief.article import Article, Summary
from newsbrief.errors import InputError
from newsbrief.faithfulness import ArticleIndex, FaithfulnessReport, check
from newsbrief.ingest.build import set_body

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMATS = ["auto", "scraped", "plain", "story", "html"]

_WORDS = (
    "the a of said he she told police Mr. Dr. U.S. St. not never didn't Putin Erdogan Moscow "
    "Syria CNN officials on Tuesday March 14, 2015 $5 5 12,000 1.5 million 7% per cent aged "
    "35 who which, according to (pictured) Scroll down for video — - – ... ! ? ; : , . "
    "'s ’s players' s' “ ” ‘ ’ \" ' ( ) [ ] « » 1990s 3pm first two twenty-five A An"
).split()
_EXOTIC = [
    "שלום",  # Hebrew
    "مرحبا",  # Arabic
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "e\u0301",  # combining acute
    "\u0300\u0301\u0302",  # combining marks alone
    "\u00a0",  # no-break space
    "\u2028",  # line separator
    "\x0b\x0c\x1c\x85",  # vertical whitespace and controls
    "\x01\x07\x1b",
    "\ufeff",  # BOM inside text
    "\ud800",  # lone surrogate (clean_text replaces it)
    "ﬁ",  # ligature
    "𝔘𝔫𝔦",  # astral letters
    "١٢٣",  # Arabic-Indic digits
    "Ⅻ",  # Roman numeral
]
_SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n"]

news_text = st.lists(
    st.tuples(st.sampled_from(_WORDS + _EXOTIC), st.sampled_from(_SEPARATORS)), min_size=0, max_size=120
).map(lambda parts: "".join(w + s for w, s in parts))
long_words = st.builds(
    lambda letter, n, tail: letter * n + tail,
    st.sampled_from(["a", "A", "1", "'", '"', ".", "-", "é", "ש"]),
    st.integers(100, 3000),
    news_text,
)
any_unicode = st.text(st.characters(exclude_categories=()), max_size=400)
texts = st.one_of(news_text, any_unicode, long_words, st.builds(str.__add__, news_text, any_unicode))


def assert_article(article: Article) -> None:
    body = article.body
    for s in article.sentences:
        assert body[s.start : s.end] == s.text
    for p in article.paragraphs:
        assert 0 <= p.start <= p.end <= len(body)


def assert_summary(article: Article, summary: Summary, exact: bool) -> None:
    for h in summary.highlights:
        assert h.spans
        for a, b in h.spans:
            assert 0 <= a < b <= len(article.body)
        if exact:  # lead methods: the text is the sentence itself
            assert h.text == " ".join(article.body[a:b] for a, b in h.spans)


def assert_report(report: FaithfulnessReport, body: str) -> None:
    assert 0.0 <= report.score <= 1.0
    assert report.verdict in ("consistent", "check", "inconsistent")
    for s in report.sentences:
        assert 0.0 <= s.score <= 1.0
        if s.support_span is not None:
            a, b = s.support_span
            assert 0 <= a <= b <= len(body) and s.support_text == body[a:b]
        for issue in s.issues:
            if issue.kind != "negation_flip":  # a flip names the words it governs, not one slice
                assert s.text[issue.span[0] : issue.span[1]] == issue.text


def plain_article(text: str) -> Article:
    return set_body(Article(id="fuzz"), [(p, None) for p in text.split("\n\n")])


def parsed(text: str, fmt: str) -> Article | None:
    try:
        return newsbrief.parse_text(text, format=fmt)
    except InputError:
        return None


@FUZZ
@given(text=texts, fmt=st.sampled_from(FORMATS))
def test_parse_text_raises_only_input_error(text: str, fmt: str) -> None:
    article = parsed(text, fmt)
    if article is not None:
        assert_article(article)


@FUZZ
@given(text=texts, fmt=st.sampled_from(FORMATS + ["none"]))
def test_summarize_keeps_spans(text: str, fmt: str) -> None:
    article = plain_article(text) if fmt == "none" else parsed(text, fmt)
    if article is None:
        return
    assert_article(article)
    assert_summary(article, newsbrief.summarize(article, method="highlights"), exact=False)
    assert_summary(article, newsbrief.summarize(article, method="lead"), exact=True)
    assert_summary(article, newsbrief.summarize(article, method="lead-words"), exact=True)


@FUZZ
@given(text=texts, fmt=st.sampled_from(["auto", "plain", "none"]))
def test_analyze_spans_slice_the_body(text: str, fmt: str) -> None:
    article = plain_article(text) if fmt == "none" else parsed(text, fmt)
    if article is None:
        return
    found = analyze(article)
    body = article.body
    for q in found.quotes:
        assert q.text == " ".join(body[a:b] for a, b in q.parts)
        for span in (q.speaker_span, q.cue_span, q.resolved_span):
            assert span is None or 0 <= span[0] <= span[1] <= len(body)
    for e in found.entities:
        source = {"body": body, "title": article.title, "dateline": article.dateline}[e.field] or ""
        assert source[e.span[0] : e.span[1]] == e.text
    for n in found.numbers:
        assert body[n.span[0] : n.span[1]] == n.text


@FUZZ
@given(text=texts, summary=texts, fmt=st.sampled_from(["auto", "none"]))
def test_check_scores_in_range(text: str, summary: str, fmt: str) -> None:
    article = plain_article(text) if fmt == "none" else parsed(text, fmt)
    if article is None:
        return
    index = ArticleIndex(article)
    assert_report(check(index, summary), article.body)
    assert_report(check(index, summary.split("\n")), article.body)
    assert_report(check(index, newsbrief.summarize(article)), article.body)
