"""Errors with a stable meaning for callers and CLI exit codes."""

from __future__ import annotations


class NewsbriefError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class UsageError(NewsbriefError):
    """The caller asked for something that cannot work (unknown method, bad option)."""

    exit_code = 2


class InputError(NewsbriefError):
    """The input cannot be read as an article: empty, binary, too large, no text, bad JSON."""

    exit_code = 3


class BackendError(NewsbriefError):
    """A summarization backend (an LLM endpoint, a model) failed while working."""

    exit_code = 4
