"""Batch runs: many articles in, one JSONL of highlights out, in parallel and resumably.

``run_batch(IN, OUT, method=..., workers=..., engine="local"|"ray")`` is the library entry
point; ``newsbrief batch`` (``newsbrief.cli.batch.batch_command``) is the command. Design
notes (chunking, memory bound, timeouts, resume, output order) are in the module docstrings
of ``local``, ``worker`` and ``output``, and in docs/batch.md.

The names below are imported on first access (PEP 562): a worker process imports
``newsbrief.batch.worker``, and with it this package, and needs none of the parent's side
(the runner, the output file, the progress bar).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbrief.batch.runner import ENGINES as ENGINES
    from newsbrief.batch.runner import BatchResult as BatchResult
    from newsbrief.batch.runner import run_batch as run_batch

__all__ = ["ENGINES", "BatchResult", "run_batch"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from newsbrief.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
