"""Evaluation: ROUGE matches rouge-score, bootstrap behaves, the runner writes every output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rouge_score")
pytest.importorskip("numpy")

import numpy as np  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

from newsbrief.cli.evaluate import evaluate_command  # noqa: E402
from newsbrief.errors import InputError, UsageError  # noqa: E402
from newsbrief.evaluate import bootstrap_ci, evaluate, paired_bootstrap, parse_method, score_rouge  # noqa: E402
from newsbrief.evaluate.rouge import METRICS, text_lines  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def _direct(references: list[str], prediction: str) -> dict:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    return scorer.score_multi(references, prediction)


ROUGE_CASES = [
    # one sentence, one reference; stemming ("running" ~ "runs")
    ("The cat was running across the yard.", ["A cat runs across the yard."]),
    # multi-sentence: Lsum's union LCS over lines differs from plain LCS
    (
        "Police arrested two men on Friday.\nThe men were charged with theft.\nA car was found.",
        ["Two men were arrested by police.\nThey face theft charges after a car was found on Friday."],
    ),
    # multi-reference: the best reference differs per metric
    (
        "The mayor opened the new bridge.\nTraffic was heavy all day.",
        [
            "The new bridge was opened by the mayor.",
            "Traffic was heavy all day after the mayor opened the bridge.\nCommuters complained.",
            "Nothing in common here at all.",
        ],
    ),
    # no overlap at all
    ("Completely unrelated words.", ["Stocks fell sharply in Tokyo."]),
]


@pytest.mark.parametrize(("prediction", "references"), ROUGE_CASES)
def test_rouge_equals_rouge_score(prediction, references):
    ours = score_rouge(prediction, references)
    theirs = _direct(references, prediction)
    for metric in METRICS:
        assert ours[metric].precision == pytest.approx(theirs[metric].precision, abs=1e-12)
        assert ours[metric].recall == pytest.approx(theirs[metric].recall, abs=1e-12)
        assert ours[metric].f1 == pytest.approx(theirs[metric].fmeasure, abs=1e-12)


def test_multi_reference_takes_the_best_f1_per_metric_with_its_p_and_r():
    prediction, references = ROUGE_CASES[2]
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    single = [scorer.score(r, prediction) for r in references]
    ours = score_rouge(prediction, references)
    for metric in METRICS:
        best = max(single, key=lambda s: s[metric].fmeasure)[metric]
        assert (ours[metric].precision, ours[metric].recall, ours[metric].f1) == pytest.approx(tuple(best))


def test_lsum_reads_one_sentence_per_line():
    reference = "Two men were arrested. They face theft charges."
    one_line = score_rouge("They face theft charges. Two men were arrested.", [reference])["rougeLsum"].f1
    split = score_rouge(text_lines("They face theft charges. Two men were arrested."), [reference])["rougeLsum"].f1
    assert split == pytest.approx(1.0)
    assert one_line < split


def test_system_strings_are_split_into_lines():
    assert text_lines("Police arrested two men. The men were charged.") == (
        "Police arrested two men.\nThe men were charged."
    )
    assert text_lines("First line.\n\n Second  line.") == "First line.\nSecond line."


def test_bootstrap_interval_narrows_with_more_documents():
    rng = np.random.default_rng(42)
    small, large = rng.normal(0.4, 0.1, 20), rng.normal(0.4, 0.1, 200)
    a, b = bootstrap_ci(small, seed=0), bootstrap_ci(large, seed=0)
    assert a.lo < a.mean < a.hi and b.lo < b.mean < b.hi
    assert (b.hi - b.lo) < 0.6 * (a.hi - a.lo)  # ~1/sqrt(10) expected
    assert bootstrap_ci(small, seed=0) == a  # seeded: reruns agree


def test_paired_test_finds_a_planted_difference():
    rng = np.random.default_rng(1)
    base = rng.uniform(0.2, 0.6, 100)
    better = base + 0.02 + rng.normal(0, 0.02, 100)
    test = paired_bootstrap(better, base, resamples=1000, seed=0)
    assert test.diff == pytest.approx(float(np.mean(better - base)))
    assert test.p_value < 0.05
    assert test.lo > 0
    assert paired_bootstrap(base, better).p_value < 0.05  # two-sided


def test_paired_test_finds_nothing_between_identical_runs():
    scores = np.random.default_rng(2).uniform(0, 1, 50)
    test = paired_bootstrap(scores, scores.copy())
    assert test.diff == 0 and test.lo == 0 and test.hi == 0
    assert test.p_value == 1.0


def test_paired_test_needs_the_same_documents():
    with pytest.raises(ValueError):
        paired_bootstrap([0.1, 0.2], [0.1])


def test_method_specs():
    assert parse_method("lead:n=2") == ("lead", {"n": 2})
    assert parse_method("lead") == ("lead", {})
    assert parse_method("x:a=1.5,b=word,c=true") == ("x", {"a": 1.5, "b": "word", "c": True})
    assert parse_method(("lead", {"n": 4})) == ("lead", {"n": 4})
    for bad in ("lead:n", "lead:n=1,n=2", ":n=1", "lead:=3"):
        with pytest.raises(UsageError):
            parse_method(bad)


ARTICLES = [
    "Police in Springfield arrested two men on Friday after a string of car thefts. The men, both 24, "
    "were charged with theft and released on bail. Officers said a stolen car was found near the river. "
    "The investigation is continuing, a spokesman said.",
    "The mayor opened the new Harbour Bridge on Monday. Traffic was heavy all day as commuters tried "
    "the new route. The bridge cost $40 million and took three years to build. Some residents complained "
    "about the noise.",
    "Heavy rain flooded streets across the city on Tuesday. Schools closed early and buses were "
    "cancelled. Forecasters expect more rain later in the week. Residents were told to stay at home.",
    "A local baker won the national bread contest on Sunday. Her sourdough beat 200 entries from across "
    "the country. She said she would use the prize money to open a second shop.",
]


def _fixture(tmp_path: Path) -> Path:
    records = []
    for i, article in enumerate(ARTICLES):
        sentences = article.split(". ")
        records.append(
            {
                "id": f"doc-{i}",
                "article": article,
                "highlights": sentences[0] + ".\n" + sentences[1].rstrip(".") + ".",
                "references": [sentences[0] + ".", sentences[1].rstrip(".") + ".\nSomething else happened."],
                "systems": {
                    "LEAD-3": ". ".join(sentences[:3]).lower().capitalize().rstrip(".") + ".",
                    "Abstractive": "Something happened in the city. " + sentences[2].rstrip(".") + ".",
                    **({"Partial": sentences[1]} if i != 3 else {}),
                },
                "human": {},
            }
        )
    path = tmp_path / "eval.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_runner_writes_every_output(tmp_path):
    data = _fixture(tmp_path)
    preds = tmp_path / "mine.jsonl"
    preds.write_text(
        json.dumps({"id": "doc-0", "highlights": [{"text": "Police arrested two men.", "spans": [[0, 20]]}]})
        + "\n"
        + json.dumps({"id": "doc-1", "summary": "The mayor opened a bridge. Traffic was heavy."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = evaluate(
        data,
        methods=["lead", "lead:n=2"],
        preds=[preds],
        systems=True,
        reference="references",
        out_dir=out,
    )
    labels = [row.label for row in result.rows]
    assert labels[:3] == ["lead", "lead:n=2", "mine"]
    assert {"LEAD-3", "Abstractive", "Partial"} <= set(labels)
    assert len(result.doc_ids) == 4
    assert result.row("Partial").n == 3 and result.row("mine").n == 2
    assert any("Partial" in n and "1 of 4" in n for n in result.notes)
    assert result.row("lead").vs_baseline == {}
    assert set(result.row("LEAD-3").vs_baseline) == set(METRICS)
    assert result.row("lead:n=2").mean_sentences() == 2

    for name in ("results.md", "results.json", "scores.jsonl", "scores.png", "positions.png"):
        assert (out / name).is_file(), name
    for name in ("scores.png", "positions.png"):
        assert (out / name).read_bytes()[:8] == PNG
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "| LEAD-3 | published |" in table and "| lead | ours |" in table and "(baseline)" in table
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["n_docs"] == 4 and results["reference"] == "references" and results["bootstrap"]["seed"] == 0
    lead3 = next(r for r in results["rows"] if r["label"] == "LEAD-3")
    assert {"precision", "recall", "f1"} == set(lead3["scores"]["rouge1"])
    assert "p_value" in lead3["vs_baseline"]["rouge1"]
    assert "rouge-score" in results["versions"]
    lines = [json.loads(x) for x in (out / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == sum(row.n for row in result.rows)
    assert {"id", "system", "rouge1", "rouge2", "rougeLsum", "words", "summary"} <= set(lines[0])


def test_runner_scores_lead_like_the_published_lead(tmp_path):
    """Our lead and a lower-cased copy of the same sentences score the same (ROUGE ignores case)."""
    result = evaluate(_fixture(tmp_path), methods=["lead"], systems=True)
    lead, lead3 = result.row("lead"), result.row("LEAD-3")
    for metric in ("rouge1", "rouge2"):
        assert lead.f1(metric) == pytest.approx(lead3.f1(metric))
    assert lead3.vs_baseline["rouge1"].p_value == 1.0


def test_baseline_method_is_added_and_bad_options_are_usage_errors(tmp_path):
    data = _fixture(tmp_path)
    result = evaluate(data, methods=["lead-words:max_words=20"])
    assert [r.label for r in result.rows] == ["lead-words:max_words=20", "lead"]
    assert result.baseline == "lead"
    with pytest.raises(UsageError):
        evaluate(data, methods=["no-such-method"])
    with pytest.raises(UsageError):
        evaluate(data, reference="nope")
    with pytest.raises(UsageError):
        evaluate(data, baseline="LEAD-3")  # a system, but --systems not given
    with pytest.raises(UsageError):
        evaluate(data, resamples=10)
    with pytest.raises(InputError):
        evaluate(tmp_path / "missing.jsonl")


def test_cli_prints_the_table(tmp_path):
    data = _fixture(tmp_path)
    out = tmp_path / "cli-out"
    run = CliRunner().invoke(
        evaluate_command,
        [str(data), "--method", "lead:n=2", "--method", "lead", "--systems", "--out", str(out), "--seed", "3"],
    )
    assert run.exit_code == 0, run.output
    assert "| lead:n=2 | ours |" in run.stdout and "| LEAD-3 | published |" in run.stdout
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["bootstrap"]["seed"] == 3
    bad = CliRunner().invoke(evaluate_command, [str(data), "--method", "lead:n"])
    assert isinstance(bad.exception, UsageError)


def test_importing_the_cli_stays_light():
    code = "import sys, newsbrief.cli; print([m for m in ('numpy', 'rouge_score', 'matplotlib') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_position_plot_shows_every_series_even_identical_ones() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from newsbrief.evaluate import report

    ax = Figure().subplots()
    same = [0.1, 0.1, 0.3, 0.5]
    report._dodged_hist(ax, [("highlights", same), ("lead", list(same))], [i / 10 for i in range(11)])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["highlights (4)", "lead (4)"]
    first, second = ax.containers
    assert first.patches[0].get_facecolor() != second.patches[0].get_facecolor()
    for a, b in zip(first.patches, second.patches, strict=True):  # side by side, never on top of each other
        assert a.get_x() + a.get_width() <= b.get_x() + 1e-9
