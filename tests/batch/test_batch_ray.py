"""The Ray engine gives the same records as the local engine (Ray in local mode, 2 CPUs).

Slow-ish (Ray start-up, a few seconds): select with ``pytest tests/test_batch_ray.py`` or
leave out with ``-k 'not ray'``. Skipped when Ray Data cannot be imported.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_batch import article_text, corpus, make_tree, read_lines, write_jsonl

from newsbrief.batch import run_batch
from newsbrief.batch.output import errors_path

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # Ray Data's own config shims
    pytest.mark.slow,  # a Ray session takes seconds to start and each test runs several
]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """Ray is imported here, not when the file is collected (a CPU second per pytest worker,
    also when these slow tests are deselected); every test here uses this fixture."""
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def slow_method() -> Iterator[str]:
    from test_batch import plugin

    plugin.register_all()
    yield "test-slow"
    plugin.unregister_all()


def both(src: str, tmp_path: Path, **kwargs: Any) -> tuple[Path, Path]:
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    a = run_batch(src, str(local), engine="local", workers=2, progress=False, **kwargs)
    b = run_batch(src, str(on_ray), engine="ray", workers=2, progress=False, **kwargs)
    assert (a.written, a.failed, a.skipped) == (b.written, b.failed, b.skipped)
    return local, on_ray


def same(a: Path, b: Path) -> None:
    assert read_lines(a) and Counter(read_lines(a)) == Counter(read_lines(b))
    ea, eb = Path(errors_path(str(a))), Path(errors_path(str(b)))
    assert Counter(read_lines(ea)) == Counter(read_lines(eb))


def test_ray_same_records_as_local_with_errors_timeout_and_resume(
    tmp_path: Path, local_ray: None, slow_method: str
) -> None:
    recs: list[Any] = corpus(60)
    recs[4] = "{not json"
    recs[10] = {"id": "no-text", "body": "x"}
    recs[11] = {"article": article_text(11)}  # id from file and line
    recs[20] = {"id": "doc-0", "article": article_text(20)}  # duplicate id
    recs[30] = {"id": "slow", "article": article_text(30, "SLOWDOWN here.")}
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    local, on_ray = both(str(src), tmp_path, method=slow_method, timeout=0.5, chunk_size=8)
    same(local, on_ray)
    assert len(read_lines(Path(errors_path(str(on_ray))))) == 4  # bad JSON, no text, duplicate, timeout
    # resume on Ray: keep 25 records and half a line, rerun
    lines = read_lines(on_ray)
    on_ray.write_text("\n".join(lines[:25]) + "\n" + lines[25][:40], encoding="utf-8")
    again = run_batch(str(src), str(on_ray), engine="ray", workers=2, method=slow_method, timeout=0.5, progress=False)
    assert again.skipped == 25
    same(local, on_ray)


def test_ray_directory_input_with_relative_paths(
    tmp_path: Path, local_ray: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path / "news")
    monkeypatch.chdir(tmp_path)
    local, on_ray = both("news", tmp_path, method="lead")
    same(local, on_ray)
    assert "news/sub/b.story" in Path(on_ray).read_text(encoding="utf-8")
