"""Line patterns of scraped news pages, in one place. Each has a test with real text.

Rules as data: readers only ask "what is this line?"; the vocabulary lives here.
"""

from __future__ import annotations

import re

# News organisations that appear in datelines. Parenthesised sources are matched generally
# ("(CNN)", "(Reuters)", "(AP)"); this list is for the unparenthesised form
# "St. Petersburg, Russia CNN  —" seen on CNN pages.
SOURCES = (
    "CNN",
    "CNN Money",
    "CNNMoney",
    "Reuters",
    "AP",
    "AFP",
    "Bloomberg",
    "BBC",
    "The Associated Press",
    "Associated Press",
    "UPI",
    "Xinhua",
    "CNN Business",
    "dpa",
    "EFE",
    "ANSA",
    "Kyodo",
    "Yonhap",
    "PA",
    "TASS",
    "Anadolu",
    "IANS",
    "PTI",
    "CP",
    "Bernama",
)
_SOURCE_ALT = "|".join(re.escape(s) for s in sorted(SOURCES, key=len, reverse=True))
_DASH = r"(?:--|—|–|-)"

# "erdogan meets with putin in russia_00012016.jpg"
MEDIA_FILE = re.compile(r"^(?P<name>\S.*?)\.(?P<ext>jpe?g|png|gif|webp|mp4|mov|m4v|webm)$", re.I)
MEDIA_FILE_SUFFIX = re.compile(r"[_-]\d{4,}$")
VIDEO_EXTS = frozenset({"mp4", "mov", "m4v", "webm"})
MEDIA_EXTS = frozenset({"jpg", "jpeg", "png", "gif", "webp"}) | VIDEO_EXTS
# "03:00 - Source: CNN"
DURATION = re.compile(r"^(?P<duration>\d{1,2}(?::\d{2}){1,2})\s*-\s*Source:\s*(?P<source>.+?)\s*$", re.I)
# A bare video duration line: "02:15", "Duration 2:14", "Video 1:23", "Now playing 3:00", "2:14 min".
BARE_DURATION = re.compile(
    r"^(?:(?:duration|video|watch|now playing|play video|runtime)\s*:?\s*)?"
    r"(?P<duration>\d{1,2}(?::\d{2}){1,2})(?:\s*(?:min|mins|minutes))?$",
    re.I,
)

# The heading of a page's summary bullets: "Story highlights", "STORY HIGHLIGHTS", "Key points",
# "Highlights", "Key takeaways". The bullets follow it, with or without final periods.
HIGHLIGHTS_LABEL = re.compile(
    r"^(?:story\s+highlights|highlights|key\s+points|key\s+takeaways|key\s+facts|main\s+points|"
    r"at\s+a\s+glance|in\s+brief|the\s+short\s+version|tl;?\s?dr)\s*:?$",
    re.I,
)
# A list bullet in front of a line: "• ", "- ", "* ", "– ".
BULLET = re.compile(r"^(?:[•·▪●◦‣*]|[-–—](?=\s))\s*")

# A dateline on its own line: "St. Petersburg, Russia CNN  —", "WASHINGTON (Reuters) -", "(CNN) --".
# The place never starts with "By": "By Jane Smith, CNN" is a byline, not a dateline.
DATELINE_LINE = re.compile(
    r"^(?![Bb][Yy]\b)(?:(?P<place>[A-Z][^\n()]{0,80}?)[\s,]+)?"
    r"(?:\((?P<psource>(?:" + _SOURCE_ALT + r"|dpa|efe|ansa)(?=\))|[A-Z][\w.&']{0,20}(?=\)\s*" + _DASH + r"))\)"
    r"\s*" + _DASH + r"?|(?P<source>" + _SOURCE_ALT + r")\s*" + _DASH + r")"  # "Search CNN" is a menu item
    r"\s*$"
)
# A dateline opening a paragraph: "(CNN) -- The ...", "Rome (CNN) Italy is ...",
# "WASHINGTON (Reuters) - The ...", "BERLIN (dpa) - ...", "LONDON, England (CNN) -- ...". The
# place must look like a place (capitalised words, commas, periods) so that "(CNN)" inside a
# sentence never matches, and never start with "By" (a byline).
DATELINE_PREFIX = re.compile(
    r"^(?!By\b)(?:(?P<place>(?:[A-Z][\w.'’-]*\.?)(?:[ ,]+[A-Z][\w.'’-]*\.?){0,4}),?\s+)?"
    r"\((?P<source>[A-Z][\w.&' ]{0,30}|dpa|efe|ansa|apa|sda|kna|epd)\)"
    r"(?:\s*" + _DASH + r"\s*|\s+)(?=\S)"
)
# A dateline with no source: "WASHINGTON — The ...", "SAN JUAN, Puerto Rico -- ...", "LONDON - ...".
# The place is in capitals (at least its first word), and a dash with spaces around follows.
DATELINE_PLACE_PREFIX = re.compile(
    r"^(?!BY\b)(?P<place>[A-Z]{3}[A-Z.'’-]*(?: [A-Z][A-Z.'’-]+){0,3}(?:, [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2})?"
    r"|[A-Z]{2}[A-Z.'’-]*(?: [A-Z][A-Z.'’-]+){1,3})"
    r"\s+(?:--|—|–|-)\s+(?=[A-Z0-9\"“‘'])"
)
# Daily Mail's run-together header: "By . Jane Smith . PUBLISHED: . 10:22 EST, 16 March 2014 . |
# . UPDATED: . 11:43 EST, 16 March 2014 . " at the start of the first paragraph.
DM_HEADER_PREFIX = re.compile(
    r"^By\s*\.\s*(?P<name>[^|]{1,120}?)\s*\.\s*(?:PUBLISHED:\s*\.?\s*(?P<published>\d{1,2}:\d{2} EST, \d{1,2} \w+ \d{4})"
    r"\s*\.?\s*(?:\|\s*\.?\s*UPDATED:\s*\.?\s*(?P<updated>\d{1,2}:\d{2} EST, \d{1,2} \w+ \d{4})\s*\.?\s*)?)"
    r"(?=\S|$)"
)

# "By . Daily Mail Reporter ." / "By Jane Smith and John Doe, CNN" / "By JANE SMITH" / "Written by ..."
BYLINE = re.compile(
    r"^(?:By|BY|Written by|Posted by|Words by|Reporting by|Von|Por|Par|Di|Автор:?)\s*\.?\s+"
    r"(?P<name>[^\n]{1,120}?)\s*\.?\s*$"
)
# "PUBLISHED: 10:22 EST, 16 March 2014 | UPDATED: 11:43 EST, 16 March 2014"
TIMESTAMP = re.compile(
    r"^\s*\.?\s*PUBLISHED:\s*\.?\s*(?P<published>.+?)\s*\.?\s*(?:\|\s*\.?\s*UPDATED:\s*\.?\s*(?P<updated>.+?)\s*\.?\s*)?$",
    re.I,
)
LAST_UPDATED = re.compile(r"^(?:Last\s+)?updated(?:\s+at|:)\s+(?P<updated>.+?)\s*\.?$", re.I)

# Page furniture that is neither body nor metadata.
BOILERPLATE = re.compile(
    r"^(?:scroll down for (?:video|videos)|watch the video(?: below)?|click here.*|"
    r"share this article|share or comment on this article.*|comments?\s*\(\d+\)|"
    r"read more:?.*|related:.*|advertisement|follow us on .*)$",
    re.I,
)
# Photo credits and captions that survive as lines: "Photo: Getty Images", "(Photo: AP)"
CAPTION = re.compile(r"^\(?(?:photo|image|picture|credit)s?(?: credit)?:\s*.+$", re.I)

# Position markers that only photo captions use: "(pictured)", "(left)", "(file photo)".
CAPTION_MARKER = re.compile(
    r"\((?:pictured|picture|left|right|centre|center|above|below|top|bottom|inset|file|"
    r"second|third|far|front|back|middle|circled|main|l|r|c)\b[^)]{0,40}\)",
    re.I,
)
CAPTION_MARKER_MIN_WORDS = 4  # "Dani Alves (left) is being linked with a move", not "GIVE A GIFT (Left)"
CAPTION_OPENING = re.compile(r"^pictured:\s*\S", re.I)  # Daily Mail: "Pictured: the moment it happened"

# The same furniture at the start of a flattened "sentence" (datasets lose the line breaks):
# "Scroll down for video An outfit worn ...", "By . Daily Mail Reporter . PUBLISHED: ...".
FURNITURE_OPENING = re.compile(
    r"^(?:scroll down|click here|read more|watch the video|see the video|video:|watch:|"
    r"photos?:|pictures?:|image:|credit:|follow\b.*\bon twitter|share this|"
    r"published:|updated:|last updated|by \.)",
    re.I,
)
# A line that ends like a sentence: terminal punctuation, possibly inside closing quotes.
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s*$|[\"”’»]\s*$")
# A headline-shaped line ending in "?" with a kicker: "Russia, Turkey trade charges: Who bought oil from ISIS?"
KICKER_QUESTION = re.compile(r"^[^:]{2,60}:\s+\S.*\?$")
# A sentence ending inside a line: a stop, then a capital. An initial ("V. Stiviano",
# "George W. Bush") is no sentence end.
SENTENCE_INSIDE = re.compile(r"(?<!\b[A-Z])[.!?][\"”’)]?\s+[A-Z\"“‘(]")
# A line that is only a person's name (the Guardian prints its byline with no "By"): "Anna
# Hartley and Tom Devlin", "Oscar Whitfield in Sydney". Capitalised words and name particles.
_NAME_WORD = r"[A-Z][\w'’.-]+"
NAME_LINE = re.compile(
    r"^" + _NAME_WORD + r"(?: (?:" + _NAME_WORD + r"|van|von|de|der|den|da|di|du|le|la|el|al|bin|ibn))+"
    r"(?:(?:,| and| &) " + _NAME_WORD + r"(?: (?:" + _NAME_WORD + r"|van|von|de|der|da|di|le|la|el|al))+)*"
    r"(?: in " + _NAME_WORD + r"(?: " + _NAME_WORD + r")?)?$"
)
NAME_LINE_MAX_WORDS = 9
HEADING_MAX_WORDS = 4
ELLIPSES = (
    "...",
    "…",
    "[…]",
    "[...]",
    "(…)",
)  # how a cut teaser ends  # subheadings are short ("Coup opportunity"); longer ones are link headlines


def media_caption(file_stem: str) -> str:
    """The caption hidden in a media file name: drop the numeric suffix, unescape spaces."""
    stem = MEDIA_FILE_SUFFIX.sub("", file_stem)
    return re.sub(r"[_+]|%20", " ", stem).strip()


def duration_seconds(duration: str) -> int:
    seconds = 0
    for part in duration.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


# --- furniture lines of any outlet's page, in the page's words -----------------------------
# A line that is only a date and/or time, or a "Published/Updated/Posted" stamp:
# "Updated 10:22 AM EST, Mon March 5, 2018", "19 November 2019", "11/19/19 06:56 AM EST",
# "Published: 2019-11-19", "3 hours ago", "Tuesday 19 November 2019 10.22 GMT".
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?"
_STAMP_WORD = (
    r"(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified|created|edited|date|dated|"
    r"publicado|actualizado|atualizado|aggiornato|pubblicato|veröffentlicht|aktualisiert|publié|mis à jour|"
    r"опубликовано|обновлено)(?:\s+(?:on|at))?\s*:?)"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}\b)?"
_DATE = (
    r"(?:\d{1,2}\s+" + _MONTH + r",?\s+\d{4}|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|" + _MONTH + r"\s+\d{4}|\d{1,2}\s+" + _MONTH + r"|" + _MONTH + r"\s+\d{1,2})"
)
DATE_LINE = re.compile(
    r"^(?:" + _STAMP_WORD + r"\s*)?(?:" + _WEEKDAY + r",?\s+)?"
    r"(?:(?:" + _DATE + r")(?:\s*(?:,|at|/|\||-|–|·)?\s*" + _TIME + r")?|" + _TIME + r"(?:\s*(?:,|on|/|\||-|·)?\s*"
    r"(?:" + _WEEKDAY + r",?\s+)?" + _DATE + r")?)\s*\.?$"
    r"|^(?:" + _STAMP_WORD + r"\s*)?\d{1,3}\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\.?$",
    re.I,
)
# A stamp word followed by anything date-like: "Updated 10:22 AM EST, Mon March 5, 2018".
STAMP_LINE = re.compile(r"^" + _STAMP_WORD + r"\s+\S.{0,80}\d.{0,40}$", re.I)

# Prompts: share / follow / newsletter / cookie / paywall / comment / app / ad lines. A line of at
# most PROMPT_MAX_WORDS words that starts like one of these is furniture for certain.
PROMPT_MAX_WORDS = 25
PROMPT = re.compile(
    r"^(?:share(?:\s|$|:)|share this|share on|share via|share save|tweet this|pin it|"
    r"email(?: this)?(?: article| story)?$|print(?: this)?(?: article| page| story)?$|"
    r"(?:sign up|subscribe|register|join)\b.{0,80}\b(?:newsletter|email|inbox|free|now|today|here|updates|alerts)|"
    r"(?:sign up|subscribe|log in|login|sign in|register)$|"
    r"(?:follow|like) us\b|follow (?:@|\S+ on (?:twitter|facebook|instagram))|"
    r"get (?:breaking news|the latest|our)\b|"
    r"by (?:continuing to )?(?:using|use|browsing|clicking)\b.{0,80}(?:cookies|terms|privacy|agree)|"
    r"we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies|cookie (?:policy|settings)|"
    r"this (?:post|article|page|story) (?:may )?contains? affiliate links|"
    r"(?:advertisement|advertising|sponsored(?: content)?|ad|ads|promoted|paid content|anzeige|werbung|"
    r"publicidad|publicité|pubblicità)$|"
    r"(?:story|article) continues below|continue reading|scroll to continue|"
    r"(?:leave|post|add|view|show|read|see|load|hide|join) (?:a |all |the |\d+ )?(?:comments?|discussion|conversation)|"
    r"\d+\s+comments?$|comments?$|"
    r"already a (?:subscriber|member)|subscribe to (?:continue|read|unlock)|to continue reading|"
    r"create (?:a |your )?(?:free )?account|you have \d+ free (?:articles?|stories)|"
    r"(?:click|tap) here|click to tweet|download (?:our|the) (?:free )?app|"
    r"media playback is unsupported|your browser does not support|"
    r"we (?:and our partners )?(?:may )?earn (?:a )?commission|"
    r"(?:compartir|compartilhe|compartilhar|teilen|partager|condividi|поделиться)\b|"
    r"skip to (?:main )?content|skip navigation|back to top|jump to|toggle navigation|"
    r"(?:clique|klicken sie|cliquez|haz clic|clicca)\b|filed under\b|tags?:|topics?:|"
    r"reply$|permalink$|report (?:this )?comment$|\d+ (?:replies|likes?)$|"
    r"never miss a|thank you for (?:subscribing|signing up|reading)|view comments|share what you think|"
    r"don'?t forget to share|by posting (?:your )?comments?|"
    r"save my name, email|сохранить моё имя|lascia un commento|devi essere connesso|"
    r"please enable javascript|enable javascript to|you must be logged in to|"
    r"the views expressed .{0,80}\bare those of (?:our|the) (?:users|readers|commenters)\b|"
    r".{1,80}\b(?:says|said|wrote):$)",
    re.I,
)
# Photo and video credits and captions: Guardian "Photograph: Tom Jenkins/The Guardian" (also at a
# caption's end), BBC "Image copyright EPA" / "Image caption ...", "Getty Images", "(AP Photo/...)".
CREDIT = re.compile(
    r"(?:^|[\s.])(?:photograph|photo|picture|pictures|illustration|image|composite|video|graphic|photography|"
    r"foto|fotografía|bild)(?:\s+credit)?:\s*\S[^.!?]{0,80}$"
    r"|^(?:image|media|photo|picture|video) (?:copyright|caption|credit|source)\b"
    r"|(?:^|\W)(?:getty images|afp via getty images|(?:afp|ap|epa|pa|dpa) photo\b[^)]*|shutterstock|"
    r"reuters/[\w /]+|epa-efe|alamy)\)?\s*$"
    r"|^file photo:"
    r"|\bCredit\s+[A-Z][^.!?]{0,80}$",  # NYT: "... last week. Credit Doug Mills/The New York Times"
    re.I,
)
# Headlines of other stories: "Read more: ...", "Related: ...", "More on this story", "Most popular".
RELATED = re.compile(
    r"^(?:read:|read more|read also|read next|see also|also read|more from|more on this|more stories|related|"
    r"recommended|you may also like|you might also like|you may also be interested|most (?:popular|read|viewed|shared)|trending|"
    r"top stories|latest (?:news|stories)|editor'?s picks|don'?t miss|what to read next|up next|"
    r"leia (?:também|mais)|veja também|saiba mais|lesen sie auch|mehr zum thema|lire aussi|à lire aussi|"
    r"leggi anche|lee también|читайте также|вам (?:также )?может быть интересно)\b",
    re.I,
)
# Footer lines: copyright and legal links.
FOOTER = re.compile(
    r"(?:©|\(c\)\s*\d{4}|copyright\s+(?:©\s*)?\d{4}|all rights reserved|todos los derechos|"
    r"alle rechte vorbehalten|tous droits réservés|tutti i diritti|все права защищены|"
    r"^(?:privacy(?: policy| notice)?|terms(?: of (?:use|service))?(?: (?:&|and) conditions)?|cookie policy|"
    r"contact us|about us|sitemap|site map|accessibility|careers|advertise(?: with us)?|"
    r"do not sell my (?:personal )?info(?:rmation)?)$|"
    r"\bmay not be (?:published|reproduced|broadcast|rewritten|redistributed)\b|"
    r"^all quotes delayed|\bquotes (?:are )?delayed (?:by |a minimum of |at least )\d+ min)",
    re.I,
)

# Where reader comments start: "[ 167 comments ]", "10 Comments", "Leave a Reply", "Join the
# discussion", "12 thoughts on ...", "3 responses to ...".
COMMENT_MARK = re.compile(
    r"^\[?\s*\d+\s+(?:comments?|responses?|replies)\s*\]?$|^(?:leave a (?:reply|comment)|"
    r"join the (?:discussion|conversation)|add (?:a|your) comment|post a comment|"
    r"\d+\s+thoughts? on\b.*|\d+ responses? to\b.*|reply|rating:\s*-?\d+\s+votes?)$",
    re.I,
)
COMMENT_MARK_FIRST = frozenset("0123456789[lLjJaApPrR")  # COMMENT_MARK's first characters
# The head of a reader comment: "Alex on September 17, 2018 at 6:34 am said:", "Gary M says:".
COMMENT_HEADER = re.compile(
    r"^.{1,80}?\b(?:on|at)\s+.{4,40}?\d{4}.{0,30}\b(?:said|says|wrote)\s*:?$|^.{1,60}\b(?:says|said|wrote):$", re.I
)

# An inline dateline that marks where a story starts for certain: a known agency or outlet in
# parentheses ("ST. JOSEPH, Mich. (AP) — ", "Hong Kong (CNN Business)"), or a place in capitals
# and a dash ("MADRID — "). "Groupe LAPS (France) produces ..." is not one.
STORY_START = re.compile(
    r"^(?:(?:[A-Z][\w.'’-]*\.?)(?:[ ,]+[A-Z][\w.'’-]*\.?){0,4},?\s+)?\((?:" + _SOURCE_ALT + r")\)"
    r"|^[A-Z]{3}[A-Z.'’-]*(?: [A-Z][A-Z.'’-]+){0,3}(?:, [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,2})?\s+(?:--|—|–)\s"
)

# A short line that mentions a newsletter or subscription anywhere: "Want more deals? Join the IGN
# Deals Newsletter." (at most PROMPT_ANYWHERE_MAX_WORDS words).
PROMPT_ANYWHERE_MAX_WORDS = 12
PROMPT_ANYWHERE = re.compile(
    r"\b(?:newsletters?|subscribe|subscription|sign up|unsubscribe|log in to|(?:to|in) your inbox|"
    r"in ihr postfach|dans votre boîte|(?:on|to|in) your inbox)\b",
    re.I,
)
# A sign-up box: the heading or pitch that names the newsletter, then the other short lines of
# the same block (the pitch, "Email address", the button: "Sign me up", "Jetzt anmelden").
SIGNUP_BOX_MAX_LINES = 5
SIGNUP_BOX_MAX_WORDS = 15
# Disclosures that can run long: "Disclosure: This post may contain affiliate links, meaning ..."
DISCLOSURE = re.compile(
    r"\baffiliate links?\b|\bwe (?:may )?earn (?:a )?commission\b|"
    r"\b(?:allow cookies|use of cookies|uses cookies|cookie settings on this)\b",
    re.I,
)
DISCLOSURE_MAX_WORDS = 40
COOKIE_NOTICE_MAX_WORDS = 80  # cookie notices run longer than other certain lines


_CREDIT_HINTS = ("getty", "shutterstock", "reuters/", "photo", "credit", "epa-efe", "alamy")


def substrings(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation of literal substrings: ``.search(s)`` is ``any(w in s for w in
    words)`` in one C-level scan instead of a generator step per word (asked of every line)."""
    return re.compile("|".join(re.escape(w) for w in words))


_CREDIT_HINT = substrings(_CREDIT_HINTS)


def ends_like_sentence(text: str) -> bool:
    """``SENTENCE_END`` on the line's last characters only: the pattern is anchored at the end,
    and searching a 5 MB line from its start would take as long as the line."""
    return bool(SENTENCE_END.search(text[-16:]))


def is_credit(text: str) -> bool:
    """``CREDIT`` on the line's start and its last 160 characters (every alternative is anchored
    at one end of the line), searched only when the tail has a colon or a picture agency."""
    return bool(CREDIT.match(text)) or is_credit_tail(text)


def is_credit_tail(text: str) -> bool:
    """``CREDIT`` searched in the last 160 characters, when they have a colon or an agency."""
    tail = text[-160:]
    low = tail.lower()
    return (":" in tail or _CREDIT_HINT.search(low) is not None) and bool(CREDIT.search(tail))


_FOOTER_HINTS = (
    "©",
    "(c)",
    "copyright",
    "reserved",
    "derechos",
    "rechte",
    "droits",
    "diritti",
    "права",
    "quotes",
    "may not be",
)
_FOOTER_HINT = re.compile("|".join(re.escape(h) for h in _FOOTER_HINTS))  # one search, not eleven
_FOOTER_LINE_MAX_CHARS = 60  # the whole-line footer links ("Privacy policy", "Contact us") are short


def is_footer(text: str) -> bool:
    """``FOOTER``, searched only when a cheap look says it can match: its unanchored
    alternatives all contain one of a few strings, and the anchored ones are whole short lines
    (a ``match`` at the start finds them)."""
    if _FOOTER_HINT.search(text.lower()):
        return bool(FOOTER.search(text))
    return len(text) <= _FOOTER_LINE_MAX_CHARS and bool(FOOTER.match(text))


# A contributor or production line at a story's end: "CNN's Jane Doe contributed to this report.",
# "Keiko Yamada contributed reporting from Rome.", "Reporting by Jane Doe; Editing by John Roe".
CONTRIBUTOR = re.compile(
    r"^.{0,160}\bcontributed (?:to this (?:report|story|article)|reporting|additional reporting)\b.{0,80}$"
    r"|^(?:[A-Z][\w.'’-]+ ){2,6}(?:writers? |reporters? |correspondents? )?(?:[A-Z][\w.'’-]+ ?){0,6}contributed\.?$"
    r"|^(?:additional )?(?:reporting|writing|editing|compiled|produced) by\b.{0,160}$",
    re.I,
)
# An author's bio under the story: "Phil Helsel is a reporter for NBC News.", "Jane Doe is IGN's
# deal curator and ...", "Julius is an LA Entertainment Reporter for Fox News."
AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+ ){0,3}[A-Z][\w.'’-]+ is (?:a|an|the|[A-Z][\w.&-]*'s)\b.{0,100}?\b"
    r"(?:[Rr]eporter|[Ww]riter|[Ee]ditor|[Cc]orrespondent|[Cc]olumnist|[Cc]ontributor|[Jj]ournalist|[Cc]urator|"
    r"[Pp]roducer)s?\b(?: (?:for|at|with|of) .{0,160})?(?: and\b.{0,200})?[.!]?$"
)
AUTHOR_BIO_MAX_WORDS = 40


# --- cheap preconditions -------------------------------------------------------------------
# Each is a necessary condition of the pattern it guards (a string every match contains, a
# first character every match starts with), so a guarded check gives the same answer as the
# pattern alone; the reader tests them before running the pattern. A page's lines are mostly
# prose that no furniture pattern matches, and most of these tests reject it at once.


def any_of(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    """One compiled alternation of ``patterns`` (same flags; named groups made plain): one
    ``match`` instead of several when only *whether* one matches is asked."""
    flags = {p.flags for p in patterns}
    if len(flags) != 1:
        raise ValueError("any_of needs patterns with the same flags")
    plain = (re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for p in patterns)
    return re.compile("|".join(f"(?:{s})" for s in plain), flags.pop())


# TIMESTAMP needs "published:", LAST_UPDATED "updated", DATE_LINE and STAMP_LINE a digit.
TIMESTAMP_OR_DATE = any_of(TIMESTAMP, LAST_UPDATED, DATE_LINE)
BOILERPLATE_OR_PROMPT = any_of(BOILERPLATE, PROMPT)
PROMPT_ANYWHERE_OR_DISCLOSURE = any_of(PROMPT_ANYWHERE, DISCLOSURE)
CAPTION_OR_CREDIT_START = any_of(CAPTION, CREDIT)
_DIGIT = re.compile(r"\d")
# Words one of which every PROMPT_ANYWHERE or DISCLOSURE match contains (lower case).
PROMPT_ANYWHERE_HINTS = (
    "newsletter",
    "subscri",
    "sign up",
    "log in to",
    "inbox",
    "postfach",
    "boîte",
    "affiliate link",
    "cookie",
    "commission",
)
DISCLOSURE_HINTS = ("affiliate link", "commission", "cookie")
PROMPT_ANYWHERE_HINT = substrings(PROMPT_ANYWHERE_HINTS)
DISCLOSURE_HINT = substrings(DISCLOSURE_HINTS)
# CONTRIBUTOR: "contributed" anywhere, or one of its opening words.
CONTRIBUTOR_OPENINGS = ("additional", "reporting", "writing", "editing", "compiled", "produced")
# First characters of a BYLINE or DM_HEADER_PREFIX match ("By", "Written by", "Von", "Автор").
BYLINE_FIRST = frozenset("BWPRVDА")
# HIGHLIGHTS_LABEL's first characters (either case).
HIGHLIGHTS_LABEL_FIRST = frozenset("shkmaittSHKMAIT")
DASHES = ("-", "—", "–")
_PAREN_OR_DASH = substrings(("(", *DASHES))


def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def may_be_dateline_line(text: str) -> bool:
    """DATELINE_LINE needs a parenthesised source or a dash after the source name."""
    return _PAREN_OR_DASH.search(text) is not None


def may_be_contributor(low: str) -> bool:
    return "contributed" in low or low.startswith(CONTRIBUTOR_OPENINGS)


def may_be_author_bio(low: str) -> bool:
    """AUTHOR_BIO needs " is " and one of its job words."""
    return " is " in low and _AUTHOR_BIO_JOB.search(low) is not None


AUTHOR_BIO_JOBS = (
    "reporter",
    "writer",
    "editor",
    "correspondent",
    "columnist",
    "contributor",
    "journalist",
    "curator",
    "producer",
)
_AUTHOR_BIO_JOB = substrings(AUTHOR_BIO_JOBS)


# --- lines that carry a date and a name, and credit lines with no colon ----------------------
# A person's name of two to four capitalised words ("Emiliano Bellini", "Marcus De Guzman"): no
# possessive ("Wednesday's Daily Headlines" is a heading, not a name), a lower-case letter in each
# word.
_PERSON_WORD = r"[A-Z](?=[\w'’.-]*[a-z])[\w'’.-]*[\w.](?<!['’]s)"  # "AM UTC" is no name
_PERSON = _PERSON_WORD + r"(?: (?:" + _PERSON_WORD + r"|van|von|de|der|den|da|di|du|le|la|el|al|bin|ibn)){1,3}"
# A date (and time) then the author, nothing else: the header line of blogs and trade sites that
# print no "By" ("November 20, 2019 Emiliano Bellini", "2019-11-20 17:27:46 Marcus De Guzman",
# "Monday November 18, 2019 7:45 am PST by Joe Rossignol"). The date part ignores case; the name
# must be capitalised, so "Nov. 19, 2019 8:03 am ET" is a timestamp, not a name.
DATE_AUTHOR = re.compile(
    r"^(?i:(?:" + _WEEKDAY + r",?\s+)?(?:" + _DATE + r")(?:\s*(?:,|at|/|\||-|–|·)?\s*" + _TIME + r")?)"
    r"\s*(?:[,|·•–—-]\s*)?(?:(?i:by)\s+)?(?P<name>" + _PERSON + r"(?:(?:,| and| &) " + _PERSON + r")?)$"
)
DATE_AUTHOR_MAX_WORDS = 16
# The credit line of a commissioned picture, "NAME for OUTLET" ("RenderBurger for Quanta
# Magazine", "Jane Doe for The New York Times", "Photo illustration by Jane Doe for NPR"). The
# outlet must end like a publication's name, so a link ("Homes for Sale", "Work for CNN",
# "Register for Free") or a subheading ("A Job for Tuft Cells") is not one.
_PUBLICATION_END = (
    r"(?:Magazine|Times|Post|Journal|News|Guardian|Observer|Review|Tribune|Herald|Telegraph|Chronicle|"
    r"Gazette|Weekly|Monthly|Daily|Press|Atlantic|Yorker|Economist|Independent|Mail|Globe|Star|Sun|"
    r"Wired|NPR|ProPublica|Vox|Slate|Politico|Axios|Bloomberg|Businessweek|Insider)"
)
CREDIT_FOR = re.compile(
    r"^(?:(?:photo(?:graph)?|illustration|photo illustration|animation|video|graphic|art|artwork)s?"
    r"(?: by)?\s+)?(?-i:(?P<name>(?!(?:A|An|The|Work|Write|Apply|Register)\b)[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]+){0,3}))"
    r" for (?:the )?(?-i:(?:[A-Z][\w'’.&-]*\s+){0,3}" + _PUBLICATION_END + r")\.?$",
    re.I,
)
CREDIT_FOR_MAX_WORDS = 12
# A picture agency after a slash ends a credit: "Chip Somodevilla/Getty", "Jane Doe / AFP" (no
# colon: "Image Source: ... / Shutterstock" can be a line of the story, a product photo's source).
AGENCY_SLASH = re.compile(
    r"^[A-Z][^.!?:]{0,80}\S\s?/\s?(?:Getty|AFP|AP|Reuters|EPA|Shutterstock|Alamy|iStock|NurPhoto|Sipa|Corbis)"
    r"(?: Images| Photo)?\)?$"
)
AGENCY_SLASH_MAX_WORDS = 12


def is_date_author(text: str, words: int) -> bool:
    """``DATE_AUTHOR`` on a short line with a digit (every date has one)."""
    return words <= DATE_AUTHOR_MAX_WORDS and has_digit(text) and bool(DATE_AUTHOR.match(text))


def is_short_credit(text: str, words: int) -> bool:
    """``CREDIT_FOR`` or ``AGENCY_SLASH`` on a short line that holds their marker (" for ", "/")."""
    return (words <= CREDIT_FOR_MAX_WORDS and " for " in text and bool(CREDIT_FOR.match(text))) or (
        words <= AGENCY_SLASH_MAX_WORDS and "/" in text and bool(AGENCY_SLASH.match(text))
    )
