"""The newslab verbs on Dask DataFrames, for corpora spread over a cluster (``newslab[dask]``).

Nothing here analyses text: every verb applies the pandas verb of its stage to each
partition (``map_partitions`` with an explicit ``meta`` from :mod:`newslab.schema`), and
co-mentions and volumes add a *tree reduction* of the additive partial counts of
:mod:`newslab.pipeline` (a ``groupby``-sum over partitions), with the association measures
and labels computed once at the end. The results equal those of the pandas path on the same
data.

Typical use, on any ``dask.distributed`` cluster (a ``LocalCluster``, ``dask-kubernetes``,
``dask-jobqueue`` on SLURM)::

    from dask.distributed import Client, LocalCluster
    import newslab.dask as nd

    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    articles = nd.read_dataset("corpus_ds")        # written by newslab.ingest
    mentions = nd.extract_entities(articles)       # lazy, one task per partition
    pairs = nd.comentions(mentions, articles=articles)   # a pandas DataFrame
    volume = nd.mention_volume(mentions, articles, freq="W")

Each call above is one pass over the corpus (entities are extracted again for each; compute
several results together with ``compute=False`` and ``dask.compute``, or persist the mentions
when the cluster has the memory). For the whole analysis in one pass, with bounded memory on
the workers, :func:`run_pipeline` sends one task per dataset part to the cluster::

    res = nd.run_pipeline("corpus_ds", client=client, freq="W")   # pairs, volume, counts

The dataset folder must be readable by every worker (a shared file system or object store
path that pandas can read). Dask is imported when a verb is first called; without it, an
``ImportError`` says how to install it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from newslab import pipeline as pl
from newslab import schema

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "load_corpus",
    "read_dataset",
    "extract_entities",
    "timexes",
    "find_timexes",
    "comentions",
    "mention_volume",
    "run_pipeline",
]


def _dd() -> Any:
    """Return ``dask.dataframe``, or raise an ImportError saying how to install it."""
    try:
        import dask.dataframe as dd
    except ImportError as err:  # pragma: no cover - dask is installed in the test env
        raise ImportError(
            "newslab.dask needs Dask: install it with `pip install 'newslab[dask]'` "
            "(dask[dataframe,distributed])"
        ) from err
    return dd


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


def _read_part(part: str, dataset: str, columns: list[str] | None = None) -> pd.DataFrame:
    if columns is None:
        return pl._read_part(part, dataset)
    from newslab.corpus.dataset import _conform_partial, _duplicates, _with_duplicates

    stored = [c for c in dict.fromkeys(["doc_id", *columns]) if c not in ("dup_group", "dup_kind")]
    df = _with_duplicates(pd.read_parquet(part, columns=stored), _duplicates(Path(dataset)))
    return _conform_partial(df, columns)[list(columns)]


def read_dataset(
    path: str | os.PathLike[str], columns: Iterable[str] | None = None
) -> dd.DataFrame:
    """Return a dataset written by :func:`newslab.ingest` as a Dask DataFrame, one part each.

    Parameters
    ----------
    path
        The dataset folder (readable by every worker).
    columns
        Article columns to keep; None for all.

    Returns
    -------
    dask.dataframe.DataFrame
        :data:`newslab.schema.ARTICLES` columns with the corpus-wide ``dup_group`` and
        ``dup_kind``, one partition per Parquet part, in corpus order.
    """
    dd = _dd()
    from newslab.corpus.dataset import dataset_parts

    ds = str(Path(path).resolve())
    parts = [str(p) for p in dataset_parts(ds)]
    cols = list(columns) if columns is not None else None
    meta = schema.empty(schema.ARTICLES)
    if cols is not None:
        meta = meta[cols]
    if not parts:
        return dd.from_pandas(meta, npartitions=1)
    return dd.from_map(
        _read_part, parts, args=(ds,), columns=cols, meta=meta, enforce_metadata=False
    )


def load_corpus(
    source: Any,
    out: str | os.PathLike[str] | None = None,
    *,
    chunk_size: int | None = None,
    workers: int = 1,
    overwrite: bool = False,
    progress: bool | None = None,
    **load_kwargs: Any,
) -> dd.DataFrame:
    """Return a corpus as a Dask DataFrame with the schema of :func:`newslab.load_corpus`.

    The files are parsed once, here, by :func:`newslab.ingest` (streaming, bounded memory,
    ``workers`` local processes) into a Parquet dataset, which is then read lazily with
    :func:`read_dataset`; duplicates are flagged across the whole corpus.

    Parameters
    ----------
    source
        As for :func:`newslab.load_corpus`.
    out
        The dataset folder to write (on a cluster: a path every worker can read). None
        writes to a new temporary folder (fine for a ``LocalCluster``).
    chunk_size
        Articles per part, i.e. per Dask partition (None: ``ingest``'s default,
        :data:`newslab.corpus.dataset.INGEST_CHUNK`).
    workers, overwrite, progress, **load_kwargs
        Passed to :func:`newslab.ingest`.

    Returns
    -------
    dask.dataframe.DataFrame
        :data:`newslab.schema.ARTICLES` columns; ``attrs`` are not carried (read the load
        report with ``newslab.corpus.dataset.read_report(folder)``).
    """
    from newslab.corpus.dataset import INGEST_CHUNK, ingest

    _dd()
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="newslab-dask-"))
    ingest(
        source,
        folder,
        chunk_size=chunk_size or INGEST_CHUNK,
        workers=workers,
        overwrite=overwrite or out is None,
        progress=progress,
        **load_kwargs,
    )
    return read_dataset(folder)


# ---------------------------------------------------------------------------
# Per-partition verbs
# ---------------------------------------------------------------------------


def _entities_part(part: pd.DataFrame, kwargs: dict[str, Any]) -> pd.DataFrame:
    from newslab.entities import extract_entities as extract

    return extract(part, **kwargs)


def extract_entities(articles: dd.DataFrame, **kwargs: Any) -> dd.DataFrame:
    """Return the entity mentions of every partition (:func:`newslab.extract_entities`).

    Parameters
    ----------
    articles
        A Dask articles table (``doc_id``, ``text``, and ``published`` for date-bound
        aliases).
    **kwargs
        Passed to :func:`newslab.extract_entities` (``discover``, ``gazetteer``, ...).

    Returns
    -------
    dask.dataframe.DataFrame
        :data:`newslab.schema.MENTIONS`, partitioned like ``articles`` (each document's
        mentions in its article's partition, as :func:`comentions` needs).
    """
    _dd()
    # whole rows, as the pandas verb sees them (it may read the date besides the text)
    return articles.map_partitions(
        _entities_part, kwargs, meta=schema.empty(schema.MENTIONS), enforce_metadata=False
    )


def _timex_meta() -> pd.DataFrame:
    from newslab.timex.tagger import EXTRA_COLUMNS

    return schema.empty({**schema.TIMEXES, **EXTRA_COLUMNS})


def timexes(articles: dd.DataFrame) -> dd.DataFrame:
    """Return the temporal expressions of every partition, anchored on each article's date.

    Applies :func:`newslab.text.sentences` and :func:`newslab.timexes` per partition.
    ``range_id`` numbers the ranges within each partition (it links the two ends of a range
    inside one article; compare ranges by ``(doc_id, range_id)``).

    Parameters
    ----------
    articles
        A Dask DataFrame with ``doc_id``, ``text`` and ``published``.

    Returns
    -------
    dask.dataframe.DataFrame
        :data:`newslab.schema.TIMEXES` plus ``mod``, ``end_value``, ``range_id``.
    """
    _dd()
    return articles[["doc_id", "text", "published"]].map_partitions(
        pl._timexes_of, meta=_timex_meta(), enforce_metadata=False
    )


#: Same as :func:`timexes` (the pandas verb of one text is :func:`newslab.find_timexes`).
find_timexes = timexes


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------


def _counts_part(
    mentions: pd.DataFrame,
    options: dict[str, Any],
    copies: frozenset[str],
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    number = int(partition_info["number"]) if partition_info else 0
    mine = mentions["doc_id"].astype(str)
    here = mine[mine.isin(copies)].unique().tolist() if copies else None
    return pl.comention_counts(mentions, number, copies=here, **options)


def _copies(articles: dd.DataFrame) -> frozenset[str]:
    """doc_ids of the later copies in each dup_group, in partition (corpus) order."""
    dups = articles[["doc_id", "dup_group"]].dropna(subset=["dup_group"]).compute()
    later = dups["dup_group"].duplicated(keep="first")
    return frozenset(dups.loc[later, "doc_id"].astype(str))


def comentions(
    mentions: dd.DataFrame,
    unit: str = "document",
    window: int = 3,
    *,
    articles: dd.DataFrame | None = None,
    min_count: int = 1,
    types: Iterable[str] | None = None,
    metonyms: str = "country",
    dedupe: bool = True,
    split_every: int | None = None,
    compute: bool = True,
) -> Any:
    """Return the co-mention pairs of a Dask mentions table (as :func:`newslab.count_comentions`).

    Each partition is reduced to additive counts (:func:`newslab.pipeline.comention_counts`),
    the counts are summed by a tree reduction, and the association measures are computed
    once on the sum. All mentions of a document must lie in one partition (true for the
    output of :func:`extract_entities`).

    Parameters
    ----------
    mentions
        A Dask :data:`newslab.schema.MENTIONS` table.
    unit, window, min_count, types, metonyms, dedupe
        As for :func:`newslab.count_comentions`.
    articles
        The articles (``doc_id``, ``dup_group``), needed for ``dedupe``.
    split_every
        Fan-in of the tree reduction (Dask's default when None).
    compute
        False returns a ``dask.delayed`` object instead; compute it together with other
        results (``dask.compute(pairs, volume)``) so that entities are extracted once.

    Returns
    -------
    pandas.DataFrame
        :data:`newslab.schema.PAIRS` plus ``label_a`` and ``label_b`` (computed: the pairs
        table is small).
    """
    _dd()
    from newslab.comentions import _check_unit

    _check_unit(unit, window)
    copies = _copies(articles) if dedupe and articles is not None else frozenset()
    options = {
        "unit": unit,
        "window": int(window),
        "types": tuple(types) if types is not None else None,
        "metonyms": metonyms,
    }
    import dask

    # one graph node holds the copies, however many partitions read them
    shared = dask.delayed(copies, pure=True) if copies else copies
    partial = mentions.map_partitions(
        _counts_part, options, shared, meta=schema.empty(pl.COUNTS), enforce_metadata=False
    )
    summed = (
        partial.groupby(["kind", "a", "b"])
        .agg({"n": "sum", "first": "min"}, split_every=split_every, split_out=1)
        .reset_index()
    )
    return _finish(pl.finish_comentions, summed, compute, min_count=min_count)


def _finish(fn: Any, summed: dd.DataFrame, compute: bool, **kwargs: Any) -> Any:
    """Apply a finishing function to the reduced counts, now or as a delayed task."""
    if compute:
        return fn(summed.compute(), **kwargs)
    import dask

    if fn is pl.finish_volume:
        kwargs["warn"] = False  # it would warn in a worker; attrs["undated_documents"] says it
    return dask.delayed(fn)(summed, **kwargs)


def _volume_part(
    mentions: pd.DataFrame,
    articles: pd.DataFrame | None,
    options: dict[str, Any],
) -> pd.DataFrame:
    if articles is None:
        articles = mentions[["doc_id", "published"]]
    return pl.volume_counts(mentions, articles, **options)


def mention_volume(
    mentions: dd.DataFrame,
    articles: dd.DataFrame | None = None,
    freq: str = "D",
    normalize: bool = False,
    types: Iterable[str] | None = None,
    entities: Iterable[str] | None = None,
    top: int | None = None,
    *,
    split_every: int | None = None,
    compute: bool = True,
) -> Any:
    """Return mentions and documents per entity per period (as ``timelines.mention_volume``).

    Per-partition counts (:func:`newslab.pipeline.volume_counts`) are summed by a tree
    reduction; labels, ``top`` and ``normalize`` are applied once at the end.

    Parameters
    ----------
    mentions
        A Dask mentions table, partitioned like ``articles`` (as :func:`extract_entities`
        returns it), or with a ``published`` column when ``articles`` is None.
    articles
        The Dask articles table (``doc_id``, ``published``).
    freq, normalize, types, entities, top
        As for :func:`newslab.timelines.mention_volume`.
    split_every
        Fan-in of the tree reduction.
    compute
        False returns a ``dask.delayed`` object (see :func:`comentions`).

    Returns
    -------
    pandas.DataFrame
        :data:`newslab.schema.VOLUME` (plus ``n_articles``, ``share``, ``per_article`` when
        ``normalize``); ``attrs["undated_documents"]`` as in the pandas verb.

    Raises
    ------
    ValueError
        For ``normalize`` without ``articles``, or tables partitioned differently.
    """
    dd = _dd()
    from newslab.timelines import FREQS

    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, not {freq!r}")
    if normalize and articles is None:
        raise ValueError("normalize=True needs the articles table (articles per period)")
    options = {
        "freq": freq,
        "types": tuple(types) if types is not None else None,
        "entities": tuple(entities) if entities is not None else None,
    }
    meta = schema.empty(pl.VOLUME_COUNTS)
    if articles is None:
        if "published" not in mentions.columns:
            raise ValueError("no dates: pass articles or give mentions a 'published' column")
        partial = mentions.map_partitions(
            _volume_part, None, options, meta=meta, enforce_metadata=False
        )
    else:
        if articles.npartitions != mentions.npartitions:
            raise ValueError(
                "mentions and articles must be partitioned alike "
                f"({mentions.npartitions} vs {articles.npartitions} partitions): "
                "make mentions with newslab.dask.extract_entities(articles)"
            )
        partial = dd.map_partitions(
            _volume_part,
            mentions,
            articles[["doc_id", "published"]],
            options,
            meta=meta,
            enforce_metadata=False,
            align_dataframes=False,
        )
    summed = (
        partial.groupby(["kind", "period", "entity_id", "label"])[["mentions", "documents"]]
        .sum(split_every=split_every, split_out=1)
        .reset_index()
    )
    return _finish(pl.finish_volume, summed, compute, normalize=normalize, top=top)


# ---------------------------------------------------------------------------
# The whole analysis in one pass
# ---------------------------------------------------------------------------


def run_pipeline(source: Any, *, client: Any = None, **kwargs: Any) -> pl.PipelineResult:
    """Run :func:`newslab.pipeline.run_pipeline` with a Dask cluster's workers as its pool.

    Each dataset part becomes one task (entities, partial co-mention counts and volumes, all
    in the worker); only the small partial counts travel back, and they are summed as they
    come, so memory stays bounded on the workers and here. The result is the same as the
    local pipeline's and the pandas verbs' on the same data.

    Parameters
    ----------
    source
        A dataset folder written by :func:`newslab.ingest`, readable by every worker (or
        any source :func:`newslab.pipeline.run_pipeline` takes; tables are then sent to the
        workers).
    client
        A ``dask.distributed.Client``; None uses the current one (``distributed.get_client``).
    **kwargs
        Passed to :func:`newslab.pipeline.run_pipeline` (``freq``, ``unit``, ``discover``,
        ``max_in_flight``, ...); ``workers`` defaults to the cluster's worker threads.

    Returns
    -------
    newslab.pipeline.PipelineResult
    """
    _dd()
    if client is None:
        from distributed import get_client

        client = get_client()
    kwargs.setdefault("workers", max(1, sum(client.nthreads().values())))
    return pl.run_pipeline(source, executor=client.get_executor(), **kwargs)
