"""Parsers for word lists written as text blocks: the lists stay readable as data."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """Whitespace-separated entries."""
    return frozenset(text.split())


def lines(text: str) -> frozenset[str]:
    """One entry per line (multi-word names), lower-case, blank lines skipped."""
    return frozenset(line.strip().lower() for line in text.strip().splitlines() if line.strip())
