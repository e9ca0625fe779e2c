"""A cheap language guess for article bodies, from common function words (``data/lang_words.tsv``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["guess_lang", "guess_langs"]

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


@lru_cache(maxsize=1)
def _ascii_table() -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """The ASCII function words as Arrow strings, with their languages as flat id arrays.

    Returns ``(words, n_langs, offsets, lang_ids, langs)``: word ``i`` is a function word of
    the languages ``langs[lang_ids[offsets[i]:offsets[i] + n_langs[i]]]``, in the table's order.
    """
    import pyarrow as pa

    table = _table()
    words = [w for w in table if w.isascii()]
    langs = tuple(dict.fromkeys(lang for w in words for lang in table[w]))
    ids = {lang: k for k, lang in enumerate(langs)}
    n_langs = np.array([len(table[w]) for w in words], np.int64)
    offsets = np.concatenate([[0], np.cumsum(n_langs)[:-1]]).astype(np.int64)
    lang_ids = np.array([ids[lang] for w in words for lang in table[w]], np.int64)
    return pa.array(words, pa.large_string()), n_langs, offsets, lang_ids, langs


def guess_langs(texts: Sequence[str], sample: int = 800) -> list[str | None]:
    """Return ``[guess_lang(t, sample) for t in texts]``, most of it at once.

    A sample whose characters are ASCII once its curly quotes and dashes are spaces (most
    news in languages written in Latin letters without accents, English above all) has
    for words its runs of ASCII letters: ``bytes.translate`` lowers them and makes every
    other byte a space, Arrow splits all such samples at once and looks their words up in
    the function-word table, and numpy counts the words of each language, breaking ties by
    which language was seen first as :func:`guess_lang` does.
    Other samples go through :func:`guess_lang`. A test compares the two on arbitrary text.

    Examples
    --------
    >>> guess_langs(["The president said on Monday that the talks were useful.", "12 34"])
    ['en', None]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    out: list[str | None] = [None] * len(texts)
    fast: list[int] = []
    folded: list[bytes] = []
    for i, text in enumerate(texts):
        part = text[:sample]
        if not part.isascii():
            for mark in _MARKS:
                if mark in part:
                    part = part.replace(mark, " ")
            if not part.isascii():
                out[i] = guess_lang(text, sample)
                continue
        fast.append(i)
        folded.append(part.encode("ascii").translate(_FOLD))  # letters lowered, others spaces
    if not fast:
        return out
    words, n_langs, offsets, lang_ids, langs = _ascii_table()
    tokens = pc.ascii_split_whitespace(pa.array(folded, pa.large_binary()).cast(pa.large_string()))
    flat = pc.list_flatten(tokens)
    doc = pc.list_parent_indices(tokens).to_numpy()
    m = len(folded)
    n_words = np.bincount(doc[pc.binary_length(flat).to_numpy() > 0], minlength=m)
    found = pc.fill_null(pc.index_in(flat, value_set=words), -1).to_numpy()
    pos = np.flatnonzero(found >= 0)  # the function words, in text order
    word = found[pos]
    reps = n_langs[word]
    # one row per (function word, one of its languages), in the order guess_lang counts them
    row_doc = np.repeat(doc[pos], reps)
    within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    row_lang = lang_ids[np.repeat(offsets[word], reps) + within]
    n_l = len(langs)
    key = row_doc * n_l + row_lang
    counts = np.bincount(key, minlength=m * n_l).reshape(m, n_l)
    first = np.full(m * n_l, np.iinfo(np.int64).max)
    keys, at = np.unique(key, return_index=True)  # the first row of each (doc, language)
    first[keys] = at
    first = first.reshape(m, n_l)
    top = counts.max(axis=1)
    best = np.where(counts == top[:, None], first, np.iinfo(np.int64).max).argmin(axis=1)
    keep = (n_words >= 3) & (top > 0) & (top >= np.maximum(1, 0.05 * n_words))
    for j in np.flatnonzero(keep):
        out[fast[j]] = langs[best[j]]
    return out
