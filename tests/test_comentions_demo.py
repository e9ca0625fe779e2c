"""Co-mentions on the demo corpus: the pairs behind the big diplomatic events peak in their weeks."""

from __future__ import annotations

import pandas as pd
import pytest

import newslab as nl
from newslab.comentions import comentions, comentions_over_time, top_pairs_over_time
from newslab.entities import extract_entities
from newslab.text import sentences
from tests.conftest import ROOT

# (person a, person b, a day of the event): facts of the world, not counts.
EVENTS = [
    ("person:vladimir_putin", "person:wang_yi", "2023-02-22"),  # Wang Yi in Moscow
    ("person:alexander_lukashenko", "person:xi_jinping", "2023-03-01"),  # Lukashenko in Beijing
    ("person:vladimir_putin", "person:xi_jinping", "2023-03-20"),  # Xi in Moscow
]


@pytest.fixture(scope="module")
def demo():
    articles = nl.load_corpus(
        [ROOT / "data" / "demo", ROOT / "data" / "demo-feeds"], progress=False
    )
    sents = sentences(articles)
    mentions = extract_entities(articles, sentences=sents)
    return articles, mentions


@pytest.mark.parametrize(("a", "b", "day"), EVENTS)
def test_event_pairs_top_their_week_and_peak_in_it(demo, a, b, day):
    articles, mentions = demo
    weekly = comentions_over_time(mentions, articles, freq="W", unit="sentence", types=["PERSON"])
    pair = weekly[(weekly["a"] == min(a, b)) & (weekly["b"] == max(a, b))]
    assert len(pair), (a, b)
    week = pd.Timestamp(day).to_period("W").start_time
    # the week of the event is the pair's busiest week ...
    peak = pair.loc[pair["n_pair"].idxmax(), "period"]
    assert peak == week, (a, b, peak)
    # ... and in that week the pair is among the three most co-mentioned pairs of people
    top = top_pairs_over_time(weekly, n=3)
    in_week = top[top["period"] == week]
    assert ((in_week["a"] == min(a, b)) & (in_week["b"] == max(a, b))).any(), in_week


def test_syndicated_copies_do_not_inflate_counts(demo):
    articles, mentions = demo
    once = comentions(mentions, articles=articles, unit="document")
    twice = comentions(mentions, articles=articles, unit="document", dedupe=False)
    key = ["a", "b"]
    merged = once.merge(twice, on=key, suffixes=("", "_all"))
    assert (merged["n_pair_all"] >= merged["n_pair"]).all()
    assert (merged["n_pair_all"] > merged["n_pair"]).any()  # the demo has syndicated copies
    n_docs = articles["dup_group"].isna().sum() + articles["dup_group"].nunique()
    assert once["n_units"].max() <= n_docs
