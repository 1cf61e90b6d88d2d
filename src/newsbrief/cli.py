"""The ``newsbrief`` command: a thin shell over the library.

Exit codes: 0 ok, 1 internal error, 2 usage error, 3 unreadable or unsupported input (for
JSON Lines: at least one record could not be read; the others are still processed), 4 backend
failure, 5 `check --strict` found the summary not consistent, 141 standard output was closed
by its reader (``| head``), as when a process is killed by SIGPIPE.
Errors are one line on stderr; set NEWSBRIEF_DEBUG=1 to see tracebacks.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from newsbrief import __version__
from newsbrief.article import Article, Summary
from newsbrief.batch.cli import batch_command
from newsbrief.cli_options import INPUT_PATH, method_option
from newsbrief.errors import InputError, NewsbriefError, UsageError
from newsbrief.evaluate.cli import evaluate_command
from newsbrief.ingest import FORMATS, Record, iter_records, open_source, parse_file, safejson
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES, limit_message
from newsbrief.service.cli import serve_command
from newsbrief.summarize import get_summarizer, methods
from newsbrief.summarize.explain import explain_table
from newsbrief.summarize.spec import parse_method

if TYPE_CHECKING:
    from newsbrief.faithfulness import FaithfulnessReport

OUTPUT_FORMATS = ("text", "json", "markdown")
EXIT_STDOUT_CLOSED = 128 + 13  # what a shell reports for a process killed by SIGPIPE


def _fail(message: str, code: int) -> None:
    with contextlib.suppress(OSError):  # stderr closed too: the exit code still tells
        click.echo(f"newsbrief: error: {message}", err=True)
    sys.exit(code)


def package_version() -> str:
    """The installed distribution's version (what pip knows), else the source tree's."""
    from importlib import metadata

    try:
        return metadata.version("newsbrief")
    except metadata.PackageNotFoundError:
        return __version__


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"newsbrief, version {package_version()}")
        ctx.exit()


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


def _input_options(f: Callable[..., Any]) -> Callable[..., Any]:
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
    return click.argument("file", type=INPUT_PATH)(f)


def _records(file: str, input_format: str, text_field: str, encoding: str | None, max_bytes: int) -> Iterator[Record]:
    return iter_records(file, format=input_format, text_field=text_field, encoding=encoding, max_bytes=max_bytes)


class _Runner:
    """Iterates records, reports bad ones on stderr and remembers whether any failed."""

    def __init__(self) -> None:
        self.failed = 0
        self.count = 0

    def articles(self, records: Iterator[Record]) -> Iterator[Article]:
        for record in records:
            self.count += 1
            if record.error is not None:
                self.failed += 1
                click.echo(f"newsbrief: error: {record.error}", err=True)
                continue
            assert record.article is not None
            yield record.article

    def finish(self) -> None:
        if self.failed:
            _fail(f"{self.failed} of {self.count} record(s) could not be read", InputError.exit_code)


def _dump(data: dict[str, Any], indent: int | None) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def cli() -> None:
    """Turn raw news (scraped pages, HTML, .story files, JSONL datasets) into structured
    articles and short, source-linked story highlights."""


@cli.command()
@_input_options
@click.option("--jsonl/--pretty", "jsonl", default=None, help="One JSON object per line (default for JSONL input).")
@click.option(
    "--analysis/--no-analysis",
    default=True,
    show_default=True,
    help="Add quotes with speakers, entities and numbers under 'analysis'.",
)
def parse(
    file: str,
    input_format: str,
    text_field: str,
    encoding: str | None,
    max_bytes: int,
    jsonl: bool | None,
    analysis: bool,
) -> None:
    """Print the structured article(s) in FILE (- for stdin) as JSON."""
    runner = _Runner()
    for article in runner.articles(_records(file, input_format, text_field, encoding, max_bytes)):
        one_line = jsonl if jsonl is not None else (article.input_format or "").startswith("jsonl")
        data = article.to_dict()
        if analysis:
            from newsbrief.analyze import analyze

            data["analysis"] = analyze(article).to_dict()
        click.echo(_dump(data, None if one_line else 2))
    runner.finish()


@cli.command()
@_input_options
@method_option
@click.option("--n", "n", type=click.IntRange(min=1), default=None, help="Number of highlights.")
@click.option("--max-words", type=click.IntRange(min=1), default=None, help="Word budget of the whole summary.")
@click.option("--model", default=None, help="Model name or path (hf, llm).")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint (llm), e.g. http://localhost:11434/v1.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Any method setting: --set target_words=40.")
@click.option("--check", "check_flag", is_flag=True, help="Attach a faithfulness report of the highlights.")
@click.option("--explain", is_flag=True, help="Show every sentence's score, parts and fate (highlights method).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default=None,
    help="Output: text (one highlight per line), json, markdown. Default: text, or JSON lines for JSONL input.",
)
def summarize(
    file: str,
    input_format: str,
    text_field: str,
    encoding: str | None,
    max_bytes: int,
    method: str,
    n: int | None,
    max_words: int | None,
    model: str | None,
    base_url: str | None,
    sets: tuple[str, ...],
    check_flag: bool,
    explain: bool,
    output_format: str | None,
) -> None:
    """Write highlights for the article(s) in FILE (- for stdin)."""
    name, settings = parse_method(method)
    if sets:
        settings.update(parse_method("set:" + ",".join(sets))[1])
    given = {"n": n, "max_words": max_words, "model": model, "base_url": base_url}
    settings.update({k: v for k, v in given.items() if v is not None})
    if explain:
        settings["explain"] = True
    summarizer = get_summarizer(name, **settings)
    runner = _Runner()
    for article in runner.articles(_records(file, input_format, text_field, encoding, max_bytes)):
        summary = summarizer.summarize(article)
        report = _check(article, summary) if check_flag else None
        many = (article.input_format or "").startswith("jsonl")
        fmt = output_format or ("json" if many else "text")
        click.echo(_render(article, summary, fmt, many, report))
        if explain and fmt != "json":  # JSON carries the same rows in settings["explain"]
            click.echo(explain_table(article, summary))
    runner.finish()


def _render(article: Article, summary: Summary, fmt: str, many: bool, report: FaithfulnessReport | None = None) -> str:
    if fmt == "json":
        data = {"id": article.id, **summary.to_dict()}
        data.pop("article_id", None)
        if report is not None:
            data["faithfulness"] = report.to_dict()
        return _dump(data, None if many else 2)
    if report is not None:
        return _render(article, summary, fmt, many) + "\n" + _report_text(report)
    if fmt == "markdown":
        title = article.title or article.id or "Highlights"
        bullets = "\n".join(f"- {h.text}" for h in summary.highlights)
        return f"## {title}\n\n{bullets}\n"
    lines = [h.text for h in summary.highlights]
    if many:
        lines = [f"# {article.id}", *lines, ""]
    return "\n".join(lines)


@cli.command("check")
@click.option("--article", "article_file", required=True, type=INPUT_PATH, help="The article (any input format).")
@click.option(
    "--summary",
    "summary_file",
    required=True,
    type=INPUT_PATH,
    help="The summary: plain text, or a newsbrief Summary JSON (- for stdin).",
)
@click.option(
    "--per-line", is_flag=True, help="Each line of the summary is one highlight (default: split into sentences)."
)
@click.option(
    "--input-format", "-f", type=click.Choice(FORMATS), default="auto", show_default=True, help="Article format."
)
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 5 when the verdict is not 'consistent'.")
def check_command(
    article_file: str, summary_file: str, per_line: bool, input_format: str, output_format: str, strict: bool
) -> None:
    """Check a summary (ours, BART's, an LLM's) against its article: unsupported names,
    numbers, dates, quotes, number and negation flips, and the best supporting span."""
    if article_file == "-" and summary_file == "-":
        raise UsageError("--article and --summary cannot both be stdin")
    article = parse_file(article_file, format=input_format)
    summary = _read_summary(summary_file, per_line)
    report = _check(article, summary)
    if output_format == "json":
        click.echo(_dump(report.to_dict(), 2))
    else:
        click.echo(_report_text(report))
    if strict and report.verdict != "consistent":
        sys.exit(5)


def _check(article: Article, summary: str | list[str] | Summary) -> FaithfulnessReport:
    from newsbrief.faithfulness import check  # imported on use: keeps start-up fast

    return check(article, summary)


def _read_summary(path: str, per_line: bool) -> str | list[str] | Summary:
    """The summary file, read like any input: a regular file or ``-``, at most the default
    ``--max-bytes`` (``/dev/zero`` or a FIFO must not hang ``check``)."""
    src = open_source(path)
    try:
        data = src.stream.read(DEFAULT_MAX_BYTES + 1)
        raw = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read summary {path}: {exc}") from None
    finally:
        src.close()
    if len(data) > DEFAULT_MAX_BYTES:
        raise InputError(limit_message("summary", src.size_text(len(data)), DEFAULT_MAX_BYTES, "a summary"))
    if not raw.strip():
        raise InputError("summary is empty")
    if raw.lstrip().startswith("{"):
        try:
            return Summary.from_dict(safejson.loads(raw))
        except (KeyError, TypeError, ValueError) as exc:  # JSONLimitError is a ValueError
            raise InputError(f"summary looks like JSON but is not a newsbrief Summary: {exc}") from None
    if per_line:
        return [line.strip() for line in raw.splitlines() if line.strip()]
    return raw


def _report_text(report: FaithfulnessReport) -> str:
    lines = [f"faithfulness: {report.verdict} (score {report.score:.2f})"]
    for sentence in report.sentences:
        lines.append(f"  [{sentence.score:.2f}] {sentence.text}")
        for issue in sentence.issues:
            lines.append(f"         ! {issue.kind}: {issue.text}" + (f" ({issue.detail})" if issue.detail else ""))
    return "\n".join(lines)


@cli.command("methods")
def list_methods() -> None:
    """List the summarization methods."""
    for name, description in methods().items():
        click.echo(f"{name:12} {description}")


cli.add_command(evaluate_command, "evaluate")
cli.add_command(serve_command, "serve")
cli.add_command(batch_command, "batch")


def main(args: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning library errors into exit codes and one-line messages.

    The context is made and invoked directly rather than through ``click``'s standalone
    ``main()``, which would print multi-line usage blocks and turn a closed pipe into exit 1.
    """
    argv = sys.argv[1:] if args is None else args
    if not argv:
        commands = ", ".join(sorted(cli.commands))
        _fail(f"missing command (one of: {commands}); see 'newsbrief --help'", 2)
    try:
        try:
            with cli.make_context("newsbrief", list(argv)) as ctx:
                cli.invoke(ctx)
        finally:
            sys.stdout.flush()  # a closed stdout is found here, not by the interpreter at exit
    except click.exceptions.Exit as exc:  # --help, --version
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.UsageError as exc:
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        _fail(f"{exc.format_message()}{where}", 2)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except NewsbriefError as exc:
        _fail(str(exc), exc.exit_code)
    except BrokenPipeError as exc:
        if not stdout_closed():  # a socket to a backend, not our output: an ordinary error
            _internal_error(exc)
        # Output piped into `head` and closed: end quietly with SIGPIPE's status. Point stdout
        # at /dev/null so the interpreter's final flush finds nothing to complain about.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_STDOUT_CLOSED)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # a bug: still one line, traceback on request
        _internal_error(exc)
    sys.exit(0)


def _internal_error(exc: Exception) -> None:
    if os.environ.get("NEWSBRIEF_DEBUG"):
        raise exc
    _fail(f"internal error: {type(exc).__name__}: {exc} (set NEWSBRIEF_DEBUG=1 for a traceback)", 1)
