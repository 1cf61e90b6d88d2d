"""The sentence splitter as it was before its speed-up: the plain definitions, kept as an oracle.

``tests/nlp/test_sentences.py`` checks that ``newsbrief.nlp.sentences.split_spans`` returns
exactly what this does on random news-like text. Do not edit it to make that test pass.
"""

from __future__ import annotations

import re

from newsbrief.nlp.abbreviations import (
    BEFORE_NUMBER,
    ENDING,
    FUNCTION_WORDS,
    MONTHS,
    RUNON_STARTERS,
    SENTENCE_STARTERS,
    TITLES,
    UNPUNCTUATED_ENDINGS,
)

__all__ = ["split_spans"]

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
# A terminator cluster, optional closing quotes/brackets, then whitespace. Group 1 is the
# terminator cluster, group 2 the closers.
# A detokenizer artefact common in the CNN/DailyMail data puts a space before the closing
# quote ("out of the room. ’ Afterwards"): a quote with space on both sides closes too.
_CANDIDATE = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*(?: (?:[’”]|['\"](?=\s)))?)(?=\s)")
_HARD_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_PHRASE_END = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in UNPUNCTUATED_ENDINGS) + r")(?=\s+[\"'“‘]?[A-Z0-9])")
_RUNON = re.compile(
    r"(?<=[A-Za-z0-9)])(?=[ \t]+['‘\"“]?(?:(?:" + "|".join(sorted(RUNON_STARTERS)) + r")\b[ \t]+[a-z0-9]"
    r"|(?:A|An)[ \t]+[A-Z][a-z]+[ \t]+[a-z]))"  # "... in January A Texas math teacher has ..."
)
_LETTER_NAME = re.compile(r"[ \t]+A[ \t]+[a-z]")
_SOURCE_PAREN = re.compile(r"\([A-Z][\w.&' ]{0,30}\)$")  # "(CNN) The ..." is a dateline, not a caption
_WORD_BEFORE = re.compile(r"([\w.'’&-]*)$")
_NEXT = re.compile(r"\s+([" + re.escape(_OPENERS) + r"]*) ?([\w$£€]+)")
_SINGLE_INITIAL = re.compile(r"^[A-Z]$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _is_boundary(text: str, term_start: int, term: str, closers: str, end: int) -> bool:
    """Decide whether the terminator at ``text[term_start:end]`` ends a sentence."""
    nxt = _NEXT.match(text, end)
    if nxt is None:
        return False  # only whitespace follows: the caller closes the last sentence
    opener, word = nxt.group(1), nxt.group(2)
    first = word[0]
    if not (first.isupper() or first.isdigit() or first in "$£€"):
        # '"Why?" he asked.' / "U.S. officials": in edited news a sentence never starts in
        # lower case.
        return False
    if term != "." or closers:
        # "!" "?" "…" "...", and anything closed by a quote or bracket, end the sentence when
        # a capital follows. A closing quote after an abbreviation is still an end.
        return True
    token = _WORD_BEFORE.search(text, max(0, term_start - 64), term_start)  # bounded: linear time
    prev = token.group(1) if token else ""
    prev = prev.lstrip("'’-&")
    low = prev.lower()
    if not prev:
        return True
    if prev.isdigit() and word.isdigit() and len(word) != 4:
        # "up from 19. 8 per cent": a decimal split by a tokeniser (CNN/DailyMail's text). News
        # style never opens a sentence with a figure, save a year.
        return False
    if low in TITLES:
        return False
    if _SINGLE_INITIAL.match(prev):
        # "J. Smith", "George W. Bush"; a lone capital before a period is almost never a
        # sentence end in news ("Plan B." is the rare exception).
        return False
    if low in BEFORE_NUMBER and (first.isdigit() or opener):
        return False
    if low in MONTHS:
        return False  # "Jan. 5" is common, a sentence ending in "in Jan." is rare
    if low in ENDING or _DOTTED.match(prev):
        return word.lower() in SENTENCE_STARTERS or opener != ""
    return True


def split_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences in ``text``, stripped of whitespace.

    Blank lines always end a sentence; single newlines do not (wrapped text).
    """
    cuts: set[int] = set()
    for m in _CANDIDATE.finditer(text):
        end = m.end()
        if _is_boundary(text, m.start(), m.group(1), m.group(2), end):
            cuts.add(end)
    for m in _RUNON.finditer(text):
        window = max(0, m.start() - 64)
        token = _WORD_BEFORE.search(text, window, m.start())
        prev = token.group(1) if token else ""
        if prev[:1].isupper() and _LETTER_NAME.match(text, m.end()):
            continue  # "Serie A champions", "Group A on": a letter that belongs to a name
        if prev.lower() not in FUNCTION_WORDS and not _SOURCE_PAREN.search(text, window, m.start()):
            cuts.add(m.start())
    for m in _PHRASE_END.finditer(text):
        cuts.add(m.end())
    for m in _HARD_BREAK.finditer(text):
        cuts.add(m.start())
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        span = _strip(text, start, cut)
        if span is not None:
            spans.append(span)
        start = cut
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
