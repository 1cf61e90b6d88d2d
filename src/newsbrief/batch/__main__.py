"""``python -m newsbrief.batch IN OUT ...``: the batch command with the main CLI's exit codes.

Works before (and after) ``batch`` is registered in the ``newsbrief`` group.
"""

from __future__ import annotations

import sys

from newsbrief.batch.cli import batch_command


def run(argv: list[str] | None = None) -> None:
    from newsbrief.cli import cli, main

    if "batch" not in cli.commands:
        cli.add_command(batch_command, "batch")
    main(["batch", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    run()
