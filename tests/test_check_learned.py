"""The learned checker (issue 14): copies score high, flips and swaps lower, the weights load,
the score is deterministic and the work per summary is bounded on a 1 MB article."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pytest

from newsbrief import faithfulness as F
from newsbrief.check import features as X
from newsbrief.check import learned as L
from newsbrief.ingest import parse_text

ARTICLE = (
    "The Senate passed the infrastructure bill on Tuesday by 68 votes to 32. "
    "Chelsea beat Arsenal 2-0 at Stamford Bridge on Sunday, with goals from Cole Palmer and Nicolas Jackson. "
    "The bill now goes to the House of Representatives, where its fate is less certain. "
    "Senate Majority Leader Chuck Schumer called the vote a historic moment for American workers. "
    "Republican leaders said the spending would drive up inflation and did not support it."
)
COPY = "The Senate passed the infrastructure bill on Tuesday by 68 votes to 32."
NUMBER_FLIP = "The Senate passed the infrastructure bill on Tuesday by 71 votes to 29."
ROLE_SWAP = "Arsenal beat Chelsea 2-0 at Stamford Bridge on Sunday."
ROLE_COPY = "Chelsea beat Arsenal 2-0 at Stamford Bridge on Sunday."
INVENTED = "Putin announced a $5 billion loan to Turkey."


@pytest.fixture(scope="module")
def index() -> F.ArticleIndex:
    return F.ArticleIndex(parse_text(ARTICLE, format="plain"))


def test_weights_file_loads_and_names_known_features() -> None:
    data = json.loads(L.WEIGHTS_PATH.read_text(encoding="utf-8"))
    model = L.load_model()
    assert list(model.features) == data["features"]
    assert set(model.features) <= set(X.SUMMARY_FEATURES)
    assert all(sd > 0 for sd in model.scale)
    assert 0.0 <= model.thresholds["unsupported"] <= model.thresholds["supported"] <= 1.0
    assert model.meta["fitted_by"] == "bench/fit_checker.py"


def test_weights_with_an_unknown_feature_are_refused() -> None:
    data = L.load_model().to_dict()
    data["features"][0] = "no_such_feature"
    with pytest.raises(ValueError, match="unknown features"):
        L.LearnedModel.from_dict(data)


def test_copied_sentence_is_supported(index: F.ArticleIndex) -> None:
    report = L.learned_check(index, COPY)
    assert report.verdict == "supported"
    assert report.score >= L.load_model().thresholds["supported"]


def test_number_flip_scores_lower_than_the_copy(index: F.ArticleIndex) -> None:
    assert L.score(index, NUMBER_FLIP) < L.score(index, COPY)


def test_role_swap_scores_lower_than_the_copy(index: F.ArticleIndex) -> None:
    assert L.score(index, ROLE_SWAP) < L.score(index, ROLE_COPY)


def test_role_swap_is_seen_as_reversed_pairs(index: F.ArticleIndex) -> None:
    report = F.check(index, ROLE_SWAP)
    values = dict(zip(X.SENTENCE_FEATURES, X.sentence_features(index, report.sentences[0]), strict=True))
    copy = dict(
        zip(X.SENTENCE_FEATURES, X.sentence_features(index, F.check(index, ROLE_COPY).sentences[0]), strict=True)
    )
    assert values["reversed_pairs"] > 0.0 and copy["reversed_pairs"] == 0.0


def test_invented_sentence_scores_lowest_of_the_summary(index: F.ArticleIndex) -> None:
    report = L.learned_check(index, [COPY, INVENTED])
    copied, invented = report.sentence_scores
    assert invented < copied
    assert report.sentence_verdicts == ["supported", "unsupported"]
    assert report.score < L.score(index, COPY)


def test_score_is_deterministic_across_calls_and_indexes(index: F.ArticleIndex) -> None:
    fresh = F.ArticleIndex(parse_text(ARTICLE, format="plain"))
    scores = {L.score(index, NUMBER_FLIP), L.score(index, NUMBER_FLIP), L.score(fresh, NUMBER_FLIP)}
    assert len(scores) == 1
    assert 0.0 <= scores.pop() <= 1.0


def test_feature_vectors_match_their_names(index: F.ArticleIndex) -> None:
    pooled, per = X.summary_features(index, [COPY, ROLE_SWAP])
    assert len(pooled) == len(X.SUMMARY_FEATURES) and len(per) == 2
    assert all(len(v) == len(X.SENTENCE_FEATURES) for v in per)
    k = X.SENTENCE_FEATURES.index(X.WINDOW_FEATURES[0])
    assert X.SENTENCE_FEATURES[k : k + len(X.WINDOW_FEATURES)] == X.WINDOW_FEATURES


def test_fast_path_leaves_out_only_the_window_features(index: F.ArticleIndex) -> None:
    full, _ = X.summary_features(index, NUMBER_FLIP)
    fast, _ = X.summary_features(index, NUMBER_FLIP, full=False)
    for name, a, b in zip(X.SUMMARY_FEATURES, full, fast, strict=True):
        if name.split("_", 1)[-1] in X.WINDOW_FEATURES:
            assert math.isnan(b)
        else:
            assert a == b, name
    assert not L.load_model().reads_window  # the shipped model runs on the fast path


def test_empty_summary_claims_nothing(index: F.ArticleIndex) -> None:
    pooled, per = X.summary_features(index, "")
    assert per == [] and not any(math.isnan(v) for v in pooled)
    assert L.learned_check(index, "").score >= L.load_model().thresholds["supported"]


class CountingList(list[Any]):
    """A list that counts item reads, to measure the work of the features per summary."""

    reads = 0

    def __getitem__(self, key: Any) -> Any:
        CountingList.reads += 1
        return super().__getitem__(key)


def test_work_per_summary_is_bounded_on_a_one_megabyte_article() -> None:
    words = [a + b + c for a in "bcdfg" for b in "aeiou" for c in "klmnprst"]  # 200 distinct words
    text = " ".join(words[i % len(words)] for i in range(250_001))  # one 1 MB "sentence"
    assert len(text) >= 1_000_000
    index = F.ArticleIndex(parse_text(text, format="plain"))
    X.article_grams(index)  # the per-article work, done once
    summary = " ".join(words[:40]) + "."
    report = F.check(index, summary)
    assert any("MAX_WINDOW_WORDS" in n for n in report.notes)  # the window was narrowed
    index.stems = CountingList(index.stems)
    CountingList.reads = 0
    pooled, _ = X.summary_features(index, summary, report)
    assert CountingList.reads <= 2 * F.MAX_WINDOW_WORDS + 10
    assert not any(math.isnan(v) for v in pooled)


# --- the fitting code (bench/fit_checker.py), on synthetic rows --------------------------


def _fit_checker() -> Any:
    pytest.importorskip("numpy")
    path = Path(__file__).resolve().parents[1] / "bench" / "fit_checker.py"
    spec = importlib.util.spec_from_file_location("fit_checker_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fit_keeps_weights_on_their_side_and_scores_as_the_runtime_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    fc = _fit_checker()
    monkeypatch.setattr(fc, "FEATURES", ("mean_bigram_support", "mean_novel_4grams"))
    monkeypatch.setattr(fc, "STEPS", 300)
    monkeypatch.setattr(fc, "L2_GRID", (1.0,))
    rng = np.random.default_rng(0)
    n = 240
    y = rng.random(n) < 0.6
    x = np.zeros((n, len(X.SUMMARY_FEATURES)))
    support = X.SUMMARY_FEATURES.index("mean_bigram_support")
    novel = X.SUMMARY_FEATURES.index("mean_novel_4grams")
    x[:, support] = np.where(y, 0.9, 0.6) + rng.normal(0, 0.1, n)
    x[:, novel] = np.where(y, 0.5, 0.2) + rng.normal(0, 0.1, n)  # novelty "helps" here: a wrong sign
    sets = np.asarray(["qags" if i % 5 == 0 else "summeval" for i in range(n)])
    model = fc.fit(x, y, sets, [f"article {i}" for i in range(n)])
    weights = dict(zip(model.features, model.weights, strict=True))
    assert weights["mean_bigram_support"] > 0 and weights["mean_novel_4grams"] == 0.0
    runtime = np.asarray([model.probability(row.tolist()) for row in x])
    assert fc.roc_auc(runtime, y) > 0.9
    assert 0.0 < model.thresholds["unsupported"] <= model.thresholds["supported"] < 1.0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The Senate rejected the infrastructure bill on Tuesday.", "verb_contradiction"),
        (ROLE_SWAP, "role_swap"),
        (NUMBER_FLIP, "number_flip"),
    ],
)
def test_a_contradiction_is_unsupported_whatever_the_fitted_score(index: F.ArticleIndex, text: str, kind: str) -> None:
    result = L.learned_check(index, text)
    (sentence,) = result.report.sentences
    assert kind in [i.kind for i in sentence.issues]
    assert result.sentence_verdicts == ["unsupported"]


def test_the_learned_checkers_unsupported_sentences_name_a_reason() -> None:
    from newsbrief.check import get_checker

    report = get_checker("learned")(parse_text(ARTICLE, format="plain"), [COPY, INVENTED])
    copy, invented = report.sentences
    assert copy.verdict == "supported" and copy.issues == []
    assert invented.verdict == "unsupported" and invented.issues


def test_a_lexical_no_support_reason_does_not_outlive_the_lexical_verdict() -> None:
    from newsbrief.check import get_checker

    article = parse_text(ARTICLE, format="plain")
    invented = "Mars is made of green cheese, scientists said."
    lexical = F.check(article, [invented]).sentences[0]
    assert lexical.verdict == "unsupported" and [i.kind for i in lexical.issues] == ["no_support"]
    copy, made_up = get_checker("learned")(article, [COPY, invented]).sentences
    assert copy.verdict == "supported" and copy.issues == []
    assert made_up.verdict == "unsupported" and [i.kind for i in made_up.issues] == ["no_support"]
    assert "fitted support" in made_up.issues[0].detail  # the learned verdict's own reason
    reworded = "Schumer called it a historic moment."  # lexically unsupported, but not to the fitted score
    assert F.check(article, [reworded]).sentences[0].verdict == "unsupported"
    (again,) = get_checker("learned")(article, [reworded]).sentences
    assert again.verdict != "unsupported" and "no_support" not in [i.kind for i in again.issues]


@pytest.mark.parametrize("name", ["default", "learned"])
def test_a_checker_takes_an_article_index_built_once(name: str) -> None:
    # Many summaries of one article (a dataset's systems) index the article once: the report
    # from a shared ArticleIndex is the report from the article itself.
    from newsbrief.check import get_checker

    article = parse_text(
        "The Senate passed the bill on Tuesday by 62 votes to 38. The president is expected to sign it "
        "next week, aides said. Critics said the measure does too little for rural hospitals."
    )
    check = get_checker(name)
    index = F.ArticleIndex(article)
    for summary in ("The Senate passed the bill by 62 votes to 38.", "The Senate rejected the bill on Tuesday."):
        assert check(index, summary).to_dict() == check(article, summary).to_dict()
