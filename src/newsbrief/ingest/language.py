"""Which language a page is in, offline: the writing system first, then stop-word evidence.

Why this and not a model: the project runs with no download, and a page's language only
needs to be right where it matters (English rules vs. not, the stop-word density of a line
in its own language). A script settles Korean, Japanese, Chinese, Greek, Hebrew, Thai and
Hindi outright; within Latin, Cyrillic and Arabic script the commonest function words of
each language settle the rest, and too little or too mixed evidence gives ``None`` rather
than a guess.

The lists (``STOPWORDS``, from ``newsbrief.nlp.stopwords``) are data; each holds a
language's most frequent function words, chosen so that close languages (es/pt/it, da/no/sv,
ru/uk, ar/fa, nl/de) differ in enough of them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from newsbrief.nlp.stopwords import LANGUAGE_ID_WORDS, PROSE_FUNCTION_WORDS

__all__ = ["STOPWORDS", "detect_language", "normalise_tag", "page_language"]

STOPWORDS = LANGUAGE_ID_WORDS  # the word lists live with the other word lists, in newsbrief.nlp

_PROSE_LANGUAGES_OF: dict[str, list[str]] = {}
for _lang, _words in PROSE_FUNCTION_WORDS.items():
    for _w in _words:
        _PROSE_LANGUAGES_OF.setdefault(_w, []).append(_lang)


def page_language(tokens: Iterable[str]) -> str | None:
    """The language whose function words the lower-cased ``tokens`` use most (None: no evidence):
    the page-line classifier's cheap guess, over ``PROSE_FUNCTION_WORDS``."""
    counts = dict.fromkeys(PROSE_FUNCTION_WORDS, 0)
    for tok in tokens:
        for lang in _PROSE_LANGUAGES_OF.get(tok, ()):
            counts[lang] += 1
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    return lang if best >= 5 else None


# Writing systems as character ranges (counted with one regex each: fast on any text).
_SCRIPT_CHARS = {
    "latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "cyrillic": "\u0400-\u052f",
    "arabic": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
    "hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "kana": "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    "han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
    "greek": "\u0370-\u03ff\u1f00-\u1fff",
    "hebrew": "\u0590-\u05ff",
    "thai": "\u0e00-\u0e7f",
    "devanagari": "\u0900-\u097f",
    "georgian": "\u10a0-\u10ff",
    "armenian": "\u0530-\u058f",
}
_SCRIPT_RES = {name: re.compile(f"[{chars}]") for name, chars in _SCRIPT_CHARS.items()}
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # latin's only ASCII characters
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# A script used by one language among those we tell apart.
_SINGLE = {
    "hangul": "ko",
    "kana": "ja",
    "greek": "el",
    "hebrew": "he",
    "thai": "th",
    "devanagari": "hi",
    "georgian": "ka",
    "armenian": "hy",
}
_CANDIDATES = {
    "latin": ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "pl", "cs", "ro", "hu", "fi", "tr", "id"),
    "cyrillic": ("ru", "uk", "bg"),
    "arabic": ("ar", "fa"),
}
_LANGUAGES_OF: dict[str, dict[str, tuple[str, ...]]] = {
    script: {
        w: tuple(lang for lang in langs if w in STOPWORDS[lang])
        for w in set().union(*(STOPWORDS[lang] for lang in langs))
    }
    for script, langs in _CANDIDATES.items()
}
# Per word, (language, 1/k) for each of the k candidate languages that use it.
_STEPS_OF: dict[str, dict[str, tuple[tuple[str, float], ...]]] = {
    script: {w: tuple((lang, 1 / len(langs)) for lang in langs) for w, langs in words.items() if langs}
    for script, words in _LANGUAGES_OF.items()
}
_SAMPLE_CHARS = 8000  # enough evidence for any page; a 10 MB body is not read whole
_MIN_LETTERS = 12
_MIN_HITS = 3  # stop words of the winning language
_MIN_SHARE = 0.05  # of the sampled words (recipe and list pages run near 7%)
_MARGIN = 1.25  # the winner's hits over the runner-up's
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})


def normalise_tag(tag: str | None) -> str | None:
    """A BCP 47 tag's primary language ("en-GB" -> "en", "zh_Hant" -> "zh"); ``None`` if not one."""
    m = _TAG.match((tag or "").strip())
    if not m:
        return None
    lang = m.group(1).lower()
    if lang in _NOT_LANGUAGES:
        return None
    return {"nb": "no", "nn": "no", "iw": "he", "in": "id"}.get(lang, lang)


def _scripts(text: str) -> Counter[str]:
    """Letters per script. Speed: ASCII letters (most of a Latin-script page) are counted at C
    speed with ``bytes.translate``; the regexes then scan only the few non-ASCII characters."""
    ascii_bytes = text.encode("ascii", "ignore")
    ascii_letters = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTERS))
    rest = "".join(_NON_ASCII.findall(text)) if not text.isascii() else ""
    counts: Counter[str] = Counter()
    for name, rx in _SCRIPT_RES.items():
        n = (len(rx.findall(rest)) if rest else 0) + (ascii_letters if name == "latin" else 0)
        if n:
            counts[name] = n
    return counts


def _lowers_like_ascii(text: str) -> bool:
    """Whether ``text.lower()`` changes ASCII letters only (every other character has no case,
    as the quotes and dashes of English news): then the words of the lowered text are the
    lowered words, found in one pass instead of lowering each."""
    return text.isascii() or all(c.lower() == c == c.upper() for c in set(_NON_ASCII.findall(text)))


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or ``None`` when unsure.

    Script first (Hangul, kana, Han, Greek, ...), then, for Latin, Cyrillic and Arabic script,
    the language whose stop words are clearly the most frequent.
    """
    sample = text[:_SAMPLE_CHARS]
    scripts = _scripts(sample)
    letters = sum(scripts.values())
    if letters < _MIN_LETTERS:
        return None
    script, count = scripts.most_common(1)[0]
    if script in ("han", "kana"):
        # Japanese mixes kanji with kana; Chinese has no kana
        return "ja" if scripts["kana"] >= 0.05 * (scripts["han"] + scripts["kana"]) else "zh"
    if script == "hangul" or (scripts["hangul"] >= 0.3 * letters):
        return "ko"
    if count < 0.5 * letters:
        return None
    if script in _SINGLE:
        return _SINGLE[script]
    if script not in _CANDIDATES:
        return None
    return _by_stopwords(sample, script)


def _by_stopwords(text: str, script: str) -> str | None:
    words = _WORD.findall(text.lower()) if _lowers_like_ascii(text) else [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    # A word shared by k candidate languages is 1/k evidence for each: the words only one of
    # them uses (da "af"/"hvad" vs. no "av"/"hva"; es "el"/"los" vs. pt "o"/"os") decide.
    steps_of = _STEPS_OF[script]
    score = dict.fromkeys(_CANDIDATES[script], 0.0)
    hits = [steps for steps in map(steps_of.get, words) if steps]
    known = len(hits)
    for steps in hits:  # the same additions in the same order as word by word: the same floats
        for lang, step in steps:
            score[lang] += step
    (best, n), (_, second) = sorted(score.items(), key=lambda kv: kv[1], reverse=True)[:2]
    if known < _MIN_HITS or known < _MIN_SHARE * len(words) or n < _MARGIN * second:
        return None
    return best
