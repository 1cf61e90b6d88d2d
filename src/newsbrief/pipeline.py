"""One way through the house: read -> summarize -> analyze -> check, for every entry point.

Why one module: the command line, the batch workers, evaluation and the service each used to
assemble a method spec, build a summarizer, call the checker, time the stages, turn errors
into exit codes and write a record of their own, and they drifted apart (three record shapes,
five error tables, the checker run twice with ``--check``). Here each is done once:

* ``resolve_method`` turns ``"name:key=value"`` plus overrides into a ``MethodChoice`` whose
  settings the method's declared ``Setting``s have checked (``UsageError`` naming the setting);
* ``Pipeline`` builds the summarizer once and ``run``\\s one article (or a read error) into a
  ``Record`` with timings by stage; summarizers never call the checker, the pipeline does;
* ``Record.to_dict`` is the one output shape; ``ERRORS`` is the one error table (exit code for
  the command line, stable code for the service, whose HTTP status ``http_status`` gives);
* ``attach_support`` puts the checker's verdict on each highlight (``Highlight.support``), so
  a reader of the highlight list sees which claims the article backs, not only the report.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsbrief.article import GIVEN_METHOD, SCHEMA_VERSION, Article, Highlight, Span, Summary, Support, SupportVerdict
from newsbrief.errors import BackendError, InputError, NewsbriefError, UsageError
from newsbrief.summarize.base import DEFAULT_METHOD, Summarizer, get_method, get_summarizer
from newsbrief.summarize.spec import MethodSpec, method_label, parse_method

if TYPE_CHECKING:
    from newsbrief.analyze import Analysis
    from newsbrief.faithfulness import FaithfulnessReport, SentenceReport
    from newsbrief.ingest.jsonl import Record as InputRecord

__all__ = [
    "ERRORS",
    "MethodChoice",
    "Pipeline",
    "Record",
    "GIVEN_METHOD",
    "attach_support",
    "checked_summary",
    "given_summary",
    "error_code",
    "exit_code",
    "highlight_lines",
    "http_status",
    "resolve_method",
    "summary_units",
]

# The one error table: library error -> (command-line exit code, the service's error code).
# Subclasses map through their base; an error with its own ``code`` (the service's
# ``NotEnabled``) keeps it. Anything else is a bug: exit 1, ``internal_error``.
ERRORS: tuple[tuple[type[NewsbriefError], int, str], ...] = (
    (UsageError, UsageError.exit_code, "invalid_request"),
    (InputError, InputError.exit_code, "unreadable_input"),
    (BackendError, BackendError.exit_code, "backend_failed"),
)
INTERNAL = (1, "internal_error")


def _entry(exc: BaseException) -> tuple[int, str]:
    for kind, code, name in ERRORS:
        if isinstance(exc, kind):
            return code, name
    return INTERNAL


def exit_code(exc: BaseException) -> int:
    """The command line's exit status for ``exc``."""
    return _entry(exc)[0]


def error_code(exc: BaseException) -> str:
    """The service's stable error code for ``exc`` (``service/errors.py`` lists them)."""
    own = getattr(exc, "code", None)
    return own if isinstance(own, str) else _entry(exc)[1]


def http_status(exc: BaseException) -> int:
    """The HTTP status the service answers ``exc`` with."""
    from newsbrief.service.errors import ERROR_CODES  # standard library only: no FastAPI

    return ERROR_CODES[error_code(exc)][0]


@dataclass(frozen=True, slots=True)
class MethodChoice:
    """A method and its checked settings: what every entry point builds a summarizer from."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return method_label(self.name, self.settings)


def resolve_method(
    spec: str | MethodSpec = DEFAULT_METHOD, overrides: Mapping[str, Any] | None = None, *, client: bool = False
) -> MethodChoice:
    """``"lead:n=2"`` plus ``overrides`` (later wins) -> typed, validated settings.

    ``UsageError`` (exit 2) for an unknown method or a bad value, naming the setting and the
    type it expects; ``client``: the values come from a service request (no operator settings).
    """
    name, given = parse_method(spec)
    given.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return MethodChoice(name, get_method(name).coerce(given, client=client))


@dataclass(slots=True)
class Record:
    """One article's way through the pipeline, or the reason it stopped (``error``)."""

    id: str | None
    article: Article | None = None
    summary: Summary | None = None
    analysis: Analysis | None = None
    faithfulness: FaithfulnessReport | None = None
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by stage
    error: str | None = None
    exit_code: int = 0  # of the error, from ``ERRORS``
    error_code: str | None = None
    source: str | None = None  # where an error record came from
    line: int | None = None  # its 1-based JSONL line
    cause: BaseException | None = field(default=None, repr=False, compare=False)  # not serialised

    @property
    def ok(self) -> bool:
        return self.error is None

    def raise_error(self) -> None:
        """Raise what stopped this record (for callers that stop at the first failure)."""
        if self.error is None:
            return
        if self.cause is not None:
            raise self.cause
        raise InputError(self.error)

    def to_dict(self, *, article: bool = False, timings: bool = True) -> dict[str, Any]:
        """The one output shape (CLI JSON/JSONL, batch OUT lines, service records).

        ``id`` comes first: batch resume reads it back from the start of a line. Every key is
        always there (``null`` when a stage did not run), so readers need no per-command
        cases. ``timings=False`` writes ``{}`` (batch: reruns give byte-identical lines).
        """
        if self.error is not None:
            return {
                "id": self.id,
                "source": self.source,
                "line": self.line,
                "error": self.error,
                "error_code": self.error_code,
            }
        s = self.summary
        ours = s is not None and s.method != GIVEN_METHOD  # a given summary has no method of ours
        data: dict[str, Any] = {
            "id": self.id,
            "method": s.method if s and ours else None,
            "settings": s.settings if s and ours else None,
            "highlights": (
                [
                    {
                        "text": h.text,
                        "sentence_ids": h.sentence_ids,
                        "spans": [list(x) for x in h.spans],
                        "score": h.score,
                        "support": h.support.to_dict() if h.support is not None else None,
                    }
                    for h in s.highlights
                ]
                if s
                else None
            ),
            "explain": s.explain if s and ours else None,
            "analysis": self.analysis.to_dict() if self.analysis is not None else None,
            "faithfulness": self.faithfulness.to_dict() if self.faithfulness is not None else None,
            "notes": self.notes,
            "timings": {k: round(v, 6) for k, v in self.timings.items()} if timings else {},
            "schema_version": SCHEMA_VERSION,
        }
        if article:
            data["article"] = self.article.to_dict() if self.article is not None else None
        return data

    def to_json(self, *, indent: int | None = None, article: bool = False, timings: bool = True) -> str:
        return json.dumps(
            self.to_dict(article=article, timings=timings), ensure_ascii=False, indent=indent, default=str
        )


def failed(rid: str | None, exc: BaseException | str, *, source: str | None = None, line: int | None = None) -> Record:
    """An error record; a message string is an input error (a line that could not be read)."""
    if isinstance(exc, str):
        return Record(
            rid, error=exc, exit_code=InputError.exit_code, error_code="unreadable_input", source=source, line=line
        )
    code, name = exit_code(exc), error_code(exc)
    message = str(exc) if isinstance(exc, NewsbriefError) else f"internal error: {type(exc).__name__}: {exc}"
    return Record(rid, error=message, exit_code=code, error_code=name, source=source, line=line, cause=exc)


class Pipeline:
    """read -> summarize -> analyze -> check with one summarizer, built once.

    ``method=None`` summarizes nothing (``parse``, ``check``). ``check=None``: what the method
    asks for (the abstractive methods' ``faithfulness`` setting, on by default), else no. ``objects`` are Python objects
    the method's factory takes besides settings (an httpx transport): never from users.
    ``catch``: also turn unexpected exceptions into error records (batch: a bug in a method
    must not stop the run); library errors always become records. ``checker``: another
    ``(article, summary) -> FaithfulnessReport`` (``newsbrief.check.get_checker``).
    """

    def __init__(
        self,
        method: MethodChoice | None = None,
        *,
        analyze: bool = False,
        check: bool | None = None,
        objects: Mapping[str, Any] | None = None,
        catch: bool = False,
        summarizer: Summarizer | None = None,
        checker: Callable[..., FaithfulnessReport] | None = None,
    ) -> None:
        self.method = method
        self.analyze = analyze
        self.catch = catch
        self.summarizer = summarizer
        if summarizer is None and method is not None:
            self.summarizer = get_summarizer(method.name, objects=objects, **method.settings)
        self.check = bool(getattr(self.summarizer, "faithfulness", False)) if check is None else check
        self._check_fn: Callable[..., FaithfulnessReport] | None = checker  # None: the default checker
        self._analyze_fn: Callable[[Article], Analysis] | None = None

    def run(
        self,
        read: Article | Callable[[], Article],
        *,
        id: str | None = None,
        summary: str | Sequence[str] | Summary | None = None,
        source: str | None = None,
        line: int | None = None,
    ) -> Record:
        """One article through every stage asked for. ``read`` is the article or a function
        that reads it (timed as ``read``); ``summary`` is a given summary to check instead of
        writing one."""
        timings: dict[str, float] = {}
        rid = id
        try:
            t0 = time.perf_counter()
            article = read if isinstance(read, Article) else read()
            if not isinstance(read, Article):
                timings["read"] = time.perf_counter() - t0
            rid = id if id is not None else article.id
            if id is not None:
                article.id = id
            return self._stages(article, rid, timings, summary)
        except NewsbriefError as exc:
            return failed(rid, exc, source=source, line=line)
        except Exception as exc:
            if not self.catch:
                raise
            return failed(rid, exc, source=source, line=line)

    def run_all(self, records: Iterable[InputRecord], *, source: str | None = None) -> Iterator[Record]:
        """Records from ``iter_records`` through the pipeline; reading each is timed too."""
        it = iter(records)
        while True:
            t0 = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            read_s = time.perf_counter() - t0
            if item.error is not None or item.article is None:
                yield failed(item.id, item.error or "unreadable", source=source, line=item.line)
                continue
            record = self.run(item.article, source=source, line=item.line)
            if record.ok:
                record.timings = {"read": read_s, **record.timings}
            yield record

    def _stages(
        self, article: Article, rid: str | None, timings: dict[str, float], given: str | Sequence[str] | Summary | None
    ) -> Record:
        record = Record(rid, article=article, timings=timings)
        target: str | Sequence[str] | Summary | None = given
        given_notes: list[str] = []
        if given is not None:  # refused before any work is spent on it
            if not self.check:  # it would be dropped without a word: a given summary is there to check
                raise UsageError("a given summary is only checked: run it through Pipeline(check=True)")
            target, given_notes = given_summary(given)
        if self.summarizer is not None and given is None:
            t = time.perf_counter()
            summary = self.summarizer.summarize(article)
            timings["summarize"] = time.perf_counter() - t
            summary.article_id = rid
            summary.timings = {**summary.timings, "summarize": timings["summarize"]}
            record.summary = target = summary
        if self.analyze:
            t = time.perf_counter()
            record.analysis = self._analyzer()(article)
            timings["analyze"] = time.perf_counter() - t
        if self.check and target is not None:
            t = time.perf_counter()
            report = record.faithfulness = self._checker()(article, target)
            if record.summary is None:  # a given summary: its units become highlights with support
                record.summary = checked_summary(article, target, report)
                record.summary.notes.extend(given_notes)
            else:
                attach_support(record.summary, report)
                record.summary.faithfulness = report.to_dict()
            timings["check"] = time.perf_counter() - t
        record.notes = [*article.notes, *(record.summary.notes if record.summary else ())]
        return record

    def _checker(self) -> Callable[..., FaithfulnessReport]:
        if self._check_fn is None:
            from newsbrief.check import get_checker  # imported on first use: start-up stays fast

            self._check_fn = get_checker("default")
        return self._check_fn

    def _analyzer(self) -> Callable[[Article], Analysis]:
        if self._analyze_fn is None:
            from newsbrief.analyze import analyze

            self._analyze_fn = analyze
        return self._analyze_fn


# --- per-highlight support ------------------------------------------------------------------

# The report's verdicts, said of a highlight; worst first.
_VERDICTS: dict[str, SupportVerdict] = {"consistent": "supported", "check": "check", "inconsistent": "unsupported"}
_RANK: dict[SupportVerdict, int] = {"unsupported": 0, "check": 1, "supported": 2}


def summary_units(given: str | Sequence[str] | Summary) -> list[str]:
    """The units a checker checks, in its order (``faithfulness``'s): a text's sentences, a
    list's non-blank items, a ``Summary``'s non-blank highlights."""
    if isinstance(given, Summary):
        return [t for t in given.texts if t.strip()]
    if isinstance(given, str):
        from newsbrief.nlp.sentences import split_spans

        return [given[a:b] for a, b in split_spans(given)]
    return [t for t in given if t.strip()]


_LETTER = re.compile(r"[^\W_]")  # a letter or digit: what a checker reads as a word
# The reason on a highlight with words that the checker did not read.
UNREAD = "not checked: the checker reads only the first words of a long summary (see the report's notes)"
PART_READ = "not checked past here: the checker reads only the first words of a long summary"


def given_summary(given: str | Sequence[str] | Summary) -> tuple[str | list[str], list[str]]:
    """A given summary fit to check, and notes on what was changed; ``InputError`` when it is not.

    Why a gate here: a summary comes from a client, a PAIRS line or a caller's object, and the
    checker, the alignment and the JSON output each assumed text. An empty summary (or one of
    punctuation only) used to come back ``consistent`` with nothing checked; a non-text item
    crashed a whole PAIRS run; a NUL reached the output and a lone surrogate made the record
    unencodable. Text with no word in it is refused; lone surrogates become U+FFFD, with a note.
    A ``Summary`` is checked as the list of its highlights' texts (what checkers read of it).
    """
    if isinstance(given, str):
        items: list[Any] = [given]
    elif isinstance(given, Summary):
        items = [h.text for h in given.highlights]
    elif isinstance(given, Sequence) and not isinstance(given, (bytes, bytearray)):  # bytes: ints, not texts
        items = list(given)
    else:
        raise InputError(f"the summary is not text ({type(given).__name__}): give a text or a list of texts")
    from newsbrief.ingest.decode import replace_surrogates  # the article gate's own (``clean_text``)

    replaced = 0
    for number, item in enumerate(items, 1):
        where = "the summary" if isinstance(given, str) else f"summary item {number}"
        if not isinstance(item, str):
            raise InputError(f"{where} is not text ({type(item).__name__}): give a text or a list of texts")
        if "\x00" in item:
            raise InputError(f"{where} contains a NUL byte: binary data, not text")
        items[number - 1], count = replace_surrogates(item)
        replaced += count
    if not any(_LETTER.search(item) for item in items):
        what = "is empty" if not any(item.strip() for item in items) else "has no words (only punctuation or symbols)"
        raise InputError(f"the summary {what}: there is nothing to check")
    notes = [f"summary: replaced {replaced} lone surrogate code point(s) with U+FFFD"] if replaced else []
    return (items[0] if isinstance(given, str) else items), notes


def checked_summary(article: Article, given: str | Sequence[str] | Summary, report: FaithfulnessReport) -> Summary:
    """A given summary as highlights of ``article``, one per checked unit, each with its support.

    Why: a summary from any system (``check``, ``POST /v1/check``) deserves the same per-claim
    verdict as ours; its units are aligned to their best-supporting body sentences as an
    abstractive method's are (``summarize.align``), then ``attach_support`` takes the spans
    away from those the article does not back."""
    from newsbrief.summarize.align import AlignmentIndex, aligned_highlights

    highlights = aligned_highlights(article, summary_units(given), index=AlignmentIndex(article))
    summary = Summary(highlights=highlights, method=GIVEN_METHOD, article_id=article.id)
    attach_support(summary, report)
    summary.faithfulness = report.to_dict()
    return summary


def attach_support(summary: Summary, report: FaithfulnessReport) -> None:
    """Give every highlight of ``summary`` its ``Support`` from ``report`` (the check of it).

    A highlight may hold several report sentences (a long one is checked in pieces, a checker
    may split it): its verdict is its worst sentence's, its score the lowest. A highlight the
    article does not back loses its ``spans`` and ``sentence_ids`` (they would claim
    provenance it has none of); the checker's closest passages go to ``support.nearest``.

    A highlight with words the checker left unread (it reads a summary's first
    ``MAX_SUMMARY_WORDS`` words) is at best ``check``, saying where reading stopped, and a
    ``consistent`` report becomes ``check``, with a note: a verdict on part of a summary is not
    one on all of it (an invented 401st item passed as ``consistent``, "no words to check").
    """
    groups = _sentences_by_highlight(summary.highlights, report.sentences)
    thresholds = report.thresholds
    unread = 0
    for h, group in zip(summary.highlights, groups, strict=True):
        h.support = _support(h, group, thresholds)
        unread += any(i["detail"] in (UNREAD, PART_READ) for i in h.support.issues)
        if h.support.verdict == "unsupported":
            h.spans, h.sentence_ids = [], []
    if unread:
        summary.notes.append(
            f"{unread} of {len(summary.highlights)} highlights were not checked, or not all of them (the checker "
            "reads only the first words of a long summary): none of them says 'supported'"
        )
        if report.verdict == "consistent":
            report.verdict = "check"


def _sentence_verdict(s: SentenceReport, thresholds: Mapping[str, float]) -> SupportVerdict:
    own = getattr(s, "verdict", None)  # a checker that says it per sentence is taken at its word
    if own in _RANK:
        return own  # type: ignore[no-any-return]
    if isinstance(own, str) and own in _VERDICTS:
        return _VERDICTS[own]
    if s.score >= thresholds.get("consistent", 0.7):
        return "supported"
    if s.score < thresholds.get("inconsistent", 0.3):
        return "unsupported"
    return "check"


def _sentences_by_highlight(
    highlights: Sequence[Highlight], sentences: Sequence[SentenceReport]
) -> list[list[tuple[int | None, SentenceReport]]]:
    """Each highlight's report sentences, with where each starts in the highlight's text.

    A report sentence's ``index`` counts the non-blank highlights (what the checker was
    given); its text is part of that highlight's. Should a checker count otherwise (one
    index per sentence it split), the text finds the highlight: the next one, in order, that
    holds it."""
    groups: list[list[tuple[int | None, SentenceReport]]] = [[] for _ in highlights]
    units = [k for k, h in enumerate(highlights) if h.text.strip()]
    cursor = [0] * len(highlights)  # where the next piece of each highlight's text is looked for
    at = 0
    for s in sentences:
        piece = s.text.strip()
        k = units[s.index] if 0 <= s.index < len(units) else None
        if k is None or (piece and piece not in highlights[k].text):
            k = next((j for j in range(at, len(highlights)) if piece and piece in highlights[j].text), k)
        if k is None:
            continue
        text = highlights[k].text
        offset = text.find(s.text, cursor[k]) if s.text else -1
        if offset < 0:
            offset = text.find(s.text)
        if offset >= 0:
            cursor[k] = offset + len(s.text)
        groups[k].append((offset if offset >= 0 else None, s))
        at = k
    return groups


def _support(h: Highlight, group: list[tuple[int | None, SentenceReport]], thresholds: Mapping[str, float]) -> Support:
    if not group:  # nothing in it the checker read: no words, or words past its limit
        if _LETTER.search(h.text):
            return Support("check", 0.0, [_reason(h.text, 0, UNREAD)])
        return Support("check", 0.0, [_reason(h.text, 0, "the checker found no words to check")])
    verdict: SupportVerdict = "supported"
    issues: list[dict[str, Any]] = []
    evidence: list[Span] = []
    nearest: list[Span] = []
    for offset, s in group:
        v = _sentence_verdict(s, thresholds)
        if _RANK[v] < _RANK[verdict]:
            verdict = v
        shift = offset or 0
        found = [i.to_dict() for i in s.issues]
        for issue in found:
            a, b = issue["span"]
            issue["span"] = [a + shift, b + shift]
        if v == "unsupported" and not found:  # every unsupported verdict names a reason
            cut = thresholds.get("inconsistent", 0.3)
            found.append(_reason(s.text, shift, f"no article passage backs it (support {s.score:.2f}, below {cut:g})"))
        issues.extend(found)
        if s.support_span is not None:
            span = (s.support_span[0], s.support_span[1])
            target = nearest if v == "unsupported" else evidence
            if span not in target:
                target.append(span)
    read_to = max((offset + len(s.text) for offset, s in group if offset is not None), default=len(h.text))
    if _LETTER.search(h.text, read_to):  # words past the checker's limit: what was read is not all of it
        issues.append(_reason(h.text[read_to:], read_to, PART_READ))
        if verdict == "supported":
            verdict = "check"
    score = round(min(s.score for _, s in group), 4)
    return Support(verdict, score, issues, sorted(evidence), sorted(nearest))


def _reason(text: str, at: int, detail: str) -> dict[str, Any]:
    """An issue of the checker's shape for a highlight found wanting with nothing named."""
    return {"kind": "no_support", "text": text, "span": [at, at + len(text)], "detail": detail, "evidence": None}


def highlight_lines(summary: Summary, *, markdown: bool = False) -> list[str]:
    """The highlights for people, one line each, with the check of each when there is one:
    ``Putin announced ... [unsupported 0.00: number '$5 billion' (no matching number ...)]``."""
    lines = []
    for h in summary.highlights:
        line = f"- {h.text}" if markdown else h.text
        if h.support is not None:
            label = h.support.label()
            line += f" *[{label}]*" if markdown else f"  [{label}]"
        lines.append(line)
    return lines
