"""``newsbrief check --checker default|learned|nli``: one report shape from every checker."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import invoke_cli

INVENTED = "Putin announced a $5 billion loan to Turkey."
COPIED = "Turkish President Recep Tayyip Erdogan is in the Russian city of St. Petersburg."


def test_the_learned_checker_gives_the_same_report_shape(tmp_path: Path, seed_path: Path) -> None:
    summary = tmp_path / "s.txt"
    summary.write_text(f"{COPIED}\n{INVENTED}\n", encoding="utf-8")
    reports = {}
    for checker in ("default", "learned", "lexical"):
        r = invoke_cli(
            "check",
            "--article",
            seed_path,
            "--summary",
            summary,
            "--per-line",
            "--checker",
            checker,
            "--format",
            "json",
        )
        assert r.code == 0, r.err
        reports[checker] = json.loads(r.out)
    lexical, learned = reports["lexical"], reports["learned"]
    assert reports["default"] == learned  # the default checker is the learned one
    assert set(lexical) == set(learned)
    assert [s["text"] for s in learned["sentences"]] == [COPIED, INVENTED]
    assert learned["sentences"][0]["score"] > learned["sentences"][1]["score"]
    assert learned["thresholds"] != lexical["thresholds"]  # its own fitted cut-offs


def test_nli_needs_a_model_and_other_checkers_take_none(tmp_path: Path, seed_path: Path) -> None:
    summary = tmp_path / "s.txt"
    summary.write_text(COPIED, encoding="utf-8")
    r = invoke_cli("check", "--article", seed_path, "--summary", summary, "--checker", "nli")
    assert r.code == 2 and "--checker nli needs --model" in r.err
    r = invoke_cli("check", "--article", seed_path, "--summary", summary, "--model", "x")
    assert r.code == 2 and "--model and --device are for --checker nli" in r.err
    r = invoke_cli(
        "check", "--article", seed_path, "--summary", summary, "--checker", "nli", "--model", tmp_path / "absent"
    )
    assert r.code == 2 and "cannot load NLI model" in r.err
