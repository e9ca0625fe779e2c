"""A cheap language guess for article bodies, from common function words (``data/lang_words.tsv``)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["guess_lang"]

_WORD = re.compile(r"[^\W\d_]+")
#: Bytes map: ASCII letters to lower case, every other ASCII byte to a space, bytes of
#: characters beyond ASCII unchanged.
_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c >= 128 else 32 for c in range(256)
)

#: Punctuation beyond ASCII that news text is full of (none is a letter, so none is in a word).
_MARKS = ("\u2019", "\u201c", "\u201d", "\u2018", "\u2013", "\u2014", "\u2026", "\u00ab", "\u00bb")


def _words(sample: str) -> list[str]:
    """Return ``_WORD.findall(sample.lower())``: the runs of letters, lowercased.

    ASCII is folded with one ``bytes.translate`` (after curly quotes and dashes are made
    spaces); only the tokens holding other characters go through the regular expression. The
    words are the same: a character that is not a letter separates words in both, and
    lowercasing works character by character except for a final sigma, which sends the text
    to the regular expression. A test compares the two on arbitrary text.

    Examples
    --------
    >>> _words("Xi’s talks, in 2023: ÉTÉ_Putin.")
    ['xi', 's', 'talks', 'in', 'été', 'putin']
    """
    if "\u03a3" in sample:  # Σ lowers to ς or σ by what follows
        return _WORD.findall(sample.lower())
    ascii_only = sample.isascii()
    if not ascii_only:
        for mark in _MARKS:  # curly quotes and dashes separate words, as spaces do
            if mark in sample:
                sample = sample.replace(mark, " ")
        ascii_only = sample.isascii()  # most often, the marks were all there was beyond ASCII
    words = (
        sample.encode("utf-8", "surrogatepass").translate(_FOLD).decode("utf-8", "surrogatepass")
    )
    tokens = words.split()
    if ascii_only:
        return tokens
    out: list[str] = []
    for token in tokens:
        if token.isascii():
            out.append(token)
        else:
            out.extend(_WORD.findall(token.lower()))
    return out


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    """Return ``{word: languages it is a function word of}``."""
    text = resources.files("newslab.corpus").joinpath("data/lang_words.tsv").read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("lang\t"):
            continue
        lang, words = line.split("\t")
        for w in words.split():
            table[w] = (*table.get(w, ()), lang)
    return table


def guess_lang(text: str, sample: int = 800) -> str | None:
    """Return the ISO 639-1 code of the language ``text`` is most likely in, or None.

    Only the first ``sample`` characters are read. None when fewer than 5% of the words are
    function words of any known language (too short, or another language).

    Examples
    --------
    >>> guess_lang("The president said on Monday that the talks with China were useful.")
    'en'
    >>> guess_lang("Le président a dit que les discussions avec la Chine sont utiles pour la paix.")
    'fr'
    >>> guess_lang("12 34") is None
    True
    """
    words = _words(text[:sample])
    if len(words) < 3:
        return None
    # Counts in first-seen order: max() then breaks a tie between languages by which of them
    # was seen first. Most words are not function words: looking each up (map) is cheaper
    # than counting the distinct words first.
    counts: dict[str, int] = {}
    for langs in filter(None, map(_table().get, words)):
        for lang in langs:
            counts[lang] = counts.get(lang, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.__getitem__)
    if counts[best] < max(1, 0.05 * len(words)):
        return None
    return best
