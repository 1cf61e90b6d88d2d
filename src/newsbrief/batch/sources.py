"""What to process: the input expanded into a stream of small, picklable tasks.

IN may be a JSONL file, an article file, a directory or a glob, each file optionally ``.gz``
or ``.zst``. Reading happens in one place (the parent process for the local engine, one read
task for Ray) so both engines see the same ids, the same errors and the same order. Tasks
carry raw bytes, not parsed articles: parsing is the expensive part and belongs to workers.

Why ids are decided here: resume skips ids already in OUT, so an id must be known before any
work is done, and it must be the same on every run: a JSON record's ``id``, else
``<file>:<line>`` (``stdin:<line>``), the rule of ``newsbrief.ingest.jsonl``, which reads
every line here; an article file's path as reached from IN.

Which files IN names (directories, globs, hostile trees) is ``newsbrief.ingest.sources``'s
business, shared with the command line; anything that cannot be read is an ``error`` task, so
it is reported, not lost.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from newsbrief.errors import InputError
from newsbrief.ingest import COMPRESSED, detect_format, open_source, read_whole, strip_codec
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES
from newsbrief.ingest.jsonl import Line, decode_line, iter_lines
from newsbrief.ingest.sources import Found, check_input, iter_files

_SNIFF = 65536
# A chunk is cut early once its payload passes this many bytes, so in-flight memory stays
# bounded by (chunks in flight) x (this) even when articles are large.
DEFAULT_CHUNK_BYTES = 8_000_000


@dataclass(slots=True)
class Task:
    """One unit of work. ``kind``: ``jsonl`` (a raw JSON line), ``file`` (a whole article file),
    ``error`` (could not even be read; ``error`` says why) or ``skip`` (``line`` records already
    done in OUT, coalesced, so progress and counts stay right without shipping them)."""

    id: str
    kind: str
    source: str
    line: int | None = None
    data: bytes = b""
    error: str | None = None
    pos: int = 0  # input bytes consumed when this task was made, for the progress bar


@dataclass(slots=True)
class Plan:
    """Everything needed to produce the task stream; picklable so a Ray read task can run it."""

    spec: str
    text_field: str = "article"
    max_bytes: int | None = DEFAULT_MAX_BYTES
    done: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()  # real paths never read (OUT and its errors file)
    chunk_size: int = 64
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    files: list[Found] | None = field(default=None, repr=False)  # resolved files

    def tasks(self) -> Iterator[Task]:
        """Every input record in input order, done ones coalesced into ``skip`` tasks."""
        return dedupe(self._raw_tasks(), self.done)

    def chunks(self) -> Iterator[list[Task]]:
        """The task stream cut into chunks of at most ``chunk_size`` tasks / ``chunk_bytes`` bytes."""
        chunk: list[Task] = []
        size = 0
        for task in self.tasks():
            chunk.append(task)
            size += len(task.data)
            if len(chunk) >= self.chunk_size or size >= self.chunk_bytes:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    def _raw_tasks(self) -> Iterator[Task]:
        offset = 0
        for found in self.files if self.files is not None else iter_files(self.spec, self.exclude):
            if found.error is not None:
                yield Task(found.display, "error", found.display, error=found.error, pos=offset)
                continue
            last = 0
            for task in file_tasks(found.path, found.display, max_bytes=self.max_bytes):
                last = task.pos
                task.pos += offset
                yield task
            offset += last


def total_bytes(plan: Plan) -> int | None:
    """Size of all input on disk (compressed size for compressed files), for the progress bar."""
    total = 0
    for found in plan.files if plan.files is not None else iter_files(plan.spec, plan.exclude):
        if found.path == "-":
            return None
        with contextlib.suppress(OSError):
            total += os.path.getsize(found.path)
    return total


def file_tasks(path: str, display: str, *, max_bytes: int | None) -> Iterator[Task]:
    """The tasks of one file: one per JSONL line, or one for an article file; never raises for
    an unreadable file (that is an ``error`` task) except for a missing optional codec."""
    try:
        src = open_source(path, max_bytes=max_bytes)
    except InputError as exc:
        yield Task(display, "error", display, error=str(exc).replace(path, display))
        return

    def pos() -> int:
        try:
            return src.raw.tell()
        except (OSError, ValueError):
            return 0

    try:
        head = src.stream.read(_SNIFF)
        fmt = detect_format(head.decode("utf-8", errors="replace"), strip_codec(path))
        if fmt == "jsonl":
            if not head.strip():
                yield Task(display, "error", display, error="input is empty", pos=pos())
                return
            for line in iter_lines(src.stream, head, max_bytes=max_bytes):
                task = line_task(line, display, max_bytes=max_bytes)
                task.pos = pos()
                yield task
            return
        try:
            data = read_whole(src, head, max_bytes)  # the one size check and message
        except InputError as exc:
            yield Task(display, "error", display, error=str(exc), pos=pos())
            return
        yield Task(display, "file", display, data=data, pos=pos())
    except (OSError, EOFError, InputError) as exc:  # a truncated or fake .gz/.zst, a bomb, an I/O error
        error = str(exc) if isinstance(exc, InputError) else f"cannot read {display}: {exc}"
        yield Task(f"{display}:read-error", "error", display, error=error, pos=pos())
    finally:
        src.close()


def line_task(line: Line, source: str, *, max_bytes: int | None) -> Task:
    """A JSONL line as a task; the JSON is decoded here only to learn the record's id (the
    ``newsbrief.ingest.jsonl`` rules: limits, id fallback, messages)."""
    item = decode_line(line, source, max_bytes=max_bytes)
    if item.error is not None:
        return Task(item.id, "error", source, line.no, error=item.error)
    return Task(item.id, "jsonl", source, line.no, data=line.data or b"")


def dedupe(tasks: Iterator[Task], done: frozenset[str] | set[str]) -> Iterator[Task]:
    """Skip ids already done; turn a repeated id into an error so every output id is unique.

    Memory: one set entry per id seen (ids only, never article text).
    """
    seen: set[str] = set()
    skipped = 0
    pos = 0
    for task in tasks:
        pos = task.pos
        if task.id in seen:
            where = f"{task.source}:{task.line}" if task.line is not None else task.source
            msg = f"duplicate id {task.id!r} (an earlier record has it; ids must be unique)"
            task = Task(f"{where}#duplicate", "error", task.source, task.line, error=msg, pos=task.pos)
            if task.id in seen:
                continue
        seen.add(task.id)
        if task.id in done:
            skipped += 1
            continue
        if skipped:
            yield Task("", "skip", "", skipped, pos=pos)
            skipped = 0
        yield task
    if skipped:
        yield Task("", "skip", "", skipped, pos=pos)


__all__ = ["COMPRESSED", "Found", "Plan", "Task", "check_input", "file_tasks", "iter_files", "line_task", "total_bytes"]
