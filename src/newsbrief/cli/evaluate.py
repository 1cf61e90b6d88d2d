"""``newsbrief evaluate``: the runner as a command; prints the markdown table.

Two modes, one command: ROUGE of summaries against references (the default), or, with
``--label FIELD``, a faithfulness checker scored against human labels
(``newsbrief.evaluate.checker``: ROC AUC, balanced accuracy, Kendall tau-b, beside bigram
precision on the same rows).

Register it in the main group with ``cli.add_command(evaluate_command, "evaluate")``;
library errors (``UsageError``/``InputError``) propagate so the main CLI maps them to
exit codes 2 and 3; a run that skipped unreadable records prints and writes everything,
then ends with an ``InputError`` (exit 3), as ``parse``, ``summarize`` and ``batch`` do. Importing this module loads no numpy, rouge-score or matplotlib: they
are optional (the ``eval`` extra) and slow to import, and every ``newsbrief`` command would
pay for them.
"""

from __future__ import annotations

from typing import Any

import click

from newsbrief.check import CHECKERS
from newsbrief.cli.common import command_line, say
from newsbrief.cli.options import DATA_PATH, checker_options
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
@click.option(
    "--systems",
    is_flag=True,
    help="Also score the published systems in each record's 'systems'. With --label: one row per "
    "system, labelled by the record's human[system][LABEL] (SummEval's shape).",
)
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
@click.option(
    "--label",
    default=None,
    metavar="FIELD",
    help="Score a faithfulness checker against this gold label (QAGS 'fact', SummEval 'consistency') instead of ROUGE.",
)
@click.option(
    "--checker",
    type=click.Choice(CHECKERS),
    default=None,
    help="With --label: the checker to score (default: default).",
)
@click.option("--model", default=None, help="With --checker nli: the NLI model directory or name.")
@click.option("--device", default=None, help="With --checker nli: cpu or cuda.")
@click.option("--summary-field", default=None, help="With --label: the field holding the summary (default: summary).")
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="With --label: balanced accuracy at score >= X (default: the checker's own 'consistent' verdict).",
)
@click.option(
    "--positive",
    type=float,
    default=None,
    metavar="VALUE",
    help="With --label: a row is positive (consistent) when its label is >= VALUE (default: 1 for 0/1 "
    "labels, else the highest label in the data).",
)
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
    label: str | None,
    checker: str | None,
    model: str | None,
    device: str | None,
    summary_field: str | None,
    threshold: float | None,
    positive: float | None,
) -> None:
    """Score methods, prediction files and published systems on DATA (JSONL) with ROUGE; or,
    with --label FIELD, a faithfulness checker against human labels."""
    command = command_line()
    label_only = {
        "--checker": checker,
        "--model": model,
        "--device": device,
        "--summary-field": summary_field,
        "--threshold": threshold,
        "--positive": positive,
    }
    if label is not None:
        rouge_only = {
            "--method": method_specs,
            "--pred": preds,
            "--reference": reference != "highlights",
            "--baseline": baseline != BASELINE,
        }
        given = [name for name, value in rouge_only.items() if value]
        if given:
            raise UsageError(f"{', '.join(given)} score ROUGE; with --label evaluate scores a checker")
        _evaluate_checker(
            data,
            label,
            checker=checker or "default",
            model=model,
            device=device,
            systems=systems,
            text_field=text_field,
            summary_field=summary_field or "summary",
            threshold=threshold,
            positive=positive,
            resamples=resamples,
            seed=seed,
            out_dir=out_dir,
            command=command,
        )
        return
    given = [name for name, value in label_only.items() if value is not None]
    if given:
        raise UsageError(f"{', '.join(given)} need --label FIELD (scoring a checker against labels)")
    specs = [parse_method(s) for s in method_specs]  # bad specs fail before any work
    try:
        from newsbrief.evaluate.report import markdown_table
        from newsbrief.evaluate.runner import evaluate
    except ImportError as exc:
        raise _needs_extras(exc) from None
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
        command=command,
    )
    click.echo(markdown_table(result), nl=False)
    where = f"; report files in {out_dir}" if out_dir else ""
    say(f"evaluated {len(result.doc_ids)} documents in {result.seconds:.1f} s{where}")
    _raise_if_unreadable(data, result.unreadable, result.first_error)


def _evaluate_checker(
    data: str,
    label: str,
    *,
    checker: str,
    model: str | None,
    device: str | None,
    out_dir: str | None,
    **options: Any,
) -> None:
    """``evaluate --label``: check every labelled summary, print the table (see ``evaluate.checker``)."""
    checker_kwargs = checker_options(checker, model, device)
    try:
        from newsbrief.evaluate.checker import evaluate_checker, markdown_table
    except ImportError as exc:
        raise _needs_extras(exc) from None
    result = evaluate_checker(
        data,
        label,
        checker=checker,
        checker_options=checker_kwargs,
        out_dir=out_dir,
        **options,
    )
    click.echo(markdown_table(result), nl=False)
    where = f"; report files in {out_dir}" if out_dir else ""
    say(f"checked {result.n} summaries of {result.n_groups} articles in {result.seconds:.1f} s{where}")
    _raise_if_unreadable(data, result.unreadable, result.first_error)


def _needs_extras(exc: ImportError) -> UsageError:
    return UsageError(
        f"newsbrief evaluate needs the evaluation extras ({exc.name or exc}): pip install 'newsbrief[eval]'"
    )


def _raise_if_unreadable(data: str, unreadable: int, first_error: str | None) -> None:
    """Exit 3 after the table: some records were skipped, the others were scored."""
    if unreadable:
        raise InputError(
            f"{unreadable} record(s) of {data} could not be read and were skipped "
            f"(first: {first_error}); the others were scored"
        )
