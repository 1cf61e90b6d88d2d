"""Per-highlight support: the pipeline's check of each highlight, in the highlight itself.

The case from issue 14: with ``--method llm``, an invented highlight ("Putin announced a $5
billion loan to Turkey.") came back with spans at an unrelated sentence; only the report deep
in the record said it was unsupported. Here the highlight says so, with its reason, and
claims no provenance; the copied ones keep their true spans.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import newsbrief
from conftest import SHARED_DEV
from helpers_service import FakeChat
from newsbrief.article import Article, Highlight, Summary
from newsbrief.faithfulness import FaithfulnessReport, Issue, SentenceReport
from newsbrief.pipeline import Pipeline, attach_support, highlight_lines, resolve_method

COPIED = [
    "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg for a face-to-face "
    "meeting with his counterpart, Vladimir Putin.",
    "A second Russian serviceman was killed trying to rescue the other crew member on the ground.",
]
INVENTED = "Putin announced a $5 billion loan to Turkey."


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    pytest.importorskip("httpx")
    fake = FakeChat([COPIED[0], INVENTED, COPIED[1]])
    yield fake
    fake.close()


def test_llm_invented_highlight_is_unsupported_with_a_reason_and_no_provenance(chat: FakeChat, seed_text: str) -> None:
    choice = resolve_method("llm", {"base_url": chat.base_url, "model": "fake"})
    record = Pipeline(choice).run(lambda: newsbrief.parse(seed_text))  # llm asks the pipeline to check
    record.raise_error()
    assert chat.paths == ["/v1/chat/completions"]
    assert record.article is not None
    body = record.article.body
    data = json.loads(record.to_json())
    first, invented, second = data["highlights"]

    assert invented["text"] == INVENTED
    support = invented["support"]
    assert support["verdict"] == "unsupported"
    assert support["issues"], "an unsupported highlight names its reason"
    assert any("$5 billion" in i["text"] for i in support["issues"])
    for issue in support["issues"]:
        a, b = issue["span"]
        assert INVENTED[a:b] == issue["text"]  # issue spans are in the highlight's own text
    assert invented["spans"] == [] and invented["sentence_ids"] == [] and support["evidence"] == []
    assert support["nearest"], "the closest passage is kept, marked as not backing it"

    for h, text in ((first, COPIED[0]), (second, COPIED[1])):
        start = body.index(text)
        assert h["support"]["verdict"] == "supported" and h["support"]["issues"] == []
        assert h["spans"] == [[start, start + len(text)]]
        assert [start, start + len(text)] in h["support"]["evidence"]
        assert h["sentence_ids"]

    # the summary-level report stays where it was, whole
    assert data["faithfulness"]["verdict"] != "consistent" and len(data["faithfulness"]["sentences"]) == 3
    assert record.summary is not None and record.summary.faithfulness == data["faithfulness"]
    lines = highlight_lines(record.summary)
    assert lines[1].startswith(INVENTED) and "[unsupported" in lines[1] and "$5 billion" in lines[1]
    assert "[supported" in lines[0]


def _report(sentences: list[SentenceReport]) -> FaithfulnessReport:
    return FaithfulnessReport(0.0, "check", sentences)


def _sentence(
    index: int, text: str, score: float, span: tuple[int, int], issues: list[Issue] | None = None
) -> SentenceReport:
    """A report sentence; where the report has per-sentence verdicts, the checker's own one."""
    report = SentenceReport(index, text, score, span, "...", issues or [])
    if "verdict" in SentenceReport.__dataclass_fields__:
        from newsbrief.faithfulness import sentence_verdict

        report.verdict = sentence_verdict(score)
    return report


def test_a_highlight_of_several_sentences_takes_its_worst_sentence() -> None:
    good, bad = "Erdogan met Putin.", "Putin lent Turkey $5 billion."
    summary = Summary([Highlight(f"{good} {bad}", [0], [(0, 30)]), Highlight("Trade resumed.", [2], [(60, 74)])], "x")
    at = len(good) + 1
    issue = Issue("number", "$5 billion", (18, 28), "no matching number in the article")
    report = _report(
        [
            _sentence(0, good, 0.95, (0, 20)),
            _sentence(0, bad, 0.1, (200, 240), [issue]),  # the same highlight, a second piece
            _sentence(1, "Trade resumed.", 0.5, (60, 74)),
        ]
    )
    attach_support(summary, report)
    one, two = (h.support for h in summary.highlights)
    assert one is not None and two is not None
    assert (one.verdict, one.score) == ("unsupported", 0.1)
    assert [summary.highlights[0].text[a:b] for a, b in (i["span"] for i in one.issues)] == ["$5 billion"]
    assert one.issues[0]["span"] == [at + 18, at + 28]
    assert one.evidence == [(0, 20)] and one.nearest == [(200, 240)]  # the good sentence's passage still backs it
    assert summary.highlights[0].spans == []
    assert (two.verdict, two.evidence, summary.highlights[1].spans) == ("check", [(60, 74)], [(60, 74)])


def test_sentences_counted_one_index_each_still_find_their_highlight() -> None:
    """A checker that numbers the sentences it split (not the highlights) maps by text."""
    summary = Summary(
        [Highlight("Erdogan met Putin. They talked.", [0], [(0, 31)]), Highlight("Trade resumed.", [], [])], "x"
    )
    report = _report(
        [
            _sentence(0, "Erdogan met Putin.", 0.9, (0, 18)),
            _sentence(1, "They talked.", 0.8, (19, 31)),
            _sentence(2, "Trade resumed.", 0.05, (40, 54)),
        ]
    )
    attach_support(summary, report)
    one, two = (h.support for h in summary.highlights)
    assert one is not None and two is not None
    assert one.verdict == "supported" and one.evidence == [(0, 18), (19, 31)] and one.score == 0.8
    assert two.verdict == "unsupported"


def test_every_unsupported_verdict_names_a_reason() -> None:
    summary = Summary([Highlight("The Senate rejected the bill.", [], [(5, 30)])], "x")
    attach_support(summary, _report([_sentence(0, "The Senate rejected the bill.", 0.0, (5, 30))]))
    support = summary.highlights[0].support
    assert support is not None and support.verdict == "unsupported"
    assert [i["kind"] for i in support.issues] == ["no_support"]
    assert support.label() == f"unsupported 0.00: {support.issues[0]['detail']}"


def test_a_checker_that_gives_a_verdict_per_sentence_is_taken_at_its_word() -> None:
    class WithVerdict(SentenceReport):  # no __slots__: takes a ``verdict`` attribute
        pass

    sentence = WithVerdict(0, "Erdogan met Putin.", 0.9, (0, 18), "...")
    sentence.verdict = "check"
    summary = Summary([Highlight("Erdogan met Putin.", [0], [(0, 18)])], "x")
    attach_support(summary, _report([sentence]))
    support = summary.highlights[0].support
    assert support is not None and support.verdict == "check"  # 0.9 alone would be "supported"


def test_unchecked_highlights_carry_no_support(seed_text: str) -> None:
    data = Pipeline(resolve_method("highlights")).run(newsbrief.parse(seed_text)).to_dict()
    assert data["faithfulness"] is None
    assert all(h["support"] is None and h["spans"] for h in data["highlights"])


def test_support_round_trips_and_older_summaries_read_as_unchecked(seed_text: str) -> None:
    record = Pipeline(resolve_method("lead:n=2"), check=True).run(newsbrief.parse(seed_text))
    assert record.summary is not None
    data = json.loads(json.dumps(record.summary.to_dict()))
    assert data["schema_version"] == "1.2" and data["highlights"][0]["support"]["verdict"] == "supported"
    assert Summary.from_dict(data) == record.summary
    for h in data["highlights"]:
        del h["support"]
    old = Summary.from_dict({**data, "schema_version": "1.1"})
    assert all(h.support is None for h in old.highlights)


def _dev_articles() -> Iterator[Article]:
    """The SummEval and QAGS-CNN dev articles (each once). Not pages.jsonl.gz: the checker
    reads no words in Japanese text, so a Japanese page's highlight comes out unsupported."""
    seen: set[str] = set()
    for path in (SHARED_DEV / "summeval.jsonl", SHARED_DEV / "qags_cnn_dev.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["article"] in seen:
                continue
            seen.add(row["article"])
            article = newsbrief.parse(row["article"])
            article.id = row["id"]
            yield article


@pytest.mark.skipif(not (SHARED_DEV / "summeval.jsonl").exists(), reason=f"dev data not found at {SHARED_DEV}")
def test_default_highlights_on_the_dev_sets_are_never_unsupported() -> None:
    pipeline = Pipeline(resolve_method("highlights"), check=True)
    unsupported, checked = [], 0
    for article in _dev_articles():
        record = pipeline.run(article)
        record.raise_error()
        assert record.summary is not None
        for h in record.summary.highlights:
            assert h.support is not None
            checked += 1
            if h.support.verdict == "unsupported":
                unsupported.append((article.id, h.text, h.support.issues))
            else:
                assert h.spans and all(a < b for a, b in h.spans)
    assert checked >= 400  # every highlight of about 150 articles
    assert unsupported == []
