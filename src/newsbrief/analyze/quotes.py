"""Direct quotations with their speakers, as character spans into the article body.

Why it is more than a regex for "...": news uses straight and curly marks, double and single
(the Daily Mail quotes with single marks, which are also apostrophes: "Today’s", "players'"),
a quotation that runs over several paragraphs or sentences is reopened at each without being
closed ('It is true. 'It is a formal offer.'), quotes nest, and the speaker is named before
("Ogane said: '...'"), after ("..., said Fadi Hakura") or only as "he" or "the statement".

How:
1. **Marks**: each quote mark is typed open / close / either / apostrophe from its neighbours
   ("’" between letters is an apostrophe; "s’ " is a possible possessive, kept only when no
   better close follows).
2. **Pairing**: one pass with a stack per family (double, single), so single quotes nest in
   double ones and the other way round; a paragraph (or sentence) that leaves a quote open
   and the next one reopening it make one ``Quote`` with several ``parts``.
3. **Attribution**: cue patterns right after the quote ("he promised", "said X", "X told
   CNN", "according to X"), right before it ("X said: "), then anywhere in its sentence.
   Cue verbs are in ``nlp.lexicon.CUE_VERBS``.
4. **Resolution**: a pronoun speaker becomes the nearest earlier compatible name (gender from
   titles and first names); "the statement" becomes who issued the statement; a quote with no
   cue right after another one ("...," the statement said. / "More quote.") continues it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import asdict, dataclass, field
from typing import Any

from newsbrief.analyze.entities import Entity, find_entities, gender_of, name_key
from newsbrief.article import Article
from newsbrief.nlp.lexicon import (
    CUE_VERBS,
    MEDIA,
    MEDIUM_CUE_VERBS,
    PERSON_TITLES,
    PRONOUNS,
    REFERRING_SPEAKERS,
    SPOKEN_FOR,
)
from newsbrief.nlp.sentences import split_spans

__all__ = ["Quote", "find_quotes"]

Span = tuple[int, int]

# --- attribution patterns (built from lexicon) ----------------------------------------------

_CUE = r"(?:" + "|".join(sorted(CUE_VERBS, key=len, reverse=True)) + r")"
_MEDIUM_CUE = r"(?:" + "|".join(sorted(MEDIUM_CUE_VERBS)) + r")"
_MEDIUM = r"(?:" + "|".join(sorted(MEDIA)) + r")"
_CAP = r"[A-Z][\w'’.&-]*"
_NAME = rf"{_CAP}(?:\s+(?:(?:of|de|da|van|von|al|bin)\s+(?:the\s+)?)?{_CAP})*"
_PRONOUN = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)\b"
_NP = (
    r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:(?!(?:the|a|an)\b)[\w-]+\s+){0,3}?[a-z][\w-]*"
    rf"|{_NAME}['’]s\s+(?:[a-z][\w-]*\s+)?[a-z][\w-]*"  # "Mr Katter's statement"
)
_SPEAKER = rf"(?P<spk>{_NAME}|{_PRONOUN}|{_NP})"
_ADV = r"(?:(?:\w+ly|also|later|then|has|had|have|would|will|once)\s+){0,2}"
_LEAD = r"^[\s,.!?;:—–-]*"
_ROLE = r"(?:[a-z][\w-]*\s+){0,2}?"  # "said coach Sam Allardyce", "according to club president X"
# After the closing mark: '..., said Fadi Hakura' / '..., he promised' / 'according to X'.
_AFTER = [
    re.compile(rf"{_LEAD}(?P<cue>{_CUE})\s+(?:(?P<spk>{_NP})|{_ROLE}(?P<spk_>{_NAME}))"),
    re.compile(rf"{_LEAD}{_SPEAKER}\s+{_ADV}(?P<cue>{_MEDIUM_CUE})\s+(?:it\s+|this\s+)?on\s+{_MEDIUM}", re.IGNORECASE),
    re.compile(rf"{_LEAD}{_SPEAKER}\s+{_ADV}(?P<cue>{_CUE})\b"),
    re.compile(rf"{_LEAD}(?P<cue>according\s+to)\s+(?:(?P<spk>{_NP})|{_ROLE}(?P<spk_>{_NAME}))"),
]
# Before the opening mark: 'Ogane said: ' / 'Dr Antti Saari, of Kuopio University, warned: '.
_BEFORE_CUE = re.compile(rf"\b(?P<cue>{_CUE}|according\s+to)\b(?P<tail>[^.!?:;\"“”]{{0,40}}?)\s*[:,]?\s*$")
_BEFORE_ACCORDING = re.compile(rf"\b(?P<cue>according\s+to)\s+(?:(?P<spk>{_NP})|{_ROLE}(?P<spk_>{_NAME}))\s*,\s*$")
_SPEAKER_AT_END = [re.compile(rf"{_SPEAKER}\s*$")] + [
    re.compile(rf"{_SPEAKER}(?:,[^,\"“”]{{1,80}}){{{k}}},\s*$") for k in (1, 2, 3)
]
# Anywhere in the quote's sentence.
_IN_SENTENCE = [
    re.compile(rf"{_SPEAKER}\s+{_ADV}(?P<cue>{_CUE})\b"),
    re.compile(rf"\b(?P<cue>{_CUE})\s+(?P<spk>{_NAME})"),
    re.compile(rf"\b(?P<cue>according\s+to)\s+(?:(?P<spk>{_NP})|{_ROLE}(?P<spk_>{_NAME}))"),
]
# Who issued "the statement": 'Downing Street said in a statement' and variants.
_STATEMENT_SOURCE = re.compile(
    rf"(?P<spk>{_NAME})\s+(?:{_CUE})\s+in\s+an?\s+(?P<kind>statement|letter|post|tweet|message|release)"
    rf"|\bin\s+an?\s+(?P<kind2>statement|letter|post|tweet|message|release)[^,.]{{0,30}},\s+(?P<spk2>{_NAME})"
    rf"|\b(?P<kind3>statement|letter|post|tweet|message|release)\s+(?:from|by|issued\s+by|released\s+by)\s+(?P<spk3>{_NAME})"
)
_ABBREVIATED = re.compile(r"(?:\b(?:Jr|Sr|Inc|Ltd|Co|Corp|St)|\b[A-Z]|\.[A-Za-z])\.$")
_OWNER = re.compile(rf"(?P<owner>{_NAME})['’]s\s+(?:[a-z][\w-]*\s+)?(?P<noun>[a-z][\w-]*)$")
_NOT_SPEAKERS = frozenset("the a an this that it there here but and so then now".split())
# How far from a quote (characters) a cue in the same sentence is looked for: further than
# any attribution in edited news, and a bound on the work per quote in a run-on text.
IN_SENTENCE_REACH = 1000


@dataclass(slots=True)
class Quote:
    """One direct quotation. All spans are offsets into the body (``Article.body``).

    - ``text``/``span``: the quoted words without the marks; for a quotation reopened over
      several paragraphs or sentences, ``parts`` holds each piece and ``text`` joins them.
    - ``speaker``: who said it, as named in the text ("President Putin"), after resolution;
      ``speaker_span`` is that name's mention; ``canonical`` the fullest form of the name
      ("Vladimir Putin") when the entity finder knows it.
    - ``cue``/``cue_span``: the attribution word ("said", "according to", "continued" for an
      unattributed follow-on quote).
    - ``resolved_from``/``resolved_span``: the pronoun or description in the attribution
      ("he", "the statement") when the speaker was resolved from it.
    - ``depth``: 0 for a top-level quote, 1 for a quote inside a quote (no speaker is guessed).
    - ``closed``: False when no closing mark was found (ends at the paragraph end).
    """

    text: str
    span: Span
    parts: list[Span] = field(default_factory=list)
    speaker: str | None = None
    speaker_span: Span | None = None
    canonical: str | None = None
    cue: str | None = None
    cue_span: Span | None = None
    resolved_from: str | None = None
    resolved_span: Span | None = None
    depth: int = 0
    closed: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("span", "speaker_span", "cue_span", "resolved_span"):
            if data[key] is not None:
                data[key] = list(data[key])
        data["parts"] = [list(p) for p in self.parts]
        return data


def find_quotes(source: Article | str, *, entities: list[Entity] | None = None) -> list[Quote]:
    """The direct quotations in an article body (or a plain text), in order, with speakers.

    ``entities`` (from ``find_entities``) are found when not given; they type and resolve
    speakers.
    """
    text = source if isinstance(source, str) else source.body
    paragraphs = _paragraphs(source)
    if entities is None:
        entities = find_entities(text)
    if isinstance(source, Article) and source.sentences:
        starts = [s.start for s in source.sentences]
    else:
        starts = [a for a, _ in split_spans(text)]
    builders = _pair(text, _marks(text), paragraphs)
    quotes = [_finish(text, b) for b in builders]
    quotes = [q for q in quotes if q.text]
    quotes.sort(key=lambda q: (q.span[0], q.depth))
    _attribute(text, quotes, entities, starts)
    return quotes


# --- marks --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mark:
    pos: int
    family: str  # "d" (double) or "s" (single)
    role: str  # "open", "close", "weak" (possible possessive), "either"


_POSSESSIVE_BEFORE = re.compile(r"\b[A-Z][\w-]*s $")
_LEFT_OPEN = frozenset(" \t\n([{—–-/")
_RIGHT_CLOSE = frozenset(" \t\n.,;:!?)]}—–-…")


def _marks(text: str) -> list[_Mark]:
    out = []
    n = len(text)
    for m in re.finditer(r"[\"“”'‘’]", text):
        i, ch = m.start(), m.group()
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        family = "d" if ch in '"“”' else "s"
        if prev == ":" and nxt.isspace() and ch in "'\"":
            out.append(_Mark(i, family, "open"))  # 'Carragher said:' I don't think'
            continue
        if ch in "“‘":
            if ch == "‘" and prev.isalpha() and nxt.isalpha():
                continue
            out.append(_Mark(i, family, "open"))
            continue
        if ch == "”":
            out.append(_Mark(i, family, "close"))
            continue
        if family == "s":
            after = text[i + 2] if i + 2 < n else " "
            if prev.isalnum() and nxt.isalpha():
                continue  # "Today’s", "don't"
            if prev.isspace() and nxt in "sS" and not after.isalpha():
                continue  # detokenizer artefact "Mother ’ s"
            if nxt.isdigit() and after.isdigit():
                continue  # "’90s"
            if prev == " " and nxt.islower() and _POSSESSIVE_BEFORE.search(text, max(0, i - 30), i):
                continue  # detokenizer artefact "Rodgers 'future" for "Rodgers' future"
        left = prev in _LEFT_OPEN
        right = nxt in _RIGHT_CLOSE
        if left and not right:
            role = "either" if ch == "’" else "open"
        elif right and not left:
            role = "weak" if family == "s" and prev in "sS" else "close"
        elif left and right:
            role = "close" if ch == "’" else "either"
        else:
            role = "either"
        out.append(_Mark(i, family, role))
    return out


# --- pairing ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    family: str
    open_pos: int
    depth: int
    parts: list[list[int]] = field(default_factory=list)  # [start, end]; end -1 while open
    closed: bool = False
    awaiting: bool = False  # left open at a paragraph end; the next paragraph reopens it


def _pair(text: str, marks: list[_Mark], paragraphs: list[Span]) -> list[_Builder]:
    events: list[tuple[int, int, _Mark | None]] = [(m.pos, 1, m) for m in marks]
    events += [(end, 0, None) for _, end in paragraphs]
    events.sort(key=lambda e: (e[0], e[1]))
    para_starts = sorted(start for start, _ in paragraphs)
    closes_later = _closes_later(events)
    done: list[_Builder] = []
    stack: list[_Builder] = []
    awaiting = False  # some builder on the stack waits for its paragraph to be reopened

    def close(b: _Builder, end: int, closed: bool) -> None:
        b.parts[-1][1] = end
        b.closed = closed
        done.append(b)

    for idx, (pos, _, mark) in enumerate(events):
        if mark is None:  # paragraph end
            k = bisect_left(para_starts, pos)
            nxt_start = para_starts[k] if k < len(para_starts) else len(text)
            reopen = text[nxt_start : nxt_start + 1]
            for b in reversed(stack):
                if b.depth == 0 and (reopen in "“‘\"'" and reopen) and _family(reopen) == b.family:
                    b.parts[-1][1] = pos
                    b.awaiting = True
                else:
                    close(b, pos, False)
            stack = [b for b in stack if b.awaiting]
            awaiting = bool(stack)
            continue
        same = next((b for b in reversed(stack) if b.family == mark.family), None)
        role = mark.role
        if role == "either":
            role = "close" if same is not None else "open"
        if role == "open":
            if same is not None and same is stack[-1]:
                if same.awaiting:
                    same.parts.append([pos + 1, -1])
                    same.awaiting = False
                    continue
                if _at_sentence_start(text, pos):
                    same.parts[-1][1] = pos  # 'It is true. 'It is a formal offer.'
                    same.parts.append([pos + 1, -1])
                    continue
                stack.pop()
                close(same, pos, False)
            if awaiting:
                stack = [b for b in stack if not b.awaiting]
                awaiting = False
            stack.append(_Builder(mark.family, pos, len(stack), [[pos + 1, -1]]))
            continue
        if same is None or same.awaiting:
            continue  # a stray close mark (or an apostrophe)
        if role == "weak" and closes_later[idx]:
            continue  # "the players' wages": a possessive, the quote closes later
        while stack and stack[-1] is not same:
            close(stack.pop(), pos, False)
        stack.pop()
        close(same, pos, True)
    for b in stack:
        close(b, b.parts[-1][1] if b.parts[-1][1] >= 0 else len(text), False)
    return done


def _family(ch: str) -> str:
    return "d" if ch in '"“”' else "s"


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip()
    return before.endswith((".", "!", "?", "…", ".'", ".’", '."', ".”")) or before == ""


def _closes_later(events: list[tuple[int, int, _Mark | None]]) -> list[bool]:
    """For each event: does a close (or either) mark of its family come later in the same
    paragraph, before an open one? Weak marks are passed over. One backward pass, so a run of
    possessives ("Jones' Williams' Evans' ...") costs no more than its length."""
    out = [False] * len(events)
    following = {"d": False, "s": False}  # what the next decisive mark of each family says
    for idx in range(len(events) - 1, -1, -1):
        mark = events[idx][2]
        if mark is None:
            following = {"d": False, "s": False}  # paragraph end
            continue
        out[idx] = following[mark.family]
        if mark.role in ("close", "either"):
            following[mark.family] = True
        elif mark.role == "open":
            following[mark.family] = False
    return out


def _finish(text: str, b: _Builder) -> Quote:
    parts: list[Span] = []
    for start, end in b.parts:
        if end < 0:
            end = len(text)
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if start < end:
            parts.append((start, end))
    if not parts:
        return Quote("", (b.open_pos, b.open_pos))
    joined = " ".join(text[a:e] for a, e in parts)
    return Quote(joined, (parts[0][0], parts[-1][1]), parts, depth=b.depth, closed=b.closed)


# --- attribution --------------------------------------------------------------------------


class _Spans:
    """Sorted spans (nested or not) answering "does any hold this offset?" by bisection."""

    def __init__(self, spans: list[Span], pad: int = 0) -> None:
        spans = sorted(spans)
        self.starts = [a - pad for a, _ in spans]
        self.reach: list[int] = []  # the furthest end among the spans up to each one
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b + pad)
            self.reach.append(furthest)

    def holds(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and self.reach[k] > pos


class _Speakers:
    """What pronoun resolution asks about the people and the earlier quotes' speakers near a
    quote, found by bisection instead of a scan of the whole article per quote."""

    def __init__(self, people: list[Entity], entities: list[Entity]) -> None:
        self.people = people  # body mentions outside quotes, in text order
        self.people_starts = [e.span[0] for e in people]
        self.body = sorted((e for e in entities if e.field == "body"), key=lambda e: e.span[0])
        self.body_starts = [e.span[0] for e in self.body]
        self.spoken: list[tuple[int, int]] = []  # (speaker start, quote index), sorted
        self.first_of_key: dict[str, tuple[int, Entity]] = {}  # name key -> its first mention
        for k, e in enumerate(people):
            self.first_of_key.setdefault(name_key(e.text), (k, e))
        self._kinds: dict[str, str] = {}

    def people_between(self, lo: int, hi: int) -> list[Entity]:
        return self.people[bisect_left(self.people_starts, lo) : bisect_left(self.people_starts, hi)]

    def quotes_between(self, lo: int, hi: int) -> list[int]:
        k = bisect_left(self.spoken, (lo, -1))
        out = []
        while k < len(self.spoken) and self.spoken[k][0] < hi:
            out.append(self.spoken[k][1])
            k += 1
        return sorted(out)

    def entities_within(self, span: Span) -> list[Entity]:
        k, out = bisect_left(self.body_starts, span[0]), []
        while k < len(self.body) and self.body[k].span[0] <= span[1]:
            if self.body[k].span[1] <= span[1]:
                out.append(self.body[k])
            k += 1
        return out

    def kind(self, name: str) -> str:
        """``_kind`` of a speaker name, remembered (the same speaker recurs)."""
        found = self._kinds.get(name)
        if found is None:
            found = self._kinds[name] = _kind(name, self)
        return found


def _attribute(text: str, quotes: list[Quote], entities: list[Entity], starts: list[int]) -> None:
    inside = [q.span for q in quotes]
    in_quote = _Spans(inside)
    near_quote = _Spans(inside, pad=1)
    people = [e for e in entities if e.field == "body" and e.label in ("person", "organisation")]
    people = [e for e in people if not in_quote.holds(e.span[0])]
    speakers = _Speakers(people, entities)
    cues = _CueFinder(text, starts, near_quote)
    regions: dict[int, Span] = {}  # quote index -> its attribution region, for continuations
    prev: int | None = None
    for i, q in enumerate(quotes):
        if q.depth > 0:
            continue
        end = _outer_end(text, q)
        found = _after(text, end, starts) or _before(text, q.span[0] - 1, starts) or cues.find(q)
        if found is not None:
            spk, spk_span, cue, cue_span = found
            q.speaker, q.speaker_span, q.cue, q.cue_span = spk, spk_span, cue, cue_span
            stop = max(spk_span[1], cue_span[1], end)
            regions[i] = (min(spk_span[0], cue_span[0], end), cues.sentence_end(stop))
            _resolve(text, q, quotes, speakers)
        elif prev is not None and quotes[prev].speaker and _continues(text, quotes[prev], regions.get(prev), q):
            p = quotes[prev]
            q.speaker, q.speaker_span, q.canonical, q.cue = p.speaker, p.speaker_span, p.canonical, "continued"
            q.resolved_from, q.resolved_span = p.resolved_from, p.resolved_span
        if q.speaker is not None and q.canonical is None and q.speaker_span is not None:
            q.canonical = _canonical(q.speaker, q.speaker_span, speakers)
        if q.speaker and q.speaker_span and q.speaker.lower() not in PRONOUNS:
            insort(speakers.spoken, (q.speaker_span[0], i))
        prev = i


def _outer_end(text: str, q: Quote) -> int:
    """Just past the closing mark (and any punctuation inside it)."""
    end = q.span[1]
    while end < len(text) and text[end] in ",.!?… " and end - q.span[1] < 3:
        end += 1
    if end < len(text) and text[end] in "\"”'’":
        end += 1
    return end


def _window_after(text: str, start: int, starts: list[int]) -> tuple[str, int]:
    i = bisect_right(starts, start)
    stop = min(starts[i] if i < len(starts) else len(text), start + 160)
    nl = text.find("\n", start, stop)
    if 0 <= nl < stop:
        stop = nl
    for ch in '“‘"':
        k = text.find(ch, start, stop)
        if k >= 0:
            stop = k
    return text[start:stop], start


def _after(text: str, end: int, starts: list[int]) -> tuple[str, Span, str, Span] | None:
    window, base = _window_after(text, end, starts)
    for pattern in _AFTER:
        m = pattern.match(window)
        if m and _speaker_ok(m.group(_speaker_group(m))):
            return _found(m, base)
    return None


def _before(text: str, open_pos: int, starts: list[int]) -> tuple[str, Span, str, Span] | None:
    reach = max(open_pos - 200, 0)
    base = max(_sentence_start(starts, open_pos), text.rfind("\n", reach, open_pos) + 1, reach)
    last_mark = max(text.rfind(ch, base, open_pos) for ch in '”’"')
    base = max(base, last_mark + 1)
    clause = text[base:open_pos]
    m = _BEFORE_ACCORDING.search(clause)
    if m and _speaker_ok(m.group(_speaker_group(m))):
        return _found(m, base)
    cue = _BEFORE_CUE.search(clause)
    if cue is None or (cue.group("tail").strip() and not _tail_ok(cue.group("tail"))):
        return None
    if cue.group("cue").lower().startswith("according"):
        return None
    for pattern in _SPEAKER_AT_END:  # nearest first: "X said", "X, of Y, said", "X, 50, from Y, said"
        spk = pattern.search(clause, 0, cue.start())
        if spk is not None and _speaker_ok(spk.group("spk")):
            a, b = spk.span("spk")
            c, d = cue.span("cue")
            return spk.group("spk"), (base + a, base + b), cue.group("cue"), (base + c, base + d)
    return None


def _sentence_start(starts: list[int], pos: int) -> int:
    i = bisect_right(starts, pos) - 1
    return starts[i] if i >= 0 else 0


def _tail_ok(tail: str) -> bool:
    """What may follow the cue before a quote: "on Twitter", "in a statement", "CNN", "that"."""
    words = tail.split()
    return len(words) <= 6 and "," not in tail


class _CueFinder:
    """``_IN_SENTENCE`` matches, found once per search range and shared by the quotes of a
    sentence; the nearest one to a quote by bisection.

    A sentence longer than ``IN_SENTENCE_REACH`` on either side of a quote is searched only
    that far (rounded out to a multiple of it, so that neighbouring quotes share the range):
    each character is then searched a bounded number of times, however long the run-on text.
    """

    def __init__(self, text: str, starts: list[int], near_quote: _Spans) -> None:
        self.text, self.starts, self.near_quote = text, starts, near_quote
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self._ranges: dict[Span, list[tuple[list[int], list[re.Match[str]]]]] = {}

    def sentence_end(self, pos: int) -> int:
        """Where the sentence holding ``pos`` ends (the next sentence start, or a newline before it)."""
        i = bisect_right(self.starts, pos)
        stop = self.starts[i] if i < len(self.starts) else len(self.text)
        k = bisect_left(self.newlines, pos)
        return self.newlines[k] if k < len(self.newlines) and self.newlines[k] < stop else stop

    def find(self, q: Quote) -> tuple[str, Span, str, Span] | None:
        q0, q1 = q.span
        start = _sentence_start(self.starts, q0)
        if q0 - IN_SENTENCE_REACH > start:
            start = max(start, (q0 - IN_SENTENCE_REACH) // IN_SENTENCE_REACH * IN_SENTENCE_REACH)
        k = bisect_left(self.newlines, q0) - 1
        if k >= 0 and self.newlines[k] >= start:
            start = self.newlines[k] + 1
        stop = self.sentence_end(max(q1 - 1, q0))
        if stop > q1 + IN_SENTENCE_REACH:
            stop = min(stop, -(-(q1 + IN_SENTENCE_REACH) // IN_SENTENCE_REACH) * IN_SENTENCE_REACH)
        best: tuple[int, re.Match[str]] | None = None
        for starts, matches in self._matches(start, stop):
            # Valid matches never start inside the quote; the nearest before it is one of the
            # last two (only the last can reach into the quote), the nearest after is the first.
            i = bisect_left(starts, q0)
            for m in matches[max(0, i - 2) : i + 1]:
                dist = min(abs(m.start() - q1), abs(q0 - m.end()))
                if best is None or dist < best[0]:
                    best = (dist, m)
        return _found(best[1], 0) if best else None

    def _matches(self, start: int, stop: int) -> list[tuple[list[int], list[re.Match[str]]]]:
        found = self._ranges.get((start, stop))
        if found is None:
            if len(self._ranges) > 8:
                self._ranges.clear()  # quotes come in text order: old ranges are done with
            found = []
            for pattern in _IN_SENTENCE:
                matches = [
                    m
                    for m in pattern.finditer(self.text, start, stop)
                    if not self.near_quote.holds(m.start()) and _speaker_ok(m.group(_speaker_group(m)))
                ]
                found.append(([m.start() for m in matches], matches))
            self._ranges[(start, stop)] = found
        return found


def _speaker_group(m: re.Match[str]) -> str:
    """Patterns name the speaker ``spk``, or ``spk_`` when it follows a role word."""
    return "spk" if m.group("spk") is not None else "spk_"


def _found(m: re.Match[str], base: int) -> tuple[str, Span, str, Span]:
    group = _speaker_group(m)
    a, b = m.span(group)
    c, d = m.span("cue")
    spk = m.group(group)
    if spk.endswith(".") and not _ABBREVIATED.search(spk):
        spk, b = spk[:-1], b - 1  # "said Burton." -> "Burton"
    return spk, (base + a, base + b), m.group("cue"), (base + c, base + d)


def _speaker_ok(spk: str) -> bool:
    words = spk.split()
    return bool(words) and not (len(words) == 1 and words[0].lower() in _NOT_SPEAKERS)


def _continues(text: str, prev: Quote, region: Span | None, q: Quote) -> bool:
    """Nothing but the previous quote's attribution and punctuation lies between the two."""
    start = _outer_end(text, prev)
    if region is not None and region[1] > start:
        start = region[1]
    gap = text[start : q.span[0]]
    return re.fullmatch(r"[\s.,;:!?…\"'“”‘’—–-]*", gap) is not None and len(gap) < 40


# --- resolution ---------------------------------------------------------------------------


def _resolve(text: str, q: Quote, quotes: list[Quote], speakers: _Speakers) -> None:
    assert q.speaker is not None and q.speaker_span is not None
    low = q.speaker.lower()
    owner = _OWNER.match(q.speaker)
    if owner and owner.group("noun").lower() in SPOKEN_FOR:
        q.resolved_from, q.resolved_span = q.speaker, q.speaker_span
        q.speaker = owner.group("owner")
        q.speaker_span = (q.speaker_span[0], q.speaker_span[0] + len(q.speaker))
        return
    if low in PRONOUNS:
        target = _nearest_name(q, quotes, speakers, PRONOUNS[low])
        if target is not None:
            q.resolved_from, q.resolved_span = q.speaker, q.speaker_span
            q.speaker, q.speaker_span, q.canonical = target
        return
    kind = REFERRING_SPEAKERS.get(low) or REFERRING_SPEAKERS.get(
        low.split()[-1] if low.startswith(("the ", "a ")) else ""
    )
    if kind is not None:
        found = None
        for m in _STATEMENT_SOURCE.finditer(text, max(0, q.span[0] - 2000), q.span[0]):
            found = m
        if found is not None:
            group = next(g for g in ("spk", "spk2", "spk3") if found.group(g))
            q.resolved_from, q.resolved_span = q.speaker, q.speaker_span
            q.speaker, q.speaker_span = found.group(group), found.span(group)


def _nearest_name(
    q: Quote, quotes: list[Quote], speakers: _Speakers, allowed: frozenset[str]
) -> tuple[str, Span, str | None] | None:
    """The closest name before the quote that the pronoun can stand for."""
    bound = min(q.span[0], q.speaker_span[0]) if q.speaker_span else q.span[0]
    limit = max(0, bound - 1500)
    candidates: list[tuple[int, str, Span, str | None, str]] = []
    for e in speakers.people_between(limit, bound):
        kind = e.gender or "?" if e.label == "person" else "org"
        candidates.append((e.span[0], e.text, e.span, e.canonical, kind))
    for k in speakers.quotes_between(limit, bound):
        p = quotes[k]
        assert p.speaker is not None and p.speaker_span is not None
        candidates.append((p.speaker_span[0], p.speaker, p.speaker_span, p.canonical, speakers.kind(p.speaker)))
    for _, name, span, canonical, kind in sorted(candidates, key=lambda c: -c[0]):
        if kind in allowed:
            return name, span, canonical
    return None


def _kind(name: str, speakers: _Speakers) -> str:
    key = name_key(name)
    # The first mention (in text order) whose name is ``key`` or ends it: look up each suffix.
    matches = [speakers.first_of_key[key[i:]] for i in range(len(key) + 1) if key[i:] in speakers.first_of_key]
    if matches:
        _, e = min(matches, key=lambda m: m[0])
        return e.gender or "?" if e.label == "person" else "org"
    words = name.split()
    title = words[0] if words and words[0].lower().rstrip(".") in PERSON_TITLES else None
    return gender_of(" ".join(words[1:]) if title else name, title) or "?"


def _canonical(speaker: str, span: Span, speakers: _Speakers) -> str | None:
    """The full name of the person named in the speaker mention, or the organisation that is it."""
    inside = speakers.entities_within(span)
    for e in inside:
        if e.label == "person":
            return e.canonical
    for e in inside:
        if e.span == span:
            return e.canonical
    return None


def _paragraphs(source: Article | str) -> list[Span]:
    if isinstance(source, Article) and source.paragraphs:
        return [(p.start, p.end) for p in source.paragraphs]
    text = source if isinstance(source, str) else source.body
    spans = []
    start = 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans
