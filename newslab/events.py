"""Events: who did what, and when, from sentences that join a date, actors and a trigger.

An *event mention* is a sentence holding a calendar date (a DATE timex of day, week or
month granularity), at least one actor (a PERSON, COUNTRY or ORG mention; metonyms such as
"Beijing" count as their country) and a trigger word from ``newslab/data/event_triggers.csv``.
Its status (reported / planned / expected / denied) comes from cue patterns around the
trigger (``newslab/data/event_status.csv``) and from the date: a date after the article's
publication cannot have been reported yet. Its span is the date's, folded over ranges
("from Feb. 28 to March 2", "March 20 to 22") and stretched over a stated stay ("arrived
on Monday for a three-day visit"); small word lists are in ``newslab/data/event_words.csv``.

Public verbs
------------
- :func:`extract_events` -- one row per event mention (``schema.EVENTS``), with an
  ``event_id`` shared by the mentions of one real-world event across articles.
- :func:`group_events` -- one row per ``event_id``: span, actors, trigger, status and how
  many articles, independent sources and outlets reported it.
- :func:`assign_event_ids`, :func:`merge_ranges`, :func:`event_label`,
  :func:`trigger_table` -- the steps, usable on their own.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from newslab import schema

#: Granularities of a DATE timex that can date an event.
EVENT_GRANULARITIES: tuple[str, ...] = ("day", "week", "month")
#: Mention types that can be actors (metonym rows count whatever their type).
ACTOR_TYPES: tuple[str, ...] = ("PERSON", "COUNTRY", "ORG")
#: Status values, from least to most "advanced".
STATUSES: tuple[str, ...] = ("denied", "expected", "planned", "reported")
#: Extra columns written after the schema's own by :func:`extract_events`.
EXTRA_COLUMNS: dict[str, str] = {
    "trigger_class": "string",
    "published": "datetime64[ns]",
    "outlet": "string",
    "dup_group": "Int64",
    "labels": "object",
}
#: Columns of :func:`group_events`.
GROUPED: dict[str, str] = {
    "event_id": "int64",
    "date_start": "datetime64[ns]",
    "date_end": "datetime64[ns]",
    "granularity": "string",
    "actors": "object",
    "labels": "object",
    "trigger": "string",
    "trigger_class": "string",
    "status": "string",
    "n_mentions": "int64",
    "n_articles": "int64",
    "n_sources": "int64",
    "n_outlets": "int64",
    "doc_ids": "object",
    "first_published": "datetime64[ns]",
    "last_published": "datetime64[ns]",
    "label": "string",
}

_TYPE_RANK = {"PERSON": 0, "COUNTRY": 1, "ORG": 2}
_GRAN_RANK = {g: i for i, g in enumerate(EVENT_GRANULARITIES)}
_TOKEN_RE = re.compile(r"\w+(?:[-'’.]\w+)*|['’]\w+|[^\w\s]")
_NOUN_PENALTY = 0.5
_WEAK_PENALTY = 3.0
_REPORT_REACH = 3
#: How many tokens after a weak verb ("held") an event noun may start and take its place.
_LIGHT_VERB_REACH = 4
#: A connector then a bare day number, not followed by a word ("to 22," but not "and 6 people").
_BARE_DAY_RE = re.compile(
    r"\s*(to|until|till|through|thru|and|-|–|—)\s*(\d{1,2})(?!\d)"
    r"(?=\s*(?:[,;.)!?–—](?!\d)|$)|\s+(?:at|in|for|on|when|with|as|and|to)\b)"
)


# --------------------------------------------------------------------------- data tables
def _read_csv(name: str) -> pd.DataFrame:
    """Return a package data table from ``newslab/data``, skipping ``#`` comment lines."""
    raw = resources.files("newslab.data").joinpath(name).read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class _Trigger:
    form: tuple[str, ...]
    lemma: str
    pos: str
    cls: str
    rank: str


@dataclass(frozen=True)
class _Tables:
    triggers: dict[tuple[str, ...], tuple[_Trigger, ...]]
    max_len: int
    status: tuple[tuple[str, re.Pattern[str], int, int], ...]
    connectors: frozenset[str]
    openers: frozenset[str]
    determiners: frozenset[str]
    day_numbers: dict[str, int]
    visit_nouns: frozenset[str]
    end_cues: frozenset[str]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    trig = _read_csv("event_triggers.csv")
    by_form: dict[tuple[str, ...], list[_Trigger]] = defaultdict(list)
    for row in trig.itertuples(index=False):
        form = tuple(_tokens(row.form.lower()))
        by_form[form].append(_Trigger(form, row[1], row[2], row[3], row[4]))
    stat = _read_csv("event_status.csv")
    status = tuple(
        (r.status, re.compile(r.pattern), int(r.before), int(r.after))
        for r in stat.itertuples(index=False)
    )
    words = _read_csv("event_words.csv")
    kinds = {k: frozenset(g["word"].str.lower()) for k, g in words.groupby("kind")}
    return _Tables(
        triggers={k: tuple(v) for k, v in by_form.items()},
        max_len=max(len(k) for k in by_form),
        status=status,
        connectors=kinds.get("range_connector", frozenset()),
        openers=kinds.get("range_opener", frozenset()),
        determiners=kinds.get("determiner", frozenset()),
        day_numbers={
            w.split(":")[0]: int(w.split(":")[1]) for w in kinds.get("day_number", frozenset())
        },
        visit_nouns=kinds.get("visit_noun", frozenset()),
        end_cues=kinds.get("end_cue", frozenset()),
    )


def trigger_table() -> pd.DataFrame:
    """Return the trigger table shipped in ``newslab/data/event_triggers.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns form, lemma, pos, class, rank; one row per surface form.

    Examples
    --------
    >>> t = trigger_table()
    >>> t.loc[t["form"] == "visited", ["lemma", "class"]].values.tolist()
    [['visit', 'meet']]
    """
    return _read_csv("event_triggers.csv")


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def _token_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _TOKEN_RE.finditer(text)]


# --------------------------------------------------------------------------- timex spans
def merge_ranges(timexes: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return DATE timexes with the two ends of each "from X to Y" range folded into one row.

    Two ends are recognised either by a shared ``range_id`` (as written by
    :func:`newslab.timex.timexes`) or, without it, when two DATE timexes of one sentence are
    separated only by a range connector (to, until, through, a dash; "and" after "between").
    The folded row keeps the first end's ``start`` and the second's ``end``, and spans
    ``start_date`` of the first to ``end_date`` of the second.

    Parameters
    ----------
    timexes
        A ``schema.TIMEXES`` table, offsets into the article text.
    articles
        The articles (``doc_id``, ``text``); needed to read the words between two dates when
        there is no ``range_id`` column.

    Returns
    -------
    pandas.DataFrame
        The same columns, one row per span.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Talks from Feb. 28 to March 2."]})
    >>> tx = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 0], "start": [11, 22],
    ...     "end": [18, 29], "surface": ["Feb. 28", "March 2"], "type": ["DATE", "DATE"],
    ...     "value": ["2023-02-28", "2023-03-02"],
    ...     "start_date": pd.to_datetime(["2023-02-28", "2023-03-02"]),
    ...     "end_date": pd.to_datetime(["2023-02-28", "2023-03-02"]),
    ...     "granularity": ["day", "day"]})
    >>> out = merge_ranges(tx, arts)
    >>> out[["start", "end"]].values.tolist(), str(out["end_date"].iloc[0].date())
    ([[11, 29]], '2023-03-02')
    """
    if timexes.empty:
        return timexes.copy()
    df = timexes.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    texts: dict[str, str] = {}
    if articles is not None and "text" in articles.columns:
        texts = {
            d: t
            for d, t in zip(articles["doc_id"], articles["text"], strict=True)
            if isinstance(t, str)
        }
    tables = _tables()
    has_rid = "range_id" in df.columns
    rows = df.to_dict("records")
    out: list[dict[str, Any]] = []
    i = 0
    while i < len(rows):
        cur = dict(rows[i])
        if i + 1 < len(rows) and _linked(cur, rows[i + 1], has_rid, texts, tables):
            nxt = rows[i + 1]
            cur["end"] = nxt["end"]
            cur["surface"] = _join_surface(cur, nxt, texts)
            starts = [d for d in (cur["start_date"], nxt["start_date"]) if pd.notna(d)]
            ends = [d for d in (cur["end_date"], nxt["end_date"]) if pd.notna(d)]
            cur["start_date"] = min(starts) if starts else pd.NaT
            cur["end_date"] = max(ends) if ends else pd.NaT
            if _GRAN_RANK.get(str(nxt["granularity"]), 99) > _GRAN_RANK.get(
                str(cur["granularity"]), 99
            ):
                cur["granularity"] = nxt["granularity"]
            i += 2
        else:
            _extend_bare_day(cur, texts, tables)
            i += 1
        out.append(cur)
    return pd.DataFrame(out, columns=df.columns).astype(df.dtypes.to_dict())


def _extend_bare_day(row: dict[str, Any], texts: dict[str, str], tables: _Tables) -> None:
    """Stretch a one-day DATE over a following bare day number: "March 20 to 22", "Feb. 5 and 6".

    The tagger does not tag a lone "22" as a date; when it follows a day-granularity date and a
    range connector, is a later day of the same month and is not followed by a word (so "5 and
    6 people" is left alone), the row's ``end``, ``surface`` and ``end_date`` are moved to it.
    """
    text = texts.get(row["doc_id"])
    start = row["start_date"]
    if (
        text is None
        or row["type"] != "DATE"
        or row["granularity"] != "day"
        or pd.isna(start)
        or row["end_date"] != start
        or not 0 <= row["end"] <= len(text)
    ):
        return
    m = _BARE_DAY_RE.match(text, row["end"])
    if m is None or m.group(1).lower() not in tables.connectors:
        return
    day = int(m.group(2))
    if not start.day < day <= start.days_in_month:
        return
    row["end_date"] = start.replace(day=day)
    row["surface"] = text[row["start"] : m.end(2)]
    row["end"] = m.end(2)


def _join_surface(a: dict[str, Any], b: dict[str, Any], texts: dict[str, str]) -> str:
    text = texts.get(a["doc_id"])
    if text is not None and 0 <= a["start"] <= b["end"] <= len(text):
        return text[a["start"] : b["end"]]
    return f"{a['surface']} to {b['surface']}"


def _linked(
    a: dict[str, Any], b: dict[str, Any], has_rid: bool, texts: dict[str, str], tables: _Tables
) -> bool:
    if a["doc_id"] != b["doc_id"] or a["type"] != "DATE" or b["type"] != "DATE":
        return False
    if has_rid and pd.notna(a.get("range_id")) and pd.notna(b.get("range_id")):
        return a["range_id"] == b["range_id"]
    if a["sent_id"] != b["sent_id"]:
        return False
    text = texts.get(a["doc_id"])
    if text is None or not (a["end"] <= b["start"] <= len(text)):
        return False
    between = [t[2] for t in _token_spans(text[a["end"] : b["start"]])]
    if len(between) != 1 or between[0] not in tables.connectors:
        return False
    before = [t[2] for t in _token_spans(text[max(0, a["start"] - 12) : a["start"]])]
    opener = before[-1] if before else ""
    if between[0] == "and":
        return opener == "between"
    return True


# --------------------------------------------------------------------------- per sentence
def _find_triggers(tokens: list[str], tables: _Tables) -> list[tuple[int, int, _Trigger]]:
    """Return (first token, last token, trigger) for each trigger form in a token list."""
    found: list[tuple[int, int, _Trigger]] = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(tables.max_len, len(tokens) - i), 0, -1):
            cands = tables.triggers.get(tuple(tokens[i : i + n]))
            if cands:
                hit = (n, cands)
                break
        if hit is None:
            i += 1
            continue
        n, cands = hit
        trig = cands[0]
        if len(cands) > 1:
            prev = tokens[i - 1] if i else ""
            want = "noun" if prev in tables.determiners else "verb"
            trig = next((c for c in cands if c.pos == want), cands[0])
        found.append((i, i + n - 1, trig))
        i += n
    # a weak verb before an event noun yields to it: "held a phone call", "held a meeting"
    return [
        (a, b, t)
        for a, b, t in found
        if not (
            t.rank == "1"
            and t.pos == "verb"
            and any(
                (u.rank == "0" or (u.pos == "noun" and u.rank == "1"))
                and 0 < c - b <= _LIGHT_VERB_REACH
                for c, _, u in found
            )
        )
    ]


def _status_of(tokens: list[str], first: int, last: int, tables: _Tables) -> str:
    """Return the status cue found around a trigger, or ``"reported"``."""
    for wanted in ("denied", "expected", "planned"):
        for status, pattern, before, after in tables.status:
            if status != wanted:
                continue
            left = tokens[max(0, first - before) : first]
            right = tokens[last + 1 : last + 1 + after]
            window = " ".join([*left, "TRIGGER", *right])
            if pattern.search(window):
                return status
    return "reported"


def _distance(tok: tuple[int, int], span: tuple[int, int]) -> int:
    if tok[1] < span[0]:
        return span[0] - tok[1]
    if tok[0] > span[1]:
        return tok[0] - span[1]
    return 0


def _sentence_events(
    text: str,
    offset: int,
    dates: list[dict[str, Any]],
    tables: _Tables,
    blocked: list[tuple[int, int]],
) -> list[tuple[dict[str, Any], _Trigger, str]]:
    """Return (timex, trigger, status) for each dated trigger of one sentence."""
    spans = _token_spans(text)
    tokens = [t[2] for t in spans]
    triggers = [
        (a, b, t)
        for a, b, t in _find_triggers(tokens, tables)
        if not any(s <= spans[a][0] + offset < e for s, e in blocked)
    ]
    if not triggers:
        return []
    chosen: dict[int, tuple[float, dict[str, Any]]] = {}
    for tx in dates:
        s, e = tx["start"] - offset, tx["end"] - offset
        idx = [k for k, (a, b, _) in enumerate(spans) if a < e and b > s]
        if not idx:
            continue
        span = (idx[0], idx[-1])
        best: tuple[float, int] | None = None
        report = None
        for k, (a, b, trig) in enumerate(triggers):
            d = _distance((a, b), span)
            if trig.rank == "report":
                report = d if report is None else min(report, d)
                continue
            score = d + (_NOUN_PENALTY if trig.pos == "noun" else 0.0)
            score += _WEAK_PENALTY if trig.rank == "1" else 0.0
            if best is None or score < best[0]:
                best = (score, k)
        if best is None:
            continue
        if report is not None and report <= _REPORT_REACH and report < best[0]:
            continue  # "..., the Kremlin said on Friday": the date of the report
        k = best[1]
        if k not in chosen or best[0] < chosen[k][0]:
            chosen[k] = (best[0], tx)
    out = []
    for k, (_, tx) in sorted(chosen.items()):
        a, b, trig = triggers[k]
        out.append((tx, trig, _status_of(tokens, a, b, tables)))
    return out


def _stay_length(text: str, tables: _Tables) -> tuple[int, bool] | None:
    """Return (days, dated by its end) for "a three-day state visit", else None.

    The day is dated by its end when the sentence says before the stay that it ended
    ("ended", "left", "wrapped up"); otherwise the date is taken as the first day.
    """
    tokens = [t[2] for t in _token_spans(text)]
    for i, tok in enumerate(tokens):
        head, _, unit = tok.rpartition("-")
        if unit != "day" or head not in tables.day_numbers:
            continue
        rest = tokens[i + 1 : i + 4]
        if any(w in tables.visit_nouns for w in rest):
            ended = any(w in tables.end_cues for w in tokens[:i])
            return tables.day_numbers[head], ended
    return None


def _stay_span(
    start: pd.Timestamp, end: pd.Timestamp, stay: tuple[int, bool]
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return a one-day span stretched to a stay of ``stay[0]`` days (see :func:`_stay_length`)."""
    days, ended = stay
    if pd.isna(start) or end != start or days < 2:
        return start, end
    extra = pd.Timedelta(days=days - 1)
    return (start - extra, end) if ended else (start, end + extra)


def _actor_rows(mentions: pd.DataFrame) -> pd.DataFrame:
    """Return the mentions that can be actors, metonyms included."""
    if mentions.empty:
        return mentions
    keep = mentions["type"].isin(ACTOR_TYPES)
    if "metonym" in mentions.columns:
        keep |= mentions["metonym"].fillna(False).astype(bool)
    keep &= mentions["entity_id"].notna()
    return mentions[keep]


def _sort_actors(ids: Iterable[str], types: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda e: (_TYPE_RANK.get(types.get(e, ""), 3), e)))


# --------------------------------------------------------------------------- public verbs
def extract_events(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    timexes: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    group: bool = True,
) -> pd.DataFrame:
    """Return one row per event mention: a dated, triggered sentence with its actors.

    Parameters
    ----------
    articles
        ``schema.ARTICLES`` (``doc_id``, ``text``, ``published``; ``outlet`` and
        ``dup_group`` are copied when present).
    mentions
        ``schema.MENTIONS`` of the same articles.
    timexes
        ``schema.TIMEXES`` of the same articles (offsets into the article text). The two
        ends of a range may come as one row or as two linked rows; see :func:`merge_ranges`.
    sentences
        ``schema.SENTENCES``; computed with :func:`newslab.text.sentences` when None (the
        sentence ids must then match those of ``mentions`` and ``timexes``).
    group
        Give mentions of the same real-world event one ``event_id`` (see
        :func:`assign_event_ids`); otherwise every row gets its own id.

    Returns
    -------
    pandas.DataFrame
        ``schema.EVENTS`` columns (event_id, doc_id, sent_id, date_start, date_end,
        granularity, actors, trigger, status, sentence) then ``trigger_class``,
        ``published``, ``outlet``, ``dup_group`` and ``labels`` (actor labels, in the order
        of ``actors``: persons first, then countries, then organisations).

    Examples
    --------
    >>> text = "Xi Jinping met Vladimir Putin on March 21."
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": [text],
    ...                      "published": [pd.Timestamp("2023-03-22")]})
    >>> sents = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [42],
    ...                       "text": [text]})
    >>> ments = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 0], "start": [0, 15],
    ...     "end": [10, 29], "surface": ["Xi Jinping", "Vladimir Putin"],
    ...     "entity_id": ["person:xi_jinping", "person:vladimir_putin"],
    ...     "label": ["Xi Jinping", "Vladimir Putin"], "type": ["PERSON", "PERSON"],
    ...     "method": ["gazetteer"] * 2, "metonym": [False, False]})
    >>> tx = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [33], "end": [41],
    ...     "surface": ["March 21"], "type": ["DATE"], "value": ["2023-03-21"],
    ...     "start_date": [pd.Timestamp("2023-03-21")], "end_date": [pd.Timestamp("2023-03-21")],
    ...     "granularity": ["day"]})
    >>> ev = extract_events(arts, ments, tx, sents)
    >>> ev[["trigger", "status"]].values.tolist(), ev["actors"].iloc[0]
    ([['meet', 'reported']], ('person:vladimir_putin', 'person:xi_jinping'))
    """
    if sentences is None:
        from newslab.text import sentences as split

        sentences = split(articles)
    tables = _tables()
    dated = timexes[timexes["type"] == "DATE"] if len(timexes) else timexes
    dated = merge_ranges(dated, articles)
    if len(dated):
        ok = dated["granularity"].isin(EVENT_GRANULARITIES) & dated["start_date"].notna()
        ok &= dated["end_date"].notna() & ~dated["value"].fillna("").str.contains("REF")
        dated = dated[ok]
    actors = _actor_rows(mentions)
    if dated.empty or actors.empty or sentences.empty:
        return _finish([], articles, group)

    dates_by: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for rec in dated.to_dict("records"):
        dates_by[(rec["doc_id"], int(rec["sent_id"]))].append(rec)
    actors_by: dict[tuple[str, int], list[tuple[str, str, str]]] = defaultdict(list)
    for d, s, e, lab, typ in zip(
        actors["doc_id"],
        actors["sent_id"],
        actors["entity_id"],
        actors["label"],
        actors["type"],
        strict=True,
    ):
        actors_by[(d, int(s))].append((str(e), str(lab) if pd.notna(lab) else str(e), str(typ)))
    blocked_by: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for d, s, a, b in zip(
        mentions["doc_id"], mentions["sent_id"], mentions["start"], mentions["end"], strict=True
    ):
        blocked_by[(d, int(s))].append((int(a), int(b)))

    keys = set(dates_by) & set(actors_by)
    rows: list[dict[str, Any]] = []
    for d, s, start, text in zip(
        sentences["doc_id"],
        sentences["sent_id"],
        sentences["start"],
        sentences["text"],
        strict=True,
    ):
        key = (d, int(s))
        if key not in keys or not isinstance(text, str):
            continue
        found = _sentence_events(text, int(start), dates_by[key], tables, blocked_by.get(key, []))
        if not found:
            continue
        types = {e: t for e, _, t in actors_by[key]}
        labels = {e: lab for e, lab, _ in actors_by[key]}
        # a metonym row typed PLACE still names its country
        types = {e: ("COUNTRY" if e.startswith("country:") else t) for e, t in types.items()}
        ids = _sort_actors(types, types)
        stay = _stay_length(text, tables)
        for tx, trig, status in found:
            span_start, span_end = tx["start_date"], tx["end_date"]
            if stay is not None and trig.cls == "meet" and tx["granularity"] == "day":
                span_start, span_end = _stay_span(span_start, span_end, stay)
            rows.append(
                {
                    "doc_id": d,
                    "sent_id": int(s),
                    "date_start": span_start,
                    "date_end": span_end,
                    "granularity": tx["granularity"],
                    "actors": ids,
                    "trigger": trig.lemma,
                    "status": status,
                    "sentence": " ".join(text.split()),
                    "trigger_class": trig.cls,
                    "labels": tuple(labels[e] for e in ids),
                }
            )
    return _finish(rows, articles, group)


def _finish(rows: list[dict[str, Any]], articles: pd.DataFrame, group: bool) -> pd.DataFrame:
    cols = {**schema.EVENTS, **EXTRA_COLUMNS}
    if not rows:
        return schema.empty(cols)
    df = pd.DataFrame(rows)
    meta = articles.drop_duplicates("doc_id").set_index("doc_id")
    for col in ("published", "outlet", "dup_group"):
        if col in meta.columns:
            df[col] = df["doc_id"].map(meta[col]).to_numpy()
    if "published" in df.columns:
        pub = pd.to_datetime(df["published"]).dt.normalize()
        future = (
            pub.notna() & (pd.to_datetime(df["date_start"]) > pub) & (df["status"] == "reported")
        )
        df.loc[future, "status"] = "planned"
    df["event_id"] = 0
    df = schema.conform(df, cols)
    df = df.sort_values(["date_start", "doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    df["event_id"] = assign_event_ids(df) if group else pd.Series(range(len(df)), dtype="int64")
    return df


def _blocking_keys(actors: Sequence[str], cls: str) -> list[tuple[Any, ...]]:
    persons = [a for a in actors if a.startswith("person:")]
    countries = sorted(a for a in actors if a.startswith("country:"))
    if persons:
        return [("P", cls, p) for p in persons]
    keys: list[tuple[Any, ...]] = [
        ("C", cls, a, b) for i, a in enumerate(countries) for b in countries[i + 1 :]
    ]
    if len(countries) < 2 and actors:
        keys.append(("S", cls, tuple(actors)))
    return keys


def assign_event_ids(events: pd.DataFrame) -> pd.Series:
    """Return an event id per row: mentions of one real-world event share it.

    Two mentions are linked when their date spans overlap, their trigger classes are equal
    and their actors agree: they share a person; or, when neither names a person, they share
    two countries, or (with fewer than two countries) have the same actor set. Mentions
    naming people are not linked through countries alone, so that a crowded sentence ("the
    G20 meeting, where China and Russia ...") does not pull unrelated visits together.

    Day-level mentions are linked first. A coarser mention (a week or a month) then joins the
    day-level event it overlaps most (by number of linked mentions), but never links two
    day-level events together: "Xi's trip last week" must not merge a Monday visit and a
    Friday call. Coarse mentions with no day-level match are linked among themselves, at the
    same granularity only. Ids are numbered from 0 in order of first date.

    Parameters
    ----------
    events
        Output of :func:`extract_events` (``actors``, ``date_start``, ``date_end`` and
        ``trigger_class``, else ``trigger``; ``granularity`` when present, else all day).

    Returns
    -------
    pandas.Series
        ``int64`` ids aligned on ``events.index``.

    Examples
    --------
    >>> ev = pd.DataFrame({"actors": [("person:xi",), ("person:xi", "country:RUS"), ("person:xi",)],
    ...     "date_start": pd.to_datetime(["2023-03-20", "2023-03-21", "2023-05-01"]),
    ...     "date_end": pd.to_datetime(["2023-03-22", "2023-03-21", "2023-05-01"]),
    ...     "trigger_class": ["meet", "meet", "meet"]})
    >>> assign_event_ids(ev).tolist()
    [0, 0, 1]
    """
    n = len(events)
    if n == 0:
        return pd.Series([], dtype="int64", index=events.index)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cls_col = "trigger_class" if "trigger_class" in events.columns else "trigger"
    starts = pd.to_datetime(events["date_start"]).tolist()
    ends = pd.to_datetime(events["date_end"]).fillna(pd.to_datetime(events["date_start"])).tolist()
    if "granularity" in events.columns:
        grans = [str(g) if pd.notna(g) else "day" for g in events["granularity"]]
    else:
        grans = ["day"] * n
    blocks: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    keys_of: list[list[tuple[Any, ...]]] = []
    for i, (acts, cls) in enumerate(zip(events["actors"], events[cls_col], strict=True)):
        keys = _blocking_keys(tuple(acts) if acts is not None else (), str(cls))
        keys_of.append(keys)
        for key in keys:
            blocks[key].append(i)

    def sweep(members: list[int]) -> None:
        members = sorted(members, key=lambda i: starts[i])
        if not members:
            return
        head, reach = members[0], ends[members[0]]
        for i in members[1:]:
            if starts[i] <= reach:
                parent[find(i)] = find(head)
                reach = max(reach, ends[i])
            else:
                head, reach = i, ends[i]

    for members in blocks.values():
        sweep([i for i in members if grans[i] == "day"])
    loose: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    coarse = sorted(
        (i for i in range(n) if grans[i] != "day"), key=lambda i: (_GRAN_RANK.get(grans[i], 99), i)
    )
    for i in coarse:
        votes: Counter[int] = Counter()
        first: dict[int, pd.Timestamp] = {}
        for key in keys_of[i]:
            for j in blocks[key]:
                if grans[j] == "day" and starts[j] <= ends[i] and starts[i] <= ends[j]:
                    root = find(j)
                    votes[root] += 1
                    first[root] = min(first.get(root, starts[j]), starts[j])
        if votes:
            best = max(votes, key=lambda r: (votes[r], -first[r].value))
            parent[find(i)] = best
        else:
            for key in keys_of[i]:
                loose[(grans[i], *key)].append(i)
    for members in loose.values():
        sweep(members)
    roots = [find(i) for i in range(n)]
    order: dict[int, int] = {}
    for i in sorted(range(n), key=lambda i: (starts[i], i)):
        order.setdefault(roots[i], len(order))
    return pd.Series([order[r] for r in roots], dtype="int64", index=events.index)


def _fmt_span(start: pd.Timestamp, end: pd.Timestamp, granularity: str) -> str:
    if pd.isna(start):
        return "undated"
    if (
        granularity == "month"
        and start.day == 1
        and (pd.isna(end) or end == start + pd.offsets.MonthEnd(0))
    ):
        return start.strftime("%b %Y")
    if granularity == "week" and pd.notna(end) and (end - start).days == 6:
        return "week of " + f"{start.day} {start:%b %Y}"
    if pd.isna(end) or end == start:
        return f"{start.day} {start:%b %Y}"
    if start.year != end.year:
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day}–{end.day} {start:%b %Y}"


def event_label(
    actors: Sequence[str],
    trigger: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    granularity: str = "day",
) -> str:
    """Return a short human label for an event, e.g. ``"Xi Jinping – Vladimir Putin: visit (20–22 Mar 2023)"``.

    Parameters
    ----------
    actors
        Actor labels (or ids), most important first; the first two persons are named, or the
        first two actors when there are no persons.
    trigger
        The trigger lemma.
    start, end
        The event's span.
    granularity
        ``day``, ``week`` or ``month``: how the span is written.

    Returns
    -------
    str

    Examples
    --------
    >>> event_label(["Xi Jinping", "Vladimir Putin"], "visit",
    ...             pd.Timestamp("2023-03-20"), pd.Timestamp("2023-03-22"))
    'Xi Jinping – Vladimir Putin: visit (20–22 Mar 2023)'
    """
    names = [a for a in actors][:2]
    who = " – ".join(names) if names else "?"
    return f"{who}: {trigger} ({_fmt_span(start, end, granularity)})"


def group_events(events: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per ``event_id``: span, actors, trigger, status and source counts.

    Parameters
    ----------
    events
        Output of :func:`extract_events`.
    articles
        Optional articles table, for ``published``, ``outlet`` and ``dup_group`` when
        ``events`` lacks them.

    Returns
    -------
    pandas.DataFrame
        Columns event_id, date_start, date_end, granularity (the finest among the mentions;
        the span is the union of the spans of the mentions at that granularity), actors
        (union, most frequent first), labels, trigger (most common lemma), trigger_class,
        status (reported if any mention reports it, else the latest news: the most advanced
        status among the mentions of the last published article, so a visit announced and
        then called off is denied), n_mentions, n_articles (distinct ``doc_id``), n_sources (distinct
        articles, the syndicated copies of one ``dup_group`` counting once), n_outlets,
        doc_ids (sorted tuple), first_published and last_published (publication dates of the
        first and last article), label (see :func:`event_label`). Sorted by date.

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": [0, 0], "doc_id": ["a", "b"],
    ...     "date_start": pd.to_datetime(["2023-03-20", "2023-03-21"]),
    ...     "date_end": pd.to_datetime(["2023-03-22", "2023-03-21"]),
    ...     "granularity": ["day", "day"],
    ...     "actors": [("person:xi_jinping",), ("person:xi_jinping", "person:vladimir_putin")],
    ...     "labels": [("Xi Jinping",), ("Xi Jinping", "Vladimir Putin")],
    ...     "trigger": ["visit", "meet"], "status": ["planned", "reported"],
    ...     "published": pd.to_datetime(["2023-03-17", "2023-03-22"]),
    ...     "outlet": ["A", "B"]})
    >>> g = group_events(ev)
    >>> g[["status", "n_sources", "label"]].values.tolist()
    [['reported', 2, 'Xi Jinping – Vladimir Putin: visit (20–22 Mar 2023)']]
    """
    if events.empty:
        return schema.empty(GROUPED)
    ev = events.copy()
    if articles is not None:
        meta = articles.drop_duplicates("doc_id").set_index("doc_id")
        for col in ("published", "outlet", "dup_group"):
            if col in meta.columns and (col not in ev.columns or ev[col].isna().all()):
                ev[col] = ev["doc_id"].map(meta[col]).to_numpy()
    for col in ("published", "outlet", "dup_group", "labels", "trigger_class"):
        if col not in ev.columns:
            ev[col] = pd.NA
    rows = []
    for eid, g in ev.groupby("event_id", sort=False):
        rows.append(_group_row(int(eid), g))
    out = pd.DataFrame(rows)
    out = schema.conform(out, GROUPED)
    return out.sort_values(["date_start", "date_end", "event_id"], kind="stable").reset_index(
        drop=True
    )


def _group_row(eid: int, g: pd.DataFrame) -> dict[str, Any]:
    gran = min((str(x) for x in g["granularity"]), key=lambda x: _GRAN_RANK.get(x, 99))
    fine = g[g["granularity"].astype(str) == gran]
    start, end = pd.to_datetime(fine["date_start"]).min(), pd.to_datetime(fine["date_end"]).max()
    counts: Counter[str] = Counter()
    label_of: dict[str, str] = {}
    for acts, labs in zip(g["actors"], g["labels"], strict=True):
        acts = tuple(acts) if acts is not None else ()
        counts.update(acts)
        if isinstance(labs, tuple | list) and len(labs) == len(acts):
            label_of.update(zip(acts, labs, strict=True))
    actors = tuple(sorted(counts, key=lambda a: (-counts[a], _TYPE_RANK.get(_kind(a), 3), a)))
    labels = tuple(label_of.get(a, a) for a in actors)
    trig_counts = Counter(str(t) for t in g["trigger"])
    trigger = max(trig_counts, key=lambda t: (trig_counts[t], -list(g["trigger"]).index(t)))
    status = _group_status(g)
    sources = {
        f"dup:{dg}" if pd.notna(dg) else f"doc:{d}"
        for d, dg in zip(g["doc_id"], g["dup_group"], strict=True)
    }
    pub = pd.to_datetime(g["published"])
    persons = [lab for a, lab in zip(actors, labels, strict=True) if a.startswith("person:")]
    named = persons if persons else list(labels)
    cls = g["trigger_class"].dropna()
    return {
        "event_id": eid,
        "date_start": start,
        "date_end": end,
        "granularity": gran,
        "actors": actors,
        "labels": labels,
        "trigger": trigger,
        "trigger_class": str(cls.mode().iloc[0]) if len(cls) else pd.NA,
        "status": status,
        "n_mentions": len(g),
        "n_articles": int(g["doc_id"].nunique()),
        "n_sources": len(sources),
        "n_outlets": int(g["outlet"].dropna().nunique()),
        "doc_ids": tuple(sorted(set(g["doc_id"]))),
        "first_published": pub.min(),
        "last_published": pub.max(),
        "label": event_label(named, trigger, start, end, gran),
    }


def _group_status(g: pd.DataFrame) -> str:
    """Return a group's status: reported if any mention says so, else the latest news."""
    statuses = g["status"].astype(str)
    if (statuses == "reported").any():
        return "reported"
    pub = pd.to_datetime(g["published"])
    if pub.notna().any():
        statuses = statuses[(pub == pub.max()).to_numpy()]
    return max(set(statuses), key=lambda s: STATUSES.index(s) if s in STATUSES else -1)


def _kind(entity_id: str) -> str:
    prefix = entity_id.split(":", 1)[0]
    return {"person": "PERSON", "country": "COUNTRY", "org": "ORG"}.get(prefix, "")


__all__ = [
    "ACTOR_TYPES",
    "EVENT_GRANULARITIES",
    "STATUSES",
    "assign_event_ids",
    "event_label",
    "extract_events",
    "group_events",
    "merge_ranges",
    "trigger_table",
]
