"""Tests for newslab.plot (co-mention section): each plot returns its Axes with the right artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from newslab import schema  # noqa: E402
from newslab.comentions import comention_matrix, comentions, comentions_over_time  # noqa: E402
from newslab.plot import comention_heatmap, comention_network, pair_trends  # noqa: E402

# Two blocks of entities that are mentioned together: {A, B, C} and {X, Y, Z}.
BLOCKS = [["e:A", "e:B", "e:C"], ["e:X", "e:Y", "e:Z"]]


def block_mentions() -> pd.DataFrame:
    rows = []
    for i in range(24):
        block = BLOCKS[i % 2]
        for j, ent in enumerate(block):
            if (i + j) % 4:  # leave some out so the counts vary
                rows.append((f"d{i}", 0, ent))
    rows += [("bridge", 0, "e:A"), ("bridge", 0, "e:X")]
    m = pd.DataFrame(rows, columns=["doc_id", "sent_id", "entity_id"])
    m["label"] = m["entity_id"].str.replace("e:", "Entity ")
    m["type"] = "PERSON"
    return schema.conform(m, schema.MENTIONS)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_heatmap_from_pairs_is_clustered_with_colorbar():
    pairs = comentions(block_mentions())
    fig, ax = plt.subplots()
    out = comention_heatmap(pairs, value="npmi", top=20, ax=ax)
    assert out is ax
    images = [c for c in ax.get_children() if isinstance(c, AxesImage)]
    assert len(images) == 1
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    xt = [t.get_text() for t in ax.get_xticklabels()]
    yt = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(xt) == [f"Entity {c}" for c in "ABCXYZ"] and xt == yt
    # clustering puts each block next to itself: the first three labels form one block
    first = {t.split()[-1] for t in xt[:3]}
    assert first in ({"A", "B", "C"}, {"X", "Y", "Z"})
    data = images[0].get_array()
    assert np.ma.is_masked(data[0, 0]) or np.isnan(data[0, 0])  # blank diagonal


def test_heatmap_top_and_matrix_input():
    m = block_mentions()
    pairs = comentions(m)
    ax = comention_heatmap(pairs, value="n_pair", top=4, cluster=False)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 4
    # without clustering the order is prominence: documents naming the entity, descending
    docs = m.groupby("label")["doc_id"].nunique()
    assert docs[labels].is_monotonic_decreasing
    assert docs[labels].min() >= docs.drop(labels).max()
    mat = comention_matrix(pairs, "jaccard")
    ax2 = comention_heatmap(mat, top=3)
    assert len(ax2.get_yticklabels()) == 3


def test_network_draws_top_nodes_edges_and_labels():
    m = block_mentions()
    pairs = comentions(m)
    fig, ax = plt.subplots()
    out = comention_network(pairs, mentions=m, top=4, ax=ax)
    assert out is ax
    assert len(ax.texts) == 4
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(nodes) == 1 and len(nodes[0].get_offsets()) == 4
    sizes = nodes[0].get_sizes()
    assert sizes.max() > sizes.min()  # sized by mentions
    edges = [c for c in ax.collections if isinstance(c, LineCollection)]
    # the edges among the 4 most mentioned entities, each drawn once
    names = {t.get_text().split()[-1] for t in ax.texts}
    ids = {f"e:{n}" for n in names}
    expected = int((pairs["a"].isin(ids) & pairs["b"].isin(ids)).sum())
    assert len(edges) == 1 and len(edges[0].get_segments()) == expected
    widths = edges[0].get_linewidths()
    assert len(set(np.round(widths, 6))) > 1  # width follows weight
    ax2 = comention_network(pairs, layout="circular", top=30)
    assert len(ax2.texts) == 6
    with pytest.raises(ValueError, match="layout"):
        comention_network(pairs, layout="tree")


def test_pair_trends_lines_and_legend():
    m = block_mentions()
    dates = pd.date_range("2023-03-01", periods=25, freq="3D")
    articles = schema.conform(
        pd.DataFrame({"doc_id": [f"d{i}" for i in range(24)] + ["bridge"], "published": dates}),
        schema.ARTICLES,
    )
    pot = comentions_over_time(m, articles, freq="W")
    ax = pair_trends(pot, top=3)
    assert len(ax.get_lines()) == 3
    assert len(ax.get_legend().get_texts()) == 3
    ax2 = pair_trends(pot, pairs=[("Entity B", "Entity A"), ("e:X", "e:Y")], value="n_pair")
    lines = ax2.get_lines()
    legend = [t.get_text() for t in ax2.get_legend().get_texts()]
    assert legend == ["Entity A – Entity B", "Entity X – Entity Y"]
    n_periods = pot["period"].nunique()
    assert all(len(line.get_xdata()) == n_periods for line in lines)
    # the A-B line sums to the pair's counts over all weeks
    ab = pot[(pot["a"] == "e:A") & (pot["b"] == "e:B")]["n_pair"].sum()
    assert np.nansum(lines[0].get_ydata()) == ab
