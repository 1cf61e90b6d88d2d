"""Aligning model-written highlights to their best-supporting article sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsbrief
from conftest import SHARED_DEV
from newsbrief import Article
from newsbrief.summarize import align as align_mod
from newsbrief.summarize.align import (
    AlignmentIndex,
    align,
    aligned_highlights,
    content_words,
)

BODY = (
    "Turkish President Recep Tayyip Erdogan met Vladimir Putin in St. Petersburg on Tuesday.\n\n"
    "It was his first trip abroad since a failed coup attempt last month.\n\n"
    "Russia imposed sanctions after Turkey shot down a Russian warplane in November.\n\n"
    "The sanctions cost Turkey's tourism industry about 1,834 million dollars.\n\n"
    "Putin said Russia would restore trade ties step by step."
)


@pytest.fixture(scope="module")
def article() -> Article:
    return newsbrief.parse(BODY)


def test_content_words_normalise_lightly() -> None:
    assert content_words("The sanctions cost Turkey's tourists $1,834 million.") == [
        "sanction",
        "cost",
        "turkey",
        "tourist",
        "1834",
        "million",
    ]
    assert content_words("Café ’s naïve") == ["cafe", "naive"]
    assert content_words("the of and it") == []


def test_verbatim_sentence_aligns_to_itself_with_full_support(article: Article) -> None:
    s = article.sentences[2]
    ids, spans, score = align(article, s.text)
    assert ids == [s.id]
    assert spans == [(s.start, s.end)]
    assert score == 1.0


def test_paraphrase_finds_its_sentence(article: Article) -> None:
    found = align(article, "Putin promised to restore trade ties with Turkey gradually.")
    assert found.sentence_ids == [4]
    assert 0.4 < found.score < 1.0


def test_fused_highlight_gets_two_sentences_in_article_order(article: Article) -> None:
    text = "Erdogan met Putin in St. Petersburg, his first trip abroad since the failed coup."
    found = align(article, text)
    assert found.sentence_ids == [0, 1]
    assert found.spans == [(s.start, s.end) for s in article.sentences[:2]]
    assert found.score > 0.8
    for start, end in found.spans:
        assert article.body[start:end] in BODY


def test_unsupported_text_scores_low_or_zero(article: Article) -> None:
    assert align(article, "Aliens landed in Paris.") == ([], [], 0.0)
    assert align(article, "") == ([], [], 0.0)
    partly = align(article, "Putin announced a moon base and a cure for cancer in Ankara.")
    assert partly.score < 0.5


def test_rare_words_decide_the_match(article: Article) -> None:
    # "Turkey" is in two sentences, the number only in one; the first pick is the number's.
    assert align(article, "Turkey: 1,834 million").sentence_ids == [3]
    index = AlignmentIndex(article)
    assert index.weight("unseen") > index.weight("1834") > index.weight("turkey")


def test_within_limits_candidates(article: Article) -> None:
    index = AlignmentIndex(article)
    assert index.align("Putin said Russia would restore trade ties.").sentence_ids == [4]
    limited = index.align("Putin said Russia would restore trade ties.", within=[0, 1, 2])
    assert limited.sentence_ids and set(limited.sentence_ids) <= {0, 1, 2}
    assert limited.score < 0.6
    assert index.align("Putin said Russia would restore trade ties.", within=[]).sentence_ids == []


def test_max_sentences_and_min_gain(article: Article) -> None:
    text = BODY.replace("\n\n", " ")
    assert len(align(article, text, max_sentences=5).sentence_ids) == 5
    assert len(align(article, text).sentence_ids) == 3
    assert len(align(article, text, min_gain=1.0).sentence_ids) == 1


def test_empty_article() -> None:
    assert align(Article(), "Anything at all.") == ([], [], 0.0)


def test_aligned_highlights_and_weak_support_notes(article: Article) -> None:
    notes: list[str] = []
    hs = aligned_highlights(article, ["Putin said Russia would restore trade ties.", "Aliens landed."], notes=notes)
    assert [h.text for h in hs] == ["Putin said Russia would restore trade ties.", "Aliens landed."]
    assert hs[0].sentence_ids == [4] and hs[0].score == 1.0
    assert hs[1].sentence_ids == [] and hs[1].score == 0.0
    assert notes == ["highlight 2 is weakly supported by the article (support 0.00): check it"]


def test_one_index_aligns_every_sentence_of_a_long_article(seed_text: str) -> None:
    article = newsbrief.parse(seed_text * 20)
    index = AlignmentIndex(article)
    for s in article.sentences[:200]:
        assert index.align(s.text).score == 1.0


def test_module_imports_nothing_heavy() -> None:
    source = Path(align_mod.__file__).read_text(encoding="utf-8")
    assert "torch" not in source and "httpx" not in source


class _CountingList(list):  # type: ignore[type-arg]
    """A list that counts item reads: how many sentences the greedy cover looked at."""

    reads = 0

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        type(self).reads += 1
        return super().__getitem__(i)


def test_work_per_text_is_bounded_however_many_sentences_share_its_words() -> None:
    """A word in every one of 3,000 sentences (a hostile ``POST /v1/check``) proposes at most
    ``MAX_CANDIDATES`` of them: aligning a text is not a pass over the whole article."""
    body = " ".join(f"Police said suspect{i} fled town{i} quickly." for i in range(3000))
    index = AlignmentIndex(newsbrief.parse(body, format="plain"))
    assert len(index.article.sentences) == 3000
    index._words = _CountingList(index._words)  # type: ignore[assignment]
    found = index.align("Police said suspect2999 fled.")
    assert found.sentence_ids == [index.article.sentences[2999].id]  # the rare word still finds its sentence
    assert _CountingList.reads <= 3 * align_mod.MAX_CANDIDATES + 3


@pytest.mark.skipif(not (SHARED_DEV / "summeval.jsonl").exists(), reason=f"dev data not found at {SHARED_DEV}")
def test_alignment_does_not_depend_on_string_hashing() -> None:
    """Sums over sets are exactly rounded, so processes with different hash seeds agree. The
    case: a SummEval sentence whose second supporting sentence gains exactly ``min_gain``; it
    was chosen in some processes and not in others."""
    import os
    import subprocess
    import sys

    code = (
        "import json, newsbrief; from newsbrief.summarize.align import AlignmentIndex\n"
        "for line in open({!r}):\n"
        "    r = json.loads(line)\n"
        "    if r['id'] == 'dm-test-f468efac7b3c54f8c42c2c81dff108c52ebe0d7d':\n"
        "        ix = AlignmentIndex(newsbrief.parse(r['article']))\n"
        "        print(ix.align('Chelsea captain john terry comes in from behind with a strong challenge on radamel falcao.'))"
    ).format(str(SHARED_DEV / "summeval.jsonl"))
    outs = set()
    for seed in map(str, range(8)):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        )
    assert len(outs) == 1 and "sentence_ids" in outs.pop()
