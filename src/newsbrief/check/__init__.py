"""Checkers of a summary's faithfulness to its article.

The default, offline checker is ``newsbrief.faithfulness.check``; ``NLIChecker`` reads meaning
with an entailment model (the ``hf`` extra) for abstractive summaries. Both return a
``FaithfulnessReport``.
"""

from newsbrief.check.nli import NLIChecker

__all__ = ["NLIChecker"]
