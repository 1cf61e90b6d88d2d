"""What separates a highlight sentence from its neighbours, as numbers a linear scorer reads.

Each candidate sentence (one that ``candidates.rejection`` let through) gets the same named
features, in ``FEATURES`` order: its place among the candidates (first ones only), its length, whether it holds
numbers, whether it opens with a quotation, and how central it is (the share of its content
words that other sentences repeat). Features that did not pay on held-out folds were removed
(see the comment under ``FEATURES``). The weights that turn them into a score are data
(``data/highlights_weights.json``), fitted on folds by ``bench/fit_highlights.py``.

Everything here is plain Python over regular expressions: one pass over the candidates, no
models, so scoring stays a small part of parse + summarize.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

__all__ = ["FEATURES", "content_words", "sentence_features"]

FEATURES: tuple[str, ...] = (
    "bias",
    "position",  # 1 / (1 + rank among candidates)
    "second",
    "words",  # words / 30
    "short",  # under 12 words
    "long",  # over 35 words
    "numbers",  # has a digit
    "centrality",  # share of its content words that appear in at least two other sentences
)
# Dropped after the held-out ablation of bench/results/highlights_cv.md (each changed the held-out
# objective by 0.00 when removed): first, third, paragraph_start, new_names (first mentions of
# capitalised names), quoted, named_quote (a quotation with a named speaker), question. Also
# rel_position (rank / candidates): it was fitted with a positive weight, a bonus for coming
# late, so long sentences from the end of a story outranked the third paragraph; its held-out
# gain (0.12) was within noise, and news does not get better further down. And quote_open (opens
# with a quotation mark): 0.00 held-out once the fit target gave the original highlights half
# its weight (issue 15).

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the of to in on at by for from with as and or but is are was were be been has have had
    he she it they his her their its this that these those i you we who which what said says will
    would could can not no after before over into about than more also one up out""".split()
)
_DIGIT = re.compile(r"\d")


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry content (no stop words, three letters or more)."""
    return {w for w in _TOKEN.findall(text.lower()) if len(w) > 2 and w not in _STOP}


def sentence_features(texts: Sequence[str]) -> list[list[float]]:
    """One feature row (``FEATURES`` order) per candidate sentence, given in article order."""
    contents = [content_words(t) for t in texts]
    df: Counter[str] = Counter()
    for c in contents:
        df.update(c)
    rows: list[list[float]] = []
    for rank, text in enumerate(texts):
        words = len(text.split())
        content = contents[rank]
        central = sum(df[w] >= 3 for w in content) / len(content) if content else 0.0
        rows.append(
            [
                1.0,
                1.0 / (1 + rank),
                float(rank == 1),
                words / 30,
                float(words < 12),
                float(words > 35),
                float(bool(_DIGIT.search(text))),
                central,
            ]
        )
    return rows
