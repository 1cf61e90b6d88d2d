"""Click options and types shared by several commands (kept apart from ``cli`` to avoid import cycles)."""

from __future__ import annotations

from typing import Any

import click

from newsbrief.errors import UsageError
from newsbrief.summarize.base import DEFAULT_METHOD

method_option = click.option(
    "--method",
    "-m",
    default=DEFAULT_METHOD,
    show_default=True,
    metavar="NAME[:k=v,...]",
    help="Summarization method, optionally with settings (see `newsbrief methods`).",
)

# Input paths are checked where they are opened (``newsbrief.ingest.open_source``), not by
# click: click's own checks make an unreadable file or a directory a usage error (exit 2),
# where the README says unreadable input is 3, and cannot tell a FIFO from a file.
INPUT_PATH = click.Path(allow_dash=True, readable=False)
DATA_PATH = click.Path(readable=False)  # an input that cannot be stdin


def checker_options(checker: str, model: str | None, device: str | None) -> dict[str, Any]:
    """The options ``get_checker(checker, ...)`` takes from ``--model``/``--device`` (``check``
    and ``evaluate --label``): only the NLI checker has any, and it cannot do without a model."""
    if checker == "nli" and not model:
        raise UsageError("--checker nli needs --model (a local directory or a Hugging Face model name)")
    if checker != "nli" and (model or device):
        raise UsageError("--model and --device are for --checker nli")
    return {"model": model, "device": device} if checker == "nli" else {}
