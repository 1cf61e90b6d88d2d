"""What to process: the input expanded into a stream of small, picklable tasks.

IN may be a JSONL file, an article file, a directory or a glob, each file optionally ``.gz``
or ``.zst``. Reading happens in one place (the parent process for the local engine, one read
task for Ray) so both engines see the same ids, the same errors and the same order. Tasks
carry raw bytes, not parsed articles: parsing is the expensive part and belongs to workers.

Why ids are decided here: resume skips ids already in OUT, so an id must be known before any
work is done, and it must be the same on every run: a JSON record's ``id``, else
``<file>:<line>`` (``stdin:<line>``), the rule of ``newsbrief.ingest.jsonl``, which reads
every line here; an article file's path as reached from IN.

Hostile trees: directories are walked in sorted order, each real directory at most once (a
symlink cycle ends there), each real file at most once (a ``**`` glob or two links to one file
give one record), and only regular files are opened (a FIFO or a device would hang the run);
anything that cannot be read is an ``error`` task, so it is reported, not lost.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import COMPRESSED, detect_format, file_kind, open_source, strip_codec
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES, limit_message
from newsbrief.ingest.jsonl import Line, decode_line, iter_lines

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


class Found(NamedTuple):
    """A file IN names: its path, the path as shown (ids, error records), or why it cannot be read."""

    path: str
    display: str
    error: str | None = None


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


def check_input(spec: str) -> None:
    """Fail early (exit 3) when IN names nothing readable, before OUT is touched."""
    if spec == "-":
        return
    if os.path.isdir(spec):
        if next(iter_files(spec), None) is None:
            raise InputError(f"{spec} has no files to read")
        return
    if os.path.exists(spec):
        mode = os.stat(spec).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"cannot read {spec}: {file_kind(mode)}, not a regular file (only - reads a stream)")
        if not os.access(spec, os.R_OK):
            raise InputError(f"cannot read {spec}: permission denied")
        _check_codec(spec)
        return
    if glob.has_magic(spec):
        if next(iter_files(spec), None) is None:
            raise InputError(f"no files match {spec}")
        return
    raise InputError(f"cannot read {spec}: no such file or directory")


class _Seen:
    """Real paths already visited in one expansion of IN: directories (so a symlink cycle or a
    second link to a directory is walked once) and files (so every file gives one record)."""

    def __init__(self, exclude: frozenset[str]) -> None:
        self.dirs: set[str] = set()
        self.files: set[str] = set(exclude)

    def first_file(self, path: str) -> bool:
        real = os.path.realpath(path)
        if real in self.files:
            return False
        self.files.add(real)
        return True


def iter_files(spec: str, exclude: frozenset[str] = frozenset()) -> Iterator[Found]:
    """Every file IN names, each real file once, in a deterministic order.

    Directories are walked recursively in sorted order, one directory listing in memory at a
    time, each real directory once; hidden files and directories are skipped. Glob matches
    are sorted; ``**`` does not descend into symlinked directories (``pathlib`` semantics).
    ``exclude``: real paths never yielded (OUT and its errors file).
    """
    seen = _Seen(exclude)
    if spec == "-":
        yield Found("-", "-")
    elif os.path.isdir(spec):
        yield from _walk(spec, seen)
    elif os.path.exists(spec):
        if seen.first_file(spec):
            yield Found(spec, os.path.normpath(spec))
    else:
        yield from _glob_files(spec, seen)


def _glob_files(spec: str, seen: _Seen) -> Iterator[Found]:
    for match in _glob(spec):
        if os.path.isdir(match):
            yield from _walk(match, seen)
        elif seen.first_file(match):
            yield _found(match, os.path.normpath(match))


def _glob(spec: str) -> list[str]:
    """Sorted matches of a glob. ``glob.glob(recursive=True)`` follows symlinked directories
    inside ``**`` (a cycle gives the same file 40 times, two cycles 2**40), so the pattern is
    matched with ``pathlib``, which does not; hidden names match only a pattern that asks."""
    parts = spec.replace(os.sep, "/").split("/")
    first = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = "/".join(parts[:first]) or ("/" if spec.startswith(("/", os.sep)) else ".")
    pattern = "/".join(p for p in parts[first:] if p)
    hidden_ok = any(p.startswith(".") for p in parts[first:])
    try:
        matches = Path(root).glob(pattern)
        found = [str(m) for m in matches if hidden_ok or not any(p.startswith(".") for p in m.relative_to(root).parts)]
    except (ValueError, NotImplementedError) as exc:
        raise UsageError(f"bad glob {spec!r}: {exc}") from None
    except OSError as exc:
        raise InputError(f"cannot read {spec}: {exc.strerror or exc}") from None
    return sorted(found)


def _walk(top: str, seen: _Seen) -> Iterator[Found]:
    real = os.path.realpath(top)
    if real in seen.dirs:
        return  # a symlink cycle, or a second way to the same directory
    seen.dirs.add(real)
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as exc:
        yield Found(top, _display(top), f"cannot list {_display(top)}: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, seen)
        elif seen.first_file(entry.path):
            yield _found(entry.path, _display(entry.path))


def _display(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _found(path: str, display: str) -> Found:
    """A file as found, with the reason it cannot be read when it is not a regular file (a
    FIFO, a socket, a device, a dangling link): reported as an error, never opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Found(path, display, f"cannot read {display}: {exc.strerror or exc}")
    if not stat.S_ISREG(mode):
        return Found(path, display, f"cannot read {display}: {file_kind(mode)}, not a regular file")
    return Found(path, display)


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
        limit = None if max_bytes is None else max_bytes + 1 - len(head)
        data = head + (src.stream.read() if limit is None else src.stream.read(max(limit, 0)))
        if max_bytes is not None and len(data) > max_bytes:
            error = limit_message("input", src.size_text(len(data)), max_bytes, "one article")
            yield Task(display, "error", display, error=error, pos=pos())
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


def _check_codec(path: str) -> None:
    if path.endswith(".zst"):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise UsageError("reading .zst input needs the zstandard package: pip install 'newsbrief[zstd]'") from None


__all__ = ["COMPRESSED", "Found", "Plan", "Task", "check_input", "file_tasks", "iter_files", "line_task", "total_bytes"]
