"""A summary from any system, checked: ``POST /v1/check`` and ``newsbrief check`` give each of
its sentences (a text) or items (a list) as a highlight carrying the checker's verdict
(issue 14), and a checked article read back from the store keeps its highlights' support.

The regression case is the issue's: an invented sentence ("Putin announced a $5 billion loan
to Turkey.") beside one copied from the article. The invented one must say ``unsupported``
with its reason and claim no source spans; the copied one ``supported``, its spans slicing the
article to text that contains it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from conftest import invoke_cli  # noqa: E402
from helpers_service import FakeChat  # noqa: E402
from newsbrief.service.app import create_app  # noqa: E402
from newsbrief.service.config import ServiceConfig  # noqa: E402
from newsbrief.service.models import RecordResponse, StoredRecordResponse  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cnn-erdogan-putin.txt"
SEED = FIXTURE.read_text(encoding="utf-8")
COPIED = (
    "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg for a face-to-face "
    "meeting with his counterpart, Vladimir Putin."
)
INVENTED = "Putin announced a $5 billion loan to Turkey."


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServiceConfig(db_path=tmp_path / "articles.db")), raise_server_exceptions=False) as c:
        yield c


def check(client: TestClient, summary: str | list[str]) -> dict[str, Any]:
    r = client.post("/v1/check", json={"text": SEED, "summary": summary})
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    RecordResponse.model_validate(data)  # the OpenAPI model describes the answer (it forbids extra keys)
    return data


def sliced(data: dict[str, Any], spans: list[list[int]]) -> str:
    body = data["article"]["body"]
    return " ".join(body[a:b] for a, b in spans)


def assert_copied_is_supported(data: dict[str, Any], h: dict[str, Any]) -> None:
    assert h["support"]["verdict"] == "supported"
    assert h["spans"] and COPIED in sliced(data, h["spans"])
    assert h["sentence_ids"]
    assert h["support"]["evidence"] and not h["support"]["nearest"]


def assert_invented_is_unsupported(data: dict[str, Any], h: dict[str, Any]) -> None:
    support = h["support"]
    assert support["verdict"] == "unsupported"
    assert h["spans"] == [] and h["sentence_ids"] == []  # no provenance claimed
    assert support["issues"], "an unsupported sentence names its reason"
    money = [i for i in support["issues"] if i["text"] == "$5 billion"]
    assert money and money[0]["detail"]
    a, b = money[0]["span"]
    assert h["text"][a:b] == "$5 billion"  # issue spans are in the highlight's own text
    assert support["nearest"] and all(sliced(data, [s]) for s in support["nearest"])


def test_a_text_is_checked_sentence_by_sentence_on_the_highlights(client: TestClient) -> None:
    data = check(client, f"{COPIED} {INVENTED}")
    assert data["method"] is None and data["settings"] is None  # the summary is the client's
    highlights = data["highlights"]
    assert [h["text"] for h in highlights] == [COPIED, INVENTED]
    assert [s["text"] for s in data["faithfulness"]["sentences"]] == [COPIED, INVENTED]
    assert_copied_is_supported(data, highlights[0])
    assert_invented_is_unsupported(data, highlights[1])
    assert data["faithfulness"]["verdict"] == "inconsistent"  # the summary-level report stays


def test_a_list_is_checked_item_by_item(client: TestClient) -> None:
    two_sentences = f"{INVENTED} {COPIED}"  # one item: one highlight, its worst sentence decides
    data = check(client, [COPIED, "   ", two_sentences])
    highlights = data["highlights"]
    assert [h["text"] for h in highlights] == [COPIED, two_sentences]  # the blank item is not a unit
    assert_copied_is_supported(data, highlights[0])
    invented = highlights[1]["support"]
    assert invented["verdict"] != "supported" and any("$5 billion" in i["text"] for i in invented["issues"])


def test_a_contradicted_sentence_says_why(client: TestClient) -> None:
    """Issue 14: a verdict that is not backed must name what is wrong, on the highlight."""
    data = check(client, ["Turkey shot down 3 Russian jets over Syria."])
    (h,) = data["highlights"]
    assert h["support"]["verdict"] != "supported"
    assert any(i["kind"] in ("number", "number_flip") and i["text"] == "3" for i in h["support"]["issues"])


def test_the_api_and_the_command_line_give_the_same_highlights(client: TestClient, tmp_path: Path) -> None:
    data = check(client, f"{COPIED} {INVENTED}")
    summary = tmp_path / "summary.txt"
    summary.write_text(f"{COPIED} {INVENTED}\n", encoding="utf-8")
    r = invoke_cli("check", "--article", FIXTURE, "--summary", summary, "--format", "json")
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert report["verdict"] == data["faithfulness"]["verdict"] and report["sentences"]
    assert report["highlights"] == data["highlights"]


def test_the_command_line_prints_each_sentence_with_its_verdict(tmp_path: Path) -> None:
    summary = tmp_path / "summary.txt"
    summary.write_text(f"{COPIED}\n{INVENTED}\n", encoding="utf-8")
    r = invoke_cli("check", "--article", FIXTURE, "--summary", summary, "--per-line")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("faithfulness: inconsistent")
    assert lines[1].strip().startswith(COPIED) and "[supported " in lines[1]
    assert lines[2].strip().startswith(INVENTED) and "[unsupported" in lines[2] and "$5 billion" in lines[2]
    assert len(lines) == 3


def test_pairs_jsonl_records_carry_the_checked_highlights(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {"id": "text", "article": SEED, "summary": f"{COPIED} {INVENTED}"},
        {"id": "list", "article": SEED, "summary": [INVENTED]},
    ]
    pairs.write_text("".join(json.dumps(x) + "\n" for x in rows), encoding="utf-8")
    r = invoke_cli("check", pairs)
    assert r.code == 0, r.err
    records = [json.loads(line) for line in r.out.splitlines()]
    assert [rec["id"] for rec in records] == ["text", "list"]
    assert [h["support"]["verdict"] for h in records[0]["highlights"]] == ["supported", "unsupported"]
    assert [h["text"] for h in records[1]["highlights"]] == [INVENTED]
    assert records[1]["highlights"][0]["spans"] == [] and records[1]["method"] is None


def test_a_stored_checked_record_reads_back_with_its_highlights_support(tmp_path: Path) -> None:
    """``POST /v1/articles`` checks by default; what ``GET`` reads back from SQLite is the same
    highlights, support included (an unsupported one still without spans, with its nearest)."""
    chat = FakeChat([COPIED, INVENTED])
    config = ServiceConfig(
        db_path=tmp_path / "articles.db",
        methods={"highlights": {}, "llm": {"base_url": chat.base_url, "model": "fake"}},
        allow_private_backends=True,
    )
    try:
        with TestClient(create_app(config), raise_server_exceptions=False) as c:
            posted = c.post("/v1/articles", json={"text": SEED, "method": "llm"})
            assert posted.status_code == 201, posted.text
            got = c.get(posted.json()["href"]).json()
    finally:
        chat.close()
    StoredRecordResponse.model_validate(got)
    assert got["highlights"] == posted.json()["highlights"]
    assert [h["support"]["verdict"] for h in got["highlights"]] == ["supported", "unsupported"]
    assert_invented_is_unsupported(got, got["highlights"][1])


def test_a_form_upload_with_repeated_summary_fields_is_checked_item_by_item(client: TestClient) -> None:
    """The page's upload tab: the article as a file, the summary as form fields (repeated: a list)."""
    r = client.post(
        "/v1/check",
        files={"file": ("story.txt", SEED.encode(), "text/plain")},
        data={"summary": [COPIED, INVENTED]},
    )
    assert r.status_code == 200, r.text
    data = r.json()
    RecordResponse.model_validate(data)
    assert [h["support"]["verdict"] for h in data["highlights"]] == ["supported", "unsupported"]
    assert_invented_is_unsupported(data, data["highlights"][1])
