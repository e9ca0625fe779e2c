"""Discovery of names the gazetteer does not know: capitalised sequences and NLTK's NE chunker."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
import warnings
from typing import Any

from newslab.text import read_word_list, stopwords

__all__ = ["Discovered", "discover_document", "nltk_chunker", "slug"]

#: (start, end, label)
Discovered = tuple[int, int, str]

_UPPER = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UPPER}](?:\.|[\w'-]*\w)?"


@functools.cache
def _particles() -> frozenset[str]:
    return frozenset(read_word_list("name_particles.txt"))


@functools.cache
def _calendar() -> frozenset[str]:
    return frozenset(read_word_list("calendar_words.txt"))


@functools.cache
def _modifiers() -> frozenset[str]:
    return frozenset(read_word_list("name_modifiers.txt"))


@functools.cache
def _titles() -> frozenset[str]:
    return frozenset(read_word_list("title_words.txt"))


@functools.cache
def _sequence_re() -> re.Pattern[str]:
    parts = "|".join(sorted((re.escape(p) for p in _particles()), key=len, reverse=True))
    return re.compile(rf"(?<![\w'-]){_WORD}(?:[ ]+(?:(?:{parts})[ ]+){{0,2}}{_WORD})+")


_TOKEN_RE = re.compile(r"\S+")
_has_digit = re.compile(r"\d").search
_HEAD_WORD_RE = re.compile(r"[^\W\d_][\w'-]*")
_LOWER_WORD_RE = re.compile(r"(?<![\w'-])[a-z][\w'-]*")


def slug(label: str) -> str:
    """Return a lowercase ASCII identifier for a discovered name.

    Parameters
    ----------
    label
        The name as written.

    Returns
    -------
    str
        ``new:`` followed by words joined with ``_``.

    Examples
    --------
    >>> slug("Jürgen O'Neill-Smith")
    'new:jurgen_o_neill_smith'
    """
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return "new:" + re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


def _clean_label(surface: str) -> str:
    label = " ".join(surface.split())
    if label.endswith(("'s", "'")):
        label = label[:-2] if label.endswith("'s") else label[:-1]
    return label


def is_headline(sentence: str, covered: bytes | None = None) -> bool:
    """Return True when a sentence reads like a title (most content words capitalised).

    Parameters
    ----------
    sentence
        Sentence text.
    covered
        Optional per-character mask (1 = inside a known mention); words inside known
        mentions are not counted, so a sentence full of known names is not a title.

    Returns
    -------
    bool
        Titles are lines without final punctuation whose uncovered content words are mostly
        (>= 60%) capitalised, or any sentence with 5+ uncovered content words all capitalised.

    Examples
    --------
    >>> is_headline("Putin Hails Strengthening Ties With Beijing")
    True
    >>> is_headline("Officials met in Geneva on Monday.")
    False
    """
    stop = stopwords()
    ends = sentence.rstrip("\"')]’” ")[-1:] in (".", "!", "?")
    if ends:
        # Fast exit for ordinary sentences: one uncovered lowercase content word is enough.
        for m in _LOWER_WORD_RE.finditer(sentence):
            if m.group().lower() not in stop and (covered is None or not covered[m.start()]):
                return False
    caps = total = 0
    for m in _HEAD_WORD_RE.finditer(sentence):
        w = m.group()
        if w.lower() in stop:
            continue
        if covered is not None and covered[m.start()]:
            continue
        total += 1
        caps += w[0].isupper()
    if total == 0:
        return False
    if not ends and total >= 2 and caps / total >= 0.6:
        return True
    return total >= 5 and caps == total


_BYLINE_RE = re.compile(r"\s*(?:By|BY|by)\s+\S[^.!?]{0,80}$")


def is_byline(sentence: str) -> bool:
    """Return True for a byline ("By Jane Roe", "By Abraham"): the author, not a mention.

    Examples
    --------
    >>> is_byline("By Abraham")
    True
    >>> is_byline("By Monday the talks had stalled.")
    False
    """
    return _BYLINE_RE.match(sentence.strip()) is not None


def _bare(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word.rstrip("'")


def _runs(
    tokens: list[tuple[int, int, str]],
    text: str,
    occupied: bytearray,
    sent_start: int,
) -> list[tuple[int, int]]:
    """Split a capitalised sequence into candidate names (token index ranges)."""
    stop, cal, titles, parts = stopwords(), _calendar(), _titles(), _particles()
    runs: list[list[int]] = [[]]
    for i, (s, e, w) in enumerate(tokens):
        bare = _bare(w)
        bad = (
            occupied.find(1, s, e) != -1
            or (len(bare) >= 4 and bare.isupper())
            or bare in cal
            or _has_digit(bare) is not None
            or (bare.lower() in stop and bare not in parts)
        )
        if not bad and s == sent_start and bare[0].isupper():
            # A sentence-initial word that also occurs in lowercase is a common word.
            low = bare.lower()
            bad = f" {low} " in text or f" {low}," in text or f" {low}." in text
        if bad:
            runs.append([])
            continue
        runs[-1].append(i)
        if w.endswith("'s") or w.endswith("'"):
            runs.append([])
    out = []
    n_tok = len(tokens)
    for run in runs:
        # "Secretary of State Jane Roe": a title, "of" and the office word all go.
        while run and (tokens[run[0]][2] in titles or tokens[run[0]][2] in parts):
            first = run[0]
            run = run[1:]
            if (
                tokens[first][2] in titles
                and run
                and tokens[run[0]][2] == "of"
                and len(run) > 2
                and run[1] < n_tok
            ):
                run = run[2:]
        while run and (_bare(tokens[run[-1]][2]) in titles or tokens[run[-1]][2] in parts):
            run = run[:-1]
        caps = [i for i in run if tokens[i][2][0].isupper() and tokens[i][2] not in titles]
        if len(caps) >= 2:
            out.append((run[0], run[-1]))
    return out


def discover_document(
    text: str,
    starts: list[int],
    ends: list[int],
    occupied: bytearray,
    chunker: Any = None,
) -> list[Discovered]:
    """Return capitalised-name candidates that no gazetteer mention covers.

    Parameters
    ----------
    text
        Normalised article text.
    starts, ends
        Sentence offsets (sorted).
    occupied
        Per-character mask of gazetteer mentions; discovered spans are added to it.
    chunker
        Optional ``(tagger, chunker)`` pair from :func:`nltk_chunker`; its NE chunks are added.

    Returns
    -------
    list of (start, end, label)
        Sorted by start; ``label`` has whitespace collapsed and no possessive.

    Notes
    -----
    A candidate is two or more capitalised words (name particles such as "of", "von", "bin"
    may join them). Titles, months and weekdays, stopwords, words with digits, words already
    matched by the gazetteer and sentence-initial words that also occur in lowercase are cut
    out; title words ("President", "Minister") are trimmed from both ends; headline-like
    sentences are skipped. NE chunks from NLTK pass the same filters, must contain a proper
    noun (NNP), and a one-word chunk must not start its sentence.
    """
    found: list[Discovered] = []
    headline: dict[int, bool] = {}
    rx = _sequence_re()
    for m in rx.finditer(text):
        si = bisect.bisect_right(starts, m.start()) - 1
        if si < 0 or m.end() > ends[si]:
            continue
        if si not in headline:
            s0, e0 = starts[si], ends[si]
            headline[si] = is_headline(text[s0:e0], bytes(occupied[s0:e0])) or is_byline(
                text[s0:e0]
            )
        if headline[si]:
            continue
        base = m.start()
        toks = [
            (base + t.start(), base + t.end(), t.group()) for t in _TOKEN_RE.finditer(m.group())
        ]
        for a, b in _runs(toks, text, occupied, starts[si]):
            s, e = toks[a][0], toks[b][1]
            label = _clean_label(text[s:e])
            e = s + len(label) if text[s:e].startswith(label) else e
            found.append((s, e, label))
            occupied[s:e] = b"\x01" * (e - s)
    if chunker is not None:
        found.extend(_nltk_chunks(text, starts, ends, occupied, chunker, headline))
    found.sort()
    return found


_CHUNK_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-']\w+)*|[^\w\s]")


def _nltk_chunks(
    text: str,
    starts: list[int],
    ends: list[int],
    occupied: bytearray,
    models: Any,
    headline: dict[int, bool],
) -> list[Discovered]:
    tagger, chunker = models
    stop, cal, titles, modifiers = stopwords(), _calendar(), _titles(), _modifiers()
    out: list[Discovered] = []
    for si, (s0, e0) in enumerate(zip(starts, ends, strict=True)):
        if si not in headline:
            headline[si] = is_headline(text[s0:e0], bytes(occupied[s0:e0])) or is_byline(
                text[s0:e0]
            )
        if headline[si]:
            continue
        toks = [
            (s0 + t.start(), s0 + t.end(), t.group()) for t in _CHUNK_TOKEN_RE.finditer(text[s0:e0])
        ]
        if not toks:
            continue
        tree = chunker.parse(tagger.tag([t[2] for t in toks]))
        i = 0
        for node in tree:
            if isinstance(node, tuple):
                i += 1
                continue
            n = len(node)
            span = toks[i : i + n]
            if not any(tag.startswith("NNP") for _, tag in node.leaves()):
                i += n
                continue  # adjectives such as "Western" are not names
            first = i
            i += n
            while span and (span[0][2] in titles or span[0][2].lower() in stop):
                span = span[1:]
                first += 1
            while span and (span[-1][2] in titles or not span[-1][2][0].isalnum()):
                span = span[:-1]
            if not span:
                continue
            s, e = span[0][0], span[-1][1]
            words = [t[2] for t in span]
            if occupied.find(1, s, e) != -1:
                continue
            if any(w in cal or any(ch.isdigit() for ch in w) for w in words):
                continue
            if not words[0][0].isupper():
                continue
            if len(span) == 1:
                word = words[0]
                low = word.lower()
                if first == 0 or s == s0 or word in modifiers:
                    continue
                if f" {low} " in text or f" {low}," in text or f" {low}." in text:
                    continue  # a common word capitalised here ("Council", "West")
            label = _clean_label(text[s:e])
            out.append((s, s + len(label), label))
            occupied[s:e] = b"\x01" * (e - s)
    return out


@functools.cache
def nltk_chunker() -> tuple[Any, Any] | None:
    """Return NLTK's POS tagger and binary NE chunker, built once, or None when not installed.

    Returns
    -------
    tuple or None
        ``(PerceptronTagger, Maxent_NE_Chunker)`` loaded from ``NLTK_DATA``
        (``averaged_perceptron_tagger_eng`` and ``maxent_ne_chunker_tab/english_ace_binary``);
        ``None`` with a one-time warning when either is missing. Never downloads anything.
    """
    try:
        from nltk.chunk import Maxent_NE_Chunker
        from nltk.tag import PerceptronTagger

        return PerceptronTagger(), Maxent_NE_Chunker("binary")
    except (LookupError, OSError, ImportError):
        warnings.warn(
            "NLTK tagger/NE chunker models not found (set NLTK_DATA to use them); entity "
            "discovery uses capitalised-sequence rules only",
            stacklevel=2,
        )
        return None
