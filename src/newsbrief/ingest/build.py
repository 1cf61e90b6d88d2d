"""Assemble body text, paragraphs and sentences from the paragraphs a reader kept."""

from __future__ import annotations

from collections.abc import Iterable

from newsbrief.article import Article, Paragraph, Sentence
from newsbrief.nlp.sentences import split_spans

PARAGRAPH_SEPARATOR = "\n\n"


# A kept paragraph: (text, input line), or (text, input line, the reader's confidence in it).
KeptParagraph = tuple[str, int | None] | tuple[str, int | None, float | None]


def set_body(article: Article, paragraphs: Iterable[KeptParagraph]) -> Article:
    """Fill ``body``, ``paragraphs`` and ``sentences`` from (text, input line[, confidence]).

    Paragraph texts are joined with a blank line so that offsets stay valid and no sentence
    can straddle two paragraphs.
    """
    parts: list[str] = []
    article.paragraphs = []
    article.sentences = []
    offset = 0
    for text, line, *confidence in paragraphs:
        text = text.strip()
        if not text:
            continue
        if parts:
            offset += len(PARAGRAPH_SEPARATOR)
        pid = len(article.paragraphs)
        article.paragraphs.append(
            Paragraph(
                id=pid,
                start=offset,
                end=offset + len(text),
                line=line,
                confidence=confidence[0] if confidence else None,
            )
        )
        for a, b in split_spans(text):
            article.sentences.append(
                Sentence(id=len(article.sentences), start=offset + a, end=offset + b, text=text[a:b], paragraph=pid)
            )
        parts.append(text)
        offset += len(text)
    article.body = PARAGRAPH_SEPARATOR.join(parts)
    return article
