"""One call for everything ``analyze`` finds in an article, with one JSON shape.

Bounded work: quotes, entities and numbers are looked for in the first
``MAX_ANALYSIS_CHARS`` characters of the body (cut at a sentence start), and quotes in the
part holding the first ``MAX_QUOTE_MARKS`` quote marks; ``Analysis.notes`` says when either
limit was reached. Both are far above any news article (the longest dev article is under
5,000 characters with under 100 marks); they keep a 5 MB body, or 5 MB of quote marks, from
taking minutes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from newsbrief.analyze.entities import Entity, find_entities
from newsbrief.analyze.numbers import Quantity, find_numbers
from newsbrief.analyze.quotes import Quote, find_quotes
from newsbrief.article import Article

__all__ = ["MAX_ANALYSIS_CHARS", "MAX_QUOTE_MARKS", "Analysis", "analyze"]

MAX_ANALYSIS_CHARS = 500_000  # characters of the body analysed
MAX_QUOTE_MARKS = 20_000  # quote marks (straight or curly, single or double) read for quotes
_MARK = re.compile(r"[\"“”'‘’]")


@dataclass(slots=True)
class Analysis:
    """Quotes, entities and numbers of one article; spans are offsets into ``Article.body``
    (entities from the title or dateline say so in ``field``). ``notes``: limits reached."""

    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    numbers: list[Quantity] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "quotes": [q.to_dict() for q in self.quotes],
            "entities": [e.to_dict() for e in self.entities],
            "numbers": [n.to_dict() for n in self.numbers],
            "notes": list(self.notes),
        }


def analyze(article: Article, *, nlp: Any = None) -> Analysis:
    """Entities first (the quote finder uses them to type and resolve speakers), then quotes
    and numbers. ``nlp``: an optional spaCy pipeline for the entities (see ``find_entities``)."""
    notes: list[str] = []
    article = _bounded(article, MAX_ANALYSIS_CHARS, notes, "quotes, entities and numbers", "MAX_ANALYSIS_CHARS")
    entities = find_entities(article, nlp=nlp)
    body_entities = entities if nlp is None else find_entities(article)
    quoted = article
    marks = [m.start() for _, m in zip(range(MAX_QUOTE_MARKS + 1), _MARK.finditer(article.body), strict=False)]
    if len(marks) > MAX_QUOTE_MARKS:
        quoted = _bounded(article, marks[-1], notes, "quotes", "MAX_QUOTE_MARKS")
        body_entities = [e for e in body_entities if e.field != "body" or e.span[1] <= len(quoted.body)]
    return Analysis(
        quotes=find_quotes(quoted, entities=body_entities),
        entities=entities,
        numbers=find_numbers(article.body),
        notes=notes,
    )


def _bounded(article: Article, limit: int, notes: list[str], what: str, name: str) -> Article:
    """The article up to the last sentence start at or before ``limit`` (or ``limit`` itself
    when one sentence is longer), noting the cut."""
    body = article.body
    if len(body) <= limit:
        return article
    starts = [s.start for s in article.sentences]
    k = bisect_right(starts, limit) - 1
    cut = starts[k] if k > 0 else limit
    notes.append(f"{what} looked for in the first {cut} of {len(body)} body characters ({name})")
    return replace(
        article,
        body=body[:cut],
        sentences=[s for s in article.sentences if s.end <= cut],
        paragraphs=[replace(p, end=min(p.end, cut)) for p in article.paragraphs if p.start < cut],
    )
