"""The web service API through FastAPI's TestClient: endpoints, error codes, limits, degradation.

Contract: every error is ``{"error": {"code", "status", "message", "details"}}`` with a code
from ``ERROR_CODES`` (documented in docs/service.md); bodies over the limit are refused while
they stream; a request over the time limit gets 504 and stores nothing; posting the same
article twice gives the same id and one row; a missing analyzer or checker makes its field
null with a note instead of failing.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402
from newsbrief.service.errors import ERROR_CODES  # noqa: E402
from newsbrief.service.middleware import BodyLimitMiddleware  # noqa: E402
from newsbrief.service.models import RecordResponse, StoredRecordResponse  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SEED = (FIXTURES / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "service.md"


def make_client(tmp_path: Path, **settings: Any) -> TestClient:
    config = ServiceConfig(db_path=tmp_path / "articles.db", **settings)
    return TestClient(create_app(config), raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as c:
        yield c


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["status"] == status
    assert ERROR_CODES[code][0] == status
    assert body["error"]["message"]
    return dict(body["error"])


def article_count(client: TestClient) -> int:
    return int(client.get("/v1/articles").json()["total"])


# --- the happy paths -----------------------------------------------------------------------


def test_healthz_reports_schema_and_features(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["schema_version"] == 2
    assert body["features"]["url_fetch"] is False
    assert set(body["features"]) >= {"analysis", "faithfulness", "url_fetch"}
    assert body["limits"]["max_body_bytes"] == 5_000_000


def test_post_article_returns_everything_with_spans_into_the_body(client: TestClient) -> None:
    r = client.post("/v1/articles", json={"text": SEED})
    assert r.status_code == 201, r.text
    data = r.json()
    assert r.headers["location"] == f"/v1/articles/{data['id']}"
    assert data["created"] is True
    body = data["article"]["body"]
    highlights = data["highlights"]
    assert 2 <= len(highlights) <= 4  # the engine sizes the list by words (issue 15)
    for h in highlights:
        pieces = [body[a:b] for a, b in h["spans"]]
        assert all(pieces)
        assert " ".join(p.strip() for p in pieces).split() == h["text"].split() or all(p in body for p in pieces)
    assert data["article"]["source"] == "CNN"
    assert data["article"]["media"][0]["kind"] == "video"
    assert set(data["timings"]) >= {"read", "summarize", "store"}


def test_the_api_answers_the_records_the_command_line_writes(client: TestClient) -> None:
    """One record shape: what POST /v1/summarize answers is ``Record.to_dict`` (with the
    article), key for key and value for value, timings aside."""
    from newsbrief.ingest import parse_text
    from newsbrief.pipeline import Pipeline, resolve_method

    r = client.post("/v1/summarize", json={"text": SEED, "method": "lead:n=2", "analyze": True, "check": True})
    assert r.status_code == 200, r.text
    data = r.json()
    record = Pipeline(resolve_method("lead:n=2"), analyze=True, check=True).run(lambda: parse_text(SEED))
    expected = json.loads(record.to_json(article=True))
    assert list(data) == list(expected)
    assert set(data["timings"]) == set(expected["timings"]) == {"read", "summarize", "analyze", "check"}
    data["timings"] = expected["timings"] = {}
    assert data == expected
    assert all(h["support"]["verdict"] == "supported" for h in data["highlights"])
    RecordResponse.model_validate(data)  # the OpenAPI model describes what is answered (it forbids extra keys)


def test_stored_articles_answer_the_record_shape_with_where_they_are(client: TestClient) -> None:
    posted = client.post("/v1/articles", json={"text": SEED}).json()
    record_keys = ["id", "method", "settings", "highlights", "explain", "analysis", "faithfulness", "notes"]
    assert list(posted)[: len(record_keys)] == record_keys
    assert {"timings", "schema_version", "article", "created", "created_at", "href"} <= set(posted)
    assert posted["schema_version"] == "1.2" and posted["href"] == f"/v1/articles/{posted['id']}"
    got = client.get(posted["href"]).json()
    assert list(got)[: len(record_keys)] == record_keys
    assert got["id"] == posted["id"] and got["href"] == posted["href"] and got["summary_count"] == 1
    assert got["timings"] == {}  # not stored
    StoredRecordResponse.model_validate(posted)
    StoredRecordResponse.model_validate(got)
    # the page's checks are on the highlights themselves (POST /v1/articles checks by default)
    for h in posted["highlights"]:
        assert h["support"]["verdict"] in ("supported", "check") and h["spans"]
        assert h["support"]["evidence"], "a backed highlight shows the passages that back it"


def test_a_row_written_by_an_older_schema_reads_in_todays_shape(tmp_path: Path) -> None:
    from newsbrief.service.store import Store

    with make_client(tmp_path) as c:
        posted = c.post("/v1/articles", json={"text": SEED, "method": "lead:n=1"}).json()
    store = Store(tmp_path / "articles.db")
    old_summary = {  # as 1.0 wrote it: no support, the report inside settings
        "schema_version": "1.0",
        "method": "lead",
        "settings": {"n": 3, "faithfulness": {"verdict": "consistent", "score": 1.0}},
        "highlights": [{"text": "Old highlight.", "sentence_ids": [0], "spans": [[0, 14]], "score": None}],
        "notes": ["old note"],
    }
    store.put(posted["article"], old_summary)
    store.close()
    with make_client(tmp_path) as c:
        got = c.get(posted["href"]).json()
    assert got["method"] == "lead" and got["settings"] == {"n": 3} and got["summary_count"] == 2
    assert got["highlights"] == [
        {"text": "Old highlight.", "sentence_ids": [0], "spans": [[0, 14]], "score": None, "support": None}
    ]
    assert got["notes"][-1] == "old note" and got["schema_version"] == "1.2"


def test_post_article_includes_quotes_with_speakers_and_faithfulness(client: TestClient) -> None:
    data = client.post("/v1/articles", json={"text": SEED}).json()
    if data["analysis"] is None:
        pytest.skip(f"analysis not available here: {data['notes']}")
    speakers = {q.get("canonical") or q.get("speaker") for q in data["analysis"]["quotes"]}
    assert any(s and "Putin" in s for s in speakers)
    body = data["article"]["body"]
    for q in data["analysis"]["quotes"]:
        a, b = q["span"]
        assert body[a:b] == q["text"] or q["parts"]
    if data["faithfulness"] is not None:
        report = data["faithfulness"]
        assert len(report["sentences"]) == len(data["highlights"])
        for s in report["sentences"]:
            if s["support_span"]:
                a, b = s["support_span"]
                assert body[a:b] == s["support_text"]


def test_same_text_twice_gives_the_same_id_and_one_row(client: TestClient) -> None:
    first = client.post("/v1/articles", json={"text": SEED})
    again = client.post("/v1/articles", json={"text": SEED})
    raw = client.post("/v1/articles", content=SEED.encode(), headers={"Content-Type": "text/plain; charset=utf-8"})
    upload = client.post("/v1/articles", files={"file": ("story.txt", SEED.encode(), "text/plain")})
    assert first.status_code == 201
    assert again.status_code == raw.status_code == upload.status_code == 200
    ids = {r.json()["id"] for r in (first, again, raw, upload)}
    assert len(ids) == 1
    assert again.json()["created"] is False
    assert article_count(client) == 1


def test_different_settings_add_a_summary_not_an_article(client: TestClient) -> None:
    one = client.post("/v1/articles", json={"text": SEED, "settings": {"n": 2}}).json()
    two = client.post("/v1/articles", json={"text": SEED, "method": "lead:n=1"}).json()
    assert one["id"] == two["id"]
    assert len(one["highlights"]) == 2
    assert len(two["highlights"]) == 1
    stored = client.get(f"/v1/articles/{one['id']}").json()
    assert stored["summary_count"] == 2
    assert stored["method"] == "lead"
    assert article_count(client) == 1


def test_get_article_round_trips(client: TestClient) -> None:
    posted = client.post("/v1/articles", json={"text": SEED}).json()
    got = client.get(f"/v1/articles/{posted['id']}").json()
    assert got["article"] == posted["article"]
    assert got["highlights"] == posted["highlights"]
    assert got["analysis"] == posted["analysis"]
    assert got["faithfulness"] == posted["faithfulness"]


def test_search_finds_titles_bodies_highlights_and_speakers(client: TestClient) -> None:
    posted = client.post("/v1/articles", json={"text": SEED}).json()
    other = "Local council approves new park.\n\nThe council voted on Tuesday to build a park near the river, officials said."
    client.post("/v1/articles", json={"text": other, "format": "plain"})
    hits = client.get("/v1/search", params={"q": "Erdogan"}).json()
    assert hits["total"] == 1
    assert hits["results"][0]["id"] == posted["id"]
    snippet = hits["results"][0]["snippet"]
    assert any(snippet["text"][a:b].lower() == "erdogan" for a, b in snippet["marks"])
    assert client.get("/v1/search", params={"q": "highlights:interceptors"}).json()["total"] == 1
    assert client.get("/v1/search", params={"q": '"counterpart, Vladimir Putin"'}).json()["total"] == 1
    assert client.get("/v1/search", params={"q": "park OR Erdogan"}).json()["total"] == 2
    assert client.get("/v1/search", params={"q": "counc*"}).json()["total"] == 1
    assert client.get("/v1/search", params={"q": "nonexistentword"}).json()["total"] == 0
    if posted["analysis"] is not None:
        assert client.get("/v1/search", params={"q": "speaker:hakura"}).json()["total"] == 1


def test_search_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/search"), 422, "invalid_request")
    assert_error(client.get("/v1/search", params={"q": "— …"}), 422, "invalid_request")
    assert_error(client.get("/v1/search", params={"q": "x", "limit": 0}), 422, "invalid_request")
    # FTS5 syntax in the box is quoted, never an SQL error.
    assert client.get("/v1/search", params={"q": 'NEAR( "a" * ) AND -x ^y'}).status_code == 200


def test_summarize_is_stateless_and_takes_settings(client: TestClient) -> None:
    r = client.post("/v1/summarize", json={"text": SEED, "settings": {"n": 2, "cuts": []}})
    assert r.status_code == 200, r.text
    data = r.json()
    assert len(data["highlights"]) == 2
    assert data["settings"]["cuts"] == []
    assert data["analysis"] is None and data["faithfulness"] is None
    lead = client.post("/v1/summarize?method=lead:n=1", content=SEED, headers={"Content-Type": "text/plain"}).json()
    assert lead["method"] == "lead"
    assert len(lead["highlights"]) == 1
    assert article_count(client) == 0


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"n": 2.5}, "'n' of method 'highlights' must be an integer from 1 to 20, got 2.5"),
        ({"n": "three"}, "'n' of method 'highlights' must be an integer"),
        ({"cuts": [1]}, "'cuts' of method 'highlights' must be a list of"),
        ({"cuts": ["nope"]}, "nope"),
        ({"position_decay": 1e308}, "'position_decay' of method 'highlights' must be a finite number from 0 to 10"),
        ({"position_decay": -1e308}, "'position_decay'"),
    ],
)
def test_settings_of_the_wrong_type_are_refused_by_name(
    client: TestClient, settings: dict[str, Any], words: str
) -> None:
    err = assert_error(client.post("/v1/summarize", json={"text": SEED, "settings": settings}), 422, "invalid_request")
    assert words in err["message"]


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ('{"quote_penalty": NaN}', "'quote_penalty' of method 'highlights' must be a finite number"),
        ('{"position_decay": Infinity}', "(not finite)"),
        ('{"position_decay": -Infinity}', "(not finite)"),
        ('{"n": ' + "9" * 5000 + "}", "not usable JSON"),
    ],
)
def test_non_finite_and_huge_numbers_are_client_errors(client: TestClient, settings: str, words: str) -> None:
    body = '{"text": "Some text here that is long enough to be an article.", "settings": ' + settings + "}"
    r = client.post("/v1/summarize", content=body.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert words in r.json()["error"]["message"]


def test_other_ways_in(client: TestClient) -> None:
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    as_html = client.post("/v1/summarize", json={"html": html})
    assert as_html.status_code == 200, as_html.text
    assert as_html.json()["article"]["input_format"] == "html"
    raw_html = client.post("/v1/summarize", content=html, headers={"Content-Type": "text/html"})
    assert raw_html.json()["article"]["body"] == as_html.json()["article"]["body"]
    form = client.post("/v1/summarize", data={"text": SEED, "settings": '{"n": 1}', "check": "true"})
    assert form.status_code == 200, form.text
    assert len(form.json()["highlights"]) == 1
    cp1252 = "Caf\u00e9 owners protest.\n\nThe caf\u00e9 owners said on Monday that the new rules would cost them \u20ac500 a month.".encode(
        "cp1252"
    )
    r = client.post(
        "/v1/summarize?format=plain", content=cp1252, headers={"Content-Type": "text/plain; charset=windows-1252"}
    )
    assert r.status_code == 200, r.text
    assert "café" in r.json()["article"]["body"] and "€500" in r.json()["article"]["body"]
    guessed = client.post(
        "/v1/summarize?format=plain", content=cp1252, headers={"Content-Type": "application/octet-stream"}
    )
    assert "€500" in guessed.json()["article"]["body"]
    assert any("1252" in n for n in guessed.json()["article"]["notes"])


def test_check_reports_unsupported_items(client: TestClient) -> None:
    ok = "Turkish President Recep Tayyip Erdogan is in St. Petersburg for a meeting with Vladimir Putin."
    bad = "Erdogan met Angela Merkel in Berlin on 14 March 1999."
    r = client.post("/v1/check", json={"text": SEED, "summary": [ok, bad]})
    assert r.status_code == 200, r.text
    data = r.json()
    RecordResponse.model_validate(data)
    report = data["faithfulness"]
    assert data["method"] is None and data["article"]["body"]  # the record shape
    assert [h["text"] for h in data["highlights"]] == [ok, bad]  # one per item, each with its verdict
    assert data["highlights"][1]["support"]["verdict"] != "supported" and data["highlights"][1]["support"]["issues"]
    assert [s["text"] for s in report["sentences"]] == [ok, bad]
    assert report["sentences"][1]["issues"]
    assert report["sentences"][0]["score"] > report["sentences"][1]["score"]
    assert article_count(client) == 0


# --- errors ---------------------------------------------------------------------------------


def test_invalid_json(client: TestClient) -> None:
    headers = {"Content-Type": "application/json"}
    assert_error(client.post("/v1/articles", content=b'{"text": ', headers=headers), 400, "invalid_json")
    assert_error(client.post("/v1/articles", content=b"[1, 2]", headers=headers), 400, "invalid_json")
    assert_error(client.post("/v1/articles", content=b'{"text": "\xff"}', headers=headers), 400, "invalid_json")


def test_invalid_requests(client: TestClient) -> None:
    assert_error(client.post("/v1/articles", json={}), 422, "invalid_request")
    assert_error(client.post("/v1/articles", json={"text": SEED, "url": "http://x.org/"}), 422, "invalid_request")
    err = assert_error(client.post("/v1/articles", json={"text": SEED, "colour": "red"}), 422, "invalid_request")
    assert err["details"][0]["loc"] == ["colour"]
    assert_error(client.post("/v1/articles", json={"text": SEED, "format": "pdf"}), 422, "invalid_request")
    assert_error(client.post("/v1/articles", json={"text": SEED, "method": "nope"}), 403, "method_not_enabled")
    err = assert_error(
        client.post("/v1/articles", json={"text": SEED, "settings": {"bogus": 1}}), 422, "invalid_request"
    )
    assert "bogus" in err["message"]
    assert_error(client.post("/v1/articles", json={"text": SEED, "settings": {"n": 0}}), 422, "invalid_request")
    assert_error(client.post("/v1/check", json={"text": SEED}), 422, "invalid_request")
    assert article_count(client) == 0


def test_unreadable_input(client: TestClient) -> None:
    assert_error(client.post("/v1/articles", json={"text": "   \n "}), 422, "unreadable_input")
    binary = bytes(range(256)) * 20
    r = client.post("/v1/articles", content=binary, headers={"Content-Type": "application/octet-stream"})
    assert_error(r, 422, "unreadable_input")
    assert_error(
        client.post("/v1/articles", content=b"", headers={"Content-Type": "text/plain"}), 422, "unreadable_input"
    )


def test_unsupported_media_type(client: TestClient) -> None:
    r = client.post("/v1/articles", content=b"<a/>", headers={"Content-Type": "application/xml"})
    assert_error(r, 415, "unsupported_media_type")
    assert_error(client.post("/v1/articles", content=b"text"), 415, "unsupported_media_type")
    r = client.post("/v1/check", content=b"text", headers={"Content-Type": "text/plain"})
    assert_error(r, 415, "unsupported_media_type")


def test_not_found_and_method_not_allowed(client: TestClient) -> None:
    assert_error(client.get("/v1/articles/0123456789abcdef"), 404, "not_found")
    assert_error(client.get("/v2/whatever"), 404, "not_found")
    r = client.delete("/v1/articles")
    assert_error(r, 405, "method_not_allowed")
    assert "GET" in r.headers["allow"]


def test_internal_errors_are_json_without_details(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    state = client.app.state.service  # type: ignore[attr-defined]

    def boom(article_id: str) -> None:
        raise RuntimeError("secret path /srv/x")

    monkeypatch.setattr(state.store, "get", boom)
    err = assert_error(client.get("/v1/articles/abc"), 500, "internal_error")
    assert "secret" not in err["message"]


# --- limits ---------------------------------------------------------------------------------


def test_body_limit_with_content_length(tmp_path: Path) -> None:
    with make_client(tmp_path, max_body_bytes=10_000) as c:
        r = c.post("/v1/articles", content=b"x" * 10_001, headers={"Content-Type": "text/plain"})
        err = assert_error(r, 413, "body_too_large")
        assert err["details"]["limit"] == 10_000
        assert r.headers["connection"] == "close"
        assert c.post("/v1/articles", json={"text": SEED[:3000]}).status_code == 201  # under the limit: fine


def test_body_limit_without_content_length(tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"y" * 1000

    with make_client(tmp_path, max_body_bytes=10_000) as c:
        r = c.post("/v1/articles", content=chunks(), headers={"Content-Type": "text/plain"})
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert_error(r, 413, "body_too_large")
        form = c.post("/v1/articles", files={"file": ("big.txt", b"z" * 20_000, "text/plain")})
        assert_error(form, 413, "body_too_large")
        assert article_count(c) == 0


def test_body_limit_stops_reading_as_soon_as_the_limit_is_passed() -> None:
    """Drive the middleware with an endless body: it must stop pulling messages right after the limit."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def endless_body() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if pulled > 1000:
            raise AssertionError("the middleware kept reading")
        return {"type": "http.request", "body": b"a" * 1000, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while True:  # an app that reads everything it is given
            message = await receive()
            if not message.get("more_body"):
                break

    middleware = BodyLimitMiddleware(app, max_bytes=5_500)
    scope = {"type": "http", "method": "POST", "path": "/", "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(middleware(scope, endless_body, send))  # type: ignore[arg-type]
    assert pulled == 6  # 6 * 1000 > 5500: refused at the sixth message
    assert sent[0]["status"] == 413
    assert b"body_too_large" in sent[1]["body"]


def test_time_limit_stops_the_work_and_stores_nothing(tmp_path: Path) -> None:
    # Two megabytes of text take well over 0.5 s to parse and summarize: the worker doing it is
    # killed at the limit and replaced, and the next request is served as usual.
    big = ("The council met on Monday to discuss the budget for the coming year. " * 30_000)[:2_000_000]
    # A worker's start-up is not the request's time: each step waits (on an event, not a clock)
    # until the pool says its worker is ready, so a loaded machine cannot fail the test.
    with make_client(tmp_path, request_timeout=0.5, workers=1) as c:
        pool = c.app.state.service.pool
        assert pool.wait_ready()
        assert c.post("/v1/summarize", json={"text": SEED}).status_code == 200
        first = pool.pids()
        err = assert_error(c.post("/v1/articles", json={"text": big}), 504, "timeout")
        assert "0.5 s" in err["message"]
        assert pool.pids().isdisjoint(first)  # killed and replaced
        assert pool.wait_ready()  # the replacement is up and idle
        assert c.get("/v1/articles").json()["total"] == 0
    # The store is intact after the kill (a fresh server with a limit no loaded machine misses).
    with make_client(tmp_path, request_timeout=30, workers=1) as c:
        assert c.post("/v1/articles", json={"text": SEED}).status_code == 201
        assert c.get("/v1/articles").json()["total"] == 1


# --- guards for a server a browser can reach --------------------------------------------------


def test_host_guard_against_dns_rebinding(tmp_path: Path) -> None:
    with make_client(tmp_path, allowed_hosts=("localhost", "127.0.0.1", "::1")) as c:
        assert_error(c.get("/healthz", headers={"Host": "evil.example"}), 400, "host_not_allowed")
        assert_error(c.get("/", headers={"Host": "evil.example:8000"}), 400, "host_not_allowed")
        for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "LOCALHOST:1"):
            assert c.get("/healthz", headers={"Host": host}).status_code == 200, host


def test_cross_site_posts_from_browsers_are_refused(client: TestClient) -> None:
    evil = {"Origin": "https://evil.example"}
    assert_error(client.post("/v1/articles", json={"text": SEED}, headers=evil), 403, "cross_origin_forbidden")
    r = client.post(
        "/v1/articles", content=SEED, headers={"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"}
    )
    assert_error(r, 403, "cross_origin_forbidden")
    assert article_count(client) == 0
    same = client.post(
        "/v1/articles", json={"text": SEED}, headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 201
    assert client.get("/v1/search", params={"q": "Putin"}, headers=evil).status_code == 200  # reads are not guarded


# --- URLs (SSRF refusals through the API; the fetcher itself: test_service_fetch.py) ---------


def test_url_fetch_is_off_by_default(client: TestClient) -> None:
    err = assert_error(client.post("/v1/articles", json={"url": "http://example.com/"}), 403, "url_fetch_disabled")
    assert "--allow-url-fetch" in err["message"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:80/admin",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://100.100.100.200/latest/meta-data/",
        "http://8.8.8.8:6379/",
    ],
)
def test_forbidden_urls_are_refused(tmp_path: Path, url: str) -> None:
    with make_client(tmp_path, allow_url_fetch=True) as c:
        err = assert_error(c.post("/v1/articles", json={"url": url}), 403, "url_forbidden")
        assert "refusing" in err["message"] or "port" in err["message"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://x/", "http://user:pw@example.com/", "/relative"])
def test_invalid_urls(tmp_path: Path, url: str) -> None:
    with make_client(tmp_path, allow_url_fetch=True) as c:
        assert_error(c.post("/v1/articles", json={"url": url}), 422, "invalid_url")


# --- pages, docs --------------------------------------------------------------------------------


def test_pages_and_assets_are_served_with_a_strict_policy(client: TestClient) -> None:
    for path in ("/", "/search", "/docs"):
        r = client.get(path)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "http://" not in r.text and "https://" not in r.text.replace("https://www.example.com", "")
    for asset in ("app.js", "common.js", "search.js", "docs.js", "app.css"):
        r = client.get(f"/static/{asset}")
        assert r.status_code == 200, asset
        assert not re.search(r"https?://|url\(|@import", r.text), asset  # nothing loaded from elsewhere


def test_openapi_describes_the_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/articles", "/v1/articles/{article_id}", "/v1/search", "/v1/summarize", "/v1/check", "/healthz"} <= set(
        spec["paths"]
    )
    body = spec["paths"]["/v1/articles"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/plain", "multipart/form-data"} <= set(body)
    assert {"ErrorResponse", "RecordResponse", "StoredRecordResponse", "Support"} <= set(spec["components"]["schemas"])
    ok = spec["paths"]["/v1/articles"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/StoredRecordResponse")
    for code in ERROR_CODES:
        assert f"`{code}`" in spec["info"]["description"]


def test_every_error_code_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, (status, _) in ERROR_CODES.items():
        assert f"`{code}`" in text, code
        assert f"| `{code}` | {status} |" in text, code
