"""HTML pages through trafilatura: main text plus title, author, date and site name."""

from __future__ import annotations

import logging
import warnings

from newsbrief.article import Article
from newsbrief.errors import InputError
from newsbrief.ingest.text import read_scraped


def read_html(html: str, *, url: str | None = None) -> Article:
    import trafilatura  # imported here: the HTML reader is the only user and it is slow to import

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=False
            )
        except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
            raise InputError(f"cannot parse HTML: {exc}") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError("HTML page has no article text that could be extracted")
    title = getattr(doc, "title", None) or None
    lines = text.splitlines()
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:])  # trafilatura repeats the <h1> headline as the first line
    # Page text: the scraped-page rules keep subheadings and related links out of the body.
    article = read_scraped(text, title=title)
    article.input_format = "html"
    article.byline = getattr(doc, "author", None) or article.byline
    article.published = getattr(doc, "date", None) or article.published
    article.site_name = getattr(doc, "sitename", None)
    article.url = getattr(doc, "url", None) or url
    article.language = getattr(doc, "language", None)
    if not article.body:
        raise InputError("HTML page has no article text that could be extracted")
    return article
