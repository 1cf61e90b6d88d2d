"""Abbreviations and the other word lists the sentence splitter consults: rules as data.

Each set is lower-case and without the final period. Tuned on the hand-labelled news
boundaries in ``bench/data/sentence_gold.jsonl`` (see ``bench/sentence_split.py``); change
them together with that benchmark, not one by one.
"""

# Always followed by a name or number, never the end of a sentence.
TITLES = frozenset(
    """mr mrs ms messrs dr prof gov sen rep reps gen lt col maj capt cpl sgt adm cmdr supt insp
    det pc st ste mt ft rev fr hon pres atty sr jr""".split()
)
# Never end a sentence when a number follows ("No. 10", "Jan. 5", "Vol. 3").
BEFORE_NUMBER = frozenset(
    """no nos vol vols art fig figs pp p ch sec jan feb mar apr jun jul aug sep sept oct nov
    dec est approx ca c""".split()
)
MONTHS = frozenset("""jan feb apr jun jul aug sep sept oct nov dec""".split())  # not "mar", "may"
# Abbreviations that can end a sentence ("... Apple Inc. The company"): a boundary only when
# the next word is one that usually starts a sentence (SENTENCE_STARTERS).
ENDING = frozenset(
    """inc ltd co corp llc plc bros etc al jr sr vs v am pm a.m p.m u.s u.k u.n e.u u.s.a d.c
    l.a n.y n.j""".split()
)
# Capitalised words that very often open a sentence and rarely follow an abbreviation
# mid-sentence. Used to decide "U.S. The ..." (boundary) versus "U.S. Senate" (none).
SENTENCE_STARTERS = frozenset(
    """a an the he she it they we i you his her its their our my your this that these those
    there here but and or so yet if when while after before since as at in on for from by
    with without to of about during however meanwhile then now later still also even what
    who why how where which one some many most all both each no not nor police officials
    authorities""".split()
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
# Caption run-ons: Daily Mail captions lose their final period when scraped and run into the
# next sentence ("... on Tuesday night The former Arsenal man was ..."). A capitalised word
# from this list, followed by a lower-case word, after a word that is not a function word,
# starts a new sentence. Measured on the gold set: +45 of 127 unpunctuated boundaries for 2
# false splits (bench/results/sentence_split.md). Names ("... against Burnley Townsend was")
# stay out of reach of rules: too many false splits inside multi-word names.
RUNON_STARTERS = frozenset(
    """The A An He She It They This These Those His Her Their Its But However According
    Speaking Some Each Other Another Around Many Most Both Police Officers Officials Neither
    Despite Although While When After Before Since Following During Meanwhile Last Earlier
    Later Now Then Mr Mrs Ms Dr""".split()
)
# Words after which a capitalised starter is part of the same sentence ("told The Sun",
# "in The Times", "and He").
FUNCTION_WORDS = frozenset(
    """a an the of to in on at by for from with as and or but nor if that than then so is are
    was were be been being has have had do does did not no its his her their our my your
    which who whom whose what when where while this these those said says told tells wrote
    call called named dubbed into onto about over under between against via per like say
    whether because across upon toward towards""".split()
)
