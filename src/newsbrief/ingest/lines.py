"""The line model: the probability that each unit of a page is body text.

Two logistic regressions over ``features.FEATURES_1`` and ``FEATURES_1 + FEATURES_2``; the
weights ship in ``data/line_model.json``, fitted by ``bench/fit_lines.py`` (``make fit-lines``)
on line labels derived from hand-checked page bodies. Pure Python at run time.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsbrief.ingest.features import (
    FEATURES_1,
    FEATURES_2,
    Unit,
    prose_flags,
    redundancies,
    stage1,
    stage2,
    story_starts,
)

MODEL_PATH = Path(__file__).with_name("data") / "line_model.json"


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _dot(w: Sequence[float], x: Sequence[float]) -> float:
    return sum(map(operator.mul, w, x))


@dataclass(frozen=True, slots=True)
class LineModel:
    """Weights of the two stages (already scaled to raw feature values) and the body threshold."""

    w1: tuple[float, ...]
    w2: tuple[float, ...]
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n2 = len(FEATURES_1) + len(FEATURES_2)
        if len(self.w1) != len(FEATURES_1) or len(self.w2) != n2:
            raise ValueError("line model does not match this version's features; refit it (bench/fit_lines.py)")

    def stage1(self, rows: Sequence[Sequence[float]]) -> list[float]:
        return [_sigmoid(_dot(self.w1, r)) for r in rows]

    def probabilities(self, units: Sequence[Unit]) -> list[float]:
        """P(body) for every unit."""
        if not units:
            return []
        rows1, nws = stage1(units)
        p1 = self.stage1(rows1)
        starts, prose = story_starts(rows1), prose_flags(rows1)
        rows2 = stage2(p1, nws, starts, prose, redundancies(rows1))
        w2a, w2b = self.w2[: len(FEATURES_1)], self.w2[len(FEATURES_1) :]
        return [_sigmoid(_dot(w2a, a) + _dot(w2b, b)) for a, b in zip(rows1, rows2, strict=True)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "features_1": list(FEATURES_1),
            "features_2": list(FEATURES_2),
            "w1": list(self.w1),
            "w2": list(self.w2),
            "threshold": self.threshold,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineModel:
        if data.get("features_1") != list(FEATURES_1) or data.get("features_2") != list(FEATURES_2):
            raise ValueError("line model does not match this version's features; refit it (bench/fit_lines.py)")
        return cls(
            w1=tuple(float(x) for x in data["w1"]),
            w2=tuple(float(x) for x in data["w2"]),
            threshold=float(data.get("threshold", 0.5)),
            meta=dict(data.get("meta", {})),
        )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LineModel:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    """The shipped model (read once per process)."""
    return LineModel.load()
