"""What every command shares: inputs, outputs, formats, verbosity, one-line errors.

Why here and not in each command: users expect one tool to answer the same options the same
way (``-o``, ``--format``, ``-v``/``-q``, many inputs), so each is written once.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import click

from newsbrief import __version__
from newsbrief.cli.options import INPUT_PATH
from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import FORMATS, iter_records
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES
from newsbrief.ingest.jsonl import Record as InputRecord
from newsbrief.ingest.sources import expand

EXIT_STDOUT_CLOSED = 128 + 13  # what a shell reports for a process killed by SIGPIPE

# Verbosity: -1 quiet (errors only), 0 normal, 1+ verbose (per-record notes and timings on
# stderr). Kept in the click context's ``meta`` (shared by a command and its group), so a run
# never inherits another's.
_KEY = "newsbrief.verbosity"
_argv: list[list[str] | None] = [None]


def _meta() -> dict[str, Any]:
    ctx = click.get_current_context(silent=True)
    return ctx.meta if ctx is not None else {}


def set_verbosity(verbose: int, quiet: bool) -> None:
    meta = _meta()
    level = meta.get(_KEY, 0)
    if (quiet and level > 0) or (verbose and level < 0):
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")
    meta[_KEY] = -1 if quiet else max(level, verbose)


def verbosity() -> int:
    return int(_meta().get(_KEY, 0))


def reset(argv: Sequence[str] | None) -> None:
    """Per run of ``main``: the arguments, for "rerun ... to resume" hints."""
    _argv[0] = list(argv) if argv is not None else None


def command_line() -> str:
    """The command as the user typed it, for "rerun ... to resume" hints."""
    argv = _argv[0] if _argv[0] is not None else sys.argv[1:]
    return shlex.join(["newsbrief", *argv])


def say(message: str, *, level: int = 0) -> None:
    """A line on stderr when the verbosity is at least ``level`` (0: unless -q)."""
    if verbosity() >= level:
        with contextlib.suppress(OSError):
            click.echo(f"newsbrief: {message}", err=True)


def error_line(message: str) -> None:
    """An error is always shown, -q or not."""
    with contextlib.suppress(OSError):  # stderr closed too: the exit code still tells
        click.echo(f"newsbrief: error: {message}", err=True)


def fail(message: str, code: int) -> None:
    error_line(message)
    sys.exit(code)


def package_version() -> str:
    """The installed distribution's version (what pip knows), else the source tree's."""
    from importlib import metadata

    try:
        return metadata.version("newsbrief")
    except metadata.PackageNotFoundError:
        return __version__


def stdout_closed() -> bool:
    """Whether standard output is a pipe or socket whose reader has gone (``| head`` exited).

    Why ask the descriptor rather than trust a ``BrokenPipeError``: the error also comes from
    a socket to a backend, which is a real failure and must not end the run quietly.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    if not hasattr(select, "poll"):
        return True  # no poll (Windows): a broken pipe at this point is most likely stdout
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


# --- options -------------------------------------------------------------------------------


def _verbosity_callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if param.name == "verbose" and value:
        set_verbosity(value, False)
    elif param.name == "quiet" and value:
        set_verbosity(0, True)
    return value


def verbosity_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``-v``/``-q`` (on the group and, through ``add_verbosity``, on every command)."""
    f = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_verbosity_callback,
        help="Only errors on stderr (no notes, no run summary).",
    )(f)
    return click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_verbosity_callback,
        help="Per-record notes and stage timings on stderr.",
    )(f)


def add_verbosity(command: click.Command) -> None:
    """Give a command ``-v``/``-q`` too, so they work after the command name as well."""
    names = {opt for p in command.params for opt in getattr(p, "opts", ())}
    if "-v" in names or "-q" in names:
        return
    probe = verbosity_options(lambda: None)
    command.params.extend(probe.__click_params__)  # type: ignore[attr-defined]


def format_option(choices: Sequence[str], default: str | None, what: str) -> Callable[..., Any]:
    """``--format`` (alias ``--output-format``), the same spelling on every command."""
    return click.option(
        "--format",
        "--output-format",
        "output_format",
        type=click.Choice(tuple(choices)),
        default=default,
        show_default=default is not None,
        help=what,
    )


def output_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-o",
        "--output",
        "output",
        default=None,
        metavar="FILE|DIR/",
        help="Write to FILE instead of stdout; to an existing directory (or one ending in /): one file per record.",
    )(f)


def input_options(f: Callable[..., Any], *, urls: bool = True) -> Callable[..., Any]:
    """FILE... (paths, directories, globs, ``-``), ``-u URL``, format, field, encoding, size cap."""
    f = click.option(
        "--max-bytes",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="Largest article (or JSONL line) accepted, in bytes.",
    )(f)
    f = click.option(
        "--encoding", default=None, help="Force the input encoding (default: UTF-8, else Windows-1252 with a note)."
    )(f)
    f = click.option(
        "--text-field", default="article", show_default=True, help="JSONL field holding the article text."
    )(f)
    f = click.option(
        "--input-format",
        "-f",
        type=click.Choice(FORMATS),
        default="auto",
        show_default=True,
        help="Input format; auto detects from the file name and content.",
    )(f)
    if urls:
        f = click.option(
            "--allow-private-hosts",
            is_flag=True,
            help="Let --url reach private, loopback and link-local addresses (never cloud metadata).",
        )(f)
        f = click.option(
            "-u", "--url", "urls", multiple=True, metavar="URL", help="Fetch the article from URL (repeatable)."
        )(f)
    return click.argument("files", nargs=-1, type=INPUT_PATH)(f)


# --- inputs --------------------------------------------------------------------------------


class Inputs:
    """The records of every input, in the order given: ``many`` when output is one per line."""

    def __init__(
        self,
        files: Sequence[str],
        urls: Sequence[str] = (),
        *,
        input_format: str = "auto",
        text_field: str = "article",
        encoding: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_private_hosts: bool = False,
    ) -> None:
        if not files and not urls:
            raise UsageError("missing FILE (a path, directory, glob or - for stdin) or --url URL")
        if list(files).count("-") > 1:
            raise UsageError("- (stdin) can be given only once")
        self.files, self.urls = list(files), list(urls)
        self.input_format, self.text_field, self.encoding, self.max_bytes = (
            input_format,
            text_field,
            encoding,
            max_bytes,
        )
        self.allow_private_hosts = allow_private_hosts
        self.found = list(expand(self.files))  # InputError now for an input that names nothing
        self.many = len(self.found) + len(self.urls) > 1

    def records(self) -> Iterator[InputRecord]:
        for found in self.found:
            if found.error is not None:
                yield InputRecord(0, found.display, error=found.error)
                continue
            try:
                yield from iter_records(
                    found.path,
                    format=self.input_format,
                    text_field=self.text_field,
                    encoding=self.encoding,
                    max_bytes=self.max_bytes,
                )
            except InputError as exc:
                if not self.many:
                    raise  # one input: its error is the command's error (exit 3, one line)
                yield InputRecord(0, found.display, error=str(exc))
        for url in self.urls:
            from newsbrief.ingest.url import read_url

            try:
                article = read_url(
                    url,
                    format=self.input_format,
                    max_bytes=self.max_bytes,
                    encoding=self.encoding,
                    allow_private_hosts=self.allow_private_hosts,
                )
            except InputError as exc:
                if not self.many:
                    raise
                yield InputRecord(0, url, error=str(exc))
                continue
            yield InputRecord(1, article.id, article=article)


# --- outputs -------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Sink:
    """Where rendered records go: stdout, ``-o FILE``, or ``-o DIR/`` (one file per record)."""

    def __init__(self, output: str | None, extension: str) -> None:
        self.output, self.extension = output, extension
        self.directory = output is not None and (output.endswith(("/", os.sep)) or os.path.isdir(output))
        self._file: IO[str] | None = None
        self._names: set[str] = set()
        self.written: list[str] = []
        if output is None or output == "-":
            return
        try:
            if self.directory:
                os.makedirs(output, exist_ok=True)
            else:
                self._file = open(output, "w", encoding="utf-8")  # noqa: SIM115  (closed in close())
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None

    def write(self, text: str, rid: str | None = None) -> None:
        if self.directory:
            assert self.output is not None
            path = os.path.join(self.output, self._name(rid))
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text if text.endswith("\n") else text + "\n")
            except OSError as exc:
                raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
            self.written.append(path)
        elif self._file is not None:
            self._file.write(text if text.endswith("\n") else text + "\n")
        else:
            click.echo(text)

    def _name(self, rid: str | None) -> str:
        stem = _UNSAFE.sub("_", os.path.basename(rid or "")).strip("._") or "record"
        stem = stem[:150]
        name, n = f"{stem}{self.extension}", 1
        while name in self._names:
            n += 1
            name = f"{stem}-{n}{self.extension}"
        self._names.add(name)
        return name

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


EXTENSIONS = {"json": ".json", "jsonl": ".json", "text": ".txt", "markdown": ".md"}


class Tally:
    """Counts records and reports the bad ones on stderr; the run ends with exit 3 if any."""

    def __init__(self) -> None:
        self.failed = 0
        self.count = 0

    def good(self, records: Iterable[Any]) -> Iterator[Any]:
        """Pass good records through; an input error is reported and counted, any other
        error (a backend, a usage error) ends the run with its exit code."""
        for record in records:
            self.count += 1
            if record.error is None:
                yield record
                continue
            code = getattr(record, "exit_code", InputError.exit_code)
            if code != InputError.exit_code:
                fail(record.error, code)
            self.failed += 1
            error_line(record.error)

    def finish(self) -> None:
        if self.failed:
            fail(f"{self.failed} of {self.count} record(s) could not be read", InputError.exit_code)
