"""The ``newsbrief`` command, mostly in process (``CliRunner``); a few real processes.

Contract: ``parse`` prints JSON (pretty for one article, one object per line for JSONL);
``summarize`` prints highlights as text (one per line), json or markdown, and JSON lines for
JSONL input; ``-`` reads stdin. Exit codes: 0 ok, 2 usage error, 3 unreadable or unsupported
input, each with a one-line ``newsbrief: error:`` message on stderr and never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import newsbrief
from conftest import CliResult, invoke_cli, subprocess_cli
from newsbrief import Article

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "cnn-erdogan-putin.txt"
SAMPLE_JSONL = FIXTURES / "sample.jsonl"
PREFIX = "newsbrief: error:"
TIMEOUT_S = 30


Result = CliResult


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NEWSBRIEF_DEBUG", None)  # tracebacks must stay off
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_cli(*args: str | Path, stdin: bytes | None = None, script: bool = False, real: bool = False) -> Result:
    """The CLI with ``args``, in process (``CliRunner`` isolation); ``real``/``script``: as a
    subprocess (``python -m newsbrief``, or the console script) for tests about processes."""
    if script or real:
        return subprocess_cli(*args, stdin=stdin, script=script, timeout=TIMEOUT_S)
    return invoke_cli(*args, stdin=stdin)


def assert_one_line_error(result: Result, code: int) -> str:
    """Exit ``code``, nothing on stdout, exactly one ``newsbrief: error:`` line on stderr; returns it."""
    assert result.code == code, result
    assert "Traceback" not in result.err
    assert result.out == "", result
    assert len(result.err_lines) == 1, result.err
    assert result.err_lines[0].startswith(PREFIX), result.err
    return result.err_lines[0]


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = text.splitlines()
    assert lines, "no output"
    records = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) for r in records)
    return records


def sample_ids() -> list[str]:
    return [json.loads(line)["id"] for line in SAMPLE_JSONL.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_spans(highlight: dict[str, Any], body: str) -> None:
    """Every span lies in the body and the spans, joined, are exactly the highlight text."""
    spans = highlight["spans"]
    assert spans, highlight
    for start, end in spans:
        assert 0 <= start < end <= len(body)
    assert " ".join(body[start:end] for start, end in spans) == highlight["text"]


@pytest.fixture(scope="module")
def seed_article() -> Article:
    return newsbrief.parse_file(SEED)


@pytest.fixture(scope="module")
def seed_lead3(seed_article: Article) -> list[str]:
    texts = [h.text for h in newsbrief.summarize(seed_article, method="lead", n=3).highlights]
    assert texts == [s.text for s in seed_article.sentences[:3]]  # LEAD-3: the first three body sentences
    return texts


@pytest.fixture(scope="module")
def sample_articles() -> dict[str, Article]:
    records = list(newsbrief.iter_records(SAMPLE_JSONL))
    assert all(r.article is not None for r in records)
    return {r.id: r.article for r in records if r.id is not None and r.article is not None}


def bad_jsonl(tmp_path: Path) -> Path:
    """sample.jsonl with a truncated record inserted as line 2."""
    good = [line for line in SAMPLE_JSONL.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([good[0], '{"id": "broken", "article": ', *good[1:]]) + "\n", encoding="utf-8")
    return path


# --- summarize: one article ---------------------------------------------------------------


def test_summarize_text_prints_lead3_one_per_line(seed_lead3: list[str]) -> None:
    result = run_cli("summarize", SEED, "--method", "lead")
    assert result.code == 0, result
    assert result.err == ""
    assert result.out_lines == seed_lead3


def test_summarize_n_2(seed_lead3: list[str]) -> None:
    result = run_cli("summarize", SEED, "--method", "lead", "--n", "2")
    assert result.code == 0, result
    assert result.out_lines == seed_lead3[:2]


def test_summarize_json_spans_slice_the_parsed_body(seed_article: Article, seed_lead3: list[str]) -> None:
    result = run_cli("summarize", SEED, "--method", "lead", "--format", "json")
    assert result.code == 0, result
    assert result.out.startswith("{\n")  # pretty-printed for a single article
    data = json.loads(result.out)
    assert data["id"] == seed_article.id == SEED.name
    assert data["method"] == "lead"
    assert [h["text"] for h in data["highlights"]] == seed_lead3
    for highlight in data["highlights"]:
        check_spans(highlight, seed_article.body)
    # the body the CLI's own `parse` prints is the same one the spans point into
    parsed = run_cli("parse", SEED)
    assert parsed.code == 0, parsed
    assert json.loads(parsed.out)["body"] == seed_article.body


def test_summarize_json_n_2_records_the_setting() -> None:
    result = run_cli("summarize", SEED, "--method", "lead", "--format", "json", "--n", "2")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert len(data["highlights"]) == 2
    assert data["settings"] == {"n": 2}


def test_summarize_markdown(seed_article: Article, seed_lead3: list[str]) -> None:
    result = run_cli("summarize", SEED, "--method", "lead", "--format", "markdown")
    assert result.code == 0, result
    lines = [line for line in result.out_lines if line.strip()]
    assert lines[0].startswith("## ")
    assert lines[0] == f"## {seed_article.title or seed_article.id}"
    assert lines[1:] == [f"- {text}" for text in seed_lead3]


def test_summarize_lead_words_budget(seed_article: Article) -> None:
    expected = newsbrief.summarize(seed_article, method="lead-words", max_words=30)
    result = run_cli("summarize", SEED, "--method", "lead-words", "--max-words", "30")
    assert result.code == 0, result
    assert result.out_lines == [h.text for h in expected.highlights]
    assert len(result.out_lines) == 1  # the first sentence alone fills the budget


# --- summarize and parse: JSON Lines --------------------------------------------------------


def test_summarize_jsonl_one_json_line_per_record_in_order(sample_articles: dict[str, Article]) -> None:
    result = run_cli("summarize", SAMPLE_JSONL, "--method", "lead")
    assert result.code == 0, result
    assert result.err == ""
    records = json_lines(result.out)
    assert [r["id"] for r in records] == sample_ids()
    for record in records:
        article = sample_articles[record["id"]]
        expected = newsbrief.summarize(article, method="lead", n=3)
        assert [h["text"] for h in record["highlights"]] == [h.text for h in expected.highlights]
        assert len(record["highlights"]) == 3
        for highlight in record["highlights"]:
            check_spans(highlight, article.body)


def test_parse_jsonl_prints_one_json_object_per_line(sample_articles: dict[str, Article]) -> None:
    result = run_cli("parse", SAMPLE_JSONL)
    assert result.code == 0, result
    records = json_lines(result.out)
    assert [r["id"] for r in records] == sample_ids()
    for record in records:
        assert record["input_format"].startswith("jsonl")
        assert record["body"] == sample_articles[record["id"]].body


def test_text_field_picks_the_jsonl_field(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in SAMPLE_JSONL.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path / "renamed.jsonl"
    path.write_text("".join(json.dumps({"id": r["id"], "text": r["article"]}) + "\n" for r in rows), encoding="utf-8")
    default = run_cli("summarize", path)
    assert default.code == 3, default
    assert default.out == ""
    assert "'article'" in default.err and "Traceback" not in default.err
    assert all(line.startswith(PREFIX) for line in default.err_lines)

    chosen = run_cli("summarize", path, "--text-field", "text")
    assert chosen.code == 0, chosen
    assert [r["id"] for r in json_lines(chosen.out)] == [r["id"] for r in rows]


# --- stdin ------------------------------------------------------------------------------------


def test_stdin_text(seed_lead3: list[str]) -> None:
    result = run_cli("summarize", "-", "--method", "lead", stdin=SEED.read_bytes())
    assert result.code == 0, result
    assert result.out_lines == seed_lead3


def test_stdin_json_and_markdown_have_no_file_name(seed_article: Article) -> None:
    as_json = run_cli("summarize", "-", "--method", "lead", "--format", "json", stdin=SEED.read_bytes())
    assert as_json.code == 0, as_json
    data = json.loads(as_json.out)
    assert data["id"] is None
    for highlight in data["highlights"]:
        check_spans(highlight, seed_article.body)
    as_md = run_cli("summarize", "-", "--method", "lead", "--format", "markdown", stdin=SEED.read_bytes())
    assert as_md.code == 0, as_md
    assert as_md.out_lines[0] == "## Highlights"


def test_stdin_jsonl() -> None:
    result = run_cli("summarize", "-", stdin=SAMPLE_JSONL.read_bytes())
    assert result.code == 0, result
    assert [r["id"] for r in json_lines(result.out)] == sample_ids()


def test_stdin_parse_jsonl() -> None:
    result = run_cli("parse", "-", stdin=SAMPLE_JSONL.read_bytes())
    assert result.code == 0, result
    assert [r["id"] for r in json_lines(result.out)] == sample_ids()


# --- parse: one article -----------------------------------------------------------------------


def test_parse_pretty_json_for_one_article(seed_article: Article) -> None:
    result = run_cli("parse", SEED)
    assert result.code == 0, result
    assert result.out.startswith("{\n  ")
    data = json.loads(result.out)
    assert data["id"] == SEED.name
    assert data["input_format"] == seed_article.input_format == "scraped"
    assert [s["id"] for s in data["sentences"]] == [s.id for s in seed_article.sentences]


@pytest.mark.parametrize("flag", ["--input-format", "-f"])
def test_input_format_plain_is_forced(flag: str) -> None:
    result = run_cli("parse", SEED, flag, "plain")
    assert result.code == 0, result
    assert json.loads(result.out)["input_format"] == "plain"


# --- usage errors: exit 2, one line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["summarize", str(SEED), "--method", "nope"], "nope"),
        (["summarize", str(SEED), "--n", "0"], "--n"),
        (["summarize", str(SEED), "--format", "yaml"], "yaml"),
        (["summarize"], "FILE"),
        (["parse"], "FILE"),
        (["summarize", str(SEED), "--input-format", "bogus"], "bogus"),
        (["summarize", str(SEED), "--method", "lead-words", "--n", "2"], "lead-words"),
        (["frobnicate"], "frobnicate"),
    ],
    ids=[
        "unknown-method",
        "n-zero",
        "unknown-format",
        "summarize-no-file",
        "parse-no-file",
        "unknown-input-format",
        "setting-the-method-lacks",
        "unknown-command",
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], needle: str) -> None:
    line = assert_one_line_error(run_cli(*args), 2)
    assert needle in line


def test_usage_error_via_console_script() -> None:
    line = assert_one_line_error(run_cli("summarize", SEED, "--n", "0", script=True), 2)
    assert "--n" in line


def test_no_command_is_a_one_line_usage_error() -> None:
    """Regression: a bare `newsbrief` used to print click's whole multi-line help block as the error."""
    assert_one_line_error(run_cli(), 2)


# --- unreadable input: exit 3, one line -------------------------------------------------------


def _input(tmp_path: Path, kind: str) -> Path:
    if kind == "missing":
        return tmp_path / "no-such-file.txt"
    if kind == "empty":
        path = tmp_path / "empty.txt"
        path.write_bytes(b"")
    elif kind == "binary":
        path = tmp_path / "image.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    elif kind == "html-no-article":
        path = tmp_path / "nav.html"
        path.write_text(
            '<!DOCTYPE html><html><head><title>x</title></head><body><nav><a href="/">Home</a></nav></body></html>\n',
            encoding="utf-8",
        )
    elif kind == "fake-gzip":
        path = tmp_path / "story.txt.gz"
        path.write_bytes(b"this is not gzip data\n")
    elif kind == "too-large":
        path = tmp_path / "long.txt"
        path.write_bytes(b"A sentence of news text. " * 4000)  # 100 kB, above the 64 kB sniff
    else:
        raise ValueError(kind)
    return path


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("missing", "no-such-file.txt"),
        ("empty", "empty"),
        ("binary", "binary"),
        ("html-no-article", "no article text"),
        ("fake-gzip", "story.txt.gz"),
        ("too-large", "limit"),
    ],
)
def test_unreadable_input_exits_3_with_one_line(tmp_path: Path, kind: str, needle: str) -> None:
    path = _input(tmp_path, kind)
    extra = ["--max-bytes", "70000"] if kind == "too-large" else []
    for command in ("summarize", "parse"):
        line = assert_one_line_error(run_cli(command, path, *extra), 3)
        assert needle in line


def test_empty_stdin_exits_3() -> None:
    line = assert_one_line_error(run_cli("summarize", "-", stdin=b""), 3)
    assert "empty" in line


def test_binary_stdin_exits_3() -> None:
    line = assert_one_line_error(run_cli("summarize", "-", stdin=bytes(range(256)) * 8), 3)
    assert "binary" in line


def test_directory_is_unreadable_input(tmp_path: Path) -> None:
    """Regression: click.Path(dir_okay=False) made a directory a usage error (exit 2)."""
    line = assert_one_line_error(run_cli("summarize", tmp_path), 3)
    assert "directory" in line


def test_max_bytes_below_a_small_file_is_unreadable_input() -> None:
    """Regression: a limit below the size of an input under 64 kB did stream.read(<0): internal error, exit 1."""
    line = assert_one_line_error(run_cli("summarize", SEED, "--max-bytes", "4000"), 3)
    assert "limit" in line


# --- JSON Lines with a bad record: the rest still printed, exit 3 -----------------------------


@pytest.mark.parametrize("via_stdin", [False, True], ids=["file", "stdin"])
def test_malformed_jsonl_line_is_reported_and_the_rest_printed(tmp_path: Path, via_stdin: bool) -> None:
    path = bad_jsonl(tmp_path)
    result = run_cli("summarize", "-", stdin=path.read_bytes()) if via_stdin else run_cli("summarize", path)
    assert result.code == 3, result
    assert "Traceback" not in result.err
    assert [r["id"] for r in json_lines(result.out)] == sample_ids()
    assert result.err_lines and all(line.startswith(PREFIX) for line in result.err_lines)
    assert len([line for line in result.err_lines if "line 2" in line]) == 1  # the bad record, reported once


def test_parse_malformed_jsonl_prints_the_good_records(tmp_path: Path) -> None:
    result = run_cli("parse", bad_jsonl(tmp_path))
    assert result.code == 3, result
    assert "Traceback" not in result.err
    assert [r["id"] for r in json_lines(result.out)] == sample_ids()
    assert any("line 2" in line for line in result.err_lines)


# --- piping into `head` -----------------------------------------------------------------------


def test_output_piped_into_head_ends_quietly_with_sigpipe_status(tmp_path: Path) -> None:
    """Regression: click's own EPIPE handling exited 1; then any BrokenPipeError became exit 0.
    A closed stdout now ends the run as SIGPIPE would (141), without a word on stderr."""
    big = tmp_path / "big.jsonl"
    big.write_bytes(SAMPLE_JSONL.read_bytes() * 100)  # far more output than a pipe buffer holds
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsbrief", "parse", str(big)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode("utf-8")
    code = proc.wait(timeout=TIMEOUT_S)
    assert json.loads(first)["id"] == sample_ids()[0]
    assert err == ""
    assert code == 141, (code, err)


# --- entry points, version, help, methods -----------------------------------------------------


def test_console_script_matches_python_m(seed_lead3: list[str]) -> None:
    via_script = run_cli("summarize", SEED, "--method", "lead", script=True)
    assert via_script.code == 0, via_script
    assert via_script.out_lines == seed_lead3
    via_m = run_cli("summarize", SAMPLE_JSONL)
    via_script_jsonl = run_cli("summarize", SAMPLE_JSONL, script=True)
    assert via_script_jsonl.code == via_m.code == 0

    def untimed(out: str) -> list[dict[str, Any]]:
        records = [json.loads(line) for line in out.splitlines()]
        for r in records:
            assert set(r.pop("timings")) == {"read", "summarize"}  # filled by stage
        return records

    assert untimed(via_script_jsonl.out) == untimed(via_m.out)


@pytest.mark.parametrize("script", [False, True], ids=["python-m", "console-script"])
def test_version(script: bool) -> None:
    result = run_cli("--version", script=script)
    assert result.code == 0, result
    assert newsbrief.__version__ in result.out
    assert "newsbrief" in result.out


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag: str) -> None:
    result = run_cli(flag)
    assert result.code == 0, result
    for command in ("parse", "summarize", "methods"):
        assert command in result.out


def test_summarize_help_lists_its_options() -> None:
    result = run_cli("summarize", "--help")
    assert result.code == 0, result
    for option in ("--method", "--n", "--format", "--input-format", "--text-field"):
        assert option in result.out


def test_methods_lists_lead_and_lead_words() -> None:
    result = run_cli("methods")
    assert result.code == 0, result
    names = [line.split()[0] for line in result.out_lines if line.strip()]
    assert {"highlights", "lead", "lead-words", "hf", "llm"} <= set(names)
    assert names == sorted(names)
    assert set(names) <= set(newsbrief.methods())  # tests may register extra methods in-process


# --- analysis and faithfulness through the CLI ---------------------------------------------


def test_parse_includes_quotes_with_speakers_and_entities() -> None:
    result = run_cli("parse", SEED)
    assert result.code == 0, result
    data = json.loads(result.out)
    speakers = {q["canonical"] or q["speaker"] for q in data["analysis"]["quotes"]}
    assert {"Vladimir Putin", "Fadi Hakura", "Alexander Shimulin"} <= speakers
    people = {e["canonical"] for e in data["analysis"]["entities"] if e["label"] == "person"}
    assert "Recep Tayyip Erdogan" in people
    bare = json.loads(run_cli("parse", SEED, "--no-analysis").out)
    assert "analysis" not in bare


def test_summarize_check_attaches_a_consistent_report() -> None:
    result = run_cli("summarize", SEED, "--check", "--format", "json")
    assert result.code == 0, result
    report = json.loads(result.out)["faithfulness"]
    assert report["verdict"] == "consistent"
    assert len(report["sentences"]) == len(json.loads(result.out)["highlights"])


def test_check_flags_an_invented_number_and_strict_exits_5(tmp_path: Path) -> None:
    summary = tmp_path / "s.txt"
    summary.write_text("Turkey shot down 3 Russian jets over Syria.\n")
    result = run_cli("check", "--article", SEED, "--summary", summary, "--format", "json", "--strict")
    assert result.code == 5, result
    report = json.loads(result.out)
    assert report["verdict"] != "consistent"
    assert any(i["kind"] in {"number", "number_flip"} and i["text"] == "3" for i in report["sentences"][0]["issues"])


def test_check_reads_a_summary_json_from_stdin() -> None:
    summary_json = run_cli("summarize", SEED, "--format", "json").out
    result = run_cli("check", "--article", SEED, "--summary", "-", stdin=summary_json.encode())
    assert result.code == 0, result
    assert result.out.startswith("faithfulness: consistent")


def test_check_usage_and_input_errors(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("check", "--article", SEED), 2)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_one_line_error(run_cli("check", "--article", SEED, "--summary", empty), 3)
