"""Cue words for quotes, entities, numbers and negation: rules as data, not code paths.

Everything is lower-case. Lists are deliberately small and news-shaped (CNN / Daily Mail):
they exist to make attributions, datelines and the faithfulness checks work offline. Names
of people, places and organisations are in ``gazetteer``, stop words in ``stopwords``, the
sentence splitter's abbreviations in ``abbreviations``. Add a word here, not a code path.
"""

from __future__ import annotations

from newsbrief.nlp._lists import lines as _lines
from newsbrief.nlp._lists import words as _words

# --- quotes -------------------------------------------------------------------------------

# Verbs that attribute a quotation to its speaker ("..., he said" / "said Fadi Hakura").
CUE_VERBS = _words(
    """said says say told tells tell added adds wrote writes explained explains continued
    continues promised promises warned warns claimed claims insisted insists admitted admits
    stated states declared declares asked asks replied replies noted notes argued argues
    tweeted tweets posted posts recalled recalls revealed reveals confirmed confirms
    announced announces urged urges joked jokes described describes suggested suggests
    told added commented comments remarked remarks shouted screamed cried laughed sighed
    whispered conceded concedes acknowledged acknowledges vowed vows pledged pledges
    predicted predicts stressed stresses emphasised emphasized boasted boasts complained
    complains blasted slammed raged fumed hit quipped quips mused recounted recounts
    reported reports testified testifies wondered wonders agreed agrees write reads read"""
)
# Verbs that attribute only with a medium after them: "X put on Twitter", "X posted on Facebook".
MEDIUM_CUE_VERBS = _words("put wrote writes posted posts shared")
MEDIA = _words("twitter facebook instagram snapchat tiktok youtube linkedin reddit weibo blog website")
# Speakers that are not names but stand for one mentioned before: "the statement said" refers
# back to "Downing Street said in a statement".
REFERRING_SPEAKERS = {
    "statement": "statement",
    "the statement": "statement",
    "a statement": "statement",
    "the release": "statement",
    "the press release": "statement",
    "the letter": "letter",
    "the post": "post",
    "the tweet": "tweet",
    "the message": "message",
}
# "Mr Katter's statement reads": the owner of one of these is the speaker.
SPOKEN_FOR = frozenset(
    "statement letter post tweet message release spokesman spokeswoman spokesperson lawyer lawyers".split()
)
# Pronoun speakers and the kinds of named speaker they can stand for: "m"/"f" (gender known
# from a title or first name), "?" (a person of unknown gender), "org". "they", "we" and "it"
# are left unresolved: in news they mostly stand for groups ("the Richards", "officials") or
# documents that no single name in the text matches.
PRONOUNS: dict[str, frozenset[str]] = {
    "he": frozenset({"m", "?"}),
    "she": frozenset({"f", "?"}),
    "i": frozenset({"m", "f", "?"}),
    "they": frozenset(),
    "we": frozenset(),
    "it": frozenset(),
}

# --- entities -----------------------------------------------------------------------------

# Formal titles written capitalised before a name ("President Putin", "Mr Lawler"); the value
# is the gender they imply ("?" when none).
PERSON_TITLES: dict[str, str] = {
    **dict.fromkeys("mr sir lord king prince duke earl pope".split(), "m"),
    **dict.fromkeys("mrs ms miss lady dame queen princess duchess countess".split(), "f"),
    **dict.fromkeys(
        """dr prof president gov governor sen senator rep representative congressman congresswoman
        judge justice chancellor minister premier mayor sheriff detective det officer sergeant sgt
        constable pc inspector insp supt superintendent chief gen colonel col maj
        lieutenant lt captain capt commander cmdr admiral adm corporal cpl rev reverend rabbi imam
        bishop archbishop cardinal ambassador secretary commissioner coach professor""".split(),
        "?",
    ),
}
PERSON_TITLES.update({"congressman": "m", "congresswoman": "f"})
# Role nouns written in lower case right before a name ("club president Naoki Ogane", "zoo
# visitor Terra Lurie", "quarterback Tom Brady"): the name is a person.
ROLE_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        """president spokesman chairman boss manager coach striker midfielder defender goalkeeper
        keeper forward winger quarterback pitcher author actor singer rapper star model designer
        chef director professor doctor nurse lawyer attorney prosecutor investigator researcher
        scientist visitor witness neighbour neighbor resident owner founder ceo editor reporter
        correspondent presenter host comedian player teammate veteran leader deputy colleague
        partner friend son husband father dad brother grandfather boyfriend fiance captain
        officer detective sergeant governor senator minister secretary chief specialist expert
        analyst economist historian surgeon teacher student pupil victim suspect driver pilot
        passenger officer spokesperson businessman tycoon billionaire millionaire photographer""".split(),
        "?",
    ),
    **dict.fromkeys(
        "son husband father dad brother grandfather boyfriend fiance businessman spokesman chairman".split(), "m"
    ),
    **dict.fromkeys(
        """wife mother mum daughter sister grandmother girlfriend fiancee widow actress spokeswoman
        chairwoman businesswoman""".split(),
        "f",
    ),
}
# Two-word titles ("Prime Minister Theresa May").
PERSON_TITLE_PHRASES = _lines(
    """
    prime minister
    foreign minister
    foreign secretary
    home secretary
    defence secretary
    defense secretary
    secretary of state
    vice president
    attorney general
    chief executive
    lead author
    first lady
    crown prince
    supreme leader
    """
)
# A capitalised sequence ending in (or containing) one of these is an organisation.
ORG_WORDS = _words(
    """inc inc. ltd ltd. llc plc corp corp. co. company companies corporation group holdings
    bank ministry department council university college school academy hospital clinic police
    constabulary party commission committee agency association federation union league club fc
    united rovers wanderers athletic institute foundation trust charity service services court
    airlines airways army navy force forces guard office centre center museum church
    society network times post news journal gazette telegraph herald mail tribune magazine
    press radio tv television channel studios records brothers parliament assembly senate
    congress cabinet government administration authority board bureau organisation
    organization alliance coalition campaign fund institute laboratory laboratories house
    zoo metroparks"""
)
# A capitalised sequence ending in one of these is a place or facility ("Black Sea", "Stamford Bridge").
PLACE_WORDS = _words(
    """sea ocean river lake bay gulf island islands mountain mountains mount valley desert coast
    street road avenue lane square park bridge airport station hotel stadium arena beach
    county province state region district city town village forest canyon falls peninsula"""
)
# Lower-case words before a capitalised name that make it a place ("in Ankara").
PLACE_PREPOSITIONS = _words("in near outside across throughout from")
# Words that start a sentence with a capital but are not names; also never start a name.
NOT_NAMES = _words(
    """a an the this that these those there here he she it they we i you his her its their our
    my your but and or so yet if when while after before since as at in on for from by with
    without to of about during however meanwhile then now later still also even what who why
    how where which one some many most all both each no not nor it's its yes oh well
    scroll click watch read see share follow like comment image video photo picture pictured
    above below left right top bottom file mail daily online published updated last next
    other another every any such more less few several new old first second third earlier
    despite although though because until unless whether following according speaking
    instead once just only already again also indeed perhaps maybe today yesterday tomorrow
    tonight police officials authorities mr mrs ms dr monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september
    october november december story highlights cnn's said says i'm i've i'll i'd it's that's
    there's he's she's we're they're you're update updated breaking exclusive pictured video
    watch"""
)
# Capitalised words that never continue a name: inside a run they mean a lost full stop.
RUN_BREAKERS = _words("the an this these those he she it they we but and his her their its")
# Lower-case words allowed inside a capitalised name: "Bank of England", "Leonardo da Vinci".
NAME_CONNECTORS = _words("of de da di del della la le van von der den bin al el du dos das y")

# --- numbers ------------------------------------------------------------------------------

NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
        fifteen sixteen seventeen eighteen nineteen""".split()
    )
}
NUMBER_WORDS.update(
    {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
)
NUMBER_WORDS.update({"dozen": 12, "a dozen": 12, "hundred": 100, "a hundred": 100, "thousand": 1000})
ORDINAL_WORDS: dict[str, int] = {
    w: i + 1
    for i, w in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth""".split()
    )
}
SCALES: dict[str, float] = {
    "dozen": 12,  # "two dozen" is 24; a bare "dozen(s)" with no count before it is no amount
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "a$": "AUD", "c$": "CAD"}
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "yen": "JPY",
    "rupees": "INR",
    "roubles": "RUB",
    "rubles": "RUB",
}
# Sub-units: 50 cents == $0.50.
CURRENCY_CENTS = {"cent": "USD", "cents": "USD", "pence": "GBP", "p": "GBP"}
# Measurement units written after a number ("12ft", "28 minutes"), to a canonical unit.
UNITS: dict[str, str] = {
    **dict.fromkeys("ft feet foot".split(), "ft"),
    **dict.fromkeys("m metre metres meter meters".split(), "m"),
    **dict.fromkeys("km kilometre kilometres kilometer kilometers".split(), "km"),
    **dict.fromkeys("cm centimetres centimeters".split(), "cm"),
    **dict.fromkeys("inch inches".split(), "in"),
    **dict.fromkeys("mile miles".split(), "mile"),
    **dict.fromkeys("mph".split(), "mph"),
    **dict.fromkeys("kg kgs kilo kilos kilogram kilograms".split(), "kg"),
    **dict.fromkeys("lb lbs".split(), "lb"),
    **dict.fromkeys("stone".split(), "st"),
    **dict.fromkeys("second seconds secs".split(), "s"),
    **dict.fromkeys("minute minutes mins".split(), "min"),
    **dict.fromkeys("hour hours hrs".split(), "h"),
    **dict.fromkeys("day days".split(), "day"),
    **dict.fromkeys("week weeks".split(), "week"),
    **dict.fromkeys("month months".split(), "month"),
    **dict.fromkeys("year years".split(), "year"),
}
MONTHS: dict[str, int] = {
    **{
        m: i + 1
        for i, m in enumerate(
            "january february march april may june july august september october november december".split()
        )
    },
    **{m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    "sept": 9,
}
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

# --- negation -----------------------------------------------------------------------------

# Words that negate the clause they are in. "n't" is matched as a suffix.
NEGATIONS = _words("not no never none nobody nothing neither nor cannot without")
# "doesn ’ t": the detokenizer's spaced contraction; one of these followed by a lone "t".
NEGATION_STEMS = _words(
    "don doesn didn isn wasn weren aren hasn haven hadn couldn wouldn shouldn won can ca ain mustn needn"
)
# Words that, right after a negation, make it a focus construction that asserts its clause
# rather than denying it: "it wasn't until Monday that he left" (he left), "not only X but Y",
# "not just a player", "not least because".
NEGATION_FOCUS = _words("until till only just merely simply least")
# Words that carry an earlier negation forward to what follows them: "did not feel or hear any
# indication" negates "indication" as "there was no indication" does.
NEGATIVE_POLARITY = _words("any anyone anybody anything anywhere ever")
# Verbs that raise the negation of the clause they take: "I don't think he should go" denies
# "he should go" as "he shouldn't go" does.
NEGATION_RAISING = _words("think thinks thought believe believes believed expect expects expected suppose reckon")
