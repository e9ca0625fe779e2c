"""Streaming ingest: a corpus of any size into a partitioned Parquet dataset, in bounded memory.

Layout of a dataset folder::

    articles/part-00000.parquet ...   the articles, chunk by chunk (schema ARTICLES)
    removed/part-00000.parquet ...    removed boilerplate lines
    report/files-00000.parquet ...    the load report's file and issue rows, per chunk
    report/issues-00000.parquet ...
    duplicates.parquet                doc_id, dup_group, dup_kind, for articles with duplicates
    dataset.json                      counts and the parser version

Duplicates are found across the whole corpus (not per chunk) from small fingerprints kept
while the chunks stream past; everything else is written as it is parsed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from newslab import schema
from newslab.corpus.dedupe import Fingerprints, fingerprint, group_duplicates
from newslab.corpus.load import PARSER_VERSION, Source, iter_corpus
from newslab.corpus.report import FILE_COLUMNS, ISSUE_COLUMNS, REMOVED_COLUMNS, LoadReport

__all__ = ["ingest", "read_dataset", "iter_dataset", "dataset_parts"]


def ingest(
    source: Source,
    out: str | os.PathLike[str],
    *,
    chunk_size: int = 20_000,
    overwrite: bool = False,
    workers: int = 1,
    progress: bool | None = None,
    **load_kwargs: Any,
) -> Path:
    """Load ``source`` chunk by chunk into a partitioned Parquet dataset and return its folder.

    Memory stays bounded by ``chunk_size`` articles (plus a few bytes of fingerprint per
    sentence for the corpus-wide duplicate search).

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
    seen: set[str] = set()
    fps: list[Fingerprints] = []
    ids: list[pd.Series] = []
    n_articles = n_files = 0
    chunks = iter_corpus(
        source,
        chunk_size=chunk_size,
        workers=workers,
        progress=progress,
        dedupe=False,
        **load_kwargs,
    )
    for i, chunk in enumerate(chunks):
        report: LoadReport = chunk.attrs["load_report"]
        chunk = _unique_across_chunks(chunk, seen)
        part = f"{i:05d}"
        plain = chunk.drop(columns=["dup_group", "dup_kind"])
        plain.attrs = {}
        plain.to_parquet(out / "articles" / f"part-{part}.parquet", index=False)
        report.removed.to_parquet(out / "removed" / f"part-{part}.parquet", index=False)
        report.files.to_parquet(out / "report" / f"files-{part}.parquet", index=False)
        report.issues.to_parquet(out / "report" / f"issues-{part}.parquet", index=False)
        fps.append(fingerprint(chunk["text"].tolist()))
        ids.append(chunk["doc_id"])
        n_articles += len(chunk)
        n_files += report.n_files
    fp = Fingerprints.concat(fps)
    group, kind = group_duplicates(fp)
    doc_ids = pd.concat(ids, ignore_index=True) if ids else pd.Series(dtype="string")
    dups = pd.DataFrame({"doc_id": doc_ids.astype("string"), "dup_group": group, "dup_kind": kind})
    dups[dups["dup_group"].notna()].to_parquet(out / "duplicates.parquet", index=False)
    (out / "dataset.json").write_text(
        json.dumps(
            {
                "format": "newslab-dataset",
                "parser_version": PARSER_VERSION,
                "n_articles": n_articles,
                "n_files": n_files,
                "n_parts": len(ids),
                "n_duplicates": int(dups["dup_group"].notna().sum()),
            },
            indent=2,
        ),
        "utf-8",
    )
    return out


def _unique_across_chunks(chunk: pd.DataFrame, seen: set[str]) -> pd.DataFrame:
    clash = chunk["doc_id"].isin(seen).to_numpy()
    if clash.any():
        chunk = chunk.copy()
        suffix = chunk.loc[clash, "source_path"].map(
            lambda p: hashlib.sha1(str(p).encode()).hexdigest()[:8]
        )
        chunk.loc[clash, "doc_id"] = chunk.loc[clash, "doc_id"] + "~" + suffix
    seen.update(chunk["doc_id"].tolist())
    return chunk


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
