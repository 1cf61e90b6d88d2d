"""``hf``: abstractive highlights from a local Hugging Face seq2seq checkpoint (BART, PEGASUS, T5).

Why it is built this way:

* **``generate()``, not ``pipeline("summarization")``**: the pipeline is gone in transformers
  v5, and it hid the two things a faithful tool must state: how long inputs were cut, and which
  generation settings were used. ``AutoTokenizer`` + ``AutoModelForSeq2SeqLM`` work on v4 and v5.
* **Generation settings** come from the checkpoint (``generation_config``, then
  ``task_specific_params["summarization"]`` as the old pipeline applied them, which is also
  where T5 keeps its ``"summarize: "`` prefix), then the caller's overrides. The effective set is
  recorded in ``Summary.settings["generation"]``.
* **Long inputs are never cut silently**: ``strategy="truncate"`` keeps the first window of
  tokens and says so ("input truncated from 1,834 to 1,024 tokens ..."); ``strategy="chunk"``
  splits the body into sentence-aligned windows that fit, summarizes each, and merges the outputs
  in window order with near-duplicates removed ("input of 1,834 tokens chunked into 3 windows").
* **Batches**: ``summarize_many`` packs windows from many articles into ``batch_size`` batches
  (longest first, so padding stays small); ``summarize`` is ``summarize_many`` of one.
* **Provenance**: the highlight texts are the model's own words (``settings["abstractive"]``);
  each points at its best-supporting body sentences (``align.py``) with the support as score.
* **Lazy and offline-friendly**: torch/transformers are imported only when a model is used;
  a model is looked up locally first and on the hub only when ``HF_HUB_OFFLINE`` /
  ``TRANSFORMERS_OFFLINE`` do not forbid it, and a missing one is a one-line ``UsageError``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from newsbrief.article import Article, Summary
from newsbrief.errors import UsageError
from newsbrief.nlp.sentences import split_spans
from newsbrief.summarize.align import (
    ABSTRACTIVE_NOTE,
    AlignmentIndex,
    aligned_highlights,
    content_words,
)
from newsbrief.summarize.base import register
from newsbrief.summarize.settings import Setting

__all__ = ["DEFAULT_MODEL", "HFSummarizer", "Window"]

DEFAULT_MODEL = "facebook/bart-large-cnn"
DEVICES = ("cpu", "cuda", "mps")
DTYPES = ("float16", "bfloat16", "float32")
STRATEGIES = ("truncate", "chunk")
# When neither the tokenizer nor the config states a window (T5 has relative positions and some
# checkpoints ship no model_max_length), use T5's training length rather than guess high.
FALLBACK_WINDOW = 512
# A merged output sentence whose content words overlap a kept one by this Jaccard share or more
# is a repeat (chunks of one story restate its point); set by hand, not tuned.
DUPLICATE = 0.8
# Generation keys shown in settings (the rest of generation_config is token ids and internals).
_SHOWN = (
    "num_beams",
    "max_length",
    "max_new_tokens",
    "min_length",
    "min_new_tokens",
    "length_penalty",
    "no_repeat_ngram_size",
    "early_stopping",
    "do_sample",
    "temperature",
    "top_k",
    "top_p",
    "repetition_penalty",
)
_OFFLINE_VARS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
_EXTRA = "method 'hf' needs the hf extra: pip install 'newsbrief[hf]'"


@dataclass(slots=True)
class Window:
    """One model input: ``text`` holds (parts of) the body sentences ``sentence_ids``."""

    article: int  # position of the article in the summarize_many call
    text: str
    sentence_ids: list[int]
    tokens: int = 0  # input tokens the model reads (after any truncation)
    output: str = ""
    seconds: float = 0.0  # this window's share of its batch's tokenize + generate time


@dataclass(slots=True)
class _Plan:
    """How one article is fed to the model, and what was said about it."""

    windows: list[Window] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    within: list[int] | None = None  # sentences the model read; None: all


class HFSummarizer:
    """Highlights written by a seq2seq model; see the module docstring."""

    name: ClassVar[str] = "hf"

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = 8,
        max_input_tokens: int | None = None,
        strategy: str = "truncate",
        n: int | None = None,
        faithfulness: bool = True,
        **generation: Any,
    ) -> None:
        if not isinstance(model, str) or not model.strip():
            raise ValueError("model must be a Hugging Face model name or a local directory")
        if device is not None and device not in DEVICES:
            raise ValueError(f"device must be one of {', '.join(DEVICES)} (or None for auto), got {device!r}")
        if dtype is not None and dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)} (or None), got {dtype!r}")
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if max_input_tokens is not None and max_input_tokens < 8:
            raise ValueError("max_input_tokens must be at least 8")
        if n is not None and n < 1:
            raise ValueError("n must be at least 1")
        _require_extra()
        from transformers import GenerationConfig

        known = set(GenerationConfig().to_dict())
        unknown = sorted(set(generation) - known)
        if unknown:
            raise UsageError(
                f"method 'hf' does not take {', '.join(unknown)}: not a setting of its own "
                f"(model, device, dtype, batch_size, max_input_tokens, strategy, n, faithfulness) "
                f"nor a transformers generation setting (num_beams, max_new_tokens, min_length, ...)"
            )
        self.model_name = model.strip()
        self.device = device
        self.dtype = dtype
        self.batch_size = batch_size
        self.max_input_tokens = max_input_tokens
        self.strategy = strategy
        self.n = n
        self.faithfulness = faithfulness
        self.generation = dict(generation)
        self._model: Any = None
        self._tokenizer: Any = None
        self._settings: dict[str, Any] = {}
        self._window = 0
        self._prefix = ""
        self._special = 0
        self._prefix_tokens = 0

    def __repr__(self) -> str:
        return f"HFSummarizer(model={self.model_name!r}, strategy={self.strategy!r}, loaded={self._model is not None})"

    # -- loading -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def settings(self) -> dict[str, Any]:
        """What every Summary records: the model, where it came from, device, window, generation (after load)."""
        return {
            **self._settings,
            "batch_size": self.batch_size,
            "strategy": self.strategy,
            "n": self.n,
        }

    def load(self) -> float:
        """Load tokenizer and model once (idempotent); returns the seconds it took (0 when loaded)."""
        if self._model is not None:
            return 0.0
        t0 = time.perf_counter()
        import torch
        import transformers

        device = _resolve_device(torch, self.device)
        tokenizer, model, source = _load_pretrained(transformers, torch, self.model_name, self.dtype)
        model.to(device)
        model.eval()
        if tokenizer.pad_token is None and tokenizer.eos_token is not None:
            tokenizer.pad_token = tokenizer.eos_token  # batching needs padding; eos is the usual stand-in
        task = dict((getattr(model.config, "task_specific_params", None) or {}).get("summarization") or {})
        self._prefix = str(task.pop("prefix", "") or "")
        model.generation_config = _generation_config(transformers, model.generation_config, task, self.generation)
        self._window = self.max_input_tokens or _model_window(tokenizer, model.config)
        positions = getattr(model.config, "max_position_embeddings", None)
        if isinstance(positions, int) and positions > 0 and self._window > positions:
            raise UsageError(
                f"max_input_tokens={self._window:,} is more than model {self.model_name!r} can read "
                f"({positions:,} positions)"
            )
        self._special = len(tokenizer("", add_special_tokens=True)["input_ids"])
        self._prefix_tokens = len(tokenizer(self._prefix, add_special_tokens=False)["input_ids"]) if self._prefix else 0
        if self._window <= self._special + self._prefix_tokens + 4:
            raise UsageError(f"max_input_tokens={self._window} leaves no room for text in model {self.model_name!r}")
        self._tokenizer, self._model = tokenizer, model
        shown = model.generation_config.to_dict()
        self._settings = {
            "model": self.model_name,
            "model_source": source,
            "model_type": getattr(model.config, "model_type", None),
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "abstractive": True,
            "spans": "support",
            "device": str(device),
            "dtype": str(model.dtype).removeprefix("torch."),
            "max_input_tokens": self._window,
            "prefix": self._prefix or None,
            "generation": {k: shown[k] for k in _SHOWN if shown.get(k) is not None},
            "transformers": transformers.__version__,
            "torch": torch.__version__,
        }
        return time.perf_counter() - t0

    # -- the Summarizer contract ---------------------------------------------------------

    def summarize(self, article: Article) -> Summary:
        return self.summarize_many([article])[0]

    def summarize_many(self, articles: Iterable[Article]) -> list[Summary]:
        """Summaries for ``articles`` in order; windows of all of them share batches."""
        articles = list(articles)
        load_seconds = self.load()
        plans = [self._plan(i, a) for i, a in enumerate(articles)]
        windows = [w for p in plans for w in p.windows]
        self._generate(windows)
        out = [self._assemble(article, plan) for article, plan in zip(articles, plans, strict=True)]
        if load_seconds and out:
            out[0].timings["load"] = load_seconds  # once: the cost is not per article
        return out

    def inputs(self, article: Article) -> list[Window]:
        """The windows ``article`` is fed to the model as (text with prefix), for inspection."""
        self.load()
        return self._plan(0, article).windows

    # -- planning: what the model reads --------------------------------------------------

    def _count(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def _plan(self, position: int, article: Article) -> _Plan:
        plan = _Plan()
        if not article.sentences:
            plan.notes.append("article has no body sentences: nothing to summarize")
            return plan
        texts = [" ".join(s.text.split()) for s in article.sentences]
        ids = [s.id for s in article.sentences]
        full = self._prefix + " ".join(texts)
        total = self._count(full)
        window = self._window
        if total <= window:
            plan.windows.append(Window(position, full, ids, total))
            return plan
        # Content tokens per sentence as they appear inside the joined text (leading space).
        budget = window - self._special - self._prefix_tokens
        counts = [
            len(self._tokenizer(t if i == 0 else " " + t, add_special_tokens=False, verbose=False)["input_ids"])
            for i, t in enumerate(texts)
        ]
        if self.strategy == "truncate":
            seen, used = [], 0
            for sid, count in zip(ids, counts, strict=True):
                if used >= budget:
                    break
                seen.append(sid)
                used += count
            part = " (the last one in part)" if used > budget else ""
            plan.notes.append(
                f"input truncated from {total:,} to {window:,} tokens (model window): the model read the first "
                f"{len(seen)} of {len(ids)} sentences{part}; strategy=chunk would read all"
            )
            plan.windows.append(Window(position, full, ids[: len(seen)], window))
            plan.within = seen
            return plan
        groups: list[list[int]] = []
        size = 0
        for i, count in enumerate(counts):
            if groups and size + count <= budget:
                groups[-1].append(i)
                size += count
            else:
                groups.append([i])
                size = count
        over = [i for i, count in enumerate(counts) if count > budget]
        if over:
            listed = ", ".join(str(ids[i]) for i in over[:10]) + (", ..." if len(over) > 10 else "")
            plan.notes.append(
                f"{len(over)} sentence(s) alone exceed the {budget:,} tokens a window holds for text "
                f"(longest {max(counts[i] for i in over):,}): the end of each was cut (sentence ids {listed})"
            )
        for group in groups:
            text = self._prefix + " ".join(texts[i] for i in group)
            plan.windows.append(Window(position, text, [ids[i] for i in group], min(self._count(text), window)))
        plan.notes.append(
            f"input of {total:,} tokens chunked into {len(groups)} windows of at most {window:,} tokens "
            f"(sentence-aligned); outputs merged in window order, repeats removed"
        )
        return plan

    # -- generation ----------------------------------------------------------------------

    def _generate(self, windows: list[Window]) -> None:
        """Fill each window's ``output``: longest first, ``batch_size`` at a time."""
        import torch

        order = sorted(range(len(windows)), key=lambda i: -windows[i].tokens)
        device = self._model.device
        for start in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[start : start + self.batch_size]]
            t0 = time.perf_counter()
            encoded = self._tokenizer(
                [w.text for w in batch],
                return_tensors="pt",
                padding=True,
                truncation=True,
                max_length=self._window,
            )
            inputs = {k: encoded[k].to(device) for k in ("input_ids", "attention_mask")}  # no token_type_ids
            try:
                with torch.inference_mode():
                    generated = self._model.generate(**inputs)
            except torch.cuda.OutOfMemoryError:
                raise UsageError(
                    f"model {self.model_name!r} ran out of {device} memory on a batch of {len(batch)} "
                    f"x {inputs['input_ids'].shape[1]} tokens: lower batch_size or max_input_tokens"
                ) from None
            texts = self._tokenizer.batch_decode(generated, skip_special_tokens=True)
            share = (time.perf_counter() - t0) / len(batch)
            for w, text in zip(batch, texts, strict=True):
                w.output, w.seconds = text, share

    # -- output --------------------------------------------------------------------------

    def _assemble(self, article: Article, plan: _Plan) -> Summary:
        notes = [ABSTRACTIVE_NOTE, *plan.notes]
        texts: list[str] = []
        seen: list[set[str]] = []
        repeats = 0
        for number, w in enumerate(plan.windows, 1):
            sentences = _output_sentences(w.output)
            if not sentences:
                where = f"window {number}" if len(plan.windows) > 1 else "the input"
                notes.append(f"the model wrote nothing for {where}")
            for text in sentences:
                words = set(content_words(text)) or {text.lower()}
                if any(len(words & s) / len(words | s) >= DUPLICATE for s in seen):
                    repeats += 1
                    continue
                texts.append(text)
                seen.append(words)
        if repeats:
            notes.append(f"{repeats} repeated output sentence(s) dropped")
        if self.n is not None and len(texts) > self.n:
            notes.append(f"the model wrote {len(texts)} highlight sentences; kept the first {self.n} (n={self.n})")
            texts = texts[: self.n]
        t0 = time.perf_counter()
        highlights = aligned_highlights(article, texts, index=AlignmentIndex(article), within=plan.within, notes=notes)
        timings = {"generate": sum(w.seconds for w in plan.windows), "align": time.perf_counter() - t0}
        summary = Summary(
            highlights=highlights,
            method=self.name,
            settings=dict(self.settings, windows=len(plan.windows)),
            article_id=article.id,
            timings=timings,
            notes=notes,
        )
        return summary


def _output_sentences(text: str) -> list[str]:
    """Split a model output into highlight sentences; a line break always ends one.

    CNN/DailyMail-trained models write one highlight per line when they break lines at all
    (PEGASUS spells the break ``<n>``), so lines are split first, then sentences within them.
    """
    out: list[str] = []
    for line in text.replace("<n>", "\n").splitlines():
        out.extend(" ".join(line[a:b].split()) for a, b in split_spans(line))
    return [s for s in out if s]


def _require_extra() -> None:
    for module in ("torch", "transformers"):
        if importlib.util.find_spec(module) is None:
            raise UsageError(f"{_EXTRA} ({module} is not installed)")


def _offline() -> bool:
    return any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on") for v in _OFFLINE_VARS)


def _resolve_device(torch: Any, wanted: str | None) -> Any:
    """cuda if available, then mps, else cpu; a named device that is not there is a UsageError."""
    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if wanted is None:
        wanted = "cuda" if cuda else "mps" if mps else "cpu"
    elif (wanted == "cuda" and not cuda) or (wanted == "mps" and not mps):
        raise UsageError(f"device {wanted!r} was asked for but torch {torch.__version__} cannot use it here")
    return torch.device(wanted)


def _looks_like_path(name: str) -> bool:
    return name.startswith(("/", "./", "../", "~", "\\")) or name.count("/") > 1 or bool(re.match(r"^[A-Za-z]:", name))


def _load_pretrained(transformers: Any, torch: Any, name: str, dtype: str | None) -> tuple[Any, Any, str]:
    """Tokenizer, model and where they came from; every failure becomes a one-line UsageError."""
    path = Path(name).expanduser()
    kwargs: dict[str, Any] = {}
    if dtype is not None:
        major, minor = (int(x) for x in re.findall(r"\d+", transformers.__version__)[:2])
        kwargs["dtype" if (major, minor) >= (4, 56) else "torch_dtype"] = getattr(torch, dtype)
    if path.exists():
        if not (path / "config.json").is_file():
            raise UsageError(f"model directory {str(path)!r} has no config.json: not a saved transformers model")
        return (*_from_pretrained(transformers, str(path), name, kwargs, local=True), "local directory")
    if _looks_like_path(name):
        raise UsageError(f"model directory {name!r} does not exist")
    try:  # the cache first: no network round trip for a model that is already here
        return (*_from_pretrained(transformers, name, name, kwargs, local=True), "hf cache")
    except OSError as exc:
        if _offline():
            raise UsageError(
                f"model {name!r} not found locally and the hub is off (HF_HUB_OFFLINE): download it once on a "
                f"connected machine (huggingface-cli download {name}) and pass its directory, or copy the cache "
                f"into HF_HOME ({_first_line(exc)})"
            ) from None
    try:
        return (*_from_pretrained(transformers, name, name, kwargs, local=False), "hub")
    except OSError as exc:
        raise UsageError(
            f"model {name!r} not found locally and the hub is unreachable: download it once on a connected machine "
            f"(huggingface-cli download {name}) and pass --model /path/to/it, or set HF_HUB_OFFLINE=1 to skip "
            f"the hub ({_first_line(exc)})"
        ) from None


def _from_pretrained(
    transformers: Any, source: str, name: str, kwargs: dict[str, Any], *, local: bool
) -> tuple[Any, Any]:
    try:
        config = transformers.AutoConfig.from_pretrained(source, local_files_only=local)
    except ValueError as exc:
        raise UsageError(f"model {name!r} has a config transformers cannot read: {_first_line(exc)}") from None
    try:
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(source, local_files_only=local, **kwargs)
    except ValueError as exc:
        if "Unrecognized configuration class" in str(exc):
            raise UsageError(
                f"model {name!r} is a {getattr(config, 'model_type', '?')!r} model, not a seq2seq "
                f"(encoder-decoder) summarizer such as BART, PEGASUS or T5"
            ) from None
        raise UsageError(f"model {name!r} could not be loaded: {_first_line(exc)}") from None
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=local)
    except (ValueError, TypeError) as exc:
        raise UsageError(f"the tokenizer of model {name!r} could not be loaded: {_first_line(exc)}") from None
    return tokenizer, model


def _generation_config(transformers: Any, base: Any, task: dict[str, Any], overrides: dict[str, Any]) -> Any:
    """The checkpoint's settings, then its summarization task settings, then the caller's."""
    known = set(transformers.GenerationConfig().to_dict())
    merged = {k: v for k, v in base.to_dict().items() if k != "transformers_version"}
    merged.update({k: v for k, v in task.items() if k in known})
    # A budget in new tokens replaces one in total length (and transformers warns about both).
    if "max_new_tokens" in overrides and "max_length" not in overrides:
        merged.pop("max_length", None)
    if "min_new_tokens" in overrides and "min_length" not in overrides:
        merged.pop("min_length", None)
    merged.update(overrides)
    try:
        return transformers.GenerationConfig(**merged)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"bad generation settings for method 'hf': {_first_line(exc)}") from None


def _model_window(tokenizer: Any, config: Any) -> int:
    """Input tokens the model can read: the tokenizer's and the position table's limits, whichever is smaller."""
    limits = [int(tokenizer.model_max_length)] if 0 < tokenizer.model_max_length < 1_000_000 else []
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    return min(limits) if limits else FALLBACK_WINDOW


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# The model, the device and the batch size are the operator's; so are transformers generation
# settings (open_extra), which can make one request cost minutes (num_beams=1000).
SETTINGS = (
    Setting("model", str, DEFAULT_MODEL, operator=True, help="model name or local directory"),
    Setting("device", str, None, choices=tuple(DEVICES), nullable=True, operator=True),
    Setting("dtype", str, None, choices=tuple(DTYPES), nullable=True, operator=True),
    Setting("batch_size", int, 8, low=1, high=1024, operator=True),
    Setting("max_input_tokens", int, None, low=8, high=1_000_000, nullable=True, operator=True),
    Setting("strategy", str, "truncate", choices=tuple(STRATEGIES), help="long articles: truncate or chunk"),
    Setting("n", int, None, low=1, high=10, nullable=True, help="highlights to keep (none: all the model writes)"),
    Setting(
        "faithfulness", bool, True, help="the pipeline checks these highlights unless false (never the summarizer)"
    ),
)

register(
    "hf",
    "abstractive highlights from a local Hugging Face seq2seq model (BART, PEGASUS, T5); needs [hf]",
    settings=SETTINGS,
    open_extra=True,
)(HFSummarizer)
