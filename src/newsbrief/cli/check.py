"""``newsbrief check``: is a summary supported by its article? One pair, or a JSONL of pairs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from newsbrief.article import Summary
from newsbrief.cli.common import EXTENSIONS, Sink, Tally, error_line, format_option, output_option
from newsbrief.cli.options import INPUT_PATH, checker_options
from newsbrief.errors import InputError, UsageError
from newsbrief.ingest import FORMATS, open_source, parse_file, safejson
from newsbrief.ingest.decode import DEFAULT_MAX_BYTES, limit_message
from newsbrief.ingest.sources import iter_pairs
from newsbrief.pipeline import Pipeline, Record, failed, highlight_lines

if TYPE_CHECKING:
    from newsbrief.faithfulness import FaithfulnessReport

EXIT_NOT_CONSISTENT = 5


@click.command("check")
@click.argument("pairs", required=False, type=INPUT_PATH, metavar="[PAIRS.jsonl]")
@click.option("--article", "article_file", type=INPUT_PATH, help="The article (any input format).")
@click.option(
    "--summary",
    "summary_file",
    type=INPUT_PATH,
    help="The summary: plain text, or a newsbrief Summary JSON (- for stdin).",
)
@click.option(
    "--per-line", is_flag=True, help="Each line of the summary is one highlight (default: split into sentences)."
)
@click.option(
    "--input-format", "-f", type=click.Choice(FORMATS), default="auto", show_default=True, help="Article format."
)
@click.option("--text-field", default="article", show_default=True, help="PAIRS field holding the article text.")
@click.option("--summary-field", default="summary", show_default=True, help="PAIRS field holding the summary.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest article (or PAIRS line) accepted, in bytes.",
)
@format_option(("text", "json", "jsonl"), None, "text (default for one pair), json, jsonl (default for PAIRS).")
@output_option
@click.option("--strict", is_flag=True, help="Exit 5 when a verdict is not 'consistent'.")
@click.option(
    "--checker",
    type=click.Choice(["default", "learned", "lexical", "nli"]),
    default="default",
    show_default=True,
    help="default: learned, the lexical report rescored by a fitted model; lexical: the offline lexical "
    "checker alone; nli: an entailment model (needs --model and the hf extra).",
)
@click.option("--model", default=None, help="NLI model directory or name (--checker nli).")
@click.option("--device", default=None, help="cpu or cuda for --checker nli (default: cuda when available).")
def check_command(
    pairs: str | None,
    article_file: str | None,
    summary_file: str | None,
    per_line: bool,
    input_format: str,
    text_field: str,
    summary_field: str,
    max_bytes: int,
    output_format: str | None,
    output: str | None,
    strict: bool,
    checker: str,
    model: str | None,
    device: str | None,
) -> None:
    """Check summaries (ours, BART's, an LLM's) against their articles: unsupported names,
    numbers, dates, quotes, number and negation flips, and the best supporting span.

    Either --article A --summary S for one pair, or PAIRS.jsonl with one
    {"id", "article", "summary"} object per line (summary: a text, a list of texts or a
    newsbrief Summary) for a JSONL of reports.
    """
    options = checker_options(checker, model, device)
    from newsbrief.check import get_checker  # here, not at import: `summarize` needs only report_text

    pipeline = Pipeline(check=True, checker=get_checker(checker, **options))
    if pairs is not None:
        if article_file or summary_file:
            raise UsageError("give PAIRS.jsonl or --article/--summary, not both")
        _check_pairs(pipeline, pairs, text_field, summary_field, max_bytes, output_format or "jsonl", output, strict)
        return
    if not article_file or not summary_file:
        raise UsageError("give --article A --summary S (one pair) or PAIRS.jsonl (many)")
    if article_file == "-" and summary_file == "-":
        raise UsageError("--article and --summary cannot both be stdin")
    article = parse_file(article_file, format=input_format)
    summary = read_summary(summary_file, per_line)
    record = pipeline.run(article, summary=summary)
    record.raise_error()  # with its own exit code: a model that cannot be loaded is a usage error
    assert record.faithfulness is not None and record.article is not None
    fmt = output_format or "text"
    with Sink(output, EXTENSIONS[fmt]) as sink:
        if fmt == "text":
            sink.write(checked_text(record), record.id)
        else:  # the report, and each sentence of the summary with its verdict
            report = record.faithfulness.to_dict()
            report["highlights"] = record.to_dict()["highlights"]
            sink.write(json.dumps(report, ensure_ascii=False, indent=2 if fmt == "json" else None))
    if strict and record.faithfulness.verdict != "consistent":
        sys.exit(EXIT_NOT_CONSISTENT)


def _check_pairs(
    pipeline: Pipeline,
    path: str,
    text_field: str,
    summary_field: str,
    max_bytes: int,
    fmt: str,
    output: str | None,
    strict: bool,
) -> None:
    tally = Tally()
    inconsistent = 0

    def records() -> Iterator[Record]:
        for pair in iter_pairs(path, text_field=text_field, summary_field=summary_field, max_bytes=max_bytes):
            if pair.error is not None or pair.article is None:
                yield failed(pair.id, pair.error or "unreadable", source=path, line=pair.line)
                continue
            record = pipeline.run(pair.article, id=pair.id, summary=pair.summary, source=path, line=pair.line)
            if record.error is not None and pair.line is not None:  # say where, as a read error does
                record.error = f"line {pair.line}: {record.error}"
            yield record

    with Sink(output, EXTENSIONS[fmt]) as sink:
        for record in tally.good(records()):
            assert record.faithfulness is not None
            inconsistent += record.faithfulness.verdict != "consistent"
            if fmt == "text":
                sink.write(f"# {record.id}\n{checked_text(record)}\n", record.id)
            else:
                sink.write(record.to_json(indent=2 if fmt == "json" and sink.directory else None), record.id)
    tally.finish()
    if strict and inconsistent:
        error_line(f"{inconsistent} of {tally.count} summaries are not consistent")
        sys.exit(EXIT_NOT_CONSISTENT)


def read_summary(path: str, per_line: bool) -> str | list[str] | Summary:
    """The summary file, read like any input: a regular file or ``-``, at most the default
    ``--max-bytes`` (``/dev/zero`` or a FIFO must not hang ``check``)."""
    src = open_source(path)
    try:
        data = src.stream.read(DEFAULT_MAX_BYTES + 1)
        raw = data.decode("utf-8-sig")  # a byte-order mark is not part of the first sentence
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read summary {path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"cannot read summary {path}: {exc}") from None
    finally:
        src.close()
    if len(data) > DEFAULT_MAX_BYTES:
        raise InputError(limit_message("summary", src.size_text(len(data)), DEFAULT_MAX_BYTES, "a summary"))
    if not raw.strip():
        raise InputError("summary is empty")
    if raw.lstrip().startswith("{"):
        return _summary_json(raw)
    if per_line:
        return [line.strip() for line in raw.splitlines() if line.strip()]
    return raw


def _summary_json(raw: str) -> Summary:
    """A newsbrief Summary JSON to check (``Summary.given``: no ``method`` needed, a bad shape
    named in plain words)."""
    try:
        data = safejson.loads(raw)
    except ValueError as exc:  # JSONLimitError is a ValueError
        raise InputError(f"summary looks like JSON but is not valid JSON: {exc}") from None
    try:
        return Summary.given(data)
    except ValueError as exc:
        raise InputError(f"summary looks like JSON but is not a newsbrief Summary: {exc}") from None


def checked_text(record: Record) -> str:
    """The summary-level verdict, then each sentence (or highlight) of the summary with its own:
    ``Putin announced ...  [unsupported 0.00: number '$5 billion' (...)]``."""
    assert record.faithfulness is not None and record.summary is not None
    report = record.faithfulness
    lines = [f"faithfulness: {report.verdict} (score {report.score:.2f})"]
    lines += [f"  {line}" for line in highlight_lines(record.summary)]
    return "\n".join(lines)


def report_text(report: FaithfulnessReport) -> str:
    """The report sentence by sentence with its issues (``summarize --check``'s text output)."""
    lines = [f"faithfulness: {report.verdict} (score {report.score:.2f})"]
    for sentence in report.sentences:
        lines.append(f"  [{sentence.score:.2f}] {sentence.text}")
        for issue in sentence.issues:
            lines.append(f"         ! {issue.kind}: {issue.text}" + (f" ({issue.detail})" if issue.detail else ""))
    return "\n".join(lines)
