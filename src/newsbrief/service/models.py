"""Request bodies of the JSON API, as pydantic models (they also make the OpenAPI schema).

Raw bodies (``text/plain``, ``text/html``, ``application/octet-stream``) and multipart
uploads carry the same options as query parameters / form fields and are validated by the
same models, so every way in obeys the same rules.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsbrief.summarize.highlights import HighlightsConfig

__all__ = ["ArticleRequest", "CheckRequest", "ErrorResponse", "InputFormat", "SummarizeRequest"]

InputFormat = Literal["auto", "scraped", "plain", "story", "html"]


def _highlights_settings_doc() -> str:
    defaults = HighlightsConfig()
    items = ", ".join(f"`{f.name}` ({getattr(defaults, f.name)!r})" for f in fields(HighlightsConfig))
    return (
        "Method settings (keywords of the method). For `highlights` these are the fields of "
        f"`HighlightsConfig`, with defaults: {items}. As in the CLI, an explicit `n` alone means "
        "exactly n highlights. Unknown keys are refused (`invalid_request`)."
    )


class ArticleInput(BaseModel):
    """Where the article comes from: exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        None, description="The article: scraped page text, plain text, a CNN/DailyMail .story file, or HTML."
    )
    html: str | None = Field(None, description="An HTML page (same as `text` with `format: html`).")
    url: str | None = Field(
        None, max_length=2048, description="An http(s) URL to fetch (only when the server allows URL fetching)."
    )
    format: InputFormat = Field("auto", description="Input format; `auto` detects it from the content.")
    name: str | None = Field(None, max_length=255, description="A file name, used as a hint by format detection.")

    def sources(self) -> list[str]:
        return [k for k in ("text", "html", "url") if getattr(self, k) is not None]


class _SummaryOptions(ArticleInput):
    method: str = Field(
        "highlights",
        max_length=200,
        description="Summarization method, optionally with settings in the CLI's syntax: `highlights:n=2`.",
    )
    settings: dict[str, Any] = Field(
        default_factory=dict, description=_highlights_settings_doc(), examples=[{"n": 3, "max_words": 60}]
    )


class ArticleRequest(_SummaryOptions):
    """``POST /v1/articles``: parse, summarize, analyze, check and store."""

    analyze: bool = Field(True, description="Find quotes with speakers and named entities.")
    check: bool = Field(True, description="Check the highlights' faithfulness against the article.")


class SummarizeRequest(_SummaryOptions):
    """``POST /v1/summarize``: parse and summarize, store nothing."""

    analyze: bool = Field(False, description="Also find quotes with speakers and named entities.")
    check: bool = Field(False, description="Also check the highlights' faithfulness.")


class CheckRequest(ArticleInput):
    """``POST /v1/check``: is a summary (from any system) supported by the article?"""

    summary: str | list[str] = Field(
        ..., description="The summary: one text (split into sentences) or a list of highlights (each checked whole)."
    )


class ErrorDetail(BaseModel):
    code: str = Field(..., description="Stable machine-readable code (see docs/service.md).")
    status: int
    message: str = Field(..., description="For people; may change.")
    details: Any = None


class ErrorResponse(BaseModel):
    """The shape of every error body."""

    error: ErrorDetail
