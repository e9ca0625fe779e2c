"""The whole analysis, chunk by chunk: entities -> co-mention counts -> mention volumes.

For corpora that do not fit in memory at once. :func:`run_pipeline` reads an ingested dataset
(:func:`newslab.ingest`) part by part -- or any iterable of article tables -- and sends each
chunk to a pool of local processes, which extract entities (and, optionally, temporal
expressions) and reduce them to *additive partial counts*:

* co-mentions: ``n_pair`` per entity pair, the number of units naming each entity, and the
  number of units (:func:`comention_counts`);
* volumes: mentions and documents per (period, entity), label counts per entity, and dated
  articles per period (:func:`volume_counts`).

Because every document lies in exactly one chunk, these counts add up across chunks. Summed
partials are turned into the final tables once, at the end (:func:`finish_comentions`, which
computes the association measures with :func:`newslab.comentions.association_measures`, and
:func:`finish_volume`), so the result equals what :func:`newslab.count_comentions` and
:func:`newslab.timelines.mention_volume` return on the whole corpus at once.

Syndicated copies: with ``dedupe=True`` only the first article of each corpus-wide
``dup_group`` (in corpus order) takes part in co-mention counting, as in the one-shot verb;
the first-seen groups are tracked across chunks.

``newslab.dask`` uses the same partial and finishing functions per Dask partition.
"""

from __future__ import annotations

import html
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from newslab import schema

__all__ = [
    "COUNTS",
    "VOLUME_COUNTS",
    "PipelineOptions",
    "PipelineResult",
    "run_pipeline",
    "process_chunk",
    "comention_counts",
    "volume_counts",
    "combine_counts",
    "combine_volume_counts",
    "finish_comentions",
    "finish_volume",
    "copy_flags",
]

#: Partial co-mention counts (additive): ``kind`` is ``pair`` (``a``, ``b``, ``n`` = units
#: naming both), ``entity`` (``a``, ``n`` = units naming it, ``first`` = chunk number and label
#: of its first mention) or ``units`` (``n`` = units with at least one kept mention).
COUNTS: dict[str, str] = {
    "kind": "string",
    "a": "string",
    "b": "string",
    "n": "int64",
    "first": "string",
}

#: Partial mention-volume counts (additive): ``kind`` is ``volume`` (``period``,
#: ``entity_id``, ``mentions``, ``documents``), ``label`` (``entity_id``, ``label``,
#: ``mentions`` = how often it carries that label), ``articles`` (``period``, ``documents`` =
#: dated articles) or ``undated`` (``documents`` = articles without a date).
VOLUME_COUNTS: dict[str, str] = {
    "kind": "string",
    "period": "datetime64[ns]",
    "entity_id": "string",
    "label": "string",
    "mentions": "int64",
    "documents": "int64",
}

_NO_PERIOD = pd.Timestamp("1970-01-01")
_ORDER_WIDTH = 12  # digits of the chunk number that prefixes ``first``
_PAIR_LABELS = {"label_a": "string", "label_b": "string"}


# ---------------------------------------------------------------------------
# Options and results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineOptions:
    """Settings of every stage, passed to each worker process.

    Parameters
    ----------
    unit, window, types, metonyms, dedupe, min_count
        As for :func:`newslab.count_comentions` (``types`` also filters the volumes).
    freq, normalize, top
        As for :func:`newslab.timelines.mention_volume`.
    discover
        As for :func:`newslab.extract_entities`.
    with_timexes
        Also tag temporal expressions (:func:`newslab.timexes`).
    """

    unit: str = "document"
    window: int = 3
    types: tuple[str, ...] | None = None
    metonyms: str = "country"
    dedupe: bool = True
    min_count: int = 1
    freq: str = "D"
    normalize: bool = False
    top: int | None = None
    discover: bool | str = True
    with_timexes: bool = False


@dataclass
class PipelineResult:
    """What :func:`run_pipeline` returns: the final tables and what went in.

    Attributes
    ----------
    pairs
        :data:`newslab.schema.PAIRS` plus ``label_a``/``label_b`` (as ``count_comentions``).
    volume
        :data:`newslab.schema.VOLUME` (as ``mention_volume``).
    timexes
        The temporal expressions (as :func:`newslab.timexes`), or None when not asked for.
    n_articles, n_words, n_mentions, n_chunks
        Articles, words and entity mentions processed, and the number of chunks.
    mentions_dir
        Where the per-chunk mention tables were written, if anywhere.
    """

    pairs: pd.DataFrame
    volume: pd.DataFrame
    timexes: pd.DataFrame | None = None
    n_articles: int = 0
    n_words: int = 0
    n_mentions: int = 0
    n_chunks: int = 0
    mentions_dir: Path | None = None
    options: PipelineOptions = field(default_factory=PipelineOptions)

    def __repr__(self) -> str:
        return (
            f"PipelineResult({self.n_articles:,} articles in {self.n_chunks} chunks, "
            f"{self.n_mentions:,} mentions, {len(self.pairs):,} pairs, "
            f"{len(self.volume):,} volume rows"
            + ("" if self.timexes is None else f", {len(self.timexes):,} timexes")
            + ")"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("articles", f"{self.n_articles:,}"),
            ("words", f"{self.n_words:,}"),
            ("chunks", f"{self.n_chunks:,}"),
            ("entity mentions", f"{self.n_mentions:,}"),
            ("entity pairs", f"{len(self.pairs):,}"),
            ("volume rows", f"{len(self.volume):,}"),
        ]
        if self.timexes is not None:
            rows.append(("temporal expressions", f"{len(self.timexes):,}"))
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        top = self.pairs.head(5)[["a", "b", "n_pair", "npmi"]].to_html(index=False, escape=True)
        return f"<div><b>newslab pipeline result</b><table>{body}</table>{top}</div>"


# ---------------------------------------------------------------------------
# Partial counts of one chunk
# ---------------------------------------------------------------------------


def copy_flags(dup_group: pd.Series, seen: set[int] | None = None) -> np.ndarray:
    """Return True for articles that are later copies in their ``dup_group``.

    Parameters
    ----------
    dup_group
        The chunk's ``dup_group`` column, in corpus order.
    seen
        Groups whose first article came in an earlier chunk; updated in place.

    Returns
    -------
    numpy.ndarray
        Booleans, one per row.

    Examples
    --------
    >>> seen = set()
    >>> copy_flags(pd.Series([1, None, 1, 2], dtype="Int64"), seen).tolist()
    [False, False, True, False]
    >>> copy_flags(pd.Series([2, 3], dtype="Int64"), seen).tolist()
    [True, False]
    """
    seen = set() if seen is None else seen
    groups = pd.array(dup_group, dtype="Int64")
    present = ~pd.isna(groups)
    flags = np.zeros(len(groups), dtype=bool)
    for i in np.flatnonzero(present):
        g = int(groups[i])
        if g in seen:
            flags[i] = True
        else:
            seen.add(g)
    return flags


def comention_counts(
    mentions: pd.DataFrame,
    chunk: int = 0,
    *,
    unit: str = "document",
    window: int = 3,
    types: Iterable[str] | None = None,
    metonyms: str = "country",
    copies: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Return the additive co-mention counts of one chunk of mentions (:data:`COUNTS`).

    Each document's mentions must all be in this chunk.

    Parameters
    ----------
    mentions
        :data:`newslab.schema.MENTIONS` rows of the chunk.
    chunk
        The chunk's position in corpus order (decides which label an entity keeps).
    unit, window, types, metonyms
        As for :func:`newslab.count_comentions`.
    copies
        doc_ids whose mentions are left out (later copies of syndicated articles).

    Returns
    -------
    pandas.DataFrame
        :data:`COUNTS` rows; sum them over chunks with :func:`combine_counts`.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sent_id": [0, 1, 0],
    ...     "entity_id": ["x", "y", "x"], "label": ["X", "Y", "X"]})
    >>> comention_counts(m)[["kind", "a", "b", "n"]].values.tolist()
    [['units', '', '', 2], ['entity', 'x', '', 2], ['entity', 'y', '', 1], ['pair', 'x', 'y', 1]]
    """
    from newslab import comentions as cm

    if copies is not None:
        copies = list(copies)
        if copies:
            mentions = mentions[~mentions["doc_id"].isin(copies).fillna(False).to_numpy(bool)]
    coded, (n_units, per_entity, a, b, n_pair) = cm._coded_counts(
        mentions, unit, window, articles=None, types=types, metonyms=metonyms, dedupe=False
    )
    ids = np.asarray(coded.ids, dtype=object)
    prefix = f"{chunk:0{_ORDER_WIDTH}d}"
    firsts = [prefix + ("\x1f" + lab if lab is not None else "\x1e") for lab in coded.labels]
    n_ent = len(ids)
    out = pd.DataFrame(
        {
            "kind": ["units"] + ["entity"] * n_ent + ["pair"] * len(a),
            "a": [""] + list(ids) + list(ids[a]),
            "b": [""] * (1 + n_ent) + list(ids[b]),
            "n": np.concatenate([[n_units], per_entity, np.asarray(n_pair)]).astype(np.int64),
            "first": [""] + firsts + [""] * len(a),
        }
    )
    return out.astype(COUNTS)


def volume_counts(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: str = "D",
    types: Iterable[str] | None = None,
    entities: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Return the additive mention-volume counts of one chunk (:data:`VOLUME_COUNTS`).

    Parameters
    ----------
    mentions
        :data:`newslab.schema.MENTIONS` rows of the chunk.
    articles
        The chunk's articles (``doc_id``, ``published``).
    freq, types, entities
        As for :func:`newslab.timelines.mention_volume`.

    Returns
    -------
    pandas.DataFrame
        :data:`VOLUME_COUNTS` rows; sum them with :func:`combine_volume_counts`.
    """
    from newslab.timelines import mention_volume, period_start

    dates = articles[["doc_id", "published"]].drop_duplicates("doc_id")
    undated = int(dates["published"].isna().sum())
    dates = dates[dates["published"].notna()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vol = mention_volume(
            mentions,
            articles[["doc_id", "published"]],
            freq=freq,
            types=list(types) if types is not None else None,
            entities=list(entities) if entities is not None else None,
        )
    m = mentions[mentions["entity_id"].notna()]
    if types is not None:
        m = m[m["type"].isin(list(types)).fillna(False).to_numpy(bool)]
    if entities is not None:
        m = m[m["entity_id"].isin(list(entities)).to_numpy(bool)]
    m = m[m["doc_id"].isin(dates["doc_id"]).to_numpy(bool) & m["label"].notna().to_numpy(bool)]
    labels = m.groupby(["entity_id", "label"], observed=True).size().reset_index(name="mentions")
    per = period_start(dates["published"], freq).value_counts().rename_axis("period")
    parts = [
        pd.DataFrame(
            {
                "kind": "volume",
                "period": vol["period"],
                "entity_id": vol["entity_id"],
                "label": "",
                "mentions": vol["mentions"],
                "documents": vol["documents"],
            }
        ),
        pd.DataFrame(
            {
                "kind": "label",
                "period": _NO_PERIOD,
                "entity_id": labels["entity_id"],
                "label": labels["label"],
                "mentions": labels["mentions"],
                "documents": 0,
            }
        ),
        pd.DataFrame(
            {
                "kind": "articles",
                "period": per.index,
                "entity_id": "",
                "label": "",
                "mentions": 0,
                "documents": per.to_numpy(),
            }
        ),
        pd.DataFrame(
            {
                "kind": ["undated"],
                "period": [_NO_PERIOD],
                "entity_id": [""],
                "label": [""],
                "mentions": [0],
                "documents": [undated],
            }
        ),
    ]
    parts = [p.astype(VOLUME_COUNTS) for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True)


def combine_counts(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Return co-mention partials summed: ``n`` added up, the earliest ``first`` kept.

    Examples
    --------
    >>> p = pd.DataFrame({"kind": ["pair"], "a": ["x"], "b": ["y"], "n": [2], "first": [""]})
    >>> combine_counts([p, p])["n"].tolist()
    [4]
    """
    frames = [p for p in parts if len(p)]
    if not frames:
        return schema.empty(COUNTS)
    both = pd.concat(frames, ignore_index=True)
    out = both.groupby(["kind", "a", "b"], sort=False, observed=True).agg(
        n=("n", "sum"), first=("first", "min")
    )
    return out.reset_index().astype(COUNTS)


def combine_volume_counts(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Return volume partials summed over chunks.

    Examples
    --------
    >>> p = pd.DataFrame({"kind": ["undated"], "period": [pd.Timestamp(0)], "entity_id": [""],
    ...     "label": [""], "mentions": [0], "documents": [3]})
    >>> combine_volume_counts([p, p])["documents"].tolist()
    [6]
    """
    frames = [p for p in parts if len(p)]
    if not frames:
        return schema.empty(VOLUME_COUNTS)
    both = pd.concat(frames, ignore_index=True)
    keys = ["kind", "period", "entity_id", "label"]
    out = both.groupby(keys, sort=False, observed=True)[["mentions", "documents"]].sum()
    return out.reset_index().astype(VOLUME_COUNTS)


# ---------------------------------------------------------------------------
# Final tables from summed partials
# ---------------------------------------------------------------------------


def finish_comentions(counts: pd.DataFrame, min_count: int = 1) -> pd.DataFrame:
    """Return the pairs table (as :func:`newslab.count_comentions`) from summed partial counts.

    Parameters
    ----------
    counts
        :data:`COUNTS` rows, summed or not (they are combined first).
    min_count
        Keep pairs with ``n_pair >= min_count``.

    Returns
    -------
    pandas.DataFrame
        :data:`newslab.schema.PAIRS` plus ``label_a``, ``label_b``; sorted by ``n_pair``
        (descending), then ``a`` and ``b``. Association measures are computed here, once.
    """
    from newslab.comentions import association_measures

    counts = combine_counts([counts])
    kind = counts["kind"].to_numpy(dtype=object)
    n_units = int(counts.loc[kind == "units", "n"].sum())
    ents = counts[kind == "entity"]
    n_of = dict(zip(ents["a"].tolist(), ents["n"].tolist(), strict=True))
    label_of = {
        e: (None if f[_ORDER_WIDTH] == "\x1e" else f[_ORDER_WIDTH + 1 :])
        for e, f in zip(ents["a"].tolist(), ents["first"].tolist(), strict=True)
    }
    pairs = counts[(kind == "pair") & (counts["n"] >= min_count).to_numpy(bool)]
    pairs = pairs.sort_values(["n", "a", "b"], ascending=[False, True, True], kind="stable")
    a, b = pairs["a"].tolist(), pairs["b"].tolist()
    out = pd.DataFrame(
        {
            "a": pd.array(a, dtype="string"),
            "b": pd.array(b, dtype="string"),
            "n_pair": pairs["n"].to_numpy(dtype=np.int64),
            "n_a": np.array([n_of[x] for x in a], dtype=np.int64),
            "n_b": np.array([n_of[x] for x in b], dtype=np.int64),
            "n_units": np.full(len(a), n_units, dtype=np.int64),
        }
    )
    out = association_measures(out)
    out["label_a"] = pd.array([label_of[x] for x in a], dtype="string")
    out["label_b"] = pd.array([label_of[x] for x in b], dtype="string")
    return schema.conform(out, {**schema.PAIRS, **_PAIR_LABELS})


def finish_volume(
    counts: pd.DataFrame, *, normalize: bool = False, top: int | None = None, warn: bool = True
) -> pd.DataFrame:
    """Return the volume table (as :func:`newslab.timelines.mention_volume`) from partials.

    Parameters
    ----------
    counts
        :data:`VOLUME_COUNTS` rows, summed or not.
    normalize, top
        As for :func:`newslab.timelines.mention_volume`.
    warn
        Warn once about articles without a publication date.

    Returns
    -------
    pandas.DataFrame
        :data:`newslab.schema.VOLUME` (plus ``n_articles``, ``share``, ``per_article`` when
        ``normalize``); ``attrs["undated_documents"]`` counts the undated articles.
    """
    counts = combine_volume_counts([counts])
    kind = counts["kind"].to_numpy(dtype=object)
    undated = int(counts.loc[kind == "undated", "documents"].sum())
    if undated and warn:
        warnings.warn(
            f"mention_volume: {undated} article(s) without a publication date left out",
            stacklevel=3,
        )
    from newslab.timelines import volume_columns, volume_table

    vol = counts[kind == "volume"][["period", "entity_id", "mentions", "documents"]]
    if vol.empty:
        out = schema.empty(volume_columns(normalize))
        out.attrs["undated_documents"] = undated
        return out
    if top is not None:
        totals = vol.groupby("entity_id")["mentions"].sum().sort_index()
        keep = totals.sort_values(ascending=False, kind="stable").index[:top]
        vol = vol[vol["entity_id"].isin(keep)]
    labels = counts[kind == "label"].sort_values(
        ["entity_id", "mentions", "label"], ascending=[True, False, True], kind="stable"
    )
    label_of = labels.drop_duplicates("entity_id").set_index("entity_id")["label"]
    out = vol.assign(label=vol["entity_id"].map(label_of))
    arts = counts[kind == "articles"].set_index("period")["documents"] if normalize else None
    return volume_table(out, arts, undated)


# ---------------------------------------------------------------------------
# One chunk, in a worker process
# ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _dataset_copies(dataset: str) -> frozenset[str]:
    """Later copies of each dup_group of a dataset (its first article is kept)."""
    dups = pd.read_parquet(Path(dataset) / "duplicates.parquet")
    later = dups["dup_group"].notna() & dups["dup_group"].duplicated(keep="first")
    return frozenset(dups.loc[later, "doc_id"].astype(str))


def _read_part(part: str, dataset: str) -> pd.DataFrame:
    from newslab.corpus.dataset import _conform_partial, _duplicates, _with_duplicates

    df = pd.read_parquet(part)
    return _conform_partial(_with_duplicates(df, _duplicates(Path(dataset))), None)


def _timexes_of(articles: pd.DataFrame) -> pd.DataFrame:
    from newslab.text import sentences
    from newslab.timex import timexes

    return timexes(sentences(articles[["doc_id", "text"]]), articles[["doc_id", "published"]])


def process_chunk(
    articles: pd.DataFrame,
    chunk: int,
    options: PipelineOptions,
    copies: Iterable[str] = (),
    mentions_dir: str | None = None,
) -> dict[str, Any]:
    """Return the partial results of one chunk of articles (run in a worker process).

    Parameters
    ----------
    articles
        :data:`newslab.schema.ARTICLES` rows of the chunk.
    chunk
        The chunk's position in corpus order.
    options
        The stages' settings.
    copies
        doc_ids of later syndicated copies, left out of co-mention counts when
        ``options.dedupe``.
    mentions_dir
        When given, the chunk's mentions are written there as ``part-<chunk>.parquet``.

    Returns
    -------
    dict
        ``counts`` (:data:`COUNTS`), ``volume`` (:data:`VOLUME_COUNTS`), ``timexes`` (or
        None), and the chunk's ``n_articles``, ``n_words`` and ``n_mentions``.
    """
    from newslab.entities import extract_entities

    # the whole rows: entity resolution may read more than the text (e.g. the date)
    mentions = extract_entities(articles, discover=options.discover)
    if mentions_dir is not None:
        mentions.to_parquet(Path(mentions_dir) / f"part-{chunk:05d}.parquet", index=False)
    counts = comention_counts(
        mentions,
        chunk,
        unit=options.unit,
        window=options.window,
        types=options.types,
        metonyms=options.metonyms,
        copies=copies if options.dedupe else None,
    )
    volume = volume_counts(mentions, articles, freq=options.freq, types=options.types)
    tx = _timexes_of(articles) if options.with_timexes else None
    words = articles["n_words"] if "n_words" in articles.columns else pd.Series([], dtype=int)
    return {
        "chunk": chunk,
        "counts": counts,
        "volume": volume,
        "timexes": tx,
        "n_articles": len(articles),
        "n_words": int(words.fillna(0).sum()),
        "n_mentions": len(mentions),
    }


def _process_part(
    part: str, dataset: str, chunk: int, options: PipelineOptions, mentions_dir: str | None
) -> dict[str, Any]:
    articles = _read_part(part, dataset)
    copies = _dataset_copies(dataset) if options.dedupe else frozenset()
    mine = articles["doc_id"].astype(str)
    copies_here = mine[mine.isin(copies)].tolist() if copies else []
    return process_chunk(articles, chunk, options, copies_here, mentions_dir)


# ---------------------------------------------------------------------------
# Driving the chunks
# ---------------------------------------------------------------------------


def _is_dataset(source: Any) -> bool:
    return isinstance(source, str | os.PathLike) and (Path(source) / "dataset.json").is_file()


def _rechunk(frames: Iterable[pd.DataFrame], size: int) -> Iterator[pd.DataFrame]:
    buf: list[pd.DataFrame] = []
    have = 0
    for df in frames:
        while len(df):
            take = df.iloc[: size - have]
            df = df.iloc[size - have :]
            buf.append(take)
            have += len(take)
            if have == size:
                yield pd.concat(buf, ignore_index=True)
                buf, have = [], 0
    if have:
        yield pd.concat(buf, ignore_index=True)


def _tasks(
    source: Any, chunk_size: int | None, options: PipelineOptions, mentions_dir: str | None
) -> tuple[Iterator[tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]], int | None]:
    """Return (function, args) per chunk, in corpus order, and the number of chunks if known."""
    if _is_dataset(source):
        from newslab.corpus.dataset import dataset_parts, iter_dataset

        if chunk_size is None:
            parts = [str(p) for p in dataset_parts(source)]
            ds = str(Path(source).resolve())
            tasks = (
                (_process_part, (part, ds, i, options, mentions_dir))
                for i, part in enumerate(parts)
            )
            return tasks, len(parts)
        frames: Iterable[pd.DataFrame] = iter_dataset(source)
    elif isinstance(source, pd.DataFrame):
        frames = [source]
        if chunk_size is None:
            chunk_size = 10_000
    elif isinstance(source, str | os.PathLike):
        raise ValueError(
            f"{source} is not a newslab dataset (no dataset.json): ingest it first with "
            "newslab.ingest(source, out_dir), so that duplicates are flagged corpus-wide"
        )
    else:
        frames = source
    if chunk_size is not None:
        frames = _rechunk(frames, int(chunk_size))
    seen: set[int] = set()

    def gen() -> Iterator[tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]]:
        for i, df in enumerate(frames):
            copies: list[str] = []
            if options.dedupe and "dup_group" in df.columns:
                flags = copy_flags(df["dup_group"], seen)
                copies = df.loc[flags, "doc_id"].astype(str).tolist()
            yield process_chunk, (df, i, options, copies, mentions_dir)

    total = None
    if isinstance(source, pd.DataFrame) and chunk_size:
        total = -(-len(source) // int(chunk_size))
    return gen(), total


class _Accumulator:
    """Sums partial results as they arrive, in bounded memory."""

    def __init__(self, every: int = 16) -> None:
        self.every = every
        self.counts: list[pd.DataFrame] = []
        self.volume: list[pd.DataFrame] = []
        self.timexes: dict[int, pd.DataFrame] = {}
        self.n_articles = self.n_words = self.n_mentions = self.n_chunks = 0

    def add(self, res: dict[str, Any]) -> None:
        self.counts.append(res["counts"])
        self.volume.append(res["volume"])
        if res["timexes"] is not None:
            self.timexes[res["chunk"]] = res["timexes"]
        self.n_articles += res["n_articles"]
        self.n_words += res["n_words"]
        self.n_mentions += res["n_mentions"]
        self.n_chunks += 1
        if len(self.counts) >= self.every:
            self.counts = [combine_counts(self.counts)]
            self.volume = [combine_volume_counts(self.volume)]

    def joined_timexes(self) -> pd.DataFrame | None:
        if not self.timexes:
            return None
        frames = []
        offset = 0
        for i in sorted(self.timexes):
            tx = self.timexes[i].copy()
            if len(tx) and tx["range_id"].notna().any():
                tx["range_id"] = tx["range_id"] + offset
                offset = int(tx["range_id"].max()) + 1
            frames.append(tx)
        return pd.concat(frames, ignore_index=True)


def _drain(
    pool: Executor,
    tasks: Iterable[tuple[Callable[..., dict[str, Any]], tuple[Any, ...]]],
    limit: int,
    acc: _Accumulator,
    bar: Any,
) -> None:
    """Submit ``tasks`` to ``pool`` with at most ``limit`` in flight, summing results as they
    come back (bounded memory: the partial results of ``limit`` chunks at most)."""
    pending: set[Future[dict[str, Any]]] = set()
    for fn, args in tasks:
        if len(pending) >= limit:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                acc.add(fut.result())
                bar.update(1)
        pending.add(pool.submit(fn, *args))
    for fut in pending:
        acc.add(fut.result())
        bar.update(1)


def run_pipeline(
    source: Any,
    *,
    workers: int = 1,
    chunk_size: int | None = None,
    max_in_flight: int | None = None,
    progress: bool | None = None,
    mentions_dir: str | os.PathLike[str] | None = None,
    unit: str = "document",
    window: int = 3,
    types: Iterable[str] | None = None,
    metonyms: str = "country",
    dedupe: bool = True,
    min_count: int = 1,
    freq: str = "D",
    normalize: bool = False,
    top: int | None = None,
    discover: bool | str = True,
    with_timexes: bool = False,
    executor: Executor | None = None,
) -> PipelineResult:
    """Return co-mention pairs and mention volumes of a large corpus, computed chunk by chunk.

    Each chunk goes through entities -> partial co-mention counts -> partial volumes (and
    temporal expressions) in a worker process; partial counts are summed as they come back,
    and the association measures and volume labels are computed once at the end, so the
    result equals the one-shot pandas verbs on the whole corpus.

    Parameters
    ----------
    source
        A dataset folder written by :func:`newslab.ingest` (read part by part, each worker
        reading its own part), an articles DataFrame (cut into ``chunk_size`` rows), or any
        iterable of articles DataFrames in corpus order (e.g. :func:`newslab.iter_dataset`).
        ``dup_group`` must be corpus-wide (as ``ingest`` and ``load_corpus`` make it).
    workers
        Worker processes; 1 runs everything in this process.
    chunk_size
        Articles per chunk; None keeps a dataset's parts (10,000 for a DataFrame).
    max_in_flight
        Chunks submitted but not yet summed (default ``2 * workers``): bounds memory.
    progress
        Show a tqdm progress bar over chunks (None: only when there is more than one chunk).
    mentions_dir
        Write each chunk's mentions to this folder as Parquet (nothing is kept in memory).
    unit, window, types, metonyms, dedupe, min_count
        As for :func:`newslab.count_comentions` (``types`` also filters the volumes).
    freq, normalize, top
        As for :func:`newslab.timelines.mention_volume`.
    discover
        As for :func:`newslab.extract_entities` (``"rules"`` is much faster than ``True``).
    with_timexes
        Also return the temporal expressions of every article (kept in memory).
    executor
        Run the chunks on this :class:`concurrent.futures.Executor` instead of a pool of
        ``workers`` local processes (``workers`` then only sets the default
        ``max_in_flight``). :func:`newslab.dask.run_pipeline` passes a Dask cluster's
        executor this way; the workers must be able to read a dataset's folder.

    Returns
    -------
    PipelineResult
        ``pairs``, ``volume``, ``timexes`` and counts of what was processed.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "n_words": [4, 3],
    ...     "published": pd.to_datetime(["2023-03-01", "2023-03-02"]),
    ...     "text": ["Emmanuel Macron met Olaf Scholz.", "Macron went to Berlin."]})
    >>> res = run_pipeline(arts, chunk_size=1, discover=False, progress=False)
    >>> res.n_chunks, res.pairs[["a", "b", "n_pair"]].values.tolist()[:1]
    (2, [['country:DEU', 'person:emmanuel_macron', 1]])
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    options = PipelineOptions(
        unit=unit,
        window=int(window),
        types=tuple(types) if types is not None else None,
        metonyms=metonyms,
        dedupe=dedupe,
        min_count=int(min_count),
        freq=freq,
        normalize=normalize,
        top=top,
        discover=discover,
        with_timexes=with_timexes,
    )
    from newslab.comentions import _check_unit
    from newslab.timelines import FREQS

    _check_unit(unit, window)
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, not {freq!r}")
    mdir = None
    if mentions_dir is not None:
        Path(mentions_dir).mkdir(parents=True, exist_ok=True)
        mdir = str(Path(mentions_dir).resolve())
    tasks, total = _tasks(source, chunk_size, options, mdir)
    acc = _Accumulator()
    show = progress if progress is not None else (total is None or total > 1)
    bar = tqdm(total=total, disable=not show, desc="pipeline", unit="chunk")
    try:
        if workers == 1 and executor is None:
            for fn, args in tasks:
                acc.add(fn(*args))
                bar.update(1)
        elif executor is not None:
            _drain(executor, tasks, max_in_flight or 2 * workers, acc, bar)
        else:
            ctx = get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                _drain(pool, tasks, max_in_flight or 2 * workers, acc, bar)
    finally:
        bar.close()
    pairs = finish_comentions(combine_counts(acc.counts), min_count=options.min_count)
    volume = finish_volume(
        combine_volume_counts(acc.volume), normalize=options.normalize, top=options.top
    )
    return PipelineResult(
        pairs=pairs,
        volume=volume,
        timexes=acc.joined_timexes() if with_timexes else None,
        n_articles=acc.n_articles,
        n_words=acc.n_words,
        n_mentions=acc.n_mentions,
        n_chunks=acc.n_chunks,
        mentions_dir=Path(mdir) if mdir else None,
        options=options,
    )
