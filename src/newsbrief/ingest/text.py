"""Readers for text: page text scraped from a news site, and plain article text.

Both go through one page reader (``page.read_page``): every non-blank line (a paragraph, in
hard-wrapped plain text) is classed as body or one kind of furniture by certain rules and a
line model, so a plain article still loses a leading byline, timestamp or share line, and a
page detected as plain is not left untouched. They differ only in what a unit is: a scraped
page is read line by line (every non-blank input line ends up in exactly one place), plain
text joins the lines of a hard-wrapped paragraph.
"""

from __future__ import annotations

from newsbrief.article import Article
from newsbrief.ingest.lines import LineModel
from newsbrief.ingest.page import read_page, take_header_prefix

__all__ = ["apply_dateline_prefix", "read_plain", "read_scraped"]


def read_scraped(text: str, *, title: str | None = None, model: LineModel | None = None) -> Article:
    """Read text copied or scraped from a news page, line by line.

    ``title``, when the caller knows it (HTML metadata), stops a headline-shaped line from
    being taken as the title. ``model`` replaces the shipped line model (for fitting).
    """
    return read_page(text, input_format="scraped", title=title, model=model)


def read_plain(text: str, *, model: LineModel | None = None) -> Article:
    """Read plain article text: paragraphs one per line or separated by blank lines."""
    return read_page(text, input_format="plain", join_wrapped=True, model=model)


def apply_dateline_prefix(article: Article, text: str, line: int | None) -> str:
    """Take a leading "(CNN) --" / "WASHINGTON (Reuters) -" off a paragraph into the article."""
    return take_header_prefix(article, text, line)
