"""Calendar arithmetic for TIMEX3 values: shifting anchors, choosing years, value -> span.

Everything here is a small pure function over :class:`datetime.date` and TIMEX3
value strings, so the tagger's rules only decide *what* an expression means and
these helpers work out *which* calendar dates that is.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

Date = dt.date

#: Tense labels returned by the tense heuristic.
PAST, FUTURE, NONE = "PAST", "FUTURE", "NONE"

_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def to_date(anchor: object) -> Date | None:
    """Return ``anchor`` as a :class:`datetime.date` (None stays None).

    Parameters
    ----------
    anchor
        A date, datetime, pandas Timestamp, ISO string or None.

    Returns
    -------
    datetime.date or None

    Examples
    --------
    >>> to_date("2023-03-13T08:00:00")
    datetime.date(2023, 3, 13)
    >>> to_date(None) is None, to_date(pd.NaT) is None
    (True, True)
    """
    if anchor is None or anchor is pd.NaT:
        return None
    if isinstance(anchor, pd.Timestamp):
        return None if pd.isna(anchor) else anchor.date()
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    if isinstance(anchor, str):
        if not anchor.strip():
            return None
        stamp = pd.Timestamp(anchor.strip()[:10])
        return None if pd.isna(stamp) else stamp.date()
    try:
        if pd.isna(anchor):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    return pd.Timestamp(anchor).date()  # type: ignore[arg-type]


def add_months(day: Date, months: int) -> Date:
    """Return ``day`` moved by ``months`` calendar months (clamped to month end).

    Parameters
    ----------
    day
        The starting date.
    months
        Months to add (negative to go back).

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> add_months(dt.date(2023, 3, 31), -1)
    datetime.date(2023, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def safe_date(year: int, month: int, day: int) -> Date | None:
    """Return the date or None when it does not exist (e.g. 31 April).

    Examples
    --------
    >>> safe_date(2023, 2, 29) is None
    True
    """
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def pick_year(anchor: Date, month: int, day: int | None, tense: str, penalty: int = 180) -> int:
    """Return the year of an underspecified "Dec. 30" / "December" given anchor and tense.

    The occurrence (last, this or next year) closest to the anchor wins, but an
    occurrence on the wrong side of the anchor for the tense (after it in a
    past-tense sentence, before it in a future one) counts ``penalty`` days
    further away. News rarely mentions a month-day more than half a year off,
    so a strong tense cue flips the choice only when both readings are plausible.

    Parameters
    ----------
    anchor
        The publication date.
    month, day
        The expression's month and day (``day=None`` for a bare month).
    tense
        ``"PAST"``, ``"FUTURE"`` or ``"NONE"``.
    penalty
        Extra distance in days for a reading that contradicts the tense.

    Returns
    -------
    int

    Examples
    --------
    >>> pick_year(dt.date(2023, 1, 3), 12, 30, "PAST")
    2022
    >>> pick_year(dt.date(2022, 12, 29), 1, 3, "FUTURE")
    2023
    >>> pick_year(dt.date(2023, 3, 13), 12, 30, "PAST")
    2022
    >>> pick_year(dt.date(2023, 3, 13), 12, None, "NONE")
    2022
    """
    best_year, best_cost = anchor.year, float("inf")
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day is None:
            diff = 30 * ((year * 12 + month) - (anchor.year * 12 + anchor.month))
        else:
            d = safe_date(year, month, min(day, 28) if month == 2 and day == 29 else day)
            if d is None:
                continue
            diff = (d - anchor).days
        cost = abs(diff)
        if (tense == PAST and diff > 0) or (tense == FUTURE and diff < 0):
            cost += penalty
        if cost < best_cost:
            best_year, best_cost = year, cost
    return best_year


def pick_date(anchor: Date, candidates: list[Date], tense: str, penalty: int = 180) -> Date:
    """Return the candidate closest to ``anchor``, tense-contradicting ones ``penalty`` days further.

    Parameters
    ----------
    anchor
        The publication date.
    candidates
        Possible readings, e.g. a holiday in last, this and next year.
    tense
        ``"PAST"``, ``"FUTURE"`` or ``"NONE"``.
    penalty
        Extra distance in days for a reading on the wrong side of the anchor.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> pick_date(dt.date(2000, 4, 17), [dt.date(1999, 4, 4), dt.date(2000, 4, 23)], "PAST")
    datetime.date(2000, 4, 23)
    """

    def cost(d: Date) -> int:
        diff = (d - anchor).days
        wrong = (tense == PAST and diff > 0) or (tense == FUTURE and diff < 0)
        return abs(diff) + (penalty if wrong else 0)

    return min(candidates, key=cost)


def pick_weekday(anchor: Date, isoday: int, tense: str, shift: int = 0) -> Date:
    """Return the date of a weekday name relative to ``anchor``.

    Parameters
    ----------
    anchor
        The publication date.
    isoday
        ISO weekday, Monday=1 .. Sunday=7.
    tense
        ``"FUTURE"`` gives the coming one (today included), anything else the
        most recent one (today included).
    shift
        ``-1`` for "last Friday" (strictly before), ``+1`` for "next Friday"
        (strictly after).

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> pick_weekday(dt.date(2023, 3, 13), 5, "PAST")  # Monday -> previous Friday
    datetime.date(2023, 3, 10)
    >>> pick_weekday(dt.date(2023, 3, 13), 5, "FUTURE")
    datetime.date(2023, 3, 17)
    """
    delta = isoday - anchor.isoweekday()
    if shift > 0 or (shift == 0 and tense == FUTURE):
        ahead = delta % 7
        if shift > 0 and ahead == 0:
            ahead = 7
        return anchor + dt.timedelta(days=ahead)
    back = (-delta) % 7
    if shift < 0 and back == 0:
        back = 7
    return anchor - dt.timedelta(days=back)


def iso_week(day: Date) -> str:
    """Return the ISO week value ``YYYY-Www`` of ``day``.

    Examples
    --------
    >>> iso_week(dt.date(2023, 1, 1))
    '2022-W52'
    """
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_of(day: Date) -> tuple[int, int]:
    """Return ``(year, quarter)`` of ``day``.

    Examples
    --------
    >>> quarter_of(dt.date(2023, 5, 2))
    (2023, 2)
    """
    return day.year, (day.month - 1) // 3 + 1


def shift_value(anchor: Date, unit: str, n: int) -> str:
    """Return the TIMEX3 value of the ``unit`` containing ``anchor`` moved by ``n`` units.

    Parameters
    ----------
    anchor
        The reference date.
    unit
        One of day, week, weekend, month, quarter, half, year, decade, century.
    n
        How many units to move (0 = the current one).

    Returns
    -------
    str

    Examples
    --------
    >>> shift_value(dt.date(2022, 12, 29), "week", 1)
    '2023-W01'
    >>> shift_value(dt.date(2023, 3, 13), "quarter", -1)
    '2022-Q4'
    >>> shift_value(dt.date(2023, 3, 13), "decade", 0)
    '202X'
    """
    if unit == "day":
        return (anchor + dt.timedelta(days=n)).isoformat()
    if unit in ("week", "weekend"):
        value = iso_week(anchor + dt.timedelta(weeks=n))
        return value + "-WE" if unit == "weekend" else value
    if unit == "month":
        d = add_months(anchor, n)
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        year, q = quarter_of(anchor)
        index = year * 4 + q - 1 + n
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "half":
        index = anchor.year * 2 + (anchor.month - 1) // 6 + n
        return f"{index // 2:04d}-H{index % 2 + 1}"
    if unit == "year":
        return f"{anchor.year + n:04d}"
    if unit == "decade":
        return f"{anchor.year // 10 + n:03d}X"
    if unit == "century":
        return f"{anchor.year // 100 + n:02d}"
    raise ValueError(f"unknown unit {unit!r}")


def season_value(anchor: Date, code: str, n: int) -> str:
    """Return ``YYYY-SS`` for the season ``code`` of the anchor's year moved by ``n`` years.

    Winter belongs to the year in which it starts (December), so in January
    "this winter" is the winter that began the previous December.

    Examples
    --------
    >>> season_value(dt.date(2023, 3, 13), "SP", 0)
    '2023-SP'
    >>> season_value(dt.date(2023, 1, 10), "WI", 0)
    '2022-WI'
    """
    year = anchor.year
    if code == "WI" and anchor.month <= 2:
        year -= 1
    return f"{year + n:04d}-{code}"


def nearest_season(anchor: Date, code: str, tense: str) -> str:
    """Return the season value for a bare "spring" given the tense.

    Examples
    --------
    >>> nearest_season(dt.date(2023, 3, 13), "FA", "PAST")
    '2022-FA'
    """
    this = season_value(anchor, code, 0)
    start, _, _ = value_span(this)
    if start is None:
        return this
    if tense == PAST and start.date() > anchor:
        return season_value(anchor, code, -1)
    if tense == FUTURE:
        _, end, _ = value_span(this)
        if end is not None and end.date() < anchor:
            return season_value(anchor, code, 1)
    return this


def easter(year: int) -> Date:
    """Return Easter Sunday of ``year`` (Gregorian computus).

    Examples
    --------
    >>> easter(2024)
    datetime.date(2024, 3, 31)
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def holiday_date(rule: str, year: int) -> Date:
    """Return the date of a holiday in ``year`` from its ``holidays.tsv`` rule.

    Examples
    --------
    >>> holiday_date("nth 11 4 4", 2023)  # Thanksgiving
    datetime.date(2023, 11, 23)
    >>> holiday_date("nth 5 -1 1", 2023)  # Memorial Day
    datetime.date(2023, 5, 29)
    """
    kind, *args = rule.split()
    if kind == "fixed":
        month, day = (int(x) for x in args[0].split("-"))
        return dt.date(year, month, day)
    if kind == "easter":
        return easter(year) + dt.timedelta(days=int(args[0]))
    if kind == "election":
        first_monday = holiday_date("nth 11 1 1", year)
        return first_monday + dt.timedelta(days=1)
    month, nth, isoday = (int(x) for x in args)
    if nth > 0:
        first = dt.date(year, month, 1)
        offset = (isoday - first.isoweekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (nth - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.isoweekday() - isoday) % 7)


_VALUE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T(?P<t>[\dA-Z:.]+))?)?"
    r"|W(?P<w>\d{2})(?P<we>-WE)?|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?$"
)
_DECADE_RE = re.compile(r"^(?P<dec>\d{3})X?$")
_CENTURY_RE = re.compile(r"^(?P<c>\d{2})$")


def _stamp(d: Date) -> pd.Timestamp:
    return pd.Timestamp(d)


def value_span(
    value: str, mod: str | None = None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str]:
    """Return ``(start_date, end_date, granularity)`` of a TIMEX3 date value.

    ``end_date`` is the last day of the span (inclusive). Values that are not
    calendar spans (durations, PRESENT_REF, X's) give ``(None, None, "none")``.
    ``mod`` START/MID/END narrows the span to its first, middle or last third.

    Parameters
    ----------
    value
        A TIMEX3 value such as ``2023-03``, ``2023-W12``, ``2023-SP``, ``199X``.
    mod
        Optional TIMEX3 mod.

    Returns
    -------
    tuple

    Examples
    --------
    >>> s, e, g = value_span("2023-W01")
    >>> s.date(), e.date(), g
    (datetime.date(2023, 1, 2), datetime.date(2023, 1, 8), 'week')
    >>> s, e, g = value_span("2023-05", "START")
    >>> s.day, e.day, g
    (1, 11, 'month')
    """
    m = _VALUE_RE.match(value or "")
    start: Date | None = None
    end: Date | None = None
    gran = "none"
    if m:
        year = int(m["y"])
        if m["d"]:
            start = safe_date(year, int(m["m"]), int(m["d"]))
            end = start
            gran = "time" if m["t"] else "day"
        elif m["m"]:
            month = int(m["m"])
            if 1 <= month <= 12:
                start = dt.date(year, month, 1)
                end = dt.date(year, month, calendar.monthrange(year, month)[1])
                gran = "month"
        elif m["w"]:
            week = int(m["w"])
            try:
                start = dt.date.fromisocalendar(year, week, 6 if m["we"] else 1)
                end = start + dt.timedelta(days=1 if m["we"] else 6)
                gran = "week"
            except ValueError:
                start = None
        elif m["q"]:
            q = int(m["q"])
            start = dt.date(year, 3 * q - 2, 1)
            end = add_months(start, 3) - dt.timedelta(days=1)
            gran = "quarter"
        elif m["h"]:
            h = int(m["h"])
            start = dt.date(year, 6 * h - 5, 1)
            end = add_months(start, 6) - dt.timedelta(days=1)
            gran = "half"
        elif m["s"]:
            first, last = _SEASON_MONTHS[m["s"]]
            start = dt.date(year, first, 1)
            end_year = year + 1 if last < first else year
            end = dt.date(end_year, last, calendar.monthrange(end_year, last)[1])
            gran = "season"
        else:
            start, end, gran = dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    elif m2 := _DECADE_RE.match(value or ""):
        dec = int(m2["dec"]) * 10
        start, end, gran = dt.date(dec, 1, 1), dt.date(dec + 9, 12, 31), "decade"
    elif (m3 := _CENTURY_RE.match(value or "")) and int(m3["c"]) > 0:
        c = int(m3["c"]) * 100
        start, end, gran = dt.date(c, 1, 1), dt.date(c + 99, 12, 31), "century"
    if start is None or end is None:
        return None, None, "none"
    if mod in ("START", "MID", "END") and end > start:
        third = (end - start).days // 3
        if mod == "START":
            end = start + dt.timedelta(days=third)
        elif mod == "END":
            start = end - dt.timedelta(days=third)
        else:
            start, end = start + dt.timedelta(days=third), end - dt.timedelta(days=third)
    if start.year < 1678 or end.year > 2261:  # outside pandas' nanosecond range
        return None, None, gran
    return _stamp(start), _stamp(end), gran
