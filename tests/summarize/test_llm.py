"""The ``llm`` method against a scripted OpenAI-compatible server on 127.0.0.1 (no network)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytest.importorskip("httpx")

import newsbrief  # noqa: E402
from newsbrief import Article, NewsbriefError, UsageError  # noqa: E402
from newsbrief.summarize import llm as llm_mod  # noqa: E402
from newsbrief.summarize.base import get_summarizer  # noqa: E402
from newsbrief.summarize.llm import BadAnswer, LLMError, LLMSummarizer, parse_highlights  # noqa: E402

BODY = (
    "Turkish President Recep Tayyip Erdogan met Vladimir Putin in St. Petersburg on Tuesday.\n\n"
    "It was his first trip abroad since a failed coup attempt last month.\n\n"
    "Russia imposed sanctions after Turkey shot down a Russian warplane in November.\n\n"
    "Putin said Russia would restore trade ties step by step."
)
GOOD = [
    "Erdogan met Putin in St. Petersburg.",
    "It was his first trip abroad since the failed coup.",
    "Putin said trade ties would be restored step by step.",
]


def chat(content: str | None, *, finish: str = "stop") -> dict[str, Any]:
    return {
        "id": "x",
        "model": "served-model-1",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def answer(highlights: list[str]) -> dict[str, Any]:
    return chat(json.dumps({"highlights": highlights}))


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict -> JSON; str -> as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class FakeLLM:
    """A scripted /v1/chat/completions: replies are taken in order, then ``default`` forever."""

    def __init__(self) -> None:
        self.script: list[Reply] = []
        self.default = Reply(body=answer(GOOD))
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet test output
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake.lock:
                    fake.requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
                    reply = fake.script.pop(0) if fake.script else fake.default
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    if reply.delay:
                        fake.stop.wait(reply.delay)
                    data = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                    raw = data.encode()
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    yield fake
    fake.close()


@pytest.fixture
def article() -> Article:
    return newsbrief.parse(BODY)


@pytest.fixture
def make(server: FakeLLM, monkeypatch: pytest.MonkeyPatch) -> Callable[..., LLMSummarizer]:
    monkeypatch.delenv("NB_TEST_KEY", raising=False)

    def build(**settings: Any) -> LLMSummarizer:
        settings = {"base_url": server.base_url, "model": "test-model", "backoff": 0.01, **settings}
        s = get_summarizer("llm", api_key_env="NB_TEST_KEY", **settings)
        assert isinstance(s, LLMSummarizer)
        return s

    return build


# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        '{"highlights": ["A.", "B."]}',
        '```json\n{"highlights": ["A.", "B."]}\n```',
        '```\n{"highlights": ["A.", "B."]}\n```',
        '  ```JSON\n{"highlights": ["A.", "B."]}```  ',
        '<think>the user wants JSON</think>\n{"highlights": ["A.", "B."]}',
        '{"highlights": ["A.", "  B.\\n ", ""], "note": "ignored"}',
    ],
)
def test_parse_accepts(content: str) -> None:
    assert parse_highlights(content) == ["A.", "B."]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("", "empty"),
        ("Here are the highlights: A. B.", "not valid JSON"),
        ('Sure!\n```json\n{"highlights": ["A."]}\n```', "not valid JSON"),
        ('["A.", "B."]', '"highlights" key'),
        ('{"summary": "A."}', '"highlights" key'),
        ('{"highlights": "A. B."}', "list of strings"),
        ('{"highlights": ["A.", 2]}', "list of strings"),
        ('{"highlights": [{"text": "A."}]}', "list of strings"),
        ('{"highlights": ["", "  "]}', "no text"),
        ('{"highlights": ["A."', "not valid JSON"),
    ],
)
def test_parse_rejects_wrong_shapes(content: str, why: str) -> None:
    with pytest.raises(BadAnswer, match=why):
        parse_highlights(content)


# -- good answers ------------------------------------------------------------------------------


def test_good_answer(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    summary = make().summarize(article)
    assert summary.texts == GOOD
    assert summary.method == "llm"
    assert summary.settings["abstractive"] is True
    assert summary.settings["served_model"] == "served-model-1"
    assert summary.settings["requests"] == 1
    assert summary.settings["usage"] == {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
    assert summary.notes[0].startswith("abstractive:")
    assert summary.highlights[0].sentence_ids == [0]
    assert summary.highlights[1].sentence_ids == [1]
    assert summary.highlights[2].sentence_ids == [3]
    for h in summary.highlights:
        assert h.score is not None and 0.5 < h.score <= 1.0
        for start, end in h.spans:
            assert article.body[start:end] in BODY
    assert set(summary.timings) >= {"request", "align"}
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    payload = request["json"]
    assert payload["model"] == "test-model"
    assert payload["temperature"] == 0
    assert "response_format" not in payload
    system, user = payload["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert '{"highlights": ["highlight 1", "highlight 2", "highlight 3"]}' in user["content"]
    assert BODY in user["content"]
    assert "authorization" not in {k.lower() for k in request["headers"]}
    json.dumps(summary.to_dict())  # serialisable


def test_fenced_json_answer(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    server.default = Reply(body=chat("```json\n" + json.dumps({"highlights": GOOD}) + "\n```"))
    assert make().summarize(article).texts == GOOD


def test_api_key_sent_as_bearer_and_never_shown(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-test-5f3a9c"
    monkeypatch.setenv("NB_TEST_KEY", secret)
    summarizer = make()
    summary = summarizer.summarize(article)
    assert server.requests[-1]["headers"]["Authorization"] == f"Bearer {secret}"
    assert summary.settings["api_key_env"] == "NB_TEST_KEY" and summary.settings["api_key_set"] is True
    assert secret not in json.dumps(summary.to_dict())
    assert secret not in repr(summarizer)


def test_key_redacted_from_errors(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-echoed-key-42"
    monkeypatch.setenv("NB_TEST_KEY", secret)
    server.default = Reply(status=401, body={"error": {"message": f"Incorrect API key provided: {secret}"}})
    with pytest.raises(LLMError) as info:
        make().summarize(article)
    message = str(info.value)
    assert secret not in message
    assert "returned 401" in message and "$NB_TEST_KEY, which is set" in message
    assert len(server.requests) == 1  # a 4xx is not retried


def test_json_mode_and_temperature(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    make(json_mode=True, temperature=0.7, n=2).summarize(article)
    payload = server.requests[-1]["json"]
    assert payload["response_format"] == {"type": "json_object"}
    assert payload["temperature"] == 0.7
    assert '"highlight 2"]}' in payload["messages"][1]["content"]


def test_more_or_fewer_highlights_than_n(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    summary = make(n=2).summarize(article)
    assert summary.texts == GOOD[:2]
    assert "the model wrote 3 highlights; kept the first 2 (n=2)" in summary.notes
    server.default = Reply(body=answer(GOOD[:1]))
    summary = make(n=3).summarize(article)
    assert summary.texts == GOOD[:1]
    assert "the model wrote 1 highlight(s), fewer than n=3" in summary.notes


def test_unsupported_highlight_is_flagged(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.default = Reply(body=answer(["Erdogan met Putin in St. Petersburg.", "Aliens invaded Ankara."]))
    summary = make(n=2, faithfulness=False).summarize(article)
    assert summary.highlights[1].sentence_ids == [] and summary.highlights[1].score == 0.0
    assert "highlight 2 is weakly supported by the article (support 0.00): check it" in summary.notes
    assert "faithfulness" not in summary.settings


def test_empty_article_makes_no_request(server: FakeLLM, make: Callable[..., LLMSummarizer]) -> None:
    summary = make().summarize(Article())
    assert summary.highlights == []
    assert summary.notes == ["article has no body sentences: nothing to summarize"]
    assert server.requests == []


# -- repair ------------------------------------------------------------------------------------


def test_malformed_then_repaired(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    bad = "Sure! Here are your highlights:\n- Erdogan met Putin."
    server.script = [Reply(body=chat(bad))]
    summary = make().summarize(article)
    assert summary.texts == GOOD
    assert summary.settings["requests"] == 2
    assert any(n.startswith("first answer unusable (it is not valid JSON") for n in summary.notes)
    messages = server.requests[1]["json"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[2]["content"] == bad
    assert "Reply with only a valid JSON object" in messages[3]["content"]
    assert "not valid JSON" in messages[3]["content"]


def test_malformed_twice_is_a_clear_error(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.default = Reply(body=chat('{"highlights": "one string"}'))
    with pytest.raises(LLMError, match=r"no usable highlights after one repair request: \"highlights\" must be a list"):
        make().summarize(article)
    assert len(server.requests) == 2


def test_missing_content_is_an_error(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    server.default = Reply(body={"choices": []})
    with pytest.raises(LLMError, match=r"without choices\[0\]\.message\.content"):
        make().summarize(article)


def test_non_json_body_is_an_error(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    server.default = Reply(body="<html>proxy page</html>")
    with pytest.raises(LLMError, match="not JSON: <html>proxy page</html>"):
        make().summarize(article)


# -- retries, timeouts ---------------------------------------------------------------------


def test_429_with_retry_after_then_success(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.script = [Reply(status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "1"})]
    t0 = time.perf_counter()
    summary = make(backoff=0.0).summarize(article)
    elapsed = time.perf_counter() - t0
    assert summary.texts == GOOD
    assert summary.settings["requests"] == 2
    assert 0.95 <= elapsed < 5


def test_long_retry_after_is_not_waited_for(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.default = Reply(status=429, body={"error": "quota"}, headers={"Retry-After": "3600"})
    t0 = time.perf_counter()
    with pytest.raises(LLMError, match=r"asks to wait 3,600 s \(Retry-After\)"):
        make().summarize(article)
    assert time.perf_counter() - t0 < 2


def test_500_then_success(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    server.script = [Reply(status=500, body={"error": {"message": "boom"}}), Reply(status=503, body="busy")]
    summary = make().summarize(article)
    assert summary.texts == GOOD
    assert summary.settings["requests"] == 3


def test_500_forever_is_a_clear_error(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    server.default = Reply(status=500, body={"error": {"message": "model crashed"}})
    with pytest.raises(LLMError) as info:
        make(max_retries=2).summarize(article)
    assert (
        str(info.value)
        == f"LLM endpoint {server.base_url}/chat/completions returned 500 (model crashed) after 2 retries"
    )
    assert isinstance(info.value, NewsbriefError)
    assert len(server.requests) == 3


def test_backoff_grows(make: Callable[..., LLMSummarizer]) -> None:
    s = make(backoff=1.0)
    waits = [s._backoff(k) for k in range(4)]
    for k, w in enumerate(waits):
        assert 2**k <= w <= 1.5 * 2**k
    assert make(backoff=100.0)._backoff(3) == llm_mod.MAX_WAIT


def test_timeout_is_retried_then_a_clear_error(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.default = Reply(body=answer(GOOD), delay=2.0)
    t0 = time.perf_counter()
    with pytest.raises(LLMError, match=r"timed out \(no answer within 0.2 s\) after 1 retry$"):
        make(timeout=0.2, max_retries=1).summarize(article)
    assert time.perf_counter() - t0 < 1.5
    assert len(server.requests) == 2


def test_timeout_then_success(server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article) -> None:
    server.script = [Reply(body=answer(GOOD), delay=2.0)]
    assert make(timeout=0.3).summarize(article).texts == GOOD


def test_connection_refused_is_a_clear_error(make: Callable[..., LLMSummarizer], article: Article) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(
        LLMError, match=rf"LLM endpoint http://127.0.0.1:{port}/v1/chat/completions could not be reached"
    ):
        make(base_url=f"http://127.0.0.1:{port}/v1", max_retries=1).summarize(article)


@pytest.mark.parametrize(
    ("status", "message", "hint"),
    [
        (404, "model 'x' not found", "check base_url"),
        (400, "This model's maximum context length is 4096 tokens", "set max_input_chars"),
        (422, "unprocessable", "returned 422: unprocessable"),
    ],
)
def test_client_errors_are_not_retried(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article, status: int, message: str, hint: str
) -> None:
    server.default = Reply(status=status, body={"error": {"message": message}})
    with pytest.raises(LLMError, match=hint):
        make().summarize(article)
    assert len(server.requests) == 1


def test_retry_after_forms() -> None:
    assert llm_mod._retry_after("2") == 2.0
    assert llm_mod._retry_after("0.5") == 0.5
    assert llm_mod._retry_after("-3") == 0.0
    assert llm_mod._retry_after(None) is None
    assert llm_mod._retry_after("soon") is None
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    wait = llm_mod._retry_after(future)
    assert wait is not None and 25 <= wait <= 31


# -- long inputs, batches --------------------------------------------------------------------


def test_max_input_chars_truncates_at_a_sentence_boundary(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    limit = article.sentences[1].end + 10
    summary = make(max_input_chars=limit).summarize(article)
    sent = server.requests[-1]["json"]["messages"][1]["content"]
    assert article.sentences[1].text in sent and article.sentences[2].text not in sent
    note = f"input truncated from {len(BODY):,} to {article.sentences[1].end:,} characters at a sentence boundary"
    assert any(n.startswith(note) and "the model read the first 2 of 4 sentences" in n for n in summary.notes)
    # support is only sought in what the model read
    assert all(set(h.sentence_ids) <= {0, 1} for h in summary.highlights)


def test_first_sentence_longer_than_limit(server: FakeLLM, make: Callable[..., LLMSummarizer]) -> None:
    article = newsbrief.parse("word " * 80 + "end.")
    summary = make(max_input_chars=120).summarize(article)
    assert any("inside the first sentence" in n for n in summary.notes)
    sent = server.requests[-1]["json"]["messages"][1]["content"]
    assert sent.endswith("word") and len(sent.split("Article:\n")[1]) <= 120


def test_summarize_many_keeps_order_and_limits_concurrency(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.default = Reply(body=answer(GOOD), delay=0.15)
    articles = []
    for i in range(6):
        a = newsbrief.parse(BODY)
        a.id = f"doc-{i}"
        articles.append(a)
    t0 = time.perf_counter()
    summaries = make(concurrency=2).summarize_many(articles)
    elapsed = time.perf_counter() - t0
    assert [s.article_id for s in summaries] == [f"doc-{i}" for i in range(6)]
    assert server.max_in_flight == 2
    assert 0.4 < elapsed < 3  # 3 rounds of 2, not 6 in a row and not all at once


def test_summarize_many_raises_the_first_error(
    server: FakeLLM, make: Callable[..., LLMSummarizer], article: Article
) -> None:
    server.default = Reply(status=500, body="down")
    with pytest.raises(LLMError, match="returned 500"):
        make(max_retries=0, concurrency=3).summarize_many([article, article, article])


# -- settings ----------------------------------------------------------------------------------


def test_settings_are_checked() -> None:
    with pytest.raises(UsageError, match="model=llama3.2"):
        get_summarizer("llm")
    with pytest.raises(UsageError, match="base_url must be an http"):
        get_summarizer("llm", model="m", base_url="localhost:11434")
    with pytest.raises(UsageError, match="'concurrency' of method 'llm' must be an integer from 1 to 256, got 0"):
        get_summarizer("llm", model="m", concurrency=0)
    with pytest.raises(UsageError, match="does not take setting 'max_words'"):
        get_summarizer("llm", model="m", max_words=50)
