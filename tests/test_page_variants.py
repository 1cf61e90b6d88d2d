"""The page-variants set (bench/page_variants.py): SummEval articles in eleven outlets' layouts.

The set itself is checked (deterministic, truthful, not one fixed string per layout), the
scorer is checked on articles built to be right and wrong, and then the reader is scored:
>= 95% of pages fully right and no default highlight opening with a dateline (issue 12).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from newsbrief.article import Article
from newsbrief.ingest.build import set_body

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "page_variants.py"
DATA = ROOT / "bench" / "data" / "page_variants.jsonl"
SUMMEVAL = ROOT.parent / "shared" / "data" / "dev" / "summeval.jsonl"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("page_variants", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["page_variants"] = module
    spec.loader.exec_module(module)
    return module


pv = _load_script()


@pytest.fixture(scope="module")
def variants() -> list[dict]:
    return pv.load_variants(DATA)


@pytest.fixture(scope="module")
def scored(variants: list[dict]) -> dict:
    return pv.score(variants)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _article_from_truth(truth: dict) -> Article:
    article = Article(title=truth["title"], dateline=truth["dateline"], source=truth["source"], byline=truth["byline"])
    article.reference_highlights = list(truth["highlights"])
    return set_body(article, [(p, None) for p in truth["paragraphs"]])


# --- the set ------------------------------------------------------------------------------


@pytest.mark.skipif(not SUMMEVAL.exists(), reason="needs ../shared/data/dev/summeval.jsonl")
def test_data_file_is_what_the_generator_writes(variants: list[dict]) -> None:
    from random import Random

    stories = pv.load_stories(SUMMEVAL, 20, Random(12))
    assert pv.generate(stories, 12) == variants


def test_at_least_ten_layouts_of_twenty_articles(variants: list[dict]) -> None:
    per_layout = Counter(v["layout"] for v in variants)
    assert len(per_layout) >= 10
    assert set(per_layout.values()) == {20}
    for required in (
        "cnn_old",
        "cnn_new",
        "reuters",
        "ap",
        "bbc",
        "guardian",
        "daily_mail",
        "nyt",
        "blog",
        "dpa_german",
    ):
        assert required in per_layout


def test_every_line_is_labelled_and_the_truth_is_printed(variants: list[dict]) -> None:
    for v in variants:
        lines = _lines(v["text"])
        assert len(lines) == len(v["labels"]), v["id"]
        assert set(v["labels"]) <= set(pv.LABELS)
        body = [line for line, label in zip(lines, v["labels"], strict=True) if label == "body"]
        truth = v["truth"]
        first = (
            f"{truth['dateline_text']} {truth['paragraphs'][0]}" if truth["dateline_text"] else truth["paragraphs"][0]
        )
        assert body == [first, *truth["paragraphs"][1:]], v["id"]
        shown = [line for line, label in zip(lines, v["labels"], strict=True) if label == "highlight"]
        assert shown == truth["highlights"], v["id"]
        assert truth["title"] in lines


def test_furniture_is_drawn_not_fixed(variants: list[dict]) -> None:
    """Within a layout, the furniture around different articles differs (seeded draws)."""
    for layout in {v["layout"] for v in variants}:
        furniture = {
            tuple(
                line
                for line, label in zip(_lines(v["text"]), v["labels"], strict=True)
                if label in ("navigation", "share", "footer", "cookie", "newsletter", "ad")
            )
            for v in variants
            if v["layout"] == layout
        }
        assert len(furniture) >= 10, layout


def test_layouts_carry_their_outlets_marks(variants: list[dict]) -> None:
    by_layout: dict[str, str] = {}
    for v in variants:
        by_layout[v["layout"]] = by_layout.get(v["layout"], "") + v["text"]
    assert "Story highlights" in by_layout["cnn_old"] or "STORY HIGHLIGHTS" in by_layout["cnn_old"]
    assert "(CNN) --" in by_layout["cnn_old"]
    assert "(CNN) —" in by_layout["cnn_new"] and "ET, " in by_layout["cnn_new"]
    assert (
        "(Reuters) -" in by_layout["reuters"]
        and "Our Standards: The Thomson Reuters Trust Principles." in by_layout["reuters"]
    )
    assert "(AP) —" in by_layout["ap"] and "Associated Press writer" in by_layout["ap"]
    assert "Getty Images" in by_layout["bbc"] and "Related Topics" in by_layout["bbc"]
    assert "Photograph: " in by_layout["guardian"] and "Key points" in by_layout["guardian"]
    assert "PUBLISHED: " in by_layout["daily_mail"] and "Scroll down for video" in by_layout["daily_mail"]
    assert "Continue reading the main story" in by_layout["nyt"]
    assert "affiliate links" in by_layout["blog"] and "Leave a Reply" in by_layout["blog"]
    assert "(dpa) -" in by_layout["dpa_german"] and "Datenschutz" in by_layout["dpa_german"]


# --- the scorer ---------------------------------------------------------------------------


def test_scorer_accepts_the_truth_itself(variants: list[dict]) -> None:
    for v in variants:
        assert pv.judge(_article_from_truth(v["truth"]), v)["fully_right"], v["id"]


def test_scorer_catches_furniture_lost_paragraphs_and_wrong_metadata(variants: list[dict]) -> None:
    v = next(x for x in variants if x["layout"] == "reuters")
    truth = v["truth"]
    furniture = next(
        line for line, label in zip(_lines(v["text"]), v["labels"], strict=True) if label == "footer" and len(line) > 20
    )
    with_furniture = _article_from_truth({**truth, "paragraphs": [*truth["paragraphs"], furniture]})
    assert not pv.judge(with_furniture, v)["no_furniture"]
    lost = _article_from_truth({**truth, "paragraphs": truth["paragraphs"][1:]})
    assert not pv.judge(lost, v)["paragraphs_kept"]
    undated = _article_from_truth({**truth, "dateline": None, "source": None})
    result = pv.judge(undated, v)
    assert not result["dateline"] and not result["source"] and not result["fully_right"]
    invented = _article_from_truth({**truth, "highlights": ["Something else."]})
    assert not pv.judge(invented, v)["highlights"]


def test_dateline_opening_is_recognised() -> None:
    v = {"truth": {"dateline_text": "LONDON (Reuters) -"}}
    texts = [
        "LONDON (Reuters) - Shares fell.",
        "(CNN) -- The president spoke.",
        "Hong Kong (CNN) — Crowds gathered.",
        "WASHINGTON — The Senate voted.",
        "Officials told (AP) reporters nothing.",
        "Paul Merson has restarted his row.",
    ]
    assert pv.dateline_highlights(texts, v) == texts[:4]


# --- the reader on the set ----------------------------------------------------------------


def test_reader_never_crashes_on_a_variant(scored: dict) -> None:
    assert scored["layouts"]["all"]["errors"] == 0, [r for r in scored["rows"] if "error" in r][:3]


def test_at_least_95_percent_of_pages_fully_right(scored: dict) -> None:
    """Over the eleven layouts the reader was fixed on (the held-out layout is reported apart)."""
    per_layout = {k: round(t["fully_right"], 2) for k, t in scored["layouts"].items()}
    assert scored["layouts"]["all"]["fully_right"] >= 0.95, json.dumps(per_layout)


def test_no_default_highlight_opens_with_a_dateline(scored: dict) -> None:
    offenders = [h for r in scored["rows"] for h in r["dateline_highlights"]]
    assert offenders == []
