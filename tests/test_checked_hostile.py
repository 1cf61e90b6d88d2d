"""Hostile given summaries through ``Pipeline(check=True).run(article, summary=...)`` and
``newsbrief check`` (one pair, ``--per-line``, a Summary JSON, PAIRS with bad lines mixed in).

The principle under test: bad input gets a clear error, never a crash or a silent wrong
answer. Before ``pipeline.given_summary``, an empty or punctuation-only summary came back
``consistent`` with nothing checked, a non-text item crashed a whole PAIRS run (exit 1,
later lines lost), a NUL reached the output and a lone surrogate made the record unencodable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke_cli
from newsbrief.article import Highlight, Summary
from newsbrief.ingest import parse_text
from newsbrief.pipeline import Pipeline, Record

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cnn-erdogan-putin.txt"
SEED = FIXTURE.read_text(encoding="utf-8")
COPIED = (
    "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg for a face-to-face "
    "meeting with his counterpart, Vladimir Putin."
)
VERDICTS = {"supported", "check", "unsupported"}


def run(summary: Any) -> Record:
    return Pipeline(check=True).run(parse_text(SEED), summary=summary)


def refused(summary: Any) -> str:
    record = run(summary)
    assert not record.ok and record.error_code == "unreadable_input", record.to_dict()
    assert record.summary is None and record.faithfulness is None  # no verdict on nothing
    assert record.error is not None
    return record.error


def test_a_given_summary_without_check_is_a_usage_error_not_dropped() -> None:
    record = Pipeline().run(parse_text(SEED), summary=[COPIED])  # no summarizer: check defaults to off
    assert not record.ok and record.error_code == "invalid_request" and "check=True" in (record.error or "")


@pytest.mark.parametrize("summary", ["", "   \n\t ", [], ["", "  "], Summary(highlights=[], method="x")])
def test_an_empty_summary_is_refused_not_called_consistent(summary: Any) -> None:
    assert "summary is empty" in refused(summary)


@pytest.mark.parametrize("summary", ["... !!! ???", ["...", "?!", "--"], "🇹🇷 👍 🇷🇺", "___ __"])
def test_a_summary_without_a_word_is_refused(summary: Any) -> None:
    assert "no words" in refused(summary)


def test_a_wordless_item_beside_real_ones_is_answered_check_with_its_reason() -> None:
    record = run(["...", COPIED])
    assert record.ok and record.summary is not None
    odd, copied = record.summary.highlights
    assert odd.support is not None and odd.support.verdict == "check"
    assert "no words" in odd.support.issues[0]["detail"]
    assert copied.support is not None and copied.support.verdict == "supported"


@pytest.mark.parametrize(
    ("summary", "where"),
    [("Putin\x00 met Erdogan.", "the summary"), (["fine", "a\x00b"], "summary item 2")],
)
def test_a_nul_in_the_summary_is_refused_naming_where(summary: Any, where: str) -> None:
    error = refused(summary)
    assert error.startswith(where) and "NUL" in error


@pytest.mark.parametrize("item", [5, None, ["nested"], {"text": "x"}, 2.5])
def test_a_non_text_item_is_an_input_error_not_a_crash(item: Any) -> None:
    error = refused(["Erdogan met Putin.", item])
    assert "summary item 2 is not text" in error


@pytest.mark.parametrize("summary", [b"Erdogan met Putin.", bytearray(b"x"), {"text": "x"}, 5])
def test_a_summary_that_is_not_text_or_texts_is_an_input_error(summary: Any) -> None:
    assert "the summary is not text" in refused(summary)


def test_a_summary_whose_highlight_text_is_not_text_is_an_input_error() -> None:
    bad = Summary(highlights=[Highlight(text=7, sentence_ids=[], spans=[])], method="x")  # type: ignore[arg-type]
    assert "summary item 1 is not text" in refused(bad)


def test_a_lone_surrogate_becomes_u_fffd_with_a_note_and_the_record_encodes() -> None:
    record = run(["Putin \ud800 met Erdogan.", COPIED])
    assert record.ok and record.summary is not None
    assert record.summary.highlights[0].text == "Putin \ufffd met Erdogan."
    assert any("surrogate" in note for note in record.notes)
    json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")  # was UnicodeEncodeError


@pytest.mark.parametrize(
    "items",
    [
        ["埃尔多安在圣彼得堡会见了普京。", "两国关系正在修复。"],
        ["Эрдоган встретился с Путиным в Санкт-Петербурге."],
        ["\u202eErdogan met Putin\u202c", "مرحبا بالعالم"],
        ["Pu\u0301\u0301\u0301tin met Erdo\u0308gan", "🇹🇷 Erdogan 👍 met Putin 🇷🇺"],
        ["1", "2", "3.5", "1,000"],
        ["Erdogan met Putin."] * 7,
    ],
    ids=["cjk", "russian", "rtl", "combining-emoji", "numbers", "duplicates"],
)
def test_odd_items_each_come_back_as_one_highlight_with_a_verdict(items: list[str]) -> None:
    record = run(items)
    assert record.ok and record.summary is not None
    assert [h.text for h in record.summary.highlights] == items  # none dropped, merged or rewritten
    assert all(h.support is not None and h.support.verdict in VERDICTS for h in record.summary.highlights)
    if len(set(items)) == 1:  # duplicates: the same claim, the same answer
        assert len({json.dumps(h.support.to_dict()) for h in record.summary.highlights if h.support}) == 1


def test_an_english_summary_of_a_russian_article_is_answered_not_backed() -> None:
    article = parse_text("Путин встретился с Эрдоганом в Санкт-Петербурге. Они обсудили торговлю.")
    record = Pipeline(check=True).run(article, summary="Putin met Erdogan in St. Petersburg.")
    assert record.ok and record.summary is not None
    (h,) = record.summary.highlights
    assert h.support is not None and h.support.verdict != "supported" and h.spans == []


def test_a_summary_longer_than_its_article_keeps_every_sentence() -> None:
    record = run(SEED + "\n\n" + SEED)
    assert record.ok and record.summary is not None
    texts = [h.text for h in record.summary.highlights]
    assert texts.count(COPIED) == 2
    copied = [h for h in record.summary.highlights if h.text == COPIED]
    assert all(h.support is not None and h.support.verdict == "supported" for h in copied)


def test_fifty_thousand_items_are_fifty_thousand_highlights_over_one_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounded work by structure: the article is indexed once, each item aligned once."""
    from newsbrief.summarize import align

    built, aligned = [], []
    index_init, index_align = align.AlignmentIndex.__init__, align.AlignmentIndex.align
    monkeypatch.setattr(align.AlignmentIndex, "__init__", lambda self, a: built.append(1) or index_init(self, a))
    monkeypatch.setattr(
        align.AlignmentIndex, "align", lambda self, t, **kw: aligned.append(1) or index_align(self, t, **kw)
    )
    items = [f"word{i}" for i in range(50_000)]
    record = run(items)
    assert record.ok and record.summary is not None
    assert [h.text for h in record.summary.highlights] == items
    assert len(built) == 1 and len(aligned) == len(items)


def test_an_invented_item_past_the_checkers_word_limit_is_not_passed_as_consistent() -> None:
    """The checker reads a summary's first ``MAX_SUMMARY_WORDS`` words. An invented item after
    400 copied ones used to say ``check``, "the checker found no words to check", under a
    ``consistent`` report: a verdict on part of the summary given as one on all of it."""
    from newsbrief.faithfulness import MAX_SUMMARY_WORDS

    invented = "Putin announced a $5 billion loan to Turkey."
    copies = MAX_SUMMARY_WORDS // len(COPIED.split()) + 10
    record = run([COPIED] * copies + [invented])
    assert record.ok and record.summary is not None and record.faithfulness is not None
    last = record.summary.highlights[-1]
    assert last.text == invented and last.support is not None
    assert last.support.verdict == "check" and "not checked" in last.support.issues[0]["detail"]
    assert record.faithfulness.verdict != "consistent"
    assert record.to_dict()["faithfulness"]["verdict"] == record.faithfulness.verdict
    assert any("were not checked" in note for note in record.notes)
    first = record.summary.highlights[0]
    assert first.support is not None and first.support.verdict == "supported"  # what was read is answered


@pytest.mark.parametrize("checker", ["learned", "lexical"])
def test_a_highlight_read_only_in_part_is_never_supported(monkeypatch: pytest.MonkeyPatch, checker: str) -> None:
    """The word limit can fall inside a highlight: a copied sentence, then an invented one. The
    part read is backed, but the highlight is not, and used to be called ``supported``."""
    from newsbrief import faithfulness
    from newsbrief.check import get_checker
    from newsbrief.nlp.tokens import TOKEN_PATTERN  # the checker's words

    monkeypatch.setattr(faithfulness, "MAX_SUMMARY_WORDS", len(TOKEN_PATTERN.findall(COPIED)))
    invented = "Putin announced a $5 billion loan to Turkey."
    highlight = f"{COPIED} {invented}"
    copied_alone = Pipeline(check=True, checker=get_checker(checker)).run(parse_text(SEED), summary=[COPIED])
    assert copied_alone.summary is not None and copied_alone.summary.highlights[0].support is not None
    assert copied_alone.summary.highlights[0].support.verdict == "supported"  # the limit lets it be read whole
    record = Pipeline(check=True, checker=get_checker(checker)).run(parse_text(SEED), summary=[highlight])
    assert record.ok and record.summary is not None and record.faithfulness is not None
    (h,) = record.summary.highlights
    assert h.support is not None and h.support.verdict != "supported"
    cut = next(i for i in h.support.issues if "not checked past here" in i["detail"])
    assert highlight[cut["span"][0] : cut["span"][1]].strip() == invented
    assert record.faithfulness.verdict != "consistent"
    assert any("not all of them" in note for note in record.notes)


# --- newsbrief check ------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("...\n!!!\n", "no words"),
        (b"Putin\x00 met Erdogan.\n", "NUL"),
        ('{"highlights": [], "method": "x"}', "summary is empty"),
        ('{"method": "m", "highlights": [{"text": ""}]}', "summary is empty"),
        ('{"method": "m", "highlights": [{"text": 5}]}', 'highlight 1\'s "text" is not text'),
        ('{"method": "m", "highlights": [null]}', '"highlights", a list of {"text": "..."}'),
        ('{"highlights": "not a list"}', '"highlights", a list of {"text": "..."}'),
    ],
)
@pytest.mark.parametrize("per_line", [False, True])
def test_check_refuses_a_bad_summary_file_with_exit_3(
    tmp_path: Path, data: str | bytes, message: str, per_line: bool
) -> None:
    summary = write(tmp_path, "summary.txt", data)
    result = invoke_cli("check", "--article", FIXTURE, "--summary", summary, *(["--per-line"] if per_line else []))
    assert result.code == 3, (result.out, result.err)
    assert message in result.err and "internal error" not in result.err
    assert result.out == ""


def test_check_drops_a_byte_order_mark_and_names_a_non_utf8_summary(tmp_path: Path) -> None:
    bom = write(tmp_path, "bom.txt", "\ufeff".encode() + COPIED.encode())
    result = invoke_cli("check", "--article", FIXTURE, "--summary", bom, "--format", "json")
    assert result.code == 0, result.err
    assert [h["text"] for h in json.loads(result.out)["highlights"]] == [COPIED]  # was "\ufeff" + COPIED
    utf16 = write(tmp_path, "utf16.txt", COPIED.encode("utf-16"))
    result = invoke_cli("check", "--article", FIXTURE, "--summary", utf16)
    assert result.code == 3 and "not UTF-8 text" in result.err, result.err


def test_check_reads_a_summary_json_without_a_method_and_ignores_its_odd_fields(tmp_path: Path) -> None:
    summary = {
        "highlights": [{"text": COPIED, "odd": 1, "support": {"verdict": "unsupported", "score": 0.0}}],
        "extra": {"x": []},
        "faithfulness": {"verdict": "inconsistent"},
    }
    path = write(tmp_path, "summary.json", json.dumps(summary))
    result = invoke_cli("check", "--article", FIXTURE, "--summary", path, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [h["text"] for h in data["highlights"]] == [COPIED]
    assert data["highlights"][0]["support"]["verdict"] == "supported"  # checked again, not taken from the file


def test_check_per_line_of_fifty_thousand_one_word_lines(tmp_path: Path) -> None:
    lines = [f"word{i}" for i in range(50_000)]
    path = write(tmp_path, "summary.txt", "\n".join(lines) + "\n")
    result = invoke_cli("check", "--article", FIXTURE, "--summary", path, "--per-line", "--format", "jsonl")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [h["text"] for h in data["highlights"]] == lines


def test_check_pairs_with_bad_lines_checks_every_good_one_and_names_each_bad_line(tmp_path: Path) -> None:
    good = {"id": "good", "article": SEED, "summary": COPIED}
    lines = [
        json.dumps(good),
        json.dumps({"id": "empty", "article": SEED, "summary": ""}),
        json.dumps({"id": "blank-items", "article": SEED, "summary": ["", " "]}),
        json.dumps({"id": "punct", "article": SEED, "summary": "... ?!"}),
        json.dumps({"id": "int-text", "article": SEED, "summary": {"method": "x", "highlights": [{"text": 5}]}}),
        json.dumps({"id": "nul", "article": SEED, "summary": "Putin\u0000 met."}),
        "{not json",
        json.dumps({**good, "id": "surrogate", "summary": "Putin \ud800 met Erdogan."}),
        json.dumps({**good, "id": "last"}),
    ]
    path = write(tmp_path, "pairs.jsonl", "\n".join(lines) + "\n")
    result = invoke_cli("check", path)
    assert result.code == 3 and "internal error" not in result.err, result.err
    out = [json.loads(line) for line in result.out_lines]
    assert [r["id"] for r in out] == ["good", "surrogate", "last"]  # the lines after a bad one are checked
    assert out[1]["highlights"][0]["text"] == "Putin \ufffd met Erdogan."
    # lines 2 and 5 are refused by the reader (ingest.sources), the others by the check
    for number, what in ((2, "summary"), (3, "empty"), (4, "no words"), (5, "not text"), (6, "NUL"), (7, "JSON")):
        assert any(
            line.startswith(f"newsbrief: error: line {number}: ") and what in line for line in result.err_lines
        ), (
            number,
            result.err,
        )
    assert "6 of 9 record(s) could not be read" in result.err


def test_pairs_name_what_is_wrong_with_a_summary_field_and_take_a_summary_without_method(tmp_path: Path) -> None:
    from newsbrief.ingest.sources import iter_pairs

    copied = "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg."
    lines = [
        {"id": "no-method", "article": SEED, "summary": {"highlights": [{"text": copied}]}},
        {"id": "empty", "article": SEED, "summary": ""},
        {"id": "numbers", "article": SEED, "summary": [1, 2]},
        {"id": "missing", "article": SEED},
    ]
    path = write(tmp_path, "pairs.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    pairs = {p.id: p for p in iter_pairs(str(path))}
    ok = pairs["no-method"]
    assert ok.error is None and isinstance(ok.summary, Summary) and ok.summary.texts == [copied]
    assert "summary field 'summary' is empty" in (pairs["empty"].error or "")
    assert "is not a text, a list of texts or a Summary object" in (pairs["numbers"].error or "")
    assert "no summary field 'summary'" in (pairs["missing"].error or "")
