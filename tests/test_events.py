"""Event mentions and grouped events: hand-written sentences, then the demo corpus."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import newslab as nl
from newslab import schema
from newslab.entities import extract_entities
from newslab.events import (
    GROUPED,
    STATUSES,
    assign_event_ids,
    event_label,
    extract_events,
    group_events,
    merge_ranges,
    trigger_table,
)
from newslab.text import sentences
from newslab.timex import timexes
from tests.conftest import ROOT

# Entities the hand-written sentences use: surface -> (entity id, type).
ENTS: dict[str, tuple[str, str]] = {
    "Xi Jinping": ("person:xi_jinping", "PERSON"),
    "Vladimir Putin": ("person:vladimir_putin", "PERSON"),
    "Lula": ("person:lula", "PERSON"),
    "Macron": ("person:emmanuel_macron", "PERSON"),
    "Zelensky": ("person:volodymyr_zelensky", "PERSON"),
    "Moscow": ("country:RUS", "PLACE"),  # a metonym: the capital names its country
    "Russia": ("country:RUS", "COUNTRY"),
    "China": ("country:CHN", "COUNTRY"),
    "Kremlin": ("org:kremlin", "ORG"),
}


def _find(text: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text)]


def _sent_id(sents: pd.DataFrame, doc_id: str, pos: int) -> int:
    s = sents[(sents["doc_id"] == doc_id) & (sents["start"] <= pos) & (sents["end"] > pos)]
    return int(s["sent_id"].iloc[0])


def make(
    texts: list[str] | str,
    published: list[str] | str,
    dates: dict[str, tuple[str, str, str]],
    outlets: list[str] | None = None,
    dup_groups: list[int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (articles, mentions, timexes, sentences) for hand-written articles.

    Mentions are every occurrence of an ``ENTS`` surface; timexes every occurrence of a
    ``dates`` surface, given as (start, end, granularity).
    """
    texts = [texts] if isinstance(texts, str) else texts
    published = [published] * len(texts) if isinstance(published, str) else published
    ids = [f"d{i}" for i in range(len(texts))]
    arts = pd.DataFrame(
        {
            "doc_id": ids,
            "text": texts,
            "published": pd.to_datetime(published),
            "outlet": outlets or [f"Outlet {i}" for i in range(len(texts))],
            "dup_group": dup_groups or list(range(len(texts))),
        }
    )
    sents = sentences(arts)
    ments, tx = [], []
    for d, text in zip(ids, texts, strict=True):
        for surface, (eid, typ) in ENTS.items():
            for a, b in _find(text, surface):
                ments.append(
                    {
                        "doc_id": d,
                        "sent_id": _sent_id(sents, d, a),
                        "start": a,
                        "end": b,
                        "surface": surface,
                        "entity_id": eid,
                        "label": surface,
                        "type": typ,
                        "method": "gazetteer",
                        "metonym": typ == "PLACE",
                    }
                )
        for surface, (start, end, gran) in dates.items():
            for a, b in _find(text, surface):
                tx.append(
                    {
                        "doc_id": d,
                        "sent_id": _sent_id(sents, d, a),
                        "start": a,
                        "end": b,
                        "surface": surface,
                        "type": "DATE",
                        "value": start,
                        "start_date": pd.Timestamp(start),
                        "end_date": pd.Timestamp(end),
                        "granularity": gran,
                    }
                )
    mentions = schema.conform(pd.DataFrame(ments), schema.MENTIONS) if ments else None
    tx_df = schema.conform(pd.DataFrame(tx), schema.TIMEXES) if tx else schema.empty(schema.TIMEXES)
    return arts, mentions if mentions is not None else schema.empty(schema.MENTIONS), tx_df, sents


MAR21 = {"March 21": ("2023-03-21", "2023-03-21", "day")}


def events_of(text: str, published: str = "2023-03-25", dates=None) -> pd.DataFrame:
    arts, ments, tx, sents = make(text, published, dates or MAR21)
    return extract_events(arts, ments, tx, sents)


# --------------------------------------------------------------------------- tables
def test_data_tables_are_consistent():
    t = trigger_table()
    assert set(t.columns) >= {"form", "lemma", "pos", "class", "rank"}
    assert set(t["pos"]) <= {"verb", "noun"}
    assert set(t["rank"]) <= {"0", "1", "report"}
    assert (t["form"] == t["form"].str.lower()).all()
    # one surface form never maps to two different classes with the same part of speech
    assert not t.duplicated(["form", "pos"]).any()


# --------------------------------------------------------------------------- status
@pytest.mark.parametrize(
    ("text", "published", "status"),
    [
        ("Xi Jinping visited Moscow on March 21.", "2023-03-25", "reported"),
        ("Xi Jinping will visit Moscow on March 21.", "2023-03-10", "planned"),
        ("Xi Jinping plans to visit Moscow on March 21.", "2023-03-10", "planned"),
        ("Xi Jinping is scheduled to visit Moscow on March 21.", "2023-03-10", "planned"),
        ("Xi Jinping is expected to visit Moscow on March 21.", "2023-03-10", "expected"),
        ("Xi Jinping could visit Moscow on March 21.", "2023-03-10", "expected"),
        ("Xi Jinping did not visit Moscow on March 21.", "2023-03-25", "denied"),
        ("China denied that Xi Jinping would visit Moscow on March 21.", "2023-03-10", "denied"),
        ("Xi Jinping has called off his visit to Moscow on March 21.", "2023-03-10", "denied"),
        # a present tense about a day after publication is a plan, not a report
        ("Xi Jinping visits Moscow on March 21.", "2023-03-10", "planned"),
    ],
)
def test_status_from_tense_and_modality(text, published, status):
    ev = events_of(text, published)
    assert len(ev) == 1, ev
    assert ev["status"].iloc[0] == status
    assert ev["status"].iloc[0] in STATUSES


# --------------------------------------------------------------------------- triggers
@pytest.mark.parametrize(
    ("text", "trigger", "cls"),
    [
        ("Xi Jinping met Vladimir Putin in Moscow on March 21.", "meet", "meet"),
        ("Xi Jinping and Vladimir Putin signed a statement on March 21.", "sign", "sign"),
        ("Xi Jinping held a phone call with Zelensky on March 21.", "call", "call"),
        ("Vladimir Putin warned China on March 21.", "warn", "warn"),
        ("Xi Jinping arrived in Moscow on March 21.", "arrive", "meet"),
        ("On March 21 Xi Jinping held talks with Vladimir Putin.", "talks", "meet"),
    ],
)
def test_trigger_is_the_event_word_nearest_the_date(text, trigger, cls):
    ev = events_of(text)
    assert ev[["trigger", "trigger_class"]].values.tolist() == [[trigger, cls]]


def test_a_date_next_to_a_reporting_verb_dates_the_report_not_the_event():
    dates = {"Friday": ("2023-03-24", "2023-03-24", "day"), **MAR21}
    ev = events_of(
        "Xi Jinping met Vladimir Putin on March 21, the Kremlin said on Friday.", dates=dates
    )
    assert ev["date_start"].tolist() == [pd.Timestamp("2023-03-21")]


def test_no_event_without_trigger_actor_or_calendar_date():
    assert events_of("Xi Jinping was in a good mood on March 21.").empty  # no trigger
    assert events_of("The summit opened on March 21.").empty  # no actor
    year = {"2023": ("2023-01-01", "2023-12-31", "year")}
    assert events_of("Xi Jinping visited Moscow in 2023.", dates=year).empty  # too coarse
    ev = events_of("Xi Jinping visited Moscow on March 21.")
    assert list(ev.columns[: len(schema.EVENTS)]) == list(schema.EVENTS)


# --------------------------------------------------------------------------- actors
def test_actors_are_the_entities_of_the_sentence_persons_first():
    text = "Vladimir Putin spoke about China. Xi Jinping met Vladimir Putin in Moscow on March 21."
    ev = events_of(text)
    assert len(ev) == 1
    actors = ev["actors"].iloc[0]
    # Moscow counts as Russia; China is in the other sentence
    assert set(actors) == {"person:xi_jinping", "person:vladimir_putin", "country:RUS"}
    assert actors[-1] == "country:RUS"
    assert ev["labels"].iloc[0][actors.index("person:xi_jinping")] == "Xi Jinping"
    assert ev["sentence"].iloc[0].startswith("Xi Jinping met")
    assert ev["sent_id"].iloc[0] == 1


# --------------------------------------------------------------------------- ranges
def _two_dates(text: str, first: str, second: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    arts = pd.DataFrame({"doc_id": ["a"], "text": [text]})
    rows = []
    for surface, day in ((first, "2023-02-28"), (second, "2023-03-02")):
        a = text.index(surface)
        rows.append(
            {
                "doc_id": "a",
                "sent_id": 0,
                "start": a,
                "end": a + len(surface),
                "surface": surface,
                "type": "DATE",
                "value": day,
                "start_date": pd.Timestamp(day),
                "end_date": pd.Timestamp(day),
                "granularity": "day",
            }
        )
    return pd.DataFrame(rows), arts


@pytest.mark.parametrize(
    ("text", "merged"),
    [
        ("He visits China from Feb. 28 to March 2.", True),
        ("He visits China from Feb. 28 until March 2.", True),
        ("He visits China between Feb. 28 and March 2.", True),
        ("He visits China Feb. 28 – March 2.", True),
        ("He saw them on Feb. 28 and March 2.", False),  # two days, not a span
        ("He saw them on Feb. 28, then again on March 2.", False),
    ],
)
def test_merge_ranges_folds_two_ends_only_across_a_connector(text, merged):
    tx, arts = _two_dates(text, "Feb. 28", "March 2")
    out = merge_ranges(tx, arts)
    assert len(out) == (1 if merged else 2)
    if merged:
        row = out.iloc[0]
        assert (row["start_date"], row["end_date"]) == (
            pd.Timestamp("2023-02-28"),
            pd.Timestamp("2023-03-02"),
        )
        assert text[row["start"] : row["end"]] == row["surface"]


def test_merge_ranges_uses_range_id_when_present():
    tx, arts = _two_dates("From Feb. 28, and until March 2.", "Feb. 28", "March 2")
    assert len(merge_ranges(tx, arts)) == 2  # words between: not linked by text
    tx["range_id"] = [7, 7]
    assert len(merge_ranges(tx, arts)) == 1


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Xi Jinping will visit Russia from March 20 to 22 at the invitation of Putin.", 22),
        ("Xi Jinping will visit Russia on March 20 and 21, officials said.", 21),
        ("Xi Jinping will visit Russia on March 20 and 21 people will meet him.", 20),
        ("Xi Jinping will visit Russia on March 20 to 40 cities.", 20),
    ],
)
def test_a_bare_day_after_a_date_extends_it(text, end):
    dates = {"March 20": ("2023-03-20", "2023-03-20", "day")}
    ev = events_of(text, "2023-03-10", dates=dates)
    assert len(ev) == 1
    assert ev["date_start"].iloc[0] == pd.Timestamp("2023-03-20")
    assert ev["date_end"].iloc[0] == pd.Timestamp(2023, 3, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Xi Jinping arrived in Moscow on Monday for a three-day state visit.", 20, 22),
        ("Xi Jinping left Moscow on Monday at the end of a three-day state visit.", 18, 20),
        ("Xi Jinping arrived in Moscow on Monday for talks.", 20, 20),
    ],
)
def test_a_stay_of_n_days_stretches_a_one_day_date(text, start, end):
    dates = {"Monday": ("2023-03-20", "2023-03-20", "day")}
    ev = events_of(text, "2023-03-25", dates=dates)
    assert len(ev) == 1
    assert ev["date_start"].iloc[0] == pd.Timestamp(2023, 3, start)
    assert ev["date_end"].iloc[0] == pd.Timestamp(2023, 3, end)


def test_ranges_from_the_real_tagger_become_event_spans():
    text = "Xi Jinping will pay a state visit to Russia from March 20 to March 22."
    arts = pd.DataFrame(
        {"doc_id": ["a"], "text": [text], "published": [pd.Timestamp("2023-03-17")]}
    )
    sents = sentences(arts)
    tx = timexes(sents, arts)
    _, ments, _, _ = make(text, "2023-03-17", {})
    ments["doc_id"] = "a"
    ev = extract_events(arts, ments, tx, sents)
    assert len(ev) == 1
    assert (ev["date_start"].iloc[0], ev["date_end"].iloc[0]) == (
        pd.Timestamp("2023-03-20"),
        pd.Timestamp("2023-03-22"),
    )
    assert ev["status"].iloc[0] == "planned"


# --------------------------------------------------------------------------- grouping
XI_VISIT = {
    "March 20 to March 22": ("2023-03-20", "2023-03-22", "day"),
    "March 21": ("2023-03-21", "2023-03-21", "day"),
    "April 14": ("2023-04-14", "2023-04-14", "day"),
    "March 2": ("2023-03-02", "2023-03-02", "day"),
    "March": ("2023-03-01", "2023-03-31", "month"),
}


def test_two_articles_about_one_event_are_grouped():
    arts, ments, tx, sents = make(
        [
            "Xi Jinping will visit Russia from March 20 to March 22.",
            "Xi Jinping met Vladimir Putin in Moscow on March 21.",
        ],
        ["2023-03-17", "2023-03-22"],
        XI_VISIT,
    )
    ev = extract_events(arts, ments, tx, sents)
    assert len(ev) == 2 and ev["event_id"].nunique() == 1
    g = group_events(ev)
    assert list(g.columns[: len(GROUPED)]) == list(GROUPED)
    assert len(g) == 1
    row = g.iloc[0]
    counts = row[["n_mentions", "n_articles", "n_sources", "n_outlets"]].tolist()
    assert counts == [2, 2, 2, 2]
    assert row["doc_ids"] == ("d0", "d1")
    assert (row["date_start"], row["date_end"]) == (
        pd.Timestamp("2023-03-20"),
        pd.Timestamp("2023-03-22"),
    )
    assert row["first_published"] == arts["published"].min()
    assert row["last_published"] == arts["published"].max()
    # one mention reports it: the event happened
    assert set(ev["status"]) == {"planned", "reported"} and row["status"] == "reported"
    assert row["actors"][0] == "person:xi_jinping"  # in both mentions
    assert "Xi Jinping" in row["label"] and "20–22 Mar 2023" in row["label"]


@pytest.mark.parametrize(
    "second",
    [
        "Xi Jinping visited China on April 14.",  # same person, another date
        "Lula met Macron in Moscow on March 21.",  # same date, other people
        "Xi Jinping held a phone call with Zelensky on March 21.",  # same day, another kind
    ],
)
def test_different_events_are_not_grouped(second):
    arts, ments, tx, sents = make(
        ["Xi Jinping met Vladimir Putin in Moscow on March 21.", second],
        ["2023-03-22", "2023-04-15"],
        XI_VISIT,
    )
    ev = extract_events(arts, ments, tx, sents)
    assert len(ev) == 2
    assert ev["event_id"].nunique() == 2
    g = group_events(ev)
    assert len(g) == 2 and (g["n_articles"] == 1).all()


def test_syndicated_copies_count_as_one_source():
    text = "Xi Jinping met Vladimir Putin in Moscow on March 21."
    arts, ments, tx, sents = make([text, text], "2023-03-22", XI_VISIT, dup_groups=[5, 5])
    g = group_events(extract_events(arts, ments, tx, sents))
    assert (g["n_articles"].iloc[0], g["n_sources"].iloc[0]) == (2, 1)


def test_a_month_mention_does_not_chain_two_day_events():
    arts, ments, tx, sents = make(
        [
            "Xi Jinping met Vladimir Putin on March 2.",
            "Xi Jinping met Vladimir Putin on March 21.",
            "Xi Jinping met Vladimir Putin in March.",
        ],
        ["2023-03-03", "2023-03-22", "2023-04-01"],
        XI_VISIT,
    )
    ev = extract_events(arts, ments, tx, sents)
    assert len(ev) == 3
    ids = dict(zip(ev["doc_id"], ev["event_id"], strict=True))
    assert ids["d0"] != ids["d1"]
    assert ids["d2"] in (ids["d0"], ids["d1"])  # the vague mention joins one of them
    g = group_events(ev)
    # the group keeps the day-level span, not the month's
    assert (g["granularity"] == "day").all()
    assert ((g["date_end"] - g["date_start"]).dt.days == 0).all()


def test_assign_event_ids_needs_shared_person_or_two_countries():
    ev = pd.DataFrame(
        {
            "actors": [
                ("person:a", "country:RUS"),
                ("person:b", "country:RUS"),
                ("country:CHN", "country:RUS"),
                ("country:CHN", "country:RUS", "org:un"),
            ],
            "date_start": pd.to_datetime(["2023-03-21"] * 4),
            "date_end": pd.to_datetime(["2023-03-21"] * 4),
            "trigger_class": ["meet"] * 4,
        }
    )
    ids = assign_event_ids(ev).tolist()
    assert ids[0] != ids[1]  # different people, one country: not the same event
    assert ids[2] == ids[3]  # no person, the same two countries
    assert len(set(ids)) == 3


def test_event_label_spells_spans_by_granularity():
    ts = pd.Timestamp
    assert event_label(["A"], "visit", ts("2023-02-28"), ts("2023-03-02")).endswith(
        "(28 Feb – 2 Mar 2023)"
    )
    assert event_label(["A", "B", "C"], "meet", ts("2023-03-21"), ts("2023-03-21")) == (
        "A – B: meet (21 Mar 2023)"
    )
    assert event_label([], "call", ts("2023-03-01"), ts("2023-03-31"), "month").endswith(
        "(Mar 2023)"
    )


def test_empty_inputs_give_typed_empty_tables():
    arts, ments, tx, sents = make("Nothing happened.", "2023-03-22", {})
    ev = extract_events(arts, ments, tx, sents)
    assert ev.empty and list(ev.columns[: len(schema.EVENTS)]) == list(schema.EVENTS)
    g = group_events(ev)
    assert g.empty and list(g.columns) == list(GROUPED)


# --------------------------------------------------------------------------- demo corpus
@pytest.fixture(scope="module")
def demo_events() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(articles, event mentions, grouped events) of data/demo."""
    articles = nl.load_corpus(ROOT / "data" / "demo", progress=False)
    sents = sentences(articles)
    mentions = extract_entities(articles, sentences=sents)
    tx = timexes(sents, articles)
    events = extract_events(articles, mentions, tx, sents)
    return articles, events, group_events(events)


# (person, a country among the actors, first day, last day): facts of the world.
DEMO_EVENTS = [
    ("person:wang_yi", "country:RUS", "2023-02-22", "2023-02-22"),  # Wang Yi in Moscow
    ("person:alexander_lukashenko", "country:CHN", "2023-02-28", "2023-03-02"),  # in China
    ("person:xi_jinping", "country:RUS", "2023-03-20", "2023-03-22"),  # Xi in Moscow
]


@pytest.mark.parametrize(("person", "country", "start", "end"), DEMO_EVENTS)
def test_demo_grouped_events(demo_events, person, country, start, end):
    articles, events, grouped = demo_events
    hit = grouped[
        grouped["actors"].map(lambda a: person in a)
        & (grouped["date_start"] == pd.Timestamp(start))
        & (grouped["date_end"] == pd.Timestamp(end))
    ]
    assert len(hit) == 1, grouped[grouped["actors"].map(lambda a: person in a)]
    row = hit.iloc[0]
    assert row["n_articles"] >= 2 and row["n_sources"] >= 2 and row["n_outlets"] >= 2
    assert row["status"] == "reported"
    assert row["trigger_class"] == "meet"
    assert country in row["actors"]
    # the counts agree with the mentions behind the event
    mine = events[events["event_id"] == row["event_id"]]
    assert row["n_articles"] == mine["doc_id"].nunique() == len(row["doc_ids"])
    assert set(row["doc_ids"]) <= set(articles["doc_id"])
    # at least one article reported it after the fact
    assert (mine["published"].dt.normalize() >= pd.Timestamp(start)).any()


def test_demo_event_table_is_well_formed(demo_events):
    articles, events, grouped = demo_events
    assert len(events) and len(grouped)
    assert set(events["status"]) <= set(STATUSES)
    assert (events["date_end"] >= events["date_start"]).all()
    assert events["actors"].map(len).gt(0).all()
    assert events["event_id"].nunique() == len(grouped)
    assert grouped["n_mentions"].sum() == len(events)
    # a mention dated after its article's publication is never "reported"
    pub = events["published"].dt.normalize()
    assert not ((events["date_start"] > pub) & (events["status"] == "reported")).any()
    # every event sentence is a sentence of its article
    texts = dict(zip(articles["doc_id"], articles["text"], strict=True))
    first = events.iloc[0]
    assert first["sentence"].split()[0] in texts[first["doc_id"]]


@pytest.mark.parametrize(
    ("first", "second", "status"),
    [
        ("will visit", "has called off his visit to", "denied"),
        ("will not visit", "will visit", "planned"),
        ("could visit", "will visit", "planned"),
    ],
)
def test_group_status_without_report_is_the_latest_news(first, second, status):
    arts, ments, tx, sents = make(
        [f"Xi Jinping {first} Moscow on March 21.", f"Xi Jinping {second} Moscow on March 21."],
        ["2023-03-10", "2023-03-15"],
        XI_VISIT,
    )
    ev = extract_events(arts, ments, tx, sents)
    assert ev["event_id"].nunique() == 1
    g = group_events(ev)
    assert g["status"].tolist() == [status]
    # the same two articles in the other order of publication give the first one's status
    arts["published"] = arts["published"].iloc[::-1].to_numpy()
    ev = extract_events(arts, ments, tx, sents)
    assert group_events(ev)["status"].tolist() == [ev.loc[ev["doc_id"] == "d0", "status"].iloc[0]]
