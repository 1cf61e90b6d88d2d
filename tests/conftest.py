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
