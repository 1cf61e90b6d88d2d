"""CNN/DailyMail ``.story`` files: the article, then ``@highlight`` blocks."""

from __future__ import annotations

from newsbrief.article import Article
from newsbrief.ingest.text import read_plain

MARKER = "@highlight"


def read_story(text: str) -> Article:
    lines = text.splitlines()
    body_lines: list[str] = []
    highlights: list[str] = []
    in_highlight = False
    for raw in lines:
        s = raw.strip()
        if s == MARKER:
            in_highlight = True
            highlights.append("")
            continue
        if in_highlight:
            if s:
                highlights[-1] = f"{highlights[-1]} {s}".strip()
        else:
            body_lines.append(raw)
    article = read_plain("\n".join(body_lines)) if "".join(body_lines).strip() else Article()
    article.input_format = "story"
    article.reference_highlights = [h for h in highlights if h]
    if len(article.reference_highlights) < len(highlights):
        article.notes.append(f"{len(highlights) - len(article.reference_highlights)} empty @highlight block(s) ignored")
    return article
