"""Offline language detection (ingest/language.py): script first, then stop-word evidence."""

from __future__ import annotations

import pytest

from newsbrief import Article
from newsbrief.ingest.language import STOPWORDS, detect_language, normalise_tag

SAMPLES = {
    "en": "The government said on Tuesday that it would not change its plans, despite criticism from opposition parties and business groups.",
    "de": "Die Bundesregierung hat am Dienstag angekündigt, dass sie an ihren Plänen festhalten wird, obwohl die Opposition und die Wirtschaft Kritik geübt haben.",
    "fr": "Le gouvernement a annoncé mardi qu'il ne changerait pas ses projets, malgré les critiques des partis d'opposition et des milieux d'affaires.",
    "es": "El gobierno anunció el martes que no cambiará sus planes, a pesar de las críticas de los partidos de la oposición y de los empresarios.",
    "it": "Il governo ha annunciato martedì che non cambierà i suoi piani, nonostante le critiche dei partiti di opposizione e delle imprese.",
    "pt": "O governo anunciou na terça-feira que não vai mudar os seus planos, apesar das críticas dos partidos da oposição e dos empresários.",
    "nl": "De regering heeft dinsdag aangekondigd dat zij haar plannen niet zal wijzigen, ondanks de kritiek van de oppositie en het bedrijfsleven.",
    "sv": "Regeringen meddelade på tisdagen att den inte kommer att ändra sina planer, trots kritik från oppositionen och näringslivet.",
    "da": "Regeringen meddelte tirsdag, at den ikke vil ændre sine planer, selv om oppositionen og erhvervslivet har kritiseret dem meget.",
    "no": "Regjeringen sa tirsdag at den ikke vil endre planene sine, selv om opposisjonen og næringslivet har kritisert dem mye.",
    "pl": "Rząd ogłosił we wtorek, że nie zmieni swoich planów, mimo krytyki ze strony partii opozycyjnych i przedsiębiorców, którzy są przeciw.",
    "cs": "Vláda v úterý oznámila, že své plány nezmění, a to i přes kritiku opozičních stran, které jsou proti.",
    "tr": "Hükümet salı günü yaptığı açıklamada, muhalefet partilerinin ve iş dünyasının eleştirilerine rağmen planlarını değiştirmeyeceğini söyledi ve bu karar için çok kararlı olduğunu ifade etti.",
    "ru": "Правительство заявило во вторник, что не будет менять свои планы, несмотря на критику со стороны оппозиции и бизнеса, которые были против.",
    "uk": "Уряд заявив у вівторок, що не змінюватиме свої плани, попри критику з боку опозиції та бізнесу, які були проти.",
    "ar": "قالت الحكومة يوم الثلاثاء إنها لن تغير خططها على الرغم من الانتقادات التي وجهتها أحزاب المعارضة إلى هذا القرار في البرلمان.",
    "zh": "政府星期二表示，尽管反对党和商界提出批评，但不会改变其计划。",
    "ja": "政府は火曜日、野党や経済界からの批判にもかかわらず、計画を変更しないと発表した。",
    "ko": "정부는 화요일 야당과 재계의 비판에도 불구하고 계획을 변경하지 않겠다고 밝혔다.",
    "el": "Η κυβέρνηση ανακοίνωσε την Τρίτη ότι δεν θα αλλάξει τα σχέδιά της.",
}


@pytest.mark.parametrize(("lang", "text"), SAMPLES.items(), ids=list(SAMPLES))
def test_one_sentence_is_enough(lang: str, text: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    ["", "Home", "12:30 - 4 3 2", "Share Save", "iPhone iPad Mac", "© 2019 — | — ·"],
)
def test_too_little_evidence_is_none_not_a_guess(text: str) -> None:
    assert detect_language(text) is None


def test_seed_article_is_english(seed_text: str) -> None:
    assert detect_language(seed_text) == "en"


def test_furniture_around_a_german_story_does_not_decide() -> None:
    """English share buttons and navigation on a German page: the prose wins."""
    text = "Home\nNews\nShare\nTweet\nEmail\n" + SAMPLES["de"] + "\n" + SAMPLES["de"] + "\nPrivacy Policy\nTerms of Use"
    assert detect_language(text) == "de"


def test_japanese_with_kanji_is_not_chinese() -> None:
    assert detect_language("東京都は新しい計画を発表しました。") == "ja"
    assert detect_language("北京市政府发布了新的计划。") == "zh"


def test_only_the_start_of_a_huge_text_is_read() -> None:
    assert detect_language(SAMPLES["ru"] * 20000) == "ru"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-GB", "en"),
        ("EN", "en"),
        ("zh_Hant", "zh"),
        ("pt-BR", "pt"),
        ("nb-NO", "no"),
        ("und", None),
        ("", None),
        ("x", None),
        (None, None),
        ("en gb", None),
    ],
)
def test_normalise_tag(tag: str | None, expected: str | None) -> None:
    assert normalise_tag(tag) == expected


def test_stop_lists_are_lower_case_words() -> None:
    for lang, words in STOPWORDS.items():
        assert len(words) >= 25, lang
        assert all(w == w.lower() and " " not in w for w in words), lang


def test_language_round_trips_through_json() -> None:
    article = Article(body="Hallo Welt.", language="de")
    assert Article.from_dict(article.to_dict()).language == "de"
    assert Article.from_dict({k: v for k, v in article.to_dict().items() if k != "language"}).language is None


def test_every_reader_records_the_language(seed_text: str) -> None:
    from newsbrief.ingest import parse_text

    assert parse_text(seed_text).language == "en"  # scraped page text
    german = (
        "Der Bundestag hat am Freitag ein neues Gesetz beschlossen, das die Regierung seit langem "
        "gefordert hatte. Die Opposition kritisierte den Entwurf scharf und kündigte Widerstand an."
    )
    assert parse_text(german, format="plain").language == "de"
    assert parse_text(
        "@highlight\n\nshort\n\nThe council met on Monday and agreed the budget for the year.\n\n@highlight\n\nBudget agreed",
        format="story",
    ).language in ("en", None)
