"""Parquet storage of a loaded corpus, and a parse cache that skips unchanged files.

No pickle anywhere: the corpus, its report and the cache are Parquet files plus JSON metadata.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from newslab import schema
from newslab.corpus.report import REMOVED_COLUMNS, LoadReport

__all__ = ["save_corpus", "read_corpus", "ParseCache"]

_REPORT_KEY = b"newslab.load_report"


def _removed_path(path: Path) -> Path:
    return (
        path.with_name(path.name + ".removed.parquet")
        if path.suffix != ".parquet"
        else (path.with_suffix(".removed.parquet"))
    )


def save_corpus(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a loaded corpus to Parquet, with its load report, and return the path.

    The articles go to ``path``; the report's file and issue tables are stored as JSON in the
    Parquet metadata, and the removed boilerplate lines in ``<path stem>.removed.parquet``
    beside it.

    Parameters
    ----------
    df
        A table from :func:`newslab.load_corpus`.
    path
        Output file (``.parquet``).

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plain = df.reset_index(drop=True)
    plain.attrs = {}  # the report is stored as JSON metadata below, not through pandas attrs
    table = pa.Table.from_pandas(plain, preserve_index=False)
    report = df.attrs.get("load_report")
    meta = dict(table.schema.metadata or {})
    if isinstance(report, LoadReport):
        meta[_REPORT_KEY] = report.to_json().encode("utf-8")
        pq.write_table(
            pa.Table.from_pandas(report.removed, preserve_index=False), _removed_path(path)
        )
    table = table.replace_schema_metadata(meta)
    pq.write_table(table, path)
    return path


def read_corpus(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Return a corpus written by :func:`save_corpus`, with its load report re-attached.

    Parameters
    ----------
    path
        The ``.parquet`` file.

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`newslab.schema.ARTICLES`.
    """
    path = Path(path)
    table = pq.read_table(path)
    df = schema.conform(table.to_pandas(), schema.ARTICLES)
    meta = table.schema.metadata or {}
    if _REPORT_KEY in meta:
        rp = _removed_path(path)
        removed = pd.read_parquet(rp) if rp.exists() else None
        df.attrs["load_report"] = LoadReport.from_json(meta[_REPORT_KEY].decode("utf-8"), removed)
    return df


class ParseCache:
    """Per-file parse results kept in Parquet, reused while a file's size and mtime are unchanged.

    Archive members are always parsed again (they carry no modification time of their own).
    """

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key
        self._old: dict[str, pd.DataFrame] = {}
        self._sigs: dict[str, tuple[int, int]] = {}
        self._new_results: list[Any] = []
        self._new_sigs: dict[str, tuple[int, int]] = {}
        self._load()

    @classmethod
    def open(cls, source: Any, cache: bool | str | os.PathLike[str], key: str) -> ParseCache:
        """Return the cache for ``source``: in ``~/.cache/newslab`` when ``cache`` is True."""
        if cache is True:
            base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newslab"
            if isinstance(source, (str, os.PathLike)):
                ident = os.fspath(Path(os.fspath(source)).expanduser().resolve())
            else:
                ident = json.dumps(sorted(os.fspath(s) for s in source))
            folder = base / hashlib.sha1(ident.encode()).hexdigest()[:16]
        else:
            folder = Path(os.fspath(cache)).expanduser()
        return cls(folder, key)

    def _load(self) -> None:
        meta = self.folder / "meta.json"
        if not meta.exists():
            return
        try:
            info = json.loads(meta.read_text("utf-8"))
            if info.get("key") != self.key:
                return
            for name in ("files", "articles", "issues", "removed"):
                self._old[name] = pd.read_parquet(self.folder / f"{name}.parquet")
        except (OSError, ValueError, pa.ArrowException):
            self._old = {}
            return
        f = self._old["files"]
        self._sigs = {
            p: (int(s), int(m))
            for p, s, m in zip(f["source_path"], f["size"], f["mtime_ns"], strict=True)
        }

    def _cached(self, source_path: str) -> Any:
        from newslab.corpus.load import FileResult

        f = self._files_by_path.loc[[source_path]].iloc[0]
        res = FileResult(
            source_path,
            None if pd.isna(f["format"]) else f["format"],
            f["status"],
            None if pd.isna(f["reason"]) else f["reason"],
            None if pd.isna(f["bytes"]) else int(f["bytes"]),
            None if pd.isna(f["encoding"]) else f["encoding"],
            [w for w in (f["warnings_list"] or "").split("\x1f") if w],
        )
        res.articles = self._groups["articles"].get(source_path, [])
        res.issues = self._groups["issues"].get(source_path, [])
        res.removed = self._groups["removed"].get(source_path, [])
        return res

    def _index(self) -> None:
        files = self._old["files"]
        self._files_by_path = files.set_index("source_path", drop=False)
        arts = self._old["articles"]
        arts = arts.astype(object).where(arts.notna(), None)
        self._groups: dict[str, dict[str, list[Any]]] = {
            "articles": {},
            "issues": {},
            "removed": {},
        }
        for rec in arts.to_dict("records"):
            if rec.get("published") is None:
                rec["published"] = pd.NaT
            self._groups["articles"].setdefault(rec["source_path"], []).append(rec)
        for row in self._old["issues"].itertuples(index=False):
            self._groups["issues"].setdefault(row[0], []).append(
                tuple(None if pd.isna(v) else v for v in row)
            )
        for row in self._old["removed"].itertuples(index=False):
            self._groups["removed"].setdefault(row[0], []).append(
                (row[1], int(row[2]), row[3], row[4])
            )

    def results(
        self, items: Iterable[Any], parse: Callable[[Iterable[Any]], Iterator[Any]]
    ) -> Iterator[Any]:
        """Yield a result per item: cached when unchanged, else from ``parse`` (and remembered)."""
        from newslab.corpus.sources import Item

        if self._old:
            self._index()
        misses = []
        for item in items:
            sig = (item.size, item.mtime_ns) if isinstance(item, Item) and item.mtime_ns else None
            if sig is not None and self._sigs.get(item.source_path) == sig:
                res = self._cached(item.source_path)
                self._remember(res, sig)
                yield res
            else:
                misses.append((item, sig))
        sig_of = {item.source_path: sig for item, sig in misses}
        for res in parse([item for item, _ in misses]):
            self._remember(res, sig_of.get(res.source_path))
            yield res

    def _remember(self, res: Any, sig: tuple[int, int] | None) -> None:
        # a file read in blocks is not kept (its blocks would be many results of one file,
        # and keeping them would hold the whole file in memory): it is parsed again next time
        if sig is not None and not getattr(res, "streamed", False):
            self._new_results.append(res)
            self._new_sigs[res.source_path] = sig

    def save(self) -> None:
        """Write the results seen in this load as the new cache (atomically)."""
        results = self._new_results
        files = pd.DataFrame(
            {
                "source_path": [r.source_path for r in results],
                "size": [self._new_sigs[r.source_path][0] for r in results],
                "mtime_ns": [self._new_sigs[r.source_path][1] for r in results],
                "format": pd.array([r.format for r in results], dtype="string"),
                "status": [r.status for r in results],
                "reason": pd.array([r.reason for r in results], dtype="string"),
                "bytes": pd.array([r.size for r in results], dtype="Int64"),
                "encoding": pd.array([r.encoding for r in results], dtype="string"),
                "warnings_list": ["\x1f".join(r.warnings) for r in results],
            }
        )
        arts = [a for r in results for a in r.articles]
        articles = (
            pd.DataFrame.from_records(arts)
            if arts
            else pd.DataFrame({"source_path": pd.Series(dtype="string")})
        )
        issues = pd.DataFrame.from_records(
            [i for r in results for i in r.issues],
            columns=["source_path", "record", "doc_id", "level", "reason", "detail"],
        ).astype("string")
        removed = pd.DataFrame.from_records(
            [(r.source_path, *row) for r in results for row in r.removed],
            columns=["source_path", *REMOVED_COLUMNS],
        ).astype({"source_path": "string", **REMOVED_COLUMNS})
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.folder.parent))
        try:
            for name, df in (
                ("files", files),
                ("articles", articles),
                ("issues", issues),
                ("removed", removed),
            ):
                df.to_parquet(tmp / f"{name}.parquet", index=False)
            (tmp / "meta.json").write_text(
                json.dumps({"key": self.key, "files": len(files)}), "utf-8"
            )
            if self.folder.exists():
                shutil.rmtree(self.folder)
            tmp.rename(self.folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
