"""``name:key=value,...`` method specs, shared by ``summarize`` and ``evaluate``.

Why a mini syntax: ``--method lead:n=2 --method lead:n=4`` compares settings of one method
side by side in one run, with one row each, without a flag per setting.
"""

from __future__ import annotations

import re
from typing import Any

from newsbrief.errors import UsageError

MethodSpec = tuple[str, dict[str, Any]]

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _value(text: str) -> Any:
    """Ints and floats become numbers, true/false/none their Python values, the rest stays text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("none", "null"):
        return None
    return text


def parse_method(spec: str | MethodSpec) -> MethodSpec:
    """``"lead:n=2,x=0.5"`` -> ``("lead", {"n": 2, "x": 0.5})``; a tuple is checked and passed on."""
    if isinstance(spec, tuple):
        given_name, given = spec
        if not isinstance(given_name, str) or not isinstance(given, dict):
            raise UsageError(f"method spec {spec!r}: expected (name, settings dict)")
        return given_name, dict(given)
    name, _, rest = spec.strip().partition(":")
    name = name.strip()
    if not _NAME.match(name):
        raise UsageError(f"method spec {spec!r}: expected NAME or NAME:key=value,key=value")
    settings: dict[str, Any] = {}
    for part in rest.split(",") if rest.strip() else []:
        key, eq, raw = part.partition("=")
        key = key.strip()
        if not eq or not _KEY.match(key) or not raw.strip():
            raise UsageError(f"method spec {spec!r}: bad setting {part.strip()!r} (expected key=value)")
        if key in settings:
            raise UsageError(f"method spec {spec!r}: setting {key!r} given twice")
        settings[key] = _value(raw.strip())
    return name, settings


def method_label(name: str, settings: dict[str, Any]) -> str:
    """The row label: the name alone, or ``name:key=value,...`` in the order given."""
    if not settings:
        return name
    return name + ":" + ",".join(f"{k}={v}" for k, v in settings.items())
