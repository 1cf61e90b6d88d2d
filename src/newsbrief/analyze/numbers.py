"""Numbers, money, percentages, dates, times and ages, normalised so equal values compare equal.

Why: a summary that writes "$137k" for the article's "$137,000", "3.2%" for "3.2 per cent"
or "five" for "5" is faithful; one that writes "$173,000" is not. Each mention becomes a
``Quantity`` with a canonical value and unit, and ``Quantity.matches`` decides whether two
mentions state the same amount. Word numbers and scale words are in ``nlp.lexicon``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any, Literal

from newsbrief.nlp.lexicon import (
    CURRENCY_CENTS,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    SCALES,
    UNITS,
    WEEKDAYS,
)

__all__ = ["Quantity", "QuantityIndex", "QuantityKind", "find_numbers", "parse_number"]

QuantityKind = Literal["number", "money", "percent", "age", "ordinal", "date", "time"]

Span = tuple[int, int]

# --- pieces -------------------------------------------------------------------------------

# Thousands separators, also as the detokenizer leaves them in CNN/DailyMail ("235, 000").
# A decimal point followed by a space ("1. 3 billion") only before a scale word or unit.
_DIGITS = (
    r"(?:\d{1,3}(?:, ?\d{3}(?![\d.]\d))+(?:\.\d+)?"
    r"|\d+\. \d+(?=\s?(?:million|billion|trillion|per\s?cent|percent|%|kg|km|miles|mph|m\b|ft\b))"
    r"|\d+(?:\.\d+)?|\.\d+)"
)
# Scale words are no amount alone: "two dozen" is 24 (a scale), "several dozen" or "dozens" none.
_SMALL = sorted((w for w in NUMBER_WORDS if " " not in w and w not in SCALES), key=len, reverse=True)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORDNUM = rf"(?:(?:{_TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|a dozen|{'|'.join(_SMALL)})"
# A number written in words with scale words inside it is one amount: "three thousand five
# hundred", "two hundred and fifty thousand", "five-hundred-thousand". A group below a thousand
# is "<word> hundred [and] <word>"; "two hundred and three hundred" stays two amounts.
_WORD_JOIN = r"(?:[- ]|\s+and\s+)"
_WORD_HUNDREDS = rf"{_WORDNUM}\b(?:[- ]hundred\b(?:{_WORD_JOIN}{_WORDNUM}\b(?![- ]hundred))?)?"
_WORDAMOUNT = rf"{_WORD_HUNDREDS}(?:[- ](?:thousand|million|billion)\b(?:{_WORD_JOIN}{_WORD_HUNDREDS})?)*"
_NUM = rf"(?:{_DIGITS}|{_WORDAMOUNT})"
_BIG_SCALE = r"(?:dozen|hundred|thousand|million|billion|trillion)s?"
_ANY_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|tn|m|k|b)"
_CUR_SYM = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CUR_WORD = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_CENTS = "|".join(sorted(CURRENCY_CENTS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_B = r"(?<![\w$£€.,])"  # a number starts at a word boundary, not inside "1,000" or "$5"
_E = r"(?![\w%])"

_FLAGS = re.IGNORECASE
# Tried in order; a later pattern never takes characters an earlier one claimed.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?{_E}"
            rf"|\b(?P<day2>{_DAY})(?:\s+of)?\s+(?P<month2>{_MONTH})\b\.?(?:,?\s+(?P<year2>{_YEAR}))?{_E}"
            rf"|\b(?P<month3>{_MONTH})\.?,?\s+(?P<year3>{_YEAR}){_E}",
            _FLAGS,
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?P<cur>{_CUR_SYM})\s?(?P<num>{_NUM})(?:\s?-?(?P<scale>{_ANY_SCALE})\b)?"
            rf"|{_B}(?P<num2>{_NUM})(?:\s?-?(?P<scale2>{_BIG_SCALE}))?\s(?P<curword>{_CUR_WORD})\b"
            rf"|{_B}(?P<num3>{_DIGITS})\s?(?P<cents>{_CENTS})\b",
            _FLAGS,
        ),
    ),
    (
        "percent",
        re.compile(rf"{_B}(?P<num>{_NUM})(?:\s?(?P<scale>{_BIG_SCALE}))?\s?(?:%|per\s?cent\b|percent\b)", _FLAGS),
    ),
    (
        "age",
        re.compile(
            rf"\baged\s(?P<num>{_NUM}){_E}"
            rf"|{_B}(?P<num2>{_NUM})[- ]years?[- ]old\b"
            # "Smith, 35," is an age; "Island, 1,000ft" is not (a thousands group follows)
            rf"|\b[A-Z][a-z'’-]+,\s(?P<num3>\d{{1,3}})(?=,(?!\s?\d{{3}})|\s(?:and|from|of|who)\b)",
        ),
    ),
    ("time", re.compile(rf"{_B}(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<m>[0-5]\d))?\s?(?P<ap>[ap])\.?m\b\.?", _FLAGS)),
    (
        "ordinal",
        re.compile(rf"{_B}(?P<num>\d+)(?:st|nd|rd|th)\b|\b(?P<word>{'|'.join(ORDINAL_WORDS)})\b", _FLAGS),
    ),
    (
        "date",
        re.compile(
            rf"\b(?P<weekday>{_WEEKDAY})\b|\b(?P<decade>1[6-9]\d0|20[0-2]0)'?s\b|\b(?P<month4>january|february|april|june|july|august|september|october|november|december)\b",
            _FLAGS,
        ),
    ),
    ("year", re.compile(rf"{_B}(?P<year>{_YEAR})(?![\w%]|[.,]\d|\s?{_BIG_SCALE})", _FLAGS)),
    (
        "number",
        re.compile(rf"{_B}(?P<num>{_NUM})(?:\s?-?(?P<scale>{_BIG_SCALE}))?(?:\s?-?(?P<unit>{_UNIT})\b|{_E})", _FLAGS),
    ),
]


@dataclass(slots=True)
class Quantity:
    """One numeric mention: ``text == source[span[0]:span[1]]``.

    ``value`` is the amount in base units (dollars, not cents; 2500000 for "2.5 million");
    ``unit`` is a currency code, ``"%"``, ``"year"`` for ages (and "12 years"), ``"th"`` for ordinals, or
    None. Dates and times keep their parts instead (``year``/``month``/``day``/``weekday``;
    ``value`` is minutes after midnight for a time). ``precision`` is the rounding the writer
    used: "2.5 million" is any amount in [2.45m, 2.55m).
    """

    text: str
    span: Span
    kind: QuantityKind
    value: float | None = None
    unit: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    decade: int | None = None
    precision: float = 0.0

    @property
    def key(self) -> str:
        """A canonical string: equal keys mean the same stated quantity."""
        if self.kind == "date":
            parts = [self.year, self.month, self.day, self.weekday, self.decade]
            return "date:" + "-".join("?" if p is None else str(p) for p in parts)
        value = _fmt(self.value)
        return f"{self.kind}:{value}" + (f":{self.unit}" if self.unit else "")

    def matches(self, other: Quantity) -> bool:
        """Do the two mentions state the same amount (or date)? Lenient on missing units:
        "$6" matches a bare "6"; a date matches a fuller one with the same parts ("February 2"
        matches "February 2, 2015").
        """
        if (self.kind == "date") != (other.kind == "date"):
            # A bare year parsed as a number in one text and a date in the other.
            return self._as_year() is not None and self._as_year() == other._as_year()
        if self.kind == "date":
            mine = (self.year, self.month, self.day, self.weekday, self.decade)
            theirs = (other.year, other.month, other.day, other.weekday, other.decade)
            if self.decade is not None and other.year is not None:
                return other.year // 10 * 10 == self.decade
            return all(a is None or b is None or a == b for a, b in zip(mine, theirs, strict=True)) and any(
                a is not None and a == b for a, b in zip(mine, theirs, strict=True)
            )
        if self.value is None or other.value is None:
            return False
        if self.unit and other.unit and self.unit != other.unit:
            return False
        tol = max(self.precision, other.precision, 1e-9 * max(abs(self.value), 1.0))
        return abs(self.value - other.value) <= tol

    def _as_year(self) -> int | None:
        if self.kind == "date" and self.year is not None and self.month is None and self.day is None:
            return self.year
        if self.kind == "number" and self.value is not None and self.value.is_integer() and 1600 <= self.value <= 2099:
            return int(self.value)
        return None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = list(self.span)
        data["key"] = self.key
        return {k: v for k, v in data.items() if v is not None}


def parse_number(text: str) -> float | None:
    """ "137,000" -> 137000, "2.5" -> 2.5, "twenty-five" -> 25, "a dozen" -> 12; else None."""
    t = re.sub(r",\s?(?=\d{3})", "", text.strip().lower()).replace(". ", ".")
    try:
        return float(t)
    except ValueError:
        pass
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    return _word_amount(re.split(r"[- ]+(?:and\s+)?", t))


def _word_amount(words: list[str]) -> float | None:
    """ "forty two" -> 42, "two dozen" -> 24, "three thousand five hundred" -> 3500, "two hundred and fifty
    thousand" -> 250000 (``and`` already dropped); None unless every word is a number word."""
    total = current = 0.0
    for w in words:
        if w in SCALES:
            scale = SCALES[w]
            if scale < 1000:  # "two dozen", "five hundred": times the words before it
                current = (current or 1) * scale
            elif not current and total:  # "a thousand million"
                total *= scale
            else:
                total, current = total + (current or 1) * scale, 0.0
        elif w in NUMBER_WORDS:
            current += NUMBER_WORDS[w]
        else:
            return None
    return total + current if len(words) > 1 else None


def find_numbers(text: str, *, offset: int = 0) -> list[Quantity]:
    """All quantities in ``text``, in order; spans are shifted by ``offset`` (for body slices).

    Patterns are tried only where a quantity can start (a digit, a currency sign, a number,
    month or weekday word, "aged", a name before ", 35,"): one cheap scan instead of nine
    full regex passes over the text.
    """
    anchors = [m.start() for m in _ANCHOR.finditer(text)]
    # Spans claimed by earlier patterns: disjoint, sorted, so one bisect tells an overlap.
    starts: list[int] = []
    ends: list[int] = []
    out: list[Quantity] = []
    for kind, pattern in _PATTERNS:
        end = -1
        claimed: list[Span] = []  # by this pattern: in order, never overlapping each other
        for pos in anchors:
            if pos < end:
                continue
            m = pattern.match(text, pos)
            if m is None or m.end() == m.start():
                continue
            end = m.end()
            span = m.span("num3") if kind == "age" and m.group("num3") else m.span()
            k = bisect_left(starts, span[1]) - 1
            if k >= 0 and ends[k] > span[0]:
                continue
            q = _build(kind, m)
            if q is None:
                continue
            q.text = text[span[0] : span[1]]
            q.span = (span[0] + offset, span[1] + offset)
            claimed.append(span)
            out.append(q)
        if claimed:
            merged = sorted(list(zip(starts, ends, strict=True)) + claimed)
            starts, ends = [a for a, _ in merged], [b for _, b in merged]
    out.sort(key=lambda q: q.span)
    return out


class QuantityIndex:
    """``any(q.matches(a) for a in quantities)`` without comparing ``q`` with every ``a``.

    Why: the checker asks it for every number of a summary; against a long article full of
    numbers the pairwise test is quadratic. Amounts are kept sorted per (unit, precision),
    where the nearest amount on either side decides; dates by every combination of the
    parts they state; years apart, for a bare year read as a number on one side only.
    """

    def __init__(self, quantities: Iterable[Quantity]) -> None:
        self._amounts: dict[tuple[str | None, float], list[float]] = defaultdict(list)
        self._years: dict[bool, set[int]] = {True: set(), False: set()}  # by "is a date"
        self._date_shapes: set[tuple[int, ...]] = set()  # which parts a date states
        self._date_parts: set[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = set()
        self._decades: set[int] = set()  # decades of the dates that state a year
        for a in quantities:
            year = a._as_year()
            if year is not None:
                self._years[a.kind == "date"].add(year)
            if a.kind == "date":
                parts = _date_parts(a)
                shape = tuple(k for k, v in enumerate(parts) if v is not None)
                self._date_shapes.add(shape)
                for r in range(1, len(shape) + 1):
                    for sub in combinations(shape, r):
                        self._date_parts.add((shape, sub, tuple(parts[k] or 0 for k in sub)))
                if a.year is not None:
                    self._decades.add(a.year // 10 * 10)
            elif a.value is not None:
                self._amounts[(a.unit, a.precision)].append(a.value)
        for values in self._amounts.values():
            values.sort()

    def matches_any(self, q: Quantity) -> bool:
        """Does some indexed quantity ``a`` satisfy ``q.matches(a)``?"""
        year = q._as_year()
        if year is not None and year in self._years[q.kind != "date"]:
            return True  # a bare year on one side, a date on the other
        if q.kind == "date":
            return self._date_matches(q)
        if q.value is None:
            return False
        v = q.value
        for (unit, precision), values in self._amounts.items():
            if q.unit and unit and q.unit != unit:
                continue
            tol = max(q.precision, precision, 1e-9 * max(abs(v), 1.0))
            k = bisect_left(values, v)
            if (k < len(values) and abs(v - values[k]) <= tol) or (k > 0 and abs(v - values[k - 1]) <= tol):
                return True
        return False

    def _date_matches(self, q: Quantity) -> bool:
        parts = _date_parts(q)
        if q.decade is not None and self._decades and q.decade in self._decades:
            return True  # "the 1990s" and a date in 1994
        stated = [k for k, v in enumerate(parts) if v is not None]
        for shape in self._date_shapes:
            if q.decade is not None and 0 in shape:
                continue  # a date with a year matches a decade by the rule above only
            sub = tuple(k for k in stated if k in shape)
            if sub and (shape, sub, tuple(parts[k] or 0 for k in sub)) in self._date_parts:
                return True
        return False


def _date_parts(q: Quantity) -> tuple[int | None, ...]:
    return (q.year, q.month, q.day, q.weekday, q.decade)


_ANCHOR_WORDS = frozenset(
    {w for w in NUMBER_WORDS if " " not in w}
    | set(ORDINAL_WORDS)
    | set(MONTHS)
    | set(WEEKDAYS)
    | set(CURRENCY_SYMBOLS)
    | {"aged", "a", "us", "c"}
)
_ANCHOR = re.compile(
    r"(?<!\d)\d|[$£€¥]"
    r"|\b(?i:" + "|".join(sorted(map(re.escape, _ANCHOR_WORDS), key=len, reverse=True)) + r")\b"
    r"|\b[A-Z][\w'’-]*(?=,\s\d)"
)


def _build(kind: str, m: re.Match[str]) -> Quantity | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    text = m.group()
    if kind == "date":
        return _date(text, g)
    if kind == "year":
        return Quantity(text, (0, 0), "date", year=int(g["year"]))
    if kind == "time":
        minutes = (int(g["h"]) % 12 + (12 if g["ap"].lower() == "p" else 0)) * 60 + int(g.get("m", 0))
        return Quantity(text, (0, 0), "time", value=float(minutes))
    if kind == "ordinal":
        value = float(g["num"]) if "num" in g else float(ORDINAL_WORDS[g["word"].lower()])
        return Quantity(text, (0, 0), "ordinal", value=value, unit="th")
    num = g.get("num") or g.get("num2") or g.get("num3")
    if num is None:
        return None
    parsed = parse_number(num)
    if parsed is None:
        return None
    value = parsed
    # Only a decimal with a scale word is rounded ("2.5 million": [2.45m, 2.55m)); "137,000"
    # and "2 million" mean exactly that.
    precision = 0.0
    scale_word = g.get("scale") or g.get("scale2")
    if scale_word:
        low = scale_word.lower()
        scale = SCALES.get(low, SCALES.get(low.rstrip("s")))
        if scale is None:
            return None
        value *= scale
        if "." in num:
            precision = _precision(num) * scale
    if kind == "money":
        if "cur" in g:
            unit = CURRENCY_SYMBOLS[g["cur"].lower()]
        elif "curword" in g:
            unit = CURRENCY_WORDS[g["curword"].lower()]
        else:
            unit = CURRENCY_CENTS[g["cents"].lower()]
            value, precision = value / 100, precision / 100
        return Quantity(text, (0, 0), "money", value=value, unit=unit, precision=precision)
    if kind == "percent":
        return Quantity(text, (0, 0), "percent", value=value, unit="%", precision=precision)
    if kind == "age":
        return Quantity(text, (0, 0), "age", value=value, unit="year")
    unit_word = g.get("unit")
    return Quantity(
        text, (0, 0), "number", value=value, unit=UNITS[unit_word.lower()] if unit_word else None, precision=precision
    )


def _date(text: str, g: dict[str, str]) -> Quantity | None:
    q = Quantity(text, (0, 0), "date")
    if "weekday" in g:
        q.weekday = WEEKDAYS[g["weekday"].lower()]
        return q
    if "decade" in g:
        q.decade = int(g["decade"])
        return q
    month = g.get("month") or g.get("month2") or g.get("month3") or g.get("month4")
    if month is None:
        return None
    q.month = MONTHS[month.lower()]
    day = g.get("day") or g.get("day2")
    if day:
        q.day = int(re.sub(r"\D", "", day))
    year = g.get("year") or g.get("year2") or g.get("year3")
    if year:
        q.year = int(year)
    return q


def _precision(num: str) -> float:
    """Half a unit of the last written decimal: "2.5" -> 0.05, "2.46" -> 0.005."""
    return 0.5 * 10 ** -len(num.replace(",", "").split(".")[1])


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"
