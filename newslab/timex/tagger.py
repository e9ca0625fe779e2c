"""Rule-based temporal tagger: find TIMEX3 expressions and normalise them against an anchor.

How it works
------------
1. The text is split into sentences (a small internal splitter, or the
   ``sentences`` table in :func:`timexes`).
2. Each rule in :data:`RULES` is a regex built from the grammar tables in
   ``newslab/timex/data`` plus a handler that turns a match into a TIMEX3
   ``type``/``value``/``mod``. Rules are compiled once, at import.
3. All rule matches in a sentence compete; the longest wins, then the earlier
   rule in :data:`RULES` (so "last Friday" beats "Friday").
4. Underspecified expressions ("Dec. 30", "Friday", "March") are resolved
   against the anchor with a tense heuristic: the nearest tense cue in the
   sentence (``tense_cues.tsv``; other ``-ed`` words count as past) decides
   whether the expression lies before or after the anchor. A reporting verb
   right next to the expression ("said Friday") makes it past; further away
   it only counts when nothing else does. Offsets counted from another event
   ("three days later") are durations; "a year earlier" in a document that
   reports quarterly results is the same quarter a year before.
5. ``start_date``/``end_date``/``granularity`` are derived from the value by
   :func:`newslab.timex.normalise.value_span`.

Ranges
------
Each end of a range is its own row, as TempEval-3 annotates it ("from Feb. 28
to March 2" gives two DATE rows); rows joined by from/to, between/and or a
dash share a ``range_id`` and :func:`ranges` folds them into one row per range.
Compact forms whose pieces cannot stand alone ("March 20-22", "20-22 March",
"2010-12") are one row whose ``value`` is the first end, ``end_value`` the last
and ``start_date``/``end_date`` span the whole range.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from newslab import schema
from newslab.timex import normalise as nz
from newslab.timex.grammar import grammar

G = grammar()

#: Extra output columns kept after the schema's own ones.
EXTRA_COLUMNS: dict[str, str] = {"mod": "string", "end_value": "string", "range_id": "Int64"}

_X_VALUE = {
    "day": "XXXX-XX-XX",
    "week": "XXXX-WXX",
    "weekend": "XXXX-WXX-WE",
    "month": "XXXX-XX",
    "quarter": "XXXX-QX",
    "half": "XXXX-HX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
}
_AMBIGUOUS_MONTHS = {"may", "march"}
_MONTH_CUE_WORDS = frozenset(
    [
        "in",
        "since",
        "until",
        "till",
        "by",
        "of",
        "through",
        "from",
        "to",
        "during",
        "before",
        "after",
        "early",
        "late",
        "mid",
        "last",
        "this",
        "next",
        "between",
        "and",
        "or",
        "end",
        "beginning",
        "start",
        "middle",
        "until",
        "since",
        "around",
        "throughout",
    ]
)
#: How many characters may separate a reporting verb from the expression it dates.
_REPORT_REACH = 4
_BASE_FORM_BEFORE = frozenset(
    [
        "be",
        "being",
        "been",
        "is",
        "are",
        "remain",
        "remains",
        "stay",
        "stays",
        "will",
        "would",
        "to",
        "could",
        "can",
        "may",
        "might",
        "shall",
        "should",
        "must",
        "ll",
    ]
)
_MODALS = frozenset(["will", "would", "could", "can", "may", "might", "shall", "should", "must"])
_SEASON_CUE_WORDS = _MONTH_CUE_WORDS | {"over", "the", "that", "each", "every", "for"}
_TIME_CUE_WORDS = frozenset(
    ["at", "by", "until", "till", "from", "before", "after", "around", "about"]
)


# --------------------------------------------------------------------------- context


@dataclass
class _Context:
    """What a rule handler may look at: the sentence, the anchor and the tense."""

    sentence: str
    anchor: dt.date | None
    #: The document reports quarterly results ("third-quarter", "quarter ended"), so
    #: "a year earlier" means the same quarter a year before.
    quarterly: bool = False
    _cues: list[tuple[int, int, str]] | None = field(default=None, repr=False)

    def cues(self) -> list[tuple[int, int, str]]:
        if self._cues is None:
            found = []
            prev = ""
            for m in _WORD_RE.finditer(self.sentence):
                word = m.group().lower()
                tense = G.tense_of.get(word)
                ed_verb = (
                    len(word) > 4
                    and word.endswith("ed")
                    and not word.endswith("ceed")  # succeed, proceed, exceed
                    and not m.group()[0].isupper()
                    and prev not in _BASE_FORM_BEFORE  # "will succeed", "to need"
                )
                prev = word
                if tense is None and ed_verb:
                    tense = nz.PAST
                if word in ("said", "told", "says", "according"):
                    tense = "REPORT"
                if tense and tense != nz.NONE:
                    found.append((m.start(), m.end(), tense))
            self._cues = found
        return self._cues

    def tense(self, start: int, end: int) -> str:
        """Return PAST/FUTURE/NONE for the expression at ``[start, end)`` of the sentence."""
        best: tuple[int, int, str] | None = None
        report = False
        for cs, ce, tense in self.cues():
            if cs >= start and ce <= end:
                continue
            dist = start - ce if ce <= start else cs - end
            if tense == "REPORT":
                # "said Friday", "told reporters on Friday": the report dates the expression.
                if dist <= _REPORT_REACH:
                    tense = nz.PAST
                else:
                    report = True
                    continue
            # Cues to the left win over cues to the right; then the nearest.
            key = (0 if ce <= start else 1, dist)
            if best is None or key < best[:2]:
                best = (key[0], key[1], tense)
        if best is not None:
            return best[2]
        return nz.PAST if report else nz.NONE

    def word_before(self, pos: int) -> str:
        m = _PREV_WORD_RE.search(self.sentence, 0, pos)
        return m.group(1).lower() if m else ""

    def text_after(self, pos: int, n: int = 30) -> str:
        return self.sentence[pos : pos + n]


_WORD_RE = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_PREV_WORD_RE = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")

Result = dict[str, Any]
Handler = Callable[[re.Match[str], _Context], Result | None]


# --------------------------------------------------------------------------- helpers


def _mod(m: re.Match[str]) -> str | None:
    gd = m.groupdict()
    for key in ("pm", "pp", "qm"):
        if gd.get(key):
            phrase = " ".join(gd[key].lower().split())
            return G.mod_of.get(phrase)
    return None


def _month(m: re.Match[str], key: str = "mon") -> int:
    return G.month_num[m.group(key).rstrip(".").lower()]


def _year2(first: int, text: str) -> int:
    """Expand a two-digit second year of a range ("2010-12") to four digits."""
    if len(text) == 4:
        return int(text)
    return first // 100 * 100 + int(text)


def _day_value(d: dt.date) -> str:
    return d.isoformat()


#: How "N and a half" units are written: the whole part's letter, then the half.
_HALF_UNIT = {"Y": ("Y", "6M"), "M": ("M", "15D"), "D": ("D", "T12H"), "TH": ("H", "30M")}
_HALF_UNIT |= {"TM": ("M", "30S"), "W": ("W", "3DT12H")}


def _duration(n: float | str, unit: str) -> str | None:
    """Return the ISO-8601 duration for ``n`` ``unit`` s (n may be 'X')."""
    code = G.unit_code[unit.lower()]
    if n == "X":
        x = {"10Y": "DE", "100Y": "CE", "2W": "W"}.get(code, code)
        return ("PTX" + x[1:]) if x.startswith("T") else "PX" + x
    assert isinstance(n, int | float)
    if isinstance(n, float) and not n.is_integer():
        whole = int(n)
        if n - whole == 0.5 and code in _HALF_UNIT:
            big, small = _HALF_UNIT[code]
            lead = "PT" if code.startswith("T") else "P"
            return f"{lead}{whole}{big}{small}" if whole else f"{lead}{small}"
        if code in ("TS", "TM", "TH"):
            return f"PT{n:g}{code[1]}"
        return f"P{n:g}{code}"
    k = int(n)
    if code.startswith("T"):
        return f"PT{k}{code[1]}"
    if code == "10Y":
        return f"P{10 * k}Y"
    if code == "100Y":
        return f"P{100 * k}Y"
    if code == "2W":
        return f"P{2 * k}W"
    return f"P{k}{code}"


def _shift_unit(anchor: dt.date, unit: str, n: int) -> str:
    key = G.unit_gran.get(unit, unit)
    if key == "time":
        return anchor.isoformat()
    return nz.shift_value(anchor, key, n)


# --------------------------------------------------------------------------- handlers


def _h_month_day(m: re.Match[str], ctx: _Context) -> Result | None:
    month = _month(m)
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    year_text = m.group("year")
    day2 = m.groupdict().get("day2")
    if day2 and not int(day) < int(day2) <= 31:
        return None
    if year_text:
        year = int(year_text)
    elif ctx.anchor is not None:
        year = nz.pick_year(ctx.anchor, month, day, ctx.tense(m.start(), m.end()))
    else:
        year = None
    ystr = f"{year:04d}" if year else "XXXX"
    if year and nz.safe_date(year, month, day) is None:
        return None
    out: Result = {"type": "DATE", "value": f"{ystr}-{month:02d}-{day:02d}", "mod": _mod(m)}
    if day2:
        out["end_value"] = f"{ystr}-{month:02d}-{int(day2):02d}"
    return out


def _h_month_year(m: re.Match[str], ctx: _Context) -> Result | None:
    return {"type": "DATE", "value": f"{int(m.group('year')):04d}-{_month(m):02d}", "mod": _mod(m)}


def _h_month(m: re.Match[str], ctx: _Context) -> Result | None:
    name = m.group("mon").rstrip(".").lower()
    rel = (m.group("rel") or "").lower()
    has_mod = bool(m.group("pm") or m.group("pp"))
    if name in _AMBIGUOUS_MONTHS and not rel and not has_mod:
        before = ctx.word_before(m.start())
        if before not in _MONTH_CUE_WORDS:
            return None
    month = G.month_num[name]
    if ctx.anchor is None:
        return {"type": "DATE", "value": f"XXXX-{month:02d}", "mod": _mod(m)}
    a = ctx.anchor
    if rel in ("last", "past", "previous"):
        year = a.year if month < a.month else a.year - 1
    elif rel in ("next", "coming"):
        year = a.year if month > a.month else a.year + 1
    elif rel == "this":
        year = a.year
    else:
        year = nz.pick_year(a, month, None, ctx.tense(m.start(), m.end()))
    return {"type": "DATE", "value": f"{year:04d}-{month:02d}", "mod": _mod(m)}


def _h_month_rel_year(m: re.Match[str], ctx: _Context) -> Result | None:
    month = _month(m)
    if ctx.anchor is None:
        return {"type": "DATE", "value": f"XXXX-{month:02d}", "mod": _mod(m)}
    shift = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
    return {"type": "DATE", "value": f"{ctx.anchor.year + shift:04d}-{month:02d}", "mod": _mod(m)}


def _h_year(m: re.Match[str], ctx: _Context) -> Result | None:
    if m.group("fy") is None and m.group("pm") is None and m.group("pp") is None:
        after = ctx.text_after(m.end(), 25).lower()
        nxt = re.match(r"\s*([a-z]+)", after)
        if nxt and nxt.group(1) in G.not_after_year:
            return None
        before = ctx.sentence[max(0, m.start() - 3) : m.start()]
        if re.search(r"(?:No\.?|#)\s*$", before):
            return None
    year = int(m.group("year"))
    out: Result = {"type": "DATE", "value": f"{year:04d}", "mod": _mod(m)}
    if m.group("year2"):
        year2 = _year2(year, m.group("year2"))
        if year2 <= year or year2 - year > 100:
            return None
        out["end_value"] = f"{year2:04d}"
    return out


def _h_decade(m: re.Match[str], ctx: _Context) -> Result | None:
    if m.group("cent"):
        value = f"{m.group('cent')}{m.group('dec')}X"
    else:
        dec = int(m.group("dec2"))
        cent = "20" if ctx.anchor and dec <= (ctx.anchor.year % 100) // 10 else "19"
        value = f"{cent}{dec}X"
    if m.group("the"):
        # TimeBank writes "the 1990s" (article included) as 199, bare "1990s" as 199X.
        value = value[:3]
    return {"type": "DATE", "value": value, "mod": _mod(m)}


def _h_century(m: re.Match[str], ctx: _Context) -> Result | None:
    n = G.ordinal_value.get(m.group("ord").lower(), 0)
    if n <= 0:
        return None
    return {"type": "DATE", "value": f"{n - 1:02d}", "mod": _mod(m)}


def _h_today(m: re.Match[str], ctx: _Context) -> Result | None:
    word = " ".join(m.group("rel").lower().split())
    shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1}[word]
    pod = m.group("pod")
    code = G.pod_code[pod.lower()] if pod else ("NI" if word in ("tonight", "last night") else None)
    day = (ctx.anchor + dt.timedelta(days=shift)).isoformat() if ctx.anchor else "XXXX-XX-XX"
    if code and (pod or word == "last night"):
        return {"type": "TIME", "value": f"{day}T{code}", "mod": _mod(m)}
    return {"type": "DATE", "value": day, "mod": _mod(m)}


def _h_phrase(m: re.Match[str], ctx: _Context) -> Result | None:
    phrase = " ".join(m.group().lower().split())
    if phrase == "soon" and re.match(r"\s+as\b", ctx.text_after(m.end(), 5)):
        return None
    if phrase == "now" and re.match(r"\s+that\b", ctx.text_after(m.end(), 6)):
        return None
    typ, value = G.phrase_info[phrase]
    return {"type": typ, "value": value}


_REL_SHIFT = {
    "the next": 1,
    "this": 0,
    "current": 0,
    "the current": 0,
    "last": -1,
    "past": -1,
    "previous": -1,
    "the previous": -1,
    "next": 1,
    "coming": 1,
    "the coming": 1,
    "the following": 1,
    "following": 1,
}


def _h_rel_unit(m: re.Match[str], ctx: _Context) -> Result | None:
    rel = " ".join(m.group("rel").lower().split())
    unit = m.group("unit").lower()
    if rel in ("the past", "the last", "past") and unit != "weekend":
        value = _duration(1, unit)
        return {"type": "DURATION", "value": value}
    shift = _REL_SHIFT.get(rel)
    if shift is None:
        return None
    mod = _mod(m)
    el = (m.group("el") or "").lower()
    if el:
        mod = "START" if el == "earlier" else "END"
    if ctx.anchor is None:
        return {"type": "DATE", "value": _X_VALUE[unit], "mod": mod}
    return {"type": "DATE", "value": nz.shift_value(ctx.anchor, unit, shift), "mod": mod}


def _h_end_of_unit(m: re.Match[str], ctx: _Context) -> Result | None:
    unit = m.group("unit").lower()
    if ctx.anchor is None:
        return {"type": "DATE", "value": _X_VALUE[unit], "mod": _mod(m)}
    return {"type": "DATE", "value": nz.shift_value(ctx.anchor, unit, 0), "mod": _mod(m)}


def _h_rel_named(m: re.Match[str], ctx: _Context) -> Result | None:
    rel = m.group("rel").lower()
    a = ctx.anchor
    if m.group("wd"):
        isoday = G.weekday_num[m.group("wd").rstrip(".").lower()]
        if a is None:
            return {"type": "DATE", "value": f"XXXX-WXX-{isoday}"}
        shift = {"last": -1, "past": -1, "next": 1, "coming": 0, "this": 0}[rel]
        tense = nz.FUTURE if rel == "coming" else ctx.tense(m.start(), m.end())
        return {"type": "DATE", "value": nz.pick_weekday(a, isoday, tense, shift).isoformat()}
    if m.group("season"):
        code = G.season_code[m.group("season").lower()]
        if a is None:
            return {"type": "DATE", "value": f"XXXX-{code}", "mod": _mod(m)}
        if rel == "this":
            value = nz.season_value(a, code, 0)
        elif rel in ("last", "past"):
            value = nz.nearest_season(a, code, nz.PAST)
            start, end, _ = nz.value_span(value)
            if end is not None and end.date() >= a:
                value = nz.season_value(a, code, -1)
        else:
            value = nz.nearest_season(a, code, nz.FUTURE)
            start, _, _ = nz.value_span(value)
            if start is not None and start.date() <= a:
                value = f"{int(value[:4]) + 1:04d}-{code}"
        return {"type": "DATE", "value": value, "mod": _mod(m)}
    if m.group("pod"):
        code = G.pod_code[m.group("pod").lower()]
        if rel not in ("this", "last"):
            return None
        if a is None:
            return {"type": "TIME", "value": f"XXXX-XX-XXT{code}"}
        day = a - dt.timedelta(days=1) if rel == "last" else a
        return {"type": "TIME", "value": f"{day.isoformat()}T{code}"}
    return None


def _h_ago(m: re.Match[str], ctx: _Context) -> Result | None:
    n = G.number_of(m.group("n"))
    unit = m.group("unit").lower()
    direction = " ".join(m.group("dir").lower().split())
    sign = -1 if direction in ("ago", "earlier", "before") else 1
    key = G.unit_gran.get(unit, unit)
    if n is None:
        return None
    if direction in _EVENT_ANCHORED and key not in _DCT_ANCHORED_UNITS:
        return None  # "three days later": a duration after some event (the duration rule)
    if n == "X" or not float(n).is_integer():
        return {"type": "DATE", "value": "PAST_REF" if sign < 0 else "FUTURE_REF", "mod": _mod(m)}
    k = int(n) * sign
    if ctx.anchor is None:
        return {"type": "DATE", "value": _X_VALUE.get(key, "XXXX-XX-XX"), "mod": _mod(m)}
    a = ctx.anchor
    if key in ("time", "day"):
        step = k if key == "day" else 0
        value = (a + dt.timedelta(days=step)).isoformat()
    elif key == "week":
        value = nz.iso_week(a + dt.timedelta(weeks=k))
    elif key == "year" and k == -1 and _same_quarter(ctx):
        # "profit rose from a year earlier": the same quarter, a year before.
        value = nz.shift_value(a, "quarter", -5)
    elif key == "decade":
        value = f"{a.year + 10 * k:04d}"
    elif key == "century":
        value = f"{a.year + 100 * k:04d}"
    else:
        value = nz.shift_value(a, key, k)
    return {"type": "DATE", "value": value, "mod": _mod(m)}


#: "later"/"earlier"/"before" count from an event, not from the publication date, so
#: "three days later" is the DURATION "three days"; only "a year earlier" and longer
#: units stay dates (comparisons with the same period a year before).
_EVENT_ANCHORED = frozenset({"later", "earlier", "before"})
_DCT_ANCHORED_UNITS = frozenset({"year", "decade", "century", "quarter"})


def _h_plural_ago(m: re.Match[str], ctx: _Context) -> Result | None:
    if m.group("dir").lower() in _EVENT_ANCHORED:
        before = ctx.sentence[: m.start()].rstrip()
        counted = re.search(r"\d$", before) or G.number_of(ctx.word_before(m.start())) is not None
        if m.group("few") or counted:
            return None  # "a few days later", "three days later": the duration rule
    past = m.group("dir").lower() in ("ago", "earlier", "before")
    return {"type": "DATE", "value": "PAST_REF" if past else "FUTURE_REF"}


def _h_duration(m: re.Match[str], ctx: _Context) -> Result | None:
    if m.group("old"):
        return None
    if m.group().lower() in ("one day", "some day") and ctx.word_before(m.start()) in _MODALS:
        return {"type": "DATE", "value": "FUTURE_REF"}  # "will one day be": some future time
    raw = " ".join(m.group("n").lower().split())
    n = G.number_of(raw)
    unit = m.group("unit").lower()
    if n is None:
        return None
    if raw == "some" and not unit.endswith("s"):
        return None
    # "a second term" is not a duration; "a second later" is.
    after_ok = re.match(r"\s*(?:[.,;)]|$|ago|later|earlier|before|after)", ctx.text_after(m.end()))
    if raw in ("a", "an", "one") and unit == "second" and not after_ok:
        return None
    if unit == "night" and raw in ("a", "an"):
        return None
    if unit.startswith("quarter") and re.match(r"\s+of\b", ctx.text_after(m.end(), 5)):
        return None  # "three-quarters of its food", "a quarter of the market": fractions
    if m.group("half") and isinstance(n, int):
        n += 0.5  # "a minute and a half", "two years and a half"
    value = _duration(n, unit)
    out: Result = {"type": "DURATION", "value": value, "mod": _mod(m)}
    if m.group("the") and not m.group("rel") and "-" in m.group()[m.end("n") - m.start() :]:
        out["span"] = "core"  # "the eight-year plan": TimeBank tags "eight-year" only
    return out


def _h_plural_unit(m: re.Match[str], ctx: _Context) -> Result | None:
    unit = m.group("unit").lower()
    rel = (m.group("rel") or "").lower()
    if rel == "recent" and unit == "years":
        return {"type": "DATE", "value": "PAST_REF"}
    return {"type": "DURATION", "value": _duration("X", unit)}


def _h_bare_plural(m: re.Match[str], ctx: _Context) -> Result | None:
    after = ctx.text_after(m.end(), 12)
    if re.match(r"\s*(?:of|old|ago|later|earlier)\b", after):
        return None
    return {"type": "DURATION", "value": _duration("X", m.group("unit").lower()), "span": "unit"}


_ORD_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORD_QUARTER |= {"fourth": 4, "4th": 4}


def _h_quarter(m: re.Match[str], ctx: _Context) -> Result | None:
    word = (m.group("ord") or "").lower()
    half = m.group("qh").lower() == "half"
    unit = "half" if half else "quarter"
    per_year = 2 if half else 4
    year_text = m.group("year") or m.group("year0")
    if word in _ORD_QUARTER or (word in ("last", "final") and year_text):
        n = _ORD_QUARTER.get(word, per_year)
        if n > per_year:
            return None
        letter = "H" if half else "Q"
        if year_text:
            return {"type": "DATE", "value": f"{int(year_text):04d}-{letter}{n}"}
        if ctx.anchor is None:
            return {"type": "DATE", "value": f"XXXX-{letter}{n}"}
        a = ctx.anchor
        tense = ctx.tense(m.start(), m.end())
        months = 12 // per_year
        cands = [(y, dt.date(y, months * (n - 1) + 1, 1)) for y in (a.year - 1, a.year, a.year + 1)]
        # Quarters named without a year are almost always the latest one begun
        # (results are reported after the fact), whatever the tense.
        del tense
        year = max(y for y, s in cands if s <= a)
        return {"type": "DATE", "value": f"{year:04d}-{letter}{n}"}
    if word == "same":
        return None
    if ctx.anchor is None:
        return {"type": "DATE", "value": _X_VALUE[unit]}
    if word in ("current", "this"):
        shift = 0
    elif word in ("latest", "previous", "past", "last", "final"):
        shift = -1
    else:  # "the quarter"
        shift = 0 if ctx.tense(m.start(), m.end()) == nz.FUTURE else -1
    return {"type": "DATE", "value": nz.shift_value(ctx.anchor, unit, shift)}


def _h_season(m: re.Match[str], ctx: _Context) -> Result | None:
    code = G.season_code[m.group("season").lower()]
    if m.group("year"):
        return {"type": "DATE", "value": f"{int(m.group('year')):04d}-{code}", "mod": _mod(m)}
    has_mod = bool(m.group("pm") or m.group("pp"))
    if not has_mod:
        before = ctx.word_before(m.start())
        if before not in _SEASON_CUE_WORDS and not m.group("det"):
            return None
        if code == "FA" and not m.group("det") and before in _BASE_FORM_BEFORE:
            return None  # "to fall below", "could fall further": the verb
        if m.group("det") and ctx.word_before(m.start()) not in _SEASON_CUE_WORDS:
            return None
        if re.match(r"\s+of\b", ctx.text_after(m.end(), 5)):
            return None
    if ctx.anchor is None:
        return {"type": "DATE", "value": f"XXXX-{code}", "mod": _mod(m)}
    tense = ctx.tense(m.start(), m.end())
    return {"type": "DATE", "value": nz.nearest_season(ctx.anchor, code, tense), "mod": _mod(m)}


def _weekday_date(ctx: _Context, anchor: dt.date, isoday: int, start: int, end: int) -> dt.date:
    """The date of a bare weekday name: by tense, else the nearer of last and next."""
    tense = ctx.tense(start, end)
    chosen = nz.pick_weekday(anchor, isoday, tense)
    if tense == nz.NONE:
        ahead = nz.pick_weekday(anchor, isoday, nz.FUTURE)
        if (ahead - anchor).days < (anchor - chosen).days:
            chosen = ahead
    return chosen


def _h_weekday(m: re.Match[str], ctx: _Context) -> Result | None:
    isoday = G.weekday_num[m.group("wd").rstrip(".").lower()]
    pod = m.group("pod")
    if ctx.anchor is None:
        day = f"XXXX-WXX-{isoday}"
    else:
        day = _weekday_date(ctx, ctx.anchor, isoday, m.start(), m.end()).isoformat()
    if pod:
        # A part of the day gives a TIME ("Friday night"), as the TimeML guidelines and
        # HeidelTime have it; TimeBank is split between DATE and TIME here.
        return {"type": "TIME", "value": f"{day}T{G.pod_code[pod.lower()]}"}
    return {"type": "DATE", "value": day}


def _h_weekend(m: re.Match[str], ctx: _Context) -> Result | None:
    if ctx.anchor is None:
        return {"type": "DATE", "value": "XXXX-WXX-WE"}
    a = ctx.anchor
    tense = ctx.tense(m.start("we"), m.end())
    shift = 0
    if tense == nz.PAST and a.isoweekday() < 6:
        shift = -1
    return {"type": "DATE", "value": nz.shift_value(a, "weekend", shift)}


def _h_time(m: re.Match[str], ctx: _Context) -> Result | None:
    hour = int(m.group("h"))
    minute = int(m.group("mi") or 0)
    ap = (m.group("ap") or "").lower()
    if ap:
        if not 1 <= hour <= 12:
            return None
        if ap.startswith("p") and hour != 12:
            hour += 12
        if ap.startswith("a") and hour == 12:
            hour = 0
    else:
        if ctx.word_before(m.start()) not in _TIME_CUE_WORDS or hour > 23 or minute > 59:
            return None
    if m.group("mon"):
        month, mday = _month(m), int(m.group("day"))
        if not 1 <= mday <= 31:
            return None
        if ctx.anchor is not None:
            year = nz.pick_year(ctx.anchor, month, mday, ctx.tense(m.start(), m.end()))
            day = f"{year:04d}-{month:02d}-{mday:02d}"
        else:
            day = f"XXXX-{month:02d}-{mday:02d}"
    elif m.group("wd") and ctx.anchor is not None:
        isoday = G.weekday_num[m.group("wd").rstrip(".").lower()]
        day = _weekday_date(ctx, ctx.anchor, isoday, m.start(), m.end()).isoformat()
    elif m.group("rel") and ctx.anchor is not None:
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group("rel").lower()]
        day = (ctx.anchor + dt.timedelta(days=shift)).isoformat()
    elif ctx.anchor is not None:
        day = ctx.anchor.isoformat()
    else:
        day = "XXXX-XX-XX"
    out: Result = {"type": "TIME", "value": f"{day}T{hour:02d}:{minute:02d}"}
    if m.group().endswith(".") and not ctx.sentence[m.end() :].strip():
        out["trim"] = 1
    return out


_CLOCK_WORD = {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}


def _h_noon(m: re.Match[str], ctx: _Context) -> Result | None:
    """ "noon Thursday", "midnight Friday", "noon today": a TIME on that day."""
    clock = _CLOCK_WORD[m.group("w").lower()]
    if ctx.anchor is None:
        day = "XXXX-XX-XX"
    elif m.group("wd"):
        isoday = G.weekday_num[m.group("wd").rstrip(".").lower()]
        day = _weekday_date(ctx, ctx.anchor, isoday, m.start(), m.end()).isoformat()
    else:
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group("rel").lower()]
        day = (ctx.anchor + dt.timedelta(days=shift)).isoformat()
    return {"type": "TIME", "value": f"{day}T{clock}"}


def _h_every_month(m: re.Match[str], ctx: _Context) -> Result | None:
    return {"type": "SET", "value": f"XXXX-{_month(m):02d}"}


def _h_holiday(m: re.Match[str], ctx: _Context) -> Result | None:
    rule = G.holiday_rule[" ".join(m.group("hol").lower().split())]
    if m.group("year"):
        return {"type": "DATE", "value": nz.holiday_date(rule, int(m.group("year"))).isoformat()}
    if ctx.anchor is None:
        if rule.startswith("fixed"):
            return {"type": "DATE", "value": "XXXX-" + rule.split()[1]}
        return {"type": "DATE", "value": "XXXX-XX-XX"}
    a = ctx.anchor
    rel = (m.group("rel") or "").lower()
    dates = [nz.holiday_date(rule, y) for y in (a.year - 1, a.year, a.year + 1)]
    if rel == "last":
        chosen = max(d for d in dates if d < a)
    elif rel == "next":
        chosen = min(d for d in dates if d > a)
    elif rel == "this":
        chosen = dates[1]
    else:
        chosen = nz.pick_date(a, dates, ctx.tense(m.start(), m.end()))
    return {"type": "DATE", "value": chosen.isoformat()}


def _h_numeric(m: re.Match[str], ctx: _Context) -> Result | None:
    year = int(m.group("y"))
    if year < 100:
        year += 2000 if year < 50 else 1900
    d = nz.safe_date(year, int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    return {"type": "DATE", "value": d.isoformat()}


def _h_every_weekday(m: re.Match[str], ctx: _Context) -> Result | None:
    isoday = G.weekday_num[m.group("wd").rstrip(".").lower()]
    return {"type": "SET", "value": f"XXXX-WXX-{isoday}"}


def _h_every_n(m: re.Match[str], ctx: _Context) -> Result | None:
    n = G.number_of(m.group("n"))
    if n is None:
        return None
    return {"type": "SET", "value": _duration(n, m.group("unit").lower())}


def _h_times_per(m: re.Match[str], ctx: _Context) -> Result | None:
    return {"type": "SET", "value": _duration(1, m.group("unit").lower()), "span": "per"}


def _h_year_ago(m: re.Match[str], ctx: _Context) -> Result | None:
    word = m.group("w").lower()
    if ctx.anchor is None:
        return {"type": "DATE", "value": "XXXX"}
    if word == "end":
        if m.group("det") or m.group("what"):
            return None
        return {"type": "DATE", "value": f"{ctx.anchor.year:04d}", "mod": "END"}
    if m.group("det") and not m.group("what"):
        return None
    if (m.group("what") or "").lower() in ("quarter", "period") or (
        not m.group("det") and _same_quarter(ctx)
    ):
        # The same quarter a year before the latest completed one.
        return {"type": "DATE", "value": nz.shift_value(ctx.anchor, "quarter", -5)}
    return {"type": "DATE", "value": f"{ctx.anchor.year - 1:04d}"}


_QUARTER_WORD = re.compile(r"\bquarter\b", re.I)
_LONGER_PERIOD = re.compile(r"\b(?:nine|six)[\s-]+months?\b|\b(?:first|fiscal)\s+half\b", re.I)


def _same_quarter(ctx: _Context) -> bool:
    """Whether "a year earlier" in this sentence means the same quarter a year before."""
    if _LONGER_PERIOD.search(ctx.sentence):
        return False
    return ctx.quarterly or _QUARTER_WORD.search(ctx.sentence) is not None


_QUARTERLY_DOC = re.compile(
    r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter\b"
    r"|\bquarter\s+end(?:ed|ing)\b",
    re.I,
)


def is_quarterly(text: str) -> bool:
    """Return True when ``text`` reports quarterly results (its "a year ago" is a quarter).

    Examples
    --------
    >>> is_quarterly("Third-quarter profit rose."), is_quarterly("He left a year ago.")
    (True, False)
    """
    return _QUARTERLY_DOC.search(text or "") is not None


def _h_year_quarter(m: re.Match[str], ctx: _Context) -> Result | None:
    """ "this year's third quarter", "the year-ago quarter", "the 1988 period"."""
    word = (m.group("ord") or "").lower()
    n = _ORD_QUARTER.get(word)
    rel = (m.group("rel") or "").lower()
    if m.group("year"):
        year: int | None = int(m.group("year"))
    elif ctx.anchor is None:
        year = None
    elif rel:
        year = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[rel]
    else:  # year-ago / year-earlier: the quarter a year before the latest one
        latest = nz.shift_value(ctx.anchor, "quarter", -1)
        year = int(latest[:4]) - 1
        if n is not None and n > int(latest[-1]):
            year -= 1
    if n is None:
        if ctx.anchor is None:
            return {"type": "DATE", "value": f"{year:04d}-QX" if year else "XXXX-QX"}
        n = int(nz.shift_value(ctx.anchor, "quarter", -1)[-1])
    ystr = f"{year:04d}" if year else "XXXX"
    return {"type": "DATE", "value": f"{ystr}-Q{n}"}


def _h_the_unit(m: re.Match[str], ctx: _Context) -> Result | None:
    adj = (m.group("adj") or "").lower()
    unit = m.group("unit").lower()
    if re.match(r"\s*(?:'s|before|after|of|when|that|in which)\b", ctx.text_after(m.end(), 12)):
        return None
    if unit == "year" and re.match(r"\s+end(?:ed|ing)\b", ctx.text_after(m.end(), 10)):
        return {"type": "DURATION", "value": "P1Y"}  # "the (fiscal) year ended March 31"
    if unit == "period":
        if adj != "latest":
            return None
        if ctx.anchor is None:
            return {"type": "DATE", "value": "XXXX-QX"}
        return {"type": "DATE", "value": nz.shift_value(ctx.anchor, "quarter", -1)}
    # "the year", "the fiscal year", "the week": the current one, as TimeBank reads them.
    if ctx.anchor is None:
        return {"type": "DATE", "value": _X_VALUE[unit]}
    return {"type": "DATE", "value": nz.shift_value(ctx.anchor, unit, 0)}


# --------------------------------------------------------------------------- rules

_PRE = rf"(?:(?P<pm>{G.point_mod_word})(?:-|\s+)|(?P<pp>{G.point_mod_phrase})\s+)?"
_QM = rf"(?:(?P<qm>{G.quantity_mod})\s+)?"
_NUM = G.number
_ORDS = r"first|second|third|fourth|1st|2nd|3rd|4th|final|last|latest|current|previous|past|same"
_DAYNUM = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_OPT = r"(?:(?:\s*,)?\s+(?P<year>(?:1[6-9]|20)\d\d)(?!\d))?"

_RULE_SPECS: list[tuple[str, str, Handler, int]] = [
    (
        "month_day",
        rf"\b(?:(?P<wd>{G.weekday})(?:\s*,)?\s+)?{_PRE}(?P<mon>{G.month})\s*{_DAYNUM}"
        rf"(?:\s*[-\u2013]\s*(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)?(?!\d|:\d)(?!\s*(?:%|percent)){_YEAR_OPT}",
        _h_month_day,
        0,
    ),
    (
        "day_month",
        rf"\b(?:(?P<wd>{G.weekday})(?:\s*,)?\s+)?{_PRE}{_DAYNUM}(?:\s*[-\u2013]\s*(?P<day2>\d{{1,2}})"
        rf"(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?P<mon>{G.month})(?!\w){_YEAR_OPT}",
        _h_month_day,
        0,
    ),
    (
        "month_rel_year",
        rf"\b{_PRE}(?P<mon>{G.month_alone})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b",
        None,  # set below
        0,
    ),
    (
        "month_year",
        rf"\b{_PRE}(?P<mon>{G.month}),?\s+(?:of\s+)?(?P<year>(?:1[6-9]|20)\d\d)(?!\d)",
        _h_month_year,
        0,
    ),
    ("numeric_iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b", _h_numeric, 0),
    ("numeric_us", r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b", _h_numeric, 0),
    (
        "time",
        r"\b(?:(?P<h>\d{1,2})(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\b\.?|[ap]m\b)"
        rf"|(?P<h2>\d{{1,2}}):(?P<mi2>[0-5]\d)\b)(?:\s+(?-i:[A-Z]{{1,3}}T|UTC)\b)?"
        rf"(?:\s+(?P<wd>{G.weekday})|\s+(?P<rel>today|yesterday|tomorrow)"
        rf"|,?\s+(?P<mon>{G.month})\s*(?P<day>\d{{1,2}})(?!\d))?",
        None,  # set below
        0,
    ),
    (
        "holiday",
        rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<hol>{G.holiday})(?:\s+(?P<year>(?:1[6-9]|20)\d\d))?\b",
        _h_holiday,
        0,
    ),
    (
        "rel_unit",
        rf"\b{_PRE}(?:(?P<el>earlier|later)\s+)?(?P<rel>this|last|next|past|previous|coming|"
        r"current|the\s+past|the\s+last|the\s+next|the\s+coming|the\s+previous|the\s+current|"
        r"the\s+following)\s+(?P<unit>day|weekend|week|month|quarter|year|decade|century)\b",
        _h_rel_unit,
        0,
    ),
    (
        "end_of_unit",
        rf"\b(?P<pp>{G.point_mod_phrase})\s+the\s+(?P<unit>year|month|week|decade|century)\b",
        _h_end_of_unit,
        0,
    ),
    (
        "rel_named",
        rf"\b{_PRE}(?P<rel>this|last|next|coming|past)\s+(?:(?P<wd>{G.weekday})|"
        rf"(?P<season>{G.season})|(?P<pod>{G.part_of_day}))\b",
        _h_rel_named,
        0,
    ),
    (
        "month",
        rf"\b{_PRE}(?:(?P<rel>this|last|next|past|coming|previous)\s+)?(?P<mon>{G.month_alone})"
        r"(?!\s*\d)(?![\w'])",
        _h_month,
        1,
    ),
    (
        "ago",
        rf"\b{_QM}(?P<n>{_NUM})[\s-]+(?P<unit>{G.unit_any})\s+(?:or\s+so\s+)?"
        r"(?P<dir>ago|earlier|before|later|from\s+now|hence)\b",
        _h_ago,
        0,
    ),
    (
        "plural_ago",
        rf"\b(?:(?P<few>a\s+few|few|several|many|some)\s+)?(?P<unit>{G.unit_plural})\s+"
        r"(?P<dir>ago|earlier|later)\b",
        _h_plural_ago,
        0,
    ),
    (
        "duration",
        rf"\b{_QM}(?P<the>the\s+)?(?P<core>(?:(?P<rel>past|last|next|coming|first|previous|"
        rf"following|final|initial|recent)\s+)?(?P<n>{_NUM})(?:\s+or\s+so)?[\s-]+"
        rf"(?P<unit>{G.unit_any})(?P<half>\s+and\s+a\s+half)?)(?P<old>[\s-]+old|-long)?\b",
        _h_duration,
        1,
    ),
    (
        "plural_unit",
        rf"\b(?:the\s+)?(?P<rel>past|last|next|coming|recent|following)\s+"
        rf"(?P<unit>{G.unit_plural})\b",
        _h_plural_unit,
        1,
    ),
    (
        "bare_plural",
        rf"\b(?:for|over|in|within|after|took|takes|take)\s+(?P<unit>{G.unit_plural})\b",
        _h_bare_plural,
        2,
    ),
    (
        "quarter",
        rf"\b(?P<the>the\s+)?(?P<qcore>(?:(?P<year0>(?:1[6-9]|20)\d\d)\s+|fiscal\s+)?"
        rf"(?:(?P<ord>{_ORDS})[\s-]+)?(?:fiscal[\s-]+)?(?P<qh>quarter|half)\b(?:\s+of\s+"
        r"(?:fiscal\s+)?(?P<year>(?:1[6-9]|20)\d\d)\b)?)",
        None,  # set below
        1,
    ),
    (
        "season",
        rf"\b{_PRE}(?:(?P<det>the)\s+)?(?P<season>{G.season})(?:\s+(?:of\s+)?"
        r"(?P<year>(?:1[6-9]|20)\d\d)\b)?\b",
        _h_season,
        1,
    ),
    (
        "today",
        rf"\b{_PRE}(?P<rel>today|tonight|yesterday|tomorrow|last\s+night)"
        rf"(?:\s+(?P<pod>{G.part_of_day}))?\b",
        _h_today,
        0,
    ),
    (
        "weekday",
        rf"\b(?:(?P<pm>early|late)\s+)?(?P<wd>{G.weekday})"
        rf"(?:\s+(?P<pod>{G.part_of_day}))?(?!\w)",
        _h_weekday,
        1,
    ),
    ("weekend", r"\b(?:the|that)\s+(?P<we>weekend)\b", _h_weekend, 1),
    (
        "decade",
        rf"(?<![\w$])(?P<the>the\s+)?{_PRE}(?:(?P<cent>1[6-9]|20)(?P<dec>\d)0|'(?P<dec2>\d)0)'?s\b",
        _h_decade,
        0,
    ),
    ("century", rf"\b{_PRE}(?P<ord>{G.ordinal})[\s-]+century\b", _h_century, 0),
    (
        "year",
        rf"(?<![\w$\u20ac\u00a3.,/:#-]){_PRE}(?:(?P<fy>fiscal(?:\s+year)?|FY)\s*)?"
        r"(?P<year>(?:1[7-9]|20)\d\d)(?:\s*[-\u2013]\s*(?P<year2>\d{4}|\d{2}))?"
        r"(?![\w%\u2013-]|[.,:/]\d)",
        _h_year,
        2,
    ),
    ("every_weekday", rf"\b(?:every|each)\s+(?P<wd>{G.weekday})", _h_every_weekday, 0),
    (
        "every_month",
        rf"\b(?:every|each)\s+(?P<mon>{G.month_alone_no_period})\b(?!\s*\d)",
        _h_every_month,
        0,
    ),
    (
        "noon",
        rf"\b(?P<w>noon|midday|midnight)(?:\s+on)?\s+(?:(?P<wd>{G.weekday})|"
        r"(?P<rel>today|yesterday|tomorrow))\b",
        _h_noon,
        0,
    ),
    (
        "every_n",
        rf"\b(?:every|each)\s+(?P<n>{_NUM})\s+(?P<unit>{G.unit_plural})\b",
        _h_every_n,
        0,
    ),
    (
        "times_per",
        rf"\b(?:once|twice|thrice|{_NUM}\s+times)\s+(?P<per>(?:a|an|per|every)\s+"
        rf"(?P<unit>{G.unit_singular}))\b",
        _h_times_per,
        0,
    ),
    (
        "year_quarter",
        r"\b(?:(?P<rel>this|last|next)\s+year's|the\s+(?:(?:comparable|same|corresponding)\s+)?"
        r"(?:year[\s-](?:ago|earlier)|(?P<year>(?:19|20)\d\d)))\s+"
        r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+)?(?:fiscal[\s-]+)?"
        r"(?P<qh>quarter|period)\b",
        _h_year_quarter,
        0,
    ),
    (
        "year_ago",
        r"\b(?:(?P<det>the)\s+)?year[\s-](?P<w>earlier|ago|end)(?:\s+(?P<what>quarter|period))?\b",
        _h_year_ago,
        1,
    ),
    ("phrase", rf"\b{G.phrase}\b", _h_phrase, 3),
    (
        "the_unit",
        r"\bthe\s+(?:(?P<adj>current|latest|full|whole|entire)\s+)?(?P<fiscal>fiscal\s+)?"
        r"(?P<unit>year|week|period)\b(?!-)",
        _h_the_unit,
        3,
    ),
]


def _h_time_wrapper(m: re.Match[str], ctx: _Context) -> Result | None:
    return _h_time(_TimeMatch(m), ctx)  # type: ignore[arg-type]


class _TimeMatch:
    """Present the two alternatives of the time rule under one set of group names."""

    def __init__(self, m: re.Match[str]) -> None:
        self._m = m

    def group(self, name: str | int = 0) -> Any:
        m = self._m
        if name == "h":
            return m.group("h") or m.group("h2")
        if name == "mi":
            return m.group("mi") or m.group("mi2")
        return m.group(name)

    def start(self, *args: Any) -> int:
        return self._m.start(*args)

    def end(self, *args: Any) -> int:
        return self._m.end(*args)


def _h_quarter_wrapper(m: re.Match[str], ctx: _Context) -> Result | None:
    text = m.group().lower()
    if not m.group("ord") and not text.startswith("the") and not m.group("year0"):
        return None
    if m.group("qh").lower() == "half" and not m.group("ord"):
        return None
    out = _h_quarter(m, ctx)
    if out and m.group("the") and "-" in text and not m.group("year"):
        out["span"] = "qcore"  # adjectival "the third-quarter loss": no "the"
    return out


@dataclass(frozen=True)
class Rule:
    """One tagging rule: a compiled regex, its handler, its tie-break rank and its trigger.

    A rule only scans a sentence that contains one of its ``keys`` (lower-cased
    words) -- or, when ``digits`` is set, a digit, plus a key unless ``keys`` is
    empty. This cheap set test skips most rules on most sentences.
    """

    name: str
    regex: re.Pattern[str]
    handler: Handler
    rank: int
    keys: frozenset[str]
    digits: bool

    def wanted(self, words: set[str], has_digit: bool) -> bool:
        if self.digits:
            return has_digit and (not self.keys or not self.keys.isdisjoint(words))
        return not self.keys.isdisjoint(words)


def _words(phrases: Any) -> frozenset[str]:
    return frozenset(w for p in phrases for w in re.findall(r"[a-z]+", p.lower()))


_K_MONTH = _words(G.month_num)
_K_WEEKDAY = _words(G.weekday_num)
_K_UNIT = _words(G.unit_code) | {"weekend", "half", "period"}
_K_SEASON = _words(G.season_code)
_TRIGGERS: dict[str, tuple[frozenset[str], bool]] = {
    "month_day": (_K_MONTH, True),
    "day_month": (_K_MONTH, True),
    "month_year": (_K_MONTH, True),
    "numeric_iso": (frozenset(), True),
    "numeric_us": (frozenset(), True),
    "time": (frozenset(), True),
    "holiday": (_words(G.holiday_rule), False),
    "rel_unit": (_K_UNIT, False),
    "end_of_unit": (_K_UNIT, False),
    "rel_named": (frozenset({"this", "last", "next", "coming", "past"}), False),
    "month_rel_year": (_K_MONTH, False),
    "month": (_K_MONTH, False),
    "plural_ago": (_K_UNIT, False),
    "ago": (_K_UNIT, False),
    "duration": (_K_UNIT, False),
    "plural_unit": (_K_UNIT, False),
    "bare_plural": (_K_UNIT, False),
    "quarter": (frozenset({"quarter", "half"}), False),
    "season": (_K_SEASON, False),
    "today": (frozenset({"today", "tonight", "yesterday", "tomorrow", "night"}), False),
    "weekday": (_K_WEEKDAY, False),
    "weekend": (frozenset({"weekend"}), False),
    "decade": (frozenset(), True),
    "century": (frozenset({"century"}), False),
    "year": (frozenset(), True),
    "every_weekday": (_K_WEEKDAY, False),
    "every_month": (_K_MONTH, False),
    "noon": (frozenset({"noon", "midday", "midnight"}), False),
    "every_n": (_K_UNIT, False),
    "times_per": (_K_UNIT, False),
    "year_ago": (frozenset({"year"}), False),
    "year_quarter": (frozenset({"quarter", "period"}), False),
    "phrase": (_words(G.phrase_info), False),
    "the_unit": (frozenset({"year", "week", "period"}), False),
}


def _compile() -> list[Rule]:
    rules = []
    for name, pattern, handler, rank in _RULE_SPECS:
        if name == "time":
            handler = _h_time_wrapper
        elif name == "quarter":
            handler = _h_quarter_wrapper
        elif name == "month_rel_year":
            handler = _h_month_rel_year
        keys, digits = _TRIGGERS[name]
        rules.append(Rule(name, re.compile(pattern, re.IGNORECASE), handler, rank, keys, digits))
    return rules


#: The compiled rules, in priority order for equally long matches.
RULES: list[Rule] = _compile()


# --------------------------------------------------------------------------- driver

_SENT_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*\n"
)
_ABBR_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.[\"'\u201d\u2019)\]]*$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text`` (a simple splitter).

    Splits after ``.!?`` followed by a capital or digit, and at blank lines,
    but not after abbreviations such as "Feb." or "Mr." (``abbreviations.tsv``).

    Parameters
    ----------
    text
        Raw article text.

    Returns
    -------
    list of tuple
        Offsets into ``text``, whitespace at the edges excluded.

    Examples
    --------
    >>> t = "Mr. Xi left on Feb. 22. He returned later."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Mr. Xi left on Feb. 22.', 'He returned later.']
    """
    spans = []
    start = 0
    for m in _SENT_BOUNDARY.finditer(text):
        if m.group().strip() or "\n\n" not in m.group().replace(" ", ""):
            before = _ABBR_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if before and (before.group(1) in G.abbreviations or len(before.group(1)) == 1):
                continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_TRIGGER_WORD_RE = re.compile(r"[a-z]+")
_DIGIT_RE = re.compile(r"\d")


def _tag_sentence(
    sentence: str, anchor: dt.date | None, quarterly: bool = False
) -> list[dict[str, Any]]:
    """Return the selected timexes of one sentence with sentence-local offsets."""
    ctx = _Context(sentence, anchor, quarterly)
    cands: list[tuple[int, int, int, int, dict[str, Any]]] = []
    words = set(_TRIGGER_WORD_RE.findall(sentence.lower()))
    has_digit = _DIGIT_RE.search(sentence) is not None
    for order, rule in enumerate(RULES):
        if not rule.wanted(words, has_digit):
            continue
        for m in rule.regex.finditer(sentence):
            res = rule.handler(m, ctx)
            if not res or not res.get("value"):
                continue
            span = res.pop("span", None)
            s, e = (m.start(span), m.end(span)) if span else (m.start(), m.end())
            if res.pop("trim", None):
                e -= 1
            if e <= s:
                continue
            cands.append((-(e - s), rule.rank, order, s, {**res, "start": s, "end": e}))
    cands.sort(key=lambda c: (c[0], c[1], c[2], c[3]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for _, _, _, s, res in cands:
        e = res["end"]
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        chosen.append(res)
    chosen.sort(key=lambda r: r["start"])
    return chosen


_RANGE_BETWEEN = re.compile(r"^\s*(?:-|\u2013|\u2014|to|through|until|till|and)\s*$", re.I)
_RANGE_BEFORE = re.compile(r"\b(?:from|between)\s*$", re.I)


def _rows(
    text: str,
    spans: list[tuple[int, int, int]],
    anchor: dt.date | None,
    doc_id: str | None,
    range_start: int = 0,
    quarterly: bool | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Tag each ``(sent_id, start, end)`` span of ``text``; return rows and next range id."""
    rows: list[dict[str, Any]] = []
    next_range = range_start
    if quarterly is None:
        quarterly = is_quarterly(text)
    for sent_id, s0, e0 in spans:
        sentence = text[s0:e0]
        found = _tag_sentence(sentence, anchor, quarterly)
        for i, res in enumerate(found):
            res["range_id"] = None
            if i and res["type"] == "DATE" and found[i - 1]["type"] == "DATE":
                prev = found[i - 1]
                between = sentence[prev["end"] : res["start"]]
                dash = between.strip() in ("-", "\u2013")
                if _RANGE_BETWEEN.match(between) and (
                    dash or _RANGE_BEFORE.search(sentence[: prev["start"]])
                ):
                    if prev["range_id"] is None:
                        prev["range_id"] = next_range
                        next_range += 1
                    res["range_id"] = prev["range_id"]
        for res in found:
            value = res["value"]
            mod = res.get("mod")
            start_date, end_date, gran = nz.value_span(value, mod)
            if res.get("end_value"):
                _, end2, _ = nz.value_span(res["end_value"], mod)
                end_date = end2 if end2 is not None else end_date
            if gran == "none":
                gran = _granularity_of(value, res["type"])
            rows.append(
                {
                    "doc_id": doc_id,
                    "sent_id": sent_id,
                    "start": s0 + res["start"],
                    "end": s0 + res["end"],
                    "surface": sentence[res["start"] : res["end"]],
                    "type": res["type"],
                    "value": value,
                    "start_date": start_date,
                    "end_date": end_date,
                    "granularity": gran,
                    "mod": mod,
                    "end_value": res.get("end_value"),
                    "range_id": res["range_id"],
                }
            )
    return rows, next_range


def _granularity_of(value: str, typ: str) -> str:
    """Granularity of values that are not calendar spans (X-dates, times, references)."""
    if typ in ("DURATION", "SET") or value.endswith("_REF"):
        return "none"
    if "T" in value[4:]:
        return "time"
    if "-W" in value:
        return "week"
    if "-Q" in value:
        return "quarter"
    if "-H" in value:
        return "half"
    if re.search(r"-(SP|SU|FA|WI)$", value):
        return "season"
    parts = value.split("-")
    return {1: "year", 2: "month", 3: "day"}.get(len(parts), "none")


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Build the typed output table column by column (much cheaper than ``conform``)."""
    columns = {**schema.TIMEXES, **EXTRA_COLUMNS}
    if not rows:
        return schema.empty(columns)
    data: dict[str, Any] = {}
    for name, dtype in columns.items():
        values = [r[name] for r in rows]
        if dtype == "datetime64[ns]":
            data[name] = pd.DatetimeIndex(values).astype("datetime64[ns]")
        elif dtype == "int64":
            data[name] = np.asarray(values, dtype=np.int64)
        else:
            data[name] = pd.array(values, dtype=dtype)
    return pd.DataFrame(data)


def find_timexes(text: str, anchor: object = None, *, doc_id: str | None = None) -> pd.DataFrame:
    """Return one row per temporal expression in ``text``, normalised against ``anchor``.

    Parameters
    ----------
    text
        Raw text (an article body).
    anchor
        Publication date as date, datetime, Timestamp or ISO string. With
        None, anchor-relative values keep X's ("XXXX-12-30", "XXXX-WXX-5").
    doc_id
        Stored in the ``doc_id`` column.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`newslab.schema.TIMEXES` (offsets index into
        ``text``; ``sent_id`` from the internal sentence splitter) followed by
        ``mod`` (TIMEX3 mod, e.g. START for "early May"), ``end_value`` (last
        value of a compact range such as "March 20-22") and ``range_id``
        (shared by the two ends of "from ... to ..." ranges).

    Examples
    --------
    >>> df = find_timexes("They held a video call on Dec. 30 and will meet next week.",
    ...                   anchor="2023-03-13")
    >>> df[["surface", "type", "value", "granularity"]].values.tolist()
    [['Dec. 30', 'DATE', '2022-12-30', 'day'], ['next week', 'DATE', '2023-W12', 'week']]
    >>> find_timexes("He arrived on Friday.")["value"].tolist()
    ['XXXX-WXX-5']
    """
    day = nz.to_date(anchor)
    spans = [(i, s, e) for i, (s, e) in enumerate(split_sentences(text or ""))]
    rows, _ = _rows(text or "", spans, day, doc_id)
    return _frame(rows)


def timexes(
    sentences: pd.DataFrame, articles: pd.DataFrame, date_col: str = "published"
) -> pd.DataFrame:
    """Return the temporal expressions of a sentence table, anchored on each article's date.

    Parameters
    ----------
    sentences
        A :data:`newslab.schema.SENTENCES` table (doc_id, sent_id, start, end,
        text), offsets indexing into the article text.
    articles
        A table with ``doc_id`` and ``date_col``.
    date_col
        The column of ``articles`` holding the anchor date.

    Returns
    -------
    pandas.DataFrame
        Like :func:`find_timexes`; ``start``/``end`` index into the article
        text (sentence start + offset in the sentence), ``sent_id`` is the
        table's.

    Examples
    --------
    >>> sents = pd.DataFrame({"doc_id": ["a"], "sent_id": [3], "start": [100],
    ...                       "end": [120], "text": ["It ended yesterday."]})
    >>> arts = pd.DataFrame({"doc_id": ["a"], "published": [pd.Timestamp("2023-01-01")]})
    >>> timexes(sents, arts)[["sent_id", "start", "value"]].values.tolist()
    [[3, 109, '2022-12-31']]
    """
    anchors = {}
    if len(articles):
        anchors = dict(zip(articles["doc_id"], articles[date_col], strict=False))
    rows: list[dict[str, Any]] = []
    next_range = 0
    quarterly = {
        doc_id
        for doc_id, text in zip(sentences["doc_id"], sentences["text"], strict=True)
        if isinstance(text, str) and is_quarterly(text)
    }
    for doc_id, sent_id, start, text in zip(
        sentences["doc_id"],
        sentences["sent_id"],
        sentences["start"],
        sentences["text"],
        strict=True,
    ):
        if not isinstance(text, str) or not text:
            continue
        day = nz.to_date(anchors.get(doc_id))
        got, next_range = _rows(
            text, [(int(sent_id), 0, len(text))], day, doc_id, next_range, doc_id in quarterly
        )
        for row in got:
            row["start"] += int(start)
            row["end"] += int(start)
        rows.extend(got)
    return _frame(rows)


def ranges(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with the two ends of each linked range folded into one row.

    The folded row keeps the first end's offsets start and the second end's
    end, its value as ``value`` and the second's as ``end_value``;
    ``start_date``/``end_date`` cover the whole range.

    Parameters
    ----------
    df
        Output of :func:`find_timexes` or :func:`timexes`.

    Returns
    -------
    pandas.DataFrame
        Same columns, fewer rows.

    Examples
    --------
    >>> df = find_timexes("She visits from Feb. 28 to March 2.", anchor="2023-02-20")
    >>> r = ranges(df)
    >>> r[["value", "end_value"]].values.tolist()
    [['2023-02-28', '2023-03-02']]
    >>> str(r["end_date"].iloc[0].date())
    '2023-03-02'
    """
    if df.empty or df["range_id"].isna().all():
        return df.copy()
    linked = df[df["range_id"].notna()]
    single = df[df["range_id"].isna()]
    folded = []
    for _, group in linked.groupby(["doc_id", "range_id"], dropna=False, sort=False):
        first, last = group.iloc[0].copy(), group.iloc[-1]
        first["end"] = last["end"]
        first["end_value"] = last["value"]
        first["end_date"] = last["end_date"]
        folded.append(first)
    out = pd.concat([single, pd.DataFrame(folded)], ignore_index=True)
    out = out.sort_values(["doc_id", "start"], kind="stable", na_position="first")
    return schema.conform(out.reset_index(drop=True), {**schema.TIMEXES, **EXTRA_COLUMNS})
