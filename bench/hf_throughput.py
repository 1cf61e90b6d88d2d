"""Throughput of the ``hf`` method on a BART-large-sized model at batch 1, 16 and 64.

What it measures
----------------
* the whole ``hf`` path (``HFSummarizer.summarize_many``: tokenize, batch, ``generate``,
  decode, align) on a model with bart-large's shape (12+12 layers, d_model 1024, 16 heads,
  FFN 4096, vocabulary 50,265, 1,024 positions; about 406M parameters) and **random weights**:
  no checkpoint is downloaded, and speed does not depend on what the weights say;
* a **fixed workload**, so numbers compare across machines: every input is exactly
  ``--input-tokens`` tokens (dev articles joined until long enough, then truncated to the window,
  as ``strategy=truncate`` does), and every output exactly ``--new-tokens`` tokens
  (``min_new_tokens == max_new_tokens``), with bart-large-cnn's beam search (4 beams,
  no_repeat_ngram_size 3, length_penalty 2.0);
* per batch size: documents/s, generated tokens/s (output tokens per document, not counting
  beams), input tokens/s, seconds per batch, and the peak accelerator memory; one warm-up batch
  is run first and not counted; a batch size that runs out of memory is recorded as such.

The tokenizer is a byte-level BPE trained here on the dev articles (real BART tokenizers ship
the same vocab.json/merges.txt files); ids it does not know decode to nothing, which does not
change the cost of the model's 50,265-way output layer.

Run from the repository root on the machine to measure (a GPU; ``--device``/``--dtype`` to choose)::

    .venv/bin/python bench/hf_throughput.py [--dtype float16] [--batches 1,16,64]

Results go to ``bench/results/hf_throughput.{json,md}``. ``--small`` is a CPU smoke test with a
tiny model of the same architecture; it writes to a scratch path (``--out`` to choose), never to
``bench/results``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev" / "summeval.jsonl"
SAMPLE = REPO / "tests" / "fixtures" / "cnn-erdogan-putin.txt"
REAL_OUT = REPO / "bench" / "results" / "hf_throughput"
SMOKE_OUT = Path(tempfile.gettempdir()) / "newsbrief-bench" / "hf_throughput-small"

BART_LARGE: dict[str, Any] = {
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 12,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "vocab_size": 50265,
}
SMALL: dict[str, Any] = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 256,
    "vocab_size": 4000,
}


def load_texts(path: Path) -> list[str]:
    if path.exists():
        return [json.loads(line)["article"] for line in path.open(encoding="utf-8") if line.strip()]
    return [SAMPLE.read_text(encoding="utf-8")]  # no dev data here: the sample article still works


def build_model(out: Path, dims: dict[str, Any], texts: list[str]) -> None:
    """Save a tokenizer trained on ``texts`` and a randomly initialised BART of ``dims`` to ``out``."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the test-model builder
    from helpers_hf import save_random_bart

    bart_large_cnn_search = {"num_beams": 4, "length_penalty": 2.0, "no_repeat_ngram_size": 3, "early_stopping": True}
    save_random_bart(out, texts, dims=dims, generation=bart_large_cnn_search, model_vocab_size=dims["vocab_size"])


def make_docs(texts: list[str], count: int, min_chars: int) -> list[Any]:
    """``count`` articles, each long enough to fill the input window (texts joined in turn)."""
    import newsbrief

    docs = []
    for i in range(count):
        parts: list[str] = []
        j = i
        while sum(len(p) for p in parts) < min_chars:
            parts.append(texts[j % len(texts)])
            j += 1
        article = newsbrief.parse_text("\n\n".join(parts), format="plain")
        article.id = f"doc-{i}"
        docs.append(article)
    return docs


def device_name(torch: Any, device: str) -> str:
    if device.startswith("cuda"):
        return str(torch.cuda.get_device_name(0))
    if device == "mps":
        return "Apple MPS"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu} ({torch.get_num_threads()} threads)"


def make_summarizer(model_dir: Path, args: argparse.Namespace) -> Any:
    from newsbrief.summarize.base import get_summarizer

    return get_summarizer(
        "hf",
        model=str(model_dir),
        device=args.device,
        dtype=args.dtype,
        max_input_tokens=args.input_tokens,
        strategy="truncate",
        faithfulness=False,
        max_new_tokens=args.new_tokens,
        min_new_tokens=args.new_tokens,
    )


def measure(summarizer: Any, docs: list[Any], batch: int, args: argparse.Namespace, torch: Any) -> dict[str, Any]:
    """Time ``summarize_many`` over ``max(batch * rounds, min_docs)`` docs at ``batch_size=batch``."""
    from newsbrief.errors import UsageError

    summarizer.batch_size = batch
    n_docs = max(batch * args.rounds, args.min_docs)
    work = [docs[i % len(docs)] for i in range(n_docs)]
    cuda = summarizer.settings["device"].startswith("cuda")
    row: dict[str, Any] = {"batch_size": batch, "docs": n_docs}
    try:
        summarizer.summarize_many(work[:batch])  # warm-up: kernels, allocator, caches
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        summaries = summarizer.summarize_many(work)
        if cuda:
            torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
    except UsageError as exc:  # out of memory at this batch size: record it, go on with the next
        row["error"] = str(exc)
        return row
    finally:
        if cuda:
            torch.cuda.empty_cache()
    full = sum(any(n.startswith("input truncated") for n in s.notes) for s in summaries)
    tokens_in = n_docs * args.input_tokens
    row.update(
        seconds=round(seconds, 3),
        docs_per_s=n_docs / seconds,
        generated_tokens_per_s=n_docs * args.new_tokens / seconds,
        input_tokens_per_s=tokens_in / seconds,
        seconds_per_batch=seconds / -(-n_docs // batch),
        inputs_at_full_window=f"{full}/{n_docs}",
    )
    if cuda:
        row["peak_memory_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    return row


def _num(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def render(report: dict[str, Any]) -> str:
    m = report["model"]
    lines = [
        "# hf throughput: BART-large-sized seq2seq, random weights"
        + (" (SMOKE TEST, tiny model)" if report["small"] else ""),
        "",
        f"- Command: `{report['command']}`",
        f"- Date: {report['date']}; device: **{report['device_name']}**; torch {report['torch']}, "
        f"transformers {report['transformers']}, Python {report['python']}; "
        f"load average at the end {', '.join(f'{x:.1f}' for x in report['load_average'] or [])}",
        f"- Model: BART, {m['encoder_layers']}+{m['decoder_layers']} layers, d_model {m['d_model']}, "
        f"vocabulary {m['vocab_size']:,}, {report['parameters'] / 1e6:,.1f}M parameters; dtype {report['dtype']}; "
        f"loaded in {report['load_s']:.1f} s",
        f"- Workload: every input {report['input_tokens']:,} tokens, every output {report['new_tokens']} tokens "
        f"(min = max new tokens), beam search {report['num_beams']} beams; one warm-up batch not counted",
        "",
        "| batch | docs | docs/s | generated tok/s | input tok/s | s/batch | peak mem (GiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        if "error" in r:
            lines.append(f"| {r['batch_size']} | {r['docs']} | failed: {r['error']} | | | | |")
            continue
        mem = f"{r['peak_memory_gib']:.1f}" if "peak_memory_gib" in r else "n/a"
        lines.append(
            f"| {r['batch_size']} | {r['docs']} | {r['docs_per_s']:,.2f} | {_num(r['generated_tokens_per_s'])} | "
            f"{_num(r['input_tokens_per_s'])} | {r['seconds_per_batch']:.3f} | {mem} |"
        )
    lines += [
        "",
        "Speed only: the weights are random, so the highlights are gibberish; quality needs a real checkpoint.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="CPU smoke test: tiny model, scratch output")
    ap.add_argument("--batches", default="1,16,64", help="batch sizes, comma-separated")
    ap.add_argument("--device", choices=["cpu", "cuda", "mps"], default=None, help="default: cuda, then mps, else cpu")
    ap.add_argument("--dtype", choices=["float16", "bfloat16", "float32"], default=None, help="default: float32")
    ap.add_argument("--input-tokens", type=int, default=None, help="tokens per input (default: the model window)")
    ap.add_argument("--new-tokens", type=int, default=None, help="tokens per output (default 64; 8 with --small)")
    ap.add_argument("--rounds", type=int, default=None, help="timed batches per batch size (default 3; 1 with --small)")
    ap.add_argument("--min-docs", type=int, default=None, help="at least this many docs per batch size (default 16)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--model-dir", type=Path, default=None, help="reuse/keep the generated model here")
    ap.add_argument("--out", type=Path, default=None, help="output path without suffix")
    args = ap.parse_args()
    dims = SMALL if args.small else BART_LARGE
    args.input_tokens = args.input_tokens or dims["max_position_embeddings"]
    args.new_tokens = args.new_tokens or (8 if args.small else 64)
    args.rounds = args.rounds or (1 if args.small else 3)
    args.min_docs = args.min_docs if args.min_docs is not None else (4 if args.small else 16)
    out = args.out or (SMOKE_OUT if args.small else REAL_OUT)
    if args.small and out.resolve() == REAL_OUT.resolve():
        sys.exit("--small is a smoke test: it does not write bench/results/hf_throughput")
    if args.input_tokens > dims["max_position_embeddings"]:
        sys.exit(f"--input-tokens is at most {dims['max_position_embeddings']} for this model")
    batches = [int(b) for b in args.batches.split(",") if b.strip()]

    import torch
    import transformers

    import newsbrief.summarize.hf  # noqa: F401  (registers "hf" even where summarize/__init__ does not)

    texts = load_texts(args.data)
    with tempfile.TemporaryDirectory(prefix="newsbrief-bart-") as scratch:
        model_dir = args.model_dir or Path(scratch)
        model_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        if not (model_dir / "config.json").exists():
            build_model(model_dir, dims, texts)
        print(f"model ready in {time.perf_counter() - t0:.1f} s ({model_dir})", file=sys.stderr)
        summarizer = make_summarizer(model_dir, args)
        load_s = summarizer.load()
        settings = summarizer.settings
        docs = make_docs(texts, 8, min_chars=args.input_tokens * 8)  # ~4 chars/token: always over the window
        results = []
        for batch in batches:
            row = measure(summarizer, docs, batch, args, torch)
            results.append(row)
            print(json.dumps(row), file=sys.stderr)
    device = settings["device"]
    report = {
        "command": "python bench/hf_throughput.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "small": args.small,
        "device": device,
        "device_name": device_name(torch, device),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_threads": torch.get_num_threads(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,  # other work on the machine
        "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
        "model": dims,
        "parameters": settings["parameters"],
        "dtype": settings["dtype"],
        "load_s": round(load_s, 2),
        "generation": settings["generation"],
        "input_tokens": args.input_tokens,
        "new_tokens": args.new_tokens,
        "num_beams": 4,
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    md = render(report)
    out.with_suffix(".md").write_text(md)
    print(md)
    print(f"written: {out.with_suffix('.json')} and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
