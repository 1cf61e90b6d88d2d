"""Light English stemming: one stemmer for analysis and the faithfulness checker.

Why light: the checker must match "charges" to "charge" and "Brady's" to "Brady" without
merging words that mean different things; ``loose_stem`` goes further (tense) only where a
negated claim is matched to its affirmed twin.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["loose_stem", "stem"]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-case, possessive and plural dropped: "Brady's" -> "brady", "charges" -> "charge".

    Deliberately no more than that: on QAGS-CNN, cutting -ed/-ing as well made supported and
    unsupported sentences harder to tell apart (bench/results/faithfulness.md).
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=65536)
def loose_stem(word: str) -> str:
    """``stem`` plus -ed, -ing, -ly and a final e ("writing" == "writes" == "write"): for
    matching a negated claim to its affirmed twin, where tense often changes."""
    w = stem(word)
    if len(w) <= 4 or not w.isalpha():
        return w
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ied"):
        return w[:-3] + "y"  # "denied" -> "deny"
    elif w.endswith("ed") or w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopp" -> "stop"
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w
