"""Worker processes for the CPU work of requests; a request out of time is stopped by killing its worker.

Why processes and not threads: a thread cannot be stopped, so a request that outlives its time
limit keeps its core busy after the client got its 504, and a few such requests stall every
other request (and shutdown). Here each job runs in one of ``size`` long-lived processes; the
caller waits on its pipe until the request's deadline and then kills that process and starts
a fresh one, so the work really stops and the next request finds a free worker.

A worker joins the idle queue only once it has said it is ready (its imports done): a request
that arrives while a killed worker's replacement is still starting goes to a worker that can
answer it, rather than spending its own deadline on someone else's start-up.

Workers start from a forkserver (a clean process with newsbrief preloaded, not a copy of the
threaded server), ignore Ctrl-C (the server stops them), and end when the server's end of the
pipe closes. What a worker sends back is plain data: ``("ok", value)`` or ``("error", kind,
message)``; exceptions never cross the pipe.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from newsbrief.ingest import READERS

__all__ = ["JobError", "JobTimeout", "WorkerPool"]

log = logging.getLogger(__name__)


class JobTimeout(Exception):
    """The job did not finish before its deadline (its worker was killed), or no worker was free."""


class JobError(Exception):
    """The job failed in the worker; ``kind`` is the service's error code for it."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


Handler = Callable[[Any], Any]

# How long a new worker may take to import newsbrief and say it is ready before it is
# given up (and replaced) as stuck; generous, since a loaded machine starts slowly.
START_TIMEOUT = 120.0


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and sys.platform != "darwin":
        ctx = multiprocessing.get_context("forkserver")
        # The readers load lazily (``ingest.READERS``): preloaded here, each worker shares them
        # instead of importing them on its first request.
        ctx.set_forkserver_preload(["newsbrief.service.pipeline", *READERS])
        return ctx
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, handler: Handler, environ: dict[str, str]) -> None:
    """A worker's life: answer jobs until the pipe closes. ``environ`` is the server's
    environment when the worker started (the forkserver's own may be older)."""
    os.environ.clear()
    os.environ.update(environ)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from newsbrief.errors import NewsbriefError
    from newsbrief.pipeline import error_code

    try:
        conn.send(("ready", os.getpid()))
    except (EOFError, OSError):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[Any, ...] = ("ok", handler(job))
        except NewsbriefError as exc:  # the one error table: its stable service code
            answer = ("error", error_code(exc), str(exc))
        except Exception as exc:  # a bug: the server logs it and answers 500
            logging.getLogger(__name__).exception("job failed in a worker")
            answer = ("error", "internal_error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the answer could not be pickled
            conn.send(("error", "internal_error", f"answer could not be sent: {type(exc).__name__}: {exc}"))


@dataclass(slots=True, eq=False)  # hashed by identity: the pool keeps a set of them
class _Worker:
    process: Any
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes running ``handler`` (a picklable module-level function)."""

    def __init__(self, size: int, handler: Handler) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size = size
        self._handler = handler
        self._ctx: Any = None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._ready = threading.Condition(self._lock)

    def _spawn(self) -> _Worker:
        if self._ctx is None:
            self._ctx = _context()
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_serve, args=(child, self._handler, dict(os.environ)), daemon=True, name="newsbrief-job"
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        threading.Thread(target=self._admit, args=(worker,), daemon=True, name="newsbrief-job-start").start()
        return worker

    def _admit(self, worker: _Worker) -> None:
        """Put ``worker`` in the idle queue once it says it is ready; replace it if it never does."""
        try:
            ready = worker.conn.poll(START_TIMEOUT) and worker.conn.recv()[0] == "ready"
        except (EOFError, OSError, TypeError, IndexError):
            ready = False
        if self._closed:
            return
        if not ready:
            log.error("a worker process did not start; starting another")
            self._retire(worker)
            self._spawn()
            return
        self._idle.put(worker)
        with self._ready:
            self._ready.notify_all()

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._spawn()  # joins the idle queue when ready

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def call(self, job: Any, timeout: float) -> Any:
        """Run ``job`` in a worker within ``timeout`` seconds (waiting for a free worker included)."""
        if self._closed:
            raise JobTimeout("the server is shutting down")
        self._start()
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=max(0.0, timeout))
        except queue.Empty:
            raise JobTimeout("no worker became free in time") from None
        replace = False
        try:
            try:
                worker.conn.send(job)
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    replace = True
                    raise JobTimeout("the job ran out of time and was stopped")
                answer = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                replace = True
                if self._closed:
                    raise JobTimeout("the server is shutting down") from None
                raise JobError("internal_error", "the worker process died on this request (out of memory?)") from None
        finally:
            if replace:
                self._retire(worker)
                if not self._closed:
                    self._spawn()  # joins the idle queue when ready
            elif not self._closed:
                self._idle.put(worker)
        if answer[0] == "ok":
            return answer[1]
        raise JobError(answer[1], answer[2])

    def start(self) -> None:
        """Start the workers now (the server does at start-up, so no request waits for it)."""
        self._start()

    def wait_ready(self, timeout: float = START_TIMEOUT) -> bool:
        """Block until every worker is idle and ready (start-up, tests); False if ``timeout`` passed first."""
        self._start()
        deadline = time.monotonic() + timeout
        with self._ready:
            while self._idle.qsize() < self.size:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return False
                self._ready.wait(left)
        return True

    def pids(self) -> set[int]:
        """Process ids of the live workers (for tests and the health page)."""
        with self._lock:
            return {w.process.pid for w in self._all}

    def close(self) -> None:
        """Stop every worker now (work in progress is abandoned: the server is stopping)."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
