"""A summary from any system, as highlights that each carry the checker's verdict.

Why: ``POST /v1/check`` and ``newsbrief check`` are given a summary (BART's, an LLM's, a
person's), not one of ours, so the pipeline's record had no highlights and the verdict on
each sentence lay only in the report (``faithfulness.sentences``): a reader of a checked LLM
summary saw no flag on the invented sentence. Here every unit the checker was given becomes a
``Highlight`` the way an abstractive method's do (``summarize.align``: spans at the
best-supporting body sentences), and ``pipeline.attach_support`` (the one mapping, as for
``summarize --check``) puts its verdict on it: an unsupported unit loses its spans and keeps
its closest passages in ``support.nearest``.

Units, as the checker counts them: a text is split into sentences (``nlp.sentences``, the
checker's splitter); a list is one unit per non-blank item; a ``Summary`` is its highlights.

The record keeps its shape (``Record.to_dict``; ``method`` and ``settings`` stay null: the
summary is the client's). ``newsbrief check`` uses ``checked_record`` and ``checked_summary``;
``run_job`` is the service's worker handler: the pipeline's
``run_job`` for everything else, this for check jobs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsbrief.article import Article, Summary
from newsbrief.ingest.decode import clean_text
from newsbrief.nlp.sentences import split_spans
from newsbrief.pipeline import Pipeline, Record, attach_support
from newsbrief.summarize.align import AlignmentIndex, aligned_highlights

if TYPE_CHECKING:
    from newsbrief.faithfulness import FaithfulnessReport
    from newsbrief.service.pipeline import Done, Job

__all__ = ["checked_record", "checked_summary", "run_job", "summary_units"]

GIVEN_METHOD = "given"  # the Summary's method name; never shown (the record's method stays null)


def summary_units(given: str | Sequence[str] | Summary) -> list[str]:
    """The units the checker checks, in its order and with its indices (``faithfulness._units``)."""
    if isinstance(given, Summary):
        return [t for t in given.texts if t.strip()]
    if isinstance(given, str):
        return [given[a:b] for a, b in split_spans(given)]
    return [t for t in given if t.strip()]


def checked_summary(article: Article, given: str | Sequence[str] | Summary, report: FaithfulnessReport) -> Summary:
    """``given`` as highlights of ``article``, one per checked unit, each with its ``support``."""
    highlights = aligned_highlights(article, summary_units(given), index=AlignmentIndex(article))
    summary = Summary(highlights=highlights, method=GIVEN_METHOD, article_id=article.id)
    attach_support(summary, report)
    return summary


def checked_record(
    record: Record, given: str | Sequence[str] | Summary, *, article: bool = False, timings: bool = True
) -> dict[str, Any]:
    """``record.to_dict`` of a check, with ``highlights``: the given summary's units and their support.

    ``record`` is a check of ``given`` (``Pipeline.run(..., summary=given)``), not an error.
    """
    data = record.to_dict(article=article, timings=timings)
    if record.article is None or record.faithfulness is None:
        return data
    t0 = time.perf_counter()
    summary = checked_summary(record.article, given, record.faithfulness)
    data["highlights"] = Record(record.id, summary=summary).to_dict()["highlights"]  # the one highlight shape
    if timings:  # aligning and attaching are part of checking
        data["timings"]["check"] = round(data["timings"].get("check", 0.0) + time.perf_counter() - t0, 6)
    return data


# --- the service's worker handler -----------------------------------------------------------------


@lru_cache(maxsize=1)
def _checker() -> Pipeline:
    return Pipeline(check=True)  # built once per worker


def _clean(summary: str | tuple[str, ...]) -> str | list[str]:
    """Summary text from a client through the same text gate as articles."""
    if isinstance(summary, str):
        return clean_text(summary)[0] if summary.strip() else summary
    return [clean_text(s)[0] if s.strip() else s for s in summary]


def run_job(job: Job) -> Done:
    """One request's work in a worker process: a check job answers the record with the checked
    highlights; any other job is ``service.pipeline.run_job``'s."""
    from newsbrief.service import pipeline as service_pipeline  # the worker's; ``check`` needs none of it

    if job.summary is None or job.method is not None:
        return service_pipeline.run_job(job)
    given = _clean(job.summary)
    record = _checker().run(lambda: service_pipeline.read_article(job.raw, max_bytes=job.max_bytes), summary=given)
    record.raise_error()
    return service_pipeline.Done(checked_record(record, given, article=True))
