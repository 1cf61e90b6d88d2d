"""Article analysis: quotes with speakers, named entities, and normalised numbers.

Everything works offline with rules kept as data in ``newsbrief.nlp``; spans are character
offsets into ``Article.body`` like everywhere else in newsbrief.
"""

from __future__ import annotations

from newsbrief.analyze.analysis import Analysis, analyze
from newsbrief.analyze.entities import Entity, EntityLabel, find_entities
from newsbrief.analyze.numbers import Quantity, QuantityKind, find_numbers, parse_number
from newsbrief.analyze.quotes import Quote, find_quotes

__all__ = [
    "Analysis",
    "Entity",
    "EntityLabel",
    "Quantity",
    "QuantityKind",
    "Quote",
    "analyze",
    "find_entities",
    "find_numbers",
    "find_quotes",
    "parse_number",
]
