"""Hostile input on the command line (issue 11): every case gets its documented exit code and
a one-line message, never a crash, a hang or a lost record. Each reported case is kept as a
regression test. Run for real in subprocesses where the case is about the process (pipes,
FIFOs, kill -9); in-process where a condition must be simulated (permission denied as root).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from test_cli import PREFIX, SEED, _env, assert_one_line_error, run_cli

import newsbrief
from newsbrief.batch import worker
from newsbrief.cli import main, package_version

FIXTURES = Path(__file__).parents[1] / "fixtures"
PLUGIN_DIR = FIXTURES / "batch"
DEEP = "[" * 100_000 + "]" * 100_000
LINUX = sys.platform.startswith("linux")


def record(rid: str, i: int = 0) -> str:
    text = f"The council of Townville {i} approved a new budget on Monday. Mayor Jane Smith said it was fair."
    return json.dumps({"id": rid, "article": text, "highlights": "The council approved a budget."})


def deep_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join([record("first"), DEEP, record("last", 1)]) + "\n", encoding="utf-8")
    return path


def ids(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines()]


def run_main(*args: str | Path) -> int:
    """The CLI in this process (so a condition can be monkeypatched); returns the exit code."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    return int(exit_info.value.code or 0)


# --- 1. a line nested 100,000 deep is one bad record ------------------------------------------


@pytest.mark.parametrize("command", ["parse", "summarize"])
def test_deep_line_is_a_per_record_error_and_the_rest_is_written(tmp_path: Path, command: str) -> None:
    """Regression: RecursionError aborted the run (exit 1) and the later records were lost."""
    result = run_cli(command, deep_jsonl(tmp_path))
    assert result.code == 3, result
    assert ids(result.out) == ["first", "last"]
    assert "Traceback" not in result.err and all(line.startswith(PREFIX) for line in result.err_lines)
    assert result.err_lines[0] == f"{PREFIX} line 2: JSON nested deeper than 64 levels"


def test_batch_deep_line_is_an_error_record(tmp_path: Path) -> None:
    src, out = deep_jsonl(tmp_path), tmp_path / "out.jsonl"
    result = run_cli("batch", src, out, "-m", "lead", "--workers", "1")
    assert result.code == 3, result
    assert ids(out.read_text(encoding="utf-8")) == ["first", "last"]
    (error,) = map(json.loads, Path(f"{out}.errors.jsonl").read_text(encoding="utf-8").splitlines())
    assert error == {
        "id": f"{src}:2",
        "source": str(src),
        "line": 2,
        "error": "JSON nested deeper than 64 levels",
        "error_code": "unreadable_input",
    }


def test_evaluate_deep_line_is_skipped_reported_and_exits_3(tmp_path: Path) -> None:
    pytest.importorskip("rouge_score")
    result = run_cli("evaluate", deep_jsonl(tmp_path), "--method", "lead")
    assert result.code == 3, result
    assert "| lead | ours |" in result.out  # the table of the two readable records
    assert result.err_lines[-1].startswith(f"{PREFIX} 1 record(s) of {tmp_path / 'deep.jsonl'} could not be read")
    assert "line 2: JSON nested deeper than 64 levels" in result.err_lines[-1]


# --- 3. FIFOs, devices, sockets: refused, never opened for a read that blocks ----------------


def _special(tmp_path: Path, kind: str) -> tuple[Path, Any]:
    if kind == "fifo":
        path = tmp_path / "in.jsonl"
        os.mkfifo(path)
        return path, None
    if kind == "socket":
        path = tmp_path / "in.sock"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.listen()
        return path, server
    return Path("/dev/zero"), None


@pytest.mark.parametrize("kind", ["fifo", "device", "socket"])
@pytest.mark.parametrize("command", ["parse", "summarize", "batch"])
def test_a_non_regular_file_is_refused_with_exit_3(tmp_path: Path, kind: str, command: str) -> None:
    """Regression: parse/batch of a FIFO or /dev/zero hung."""
    path, keep = _special(tmp_path, kind)
    try:
        extra = [str(tmp_path / "out.jsonl")] if command == "batch" else []
        line = assert_one_line_error(run_cli(command, path, *extra), 3)
    finally:
        if keep is not None:
            keep.close()
    assert str(path) in line
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("kind", ["fifo", "deep-line"])
def test_batch_out_that_cannot_be_resumed_is_a_usage_error(tmp_path: Path, kind: str) -> None:
    """Regression: OUT as a FIFO was an internal error (ESPIPE); a deeply nested line in an
    existing OUT crashed the resume scan (RecursionError)."""
    out = tmp_path / "out.jsonl"
    if kind == "fifo":
        os.mkfifo(out)
    else:
        out.write_text(DEEP + "\n", encoding="utf-8")
    line = assert_one_line_error(run_cli("batch", SEED, out, "-m", "lead", "--workers", "1"), 2)
    assert str(out) in line


def test_check_refuses_a_fifo_summary(tmp_path: Path) -> None:
    fifo = tmp_path / "summary.txt"
    os.mkfifo(fifo)
    line = assert_one_line_error(run_cli("check", "--article", SEED, "--summary", fifo), 3)
    assert "named pipe" in line


def test_only_dash_reads_stdin(tmp_path: Path) -> None:
    """/dev/stdin is a path: with a pipe behind it, it is a FIFO like any other."""
    data = (record("a") + "\n").encode()
    assert run_cli("parse", "-", stdin=data).code == 0
    line = assert_one_line_error(run_cli("parse", "/dev/stdin", stdin=data), 3)
    assert "not a regular file" in line


# --- 4. decompression bombs ------------------------------------------------------------------


def test_a_gzip_of_newlines_is_refused_after_the_records_before_it(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(record("first").encode() + b"\n" * 3_000_000 + record("last").encode(), 9))
    result = run_cli("parse", path, "--max-bytes", "1000", "--no-analysis")
    assert result.code == 3, result
    assert ids(result.out) == ["first"]
    assert len(result.err_lines) == 1 and "decompression bomb" in result.err_lines[0]


# --- 5. a closed stdout ends quietly; other broken pipes are errors ---------------------------


def test_a_broken_pipe_that_is_not_stdout_is_an_ordinary_error(tmp_path: Path) -> None:
    """Regression: any BrokenPipeError (a socket to a backend) became a silent exit 0."""
    code = (
        "import newsbrief.cli as cli, newsbrief.pipeline as pipeline\n"
        "class Broken:\n"
        "    def summarize(self, article): raise BrokenPipeError(32, 'Broken pipe')\n"
        "pipeline.get_summarizer = lambda name, **settings: Broken()\n"
        f"cli.main(['summarize', {str(SEED)!r}])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30, env=_env())
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.startswith(f"{PREFIX} internal error: BrokenPipeError") and len(err.splitlines()) == 1


# --- 6. batch workers end when the batch process is killed -----------------------------------


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                out[int(entry)] = (int(fields[1]), fields[0])
    return out


def _descendants(root: int) -> set[int]:
    table, found, frontier = _processes(), set(), {root}
    while frontier:
        frontier = {pid for pid, (ppid, _) in table.items() if ppid in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def _wait_for(condition: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


@pytest.mark.skipif(not LINUX, reason="reads the process tree from /proc")
def test_workers_end_when_the_batch_process_is_killed(tmp_path: Path) -> None:
    """Regression: after kill -9 of the batch parent its workers (children of the fork server)
    lived on. Every worker is busy in a 30 s document when the parent is killed."""
    src = tmp_path / "in.jsonl"
    text = "The council met on Monday. SLOWDOWN is here. The vote was seven to two."
    src.write_text("".join(json.dumps({"id": f"d{i}", "article": text}) + "\n" for i in range(8)), encoding="utf-8")
    code = (
        f"import sys; sys.path.insert(0, {str(PLUGIN_DIR)!r}); import newsbrief_batch_testplugin; "
        "from newsbrief.cli import main; main(['batch', *sys.argv[1:]])"
    )
    args = [str(src), str(tmp_path / "out.jsonl"), "-m", "test-slow", "--workers", "2", "--chunk-size", "1"]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args, "--timeout", "0"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def started() -> set[int]:  # the fork server and two workers below it (and the resource tracker)
            family = _descendants(proc.pid)
            return family if len(family) >= 3 else set()

        family = _wait_for(started, 30)
        assert len(family) >= 3, "the workers did not start"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        left = _wait_for(lambda: not _alive(family), 20)
        assert left, f"still running after the batch process was killed: {_alive(family)}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _watched_child(lifeline: Any, keep: Any) -> None:
    keep.close()  # a forked child got a copy of the write end; only the test may hold it
    worker.watch_parent(lifeline)
    threading.Event().wait(60)
    os._exit(0)  # not reached when the watcher works


def test_the_parent_watcher_ends_a_worker_when_the_write_end_closes() -> None:
    """The portable fallback alone (no prctl): EOF on the lifeline ends the process."""
    ctx = multiprocessing.get_context("fork")
    lifeline, keep = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_watched_child, args=(lifeline, keep))
    child.start()
    lifeline.close()
    keep.close()  # as if the batch process died
    child.join(timeout=20)
    try:
        assert child.exitcode == worker.EXIT_PARENT_GONE
    finally:
        if child.is_alive():
            child.kill()


def _grandparent(report: Any) -> None:
    me = os.getpid()  # before the fork: this process may exit before the child asks (a race)
    pid = os.fork()
    if pid == 0:
        worker.die_with_parent(me)
        threading.Event().wait(60)
        os._exit(0)
    report.send(pid)
    os._exit(0)  # the grandchild's parent is gone: the kernel must kill it


@pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG is Linux only")
def test_the_kernel_kills_a_worker_whose_parent_exits() -> None:
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    parent = ctx.Process(target=_grandparent, args=(send,))
    parent.start()
    grandchild = receive.recv()
    parent.join(timeout=10)
    try:
        assert _wait_for(lambda: not _alive({grandchild}), 20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(grandchild, signal.SIGKILL)


# --- 7. unreadable input and directories are input errors (3), not usage errors (2) ----------


@pytest.fixture
def unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A file that cannot be opened, as a non-root user sees a mode-000 file (tests run as root)."""
    path = tmp_path / "secret.jsonl"
    path.write_text(record("a") + "\n", encoding="utf-8")
    real_open, real_access = os.open, os.access

    def deny_open(name: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(name) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny_open)
    monkeypatch.setattr(os, "access", lambda name, mode, **kw: os.fspath(name) != str(path) and real_access(name, mode))
    yield path


@pytest.mark.parametrize(
    "args",
    [
        ["parse", "{path}"],
        ["summarize", "{path}"],
        ["check", "--article", "{path}", "--summary", "{path}"],
        ["check", "--article", str(SEED), "--summary", "{path}"],
        ["evaluate", "{path}"],
        ["evaluate", str(FIXTURES / "eval-references.jsonl"), "--pred", "{path}"],
        ["batch", "{path}", "{out}"],
    ],
    ids=["parse", "summarize", "check-article", "check-summary", "evaluate", "evaluate-pred", "batch"],
)
def test_permission_denied_exits_3(
    unreadable: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """Regression: click.Path's readable check made an unreadable file a usage error (exit 2)."""
    if args[0] == "evaluate":
        pytest.importorskip("rouge_score")
    filled = [a.format(path=unreadable, out=tmp_path / "out.jsonl") for a in args]
    assert run_main(*filled) == 3
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(PREFIX) and "ermission denied" in err[0]


@pytest.mark.parametrize("option", [[], ["--pred"]], ids=["data", "pred"])
def test_evaluate_of_a_directory_exits_3(tmp_path: Path, option: list[str]) -> None:
    pytest.importorskip("rouge_score")
    args = [str(FIXTURES / "eval-references.jsonl"), *option, str(tmp_path)] if option else [str(tmp_path)]
    line = assert_one_line_error(run_cli("evaluate", *args), 3)
    assert "is a directory" in line


# --- 8. codecs that are not text encodings -----------------------------------------------------


@pytest.mark.parametrize("codec", ["rot13", "base64", "idna", "zlib"])
def test_encoding_that_is_not_a_text_encoding_exits_3_naming_it(codec: str) -> None:
    line = assert_one_line_error(run_cli("summarize", SEED, "--encoding", codec), 3)
    assert f"'{codec}' is not a text encoding" in line


def test_encoding_is_checked_for_jsonl_input_too(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(record("a") + "\n", encoding="utf-8")
    assert_one_line_error(run_cli("parse", path, "--encoding", "hex"), 3)


# --- 9. --version ------------------------------------------------------------------------------


def test_version_comes_from_the_installed_distribution() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"newsbrief, version {metadata.version('newsbrief')}"


def test_version_falls_back_to_the_package_when_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert package_version() == newsbrief.__version__
