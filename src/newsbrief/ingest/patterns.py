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
)
_SOURCE_ALT = "|".join(re.escape(s) for s in sorted(SOURCES, key=len, reverse=True))
_DASH = r"(?:--|—|–|-)"

# "erdogan meets with putin in russia_00012016.jpg"
MEDIA_FILE = re.compile(r"^(?P<name>\S.*?)\.(?P<ext>jpe?g|png|gif|webp|mp4|mov|m4v|webm)$", re.I)
MEDIA_FILE_SUFFIX = re.compile(r"[_-]\d{4,}$")
VIDEO_EXTS = frozenset({"mp4", "mov", "m4v", "webm"})
# "03:00 - Source: CNN"
DURATION = re.compile(r"^(?P<duration>\d{1,2}(?::\d{2}){1,2})\s*-\s*Source:\s*(?P<source>.+?)\s*$", re.I)

# "Story highlights" / "STORY HIGHLIGHTS" / "Highlights"
HIGHLIGHTS_LABEL = re.compile(r"^(?:story\s+)?highlights:?$", re.I)

# A dateline on its own line: "St. Petersburg, Russia CNN  —", "WASHINGTON (Reuters) -", "(CNN) --"
DATELINE_LINE = re.compile(
    r"^(?:(?P<place>[A-Z][^\n()]{0,80}?)[\s,]+)?"
    r"(?:\((?P<psource>[A-Z][\w.&' ]{0,30})\)|(?P<source>" + _SOURCE_ALT + r"))"
    r"\s*" + _DASH + r"?\s*$"
)
# A dateline opening a paragraph: "(CNN) -- The ...", "Rome (CNN) Italy is ...",
# "WASHINGTON (Reuters) - The ...", "LONDON, England (CNN) -- ...". The place must look like
# a place (capitalised words, commas, periods) so that "(CNN)" inside a sentence never matches.
DATELINE_PREFIX = re.compile(
    r"^(?:(?P<place>(?:[A-Z][\w.'’-]*\.?)(?:[ ,]+[A-Z][\w.'’-]*\.?){0,4}),?\s+)?"
    r"\((?P<source>[A-Z][\w.&' ]{0,30})\)"
    r"(?:\s*" + _DASH + r"\s*|\s+)(?=\S)"
)

# "By . Daily Mail Reporter ." / "By Jane Smith and John Doe, CNN" / "By JANE SMITH"
BYLINE = re.compile(r"^By\s*\.?\s+(?P<name>[^\n]{1,120}?)\s*\.?\s*$")
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
# The same furniture at the start of a flattened "sentence" (datasets lose the line breaks):
# "Scroll down for video An outfit worn ...", "By . Daily Mail Reporter . PUBLISHED: ...".
FURNITURE_OPENING = re.compile(
    r"^(?:scroll down|click here|read more|watch the video|see the video|video:|watch:|"
    r"photos?:|pictures?:|image:|credit:|follow\b.*\bon twitter|share this|"
    r"published:|updated:|last updated|by \.)",
    re.I,
)
# A line that ends like a sentence: terminal punctuation, possibly inside closing quotes.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"”’]\s*$")
# A headline-shaped line ending in "?" with a kicker: "Russia, Turkey trade charges: Who bought oil from ISIS?"
KICKER_QUESTION = re.compile(r"^[^:]{2,60}:\s+\S.*\?$")
HEADING_MAX_WORDS = 4  # subheadings are short ("Coup opportunity"); longer ones are link headlines


def media_caption(file_stem: str) -> str:
    """The caption hidden in a media file name: drop the numeric suffix, unescape spaces."""
    stem = MEDIA_FILE_SUFFIX.sub("", file_stem)
    return re.sub(r"[_+]|%20", " ", stem).strip()


def duration_seconds(duration: str) -> int:
    seconds = 0
    for part in duration.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds
