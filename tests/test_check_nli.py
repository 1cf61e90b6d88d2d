"""The entailment checker: window selection, report shape, label mapping, batching, loading.

The model-free tests give ``NLIChecker`` a stand-in ``_predict`` that "entails" a hypothesis
when the premise holds all its words, so what is chosen and reported can be asserted exactly.
The model tests build a randomly initialised two-layer BERT classifier with a word-level
vocabulary in a temp dir (nothing downloaded) and check the real loading and batching code.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from newsbrief import parse_text
from newsbrief.check.nli import NLIChecker, _label_index
from newsbrief.errors import UsageError

ARTICLE = (
    "The Senate passed a bill late Friday that keeps the government funded through mid-March. "
    "The vote was 77 to 19. The House approved the measure on Thursday. "
    "President Biden is expected to sign it on Saturday."
)


class WordEntailment(NLIChecker):
    """Entailment when every word of the hypothesis is in the premise; contradiction on 'rejected'."""

    def __init__(self, **kw: object) -> None:
        super().__init__("stand-in", **kw)  # type: ignore[arg-type]
        self.pairs: list[tuple[str, str]] = []

    def _predict(self, pairs: list[tuple[str, str]]) -> list[tuple[float, float, float]]:
        self.pairs.extend(pairs)
        out = []
        for premise, hypothesis in pairs:
            words = set(re.findall(r"\w+", hypothesis.lower()))
            have = set(re.findall(r"\w+", premise.lower()))
            if "rejected" in words and "passed" in have:
                out.append((0.9, 0.05, 0.05))
            elif words <= have:
                out.append((0.02, 0.08, 0.9))
            else:
                out.append((0.1, 0.8, 0.1))
        return out


def test_a_copied_sentence_is_supported_by_its_window_and_a_flip_is_contradicted() -> None:
    article = parse_text(ARTICLE, format="plain")
    checker = WordEntailment(window=1, candidates=2)
    report = checker.check(article, ["The vote was 77 to 19.", "The Senate rejected the bill late Friday."])
    good, bad = report.sentences
    assert good.score == pytest.approx(0.9)
    assert good.support_span is not None
    assert article.body[good.support_span[0] : good.support_span[1]] == "The vote was 77 to 19."
    assert good.issues == []
    assert bad.score == pytest.approx(0.1)  # its best window is only neutral
    assert [i.kind for i in bad.issues] == ["contradiction"]
    evidence = bad.issues[0].evidence
    assert evidence is not None and "passed a bill" in article.body[evidence[0] : evidence[1]]
    assert report.verdict != "consistent"
    assert report.to_dict()["sentences"][0]["features"]["entailment"] == pytest.approx(0.9)


def test_each_sentence_costs_at_most_candidates_pairs_whatever_the_article_length() -> None:
    long_article = parse_text(" ".join([ARTICLE] * 200), format="plain")
    checker = WordEntailment(window=2, candidates=3)
    checker.check(long_article, "The vote was 77 to 19. Biden will sign it.")
    assert len(checker.pairs) == 2 * 3


def test_windows_span_consecutive_sentences() -> None:
    article = parse_text(ARTICLE, format="plain")
    spans = WordEntailment(window=2).windows(article)
    assert len(spans) == len(article.sentences) - 1
    first = article.body[spans[0][0] : spans[0][1]]
    assert first.startswith("The Senate passed") and first.endswith("77 to 19.")


def test_labels_are_read_by_name_in_any_order() -> None:
    assert _label_index(["CONTRADICTION", "NEUTRAL", "ENTAILMENT"], explicit=False) == {
        "contradiction": 0,
        "neutral": 1,
        "entailment": 2,
    }
    assert _label_index(["contradiction", "entailment", "neutral"], explicit=False)["entailment"] == 1
    with pytest.raises(UsageError, match="give labels="):
        _label_index(["LABEL_0", "LABEL_1", "LABEL_2"], explicit=False)


def test_importing_the_checker_loads_no_model_library() -> None:
    assert "newsbrief.check.nli" in sys.modules
    NLIChecker("/nowhere")  # building is free; loading happens on first check
    with pytest.raises(UsageError, match="needs a model"):
        NLIChecker("  ")


# --- a real (tiny, random) model ------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    out = tmp_path_factory.mktemp("tiny-nli")
    words = sorted(set(re.findall(r"\w+|[^\w\s]", ARTICLE.lower() + " the senate rejected bill")))
    (out / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    tokenizer = transformers.BertTokenizer(str(out / "vocab.txt"), model_max_length=128)
    tokenizer.save_pretrained(out)
    config = transformers.BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=128,
        num_labels=3,
        id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
        label2id={"entailment": 0, "neutral": 1, "contradiction": 2},
    )
    torch.manual_seed(0)
    transformers.BertForSequenceClassification(config).save_pretrained(out)
    return out


def test_a_tiny_random_model_gives_a_well_formed_report(tiny_nli: Path) -> None:
    article = parse_text(ARTICLE, format="plain")
    summary = ["The vote was 77 to 19.", "The Senate rejected the bill."]
    one = NLIChecker(str(tiny_nli), device="cpu", batch_size=1, max_tokens=64).check(article, summary)
    many = NLIChecker(str(tiny_nli), device="cpu", batch_size=8, max_tokens=64).check(article, summary)
    assert [s.text for s in one.sentences] == summary
    for a, b in zip(one.sentences, many.sentences, strict=True):  # batching changes nothing
        assert a.score == pytest.approx(b.score, abs=1e-5)
        assert 0.0 <= a.score <= 1.0
        feats = a.features
        assert feats["entailment"] + feats["neutral"] + feats["contradiction"] == pytest.approx(1.0, abs=1e-5)
        assert a.support_span is not None and article.body[a.support_span[0] : a.support_span[1]] == a.support_text
    assert one.verdict in ("consistent", "check", "inconsistent")
    assert any("NLI model" in n for n in one.notes)


def test_generic_labels_need_the_labels_setting(tiny_nli: Path, tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    model = transformers.AutoModelForSequenceClassification.from_pretrained(tiny_nli)
    model.config.id2label = {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}
    model.config.label2id = {v: k for k, v in model.config.id2label.items()}
    model.save_pretrained(tmp_path)
    transformers.AutoTokenizer.from_pretrained(tiny_nli).save_pretrained(tmp_path)
    article = parse_text(ARTICLE, format="plain")
    with pytest.raises(UsageError, match="give labels="):
        NLIChecker(str(tmp_path), device="cpu").check(article, "The vote was 77 to 19.")
    labelled = NLIChecker(str(tmp_path), device="cpu", labels=["contradiction", "neutral", "entailment"])
    assert len(labelled.check(article, "The vote was 77 to 19.").sentences) == 1


def test_a_missing_model_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    article = parse_text(ARTICLE, format="plain")
    with pytest.raises(UsageError, match="cannot load NLI model"):
        NLIChecker(str(tmp_path / "absent")).check(article, "The vote was 77 to 19.")


def test_sentence_verdicts_and_every_unsupported_one_says_why() -> None:
    article = parse_text(ARTICLE, format="plain")
    report = WordEntailment(window=1, candidates=2).check(
        article, ["The vote was 77 to 19.", "The Senate rejected the bill late Friday.", "Mars is made of cheese."]
    )
    good, flipped, invented = report.sentences
    assert good.verdict == "supported" and good.issues == []
    assert flipped.verdict == "unsupported" and [i.kind for i in flipped.issues] == ["contradiction"]
    assert invented.verdict == "unsupported" and [i.kind for i in invented.issues] == ["no_support"]
    assert "entails" in invented.issues[0].detail
    assert [s["verdict"] for s in report.to_dict()["sentences"]] == ["supported", "unsupported", "unsupported"]
