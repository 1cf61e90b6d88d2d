"""What to process: the input expanded into a stream of small, picklable tasks.

IN may be a JSONL file, an article file, a directory or a glob, each file optionally ``.gz``
or ``.zst``. Reading happens in one place (the parent process for the local engine, one read
task for Ray) so both engines see the same ids, the same errors and the same order. Tasks
carry raw bytes, not parsed articles: parsing is the expensive part and belongs to workers.

Why ids are decided here: resume skips ids already in OUT, so an id must be known before any
work is done, and it must be the same on every run: a JSON record's ``id``, else
``<file>:<line>``; an article file's path as reached from IN.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, cast

from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import detect_format
from newsbrief.ingest import rejoin_lines as _lines
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES, human_size

_SNIFF = 65536
COMPRESSED = (".gz", ".zst")
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
    files: list[tuple[str, str]] | None = field(default=None, repr=False)  # resolved (path, display)

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
        for path, display in self.files if self.files is not None else iter_files(self.spec, self.exclude):
            last = 0
            for task in file_tasks(path, display, text_field=self.text_field, max_bytes=self.max_bytes):
                last = task.pos
                task.pos += offset
                yield task
            offset += last


def check_input(spec: str) -> None:
    """Fail early (exit 3) when IN names nothing readable, before OUT is touched."""
    if spec == "-":
        return
    if os.path.isdir(spec):
        if next(_walk(spec, frozenset()), None) is None:
            raise InputError(f"{spec} has no files to read")
        return
    if os.path.exists(spec):
        if not os.access(spec, os.R_OK):
            raise InputError(f"cannot read {spec}: permission denied")
        _check_codec(spec)
        return
    if glob.has_magic(spec):
        if next(_glob_files(spec, frozenset()), None) is None:
            raise InputError(f"no files match {spec}")
        return
    raise InputError(f"cannot read {spec}: no such file or directory")


def iter_files(spec: str, exclude: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """``(path, display)`` for every file IN names; display is the path as reached from IN.

    Directories are walked recursively in sorted order, one directory listing in memory at a
    time; hidden files and directories are skipped. Glob matches are sorted.
    """
    if spec == "-":
        yield "-", "-"
    elif os.path.isdir(spec):
        yield from _walk(spec, exclude)
    elif os.path.exists(spec):
        yield spec, os.path.normpath(spec)
    else:
        yield from _glob_files(spec, exclude)


def _glob_files(spec: str, exclude: frozenset[str]) -> Iterator[tuple[str, str]]:
    for match in sorted(glob.glob(spec, recursive=True)):
        if os.path.isdir(match):
            yield from _walk(match, exclude)
        elif os.path.realpath(match) not in exclude:
            yield match, os.path.normpath(match)


def _walk(top: str, exclude: frozenset[str]) -> Iterator[tuple[str, str]]:
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"cannot list {top}: {exc.strerror or exc}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry.path, exclude)
        elif entry.is_file() and os.path.realpath(entry.path) not in exclude:
            yield entry.path, os.path.normpath(entry.path).replace(os.sep, "/")


def total_bytes(plan: Plan) -> int | None:
    """Size of all input on disk (compressed size for compressed files), for the progress bar."""
    total = 0
    for path, _ in plan.files if plan.files is not None else iter_files(plan.spec, plan.exclude):
        if path == "-":
            return None
        with contextlib.suppress(OSError):
            total += os.path.getsize(path)
    return total


def file_tasks(path: str, display: str, *, text_field: str, max_bytes: int | None) -> Iterator[Task]:
    """The tasks of one file: one per JSONL line, or one for an article file; never raises for
    an unreadable file (that is an ``error`` task) except for a missing optional codec."""
    try:
        raw, stream = _open(path)
    except OSError as exc:
        yield Task(display, "error", display, error=f"cannot read {display}: {exc.strerror or exc}")
        return
    name = _strip_codec(path)

    def pos() -> int:
        try:
            return raw.tell()
        except (OSError, ValueError):
            return 0

    try:
        head = stream.read(_SNIFF)
        fmt = detect_format(head.decode("utf-8", errors="replace"), name)
        if fmt == "jsonl":
            if not head.strip():
                yield Task(display, "error", display, error="input is empty", pos=pos())
                return
            for no, line in enumerate(_lines(head, stream), 1):
                if line.strip():
                    task = line_task(line, no, display, text_field=text_field, max_bytes=max_bytes)
                    task.pos = pos()
                    yield task
            return
        limit = None if max_bytes is None else max_bytes + 1 - len(head)
        data = head + (stream.read() if limit is None else stream.read(max(limit, 0)))
        if max_bytes is not None and len(data) > max_bytes:
            error = f"input is more than {human_size(max_bytes)}, the limit for one article (--max-bytes)"
            yield Task(display, "error", display, error=error, pos=pos())
            return
        yield Task(display, "file", display, data=data, pos=pos())
    except (OSError, EOFError, ValueError) as exc:  # a truncated or fake .gz/.zst, an I/O error
        yield Task(f"{display}:read-error", "error", display, error=f"cannot read {display}: {exc}", pos=pos())
    finally:
        if stream is not raw:
            stream.close()
        if path != "-":
            raw.close()


def line_task(raw: bytes, no: int, source: str, *, text_field: str, max_bytes: int | None) -> Task:
    """A JSONL line as a task; the JSON is parsed here only to learn the record's id."""
    fallback = f"{source}:{no}"
    if max_bytes is not None and len(raw) > max_bytes:
        return Task(
            fallback,
            "error",
            source,
            no,
            error=f"line is {human_size(len(raw))}, above the {human_size(max_bytes)} limit",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Task(fallback, "error", source, no, error=f"not valid UTF-8 (byte {exc.start})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Task(fallback, "error", source, no, error=f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(data, dict):
        return Task(fallback, "error", source, no, error=f"expected a JSON object, got {type(data).__name__}")
    rid = data.get("id")
    rid = fallback if rid is None or rid == "" else str(rid)
    return Task(rid, "jsonl", source, no, data=raw)


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


def _strip_codec(path: str) -> str:
    for ext in COMPRESSED:
        if path.endswith(ext):
            return path[: -len(ext)]
    return path


def _check_codec(path: str) -> None:
    if path.endswith(".zst"):
        _zstandard()


def _zstandard():  # type: ignore[no-untyped-def]
    try:
        import zstandard
    except ImportError:
        raise UsageError("reading .zst input needs the zstandard package: pip install 'newsbrief[zstd]'") from None
    return zstandard


def _open(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """``(raw file, decompressed stream)``; the raw file's position drives the progress bar."""
    if path == "-":
        return sys_stdin(), sys_stdin()
    raw = open(path, "rb")  # noqa: SIM115  (closed by file_tasks)
    if path.endswith(".gz"):
        return raw, cast(IO[bytes], gzip.GzipFile(fileobj=raw))
    if path.endswith(".zst"):
        try:
            zstandard = _zstandard()
        except UsageError:
            raw.close()
            raise
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return raw, cast(IO[bytes], io.BufferedReader(reader))
    return raw, raw


def sys_stdin() -> IO[bytes]:
    import sys

    return sys.stdin.buffer
