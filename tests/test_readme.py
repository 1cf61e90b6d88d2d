"""The README's Python example runs as written (keeps the README true)."""

from __future__ import annotations

import os
import re
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
