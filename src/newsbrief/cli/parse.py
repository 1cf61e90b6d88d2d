"""``newsbrief parse``: the structured article(s), with analysis, as JSON (or text, markdown)."""

from __future__ import annotations

import json
from typing import Any

import click

from newsbrief.cli.common import EXTENSIONS, Inputs, Sink, Tally, format_option, input_options, output_option, say
from newsbrief.pipeline import Pipeline, Record

FORMATS = ("json", "jsonl", "text", "markdown")


@click.command("parse")
@input_options
@click.option("--jsonl/--pretty", "jsonl", default=None, hidden=True, help="Old spelling of --format jsonl/json.")
@click.option(
    "--analysis/--no-analysis",
    default=True,
    show_default=True,
    help="Add quotes with speakers, entities and numbers under 'analysis'.",
)
@format_option(FORMATS, None, "json (indented; default for one article), jsonl (default for many), text, markdown.")
@output_option
def parse_command(
    files: tuple[str, ...],
    urls: tuple[str, ...],
    allow_private_hosts: bool,
    input_format: str,
    text_field: str,
    encoding: str | None,
    max_bytes: int,
    jsonl: bool | None,
    analysis: bool,
    output_format: str | None,
    output: str | None,
) -> None:
    """Print the structured article(s) in FILE... (paths, directories, globs, - for stdin) or at --url."""
    inputs = Inputs(
        files,
        urls,
        input_format=input_format,
        text_field=text_field,
        encoding=encoding,
        max_bytes=max_bytes,
        allow_private_hosts=allow_private_hosts,
    )
    if output_format is None and jsonl is not None:
        output_format = "jsonl" if jsonl else "json"
    pipeline = Pipeline(analyze=analysis)
    tally = Tally()
    with Sink(output, EXTENSIONS.get(output_format or "json", ".json")) as sink:
        for record in tally.good(pipeline.run_all(inputs.records())):
            assert record.article is not None
            many = inputs.many or (record.article.input_format or "").startswith("jsonl")
            fmt = output_format or ("json" if sink.directory or not many else "jsonl")
            sink.write(render(record, fmt, many=many and not sink.directory), record.id)
            say(f"{record.id}: {', '.join(record.article.notes) or 'no notes'}", level=1)
    tally.finish()


def render(record: Record, fmt: str, *, many: bool) -> str:
    article = record.article
    assert article is not None
    if fmt in ("json", "jsonl"):
        data: dict[str, Any] = article.to_dict()
        if record.analysis is not None:
            data["analysis"] = record.analysis.to_dict()
        indent = 2 if fmt == "json" and not many else None
        return json.dumps(data, ensure_ascii=False, indent=indent)
    title = article.title or article.id or ""
    paragraphs = [article.body[p.start : p.end] for p in article.paragraphs] or [article.body]
    if fmt == "markdown":
        return (f"# {title}\n\n" if title else "") + "\n\n".join(paragraphs) + "\n"
    return (f"{title}\n\n" if title else "") + "\n\n".join(paragraphs) + ("\n" if many else "")
