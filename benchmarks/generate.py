"""Generate synthetic corpora of any size in newslab's scraped plaintext format.

Each article is a pure function of ``(seed, index)``: a story (cast of persons,
countries, organisations; a publication date in 2023; a title; body paragraphs
assembled from sentence templates) rendered in one of five page layouts, with the
quirks scrapers leave behind (header lines, repeated titles, bylines, image-file
lines, captions, "Read also" links, donation appeals, HTML remnants, a paragraph
broken mid-sentence, a URL broken by a space, hard-wrapped lines, CRLF endings).
A configurable share of articles are syndicated copies (the same body under another
header, naming the original outlet) or exact duplicates of an earlier article.

All names, sentences and layouts below were written for this generator; persons,
countries and organisations are real-world entities so that entity and co-mention
counts look like those of real coverage (popularity follows a Zipf-like law).

Command line::

    python benchmarks/generate.py OUT_DIR --n 100000 --seed 0 [--shard-size 10000]

writes ``OUT_DIR/shard_0000/0000000_<16hex>.txt`` ... (at most ``shard-size`` files
per folder). From Python, :func:`generate_corpus` writes a corpus and
:func:`iter_articles` yields ``(filename, text)`` pairs without touching the disk;
:func:`iter_records` adds the ground truth (title, date, outlet, author, URL, clean
body, inserted boilerplate lines).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import hashlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "GENERATOR_VERSION",
    "Article",
    "LAYOUTS",
    "make_article",
    "iter_records",
    "iter_articles",
    "generate_corpus",
    "shard_dir_name",
]

#: bumped whenever the output for a given (seed, index) changes; part of cached corpus names
GENERATOR_VERSION = 1

# ---------------------------------------------------------------------------------------------
# Knowledge tables for the generator (written for it; popularity rank = position in the table).
# ---------------------------------------------------------------------------------------------

#: (full-name variants, later-mention variants, roles, country key)
PERSONS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str], ...] = (
    (("Vladimir Putin",), ("Putin",), ("Russian President", "Kremlin leader"), "RU"),
    (("Xi Jinping",), ("Xi", "Xi", "Xi", "Jinping"), ("Chinese President", "Chinese leader"), "CN"),
    (
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
        ("Zelensky", "Zelenskyy", "Zelensky"),
        ("Ukrainian President",),
        "UA",
    ),
    (("Joe Biden",), ("Biden",), ("U.S. President",), "US"),
    (("Sergei Lavrov",), ("Lavrov",), ("Russian Foreign Minister",), "RU"),
    (("Wang Yi",), ("Wang",), ("China's top diplomat", "senior Chinese diplomat"), "CN"),
    (
        ("Alexander Lukashenko",),
        ("Lukashenko",),
        ("Belarusian leader", "Belarusian President"),
        "BY",
    ),
    (("Antony Blinken",), ("Blinken",), ("U.S. Secretary of State",), "US"),
    (("Emmanuel Macron",), ("Macron",), ("French President",), "FR"),
    (("Olaf Scholz",), ("Scholz",), ("German Chancellor",), "DE"),
    (("Dmitry Peskov",), ("Peskov",), ("Kremlin spokesman",), "RU"),
    (("Dmytro Kuleba",), ("Kuleba",), ("Ukrainian Foreign Minister",), "UA"),
    (("Qin Gang",), ("Qin",), ("Chinese Foreign Minister",), "CN"),
    (("Jens Stoltenberg",), ("Stoltenberg",), ("NATO Secretary-General",), "NATO"),
    (("Recep Tayyip Erdogan",), ("Erdogan",), ("Turkish President",), "TR"),
    (("Ursula von der Leyen",), ("von der Leyen",), ("European Commission President",), "EU"),
    (("Narendra Modi",), ("Modi",), ("Indian Prime Minister",), "IN"),
    (("Antonio Guterres",), ("Guterres",), ("UN Secretary-General",), "UN"),
    (("Sergei Shoigu",), ("Shoigu",), ("Russian Defense Minister",), "RU"),
    (("Rishi Sunak",), ("Sunak",), ("British Prime Minister",), "GB"),
    (("Josep Borrell",), ("Borrell",), ("EU foreign policy chief",), "EU"),
    (("Lloyd Austin",), ("Austin",), ("U.S. Defense Secretary",), "US"),
    (("Li Qiang",), ("Li",), ("Chinese Premier",), "CN"),
    (("Jake Sullivan",), ("Sullivan",), ("U.S. National Security Adviser",), "US"),
    (("Maria Zakharova",), ("Zakharova",), ("Russian Foreign Ministry spokeswoman",), "RU"),
    (("Andrzej Duda",), ("Duda",), ("Polish President",), "PL"),
    (("Fumio Kishida",), ("Kishida",), ("Japanese Prime Minister",), "JP"),
    (("Luiz Inacio Lula da Silva",), ("Lula",), ("Brazilian President",), "BR"),
    (("Kim Jong Un",), ("Kim",), ("North Korean leader",), "KP"),
    (("Viktor Orban",), ("Orban",), ("Hungarian Prime Minister",), "HU"),
    (("Kassym-Jomart Tokayev",), ("Tokayev",), ("Kazakh President",), "KZ"),
    (("Mikhail Mishustin",), ("Mishustin",), ("Russian Prime Minister",), "RU"),
)

#: key -> (name, adjective, capital, metonyms for the government)
COUNTRIES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "CN": ("China", "Chinese", "Beijing", ("Beijing",)),
    "RU": ("Russia", "Russian", "Moscow", ("the Kremlin", "Moscow")),
    "UA": ("Ukraine", "Ukrainian", "Kyiv", ("Kyiv",)),
    "US": ("the United States", "U.S.", "Washington", ("Washington", "the White House")),
    "BY": ("Belarus", "Belarusian", "Minsk", ("Minsk",)),
    "FR": ("France", "French", "Paris", ("Paris", "the Elysee")),
    "DE": ("Germany", "German", "Berlin", ("Berlin",)),
    "TR": ("Turkey", "Turkish", "Ankara", ("Ankara",)),
    "IN": ("India", "Indian", "New Delhi", ("New Delhi",)),
    "GB": ("the United Kingdom", "British", "London", ("London", "Downing Street")),
    "PL": ("Poland", "Polish", "Warsaw", ("Warsaw",)),
    "IR": ("Iran", "Iranian", "Tehran", ("Tehran",)),
    "JP": ("Japan", "Japanese", "Tokyo", ("Tokyo",)),
    "KP": ("North Korea", "North Korean", "Pyongyang", ("Pyongyang",)),
    "BR": ("Brazil", "Brazilian", "Brasilia", ("Brasilia",)),
    "HU": ("Hungary", "Hungarian", "Budapest", ("Budapest",)),
    "KZ": ("Kazakhstan", "Kazakh", "Astana", ("Astana",)),
    "ZA": ("South Africa", "South African", "Pretoria", ("Pretoria",)),
    "SA": ("Saudi Arabia", "Saudi", "Riyadh", ("Riyadh",)),
    "MD": ("Moldova", "Moldovan", "Chisinau", ("Chisinau",)),
}
_COUNTRY_KEYS = tuple(COUNTRIES)

#: (first mention, later mentions)
ORGS: tuple[tuple[str, str], ...] = (
    ("NATO", "NATO"),
    ("the United Nations", "the UN"),
    ("the European Union", "the EU"),
    ("the International Criminal Court", "the ICC"),
    ("the Group of Seven", "the G7"),
    ("the G20", "the G20"),
    ("the Shanghai Cooperation Organisation", "the SCO"),
    ("the International Atomic Energy Agency", "the IAEA"),
    ("BRICS", "BRICS"),
    ("the International Monetary Fund", "the IMF"),
    ("the Organization for Security and Co-operation in Europe", "the OSCE"),
    ("the World Bank", "the World Bank"),
)

#: news agencies and research groups quoted as sources (first mention, later mentions)
SOURCES: tuple[tuple[str, str], ...] = (
    ("Reuters", "Reuters"),
    ("TASS", "TASS"),
    ("the Associated Press", "AP"),
    ("Agence France-Presse", "AFP"),
    ("Xinhua", "Xinhua"),
    ("the Institute for the Study of War", "ISW"),
    ("Bloomberg", "Bloomberg"),
    ("RIA Novosti", "RIA Novosti"),
    ("Interfax", "Interfax"),
    ("CNN", "CNN"),
    ("The Wall Street Journal", "the Journal"),
    ("Ukrinform", "Ukrinform"),
)

#: fictional outlets (name, web domain); the domains are listed in newslab's outlets.csv
OUTLETS: tuple[tuple[str, str], ...] = (
    ("Moscow Observer", "moscowobserver.example"),
    ("Kyiv Ledger", "kyivledger.example"),
    ("Asia Wire Digest", "asiawiredigest.example"),
    ("Continental Review", "continentalreview.example"),
    ("Baltic Courier", "balticcourier.example"),
    ("Delhi Dispatch", "delhidispatch.example"),
)

#: fictional aggregator sites that republish other outlets' stories
AGGREGATORS: tuple[str, ...] = (
    "Newsroll",
    "Daily Brief Hub",
    "GeoPulse",
    "World Feed 24",
    "Headline Stack",
)

AUTHOR_FIRST = (
    "Anna", "Olena", "Maxim", "Daria", "Taras", "Kateryna", "Mei", "Tomasz", "Claire", "Jonas",
    "Priya", "Hamid", "Laura", "Pavel", "Ingrid", "Kwame", "Sofia", "Ruslan", "Yuki", "Abraham",
)  # fmt: skip
AUTHOR_LAST = (
    "Kovalenko", "Petrenko", "Morozova", "Chen", "Novak", "Hartmann", "Dubois", "Walker",
    "Ivanova", "Shevchuk", "Lindqvist", "Okafor", "Brennan", "Sato", "Mehta", "Rahimi",
)  # fmt: skip

TOPICS = (
    "trade and investment", "energy supplies", "the war in Ukraine", "a possible ceasefire",
    "grain exports across the Black Sea", "sanctions", "security at the Zaporizhzhia nuclear plant",
    "military cooperation", "a peace proposal", "joint infrastructure projects",
    "payments in national currencies", "arms control", "the exchange of prisoners",
    "food security", "visa-free travel", "gas transit",
)  # fmt: skip
ITEMS = (
    "combat drones", "artillery shells", "air-defence systems", "microchips", "ammunition",
    "fighter jets", "battle tanks", "long-range missiles", "armoured vehicles", "rifles",
)  # fmt: skip
MET = ("met", "held talks with", "spoke by phone with", "hosted", "received")

#: sentence templates with entity slots: {p} {q} persons; {c} {d} countries, {ca} {da} their
#: adjectives, {m} a metonym of {c}'s government, {city} a capital; {o} organisation; {s} source;
#: {t} topic; {i} item; {met} a meeting verb; {pd} {fd} {fr} past / future date, future range.
BODY_TEMPLATES = (
    "{p} {met} {q} in {city} {pd}, and the two discussed {t}.",
    "{p} is expected to travel to {city} {fd} for talks with {q}.",
    "{s} reported {pd} that {p} planned to visit {c} {fr}.",
    "It would be the first such visit between {c} and {d} since the start of the year.",
    "{m} said the talks would focus on {t} and on ways to deepen ties with {d}.",
    "{p} told reporters {pd} that {c} was ready to discuss {t} with any partner acting in good faith.",
    "“We do not accept threats, and we will not negotiate under pressure,” {p} said.",
    "“There is no alternative to dialogue,” {p} told a news conference in {city}.",
    "Officials in {city} have repeatedly denied that {c} is sending {i} to {d}.",
    "According to {s}, {da} officials fear that {i} could reach the front line within weeks.",
    "{o} is due to take up the question of {t} at a meeting {fd}.",
    "{p} and {q} last spoke {pd}, when they agreed to stay in close contact on {t}.",
    "{m} did not respond to a request for comment from {s}.",
    "Analysts quoted by {s} said the move was meant to show that {c} would not be isolated.",
    "{p} accused {d} of dragging out the conflict by supplying {i}.",
    "Speaking in {city} {pd}, {p} said {t} would top the agenda.",
    "{q} is also expected to attend, according to a statement released by {m}.",
    "{o} has called on all sides to show restraint and return to negotiations.",
    "The meeting between {p} and {q} is planned {fr}, two officials said.",
    "{ca} state media gave few details of the program but said {p} would sign several agreements.",
    "{p} has insisted that {c} is neutral, a claim that {o} and {d} have questioned.",
    "In a phone call {pd}, {p} urged {q} to back efforts on {t}.",
    "{s} cited a person familiar with the preparations as saying the trip could be delayed.",
    "{m} has warned that any deliveries of {i} to {d} would be treated as an escalation.",
    "The two leaders are expected to issue a joint statement on {t} {fd}.",
    "{p} thanked {q} for the support and said more talks would follow {fd}.",
    "A spokesperson for {o} said the organisation was watching the situation closely.",
    "{d} has imposed new restrictions on firms accused of helping {c} obtain {i}.",
    "{p} said the sides had made progress on {t} but that differences remained.",
    "Earlier, {q} had said that {c} would host the next round of talks {fd}.",
    "{p} arrived in {city} {pd} at the head of a large delegation of ministers and executives.",
    "{c} and {d} signed agreements on {t} during the visit, {s} said.",
)  # fmt: skip
FILLER_SENTENCES = (
    "The talks lasted more than three hours, officials said.",
    "No details of the agreements were made public.",
    "The announcement came as fighting continued along the front line.",
    "Diplomats said a final text had not yet been agreed.",
    "The sides also discussed energy prices and food security.",
    "Observers said the timing of the visit was hardly a coincidence.",
    "Several agreements on trade and transport are expected to be signed.",
    "The ministry said further contacts were planned in the weeks ahead.",
    "It was not immediately clear whether the visit would go ahead as planned.",
    "Officials described the mood of the meeting as frank and businesslike.",
    "Both governments have sought to present the relationship as a partnership of equals.",
    "Critics said the plan offered few concrete steps toward ending the war.",
    "Prices for wheat and fertiliser have risen sharply since the summer.",
    "The statement did not set out any timeline for the proposals.",
    "Markets reacted calmly to the news.",
    "Security in the capital was tightened ahead of the visit.",
    "Neither side gave figures for the value of the deals.",
    "The program of the visit has not been published.",
)
TITLE_TEMPLATES = (
    "{p} to visit {c} {ft}",
    "{p} and {q} discuss {t} in phone call",
    "{c} denies sending {i} to {d}",
    "{p} says {c} open to talks on {t}",
    "{ca} and {da} leaders to meet {ft}, {s} reports",
    "{o} to take up {t} {ft}",
    "{p} warns {d} over deliveries of {i}",
    "{p} meets {q} in {city} as {o} looks on",
    "{p} arrives in {city} for talks on {t}",
    "{m} rejects report on {i} for {d}",
)
CAPTIONS = (
    "{role} {name}",
    "{name} in {city}",
    "{name}",
    "{city} skyline",
)
PHOTO_CREDITS = (
    "TASS / kremlin.ru",
    "Sputnik / kremlin.ru",
    "Pool / AFP",
    "Handout / president.gov.ua",
    "Xinhua / news.cn",
    "EPA / Getty Images",
)
DONATION_APPEALS = (
    "Independent reporting costs money. Support us with a one-off donation today.",
    "Help us keep this newsroom going: become a Patron or make a donation.",
    "If you value our coverage, please consider a donation to keep it free for everyone.",
)
HTML_TAGS = ("u", "em", "strong", "b", "i")

# AP-style month names used in running text, full names used in date lines
MONTH_AP = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
            "Nov.", "Dec.")  # fmt: skip
MONTH_FULL = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SEASONS = ("winter", "winter", "spring", "spring", "spring", "summer", "summer", "summer",
           "autumn", "autumn", "autumn", "winter")  # fmt: skip

#: news peaks: (day of year, share) -- anniversaries, summits and visits in 2023
PEAKS = ((55, 0.06), (79, 0.08), (122, 0.03), (175, 0.04), (234, 0.04), (291, 0.03))

#: page layouts and their shares among original articles
LAYOUTS: dict[str, float] = {
    "aggregator": 0.30,  # " date ..." header, repeated title, widgets, image line, appeal
    "magazine": 0.20,  # blank first line, date line, credit caption, HTML, broken URL
    "wire": 0.20,  # header, byline with outlet, "Updated:" line, entities, tags, copyright
    "portal": 0.15,  # "Published:" date line first, photo credit, ads, share widgets, CRLF
    "wrapped": 0.15,  # month-precision header, weekday date line, hard-wrapped lines
}

_YEAR0 = dt.date(2023, 1, 1)
_MIN_WORDS, _MAX_WORDS = 150, 900  # body length bounds (words); lognormal in between
_BLOCK = 1024


def _zipf_cum(n: int, s: float = 1.1) -> list[float]:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return np.cumsum(weights).tolist()


_CUM_PERSON = _zipf_cum(len(PERSONS))
_CUM_COUNTRY = _zipf_cum(len(COUNTRIES))
_CUM_ORG = _zipf_cum(len(ORGS))
_CUM_SOURCE = _zipf_cum(len(SOURCES))
_LAYOUT_NAMES = tuple(LAYOUTS)
_CUM_LAYOUT = np.cumsum(list(LAYOUTS.values())).tolist()


class _Draws:
    """Uniform draws from a numpy Generator, handed out one by one from a block (fast)."""

    __slots__ = ("_rng", "_buf", "_pos")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buf = rng.random(_BLOCK).tolist()
        self._pos = 0

    def u(self) -> float:
        if self._pos == _BLOCK:
            self._buf = self._rng.random(_BLOCK).tolist()
            self._pos = 0
        x = self._buf[self._pos]
        self._pos += 1
        return x

    def below(self, k: int) -> int:
        return int(self.u() * k)

    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.u() * len(seq))]

    def zipf(self, cum: list[float]) -> int:
        return bisect.bisect_right(cum, self.u() * cum[-1])

    def chance(self, p: float) -> bool:
        return self.u() < p

    def lognormal(self, mean: float, sigma: float) -> float:
        return float(self._rng.lognormal(mean, sigma))


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def _ap_date(d: dt.date, pub: dt.date) -> str:
    text = f"{MONTH_AP[d.month - 1]} {d.day}"
    return text if d.year == pub.year else f"{text}, {d.year}"


def _past(dr: _Draws, pub: dt.date) -> str:
    u = dr.u()
    if u < 0.35:
        back = 1 + dr.below(6)
        return "on " + WEEKDAYS[(pub - dt.timedelta(days=back)).weekday()]
    if u < 0.75:
        return "on " + _ap_date(pub - dt.timedelta(days=2 + dr.below(60)), pub)
    if u < 0.85:
        return "last week"
    if u < 0.93:
        return "last month"
    return "earlier this month" if pub.day > 7 else "last week"


def _future(dr: _Draws, pub: dt.date) -> str:
    u = dr.u()
    if u < 0.25:
        return "next week"
    if u < 0.55:
        return "on " + _ap_date(pub + dt.timedelta(days=3 + dr.below(45)), pub)
    if u < 0.70:
        month = (pub.month + dr.below(3)) % 12  # 0-based index of a month after pub's
        return "in " + MONTH_FULL[month]
    if u < 0.80:
        return "later this month" if pub.day < 20 else "next month"
    if u < 0.90:
        return "in the coming months"
    return "this " + SEASONS[min(pub.month, 11)]


def _future_short(dr: _Draws, pub: dt.date) -> str:
    u = dr.u()
    if u < 0.4:
        return "next week"
    if u < 0.7:
        return "in " + MONTH_FULL[pub.month % 12]
    return "on " + _ap_date(pub + dt.timedelta(days=3 + dr.below(30)), pub)


def _future_range(dr: _Draws, pub: dt.date) -> str:
    start = pub + dt.timedelta(days=2 + dr.below(40))
    end = start + dt.timedelta(days=1 + dr.below(4))
    a = _ap_date(start, pub)
    b = str(end.day) if (end.month, end.year) == (start.month, start.year) else _ap_date(end, pub)
    if dr.chance(0.7):
        return f"from {a} to {b}"
    return f"between {a} and {b}"


def _pub_date(dr: _Draws) -> dt.date:
    u = dr.u()
    acc = 0.0
    for day, share in PEAKS:
        acc += share
        if u < acc:
            doy = min(364, max(0, day + dr.below(7) - 2))
            return _YEAR0 + dt.timedelta(days=doy)
    return _YEAR0 + dt.timedelta(days=dr.below(365))


# ---------------------------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------------------------


class _Mentions:
    """Fills template slots; first mentions are long (role + full name), later ones short."""

    def __init__(self, dr: _Draws, pub: dt.date, cast_p: list[int], cast_c: list[str]) -> None:
        self.dr = dr
        self.pub = pub
        self.cast_p = cast_p
        self.cast_c = cast_c
        self.org = dr.zipf(_CUM_ORG)
        self.src = dr.zipf(_CUM_SOURCE)
        self.seen: set[object] = set()

    def person_index(self, avoid: int = -1) -> int:
        dr = self.dr
        for _ in range(4):
            k = dr.pick(self.cast_p) if dr.chance(0.85) else dr.zipf(_CUM_PERSON)
            if k != avoid:
                return k
        return (avoid + 1) % len(PERSONS)

    def person(self, k: int) -> str:
        full, short, roles, _ = PERSONS[k]
        if k in self.seen:
            return self.dr.pick(short)
        self.seen.add(k)
        name = self.dr.pick(full)
        return f"{self.dr.pick(roles)} {name}" if self.dr.chance(0.6) else name

    def country_key(self, avoid: str = "") -> str:
        dr = self.dr
        for _ in range(4):
            key = dr.pick(self.cast_c) if dr.chance(0.8) else _COUNTRY_KEYS[dr.zipf(_CUM_COUNTRY)]
            if key != avoid:
                return key
        return "UA" if avoid != "UA" else "CN"

    def named(self, pair: tuple[str, str], tag: str) -> str:
        if (tag, pair) in self.seen:
            return pair[1]
        self.seen.add((tag, pair))
        return pair[0]

    def fill(self, template: str, *, title: bool = False) -> str:
        dr = self.dr
        values: dict[str, str] = {}
        if "{p}" in template or "{q}" in template:
            kp = self.person_index()
            kq = self.person_index(avoid=kp)
            if title:
                values["p"], values["q"] = PERSONS[kp][1][0], PERSONS[kq][1][0]
            else:
                # slot order in the text decides which is the first mention
                first, second = (
                    ("p", "q")
                    if template.find("{p}") <= template.find("{q}") or ("{q}" not in template)
                    else ("q", "p")
                )
                ks = {"p": kp, "q": kq}
                if "{" + first + "}" in template:
                    values[first] = self.person(ks[first])
                if "{" + second + "}" in template:
                    values[second] = self.person(ks[second])
        c = self.country_key()
        if "{c}" in template or "{ca}" in template or "{m}" in template:
            name, adj, _cap, metos = COUNTRIES[c]
            values["c"], values["ca"], values["m"] = name, adj, dr.pick(metos)
        if "{d}" in template or "{da}" in template:
            d = self.country_key(avoid=c)
            values["d"], values["da"] = COUNTRIES[d][0], COUNTRIES[d][1]
        if "{city}" in template:
            values["city"] = COUNTRIES[dr.pick(self.cast_c)][2]
        if "{o}" in template:
            org = ORGS[self.org if dr.chance(0.8) else dr.zipf(_CUM_ORG)]
            values["o"] = org[1] if title else self.named(org, "o")
        if "{s}" in template:
            src = SOURCES[self.src if dr.chance(0.8) else dr.zipf(_CUM_SOURCE)]
            values["s"] = src[1] if title else self.named(src, "s")
        if "{t}" in template:
            values["t"] = dr.pick(TOPICS)
        if "{i}" in template:
            values["i"] = dr.pick(ITEMS)
        if "{met}" in template:
            values["met"] = dr.pick(MET)
        if "{pd}" in template:
            values["pd"] = _past(dr, self.pub)
        if "{fd}" in template:
            values["fd"] = _future(dr, self.pub)
        if "{fr}" in template:
            values["fr"] = _future_range(dr, self.pub)
        if "{ft}" in template:
            values["ft"] = _future_short(dr, self.pub)
        text = template.format_map(values)
        return text[0].upper() + text[1:]


@dataclass(frozen=True)
class _Story:
    published: dt.date
    title: str
    paragraphs: tuple[str, ...]
    outlet: int
    author: str
    lead_person: int
    lead_city: str


def _make_title(mentions: _Mentions) -> str:
    return mentions.fill(mentions.dr.pick(TITLE_TEMPLATES), title=True)


def _random_title(dr: _Draws, pub: dt.date) -> str:
    cast_p = [dr.zipf(_CUM_PERSON) for _ in range(3)]
    cast_c = [_COUNTRY_KEYS[dr.zipf(_CUM_COUNTRY)] for _ in range(2)]
    return _make_title(_Mentions(dr, pub, cast_p, cast_c))


def _fresh(dr: _Draws, choices: Sequence[str], used: dict[str, int], limit: int) -> str:
    """Pick from ``choices``, avoiding items already used ``limit`` times (a few retries)."""
    for _ in range(4):
        item = dr.pick(choices)
        if used.get(item, 0) < limit:
            break
    used[item] = used.get(item, 0) + 1
    return item


def _story(dr: _Draws) -> _Story:
    pub = _pub_date(dr)
    cast_p = [dr.zipf(_CUM_PERSON) for _ in range(2 + dr.below(3))]
    cast_c = [PERSONS[cast_p[0]][3]] + [_COUNTRY_KEYS[dr.zipf(_CUM_COUNTRY)] for _ in range(2)]
    cast_c = [c for c in cast_c if c in COUNTRIES] or ["UA"]
    mentions = _Mentions(dr, pub, cast_p, cast_c)
    title = _make_title(mentions)
    target = int(min(_MAX_WORDS, max(_MIN_WORDS, dr.lognormal(5.95, 0.45))))
    paragraphs: list[str] = []
    words = 0
    used: dict[str, int] = {}
    while words < target:
        sentences = []
        for _ in range(1 + dr.below(3)):
            if not paragraphs and not sentences or dr.chance(0.62):
                template = _fresh(dr, BODY_TEMPLATES, used, 2)
                sentences.append(mentions.fill(template))
            else:
                sentences.append(_fresh(dr, FILLER_SENTENCES, used, 1))
        para = " ".join(sentences)
        n_para = para.count(" ") + 1
        if words + n_para > _MAX_WORDS:
            break  # words >= _MAX_WORDS - (longest paragraph) > _MIN_WORDS here
        paragraphs.append(para)
        words += n_para
    author = f"{dr.pick(AUTHOR_FIRST)} {dr.pick(AUTHOR_LAST)}"
    lead_city = COUNTRIES[cast_c[0]][2]
    return _Story(
        pub, title, tuple(paragraphs), dr.below(len(OUTLETS)), author, cast_p[0], lead_city
    )


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One generated article and its ground truth.

    ``text`` is the file content; ``paragraphs`` is the clean body a loader should recover;
    ``boilerplate`` lists the non-body lines the layout inserted (stripped, as written).
    """

    index: int
    filename: str
    text: str
    layout: str
    kind: str  # original / syndicated / duplicate
    source: int  # index of the article this one copies (its own index when original)
    published: dt.date
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    paragraphs: tuple[str, ...]
    boilerplate: tuple[str, ...]


@dataclass
class _Page:
    lines: list[str]
    boilerplate: list[str]
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    published: dt.date
    newline: str = "\n"
    trailing: str = "\n"


def _title_case(title: str) -> str:
    small = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "over"}
    words = title.split(" ")
    out = [
        w if (i and w in small) or not w[:1].islower() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    ]
    return " ".join(out)


def _slug(title: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in title)
    return "-".join(part for part in keep.split("-") if part)[:70]


def _with_html(dr: _Draws, para: str) -> str:
    """Return ``para`` with an HTML remnant that cleans back to ``para``."""
    words = para.split(" ")
    if len(words) < 6:
        return para
    k = 2 + dr.below(len(words) - 3)
    u = dr.u()
    if u < 0.5:
        tag = dr.pick(HTML_TAGS)
        words[k] = f"<{tag}>{words[k]}</{tag}>"
    elif u < 0.8:
        words[k] = f'<a href="https://example.org/{dr.below(99999)}">{words[k]}</a>'
    else:
        return " ".join(words[:k]) + "&nbsp;" + " ".join(words[k:])
    return " ".join(words)


def _break_paragraph(para: str) -> tuple[str, str] | None:
    """Split ``para`` mid-sentence before a lowercase word (as scrapers do), if possible."""
    words = para.split(" ")
    for k in range(len(words) - 1, max(2, len(words) - 12), -1):
        w, prev = words[k], words[k - 1]
        if w[:1].islower() and prev[-1:].isalpha():
            return " ".join(words[:k]), " ".join(words[k:])
    return None


def _wrap(para: str, width: int) -> list[str]:
    lines: list[str] = []
    cur: list[str] = []
    size = 0
    for word in para.split(" "):
        if cur and size + 1 + len(word) > width:
            lines.append(" ".join(cur))
            cur, size = [], 0
        size += len(word) + (1 if cur else 0)
        cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


def _body(
    dr: _Draws,
    story: _Story,
    lines: list[str],
    bp: list[str],
    *,
    read_also: str,
    html: float,
    extras: Sequence[str] = (),
    pub: dt.date,
) -> None:
    """Append body paragraphs to ``lines``, with "read also" links and extra widget lines."""
    paras = list(story.paragraphs)
    n_links = 0 if not read_also else 1 + dr.below(3)
    link_at = {1 + dr.below(max(1, len(paras) - 1)) for _ in range(n_links)}
    extra_at = {
        1 + dr.below(max(1, len(paras) - 1)): dr.pick(extras) for _ in range(len(extras) and 2)
    }
    for j, para in enumerate(paras):
        if j in link_at:
            line = f"{read_also}: {_random_title(dr, pub)}"
            lines += [line, ""]
            bp.append(line)
        if j in extra_at:
            lines += [extra_at[j], ""]
            bp.append(extra_at[j])
        lines += [_with_html(dr, para) if dr.chance(html) else para, ""]


def _render_aggregator(dr: _Draws, story: _Story, pub: dt.date, site: str) -> _Page:
    outlet = OUTLETS[story.outlet][0]
    header = f" date {pub.isoformat()} {site}"
    author = dr.pick(AUTHOR_FIRST) if dr.chance(0.5) else story.author
    stamp = int(dt.datetime(pub.year, pub.month, pub.day, tzinfo=dt.UTC).timestamp())
    stamp += dr.below(86400)
    image = f"{stamp} {hashlib.md5(story.title.encode()).hexdigest()}.jpeg"
    full, _short, roles, _ = PERSONS[story.lead_person]
    caption = dr.pick(CAPTIONS).format(role=dr.pick(roles), name=full[0], city=story.lead_city)
    lines = [header, story.title, "", story.title, "", "Latest news", "", "Published on", ""]
    lines += [f"By {author}", image, caption, ""]
    bp = [header, "Latest news", "Published on", f"By {author}", image, caption]
    _body(dr, story, lines, bp, read_also="Read also", html=0.0, pub=pub)
    appeal = dr.pick(DONATION_APPEALS)
    origin = f"Read the original article on {outlet}"
    lines += [appeal, "", origin, ""]
    bp += [appeal, origin]
    return _Page(lines, bp, story.title, outlet, author, None, pub)


def _url(dr: _Draws, story: _Story, pub: dt.date) -> tuple[str, str]:
    """Return (URL, URL as broken by the scraper with a space before its last digits)."""
    domain = OUTLETS[story.outlet][1]
    num = str(10000 + dr.below(90000))
    base = f"https://www.{domain}/{pub:%Y/%m/%d}/{_slug(story.title)}-a"
    return base + num, f"{base} {num}"


def _render_magazine(dr: _Draws, story: _Story, pub: dt.date) -> _Page:
    title = _title_case(story.title)
    date_line = f"{MONTH_FULL[pub.month - 1]} {pub.day}, {pub.year}"
    full, _short, roles, _ = PERSONS[story.lead_person]
    caption = f"{dr.pick(roles)} {full[0]}. {dr.pick(PHOTO_CREDITS)}"
    lines = [" ", "", "", title, "", date_line, "", "", "", caption, ""]
    bp = [date_line, caption]
    paras = list(story.paragraphs)
    broken = 1 + dr.below(len(paras) - 1) if len(paras) > 1 else -1
    for j, para in enumerate(paras):
        if j == len(paras) - 1 and len(paras) > 2:
            line = f"Related article: {_random_title(dr, pub)}"
            lines += [line, ""]
            bp.append(line)
        split = _break_paragraph(para) if j == broken else None
        if split:
            lines += [split[0], "", split[1], ""]
        else:
            lines += [_with_html(dr, para) if dr.chance(0.25) else para, ""]
    url, broken_url = _url(dr, story, pub)
    lines += ["Original url:", "", broken_url]
    bp += ["Original url:", broken_url]
    return _Page(lines, bp, title, OUTLETS[story.outlet][0], None, url, pub, trailing="")


def _render_wire(dr: _Draws, story: _Story, pub: dt.date, origin: str | None = None) -> _Page:
    outlet = OUTLETS[story.outlet][0] if origin is None else dr.pick(AGGREGATORS)
    header = f" date {pub.isoformat()} {outlet}"
    byline = f"By {story.author} | {outlet}"
    upd = pub + dt.timedelta(days=dr.below(2))
    hour = 1 + dr.below(12)
    updated = (
        f"Updated: {MONTH_ABBR[upd.month - 1]} {upd.day:02d}, {upd.year} / "
        f"{hour:02d}:{dr.below(60):02d} {'AP'[dr.below(2)]}M IST"
    )
    lines = [header, story.title, byline, updated, ""]
    bp = [header, byline, updated]
    _body(
        dr,
        story,
        lines,
        bp,
        read_also="Also read",
        html=0.15,
        extras=("Advertisement", "Scroll to continue with content"),
        pub=pub,
    )
    src = SOURCES[dr.zipf(_CUM_SOURCE)][0]
    tail = [f"(With inputs from {src})"]
    if origin is not None:
        tail.append(f"This article originally appeared on {origin}.")
    tail += [
        "Tags: " + ", ".join(sorted({COUNTRIES[k][0] for k in _COUNTRY_KEYS[: 2 + dr.below(3)]})),
        f"© {pub.year} {outlet}. All rights reserved.",
    ]
    for line in tail:
        lines += [line, ""]
    bp += tail
    return _Page(lines, bp, story.title, origin or outlet, story.author, None, pub)


def _render_portal(dr: _Draws, story: _Story, pub: dt.date) -> _Page:
    outlet = OUTLETS[story.outlet][0]
    date_line = (
        f"Published: {pub.day} {MONTH_FULL[pub.month - 1]} {pub.year}, "
        f"{dr.below(24):02d}:{dr.below(60):02d}"
    )
    byline = f"By {story.author}, staff writer"
    credit = f"Photo: {dr.pick(('AFP', 'Reuters', 'AP', 'EPA', 'Getty Images'))}"
    lines = [date_line, story.title, "", byline, credit, ""]
    bp = [date_line, byline, credit]
    _body(
        dr,
        story,
        lines,
        bp,
        read_also="Read more",
        html=0.1,
        extras=("Advertisement", "Share this article"),
        pub=pub,
    )
    tail = [
        f"Follow {outlet} on Telegram for the latest updates.",
        "Share this article",
        '<div class="share-buttons"></div>',
    ]
    for line in tail:
        lines += [line, ""]
    bp += tail[:2]
    newline = "\r\n" if dr.chance(0.5) else "\n"
    # the page names its outlet only in a widget line: a loader cannot know it
    return _Page(lines, bp, story.title, None, story.author, None, pub, newline=newline)


def _render_wrapped(dr: _Draws, story: _Story, pub: dt.date) -> _Page:
    outlet = OUTLETS[story.outlet][0]
    header = f" date {pub:%Y-%m} {outlet}"
    date_line = f"{WEEKDAYS[pub.weekday()]}, {MONTH_FULL[pub.month - 1]} {pub.day}, {pub.year}"
    coauthor = f"{dr.pick(AUTHOR_FIRST)} {dr.pick(AUTHOR_LAST)}"
    two = dr.chance(0.4) and coauthor != story.author
    author = f"{story.author}; {coauthor}" if two else story.author
    byline = f"By {story.author} and {coauthor}" if two else f"By {story.author}"
    lines = [header, story.title, date_line, byline, ""]
    bp = [header, date_line, byline]
    width = 64 + dr.below(16)
    for para in story.paragraphs:
        lines += _wrap(para, width)
        lines.append("")
    copyright_line = f"Copyright {pub.year} {outlet}"
    lines += [copyright_line]
    bp.append(copyright_line)
    return _Page(lines, bp, story.title, outlet, author, None, pub)


def _render(dr: _Draws, story: _Story, layout: str) -> _Page:
    pub = story.published
    if layout == "aggregator":
        return _render_aggregator(dr, story, pub, dr.pick(AGGREGATORS))
    if layout == "magazine":
        return _render_magazine(dr, story, pub)
    if layout == "wire":
        return _render_wire(dr, story, pub)
    if layout == "portal":
        return _render_portal(dr, story, pub)
    return _render_wrapped(dr, story, pub)


def _render_syndicated(dr: _Draws, story: _Story) -> tuple[str, _Page]:
    pub = story.published + dt.timedelta(days=dr.below(3))
    origin = OUTLETS[story.outlet][0]
    if dr.chance(0.6):
        return "aggregator", _render_aggregator(dr, story, pub, dr.pick(AGGREGATORS))
    return "wire", _render_wire(dr, story, pub, origin=origin)


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------


def _kind_draw(seed: int, index: int) -> tuple[np.random.Generator, float]:
    rng = np.random.default_rng([seed, index])
    return rng, float(rng.random())


def _kind(u: float, index: int, dup_rate: float, syndicated_rate: float) -> str:
    if index == 0:
        return "original"
    if u < dup_rate:
        return "duplicate"
    if u < dup_rate + syndicated_rate:
        return "syndicated"
    return "original"


def _source_index(dr: _Draws, index: int, seed: int, dup_rate: float, syn_rate: float) -> int:
    """Pick an earlier original article (within the last 2,000) for a copy to reproduce."""
    j = index - 1 - dr.below(min(index, 2000))
    while j > 0 and _kind(_kind_draw(seed, j)[1], j, dup_rate, syn_rate) != "original":
        j -= 1
    return j


def _page_text(page: _Page) -> str:
    return page.newline.join(page.lines) + page.trailing.replace("\n", page.newline)


def _filename(index: int, data: bytes, width: int = 7) -> str:
    return f"{index:0{width}d}_{hashlib.blake2b(data, digest_size=8).hexdigest()}.txt"


def _original_from(dr: _Draws) -> tuple[_Story, str, _Page]:
    story = _story(dr)
    layout = _LAYOUT_NAMES[min(len(_LAYOUT_NAMES) - 1, dr.zipf(_CUM_LAYOUT))]
    return story, layout, _render(dr, story, layout)


def _original(seed: int, index: int) -> tuple[_Story, str, _Page]:
    rng, _u = _kind_draw(seed, index)
    return _original_from(_Draws(rng))


def _original_story(seed: int, index: int) -> _Story:
    rng, _u = _kind_draw(seed, index)
    return _story(_Draws(rng))


def make_article(
    index: int,
    seed: int = 0,
    *,
    dup_rate: float = 0.03,
    syndicated_rate: float = 0.05,
    width: int = 7,
) -> Article:
    """Return the article at position ``index`` of the corpus generated from ``seed``.

    Parameters
    ----------
    index
        Position in the corpus (0-based); the article does not depend on the corpus size.
    seed
        Corpus seed.
    dup_rate, syndicated_rate
        Shares of exact duplicates and of syndicated copies of earlier articles.
    width
        Zero-padded width of the index in the file name.

    Returns
    -------
    Article
        The file name and text, and the ground truth a loader should recover.

    Examples
    --------
    >>> art = make_article(0, seed=1)
    >>> art.kind, art.filename.startswith("0000000_"), art.published.year
    ('original', True, 2023)
    >>> make_article(0, seed=1).text == art.text
    True
    """
    rng, u = _kind_draw(seed, index)
    kind = _kind(u, index, dup_rate, syndicated_rate)
    source = index
    dr = _Draws(rng)
    if kind == "original":
        story, layout, page = _original_from(dr)
    else:
        source = _source_index(dr, index, seed, dup_rate, syndicated_rate)
        if kind == "duplicate":
            story, layout, page = _original(seed, source)
        else:
            story = _original_story(seed, source)
            layout, page = _render_syndicated(dr, story)
    text = _page_text(page)
    data = text.encode("utf-8")
    return Article(
        index=index,
        filename=_filename(index, data, width),
        text=text,
        layout=layout,
        kind=kind,
        source=source,
        published=page.published,
        title=page.title,
        outlet=page.outlet,
        author=page.author,
        url=page.url,
        paragraphs=story.paragraphs,
        boilerplate=tuple(line.strip() for line in page.boilerplate),
    )


def _width(n: int) -> int:
    return max(7, len(str(max(0, n - 1))))


def iter_records(
    n: int,
    seed: int = 0,
    *,
    dup_rate: float = 0.03,
    syndicated_rate: float = 0.05,
    start: int = 0,
) -> Iterator[Article]:
    """Yield the articles ``start .. n-1`` of the corpus generated from ``seed``, with ground truth.

    Parameters
    ----------
    n
        Corpus size (articles ``0 .. n-1``).
    seed
        Corpus seed.
    dup_rate, syndicated_rate
        Shares of exact duplicates and syndicated copies.
    start
        First index to yield (shards of a corpus are generated independently).

    Returns
    -------
    Iterator[Article]
        One :class:`Article` per index.

    Examples
    --------
    >>> [a.index for a in iter_records(3, seed=2)]
    [0, 1, 2]
    """
    width = _width(n)
    for i in range(start, n):
        yield make_article(i, seed, dup_rate=dup_rate, syndicated_rate=syndicated_rate, width=width)


def iter_articles(
    n: int, seed: int = 0, *, dup_rate: float = 0.03, syndicated_rate: float = 0.05
) -> Iterator[tuple[str, str]]:
    """Yield ``(filename, text)`` for ``n`` generated articles without writing files.

    Parameters
    ----------
    n
        Number of articles.
    seed
        Corpus seed; the same seed gives the same texts.
    dup_rate, syndicated_rate
        Shares of exact duplicates and syndicated copies.

    Returns
    -------
    Iterator[tuple[str, str]]
        File name (``NNNNNNN_<16hex>.txt``) and text.

    Examples
    --------
    >>> name, text = next(iter_articles(1, seed=0))
    >>> name.endswith(".txt"), len(text.split()) > 150
    (True, True)
    """
    for art in iter_records(n, seed, dup_rate=dup_rate, syndicated_rate=syndicated_rate):
        yield art.filename, art.text


def shard_dir_name(index: int, shard_size: int) -> str:
    """Return the name of the subfolder that holds article ``index``.

    Examples
    --------
    >>> shard_dir_name(0, 10_000), shard_dir_name(123_456, 10_000)
    ('shard_0000', 'shard_0012')
    """
    return f"shard_{index // shard_size:04d}"


_MANIFEST_FIELDS = ("path", "index", "kind", "source", "layout", "published", "title",
                    "outlet", "author", "url", "n_words")  # fmt: skip


def _write_range(args: tuple[str, int, int, int, int, int, float, float]) -> list[list[str]]:
    """Write articles ``start .. stop-1`` into their shard folders; return manifest rows."""
    out_dir, start, stop, n, shard_size, seed, dup_rate, syn_rate = args
    width = _width(n)
    rows: list[list[str]] = []
    folder = Path(out_dir)
    current = ""
    for i in range(start, stop):
        art = make_article(i, seed, dup_rate=dup_rate, syndicated_rate=syn_rate, width=width)
        sub = shard_dir_name(i, shard_size)
        if sub != current:
            current = sub
            folder = Path(out_dir) / sub
            folder.mkdir(parents=True, exist_ok=True)
        with open(folder / art.filename, "wb") as fh:
            fh.write(art.text.encode("utf-8"))
        n_words = sum(p.count(" ") + 1 for p in art.paragraphs)
        rows.append(
            [
                f"{sub}/{art.filename}",
                str(i),
                art.kind,
                str(art.source),
                art.layout,
                art.published.isoformat(),
                art.title,
                art.outlet or "",
                art.author or "",
                art.url or "",
                str(n_words),
            ]
        )
    return rows


def generate_corpus(
    out_dir: str | os.PathLike[str],
    n: int,
    seed: int = 0,
    *,
    shard_size: int = 10_000,
    dup_rate: float = 0.03,
    syndicated_rate: float = 0.05,
    workers: int = 1,
    manifest: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``n`` generated articles under ``out_dir`` and return the folder.

    Files are named ``NNNNNNN_<16hex>.txt`` (index, then a hash of the content) and stored in
    subfolders ``shard_0000``, ``shard_0001``, ... of at most ``shard_size`` files.

    Parameters
    ----------
    out_dir
        Destination folder (created; existing files with other names are left alone).
    n
        Number of articles.
    seed
        Corpus seed: the same ``(n, seed)`` gives the same bytes.
    shard_size
        Maximum number of files per subfolder.
    dup_rate, syndicated_rate
        Shares of exact duplicates and syndicated copies of earlier articles.
    workers
        Processes writing shards in parallel (the output does not depend on it).
    manifest
        Optional CSV path for the ground truth (one row per file); keep it outside
        ``out_dir`` if that folder is to be loaded as a corpus.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = generate_corpus(tmp, 3, seed=0, shard_size=2)
    ...     sorted(p.parent.name for p in root.rglob("*.txt"))
    ['shard_0000', 'shard_0000', 'shard_0001']
    """
    if n < 0 or shard_size < 1:
        raise ValueError("n must be >= 0 and shard_size >= 1")
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    jobs = [
        (
            str(root),
            start,
            min(n, start + shard_size),
            n,
            shard_size,
            seed,
            dup_rate,
            syndicated_rate,
        )
        for start in range(0, n, shard_size)
    ]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_write_range, jobs))
    else:
        results = [_write_range(job) for job in jobs]
    if manifest is not None:
        with open(manifest, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(_MANIFEST_FIELDS)
            for rows in results:
                writer.writerows(rows)
    return root


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="destination folder")
    parser.add_argument("--n", type=int, default=100_000, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shard-size", type=int, default=10_000, help="files per subfolder")
    parser.add_argument("--dup-rate", type=float, default=0.03, help="share of exact duplicates")
    parser.add_argument(
        "--syndicated-rate", type=float, default=0.05, help="share of syndicated copies"
    )
    parser.add_argument("--workers", type=int, default=1, help="parallel processes")
    parser.add_argument("--manifest", type=Path, default=None, help="ground-truth CSV path")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    generate_corpus(
        args.out_dir,
        args.n,
        args.seed,
        shard_size=args.shard_size,
        dup_rate=args.dup_rate,
        syndicated_rate=args.syndicated_rate,
        workers=args.workers,
        manifest=args.manifest,
    )
    secs = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in args.out_dir.rglob("*.txt"))
    print(
        f"wrote {args.n:,} articles ({size / 2**20:,.1f} MiB) to {args.out_dir} in {secs:,.1f} s "
        f"({args.n / max(secs, 1e-9):,.0f} articles/s, workers={args.workers})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
