"""``newsbrief batch``: the runner as a command.

Registered in the main group by ``newsbrief.cli``. Library
errors (``UsageError``/``InputError``) propagate so the main CLI maps them to exit codes 2
and 3; a run where some records failed ends with an ``InputError`` (exit 3) after every other
record was written. Ctrl-C ends with exit 130 and a line that says how many records OUT holds
and the command that resumes. Importing this module imports neither Ray nor rich.
"""

from __future__ import annotations

import click

from newsbrief.batch.runner import DEFAULT_CHUNK_SIZE, DEFAULT_TIMEOUT_S, ENGINES, run_batch
from newsbrief.cli.common import command_line, say
from newsbrief.cli.options import method_option
from newsbrief.errors import InputError
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES
from newsbrief.pipeline import resolve_method


@click.command("batch")
@click.argument("source", metavar="IN")
@click.argument("out", metavar="OUT", type=click.Path(dir_okay=False))
@method_option
@click.option("--check", is_flag=True, help="Add a faithfulness report ('check') to every record.")
@click.option(
    "--workers", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per CPU)."
)
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True, help="Where workers run.")
@click.option("--ray-address", default=None, metavar="ADDR", help="Ray cluster to join (with --engine ray), e.g. auto.")
@click.option("--text-field", default="article", show_default=True, help="JSONL field holding the article text.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds one document may take; past it the document is an error and the run goes on (0: no limit).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=None,
    help=f"Documents sent to a worker at a time (default: {DEFAULT_CHUNK_SIZE['local']} local, "
    f"{DEFAULT_CHUNK_SIZE['ray']} Ray).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest article (or JSONL line) accepted, in bytes.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when it is a terminal).")
def batch_command(
    source: str,
    out: str,
    method: str,
    check: bool,
    workers: int | None,
    engine: str,
    ray_address: str | None,
    text_field: str,
    timeout: float,
    chunk_size: int | None,
    max_bytes: int,
    progress: bool | None,
) -> None:
    """Summarize every article in IN into OUT (JSON lines), in parallel and resumably.

    IN is a JSONL file, an article file, a directory or a glob ('news/**/*.story'); .gz and
    .zst are read directly. Rerunning the same command after a crash or Ctrl-C skips the ids
    already in OUT. Records that fail go to OUT.errors.jsonl with the reason.
    """
    choice = resolve_method(method)  # a bad setting is exit 2 before OUT is touched
    try:
        result = run_batch(
            source,
            out,
            method=choice.name,
            settings=choice.settings,
            check=check,
            workers=workers,
            engine=engine,
            ray_address=ray_address,
            text_field=text_field,
            timeout=timeout or None,
            chunk_size=chunk_size,
            max_bytes=max_bytes,
            progress=progress,
        )
    except KeyboardInterrupt:
        done = _complete_lines(out)
        raise KeyboardInterrupt(
            f"interrupted: {done:,} record(s) done in {out}; rerun the same command to resume: {command_line()}"
        ) from None
    rate = result.processed / result.seconds if result.seconds > 0 else 0.0
    skipped = f", {result.skipped} already done" if result.skipped else ""
    say(
        f"batch: {result.written} written, {result.failed} failed{skipped} "
        f"in {result.seconds:.1f} s ({rate:,.0f} records/s, {result.engine} engine, {result.workers} workers)"
    )
    if result.failed:
        raise InputError(f"{result.failed} record(s) failed; reasons in {result.errors_path}")


def _complete_lines(path: str) -> int:
    """Records in OUT (complete lines), counted in blocks: OUT may be gigabytes."""
    count = 0
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                count += block.count(b"\n")
    except OSError:
        return 0
    return count
