"""Boilerplate line rules: loaded from a data file users can read, extend or replace."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import AnyStr

import pandas as pd

from newslab.corpus.linefilter import CASE_TWINS, LineFilter, first_chars

__all__ = ["Rule", "RuleSet", "load_rules", "default_rules"]

ACTIONS = frozenset({"drop", "author", "outlet", "url", "caption", "site"})
SCOPES = frozenset({"prelude", "any"})
RuleSource = str | PathLike[str] | pd.DataFrame

#: The characters beyond ASCII whose lowercase holds an ASCII letter (İ -> i̇, Kelvin sign -> k);
#: ``tests/test_corpus_fastpaths.py`` checks this against every code point.
_ASCII_FROM_LOWER = ("\u0130", "\u212a")


def _rule_first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Return the ASCII characters a line ``pattern`` fully matches can start with (None: any)."""
    try:
        from re import _parser

        parsed = _parser.parse(pattern.pattern, pattern.flags)
        first, _ = first_chars(parsed, parsed.state.flags)
    except Exception:  # noqa: BLE001 - the analysis is an optimisation only
        return None
    return first


@dataclass(frozen=True)
class Rule:
    """One line rule: a name, what it does, where it applies, and its compiled pattern."""

    name: str
    action: str
    scope: str
    pattern: re.Pattern[str]
    hint: tuple[str, ...] = ()


def _hint_searches(
    hints: tuple[AnyStr, ...],
) -> tuple[tuple[AnyStr, tuple[AnyStr, ...] | None], ...]:
    """Return the searches that find every occurrence of ``hints``: ``(needle, hints)`` pairs.

    Hints that share a start of 4 characters or more are found by one search for their
    longest common start, each occurrence then tested for the hints themselves (``None``: the
    needle is the hint). A search costs one pass over the text, a test almost nothing.

    Examples
    --------
    >>> _hint_searches(("/", "patreon", "patron", "sign up", "signing up"))
    (('/', None), ('patr', ('patreon', 'patron')), ('sign', ('sign up', 'signing up')))
    """
    groups: dict[AnyStr, list[AnyStr]] = {}
    for h in sorted(hints):
        groups.setdefault(h[:4] if len(h) >= 4 else h, []).append(h)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append((members[0], None))
        else:
            out.append((os.path.commonprefix(members), tuple(members)))
    return tuple(out)


class RuleSet:
    """An ordered set of line rules matched with one combined regular expression per scope.

    Parameters
    ----------
    rules
        The rules, in priority order (the first that matches a line wins).
    """

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = list(rules)
        self._combined = {}
        self._hinted = {}
        self._any_hint: dict[str, tuple[str, ...]] = {}
        self._by_char: dict[str, dict[str, tuple]] = {}
        self._subset_of: dict[str, dict[str, tuple[int, ...]]] = {}
        self._plain: dict[str, list[tuple[int, Rule]]] = {}
        self._subsets: dict[tuple[str, tuple[int, ...]], tuple] = {}
        every_hint = sorted({h for r in self.rules for h in r.hint})
        self._all_hints: tuple[str, ...] | None = (
            tuple(h for h in every_hint if not any(o != h and o in h for o in every_hint))
            if all(h.isascii() for h in every_hint)
            else None
        )
        self._all_hint_bytes = _hint_searches(tuple(h.encode() for h in self._all_hints or ()))
        self._all_hint_str = _hint_searches(self._all_hints or ())
        for scope in ("prelude", "body"):
            active = [
                (i, r) for i, r in enumerate(self.rules) if r.scope == "any" or scope == "prelude"
            ]
            plain = [(i, r) for i, r in active if not r.hint]
            self._combined[scope] = (*self._combine([r for _, r in plain]), [i for i, _ in plain])
            # First-character dispatch: for a line starting with ASCII character c, only the
            # rules that can start with c are tried (one combined pattern per distinct subset).
            # The subsets are compiled when a line first needs them.
            firsts = [_rule_first_chars(r.pattern) for _, r in plain]
            self._plain[scope] = plain
            self._subset_of[scope] = {
                ch: tuple(k for k, f in enumerate(firsts) if f is None or ch in f)
                for ch in map(chr, range(128))
            }
            self._by_char[scope] = {}
            self._hinted[scope] = [
                (i, r, re.compile("|".join(re.escape(h) for h in r.hint)))
                for i, r in active
                if r.hint
            ]
            # One test for all hints of the scope: most lines hold none, and then no hinted
            # rule needs trying. A loop of ``in`` tests beats a regex alternation here; a hint
            # that contains another hint adds nothing to the test.
            hints = sorted({h for _, r in active for h in r.hint})
            self._any_hint[scope] = tuple(
                h for h in hints if not any(o != h and o in h for o in hints)
            )

    @staticmethod
    def _combine(rules: list[Rule]) -> tuple[re.Pattern[str] | None, list[Rule]]:
        if not rules:
            return None, []
        # Each rule becomes a numbered alternative; inner named groups are stripped so the
        # alternatives can be joined, and the rule's own pattern extracts the groups afterwards.
        parts = []
        for i, rule in enumerate(rules):
            inner = re.sub(r"\(\?P<\w+>", "(?:", rule.pattern.pattern)
            flags = "(?i:" if rule.pattern.flags & re.IGNORECASE else "(?:"
            inner = inner.replace("(?i)", "")
            parts.append(f"(?P<r{i}>{flags}{inner}))")
        return re.compile("|".join(parts)), rules

    def _dispatch(self, scope: str, ch: str) -> tuple:
        """Return (and remember) the combined pattern of the rules that can match a line
        starting with the ASCII character ``ch``."""
        keep = self._subset_of[scope][ch]
        key = (scope, keep)
        if key not in self._subsets:
            sub = [self._plain[scope][k] for k in keep]
            self._subsets[key] = (*self._combine([r for _, r in sub]), [i for i, _ in sub])
        self._by_char[scope][ch] = self._subsets[key]
        return self._subsets[key]

    def may_hint(self, text: str) -> bool:
        """Return False when no line of ``text`` can contain a hint of any rule.

        A caller matching the lines of ``text`` may then pass ``hints=False`` to :meth:`match`
        for every line that is an unchanged substring of ``text`` (stripped, not cleaned).

        Examples
        --------
        >>> default_rules().may_hint("Talks went well. Both sides agreed.")
        False
        >>> default_rules().may_hint("Please donate now.")
        True
        """
        hints = self._all_hints
        if hints is None:  # a hint that is not ASCII: lowercasing may depend on context
            return True
        lower = text.lower()
        return any(h in lower for h in hints)

    @property
    def line_filter(self) -> LineFilter | None:
        """The filter that finds the lines the unhinted rules may match (None: every line).

        Built from the rules' patterns when first needed (:mod:`newslab.corpus.linefilter`).
        """
        if not hasattr(self, "_line_filter"):
            self._line_filter = LineFilter.build(r.pattern for r in self.rules if not r.hint)
        return self._line_filter

    def scan_lines(self, text: str, lines: list[str]) -> tuple[set[int] | range, set[int] | None]:
        """Return the lines of ``text`` holding a hint, and those any rule may match.

        Parameters
        ----------
        text
            A text with ``"\\n"`` line ends.
        lines
            ``text.split("\\n")``.

        Returns
        -------
        tuple
            ``(hinted, candidates)``: line numbers (1-based). ``hinted`` is
            :meth:`hint_lines`. ``candidates`` holds every line, as it stands in ``text``,
            that a rule without hints may fully match, in either scope; it may hold others.
            A line that is not in either set matches no rule. ``candidates`` is None when the
            rules cannot be filtered or the text holds one of
            :data:`~newslab.corpus.linefilter.CASE_TWINS`: every line is then a candidate.

        Examples
        --------
        >>> text = "Talks went well.\\nRead also: more talks\\nPlease donate now."
        >>> hinted, candidates = default_rules().scan_lines(text, text.split("\\n"))
        >>> sorted(hinted), sorted(candidates)
        ([3], [2])
        """
        filt = self.line_filter
        if filt is None or any(ch in text for ch in CASE_TWINS):
            return self.hint_lines(text), None
        # No character of the text lowers to an ASCII letter or matches one case-insensitively:
        # lowering the bytes' ASCII letters lowers every ASCII letter the rules can see.
        lowered = text.encode("utf-8", "surrogatepass").lower()
        hinted = (
            self._hint_lines_in(lowered, self._all_hint_bytes)
            if self._all_hints is not None
            else range(len(lines) + 1)
        )
        return hinted, filt.candidates(lowered, lines)

    def hint_lines(self, text: str) -> set[int] | range:
        """Return the numbers (1-based) of the lines of ``text`` that contain a rule's hint.

        A caller matching the lines of ``text`` may pass ``hints=False`` to :meth:`match` for
        every other line that is an unchanged substring of ``text`` (stripped, not cleaned).
        When hints are not ASCII (lowercasing may then depend on context), every line number
        is returned.

        Examples
        --------
        >>> sorted(default_rules().hint_lines("Talks went well.\\nPlease DONATE now.\\nBye"))
        [2]
        """
        hints = self._all_hints
        if hints is None:
            return range(text.count("\n") + 2)
        # str.lower never makes or removes a newline: line k of the lowered text is line k of
        # ``text`` lowered, so an occurrence's line is the number of newlines before it, plus 1.
        lower: str | bytes
        if text.isascii() or not any(ch in text for ch in _ASCII_FROM_LOWER):
            # Only ASCII letters lower to ASCII letters here, so the ASCII hints are found in
            # the UTF-8 bytes lowered by bytes.lower (ASCII only, several times faster than
            # str.lower on text with curly quotes); a newline is one byte in UTF-8.
            lower = text.encode("utf-8", "surrogatepass").lower()
            return self._hint_lines_in(lower, self._all_hint_bytes)
        lower = text.lower()
        return self._hint_lines_in(lower, self._all_hint_str)

    @staticmethod
    def _hint_lines_in(lower: str | bytes, searches: tuple) -> set[int]:
        """Return the lines of ``lower`` holding a hint, from :func:`_hint_searches`."""
        newline = "\n" if isinstance(lower, str) else b"\n"
        out: set[int] = set()
        found: list[int] = []
        for needle, hints in searches:
            pos = lower.find(needle)
            while pos != -1:
                if hints is None or any(lower.startswith(h, pos) for h in hints):
                    found.append(pos)
                pos = lower.find(needle, pos + 1)
        # Count the newlines once, from one occurrence to the next.
        line, last = 1, 0
        for pos in sorted(found):
            line += lower.count(newline, last, pos)
            last = pos
            out.add(line)
        return out

    def match(
        self, line: str, *, prelude: bool, hints: bool = True
    ) -> tuple[Rule, re.Match[str]] | None:
        """Return the first rule matching the whole ``line`` and its match, or None.

        ``hints=False`` tells that the line contains no rule's hint (see :meth:`may_hint`), so
        the rules with hints are not tried.

        Examples
        --------
        >>> rule, m = default_rules().match("Read also: Beijing hosts talks", prelude=False)
        >>> rule.name
        'read_also'
        """
        scope = "prelude" if prelude else "body"
        first = line[:1]
        if first and first < "\x80":
            hit = self._by_char[scope].get(first)
            combined, rules, order = hit if hit is not None else self._dispatch(scope, first)
        else:
            combined, rules, order = self._combined[scope]
        best: tuple[int, Rule] | None = None
        if combined is not None:
            m = combined.fullmatch(line)
            if m is not None:
                k = int(m.lastgroup[1:])  # type: ignore[index]
                best = (order[k], rules[k])
        hinted = self._hinted[scope]
        if hints and hinted and (best is None or best[0] > hinted[0][0]):
            lower = line.lower()
            for h in self._any_hint[scope]:
                if h in lower:
                    break
            else:
                hinted = []
            for i, rule, hint in hinted:
                if best is not None and i > best[0]:
                    break
                if hint.search(lower) and rule.pattern.fullmatch(line):
                    best = (i, rule)
                    break
        if best is None:
            return None
        own = best[1].pattern.fullmatch(line)
        return (best[1], own) if own is not None else None

    def matcher(self, *, prelude: bool) -> Callable[[str, bool], tuple[Rule, re.Match[str]] | None]:
        """Return ``match`` for one scope as a function of ``(line, hints)`` (fewer lookups).

        Examples
        --------
        >>> body = default_rules().matcher(prelude=False)
        >>> body("Read also: Beijing hosts talks", True)[0].name
        'read_also'
        >>> body("Leaders met in Beijing on Tuesday.", False) is None
        True
        """
        scope = "prelude" if prelude else "body"
        by_char = self._by_char[scope]
        match = self.match

        def fast(line: str, hints: bool) -> tuple[Rule, re.Match[str]] | None:
            first = line[:1]
            hit = by_char.get(first) if first and first < "\x80" else None
            if hit is None or hints:
                return match(line, prelude=prelude, hints=hints)
            combined = hit[0]
            m = combined.fullmatch(line) if combined is not None else None
            if m is None:
                return None
            rule = hit[1][int(m.lastgroup[1:])]  # type: ignore[index]
            own = rule.pattern.fullmatch(line)
            return (rule, own) if own is not None else None

        return fast

    def __len__(self) -> int:
        return len(self.rules)

    def __add__(self, other: RuleSet) -> RuleSet:
        return RuleSet(self.rules + other.rules)

    def to_frame(self) -> pd.DataFrame:
        """Return the rules as a table (name, action, scope, pattern)."""
        return pd.DataFrame(
            [(r.name, r.action, r.scope, "|".join(r.hint), r.pattern.pattern) for r in self.rules],
            columns=["name", "action", "scope", "hint", "pattern"],
        )


def _read_table(source: RuleSource) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    text = Path(source).read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return pd.read_csv(
        io.StringIO("\n".join(lines)),
        sep="\t",
        dtype=str,
        keep_default_na=False,
        quoting=3,  # csv.QUOTE_NONE: patterns contain quotes
    )


def load_rules(source: RuleSource) -> RuleSet:
    """Return the rules in a TSV file (or DataFrame) with columns name, action, scope, [hint,] pattern.

    Parameters
    ----------
    source
        Path to a tab-separated file (``#`` lines are comments) or a DataFrame.

    Returns
    -------
    RuleSet

    Raises
    ------
    ValueError
        When a column is missing, an action or scope is unknown, or a pattern does not compile.
    """
    table = _read_table(source)
    missing = {"name", "action", "scope", "pattern"} - set(table.columns)
    if missing:
        raise ValueError(f"rules table is missing columns: {sorted(missing)}")
    rules = []
    for row in table.itertuples(index=False):
        if row.action not in ACTIONS:
            raise ValueError(
                f"rule {row.name!r}: unknown action {row.action!r}; use {sorted(ACTIONS)}"
            )
        if row.scope not in SCOPES:
            raise ValueError(
                f"rule {row.name!r}: unknown scope {row.scope!r}; use {sorted(SCOPES)}"
            )
        try:
            pattern = re.compile(row.pattern)
        except re.error as exc:
            raise ValueError(f"rule {row.name!r}: bad pattern: {exc}") from None
        hint_text = getattr(row, "hint", "") or ""
        hint = tuple(h.strip().lower() for h in str(hint_text).split("|") if h.strip())
        rules.append(Rule(row.name, row.action, row.scope, pattern, hint))
    return RuleSet(rules)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """Return the rules shipped in ``newslab/corpus/data/boilerplate.tsv``.

    Examples
    --------
    >>> len(default_rules()) > 10
    True
    """
    path = resources.files("newslab.corpus").joinpath("data/boilerplate.tsv")
    with resources.as_file(path) as p:
        return load_rules(p)
