"""Turn bytes into text, refusing what is not text instead of producing garbage."""

from __future__ import annotations

import codecs
import re

from newsbrief.errors import InputError

DEFAULT_MAX_BYTES = 10_000_000  # one article; real news pages are far below 1 MB of text
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}
# Codecs the registry calls text encodings that are not character sets of documents: host-name
# encodings (idna, punycode), one that always fails (undefined) and Python's backslash-escape
# codecs, which would rewrite the text they decode.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


def decode(
    data: bytes, *, encoding: str | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> tuple[str, list[str]]:
    """Decode one document; return the text and notes on anything that was not clean.

    UTF-8 is tried first; text that is not valid UTF-8 is decoded as Windows-1252 (the usual
    culprit for scraped Western news) and a note says so, rather than failing or silently
    replacing characters.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(limit_message("input", len(data), max_bytes, "one article"))
    notes: list[str] = []
    if encoding:
        codec = check_encoding(encoding)
        try:
            return data.decode(codec), notes
        except UnicodeError as exc:
            raise InputError(f"cannot decode input as {encoding}: {exc}") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), notes
            except UnicodeDecodeError as exc:
                raise InputError(f"input starts with a {name} byte-order mark but is not {name}: {exc}") from None
    sample = data[:65536]
    if b"\x00" in sample or (sample and sum(b in _CONTROL for b in sample) / len(sample) > 0.05):
        raise InputError("input looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        notes.append(f"input is not valid UTF-8 (first bad byte at offset {exc.start}); decoded as Windows-1252")
    return text, notes


def check_encoding(name: str) -> str:
    """The codec name for a requested charset, refusing what is not a text encoding.

    Why: ``bytes.decode`` takes any codec name, and ``base64``, ``zlib``, ``rot13``, ``hex`` or
    ``uu`` are codecs too (bytes to bytes, or str to str): they raise ``TypeError`` deep inside
    the decoder, or decompress data past every size limit. Only character sets get through.
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise InputError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        raise InputError(f"{name!r} is not a text encoding (give a character set such as utf-8 or windows-1252)")
    return info.name


def limit_message(what: str, size: int | str, max_bytes: int | None, per: str) -> str:
    """The one message for input over ``--max-bytes``: ``line is 12.0 MB, above the 10.0 MB
    limit for one record (raise it with --max-bytes)``. ``size`` may be text ("more than ...")."""
    shown = human_size(size) if isinstance(size, int) else size
    limit = human_size(max_bytes) if max_bytes is not None else "configured"
    return f"{what} is {shown}, above the {limit} limit for {per} (raise it with --max-bytes)"


def human_size(n: int) -> str:
    """Byte counts as people read them: 812 bytes, 4.0 kB, 20.0 MB (decimal units)."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB"


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str) -> str:
    """Refuse empty text and text containing NULs (binary data passed in as ``str``)."""
    if not text.strip():
        raise InputError("input is empty")
    if "\x00" in text:
        raise InputError("input looks like a binary file, not text")
    return text


def clean_text(text: str) -> tuple[str, list[str]]:
    """The one gate every ``str`` input passes: empty and NUL-bearing text is refused, lone
    surrogates (``"\\ud800"`` from JSON, unencodable anywhere downstream) become U+FFFD with a
    note, so that no later stage meets text it cannot encode."""
    check_text(text)
    text, count = replace_surrogates(text)
    return text, [f"replaced {count} lone surrogate code point(s) with U+FFFD"] if count else []


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate as U+FFFD, and how many there were."""
    count = len(_SURROGATE.findall(text))
    return (_SURROGATE.sub("\ufffd", text) if count else text), count
