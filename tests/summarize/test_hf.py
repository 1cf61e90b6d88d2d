"""The ``hf`` method end to end on tiny randomly initialised BART and T5 checkpoints.

Nothing is downloaded: the tokenizers are trained here on the sample article (a byte-level BPE
for BART, a SentencePiece unigram model for T5, the files real checkpoints ship), the models are
built from configs, and both are saved with ``save_pretrained`` so the summarizer goes through
the real ``AutoTokenizer`` / ``AutoModelForSeq2SeqLM`` loading, batching and generation paths.
Random weights write gibberish, so the tests check structure, provenance and notes, and compare
against a direct ``model.generate`` call rather than against expected words.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import newsbrief
from helpers_hf import save_random_bart
from newsbrief import Article, UsageError
from newsbrief.summarize import hf as hf_mod
from newsbrief.summarize.base import get_summarizer
from newsbrief.summarize.hf import HFSummarizer, Window

FIXTURES = Path(__file__).parents[1] / "fixtures"
WINDOW = 128  # the tiny models' input window, in tokens
FAST = {"max_new_tokens": 6, "faithfulness": False}  # keep generation short: tests stay fast


# torch and transformers are imported by fixtures, not when the file is collected: importing
# torch costs seconds of CPU in every pytest-xdist worker, also when no test here is selected.
@pytest.fixture(scope="session")
def torch() -> ModuleType:
    return pytest.importorskip("torch")


@pytest.fixture(scope="session")
def transformers() -> ModuleType:
    return pytest.importorskip("transformers")


@pytest.fixture(scope="module", autouse=True)
def one_thread(torch: ModuleType, transformers: ModuleType) -> Iterator[None]:
    """Tiny models gain nothing from threads, and on a busy small machine OpenMP threads wait on each other.

    Autouse, so every test here is skipped, as the whole file was, without torch, transformers or tokenizers.
    """
    pytest.importorskip("tokenizers")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _lines() -> list[str]:
    text = (FIXTURES / "cnn-erdogan-putin.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def bart_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dims = {
        "vocab_size": 800,
        "d_model": 16,
        "encoder_layers": 2,
        "decoder_layers": 2,
        "encoder_attention_heads": 2,
        "decoder_attention_heads": 2,
        "encoder_ffn_dim": 32,
        "decoder_ffn_dim": 32,
        "max_position_embeddings": WINDOW,
    }
    generation = {  # like bart-large-cnn's, shorter
        "num_beams": 2,
        "max_length": 20,
        "min_length": 4,
        "no_repeat_ngram_size": 3,
        "length_penalty": 2.0,
        "early_stopping": True,
        "suppress_tokens": [1, 3, 4],  # no pad/unk/mask: random weights still write visible text
    }
    return save_random_bart(tmp_path_factory.mktemp("tiny-bart"), _lines(), dims=dims, generation=generation)


@pytest.fixture(scope="session")
def t5_dir(tmp_path_factory: pytest.TempPathFactory, torch: ModuleType, transformers: ModuleType) -> Path:
    spm = pytest.importorskip("sentencepiece")
    out = tmp_path_factory.mktemp("tiny-t5")
    model_file = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_lines() * 3),
        model_writer=model_file,
        vocab_size=300,
        model_type="unigram",
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        minloglevel=2,
    )
    (out / "spiece.model").write_bytes(model_file.getvalue())
    tokenizer = transformers.T5Tokenizer.from_pretrained(out, extra_ids=0, model_max_length=96)
    tokenizer.save_pretrained(out)
    config = transformers.T5Config(
        vocab_size=len(tokenizer),
        d_model=16,
        d_ff=32,
        d_kv=8,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=2,
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
        task_specific_params={
            "summarization": {
                "prefix": "summarize: ",
                "num_beams": 2,
                "max_length": 30,
                "min_length": 3,
                "no_repeat_ngram_size": 3,
            }
        },
    )
    torch.manual_seed(0)
    transformers.T5ForConditionalGeneration(config).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def seed() -> Article:
    return newsbrief.parse_file(FIXTURES / "cnn-erdogan-putin.txt")


SHORTS = [
    "Turkish President Recep Tayyip Erdogan met Vladimir Putin in St. Petersburg. It was his first trip abroad.",
    "Russia imposed sanctions after Turkey shot down a Russian warplane. Trade fell sharply.",
    "Visa-free travel to Russia was canceled for Turks. Turkish workers were asked to leave the country.",
    "Putin said Russia would restore trade ties step by step. Charter flights will resume soon.",
    "The two leaders discussed the war in Syria. They did not agree on the future of its president.",
]


def _short(i: int) -> Article:
    article = newsbrief.parse(SHORTS[i])
    article.id = f"short-{i}"
    return article


def _hf(model_dir: Path, **settings: Any) -> HFSummarizer:
    summarizer = get_summarizer("hf", model=str(model_dir), **{**FAST, **settings})
    assert isinstance(summarizer, HFSummarizer)
    return summarizer


def _check_provenance(article: Article, summary: newsbrief.Summary) -> None:
    assert summary.method == "hf"
    assert summary.settings["abstractive"] is True
    assert summary.notes[0].startswith("abstractive:")
    for h in summary.highlights:
        assert h.text and h.text == h.text.strip()
        assert h.score is not None and 0.0 <= h.score <= 1.0
        assert len(h.spans) == len(h.sentence_ids)
        for sid, (start, end) in zip(h.sentence_ids, h.spans, strict=True):
            assert article.body[start:end] == article.sentences[sid].text
    json.dumps(summary.to_dict())


# -- loading and output ----------------------------------------------------------------------


def test_bart_end_to_end(bart_dir: Path, transformers: ModuleType) -> None:
    article = _short(0)
    summary = _hf(bart_dir).summarize(article)
    _check_provenance(article, summary)
    assert summary.highlights, "the model wrote nothing"
    s = summary.settings
    assert s["model"] == str(bart_dir) and s["model_source"] == "local directory" and s["model_type"] == "bart"
    assert s["device"] == "cpu" and s["dtype"] == "float32"
    assert s["max_input_tokens"] == WINDOW and s["windows"] == 1 and s["prefix"] is None
    # the checkpoint's settings, with the override; max_length gives way to max_new_tokens
    assert s["generation"] == {
        "num_beams": 2,
        "max_new_tokens": 6,
        "min_length": 4,
        "length_penalty": 2.0,
        "no_repeat_ngram_size": 3,
        "early_stopping": True,
    }
    assert s["transformers"] == transformers.__version__
    assert set(summary.timings) >= {"load", "generate", "align"}
    assert not any("truncated" in n or "chunked" in n for n in summary.notes)


def test_output_is_what_generate_writes(bart_dir: Path, torch: ModuleType, transformers: ModuleType) -> None:
    article = _short(1)
    summarizer = _hf(bart_dir, num_beams=1)
    summary = summarizer.summarize(article)
    (window,) = summarizer.inputs(article)
    assert window.text == " ".join(s.text for s in article.sentences)
    tokenizer = transformers.AutoTokenizer.from_pretrained(bart_dir)
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(bart_dir)
    encoded = tokenizer([window.text], return_tensors="pt")
    with torch.inference_mode():
        ids = model.generate(**encoded, max_new_tokens=6, max_length=None, num_beams=1)
    text = tokenizer.batch_decode(ids, skip_special_tokens=True)[0]
    assert summary.texts == hf_mod._output_sentences(text)


def test_batches_give_the_same_answers_in_order(bart_dir: Path) -> None:
    articles = [_short(i) for i in range(5)]
    one_by_one = [_hf(bart_dir, num_beams=1, batch_size=1).summarize(a) for a in articles]
    batched = _hf(bart_dir, num_beams=1, batch_size=2).summarize_many(articles)
    assert [s.article_id for s in batched] == [a.id for a in articles]
    assert [s.texts for s in batched] == [s.texts for s in one_by_one]


def test_loads_once(bart_dir: Path) -> None:
    summarizer = _hf(bart_dir)
    assert not summarizer.loaded
    first = summarizer.summarize(_short(0))
    second = summarizer.summarize(_short(1))
    assert summarizer.loaded
    assert "load" in first.timings and "load" not in second.timings


def test_dtype_setting(bart_dir: Path) -> None:
    summary = _hf(bart_dir, dtype="bfloat16").summarize(_short(0))
    assert summary.settings["dtype"] == "bfloat16"


def test_empty_article(bart_dir: Path) -> None:
    summary = _hf(bart_dir).summarize(Article())
    assert summary.highlights == []
    assert "article has no body sentences: nothing to summarize" in summary.notes


def test_output_sentences() -> None:
    assert hf_mod._output_sentences(" Putin met Erdogan.  Trade will resume. ") == [
        "Putin met Erdogan.",
        "Trade will resume.",
    ]
    assert hf_mod._output_sentences("Line one<n>Line two") == ["Line one", "Line two"]  # PEGASUS
    assert hf_mod._output_sentences("   ") == []


# -- long inputs -----------------------------------------------------------------------------


def test_truncate_is_stated(bart_dir: Path, seed: Article) -> None:
    summarizer = _hf(bart_dir)
    summary = summarizer.summarize(seed)
    _check_provenance(seed, summary)
    (note,) = [n for n in summary.notes if n.startswith("input truncated")]
    assert f" to {WINDOW} tokens (model window): the model read the first " in note
    assert f" of {len(seed.sentences)} sentences" in note
    (window,) = summarizer.inputs(seed)
    read = set(window.sentence_ids)
    assert 0 < len(read) < len(seed.sentences)
    assert all(set(h.sentence_ids) <= read for h in summary.highlights)  # support only from what was read


def test_max_input_tokens_narrows_the_window(bart_dir: Path) -> None:
    article = _short(2)
    summary = _hf(bart_dir, max_input_tokens=16).summarize(article)
    assert summary.settings["max_input_tokens"] == 16
    assert any(n.startswith("input truncated from ") and " to 16 tokens" in n for n in summary.notes)


def test_chunk_windows_fit_and_cover_the_article(bart_dir: Path, seed: Article, transformers: ModuleType) -> None:
    summarizer = _hf(bart_dir, strategy="chunk")
    windows = summarizer.inputs(seed)
    assert len(windows) > 1
    ids = [sid for w in windows for sid in w.sentence_ids]
    assert ids == [s.id for s in seed.sentences]  # sentence-aligned, in order, nothing skipped
    tokenizer = transformers.AutoTokenizer.from_pretrained(bart_dir)
    for w in windows:
        assert w.text == " ".join(" ".join(seed.sentences[i].text.split()) for i in w.sentence_ids)
        real = len(tokenizer(w.text)["input_ids"])
        assert w.tokens == min(real, WINDOW)
        assert real <= WINDOW or len(w.sentence_ids) == 1  # only a lone over-long sentence is cut


def test_chunk_is_stated_and_n_respected(bart_dir: Path, seed: Article) -> None:
    summary = _hf(bart_dir, strategy="chunk", n=2, batch_size=16).summarize(seed)
    _check_provenance(seed, summary)
    assert summary.settings["windows"] > 1 and summary.settings["strategy"] == "chunk"
    assert any(
        n.startswith("input of ")
        and f"chunked into {summary.settings['windows']} windows of at most {WINDOW} tokens" in n
        for n in summary.notes
    )
    assert 1 <= len(summary.highlights) <= 2


def test_chunk_merge_dedupes_and_keeps_window_order(
    bart_dir: Path, seed: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = [
        "Erdogan met Putin in St. Petersburg. Trade ties will be restored.",
        "Trade ties will be restored. Russia lifted sanctions on Turkey.",
        "",
    ]

    def fake_generate(self: HFSummarizer, windows: list[Window]) -> None:
        for i, w in enumerate(windows):
            w.output = outputs[min(i, 2)]

    monkeypatch.setattr(HFSummarizer, "_generate", fake_generate)
    summary = _hf(bart_dir, strategy="chunk").summarize(seed)
    assert summary.texts == [
        "Erdogan met Putin in St. Petersburg.",
        "Trade ties will be restored.",
        "Russia lifted sanctions on Turkey.",
    ]
    assert "1 repeated output sentence(s) dropped" in summary.notes
    assert any(n.startswith("the model wrote nothing for window 3") for n in summary.notes)
    first = summary.highlights[0]
    assert first.sentence_ids and first.score is not None and first.score > 0.5
    limited = _hf(bart_dir, strategy="chunk", n=2).summarize(seed)
    assert limited.texts == summary.texts[:2]
    assert "the model wrote 3 highlight sentences; kept the first 2 (n=2)" in limited.notes


# -- T5 --------------------------------------------------------------------------------------


def test_t5_prefix_and_task_settings(t5_dir: Path) -> None:
    summarizer = _hf(t5_dir)
    article = _short(3)
    (window,) = summarizer.inputs(article)
    assert window.text.startswith("summarize: ")
    summary = summarizer.summarize(article)
    _check_provenance(article, summary)
    s = summary.settings
    assert s["model_type"] == "t5" and s["prefix"] == "summarize: " and s["max_input_tokens"] == 96
    assert s["generation"]["num_beams"] == 2 and s["generation"]["no_repeat_ngram_size"] == 3  # task params
    assert s["generation"]["max_new_tokens"] == 6 and "max_length" not in s["generation"]


def test_t5_chunks_carry_the_prefix(t5_dir: Path, seed: Article) -> None:
    windows = _hf(t5_dir, strategy="chunk").inputs(seed)
    assert len(windows) > 1 and all(w.text.startswith("summarize: ") for w in windows)


# -- errors ------------------------------------------------------------------------------------


def test_unknown_setting_is_a_usage_error(bart_dir: Path) -> None:
    with pytest.raises(UsageError, match="method 'hf' does not take max_words, nmu_beams"):
        get_summarizer("hf", model=str(bart_dir), nmu_beams=2, max_words=50)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"strategy": "summarize-harder"}, "'strategy' of method 'hf' must be one of truncate, chunk"),
        ({"device": "tpu"}, "'device' of method 'hf' must be one of cpu, cuda, mps"),
        ({"dtype": "int8"}, "'dtype' of method 'hf' must be one of float16, bfloat16, float32"),
        ({"batch_size": 0}, "'batch_size' of method 'hf' must be an integer from 1 to 1,024, got 0"),
        ({"n": 0}, "'n' of method 'hf' must be an integer from 1 to 10 .or none., got 0"),
        ({"max_input_tokens": 2}, "'max_input_tokens' of method 'hf' must be an integer from 8 to"),
    ],
)
def test_bad_settings(bart_dir: Path, settings: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        get_summarizer("hf", model=str(bart_dir), **settings)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        _hf(tmp_path / "no" / "such-model").load()
    with pytest.raises(UsageError, match="has no config.json"):
        _hf(tmp_path).load()


def test_hub_model_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UsageError) as info:
        _hf(Path("newsbrief-tests/no-such-model")).load()
    message = str(info.value)
    assert message.startswith("model 'newsbrief-tests/no-such-model' not found locally and the hub is off")
    assert "huggingface-cli download newsbrief-tests/no-such-model" in message
    assert "\n" not in message


def test_not_a_seq2seq_model(tmp_path: Path, transformers: ModuleType) -> None:
    transformers.GPT2Config(n_embd=16, n_layer=1, n_head=2, vocab_size=50).save_pretrained(tmp_path)
    with pytest.raises(UsageError, match="is a 'gpt2' model, not a seq2seq"):
        _hf(tmp_path).load()


def test_cuda_not_there(torch: ModuleType) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(UsageError, match="device 'cuda' was asked for"):
        HFSummarizer(device="cuda").load()  # fails before any model lookup
