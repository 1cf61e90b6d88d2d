"""Request and response bodies of the JSON API, as pydantic models (they make the OpenAPI schema).

Raw bodies (``text/plain``, ``text/html``, ``application/octet-stream``) and multipart
uploads carry the same options as query parameters / form fields and are validated by the
same models, so every way in obeys the same rules.

Responses are ``newsbrief.pipeline.Record.to_dict(article=True)``, the shape the command line
and batch write; ``RecordResponse`` and ``StoredRecordResponse`` only describe it for the
schema (the handlers answer the record as it is, and a test holds the two together).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsbrief.summarize.highlights import HighlightsConfig

__all__ = [
    "ArticleRequest",
    "CheckRequest",
    "ErrorResponse",
    "HighlightOut",
    "InputFormat",
    "RecordResponse",
    "StoredRecordResponse",
    "Support",
    "SummarizeRequest",
]

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


# --- responses: the pipeline's record ---------------------------------------------------------

SpanOut = list[int]  # [start, end]: character offsets into article.body


class Support(BaseModel):
    """The check of one highlight (null when the request did not check)."""

    model_config = ConfigDict(extra="forbid")  # a key the record gains must be documented here

    verdict: Literal["supported", "check", "unsupported"] = Field(
        ..., description="The verdict of the highlight's worst sentence."
    )
    score: float = Field(..., description="Support in [0, 1]: the lowest of its sentences' scores.")
    issues: list[dict[str, Any]] = Field(
        ...,
        description="What the article does not back: `kind`, `text`, `span` (in the highlight's text), "
        "`detail`, `evidence` (a body span, for a flip). An `unsupported` highlight always names one.",
    )
    evidence: list[SpanOut] = Field(..., description="Body spans of the passages that back it.")
    nearest: list[SpanOut] = Field(
        ...,
        description="Unsupported highlights only: the closest passages, which do NOT back it (the "
        "highlight's own `spans` are then empty: it claims no provenance).",
    )


class HighlightOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    sentence_ids: list[int] = Field(..., description="Body sentences it was taken from (empty when unsupported).")
    spans: list[SpanOut] = Field(
        ..., description="Body spans its text comes from: `article.body[start:end]`; empty when unsupported."
    )
    score: float | None = Field(None, description="The method's own score (selection or alignment).")
    support: Support | None = None


class RecordResponse(BaseModel):
    """``POST /v1/summarize`` and ``POST /v1/check``: one pipeline record (as ``newsbrief
    summarize --format json`` writes it) with the parsed article."""

    model_config = ConfigDict(extra="forbid")  # a key the record gains must be documented here

    id: str | None = Field(None, description="The article's id, if the input had one (stored: the content id).")
    method: str | None = Field(None, description="null for `/v1/check` (the summary is the client's).")
    settings: dict[str, Any] | None = Field(None, description="The method's resolved settings.")
    highlights: list[HighlightOut] | None = Field(
        None,
        description="The summary's highlights, each with its `support` when checked. For `/v1/check`: one "
        "per unit checked (each list item, or each sentence of a text), spans at the article passages "
        "that back it (none when unsupported).",
    )
    explain: list[dict[str, Any]] | None = None
    analysis: dict[str, Any] | None = Field(None, description="Quotes, entities, numbers; null unless asked.")
    faithfulness: dict[str, Any] | None = Field(
        None, description="The summary-level report (score, verdict, per-sentence reports); null unless checked."
    )
    notes: list[str] = Field(..., description="The article's notes, then the summary's.")
    timings: dict[str, float] = Field(..., description="Seconds by stage: read, summarize, analyze, check, store.")
    schema_version: str
    article: dict[str, Any] = Field(..., description="`Article.to_dict()`: body, paragraphs, sentences, media, ...")


class StoredRecordResponse(RecordResponse):
    """``POST /v1/articles`` and ``GET /v1/articles/{id}``: the record with the stored id as
    ``id`` and where it is. ``created`` only on POST, ``summary_count`` only on GET."""

    id: str | None = Field(..., description="Content-derived and stable: the same text gets the same id.")
    href: str
    created_at: str
    created: bool | None = Field(None, description="POST: whether this post stored a new article.")
    summary_count: int | None = Field(None, description="GET: how many summaries the article has stored.")
