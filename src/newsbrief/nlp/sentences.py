"""Sentence splitting tuned for news text.

Why our own rules: news is full of titles (Mr., Gov.), dotted acronyms (U.S.), initials
(J.K. Rowling), money and decimals, sentences that end inside quotes (``.'`` and ``."``) and
page furniture with no final period that runs into the next sentence ("Scroll down for video
An outfit worn ..."). ``bench/sentence_split.py`` measures this splitter against pysbd,
sentencex and blingfire on hand-labelled news boundaries; see ``bench/results/``.

The splitter is a single regex scan over candidate terminators plus a few look-ups per
candidate, so it runs at hundreds of thousands of sentences per second and never loses a
character: spans are offsets into the input and cover every non-space character.
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

__all__ = ["split_spans", "split_sentences"]

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
# A terminator cluster, optional closing quotes/brackets, then whitespace. Group 1 is the
# terminator cluster, group 2 the closers.
# A detokenizer artefact common in the CNN/DailyMail data puts a space before the closing
# quote ("out of the room. ’ Afterwards"): a quote with space on both sides closes too.
# The look-behind after the first character keeps matches at the start of a run of
# terminators: a run that fails is not retried from each of its characters (quadratic on
# "......"), and a run that ends a sentence is matched whole from its start anyway.
_CANDIDATE = re.compile(
    r"([.!?…](?<![.!?…][.!?…])[.!?…]*+)([" + re.escape(_CLOSERS) + r"]*(?: (?:[’”]|['\"](?=\s)))?)(?=\s)"
)
_HARD_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
# Chinese and Japanese full stops end a sentence with no space after them ("...ました。被告は...").
# A stop inside a quotation ends it only when nothing follows the closing mark on the line:
# 「控訴する。」と述べた is one sentence.
_CJK_END = re.compile(r"[。！？]+([」』）】〉》”’]*)")
# Speed: each pattern scanned over the whole text starts with a character class or literal,
# which lets the regex engine skip ahead to the next possible start; a leading look-behind
# or ``\b`` would make it try every position. Those checks are done in Python on the few
# matches instead (``_WORD_CHAR``, ``_RUNON_AFTER``).
_PHRASE_END = re.compile("(?:" + "|".join(re.escape(p) for p in UNPUNCTUATED_ENDINGS) + r")(?=\s+[\"'“‘]?[A-Z0-9])")
_WORD_CHAR = re.compile(r"\w")
# Matches the capitalised starter itself (capitals are rarer than spaces, so the scan is
# fast); ``_runon_start`` then checks what the rule needs before it: a letter, digit or ")",
# spaces or tabs, an optional opening quote. The run-on starts where the spaces do.
# Speed: one flat alternation whose every branch starts with a literal letter, so the regex
# engine skips ahead to the next possible first letter (a leading look-ahead or a nested
# group would make it test every position: 3x slower). Same branches, same order, same matches.
_BEFORE_A_NAME = r"(?=[ \t]+[A-Z][a-z]+[ \t]+[a-z])"  # "... in January A Texas math teacher has ..."
_RUNON = re.compile(
    "|".join(
        [rf"{w}\b(?=[ \t]+[a-z0-9])" for w in sorted(RUNON_STARTERS)] + [f"A{_BEFORE_A_NAME}", f"An{_BEFORE_A_NAME}"]
    )
)
_RUNON_AFTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789)")
_LETTER_NAME = re.compile(r"[ \t]+A[ \t]+[a-z]")
_SOURCE_PAREN = re.compile(r"\([A-Z][\w.&' ]{0,30}\)$")  # "(CNN) The ..." is a dateline, not a caption
_WORD_BEFORE_MAX = 64  # characters looked back for the word before a terminator: linear time
_WORD_PUNCT = frozenset("_.'’&-")  # with letters and digits (``\w``), what a word before may hold
# The word before a position, read on the reversed text: ``\w`` is ``str.isalnum()`` plus "_".
_WORD_BACKWARDS = re.compile(rf"[\w{re.escape(''.join(sorted(_WORD_PUNCT)))}]{{1,{_WORD_BEFORE_MAX}}}")
_NEXT = re.compile(r"\s+([" + re.escape(_OPENERS) + r"]*) ?([\w$£€]+)")
_SINGLE_INITIAL = re.compile(r"^[A-Z]$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


def _is_boundary(text: str, term_start: int, term: str, closers: str, end: int, backwards: str | None = None) -> bool:
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
    prev = _word_before(text, term_start, backwards).lstrip("'’-&")
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
    backwards = text[::-1]
    for m in _CANDIDATE.finditer(text):
        end = m.end()
        if _is_boundary(text, m.start(), m.group(1), m.group(2), end, backwards):
            cuts.add(end)
    for m in _RUNON.finditer(text):
        start = _runon_start(text, m.start())
        if start < 0:
            continue
        prev = _word_before(text, start, backwards)
        if prev[:1].isupper() and _LETTER_NAME.match(text, start):
            continue  # "Serie A champions", "Group A on": a letter that belongs to a name
        if prev.lower() not in FUNCTION_WORDS and not _SOURCE_PAREN.search(text, max(0, start - 64), start):
            cuts.add(start)
    for m in _PHRASE_END.finditer(text):
        if m.start() == 0 or not _WORD_CHAR.match(text, m.start() - 1):
            cuts.add(m.end())
    for m in _HARD_BREAK.finditer(text):
        cuts.add(m.start())
    if not text.isascii():
        for m in _CJK_END.finditer(text):
            if not m.group(1) or m.end() == len(text) or text[m.end()].isspace():
                cuts.add(m.end())
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        span = _strip(text, start, cut)
        if span is not None:
            spans.append(span)
        start = cut
    return spans


def _runon_start(text: str, starter: int) -> int:
    """Where a run-on before the starter at ``starter`` would begin, or -1 if the text before it
    is not ``[A-Za-z0-9)]``, spaces or tabs, and an optional opening quote."""
    i = starter - 1 if starter > 0 and text[starter - 1] in "'‘\"“" else starter
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j if j < i and j > 0 and text[j - 1] in _RUNON_AFTER else -1


def _word_before(text: str, end: int, backwards: str | None = None) -> str:
    """The word (letters, digits, ``_WORD_PUNCT``) ending at ``end``, at most ``_WORD_BEFORE_MAX`` long.

    ``backwards`` is ``text[::-1]``: one regex match there, at C speed, instead of a Python
    loop over characters (``split_spans`` reverses the text once for all its look-ups).
    """
    if backwards is None:
        backwards = text[::-1]
    m = _WORD_BACKWARDS.match(backwards, len(text) - end)
    return text[end - (m.end() - m.start()) : end] if m else ""


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings."""
    return [text[a:b] for a, b in split_spans(text)]


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
