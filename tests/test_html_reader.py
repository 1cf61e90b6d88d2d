"""The HTML reader: trafilatura's body kept whole, our structure around it (issue 12).

What must be in the body and what must not, on small pages written like the real ones, plus
bad markup that must give a clear error or a result, never a crash or a hang.
"""

from __future__ import annotations

import gzip
import json
from types import SimpleNamespace

import pytest

from conftest import SHARED_DEV
from newsbrief import InputError, parse
from newsbrief.ingest.html import MAX_ELEMENTS, NO_TEXT, page_language_attribute, read_html

PARAS = [
    "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg for a face-to-face meeting with his counterpart, Vladimir Putin.",
    "It is the first time the two leaders have met since Turkish interceptors blasted a Russian warplane out of the skies over Syria in November.",
    "As well as blocking trade ties with Ankara and banning the import of food items from Turkey, Putin also struck at the Turkish tourism industry.",
    "Visa-free travel to Russia was canceled for Turks, and Turkish workers were asked to leave, their visas revoked.",
]


def _page(body: str, *, lang: str | None = "en", title: str = "Leaders meet in Russia") -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'><title>{title} | Example</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer><p>Copyright 2016 Example News. All rights reserved.</p></footer></body></html>"
    )


def _ps(paras: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def test_cnn_page_highlights_dateline_media_and_subheading_are_structure() -> None:
    html = _page(
        "<h3>Story highlights</h3><ul><li>The two leaders fell out after a warplane was shot down</li>"
        "<li>Turkey's economy is suffering during the spat</li></ul>"
        f"<p>St. Petersburg, Russia (CNN) — {PARAS[0]}</p><p>{PARAS[1]}</p>"
        "<p>erdogan meets with putin in russia_00012016.jpg</p><p>03:00 - Source: CNN</p>"
        f"<h2>Turkey feels the pinch</h2><p>{PARAS[2]}</p><p>Scroll down for video</p><p>{PARAS[3]}</p>"
    )
    article = read_html(html)
    assert article.title == "Leaders meet in Russia"
    assert article.reference_highlights == [
        "The two leaders fell out after a warplane was shot down",
        "Turkey's economy is suffering during the spat",
    ]
    assert (article.source, article.dateline) == ("CNN", "St. Petersburg, Russia")
    assert [article.body[p.start : p.end] for p in article.paragraphs] == PARAS
    assert [(m.kind, m.file_name, m.duration_seconds) for m in article.media] == [
        ("video", "erdogan meets with putin in russia_00012016.jpg", 180)
    ]
    kinds = {b.text: b.kind for b in article.blocks}
    assert kinds["Turkey feels the pinch"] == "heading"
    assert kinds["Scroll down for video"] == "boilerplate"
    for furniture in ("Story highlights", "(CNN)", "Source: CNN", "Scroll down", "Copyright", "Home"):
        assert furniture not in article.body


def test_highlights_as_paragraphs_stop_where_the_story_starts() -> None:
    """CNN's newer pages: bullets ending with periods, in paragraphs, then the story."""
    html = _page(
        "<p>Story highlights</p><p>The two leaders fell out after a warplane was shot down.</p>"
        "<p>Turkey's economy is suffering during the spat.</p>" + _ps(PARAS)
    )
    article = read_html(html)
    assert article.reference_highlights == [
        "The two leaders fell out after a warplane was shot down.",
        "Turkey's economy is suffering during the spat.",
    ]
    assert article.body.startswith(PARAS[0])


@pytest.mark.parametrize(
    ("opening", "source", "place"),
    [
        ("LONDON (Reuters) -", "Reuters", "LONDON"),
        ("WASHINGTON (AP) —", "AP", "WASHINGTON"),
        ("(CNN) --", "CNN", None),
    ],
)
def test_agency_dateline_is_taken_off_the_first_paragraph(opening: str, source: str, place: str | None) -> None:
    article = read_html(_page(f"<p>{opening} {PARAS[0]}</p>" + _ps(PARAS[1:])))
    assert (article.source, article.dateline) == (source, place)
    assert article.body.startswith(PARAS[0])


def test_headings_in_body_keeps_subheadings_in_place() -> None:
    html = _page(f"<p>{PARAS[0]}</p><h2>Turkey feels the pinch</h2><p>{PARAS[1]}</p>")
    apart = read_html(html)
    assert "Turkey feels the pinch" not in apart.body
    assert [b.text for b in apart.blocks if b.kind == "heading"] == ["Turkey feels the pinch"]
    inside = read_html(html, headings_in_body=True)
    assert [inside.body[p.start : p.end] for p in inside.paragraphs] == [PARAS[0], "Turkey feels the pinch", PARAS[1]]
    assert not [b for b in inside.blocks if b.kind == "heading"]


def test_prose_that_opens_like_furniture_stays_in_the_body() -> None:
    """Only short lines are judged by the furniture rules: trafilatura already chose the text."""
    long_click = (
        "Click here to get more information about the pack, which includes six new maps, two new modes "
        "and a soundtrack recorded by the original composer."
    )
    article = read_html(_page(_ps([PARAS[0], long_click, PARAS[1]])))
    assert long_click in article.body


def test_only_furniture_keeps_the_extractor_text_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    """When trafilatura's blocks all look like furniture to our rules, its text is still the body."""
    import newsbrief.ingest.html as reader

    text = "Scroll down for video\nAdvertisement\nClick here to subscribe\nPhoto: Getty Images"
    doc = SimpleNamespace(text=text, body=None, title=None, author=None, date=None, sitename=None, url=None)
    monkeypatch.setattr(reader, "_extract", lambda html, url, options: doc)
    article = read_html("<html><body>stub</body></html>")
    assert [article.body[p.start : p.end] for p in article.paragraphs] == text.splitlines()
    assert any("furniture" in note for note in article.notes)


def test_japanese_page_has_a_body() -> None:
    """Regression: a Japanese blog page (sentences end with 。) raised "no article text"
    though trafilatura returns its text (dev page lhpat-tm.com)."""
    paras = [
        "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで20代の男性が逮捕されたというニュースを耳にしました。",
        "報道によると、今回販売されたのは、いわゆる「脱獄」したiPhoneです。",
        "もちろん、Apple社は「脱獄」を認めていません。不正に改造したiPhoneでも、もともとは、アップル社から購入したものです。",
    ]
    article = read_html(_page(_ps(paras), lang="ja", title="脱獄したiPhoneの販売と商標権"))
    assert [article.body[p.start : p.end] for p in article.paragraphs] == paras
    assert article.language == "ja"


def test_russian_and_korean_pages_keep_working() -> None:
    ru = [
        "Правительство заявило во вторник, что не будет менять свои планы, несмотря на критику со стороны оппозиции.",
        "По словам министра, решение было принято после долгих консультаций с экспертами и представителями бизнеса.",
    ]
    ko = [
        "정부는 화요일 야당과 재계의 비판에도 불구하고 계획을 변경하지 않겠다고 밝혔다.",
        "장관은 이 결정이 전문가들과의 오랜 협의 끝에 내려졌다고 말했다.",
        "야당 대표는 정부의 결정이 국민의 목소리를 무시한 것이라며 강하게 반발했다.",
        "재계 관계자들은 새로운 규제가 투자와 고용에 부정적인 영향을 줄 수 있다고 우려했다.",
        "정부는 다음 달 구체적인 시행 계획을 발표할 예정이라고 덧붙였다.",
    ]
    article = read_html(_page(_ps(ru), lang=None, title="Правительство не изменит планы"))
    assert article.body.startswith(ru[0]) and article.language == "ru"
    article = read_html(_page(_ps(ko), lang="ko-KR", title="정부, 계획 변경 없다"))
    assert article.body.startswith(ko[0]) and article.language == "ko"


def test_language_from_lang_attribute_unless_the_text_says_otherwise() -> None:
    de = [
        "Die Bundesregierung hat am Dienstag angekündigt, dass sie an ihren Plänen festhalten wird.",
        "Die Opposition und die Wirtschaft haben die Entscheidung scharf kritisiert, aber die Regierung bleibt dabei.",
    ]
    assert read_html(_page(_ps(PARAS), lang="en-GB")).language == "en"
    assert read_html(_page(_ps(de), lang="de-DE")).language == "de"
    mislabelled = read_html(_page(_ps(de), lang="en"))  # a template's default lang on a German post
    assert mislabelled.language == "de"
    assert any("lang='en'" in note for note in mislabelled.notes)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<html lang="en-US"><body>', "en"),
        ("<HTML LANG=de>", "de"),
        ("<html class='x' lang='zh-Hans'>", "zh"),
        ('<html lang="">', None),
        ("<html>", None),
        ('<body lang="fr">', None),
    ],
)
def test_page_language_attribute(html: str, expected: str | None) -> None:
    assert page_language_attribute(html) == expected


# --- bad markup: a clear error or a result ------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><script>var a = 1;</script></head><body><script>" + "x = 1;" * 2000 + "</script></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><body></body></html>",
        "<html>   </html>",
    ],
    ids=["only-scripts", "only-nav", "empty-body", "blank"],
)
def test_pages_without_text_are_a_clear_input_error(html: str) -> None:
    with pytest.raises(InputError, match="no article text"):
        read_html(html)
    with pytest.raises(InputError, match="no article text"):
        parse(html, format="html")


def test_empty_html_is_a_clear_error() -> None:
    with pytest.raises(InputError):
        parse("", format="html")
    with pytest.raises(InputError, match=NO_TEXT):
        read_html("")


def test_malformed_markup_gives_the_text() -> None:
    html = (
        "<html><body><div><p>Unclosed <b>bold <i>italic</p></div></span>&#xZZZ; <p>"
        + "A long sentence with words enough to be an article paragraph goes here. " * 4
        + "<table><tr><td>cell</td></tr></body>"
    )
    article = read_html(html)
    assert "A long sentence with words enough" in article.body


def test_five_megabytes_of_nested_divs_is_a_clear_error() -> None:
    depth = 5 * 1024 * 1024 // 11
    html = "<html><body>" + "<div>" * depth + "<p>" + " ".join(PARAS) + "</p>" + "</div>" * depth + "</body></html>"
    assert len(html) > 5_000_000
    with pytest.raises(InputError, match="elements"):
        read_html(html)


def test_nesting_as_deep_as_the_parser_allows_still_reads() -> None:
    """200 levels of divs around each paragraph (lxml allows 256): slow markup, still a result."""
    block = "<div>" * 200 + "<p>{}</p>" + "</div>" * 200
    article = read_html("<html><body>" + "".join(block.format(p) for p in PARAS) + "</body></html>")
    assert PARAS[0] in article.body


def test_element_limit_is_checked_before_parsing() -> None:
    html = "<html><body>" + "<p>x</p>" * (MAX_ELEMENTS + 1) + "</body></html>"
    with pytest.raises(InputError, match=f"{MAX_ELEMENTS:,}"):
        read_html(html)


def test_binary_junk_inside_markup() -> None:
    article = read_html("<html>\x00\x01<body><p>" + PARAS[0] + "</p>\x02</body></html>")
    assert PARAS[0] in article.body


# --- the dev pages ------------------------------------------------------------------------

PAGES = SHARED_DEV / "pages.jsonl.gz"


@pytest.mark.slow
@pytest.mark.skipif(not PAGES.exists(), reason="needs ../shared/data/dev/pages.jsonl.gz")
def test_whenever_trafilatura_finds_text_we_find_text() -> None:
    import trafilatura

    with gzip.open(PAGES, "rt", encoding="utf-8") as f:
        pages = [json.loads(line) for line in f]
    raised = []
    for page in pages:
        if (trafilatura.extract(page["html"]) or "").strip():
            try:
                assert read_html(page["html"]).body
            except InputError:
                raised.append(page["url"])
    assert raised == []
