"""Contrary verbs ("passed" / "rejected", "rose" / "fell"): the lexicon behind the checker's
verb contradictions, kept as data in ``data/contrary_verbs.tsv``.

Why a list: a summary that keeps every word of its article sentence but turns the verb
into its contrary ("The Senate rejected the bill" for "passed") shares nearly all its
word pairs with the article, so overlap alone calls it supported. The list is small and
news-shaped; add a line there, not a code path.
"""

from __future__ import annotations

from importlib.resources import files

__all__ = ["CONTRARY", "SAME_SENSE", "SYMMETRIC_VERBS", "contrary_pairs"]


def contrary_pairs(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The (left forms, right forms) of each line of a contrary-verbs table."""
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        left, _, right = line.partition("\t")
        if not right.strip():
            raise ValueError(f"contrary verbs: no tab-separated second sense in {line!r}")
        out.append((frozenset(left.lower().split()), frozenset(right.lower().split())))
    return out


def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    text = files("newsbrief.nlp").joinpath("data", "contrary_verbs.tsv").read_text(encoding="utf-8")
    contrary: dict[str, set[str]] = {}
    same: dict[str, set[str]] = {}
    for left, right in contrary_pairs(text):
        for side, other in ((left, right), (right, left)):
            for form in side:
                contrary.setdefault(form, set()).update(other)
                same.setdefault(form, set()).update(side)
    # A form on both sides of some line ("lost" beside "won" and beside "gained") keeps its
    # contraries; a form never contradicts a form of its own sense.
    return (
        {f: frozenset(c - same[f]) for f, c in contrary.items()},
        {f: frozenset(s) for f, s in same.items()},
    )


# Form -> the forms that contradict it; form -> the forms of its own sense (itself included).
CONTRARY, SAME_SENSE = _tables()
# Verbs whose subject and object can trade places without changing the fact ("Obama met
# Putin" is "Putin met Obama"; "the bill passed the Senate" is "the Senate passed the bill"):
# never reported as swapped roles.
SYMMETRIC_VERBS = frozenset(
    """meet meets met meeting face faces faced facing play plays played playing draw draws drew
    drawn tie ties tied marry marries married talk talks talked spoke speak join joins joined
    share shares shared sharing pass passes passed clear clears cleared and or with versus vs v""".split()
)
