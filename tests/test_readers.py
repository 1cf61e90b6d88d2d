"""One test group per reader, on fixtures, plus format detection."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from newsbrief import InputError, UsageError, iter_records, parse, parse_file
from newsbrief.ingest import detect_format


def test_plain_text_title_paragraphs_and_wrapped_lines():
    text = (
        "Council approves new budget\n\n"
        "The city council approved a $4.2 million budget on Tuesday,\n"
        "ending weeks of debate.\n\n"
        'Mayor Jane Ortiz said the plan "protects every library." Critics disagreed.\n'
    )
    article = parse(text, format="plain")
    assert article.input_format == "plain"
    assert article.title == "Council approves new budget"
    assert len(article.paragraphs) == 2
    assert article.body.split("\n\n")[0] == (
        "The city council approved a $4.2 million budget on Tuesday, ending weeks of debate."
    )
    assert [s.text for s in article.sentences] == [
        "The city council approved a $4.2 million budget on Tuesday, ending weeks of debate.",
        'Mayor Jane Ortiz said the plan "protects every library."',
        "Critics disagreed.",
    ]


def test_plain_single_line_is_body_not_title():
    article = parse("Just one line of text without a period", format="plain")
    assert article.title is None
    assert article.body == "Just one line of text without a period"


def test_plain_lines_without_blank_lines_are_paragraphs():
    article = parse("First paragraph here.\nSecond paragraph here.\nThird one.", format="plain")
    assert len(article.paragraphs) == 3


def test_story_file(fixtures):
    article = parse_file(fixtures / "sample.story")
    assert article.input_format == "story"
    assert article.reference_highlights == [
        "The incident occurred on April 7 north of Poland in the Baltic Sea",
        "U.S. says plane was in international airspace",
        "Russia says it had transponder turned off and was flying toward Russia",
    ]
    assert article.source == "CNN"
    assert article.body.startswith("After a Russian fighter jet intercepted a U.S. reconnaissance plane")
    assert "@highlight" not in article.body
    assert len(article.paragraphs) == 4
    texts = [s.text for s in article.sentences]
    assert (
        texts[1]
        == "On Tuesday, a U.S. RC-135U was flying over the Baltic Sea when it was intercepted by a Russian SU-27 Flanker."
    )
    assert texts[-1].startswith("Maj. Gen. Igor Konashenkov said")


def test_jsonl_records_in_order_with_ids_and_highlights(fixtures):
    records = list(iter_records(fixtures / "sample.jsonl"))
    assert [r.id for r in records] == [
        "cnn-test-5139ccfabee55ddb83e7937f5802c0a67aee8975",
        "dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2",
        "cnn-test-b1c3fc03a2b74cf4c79844c1fe2fdce70a8a436e",
    ]
    assert all(r.error is None for r in records)
    first = records[0].article
    assert first.input_format == "jsonl/plain"
    assert first.reference_highlights[1] == "U.S. says plane was in international airspace."
    assert first.source == "CNN"
    assert first.body.startswith("After a Russian fighter jet")
    rome = records[2].article
    assert (rome.dateline, rome.source) == ("Rome", "CNN")
    assert rome.body.startswith("Italy is coping")


def test_jsonl_text_field_and_gzip(tmp_path):
    path = tmp_path / "data.jsonl.gz"
    rows = [{"id": 7, "text": "Hello world. Second sentence here."}, {"id": "b", "text": "Another one."}]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r) for r in rows) + "\n")
    records = list(iter_records(path, text_field="text"))
    assert [r.id for r in records] == ["7", "b"]
    assert [s.text for s in records[0].article.sentences] == ["Hello world.", "Second sentence here."]


def test_jsonl_missing_field_reports_available_fields(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "x", "body": "Text here."}\n')
    (record,) = iter_records(path)
    assert record.article is None
    assert "no text field 'article'" in record.error and "body" in record.error


def test_jsonl_from_a_stream_with_a_long_first_line():
    long_article = "Word " * 30000 + "end."
    data = (
        json.dumps({"id": "long", "article": long_article}) + "\n" + json.dumps({"id": "two", "article": "Short."})
    ).encode()
    records = list(iter_records(io.BufferedReader(io.BytesIO(data))))  # type: ignore[arg-type]
    assert [r.id for r in records] == ["long", "two"]
    assert records[0].article.body.endswith("end.")


def test_html_page(fixtures):
    article = parse_file(fixtures / "page.html")
    assert article.input_format == "html"
    assert article.title == "Gray whale sets record for longest mammal migration"
    assert article.byline == "Jane Doe"
    assert article.site_name == "Example News"
    assert article.published == "2015-04-16"
    assert article.url == "https://news.example.com/2015/04/16/gray-whale-record"
    assert article.body.startswith("A North Pacific gray whale has earned a spot")
    assert "Dr. Bruce Mate" in article.body
    for boilerplate in ["Privacy", "Copyright", "Home | World", "Ten facts about whales", "Tracking a rare population"]:
        assert boilerplate not in article.body
    assert {"heading": "Tracking a rare population"}.items() <= {b.kind: b.text for b in article.blocks}.items()


def test_html_without_article_text_is_an_input_error():
    with pytest.raises(InputError, match="no article text"):
        parse("<html><body><nav><a href='/'>Home</a></nav></body></html>", format="html")


def test_malformed_html_still_parses():
    html = (
        "<html><body><div><p>Unclosed paragraph with enough words to be kept by the extractor as the text.<p>Another "
        + "long sentence goes here with more words. " * 5
        + "</div></span></body>"
    )
    article = parse(html, format="html")
    assert "Unclosed paragraph" in article.body


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ('{"id": 1, "article": "x"}\n', None, "jsonl"),
        ("Body.\n\n@highlight\n\nA highlight\n", None, "story"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", None, "html"),
        ("Title\n\nJust text.", None, "plain"),
        ("Just text.", "a.story", "story"),
        ("Just text.", "a.jsonl.gz", "jsonl"),
        ("pic_0001.jpg\nA caption\n\nText.", None, "scraped"),
    ],
)
def test_detect_format(text, name, expected):
    assert detect_format(text, name) == expected


def test_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError):
        parse("text", format="pdf")
