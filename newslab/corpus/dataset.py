"""Streaming ingest: a corpus of any size into a partitioned Parquet dataset, in bounded memory.

Layout of a dataset folder::

    articles/part-00000.parquet ...   the articles, chunk by chunk (schema ARTICLES)
    removed/part-00000.parquet ...    removed boilerplate lines
    report/files-00000.parquet ...    the load report's file and issue rows, per chunk
    report/issues-00000.parquet ...
    duplicates.parquet                doc_id, dup_group, dup_kind, for articles with duplicates
    dataset.json                      counts and the parser version

Duplicates are found across the whole corpus (not per chunk) from small fingerprints spilled
to a temporary ``_fingerprints/`` folder while the chunks stream past, and grouped out of core
at the end; everything else is written as it is parsed.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newslab import schema
from newslab.corpus.dedupe import SpilledFingerprints, fingerprint
from newslab.corpus.load import PARSER_VERSION, Source, iter_corpus
from newslab.corpus.report import FILE_COLUMNS, ISSUE_COLUMNS, REMOVED_COLUMNS, LoadReport

__all__ = ["ingest", "read_dataset", "iter_dataset", "dataset_parts"]


#: Articles per Parquet part written by :func:`ingest`. Each part is also one task of
#: :func:`newslab.pipeline.run_pipeline`, whose worker peaks at about 0.57 GB on a 10,000-article
#: part of generated news (0.48 GB at 5,000, 0.82 GB at 20,000): two workers and the ingesting
#: process then stay well under 2 GB.
INGEST_CHUNK = 10_000


def ingest(
    source: Source,
    out: str | os.PathLike[str],
    *,
    chunk_size: int = INGEST_CHUNK,
    overwrite: bool = False,
    workers: int = 1,
    progress: bool | None = None,
    **load_kwargs: Any,
) -> Path:
    """Load ``source`` chunk by chunk into a partitioned Parquet dataset and return its folder.

    Memory stays bounded by ``chunk_size`` articles, plus about 21 bytes per article for the
    whole corpus: an 8-byte hash of each doc_id (to keep ids unique across parts) and 13 bytes
    of duplicate fingerprint (about 60 bytes per article for a moment while duplicates are
    grouped at the end). The sentence fingerprints for the corpus-wide duplicate search are
    spilled to a ``_fingerprints/`` folder inside ``out`` (about 0.5 KB of disk per article of
    news, then as much again for the pairs of shared sentences) and grouped out of core
    (:class:`newslab.corpus.dedupe.SpilledFingerprints`); the folder is then removed.
    Measured on generated news with ``workers=2``: the ingesting process stays at about
    0.4 GB from 20,000 to 300,000 articles (it grew by 2.3 KB per article before).

    Parameters
    ----------
    source
        As for :func:`newslab.load_corpus`.
    out
        The dataset folder to create.
    chunk_size
        Articles per Parquet part.
    overwrite
        Replace an existing dataset folder.
    workers, progress, **load_kwargs
        Passed to :func:`newslab.corpus.iter_corpus`.

    Returns
    -------
    pathlib.Path
        The dataset folder; read it with :func:`read_dataset` or :func:`iter_dataset`
        (or ``newslab.dask.read_dataset`` for a Dask DataFrame).

    Raises
    ------
    FileExistsError
        When ``out`` exists, is not empty, and ``overwrite`` is false.
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise FileExistsError(
                f"{out} exists and is not empty; pass overwrite=True to replace it"
            )
        shutil.rmtree(out)
    for sub in ("articles", "removed", "report"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    ids = _SeenIds(out / "articles")
    spill = SpilledFingerprints(out / "_fingerprints")
    n_articles = n_files = n_parts = 0
    chunks = iter_corpus(
        source,
        chunk_size=chunk_size,
        workers=workers,
        progress=progress,
        dedupe=False,
        **load_kwargs,
    )
    try:
        for i, chunk in enumerate(chunks):
            report: LoadReport = chunk.attrs["load_report"]
            chunk = ids.unique(chunk)
            part = f"{i:05d}"
            plain = chunk.drop(columns=["dup_group", "dup_kind"])
            plain.attrs = {}
            plain.to_parquet(out / "articles" / f"part-{part}.parquet", index=False)
            report.removed.to_parquet(out / "removed" / f"part-{part}.parquet", index=False)
            report.files.to_parquet(out / "report" / f"files-{part}.parquet", index=False)
            report.issues.to_parquet(out / "report" / f"issues-{part}.parquet", index=False)
            spill.add(fingerprint(chunk["text"].tolist()))
            n_articles += len(chunk)
            n_files += report.n_files
            n_parts += 1
            del chunk, plain, report
            release_memory()
        members, group, kind = spill.group()
    finally:
        spill.cleanup()
    dups = _duplicate_rows(out / "articles", n_parts, members, group, kind)
    dups.to_parquet(out / "duplicates.parquet", index=False)
    (out / "dataset.json").write_text(
        json.dumps(
            {
                "format": "newslab-dataset",
                "parser_version": PARSER_VERSION,
                "n_articles": n_articles,
                "n_files": n_files,
                "n_parts": n_parts,
                "n_duplicates": len(dups),
            },
            indent=2,
        ),
        "utf-8",
    )
    return out


def release_memory() -> None:
    """Hand memory freed by the last chunk back to the operating system (best effort).

    Arrow's memory pool and the C allocator keep freed memory for reuse; between chunks of
    :func:`ingest` that only makes the process look bigger and grow with fragmentation.
    Calls ``pyarrow``'s ``release_unused`` and, on glibc, ``malloc_trim(0)``.
    """
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # pragma: no cover - pyarrow is a dependency
        pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # musl or another C library
        return None


def _id_hashes(ids: pd.Series) -> np.ndarray:
    values = ids.to_numpy(dtype=object, na_value=None)
    if not len(values):
        return np.empty(0, np.uint64)
    return pd.util.hash_array(values, categorize=False)


class _SeenIds:
    """The doc_ids of the parts written so far, as sorted 64-bit hashes (8 bytes per article).

    A hash found again is checked exactly against the doc_ids stored in that part's Parquet
    file, so a hash collision never renames an article.
    """

    def __init__(self, articles_dir: Path) -> None:
        self.articles_dir = articles_dir
        self.parts: list[np.ndarray] = []

    def _seen_before(self, ids: pd.Series) -> np.ndarray:
        """Return a mask of the ``ids`` already used by an earlier part (exact)."""
        hashes = _id_hashes(ids)
        clash = np.zeros(len(ids), dtype=bool)
        for i, known in enumerate(self.parts):
            if not len(known) or not len(hashes):
                continue
            pos = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
            hit = known[pos] == hashes
            if hit.any():
                stored = pd.read_parquet(
                    self.articles_dir / f"part-{i:05d}.parquet", columns=["doc_id"]
                )["doc_id"]
                clash |= hit & ids.isin(stored).to_numpy()
        return clash

    def unique(self, chunk: pd.DataFrame) -> pd.DataFrame:
        """Return ``chunk`` with doc_ids used by earlier parts suffixed with a path hash."""
        clash = self._seen_before(chunk["doc_id"])
        if clash.any():
            chunk = chunk.copy()
            suffix = chunk.loc[clash, "source_path"].map(
                lambda p: hashlib.sha1(str(p).encode()).hexdigest()[:8]
            )
            chunk.loc[clash, "doc_id"] = chunk.loc[clash, "doc_id"] + "~" + suffix
        hashes = _id_hashes(chunk["doc_id"])
        hashes.sort()
        self.parts.append(hashes)
        return chunk


def _duplicate_rows(
    articles_dir: Path, n_parts: int, members: np.ndarray, group: np.ndarray, kind: np.ndarray
) -> pd.DataFrame:
    """Return ``doc_id, dup_group, dup_kind`` of the grouped articles, reading the doc_ids
    back from the parts (in corpus order) rather than keeping them in memory."""
    found: list[pd.Series] = []
    start = 0
    at = 0  # position in members
    for i in range(n_parts):
        if at >= len(members):
            break
        doc_ids = pd.read_parquet(articles_dir / f"part-{i:05d}.parquet", columns=["doc_id"])[
            "doc_id"
        ]
        stop = start + len(doc_ids)
        upto = int(np.searchsorted(members, stop))
        if upto > at:
            found.append(doc_ids.iloc[members[at:upto] - start])
            at = upto
        start = stop
    if found:
        doc_ids = pd.concat(found, ignore_index=True).astype("string")
    else:
        doc_ids = pd.Series(dtype="string")
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            "dup_group": pd.array(group, dtype="Int64"),
            "dup_kind": pd.array(kind, dtype="string"),
        }
    )


def _check(path: Path) -> dict[str, Any]:
    meta = path / "dataset.json"
    if not meta.exists():
        raise FileNotFoundError(
            f"{path} is not a newslab dataset (no dataset.json); make one with ingest()"
        )
    return json.loads(meta.read_text("utf-8"))


def dataset_parts(path: str | os.PathLike[str]) -> list[Path]:
    """Return the dataset's article part files, in order."""
    path = Path(path)
    _check(path)
    return sorted((path / "articles").glob("part-*.parquet"))


def _with_duplicates(df: pd.DataFrame, dups: pd.DataFrame) -> pd.DataFrame:
    if "doc_id" not in df.columns:
        return df
    merged = df.merge(dups, on="doc_id", how="left")
    return merged


def _duplicates(path: Path) -> pd.DataFrame:
    dups = pd.read_parquet(path / "duplicates.parquet")
    return dups.astype({"doc_id": "string", "dup_group": "Int64", "dup_kind": "string"})


def iter_dataset(
    path: str | os.PathLike[str], columns: Sequence[str] | None = None
) -> Iterator[pd.DataFrame]:
    """Yield the dataset's articles part by part (bounded memory), with duplicate flags.

    Parameters
    ----------
    path
        A folder written by :func:`ingest`.
    columns
        Article columns to read (``doc_id`` is always read); None for all.

    Yields
    ------
    pandas.DataFrame
    """
    path = Path(path)
    dups = _duplicates(path)
    for part in dataset_parts(path):
        cols = None
        if columns is not None:
            cols = [
                c for c in dict.fromkeys(["doc_id", *columns]) if c not in ("dup_group", "dup_kind")
            ]
        df = pd.read_parquet(part, columns=cols)
        df = _with_duplicates(df, dups)
        yield _conform_partial(df, columns)


def _conform_partial(df: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is None:
        return schema.conform(df, schema.ARTICLES)
    wanted = list(dict.fromkeys(["doc_id", *columns]))
    sub = {c: t for c, t in schema.ARTICLES.items() if c in wanted}
    return schema.conform(df, sub)[wanted]


def read_dataset(
    path: str | os.PathLike[str], columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Return a whole dataset written by :func:`ingest` as one table, with its load report.

    Parameters
    ----------
    path
        The dataset folder.
    columns
        Article columns to read; None for all.

    Returns
    -------
    pandas.DataFrame
        Like :func:`newslab.load_corpus`'s result; ``df.attrs['load_report']`` is the report.
    """
    path = Path(path)
    parts = list(iter_dataset(path, columns))
    df = pd.concat(parts, ignore_index=True) if parts else schema.empty(schema.ARTICLES)
    df.attrs["load_report"] = read_report(path)
    return df


def read_report(path: str | os.PathLike[str]) -> LoadReport:
    """Return the load report of a dataset written by :func:`ingest`."""
    path = Path(path)
    _check(path)

    def gather(pattern: str, columns: dict[str, str]) -> pd.DataFrame:
        files = sorted(path.glob(pattern))
        if not files:
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).astype(columns)

    return LoadReport(
        gather("report/files-*.parquet", FILE_COLUMNS),
        gather("report/issues-*.parquet", ISSUE_COLUMNS),
        gather("removed/part-*.parquet", REMOVED_COLUMNS),
    )
