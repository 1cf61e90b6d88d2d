"""What separates a highlight sentence from its neighbours, as numbers a linear scorer reads.

Each candidate sentence (one that ``candidates.rejection`` let through) gets the same named
features, in ``FEATURES`` order: its place among the candidates, its length, whether it brings
numbers or names the article has not mentioned before, whether it is a quotation (and whether a
named speaker is given), whether it is a question, and how central it is (the share of its
content words that other sentences repeat). The weights that turn them into a score are data
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
    "first",
    "second",
    "third",
    "rel_position",  # rank / (candidates - 1): 0 at the top, 1 at the end
    "paragraph_start",  # opens a paragraph
    "words",  # words / 30
    "short",  # under 12 words
    "long",  # over 35 words
    "numbers",  # has a digit
    "new_names",  # capitalised words (not the first) not seen in earlier sentences, /5, capped at 1
    "quote_open",  # opens with a quotation mark
    "quoted",  # holds a quotation
    "named_quote",  # a quotation with a said/says/told verb next to a capitalised name
    "question",
    "centrality",  # share of its content words that appear in at least two other sentences
)

_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the of to in on at by for from with as and or but is are was were be been has have had
    he she it they his her their its this that these those i you we who which what said says will
    would could can not no after before over into about than more also one up out""".split()
)
_CAPITAL = re.compile(r"(?<![\w'’])[A-Z][a-z'’A-Z-]+")
_QUOTE_OPEN = re.compile(r"^[\"“'‘]")
_QUOTED = re.compile(r"[\"“”]")
_SPEAKER = re.compile(r"\b(?:said|says|told|added)\s+[A-Z]|[A-Z][a-z]+\s+(?:said|says|told|added)\b")
_DIGIT = re.compile(r"\d")


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry content (no stop words, three letters or more)."""
    return {w for w in _TOKEN.findall(text.lower()) if w not in _STOP and len(w) > 2}


def sentence_features(texts: Sequence[str], paragraph_starts: Sequence[bool]) -> list[list[float]]:
    """One feature row (``FEATURES`` order) per candidate sentence, given in article order."""
    n = len(texts)
    contents = [content_words(t) for t in texts]
    df: Counter[str] = Counter()
    for c in contents:
        df.update(c)
    seen_names: set[str] = set()
    rows: list[list[float]] = []
    for rank, text in enumerate(texts):
        words = len(text.split())
        names = {m.group() for m in _CAPITAL.finditer(text) if m.start() > 0}
        new_names = len(names - seen_names)
        seen_names |= names
        if rank == 0:
            seen_names |= {m.group() for m in _CAPITAL.finditer(text)}
        content = contents[rank]
        central = sum(df[w] >= 3 for w in content) / len(content) if content else 0.0
        quoted = bool(_QUOTED.search(text))
        rows.append(
            [
                1.0,
                1.0 / (1 + rank),
                float(rank == 0),
                float(rank == 1),
                float(rank == 2),
                rank / (n - 1) if n > 1 else 0.0,
                float(paragraph_starts[rank]),
                words / 30,
                float(words < 12),
                float(words > 35),
                float(bool(_DIGIT.search(text))),
                min(new_names / 5, 1.0),
                float(bool(_QUOTE_OPEN.match(text))),
                float(quoted),
                float(quoted and bool(_SPEAKER.search(text))),
                float(text.rstrip("\"'”’ ").endswith("?")),
                central,
            ]
        )
    return rows
