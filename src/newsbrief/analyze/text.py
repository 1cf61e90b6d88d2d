"""Word tokens with offsets, light stemming and normalisation shared by the analysers.

Why our own: the checker compares a summary with its article word by word, millions of
times in a benchmark, so tokenising must be one regex pass; and it must treat the
detokenizer's artefacts in CNN/DailyMail ("highlight - reel", "Mother ’ s") the same as
clean text. Stemming is deliberately light (possessive and plural only).
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsbrief.analyze.lexicon import NEGATION_STEMS, NEGATIONS

__all__ = [
    "TOKEN_PATTERN",
    "Token",
    "is_negation",
    "loose_stem",
    "negations",
    "phrase_key",
    "phrase_key_of",
    "stem",
    "tokens",
]

Token = tuple[str, int, int]  # (text, start, end)

# Letters (any script) with internal apostrophes, "n't" on its own, or a run of digits.
# Hyphens split words ("face-to-face" -> face, to, face) and separators split numbers
# ("235,000" -> 235, 000), so the detokenizer's "235, 000" and "hiv - positive" compare equal.
_TOKEN = re.compile(r"[^\W\d_]+(?=n['’]t\b)|n['’]t\b|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")
TOKEN_PATTERN = _TOKEN  # for callers that only need to count or locate tokens


def tokens(text: str) -> list[Token]:
    """Word and number tokens of ``text`` with their character offsets."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


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


def is_negation(token: str) -> bool:
    """``not``, ``never``, ``n't`` ... (see ``lexicon.NEGATIONS``)."""
    low = token.lower().replace("’", "'")
    return low in NEGATIONS or low == "n't"


def negations(toks: list[Token]) -> list[int]:
    """Indices of the negating tokens, the detokenizer's "doesn ’ t" (two tokens) included."""
    out = []
    for j, (tok, _, _) in enumerate(toks):
        if is_negation(tok) or tok == "t" and j > 0 and toks[j - 1][0].lower() in NEGATION_STEMS:
            out.append(j)
    return out


def phrase_key(text: str) -> str:
    """Lower-case words joined by single spaces, possessives dropped, padded with spaces.

    ``phrase_key(x) in phrase_key(article)`` tests that the words of ``x`` occur in order
    in the article whatever the punctuation, spacing or quote style ("Mother ’ s" ==
    "Mother's" == "mother").
    """
    return phrase_key_of(tokens(text))


def phrase_key_of(toks: list[Token]) -> str:
    """``phrase_key`` of already tokenised text."""
    out = []
    for tok, _, _ in toks:
        low = tok.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        if low and low != "s":
            out.append(low)
    return " " + " ".join(out) + " "
