"""Which lines of a text can a set of line rules match? A sound pre-filter, in two regex scans.

Matching every line of an article against the boilerplate rules costs a Python call per line.
Most lines are running text that no rule can match, and most rules can only match a line that
starts (or ends) with one of a few literal strings: "Read also", "Share", "Copyright",
".jpg". This module reads those strings out of the rules' own regular expressions
(:func:`line_affixes`) and builds a :class:`LineFilter` that finds, for a whole text at once,
the lines a rule may match:

* lines that start with a rule's literal prefix, or with anything but an ASCII letter;
* lines that end with a rule's literal suffix;
* lines no longer than the widest rule that has neither (no default rule needs this).

Two regex scans over the text's UTF-8 bytes with ASCII letters lowered find them all: a line
start (``b"\\n"``) followed by a prefix or a non-letter, and a suffix followed by a line end.

The filter is *sound*: a line it does not return is a line no rule of the set fully matches
(``tests/test_corpus_linefilter.py`` checks this on lines generated from every default rule).
It is conservative: it returns lines no rule matches too.
When a rule's pattern holds something the analysis does not follow, :meth:`LineFilter.build`
gives None and the caller matches every line, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["LineFilter", "line_affixes", "first_chars", "trie", "CASE_TWINS"]

_ASCII = [chr(i) for i in range(128)]
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: The characters beyond ASCII that a case-insensitive pattern matches to an ASCII letter, or
#: the reverse (İ, dotless ı, long ſ, the Kelvin sign); ``tests/test_corpus_linefilter.py``
#: checks this against every code point. A text holding one is matched line by line.
CASE_TWINS = ("\u0130", "\u0131", "\u017f", "\u212a")
_MAX_PREFIX = 24  # characters of a literal prefix worth finding
_MAX_PATHS = 400  # literal strings per rule before the analysis stops extending them
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")

_CATEGORY_TEST = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_NOT_DIGIT": lambda ch: not ch.isdigit(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda ch: not ch.isspace(),
    "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
    "CATEGORY_NOT_WORD": lambda ch: not (ch.isalnum() or ch == "_"),
}


def class_chars(items: list, ignorecase: bool) -> frozenset[str] | None:
    """Return the ASCII characters a parsed character class matches (None: cannot tell)."""
    negate = False
    literals: set[int] = set()
    ranges: list[tuple[int, int]] = []
    categories = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            if ignorecase and av >= 128:
                return None  # e.g. the Kelvin sign matches "k" case-insensitively
            literals.add(av)
        elif name == "RANGE":
            if ignorecase and av[1] >= 128:
                return None
            ranges.append(av)
        elif name == "CATEGORY" and str(av) in _CATEGORY_TEST:
            categories.append(_CATEGORY_TEST[str(av)])
        else:
            return None

    def member(ch: str) -> bool:
        code = ord(ch)
        return (
            code in literals
            or any(lo <= code <= hi for lo, hi in ranges)
            or any(test(ch) for test in categories)
        )

    out = set()
    for ch in _ASCII:
        variants = {ch, ch.lower(), ch.upper()} if ignorecase else {ch}
        if any(member(v) for v in variants) != negate:
            out.add(ch)
    return frozenset(out)


def first_chars(seq: Iterable[Any], flags: int) -> tuple[frozenset[str] | None, bool]:
    """Return the ASCII characters a parsed pattern can start with, and whether it can be empty.

    None for the characters means "any": the pattern starts with something this analysis does
    not follow (a look-ahead, ``.``, a back-reference, a non-ASCII case-insensitive literal).
    """
    first: set[str] = set()
    for op, av in seq:
        name = str(op)
        ignorecase = bool(flags & re.IGNORECASE)
        if name == "LITERAL":
            ch = chr(av)
            if ignorecase and not ch.isascii():
                return None, False
            got: frozenset[str] | None = frozenset(
                c for c in ({ch, ch.lower(), ch.upper()} if ignorecase else {ch}) if c.isascii()
            )
            nullable = False
        elif name == "IN":
            got, nullable = class_chars(av, ignorecase), False
        elif name == "AT":
            continue
        elif name == "SUBPATTERN":
            _, add, rem, sub = av
            got, nullable = first_chars(sub, (flags | add) & ~rem)
        elif name == "ATOMIC_GROUP":
            got, nullable = first_chars(av, flags)
        elif name in _REPEATS:
            lo, _, sub = av
            got, nullable = first_chars(sub, flags)
            nullable = nullable or lo == 0
        elif name == "BRANCH":
            acc: set[str] | None = set()
            nullable = False
            for branch in av[1]:
                g, n = first_chars(branch, flags)
                nullable = nullable or n
                acc = None if acc is None or g is None else acc | g
            got = None if acc is None else frozenset(acc)
        else:
            return None, False
        if got is None:
            return None, False
        first |= got
        if not nullable:
            return frozenset(first), False
    return frozenset(first), True


class _Walk:
    """The literal strings a parsed pattern's matches must start with (or, reversed, end with).

    ``ends`` collects the finished strings, lowercased (and reversed for suffixes); ``wide``
    becomes True when some match is not pinned down by one. Forward only, a match that must
    start with a character that is not an ASCII letter needs no string: :class:`LineFilter`
    takes every line that starts so.
    """

    def __init__(self, reverse: bool) -> None:
        self.reverse = reverse
        self.ends: set[str] = set()
        self.wide = False

    def close(self, paths: Iterable[str], elem: tuple | None, flags: int) -> None:
        for p in paths:
            if "\n" in p:
                continue  # a line holds no newline: no line matches this way
            if p and (self.reverse or p[0] in _LETTERS):
                self.ends.add(p)
            elif p:
                pass  # the line starts with a non-letter: the filter takes every such line
            elif self.reverse or elem is None or not self._not_letter(elem, flags):
                self.wide = True

    @staticmethod
    def _not_letter(elem: tuple, flags: int) -> bool:
        """Whether a line starting with the element can never start with an ASCII letter."""
        op, av = elem
        name = str(op)
        ignorecase = bool(flags & re.IGNORECASE)
        if name == "LITERAL":
            ch = chr(av)
            return ch not in _LETTERS and ch not in CASE_TWINS
        if name == "IN":
            if all(str(o) == "LITERAL" for o, _ in av):  # [•⦁]: a set of characters
                return all(chr(c) not in _LETTERS and chr(c) not in CASE_TWINS for _, c in av)
            chars = class_chars(av, ignorecase)
            return chars is not None and not (chars & _LETTERS)
        chars, nullable = first_chars([elem], flags)
        return chars is not None and not nullable and not (chars & _LETTERS)

    def seq(self, seq: Sequence[Any], flags: int, paths: set[str]) -> set[str]:
        """Extend the open ``paths`` through ``seq``; return those still open at its end."""
        items = list(seq)
        if self.reverse:
            items.reverse()
        for elem in items:
            if not paths:
                break
            op, av = elem
            name = str(op)
            if name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue  # zero-width: skipping a condition only widens the matches
            if name == "LITERAL" and chr(av).isascii():
                ch = chr(av).lower()
                paths = {p + ch for p in paths}
            elif name == "IN" and self._one_letter(av) is not None:
                ch = self._one_letter(av)
                paths = {p + ch for p in paths}  # type: ignore[operator]
            elif name == "SUBPATTERN":
                _, add, rem, sub = av
                paths = self.seq(sub, (flags | add) & ~rem, paths)
            elif name == "BRANCH":
                out: set[str] = set()
                for branch in av[1]:
                    out |= self.seq(branch, flags, set(paths))
                paths = out
            elif name in _REPEATS:
                lo, hi, sub = av
                once = self.seq(sub, flags, set(paths))
                if hi == 1:  # x? and x{1}: one round at most, after which the strings go on
                    paths = once | (paths if lo == 0 else set())
                else:
                    self.close(once, None, flags)  # one round, then the literal string ends
                    if lo == 0:
                        continue  # the repeat may be skipped: paths go on unchanged
                    paths = set()
            else:
                self.close(paths, elem, flags)
                paths = set()
            long = {p for p in paths if len(p) >= _MAX_PREFIX}
            if long:
                self.close(long, None, flags)
                paths -= long
            if len(paths) > _MAX_PATHS:
                self.close(paths, None, flags)
                paths = set()
        return paths

    @staticmethod
    def _one_letter(items: list) -> str | None:
        """The ASCII letter a class like ``[Bb]`` stands for, lowercased; else None."""
        chars = {chr(av) for op, av in items if str(op) == "LITERAL"}
        if len(chars) != len(items) or not chars <= _LETTERS:
            return None
        lowered = {c.lower() for c in chars}
        return lowered.pop() if len(lowered) == 1 else None


def line_affixes(pattern: re.Pattern[str]) -> tuple[frozenset[str], frozenset[str], int] | None:
    """Return what a line fully matching ``pattern`` must start or end with.

    Returns
    -------
    tuple or None
        ``(prefixes, suffixes, width)``: every line the pattern fully matches starts with a
        character that is not an ASCII letter, or (ASCII letters lowered) starts with one of
        ``prefixes``, or ends with one of ``suffixes``, or is at most ``width``
        characters long (0: never needed). Which of prefixes or suffixes is used is the
        better-known side of the pattern. None when the pattern holds something the analysis
        does not follow (a back-reference, a conditional).

    Examples
    --------
    >>> prefixes, suffixes, width = line_affixes(re.compile(r"(?i)read also:?\\s.*|share"))
    >>> sorted(prefixes), sorted(suffixes), width
    (['read also', 'read also:', 'share'], [], 0)
    >>> prefixes, suffixes, width = line_affixes(re.compile(r"[\\w\\-]{1,80}\\.(?:jpe?g|png)"))
    >>> sorted(prefixes), sorted(suffixes), width
    ([], ['.jpeg', '.jpg', '.png'], 0)
    """
    try:
        from re import _parser

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        flags = parsed.state.flags
        sides = []
        for reverse in (False, True):
            walk = _Walk(reverse)
            walk.close(walk.seq(parsed, flags, {""}), None, flags)
            sides.append(walk)
        head, tail = sides
        if not head.wide:
            return frozenset(head.ends), frozenset(), 0
        if not tail.wide:
            return frozenset(), frozenset(p[::-1] for p in tail.ends), 0
        width = parsed.getwidth()[1]
    except Exception:  # noqa: BLE001 - an unknown construct: no filter, every line is matched
        return None
    return frozenset(head.ends), frozenset(), int(width)


def trie(words: Iterable[str], *, shortest: bool = False) -> str:
    """A regex alternation of ``words`` shaped as a trie (the engine tries one branch per
    character instead of every word).

    With ``shortest``, a word that another word starts with stands for both ("ad" for "ad"
    and "advert"): right for prefixes, whose rest of line is free. Without it, the pattern
    matches what the alternation of the words matches (a test compares them).

    Examples
    --------
    >>> trie(["mar", "march", "may"])
    'ma(?:r(?:ch)?|y)'
    >>> trie(["ad", "advert"], shortest=True)
    'ad'
    """
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts or (shortest and "" in node):
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _tail_pattern(suffixes: Iterable[str]) -> re.Pattern[bytes]:
    """A pattern that matches the newline after a line ending with one of ``suffixes``.

    It starts with the newline, a literal byte the regex engine searches for first; a
    look-behind then tests the last two characters of the line against those of the
    suffixes (most lines fail here), and one look-behind per suffix length tests the whole
    suffix (a look-behind has one width).

    Examples
    --------
    >>> [m.start() for m in _tail_pattern(["read more", ".jpg"]).finditer(b"a.jpg\\nb\\nread more\\n")]
    [5, 17]
    """
    by_width: dict[int, set[bytes]] = {}
    for suffix in suffixes:
        data = suffix.encode("ascii")
        by_width.setdefault(len(data), set()).add(data)
    quick = {x[-2:] for group in by_width.values() for x in group}

    def behind(alternatives: set[bytes]) -> bytes:
        return b"(?<=(?:" + b"|".join(re.escape(x) for x in sorted(alternatives)) + b")\\n)"

    groups: dict[int, set[bytes]] = {}
    for x in quick:
        groups.setdefault(len(x), set()).add(x)
    first = b"(?:" + b"|".join(behind(g) for _, g in sorted(groups.items())) + b")"
    whole = b"(?:" + b"|".join(behind(g) for _, g in sorted(by_width.items())) + b")"
    return re.compile(b"\\n" + first + whole)


class LineFilter:
    """Find, in one text, the lines that some rule of a set may fully match.

    Build it with :meth:`build`; call :meth:`candidates` with a text's lowered bytes and its
    lines.
    """

    def __init__(self, prefixes: Iterable[str], suffixes: Iterable[str], width: int) -> None:
        self.prefixes = frozenset(prefixes)
        self.suffixes = frozenset(suffixes)
        self.width = width
        pre = trie(self.prefixes, shortest=True)
        # Two scans, each fast because it starts with one literal byte the regex engine looks
        # for first, a newline: the start of a line then a non-letter or a prefix; the end of
        # a line, and behind it one of the suffixes (a look-behind per suffix length, as a
        # look-behind has one width). A pattern starting with the suffixes themselves would be
        # tried at every byte unless they all start with one literal byte (".jpg", ".png").
        # One scan with both would try the whole pattern at every byte too.
        self._head = re.compile(
            b"\\n(?:[^a-z\\n]" + (b"|" + pre.encode("ascii") if pre else b"") + b")"
        )
        self._tail = _tail_pattern(self.suffixes) if self.suffixes else None

    @classmethod
    def build(cls, patterns: Iterable[re.Pattern[str]], max_width: int = 200) -> LineFilter | None:
        """Return the filter for ``patterns``, or None when one of them cannot be analysed or
        would make every line up to ``max_width`` characters a candidate."""
        prefixes: set[str] = set()
        suffixes: set[str] = set()
        width = 0
        for pattern in patterns:
            got = line_affixes(pattern)
            if got is None or got[2] > max_width:
                return None
            prefixes |= got[0]
            suffixes |= got[1]
            width = max(width, got[2])
        if any(not p.isascii() for p in prefixes | suffixes):
            return None
        return cls(prefixes, suffixes, width)

    def candidates(self, lowered: bytes, lines: Sequence[str]) -> set[int]:
        """Return the numbers (1-based) of the lines some rule may fully match.

        Parameters
        ----------
        lowered
            The text's UTF-8 bytes with ASCII letters lowered (``bytes.lower``); the text must
            hold none of :data:`CASE_TWINS`.
        lines
            The text split at ``"\\n"``, for the width test.

        Examples
        --------
        >>> f = LineFilter(["read also"], [".jpg"], 0)
        >>> text = "Read also: x\\nPlain prose.\\n“Quoted”\\nphoto.jpg"
        >>> sorted(f.candidates(text.encode().lower(), text.split("\\n")))
        [1, 3, 4]
        """
        out: set[int] = set()
        buf = b"\n" + lowered + b"\n"  # a newline before the first line and after the last
        line, last = 0, 0
        for m in self._head.finditer(buf):  # each match starts on the newline before its line
            pos = m.start() + 1
            line += buf.count(b"\n", last, pos)
            last = pos
            out.add(line)
        if self._tail is not None:
            line, last = 0, 0
            for m in self._tail.finditer(buf):  # each match is the newline after its line
                pos = m.start()
                line += buf.count(b"\n", last, pos)
                last = pos
                out.add(line)
        if self.width:
            width = self.width
            out.update(i for i, text in enumerate(lines, 1) if 0 < len(text) <= width)
        return out
