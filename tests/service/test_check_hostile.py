"""Hostile summaries sent to ``POST /v1/check``: through the app (TestClient) and once to a
real ``newsbrief serve`` over loopback.

Before ``pipeline.given_summary`` an empty, blank or punctuation-only summary was answered
200 ``consistent`` with no highlight checked, and a NUL in a summary item was refused as
"input looks like a binary file" (the article's message, naming neither the summary nor the
item). Each now gets a 422 ``unreadable_input`` that says what is wrong and where.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402
from newsbrief.service.models import ErrorResponse, RecordResponse  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cnn-erdogan-putin.txt"
SEED = FIXTURE.read_text(encoding="utf-8")
COPIED = (
    "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg for a face-to-face "
    "meeting with his counterpart, Vladimir Putin."
)
VERDICTS = {"supported", "check", "unsupported"}
READY = re.compile(r"serving (http://[\d.]+:\d+)/")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServiceConfig(db_path=tmp_path / "articles.db")), raise_server_exceptions=False) as c:
        yield c


def answered(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text[:500]
    data: dict[str, Any] = r.json()
    RecordResponse.model_validate(data)  # the OpenAPI model still describes the answer
    return data


def refused(r: httpx.Response) -> str:
    assert r.status_code == 422, r.text[:500]
    body = r.json()
    ErrorResponse.model_validate(body)
    assert body["error"]["code"] == "unreadable_input"
    message: str = body["error"]["message"]
    return message


@pytest.mark.parametrize("summary", ["", "  \n ", [], ["", "  "]])
def test_an_empty_summary_is_422_not_consistent(client: TestClient, summary: Any) -> None:
    assert "summary is empty" in refused(client.post("/v1/check", json={"text": SEED, "summary": summary}))


@pytest.mark.parametrize("summary", ["...", ["!!", "?"], "👍 🇹🇷"])
def test_a_wordless_summary_is_422(client: TestClient, summary: Any) -> None:
    assert "no words" in refused(client.post("/v1/check", json={"text": SEED, "summary": summary}))


def test_a_nul_in_a_summary_item_is_refused_naming_the_item(client: TestClient) -> None:
    message = refused(client.post("/v1/check", json={"text": SEED, "summary": [COPIED, "a\u0000b"]}))
    assert message.startswith("summary item 2") and "NUL" in message


def test_an_empty_summary_field_in_a_form_upload_is_422(client: TestClient) -> None:
    r = client.post(
        "/v1/check", files={"file": ("story.txt", SEED.encode(), "text/plain")}, data={"summary": ["", " "]}
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] in ("unreadable_input", "invalid_request")


def test_a_lone_surrogate_escape_in_the_summary_is_answered_as_u_fffd(client: TestClient) -> None:
    body = json.dumps({"text": SEED, "summary": ["Putin @@ met Erdogan.", COPIED]}).replace("@@", "\\ud800")
    data = answered(client.post("/v1/check", content=body, headers={"content-type": "application/json"}))
    assert data["highlights"][0]["text"] == "Putin \ufffd met Erdogan."
    assert data["highlights"][1]["support"]["verdict"] == "supported"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (SEED, ["埃尔多安在圣彼得堡会见了普京。", "Эрдоган встретился с Путиным.", "\u202eErdogan\u202c مرحبا"]),
        (SEED, ["Pu\u0301tin met Erdo\u0308gan 🇹🇷👍", "1", "2.5", "1", "1"]),
        ("普京在圣彼得堡会见了埃尔多安。两国关系正在修复。", ["Putin met Erdogan.", "普京会见了埃尔多安。"]),
        ("Путин встретился с Эрдоганом в Санкт-Петербурге.", ["Putin met Erdogan.", "Путин встретился с Эрдоганом."]),
    ],
    ids=["cjk-ru-rtl-vs-english", "marks-emoji-numbers-duplicates", "english-vs-chinese", "english-vs-russian"],
)
def test_odd_items_come_back_one_highlight_each(client: TestClient, text: str, items: list[str]) -> None:
    data = answered(client.post("/v1/check", json={"text": text, "summary": items}))
    assert [h["text"] for h in data["highlights"]] == items
    assert all(h["support"]["verdict"] in VERDICTS for h in data["highlights"])


def test_a_summary_json_sent_as_text_is_checked_as_text(client: TestClient) -> None:
    """The API's summary is a text or a list; a Summary JSON in a string is one odd sentence."""
    odd = json.dumps({"highlights": [{"text": COPIED}], "method": 5, "odd": [1]})
    data = answered(client.post("/v1/check", json={"text": SEED, "summary": odd}))
    assert "".join(h["text"] for h in data["highlights"]).replace(" ", "") == odd.replace(" ", "")


@pytest.mark.parametrize("summary", [{"highlights": [{"text": "x"}]}, [1, None], [["a"]]])
def test_a_summary_that_is_neither_text_nor_texts_is_invalid_request(client: TestClient, summary: Any) -> None:
    r = client.post("/v1/check", json={"text": SEED, "summary": summary})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", r.text


def test_fifty_thousand_items_are_fifty_thousand_highlights(client: TestClient) -> None:
    items = [f"word{i}" for i in range(50_000)]
    data = answered(client.post("/v1/check", json={"text": SEED, "summary": items}))
    assert [h["text"] for h in data["highlights"]] == items
    # past the checker's word limit: said to be unchecked, not "no words", and noted
    assert data["highlights"][-1]["support"]["verdict"] == "check"
    assert data["highlights"][-1]["support"]["issues"][0]["detail"].startswith("not checked")
    assert any("were not checked" in note for note in data["notes"])


def test_one_two_megabyte_sentence_is_one_highlight(client: TestClient) -> None:
    sentence = "alpha beta " * 190_000 + "Erdogan met Putin."
    data = answered(client.post("/v1/check", json={"text": SEED, "summary": [sentence]}))
    (h,) = data["highlights"]
    assert h["text"] == sentence and h["support"]["verdict"] in VERDICTS


def test_a_summary_longer_than_its_article_is_answered(client: TestClient) -> None:
    data = answered(client.post("/v1/check", json={"text": SEED, "summary": SEED * 3}))
    copied = [h for h in data["highlights"] if h["text"] == COPIED]
    assert len(copied) == 3 and all(h["support"]["verdict"] == "supported" for h in copied)


# --- one real server ------------------------------------------------------------------------


def _healthy(http: httpx.Client, base: str) -> bool:
    try:
        return http.get(base + "/healthz", timeout=2).status_code == 200
    except httpx.TransportError:  # not listening yet
        return False


def test_a_real_server_over_loopback_refuses_and_answers_hostile_summaries(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsbrief.service", "--port", "0", "--db", str(tmp_path / "a.db"), "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    log: list[str] = []
    drain: threading.Thread | None = None
    try:
        line = proc.stderr.readline()
        match = READY.search(line)
        assert match, line
        drain = threading.Thread(target=lambda: log.extend(proc.stderr or ()), daemon=True)
        drain.start()
        url = match.group(1) + "/v1/check"
        with httpx.Client(timeout=60) as http:
            deadline = time.monotonic() + 30
            while not _healthy(http, match.group(1)):  # ready before it is asked
                assert time.monotonic() < deadline and proc.poll() is None, "server did not become healthy"
            assert "summary is empty" in refused(http.post(url, json={"text": SEED, "summary": ["", " "]}))
            assert "no words" in refused(http.post(url, json={"text": SEED, "summary": "... !!"}))
            assert "summary item 2" in refused(http.post(url, json={"text": SEED, "summary": ["ok", "a\u0000b"]}))
            items = [f"w{i}" for i in range(20_000)] + ["Эрдоган встретился с Путиным.", "埃尔多安会见了普京。"]
            data = answered(http.post(url, json={"text": SEED, "summary": items}))
            assert [h["text"] for h in data["highlights"]] == items
            too_big = http.post(url, json={"text": SEED, "summary": "alpha beta " * 500_000})
            assert too_big.status_code == 413, too_big.text
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if drain is not None:
            drain.join(timeout=10)
        proc.stderr.close()
    assert not any("Traceback" in line for line in log), "".join(log)
