"""The command line as users of similar tools expect it (issue 13): many inputs, -o, --url,
the same --format on every command, -v/-q, check over a JSONL of pairs. In process."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import newsbrief
from conftest import CliResult
from newsbrief.errors import UsageError

RunCli = Callable[..., CliResult]
ARTICLE = "The council of Townville approved a new budget on Monday. Mayor Jane Smith said it was fair. " * 3


def write_articles(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"story-{i}.txt"
        path.write_text(f"Story {i} begins here with a long first sentence. " + ARTICLE, encoding="utf-8")
        paths.append(path)
    return paths


def test_many_files_give_json_lines_in_the_order_given(tmp_path: Path, run_cli: RunCli) -> None:
    a, b = write_articles(tmp_path, 2)
    result = run_cli("summarize", b, a, "-m", "lead:n=1")
    assert result.code == 0, result
    records = [json.loads(line) for line in result.out_lines]
    assert [r["id"] for r in records] == ["story-1.txt", "story-0.txt"]
    assert records[0]["highlights"][0]["text"].startswith("Story 1 begins")
    assert set(records[0]["timings"]) == {"read", "summarize"}


def test_a_directory_and_a_glob_are_expanded(tmp_path: Path, run_cli: RunCli) -> None:
    write_articles(tmp_path / "news", 3)
    by_dir = run_cli("summarize", tmp_path / "news", "-m", "lead:n=1", "--format", "jsonl")
    by_glob = run_cli("summarize", str(tmp_path / "news" / "*.txt"), "-m", "lead:n=1", "--output-format", "jsonl")
    assert by_dir.code == by_glob.code == 0
    ids = [json.loads(line)["id"] for line in by_dir.out_lines]
    assert ids == ["story-0.txt", "story-1.txt", "story-2.txt"]
    assert [json.loads(line)["id"] for line in by_glob.out_lines] == ids


def test_output_file_and_output_directory(tmp_path: Path, run_cli: RunCli) -> None:
    paths = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    assert run_cli("summarize", *paths, "-m", "lead:n=1", "-o", out).out == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    folder = tmp_path / "each"
    result = run_cli("summarize", *paths, "-m", "lead:n=1", "-o", f"{folder}/", "--format", "markdown")
    assert result.code == 0, result
    assert sorted(p.name for p in folder.iterdir()) == ["story-0.txt.md", "story-1.txt.md"]
    assert (folder / "story-0.txt.md").read_text(encoding="utf-8").startswith("## story-0.txt")


def test_one_unreadable_input_among_many_is_reported_and_the_rest_written(tmp_path: Path, run_cli: RunCli) -> None:
    (good,) = write_articles(tmp_path, 1)
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli("summarize", good, empty, "-m", "lead:n=1")
    assert result.code == 3
    assert [json.loads(line)["id"] for line in result.out_lines] == ["story-0.txt"]
    assert result.err_lines[-1] == "newsbrief: error: 1 of 2 record(s) could not be read"


def test_missing_input_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("summarize")
    assert result.code == 2 and "missing FILE" in result.err


def test_bad_setting_is_one_line_naming_the_setting(seed: Path, run_cli: RunCli) -> None:
    result = run_cli("summarize", seed, "--method", "lead:n=abc")
    assert result.code == 2 and len(result.err_lines) == 1
    assert "setting 'n' of method 'lead' must be an integer" in result.err


def test_stdin_records_get_ids(run_cli: RunCli) -> None:
    line = json.dumps({"article": ARTICLE}).encode() + b"\n"
    result = run_cli("summarize", "-", "-m", "lead:n=1", stdin=line * 2)
    assert [json.loads(x)["id"] for x in result.out_lines] == ["stdin:1", "stdin:2"]


def test_quiet_and_verbose(seed: Path, run_cli: RunCli) -> None:
    verbose = run_cli("summarize", seed, "-m", "lead:n=1", "-v")
    assert verbose.code == 0 and "summarize" in verbose.err and "cnn-erdogan-putin.txt" in verbose.err
    assert run_cli("-q", "summarize", seed, "-m", "lead:n=1").err == ""
    both = run_cli("summarize", seed, "-q", "-v")
    assert both.code == 2 and "cannot be used together" in both.err


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text", "markdown"])
def test_parse_takes_the_same_format_values(seed: Path, run_cli: RunCli, fmt: str) -> None:
    result = run_cli("parse", seed, "--format", fmt, "--no-analysis")
    assert result.code == 0, result
    if fmt in ("json", "jsonl"):
        assert json.loads(result.out)["dateline"] == "St. Petersburg, Russia"
        assert (len(result.out_lines) == 1) == (fmt == "jsonl")
    else:
        assert "Turkish President Recep Tayyip Erdogan" in result.out


def test_check_over_a_jsonl_of_pairs(tmp_path: Path, seed: Path, run_cli: RunCli) -> None:
    article = seed.read_text(encoding="utf-8")
    pairs = tmp_path / "pairs.jsonl"
    lines = [
        {"id": "good", "article": article, "summary": "Erdogan met Putin in St. Petersburg."},
        {"id": "list", "article": article, "summary": ["Erdogan met Putin.", "Putin met Obama in Paris in 1999."]},
        {"id": "nosummary", "article": article},
    ]
    pairs.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = run_cli("check", pairs)
    assert result.code == 3, result  # one line had no summary
    reports = [json.loads(line) for line in result.out_lines]
    assert [r["id"] for r in reports] == ["good", "list"]
    assert len(reports[1]["faithfulness"]["sentences"]) == 2
    assert "no summary field 'summary'" in result.err
    strict = run_cli("check", pairs, "--strict", "--format", "text")
    assert strict.code in (3, 5) and "# good" in strict.out


def test_check_one_pair_still_works(seed: Path, tmp_path: Path, run_cli: RunCli) -> None:
    summary = tmp_path / "s.txt"
    summary.write_text("Erdogan met Putin in St. Petersburg.", encoding="utf-8")
    result = run_cli("check", "--article", seed, "--summary", summary, "--format", "json")
    assert result.code == 0 and "verdict" in json.loads(result.out)
    assert run_cli("check", "--article", seed).code == 2


def test_methods_json(run_cli: RunCli) -> None:
    methods = json.loads(run_cli("methods", "--format", "json").out)
    lead = next(m for m in methods if m["name"] == "lead")
    assert any(s["name"] == "n" for s in lead["settings"])


def test_parse_takes_text_and_parse_file_takes_a_path(seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: newsbrief.parse("file.txt") parsed the file name as an article."""
    monkeypatch.chdir(seed.parent)
    with pytest.raises(UsageError, match=r"parse_file\('cnn-erdogan-putin.txt'\)"):
        newsbrief.parse(seed.name)
    assert newsbrief.parse_file(seed.name).dateline == "St. Petersburg, Russia"
    with pytest.warns(DeprecationWarning, match="parse_file"):
        assert newsbrief.parse(seed).dateline == "St. Petersburg, Russia"  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="parse_bytes"):
        newsbrief.parse(b"bytes")  # type: ignore[arg-type]


# --- --url -----------------------------------------------------------------------------------


@pytest.fixture
def page_server(seed: Path) -> Iterator[str]:
    """A loopback server standing in for a news site (tests never touch the internet)."""
    body = seed.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/story"
    finally:
        server.shutdown()
        server.server_close()


def test_url_to_a_loopback_address_is_refused_like_the_service(page_server: str, run_cli: RunCli) -> None:
    pytest.importorskip("httpx")
    for url in (page_server, page_server.replace(page_server.split("/")[2], "127.0.0.1")):
        result = run_cli("summarize", "-u", url, "-m", "lead:n=1")
        assert result.code == 3 and len(result.err_lines) == 1, result
        assert "--allow-private-hosts" in result.err
    plain_port = run_cli("parse", "-u", "http://127.0.0.1/story")  # port 80: refused for the address
    assert plain_port.code == 3 and "127.0.0.1" in plain_port.err and "--allow-private-hosts" in plain_port.err


def test_url_with_allow_private_hosts_is_fetched(page_server: str, run_cli: RunCli) -> None:
    pytest.importorskip("httpx")
    result = run_cli("summarize", "--url", page_server, "-m", "lead:n=1", "--allow-private-hosts")
    assert result.code == 0, result
    assert result.out.startswith("Turkish President Recep Tayyip Erdogan")


def test_metadata_address_is_refused_even_with_allow_private_hosts(run_cli: RunCli) -> None:
    pytest.importorskip("httpx")
    result = run_cli("parse", "-u", "http://169.254.169.254/latest/meta-data/", "--allow-private-hosts")
    assert result.code == 3 and "169.254.169.254" in result.err
