from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"


# The slowest test files, slowest first (pytest --durations, 2 cores). ``make test`` runs pytest
# on every core with ``--dist loadfile``: each file's tests run on one worker (its module
# fixtures, a server, a browser, a Ray session, a parsed dev set, are built once), and files are
# handed out in collection order, so the long ones go first and no worker is left with one
# at the end. A file not listed keeps its place after these; a stale list only costs balance.
SLOWEST_FIRST = (
    "tests/test_service_fuzz.py",
    "tests/test_service_process.py",
    "tests/test_fuzz_library.py",
    "tests/batch/test_batch.py",
    "tests/batch/test_batch_ray.py",
    "tests/test_html_reader.py",
    "tests/test_bad_input.py",
    "tests/test_lines.py",
    "tests/e2e/test_web.py",
    "tests/test_pages_dev.py",
    "tests/test_page_variants.py",
    "tests/summarize/test_hf.py",
    "tests/nlp/test_sentences.py",
    "tests/evaluate/test_evaluate.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist only (a worker has ``workerinput``): the slowest files first. Every
    worker collects the same list and sorts it the same way (a stable sort), as xdist requires."""
    if not hasattr(config, "workerinput"):
        return
    rank = {path: i for i, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def seed_path() -> Path:
    return FIXTURES / "cnn-erdogan-putin.txt"


@pytest.fixture
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class CliResult:
    """What a ``newsbrief`` run gave: exit code, stdout and stderr (decoded)."""

    code: int
    out: str
    err: str

    @property
    def out_lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def invoke_cli(*args: str | Path, stdin: bytes | None = None, env: dict[str, str] | None = None) -> CliResult:
    """``newsbrief ARGS`` in this process (``newsbrief.cli.main``, exit codes and all), with
    click's ``CliRunner`` isolation for the standard streams: milliseconds, not a start-up."""
    from newsbrief.cli import main

    runner = CliRunner()
    with runner.isolation(input=stdin if stdin is not None else b"", env={"NEWSBRIEF_DEBUG": None, **(env or {})}) as (
        out,
        err,
        _,
    ):
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))


def subprocess_cli(
    *args: str | Path, stdin: bytes | None = None, script: bool = False, timeout: float = 60
) -> CliResult:
    """``newsbrief ARGS`` as a real process (``python -m newsbrief``, or the console script):
    for the few tests about processes themselves (start-up, pipes, signals, entry points)."""
    env = dict(os.environ)
    env.pop("NEWSBRIEF_DEBUG", None)
    env["PYTHONIOENCODING"] = "utf-8"
    prog = [str(Path(sys.executable).parent / "newsbrief")] if script else [sys.executable, "-m", "newsbrief"]
    proc = subprocess.run(
        [*prog, *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env=env,
    )
    return CliResult(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """In-process ``newsbrief`` (see ``invoke_cli``)."""
    return invoke_cli


@pytest.fixture
def seed(seed_path: Path) -> Path:
    """The bundled sample article, a CNN page as scraped."""
    return seed_path
