"""``newsbrief evaluate --label``: the checker's ROC AUC, balanced accuracy and Kendall tau-b,
their bootstrap intervals over articles, and the command end to end."""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("rouge_score")  # evaluate's report helpers import it

import numpy as np  # noqa: E402

from newsbrief.evaluate.bootstrap import percentile_interval, resample_counts, resample_means  # noqa: E402
from newsbrief.evaluate.checker import (  # noqa: E402
    balanced_accuracy,
    bigram_precision,
    kendall_tau_b,
    roc_auc,
    score_rows,
    weighted_auc,
    weighted_kendall_tau_b,
)

ARTICLE = (
    "The city council voted on Tuesday to close the old bridge over the river. "
    "Mayor Anna Lind said repairs would cost 12 million dollars. "
    "The bridge, built in 1931, carries about 9,000 cars a day. "
    "Work on a new crossing is to start next spring, the council said."
)


def _brute_auc(scores, positive):
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    wins = sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


def _brute_tau_b(x, y):
    """Kendall tau-b from its definition: (nc - nd) / sqrt((n0 - n1) (n0 - n2))."""
    nc = nd = tx = ty = 0
    pairs = list(itertools.combinations(range(len(x)), 2))
    for i, j in pairs:
        dx, dy = x[i] - x[j], y[i] - y[j]
        tx += dx == 0
        ty += dy == 0
        if dx * dy > 0:
            nc += 1
        elif dx * dy < 0:
            nd += 1
    n0 = len(pairs)
    return (nc - nd) / math.sqrt((n0 - tx) * (n0 - ty))


# --- ROC AUC ----------------------------------------------------------------------------------


def test_auc_perfect_inverted_and_tied():
    positive = [False, False, True, True]
    assert roc_auc([0.1, 0.2, 0.8, 0.9], positive) == 1.0
    assert roc_auc([0.9, 0.8, 0.2, 0.1], positive) == 0.0
    assert roc_auc([0.5, 0.5, 0.5, 0.5], positive) == 0.5


def test_auc_hand_cases_count_ties_half():
    # pairs (pos, neg): (0.35, 0.1) right, (0.35, 0.4) wrong, (0.8, 0.1) and (0.8, 0.4) right
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(3 / 4)
    # (0.5, 0.5) tied: half; the other three right
    assert roc_auc([0.5, 0.5, 0.2, 0.9], [True, False, False, True]) == pytest.approx(3.5 / 4)


def test_auc_is_nan_with_one_class():
    assert math.isnan(roc_auc([0.1, 0.2], [True, True]))


def test_auc_equals_pair_count_on_random_data_with_ties():
    rng = random.Random(3)
    scores = [rng.choice([0.0, 0.25, 0.5, 0.75, 1.0]) for _ in range(60)]
    positive = [rng.random() < 0.4 for _ in range(60)]
    assert roc_auc(scores, positive) == pytest.approx(_brute_auc(scores, positive), abs=1e-12)


# --- Kendall tau-b ----------------------------------------------------------------------------


def test_tau_b_hand_cases():
    assert kendall_tau_b([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert kendall_tau_b([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # 6 pairs; 2 tied in y, the other 4 concordant: 4 / sqrt(6 * 4)
    assert kendall_tau_b([1, 2, 3, 4], [1, 1, 2, 2]) == pytest.approx(4 / math.sqrt(24))
    assert math.isnan(kendall_tau_b([1, 2, 3], [5, 5, 5]))


def test_tau_b_equals_its_definition_on_graded_labels():
    rng = random.Random(7)
    n = 300  # more than one block of the pair matrix
    x = [round(rng.random(), 2) for _ in range(n)]
    y = [rng.choice([1, 2, 3, 4, 5]) for _ in range(n)]
    assert kendall_tau_b(x, y) == pytest.approx(_brute_tau_b(x, y), abs=1e-12)


def test_tau_b_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(11)
    x = [rng.random() for _ in range(80)]
    y = [rng.choice([0, 1 / 3, 2 / 3, 1]) for _ in range(80)]
    assert kendall_tau_b(x, y) == pytest.approx(stats.kendalltau(x, y, variant="b").statistic, abs=1e-12)


def test_weights_count_rows_as_repeated_copies():
    """The bootstrap scores a resample through its draw counts: weight k must equal k copies."""
    rng = random.Random(5)
    x = [rng.choice([0.1, 0.3, 0.6, 0.9]) for _ in range(25)]
    y = [rng.choice([1.0, 3.0, 5.0]) for _ in range(25)]
    pos = [v == 5.0 for v in y]
    counts = [rng.choice([0, 1, 2, 3]) for _ in range(25)]
    copies = [i for i, k in enumerate(counts) for _ in range(k)]
    w = np.asarray(counts, dtype=float)
    assert weighted_auc(x, pos, w)[0] == pytest.approx(roc_auc([x[i] for i in copies], [pos[i] for i in copies]))
    assert weighted_kendall_tau_b(x, y, w)[0] == pytest.approx(
        _brute_tau_b([x[i] for i in copies], [y[i] for i in copies])
    )


# --- balanced accuracy, bigram precision ------------------------------------------------------


def test_balanced_accuracy():
    positive = [True, True, True, False]
    # true positive rate 2/3, true negative rate 1
    assert balanced_accuracy([True, True, False, False], positive) == pytest.approx((2 / 3 + 1) / 2)
    # everything called consistent: 1 and 0, whatever the share of positives
    assert balanced_accuracy([True] * 4, positive) == pytest.approx(0.5)


def test_bigram_precision():
    assert bigram_precision("The city council voted on Tuesday.", ARTICLE) == 1.0
    # pairs: the mayor / mayor anna / anna lind / lind resigned: 2 of 4 in the article ("mayor anna", "anna lind")
    assert bigram_precision("The mayor Anna Lind resigned", ARTICLE) == pytest.approx(2 / 4)
    # highlights are scored one by one: no pair across two of them
    assert bigram_precision(["Mayor Anna", "Lind said"], ARTICLE) == 1.0
    assert bigram_precision("Word", ARTICLE) == 1.0


# --- bootstrap ----------------------------------------------------------------------------------


def test_resample_counts_are_the_draws_of_resample_means():
    values = np.asarray([0.3, 1.0, 0.0, 0.5, 0.9, 0.2])
    counts = resample_counts(values.size, 1000, seed=4)
    assert counts.shape == (1000, 6) and (counts.sum(axis=1) == 6).all()
    assert np.allclose(counts @ values / 6, resample_means(values, 1000, seed=4))


def test_percentile_interval_leaves_out_undefined_resamples():
    iv = percentile_interval(0.5, [0.4, float("nan"), 0.6, 0.5])
    assert 0.4 <= iv.lo < iv.hi <= 0.6
    assert math.isnan(percentile_interval(0.5, [float("nan")]).lo)


def _dataset(seed=2, articles=30, per_article=4):
    rng = random.Random(seed)
    scores, labels, groups, baseline = [], [], [], []
    for g in range(articles):
        for _ in range(per_article):
            label = rng.choice([1.0, 2.0, 4.0, 5.0, 5.0])
            scores.append(min(1.0, max(0.0, label / 5 + rng.gauss(0, 0.25))))
            baseline.append(min(1.0, max(0.0, label / 5 + rng.gauss(0, 0.4))))
            labels.append(label)
            groups.append(g)
    positive = [v == 5.0 for v in labels]
    predicted = [s >= 0.7 for s in scores]
    return scores, labels, positive, predicted, baseline, groups


def test_intervals_contain_the_point_and_repeat_with_the_seed():
    data = _dataset()
    checker, base, tests = score_rows(*data, resamples=1000, seed=0)
    for iv in (checker.roc_auc, checker.kendall_tau_b, checker.balanced_accuracy, base.roc_auc, base.kendall_tau_b):
        assert iv is not None and iv.lo <= iv.mean <= iv.hi and iv.lo < iv.hi
    assert checker.roc_auc.mean == pytest.approx(roc_auc(data[0], data[2]))
    assert tests["roc_auc"].diff == pytest.approx(checker.roc_auc.mean - base.roc_auc.mean)
    assert tests["roc_auc"].lo <= tests["roc_auc"].diff <= tests["roc_auc"].hi
    again = score_rows(*data, resamples=1000, seed=0)
    assert again == (checker, base, tests)
    other = score_rows(*data, resamples=1000, seed=1)[0]
    assert other.roc_auc.mean == checker.roc_auc.mean and other.roc_auc.lo != checker.roc_auc.lo


def test_bootstrap_resamples_articles_not_rows():
    scores, labels, positive, predicted, baseline, _ = _dataset(articles=1, per_article=40)
    # one article: every resample draws it, with all its rows, so there is no spread at all
    one = score_rows(scores, labels, positive, predicted, baseline, [0] * 40, resamples=1000)[0]
    assert one.roc_auc.lo == one.roc_auc.mean == one.roc_auc.hi
    # the same rows as 40 articles: rows resampled one by one
    many = score_rows(scores, labels, positive, predicted, baseline, list(range(40)), resamples=1000)[0]
    assert many.roc_auc.lo < many.roc_auc.mean < many.roc_auc.hi


# --- the command --------------------------------------------------------------------------------

QAGS_ROWS = [
    ("The city council voted on Tuesday to close the old bridge over the river.", 1.0),
    ("Mayor Anna Lind said repairs would cost 12 million dollars.", 1.0),
    ("The bridge, built in 1931, carries about 9,000 cars a day.", 1.0),
    ("Work on a new crossing is to start next spring.", 1.0),
    ("Mayor Anna Lind said repairs would cost 40 million dollars.", 0.0),
    ("The city council voted on Friday to open a new airport.", 0.0),
    ("Police arrested Anna Lind after the bridge collapsed in 1990.", 0.0),
    ("The bridge carries about 9,000 cars a day. President Obama will rebuild it.", 0.5),
]


def _qags_file(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    lines = [
        json.dumps({"id": f"r{i}", "article": ARTICLE, "summary": s, "fact": fact})
        for i, (s, fact) in enumerate(QAGS_ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_scores_the_checker_on_pairs(run_cli, tmp_path):
    data = _qags_file(tmp_path)
    result = run_cli("evaluate", data, "--label", "fact", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    table = result.out_lines
    assert table[0].startswith("| scorer | n | ROC AUC | balanced accuracy | Kendall")
    assert table[2].startswith("| checker default | 8 |") and table[3].startswith("| bigram precision | 8 |")
    assert "positive: fact >= 1" in result.out and "4 positive, 4 not" in result.out
    report = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (tmp_path / "out" / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(8)]
    assert report["n_rows"] == 8 and report["n_articles"] == 1
    # the figures in results.json are those of the per-row scores written beside them
    auc = roc_auc([r["score"] for r in rows], [r["positive"] for r in rows])
    assert report["rows"][0]["roc_auc"]["value"] == pytest.approx(auc, abs=1e-5)
    assert auc > 0.75  # copied sentences score above invented ones
    tau = kendall_tau_b([r["bigram_precision"] for r in rows], [r["label"] for r in rows])
    assert report["rows"][1]["kendall_tau_b"]["value"] == pytest.approx(tau, abs=1e-5)
    ba = balanced_accuracy([r["verdict"] == "consistent" for r in rows], [r["positive"] for r in rows])
    assert report["rows"][0]["balanced_accuracy"]["value"] == pytest.approx(ba)
    assert report["rows"][1]["balanced_accuracy"] is None
    assert report["command"] == f"newsbrief evaluate {data} --label fact --out {tmp_path / 'out'}"
    assert "checked 8 summaries of 1 articles" in result.err


def test_cli_threshold_sets_the_operating_point(run_cli, tmp_path):
    data = _qags_file(tmp_path)
    result = run_cli("evaluate", data, "--label", "fact", "--threshold", "0", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    report = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert report["rows"][0]["balanced_accuracy"]["value"] == 0.5  # everything called consistent
    assert "score >= 0 (--threshold)" in result.out


def test_cli_quiet_prints_only_the_table(run_cli, tmp_path):
    result = run_cli("evaluate", _qags_file(tmp_path), "--label", "fact", "-q")
    assert result.code == 0 and result.err == ""
    assert "| checker default | 8 |" in result.out


def test_cli_positive_maps_a_graded_label(run_cli, tmp_path):
    data = _qags_file(tmp_path)
    result = run_cli("evaluate", data, "--label", "fact", "--positive", "0.5")
    assert result.code == 0, result.err
    assert "positive: fact >= 0.5 (5 positive, 3 not)" in result.out


def test_cli_expands_systems(run_cli, tmp_path):
    records = [
        {
            "id": "a1",
            "article": ARTICLE,
            "systems": {"copy": QAGS_ROWS[0][0], "wrong": QAGS_ROWS[4][0], "other": QAGS_ROWS[5][0]},
            "human": {"copy": {"consistency": 5.0}, "wrong": {"consistency": 2.0}, "other": {"consistency": 1.0}},
        },
        {
            "id": "a2",
            "article": ARTICLE.replace("river", "canal"),
            "systems": {"copy": QAGS_ROWS[1][0], "wrong": QAGS_ROWS[6][0], "other": QAGS_ROWS[2][0]},
            "human": {"copy": {"consistency": 5.0}, "wrong": {"consistency": 1.0}},  # 'other' unrated
        },
    ]
    data = tmp_path / "summeval.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run_cli("evaluate", data, "--label", "consistency", "--systems", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert "| checker default | 5 |" in result.out and "5 summaries of 2 articles" in result.out
    assert "positive: consistency >= 5" in result.out and "skipped 1 row(s) without a numeric label" in result.out
    rows = [json.loads(line) for line in (tmp_path / "out" / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["system"]) for r in rows] == [
        ("a1:copy", "copy"),
        ("a1:wrong", "wrong"),
        ("a1:other", "other"),
        ("a2:copy", "copy"),
        ("a2:wrong", "wrong"),
    ]
    assert [r["article"] for r in rows] == [0, 0, 0, 1, 1]


def test_cli_the_readme_fixture(run_cli, fixtures):
    result = run_cli("evaluate", fixtures / "checker-labels.jsonl", "--label", "consistency", "--systems")
    assert result.code == 0, result.err
    assert "| checker default | 48 |" in result.out and "48 summaries of 3 articles" in result.out


def test_cli_unreadable_line_is_exit_3_after_the_table(run_cli, tmp_path):
    data = _qags_file(tmp_path)
    data.write_text(data.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    result = run_cli("evaluate", data, "--label", "fact")
    assert result.code == 3
    assert "| checker default | 8 |" in result.out and "could not be read" in result.err


@pytest.mark.parametrize("shape", [[], ["--systems"]])
def test_cli_a_directory_is_exit_3(run_cli, tmp_path, shape):
    result = run_cli("evaluate", tmp_path, "--label", "fact", *shape)
    assert result.code == 3
    assert result.err.startswith("newsbrief: error: ") and len(result.err_lines) == 1 and not result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "fact", "--method", "lead"], "--method score ROUGE"),
        (["--threshold", "0.5"], "--threshold need --label"),
        (["--label", "fact", "--positive", "2"], "every row is negative"),
        (["--label", "fact", "--model", "x"], "--model and --device are for --checker nli"),
        (["--label", "fact", "--checker", "nli"], "--checker nli needs --model"),
        (["--label", "fact", "--systems", "--summary-field", "text"], "--summary-field is for pairs"),
    ],
)
def test_cli_usage_errors(run_cli, tmp_path, args, message):
    result = run_cli("evaluate", _qags_file(tmp_path), *args)
    assert result.code == 2
    assert message in result.err
