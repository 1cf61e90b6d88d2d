"""Which language a page is in, offline: the writing system first, then stop-word evidence.

Why this and not a model: the project runs with no download, and a page's language only
needs to be right where it matters (English rules vs. not, the stop-word density of a line
in its own language). A script settles Korean, Japanese, Chinese, Greek, Hebrew, Thai and
Hindi outright; within Latin, Cyrillic and Arabic script the commonest function words of
each language settle the rest, and too little or too mixed evidence gives ``None`` rather
than a guess.

The lists (``STOPWORDS``) are data, shared with the page-line classifier; each holds a
language's most frequent function words, chosen so that close languages (es/pt/it, da/no/sv,
ru/uk, ar/fa, nl/de) differ in enough of them.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["STOPWORDS", "detect_language", "normalise_tag"]

_WORDS: dict[str, str] = {
    "en": "the of and to a in is that for it was on with he as his by at from they this be are have "
    "had not but were which she her their has an been would will there who or said its we you when "
    "than after about into been also after could them what our more over only some these those",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an "
    "werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war "
    "haben nur oder aber vor zur bis mehr durch man sein wurde sei",
    "fr": "le la les de des du et en un une est que qui dans pour pas sur au aux par plus ne se ce sont "
    "il elle avec son sa ses mais ou nous vous leur été être a ont cette comme fait aussi très",
    "es": "el la los las de del y en un una es que por con para se no su sus al lo como más pero fue "
    "ha son este esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos "
    "durante uno ni contra ese esa eso",
    "it": "il lo la i gli le di del della dei delle e è che un una per non con su sono da dal alla al "
    "nel nella si come anche più ma questo questa ha hanno essere stato era gli sua suo loro dopo",
    "pt": "o a os as de do da dos das e em um uma é que não com para por se no na nos nas ao aos mais "
    "como mas foi são seu sua também pelo pela já ou ele ela isso está entre quando muito depois",
    "nl": "de het een en van in is op te dat die voor met zijn niet aan er ook als bij door maar om "
    "dan nog wel uit wordt naar worden heeft hebben werd over tot deze geen kan haar hij zij",
    "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från "
    "vi så kan när år ska också efter eller hade under blev skulle mot sina hur",
    "da": "og i at det som en på er af for med til den har de ikke om et han men var jeg sig fra vi så "
    "kan når år skal også efter eller havde blev være hvad noget meget deres mod",
    "no": "og i at det som en på er av for med til den har de ikke om et han men var jeg seg fra vi så "
    "kan når år skal også etter eller hadde ble være hva noe mye deres mot",
    "pl": "i w na z do że się nie to jest jak po o a ale co od za przez dla tak jego jej ich są był była "
    "było oraz lub także już tylko przy może który która które będzie jako tym",
    "cs": "a v na se je že s z do to jako o by k ve pro ale jsou byl bylo tak jeho které který která "
    "také už jen podle při po od však nebo jejich bude mezi",
    "ro": "și în de la a cu pe un o care este nu din că să se mai au pentru sunt fost ca după al ale "
    "lui ei acest această sau dar iar fi",
    "hu": "a az és hogy nem is egy de meg van volt már csak ez ki mint el még azt után pedig vagy "
    "lesz sem minden kell amely akkor mert",
    "fi": "ja on ei se että oli hän mutta kun ovat myös tai ole kuin jo sen hänen niin vain mukaan "
    "joka jotka ollut tämä nyt sitten",
    "tr": "ve bir bu da de için ile olarak daha çok gibi en ama ancak olan sonra kadar ne değil her şey "
    "o ise ki mi diye göre ya veya",
    "id": "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh atau karena "
    "ada bisa sudah saat kami kita mereka ia dia telah lebih para seperti bahwa tersebut",
    "ru": "и в не на что с по как а он это к из у за то от о же для она так его но мы вы все бы "
    "уже был была были быть или если только который которые при до после также даже их ее",
    "uk": "і в не на що з та як а він це до із у за то від про для вона так його але ми ви все б вже "
    "був була були бути або якщо тільки який які при після також навіть їх її є",
    "bg": "и в на не да се за от с че е по са като но той тя това го ще във към бяха беше съм или "
    "след при които който която",
    "ar": "في من على إلى أن عن مع التي الذي هذا هذه كان قد لا ما هو هي بين كل بعد أو ذلك ثم حتى إن كما عند لم وقد وفي",
    "fa": "و در به از که این را با است برای آن یک تا می بود شد هم خود ها نیز کرد شده بر اما یا پس ای دارد",
}

STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}

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
    return Counter({name: n for name, rx in _SCRIPT_RES.items() if (n := len(rx.findall(text)))})


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
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    # A word shared by k candidate languages is 1/k evidence for each: the words only one of
    # them uses (da "af"/"hvad" vs. no "av"/"hva"; es "el"/"los" vs. pt "o"/"os") decide.
    languages_of = _LANGUAGES_OF[script]
    score = dict.fromkeys(_CANDIDATES[script], 0.0)
    known = 0
    for w in words:
        if langs := languages_of.get(w):
            known += 1
            for lang in langs:
                score[lang] += 1 / len(langs)
    (best, n), (_, second) = sorted(score.items(), key=lambda kv: kv[1], reverse=True)[:2]
    if known < _MIN_HITS or known < _MIN_SHARE * len(words) or n < _MARGIN * second:
        return None
    return best
