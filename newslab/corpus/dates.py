"""Publication dates written many ways: parse them to a timezone-naive timestamp and a precision.

Month names come from ``data/months.tsv`` (English, French, German, Spanish, Italian,
Portuguese, Dutch, Polish, Russian, Ukrainian); extend that file to add a language.
Times and time zones are read but the wall-clock time as printed is kept (news dates are
local dates); offsets such as ``+03:00`` or ``IST`` are dropped, never converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources

import pandas as pd

from newslab.corpus.linefilter import trie

__all__ = ["ParsedDate", "parse_date", "match_date_line", "date_in_url", "month_table"]


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: ``year`` always, ``month``/``day`` when written, plus the time if any."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int = 0
    minute: int = 0

    @property
    def precision(self) -> str:
        """Return ``'day'``, ``'month'`` or ``'year'``."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def to_timestamp(self) -> pd.Timestamp:
        """Return the date as a timezone-naive Timestamp (NaT when out of pandas' range)."""
        d = self.to_datetime()
        return pd.NaT if d is None else pd.Timestamp(d)

    def to_datetime(self) -> datetime | None:
        """Return the date as a naive datetime, None when a nanosecond Timestamp cannot hold it.

        Examples
        --------
        >>> ParsedDate(2023, 3).to_datetime()
        datetime.datetime(2023, 3, 1, 0, 0)
        >>> ParsedDate(2263, 1, 1).to_datetime() is None
        True
        """
        try:
            d = datetime(self.year, self.month or 1, self.day or 1, self.hour, self.minute)
        except (ValueError, OverflowError):
            return None
        return d if _FIRST_MINUTE <= d <= _LAST_MINUTE else None


#: The first and last whole minutes that ``datetime64[ns]`` holds.
_FIRST_MINUTE = pd.Timestamp.min.ceil("min").to_pydatetime()
_LAST_MINUTE = pd.Timestamp.max.floor("min").to_pydatetime()


@lru_cache(maxsize=1)
def month_table() -> dict[str, int]:
    """Return the month-name table as ``{lowercase name: month number}``.

    Examples
    --------
    >>> month_table()["sept"], month_table()["février"], month_table()["березня"]
    (9, 2, 3)
    """
    text = resources.files("newslab.corpus").joinpath("data/months.tsv").read_text("utf-8")
    table: dict[str, int] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("name\t"):
            continue
        name, month, _lang = line.split("\t")
        table[name.strip().lower()] = int(month)
    return table


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    # The names as a trie ("ma(?:r(?:ch|s)?|y)..."): the engine follows one branch per letter
    # instead of trying 160 names in turn. A name is letters only and is followed by a
    # non-letter in every pattern, so each full match has one month name, as with a plain
    # alternation.
    mon = "(?P<mon>" + trie(month_table()) + r")\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"
    year = r"(?P<year>\d{4})"
    time = (
        r"(?:\s*(?:/|,|-|–|at|à|um)?\s*(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)"
        r"(?::\d\d(?:\.\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
        r"(?:\s*(?:[A-Z]{2,5}|UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d\d)?)?|\s*[+-]\d{2}:?\d{2}|Z)?)?"
    )
    weekday = r"(?:(?:[A-Z][a-zé]+|[А-ЯІ][а-яії]+),?\s+)?"
    flags = re.IGNORECASE
    return (
        # 2023-03-20, 2023-03-20T09:30:00+03:00, 2023/03/20
        re.compile(
            r"(?P<year>\d{4})[-/](?P<month>[01]?\d)[-/](?P<day>[0-3]?\d)"
            r"(?:[T\s](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::\d\d(?:\.\d+)?)?"
            r"(?:Z|[+-]\d{2}:?\d{2}|\s*[A-Z]{2,5})?)?",
            flags,
        ),
        # March 13, 2023 / Mar 20, 2023 / 05:11 PM IST / Monday, March 13, 2023
        re.compile(weekday + mon + r"\s+" + day + r",?\s+" + year + time, flags),
        # 13 March 2023 / 22. Februar 2023 / 22 de febrero de 2023 / 22 février 2023, 10:15
        re.compile(
            weekday + day + r"\s+(?:de\s+)?" + mon + r",?\s+(?:de\s+|del\s+)?" + year + time,
            flags,
        ),
        # 21/03/2023, 21.03.2023 (day first, as most of the world writes it)
        re.compile(r"(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>\d{4})" + time, flags),
        # March 2023, mars 2023
        re.compile(mon + r",?\s+(?:de\s+)?" + year, flags),
        # 2023-03 (month precision), 2023 alone
        re.compile(r"(?P<year>\d{4})-(?P<month>[01]\d)", flags),
        re.compile(r"(?P<year>\d{4})", flags),
    )


def _from_match(m: re.Match[str]) -> ParsedDate | None:
    g = m.groupdict()
    year = int(g["year"])
    if g.get("mon"):
        month: int | None = month_table().get(g["mon"].lower().rstrip("."))
        if month is None:
            return None
    elif g.get("month"):
        month = int(g["month"])
    else:
        month = None
    day = int(g["day"]) if g.get("day") else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            datetime(max(year, 1), month or 1, day)
        except ValueError:
            return None
    hour = int(g["hour"]) if g.get("hour") else 0
    minute = int(g["minute"]) if g.get("minute") else 0
    ampm = (g.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        hour, minute = 0, 0
    return ParsedDate(year, month, day, hour, minute)


def parse_date(value: str) -> ParsedDate | None:
    """Return the date that makes up the whole of ``value``, or None.

    Parameters
    ----------
    value
        A date as written: ``"March 13, 2023"``, ``"13 March 2023"``,
        ``"Mar 20, 2023 / 05:11 PM IST"``, ``"2023-03-20"``, ``"22. Februar 2023"``,
        ``"21/03/2023"``, ``"2023-03"``, ...

    Returns
    -------
    ParsedDate or None
        None when the string is not (only) a date.

    Examples
    --------
    >>> parse_date("Mar 20, 2023 / 05:11 PM IST")
    ParsedDate(year=2023, month=3, day=20, hour=17, minute=11)
    >>> parse_date("22 de febrero de 2023").precision
    'day'
    >>> parse_date("2023-03").precision
    'month'
    >>> parse_date("The march on Kyiv") is None
    True
    """
    s = value.strip().strip(".").strip()
    if not s or len(s) > 80:
        return None
    for pat in _patterns():
        m = pat.fullmatch(s)
        if m:
            return _from_match(m)
    return None


_DIGIT = re.compile(r"\d")
_LINE_PREFIX = re.compile(
    r"(?i)^(?:(?P<kind>published|posted|updated|last updated|date|dated|modified|"
    r"publié le|veröffentlicht|publicado|опубликовано|опубліковано)\s*(?:on|at|:)?\s*:?\s*)"
)


def match_date_line(line: str) -> tuple[ParsedDate, str] | None:
    """Return ``(date, kind)`` when a whole line is a date, else None.

    ``kind`` is ``'updated'`` for "Updated: ..." lines and ``'published'`` otherwise.

    Examples
    --------
    >>> d, kind = match_date_line("Updated: Mar 20, 2023 / 06:02 PM IST")
    >>> (d.day, kind)
    (20, 'updated')
    >>> match_date_line("Putin met Xi on March 20, 2023.") is None
    True
    """
    s = line.strip()
    if not s or len(s) > 90 or _DIGIT.search(s) is None:
        return None
    kind = "published"
    m = _LINE_PREFIX.match(s)
    if m:
        if "updat" in m.group("kind").lower() or "modif" in m.group("kind").lower():
            kind = "updated"
        s = s[m.end() :]
    parsed = parse_date(s)
    if parsed is None:
        return None
    return parsed, kind


#: Numbers from here on are epoch seconds (1973-03-03); smaller ones are no timestamps of news.
_MIN_EPOCH = 100_000_000


def _digits_date(n: int) -> ParsedDate | None:
    """Return the date a number writes with its digits (YYYY, YYYYMM, YYYYMMDD), or None.

    Examples
    --------
    >>> _digits_date(20230320), _digits_date(202303), _digits_date(2023)
    (ParsedDate(year=2023, month=3, day=20, hour=0, minute=0), ParsedDate(year=2023, month=3, day=None, hour=0, minute=0), ParsedDate(year=2023, month=None, day=None, hour=0, minute=0))
    >>> _digits_date(20230230) is None, _digits_date(45005) is None  # no Feb 30, an Excel serial
    (True, True)
    """
    if 1000 <= n <= 2999:
        return ParsedDate(n)
    if 100001 <= n <= 299912 and 1 <= n % 100 <= 12:
        return ParsedDate(n // 100, n % 100)
    if 10000101 <= n <= 29991231:
        y, m, d = n // 10000, n // 100 % 100, n % 100
        try:
            datetime(y, m, d)
        except ValueError:
            return None
        return ParsedDate(y, m, d)
    return None


def excel_serial_date(value: object) -> ParsedDate | None:
    """Return the date of an Excel serial day number (days since 1899-12-30), or None.

    A spreadsheet cell that lost its date format holds the number Excel counts dates by.
    Numbers below 3,000 (1908-03-18) are taken for no date here (a year, more likely).

    Examples
    --------
    >>> excel_serial_date(45005), excel_serial_date(45005.75)
    (ParsedDate(year=2023, month=3, day=20, hour=0, minute=0), ParsedDate(year=2023, month=3, day=20, hour=18, minute=0))
    >>> excel_serial_date(2023) is None, excel_serial_date("45005") is None
    (True, True)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not 3000 <= value < 2958466:  # 9999-12-31
        return None
    d = datetime(1899, 12, 30) + timedelta(days=float(value))
    return ParsedDate(d.year, d.month, d.day, d.hour, d.minute)


def parse_date_value(value: object) -> ParsedDate | None:
    """Return the date in a structured field (string, number of epoch seconds, datetime), or None.

    Examples
    --------
    >>> parse_date_value("2023-03-21T09:30:00+03:00")
    ParsedDate(year=2023, month=3, day=21, hour=9, minute=30)
    >>> parse_date_value(1677464430).day
    27

    A number below 100,000,000 (1973-03-03 in epoch seconds) is a date only when its digits
    write one: ``2023``, ``202303``, ``20230320`` (as a number or a string of digits); any
    other (``45005``, an Excel serial day) is no date, not a moment of 1970.

    >>> parse_date_value(20230320), parse_date_value(45005)
    (ParsedDate(year=2023, month=3, day=20, hour=0, minute=0), None)
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, datetime):
        return ParsedDate(value.year, value.month, value.day, value.hour, value.minute)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == value // 1 and value < _MIN_EPOCH:
            return _digits_date(int(value))
        seconds = float(value)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000.0
        if _MIN_EPOCH <= seconds < 4.2e9:
            d = datetime.fromtimestamp(seconds, tz=UTC)
            return ParsedDate(d.year, d.month, d.day, d.hour, d.minute)
        return None
    s = str(value).strip()
    if s.isdigit() and len(s) in (6, 8, 10, 13):
        return parse_date_value(int(s))
    parsed = parse_date(s)
    if parsed is not None:
        return parsed
    m = _LINE_PREFIX.match(s)
    if m:
        return parse_date(s[m.end() :])
    return None


#: A date in a URL's path, as news sites write it: ``/2023/03/13/``, ``/2023/03/`` (a month),
#: or ``2023-03-13`` between separators. The year is 19xx or 20xx.
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)/(?P<m>0[1-9]|1[0-2])/(?:(?P<d>0[1-9]|[12]\d|3[01])(?=[/._-]|$))?"
    r"|(?<=[/_-])(?P<y2>(?:19|20)\d\d)-(?P<m2>0[1-9]|1[0-2])-(?P<d2>0[1-9]|[12]\d|3[01])(?=[/._-]|$)"
)


def date_in_url(url: str | None) -> ParsedDate | None:
    """Return the date a news URL's path holds, or None.

    ``/YYYY/MM/DD/`` gives a day, ``/YYYY/MM/`` a month, ``YYYY-MM-DD`` between separators a
    day; the host and the query are not read. A day that does not exist gives the month.

    Examples
    --------
    >>> date_in_url("https://www.example.org/story/news/2016/12/30/us-russia-sanctions/959917")
    ParsedDate(year=2016, month=12, day=30, hour=0, minute=0)
    >>> date_in_url("https://example.net/news/2020/07/nepal-talks-200714.html").precision
    'month'
    >>> date_in_url("https://example.com/news/world-asia-44274514") is None
    True
    """
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    at = path.find("//")
    slash = path.find("/", at + 2 if at >= 0 else 0)
    m = _URL_DATE.search(path, slash) if slash >= 0 else None
    if m is None:
        return None
    year = int(m.group("y") or m.group("y2"))
    month = int(m.group("m") or m.group("m2"))
    day_text = m.group("d") or m.group("d2")
    day = int(day_text) if day_text else None
    if day is not None:
        try:
            datetime(year, month, day)
        except ValueError:
            day = None
    return ParsedDate(year, month, day)
