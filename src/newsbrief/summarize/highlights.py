"""The default highlights engine: offline, deterministic, every word from the article.

How it works, and why (figures in ``bench/results/highlights.md``):

1. **Candidates**: body sentences that are not page furniture (``candidates.rejection``).
   Captions and contributor lines that survive in flattened datasets never become highlights.
2. **Score**: a linear scorer over sentence features (``features.py``: place among the
   candidates, length, numbers, centrality), with weights fitted on
   folds by ``bench/fit_highlights.py`` and shipped as data (``data/highlights_weights.json``);
   ``scorer="position"`` keeps the plain position prior (with quotation and question penalties)
   for comparison; the held-out grid no longer offers it (it lost there on the original highlights).
3. **Select**: greedily by score, skipping a sentence whose content words mostly repeat
   those already chosen; ``n`` highlights, one more (up to ``max_n``) while the summary is
   shorter than ``target_words`` and the new one keeps it within ``max_words``; then put back
   in article order. So the length fits the article: two highlights where the first two are
   full sentences, a third where they are short. (A short article, at most ``short_article``
   usable sentences, can also be held to ``short_n``; on held-out folds the word rule did better
   and the default leaves this off.)
4. **Shorten**: each chosen sentence is cut (``compress``) to read like a highlight, never
   below ``min_highlight_words`` and only where the rest keeps the meaning: a dateline left in
   the text, trailing attributions, parentheticals, opening discourse markers, and the clause
   after the point. Kept character spans are recorded exactly.

All settings live in ``HighlightsConfig``: the API, CLI and service take the same object.
The defaults were chosen together by 5-fold cross-validation on
../shared/data/dev/summeval.jsonl (``bench/highlights_cv.py``; held-out figures in
``bench/results/highlights_cv.md``); change them together, with the benchmark, not one by one.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from typing import Any, ClassVar

from newsbrief.article import Article, Highlight, Sentence, Summary
from newsbrief.summarize.base import register
from newsbrief.summarize.candidates import CONFIDENCE_FLOOR, rejection, unsure_sentences
from newsbrief.summarize.compress import DEFAULT_OPS, OPS, Cut, compress
from newsbrief.summarize.features import FEATURES, sentence_features
from newsbrief.summarize.settings import Setting, from_dataclass

_CONTENT = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the of to in on at by for from with as and or but is are was were be been has have had
    he she it they his her their its this that these those i you we who which what said says will
    would could can not no after before over into about than more also one up out""".split()
)
_QUOTE_START = re.compile(r"^[\"“'‘]")
SCORERS = ("learned", "position")
WEIGHTS_FILE = "highlights_weights.json"


@functools.cache
def learned_weights() -> tuple[float, ...]:
    """The scorer's weights (``data/highlights_weights.json``, fitted by bench/fit_highlights.py)."""
    text = resources.files("newsbrief.summarize").joinpath("data", WEIGHTS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{WEIGHTS_FILE} does not match summarize.features.FEATURES; refit (bench/fit_highlights.py)")
    return tuple(float(w) for w in data["weights"])


@dataclass(frozen=True, slots=True, kw_only=True)
class HighlightsConfig:
    """Settings of the default engine (tuned as a set; see module docstring)."""

    n: int = 2  # highlights to write
    max_n: int = 3  # at most this many: one more while the summary is short
    target_words: int = 40  # add highlights (up to max_n) while below this
    max_words: int = (
        70  # never exceed (an explicit n alone raises it to 35 words a highlight): a highlight that would is not added
    )
    min_highlight_words: int = 20  # cutting never leaves fewer words than this
    max_highlight_words: int = 45  # a highlight still longer than this after cutting is skipped
    min_sentence_words: int = 6  # shorter sentences are not candidates
    max_sentence_words: int = 55  # longer "sentences" are mostly captions run together
    position_decay: float = 1.0  # score = 1 / (1 + rank) ** position_decay
    quote_penalty: float = 0.5  # multiplier for a sentence that opens with a quotation mark
    question_penalty: float = 0.5  # multiplier for a question
    redundancy: float = 0.5  # skip a sentence sharing more than this share of content words
    cuts: tuple[str, ...] = DEFAULT_OPS  # cut operations (compress.OPS); () keeps whole sentences
    scorer: str = "learned"  # "learned" (features x fitted weights) or "position" (the prior alone)
    short_article: int = 0  # an article with at most this many candidate sentences gets short_n (0: off)
    short_n: int = 2  # highlights (at most) for a short article

    def __post_init__(self) -> None:
        if not 1 <= self.n <= self.max_n:
            raise ValueError(f"need 1 <= n <= max_n, got n={self.n}, max_n={self.max_n}")
        if self.min_highlight_words < 1 or self.max_highlight_words < self.min_highlight_words:
            raise ValueError("need 1 <= min_highlight_words <= max_highlight_words")
        if not 0 <= self.redundancy <= 1:
            raise ValueError("redundancy must be between 0 and 1")
        if self.scorer not in SCORERS:
            raise ValueError(f"unknown scorer {self.scorer!r}; known: {', '.join(SCORERS)}")
        if self.short_n < 1:
            raise ValueError("short_n must be at least 1")
        unknown = set(self.cuts) - set(OPS)
        if unknown:
            raise ValueError(f"unknown cut operation(s) {sorted(unknown)}; known: {', '.join(OPS)}")

    @classmethod
    def from_settings(cls, **settings: Any) -> HighlightsConfig:
        """Build from CLI-style settings: an explicit ``n`` alone means exactly ``n`` highlights,
        whatever the article's length."""
        if "n" in settings and "max_n" not in settings:
            settings["max_n"] = settings["n"]
            settings.setdefault("short_article", 0)
            settings.setdefault("max_words", max(_DEFAULT_MAX_WORDS, 35 * settings["n"]))
        return cls(**settings)


@functools.cache
def _settings_of(config: HighlightsConfig) -> dict[str, Any]:
    """``asdict`` once per config, not once per article (it was 12% of summarize)."""
    return asdict(config)


_DEFAULT_MAX_WORDS = HighlightsConfig.__dataclass_fields__["max_words"].default


@dataclass(slots=True)
class Candidate:
    """One body sentence as the engine saw it: for ``--explain``."""

    sentence_id: int
    score: float
    parts: dict[str, float]
    rejected: str | None = None
    chosen: bool = False
    skipped: str | None = None
    cut: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class HighlightsSummarizer:
    """The default method: see module docstring."""

    config: HighlightsConfig = HighlightsConfig()
    explain: bool = False
    # not a setting: fitted with the page reader's line model (candidates.CONFIDENCE_FLOOR)
    confidence_floor: float = CONFIDENCE_FLOOR
    name: ClassVar[str] = "highlights"

    def summarize(self, article: Article) -> Summary:
        cfg = self.config
        notes: list[str] = []
        candidates = self._score(article)
        n, max_n = cfg.n, cfg.max_n
        usable = sum(c.rejected is None for c in candidates)
        if usable <= cfg.short_article:
            n, max_n = min(n, cfg.short_n), min(max_n, cfg.short_n)
            notes.append(f"short article ({usable} usable sentences): at most {max_n} highlight(s)")
        chosen: list[tuple[Sentence, Cut, Candidate]] = []
        seen: set[str] = set()
        words = 0
        for cand in sorted((c for c in candidates if c.rejected is None), key=lambda c: (-c.score, c.sentence_id)):
            if len(chosen) >= max_n or (len(chosen) >= n and words >= cfg.target_words):
                break
            sentence = article.sentences[cand.sentence_id]
            content = _content_words(sentence.text)
            if chosen and content and len(content & seen) / len(content) > cfg.redundancy:
                cand.skipped = "repeats earlier highlights"
                continue
            cut = self._cut(sentence)
            n_words = len(cut.text.split())
            if n_words > cfg.max_highlight_words:
                cand.skipped = f"{n_words} words after cutting, over max_highlight_words={cfg.max_highlight_words}"
                continue
            if chosen and words + n_words > cfg.max_words:
                cand.skipped = f"would take the summary over max_words={cfg.max_words}"
                continue
            cand.chosen, cand.cut = True, cut.changes
            chosen.append((sentence, cut, cand))
            seen |= content
            words += n_words
        if not chosen:
            chosen = self._fallback(article, candidates, notes)
        if len(chosen) < n:
            notes.append(f"{len(chosen)} highlight(s): the article has too few usable sentences for n={n}")
        rejected = sum(c.rejected is not None for c in candidates)
        if rejected:
            notes.append(f"{rejected} body sentence(s) rejected as highlight material (captions, furniture, fragments)")
        chosen.sort(key=lambda item: item[0].id)
        highlights = [
            Highlight(text=cut.text, sentence_ids=[s.id], spans=cut.spans, score=round(cand.score, 4))
            for s, cut, cand in chosen
        ]
        summary = Summary(
            highlights=highlights,
            method=self.name,
            settings=dict(_settings_of(cfg)),
            article_id=article.id,
            notes=notes,
        )
        if self.explain:
            summary.explain = [c.to_dict() for c in candidates]
        return summary

    def _score(self, article: Article) -> list[Candidate]:
        cfg = self.config
        out: list[Candidate] = []
        usable: list[Candidate] = []
        for s in article.sentences:
            why = rejection(s, min_words=cfg.min_sentence_words, max_words=cfg.max_sentence_words)
            out.append(Candidate(s.id, 0.0, {}, rejected=why))
            if why is None:
                usable.append(out[-1])
        if unsure := unsure_sentences(article, [c.sentence_id for c in usable], self.confidence_floor):
            for cand in usable:
                if cand.sentence_id in unsure:
                    cand.rejected = (
                        f"from a paragraph the page reader is unsure of (confidence < {self.confidence_floor})"
                    )
            usable = [c for c in usable if c.rejected is None]
        if cfg.scorer == "learned":
            self._score_learned(article, usable)
        else:
            self._score_position(article, usable)
        return out

    def _score_position(self, article: Article, usable: list[Candidate]) -> None:
        """The prior alone: 1 / (1 + rank) ** decay, with the quotation and question penalties."""
        cfg = self.config
        for rank, cand in enumerate(usable):
            text = article.sentences[cand.sentence_id].text
            parts = {"position": 1.0 / (1 + rank) ** cfg.position_decay}
            if _QUOTE_START.match(text):
                parts["quote"] = cfg.quote_penalty
            if text.rstrip("\"'”’ ").endswith("?"):
                parts["question"] = cfg.question_penalty
            score = parts["position"]
            for key in ("quote", "question"):
                score *= parts.get(key, 1.0)
            cand.score, cand.parts = score, parts

    def _score_learned(self, article: Article, usable: list[Candidate]) -> None:
        """Features x weights; ``parts`` keeps the three largest contributions for --explain."""
        weights = learned_weights()
        sentences = [article.sentences[c.sentence_id] for c in usable]
        rows = sentence_features([s.text for s in sentences])
        for cand, row in zip(usable, rows, strict=True):
            cand.score = sum(w * x for w, x in zip(weights, row, strict=True))
            if self.explain:  # the parts are for people: not worth their cost otherwise
                contributions = [
                    (w * x, k) for w, x, k in zip(weights, row, FEATURES, strict=True) if x and k != "bias"
                ]
                top = sorted(contributions, key=lambda item: -abs(item[0]))[:3]
                cand.parts = {name: round(c, 3) for c, name in top}

    def _cut(self, sentence: Sentence) -> Cut:
        if not self.config.cuts:
            return Cut(sentence.text, [(sentence.start, sentence.end)])
        return compress(sentence.text, sentence.start, min_words=self.config.min_highlight_words, ops=self.config.cuts)

    def _fallback(
        self, article: Article, candidates: list[Candidate], notes: list[str]
    ) -> list[tuple[Sentence, Cut, Candidate]]:
        """No usable sentence (a one-line article, all captions): take the first sentence whole."""
        if not article.sentences:
            notes.append("article has no body sentences")
            return []
        first = article.sentences[0]
        notes.append("no sentence passed the highlight rules; the first sentence is used as it is")
        cand = candidates[0]
        cand.chosen = True
        return [(first, Cut(first.text, [(first.start, first.end)]), cand)]


def _content_words(text: str) -> set[str]:
    return {w for w in _CONTENT.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _factory(*, explain: bool = False, config: HighlightsConfig | None = None, **settings: Any) -> HighlightsSummarizer:
    """Registry entry: a whole ``config`` (a Python object), keyword settings, or settings overriding a config."""
    if config is None:
        config = HighlightsConfig.from_settings(**settings)
    elif settings:
        config = replace(config, **settings)
    return HighlightsSummarizer(config=config, explain=explain)


# Bounds are generous (any sensible experiment fits) but finite: every value keeps the work linear.
SETTINGS = (
    *from_dataclass(
        HighlightsConfig,
        n={"low": 1, "high": 20, "help": "highlights to write (alone: exactly n)"},
        max_n={"low": 1, "high": 20, "help": "at most this many highlights"},
        target_words={"low": 1, "high": 1000, "help": "add highlights while the summary is shorter"},
        max_words={"low": 1, "high": 2000, "help": "summary word budget"},
        min_highlight_words={"low": 1, "high": 200, "help": "cutting never leaves fewer words"},
        max_highlight_words={"low": 1, "high": 500, "help": "longer highlights are skipped"},
        min_sentence_words={"low": 1, "high": 200, "help": "shorter sentences are not candidates"},
        max_sentence_words={"low": 1, "high": 2000, "help": "longer sentences are not candidates"},
        position_decay={"low": 0, "high": 10, "help": "score = 1 / (1 + rank) ** position_decay"},
        quote_penalty={"low": 0, "high": 1, "help": "multiplier for a sentence opening with a quotation"},
        question_penalty={"low": 0, "high": 1, "help": "multiplier for a question"},
        redundancy={"low": 0, "high": 1, "help": "skip a sentence sharing more than this share of words"},
        cuts={"choices": tuple(OPS), "help": "cut operations; none keeps whole sentences"},
        scorer={"choices": SCORERS, "help": "learned (features x fitted weights) or position (the prior alone)"},
        short_article={"low": 0, "high": 1000, "help": "articles with at most this many usable sentences get short_n"},
        short_n={"low": 1, "high": 20, "help": "highlights (at most) for a short article"},
    ),
    Setting("explain", bool, False, help="record why each sentence was chosen or not"),
)

register("highlights", "default: faithful CNN-style highlights cut from the lead, with spans", settings=SETTINGS)(
    _factory
)
