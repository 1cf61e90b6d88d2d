"""What an evaluation produced: rows of per-document outputs and scores, and the run's facts.

Its own module so that ``runner`` (which fills these) and ``report`` (which writes them out)
both import it and not each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from newsbrief.evaluate.bootstrap import Interval, PairedTest
from newsbrief.evaluate.rouge import Score

__all__ = ["EvalResult", "Output", "Row", "RowKind"]

RowKind = Literal["method", "pred", "system"]


@dataclass(slots=True)
class Output:
    """One row's summary of one document, as scored."""

    text: str  # one sentence per line
    positions: list[float] = field(default_factory=list)  # first span start / len(body), per highlight
    sentence_index: list[int] = field(default_factory=list)  # first body sentence id, per highlight

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def sentences(self) -> int:
        return len(self.text.splitlines()) if self.text else 0


@dataclass(slots=True)
class Row:
    """A method, prediction file or published system, with its per-document scores and stats."""

    label: str
    kind: RowKind
    settings: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    outputs: dict[str, Output] = field(default_factory=dict)  # doc id -> output
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)  # doc id -> metric -> score
    intervals: dict[str, dict[str, Interval]] = field(default_factory=dict)  # metric -> p/r/f1
    vs_baseline: dict[str, PairedTest] = field(default_factory=dict)  # metric -> F1 test
    seconds: float = 0.0

    @property
    def n(self) -> int:
        return len(self.scores)

    def f1(self, metric: str) -> float:
        return self.intervals[metric]["f1"].mean

    def mean_words(self) -> float:
        return mean_of([o.words for o in self.outputs.values()])

    def mean_sentences(self) -> float:
        return mean_of([o.sentences for o in self.outputs.values()])

    def positions(self) -> list[float]:
        return [p for o in self.outputs.values() for p in o.positions]

    def sentence_indices(self) -> list[int]:
        return [i for o in self.outputs.values() for i in o.sentence_index]


@dataclass(slots=True)
class EvalResult:
    """Everything one evaluation produced; ``report`` turns it into files."""

    rows: list[Row]
    baseline: str
    reference: str
    data_path: str
    doc_ids: list[str]
    reference_words: float
    reference_sentences: float
    seed: int
    resamples: int
    notes: list[str]
    created: str
    versions: dict[str, str]
    seconds: float = 0.0
    command: str | None = None  # the command line that produced it, for the record
    unreadable: int = 0  # records of the data file that could not be read (skipped)
    first_error: str | None = None  # the first of them, for the one-line message

    def row(self, label: str) -> Row:
        for row in self.rows:
            if row.label == label:
                return row
        raise KeyError(label)


def mean_of(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if values else float("nan")
