"""Click options shared by several commands (kept apart from ``cli`` to avoid import cycles)."""

from __future__ import annotations

import click

from newsbrief.summarize.base import DEFAULT_METHOD

method_option = click.option(
    "--method",
    "-m",
    default=DEFAULT_METHOD,
    show_default=True,
    metavar="NAME[:k=v,...]",
    help="Summarization method, optionally with settings (see `newsbrief methods`).",
)
