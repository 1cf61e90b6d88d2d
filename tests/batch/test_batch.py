"""``newsbrief batch``: parallel, resumable, error-tolerant runs over many articles.

Contract: OUT gets one JSON line per record that succeeded (unique ids, never a partial or
duplicated line, even after kill -9 and a rerun); OUT.errors.jsonl one line per record that
failed, with the reason; exit 0 when all succeeded, 3 when some failed, 2 for usage errors.
The CLI is run as ``python -m newsbrief batch``.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsbrief.batch import run_batch
from newsbrief.batch.local import run_local
from newsbrief.batch.output import ResumableOutput, errors_path
from newsbrief.batch.progress import Progress
from newsbrief.batch.sources import Plan, Task
from newsbrief.batch.worker import WorkerConfig
from newsbrief.errors import InputError, UsageError

FIXTURES = Path(__file__).parents[1] / "fixtures"
PLUGIN_DIR = FIXTURES / "batch"
TIMEOUT_S = 60
sys.path.insert(0, str(PLUGIN_DIR))

import newsbrief_batch_testplugin as plugin  # noqa: E402


@pytest.fixture
def slow_method() -> Iterator[str]:
    """Register the test-only method for one test, then remove it so `methods()` stays clean."""
    plugin.register_all()
    yield "test-slow"
    plugin.unregister_all()


def article_text(i: int, extra: str = "") -> str:
    return (
        f"The council of Townville {i} approved a new budget of {i + 3} million dollars on Monday. "
        f"Mayor Jane Smith said the money would go to schools and roads in district {i % 7}. "
        f"Opponents argued that taxes would rise by {i % 5 + 1} percent next year. {extra}"
        "The vote was seven to two after a long debate."
    )


def write_jsonl(path: Path, records: list[Any], gz: bool = False) -> Path:
    lines = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    if gz:
        path.write_bytes(gzip.compress(lines.encode()))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def corpus(n: int) -> list[dict[str, Any]]:
    return [{"id": f"doc-{i}", "article": article_text(i), "highlights": "Budget passed."} for i in range(n)]


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in read_lines(path)]


def by_id(path: Path) -> dict[str, dict[str, Any]]:
    out = records(path)
    ids = [r["id"] for r in out]
    assert len(ids) == len(set(ids)), "duplicate ids in " + str(path)
    return {r["id"]: r for r in out}


def errors(out: Path) -> dict[str, dict[str, Any]]:
    return by_id(Path(errors_path(str(out))))


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.pop("NEWSBRIEF_DEBUG", None)
    e["PYTHONIOENCODING"] = "utf-8"
    return e


def batch_command(*args: str, plugin_too: bool = False) -> list[str]:
    """``python -m newsbrief batch ARGS``; ``plugin_too`` registers the test method first.

    With ``plugin_too`` Ctrl-C is Python's default, as in a terminal: a suite started in the
    background (``make test &``, CI) has SIGINT ignored, a child inherits that, and the Ctrl-C
    test then waited 30 s for a run that never heard it."""
    if plugin_too:
        code = (
            "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
            f"import sys; sys.path.insert(0, {str(PLUGIN_DIR)!r}); import newsbrief_batch_testplugin; "
            "from newsbrief.cli import main; main(['batch', *sys.argv[1:]])"
        )
        return [sys.executable, "-c", code, *args]
    return [sys.executable, "-m", "newsbrief", "batch", *args]


def run_cli(*args: str, plugin_too: bool = False, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    cmd = batch_command(*args, plugin_too=plugin_too)
    return subprocess.run(cmd, capture_output=True, text=True, env=env(), timeout=timeout, stdin=subprocess.DEVNULL)


def held_back(n: int) -> list[dict[str, Any]]:
    """``corpus(n)`` whose last record makes ``test-slow`` sleep 30 s (its output is ``lead``'s):
    a run interrupted once OUT has grown cannot have finished first, however the machine is
    loaded (4,000 records take 2-3 s, and the test polls OUT every 5 ms)."""
    recs = corpus(n)
    recs[-1] = {"id": f"doc-{n - 1}", "article": article_text(n - 1, "SLOWDOWN here."), "highlights": "Budget passed."}
    return recs


# --- records ---------------------------------------------------------------------------------


def test_records_have_id_highlights_spans_method_notes(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(20))
    out = tmp_path / "out.jsonl"
    result = run_batch(str(src), str(out), method="lead", settings={"n": 2}, workers=2, chunk_size=3, progress=False)
    assert (result.written, result.failed, result.skipped) == (20, 0, 0)
    got = by_id(out)
    assert set(got) == {f"doc-{i}" for i in range(20)}
    rec = got["doc-4"]
    assert set(rec) >= {"id", "highlights", "method", "settings", "notes", "schema_version"}
    assert rec["faithfulness"] is None and rec["analysis"] is None  # the pipeline's one shape, stages not run
    assert rec["timings"] == {}  # no timings: reruns give identical lines
    assert rec["method"] == "lead" and rec["settings"] == {"n": 2}
    body = " ".join(article_text(4).split())
    assert len(rec["highlights"]) == 2
    for h in rec["highlights"]:
        assert set(h) >= {"text", "spans", "sentence_ids"}
        assert h["text"] == "".join(body[a:b] for a, b in h["spans"])
    assert read_lines(Path(errors_path(str(out)))) == []


def test_one_and_two_workers_give_the_same_records_one_worker_keeps_input_order(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(40))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(str(src), str(one), workers=1, chunk_size=4, progress=False)
    run_batch(str(src), str(two), workers=2, chunk_size=4, progress=False)
    assert Counter(read_lines(one)) == Counter(read_lines(two))
    assert [r["id"] for r in records(one)] == [f"doc-{i}" for i in range(40)]


def test_one_worker_keeps_input_order_when_several_chunks_are_done_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loaded parent looks late and finds several chunks done: they are written in input
    order, not in the order of the set ``wait`` returns (CI saw doc-36 before doc-32)."""
    import concurrent.futures

    import newsbrief.batch.local as local

    def wait_all(fs: Any, return_when: str = "") -> Any:
        return concurrent.futures.wait(fs, return_when=concurrent.futures.ALL_COMPLETED)

    monkeypatch.setattr(local, "wait", wait_all)
    src = write_jsonl(tmp_path / "in.jsonl", corpus(40))
    out = tmp_path / "out.jsonl"
    run_batch(str(src), str(out), workers=1, chunk_size=2, progress=False)
    assert [r["id"] for r in records(out)] == [f"doc-{i}" for i in range(40)]


def test_missing_id_becomes_file_and_line_and_duplicate_ids_are_errors(tmp_path: Path) -> None:
    recs: list[Any] = corpus(3)
    recs.insert(1, {"article": article_text(99)})  # line 2, no id
    recs.append({"id": "doc-0", "article": article_text(100)})  # line 5, repeats doc-0
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    result = run_batch(str(src), str(out), workers=1, progress=False)
    assert set(by_id(out)) == {"doc-0", "doc-1", "doc-2", f"{src}:2"}
    errs = errors(out)
    assert list(errs) == [f"{src}:5#duplicate"]
    assert "duplicate id 'doc-0'" in errs[f"{src}:5#duplicate"]["error"]
    assert result.failed == 1


def test_bad_records_and_a_timeout_are_reported_and_the_rest_complete(tmp_path: Path, slow_method: str) -> None:
    recs: list[Any] = corpus(30)
    recs[5] = '{"id": "broken", "article": '  # malformed JSON, line 6
    recs[9] = {"id": "slow", "article": article_text(9, "SLOWDOWN is here.")}
    recs[12] = {"id": "no-text", "body": "wrong field"}
    recs[20] = {"id": "empty", "article": "   "}
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    result = run_batch(str(src), str(out), method=slow_method, workers=2, timeout=0.5, chunk_size=4, progress=False)
    assert time.monotonic() - started < 20  # the sleeping document did not hold the run for 30 s
    errs = errors(out)
    assert set(errs) == {f"{src}:6", "slow", "no-text", "empty"}
    assert errs[f"{src}:6"]["line"] == 6 and "not valid JSON" in errs[f"{src}:6"]["error"]
    assert errs["slow"]["error"] == "timed out after 0.5 s (--timeout)"
    assert "no text field 'article'" in errs["no-text"]["error"]
    assert errs["empty"]["source"] == str(src) and errs["empty"]["error"]
    assert len(by_id(out)) == 26 and result.written == 26 and result.failed == 4


def test_a_worker_that_dies_costs_only_its_record(tmp_path: Path, slow_method: str) -> None:
    recs: list[Any] = corpus(24)
    recs[7] = {"id": "crash", "article": article_text(7, "CRASHNOW please.")}
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    result = run_batch(str(src), str(out), method=slow_method, workers=2, chunk_size=4, progress=False)
    assert set(errors(out)) == {"crash"}
    assert "worker process died" in errors(out)["crash"]["error"]
    assert set(by_id(out)) == {f"doc-{i}" for i in range(24) if i != 7}
    assert result.failed == 1


# --- inputs ----------------------------------------------------------------------------------


def make_tree(root: Path) -> Path:
    (root / "sub" / "deeper").mkdir(parents=True)
    shutil.copy(FIXTURES / "cnn-erdogan-putin.txt", root / "a.txt")
    shutil.copy(FIXTURES / "sample.story", root / "sub" / "b.story")
    shutil.copy(FIXTURES / "page.html", root / "sub" / "deeper" / "c.html")
    (root / "sub" / "d.story.gz").write_bytes(gzip.compress((FIXTURES / "sample.story").read_bytes()))
    write_jsonl(root / "sub" / "more.jsonl", corpus(3))
    (root / ".hidden.txt").write_text("never read", encoding="utf-8")
    (root / "binary.dat").write_bytes(b"\x00\x01\x02" * 100)
    return root


def test_directory_input_reads_every_format_with_paths_as_ids(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "news")
    out = tmp_path / "out.jsonl"
    result = run_batch(str(tree), str(out), method="lead", workers=2, progress=False)
    ids = set(by_id(out))
    assert ids == {
        f"{tree}/a.txt",
        f"{tree}/sub/b.story",
        f"{tree}/sub/deeper/c.html",
        f"{tree}/sub/d.story.gz",
        "doc-0",
        "doc-1",
        "doc-2",
    }
    assert set(errors(out)) == {f"{tree}/binary.dat"}
    assert "binary" in errors(out)[f"{tree}/binary.dat"]["error"]
    assert result.written == 7 and result.failed == 1
    # the .gz story and the plain one are the same article
    got = by_id(out)
    assert got[f"{tree}/sub/d.story.gz"]["highlights"] == got[f"{tree}/sub/b.story"]["highlights"]


def test_glob_input(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "news")
    out = tmp_path / "out.jsonl"
    run_batch(f"{tree}/**/*.story", str(out), method="lead", workers=1, progress=False)
    assert set(by_id(out)) == {f"{tree}/sub/b.story"}


def test_out_inside_the_input_directory_is_never_read_back(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "news")
    (tree / "binary.dat").unlink()
    out = tree / "out.jsonl"
    first = run_batch(str(tree), str(out), method="lead", workers=1, progress=False)
    again = run_batch(str(tree), str(out), method="lead", workers=1, progress=False)
    assert first.failed == 0 and again.written == 0 and again.failed == 0 and again.skipped == 7


def test_gz_jsonl_input_equals_plain(tmp_path: Path) -> None:
    recs = corpus(12)
    plain = write_jsonl(tmp_path / "in.jsonl", recs)
    packed = write_jsonl(tmp_path / "in.jsonl.gz", recs, gz=True)
    run_batch(str(plain), str(tmp_path / "a.jsonl"), workers=1, progress=False)
    run_batch(str(packed), str(tmp_path / "b.jsonl"), workers=1, progress=False)
    assert read_lines(tmp_path / "a.jsonl") == read_lines(tmp_path / "b.jsonl")
    assert len(read_lines(tmp_path / "a.jsonl")) == 12


def test_truncated_gz_keeps_what_was_read_and_reports_the_rest(tmp_path: Path) -> None:
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in corpus(2000)).encode())
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "out.jsonl"
    result = run_batch(str(src), str(out), workers=1, progress=False)
    assert 0 < result.written < 2000 and result.failed == 1
    assert list(errors(out)) == [f"{src}:read-error"]


def test_zst_input(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    src = tmp_path / "in.jsonl.zst"
    src.write_bytes(zstandard.ZstdCompressor().compress("".join(json.dumps(r) + "\n" for r in corpus(5)).encode()))
    out = tmp_path / "out.jsonl"
    run_batch(str(src), str(out), workers=1, progress=False)
    assert set(by_id(out)) == {f"doc-{i}" for i in range(5)}


def test_zst_without_zstandard_is_a_clear_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.jsonl.zst"
    src.write_bytes(b"whatever")
    monkeypatch.setitem(sys.modules, "zstandard", None)
    with pytest.raises(UsageError, match=r"zstandard package: pip install 'newsbrief\[zstd\]'"):
        run_batch(str(src), str(tmp_path / "out.jsonl"), workers=1, progress=False)
    assert not (tmp_path / "out.jsonl").exists()


def test_ray_missing_is_a_clear_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(2))
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(UsageError, match=r"--engine ray needs Ray Data .*pip install 'newsbrief\[ray\]'"):
        run_batch(str(src), str(tmp_path / "out.jsonl"), engine="ray", progress=False)


def test_unreachable_ray_cluster_is_a_quick_usage_error(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        pytest.skip("Ray already initialised in this process")
    src = write_jsonl(tmp_path / "in.jsonl", corpus(2))
    started = time.monotonic()
    with pytest.raises(UsageError, match=r"cannot connect to Ray at 127.0.0.1:1"):
        run_batch(str(src), str(tmp_path / "out.jsonl"), engine="ray", ray_address="127.0.0.1:1", progress=False)
    assert time.monotonic() - started < 15
    assert not (tmp_path / "out.jsonl").exists()


def test_check_adds_the_faithfulness_report(tmp_path: Path) -> None:
    pytest.importorskip("newsbrief.faithfulness")
    src = write_jsonl(tmp_path / "in.jsonl", corpus(4))
    out = tmp_path / "out.jsonl"
    run_batch(str(src), str(out), check=True, workers=1, progress=False)
    assert all(isinstance(r["faithfulness"], dict) for r in records(out)) and len(records(out)) == 4


# --- resume ----------------------------------------------------------------------------------


def test_rerun_skips_done_ids_drops_a_partial_line_and_rewrites_errors(tmp_path: Path) -> None:
    recs: list[Any] = corpus(30)
    recs[3] = "not json"
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    full = tmp_path / "full.jsonl"
    run_batch(str(src), str(full), workers=2, chunk_size=4, progress=False)
    out = tmp_path / "out.jsonl"
    lines = read_lines(full)
    # a crashed run: 10 complete records, half of the 11th, and an old error for an id that
    # will succeed this time
    out.write_text("\n".join(lines[:10]) + "\n" + lines[10][: len(lines[10]) // 2], encoding="utf-8")
    Path(errors_path(str(out))).write_text(json.dumps({"id": "doc-20", "error": "old"}) + "\n", encoding="utf-8")
    result = run_batch(str(src), str(out), workers=2, chunk_size=4, progress=False)
    assert result.truncated_bytes == len(lines[10]) // 2
    assert result.skipped == 10 and result.written == 19 and result.failed == 1
    assert Counter(read_lines(out)) == Counter(lines)
    assert set(errors(out)) == {f"{src}:4"}
    assert read_lines(Path(errors_path(str(full)))) == read_lines(Path(errors_path(str(out))))


def test_out_that_is_not_batch_output_is_refused(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(2))
    out = tmp_path / "notes.txt"
    out.write_text("my precious notes\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not a newsbrief batch record; refusing to append"):
        run_batch(str(src), str(out), progress=False)
    assert out.read_text(encoding="utf-8") == "my precious notes\n"


def test_two_runs_cannot_share_an_out(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with ResumableOutput(str(out)), pytest.raises(UsageError, match="in use by another newsbrief batch run"):
        ResumableOutput(str(out))


def test_sigkill_mid_run_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    n = 4000
    src = write_jsonl(tmp_path / "in.jsonl", held_back(n))
    reference = tmp_path / "reference.jsonl"
    run_batch(str(src), str(reference), method="lead", workers=2, progress=False)
    out = tmp_path / "out.jsonl"
    cmd = batch_command(str(src), str(out), "-m", "test-slow", "--workers", "2", "--chunk-size", "2", plugin_too=True)
    proc = subprocess.Popen(
        cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.stat().st_size > 200 * 600:
                break
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the workers and forkserver we started
    assert proc.returncode == -signal.SIGKILL
    killed = out.read_bytes()
    complete = killed[: killed.rfind(b"\n") + 1].decode().splitlines()
    assert 0 < len(complete) < n, "the run was not interrupted mid-way"
    assert len({json.loads(line)["id"] for line in complete}) == len(complete)
    rerun = run_cli(str(src), str(out), "-m", "lead", "--workers", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert "already done" in rerun.stderr
    final = out.read_text(encoding="utf-8")
    assert final.endswith("\n")
    assert Counter(final.splitlines()) == Counter(read_lines(reference))
    assert len(final.splitlines()) == n


def test_ctrl_c_stops_cleanly_with_exit_130_and_a_resumable_out(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", held_back(4000))
    out = tmp_path / "out.jsonl"
    cmd = batch_command(str(src), str(out), "-m", "test-slow", "--workers", "2", "--chunk-size", "2", plugin_too=True)
    proc = subprocess.Popen(
        cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while (
            time.monotonic() < deadline and proc.poll() is None and not (out.exists() and out.stat().st_size > 50_000)
        ):
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("newsbrief: error: interrupted: ") and "record(s) done in" in last, last
    assert last.endswith(
        f"rerun the same command to resume: newsbrief batch {src} {out} -m test-slow --workers 2 --chunk-size 2"
    )
    done = read_lines(out)
    assert 0 < len(done) < 4000 and out.read_bytes().endswith(b"\n")
    rerun = run_batch(str(src), str(out), method="lead", workers=2, progress=False)
    assert rerun.skipped == len(done) and len(by_id(out)) == 4000


# --- engine internals ------------------------------------------------------------------------


def test_local_engine_keeps_a_bounded_number_of_chunks_in_flight(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(200))
    pulled = 0

    def counting() -> Iterator[list[Task]]:
        nonlocal pulled
        for chunk in Plan(str(src), chunk_size=2).chunks():
            pulled += 1
            yield chunk

    workers, done = 2, 0
    for _results in run_local(counting(), WorkerConfig("lead"), workers):
        done += 1
        assert pulled - done <= 2 * workers + 1
        time.sleep(0.002)  # a slow consumer must not make the reader run ahead
    assert done == pulled == 100


def test_chunks_are_cut_by_bytes_too(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(50))
    chunks = list(Plan(str(src), chunk_size=1000, chunk_bytes=2000).chunks())
    assert len(chunks) > 5 and all(sum(len(t.data) for t in c[:-1]) < 2000 for c in chunks)


def test_progress_bar_is_off_when_stderr_is_not_a_tty() -> None:
    assert not sys.stderr.isatty()  # pytest captures it
    assert not Progress(100).enabled
    assert not Progress(100, enabled=False).enabled


# --- the command -----------------------------------------------------------------------------


def test_cli_exit_0_when_all_succeed_and_no_progress_bar_off_a_tty(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(5))
    result = run_cli(str(src), str(tmp_path / "out.jsonl"), "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()]  # one summary line, no bar
    assert result.stderr.startswith("newsbrief: batch: 5 written, 0 failed")


def test_cli_progress_can_be_forced(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(5))
    result = run_cli(str(src), str(tmp_path / "out.jsonl"), "--workers", "1", "--progress")
    assert result.returncode == 0 and "records" in result.stderr and "/s" in result.stderr


def test_cli_exit_3_when_some_records_failed(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [*corpus(5), "{oops"])
    out = tmp_path / "out.jsonl"
    result = run_cli(str(src), str(out), "--workers", "1")
    assert result.returncode == 3
    assert result.stderr.splitlines()[-1] == f"newsbrief: error: 1 record(s) failed; reasons in {out}.errors.jsonl"
    assert len(read_lines(out)) == 5


def test_cli_timeout_with_a_plugin_method(tmp_path: Path) -> None:
    recs: list[Any] = corpus(6)
    recs[2] = {"id": "slow", "article": article_text(2, "SLOWDOWN now.")}
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    result = run_cli(str(src), str(out), "-m", "test-slow", "--timeout", "0.3", "--workers", "2", plugin_too=True)
    assert result.returncode == 3, result.stderr
    assert errors(out)["slow"]["error"] == "timed out after 0.3 s (--timeout)"
    assert len(read_lines(out)) == 5


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--method", "no-such-method"], 2, "unknown method 'no-such-method'"),
        (["--method", "lead:n=0"], 2, "method 'lead'"),
        (["--workers", "0"], 2, "--workers"),
        (["--engine", "spark"], 2, "--engine"),
        (["--timeout", "-1"], 2, "--timeout"),
        (["--ray-address", "auto"], 2, "--ray-address needs --engine ray"),
    ],
)
def test_cli_usage_errors_exit_2(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", corpus(1))
    result = run_cli(str(src), str(tmp_path / "out.jsonl"), *args)
    assert result.returncode == code
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("newsbrief: error:")
    assert message in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_cli_missing_input_exits_3_and_out_directory_exits_2(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "nope.jsonl"), str(tmp_path / "out.jsonl"))
    assert result.returncode == 3 and "no such file" in result.stderr
    result = run_cli(str(tmp_path / "*.nothing"), str(tmp_path / "out.jsonl"))
    assert result.returncode == 3 and "no files match" in result.stderr
    src = write_jsonl(tmp_path / "in.jsonl", corpus(1))
    result = run_cli(str(src), str(tmp_path))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1


def test_library_errors_before_any_output(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        run_batch(str(tmp_path / "missing.jsonl"), str(tmp_path / "out.jsonl"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="has no files"):
        run_batch(str(tmp_path / "empty"), str(tmp_path / "out.jsonl"))
    with pytest.raises(UsageError, match="plain JSONL"):
        run_batch(str(write_jsonl(tmp_path / "in.jsonl", corpus(1))), str(tmp_path / "out.jsonl.gz"))
    assert not (tmp_path / "out.jsonl").exists()


def test_ray_places_the_hf_method_on_gpus_when_the_cluster_has_them() -> None:
    from newsbrief.batch.ray_engine import placement
    from newsbrief.batch.worker import WorkerConfig

    hf = WorkerConfig("hf", {"model": "m"})
    config, resources = placement(hf, {"CPU": 16.0, "GPU": 2.0})
    assert resources == {"num_cpus": 1, "num_gpus": 1} and config.settings["device"] == "cuda"
    config, resources = placement(WorkerConfig("hf", {"model": "m", "device": "cuda:1"}), {"GPU": 1.0})
    assert config.settings["device"] == "cuda:1"
    assert placement(hf, {"CPU": 16.0}) == (hf, {"num_cpus": 1})
    lead = WorkerConfig("highlights")
    assert placement(lead, {"CPU": 16.0, "GPU": 2.0}) == (lead, {"num_cpus": 1})


def test_out_dash_streams_records_to_stdout_and_errors_to_stderr(tmp_path: Path) -> None:
    """Regression (issue 13): `batch news -` was refused."""
    recs: list[Any] = corpus(5)
    recs.insert(2, {"id": "bad"})  # no text field
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    result = run_cli(str(src), "-", "-m", "lead", "--workers", "1")
    assert result.returncode == 3, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["id"] for r in lines) == [f"doc-{i}" for i in range(5)]
    assert '"id": "bad"' in result.stderr and "reasons in standard error" in result.stderr
