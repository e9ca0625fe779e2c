"""Tests for newslab.comentions: counting units, measures, dedupe, matrix, graph, time, evidence."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2

from newslab import schema
from newslab.comentions import (
    Evidence,
    association_measures,
    comention_graph,
    comention_matrix,
    comentions,
    comentions_over_time,
    evidence,
    top_pairs_over_time,
    write_graph,
)

LABELS = {
    "person:xi": "Xi Jinping",
    "person:putin": "Vladimir Putin",
    "person:lukashenko": "Alexander Lukashenko",
    "person:wang": "Wang Yi",
    "country:CHN": "China",
    "country:RUS": "Russia",
}


def make_mentions(rows: list[tuple]) -> pd.DataFrame:
    """Build a schema-conformant mentions table from (doc_id, sent_id, entity_id[, metonym])."""
    records = []
    for row in rows:
        doc_id, sent_id, entity_id = row[:3]
        metonym = row[3] if len(row) > 3 else False
        label = LABELS.get(entity_id, entity_id)
        records.append(
            {
                "doc_id": doc_id,
                "sent_id": sent_id,
                "start": 0,
                "end": 0,
                "surface": label,
                "entity_id": entity_id,
                "label": label,
                "type": entity_id.split(":")[0].upper(),
                "method": "gazetteer",
                "metonym": metonym,
            }
        )
    if not records:
        return schema.empty(schema.MENTIONS)
    return schema.conform(pd.DataFrame(records), schema.MENTIONS)


def pair(pairs: pd.DataFrame, a: str, b: str) -> pd.Series:
    a, b = sorted((a, b))
    hit = pairs[(pairs["a"] == a) & (pairs["b"] == b)]
    assert len(hit) == 1, f"expected one row for {a}-{b}, got {len(hit)}"
    return hit.iloc[0]


# ---------------------------------------------------------------------------
# Hand-computed counts and measures
# ---------------------------------------------------------------------------

# d1: Xi (x3), Putin   d2: Xi, Putin, Lukashenko   d3: Xi   d4: Lukashenko, Wang
TINY = make_mentions(
    [
        ("d1", 0, "person:xi"),
        ("d1", 1, "person:xi"),
        ("d1", 2, "person:xi"),
        ("d1", 2, "person:putin"),
        ("d2", 0, "person:xi"),
        ("d2", 0, "person:putin"),
        ("d2", 1, "person:lukashenko"),
        ("d3", 0, "person:xi"),
        ("d4", 0, "person:lukashenko"),
        ("d4", 0, "person:wang"),
    ]
)


def test_document_counts_by_hand():
    pairs = comentions(TINY)
    # Documents: N = 4. Xi in d1,d2,d3 -> 3; Putin d1,d2 -> 2; Lukashenko d2,d4 -> 2; Wang d4 -> 1.
    # Pairs: Putin-Xi in d1,d2 -> 2 (Xi's three mentions in d1 count once);
    # Lukashenko-Putin d2 -> 1; Lukashenko-Xi d2 -> 1; Lukashenko-Wang d4 -> 1. No other pair.
    assert len(pairs) == 4
    assert (pairs["n_units"] == 4).all()
    xp = pair(pairs, "person:xi", "person:putin")
    assert (xp["a"], xp["b"]) == ("person:putin", "person:xi")  # a < b
    assert (xp["n_pair"], xp["n_a"], xp["n_b"]) == (2, 2, 3)
    assert (xp["label_a"], xp["label_b"]) == ("Vladimir Putin", "Xi Jinping")
    assert pair(pairs, "person:lukashenko", "person:putin")["n_pair"] == 1
    assert pair(pairs, "person:lukashenko", "person:xi")["n_pair"] == 1
    lw = pair(pairs, "person:lukashenko", "person:wang")
    assert (lw["n_pair"], lw["n_a"], lw["n_b"]) == (1, 2, 1)
    # strongest first
    assert pairs.iloc[0]["n_pair"] == 2


def test_measures_by_hand():
    pairs = comentions(TINY)
    xp = pair(pairs, "person:xi", "person:putin")
    # Putin-Xi: O11 = 2, n_a = 2, n_b = 3, N = 4.
    # PMI = log2(2 * 4 / (2 * 3)) = log2(4/3); NPMI = PMI / -log2(2/4) = log2(4/3) / 1.
    assert xp["pmi"] == pytest.approx(math.log2(4 / 3))
    assert xp["npmi"] == pytest.approx(math.log2(4 / 3))
    # Table O = [[2, 0], [1, 1]], E = [[2*3/4, 2*1/4], [2*3/4, 2*1/4]] = [[1.5, .5], [1.5, .5]].
    # G2 = 2 * (2 ln(2/1.5) + 0 + 1 ln(1/1.5) + 1 ln(1/.5)) = 2 ln((4/3)^2 * (2/3) * 2) = 2 ln(64/27).
    assert xp["g2"] == pytest.approx(2 * math.log(64 / 27))
    assert xp["g2_p"] == pytest.approx(chi2.sf(2 * math.log(64 / 27), 1))
    # Jaccard = 2 / (2 + 3 - 2) = 2/3; Dice = 2 * 2 / (2 + 3) = 4/5.
    assert xp["jaccard"] == pytest.approx(2 / 3)
    assert xp["dice"] == pytest.approx(0.8)
    lw = pair(pairs, "person:lukashenko", "person:wang")
    # Lukashenko-Wang: O11 = 1, n_a = 2, n_b = 1, N = 4. PMI = log2(1*4/(2*1)) = 1.
    # NPMI = 1 / -log2(1/4) = 1/2. Jaccard = 1 / (2+1-1) = 1/2. Dice = 2/3.
    assert lw["pmi"] == pytest.approx(1.0)
    assert lw["npmi"] == pytest.approx(0.5)
    assert lw["jaccard"] == pytest.approx(0.5)
    assert lw["dice"] == pytest.approx(2 / 3)


def test_npmi_is_one_when_pair_is_everywhere_and_measures_recompute():
    t = pd.DataFrame({"n_pair": [5, 3], "n_a": [5, 3], "n_b": [5, 6], "n_units": [5, 12]})
    out = association_measures(t)
    # O11 == N: PMI = log2(5*5/25) = 0, NPMI defined as 1.
    assert out.loc[0, "pmi"] == pytest.approx(0.0)
    assert out.loc[0, "npmi"] == 1.0
    # 3 of 12 units, n_a = 3, n_b = 6: PMI = log2(3*12/18) = 1; O12 = 0 is handled (0 log 0 = 0).
    assert out.loc[1, "pmi"] == pytest.approx(1.0)
    assert np.isfinite(out.loc[1, "g2"]) and out.loc[1, "g2"] > 0


def test_output_schema_and_empty():
    pairs = comentions(TINY)
    expected = list(schema.PAIRS) + ["label_a", "label_b"]
    assert list(pairs.columns) == expected
    assert [str(t) for t in pairs.dtypes[: len(schema.PAIRS)]] == list(schema.PAIRS.values())
    empty = comentions(schema.empty(schema.MENTIONS))
    assert list(empty.columns) == expected and len(empty) == 0
    alone = comentions(make_mentions([("d1", 0, "person:xi")]))
    assert len(alone) == 0


# ---------------------------------------------------------------------------
# Agreement with NLTK
# ---------------------------------------------------------------------------


def test_same_pmi_and_likelihood_ratio_as_nltk():
    from nltk.metrics.association import BigramAssocMeasures

    rng = np.random.default_rng(3)
    ents = ["person:xi", "person:putin", "person:wang", "country:CHN", "country:RUS"]
    rows = [
        (f"d{d}", int(rng.integers(0, 4)), ents[int(rng.integers(0, len(ents)))])
        for d in range(40)
        for _ in range(int(rng.integers(1, 5)))
    ]
    pairs = comentions(make_mentions(rows))
    assert len(pairs) >= 6
    for row in pairs.itertuples():
        marg = (int(row.n_pair), (int(row.n_a), int(row.n_b)), int(row.n_units))
        assert row.pmi == pytest.approx(BigramAssocMeasures.pmi(*marg), rel=1e-9)
        assert row.g2 == pytest.approx(
            BigramAssocMeasures.likelihood_ratio(*marg), rel=1e-9, abs=1e-9
        )


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------

# doc1: s0 A B | s1 C | s3 A        doc2: s0 A | s2 B
UNITS = make_mentions(
    [
        ("doc1", 0, "x:A"),
        ("doc1", 0, "x:B"),
        ("doc1", 1, "x:C"),
        ("doc1", 3, "x:A"),
        ("doc2", 0, "x:A"),
        ("doc2", 2, "x:B"),
    ]
)


def counts(pairs: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(a, b): int(n) for a, b, n in pairs[["a", "b", "n_pair"]].itertuples(index=False)}


def test_document_sentence_and_window_units_differ_correctly():
    doc = comentions(UNITS, "document")
    # 2 documents; A, B in both, C in doc1 only.
    assert counts(doc) == {("x:A", "x:B"): 2, ("x:A", "x:C"): 1, ("x:B", "x:C"): 1}
    assert doc["n_units"].iloc[0] == 2

    sent = comentions(UNITS, "sentence")
    # Units (doc1,0) (doc1,1) (doc1,3) (doc2,0) (doc2,2): N = 5; only (doc1,0) has two entities.
    assert counts(sent) == {("x:A", "x:B"): 1}
    row = pair(sent, "x:A", "x:B")
    assert (row["n_a"], row["n_b"], row["n_units"]) == (3, 2, 5)

    win = comentions(UNITS, "window", 2)
    # k = 2, windows named by start s = {s, s+1}; a sentence t lies in windows t-1 and t.
    # doc1 (mentions at 0,1,3): windows -1{A,B} 0{A,B,C} 1{C} 2{A} 3{A} -> 5 windows
    # doc2 (mentions at 0,2):   windows -1{A} 0{A} 1{B} 2{B}           -> 4 windows; N = 9
    # A: 4 + 2 = 6, B: 2 + 2 = 4, C: 2. A-B: doc1 -1, 0 -> 2 (doc2's are 2 sentences apart).
    assert counts(win) == {("x:A", "x:B"): 2, ("x:A", "x:C"): 1, ("x:B", "x:C"): 1}
    row = pair(win, "x:A", "x:B")
    assert (row["n_a"], row["n_b"], row["n_units"]) == (6, 4, 9)

    win3 = comentions(UNITS, "window", 3)
    # k = 3: doc1 A-B share the windows holding s0: starts -2,-1,0 -> 3; doc2 A(s0), B(s2)
    # share the window starting at 0 -> 1. Total 4.
    assert pair(win3, "x:A", "x:B")["n_pair"] == 4


def test_window_of_one_is_sentence_unit():
    cols = ["a", "b", "n_pair", "n_a", "n_b", "n_units"]
    pd.testing.assert_frame_equal(
        comentions(UNITS, "window", 1)[cols], comentions(UNITS, "sentence")[cols]
    )


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="unit"):
        comentions(TINY, "paragraph")
    with pytest.raises(ValueError, match="window"):
        comentions(TINY, "window", 0)
    with pytest.raises(ValueError, match="metonyms"):
        comentions(TINY, metonyms="merge")


# ---------------------------------------------------------------------------
# Options: dedupe, metonyms, types, min_count
# ---------------------------------------------------------------------------


def test_syndicated_copy_does_not_inflate_counts():
    m = make_mentions(
        [
            ("orig", 0, "person:xi"),
            ("orig", 0, "person:putin"),
            ("copy", 0, "person:xi"),
            ("copy", 0, "person:putin"),
            ("copy", 1, "person:wang"),  # near-duplicate: one extra line in the copy
            ("other", 0, "person:xi"),
        ]
    )
    articles = schema.conform(
        pd.DataFrame(
            {
                "doc_id": ["orig", "copy", "other"],
                "dup_group": pd.array([7, 7, pd.NA], dtype="Int64"),
            }
        ),
        schema.ARTICLES,
    )
    deduped = comentions(m, articles=articles)
    # Only orig and other count: N = 2, Putin-Xi once, and the copy's Wang is gone.
    assert counts(deduped) == {("person:putin", "person:xi"): 1}
    assert deduped["n_units"].iloc[0] == 2
    inflated = comentions(m, articles=articles, dedupe=False)
    assert pair(inflated, "person:putin", "person:xi")["n_pair"] == 2
    assert inflated["n_units"].iloc[0] == 3
    # without articles there is nothing to dedupe against
    assert pair(comentions(m), "person:putin", "person:xi")["n_pair"] == 2


def test_metonym_options():
    m = make_mentions(
        [
            ("d1", 0, "person:putin"),
            ("d1", 0, "country:CHN", True),  # "Beijing said ..."
            ("d2", 0, "person:putin"),
            ("d2", 0, "country:CHN"),
        ]
    )
    as_country = comentions(m, metonyms="country")
    assert counts(as_country) == {("country:CHN", "person:putin"): 2}
    separate = comentions(m, metonyms="separate")
    assert counts(separate) == {
        ("country:CHN", "person:putin"): 1,
        ("country:CHN~gov", "person:putin"): 1,
    }
    gov = pair(separate, "country:CHN~gov", "person:putin")
    assert gov["label_a"] == "China (government)"
    dropped = comentions(m, metonyms="drop")
    assert counts(dropped) == {("country:CHN", "person:putin"): 1}
    assert dropped["n_units"].iloc[0] == 2


def test_types_and_min_count():
    only_people = comentions(TINY, types={"PERSON"})
    assert len(only_people) == 4
    m = make_mentions([("d1", 0, "person:xi"), ("d1", 0, "country:CHN"), ("d1", 0, "org:nato")])
    assert counts(comentions(m, types=["PERSON", "COUNTRY"])) == {("country:CHN", "person:xi"): 1}
    assert counts(comentions(m, types="ORG")) == {}
    strong = comentions(TINY, min_count=2)
    assert counts(strong) == {("person:putin", "person:xi"): 2}
    assert strong["n_units"].iloc[0] == 4  # min_count filters pairs, not units


# ---------------------------------------------------------------------------
# Property: counts agree with a brute-force count over sets
# ---------------------------------------------------------------------------


def brute_force(
    rows: list[tuple[str, int, str]], unit: str, k: int
) -> tuple[Counter, Counter, int]:
    """Return (pair counts, entity counts, n_units) by enumerating units as Python sets."""
    by_sentence: dict[tuple[str, int], set[str]] = {}
    for doc, sent, ent in rows:
        by_sentence.setdefault((doc, sent), set()).add(ent)
    units: list[set[str]] = []
    docs = sorted({doc for doc, _ in by_sentence})
    for doc in docs:
        sents = {s: e for (d, s), e in by_sentence.items() if d == doc}
        if unit == "document":
            units.append(set().union(*sents.values()))
        elif unit == "sentence":
            units.extend(sents.values())
        else:
            for start in range(min(sents) - k + 1, max(sents) + 1):
                inside = set().union(*(sents.get(s, set()) for s in range(start, start + k)))
                if inside:
                    units.append(inside)
    pairs: Counter = Counter()
    singles: Counter = Counter()
    for u in units:
        singles.update(u)
        pairs.update(itertools.combinations(sorted(u), 2))
    return pairs, singles, len(units)


mention_rows = st.lists(
    st.tuples(
        st.sampled_from(["d0", "d1", "d2", "d3"]),
        st.integers(0, 6),
        st.sampled_from(["e:a", "e:b", "e:c", "e:d", "e:e"]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=mention_rows, unit=st.sampled_from(["document", "sentence", "window"]), k=st.integers(1, 4)
)
def test_counts_match_brute_force_and_are_consistent(rows, unit, k):
    pairs = comentions(make_mentions(rows), unit, k)
    want_pairs, want_single, want_units = brute_force(rows, unit, k)
    got = {(a, b): n for (a, b), n in counts(pairs).items()}
    assert got == dict(want_pairs)
    assert (pairs["a"] < pairs["b"]).all()
    assert not pairs.duplicated(["a", "b"]).any()
    assert (pairs["n_pair"] <= np.minimum(pairs["n_a"], pairs["n_b"])).all()
    assert (pairs[["n_a", "n_b"]].max(axis=1) <= pairs["n_units"]).all()
    for row in pairs.itertuples():
        assert row.n_a == want_single[row.a] and row.n_b == want_single[row.b]
        assert row.n_units == want_units
    # sum check: every unit with m entities contributes m*(m-1)/2 pairs
    assert int(pairs["n_pair"].sum()) == sum(want_pairs.values())
    assert ((pairs["npmi"] <= 1 + 1e-12) & (pairs["npmi"] >= -1 - 1e-12)).all()
    assert ((pairs["dice"] > 0) & (pairs["dice"] <= 1)).all()


# ---------------------------------------------------------------------------
# Matrix, graph, files
# ---------------------------------------------------------------------------


def test_matrix_is_symmetric_with_documented_diagonal():
    pairs = comentions(TINY)
    mat = comention_matrix(pairs)
    assert list(mat.index) == list(mat.columns)
    assert set(mat.index) == {"Xi Jinping", "Vladimir Putin", "Alexander Lukashenko", "Wang Yi"}
    np.testing.assert_array_equal(mat.to_numpy(), mat.to_numpy().T)
    assert mat.loc["Xi Jinping", "Xi Jinping"] == 3  # n_a: Xi is in 3 documents
    assert mat.loc["Vladimir Putin", "Xi Jinping"] == 2
    assert mat.loc["Wang Yi", "Xi Jinping"] == 0  # never together
    npmi = comention_matrix(pairs, "npmi", labels=False)
    assert (np.diag(npmi.to_numpy()) == 0).all()
    assert npmi.loc["person:putin", "person:xi"] == pytest.approx(math.log2(4 / 3))


def test_graph_attributes_and_files(tmp_path):
    pairs = comentions(TINY)
    g = comention_graph(pairs, weight="npmi", mentions=TINY)
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 4
    assert g.nodes["person:xi"]["label"] == "Xi Jinping"
    assert g.nodes["person:xi"]["mentions"] == 5  # 3 in d1, 1 in d2, 1 in d3
    assert g.nodes["person:xi"]["type"] == "PERSON"
    edge = g.edges["person:xi", "person:putin"]
    assert edge["n_pair"] == 2 and edge["weight"] == pytest.approx(math.log2(4 / 3))
    assert {"pmi", "npmi", "g2", "g2_p", "jaccard", "dice"} <= set(edge)
    for name, reader in (("g.gexf", nx.read_gexf), ("g.graphml", nx.read_graphml)):
        out = write_graph(g, tmp_path / name)
        back = reader(out)
        assert back.number_of_edges() == 4
        assert float(back.edges["person:xi", "person:putin"]["g2"]) == pytest.approx(edge["g2"])
    with pytest.raises(ValueError, match="gexf"):
        write_graph(g, tmp_path / "g.json")


# ---------------------------------------------------------------------------
# Time slices
# ---------------------------------------------------------------------------


def test_comentions_over_time_counts_within_each_week():
    m = make_mentions(
        [
            ("w1a", 0, "person:xi"),
            ("w1a", 0, "person:putin"),
            ("w1b", 0, "person:xi"),
            ("w1b", 0, "person:putin"),
            ("w2a", 0, "person:lukashenko"),
            ("w2a", 0, "person:xi"),
            ("w2b", 0, "person:wang"),
            ("w2b", 0, "person:putin"),
            ("w2b", 1, "person:xi"),
            ("nodate", 0, "person:wang"),
            ("nodate", 0, "person:xi"),
        ]
    )
    articles = schema.conform(
        pd.DataFrame(
            {
                "doc_id": ["w1a", "w1b", "w2a", "w2b", "nodate"],
                # 2023-03-20 is a Monday; 03-26 a Sunday (same week); 03-28 the next week
                "published": pd.to_datetime(
                    ["2023-03-20", "2023-03-26", "2023-03-28", "2023-04-02", None]
                ),
            }
        ),
        schema.ARTICLES,
    )
    pot = comentions_over_time(m, articles, freq="W")
    assert pot.columns[0] == "period"
    assert list(pot["period"].unique()) == list(pd.to_datetime(["2023-03-20", "2023-03-27"]))
    week1 = pot[pot["period"] == "2023-03-20"]
    assert counts(week1) == {("person:putin", "person:xi"): 2}
    assert (week1["n_units"] == 2).all()
    week2 = pot[pot["period"] == "2023-03-27"]
    # Wang-Xi appears only in the undated article (left out) and in w2b.
    assert counts(week2) == {
        ("person:lukashenko", "person:xi"): 1,
        ("person:putin", "person:wang"): 1,
        ("person:putin", "person:xi"): 1,
        ("person:wang", "person:xi"): 1,
    }
    # Each week's slice is what comentions gives on that week's articles alone.
    alone = comentions(m[m["doc_id"].isin(["w2a", "w2b"])])
    pd.testing.assert_frame_equal(
        week2.drop(columns="period").reset_index(drop=True), alone.reset_index(drop=True)
    )
    top = top_pairs_over_time(pot, n=1, by="n_pair")
    assert list(top.columns[:2]) == ["period", "rank"]
    assert len(top) == 2 and (top["rank"] == 1).all()
    assert (top["a"].iloc[0], top["b"].iloc[0]) == ("person:putin", "person:xi")
    top2 = top_pairs_over_time(pot, n=2, by="npmi")
    assert top2.groupby("period").size().tolist() == [1, 2]
    w2 = top2[top2["period"] == "2023-03-27"]
    assert w2["npmi"].is_monotonic_decreasing


# ---------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------


def evidence_corpus() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    texts = {
        "d1": "Xi Jinping met Putin. <script>alert(1)</script> Putin & Xi Jinping smiled. Later, rain.",
        "d2": "Putin spoke alone. Then Xi Jinping arrived.",
    }
    sentences = []
    for doc_id, text in texts.items():
        pos = 0
        for sent_id, part in enumerate(p + "." for p in text.split(".")[:-1]):
            part = part.lstrip()
            start = text.index(part, pos)
            sentences.append((doc_id, sent_id, start, start + len(part), part))
            pos = start + len(part)
    sentences = schema.conform(
        pd.DataFrame(sentences, columns=list(schema.SENTENCES)), schema.SENTENCES
    )
    rows = []
    for doc_id, text in texts.items():
        for surface, eid in (("Xi Jinping", "person:xi"), ("Putin", "person:putin")):
            start = text.find(surface)
            while start >= 0:
                sent = sentences[
                    (sentences["doc_id"] == doc_id)
                    & (sentences["start"] <= start)
                    & (sentences["end"] > start)
                ]["sent_id"].iloc[0]
                rows.append((doc_id, sent, start, start + len(surface), surface, eid))
                start = text.find(surface, start + 1)
    m = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "surface", "entity_id"])
    m["label"] = m["entity_id"].map(LABELS)
    m = schema.conform(m, schema.MENTIONS)
    articles = schema.conform(
        pd.DataFrame(
            {
                "doc_id": ["d1", "d2"],
                "title": ["Summit <b>news</b>", "Arrival"],
                "published": pd.to_datetime(["2023-03-21", "2023-03-20"]),
                "outlet": ["Wire", "Paper"],
                "text": list(texts.values()),
            }
        ),
        schema.ARTICLES,
    )
    return m, sentences, articles


def test_evidence_finds_sentences_and_escapes_html():
    m, sentences, articles = evidence_corpus()
    ev = evidence(m, "Xi Jinping", "person:putin", sentences=sentences, articles=articles)
    assert isinstance(ev, Evidence)
    assert list(ev.columns[:6]) == ["doc_id", "sent_id", "title", "published", "outlet", "sentence"]
    # d1 sentences 0 ("Xi Jinping met Putin.") and 1 (with the script tag); d2 has them apart.
    assert list(zip(ev["doc_id"], ev["sent_id"], strict=True)) == [("d1", 0), ("d1", 1)]
    assert ev["title"].iloc[0] == "Summit <b>news</b>"
    page = ev._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>news</b>" not in page and "Summit &lt;b&gt;news&lt;/b&gt;" in page
    assert '<mark class="nl-a">Xi Jinping</mark> met <mark class="nl-b">Putin</mark>' in page
    assert '<mark class="nl-b">Putin</mark> &amp; <mark class="nl-a">Xi Jinping</mark>' in page
    # slicing keeps the class and its display
    assert isinstance(ev.head(1), Evidence) and "<mark" in ev.head(1)._repr_html_()


def test_evidence_units():
    m, sentences, articles = evidence_corpus()
    doc = evidence(
        m, "person:xi", "person:putin", sentences=sentences, articles=articles, unit="document"
    )
    # every sentence naming either, in both documents; d2 (published first) comes first
    assert list(zip(doc["doc_id"], doc["sent_id"], strict=True)) == [
        ("d2", 0),
        ("d2", 1),
        ("d1", 0),
        ("d1", 1),
    ]
    win = evidence(m, "person:xi", "person:putin", sentences=sentences, unit="window", window=2)
    assert ("d2", 1) in set(zip(win["doc_id"], win["sent_id"], strict=True))
    none = evidence(m, "person:xi", "nobody", sentences=sentences, articles=articles)
    assert len(none) == 0 and "0 sentence" in none._repr_html_()


def test_comentions_over_time_with_no_articles_or_no_mentions_is_empty():
    m = make_mentions([("d1", 0, "person:xi"), ("d1", 0, "person:putin")])
    none = schema.conform(pd.DataFrame({"doc_id": [], "published": []}), schema.ARTICLES)
    out = comentions_over_time(m, none)
    assert out.empty and {"period", "a", "b", "n_pair"} <= set(out.columns)
    arts = schema.conform(
        pd.DataFrame({"doc_id": ["d1"], "published": pd.to_datetime(["2023-03-20"])}),
        schema.ARTICLES,
    )
    assert comentions_over_time(m.iloc[:0], arts).empty
    assert len(comentions_over_time(m, arts)) == 1
