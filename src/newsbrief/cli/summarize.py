"""``newsbrief summarize``: highlights of every article given, through ``newsbrief.pipeline``."""

from __future__ import annotations

import click

from newsbrief.cli.check import report_text
from newsbrief.cli.common import (
    EXTENSIONS,
    Inputs,
    Sink,
    Tally,
    format_option,
    input_options,
    output_option,
    say,
    verbosity,
)
from newsbrief.cli.options import method_option
from newsbrief.pipeline import Pipeline, Record, highlight_lines, resolve_method
from newsbrief.summarize.explain import explain_table
from newsbrief.summarize.spec import parse_method

FORMATS = ("text", "json", "jsonl", "markdown")


@click.command("summarize")
@input_options
@method_option
@click.option("--n", "n", type=click.IntRange(min=1), default=None, help="Number of highlights.")
@click.option("--max-words", type=click.IntRange(min=1), default=None, help="Word budget of the whole summary.")
@click.option("--model", default=None, help="Model name or path (hf, llm).")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint (llm), e.g. http://localhost:11434/v1.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Any method setting: --set target_words=40.")
@click.option("--check", "check_flag", is_flag=True, help="Attach a faithfulness report of the highlights.")
@click.option("--explain", is_flag=True, help="Show every sentence's score, parts and fate (highlights method).")
@format_option(
    FORMATS,
    None,
    "text (one highlight per line), json, jsonl, markdown. Default: text for one article, "
    "JSON lines for many (several inputs, a directory, a JSONL dataset).",
)
@output_option
def summarize_command(
    files: tuple[str, ...],
    urls: tuple[str, ...],
    allow_private_hosts: bool,
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
    output: str | None,
) -> None:
    """Write highlights for the article(s) in FILE... (paths, directories, globs, - for stdin) or at --url."""
    overrides = parse_method("set:" + ",".join(sets))[1] if sets else {}
    overrides.update({"n": n, "max_words": max_words, "model": model, "base_url": base_url})
    if explain:
        overrides["explain"] = True
    choice = resolve_method(method, overrides)  # a bad setting is exit 2 before any input is read
    inputs = Inputs(
        files,
        urls,
        input_format=input_format,
        text_field=text_field,
        encoding=encoding,
        max_bytes=max_bytes,
        allow_private_hosts=allow_private_hosts,
    )
    pipeline = Pipeline(choice, check=True if check_flag else None)
    tally = Tally()
    verbose = verbosity() >= 1  # asked once: the per-record line is built only when shown
    with Sink(output, EXTENSIONS.get(output_format or "json", ".json")) as sink:
        for record in tally.good(pipeline.run_all(inputs.records())):
            assert record.article is not None
            many = inputs.many or (record.article.input_format or "").startswith("jsonl")
            fmt = output_format or ("json" if sink.directory else "jsonl" if many else "text")
            sink.write(render(record, fmt, many=many and not sink.directory, explain=explain), record.id)
            if verbose:
                timings = ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in record.timings.items())
                say(f"{record.id}: {timings}; notes: {'; '.join(record.notes) or 'none'}", level=1)
    tally.finish()


def render(record: Record, fmt: str, *, many: bool, explain: bool = False) -> str:
    """One record as the user asked for it; JSON is ``Record.to_dict``, the one shape."""
    if fmt in ("json", "jsonl"):
        return record.to_json(indent=2 if fmt == "json" and not many else None)
    article, summary = record.article, record.summary
    assert article is not None and summary is not None
    if fmt == "markdown":
        title = article.title or article.id or "Highlights"
        bullets = "\n".join(highlight_lines(summary, markdown=True))
        out = f"## {title}\n\n{bullets}\n"
    else:
        lines = highlight_lines(summary)
        if many:
            lines = [f"# {article.id}", *lines, ""]
        out = "\n".join(lines)
    if record.faithfulness is not None:
        out += "\n" + report_text(record.faithfulness)
    if explain:
        out += "\n" + explain_table(article, summary)
    return out
