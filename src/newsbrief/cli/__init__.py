"""The ``newsbrief`` command: a thin shell over the library (``newsbrief.pipeline``).

One module per command or group: ``parse``, ``summarize``, ``check``, ``methods`` here, and
``batch``, ``evaluate`` next to them; ``serve`` comes from ``newsbrief.service.cli``. No library
package imports this one.

Exit codes (``newsbrief.pipeline.ERRORS``): 0 ok, 1 internal error, 2 usage error, 3
unreadable or unsupported input (for many records: at least one could not be read; the
others are still processed), 4 backend failure, 5 ``check --strict`` found a summary not
consistent, 130 interrupted, 141 standard output was closed by its reader (``| head``), as
when a process is killed by SIGPIPE. Errors are one line on stderr; set NEWSBRIEF_DEBUG=1 to
see tracebacks.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from newsbrief.cli.common import (
    EXIT_STDOUT_CLOSED,
    add_verbosity,
    fail,
    package_version,
    reset,
    stdout_closed,
    verbosity_options,
)
from newsbrief.errors import NewsbriefError
from newsbrief.pipeline import exit_code

__all__ = ["EXIT_STDOUT_CLOSED", "cli", "main", "package_version", "stdout_closed"]


# Each command's module is imported when that command runs (or --help lists them all), not
# at start-up: ``summarize`` need not import the checker, evaluation, batch and the service,
# which were a third of a short run's CPU time. Plain imports inside functions, not importlib,
# so the import graph stays readable from the source.
def _parse() -> click.Command:
    from newsbrief.cli.parse import parse_command

    return parse_command


def _summarize() -> click.Command:
    from newsbrief.cli.summarize import summarize_command

    return summarize_command


def _check() -> click.Command:
    from newsbrief.cli.check import check_command

    return check_command


def _methods() -> click.Command:
    from newsbrief.cli.methods import methods_command

    return methods_command


def _evaluate() -> click.Command:
    from newsbrief.cli.evaluate import evaluate_command

    return evaluate_command


def _serve() -> click.Command:
    from newsbrief.service.cli import serve_command

    return serve_command


def _batch() -> click.Command:
    from newsbrief.cli.batch import batch_command

    return batch_command


COMMANDS: dict[str, Callable[[], click.Command]] = {
    "parse": _parse,
    "summarize": _summarize,
    "check": _check,
    "methods": _methods,
    "evaluate": _evaluate,
    "serve": _serve,
    "batch": _batch,
}


class _LazyGroup(click.Group):
    """A group whose commands are loaded by name on first use (with ``-v``/``-q`` added)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            command = COMMANDS[cmd_name]()
            add_verbosity(command)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"newsbrief, version {package_version()}")
        ctx.exit()


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@verbosity_options
def cli() -> None:
    """Turn raw news (scraped pages, HTML, .story files, JSONL datasets, URLs) into structured
    articles and short, source-linked story highlights."""


def main(args: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning library errors into exit codes and one-line messages.

    The context is made and invoked directly rather than through ``click``'s standalone
    ``main()``, which would print multi-line usage blocks and turn a closed pipe into exit 1.
    """
    argv = sys.argv[1:] if args is None else args
    reset(argv)
    if not argv:
        commands = ", ".join(sorted(COMMANDS))
        fail(f"missing command (one of: {commands}); see 'newsbrief --help'", 2)
    try:
        try:
            with cli.make_context("newsbrief", list(argv)) as ctx:
                cli.invoke(ctx)
        finally:
            sys.stdout.flush()  # a closed stdout is found here, not by the interpreter at exit
    except click.exceptions.Exit as exc:  # --help, --version
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        fail("aborted", 130)
    except click.UsageError as exc:
        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        fail(f"{exc.format_message()}{where}", 2)
    except click.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except NewsbriefError as exc:
        fail(str(exc), exit_code(exc))
    except BrokenPipeError as exc:
        if not stdout_closed():  # a socket to a backend, not our output: an ordinary error
            _internal_error(exc)
        # Output piped into `head` and closed: end quietly with SIGPIPE's status. Point stdout
        # at /dev/null so the interpreter's final flush finds nothing to complain about.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_STDOUT_CLOSED)
    except KeyboardInterrupt as exc:
        fail(str(exc) or "interrupted", 130)
    except Exception as exc:  # a bug: still one line, traceback on request
        _internal_error(exc)
    sys.exit(0)


def _internal_error(exc: Exception) -> None:
    if os.environ.get("NEWSBRIEF_DEBUG"):
        raise exc
    fail(f"internal error: {type(exc).__name__}: {exc} (set NEWSBRIEF_DEBUG=1 for a traceback)", 1)
