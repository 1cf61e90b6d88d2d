"""The web page in a real headless Chromium (Debian's ``chromium``, driven by ``playwright``).

Paste the seed article, get highlights, click each one and check that the text marked in the
article is exactly the highlight's source spans (``body[start:end]``). Quotes mark their
words and speaker; the search page finds the stored article and opens it; an upload of the
same file gives the same stored article. The page must load nothing from anywhere but the
server (every other request fails the test) and log no errors.

Needs /usr/bin/chromium (``apt-get install chromium``) and ``pip install playwright``; never
``playwright install``. Skipped, with the reason, when either is missing. Set
``NEWSBRIEF_SCREENSHOT_DIR`` to save ``screenshot-highlight.png`` there (docs/ uses it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cnn-erdogan-putin.txt"
SEED = FIXTURE.read_text(encoding="utf-8")

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: apt-get install -y chromium", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
    pytest.skip("the playwright package is not installed: pip install playwright", allow_module_level=True)

from helpers_service import uvicorn_in_thread  # noqa: E402
from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1, an ephemeral port, in a thread."""
    db = tmp_path_factory.mktemp("e2e") / "articles.db"
    with uvicorn_in_thread(create_app(ServiceConfig(db_path=db))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        except Exception as exc:  # a broken Chromium install is an environment problem, say so
            pytest.skip(f"cannot start {CHROMIUM}: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    pg = context.new_page()
    problems: list[str] = []
    local = urlparse(base_url).netloc

    def guard(route: Any) -> None:
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == local:
            route.continue_()
        else:
            problems.append(f"external request: {route.request.url}")
            route.abort()

    pg.route("**/*", guard)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.problems = problems  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not problems, problems


def marked_spans(page: Page, cls: str) -> dict[str, str]:
    """Text of the marks of one class in the article, joined per data-span (a span may be cut by overlaps)."""
    return dict(
        page.eval_on_selector_all(
            f"#article-body mark.{cls}",
            """marks => {
                const out = {};
                for (const m of marks) { const k = m.dataset.span ?? "0"; out[k] = (out[k] ?? "") + m.textContent; }
                return Object.entries(out);
            }""",
        )
    )


def paste_and_summarize(page: Page, base_url: str) -> dict[str, Any]:
    page.goto(f"{base_url}/")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#article-text", SEED)
    with page.expect_response(lambda r: r.url.endswith("/v1/articles") and r.request.method == "POST") as info:
        page.click("#submit")
    response = info.value
    assert response.status in (200, 201)
    data: dict[str, Any] = response.json()
    page.wait_for_selector("#highlights li.highlight")
    return data


def test_highlights_mark_their_source_spans(page: Page, base_url: str) -> None:
    data = paste_and_summarize(page, base_url)
    body = data["article"]["body"]
    highlights = data["highlights"]
    items = page.locator("#highlights li.highlight")
    assert items.count() == len(highlights) >= 2
    for i, h in enumerate(highlights):
        assert items.nth(i).locator(".hl-text").inner_text().split() == h["text"].split()
    assert page.locator("#article-body mark.src").count() == 0  # nothing marked before a click
    for i, h in enumerate(highlights):
        items.nth(i).click()
        expected = {str(k): body[a:b] for k, (a, b) in enumerate(h["spans"])}
        assert marked_spans(page, "src") == expected
        assert items.nth(i).get_attribute("aria-pressed") == "true"
    if data["faithfulness"] is not None:
        assert page.locator("#verdict").is_visible()
        assert page.locator("#highlights .chip").count() == len(highlights)
    assert "/?id=" in page.url

    items.nth(0).click()  # leave highlight 1 selected for the screenshot (the loop ended on the last)
    shots = os.environ.get("NEWSBRIEF_SCREENSHOT_DIR")
    if shots:
        page.evaluate("window.scrollTo(0, 0)")
        page.mouse.move(5, 300)  # no hover effect in the picture
        page.wait_for_timeout(300)  # let the selection transitions finish
        target = Path(shots) / "screenshot-highlight.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))
    items.nth(0).click()  # a second click clears the marks
    assert page.locator("#article-body mark.src").count() == 0


def test_quotes_mark_words_and_speaker(page: Page, base_url: str) -> None:
    data = paste_and_summarize(page, base_url)
    if not data["analysis"] or not data["analysis"]["quotes"]:
        pytest.skip("analysis not available in this install")
    body = data["article"]["body"]
    quotes = data["analysis"]["quotes"]
    i = next(k for k, q in enumerate(quotes) if q.get("speaker_span"))
    q = quotes[i]
    page.locator("#quotes li.quote").nth(i).click()
    quote_text = "".join(page.locator("#article-body mark.quote").all_text_contents())
    parts = q["parts"] or [q["span"]]
    assert quote_text == "".join(body[a:b] for a, b in parts)
    a, b = q["speaker_span"]
    assert "".join(page.locator("#article-body mark.speaker").all_text_contents()) == body[a:b]
    assert (q.get("canonical") or q["speaker"]) in page.locator("#quotes li.quote").nth(i).inner_text()


def test_search_finds_the_article_and_opens_it(page: Page, base_url: str) -> None:
    data = paste_and_summarize(page, base_url)
    page.goto(f"{base_url}/search?q=interceptors")
    page.wait_for_selector("#results li.result-item")
    assert page.locator("#results li.result-item").count() == 1
    assert page.locator("#results .snippet mark").first.inner_text().lower() == "interceptors"
    page.locator("#results a.result-title").first.click()
    page.wait_for_selector("#highlights li.highlight")
    assert f"id={data['id']}" in page.url
    assert page.locator("#highlights li.highlight").count() == len(data["highlights"])


def test_upload_gives_the_same_stored_article(page: Page, base_url: str) -> None:
    pasted = paste_and_summarize(page, base_url)
    page.goto(f"{base_url}/")
    page.wait_for_selector("body[data-ready=true]")
    page.click("button.tab[data-tab=upload]")
    page.set_input_files("#article-file", str(FIXTURE))
    with page.expect_response(lambda r: "/v1/articles" in r.url and r.request.method == "POST") as info:
        page.click("#submit")
    assert info.value.status == 200  # not 201: the same text was stored by the paste
    page.wait_for_selector("#highlights li.highlight")
    assert page.url.endswith(f"/?id={pasted['id']}")
    assert "stored before" in page.locator("#status").inner_text()


def test_errors_are_shown_with_their_code(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#article-text", "\u0000\u0001\u0002 binary junk \u0003" * 50)
    with page.expect_response(lambda r: r.url.endswith("/v1/articles")) as info:
        page.click("#submit")
    assert info.value.status == 422
    status = page.locator("#status")
    status.wait_for(state="visible")
    assert "unreadable_input" in status.inner_text()
    page.problems.clear()  # type: ignore[attr-defined]  # the browser logs the 422 itself


def test_pages_render_without_errors(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".endpoint")
    assert page.locator(".endpoint").count() >= 6
    assert "body_too_large" in page.locator("#api-intro").inner_text()
    page.goto(f"{base_url}/search")
    page.wait_for_selector("body[data-ready=true]")
