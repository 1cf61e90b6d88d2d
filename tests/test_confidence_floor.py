"""Paragraph.confidence and the highlights engine's confidence floor (issue 12): sentences of a
paragraph the page reader was unsure of are passed over while sure paragraphs have material;
articles without confidences (plain text, datasets) are summarized as before."""

from __future__ import annotations

from newsbrief.article import Article
from newsbrief.ingest import parse_text
from newsbrief.ingest.build import set_body
from newsbrief.summarize.candidates import unsure_sentences
from newsbrief.summarize.highlights import HighlightsSummarizer

DEK = "What was this royal thinking of when he granted a long interview to a national broadcaster?"
BODY = [
    "The prince gave an hour-long interview to the BBC on Saturday about his friendship with a financier.",
    "Critics said the interview had damaged the royal family and called on the palace to respond quickly.",
    "The palace said on Sunday that the prince regretted his association with the financier.",
    "Several charities that he supports said they were reviewing their ties with him this week.",
]


def _article(dek_confidence: float | None, body_confidence: float | None = 0.98) -> Article:
    return set_body(Article(), [(DEK, 1, dek_confidence)] + [(t, i + 2, body_confidence) for i, t in enumerate(BODY)])


def test_set_body_keeps_the_confidence_and_defaults_to_none():
    article = set_body(Article(), [("One sentence here for the test.", 1, 0.42), ("Another one for it.", 3)])
    assert [p.confidence for p in article.paragraphs] == [0.42, None]
    assert Article.from_dict(article.to_dict()).paragraphs[0].confidence == 0.42


def test_the_page_reader_records_its_line_model_confidence():
    lines = ["Menu", "Home", "World", "Sport", "Some Headline About Things"] + BODY * 3 + ["Privacy policy"]
    article = parse_text("\n\n".join(lines), format="scraped")
    assert article.paragraphs
    assert all(p.confidence is not None and 0.0 <= p.confidence <= 1.0 for p in article.paragraphs)


def test_unsure_sentences_only_when_enough_sure_ones_remain():
    article = _article(0.5)
    ids = [s.id for s in article.sentences]
    assert unsure_sentences(article, ids, 0.75) == {0}
    assert unsure_sentences(article, ids, 0.75, min_confident=5) == set()  # only four sure ones
    assert unsure_sentences(article, ids, 0.0) == set()  # floor off
    assert unsure_sentences(_article(None, None), ids, 0.75) == set()  # no confidences


def test_the_floor_keeps_an_unsure_dek_out_of_the_highlights():
    floor = HighlightsSummarizer(confidence_floor=0.75, explain=True).summarize(_article(0.5))
    assert all(0 not in h.sentence_ids for h in floor.highlights)
    assert floor.explain is not None and "unsure" in (floor.explain[0]["rejected"] or "")
    # the same article with no confidences, or a sure dek, may use the dek
    plain = HighlightsSummarizer(confidence_floor=0.75).summarize(_article(None, None))
    sure = HighlightsSummarizer(confidence_floor=0.75).summarize(_article(0.9))
    off = HighlightsSummarizer(confidence_floor=0.0).summarize(_article(0.5))
    assert any(0 in h.sentence_ids for h in plain.highlights)
    assert [h.text for h in plain.highlights] == [h.text for h in sure.highlights] == [h.text for h in off.highlights]
