"""Function words of common news languages, as data: the line classifier's "reads like prose" signal.

Running text is dense in function words in any language; navigation, link lists and credits are
not (jusText's observation). Each list holds the commonest function words of its language
(articles, pronouns, prepositions, conjunctions, auxiliaries), lower-cased.
"""

from __future__ import annotations

from collections.abc import Iterable

_WORDS = {
    "en": "the a an and or but of to in on at for with by from as is are was were be been being has have had "
    "it its this that these those he she they we you i his her their our your him them not no will would can "
    "could should may might do does did which who whom what when where there here than then so if about into "
    "after before over also just said says more most",
    "de": "der die das den dem des ein eine einen einem einer und oder aber von zu im in am an auf für mit bei "
    "aus als ist sind war waren sein hat haben hatte es sie er wir ich nicht kein keine wird werden kann "
    "auch noch nach vor über um wie wenn dass sich so zum zur nur",
    "fr": "le la les un une des du de et ou mais à au aux en dans sur pour par avec est sont était été a ont "
    "il elle ils elles nous vous je ce cette ces qui que quoi ne pas plus se sa son ses leur leurs aussi "
    "comme si y été être avoir",
    "es": "el la los las un una unos unas y o pero de del a al en por para con es son fue era ha han se su sus "
    "que qui no más como lo le les este esta estos estas ese esa también muy sin sobre entre cuando",
    "it": "il lo la i gli le un una uno e o ma di del della dei delle da dal a al alla in nel nella su per con "
    "è sono era ha hanno si che non più come anche questo questa quello suo sua loro se tra fra",
    "pt": "o a os as um uma uns umas e ou mas de do da dos das em no na nos nas por para com é são foi era "
    "tem têm se que não mais como também este esta seu sua seus suas ao aos pelo pela entre quando muito",
    "nl": "de het een en of maar van in op aan voor met door uit als is zijn was waren heeft hebben had het "
    "hij zij ze wij we ik niet geen wordt worden kan ook nog na naar over om dat die dit deze er",
    "ru": "и в во не что он она они на я с со как а то все так его но да ты к у же вы за бы по только ее "
    "мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже или ни быть был была были "
    "это этот эта также который которая которые при для до после",
    "id": "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh atau karena ada "
    "bisa sudah saat kami kita mereka ia dia telah lebih para seperti bahwa tersebut",
    "pl": "i w na z do że się nie to jest jak po o a ale co od za przez dla tak jego jej ich są był była było "
    "oraz lub także już tylko przy może który która które",
    "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från vi så "
    "kan när år ska också efter",
    "tr": "ve bir bu da de için ile olarak daha çok gibi en ama ancak olan sonra kadar ne değil her şey o ise",
}

STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
_LANGUAGES_OF: dict[str, list[str]] = {}
for _lang, _words in STOPWORDS.items():
    for _w in _words:
        _LANGUAGES_OF.setdefault(_w, []).append(_lang)


def page_language(tokens: Iterable[str]) -> str | None:
    """The language whose function words the lower-cased ``tokens`` use most (None: no evidence)."""
    counts = dict.fromkeys(STOPWORDS, 0)
    for tok in tokens:
        for lang in _LANGUAGES_OF.get(tok, ()):
            counts[lang] += 1
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    return lang if best >= 5 else None
