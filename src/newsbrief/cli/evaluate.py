"""``newsbrief evaluate``: the runner as a command; prints the markdown table.

Register it in the main group with ``cli.add_command(evaluate_command, "evaluate")``;
library errors (``UsageError``/``InputError``) propagate so the main CLI maps them to
exit codes 2 and 3; a run that skipped unreadable records prints and writes everything,
then ends with an ``InputError`` (exit 3), as ``parse``, ``summarize`` and ``batch`` do. Importing this module loads no numpy, rouge-score or matplotlib: they
are optional (the ``eval`` extra) and slow to import, and every ``newsbrief`` command would
pay for them.
"""

from __future__ import annotations

import shlex
import sys

import click

from newsbrief.cli.options import DATA_PATH
from newsbrief.errors import InputError, UsageError
from newsbrief.evaluate.spec import BASELINE, DEFAULT_RESAMPLES, DEFAULT_SEED, MIN_RESAMPLES, REFERENCES, parse_method


@click.command("evaluate")
@click.argument("data", type=DATA_PATH)
@click.option(
    "--method",
    "-m",
    "method_specs",
    multiple=True,
    metavar="NAME[:k=v,...]",
    help="Our method to score, with optional settings (lead:n=2). Repeatable. Default: lead "
    "when nothing else is scored.",
)
@click.option(
    "--pred",
    "preds",
    multiple=True,
    type=DATA_PATH,
    help='Prediction JSONL ({"id", "highlights": [{"text"}...]} or {"id", "summary"}). Repeatable.',
)
@click.option("--systems", is_flag=True, help="Also score the published systems in each record's 'systems'.")
@click.option(
    "--reference",
    type=click.Choice(REFERENCES),
    default="highlights",
    show_default=True,
    help="Score against the original highlights, or all 'references' (max over them).",
)
@click.option(
    "--baseline",
    default=BASELINE,
    show_default=True,
    help="Row every other row is tested against (a method, prediction file stem or system name).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Write the report files here.")
@click.option("--resamples", type=click.IntRange(min=MIN_RESAMPLES), default=DEFAULT_RESAMPLES, show_default=True)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Bootstrap seed.")
@click.option("--text-field", default="article", show_default=True, help="JSONL field holding the article text.")
def evaluate_command(
    data: str,
    method_specs: tuple[str, ...],
    preds: tuple[str, ...],
    systems: bool,
    reference: str,
    baseline: str,
    out_dir: str | None,
    resamples: int,
    seed: int,
    text_field: str,
) -> None:
    """Score methods, prediction files and published systems on DATA (JSONL) with ROUGE."""
    specs = [parse_method(s) for s in method_specs]  # bad specs fail before any work
    try:
        from newsbrief.evaluate.report import markdown_table
        from newsbrief.evaluate.runner import evaluate
    except ImportError as exc:
        raise UsageError(
            f"newsbrief evaluate needs the evaluation extras ({exc.name or exc}): pip install 'newsbrief[eval]'"
        ) from None
    result = evaluate(
        data,
        methods=specs,
        preds=list(preds),
        systems=systems,
        reference=reference,
        baseline=baseline,
        out_dir=out_dir,
        resamples=resamples,
        seed=seed,
        text_field=text_field,
        command="newsbrief " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    )
    click.echo(markdown_table(result), nl=False)
    where = f"; report files in {out_dir}" if out_dir else ""
    click.echo(f"newsbrief: evaluated {len(result.doc_ids)} documents in {result.seconds:.1f} s{where}", err=True)
    if result.unreadable:
        raise InputError(
            f"{result.unreadable} record(s) of {data} could not be read and were skipped "
            f"(first: {result.first_error}); the others were scored"
        )
