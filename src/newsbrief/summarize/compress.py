"""Shorten a sentence by cutting, never by writing: the result is a list of kept spans.

Each operation removes a piece the reader can do without in a highlight: a trailing
attribution (", police said."), a parenthetical ("(pictured)", "(CNN)"), an opening discourse
marker ("But", "However,"), or everything after a clause boundary once the sentence has said
enough (", who ...", " after ..."). The highlight text is the kept spans joined by single
spaces, with two cosmetic changes recorded in ``Cut.changes``: the first letter upper-cased
and a final period added when the end was cut. No word is ever added.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

# The cut operations, in the order they are tried.
OPS = ("attribution", "parenthetical", "opening-marker", "appositive", "opening-attribution", "clause")
# The default leaves opening attributions alone: "Police said the man fled" must not become
# "The man fled" (a claim turned into a fact), and measured it gains nothing.
DEFAULT_OPS = ("attribution", "parenthetical", "opening-marker", "appositive", "clause")

# ", police said." / ", according to officials." / ", he told CNN." at the end of a sentence.
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?:according\s+to\s+[^,;\"“”]{1,80}"
    r"|(?:[^,;\"“”]{1,60}?\s)?(?:said|says|told\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*|reported|added"
    r"|claimed|revealed|explained|announced|confirmed|insisted|warned|admitted)"
    r"(?:\s+(?:on|last|this)\s+\w+|\s+in\s+a\s+statement|\s+yesterday|\s+today)?)\s*(?=[.!?]$)"
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,80}\)")
_OPENING_MARKER = re.compile(r"^(?:But|And|So|However,|Meanwhile,|Now,|Still,|Yet|Also,)\s+(?=\S)")
# A non-restrictive relative clause or appositive between commas, followed by the verb
# phrase it interrupted: "The Japan international, who has played for ... since 2013, will join".
_APPOSITIVE = re.compile(r",\s+(?:who|which|whose)\s[^,;:\"“”()]{3,90},\s+(?=[a-z])")
# "Officials said (that) ..." / "According to police, ..." opening a sentence.
_OPENING_ATTRIBUTION = re.compile(
    r"^(?:According\s+to\s+[^,;\"“”]{1,60},\s+|(?:[A-Z][\w'’-]*\s+){1,4}(?:said|says|claimed|revealed|reported)\s+(?:that\s+)?(?=[a-z]))"
)
# Where a sentence can end early and still read as one: before a relative or adverbial
# clause, a dash aside, or a semicolon.
_CLAUSE_BREAK = re.compile(
    r",\s+(?:who|which|where|after|as|while|but|and|when|with|despite|following|including|saying|"
    r"according\s+to|amid|before|although|though|because|since|leaving|prompting|meaning|making|"
    r"sparking|forcing|bringing|featuring|adding|claiming|insisting|telling)\b"
    r"|\s+(?:after|because|despite|amid|following|before|while|as\s+part\s+of|in\s+a\s+bid\s+to|so\s+that)\b"
    r"|\s+[-–—]\s+|;\s+|:\s+"
)
_WORD = re.compile(r"\S+")


@dataclass(slots=True)
class Cut:
    """A shortened sentence: kept ``spans`` (absolute body offsets) and the text they make."""

    text: str
    spans: list[tuple[int, int]]
    changes: list[str] = field(default_factory=list)  # what was cut, for --explain


def _words(text: str) -> int:
    return len(_WORD.findall(text))


_OPEN_SINGLE = re.compile(r"(?:^|(?<=[\s(\[]))['‘](?=\w)")
_CLOSE_SINGLE = re.compile(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)]|$)")


def _balanced(text: str) -> bool:
    """True when cutting after ``text`` would not leave a quotation open."""
    if text.count('"') % 2 or text.count("“") > text.count("”"):
        return False
    return len(_OPEN_SINGLE.findall(text)) <= len(_CLOSE_SINGLE.findall(text))


def compress(
    text: str,
    start: int,
    *,
    min_words: int = 10,
    ops: Collection[str] = DEFAULT_OPS,
) -> Cut:
    """Shorten ``text`` (a sentence starting at body offset ``start``); see module docstring.

    A cut is only made when at least ``min_words`` words remain, so short sentences are left
    whole. ``ops`` picks the operations (names in ``OPS``).
    """
    unknown = set(ops) - set(OPS)
    if unknown:
        raise ValueError(f"unknown cut operation(s) {sorted(unknown)}; known: {', '.join(OPS)}")
    keep = [True] * len(text)
    changes: list[str] = []

    def drop(a: int, b: int, why: str) -> None:
        for i in range(a, b):
            keep[i] = False
        changes.append(f"{why}: {text[a:b].strip()!r}")

    def kept_words(upto: int | None = None) -> int:
        return _words("".join(c if keep[i] else " " for i, c in enumerate(text[:upto])))

    end = len(text)
    m = _TRAILING_ATTRIBUTION.search(text) if "attribution" in ops else None
    if m and _words(text[: m.start()]) >= min_words and _balanced(text[: m.start()]):
        drop(m.start(), m.end(), "attribution")
    if "parenthetical" in ops:
        for m in _PARENTHETICAL.finditer(text):
            if m.start() > 0 and _balanced(text[: m.start()]):  # never edit inside a quotation
                drop(m.start(), m.end(), "parenthetical")
    if "opening-marker" in ops and (m := _OPENING_MARKER.match(text)) and _words(text[m.end() :]) >= min_words:
        drop(0, m.end(), "opening marker")
    if "appositive" in ops:
        for m in _APPOSITIVE.finditer(text):
            if _words(text[: m.start()]) + _words(text[m.end() :]) >= min_words and _balanced(text[: m.start()]):
                drop(m.start(), m.end() - 1, "appositive")
    if (
        "opening-attribution" in ops
        and (m := _OPENING_ATTRIBUTION.match(text))
        and _words(text[m.end() :]) >= min_words
    ):
        drop(0, m.end(), "opening attribution")
    if "clause" in ops:
        for m in _CLAUSE_BREAK.finditer(text):
            if kept_words(m.start()) >= min_words and _balanced(text[: m.start()]):
                # the sentence's own end punctuation goes too; a period is added below
                drop(m.start(), end, "clause")
                break
    spans = _runs(keep, start, text)
    pieces = [text[a - start : b - start] for a, b in spans]
    out = " ".join(p.strip() for p in pieces if p.strip())
    out = re.sub(r"\s+([,.;:!?])", r"\1", out).rstrip(" ,;:–—-")
    if out and not re.search(r"[.!?][\"'”’)]*$", out):
        out += "."
        changes.append("added final period")
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
        changes.append("capitalised first letter")
    return Cut(out, spans, changes)


def _runs(keep: list[bool], start: int, text: str) -> list[tuple[int, int]]:
    """Maximal kept runs as absolute offsets, each stripped of surrounding whitespace/commas."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(keep)
    while i < n:
        if not keep[i]:
            i += 1
            continue
        j = i
        while j < n and keep[j]:
            j += 1
        a, b = i, j
        while a < b and (text[a].isspace() or text[a] in ",;:"):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:–—-"):
            b -= 1
        if a < b:
            spans.append((start + a, start + b))
        i = j
    return spans
