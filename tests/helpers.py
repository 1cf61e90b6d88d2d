"""Test helpers shared by several test modules."""

from __future__ import annotations

import re
from collections import Counter

from newsbrief import Article


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def accounted_lines(article: Article) -> Counter[str]:
    """Every piece of input the article kept, one entry per input line it came from.

    A paragraph that began with a dateline ("(CNN) -- ...") is put back together with it, so
    the result can be compared with the input's non-blank lines.
    """
    out: Counter[str] = Counter()
    datelines = {b.line: b.text for b in article.blocks if b.kind == "dateline"}
    for p in article.paragraphs:
        text = article.body[p.start : p.end]
        if p.line in datelines:
            text = datelines.pop(p.line) + " " + text
        out[norm(text)] += 1
    for b in article.blocks:
        if b.kind != "dateline" or b.line in datelines:
            out[norm(b.text)] += 1
    for m in article.media:
        out.update(norm(x) for x in m.lines)
    out.update(norm(h) for h in article.reference_highlights)
    if article.title:
        out[norm(article.title)] += 1
    return out


def input_lines(text: str) -> Counter[str]:
    return Counter(norm(line) for line in text.splitlines() if line.strip())
