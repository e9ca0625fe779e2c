"""Grammar tables of the temporal tagger, loaded once from ``newslab/timex/data``.

Each table is a small TSV file with ``#`` comment lines saying where it comes
from, then a header row. This module turns them into lookup dicts and regex
alternations (longest alternative first) that :mod:`newslab.timex.tagger`
compiles into its rules.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of the package data table ``name`` as dicts keyed by its header.

    Parameters
    ----------
    name
        File name inside ``newslab/timex/data``, e.g. ``"months.tsv"``.

    Returns
    -------
    tuple of dict
        One dict per data row (comment and blank lines skipped).

    Examples
    --------
    >>> read_table("months.tsv")[0]
    {'name': 'January', 'month': '1'}
    """
    text = resources.files("newslab.timex").joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    return tuple(dict(zip(header, ln.split("\t"), strict=False)) for ln in lines[1:])


def alternation(words: list[str] | tuple[str, ...] | set[str]) -> str:
    """Return a regex alternation of ``words``, longest first, spaces matching any whitespace.

    Parameters
    ----------
    words
        Literal strings.

    Returns
    -------
    str
        A non-capturing group.

    Examples
    --------
    >>> alternation(["a", "a few"])
    '(?:a\\\\s+few|a)'
    """
    parts = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    escaped = [r"\s+".join(re.escape(tok) for tok in w.split()) for w in parts]
    return "(?:" + "|".join(escaped) + ")"


def _cased(names: list[str]) -> str:
    """Alternation matching only the Capitalised or ALL-CAPS form (case-sensitive)."""
    forms = {n for n in names} | {n.upper() for n in names}
    return "(?-i:" + alternation(forms) + ")"


class Grammar:
    """Lookup tables and regex fragments built from the data files."""

    def __init__(self) -> None:
        months = read_table("months.tsv")
        self.month_num = {r["name"].lower(): int(r["month"]) for r in months}
        seen: set[str] = set()
        full = []  # the first row of each month is its full name
        for r in months:
            if r["month"] not in seen:
                seen.add(r["month"])
                full.append(r["name"])
        abbrev = [r["name"] for r in months if r["name"] not in full]
        # A month with a day or year after it: full name or abbreviation (period optional).
        self.month = "(?:" + _cased(full) + "|" + _cased(abbrev) + r"\.?)"
        # A month standing alone: full name, or an abbreviation with its period.
        self.month_alone = "(?:" + _cased(full) + "|" + _cased(abbrev) + r"\.)"
        self.month_alone_no_period = "(?:" + _cased(full) + ")"

        days = read_table("weekdays.tsv")
        self.weekday_num = {r["name"].lower(): int(r["isoday"]) for r in days}
        wfull = [r["name"] for r in days if r["name"].endswith("day")]
        wabbr = [r["name"] for r in days if not r["name"].endswith("day")]
        self.weekday = "(?:" + _cased(wfull) + "|" + _cased(wabbr) + r"\.)"

        numbers = read_table("numbers.tsv")
        self.number_value = {r["word"]: r["value"] for r in numbers}
        tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        ones = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
        words = [w for w in self.number_value if w != "the"]
        self.number = (
            r"(?:\d+\s+1/2|\d+(?:\.\d+)?|"
            + alternation(tens)
            + r"[- ]"
            + alternation(ones)
            + r"\b|"
            + alternation(words)
            + ")"
        )

        ords = read_table("ordinals.tsv")
        self.ordinal_value = {r["word"]: int(r["value"]) for r in ords}
        self.ordinal = alternation(list(self.ordinal_value))

        units = read_table("units.tsv")
        self.unit_code: dict[str, str] = {}
        self.unit_gran: dict[str, str] = {}
        for r in units:
            for form in (r["singular"], r["plural"]):
                self.unit_code[form] = r["code"]
                self.unit_gran[form] = r["granularity"]
        self.unit_singular = alternation([r["singular"] for r in units])
        self.unit_plural = alternation([r["plural"] for r in units])
        self.unit_any = alternation(list(self.unit_code))

        seasons = read_table("seasons.tsv")
        self.season_code = {r["name"]: r["code"] for r in seasons}
        self.season = alternation(list(self.season_code))

        pods = read_table("parts_of_day.tsv")
        self.pod_code = {r["name"]: r["code"] for r in pods}
        self.part_of_day = alternation(list(self.pod_code))

        mods = read_table("modifiers.tsv")
        self.mod_of = {r["phrase"]: r["mod"] for r in mods}
        point = [r["phrase"] for r in mods if r["mod"] in ("START", "MID", "END")]
        self.point_mod_word = alternation([p for p in point if " " not in p])
        self.point_mod_phrase = alternation([p for p in point if " " in p])
        self.quantity_mod = alternation(
            [r["phrase"] for r in mods if r["mod"] not in ("START", "MID", "END")]
        )

        hol = read_table("holidays.tsv")
        self.holiday_rule = {r["name"].lower(): r["rule"] for r in hol}
        self.holiday = "(?-i:" + alternation([r["name"] for r in hol]) + ")"

        self.tense_of = {r["word"]: r["tense"] for r in read_table("tense_cues.tsv")}
        self.not_after_year = {r["word"] for r in read_table("not_after_year.tsv")}
        phrases = read_table("phrases.tsv")
        self.phrase_info = {r["phrase"]: (r["type"], r["value"]) for r in phrases}
        self.phrase = alternation(list(self.phrase_info))
        abbrs = {r["abbreviation"] for r in read_table("abbreviations.tsv")}
        abbrs |= {r["name"] for r in months if r["name"] not in full}
        abbrs |= set(wabbr)
        self.abbreviations = frozenset(abbrs)

    def number_of(self, text: str) -> float | str | None:
        """Return the value of a number phrase (``"X"`` when unspecified).

        Examples
        --------
        >>> g = grammar()
        >>> g.number_of("twenty-four"), g.number_of("a few"), g.number_of("2 1/2")
        (24, 'X', 2.5)
        """
        t = " ".join(text.lower().replace("-", " ").split())
        if re.fullmatch(r"\d+ 1/2", t):
            return int(t.split()[0]) + 0.5
        if re.fullmatch(r"\d+", t):
            return int(t)
        if re.fullmatch(r"\d+\.\d+", t):
            return float(t)
        if t in self.number_value:
            v = self.number_value[t]
            return v if v == "X" else (float(v) if "." in v else int(v))
        parts = t.split()
        if len(parts) == 2 and parts[0] in self.number_value and parts[1] in self.number_value:
            a, b = self.number_value[parts[0]], self.number_value[parts[1]]
            if a.isdigit() and b.isdigit():
                return int(a) + int(b)
        return None


@cache
def grammar() -> Grammar:
    """Return the shared :class:`Grammar` (built once).

    Examples
    --------
    >>> grammar().month_num["sept"]
    9
    """
    return Grammar()
