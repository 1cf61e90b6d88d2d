"""newsbrief.pipeline: one method resolution, one record shape, one error table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsbrief
from newsbrief.article import Article, Summary
from newsbrief.errors import BackendError, InputError, UsageError
from newsbrief.ingest import iter_records
from newsbrief.pipeline import ERRORS, Pipeline, error_code, exit_code, http_status, resolve_method
from newsbrief.service.errors import ERROR_CODES

FIXTURES = Path(__file__).parent / "fixtures"


def test_resolve_method_checks_settings_once_with_a_one_line_error() -> None:
    choice = resolve_method("lead:n=2", {"n": None})
    assert (choice.name, choice.settings, choice.label) == ("lead", {"n": 2}, "lead:n=2")
    assert resolve_method("lead", {"n": "3"}).settings == {"n": 3}  # text from --set is typed
    with pytest.raises(UsageError, match=r"setting 'n' of method 'lead' must be an integer .* got 'abc'"):
        resolve_method("lead:n=abc")
    with pytest.raises(UsageError, match="unknown method 'nope'"):
        resolve_method("nope")


def test_error_table_maps_every_library_error_and_agrees_with_the_service_codes() -> None:
    assert [exit_code(e("x")) for e in (UsageError, InputError, BackendError)] == [2, 3, 4]
    assert exit_code(RuntimeError("bug")) == 1 and error_code(RuntimeError("bug")) == "internal_error"
    assert error_code(BackendError("down")) == "backend_failed" and http_status(BackendError("down")) == 502
    for _, _, code in ERRORS:
        assert code in ERROR_CODES  # every code the table names is one the service documents


def test_record_has_one_shape_with_timings_by_stage(seed_text: str) -> None:
    record = Pipeline(resolve_method("lead:n=2"), analyze=True, check=True).run(lambda: newsbrief.parse(seed_text))
    data = json.loads(record.to_json())
    assert list(data)[0] == "id"
    assert set(data) == {
        "id", "method", "settings", "highlights", "explain", "analysis", "faithfulness", "notes", "timings",
        "schema_version",
    }  # fmt: skip
    assert set(data["timings"]) == {"read", "summarize", "analyze", "check"}
    assert all(v >= 0 for v in data["timings"].values())
    assert isinstance(data["faithfulness"]["verdict"], str) and data["faithfulness"]["sentences"]
    assert record.summary is not None and record.summary.faithfulness == data["faithfulness"]
    assert data["analysis"] is not None and len(data["highlights"]) == 2
    assert json.loads(record.to_json(timings=False))["timings"] == {}


def test_the_checker_runs_once_and_only_in_the_pipeline(seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbrief.check.learned as learned
    import newsbrief.faithfulness as faithfulness

    calls = []
    real = faithfulness.check

    def counting(article: Article, summary: object) -> object:
        calls.append(1)
        return real(article, summary)  # type: ignore[arg-type]

    monkeypatch.setattr(faithfulness, "check", counting)
    monkeypatch.setattr(learned, "check", counting)  # the default checker's own lexical pass
    article = newsbrief.parse(seed_text)
    Pipeline(resolve_method("lead"), check=True).run(article)
    assert calls == [1]
    Pipeline(resolve_method("lead")).run(article)  # lead does not ask for a check
    assert calls == [1]


def test_a_given_summary_is_checked_instead_of_written(seed_text: str) -> None:
    article = newsbrief.parse(seed_text)
    record = Pipeline(check=True).run(article, id="pair-1", summary="Putin met Erdogan in St. Petersburg.")
    data = record.to_dict()
    assert data["id"] == "pair-1" and data["faithfulness"]["sentences"]
    assert data["method"] is None and data["settings"] is None and data["explain"] is None  # not ours
    (highlight,) = data["highlights"]  # one per checked sentence, with the checker's verdict
    assert highlight["text"] == "Putin met Erdogan in St. Petersburg."
    assert highlight["support"]["verdict"] == data["faithfulness"]["sentences"][0]["verdict"]


def test_read_errors_and_library_errors_become_records_bugs_raise_unless_caught() -> None:
    def unreadable() -> Article:
        raise InputError("input has no article text")

    record = Pipeline(resolve_method("lead")).run(unreadable, id="x")
    assert record.to_dict() == {
        "id": "x",
        "source": None,
        "line": None,
        "error": "input has no article text",
        "error_code": "unreadable_input",
    }
    assert record.exit_code == 3

    class Boom:
        name = "boom"

        def summarize(self, article: Article) -> Summary:
            raise ZeroDivisionError("bug")

    article = Article(body="Some text.")
    with pytest.raises(ZeroDivisionError):
        Pipeline(summarizer=Boom()).run(article)
    caught = Pipeline(summarizer=Boom(), catch=True).run(article)
    assert caught.exit_code == 1 and caught.error == "internal error: ZeroDivisionError: bug"


def test_run_all_keeps_bad_jsonl_lines_as_error_records(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "article": "One sentence here. Two sentences here."}\nnot json\n', encoding="utf-8")
    records = list(Pipeline(resolve_method("lead")).run_all(iter_records(path), source=str(path)))
    assert [r.ok for r in records] == [True, False]
    assert records[1].id == f"{path}:2" and records[1].line == 2 and records[1].error.startswith("line 2:")
    assert "read" in records[0].timings


def test_summarizers_do_not_import_the_checker() -> None:
    for name in ("llm", "hf"):
        source = (Path(newsbrief.__file__).parent / "summarize" / f"{name}.py").read_text(encoding="utf-8")
        assert "attach_faithfulness" not in source and "faithfulness import" not in source
