"""Word tokens with offsets, light stemming and normalisation shared by the analysers.

Why our own: the checker compares a summary with its article word by word, millions of
times in a benchmark, so tokenising must be one regex pass; and it must treat the
detokenizer's artefacts in CNN/DailyMail ("highlight - reel", "Mother ’ s") the same as
clean text. Stemming is deliberately light (plural, -ed, -ing, final e): enough that
"killed" supports "kill", not so much that unrelated words merge.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsbrief.analyze.lexicon import NEGATIONS, STOPWORDS

__all__ = ["Token", "content_stems", "is_negation", "normalize", "stem", "tokens"]

Token = tuple[str, int, int]  # (text, start, end)

# Letters (any script) with internal apostrophes, "n't" on its own, or a number with
# thousands separators and decimals. Hyphens split words: "face-to-face" -> face, to, face.
_TOKEN = re.compile(r"[^\W\d_]+(?=n['’]t\b)|n['’]t\b|[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "′": "'", "`": "'", "–": "-", "—": "-"})
_SPACES = re.compile(r"\s+")
_SPACED_PUNCT = re.compile(r"\s*([-'/])\s*")


def tokens(text: str) -> list[Token]:
    """Word and number tokens of ``text`` with their character offsets."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-case light stem: drop possessive, plural, -ed, -ing, -ly and a final e."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("'"):
        w = w[:-1]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "runn" -> "run", "stopp" -> "stop"
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # "move" / "moved" / "moving" -> "mov"
    return w


def is_negation(token: str) -> bool:
    """``not``, ``never``, ``n't`` ... (see ``lexicon.NEGATIONS``)."""
    low = token.lower().replace("’", "'")
    return low in NEGATIONS or low == "n't"


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` (stopwords and one-letter words dropped)."""
    out = []
    for tok, _, _ in tokens(text):
        low = tok.lower()
        if low in STOPWORDS or (len(low) < 2 and not low.isdigit()):
            continue
        out.append(stem(low))
    return out


def normalize(text: str) -> str:
    """Lower-case, curly quotes and dashes straightened, spaces squeezed, and spacing around
    hyphens and apostrophes removed ("highlight - reel" == "highlight-reel"): for substring tests.
    """
    text = text.translate(_QUOTES).lower()
    text = _SPACED_PUNCT.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()
