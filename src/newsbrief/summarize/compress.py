"""Shorten a sentence by cutting, never by writing: the result is a list of kept spans.

Each operation removes a piece the reader can do without in a highlight: a trailing
attribution (", police said."), a parenthetical ("(pictured)", "(CNN)"), an opening discourse
marker ("But", "However,"), or everything after a clause boundary once the sentence has said
enough (", who ...", " after ..."), and a dateline the reader left at the start ("WASHINGTON —",
"LONDON (Reuters) -", "(CNN) --"). A clause cut is made only where the rest is a complete
sentence that says the same thing (``_clause_cut_keeps_meaning``: rules written from the
hand-labelled cuts of ``bench/data/cuts_gold.jsonl``, each with a case there). The highlight text is the kept spans joined by single
spaces, with two cosmetic changes recorded in ``Cut.changes``: the first letter upper-cased
and a final period added when the end was cut. No word is ever added.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

# The cut operations, in the order they are tried.
OPS = ("dateline", "attribution", "parenthetical", "opening-marker", "appositive", "opening-attribution", "clause")
# The default leaves opening attributions alone: "Police said the man fled" must not become
# "The man fled" (a claim turned into a fact), and measured it gains nothing.
DEFAULT_OPS = ("dateline", "attribution", "parenthetical", "opening-marker", "appositive", "clause")

# A dateline the reader left in the sentence: "WASHINGTON —", "SPRINGFIELD, Ill. —",
# "LONDON (Reuters) -", "(CNN) --", "BEIRUT, Lebanon (AP) —". The place must be upper case (or
# absent before an agency in parentheses), so "The —" or "Obama (left) -" never match.
_DATELINE = re.compile(
    r"^(?:(?:[A-Z][A-Z.'’-]{2,}(?:[ ,]+[A-Z][\w.'’-]*){0,4}\s*)?\((?:CNN|Reuters|AP|AFP|UPI|dpa|Xinhua|EFE|ANSA|PA|"
    r"Bloomberg|PTI|IANS|ANI|TASS|Kyodo|Yonhap|CNN\s+\w+)\)\s*(?:--|—|–|-|:)?"
    r"|[A-Z][A-Z.'’-]{2,}(?:[ ,]+[A-Z][\w.'’-]*){0,4}\s+(?:--|—|–|-)(?=\s))\s*"
)

# ", police said." / ", according to officials." / ", he told CNN." at the end of a sentence.
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?:according\s+to\s+[^,;\"“”]{1,80}"
    r"|(?:[^,;\"“”'‘’]{1,60}?\s)?(?:said|says|told\s+[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*|reported|added"
    r"|claimed|revealed|explained|announced|confirmed|insisted|warned|admitted)"
    r"(?:\s+(?:on|last|this)\s+\w+|\s+in\s+a\s+statement|\s+yesterday|\s+today)?)\s*(?=[.!?]$)"
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,80}\)")
_EDITORIAL = re.compile(r"^[a-z]+['’][a-z]+(?:\s+[a-z]+)?$")
_OPENING_MARKER = re.compile(r"^(?:But|And|So|However,|Meanwhile,|Now,|Still,|Yet|Also,)\s+(?=\S)")
# A non-restrictive relative clause or appositive between commas, followed by the verb
# phrase it interrupted: "The Japan international, who has played for ... since 2013, will join".
# The word after it must be a verb ("will", "was", "denied"), so a relative clause that opened a
# list ("tests for 11-year-olds, which assess English, maths and science") is never cut.
_APPOSITIVE = re.compile(
    r",\s+(?:who|which|whose)\s[^,;:\"“”()]{3,90},\s+(?=(?:is|was|are|were|has|had|have|will|would|could|can|may|"
    r"might|must|should|did|does|do|also|then|now|still|never|later|recently|once|[a-z]+ed)\b)"
)
# "Officials said (that) ..." / "According to police, ..." opening a sentence.
_OPENING_ATTRIBUTION = re.compile(
    r"^(?:According\s+to\s+[^,;\"“”]{1,60},\s+|(?:[A-Z][\w'’-]*\s+){1,4}(?:said|says|claimed|revealed|reported)\s+(?:that\s+)?(?=[a-z]))"
)
# Where a sentence can end early and still read as one: before a relative or adverbial
# clause, a dash aside, or a semicolon. Not at a colon: what follows is what the sentence
# announces ("made one thing clear: No impersonators").
_CLAUSE_BREAK = re.compile(
    r",\s+(?:who|which|where|after|as|while|but|and|when|with|despite|following|including|saying|"
    r"according\s+to|amid|before|although|though|because|since|leaving|prompting|meaning|making|"
    r"sparking|forcing|bringing|featuring|adding|claiming|insisting|telling)\b"
    r"|\s+(?:after|because|despite|amid|following|before|while|as\s+part\s+of|in\s+a\s+bid\s+to|so\s+that)\b"
    r"|\s+[-–—]\s+|;\s+"
)
_WORD = re.compile(r"\S+")
# A clause cut must leave a complete sentence that says the same thing. Not after a word that
# needs what follows ("... sending the bill to Biden just hours." / "... such as."), not between
# a time anchor and its clause ("hours before", "shortly after"), and not when the kept part is
# negated and the cut clause bounds it in time, cause or condition ("did not resign until ...").
_NEEDS_MORE = frozenset(
    """the a an of to and or but nor with from by for in on at than as such its his her their our my your this
    that these those very so more less most least just only even also not between is are was were be been
    being has have had will would could should can may might must said says about into over under per
    like amid despite within without toward towards against via often usually mainly mostly partly largely
    especially particularly reportedly allegedly apparently simply writing saying adding explaining telling
    stating noting declaring clear joked added claimed wrote revealed insisted explained admitted told warned
    cited""".split()
)
_TIME_ANCHOR = frozenset(
    """hours hour days day weeks week months month years year minutes minute moments moment seconds decades
    shortly soon just right long immediately only even night morning evening afternoon time straight directly
    ago well""".split()
)
_BOUNDING = frozenset("after before since until when while as because following despite amid although though".split())
_NEGATION = re.compile(r"\b(?:not|never|no|nothing|nobody|none|neither|nor|without|cannot)\b|n[’']t\b", re.I)
_NO_SUBJECT = re.compile(r",\s*(?:said|says|told|reported|added|claimed|revealed|explained|announced|confirmed)\b")
_PRONOUN_SPEAKER = re.compile(r",\s*(?:he|she|they|i|we|you)\s", re.I)
_DASH = re.compile(r"\s[-–—]\s")
_SECOND_ITEM = re.compile(
    r",\s+(?:there|it|he|she|they|the|a|an|his|her|its|their|[a-z]+ing|[a-z]+ed|\d+|will|can|is|was|has|have|are)(?=[\s,]|$)"
)
# ", who ..., said" / ", which holds a majority, into chaos": the clause sits inside the sentence.
_INTERRUPTING = re.compile(
    r",\s+(?:who|which|whose)\s[^,;:]{1,120},\s+(?!(?:and|but|or|while|although|though|whereas|so|yet|with|as|"
    r"including|who|which|where|when|after|before)\b)[a-z]"
    r"|,\s+who\s+(?:said|says|told|added)\b"
)
# What the cut would drop gives a quotation's speaker or one person's account: "..., he said."
_DROPS_SPEAKER = re.compile(
    r":\s*[\"“‘']|"
    r"[\"“”‘’'][^.!?]{0,40}\b(?:said|says|added|told|insisted|explained)\b"
    r"|\b(?:said|says|added|told)\s+[A-Z][^.!?]{0,30}[\"”’']"
    r"|,\s*(?:[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e)\s+(?:said|says|claims|claimed|told|added|insisted)\b"
)
# "Stephen Munden, 54, described as ... after he targeted a toddler, has been missing": the verb is in what goes.
_DROPS_MAIN_VERB = re.compile(r",\s+(?:has|have|had|is|are|was|were|will)\s+(?:been\s+|now\s+|also\s+)?[a-z]+")
# What goes undoes what stays: "was fired, only to be reinstated", "..., but it was rescinded".
_REVERSAL = re.compile(
    r"\bonly\s+to\b|\b(?:rescinded|overturned|reinstated|reversed|withdrawn|retracted|quashed|acquitted|cleared|"
    r"denied|cancell?ed|called\s+off|scrapped|dropped)\b"
)
# The kept part ends inside a subordinate clause that opened the sentence (or its "that" clause).
_UNFINISHED = re.compile(
    r"(?:^|\bthat\s+|,\s+but\s+|^\w+,\s+)(?i:after|before|following|despite|when|if|because|although|though|since|"
    r"while|as|once|unless)\b[^,;]*$"
)
_NOT_ONLY = re.compile(r"\bnot\s+(?:only|just|merely|simply)\b")
_HEDGED_END = re.compile(r"\b(?:may|might|could|would|must)\s+(?:have\s+)?\w+\W*$")
_LOWER_AFTER_COMMA = re.compile(r",\s+[a-z][^,]*$")
_OPEN_RELATIVE = re.compile(r",\s+(?:who|which)\s[^,]*$")
_CONTINUES = re.compile(
    r",\s+(?!(?:and|but|or|while|with|as|including|who|which|where|when|after|before|although|though|amid|"
    r"despite|following|leaving|prompting|meaning|making|according)\b)[a-z]"
)
_COORDINATED_VERB = re.compile(r"\sand\s+(?:then\s+)?[a-z]+\s+(?:her|him|them|it|his|their|the|a)\b")
_LAST_WORD = re.compile(r"([\w'’-]+)\W*$")
_FIRST_WORD = re.compile(r"[,;:\s–—-]*(\w+)")


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
    if text.count('"') % 2 or text.count("“") > text.count("”") or text.count("(") > text.count(")"):
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
    if "dateline" in ops and (m := _DATELINE.match(text)) and m.end() < len(text) and _words(text[m.end() :]) >= 3:
        drop(0, m.end(), "dateline")
    m = _TRAILING_ATTRIBUTION.search(text) if "attribution" in ops else None
    if m and _words(text[: m.start()]) >= min_words and _attribution_may_go(text[: m.start()], m.group()):
        drop(m.start(), m.end(), "attribution")
    if "parenthetical" in ops:
        for m in _PARENTHETICAL.finditer(text):
            # never edit inside a quotation, nor again inside a dropped dateline
            inner = m.group().strip()[1:-1]
            if _EDITORIAL.match(inner):
                continue  # "I mean (it's) trippy": an editor's insertion the sentence needs
            if m.start() > 0 and keep[m.end() - 1] and _balanced(text[: m.start()]):
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
            if (
                kept_words(m.start()) >= min_words
                and _balanced(text[: m.start()])
                and _clause_cut_keeps_meaning(text[: m.start()], m.group(), text[m.start() :])
            ):
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


def _attribution_may_go(kept: str, attribution: str) -> bool:
    """An institution's ", police said." may go; a quotation's speaker and "he said" may not:
    without them a quotation or one person's account would read as the article's own claim."""
    if not _balanced(kept) or kept.rstrip().endswith(("'", "’", '"', "”")):
        return False
    if _NO_SUBJECT.match(attribution):
        return False  # ", told CNN": the speaker is the phrase before the comma
    return not _PRONOUN_SPEAKER.match(attribution)


def _clause_cut_keeps_meaning(kept: str, boundary: str, rest: str) -> bool:
    """May the sentence end before ``boundary`` (``rest`` is what would go)? See ``_NEEDS_MORE``."""
    mark = boundary.strip(" ,")
    if mark in ("-", "–", "—") and (_DASH.search(rest[len(boundary) :]) or len(_DASH.findall(kept)) % 2):
        return False  # a dash pair is an aside: the main verb may come after it, or the kept part is inside one
    if mark in ("who", "which", "whose") and _INTERRUPTING.match(rest):
        return False  # "X, who leads the inquiry, said ...": the clause interrupts; the verb comes after
    if mark == ";" and ";" in kept:
        return False  # items of a list separated by semicolons
    if boundary.startswith(",") and mark == "and" and _SECOND_ITEM.search(kept):
        return False  # "X, Y, and Z" or a comma splice: the list would be left unfinished
    if _DROPS_SPEAKER.search(rest) or _DROPS_MAIN_VERB.search(rest) or _REVERSAL.search(rest):
        return False
    if _UNFINISHED.search(kept) or _NOT_ONLY.search(kept) or _HEDGED_END.search(kept):
        return False  # "believes that after finding form again." / "not only entertains."
    if _OPEN_RELATIVE.search(kept) and _CONTINUES.search(rest):
        return False  # "the visit of Fleetwood, who were eyeing the beach [after ...], hardly promised ..."
    if mark in ("-", "–", "—") and kept.rstrip()[-1:].isdigit() and rest.lstrip(" -–—")[:1].isdigit():
        return False  # a range: "from 2004 – 2014"
    if mark == "and" and boundary.startswith(",") and _LOWER_AFTER_COMMA.search(kept):
        return False  # "postpone hiring, make sure ..., and conserve cash": a list of verbs
    if mark == "and" and boundary.startswith(",") and kept.count(",") >= 2:
        return False  # "A, B, C, and D": a list
    if mark == "and" and boundary.startswith(",") and len(kept.rsplit(",", 1)[-1].split()) <= 3 and "," in kept:
        return False  # "his gear bag, backpack, and ...": a list item
    if mark == "before":
        return False  # "notified before the visit": a deadline or order is the point as often as not
    if not boundary.startswith(",") and _COORDINATED_VERB.search(rest):
        return False  # "would come into her bedroom while she slept and molest her": a verb of the predicate
    last = _LAST_WORD.search(kept)
    last_word = last.group(1).lower() if last else ""
    if last_word in _NEEDS_MORE:
        return False
    first = _FIRST_WORD.match(boundary)
    word = first.group(1).lower() if first else ""
    return not (word in _BOUNDING and (last_word in _TIME_ANCHOR or _NEGATION.search(kept)))


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
        while a < b and (text[a].isspace() or (not spans and text[a] in ",;:")):  # a later run keeps its comma
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:–—-"):
            b -= 1
        if a < b:
            spans.append((start + a, start + b))
        i = j
    return spans
