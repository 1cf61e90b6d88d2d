"""Bad input gets a clear error or a sensible result: never a crash, a hang or silent loss."""

from __future__ import annotations

import json

import pytest

from newsbrief import InputError, iter_records, parse, parse_file


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        parse_file(path)


def test_whitespace_only_text():
    with pytest.raises(InputError, match="empty"):
        parse(" \n\t\n ")


def test_binary_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    with pytest.raises(InputError, match="binary"):
        parse_file(path)


def test_twenty_megabyte_text_is_refused_quickly_with_the_limit_named(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"A sentence of news text. " * 800_000)  # 20 MB
    with pytest.raises(InputError, match=r"20\.0 MB, above the 10\.0 MB limit"):
        parse_file(path)


def test_twenty_megabyte_text_parses_when_the_limit_is_raised(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"A sentence of news text. " * 800_000)
    article = parse_file(path, max_bytes=30_000_000)
    assert len(article.sentences) == 800_000
    assert article.sentences[-1].end == len(article.body)


def test_invalid_utf8_is_decoded_with_a_note(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 owners said prices rose 5\u20ac. Nobody was happy.".encode("cp1252"))
    article = parse_file(path)
    assert article.body == "Caf\u00e9 owners said prices rose 5\u20ac. Nobody was happy."
    assert any("not valid UTF-8" in n for n in article.notes)


def test_forced_wrong_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(InputError, match="cannot decode input as ascii"):
        parse_file(path, encoding="ascii")


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeffHello there. General Kenobi.".encode("utf-16-le"))
    assert [s.text for s in parse_file(path).sentences] == ["Hello there.", "General Kenobi."]


def test_html_with_no_article(tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    with pytest.raises(InputError, match="no article text"):
        parse_file(path)


def test_jsonl_bad_line_is_reported_and_the_others_processed(tmp_path):
    path = tmp_path / "d.jsonl"
    lines = [
        json.dumps({"id": "a", "article": "First article. It is fine."}),
        '{"id": "b", "article": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "d", "article": ""}),
        json.dumps({"id": "e", "article": "Last one."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    records = list(iter_records(path))
    assert [(r.line, r.id, r.error is None) for r in records] == [
        (1, "a", True),
        (2, f"{path}:2", False),  # no id could be read: named by source and line, never null
        (3, f"{path}:3", False),
        (4, "d", False),
        (5, "e", True),
    ]
    assert "not valid JSON" in records[1].error
    assert "expected a JSON object" in records[2].error
    assert "empty" in records[3].error


def test_fake_gzip_is_an_input_error(tmp_path):
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="cannot read"):
        list(iter_records(path))


def test_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="directory"):
        parse_file(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "Москва. Президент России встретился с коллегой. Переговоры продолжились.",
        "北京。中国领导人今天会见了外国代表团。",
        "Ein Satz. Noch ein Satz über die Wirtschaft.",
    ],
)
def test_non_english_text_gives_sentences_covering_all_text(text):
    article = parse(text)
    assert article.sentences
    assert "".join(s.text for s in article.sentences).replace(" ", "") == text.replace(" ", "")
