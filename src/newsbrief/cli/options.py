"""Click options and types shared by several commands (kept apart from ``cli`` to avoid import cycles)."""

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

# Input paths are checked where they are opened (``newsbrief.ingest.open_source``), not by
# click: click's own checks make an unreadable file or a directory a usage error (exit 2),
# where the README says unreadable input is 3, and cannot tell a FIFO from a file.
INPUT_PATH = click.Path(allow_dash=True, readable=False)
DATA_PATH = click.Path(readable=False)  # an input that cannot be stdin
