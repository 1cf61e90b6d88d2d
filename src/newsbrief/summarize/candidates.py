"""Which body sentences may become highlight material, and why the others may not.

The parser already moves captions, headings, bylines and media lines out of the body when
the input has line structure. Datasets flatten pages into one paragraph, so page furniture
survives inside the body as "sentences": Daily Mail captions that lost their final period
(``Townsend was brought on in the 83rd minute ... against Burnley``), captions with position
markers (``Merson (centre) criticised ...``), "Scroll down for video", contributor lines.
Each rule below rejects one such kind, with a reason that ``--explain`` shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbrief.article import Article, Sentence
from newsbrief.ingest import patterns as P

_CONTRIBUTED = re.compile(r"\bcontributed to this (?:report|story)\.?$", re.I)
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
# "Big reveal: At the end of ..." - DM caption kickers: a short capitalised label and a colon.
_KICKER = re.compile(r"^[A-Z][\w'’ -]{0,25}:\s+[A-Z]")
_WORD = re.compile(r"\S+")
# "... turned off across the region in March 2013 In there place, speed enforcement ...": a caption
# that lost its period runs into the next sentence, whose opening word keeps its capital.
_RUN_TOGETHER = re.compile(
    r"[a-z0-9] (?:In|The|It|He|She|They|This|But|However|His|Her|Their|Its|There|We|Meanwhile) [a-z]"
    r"|(?<=[a-z]) (?!(?:said|says|told|added|asked|wrote|titled|called|tweeted) )[a-z]+ ['‘“\"][A-Z][a-z]* [a-z]"
)


def rejection(sentence: Sentence, *, min_words: int = 6, max_words: int = 55) -> str | None:
    """Why ``sentence`` must not be highlight material, or None when it may be."""
    text = sentence.text
    if not _ENDS_LIKE_SENTENCE.search(text):
        return "no final punctuation (caption or heading fragment)"
    if P.FURNITURE_OPENING.match(text):
        return "page furniture"
    if _CONTRIBUTED.search(text):
        return "contributor line"
    if P.CAPTION_MARKER.search(text):
        return "photo caption marker"
    if _KICKER.match(text):
        return "caption kicker"
    if _RUN_TOGETHER.search(text):
        return "two sentences run together (a caption without its period)"
    n_words = len(_WORD.findall(text))
    if n_words < min_words:
        return f"shorter than {min_words} words"
    if n_words > max_words:
        # On the dev set nearly every "sentence" this long is captions run together that the
        # splitter could not take apart ("... in June Wiggins finished his ... on Sunday ...").
        return f"longer than {max_words} words (likely captions run together)"
    return None


# The page reader's confidence below which a paragraph's sentences are passed over, when enough
# sentences of surer paragraphs are usable (MIN_CONFIDENT): a dek, a caption or a teaser the
# reader kept as body by a narrow margin should not become a highlight while the body it is
# sure of has material. Chosen by bench/pages.py on training folds (see bench/results/pages.md);
# articles whose paragraphs carry no confidence (plain text, stories, datasets) are untouched.
CONFIDENCE_FLOOR = 0.75
MIN_CONFIDENT = 3


def unsure_sentences(
    article: Article, sentence_ids: Sequence[int], floor: float, *, min_confident: int = MIN_CONFIDENT
) -> set[int]:
    """The sentences of ``sentence_ids`` whose paragraph the reader scored below ``floor``, or
    none when fewer than ``min_confident`` of them come from paragraphs at or above it."""
    if floor <= 0:
        return set()
    unsure: set[int] = set()
    for sid in sentence_ids:
        confidence = article.paragraphs[article.sentences[sid].paragraph].confidence
        if confidence is not None and confidence < floor:
            unsure.add(sid)
    if not unsure or len(sentence_ids) - len(unsure) < min_confident:
        return set()
    return unsure
