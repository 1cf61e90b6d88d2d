"""The neural methods cost nothing until used: no torch/transformers/httpx at import time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsbrief import UsageError
from newsbrief.summarize import hf as hf_mod
from newsbrief.summarize.base import get_summarizer, methods

HEAVY = ("torch", "transformers", "httpx")

CODE = f"""
import sys
import newsbrief
before = set(sys.modules)
import newsbrief.summarize.align, newsbrief.summarize.hf, newsbrief.summarize.llm
from newsbrief.summarize.base import get_summarizer
try:
    get_summarizer("llm", model="m")  # building the llm client object sends and imports nothing
except newsbrief.NewsbriefError:
    pass  # httpx not installed: also fine here
new = set(sys.modules) - before
print(sorted(m for m in new if m.split(".")[0] in {HEAVY!r}))
"""


def test_importing_and_registering_imports_nothing_heavy() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_methods_are_registered() -> None:
    import newsbrief.summarize.llm  # noqa: F401

    listed = methods()
    assert "needs [hf]" in listed["hf"] and "needs [llm]" in listed["llm"]


def test_missing_hf_extra_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = hf_mod.importlib.util.find_spec
    monkeypatch.setattr(hf_mod.importlib.util, "find_spec", lambda name: None if name == "torch" else real(name))
    with pytest.raises(UsageError) as info:
        get_summarizer("hf", model="facebook/bart-large-cnn")
    assert str(info.value) == "method 'hf' needs the hf extra: pip install 'newsbrief[hf]' (torch is not installed)"


def test_settings_are_checked_before_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hf_mod.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(UsageError, match="'strategy' of method 'hf' must be one of truncate, chunk"):
        get_summarizer("hf", strategy="all")
