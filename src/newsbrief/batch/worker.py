"""The work itself: task in, one finished JSON line out. Shared by the local and Ray engines.

A ``WorkerState`` is built once per worker process (pool initializer, or a Ray actor's
constructor): its ``newsbrief.pipeline.Pipeline`` (the summarizer, the checker when asked) is
constructed there and reused for every document. Output lines are serialised here, not in the parent, so the
parent only appends bytes.

Per-document timeout (POSIX): ``setitimer(ITIMER_REAL)`` arms a SIGALRM whose handler raises
``DocumentTimeout`` inside the worker's main thread; Python code and the ``re`` engine are
interrupted at the deadline and the document becomes an error record. Where the work does not
run on the main thread (Ray actors), a watchdog thread raises the same exception in the
working thread (``PyThreadState_SetAsyncExc``), which interrupts Python code only. Native code that never
returns to the interpreter cannot be interrupted that way, so the local engine also arms a
per-chunk ``faulthandler`` watchdog that ends the worker process; the parent then retries that
chunk's documents one at a time and records the one that kills a worker again.
"""

from __future__ import annotations

import ctypes
import faulthandler
import importlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

from newsbrief.article import Article
from newsbrief.batch.sources import Task
from newsbrief.errors import NewsbriefError
from newsbrief.ingest import READERS
from newsbrief.pipeline import Record as PipelineRecord
from newsbrief.pipeline import failed

# Grace on top of a chunk's summed per-document budgets before the watchdog ends the worker.
HARD_GRACE_S = 10.0
# What every worker needs for its first document, imported once in the local engine's fork
# server so that each worker forked from it starts with them (the readers load on first use).
PRELOAD = ("newsbrief.batch.worker", "newsbrief.summarize", *READERS)


class Result(NamedTuple):
    """One outcome: ``status`` is ``ok`` or ``error`` (``line`` is the JSON line to append to
    OUT or to OUT.errors.jsonl) or ``skip`` (``n`` records were already done)."""

    status: str
    id: str
    line: bytes
    pos: int
    n: int = 1


class DocumentTimeout(Exception):
    """Raised by the SIGALRM handler when a document runs past ``--timeout``."""


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What a worker needs to build its state; small and picklable (shipped to every worker)."""

    method: str
    settings: dict[str, Any] = field(default_factory=dict)
    check: bool = False
    timeout: float | None = None
    text_field: str = "article"
    modules: tuple[str, ...] = ()  # modules to import first, e.g. where a plugin method is registered
    paths: tuple[str, ...] = ()  # sys.path entries those modules need (a spawned worker has the default path)
    hard_kill: bool = False  # local engine only: faulthandler watchdog per chunk


class WorkerState:
    """A worker's long-lived objects, built once: the summarizer, the checker, the alarm."""

    def __init__(self, config: WorkerConfig) -> None:
        for path in config.paths:
            if path not in sys.path:
                sys.path.append(path)
        for module in config.modules:
            importlib.import_module(module)
        from newsbrief.pipeline import MethodChoice, Pipeline

        self.config = config
        # --check asks for the report; without it the method decides (hf and llm check by default).
        self.pipeline = Pipeline(MethodChoice(config.method, dict(config.settings)), check=config.check or None)
        self._alarm_ready = False
        self._watchdog_thread: _ThreadWatchdog | None = None
        self._devnull: IO[str] | None = None

    def process_chunk(self, tasks: list[Task]) -> list[Result]:
        """Process a chunk; never raises for a bad document, only records it."""
        with self._watchdog(len(tasks)):
            return [self.process(task) for task in tasks]

    def process(self, task: Task) -> Result:
        if task.kind == "skip":
            return Result("skip", "", b"", task.pos, task.line or 0)
        if task.kind == "error":
            return error_result(task, task.error or "unreadable")
        try:
            with self._deadline():
                record = self.pipeline.run(lambda: self._article(task), id=task.id, source=task.source, line=task.line)
            if record.error is not None:
                return error_result(task, _strip_line(record.error, task.line))
            return Result("ok", task.id, record_line(record), task.pos)
        except DocumentTimeout:
            return error_result(task, f"timed out after {self.config.timeout:g} s (--timeout)")
        except NewsbriefError as exc:
            return error_result(task, _strip_line(str(exc), task.line))
        except RecursionError:
            return error_result(task, "internal error: RecursionError (document too deeply nested)")
        except Exception as exc:  # a bug in a method must not stop the run; the reason is kept
            return error_result(task, f"internal error: {type(exc).__name__}: {exc}")

    def _article(self, task: Task) -> Article:
        from newsbrief.ingest import parse_bytes, parse_text, strip_codec
        from newsbrief.ingest.jsonl import Line, decode_line, to_record

        if task.kind == "jsonl":
            item = decode_line(Line(task.line or 0, task.data, len(task.data)), task.source)
            record = to_record(item, lambda t: parse_text(t, format="auto"), text_field=self.config.text_field)
            if record.error is not None:
                raise NewsbriefError(record.error)
            assert record.article is not None
            article = record.article
        else:
            article = parse_bytes(task.data, format="auto", name=strip_codec(task.source), max_bytes=None)
        article.id = task.id
        return article

    @contextmanager
    def _deadline(self) -> Iterator[None]:
        timeout = self.config.timeout
        if not timeout:
            yield
            return
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            if not self._alarm_ready:
                signal.signal(signal.SIGALRM, _on_alarm)
                self._alarm_ready = True
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                yield
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            return
        # Not the main thread (a Ray actor runs its batches in a thread): signals cannot reach
        # us, so a watchdog thread raises the timeout in this thread asynchronously. That
        # interrupts Python code, not a long native call (a single regex match).
        if self._watchdog_thread is None:
            self._watchdog_thread = _ThreadWatchdog()
        self._watchdog_thread.arm(timeout)
        try:
            yield
        finally:
            self._watchdog_thread.disarm()

    @contextmanager
    def _watchdog(self, n: int) -> Iterator[None]:
        if not (self.config.hard_kill and self.config.timeout):
            yield
            return
        if self._devnull is None:
            self._devnull = open(os.devnull, "w")  # noqa: SIM115  (kept for the process's life)
        faulthandler.dump_traceback_later(n * self.config.timeout + HARD_GRACE_S, exit=True, file=self._devnull)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()


def _on_alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout()


class _ThreadWatchdog:
    """One daemon thread that raises ``DocumentTimeout`` in an armed thread past its deadline."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._armed: tuple[int, float] | None = None
        threading.Thread(target=self._run, name="newsbrief-timeout", daemon=True).start()

    def arm(self, seconds: float) -> None:
        with self._cv:
            self._armed = (threading.get_ident(), time.monotonic() + seconds)
            self._cv.notify()

    def disarm(self) -> None:
        with self._cv:
            self._armed = None
            self._cv.notify()

    def _run(self) -> None:
        with self._cv:
            while True:
                if self._armed is None:
                    self._cv.wait()
                    continue
                ident, deadline = self._armed
                left = deadline - time.monotonic()
                if left > 0:
                    self._cv.wait(left)
                    continue
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(DocumentTimeout))
                self._armed = None


def _strip_line(message: str, line: int | None) -> str:
    """Error records carry ``line`` as a field; drop the reader's ``line N:`` prefix."""
    prefix = f"line {line}: "
    return message[len(prefix) :] if line is not None and message.startswith(prefix) else message


def record_line(record: PipelineRecord) -> bytes:
    """The OUT line: the pipeline's one record shape, ``id`` first (resume reads it back
    without parsing the whole line), ``timings`` empty so two runs over the same input give
    byte-identical records whatever the engine."""
    return (record.to_json(timings=False) + "\n").encode("utf-8")


def error_result(task: Task, error: str) -> Result:
    data = failed(task.id, error, source=task.source, line=task.line).to_dict()
    return Result("error", task.id, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"), task.pos)


# --- the local engine's process-pool entry points (module level so they pickle by name) ---

_STATE: WorkerState | None = None
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
EXIT_PARENT_GONE = 75  # a worker that ended itself because the batch process is gone


def init_pool_worker(config: WorkerConfig, parent: Any = None) -> None:
    """Pool initializer: Ctrl-C is the parent's business; end with the parent; build the state once.

    ``parent``: the read end of a pipe whose only write end the batch process holds (see
    ``local.run_local``); it reaches EOF the moment that process dies, ``kill -9`` included.
    """
    global _STATE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if parent is not None:
        watch_parent(parent)
    _STATE = WorkerState(config)


def die_with_parent(parent: int | None = None) -> None:
    """Linux: have the kernel SIGKILL this process when its parent exits, even while it is
    stuck in native code. Under the forkserver the parent is the fork server, which exits
    when the batch process dies (its lifeline pipe closes), so the chain ends the workers.

    ``parent``: the pid the caller knows to be its parent (taken before the fork); by default
    ``os.getppid()`` now, which is already the reaper if the parent exited before this call."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid() if parent is None else parent
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(EXIT_PARENT_GONE)


def watch_parent(conn: Any) -> threading.Thread:
    """The portable fallback: a daemon thread blocks on ``conn``, which nobody writes to;
    EOF means every write end is closed, i.e. the batch process is gone, and the worker ends."""

    def watch() -> None:
        with suppress(EOFError, OSError):
            conn.recv_bytes()
        os._exit(EXIT_PARENT_GONE)

    thread = threading.Thread(target=watch, name="newsbrief-parent-watch", daemon=True)
    thread.start()
    return thread


def run_pool_chunk(tasks: list[Task]) -> list[Result]:
    assert _STATE is not None, "init_pool_worker did not run"
    return _STATE.process_chunk(tasks)
