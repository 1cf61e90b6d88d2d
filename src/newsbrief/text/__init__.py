"""Text utilities: sentence splitting, tokens, normalisation."""

from newsbrief.text.sentences import split_sentences, split_spans

__all__ = ["split_sentences", "split_spans"]
