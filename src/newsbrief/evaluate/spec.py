"""What an evaluation run can be asked for: defaults, and the method specs (shared with
``summarize``). Standard library only, so the CLI can import this without numpy or rouge-score.
"""

from __future__ import annotations

from newsbrief.summarize.spec import MethodSpec, method_label, parse_method

__all__ = [
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "MIN_RESAMPLES",
    "REFERENCES",
    "MethodSpec",
    "method_label",
    "parse_method",
]

REFERENCES = ("highlights", "references")
DEFAULT_RESAMPLES = 1000
MIN_RESAMPLES = 1000
DEFAULT_SEED = 0
BASELINE = "lead"  # the standard news baseline every row is tested against
