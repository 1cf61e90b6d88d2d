"""What each batch process imports. The parent only opens and splits input, so it must not load
the readers; a worker module must not load the parent's side; the fork server preloads all a
worker parses with, so N workers do not import it N times. Each case runs in a fresh interpreter:
this one has long since imported everything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsbrief.batch
import newsbrief.ingest
from newsbrief.batch.worker import PRELOAD
from newsbrief.ingest import READERS

FIXTURES = Path(__file__).parents[1] / "fixtures"
# The readers and what only they import: the page model and its line model.
READER_MODULES = {*READERS, "newsbrief.ingest.page", "newsbrief.ingest.lines", "newsbrief.ingest.features"}


def _loaded(code: str) -> set[str]:
    """The newsbrief modules a fresh interpreter holds after running ``code`` (which may set ``new``)."""
    script = f"import json, sys\nnew = None\n{code}\nprint(json.dumps(sorted(new if new is not None else sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return {m for m in json.loads(out.splitlines()[-1]) if m.startswith("newsbrief")}


def test_the_batch_parent_does_not_import_the_readers() -> None:
    loaded = _loaded("import newsbrief.cli.batch, newsbrief.batch.local")
    assert "newsbrief.batch.runner" in loaded and "newsbrief.ingest" in loaded
    assert loaded & READER_MODULES == set()


def test_a_worker_module_does_not_import_the_parent_side() -> None:
    loaded = _loaded("import newsbrief.batch.worker")
    assert "newsbrief.pipeline" in loaded
    assert loaded & {"newsbrief.batch.runner", "newsbrief.batch.output", "newsbrief.batch.progress"} == set()


def test_the_fork_server_preload_covers_what_a_worker_parses_with() -> None:
    inputs = {
        "page.html": "html",
        "sample.story": "story",
        "dailymail-scraped.txt": "scraped",
        "cnn-erdogan-putin.txt": "plain",
    }
    code = "\n".join(
        [
            f"import {', '.join(PRELOAD)}",
            "from newsbrief.ingest import parse_text",
            "before = set(sys.modules)",
            *(
                f"parse_text(open({str(FIXTURES / name)!r}, encoding='utf-8').read(), format={fmt!r})"
                for name, fmt in inputs.items()
            ),
            "new = set(sys.modules) - before",
        ]
    )
    assert _loaded(code) == set()


def test_the_lazy_names_are_importable_as_before() -> None:
    from newsbrief.batch import ENGINES, BatchResult, run_batch, runner
    from newsbrief.ingest import (
        detect_language,
        html,
        language,
        read_html,
        read_plain,
        read_scraped,
        read_story,
        story,
        text,
    )

    assert (read_plain, read_scraped, read_story, read_html) == (
        text.read_plain,
        text.read_scraped,
        story.read_story,
        html.read_html,
    )
    assert detect_language is language.detect_language
    assert (ENGINES, BatchResult, run_batch) == (runner.ENGINES, runner.BatchResult, runner.run_batch)
    assert newsbrief.batch.__all__ == ["ENGINES", "BatchResult", "run_batch"]
    with pytest.raises(AttributeError, match="no attribute 'read_pdf'"):
        _ = newsbrief.ingest.read_pdf
    with pytest.raises(ImportError):
        from newsbrief.batch import run_everything  # noqa: F401
