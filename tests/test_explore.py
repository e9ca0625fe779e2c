"""The explorer, driven without a browser: choosing an entity or a partner in code refreshes
the partner table, the KWIC lines, the volume plot, the events and the evidence."""

from __future__ import annotations

import pandas as pd
import pytest

import newslab as nl
from newslab.comentions import comentions, evidence
from newslab.explore import Explorer, ExplorerApp, explore, kwic_html, table_html
from newslab.notebooks import plausible_dates
from tests.conftest import DEMO

XI, PUTIN = "person:xi_jinping", "person:vladimir_putin"
TYPES = ["PERSON", "COUNTRY", "ORG"]


@pytest.fixture(scope="module")
def demo():
    articles = nl.load_corpus(DEMO, progress=False)
    sents = nl.sentences(articles)
    mentions = nl.extract_entities(articles, sentences=sents)
    return articles, sents, mentions


@pytest.fixture(scope="module")
def app(demo) -> ExplorerApp:
    articles, sents, mentions = demo
    return explore(articles, mentions, sentences=sents, types=TYPES)


def _pair_count(pairs: pd.DataFrame, x: str, y: str) -> int:
    a, b = sorted((x, y))
    hit = pairs.loc[(pairs["a"] == a) & (pairs["b"] == b), "n_pair"]
    return int(hit.iloc[0]) if len(hit) else 0


def _check_partners(app: ExplorerApp, entity: str, pairs: pd.DataFrame) -> None:
    table = app.tables["partners"]
    assert len(table) > 0
    assert entity not in set(table["partner"])
    for partner, n in table[["partner", "n_pair"]].itertuples(index=False, name=None):
        assert _pair_count(pairs, entity, partner) == n
    assert table["n_pair"].is_monotonic_decreasing
    # the dropdown of partners offers exactly the table's partners, in order
    assert [v for _, v in app.partner.options] == table["partner"].tolist()


def test_starts_on_the_most_mentioned_entity(app, demo):
    articles, _, mentions = demo
    kept = mentions[mentions["type"].isin(TYPES)]
    assert app.entity.value == kept["entity_id"].value_counts().idxmax()
    assert app.partner.value == app.tables["partners"]["partner"].iloc[0]


def test_choosing_an_entity_updates_partners_kwic_and_volume(app, demo):
    articles, _, mentions = demo
    pairs = comentions(mentions, unit="sentence", articles=articles, types=TYPES)
    app.entity.value = XI
    _check_partners(app, XI, pairs)
    assert PUTIN in set(app.tables["partners"]["partner"])
    # KWIC lines are Xi's mentions (every alias resolved to him), in context
    lines = app.tables["kwic"]
    xi_mentions = mentions[mentions["entity_id"] == XI]
    assert 0 < len(lines) <= len(xi_mentions)
    assert set(lines["keyword"]) <= set(xi_mentions["surface"])
    assert set(lines["doc_id"]) <= set(xi_mentions["doc_id"])
    assert "Xi Jinping" in app.partners_html.value and "Xi Jinping" in app.kwic_html.value
    # the volume plot shows Xi's weekly mentions in plausibly dated articles
    dated = set(plausible_dates(articles)["doc_id"])
    ax = app.figure.axes[0]
    assert "Xi Jinping" in ax.get_title()
    drawn = sum(line.get_ydata().sum() for line in ax.lines)
    assert drawn == xi_mentions["doc_id"].isin(dated).sum()


def test_choosing_a_partner_updates_evidence_and_events(app, demo):
    articles, sents, mentions = demo
    app.entity.value = XI
    app.partner.value = PUTIN
    ev = app.tables["evidence"]
    expected = evidence(mentions, XI, PUTIN, sentences=sents, articles=articles)
    assert (
        ev[["doc_id", "sent_id"]].values.tolist() == expected[["doc_id", "sent_id"]].values.tolist()
    )
    assert len(ev) >= _pair_count(app.state.pairs, XI, PUTIN) > 0
    # each evidence sentence highlights both sides
    assert all({side for *_, side in marks} == {"a", "b"} for marks in ev["marks"])
    assert "Vladimir Putin" in app.evidence_html.value
    # events with both actors; the state visit of 20-22 March 2023 is among them
    events = app.tables["events"]
    grouped = app.state.grouped_events
    both = grouped[grouped["actors"].map(lambda a: {XI, PUTIN} <= set(a))]
    assert events["label"].tolist() == both["label"].tolist()
    assert (events["date_start"] == pd.Timestamp("2023-03-20")).any()


def test_switching_entity_refreshes_the_evidence_even_when_the_partner_id_repeats(app, demo):
    _, _, mentions = demo
    for entity in (PUTIN, XI, "country:RUS"):
        app.entity.value = entity
        partner = app.partner.value
        ev = app.tables["evidence"]
        assert partner == app.tables["partners"]["partner"].iloc[0]
        assert len(ev) > 0
        named = mentions[mentions["entity_id"] == entity][["doc_id", "sent_id"]]
        keys = set(map(tuple, named.astype({"sent_id": int}).values.tolist()))
        assert all((d, int(s)) in keys for d, s in ev[["doc_id", "sent_id"]].values.tolist())


def test_everything_shown_as_html_is_escaped():
    text = "Talks: <Evil> met Bob & co on <b>Monday</b>. <Evil> left."
    articles = pd.DataFrame(
        {
            "doc_id": ["d1"],
            "title": ["<script>alert(1)</script>"],
            "published": [pd.Timestamp("2023-03-20")],
            "outlet": ["<i>Outlet</i>"],
            "text": [text],
        }
    )
    sents = pd.DataFrame(
        {
            "doc_id": ["d1", "d1"],
            "sent_id": [0, 1],
            "start": [0, 48],
            "end": [47, len(text)],
            "text": [text[:47], text[48:]],
        }
    )
    s1, s2 = text.index("<Evil>"), text.index("Bob")
    mentions = pd.DataFrame(
        {
            "doc_id": ["d1"] * 3,
            "sent_id": [0, 0, 1],
            "start": [s1, s2, 48],
            "end": [s1 + 6, s2 + 3, 54],
            "surface": ["<Evil>", "Bob", "<Evil>"],
            "entity_id": ["new:evil", "person:bob", "new:evil"],
            "label": ["<Evil>", "Bob & <Co>", "<Evil>"],
            "type": ["PERSON"] * 3,
            "method": ["gazetteer"] * 3,
            "metonym": [False] * 3,
        }
    )
    state = Explorer(articles, mentions, sentences=sents, events=False, types=None)
    app = ExplorerApp(state, entity="new:evil")
    assert app.partner.value == "person:bob"
    panes = [app.partners_html, app.kwic_html, app.events_html, app.evidence_html]
    for pane in panes:
        for raw in ("<Evil>", "<script>", "<i>Outlet", "<Co>", "<b>Monday"):
            assert raw not in pane.value, (raw, pane.value)
    assert "&lt;Evil&gt;" in app.kwic_html.value and "&lt;Co&gt;" in app.partners_html.value
    assert "&lt;script&gt;" in app.evidence_html.value
    assert len(app.tables["evidence"]) == 1


def test_html_helpers_escape_and_report_empty_tables():
    assert "&lt;x&gt;" in table_html(pd.DataFrame({"a": ["<x>"]}))
    assert table_html(pd.DataFrame({"a": []}), empty="no <rows>") == "<p><i>no &lt;rows&gt;</i></p>"
    lines = pd.DataFrame(
        {
            "doc_id": ["d"],
            "published": [pd.NaT],
            "outlet": [pd.NA],
            "left": ["<"],
            "keyword": ["&"],
            "right": [">"],
        }
    )
    out = kwic_html(lines)
    assert "<mark><b>&amp;</b></mark>" in out and "&lt;" in out and "&gt;" in out


def test_the_module_is_callable_like_the_function(demo):
    import newslab.explore as module

    articles, sents, mentions = demo
    app = module(articles, mentions, sentences=sents, types=["PERSON"], events=False)
    assert isinstance(app, ExplorerApp)
    assert app.state.entities["type"].eq("PERSON").all()
    assert app.tables["events"].empty
