"""The llm method without its extra: a clear message, not an ImportError."""

from __future__ import annotations

import pytest

from newsbrief import UsageError
from newsbrief.summarize import llm as llm_mod
from newsbrief.summarize.base import get_summarizer


def test_missing_llm_extra_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = llm_mod.importlib.util.find_spec
    monkeypatch.setattr(llm_mod.importlib.util, "find_spec", lambda name: None if name == "httpx" else real(name))
    with pytest.raises(UsageError) as info:
        get_summarizer("llm", model="llama3.2")
    assert str(info.value) == "method 'llm' needs the llm extra: pip install 'newsbrief[llm]' (httpx is not installed)"


def test_model_is_required() -> None:
    with pytest.raises(UsageError, match="give the model the endpoint serves, e.g. model=llama3.2"):
        get_summarizer("llm")
