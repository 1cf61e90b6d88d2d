"""The local engine: a process pool fed a bounded number of chunks at a time.

Memory bound: at most ``2 * workers + 1`` chunks are read ahead of the writer, and a chunk is
at most ``chunk_size`` records or about ``chunk_bytes`` of input, so memory does not grow with
the input. Results are yielded chunk by chunk as they complete (input order within a chunk;
chunks in completion order, which is input order with one worker).

A worker that dies (the per-chunk watchdog after native code ignored the alarm, a segfault,
the OOM killer) breaks the pool. The pool is rebuilt and the chunks that were in flight are
retried one document at a time, alone, so the document that kills a worker again is known
and recorded as an error; everything else completes.

Workers never outlive the batch process, even after ``kill -9`` of it: each worker gets the
read end of a pipe whose write end only this process holds, and a thread in the worker ends it
at EOF (``worker.watch_parent``); on Linux the kernel also kills it when its parent, the fork
server, exits, which the fork server does when this process dies (``worker.die_with_parent``).
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from newsbrief.batch.sources import Task
from newsbrief.batch.worker import PRELOAD, Result, WorkerConfig, error_result, init_pool_worker, run_pool_chunk


def mp_context() -> Any:
    """forkserver where it exists: workers start from a clean, preloaded server process, not
    from a copy of a parent that may hold threads (progress bar, Ray) or big state."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and sys.platform != "darwin":
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


def run_local(chunks: Iterator[list[Task]], config: WorkerConfig, workers: int) -> Generator[list[Result], None, None]:
    """Yield each chunk's results as chunks complete, never holding more than a few chunks."""
    max_inflight = 2 * workers + 1
    ctx = mp_context()
    lifeline, keep = ctx.Pipe(duplex=False)  # workers watch `lifeline`; only we hold `keep`

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=init_pool_worker, initargs=(config, lifeline)
        )

    pool = new_pool()
    inflight: dict[Future[list[Result]], tuple[list[Task], bool]] = {}
    isolate: deque[Task] = deque()  # documents of a chunk that was in flight when a worker died
    exhausted = False
    try:
        while True:
            if isolate:
                if not inflight:  # one at a time, alone: a second death names its document
                    task = isolate.popleft()
                    inflight[pool.submit(run_pool_chunk, [task])] = ([task], True)
            else:
                while not exhausted and len(inflight) < max_inflight:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    inflight[pool.submit(run_pool_chunk, chunk)] = (chunk, False)
            if not inflight:
                if exhausted and not isolate:
                    pool.shutdown(wait=True)
                    return
                continue
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            broken = False
            # In submission order (``inflight`` keeps it), not the set's: when several chunks are
            # done by the time we look, one worker's output must still follow the input.
            for future in [f for f in inflight if f in done]:
                chunk, alone = inflight.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        yield [
                            error_result(
                                chunk[0], "worker process died on this record (native code past --timeout, or a crash)"
                            )
                        ]
                    else:
                        isolate.extend(chunk)
                    continue
                yield results
            if broken:
                for future, (chunk, _alone) in inflight.items():
                    if future.done() and future.exception() is None:
                        yield future.result()  # finished before the pool broke
                    else:
                        isolate.extend(chunk)
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = new_pool()
    finally:
        _stop(pool)
        keep.close()
        lifeline.close()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut down without waiting on work nobody will read (Ctrl-C, an error in the parent)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
