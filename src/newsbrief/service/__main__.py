"""``python -m newsbrief.service``: the ``serve`` command on its own (same options)."""

from __future__ import annotations

import sys

from newsbrief.errors import NewsbriefError
from newsbrief.service.cli import serve_command


def main() -> None:
    """Run ``serve``; a library error is one line on stderr and its exit code."""
    try:
        serve_command.main(prog_name="newsbrief serve", standalone_mode=True)
    except NewsbriefError as exc:
        print(f"newsbrief: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
