"""Batch runs: many articles in, one JSONL of highlights out, in parallel and resumably.

``run_batch(IN, OUT, method=..., workers=..., engine="local"|"ray")`` is the library entry
point; ``newsbrief batch`` (``newsbrief.batch.cli.batch_command``) is the command. Design
notes (chunking, memory bound, timeouts, resume, output order) are in the module docstrings
of ``local``, ``worker`` and ``output``, and in docs/batch.md.
"""

from newsbrief.batch.runner import ENGINES, BatchResult, run_batch

__all__ = ["ENGINES", "BatchResult", "run_batch"]
