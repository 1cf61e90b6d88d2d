"""``run_batch``: IN -> OUT with resume, per-record errors, progress; the engines plug in here.

Everything that decides *what* is written (ids, skips, duplicates, record contents) is shared
by both engines; an engine only turns chunks of tasks into chunks of results.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from newsbrief.batch.output import open_output
from newsbrief.batch.progress import Progress
from newsbrief.batch.sources import Plan, check_input, total_bytes
from newsbrief.batch.worker import Result, WorkerConfig
from newsbrief.errors import UsageError
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES
from newsbrief.summarize.base import DEFAULT_METHOD

ENGINES = ("local", "ray")
DEFAULT_TIMEOUT_S = 60.0
# Documents per chunk. Ray pays milliseconds per batch (task dispatch, object store), so it
# gets bigger chunks; the local pool's per-chunk cost is a pickle over a pipe.
DEFAULT_CHUNK_SIZE = {"local": 32, "ray": 256}


@dataclass(slots=True)
class BatchResult:
    """What a run did. ``failed`` counts the records in OUT.errors.jsonl after this run."""

    out: str
    errors_path: str
    written: int = 0
    failed: int = 0
    skipped: int = 0
    truncated_bytes: int = 0
    seconds: float = 0.0
    engine: str = "local"
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def processed(self) -> int:
        return self.written + self.failed


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(
    source: str,
    out: str,
    *,
    method: str = DEFAULT_METHOD,
    settings: dict[str, Any] | None = None,
    check: bool = False,
    workers: int | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    text_field: str = "article",
    timeout: float | None = DEFAULT_TIMEOUT_S,
    chunk_size: int | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: bool | None = None,
) -> BatchResult:
    """Summarize every record of ``source`` into ``out`` (JSONL), resuming a previous run.

    Records whose id is already in ``out`` are skipped; records that fail go to
    ``out + ".errors.jsonl"`` and the run goes on. ``out="-"`` streams records to stdout and
    error records to stderr, with no resume. Raises ``UsageError`` for bad options and
    ``InputError`` when ``source`` cannot be read at all.
    """
    settings = dict(settings or {})
    workers = workers or default_workers()
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if ray_address and engine != "ray":
        raise UsageError("--ray-address needs --engine ray")
    chunk_size = chunk_size or DEFAULT_CHUNK_SIZE[engine]
    if workers < 1 or chunk_size < 1:
        raise UsageError("--workers and --chunk-size must be at least 1")
    if timeout is not None and timeout < 0:
        raise UsageError("--timeout must be positive (0 for no limit)")
    config = worker_config(
        method, settings, check=check, timeout=timeout or None, text_field=text_field, hard_kill=engine == "local"
    )
    check_input(source)
    if engine == "ray" and source == "-":
        raise UsageError("--engine ray cannot read stdin; give IN as a file, directory or glob")

    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        if engine == "ray":  # connect first: a missing extra or a dead cluster leaves OUT untouched
            from newsbrief.batch.ray_engine import ray_session

            stack.enter_context(ray_session(workers, ray_address))
        output = open_output(out)
        stack.enter_context(output)
        exclude = frozenset(os.path.realpath(p) for p in (out, output.errors_path) if out != "-")
        plan = Plan(
            source,
            text_field=text_field,
            max_bytes=max_bytes,
            done=frozenset(output.done),
            exclude=exclude,
            chunk_size=chunk_size,
        )
        result = BatchResult(out, output.errors_path, truncated_bytes=output.truncated, engine=engine, workers=workers)
        show = sys.stderr.isatty() if progress is None else progress
        bar = Progress(total_bytes(plan) if show and source != "-" else None, show)
        # Closed as the run ends, however it ends: on Ctrl-C anywhere in this loop the engine
        # stops its workers now (a generator left to the garbage collector kept the pool alive,
        # and the exit waited for the document in progress, up to --timeout).
        results_stream = stack.enter_context(contextlib.closing(_engine(plan, config, engine, workers, ray_address)))
        with bar:
            for results in results_stream:
                pos = 0
                for r in results:
                    if r.status == "ok":
                        output.write(r.line)
                    elif r.status == "error":
                        output.write_error(r.line)
                    else:
                        result.skipped += r.n
                    pos = r.pos
                bar.update(pos, output.written + output.failed + result.skipped, output.failed)
        result.written, result.failed = output.written, output.failed
    result.seconds = time.monotonic() - started
    return result


def _engine(
    plan: Plan, config: WorkerConfig, engine: str, workers: int, address: str | None
) -> Generator[list[Result], None, None]:
    if engine == "ray":
        from newsbrief.batch.ray_engine import run_ray

        return run_ray(plan, config, workers, address)
    from newsbrief.batch.local import run_local

    return run_local(plan.chunks(), config, workers)


def worker_config(
    method: str,
    settings: dict[str, Any],
    *,
    check: bool = False,
    timeout: float | None = None,
    text_field: str = "article",
    hard_kill: bool = False,
) -> WorkerConfig:
    """Validate method, settings and ``--check`` here, once, so a mistake is a usage error
    (exit 2) before any worker starts; and note the module that registers a plugin method so
    spawned workers and Ray actors import it too."""
    from newsbrief.summarize import get_summarizer
    from newsbrief.summarize.base import registering_module

    get_summarizer(method, **settings)
    modules: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    module = registering_module(method)
    if module and module != "__main__" and not module.startswith("newsbrief."):
        modules = (module,)
        root = _import_root(module)
        paths = (root,) if root else ()
    return WorkerConfig(
        method,
        settings,
        check=check,
        timeout=timeout,
        text_field=text_field,
        modules=modules,
        paths=paths,
        hard_kill=hard_kill,
    )


def _import_root(module: str) -> str | None:
    """The sys.path entry a module was imported from (``/x`` for ``/x/pkg/mod.py`` as ``pkg.mod``)."""
    file = getattr(sys.modules.get(module), "__file__", None)
    if not file:
        return None
    root = os.path.dirname(os.path.abspath(file))
    if os.path.basename(file).startswith("__init__."):
        root = os.path.dirname(root)
    for _ in range(module.count(".")):
        root = os.path.dirname(root)
    return root


__all__ = ["BatchResult", "ENGINES", "run_batch"]
