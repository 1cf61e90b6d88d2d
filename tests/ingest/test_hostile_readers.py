"""Hostile input at the library level (issue 11): the one JSONL reader, bounded JSON, capped
decompression, codecs that are not text, symlink-safe directory walks. Each reported case is
kept here as a regression test; the command-line side is in ``test_hostile_cli.py``."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbrief import InputError, iter_records, parse_bytes
from newsbrief.batch import run_batch
from newsbrief.batch.sources import Plan, iter_files
from newsbrief.ingest import expansion_limit, safejson
from newsbrief.ingest.decode import check_encoding, decode
from newsbrief.ingest.jsonl import BLOCK, Line, iter_lines

FIXTURES = Path(__file__).parents[1] / "fixtures"
DEEP = "[" * 100_000 + "]" * 100_000
HUGE_INT = '{"id": "big", "article": "Text here.", "n": ' + "9" * 5000 + "}"


def good(rid: str | None, text: str = "The council met on Monday. It approved the new budget.") -> str:
    record: dict[str, Any] = {"article": text, "highlights": "The council approved the budget."}
    if rid is not None:
        record["id"] = rid
    return json.dumps(record)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


# --- 1. nesting, huge numbers, one reader for every consumer -------------------------------


def test_a_line_nested_100000_deep_is_one_bad_record_and_the_rest_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "d.jsonl", [good("a"), DEEP, HUGE_INT, good("d")])
    records = list(iter_records(path))
    assert [(r.line, r.error is None) for r in records] == [(1, True), (2, False), (3, False), (4, True)]
    assert records[1].error == "line 2: JSON nested deeper than 64 levels"
    assert records[2].error is not None and records[2].error.startswith("line 3: JSON past a limit")


def test_records_without_an_id_are_named_by_source_and_line_also_when_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "d.jsonl", [good(None), "{broken", good("", "Another text. It is fine.")])
    assert [r.id for r in iter_records(path)] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_stdin_records_without_an_id_are_stdin_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (good(None) + "\n\n" + "[1]\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [r.id for r in iter_records("-")] == ["stdin:1", "stdin:3"]
    assert [r.id for r in iter_records(io.BytesIO(data), format="jsonl")] == ["input:1", "input:3"]


def test_ingest_and_batch_give_every_line_the_same_id_and_message(tmp_path: Path) -> None:
    """Regression: three JSONL parsers had three id rules (null, line-N, file:N) and messages."""
    long_line = good("long", "Word " * 400)
    lines = [good("a"), good(None), "{oops", "[1, 2]", DEEP, long_line, b"\xff\xfe".decode("latin-1"), good("z")]
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(line.encode("latin-1" if line.startswith("\xff") else "utf-8") + b"\n" for line in lines))
    ingest = {r.line: (r.id, r.error) for r in iter_records(path, max_bytes=1000)}
    tasks = {t.line: (t.id, t.error) for t in Plan(str(path), max_bytes=1000).tasks()}
    assert set(ingest) == set(tasks) == set(range(1, 9))
    for no, (rid, error) in ingest.items():
        assert tasks[no][0] == rid
        if no in (1, 2, 8):
            assert error is None and tasks[no][1] is None
        else:  # ingest says where; batch records carry the line as a field
            assert error == f"line {no}: {tasks[no][1]}"
    assert ingest[6][1] == "line 6: line is 2.1 kB, above the 1.0 kB limit for one record (raise it with --max-bytes)"
    assert "not valid UTF-8" in ingest[7][1]


def test_a_bom_on_the_first_line_is_not_part_of_the_record(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + good("a").encode() + b"\n")
    assert [(r.id, r.error) for r in iter_records(path)] == [("a", None)]


@pytest.mark.parametrize(
    ("data", "depth"),
    [
        ('"[[[["', 0),
        ('["\\"", [["\\\\"]]]', 3),
        ('{"a\\\\": {"b": "]]]]"}}', 2),
        ('"unterminated [[[', 0),
        ("[[], [[]], {}]", 3),
    ],
)
def test_nesting_depth_ignores_brackets_in_strings(data: str, depth: int) -> None:
    assert safejson.nesting_depth(data) == depth


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\k'), inner, max_size=3),
    max_leaves=20,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(_json)
def test_nesting_depth_is_the_depth_of_the_parsed_value(value: Any) -> None:
    assert safejson.nesting_depth(json.dumps(value)) == _depth(value)


# --- 4. bounded lines, blank runs, capped decompression ------------------------------------


class CountingStream(io.BytesIO):
    """Counts read calls: a reader that looked at blank lines one by one would need millions."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read1(self, n: int = -1) -> bytes:
        self.reads += 1
        return super().read1(n)


def test_runs_of_blank_lines_are_skipped_in_blocks_and_counted() -> None:
    blank = 5_000_000
    stream = CountingStream(b'{"id": 1}\n' + b"\n \t\r\n" * (blank // 2) + b'{"id": 2}\n')
    lines = list(iter_lines(stream, max_bytes=1000))
    assert [(line.no, line.data) for line in lines] == [(1, b'{"id": 1}'), (blank + 2, b'{"id": 2}')]
    assert stream.reads <= len(stream.getvalue()) // BLOCK + 3


def test_a_line_over_the_limit_is_skipped_by_size_without_being_held() -> None:
    data = b'{"id": "a"}\n' + b"x" * (3 * BLOCK + 5) + b'\n{"id": "b"}'
    lines = list(iter_lines(CountingStream(data), max_bytes=BLOCK))
    assert lines == [Line(1, b'{"id": "a"}', 11), Line(2, None, 3 * BLOCK + 5), Line(3, b'{"id": "b"}', 11)]


def test_lines_are_split_right_across_block_boundaries() -> None:
    rows = [json.dumps({"id": i, "pad": "p" * (i * 37 % 300)}).encode() for i in range(400)]
    lines = list(iter_lines(io.BytesIO(b"\n".join(rows)), rows[0][:5], max_bytes=10_000, block=64))
    assert [line.data for line in lines] == [rows[0][:5] + rows[0], *rows[1:]]


def gzip_bomb(path: Path, size: int) -> Path:
    path.write_bytes(gzip.compress(good("first").encode() + b"\n" * size + good("last").encode() + b"\n", 9))
    return path


def test_a_gzip_of_newlines_is_refused_at_the_expansion_limit_after_the_good_records(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "bomb.jsonl.gz", 3_000_000)
    limit = expansion_limit(path.stat().st_size, 1000)
    assert limit < 3_000_000
    seen = []
    with pytest.raises(InputError, match="decompresses to more than .*decompression bomb"):
        for record in iter_records(path, max_bytes=1000):
            seen.append(record.id)
    assert seen == ["first"]


def test_a_gzip_under_the_expansion_limit_is_read_whole(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "blank.jsonl.gz", 3_000_000)
    assert [r.id for r in iter_records(path)] == ["first", "last"]  # the default limit: 10 x 10 MB


def test_a_zst_bomb_is_refused_too(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "bomb.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(good("first").encode() + b"\n" * 5_000_000))
    with pytest.raises(InputError, match="decompresses to more than"):
        list(iter_records(path, max_bytes=1000))


def test_a_gzipped_article_is_capped_at_max_bytes_like_a_plain_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress(b"A sentence of news text. " * 100_000))
    with pytest.raises(InputError, match=r"more than 100\.0 kB, above the 100\.0 kB limit for one article"):
        list(iter_records(path, max_bytes=100_000))


def test_corrupt_deflate_data_is_an_input_error(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(("\n".join(good(str(i)) for i in range(2000))).encode()))
    data[200:260] = b"\x00" * 60  # a valid header, then garbage: zlib.error, not OSError
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="cannot read"):
        list(iter_records(path))


# --- 3. only regular files -------------------------------------------------------------------


def test_a_fifo_is_refused_without_opening_it_for_a_read_that_would_block(tmp_path: Path) -> None:
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe .* not a regular file"):
        list(iter_records(fifo))


def test_a_device_is_refused() -> None:
    with pytest.raises(InputError, match="character device"):
        list(iter_records("/dev/zero"))


# --- 8. codecs that are not text encodings ---------------------------------------------------


@pytest.mark.parametrize(
    "codec",
    ["idna", "punycode", "rot13", "base64", "hex", "zlib", "uu", "bz2", "quopri", "undefined", "unicode_escape"],
)
def test_a_codec_that_is_not_a_text_encoding_is_refused_by_name(codec: str) -> None:
    with pytest.raises(InputError, match=f"'{codec}' is not a text encoding"):
        decode(b"aGVsbG8gd29ybGQ=", encoding=codec)
    with pytest.raises(InputError, match=codec):
        parse_bytes(b"Some text. More text.", encoding=codec)


def test_the_zlib_codec_cannot_inflate_past_the_size_limit() -> None:
    bomb = __import__("zlib").compress(b"x" * 50_000_000)
    with pytest.raises(InputError, match="not a text encoding"):
        decode(bomb, encoding="zlib")


def test_real_charsets_still_decode() -> None:
    assert decode("Caf\u00e9 5\u20ac".encode("cp1252"), encoding="windows-1252")[0] == "Caf\u00e9 5\u20ac"
    assert check_encoding("latin-1") == "iso8859-1"
    with pytest.raises(InputError, match="unknown encoding 'no-such'"):
        decode(b"x", encoding="no-such")


# --- 2. directories and globs: symlink-safe, each file once, in order ------------------------


def cyclic_tree(root: Path) -> Path:
    (root / "sub" / "deep").mkdir(parents=True)
    shutil.copy(FIXTURES / "sample.story", root / "sub" / "a.story")
    shutil.copy(FIXTURES / "sample.story", root / "sub" / "deep" / "b.story")
    (root / "sub" / "deep" / "up").symlink_to("../..")  # a cycle
    (root / "sub" / "again").symlink_to("deep")  # a second way to a directory
    (root / "sub" / "alias.story").symlink_to("a.story")  # a second way to a file
    return root


def test_a_symlink_cycle_is_walked_once_in_sorted_order(tmp_path: Path) -> None:
    tree = cyclic_tree(tmp_path / "news")
    assert [f.display for f in iter_files(str(tree))] == [f"{tree}/sub/a.story", f"{tree}/sub/again/b.story"]


def test_a_recursive_glob_over_a_cycle_gives_each_file_once(tmp_path: Path) -> None:
    """Regression: glob.glob('**') followed the cycle and wrote the same file 41 times."""
    tree = cyclic_tree(tmp_path / "news")
    out = tmp_path / "out.jsonl"
    result = run_batch(f"{tree}/**/*.story", str(out), method="lead", workers=1, progress=False)
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"{tree}/sub/a.story", f"{tree}/sub/deep/b.story"]
    assert result.failed == 0


def test_a_fifo_in_a_directory_is_an_error_record_and_the_rest_is_read(tmp_path: Path) -> None:
    tree = tmp_path / "news"
    tree.mkdir()
    shutil.copy(FIXTURES / "sample.story", tree / "a.story")
    os.mkfifo(tree / "b.story")
    out = tmp_path / "out.jsonl"
    result = run_batch(str(tree), str(out), method="lead", workers=1, progress=False)
    assert result.written == 1 and result.failed == 1
    (error,) = [json.loads(line) for line in Path(f"{out}.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert error["id"] == f"{tree}/b.story" and "named pipe" in error["error"]


def test_batch_records_the_bomb_as_a_read_error_after_the_good_records(tmp_path: Path) -> None:
    src = gzip_bomb(tmp_path / "bomb.jsonl.gz", 3_000_000)
    out = tmp_path / "out.jsonl"
    result = run_batch(str(src), str(out), method="lead", workers=1, progress=False, max_bytes=1000)
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["first"]
    errors = [json.loads(line) for line in Path(f"{out}.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["id"] for e in errors] == [f"{src}:read-error"] and "decompression bomb" in errors[0]["error"]
    assert result.failed == 1
