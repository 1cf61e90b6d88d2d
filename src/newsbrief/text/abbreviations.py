"""Word lists the sentence splitter consults: rules as data, not code paths.

Each set is lower-case and without the final period. Tuned on the hand-labelled news
boundaries in ``bench/data/sentence_gold.jsonl`` (see ``bench/sentence_split.py``); change
them together with that benchmark, not one by one.
"""

# Always followed by a name or number, never the end of a sentence.
TITLES = frozenset(
    """mr mrs ms messrs dr prof gov sen rep reps gen lt col maj capt cpl sgt adm cmdr supt
    insp det pc st ste mt ft rev fr hon pres atty sr jr""".split()
)
# Never end a sentence when a number follows ("No. 10", "Jan. 5", "Vol. 3").
BEFORE_NUMBER = frozenset(
    """no nos vol vols art fig figs pp p ch sec jan feb mar apr jun jul aug sep sept oct nov
    dec est approx ca c""".split()
)
MONTHS = frozenset("jan feb apr jun jul aug sep sept oct nov dec".split())  # not "mar", "may"
# Abbreviations that can end a sentence ("... Apple Inc. The company"): a boundary only when
# the next word is one that usually starts a sentence (SENTENCE_STARTERS).
ENDING = frozenset(
    """inc ltd co corp llc plc bros etc al jr sr vs v am pm a.m p.m u.s u.k u.n e.u
    u.s.a d.c l.a n.y n.j""".split()
)
# Capitalised words that very often open a sentence and rarely follow an abbreviation
# mid-sentence. Used to decide "U.S. The ..." (boundary) versus "U.S. Senate" (none).
SENTENCE_STARTERS = frozenset(
    """a an the he she it they we i you his her its their our my your this that these those
    there here but and or so yet if when while after before since as at in on for from by
    with without to of about during however meanwhile then now later still also even
    what who why how where which one some many most all both each no not nor police
    officials authorities""".split()
)
# Fixed phrases from news pages that end a unit even without a period
# ("Scroll down for video An outfit worn ...").
UNPUNCTUATED_ENDINGS = (
    "Scroll down for video",
    "Scroll down for videos",
    "Scroll down to watch the video",
    "Click here to watch the video",
    "Watch the video below",
    "See the video below",
)
