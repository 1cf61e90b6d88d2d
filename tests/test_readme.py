"""The README's Python example runs as written (keeps the README true)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_readme_python_examples_run(capsys):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert "St. Petersburg, Russia CNN" in capsys.readouterr().out


def test_readme_names_the_two_setup_commands():
    head = (REPO / "README.md").read_text(encoding="utf-8")[:2000]
    assert "make run" in head and "make test" in head


def test_readme_and_docs_command_lines_run():
    """Every ``$ newsbrief ...`` line of a console block in README.md and docs/*.md exits 0
    (piped or redirected lines are run up to the first pipe; lines needing files the text
    creates first, such as ``s.txt``, are skipped)."""
    from conftest import invoke_cli

    cwd = os.getcwd()
    os.chdir(REPO)
    ran = 0
    try:
        for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
            for line in re.findall(r"^\$ newsbrief (.+)$", path.read_text(encoding="utf-8"), re.M):
                command = line.split("|")[0].split(">")[0].split("<")[0]
                args = shlex.split(command)
                if any(a.endswith(".txt") and not Path(a).exists() for a in args) or "serve" in args[:1]:
                    continue
                result = invoke_cli(*args)
                assert result.code == 0, (path.name, line, result.err)
                ran += 1
    finally:
        os.chdir(cwd)
    assert ran >= 3
