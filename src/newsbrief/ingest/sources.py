"""What the user named as input, expanded into files: one rule for the CLI, batch and evaluate.

An input is a path, ``-`` (standard input), a directory (walked) or a glob; each file may be
``.gz`` or ``.zst`` (``newsbrief.ingest.open_source`` decompresses, with its expansion cap).
Opening and reading, JSONL ids and the ``max_bytes`` check and message live in
``newsbrief.ingest`` and ``newsbrief.ingest.jsonl``; this module only decides *which* files.

Hostile trees: directories are walked in sorted order, each real directory at most once (a
symlink cycle ends there), each real file at most once (a ``**`` glob or two links to one file
give one record), and only regular files are opened (a FIFO or a device would hang the run);
a file that cannot be read is a ``Found`` with ``error`` set, so it is reported, not lost.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from newsbrief.article import Article, Summary
from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import file_kind
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES

__all__ = ["Found", "Pair", "check_input", "expand", "iter_files", "iter_pairs"]


class Found(NamedTuple):
    """A file IN names: its path, the path as shown (ids, error records), or why it cannot be read."""

    path: str
    display: str
    error: str | None = None


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


def _check_codec(path: str) -> None:
    if path.endswith(".zst"):
        try:
            import zstandard  # noqa: F401
        except ImportError:
            raise UsageError("reading .zst input needs the zstandard package: pip install 'newsbrief[zstd]'") from None


def expand(specs: Iterable[str], exclude: frozenset[str] = frozenset()) -> Iterator[Found]:
    """Every file of several inputs (``summarize a.txt b.txt``, a directory, a glob), in the
    order given; ``InputError`` first for an input that names nothing readable."""
    specs = list(specs)
    for spec in specs:
        check_input(spec)
    for spec in specs:
        yield from iter_files(spec, exclude)


@dataclass(slots=True)
class Pair:
    """One ``{id, article, summary}`` line of a dataset of summaries to check."""

    line: int
    id: str | None
    article: Article | None = None
    summary: str | list[str] | Summary | None = None
    label: Any = None  # the ``label_field`` value, passed through (hook for gold labels)
    error: str | None = None


def iter_pairs(
    source: str,
    *,
    text_field: str = "article",
    summary_field: str = "summary",
    label_field: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Iterator[Pair]:
    """Stream a JSONL of article/summary pairs, with the one JSONL reader's ids, limits and
    messages. The summary is a text, a list of highlight texts, or a newsbrief Summary object
    (``{"highlights": [{"text": ...}]}``); a bad line is a ``Pair`` with ``error`` set."""
    from newsbrief.ingest import open_source, parse_text
    from newsbrief.ingest.jsonl import decode_line, iter_lines, to_record

    check_input(source)
    src = open_source(source, max_bytes=max_bytes)
    count = 0
    try:
        for line in iter_lines(src.stream, max_bytes=max_bytes):
            count += 1
            item = decode_line(line, src.name, max_bytes=max_bytes)
            record = to_record(item, lambda t: parse_text(t, format="auto"), text_field=text_field)
            if record.error is not None:
                yield Pair(line.no, item.id, error=record.error)
                continue
            data = item.data or {}
            summary, problem = _pair_summary(data.get(summary_field), summary_field)
            if problem is not None:
                yield Pair(line.no, item.id, error=f"line {line.no}: {problem}")
                continue
            label = data.get(label_field) if label_field else None
            yield Pair(line.no, item.id, article=record.article, summary=summary, label=label)
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read {src.name or 'input'}: {exc}") from None
    finally:
        src.close()
    if count == 0:
        raise InputError(f"{source} has no JSON records")


def _pair_summary(value: Any, field_name: str) -> tuple[str | list[str] | Summary | None, str | None]:
    if isinstance(value, str) and value.strip():
        return value, None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value), None
    if isinstance(value, dict):
        try:
            return Summary.given(value), None
        except ValueError as exc:
            return None, f"field {field_name!r} is not a newsbrief Summary: {exc}"
    if value is None:
        return None, f"no summary field {field_name!r} (a text, a list of texts or a Summary object)"
    if isinstance(value, str) or value == []:
        return None, f"summary field {field_name!r} is empty"
    return None, f"summary field {field_name!r} is not a text, a list of texts or a Summary object"
