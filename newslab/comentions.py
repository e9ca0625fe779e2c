"""Entity co-mentions: who is named together with whom, how strongly, and when.

The input is the ``mentions`` table (:data:`newslab.schema.MENTIONS`). Mentions are
grouped into *units* (documents, sentences or sliding windows of sentences), each
unit is reduced to the *set* of entities it names, and every unordered pair of
entities is counted once per unit that names both. The counts are turned into the
usual association measures of a 2x2 contingency table (PMI, NPMI, Dunning's G2,
Jaccard, Dice). The result is the ``pairs`` table (:data:`newslab.schema.PAIRS`).

Counting is a sparse matrix product: with ``X`` the binary units x entities
incidence matrix, ``X.T @ X`` holds the pair counts off the diagonal and the
per-entity unit counts on it. No Python code runs per mention or per unit.

Definitions used throughout
---------------------------
unit="document"
    One unit per article.
unit="sentence"
    One unit per ``(doc_id, sent_id)``.
unit="window" (``window=k``)
    One unit per window of ``k`` consecutive sentences of one article, for every
    start position, including windows that hang over the first or last sentence.
    Every sentence therefore lies in exactly ``k`` windows, two mentions share at
    least one window exactly when their ``sent_id`` differ by less than ``k``, and
    ``window=1`` is the same as ``unit="sentence"``.
n_units
    The number of units that contain at least one kept mention (after the
    ``types``, ``metonyms`` and ``dedupe`` filters). Units in which nothing was
    found are not counted, so ``n_units`` does not depend on the sentence splitter
    or on articles without entities.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import erfc

from newslab import schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "MEASURES",
    "GOV_SUFFIX",
    "comentions",
    "association_measures",
    "comention_matrix",
    "comention_graph",
    "write_graph",
    "comentions_over_time",
    "top_pairs_over_time",
    "evidence",
    "Evidence",
]

Unit = Literal["document", "sentence", "window"]
Metonyms = Literal["country", "separate", "drop"]

#: Association measure columns of the pairs table, in schema order.
MEASURES: tuple[str, ...] = ("pmi", "npmi", "g2", "g2_p", "jaccard", "dice")

#: Suffix of the node that stands for a country's government when ``metonyms="separate"``.
GOV_SUFFIX = "~gov"

_LABEL_COLUMNS = {"label_a": "string", "label_b": "string"}


# ---------------------------------------------------------------------------
# Association measures
# ---------------------------------------------------------------------------


def _xlogx_ratio(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Return ``o * ln(o / e)`` elementwise with ``0 * ln 0 = 0``."""
    out = np.zeros_like(o, dtype=float)
    pos = o > 0
    out[pos] = o[pos] * np.log(o[pos] / e[pos])
    return out


def _measures(o11: Any, n_a: Any, n_b: Any, n: Any) -> dict[str, np.ndarray]:
    """Return the association measures for arrays of 2x2 tables, as a dict of arrays."""
    o11 = np.asarray(o11, dtype=float)
    n_a = np.asarray(n_a, dtype=float)
    n_b = np.asarray(n_b, dtype=float)
    n = np.broadcast_to(np.asarray(n, dtype=float), o11.shape)
    o12 = n_a - o11
    o21 = n_b - o11
    o22 = n - n_a - n_b + o11
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log2(o11 * n / (n_a * n_b))
        npmi = pmi / -np.log2(o11 / n)
        npmi = np.where(o11 == n, 1.0, npmi)
        e11 = n_a * n_b / n
        e12 = n_a * (n - n_b) / n
        e21 = (n - n_a) * n_b / n
        e22 = (n - n_a) * (n - n_b) / n
        g2 = 2.0 * (
            _xlogx_ratio(o11, e11)
            + _xlogx_ratio(o12, e12)
            + _xlogx_ratio(o21, e21)
            + _xlogx_ratio(o22, e22)
        )
        g2 = np.maximum(g2, 0.0)  # rounding can leave -1e-15 for independent pairs
        jaccard = o11 / (n_a + n_b - o11)
        dice = 2.0 * o11 / (n_a + n_b)
    return {
        "pmi": pmi,
        "npmi": npmi,
        "g2": g2,
        # chi2(1 dof).sf(x) == erfc(sqrt(x / 2)) exactly; scipy.stats.chi2.sf is ~50x slower.
        "g2_p": erfc(np.sqrt(g2 / 2.0)),
        "jaccard": jaccard,
        "dice": dice,
    }


def association_measures(pairs: pd.DataFrame) -> pd.DataFrame:
    """Return ``pairs`` with the measure columns recomputed from its counts.

    Useful after counts were summed across partitions or edited by hand. With
    ``O11 = n_pair``, ``O12 = n_a - n_pair``, ``O21 = n_b - n_pair``,
    ``O22 = n_units - n_a - n_b + n_pair`` and expected counts
    ``E_ij = row_i * col_j / n_units``:

    * ``pmi = log2(O11 * N / (n_a * n_b))``
    * ``npmi = pmi / -log2(O11 / N)``, defined as 1 when ``O11 == N``
    * ``g2 = 2 * sum(O * ln(O / E))`` with ``0 * ln 0 = 0`` (Dunning's log-likelihood
      ratio), ``g2_p`` its upper tail under chi-squared with 1 degree of freedom
    * ``jaccard = O11 / (n_a + n_b - O11)``, ``dice = 2 * O11 / (n_a + n_b)``

    Parameters
    ----------
    pairs
        A table with integer columns ``n_pair``, ``n_a``, ``n_b`` and ``n_units``.

    Returns
    -------
    pandas.DataFrame
        A copy with ``pmi``, ``npmi``, ``g2``, ``g2_p``, ``jaccard`` and ``dice`` set.

    Examples
    --------
    >>> t = pd.DataFrame({"n_pair": [2], "n_a": [2], "n_b": [4], "n_units": [8]})
    >>> out = association_measures(t)
    >>> float(out.loc[0, "pmi"]), float(out.loc[0, "dice"])
    (1.0, 0.6666666666666666)
    """
    out = pairs.copy()
    values = _measures(out["n_pair"], out["n_a"], out["n_b"], out["n_units"])
    for name in MEASURES:
        out[name] = values[name]
    return out


# ---------------------------------------------------------------------------
# Preparing mentions: filters and integer codes
# ---------------------------------------------------------------------------


@dataclass
class _Coded:
    """Kept mentions as integer arrays plus the entity lookup tables."""

    doc: np.ndarray  # int64 code per mention
    sent: np.ndarray  # int64 sent_id per mention
    ent: np.ndarray  # int64 entity code per mention (codes sorted like the ids)
    ids: np.ndarray  # object array: entity id per code
    labels: np.ndarray  # object array: label per code
    types: np.ndarray  # object array: type per code


def _as_set(types: str | Iterable[str] | None) -> set[str] | None:
    if types is None:
        return None
    if isinstance(types, str):
        return {types}
    return set(types)


def _duplicate_docs(articles: pd.DataFrame) -> pd.Series:
    """Return the doc_ids that are later copies within a ``dup_group``."""
    if "dup_group" not in articles.columns:
        return pd.Series([], dtype="string")
    grouped = articles["dup_group"].notna()
    later = grouped & articles["dup_group"].duplicated(keep="first")
    return articles.loc[later, "doc_id"]


def _filter(
    mentions: pd.DataFrame,
    *,
    articles: pd.DataFrame | None,
    types: str | Iterable[str] | None,
    metonyms: Metonyms,
    dedupe: bool,
    need_sent: bool,
) -> pd.DataFrame:
    """Return the mention rows that take part in counting."""
    if metonyms not in ("country", "separate", "drop"):
        raise ValueError(f"metonyms must be 'country', 'separate' or 'drop', not {metonyms!r}")
    keep = mentions["entity_id"].notna() & mentions["doc_id"].notna()
    if need_sent:
        keep &= mentions["sent_id"].notna()
    wanted = _as_set(types)
    if wanted is not None:
        keep &= mentions["type"].isin(wanted).fillna(False).astype(bool)
    if metonyms == "drop" and "metonym" in mentions.columns:
        keep &= ~mentions["metonym"].fillna(False).astype(bool)
    if dedupe and articles is not None:
        copies = _duplicate_docs(articles)
        if len(copies):
            keep &= ~mentions["doc_id"].isin(copies)
    return mentions.loc[keep.to_numpy(dtype=bool)]


def _code(frame: pd.DataFrame, metonyms: Metonyms) -> _Coded:
    """Return integer codes for documents and entities of the kept mentions."""
    doc, _ = pd.factorize(frame["doc_id"], sort=False)
    ent, uniq = pd.factorize(frame["entity_id"], sort=False)
    ent = ent.astype(np.int64)
    n_rows = len(frame)
    # pd.factorize numbers uniques by first appearance, so the running maximum of the
    # codes steps up exactly at each entity's first row: that row gives its label/type.
    if n_rows:
        first = np.flatnonzero(np.diff(np.maximum.accumulate(ent), prepend=-1) > 0)
    else:
        first = np.array([], dtype=np.int64)
    ids = np.asarray(uniq, dtype=object)
    labels = _column_at(frame, "label", first)
    types = _column_at(frame, "type", first)
    if metonyms == "separate" and "metonym" in frame.columns and n_rows:
        met = frame["metonym"].fillna(False).to_numpy(dtype=bool)
        if met.any():
            base = len(ids)
            ent = np.where(met, ent + base, ent)
            ids = np.concatenate([ids, np.array([i + GOV_SUFFIX for i in ids], dtype=object)])
            labels = np.concatenate(
                [
                    labels,
                    np.array(
                        [
                            f"{lab or i} (government)"
                            for i, lab in zip(ids[:base], labels, strict=True)
                        ],
                        dtype=object,
                    ),
                ]
            )
            types = np.concatenate([types, types])
            used, ent = np.unique(ent, return_inverse=True)
            ids, labels, types = ids[used], labels[used], types[used]
    # Renumber entities so that code order is string order: a < b then means code_a < code_b.
    order = np.argsort(ids.astype(str), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return _Coded(
        doc=doc.astype(np.int64),
        sent=_sent_ids(frame),
        ent=rank[ent] if n_rows else ent,
        ids=ids[order],
        labels=labels[order],
        types=types[order],
    )


def _column_at(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    if column not in frame.columns:
        return np.array([None] * len(rows), dtype=object)
    values = frame[column].iloc[rows]
    return np.array([None if pd.isna(v) else str(v) for v in values], dtype=object)


def _sent_ids(frame: pd.DataFrame) -> np.ndarray:
    if "sent_id" not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    return frame["sent_id"].fillna(0).to_numpy(dtype=np.int64)


# ---------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------


def _incidence(
    unit_key: np.ndarray, ent: np.ndarray, n_ent: int
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Return the binary units x entities matrix and the unit key of each of its rows."""
    rows, keys = pd.factorize(unit_key, sort=False)
    data = np.ones(len(rows), dtype=np.int32)
    x = sp.csr_matrix((data, (rows, ent)), shape=(len(keys), n_ent))
    x.sum_duplicates()
    x.data[:] = 1
    return x, np.asarray(keys)


def _unit_matrix(
    doc: np.ndarray, sent: np.ndarray, ent: np.ndarray, n_ent: int, unit: Unit, window: int
) -> sp.csr_matrix:
    """Return the incidence matrix for the chosen unit."""
    if unit == "document":
        return _incidence(doc, ent, n_ent)[0]
    if len(sent) == 0:
        return sp.csr_matrix((0, n_ent), dtype=np.int32)
    lo = int(sent.min())
    span = int(sent.max()) - lo + 1
    key = doc * span + (sent - lo)
    if unit == "sentence":
        return _incidence(key, ent, n_ent)[0]
    # Windows: first collapse to distinct (doc, sentence, entity), then put each one in
    # the k windows that start at sentences s-k+1 .. s (a vectorised step per offset).
    k = int(window)
    sx, keys = _incidence(key, ent, n_ent)
    sx = sx.tocoo()
    row_doc, row_sent = np.divmod(keys[sx.row], span)
    wspan = span + k - 1
    starts = [row_doc * wspan + (row_sent - j + k - 1) for j in range(k)]
    return _incidence(np.concatenate(starts), np.tile(sx.col.astype(np.int64), k), n_ent)[0]


def _count(
    doc: np.ndarray, sent: np.ndarray, ent: np.ndarray, n_ent: int, unit: Unit, window: int
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(n_units, n_per_entity, a_codes, b_codes, n_pair)`` for one slice."""
    x = _unit_matrix(doc, sent, ent, n_ent, unit, window)
    n_units = x.shape[0]
    per_entity = np.asarray(x.sum(axis=0)).ravel().astype(np.int64)
    co = sp.triu(x.T.tocsr() @ x, k=1).tocoo()
    return n_units, per_entity, co.row.astype(np.int64), co.col.astype(np.int64), co.data


def _pairs_frame(
    coded: _Coded,
    counts: tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    min_count: int,
) -> pd.DataFrame:
    n_units, per_entity, a, b, n_pair = counts
    keep = n_pair >= min_count
    a, b, n_pair = a[keep], b[keep], n_pair[keep].astype(np.int64)
    # Entity codes sort like the ids, so this is "n_pair descending, then a, then b".
    order = np.lexsort((b, a, -n_pair))
    a, b, n_pair = a[order], b[order], n_pair[order]
    n_a, n_b = per_entity[a], per_entity[b]
    values = _measures(n_pair, n_a, n_b, n_units)
    ids = pd.array(coded.ids, dtype="string")
    labels = pd.array(coded.labels, dtype="string")
    columns: dict[str, Any] = {
        "a": ids.take(a),
        "b": ids.take(b),
        "n_pair": n_pair,
        "n_a": n_a,
        "n_b": n_b,
        "n_units": np.full(len(a), n_units, dtype=np.int64),
        **values,
        "label_a": labels.take(a),
        "label_b": labels.take(b),
    }
    out = pd.DataFrame(columns, copy=False)
    expected = {**schema.PAIRS, **_LABEL_COLUMNS}
    if [str(t) for t in out.dtypes] != list(expected.values()):  # pragma: no cover - safety net
        out = schema.conform(out, expected)
    return out


def _check_unit(unit: str, window: int) -> None:
    if unit not in ("document", "sentence", "window"):
        raise ValueError(f"unit must be 'document', 'sentence' or 'window', not {unit!r}")
    if unit == "window" and int(window) < 1:
        raise ValueError(f"window must be at least 1, not {window!r}")


def comentions(
    mentions: pd.DataFrame,
    unit: Unit = "document",
    window: int = 3,
    *,
    articles: pd.DataFrame | None = None,
    min_count: int = 1,
    types: str | Iterable[str] | None = None,
    metonyms: Metonyms = "country",
    dedupe: bool = True,
) -> pd.DataFrame:
    """Return one row per unordered entity pair with co-mention counts and measures.

    A pair is counted once per unit that names both entities, however often each
    is named there. See the module docstring for the exact definition of each unit
    and of ``n_units`` (units with at least one kept mention).

    Parameters
    ----------
    mentions
        The mentions table (:data:`newslab.schema.MENTIONS`); ``doc_id``,
        ``entity_id`` and, for sentence and window units, ``sent_id`` are required.
    unit
        ``"document"``, ``"sentence"`` or ``"window"``.
    window
        Window length ``k`` in sentences, used when ``unit="window"``: two mentions
        co-occur when their ``sent_id`` differ by less than ``k``.
    articles
        The articles table; needed for ``dedupe``.
    min_count
        Keep pairs with ``n_pair >= min_count``.
    types
        Entity types to keep (e.g. ``{"PERSON", "COUNTRY"}``); ``None`` keeps all.
    metonyms
        How to treat metonym mentions ("Beijing" for China's government):
        ``"country"`` counts them as the country, ``"separate"`` as a node of their
        own whose id is the country's id plus ``"~gov"``, ``"drop"`` ignores them.
    dedupe
        When ``articles`` is given, count only the first article (in ``articles``
        row order) of each ``dup_group``, so that syndicated copies do not inflate
        counts. Ignored when ``articles`` is ``None``.

    Returns
    -------
    pandas.DataFrame
        :data:`newslab.schema.PAIRS` columns plus ``label_a`` and ``label_b``, with
        ``a < b``, sorted by ``n_pair`` (descending), then ``a`` and ``b``.

    Examples
    --------
    >>> m = pd.DataFrame({
    ...     "doc_id": ["d1", "d1", "d1", "d2", "d2"],
    ...     "sent_id": [0, 0, 3, 0, 1],
    ...     "entity_id": ["person:xi", "person:putin", "country:CHN", "person:xi", "country:CHN"],
    ...     "label": ["Xi", "Putin", "China", "Xi", "China"],
    ... })
    >>> comentions(m)[["a", "b", "n_pair", "n_a", "n_b", "n_units"]]
                  a             b  n_pair  n_a  n_b  n_units
    0   country:CHN     person:xi       2    2    2        2
    1   country:CHN  person:putin       1    2    1        2
    2  person:putin     person:xi       1    1    2        2
    >>> comentions(m, unit="sentence")[["a", "b", "n_pair", "n_units"]]
                  a          b  n_pair  n_units
    0  person:putin  person:xi       1        4
    """
    coded, counts = _coded_counts(
        mentions, unit, window, articles=articles, types=types, metonyms=metonyms, dedupe=dedupe
    )
    return _pairs_frame(coded, counts, min_count)


def _coded_counts(
    mentions: pd.DataFrame,
    unit: str,
    window: int,
    *,
    articles: pd.DataFrame | None,
    types: str | Iterable[str] | None,
    metonyms: Metonyms,
    dedupe: bool,
) -> tuple[_Coded, tuple]:
    """Check the unit, filter and code the mentions, and count units, entities and pairs.

    The counting shared by :func:`comentions` and the chunked pipeline
    (:func:`newslab.pipeline.comention_counts`), which sums these counts over chunks.
    """
    _check_unit(unit, window)
    kept = _filter(
        mentions,
        articles=articles,
        types=types,
        metonyms=metonyms,
        dedupe=dedupe,
        need_sent=unit != "document",
    )
    coded = _code(kept, metonyms)
    return coded, _count(coded.doc, coded.sent, coded.ent, len(coded.ids), unit, window)


# ---------------------------------------------------------------------------
# Matrix, graph, files
# ---------------------------------------------------------------------------


def _entity_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Return one row per entity in ``pairs``: id, label, unit count."""
    cols_a = {"a": "entity_id", "n_a": "n"}
    cols_b = {"b": "entity_id", "n_b": "n"}
    if "label_a" in pairs.columns:
        cols_a["label_a"] = "label"
        cols_b["label_b"] = "label"
    side_a = pairs[list(cols_a)].rename(columns=cols_a)
    side_b = pairs[list(cols_b)].rename(columns=cols_b)
    both = pd.concat([side_a, side_b], ignore_index=True)
    if "label" not in both.columns:
        both["label"] = both["entity_id"]
    both["label"] = both["label"].fillna(both["entity_id"])
    ents = both.drop_duplicates("entity_id").sort_values("entity_id", kind="stable")
    return ents.reset_index(drop=True)


def _unique_labels(ids: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Return labels, adding the id to any label that is not unique."""
    counts = pd.Series(list(labels)).value_counts()
    return [
        str(lab) if counts[lab] == 1 else f"{lab} ({eid})"
        for eid, lab in zip(ids, labels, strict=True)
    ]


def comention_matrix(
    pairs: pd.DataFrame, value: str = "n_pair", labels: bool = True
) -> pd.DataFrame:
    """Return a square, symmetric entity x entity table of one pair column.

    Parameters
    ----------
    pairs
        A pairs table from :func:`comentions`.
    value
        The column to spread, e.g. ``"n_pair"`` or ``"npmi"``.
    labels
        Index rows and columns by entity label (made unique by adding the id where
        two entities share a label) instead of by entity id.

    Returns
    -------
    pandas.DataFrame
        Entities sorted by id. Pairs absent from ``pairs`` are 0. The diagonal is
        the entity's own unit count (``n_a``) when ``value="n_pair"`` and 0 for
        every other column.

    Examples
    --------
    >>> p = pd.DataFrame({"a": ["x", "x"], "b": ["y", "z"], "n_pair": [2, 1],
    ...                   "n_a": [3, 3], "n_b": [2, 1]})
    >>> comention_matrix(p, labels=False)
       x  y  z
    x  3  2  1
    y  2  2  0
    z  1  0  1
    """
    ents = _entity_table(pairs)
    ids = ents["entity_id"].astype(str).tolist()
    pos = {e: i for i, e in enumerate(ids)}
    n = len(ids)
    ia = pairs["a"].astype(str).map(pos).to_numpy(dtype=np.int64)
    ib = pairs["b"].astype(str).map(pos).to_numpy(dtype=np.int64)
    vals = pd.to_numeric(pairs[value]).to_numpy()
    dtype = np.int64 if np.issubdtype(vals.dtype, np.integer) else float
    mat = np.zeros((n, n), dtype=dtype)
    mat[ia, ib] = vals
    mat[ib, ia] = vals
    if value == "n_pair":
        mat[np.arange(n), np.arange(n)] = ents["n"].to_numpy(dtype=np.int64)
    names = _unique_labels(ids, ents["label"].astype(str).tolist()) if labels else ids
    return pd.DataFrame(mat, index=pd.Index(names), columns=pd.Index(names))


def _py(value: Any) -> Any:
    """Return a plain Python scalar (GraphML/GEXF writers reject numpy ints and NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def comention_graph(
    pairs: pd.DataFrame, weight: str = "n_pair", mentions: pd.DataFrame | None = None
) -> nx.Graph:
    """Return an undirected networkx graph with one edge per pair.

    Parameters
    ----------
    pairs
        A pairs table from :func:`comentions`.
    weight
        Column copied to the edge attribute ``weight`` (what Gephi and networkx
        algorithms use).
    mentions
        The mentions table; when given, nodes get a ``mentions`` attribute (number
        of mention rows) and their ``type`` from it.

    Returns
    -------
    networkx.Graph
        Nodes are entity ids with attributes ``label``, ``type`` (from ``mentions``,
        else the id's prefix upper-cased) and ``n_units`` (units naming the entity).
        Edges carry ``weight`` and every count and measure column of ``pairs``.

    Examples
    --------
    >>> p = pd.DataFrame({"a": ["country:CHN"], "b": ["person:xi"], "n_pair": [2],
    ...                   "n_a": [2], "n_b": [3], "n_units": [4]})
    >>> g = comention_graph(association_measures(p))
    >>> g.nodes["person:xi"]["type"], g.edges["country:CHN", "person:xi"]["weight"]
    ('PERSON', 2)
    """
    import networkx as nx

    graph = nx.Graph()
    ents = _entity_table(pairs)
    counts: dict[str, int] = {}
    kinds: dict[str, str] = {}
    if mentions is not None:
        counts = mentions["entity_id"].astype(str).value_counts().to_dict()
        if "type" in mentions.columns:
            typed = mentions.dropna(subset=["entity_id", "type"]).drop_duplicates("entity_id")
            kinds = dict(
                zip(typed["entity_id"].astype(str), typed["type"].astype(str), strict=True)
            )
    for eid, label, n in zip(ents["entity_id"], ents["label"], ents["n"], strict=True):
        eid = str(eid)
        base = eid.removesuffix(GOV_SUFFIX)
        kind = kinds.get(base, base.split(":", 1)[0].upper() if ":" in base else "UNKNOWN")
        attrs: dict[str, Any] = {"label": str(label), "type": kind, "n_units": _py(n)}
        if mentions is not None:
            attrs["mentions"] = int(counts.get(eid, counts.get(base, 0)))
        graph.add_node(eid, **attrs)
    edge_cols = [c for c in pairs.columns if c not in ("a", "b", "label_a", "label_b")]
    records = pairs[["a", "b", *edge_cols]].to_dict("records")
    for row in records:
        attrs = {c: _py(row[c]) for c in edge_cols}
        attrs["weight"] = _py(row[weight])
        graph.add_edge(str(row["a"]), str(row["b"]), **attrs)
    return graph


def write_graph(graph: nx.Graph, path: str | Path) -> Path:
    """Return the path after writing ``graph`` as GEXF or GraphML, chosen by suffix.

    Parameters
    ----------
    graph
        A graph, e.g. from :func:`comention_graph`.
    path
        File name ending in ``.gexf`` or ``.graphml`` (both open in Gephi).

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = write_graph(nx.path_graph(3), pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
    >>> out.suffix, out.stat().st_size > 0
    ('.gexf', True)
    """
    import networkx as nx

    path = Path(path)
    clean = graph.copy()
    for _, attrs in clean.nodes(data=True):
        for key in [k for k, v in attrs.items() if v is None]:
            del attrs[key]
    for _, _, attrs in clean.edges(data=True):
        for key in [k for k, v in attrs.items() if v is None]:
            del attrs[key]
    suffix = path.suffix.lower()
    if suffix == ".gexf":
        nx.write_gexf(clean, path)
    elif suffix == ".graphml":
        nx.write_graphml(clean, path)
    else:
        raise ValueError(f"write_graph writes .gexf or .graphml files, not {path.name!r}")
    return path


# ---------------------------------------------------------------------------
# Time slices
# ---------------------------------------------------------------------------


def comentions_over_time(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    freq: str = "W",
    unit: Unit = "document",
    window: int = 3,
    *,
    min_count: int = 1,
    types: str | Iterable[str] | None = None,
    metonyms: Metonyms = "country",
    dedupe: bool = True,
) -> pd.DataFrame:
    """Return co-mention pairs counted separately within each period.

    Each article falls in the period of its ``published`` date; articles without a
    date (NaT) are left out. Counts, ``n_units`` and the measures are computed
    within the period, exactly as :func:`comentions` would on that period's
    articles. Duplicates are removed across the whole corpus first, so a copy
    syndicated a week later does not count in that later week either.

    Parameters
    ----------
    mentions
        The mentions table.
    articles
        The articles table; ``doc_id`` and ``published`` are used.
    freq
        A pandas period alias: ``"D"``, ``"W"`` (weeks starting Monday), ``"M"``,
        ``"Q"`` or ``"Y"``.
    unit, window, min_count, types, metonyms, dedupe
        As in :func:`comentions`.

    Returns
    -------
    pandas.DataFrame
        A ``period`` column (start of the period, datetime64) followed by the
        columns of :func:`comentions`; sorted by period, then as in
        :func:`comentions`.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["d1", "d1", "d2", "d2"], "sent_id": [0, 0, 0, 0],
    ...                   "entity_id": ["x", "y", "x", "z"]})
    >>> a = pd.DataFrame({"doc_id": ["d1", "d2"],
    ...                   "published": pd.to_datetime(["2023-03-20", "2023-03-29"])})
    >>> comentions_over_time(m, a)[["period", "a", "b", "n_pair", "n_units"]]
          period  a  b  n_pair  n_units
    0 2023-03-20  x  y       1        1
    1 2023-03-27  x  z       1        1
    """
    _check_unit(unit, window)
    kept = _filter(
        mentions,
        articles=articles,
        types=types,
        metonyms=metonyms,
        dedupe=dedupe,
        need_sent=unit != "document",
    )
    published = pd.to_datetime(articles.drop_duplicates("doc_id").set_index("doc_id")["published"])
    period_of_doc = published.dt.to_period(freq).dt.start_time
    if period_of_doc.empty or kept.empty:
        return schema.empty({"period": "datetime64[ns]", **schema.PAIRS, **_LABEL_COLUMNS})
    periods = kept["doc_id"].map(period_of_doc)
    dated = periods.notna().to_numpy()
    kept, periods = kept.loc[dated], periods[dated]
    coded = _code(kept, metonyms)
    period_codes, period_values = pd.factorize(periods, sort=True)
    frames = []
    if len(period_codes):
        # Sort rows by period once, then cut contiguous slices.
        order = np.argsort(period_codes, kind="stable")
        bounds = np.searchsorted(period_codes[order], np.arange(len(period_values) + 1))
        for i, start in enumerate(period_values):
            rows = order[bounds[i] : bounds[i + 1]]
            counts = _count(
                coded.doc[rows], coded.sent[rows], coded.ent[rows], len(coded.ids), unit, window
            )
            frame = _pairs_frame(coded, counts, min_count)
            frame.insert(0, "period", pd.Timestamp(start))
            frames.append(frame)
    if not frames:
        return schema.empty({"period": "datetime64[ns]", **schema.PAIRS, **_LABEL_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["period"] = out["period"].astype("datetime64[ns]")
    return out


def top_pairs_over_time(
    pairs_over_time: pd.DataFrame, n: int = 10, by: str = "n_pair"
) -> pd.DataFrame:
    """Return the ``n`` strongest pairs of every period, ranked by one column.

    Parameters
    ----------
    pairs_over_time
        Output of :func:`comentions_over_time`.
    n
        Pairs to keep per period.
    by
        Column to rank by (descending); ties go to the larger ``n_pair``, then to
        the alphabetically first pair.

    Returns
    -------
    pandas.DataFrame
        The same columns plus ``rank`` (1 = strongest) after ``period``, sorted by
        period and rank.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2023-03-20"] * 3),
    ...                   "a": ["x", "x", "y"], "b": ["y", "z", "z"], "n_pair": [1, 5, 3]})
    >>> top_pairs_over_time(t, n=2)[["period", "rank", "a", "b", "n_pair"]]
          period  rank  a  b  n_pair
    0 2023-03-20     1  x  z       5
    1 2023-03-20     2  y  z       3
    """
    keys = ["period", by] + (["n_pair"] if by != "n_pair" else []) + ["a", "b"]
    asc = [True, False] + ([False] if by != "n_pair" else []) + [True, True]
    ordered = pairs_over_time.sort_values(keys, ascending=asc, kind="stable", na_position="last")
    ranks = ordered.groupby("period", sort=False).cumcount() + 1
    ordered = ordered.assign(rank=ranks.astype(np.int64))
    top = ordered.loc[ordered["rank"] <= n]
    cols = ["period", "rank"] + [c for c in top.columns if c not in ("period", "rank")]
    return top[cols].reset_index(drop=True)


# ---------------------------------------------------------------------------
# Evidence: the sentences behind a pair
# ---------------------------------------------------------------------------


def _resolve(mentions: pd.DataFrame, name: str) -> tuple[pd.Series, str]:
    """Return a mask of the mentions meaning ``name`` (an id or a label) and its label."""
    ids = mentions["entity_id"].astype(str)
    met = (
        mentions["metonym"].fillna(False).astype(bool)
        if "metonym" in mentions.columns
        else pd.Series(False, index=mentions.index)
    )
    if name.endswith(GOV_SUFFIX) and (ids == name.removesuffix(GOV_SUFFIX)).any():
        mask = (ids == name.removesuffix(GOV_SUFFIX)) & met
    elif (ids == name).any():
        mask = ids == name
    elif "label" in mentions.columns:
        mask = mentions["label"].astype(str).str.casefold() == name.casefold()
    else:
        mask = pd.Series(False, index=mentions.index)
    mask = mask.fillna(False).astype(bool)
    label = name
    if mask.any() and "label" in mentions.columns:
        first = mentions.loc[mask, "label"].dropna()
        if len(first):
            label = str(first.iloc[0])
    return mask, label


class Evidence(pd.DataFrame):
    """The sentences behind a co-mention pair, one row per sentence.

    A :class:`pandas.DataFrame` with columns ``doc_id``, ``sent_id``, ``title``,
    ``published``, ``outlet``, ``sentence`` and ``marks`` (tuples of
    ``(start, end, side)`` character spans in ``sentence``, ``side`` being ``"a"`` or
    ``"b"``). In JupyterLab it displays the sentences with both entities
    highlighted; all text is HTML-escaped.
    """

    _metadata = ["pair_labels"]

    @property
    def _constructor(self) -> type[Evidence]:
        return Evidence

    def _repr_html_(self) -> str:  # type: ignore[override]
        labels = getattr(self, "pair_labels", None) or ("a", "b")
        head = (
            f"<p><b>{html.escape(str(labels[0]))}</b> &amp; "
            f"<b>{html.escape(str(labels[1]))}</b>: {len(self)} sentence(s)</p>"
        )
        rows = []
        limit = 200
        for rec in self.head(limit).to_dict("records"):
            published = rec.get("published")
            when = "" if published is None or pd.isna(published) else str(published)[:10]
            rows.append(
                "<tr>"
                f"<td>{html.escape(when)}</td>"
                f"<td>{html.escape(_text(rec.get('outlet')))}</td>"
                f"<td>{html.escape(_text(rec.get('title')))}</td>"
                f"<td>{_highlight(_text(rec.get('sentence')), rec.get('marks') or ())}</td>"
                "</tr>"
            )
        more = f"<p>… {len(self) - limit} more</p>" if len(self) > limit else ""
        table = (
            "<table><thead><tr><th>published</th><th>outlet</th><th>title</th>"
            "<th>sentence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
        return head + table + more


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _highlight(sentence: str, marks: Iterable[tuple[int, int, str]]) -> str:
    """Return escaped ``sentence`` with each non-overlapping mark wrapped in ``<mark>``."""
    parts = []
    pos = 0
    for start, end, side in sorted(marks):
        if start < pos or end <= start or end > len(sentence):
            continue
        parts.append(html.escape(sentence[pos:start]))
        parts.append(
            f'<mark class="nl-{html.escape(side)}">{html.escape(sentence[start:end])}</mark>'
        )
        pos = end
    parts.append(html.escape(sentence[pos:]))
    return "".join(parts)


def _marks_for(sentence: str, offset: int, spans: pd.DataFrame) -> tuple[tuple[int, int, str], ...]:
    """Return sentence-relative spans, falling back to searching the surface text."""
    out = []
    for start, end, surface, side in spans.itertuples(index=False, name=None):
        rel_s, rel_e = int(start) - offset, int(end) - offset
        surface = _text(surface)
        if 0 <= rel_s < rel_e <= len(sentence) and (
            not surface or sentence[rel_s:rel_e] == surface
        ):
            out.append((rel_s, rel_e, side))
        elif surface:
            for hit in re.finditer(re.escape(surface), sentence):
                out.append((hit.start(), hit.end(), side))
    return tuple(sorted(set(out)))


def evidence(
    mentions: pd.DataFrame,
    a: str,
    b: str,
    *,
    sentences: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    unit: Unit = "sentence",
    window: int = 3,
) -> Evidence:
    """Return the sentences in which two entities are mentioned together.

    Parameters
    ----------
    mentions
        The mentions table.
    a, b
        Entity ids (``"person:xi_jinping"``, ``"country:CHN~gov"`` for the metonym
        node) or labels (``"Xi Jinping"``, case-insensitive).
    sentences
        The sentences table; supplies the sentence text.
    articles
        The articles table; supplies title, published date and outlet.
    unit
        ``"sentence"``: sentences naming both. ``"window"``: sentences naming one
        of them with the other named less than ``window`` sentences away.
        ``"document"``: every sentence naming either, in articles naming both.
    window
        Window length for ``unit="window"``.

    Returns
    -------
    Evidence
        One row per sentence, sorted by published date, doc_id and sent_id.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": [0, 0], "start": [0, 7],
    ...                   "end": [2, 12], "surface": ["Xi", "Putin"],
    ...                   "entity_id": ["person:xi", "person:putin"], "label": ["Xi", "Putin"]})
    >>> s = pd.DataFrame({"doc_id": ["d1"], "sent_id": [0], "start": [0], "end": [18],
    ...                   "text": ["Xi met Putin <b>."]})
    >>> ev = evidence(m, "Xi", "person:putin", sentences=s)
    >>> ev["sentence"].tolist()
    ['Xi met Putin <b>.']
    >>> "<mark class=\\"nl-b\\">Putin</mark> &lt;b&gt;" in ev._repr_html_()
    True
    """
    _check_unit(unit, window)
    mask_a, label_a = _resolve(mentions, a)
    mask_b, label_b = _resolve(mentions, b)
    cols = ["doc_id", "sent_id"]
    sa = mentions.loc[mask_a, cols].drop_duplicates()
    sb = mentions.loc[mask_b, cols].drop_duplicates()
    k = {"sentence": 1, "window": int(window)}.get(unit)
    if k is None:  # document
        docs = set(sa["doc_id"]) & set(sb["doc_id"])
        chosen = pd.concat([sa, sb]).drop_duplicates()
        chosen = chosen.loc[chosen["doc_id"].isin(docs)]
    else:
        near = sa.merge(sb, on="doc_id", suffixes=("_a", "_b"))
        near = near.loc[(near["sent_id_a"] - near["sent_id_b"]).abs() < k]
        chosen = pd.concat(
            [
                near[["doc_id", "sent_id_a"]].rename(columns={"sent_id_a": "sent_id"}),
                near[["doc_id", "sent_id_b"]].rename(columns={"sent_id_b": "sent_id"}),
            ]
        ).drop_duplicates()
    chosen = chosen.astype({"doc_id": "string", "sent_id": "int64"})
    sents = sentences[["doc_id", "sent_id", "start", "text"]].astype(
        {"doc_id": "string", "sent_id": "int64"}
    )
    rows = chosen.merge(sents, on=["doc_id", "sent_id"], how="left")
    meta_cols = ["title", "published", "outlet"]
    if articles is not None:
        meta = articles[["doc_id", *[c for c in meta_cols if c in articles.columns]]]
        meta = meta.drop_duplicates("doc_id").astype({"doc_id": "string"})
        rows = rows.merge(meta, on="doc_id", how="left")
    for c in meta_cols:
        if c not in rows.columns:
            rows[c] = pd.NaT if c == "published" else pd.NA
    rows = rows.sort_values(["published", "doc_id", "sent_id"], kind="stable", na_position="last")
    span_cols = ["doc_id", "sent_id", "start", "end", "surface"]
    have = [c for c in span_cols if c in mentions.columns]
    spans = pd.concat(
        [
            mentions.loc[mask_a, have].assign(side="a"),
            mentions.loc[mask_b, have].assign(side="b"),
        ]
    )
    for c in ("start", "end"):
        if c not in spans.columns:
            spans[c] = -1
    if "surface" not in spans.columns:
        spans["surface"] = pd.NA
    spans = spans.astype({"doc_id": "string", "sent_id": "int64"})
    by_sentence = dict(tuple(spans.groupby(["doc_id", "sent_id"], sort=False)))
    marks = []
    for doc_id, sent_id, start, text in rows[["doc_id", "sent_id", "start", "text"]].itertuples(
        index=False, name=None
    ):
        group = by_sentence.get((doc_id, sent_id))
        if group is None or pd.isna(start) or not isinstance(text, str):
            marks.append(())
            continue
        marks.append(_marks_for(text, int(start), group[["start", "end", "surface", "side"]]))
    out = Evidence(
        {
            "doc_id": rows["doc_id"].astype("string").to_numpy(),
            "sent_id": rows["sent_id"].astype("int64").to_numpy(),
            "title": rows["title"].astype("string").to_numpy(),
            "published": pd.to_datetime(rows["published"]).astype("datetime64[ns]").to_numpy(),
            "outlet": rows["outlet"].astype("string").to_numpy(),
            "sentence": rows["text"].astype("string").to_numpy(),
            "marks": pd.Series(marks, dtype=object).to_numpy(),
        }
    )
    out = Evidence(
        out.astype(
            {"doc_id": "string", "title": "string", "outlet": "string", "sentence": "string"}
        )
    )
    out.pair_labels = (label_a, label_b)
    return out
