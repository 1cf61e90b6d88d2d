"""OUT and OUT.errors.jsonl: append-only, one complete line per write, safe to kill at any time.

Resume protocol
---------------
* A run takes an exclusive ``flock`` on OUT, so two runs never append to the same file.
* Each record is one ``os.write`` of a whole line on an ``O_APPEND`` descriptor: the bytes
  reach the kernel before the next record starts, so a killed process loses at most the line
  being written. A kill can still cut that one line short, so on start a trailing partial line
  (anything after the last newline) is truncated away.
* The ids of the complete lines are read back and skipped. Records are written with ``id``
  first, so that read needs only the start of each line.
* OUT.errors.jsonl is rewritten by every run: a rerun retries every record that is not in
  OUT (a timeout may pass with a larger ``--timeout``), so its errors are recorded again and
  an error whose record later succeeded is never counted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import sys
from types import TracebackType

from newsbrief.errors import UsageError
from newsbrief.ingest import safejson

_ID = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*")')
_BLOCK = 1 << 16
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def errors_path(out: str) -> str:
    return f"{out}.errors.jsonl"


class ResumableOutput:
    """OUT plus its errors file. ``done`` holds the ids of the records OUT already has."""

    def __init__(self, out: str) -> None:
        if out.endswith((".gz", ".zst", ".bz2", ".xz")):
            raise UsageError(
                f"OUT must be a plain JSONL file that can be appended to (got {out}); compress it afterwards"
            )
        if os.path.isdir(out):
            raise UsageError(
                f"OUT {out} is a directory; give a file name such as {os.path.join(out, 'highlights.jsonl')}"
            )
        parent = os.path.dirname(out)
        try:
            if parent:
                os.makedirs(parent, exist_ok=True)
            self.fd = os.open(out, os.O_RDWR | os.O_CREAT | os.O_APPEND | _NONBLOCK, 0o644)
        except OSError as exc:
            raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(os.fstat(self.fd).st_mode):  # a FIFO cannot be resumed (or read back)
            os.close(self.fd)
            raise UsageError(f"OUT {out} is not a regular file; give a file name to append to")
        if _NONBLOCK:
            os.set_blocking(self.fd, True)
        self.path = out
        self.errors_path = errors_path(out)
        self.err_fd = -1
        try:
            _lock(self.fd, out)
            self.truncated = truncate_partial_line(self.fd)
            self.done = read_ids(self.fd, out)
            self.err_fd = os.open(self.errors_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o644)
        except BaseException:
            self.close()
            raise
        self.written = 0
        self.failed = 0

    def write(self, line: bytes) -> None:
        _write_all(self.fd, line)
        self.written += 1

    def write_error(self, line: bytes) -> None:
        _write_all(self.err_fd, line)
        self.failed += 1

    def close(self) -> None:
        for fd in (self.fd, self.err_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.fsync(fd)
                os.close(fd)
        self.fd = self.err_fd = -1

    def __enter__(self) -> ResumableOutput:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class StreamOutput:
    """OUT ``-``: records to standard output, error records to standard error, nothing to
    resume from (a pipe cannot be read back), so every record is processed."""

    def __init__(self) -> None:
        self.path = "-"
        self.errors_path = "standard error"
        self.truncated = 0
        self.done: set[str] = set()
        self.written = 0
        self.failed = 0
        self.fd = sys.stdout.fileno()
        self.err_fd = sys.stderr.fileno()

    def write(self, line: bytes) -> None:
        _write_all(self.fd, line)
        self.written += 1

    def write_error(self, line: bytes) -> None:
        _write_all(self.err_fd, line)
        self.failed += 1

    def close(self) -> None:
        pass

    def __enter__(self) -> StreamOutput:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def open_output(out: str) -> ResumableOutput | StreamOutput:
    """``-``: stream to stdout (no resume); anything else: a resumable file."""
    return StreamOutput() if out == "-" else ResumableOutput(out)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _lock(fd: int, out: str) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise UsageError(f"{out} is in use by another newsbrief batch run") from None


def truncate_partial_line(fd: int) -> int:
    """Cut whatever follows the last newline (a line a killed run did not finish); return how many bytes."""
    size = os.lseek(fd, 0, os.SEEK_END)
    end = size
    while end > 0:
        start = max(0, end - _BLOCK)
        os.lseek(fd, start, os.SEEK_SET)
        block = os.read(fd, end - start)
        nl = block.rfind(b"\n")
        if nl >= 0:
            keep = start + nl + 1
            break
        end = start
    else:
        keep = 0
    if keep < size:
        os.ftruncate(fd, keep)
    return size - keep


def read_ids(fd: int, out: str) -> set[str]:
    """Ids of the complete records in OUT; refuses a file that is not batch output."""
    ids: set[str] = set()
    with os.fdopen(os.dup(fd), "rb") as f:
        f.seek(0)
        for no, line in enumerate(f, 1):
            if not line.strip():
                continue
            m = _ID.match(line)
            if m:
                ids.add(json.loads(m.group(1)))
                continue
            try:
                data = safejson.loads(line)
            except safejson.JSONLimitError:  # not JSON, too deep, not UTF-8
                data = None
            if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                raise UsageError(f"{out} line {no} is not a newsbrief batch record; refusing to append to it")
            ids.add(data["id"])
    return ids
