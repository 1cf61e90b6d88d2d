"""The data model every stage shares: Article in, Summary out.

Offsets are always character offsets into ``Article.body`` (Python ``str`` indices), so a
highlight's spans can be cut out of the body with ``body[start:end]`` by any consumer.
Everything serialises to plain JSON with a ``schema_version`` so files written today can be
read back (and migrated) later.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

# 1.1: Summary.explain and Summary.faithfulness (1.0 kept both inside Summary.settings).
# 1.2: Highlight.support (the check of that highlight); an unsupported highlight has no spans.
SCHEMA_VERSION = "1.2"
# The method name on a summary given to be checked (a client's, BART's, an LLM's), not ours.
GIVEN_METHOD = "given"

Span = tuple[int, int]

# How far the article backs one highlight (the checker's "consistent" / "check" /
# "inconsistent", said of a highlight rather than of a summary).
SupportVerdict = Literal["supported", "check", "unsupported"]

MediaKind = Literal["image", "video"]
# What a non-body line turned out to be. Nothing from the input is dropped: a line that is
# not body text, title, highlight, dateline or media lands in ``Article.blocks`` with one of
# these kinds.
BlockKind = Literal[
    "heading",  # a subheading inside the story ("Turkey feels the pinch")
    "related",  # a related-story link headline ("Turkey coup: How night of death ... unfolded")
    "label",  # page furniture such as "Story highlights"
    "dateline",  # "St. Petersburg, Russia CNN  —", "(CNN) --"
    "byline",  # "By Jane Smith", "By . Daily Mail Reporter ."
    "timestamp",  # "PUBLISHED: 10:22 EST, 16 March 2014 | UPDATED: ..."
    "caption",  # a photo caption or credit line
    "standfirst",  # the dek above the story: a one-sentence summary that is not body text
    "prompt",  # share / follow / newsletter / cookie / paywall / comment prompts
    "navigation",  # menus and breadcrumbs around the story
    "footer",  # copyright, legal and contact lines under the story
    "boilerplate",  # other page furniture ("Scroll down for video", "Advertisement")
]


@dataclass(slots=True)
class Paragraph:
    """A body paragraph: ``body[start:end]``; ``line`` is its 1-based input line if known.

    ``confidence`` is how sure the page reader is that the paragraph is article text (its line
    model's probability), or None where nothing was guessed (plain text, stories, datasets):
    the summarizer can prefer sure paragraphs without calling the reader."""

    id: int
    start: int
    end: int
    line: int | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Sentence:
    """A body sentence; ``text == body[start:end]``."""

    id: int
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(slots=True)
class Media:
    """An image or video that was embedded in the page.

    Scraped pages show a media item as its file name (which is really a caption:
    ``erdogan meets with putin in russia_00012016.jpg``), a title line, and for videos a
    ``03:00 - Source: CNN`` line. All three raw lines are kept in ``lines``.
    """

    kind: MediaKind
    file_name: str | None = None
    caption: str | None = None
    title: str | None = None
    duration: str | None = None
    duration_seconds: int | None = None
    source: str | None = None
    lines: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass(slots=True)
class Block:
    """A piece of the input that is not body text, kept with what it was judged to be."""

    kind: BlockKind
    text: str
    line: int | None = None


@dataclass(slots=True)
class Article:
    """A news article taken apart: metadata, body with paragraphs/sentences, and the noise."""

    body: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    id: str | None = None
    title: str | None = None
    source: str | None = None  # news organisation: "CNN", "Reuters", "Daily Mail"
    dateline: str | None = None  # place from the dateline: "St. Petersburg, Russia"
    byline: str | None = None
    published: str | None = None  # as written in the input; not parsed
    updated: str | None = None
    url: str | None = None
    site_name: str | None = None
    language: str | None = None
    reference_highlights: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    input_format: str | None = None
    notes: list[str] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def span_text(self, span: Span) -> str:
        return self.body[span[0] : span[1]]

    def to_dict(self) -> dict[str, Any]:
        return _ordered(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        _check_version(data)
        data = dict(data)
        data["paragraphs"] = [Paragraph(**p) for p in data.get("paragraphs", [])]
        data["sentences"] = [Sentence(**s) for s in data.get("sentences", [])]
        data["media"] = [Media(**m) for m in data.get("media", [])]
        data["blocks"] = [Block(**b) for b in data.get("blocks", [])]
        return cls(**_known(cls, data))


@dataclass(slots=True)
class Support:
    """The check of one highlight, filled in by the pipeline when it checks (never by a summarizer).

    ``verdict`` is that of the highlight's worst sentence and ``score`` its lowest score;
    ``issues`` are the checker's findings as JSON (``kind``, ``text``, ``span`` in the
    highlight's text, ``detail``, ``evidence``), and an ``unsupported`` highlight always has
    at least one. ``evidence``: body spans of the article passages that back it. ``nearest``:
    for an unsupported highlight only, the closest passages, which do **not** back it (shown
    for comparison, never as provenance: the highlight's own ``spans`` are then empty).
    """

    verdict: SupportVerdict
    score: float
    issues: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    nearest: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "issues": list(self.issues),
            "evidence": [list(s) for s in self.evidence],
            "nearest": [list(s) for s in self.nearest],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Support:
        return cls(
            verdict=data["verdict"],
            score=float(data["score"]),
            issues=list(data.get("issues") or []),
            evidence=[(int(a), int(b)) for a, b in data.get("evidence") or []],
            nearest=[(int(a), int(b)) for a, b in data.get("nearest") or []],
        )

    def label(self) -> str:
        """One line for people: ``unsupported 0.00: number '$5 billion' (no matching number ...)``."""
        head = f"{self.verdict} {self.score:.2f}"
        reasons = "; ".join(
            str(i.get("detail"))
            if i.get("kind") == "no_support"
            else f"{i.get('kind')} {i.get('text')!r} ({i.get('detail')})"
            for i in self.issues
        )  # a no_support issue's text is the whole sentence: its detail says enough
        return f"{head}: {reasons}" if reasons else head


@dataclass(slots=True)
class Highlight:
    """One bullet. ``spans`` are the body ranges its text was taken from, in order.

    ``spans`` claim provenance, so a highlight the checker found ``unsupported`` has none
    (``support.nearest`` keeps the closest passages, marked as not backing it).
    """

    text: str
    sentence_ids: list[int]
    spans: list[Span]
    score: float | None = None
    support: Support | None = None  # None: not checked


@dataclass(slots=True)
class Summary:
    """A method's output for one article, with enough context to reproduce and audit it.

    ``settings`` holds only the inputs that produced the summary (the resolved method
    settings); what a run *found* has its own field: ``explain`` (one row per body sentence,
    when asked for: why it was chosen or not) and ``faithfulness`` (the checker's report as a
    dict, attached by the pipeline, never by a summarizer).
    """

    highlights: list[Highlight]
    method: str
    settings: dict[str, Any] = field(default_factory=dict)
    article_id: str | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by stage
    notes: list[str] = field(default_factory=list)  # anything cut, skipped or truncated
    explain: list[dict[str, Any]] | None = None  # None: not asked for
    faithfulness: dict[str, Any] | None = None  # None: not checked
    schema_version: str = SCHEMA_VERSION

    @property
    def texts(self) -> list[str]:
        return [h.text for h in self.highlights]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, built field by field (``asdict``'s deep copy cost 16% of a CLI run).

        Containers are copied one level, so editing the result never edits the summary; the
        values inside ``settings``/``explain``/``faithfulness`` are shared, being JSON already.
        """
        return {
            "highlights": [
                {
                    "text": h.text,
                    "sentence_ids": list(h.sentence_ids),
                    "spans": [list(s) for s in h.spans],
                    "score": h.score,
                    "support": None if h.support is None else h.support.to_dict(),
                }
                for h in self.highlights
            ],
            "method": self.method,
            "settings": dict(self.settings),
            "article_id": self.article_id,
            "timings": dict(self.timings),
            "notes": list(self.notes),
            "explain": None if self.explain is None else list(self.explain),
            "faithfulness": None if self.faithfulness is None else dict(self.faithfulness),
            "schema_version": self.schema_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """Read a summary back; a 1.0 file kept explain rows and the report in ``settings``,
        1.0 and 1.1 highlights have no ``support`` (read as not checked)."""
        _check_version(data)
        data = dict(data)
        data["highlights"] = [
            Highlight(
                text=h["text"],
                sentence_ids=list(h.get("sentence_ids", [])),
                spans=[(int(a), int(b)) for a, b in h.get("spans", [])],
                score=h.get("score"),
                support=Support.from_dict(h["support"]) if h.get("support") else None,
            )
            for h in data.get("highlights", [])
        ]
        settings = dict(data.get("settings") or {})
        for key in ("explain", "faithfulness"):
            if key in settings and isinstance(settings[key], list | dict):
                moved = settings.pop(key)
                if data.get(key) is None:
                    data[key] = moved
        data["settings"] = settings
        return cls(**_known(cls, data))

    @classmethod
    def given(cls, data: Any) -> Summary:
        """A Summary JSON someone gives us to check. Only its highlights' texts are read (its
        method, spans and support are what is being checked, not evidence), so a missing
        ``method`` is no error; a shape that is not ``{"highlights": [{"text": ...}, ...]}``
        is a ``ValueError`` that says so in plain words, not a Python exception's."""
        items = data.get("highlights") if isinstance(data, dict) else None
        if not isinstance(items, list) or not all(isinstance(h, dict) for h in items):
            raise ValueError('it needs "highlights", a list of {"text": "..."} objects')
        for number, h in enumerate(items, 1):
            if not isinstance(h.get("text"), str):
                raise ValueError(f'highlight {number}\'s "text" is not text')
        try:
            return cls.from_dict({"method": GIVEN_METHOD, **data})
        except (KeyError, TypeError) as exc:
            raise ValueError(str(exc)) from None


def _check_version(data: dict[str, Any]) -> None:
    version = str(data.get("schema_version", SCHEMA_VERSION))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise ValueError(f"unsupported schema_version {version!r} (this newsbrief reads {SCHEMA_VERSION})")


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Put the fields a reader looks at first at the top of the JSON."""
    first = ["schema_version", "id", "title", "source", "dateline", "byline", "published", "updated"]
    out = {k: data[k] for k in first if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    return out
