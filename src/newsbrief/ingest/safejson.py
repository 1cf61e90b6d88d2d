"""JSON parsing with limits checked before the parser runs.

Why: ``json.loads`` recurses once per nesting level, so one line of ``[[[[...`` 100,000 deep
raises ``RecursionError`` (a crash, not a bad record), and integers past 4,300 digits raise a
plain ``ValueError``. Every JSON that comes from outside (JSONL records, request bodies,
settings fields) goes through :func:`loads`, which answers all of these with one
``JSONLimitError`` (a ``ValueError``) in linear time.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

__all__ = ["MAX_DEPTH", "JSONLimitError", "loads"]

MAX_DEPTH = 64  # an article record or a settings object is 2-3 levels deep
_STRING = re.compile(rb'"[^"]*(?:"|\Z)')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = tuple(1 if b in b"[{" else -1 if b in b"]}" else 0 for b in range(256))
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONLimitError(ValueError):
    """Not valid JSON, or JSON past a limit (depth, number size); the message says which."""


def nesting_depth(data: str | bytes) -> int:
    """The deepest bracket nesting outside strings, in linear time at C speed.

    Escaped backslashes and quotes are dropped first (they cannot end a string), strings (an
    unterminated one runs to the end) are cut out with one regex, everything but brackets is
    deleted with ``bytes.translate``, and the running depth is a C-level ``accumulate``: a
    10 MB line of ``[]`` takes a fraction of a second, not the seconds of a Python loop.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    if not brackets:
        return 0
    return max(0, max(accumulate(map(_STEP.__getitem__, brackets))))


def _scrub(value: Any) -> Any:
    """Lone surrogates in every string (keys too) -> U+FFFD; depth is bounded by ``loads``."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` before parsing, and turns
    lone surrogates (``"\\ud800"`` escapes, which no encoder downstream accepts) into U+FFFD."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw.count(b"[") + raw.count(b"{") > max_depth and nesting_depth(raw) > max_depth:
        raise JSONLimitError(f"JSON nested deeper than {max_depth} levels")
    try:
        value = json.loads(data)
        if _SURROGATE_ESCAPE.search(raw):
            value = _scrub(value)
        return value
    except json.JSONDecodeError as exc:
        raise JSONLimitError(f"not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        raise JSONLimitError(f"not valid UTF-8 JSON: {exc}") from None
    except (ValueError, RecursionError) as exc:  # an integer past sys.get_int_max_str_digits()
        raise JSONLimitError(f"JSON past a limit: {exc}") from None
