"""``llm``: abstractive highlights from any OpenAI-compatible ``/chat/completions`` endpoint.

Ollama, vLLM, llama.cpp's server and hosted APIs all speak this protocol, so one small client
(``httpx``, no vendor SDK) covers local and hosted models. Why it is built this way:

* **A JSON contract, parsed strictly**: the prompt asks for ``{"highlights": ["...", ...]}``.
  The answer must be that object (optionally inside one ```json fence, and after a reasoning
  model's ``<think>`` block); anything else gets exactly **one repair turn** that sends the bad
  answer back and asks for valid JSON, then a clear ``LLMError``. Silent best-effort scraping
  of prose would turn model failures into wrong highlights.
* **Network failures are expected, not bugs**: timeouts, connection errors, 429 and 5xx are
  retried with exponential backoff plus jitter, honouring ``Retry-After``; what is left after
  ``max_retries`` is one ``LLMError`` line naming the endpoint and the last failure, never a
  traceback. Other 4xx answers are not retried: they will not get better.
* **Batch use** (``summarize_many``) runs at most ``concurrency`` requests at once: a thread pool
  and a semaphore around every request, so local servers are not flooded.
* **Nothing cut silently**: ``max_input_chars`` truncates the body at a sentence boundary and the
  Summary's notes say how much the model read; alignment then only looks at what it read.
* **Secrets stay secret**: the key is read from the environment variable named by
  ``api_key_env`` and sent as a Bearer header; it is never logged, recorded or shown in errors.
* **Provenance**: the texts are the model's (``settings["abstractive"]``); each highlight points
  at its best-supporting body sentences (``align.py``) with the support as its score.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from newsbrief.article import Article, Summary
from newsbrief.errors import BackendError, UsageError
from newsbrief.summarize.align import ABSTRACTIVE_NOTE, AlignmentIndex, aligned_highlights
from newsbrief.summarize.base import register
from newsbrief.summarize.settings import Setting

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["DEFAULT_BASE_URL", "BadAnswer", "LLMError", "LLMSummarizer", "parse_highlights", "prompt"]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://localhost:11434/v1"  # Ollama's OpenAI-compatible API
MAX_WAIT = 60.0  # longest single wait between retries, Retry-After included (seconds)
_EXTRA = "method 'llm' needs the llm extra: pip install 'newsbrief[llm]'"
_THINK = re.compile(r"^\s*<think>.*?</think>\s*", re.S)
_FENCE = re.compile(r"^```[ \t]*(?:json|JSON)?[ \t]*\n(.*?)\n?[ \t]*```$", re.S)
_CONTEXT = re.compile(r"context|too long|too many tokens|maximum.*tokens|token limit", re.I)

SYSTEM = (
    "You write highlights of news articles: short, factual sentences a reader can trust. "
    "Use only facts stated in the article. Answer with JSON only."
)


class LLMError(BackendError):
    """The endpoint failed (after retries) or never gave a usable answer."""


class BadAnswer(ValueError):
    """An answer that is not ``{"highlights": [strings]}``; the message says what is wrong."""


def prompt(article_text: str, n: int, title: str | None = None) -> str:
    """The user message: the task, the exact JSON shape, then the (possibly truncated) article."""
    example = json.dumps({"highlights": [f"highlight {i}" for i in range(1, n + 1)]})
    head = f"Title: {title}\n\n" if title else ""
    return (
        f"Write {n} highlights of the news article below. Each highlight is one sentence of at most "
        f"25 words that states a key fact from the article, most important first, with no facts, names or "
        f"numbers that are not in the article.\n"
        f"Return only a JSON object of this form, with no other text:\n{example}\n\n"
        f"{head}Article:\n{article_text}"
    )


def _repair(reason: str, n: int) -> str:
    return (
        f"That answer cannot be used: {reason}. Reply with only a valid JSON object of the form "
        f'{{"highlights": ["...", "..."]}} holding {n} strings, and nothing else.'
    )


def parse_highlights(content: str) -> list[str]:
    """Highlights from an answer, or ``BadAnswer``.

    Accepted: the JSON object alone, or inside one ```json fenced block, optionally after a
    ``<think>...</think>`` block. The object must have a ``"highlights"`` list of strings with at
    least one non-empty string; other keys are ignored. Whitespace inside a highlight is folded.
    """
    text = _THINK.sub("", content.strip(), count=1).strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    if not text:
        raise BadAnswer("the answer is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadAnswer(f"it is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict) or "highlights" not in data:
        raise BadAnswer('it is not a JSON object with a "highlights" key')
    items = data["highlights"]
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise BadAnswer('"highlights" must be a list of strings')
    texts = [" ".join(x.split()) for x in items]
    texts = [t for t in texts if t]
    if not texts:
        raise BadAnswer('"highlights" holds no text')
    return texts


@dataclass(slots=True)
class _Exchange:
    """What one article's conversation with the endpoint cost and returned."""

    requests: int = 0
    served_model: str | None = None
    usage: dict[str, int] = field(default_factory=dict)

    def add(self, data: dict[str, Any]) -> None:
        self.served_model = self.served_model or (data.get("model") if isinstance(data.get("model"), str) else None)
        usage = data.get("usage")
        if isinstance(usage, dict):
            for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
                value = usage.get(key)
                if isinstance(value, int):
                    self.usage[key] = self.usage.get(key, 0) + value


class LLMSummarizer:
    """Highlights written by a chat model behind an OpenAI-compatible API; see the module docstring."""

    name: ClassVar[str] = "llm"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        model: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        n: int = 3,
        timeout: float = 60.0,
        max_retries: int = 3,
        concurrency: int = 4,
        max_input_chars: int | None = None,
        temperature: float = 0.0,
        backoff: float = 0.5,
        json_mode: bool = False,
        faithfulness: bool = True,
        transport: Any = None,
    ) -> None:
        if not model or not isinstance(model, str):
            raise ValueError("give the model the endpoint serves, e.g. model=llama3.2 (Ollama) or model=gpt-4o-mini")
        parts = urlsplit(str(base_url))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL}, got {base_url!r}")
        if n < 1:
            raise ValueError("n must be at least 1")
        if timeout <= 0:
            raise ValueError("timeout must be positive (seconds)")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if max_input_chars is not None and max_input_chars < 100:
            raise ValueError("max_input_chars must be at least 100")
        if backoff < 0:
            raise ValueError("backoff must be 0 or more (seconds)")
        if importlib.util.find_spec("httpx") is None:
            raise UsageError(f"{_EXTRA} (httpx is not installed)")
        self.base_url = str(base_url).rstrip("/")
        self.endpoint = self.base_url + "/chat/completions"
        self.model = model
        self.api_key_env = api_key_env
        self.n = n
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.concurrency = concurrency
        self.max_input_chars = max_input_chars
        self.temperature = float(temperature)
        self.backoff = float(backoff)
        self.json_mode = json_mode
        self.faithfulness = faithfulness
        self._api_key = os.environ.get(api_key_env, "").strip() if api_key_env else ""
        self._transport = transport  # an httpx transport (the service's address guard), never a setting
        self._slots = threading.BoundedSemaphore(concurrency)
        self._client: Any = None
        self._client_lock = threading.Lock()

    def __repr__(self) -> str:  # the key never appears, not even its length
        return f"LLMSummarizer(base_url={self.base_url!r}, model={self.model!r}, n={self.n})"

    @property
    def settings(self) -> dict[str, Any]:
        """The settings recorded in every Summary (the key's variable name, never its value)."""
        return {
            "base_url": self.base_url,
            "model": self.model,
            "abstractive": True,
            "spans": "support",
            "n": self.n,
            "temperature": self.temperature,
            "max_input_chars": self.max_input_chars,
            "timeout": self.timeout,
            "max_retries": self.max_retries,
            "concurrency": self.concurrency,
            "json_mode": self.json_mode,
            "api_key_env": self.api_key_env,
            "api_key_set": bool(self._api_key),
        }

    # -- the Summarizer contract ---------------------------------------------------------

    def summarize(self, article: Article) -> Summary:
        return self._one(article)

    def summarize_many(self, articles: Iterable[Article]) -> list[Summary]:
        """Summaries in input order, at most ``concurrency`` requests in flight; the first error is raised."""
        from concurrent.futures import ThreadPoolExecutor  # here: importing newsbrief stays cheap

        articles = list(articles)
        if len(articles) <= 1:
            return [self._one(a) for a in articles]
        pool = ThreadPoolExecutor(max_workers=min(self.concurrency, len(articles)), thread_name_prefix="newsbrief-llm")
        futures: list[Future[Summary]] = [pool.submit(self._one, a) for a in articles]
        try:
            return [f.result() for f in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Close the HTTP connection pool; a later request opens a new one."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> LLMSummarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one article ---------------------------------------------------------------------

    def _input(self, article: Article) -> tuple[str, list[int] | None, list[str]]:
        """The body text sent, the sentence ids it holds (None: all) and notes on any cut."""
        body = article.body.strip()
        limit = self.max_input_chars
        if limit is None or len(body) <= limit:
            return body, None, []
        kept = [s for s in article.sentences if s.end <= limit]
        if kept:
            text = article.body[: kept[-1].end].strip()
            how = "at a sentence boundary"
        else:  # even the first sentence is too long: cut it at a word boundary
            cut = article.body.rfind(" ", 0, limit)
            text = article.body[: cut if cut > 0 else limit].strip()
            kept = article.sentences[:1]
            how = "inside the first sentence (it alone is longer than the limit)"
        note = (
            f"input truncated from {len(body):,} to {len(text):,} characters {how} (max_input_chars={limit:,}): "
            f"the model read the first {len(kept)} of {len(article.sentences)} sentences"
        )
        return text, [s.id for s in kept], [note]

    def _one(self, article: Article) -> Summary:
        t0 = time.perf_counter()
        settings = self.settings
        if not article.sentences:
            return Summary(
                highlights=[],
                method=self.name,
                settings=settings,
                article_id=article.id,
                notes=["article has no body sentences: nothing to summarize"],
            )
        text, within, notes = self._input(article)
        notes.insert(0, ABSTRACTIVE_NOTE)
        exchange = _Exchange()
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": prompt(text, self.n, article.title)},
        ]
        answer = self._chat(messages, exchange)
        try:
            texts = parse_highlights(answer)
        except BadAnswer as first:
            log.info("answer for %s unusable (%s); asking once for valid JSON", article.id or "article", first)
            messages += [
                {"role": "assistant", "content": answer},
                {"role": "user", "content": _repair(str(first), self.n)},
            ]
            answer = self._chat(messages, exchange)
            try:
                texts = parse_highlights(answer)
            except BadAnswer as second:
                shown = " ".join(answer.split())[:160]
                raise LLMError(
                    f"model {self.model!r} at {self.base_url} gave no usable highlights after one repair request: "
                    f"{second} (answer began: {shown!r})"
                ) from None
            notes.append(f"first answer unusable ({first}); the repaired answer was used")
        if len(texts) > self.n:
            notes.append(f"the model wrote {len(texts)} highlights; kept the first {self.n} (n={self.n})")
            texts = texts[: self.n]
        elif len(texts) < self.n:
            notes.append(f"the model wrote {len(texts)} highlight(s), fewer than n={self.n}")
        request_seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        highlights = aligned_highlights(article, texts, index=AlignmentIndex(article), within=within, notes=notes)
        settings.update(requests=exchange.requests, served_model=exchange.served_model, usage=exchange.usage)
        summary = Summary(
            highlights=highlights,
            method=self.name,
            settings=settings,
            article_id=article.id,
            timings={"request": request_seconds, "align": time.perf_counter() - t1},
            notes=notes,
        )
        return summary

    # -- HTTP ----------------------------------------------------------------------------

    def _http(self) -> Any:
        with self._client_lock:
            if self._client is None:
                import httpx

                headers = {"Content-Type": "application/json", "Accept": "application/json"}
                if self._api_key:
                    headers["Authorization"] = f"Bearer {self._api_key}"
                self._client = httpx.Client(
                    timeout=httpx.Timeout(self.timeout),
                    headers=headers,
                    transport=self._transport,
                    trust_env=self._transport is None,  # a given transport is not bypassed by proxy settings
                    follow_redirects=False,
                )
            return self._client

    def _chat(self, messages: list[dict[str, str]], exchange: _Exchange) -> str:
        """One chat completion's text (retried as needed)."""
        payload: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if self.json_mode:
            payload["response_format"] = {"type": "json_object"}
        data = self._post(payload, exchange)
        exchange.add(data)
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise LLMError(
                f"LLM endpoint {self.endpoint} answered without choices[0].message.content: {_snippet(json.dumps(data))}"
            ) from None
        if not isinstance(content, str):
            raise LLMError(f"LLM endpoint {self.endpoint} answered with non-text content")
        if choice.get("finish_reason") == "length" and content.strip():
            log.info("answer was cut at the endpoint's token limit")
        return content

    def _post(self, payload: dict[str, Any], exchange: _Exchange) -> dict[str, Any]:
        """POST with retries on timeouts, connection errors, 429 and 5xx; a clear LLMError otherwise."""
        import httpx

        client = self._http()
        failure = ""
        for attempt in range(self.max_retries + 1):
            wait = self._backoff(attempt)
            try:
                with self._slots:
                    exchange.requests += 1
                    response = client.post(self.endpoint, json=payload)
            except httpx.TimeoutException:
                failure = f"timed out (no answer within {self.timeout:g} s)"
            except httpx.TransportError as exc:
                failure = f"could not be reached ({type(exc).__name__}: {self._redact(str(exc)) or 'no detail'})"
                if getattr(exc, "retryable", True) is False:  # e.g. the service's address guard said no
                    raise LLMError(f"LLM endpoint {self.endpoint} {failure}") from None
            else:
                status = response.status_code
                if status < 400:
                    try:
                        data = response.json()
                    except ValueError:
                        raise LLMError(
                            f"LLM endpoint {self.endpoint} returned {status} with a body that is not JSON: "
                            f"{self._redact(_snippet(response.text))}"
                        ) from None
                    if not isinstance(data, dict):
                        raise LLMError(f"LLM endpoint {self.endpoint} returned JSON that is not an object")
                    return data
                detail = self._redact(_error_detail(response))
                if status != 429 and status < 500:
                    raise LLMError(self._client_error(status, detail))
                failure = f"returned {status}" + (f" ({detail})" if detail else "")
                after = _retry_after(response.headers.get("Retry-After"))
                if after is not None:
                    if after > MAX_WAIT and attempt < self.max_retries:
                        raise LLMError(
                            f"LLM endpoint {self.endpoint} returned {status} and asks to wait {after:,.0f} s "
                            f"(Retry-After), longer than newsbrief waits ({MAX_WAIT:g} s): try again later"
                        )
                    wait = after
            if attempt < self.max_retries:
                log.warning(
                    "LLM endpoint %s %s; retry %d of %d in %.1f s",
                    self.endpoint,
                    failure,
                    attempt + 1,
                    self.max_retries,
                    wait,
                )
                time.sleep(wait)
        tries = (
            "no retries"
            if self.max_retries == 0
            else f"{self.max_retries} retr{'y' if self.max_retries == 1 else 'ies'}"
        )
        raise LLMError(f"LLM endpoint {self.endpoint} {failure} after {tries}")

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: backoff * 2**attempt, plus up to half again at random."""
        base = self.backoff * 2**attempt
        return min(MAX_WAIT, base * (1 + random.random() / 2))

    def _client_error(self, status: int, detail: str) -> str:
        where = f"LLM endpoint {self.endpoint} returned {status}"
        if status in (401, 403):
            key = "is set" if self._api_key else "is not set"
            hint = f"check the API key (read from ${self.api_key_env}, which {key})"
        elif status == 404:
            hint = f"check base_url (usually ending in /v1) and that the endpoint serves model {self.model!r}"
        elif _CONTEXT.search(detail):
            hint = "the article may be longer than the model's context: set max_input_chars"
        else:
            hint = ""
        return where + (f": {detail}" if detail else "") + (f"; {hint}" if hint else "")

    def _redact(self, text: str) -> str:
        return text.replace(self._api_key, "***") if self._api_key else text


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_detail(response: Any) -> str:
    """The error message of an OpenAI-style error body, else the start of the body."""
    try:
        data = response.json()
    except ValueError:
        return _snippet(response.text)
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and isinstance(err.get("message"), str):
            return _snippet(err["message"])
        if isinstance(err, str):
            return _snippet(err)
    return _snippet(json.dumps(data))


def _snippet(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# Where it connects, with which key, and how much it may spend are the operator's; a service
# client may choose only how many highlights and how creative.
SETTINGS = (
    Setting("base_url", str, DEFAULT_BASE_URL, operator=True, help="the endpoint, ending in /v1"),
    Setting("model", str, None, operator=True, help="the model the endpoint serves"),
    Setting("api_key_env", str, "OPENAI_API_KEY", operator=True, help="environment variable holding the key"),
    Setting("n", int, 3, low=1, high=10, help="highlights to ask for"),
    Setting("temperature", float, 0.0, low=0, high=2, help="sampling temperature"),
    Setting("timeout", float, 60.0, low=0.1, high=3600, operator=True, help="seconds per request"),
    Setting("max_retries", int, 3, low=0, high=20, operator=True, help="retries on timeouts, 429, 5xx"),
    Setting("concurrency", int, 4, low=1, high=256, operator=True, help="requests at once in batch use"),
    Setting("max_input_chars", int, None, low=100, high=10_000_000, nullable=True, operator=True),
    Setting("backoff", float, 0.5, low=0, high=3600, operator=True, help="first retry wait (seconds)"),
    Setting("json_mode", bool, False, operator=True, help="ask for response_format json_object"),
    Setting(
        "faithfulness", bool, True, help="the pipeline checks these highlights unless false (never the summarizer)"
    ),
)

register(
    "llm",
    "abstractive highlights from an OpenAI-compatible chat endpoint (Ollama, vLLM, ...); needs [llm]",
    settings=SETTINGS,
)(LLMSummarizer)
