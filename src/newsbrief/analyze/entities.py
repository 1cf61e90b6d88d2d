"""People, organisations and places: offline rules by default, spaCy when you hand it a pipeline.

Why rules: the default install must work with no model download, and what the quote finder
and the faithfulness checker need is modest: the names in a text, roughly typed, with their
offsets. Capitalised-word runs are split at titles ("Turkish President Recep Tayyip Erdogan"
-> nationality "Turkish", person "Recep Tayyip Erdogan"), typed by cues kept in
``nlp.lexicon`` and ``nlp.gazetteer`` (titles, role nouns, organisation suffixes, a small
gazetteer, "in X", an age after the name), and then clustered: "Erdogan" later in the story is the same person, with the full
name as ``canonical``. Lower-cased text (QAGS) defeats any capitalisation rule; the checker
does not rely on entities alone for that reason.

spaCy (optional): ``find_entities(article, nlp=spacy.load(...))`` or ``model="en_core_web_sm"``
if that pipeline is installed; it is never downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from newsbrief.article import Article
from newsbrief.nlp.gazetteer import DEMONYM_NOUNS, DEMONYMS, FEMALE_NAMES, MALE_NAMES, ORGS, PLACES
from newsbrief.nlp.lexicon import (
    CUE_VERBS,
    NAME_CONNECTORS,
    NOT_NAMES,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    ORG_WORDS,
    PERSON_TITLE_PHRASES,
    PERSON_TITLES,
    PLACE_PREPOSITIONS,
    PLACE_WORDS,
    ROLE_NOUNS,
    RUN_BREAKERS,
)
from newsbrief.nlp.sentences import split_spans

__all__ = ["Entity", "EntityLabel", "find_entities", "gender_of", "name_key"]

EntityLabel = Literal["person", "organisation", "place", "nationality", "other"]
Span = tuple[int, int]

# spaCy's OntoNotes labels to ours; other labels (DATE, CARDINAL ...) are left to ``numbers``.
SPACY_LABELS: dict[str, EntityLabel] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "nationality",
    "MISC": "other",
    "EVENT": "other",
    "WORK_OF_ART": "other",
    "PRODUCT": "other",
    "LAW": "other",
}
_ABBREVIATIONS = frozenset("st mt jr sr inc ltd co corp dr mr mrs ms gov sen rep gen prof lt col capt sgt rev".split())
_WORD = re.compile(r"[^\W_][\w'’&.-]*")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+$")
_AGE_AFTER = re.compile(r"^,\s(?:now\s|aged\s)?\d{1,3},")
_CUE_AFTER = re.compile(r"^,?\s(?:\w+ly\s)?(?:" + "|".join(sorted(CUE_VERBS)) + r")\b")
_CUE_BEFORE = re.compile(r"\b(?:said|says|added|according\s+to)\s$")  # "told X": X is the listener


@dataclass(slots=True)
class Entity:
    """One mention. ``text == article.body[span[0]:span[1]]`` (or of the ``field`` it came from).

    ``canonical`` is the fullest form of the name in the text ("Recep Tayyip Erdogan" for a
    later "Erdogan"); ``gender`` is "m"/"f" for a person when a title or first name says so,
    which lets "she said" skip past a man.
    """

    text: str
    span: Span
    label: EntityLabel
    canonical: str
    gender: str | None = None
    source: str = "rules"  # or "spacy"
    field: str = "body"  # "body", "title" or "dateline"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["span"] = list(self.span)
        return data


def find_entities(source: Article | str, *, nlp: Any = None, model: str | None = None) -> list[Entity]:
    """Entity mentions in an article body (plus title and dateline) or in a plain text.

    ``nlp``: a spaCy ``Language`` to use instead of the rules; ``model``: the name of an
    installed spaCy pipeline to load (never downloaded). Neither: the offline rules.
    """
    if model is not None and nlp is None:
        nlp = _load_spacy(model)
    texts = _fields(source)
    out: list[Entity] = []
    for field, text in texts:
        found = _spacy_entities(text, nlp) if nlp is not None else _rule_entities(text)
        for e in found:
            e.field = field
        out.extend(found)
    _cluster(out)
    return out


def name_key(text: str) -> str:
    """Lower-case name without possessive and punctuation: "Erdogan’s" -> "erdogan"."""
    text = re.sub(r"['’]s?$", "", text.strip())
    return re.sub(r"[^\w\s-]", "", text.lower()).strip()


def gender_of(name: str, title: str | None = None) -> str | None:
    """ "m"/"f" from a title or a first name; None when neither tells."""
    if title:
        g = PERSON_TITLES.get(title.lower().rstrip("."), ROLE_NOUNS.get(title.lower(), "?"))
        if g != "?":
            return g
    first = name.split()[0].lower() if name.split() else ""
    if first in MALE_NAMES:
        return "m"
    if first in FEMALE_NAMES:
        return "f"
    return None


# --- rules --------------------------------------------------------------------------------


def _rule_entities(text: str) -> list[Entity]:
    starts = _sentence_starts(text)
    out: list[Entity] = []
    for run in _runs(text):
        out.extend(_split_run(text, run, starts))
    _confirm_sentence_initial(out, starts)
    return out


def _sentence_starts(text: str) -> set[int]:
    starts = set()
    for a, _ in split_spans(text):
        starts.add(a)
        while a < len(text) and text[a] in "\"'“‘([":
            a += 1
            starts.add(a)
    return starts


def _runs(text: str) -> Iterable[list[Span]]:
    """Runs of capitalised words (with connectors like "of") separated by single spaces."""
    run: list[Span] = []
    pending: list[Span] = []  # connectors waiting for a capitalised word
    prev_end = -1
    for m in _WORD.finditer(text):
        start, end = m.start(), m.end()
        word = m.group()
        # Trailing quote marks and possessives end a name: "Erdogan’s", "Syria’".
        cut = re.search(r"(?:['’]s|s['’]|['’])$", word)
        stop_after = False
        if cut and (cut.group() != "s'" and cut.group() != "s’"):
            end -= len(cut.group())
            stop_after = True
        elif cut:
            end -= 1
            stop_after = True
        word = text[start:end]
        if word.endswith(".") and not _keeps_period(word):
            end -= 1
            word = word[:-1]
            stop_after = True
        hyphen = word.find("-")
        if hyphen > 0 and not word[hyphen + 1 : hyphen + 2].isupper() and word[:1].isupper():
            end = start + hyphen  # "ISIS-controlled" -> "ISIS"
            word = word[:hyphen]
            stop_after = True
        gap = text[prev_end:start] if prev_end >= 0 else " "
        joined = prev_end >= 0 and gap == " "
        if not word:
            prev_end = -1
            continue
        if word[0].isupper() and len(word) > 0:
            if run and (not joined):
                yield run
                run, pending = [], []
            run.extend(pending)
            pending = []
            run.append((start, end))
        elif run and joined and word in NAME_CONNECTORS or (pending and joined and word == "the"):
            pending.append((start, end))
        else:
            if run:
                yield run
            run, pending = [], []
        prev_end = -1 if stop_after else m.end()
        if stop_after and run:
            yield run
            run, pending = [], []
    if run:
        yield run


def _keeps_period(word: str) -> bool:
    return word[:-1].lower() in _ABBREVIATIONS or bool(_DOTTED.match(word))


def _split_run(text: str, run: list[Span], starts: set[int]) -> list[Entity]:
    """Split a capitalised run at titles and nationality words, and type each piece."""
    words = [text[a:b] for a, b in run]
    lows = [w.lower().rstrip(".") for w in words]
    if run[0][0] in starts and len(run) >= 3 and lows[1] in MALE_NAMES | FEMALE_NAMES and lows[0] not in PERSON_TITLES:
        run, words, lows = run[1:], words[1:], lows[1:]  # "Holidaymaker David Meadwell"
    whole = text[run[0][0] : run[-1][1]]
    org_at = next((i for i, w in enumerate(lows) if w in ORG_WORDS), None)
    titled = org_at is not None and any(w in PERSON_TITLES for w in lows[org_at + 1 : -1])
    if org_at is not None and not _title_phrase(lows, 0) and not titled:
        first = next((i for i, w in enumerate(lows) if w not in NOT_NAMES and not _demonym(w)), len(lows))
        out = []
        for i in range(first):
            if _demonym(lows[i]):
                out.append(_entity(text, run[i : i + 1], "nationality"))
        if first < len(run):
            out.append(_entity(text, run[first:], "organisation"))
        return out
    out = []
    piece: list[Span] = []
    title: str | None = None
    i = 0
    while i < len(run):
        low = lows[i]
        phrase = _title_phrase(lows, i)
        if phrase or low in PERSON_TITLES or (run[i][0] in starts and low in ROLE_NOUNS and i + 1 < len(run)):
            if piece:
                org = any(w in ORG_WORDS for w in lows[i - len(piece) : i])
                out.append(_entity(text, piece, "organisation") if org else _classify(text, piece, None, starts))
                piece = []
            title = " ".join(words[i : i + max(phrase, 1)])
            i += max(phrase, 1)
            continue
        if _demonym(low) and not piece:
            out.append(_entity(text, run[i : i + 1], "nationality"))
            title = None
            i += 1
            continue
        if piece and low in RUN_BREAKERS:  # "Utah The FBI": a run-on across a lost full stop
            out.append(_classify(text, piece, title, starts))
            piece, title = [], None
            i += 1
            continue
        if (low in NOT_NAMES or low in NUMBER_WORDS or low in ORDINAL_WORDS) and not piece:
            i += 1
            continue
        if i == 0 and not piece and (whole.lower() in PLACES or whole.lower() in ORGS):
            piece = list(run)
            break
        piece.append(run[i])
        i += 1
    if piece:
        out.append(_classify(text, piece, title, starts))
    return [e for e in out if e.text]


def _demonym(low: str) -> bool:
    """ "Turkish", "Russians", "Turks", "Britons"."""
    return low in DEMONYMS or low in DEMONYM_NOUNS or (low.endswith("s") and low[:-1] in DEMONYMS | DEMONYM_NOUNS)


def _title_phrase(lows: list[str], i: int) -> int:
    for n in (3, 2):
        if " ".join(lows[i : i + n]) in PERSON_TITLE_PHRASES:
            return n
    return 0


def _classify(text: str, piece: list[Span], title: str | None, starts: set[int]) -> Entity:
    name = text[piece[0][0] : piece[-1][1]]
    low = name.lower()
    lows = [text[a:b].lower().rstrip(".") for a, b in piece]
    before = text[max(0, piece[0][0] - 40) : piece[0][0]]
    after = text[piece[-1][1] : piece[-1][1] + 40]
    prev_word = before.split()[-1].lower() if before.split() else ""
    label: EntityLabel
    gender = None
    if low in ORGS:
        label = "organisation"
    elif low in PLACES:
        label = "place"
    elif title is not None:
        label, gender = "person", gender_of(name, title)
    elif lows[-1] in PLACE_WORDS:
        label = "place"
    elif name.replace(".", "").isupper() and 2 <= len(name.replace(".", "")) <= 6:
        label = "organisation"
    elif prev_word in ROLE_NOUNS and before.endswith(" "):
        label, gender = "person", gender_of(name, prev_word)
    elif (
        len(piece) >= 2
        and (lows[0] in MALE_NAMES or lows[0] in FEMALE_NAMES)
        or _AGE_AFTER.match(after)
        or _CUE_AFTER.match(after)
        or _CUE_BEFORE.search(before)
    ):
        label, gender = "person", gender_of(name)
    elif prev_word in PLACE_PREPOSITIONS and before.endswith(" "):
        label = "place"
    else:
        label = "other"
    return Entity(name, (piece[0][0], piece[-1][1]), label, name, gender)


def _entity(text: str, piece: list[Span], label: EntityLabel) -> Entity:
    name = text[piece[0][0] : piece[-1][1]]
    return Entity(name, (piece[0][0], piece[-1][1]), label, name)


def _confirm_sentence_initial(entities: list[Entity], starts: set[int]) -> None:
    """A lone capitalised word opening a sentence is a name only if typed by a cue or seen
    capitalised mid-sentence too: "Visa-free travel ..." is not an entity."""
    elsewhere = {name_key(e.text) for e in entities if e.span[0] not in starts}
    for name in list(elsewhere):
        elsewhere.update(name.split())
    keep = []
    for e in entities:
        lone = e.span[0] in starts and " " not in e.text
        if lone and e.label == "other" and name_key(e.text) not in elsewhere:
            continue
        keep.append(e)
    entities[:] = keep


# --- clustering ---------------------------------------------------------------------------


def _cluster(entities: list[Entity]) -> None:
    """Give short mentions the label, canonical name and gender of a fuller one.

    "Erdogan" -> person "Recep Tayyip Erdogan"; a lone "Muto" after "forward Yoshinori Muto";
    "LeVar Burton" (untyped) is a person once "said Burton" is.
    """
    surnames = {name_key(e.text) for e in entities if e.label == "person" and " " not in e.text.strip()}
    for e in entities:
        parts = name_key(e.text).split()
        if e.label == "other" and len(parts) in (2, 3) and parts[-1] in surnames:
            e.label = "person"
    # The first full-name mention introduces a person in news: it is the canonical form.
    people: dict[str, Entity] = {}
    field_order = {"body": 0, "title": 1, "dateline": 2}
    for e in sorted(
        (e for e in entities if e.label == "person"),
        key=lambda e: (len(e.text.split()) < 2, field_order.get(e.field, 3), e.span[0]),
    ):
        parts = name_key(e.text).split()
        for key in (name_key(e.text), parts[-1] if parts else "", " ".join(parts[-2:])):
            if key and key not in people:
                people[key] = e
    typed: dict[str, Entity] = {}
    for e in entities:
        if e.label not in ("other", "person"):
            typed.setdefault(name_key(e.text), e)
    for e in entities:
        key = name_key(e.text)
        full = people.get(key)
        if full is not None and e.label in ("other", "person"):
            e.label = "person"
            e.canonical = full.text if len(name_key(full.text)) >= len(name_key(e.text)) else e.text
            e.gender = e.gender or full.gender
        elif e.label == "other" and key in typed:
            e.label = typed[key].label
    # Gender learned from any mention holds for every mention of the same person.
    genders: dict[str, str] = {}
    for e in entities:
        if e.label == "person" and e.gender:
            genders.setdefault(e.canonical, e.gender)
            if e.gender is None or genders.get(e.canonical) is None:
                continue
    for e in entities:
        if e.label == "person":
            e.gender = genders.get(e.canonical, e.gender)


# --- spaCy --------------------------------------------------------------------------------


def _load_spacy(model: str) -> Any:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the spaCy backend needs `pip install spacy`") from exc
    try:
        return spacy.load(model)
    except OSError as exc:
        raise RuntimeError(f"spaCy pipeline {model!r} is not installed (newsbrief never downloads one)") from exc


def _spacy_entities(text: str, nlp: Any) -> list[Entity]:
    doc = nlp(text)
    out = []
    for ent in doc.ents:
        label = SPACY_LABELS.get(ent.label_)
        if label is None:
            continue
        name = re.sub(r"['’]s$", "", ent.text)
        start = ent.start_char
        gender = gender_of(name) if label == "person" else None
        out.append(Entity(name, (start, start + len(name)), label, name, gender, source="spacy"))
    return out


def _fields(source: Article | str) -> list[tuple[str, str]]:
    if isinstance(source, str):
        return [("body", source)]
    fields = [("body", source.body)]
    if source.title:
        fields.append(("title", source.title))
    if source.dateline:
        fields.append(("dateline", source.dateline))
    return fields
