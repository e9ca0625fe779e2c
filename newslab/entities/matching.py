"""Gazetteer matching within one article: overlaps, role appositions and in-document resolution."""

from __future__ import annotations

import re

from newslab.entities.gazetteer import PARTIAL_KINDS, Gazetteer, Period

__all__ = ["Match", "match_document"]

#: (start, end, entity position, method, metonym)
Match = tuple[int, int, int, str, bool]

_Cand = tuple[int, int, tuple[tuple[int, str, bool], ...]]

_PLACE_KINDS = frozenset({"capital", "seat"})
_NAME_CONTINUES = re.compile(r" [A-Z][a-z]")


def _select(cands: list[_Cand], occupied: bytearray) -> list[_Cand]:
    """Longest match wins; among equal lengths the leftmost. Marks ``occupied``."""
    chosen = []
    for c in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
        s, e = c[0], c[1]
        if occupied.find(1, s, e) != -1:
            continue
        occupied[s:e] = b"\x01" * (e - s)
        chosen.append(c)
    chosen.sort()
    return chosen


def _is_role(c: _Cand) -> bool:
    return all(k == "role" for _, k, _ in c[2])


def _is_person(c: _Cand, gaz: Gazetteer) -> bool:
    return all(gaz.type[i] == "PERSON" for i, _, _ in c[2])


def match_document(
    text: str,
    gaz: Gazetteer,
    ambiguous_ok: frozenset[str] = frozenset(),
    period: Period = None,
) -> tuple[list[Match], bytearray]:
    """Return the gazetteer mentions of one (normalised) article and a map of covered characters.

    Parameters
    ----------
    text
        The article text after :func:`newslab.entities.gazetteer.normalize`.
    gaz
        The compiled gazetteer.
    ambiguous_ok
        Aliases (surfaces) that must NOT be resolved from the gazetteer alone even when unique
        there (e.g. a surname that is also a month); they need the full name in the article.
    period
        The days the article's date stands for (:func:`newslab.entities.gazetteer.doc_period`);
        aliases valid only at other times (a role held by someone else then) are not read.
        None when the date is unknown.

    Returns
    -------
    (list of Match, bytearray)
        Mentions sorted by start, and a bytearray with 1 for every character inside a mention.

    Notes
    -----
    Rules, in order:

    1. Overlapping candidates: the longest wins ("Chinese Foreign Ministry" over "Chinese").
    2. A role alias ("Russian Foreign Minister") directly followed by a person's name is an
       apposition: the role is dropped and the words inside it are matched again without role
       aliases, so "Russian Foreign Minister Sergei Lavrov" gives Russia + Lavrov.
    3. A capital or seat directly followed by a capitalised word ("Rome Statute", "Paris
       Agreement") is part of another name and gives no row.
    4. A role alias also yields the country or body named inside it: "the French president"
       gives Macron and France (the France row's span lies inside the role's span).
    5. An alias naming one entity with a full (non-partial, non-role) kind is a ``gazetteer``
       mention; these entities are "named in the article".
    6. A partial name (surname/given) or an alias shared by several entities is linked to the one
       candidate named in the article (``resolved`` for partial names). When none is named and
       the alias has exactly one full reading, that one is used; when it belongs to a single
       person only, that person is used (method ``gazetteer``) unless the alias is listed in
       ``ambiguous_ok``. Otherwise (two candidates named, or several and none named) the mention
       is left out: newslab never guesses.
    """
    n = len(text)
    occupied = bytearray(n)
    cands = gaz.candidates(text, period)
    if not cands:
        return [], occupied
    chosen = _select(cands, occupied)

    # Rule 2: role aliases in apposition to a person name.
    k = 0
    while k < len(chosen) - 1:
        c, nxt = chosen[k], chosen[k + 1]
        if _is_role(c) and _is_person(nxt, gaz) and not text[c[1] : nxt[0]].strip(" ,"):
            s, e = c[0], c[1]
            occupied[s:e] = bytes(e - s)
            inner = [x for x in cands if s <= x[0] and x[1] <= e and x is not c and not _is_role(x)]
            chosen[k : k + 1] = _select(inner, occupied)
            chosen.sort()
        k += 1

    # Rule 3: a capital or seat directly followed by a capitalised word is part of a longer
    # proper name ("Rome Statute", "Paris Agreement", "Beijing Olympics"), not the government.
    chosen = [
        c
        for c in chosen
        if not (all(k in _PLACE_KINDS for _, k, _ in c[2]) and _NAME_CONTINUES.match(text, c[1]))
    ]

    # Rule 4: a role alias also mentions the country or body named inside it
    # ("the French president" -> Macron and France).
    nested: list[_Cand] = []
    for c in chosen:
        if _is_role(c):
            s, e = c[0], c[1]
            inner = [x for x in cands if s <= x[0] and x[1] <= e and x is not c and not _is_role(x)]
            inner = [x for x in inner if not any(gaz.type[i] == "PERSON" for i, _, _ in x[2])]
            nested.extend(_select(inner, bytearray(n)))

    named = set()
    for _, _, cs in chosen:
        if len(cs) == 1 and cs[0][1] not in PARTIAL_KINDS and cs[0][1] != "role":
            named.add(cs[0][0])

    out: list[Match] = []
    for s, e, cs in sorted(chosen + nested):
        if len(cs) == 1 and cs[0][1] not in PARTIAL_KINDS:
            out.append((s, e, cs[0][0], "gazetteer", cs[0][2]))
            continue
        present = {c[0]: c for c in cs if c[0] in named}
        if len(present) == 1:
            c = next(iter(present.values()))
            out.append((s, e, c[0], "resolved" if c[1] in PARTIAL_KINDS else "gazetteer", c[2]))
            continue
        if present:
            continue  # two candidates named in the article: ambiguous
        full = {c[0]: c for c in cs if c[1] not in PARTIAL_KINDS}
        if len(full) == 1:
            c = next(iter(full.values()))
            out.append((s, e, c[0], "gazetteer", c[2]))
        elif not full and len({c[0] for c in cs}) == 1 and text[s:e] not in ambiguous_ok:
            c = cs[0]
            out.append((s, e, c[0], "gazetteer", c[2]))
    # Uncovered characters of dropped (ambiguous) mentions stay covered: they are names, and
    # discovery must not report them as new entities.
    return out, occupied
