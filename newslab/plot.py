"""Matplotlib figures for newslab tables: each function draws on ``ax`` and returns it.

Conventions (seaborn's): pass ``ax=`` to draw into an existing figure, or leave it
``None`` to draw on a new figure; the Axes is returned and ``plt.show()`` is never
called. ``pyplot`` is imported only when a new figure is needed, so importing this
module does not pick a backend.

Sections
--------
* Co-mentions: :func:`comention_heatmap`, :func:`comention_network`, :func:`pair_trends`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["comention_heatmap", "comention_network", "pair_trends"]


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 6.0)) -> Axes:
    """Return ``ax``, or the Axes of a new figure when it is ``None``."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def _tick_fontsize(n: int) -> float:
    """Return a tick label size that stays legible from 2 to ~60 labels."""
    return float(np.clip(14 - 0.2 * n, 6, 10))


# ---------------------------------------------------------------------------
# Co-mentions
# ---------------------------------------------------------------------------

_SIGNED = {"pmi", "npmi"}


def _pair_label(row: pd.Series, side: str) -> str:
    label = row.get(f"label_{side}")
    return str(label) if isinstance(label, str) and label else str(row[side])


def comention_heatmap(
    pairs_or_matrix: pd.DataFrame,
    value: str = "npmi",
    top: int = 20,
    ax: Axes | None = None,
    cluster: bool = True,
) -> Axes:
    """Return the Axes with a heatmap of pair strengths among the top entities.

    Parameters
    ----------
    pairs_or_matrix
        A pairs table (:func:`newslab.comentions.comentions`) or a square matrix
        (:func:`newslab.comentions.comention_matrix`).
    value
        Pair column to show when given pairs (``"npmi"``, ``"pmi"``, ``"n_pair"``,
        ...); signed measures use a diverging colour map centred on 0.
    top
        Number of entities kept: those in the most units (pairs) or with the largest
        row sums (matrix).
    ax
        Axes to draw on; a new figure when ``None``.
    cluster
        Order rows and columns by the leaves of an average-linkage hierarchical
        clustering of the matrix rows, so that groups of entities mentioned together
        form blocks; otherwise keep the prominence order.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, with one image, a colour bar and one tick label per entity. The
        diagonal (an entity with itself) is left blank.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> p = pd.DataFrame({"a": ["x", "x", "y"], "b": ["y", "z", "z"], "n_pair": [3, 1, 2],
    ...                   "n_a": [4, 4, 3], "n_b": [3, 2, 2], "n_units": [6, 6, 6]})
    >>> ax = comention_heatmap(p, value="n_pair")
    >>> [t.get_text() for t in ax.get_xticklabels()] != []
    True
    """
    from newslab.comentions import comention_matrix

    if {"a", "b"} <= set(pairs_or_matrix.columns):
        pairs = pairs_or_matrix
        mat = comention_matrix(pairs, value=value, labels=True).astype(float)
        weight = pd.Series(np.diag(comention_matrix(pairs, "n_pair", labels=True)), mat.index)
        title = value
    else:
        mat = pairs_or_matrix.astype(float)
        weight = mat.abs().sum(axis=1)
        title = ""
    keep = weight.sort_values(ascending=False, kind="stable").index[:top]
    mat = mat.loc[keep, keep]
    n = len(mat)
    if cluster and n > 2:
        from scipy.cluster.hierarchy import leaves_list, linkage
        from scipy.spatial.distance import pdist

        rows = np.nan_to_num(mat.to_numpy())
        order = leaves_list(linkage(pdist(rows, "euclidean"), method="average"))
        mat = mat.iloc[order, order]
    shown = mat.to_numpy(copy=True)
    np.fill_diagonal(shown, np.nan)
    ax = _axes(ax)
    finite = shown[np.isfinite(shown)]
    if value in _SIGNED:
        lim = float(np.max(np.abs(finite))) if finite.size else 1.0
        lim = lim or 1.0
        image = ax.imshow(shown, cmap="RdBu_r", vmin=-lim, vmax=lim)
    else:
        image = ax.imshow(shown, cmap="viridis")
    ax.figure.colorbar(image, ax=ax, label=title or None, shrink=0.8)
    size = _tick_fontsize(n)
    ax.set_xticks(range(n), [str(c) for c in mat.columns], rotation=90, fontsize=size)
    ax.set_yticks(range(n), [str(r) for r in mat.index], fontsize=size)
    ax.tick_params(length=0)
    if title:
        ax.set_title(f"Co-mentions ({title})")
    return ax


def comention_network(
    pairs: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    top: int = 30,
    weight: str = "n_pair",
    ax: Axes | None = None,
    layout: str = "spring",
    seed: int = 0,
) -> Axes:
    """Return the Axes with the co-mention network of the most prominent entities.

    Parameters
    ----------
    pairs
        A pairs table from :func:`newslab.comentions.comentions`.
    mentions
        The mentions table; node size is then the number of mentions, otherwise the
        number of units naming the entity.
    top
        Number of entities drawn (the most mentioned); edges are the pairs among them.
    weight
        Pair column giving edge width (non-positive values are not drawn).
    ax
        Axes to draw on; a new figure when ``None``.
    layout
        ``"spring"``, ``"kamada_kawai"`` or ``"circular"``.
    seed
        Seed of the spring layout, for a reproducible picture.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, with one node marker and one text label per entity drawn.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> p = pd.DataFrame({"a": ["x", "x"], "b": ["y", "z"], "n_pair": [3, 1],
    ...                   "n_a": [4, 4], "n_b": [3, 2], "n_units": [6, 6]})
    >>> len(comention_network(p).texts)
    3
    """
    import networkx as nx

    from newslab.comentions import comention_graph

    graph = comention_graph(pairs, weight=weight, mentions=mentions)
    size_key = "mentions" if mentions is not None else "n_units"
    sizes = {node: float(data.get(size_key) or 0) for node, data in graph.nodes(data=True)}
    keep = sorted(graph.nodes, key=lambda node: (-sizes[node], node))[:top]
    sub = graph.subgraph(keep).copy()
    sub.remove_edges_from(
        [(u, v) for u, v, w in sub.edges(data="weight") if w is None or not w > 0]
    )
    ax = _axes(ax, figsize=(8.0, 8.0))
    if layout == "spring":
        pos = nx.spring_layout(sub, seed=seed, weight="weight")
    elif layout == "kamada_kawai":
        pos = nx.kamada_kawai_layout(sub) if len(sub) > 1 else nx.circular_layout(sub)
    elif layout == "circular":
        pos = nx.circular_layout(sub)
    else:
        raise ValueError(f"layout must be 'spring', 'kamada_kawai' or 'circular', not {layout!r}")
    nodes = list(sub.nodes)
    node_sizes = np.array([sizes[n] for n in nodes], dtype=float)
    scale = node_sizes.max() if node_sizes.size and node_sizes.max() > 0 else 1.0
    nx.draw_networkx_nodes(
        sub,
        pos,
        nodelist=nodes,
        node_size=100 + 1400 * node_sizes / scale,
        node_color="#7aa6c2",
        alpha=0.85,
        ax=ax,
    )
    edges = list(sub.edges(data="weight"))
    if edges:
        widths = np.array([w for _, _, w in edges], dtype=float)
        nx.draw_networkx_edges(
            sub,
            pos,
            edgelist=[(u, v) for u, v, _ in edges],
            width=0.5 + 5.5 * widths / widths.max(),
            edge_color="#555555",
            alpha=0.5,
            ax=ax,
        )
    labels = {n: str(sub.nodes[n].get("label") or n) for n in nodes}
    nx.draw_networkx_labels(
        sub,
        pos,
        labels=labels,
        font_size=_tick_fontsize(len(nodes)) + 1,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
        ax=ax,
    )
    ax.set_axis_off()
    ax.set_title(f"Co-mention network (edge width: {weight})")
    return ax


def pair_trends(
    pairs_over_time: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] | None = None,
    top: int = 5,
    value: str = "n_pair",
    ax: Axes | None = None,
) -> Axes:
    """Return the Axes with one line per entity pair over time.

    Parameters
    ----------
    pairs_over_time
        Output of :func:`newslab.comentions.comentions_over_time`.
    pairs
        Pairs to draw as ``(a, b)`` tuples of entity ids or labels, in either order;
        when ``None``, the ``top`` pairs with the largest total ``value``.
    top
        Number of pairs drawn when ``pairs`` is ``None``.
    value
        Column on the y axis. For count columns, periods where a pair is absent
        are drawn as 0; for measures they are left as gaps.
    ax
        Axes to draw on; a new figure when ``None``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, with one line and one legend entry per pair.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2023-03-20", "2023-03-27"]),
    ...                   "a": ["x", "x"], "b": ["y", "y"], "n_pair": [1, 4]})
    >>> ax = pair_trends(t)
    >>> len(ax.get_lines()), ax.get_lines()[0].get_ydata().tolist()
    (1, [1.0, 4.0])
    """
    data = pairs_over_time
    if pairs is None:
        totals = data.groupby(["a", "b"])[value].sum().sort_values(ascending=False, kind="stable")
        chosen = [(str(a), str(b)) for a, b in totals.index[:top]]
    else:
        chosen = [_find_pair(data, a, b) for a, b in pairs]
    periods = pd.Index(sorted(data["period"].dropna().unique()))
    counts = value.startswith("n_")
    ax = _axes(ax, figsize=(9.0, 4.5))
    for a, b in chosen:
        rows = data.loc[((data["a"] == a) & (data["b"] == b)).fillna(False).to_numpy(dtype=bool)]
        series = rows.set_index("period")[value].astype(float).reindex(periods)
        if counts:
            series = series.fillna(0.0)
        name = (
            f"{_pair_label(rows.iloc[0], 'a')} – {_pair_label(rows.iloc[0], 'b')}"
            if len(rows)
            else f"{a} – {b}"
        )
        ax.plot(periods, series.to_numpy(), marker="o", markersize=3, label=name)
    ax.set_ylabel(value)
    ax.set_xlabel("period")
    if chosen:
        ax.legend(fontsize=8, frameon=False)
    ax.figure.autofmt_xdate()
    return ax


def _find_pair(data: pd.DataFrame, a: str, b: str) -> tuple[str, str]:
    """Return the ``(a, b)`` ids of a pair given by ids or labels, in table order."""

    def ids_for(name: str) -> set[str]:
        found = set(data.loc[data["a"] == name, "a"]) | set(data.loc[data["b"] == name, "b"])
        for side in ("a", "b"):
            col = f"label_{side}"
            if col in data.columns:
                hit = data[col].astype(str).str.casefold() == name.casefold()
                found |= set(data.loc[hit.fillna(False).to_numpy(dtype=bool), side].astype(str))
        return found or {name}

    for x in sorted(ids_for(a)):
        for y in sorted(ids_for(b)):
            first, second = sorted((x, y))
            if ((data["a"] == first) & (data["b"] == second)).any():
                return first, second
    first, second = sorted((a, b))
    return first, second
