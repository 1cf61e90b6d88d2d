"""Word tokens with offsets, phrase keys and negations: one tokenizer for analysis and the checker.

Why our own: the checker compares a summary with its article word by word, millions of
times in a benchmark, so tokenising must be one regex pass; and it must treat the
detokenizer's artefacts in CNN/DailyMail ("highlight - reel", "Mother ’ s") the same as
clean text. Stemming is in ``stem``.
"""

from __future__ import annotations

import re

from newsbrief.nlp.lexicon import NEGATION_FOCUS, NEGATION_STEMS, NEGATIONS
from newsbrief.nlp.stopwords import OVERLAP_STOPWORDS

__all__ = [
    "TOKEN_PATTERN",
    "Token",
    "is_negation",
    "negations",
    "overlap_words",
    "phrase_key",
    "phrase_key_of",
    "tokens",
]

Token = tuple[str, int, int]  # (text, start, end)

# Letters (any script) with internal apostrophes, "n't" on its own, or a run of digits.
# Hyphens split words ("face-to-face" -> face, to, face) and separators split numbers
# ("235,000" -> 235, 000), so the detokenizer's "235, 000" and "hiv - positive" compare equal.
# Chinese and Japanese are written without spaces: a run of Han or kana is a whole clause, so
# each of their characters is a token (as character-level ROUGE does), and word pairs become
# character bigrams; Hangul is spaced and stays in words.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_LETTER = rf"[^\W\d_{CJK_CHARS}]"
_TOKEN = re.compile(rf"{_LETTER}+(?=n['’]t\b)|n['’]t\b|{_LETTER}+(?:['’]{_LETTER}+)*|\d+|[{CJK_CHARS}]")
TOKEN_PATTERN = _TOKEN  # for callers that only need to count or locate tokens


def tokens(text: str) -> list[Token]:
    """Word and number tokens of ``text`` with their character offsets."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def is_negation(token: str) -> bool:
    """``not``, ``never``, ``n't`` ... (see ``lexicon.NEGATIONS``)."""
    low = token.lower().replace("’", "'")
    return low in NEGATIONS or low == "n't"


def negations(toks: list[Token]) -> list[int]:
    """Indices of the negating tokens, the detokenizer's "doesn ’ t" (two tokens) included.

    A negation right before a focus word (``lexicon.NEGATION_FOCUS``: "it wasn't until Monday
    that he left", "not only") asserts its clause, so it is not one."""
    out = []
    for j, (tok, _, _) in enumerate(toks):
        if is_negation(tok) or tok == "t" and j > 0 and toks[j - 1][0].lower() in NEGATION_STEMS:
            if j + 1 < len(toks) and toks[j + 1][0].lower() in NEGATION_FOCUS:
                continue
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


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def overlap_words(text: str) -> set[str]:
    """Lower-cased ASCII words of three letters or more, ``OVERLAP_STOPWORDS`` dropped.

    The coarse word set the highlights scorer compares sentences with (redundancy,
    centrality): cheap, and its figures were tuned with exactly this rule.
    """
    return {w for w in _ASCII_WORD.findall(text.lower()) if w not in OVERLAP_STOPWORDS and len(w) > 2}
