"""One call for everything ``analyze`` finds in an article, with one JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsbrief.analyze.entities import Entity, find_entities
from newsbrief.analyze.numbers import Quantity, find_numbers
from newsbrief.analyze.quotes import Quote, find_quotes
from newsbrief.article import Article

__all__ = ["Analysis", "analyze"]


@dataclass(slots=True)
class Analysis:
    """Quotes, entities and numbers of one article; spans are offsets into ``Article.body``
    (entities from the title or dateline say so in ``field``)."""

    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    numbers: list[Quantity] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "quotes": [q.to_dict() for q in self.quotes],
            "entities": [e.to_dict() for e in self.entities],
            "numbers": [n.to_dict() for n in self.numbers],
        }


def analyze(article: Article, *, nlp: Any = None) -> Analysis:
    """Entities first (the quote finder uses them to type and resolve speakers), then quotes
    and numbers. ``nlp``: an optional spaCy pipeline for the entities (see ``find_entities``)."""
    entities = find_entities(article, nlp=nlp)
    body_entities = entities if nlp is None else find_entities(article)
    return Analysis(
        quotes=find_quotes(article, entities=body_entities),
        entities=entities,
        numbers=find_numbers(article.body),
    )
