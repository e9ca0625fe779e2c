"""Boilerplate line rules: loaded from a data file users can read, extend or replace."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd

__all__ = ["Rule", "RuleSet", "load_rules", "default_rules"]

ACTIONS = frozenset({"drop", "author", "outlet", "url", "caption", "site"})
SCOPES = frozenset({"prelude", "any"})
RuleSource = str | PathLike[str] | pd.DataFrame


@dataclass(frozen=True)
class Rule:
    """One line rule: a name, what it does, where it applies, and its compiled pattern."""

    name: str
    action: str
    scope: str
    pattern: re.Pattern[str]
    hint: tuple[str, ...] = ()


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
        for scope in ("prelude", "body"):
            active = [
                (i, r) for i, r in enumerate(self.rules) if r.scope == "any" or scope == "prelude"
            ]
            plain = [(i, r) for i, r in active if not r.hint]
            self._combined[scope] = (*self._combine([r for _, r in plain]), [i for i, _ in plain])
            self._hinted[scope] = [
                (i, r, re.compile("|".join(re.escape(h) for h in r.hint)))
                for i, r in active
                if r.hint
            ]

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

    def match(self, line: str, *, prelude: bool) -> tuple[Rule, re.Match[str]] | None:
        """Return the first rule matching the whole ``line`` and its match, or None.

        Examples
        --------
        >>> rule, m = default_rules().match("Read also: Beijing hosts talks", prelude=False)
        >>> rule.name
        'read_also'
        """
        scope = "prelude" if prelude else "body"
        combined, rules, order = self._combined[scope]
        best: tuple[int, Rule] | None = None
        if combined is not None:
            m = combined.fullmatch(line)
            if m is not None:
                k = int(m.lastgroup[1:])  # type: ignore[index]
                best = (order[k], rules[k])
        hinted = self._hinted[scope]
        if hinted:
            lower = line.lower()
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
