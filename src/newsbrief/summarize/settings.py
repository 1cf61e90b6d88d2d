"""Declared method settings: each setting's type, range, and who may set it.

Why declare them: a setting arrives as text from the command line (``--set n=abc``), as any
JSON value from a service client (``1e308``, ``NaN``, ``"3"``, a list) or as a Python value, and
the method should see only values it can work with. Each registered method lists its
``Setting``s once; ``coerce_settings`` turns what was given into typed, finite, in-range values
or raises one ``UsageError`` naming the setting and what it expects. Settings that name a host,
a file, a model or an environment variable, or that set how much the server spends, are
``operator`` settings: a service client can never set them (``client=True``).
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from newsbrief.errors import UsageError

__all__ = ["MAX_TEXT", "Setting", "coerce_settings", "from_dataclass"]

MAX_TEXT = 2048  # longest text value a setting takes (URLs, model names)
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a method."""

    name: str
    kind: type  # int, float, bool or str
    default: Any = None
    low: float | None = None  # inclusive bounds for numbers
    high: float | None = None
    choices: tuple[str, ...] | None = None  # allowed texts (for ``many``: allowed items)
    many: bool = False  # a tuple of ``kind`` values; the CLI spells it ``a+b``
    nullable: bool = False  # ``None`` allowed (means "automatic" or "no limit")
    operator: bool = False  # names a host, file, model, env var or a server cost: never from a client
    help: str = ""

    def expected(self) -> str:
        """What a valid value looks like, for error messages and docs."""
        if self.many:
            what = "a list of " + (", ".join(self.choices) if self.choices else "texts")
        elif self.choices:
            what = "one of " + ", ".join(self.choices)
        elif self.kind is bool:
            what = "true or false"
        elif self.kind is int:
            what = "an integer" + _range(self.low, self.high)
        elif self.kind is float:
            what = "a finite number" + _range(self.low, self.high)
        else:
            what = "a text"
        return what + (" (or none)" if self.nullable else "")

    def coerce(self, value: Any) -> Any:
        """The value as the method takes it; ``ValueError`` (with what is wrong) otherwise."""
        if value is None and self.many:
            return ()
        if value is None or (isinstance(value, str) and value.lower() in ("none", "null") and self.nullable):
            if self.nullable:
                return None
            raise ValueError("none is not allowed")
        if self.many:
            items = value.split("+") if isinstance(value, str) else value
            if not isinstance(items, list | tuple):
                raise ValueError("not a list")
            out = tuple(self._one(item) for item in items if not (isinstance(item, str) and not item.strip()))
            return out
        return self._one(value)

    def _one(self, value: Any) -> Any:
        kind = self.kind
        if kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
                return value.lower() in _TRUE
            raise ValueError("not true or false")
        if kind is int:
            if isinstance(value, str) and len(value.strip()) <= 20:
                try:
                    value = int(value.strip())
                except ValueError:
                    raise ValueError("not an integer") from None
            if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError("not an integer")
            return self._bounded(value)
        if kind is float:
            if isinstance(value, str) and len(value.strip()) <= 40:
                try:
                    value = float(value.strip())
                except ValueError:
                    raise ValueError("not a number") from None
            if isinstance(value, int) and not isinstance(value, bool):
                if abs(value) > 2**63:
                    raise ValueError("out of range")
                value = float(value)
            if not isinstance(value, float):
                raise ValueError("not a number")
            if not math.isfinite(value):
                raise ValueError("not finite")
            return self._bounded(value)
        if not isinstance(value, str):
            raise ValueError("not a text")
        if len(value) > MAX_TEXT:
            raise ValueError(f"longer than {MAX_TEXT} characters")
        if self.choices is not None and value not in self.choices:
            raise ValueError("not a known choice")
        return value

    def _bounded(self, value: int | float) -> int | float:
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ValueError("out of range")
        return value


def _range(low: float | None, high: float | None) -> str:
    def show(x: float) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"

    if low is not None and high is not None:
        return f" from {show(low)} to {show(high)}"
    if low is not None:
        return f" of at least {show(low)}"
    if high is not None:
        return f" of at most {show(high)}"
    return ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def coerce_settings(
    method: str,
    declared: Iterable[Setting],
    given: Mapping[str, Any],
    *,
    open_extra: bool = False,
    client: bool = False,
) -> dict[str, Any]:
    """Typed values for ``given``; ``UsageError`` naming the first bad setting.

    ``open_extra``: the method also takes settings it does not declare (passed on as they are,
    e.g. transformers generation settings); a client may never set those. ``client``: the
    values come from a service client, who may not set ``operator`` settings.
    """
    table = {s.name: s for s in declared}
    out: dict[str, Any] = {}
    for key, value in given.items():
        setting = table.get(key)
        if setting is None:
            if open_extra and not client:
                out[key] = value
                continue
            known = ", ".join(sorted(s.name for s in table.values() if not (client and s.operator))) or "nothing"
            raise UsageError(f"method {method!r} does not take setting {key!r}; it takes: {known}")
        if client and setting.operator:
            raise UsageError(f"setting {key!r} of method {method!r} is set by the server's operator, not by requests")
        try:
            out[key] = setting.coerce(value)
        except ValueError as exc:
            raise UsageError(
                f"setting {key!r} of method {method!r} must be {setting.expected()}, got {_show(value)} ({exc})"
            ) from None
    return out


def from_dataclass(cls: type, **overrides: Mapping[str, Any]) -> tuple[Setting, ...]:
    """Settings from a config dataclass's fields: type and default from the field, bounds and
    help from its ``metadata`` (``low``, ``high``, ``choices``, ``operator``, ``help``)."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in fields(cls):
        hint = hints[f.name]
        many = typing.get_origin(hint) is tuple
        nullable = False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            nullable, hint = True, args[0]
        kind = str if many else hint
        default = f.default if f.default is not MISSING else None
        meta = {**f.metadata, **overrides.get(f.name, {})}
        out.append(Setting(f.name, kind, default, many=many, nullable=nullable, **meta))
    return tuple(out)
