"""Language rules shared by readers, summarizers, analysis and the checker, kept in one place.

``sentences`` (the news sentence splitter) with its word lists in ``abbreviations``;
``tokens`` (one tokenizer with offsets, phrase keys, negations); ``stem`` (light stemming);
``stopwords`` (stop lists per consumer and per language); ``lexicon`` (cue words for quotes,
entities, numbers, negation) and ``gazetteer`` (names of people, places, organisations).
Everything here is offline, pure and deterministic: rules as data, no models.
"""

from newsbrief.nlp.sentences import split_sentences, split_spans
from newsbrief.nlp.stem import loose_stem, stem
from newsbrief.nlp.tokens import Token, phrase_key, tokens

__all__ = ["Token", "loose_stem", "phrase_key", "split_sentences", "split_spans", "stem", "tokens"]
