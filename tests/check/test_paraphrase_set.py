"""The hand-written paraphrase / perturbation set (bench/data/paraphrase.jsonl) keeps its schema
and invariants: valid kinds and labels, a split fixed by the article id, balanced labels, and,
when ../shared/data/dev is there, every source sentence found in its article."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_DEV

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "paraphrase.jsonl"
TRUE_KINDS = {"reworded", "compressed", "fused"}
FALSE_KINDS = {"entity_swap", "number_change", "negation", "role_swap", "wrong_attribution", "invented", "bad_deletion"}
FIELDS = {"set", "article_id", "split", "source_sentence", "claim", "kind", "label"}
GAP = " [...] "  # joins source sentences that are not next to each other in the article


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


ROWS = _rows()


def test_every_row_has_the_schema_and_a_label_that_matches_its_kind() -> None:
    for row in ROWS:
        assert set(row) == FIELDS, row
        assert row["set"] in {"summeval", "qags"}
        assert row["split"] in {"fit", "test"}
        assert row["kind"] in TRUE_KINDS | FALSE_KINDS
        assert row["label"] == ("true" if row["kind"] in TRUE_KINDS else "false"), row
        assert row["claim"].strip() and row["claim"] == row["claim"].strip()
        # Only an invented detail has no article sentence behind it.
        assert (row["source_sentence"] == "") == (row["kind"] == "invented"), row


def test_the_set_is_large_balanced_and_covers_every_kind() -> None:
    labels = Counter(r["label"] for r in ROWS)
    assert len(ROWS) >= 300
    assert abs(labels["true"] - labels["false"]) <= 0.1 * len(ROWS)
    kinds = Counter(r["kind"] for r in ROWS)
    assert set(kinds) == TRUE_KINDS | FALSE_KINDS
    assert min(kinds.values()) >= 10
    articles = {(r["set"], r["article_id"]) for r in ROWS}
    assert Counter(s for s, _ in articles) == {"summeval": 35, "qags": 15}
    per_article = Counter(r["article_id"] for r in ROWS)
    assert min(per_article.values()) >= 5


def test_no_claim_is_repeated_or_a_plain_copy_of_its_source() -> None:
    claims = Counter(r["claim"] for r in ROWS)
    assert [c for c, n in claims.items() if n > 1] == []
    for row in ROWS:
        for piece in row["source_sentence"].split(GAP):
            assert _norm(row["claim"]) != _norm(piece), row


def test_the_split_is_fixed_by_article_id_and_halves_each_set() -> None:
    """Half of each set's articles (rounded up) go to ``fit``: those first when ranked by
    sha1("paraphrase-split:" + article_id); every claim of an article shares its split."""
    splits: dict[str, set[str]] = defaultdict(set)
    for row in ROWS:
        splits[row["article_id"]].add(row["split"])
    assert all(len(s) == 1 for s in splits.values())
    for name in ("summeval", "qags"):
        ids = sorted({r["article_id"] for r in ROWS if r["set"] == name})
        ranked = sorted(ids, key=lambda i: hashlib.sha1(f"paraphrase-split:{i}".encode()).hexdigest())
        half = (len(ranked) + 1) // 2
        assert {i: next(iter(splits[i])) for i in ids} == {
            i: "fit" if k < half else "test" for k, i in enumerate(ranked)
        }
    for split in ("fit", "test"):
        assert {r["label"] for r in ROWS if r["split"] == split} == {"true", "false"}
        assert {r["set"] for r in ROWS if r["split"] == split} == {"summeval", "qags"}


def _dev_articles() -> dict[tuple[str, str], list[str]]:
    """Every article text each (set, article_id) could name in the dev files."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for line in (SHARED_DEV / "summeval.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            found["summeval", r["id"]].append(r["article"])
    for line in (SHARED_DEV / "qags_cnn_dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line)["article"]
            key = ("qags", hashlib.sha1(text.encode("utf-8")).hexdigest()[:12])
            if text not in found[key]:
                found[key].append(text)
    return found


@pytest.mark.skipif(not (SHARED_DEV / "summeval.jsonl").exists(), reason=f"dev data not found at {SHARED_DEV}")
def test_each_article_id_names_one_dev_article_holding_its_source_sentences() -> None:
    articles = _dev_articles()
    for row in ROWS:
        texts = articles.get((row["set"], row["article_id"]), [])
        assert len(texts) == 1, (row["set"], row["article_id"], len(texts))
        if row["source_sentence"]:
            body = _norm(texts[0])
            for piece in row["source_sentence"].split(GAP):
                assert _norm(piece) in body, (row["article_id"], piece)
