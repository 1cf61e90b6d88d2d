"""Randomly initialised BART checkpoints, built locally: for tests and throughput benchmarks.

Model hubs are not reachable everywhere newsbrief is tested, so the ``hf`` code path is
exercised with a byte-level BPE tokenizer trained on a few texts and a BART of any size with
random weights, saved with ``save_pretrained`` like a real checkpoint. Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

BART_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # BART's ids 0-4
BART_IDS: dict[str, Any] = {"bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2}


def save_random_bart(
    out: Path,
    texts: Iterable[str],
    *,
    dims: dict[str, Any],
    generation: dict[str, Any],
    model_vocab_size: int | None = None,
) -> Path:
    """Train a tokenizer of ``dims["vocab_size"]`` on ``texts``, build a random BART of ``dims``
    and save both to ``out``. The model's vocabulary is the tokenizer's unless
    ``model_vocab_size`` asks for a real checkpoint's size (its output layer dominates speed)."""
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=dims["vocab_size"],
        special_tokens=BART_SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(texts, trainer)
    bpe.model.save(str(out))  # vocab.json + merges.txt, as BART checkpoints ship them
    window = dims["max_position_embeddings"]
    tokenizer = transformers.BartTokenizer(str(out / "vocab.json"), str(out / "merges.txt"), model_max_length=window)
    tokenizer.save_pretrained(out)
    config = transformers.BartConfig(**{**dims, "vocab_size": model_vocab_size or len(tokenizer)}, **BART_IDS)
    torch.manual_seed(0)
    model = transformers.BartForConditionalGeneration(config)
    model.generation_config = transformers.GenerationConfig(
        **BART_IDS, forced_bos_token_id=0, forced_eos_token_id=2, **generation
    )
    model.save_pretrained(out)
    return out
