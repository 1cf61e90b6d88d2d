"""The web page shows the checker's verdict on each highlight (headless Chromium, as test_web.py).

An ``llm`` article (a loopback fake OpenAI-compatible endpoint, enabled by the operator)
with two highlights copied from the article and one invented: the page's chips say
``supported``, ``unsupported``, ``supported``; clicking the invented one marks no source span,
outlines the closest passage as not backing it and lists the reason. Set
``NEWSBRIEF_SCREENSHOT_DIR`` to save ``screenshot-support.png`` there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium", allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    pytest.skip("the playwright package is not installed: pip install playwright", allow_module_level=True)

from helpers_service import FakeChat, uvicorn_in_thread  # noqa: E402
from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402

SEED = (Path(__file__).resolve().parents[1] / "fixtures" / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
HIGHLIGHTS = [
    "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg for a face-to-face "
    "meeting with his counterpart, Vladimir Putin.",
    "Putin announced a $5 billion loan to Turkey.",
    "A second Russian serviceman was killed trying to rescue the other crew member on the ground.",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chat = FakeChat(HIGHLIGHTS)
    config = ServiceConfig(
        db_path=tmp_path_factory.mktemp("e2e-support") / "articles.db",
        methods={"highlights": {}, "llm": {"base_url": chat.base_url, "model": "fake"}},
        allow_private_backends=True,
    )
    try:
        with uvicorn_in_thread(create_app(config)) as url:
            yield url
    finally:
        chat.close()


@pytest.mark.slow
def test_each_highlight_shows_its_verdict_and_an_unsupported_one_claims_no_source(base_url: str) -> None:
    r = httpx.post(f"{base_url}/v1/articles", json={"text": SEED, "method": "llm"}, timeout=60)
    assert r.status_code == 201, r.text
    data = r.json()
    assert [h["support"]["verdict"] for h in data["highlights"]] == ["supported", "unsupported", "supported"]
    body = data["article"]["body"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"], headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base_url}/?id={data['id']}")
            page.wait_for_selector("#highlights li.highlight")
            chips = page.locator("#highlights .hl-meta .chip").all_inner_texts()
            assert [c.split(" ")[0] for c in chips] == ["supported", "unsupported", "supported"]
            items = page.locator("#highlights li.highlight")
            assert "no source in the article" in items.nth(1).inner_text()
            items.nth(1).click()
            assert page.locator("#article-body mark.src").count() == 0  # no provenance claimed
            a, b = data["highlights"][1]["support"]["nearest"][0]
            nearest = "".join(page.locator("#article-body mark.nearest").all_text_contents())
            assert nearest == body[a:b]
            assert "$5 billion" in page.locator("#issues").inner_text()
            shots = os.environ.get("NEWSBRIEF_SCREENSHOT_DIR")
            if shots:
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(Path(shots) / "screenshot-support.png"))
            items.nth(0).click()
            ((a, b),) = data["highlights"][0]["spans"]
            assert "".join(page.locator("#article-body mark.src").all_text_contents()) == body[a:b]
            assert errors == []
        finally:
            browser.close()


@pytest.mark.slow
def test_a_checked_summary_shows_a_verdict_chip_per_sentence(base_url: str) -> None:
    """Paste an article and someone else's summary: POST /v1/check, one entry per summary
    sentence with its chip; the invented one marks no source, the copied one marks its passage."""
    copied, invented = HIGHLIGHTS[0], HIGHLIGHTS[1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"], headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            answers: list[dict[str, object]] = []
            page.on("response", lambda r: answers.append(r.json()) if r.url.endswith("/v1/check") else None)
            page.goto(base_url)
            page.wait_for_selector("body[data-ready=true]")
            page.fill("#article-text", SEED)
            page.click("#check-box summary")
            page.fill("#summary-text", f"{copied} {invented}")
            assert page.locator("#submit").inner_text() == "Check summary"
            page.click("#submit")
            page.wait_for_selector("#highlights li.highlight")
            assert page.locator("#hl-heading").text_content() == "Checked summary"
            texts = page.locator("#highlights .hl-text").all_inner_texts()
            assert texts == [copied, invented]
            chips = page.locator("#highlights .hl-meta .chip").all_inner_texts()
            assert [c.split(" ")[0] for c in chips] == ["supported", "unsupported"]
            items = page.locator("#highlights li.highlight")
            assert "no source in the article" in items.nth(1).inner_text()
            items.nth(1).click()
            assert page.locator("#article-body mark.src").count() == 0  # no provenance claimed
            assert "$5 billion" in page.locator("#issues").inner_text()
            items.nth(0).click()
            marked = " ".join(page.locator("#article-body mark.src").all_text_contents())
            assert copied in marked
            (data,) = answers
            assert data["method"] is None and len(data["highlights"]) == 2  # type: ignore[arg-type]
            assert errors == []
        finally:
            browser.close()
