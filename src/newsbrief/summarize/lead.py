"""Lead baselines: the first sentences of the body, the standard news baseline (LEAD-3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from newsbrief.article import Article, Sentence, Summary
from newsbrief.summarize.base import register, sentence_highlight
from newsbrief.summarize.settings import from_dataclass


@dataclass(frozen=True, slots=True)
class LeadSummarizer:
    """The first ``n`` body sentences."""

    n: int = 3
    name: ClassVar[str] = "lead"

    def __post_init__(self) -> None:
        if self.n < 1:
            raise ValueError("n must be at least 1")

    def summarize(self, article: Article) -> Summary:
        chosen = article.sentences[: self.n]
        notes = []
        if len(chosen) < self.n:
            notes.append(f"article has {len(article.sentences)} body sentence(s), fewer than n={self.n}")
        return Summary(
            highlights=[sentence_highlight(s) for s in chosen],
            method=self.name,
            settings={"n": self.n},
            article_id=article.id,
            notes=notes,
        )


@dataclass(frozen=True, slots=True)
class LeadWordsSummarizer:
    """Leading sentences while they fit in ``max_words`` (always at least one sentence)."""

    max_words: int = 60
    name: ClassVar[str] = "lead-words"

    def __post_init__(self) -> None:
        if self.max_words < 1:
            raise ValueError("max_words must be at least 1")

    def summarize(self, article: Article) -> Summary:
        chosen: list[Sentence] = []
        words = 0
        notes = []
        for sentence in article.sentences:
            count = len(sentence.text.split())
            if chosen and words + count > self.max_words:
                break
            chosen.append(sentence)
            words += count
        if chosen and words > self.max_words:
            notes.append(f"first sentence has {words} words, over max_words={self.max_words}; kept whole")
        return Summary(
            highlights=[sentence_highlight(s) for s in chosen],
            method=self.name,
            settings={"max_words": self.max_words},
            article_id=article.id,
            notes=notes,
        )


register(
    "lead",
    "first N body sentences (LEAD-N baseline)",
    settings=from_dataclass(LeadSummarizer, n={"low": 1, "high": 1000, "help": "sentences to take"}),
)(LeadSummarizer)
register(
    "lead-words",
    "leading body sentences up to a word budget",
    settings=from_dataclass(LeadWordsSummarizer, max_words={"low": 1, "high": 100_000, "help": "word budget"}),
)(LeadWordsSummarizer)
