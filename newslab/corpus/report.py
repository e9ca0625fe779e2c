"""The load report: every input file, what became of it, and every line removed from a body."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["LoadReport", "FILE_COLUMNS", "ISSUE_COLUMNS", "REMOVED_COLUMNS", "get_report"]

FILE_COLUMNS = {
    "source_path": "string",
    "format": "string",
    "status": "string",  # loaded / partial / skipped
    "reason": "string",  # why skipped (empty, binary, undecodable, duplicate, too large, ...)
    "n_articles": "int64",
    "n_skipped": "int64",
    "bytes": "Int64",
    "encoding": "string",
    "warnings": "string",
}
ISSUE_COLUMNS = {
    "source_path": "string",
    "record": "string",  # "line 3", "row 7", "" for the whole file
    "doc_id": "string",
    "level": "string",  # skip / warning
    "reason": "string",
    "detail": "string",
}
REMOVED_COLUMNS = {
    "doc_id": "string",
    "line_no": "int64",
    "rule": "string",
    "text": "string",
}


def _frame(rows: list[tuple], columns: dict[str, str]) -> pd.DataFrame:
    """Return ``rows`` (tuples in the order of ``columns``) as a table of ``columns``' dtypes.

    Built column by column (the strings straight into Arrow, the numbers into numpy), which
    takes half the time of ``DataFrame.from_records`` then ``astype`` on the loader's rows; a
    value that Arrow does not take as it stands (a number in a text column, a lone surrogate)
    sends the rows that second way, which gives the same table (a test compares them).

    Examples
    --------
    >>> df = _frame([("a.txt", 3, "drop", "Share")], REMOVED_COLUMNS)
    >>> df.dtypes.astype(str).tolist(), df["text"].tolist()
    (['string', 'int64', 'string', 'string'], ['Share'])
    """
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    try:
        return _frame_by_column(rows, columns)
    except (TypeError, ValueError, OverflowError, UnicodeError, pa.ArrowException):
        return pd.DataFrame.from_records(rows, columns=list(columns)).astype(columns)


def _frame_by_column(rows: list[tuple], columns: dict[str, str]) -> pd.DataFrame:
    data = {}
    # rows of another width raise ValueError (strict zips); from_records then says which
    for (name, dtype), values in zip(columns.items(), zip(*rows, strict=True), strict=True):
        if dtype == "string":
            data[name] = pd.array(pa.array(values, pa.large_string()), dtype="string")
        elif dtype == "int64":
            data[name] = np.array(values, dtype=np.int64)
        else:
            data[name] = pd.array(values, dtype=dtype)
    return pd.DataFrame(data)


@dataclass
class LoadReport(dict):  # type: ignore[type-arg]
    """What ``load_corpus`` did with every input.

    pandas writes ``DataFrame.attrs`` as JSON when it saves a table to Parquet
    (``df.to_parquet``), and any value that is not JSON fails the whole write. So the report
    is also a small ``dict`` of its counts (:meth:`counts`), which is what such a file
    keeps; :func:`newslab.save_corpus` keeps the whole report.

    Attributes
    ----------
    files
        One row per input file or archive member: ``source_path, format, status, reason,
        n_articles, n_skipped, bytes, encoding, warnings``. Status is ``loaded``, ``partial``
        (some records skipped) or ``skipped`` (with ``reason``).
    issues
        One row per skipped record or warning: ``source_path, record, doc_id, level, reason,
        detail``.
    removed
        One row per line removed from an article body by a boilerplate rule:
        ``doc_id, line_no, rule, text`` -- nothing is lost.
    """

    files: pd.DataFrame = field(default_factory=lambda: _frame([], FILE_COLUMNS))
    issues: pd.DataFrame = field(default_factory=lambda: _frame([], ISSUE_COLUMNS))
    removed: pd.DataFrame = field(default_factory=lambda: _frame([], REMOVED_COLUMNS))

    @classmethod
    def from_rows(cls, files: list[tuple], issues: list[tuple], removed: list[tuple]) -> LoadReport:
        """Return a report built from row tuples in the column orders above."""
        return cls(
            _frame(files, FILE_COLUMNS),
            _frame(issues, ISSUE_COLUMNS),
            _frame(removed, REMOVED_COLUMNS),
        )

    def __post_init__(self) -> None:
        self.update(self.counts())

    def counts(self) -> dict[str, int | str]:
        """Return the report's counts as JSON-safe values (what ``df.to_parquet`` keeps).

        Examples
        --------
        >>> LoadReport.from_rows([("a.txt", "plaintext", "skipped", "empty", 0, 0, 0, None, None)],
        ...                      [], []).counts()["skipped"]
        1
        """
        status = self.files["status"].value_counts()
        return {
            "report": "newslab LoadReport (counts only; newslab.save_corpus keeps the tables)",
            "inputs": len(self.files),
            "articles": int(self.files["n_articles"].sum()),
            "loaded": int(status.get("loaded", 0)),
            "partial": int(status.get("partial", 0)),
            "skipped": int(status.get("skipped", 0)),
            "warnings": int((self.issues["level"] == "warning").sum()),
            "removed_lines": len(self.removed),
        }

    # pandas deep-copies ``DataFrame.attrs`` on many operations; the report is shared, not copied.
    def __deepcopy__(self, memo: dict) -> LoadReport:
        return self

    def __eq__(self, other: object) -> bool:  # identity is enough for attrs propagation checks
        return self is other

    __hash__ = object.__hash__

    @property
    def n_files(self) -> int:
        """Number of inputs listed."""
        return len(self.files)

    def summary(self) -> pd.DataFrame:
        """Return counts of files by status and reason, and of issues by level and reason.

        Returns
        -------
        pandas.DataFrame
            Columns ``what, status, reason, count``.
        """
        f = (
            self.files.assign(reason=self.files["reason"].fillna(""))
            .groupby(["status", "reason"], dropna=False)
            .size()
            .rename("count")
            .reset_index()
            .assign(what="files")
        )
        i = (
            self.issues.groupby(["level", "reason"], dropna=False)
            .size()
            .rename("count")
            .reset_index()
            .rename(columns={"level": "status"})
            .assign(what="records/warnings")
        )
        r = pd.DataFrame(
            {
                "what": ["removed lines"],
                "status": ["removed"],
                "reason": ["boilerplate rules"],
                "count": [len(self.removed)],
            }
        )
        return pd.concat([f, i, r], ignore_index=True)[["what", "status", "reason", "count"]]

    @property
    def n_articles(self) -> int:
        """Number of articles loaded."""
        return int(self.files["n_articles"].sum())

    def skipped(self) -> pd.DataFrame:
        """Return the skipped files and skipped records, with their reasons."""
        files = self.files.loc[self.files["status"] == "skipped", ["source_path", "reason"]]
        detail = (
            self.issues.loc[
                (self.issues["level"] == "skip") & (self.issues["record"].fillna("") == "")
            ]
            .drop_duplicates("source_path")
            .set_index("source_path")["detail"]
        )
        files = files.assign(record="", detail=files["source_path"].map(detail))
        records = self.issues.loc[
            (self.issues["level"] == "skip") & (self.issues["record"].fillna("") != ""),
            ["source_path", "record", "reason", "detail"],
        ]
        return pd.concat([files, records], ignore_index=True)[
            ["source_path", "record", "reason", "detail"]
        ].astype("string")

    def warnings(self) -> pd.DataFrame:
        """Return the warnings (no date, date in the future, encoding repaired, ...)."""
        return self.issues.loc[self.issues["level"] == "warning"].reset_index(drop=True)

    def __str__(self) -> str:
        status = self.files["status"].value_counts()
        lines = [
            f"LoadReport: {self.n_files} inputs -> {self.n_articles} articles "
            f"({status.get('loaded', 0)} loaded, {status.get('partial', 0)} partial, "
            f"{status.get('skipped', 0)} skipped); {len(self.warnings())} warnings; "
            f"{len(self.removed)} boilerplate lines removed"
        ]
        sk = self.skipped()
        if len(sk):
            lines.append("skipped:")
            for row in sk.head(20).itertuples(index=False):
                rec = f" [{row.record}]" if row.record else ""
                lines.append(f"  {row.source_path}{rec}: {row.reason}")
            if len(sk) > 20:
                lines.append(f"  ... and {len(sk) - 20} more (see .skipped())")
        w = self.warnings()
        if len(w):
            lines.append("warnings:")
            for row in w.head(20).itertuples(index=False):
                lines.append(
                    f"  {row.source_path}: {row.reason}"
                    + (f" ({row.detail})" if row.detail else "")
                )
            if len(w) > 20:
                lines.append(f"  ... and {len(w) - 20} more (see .warnings())")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        esc = html.escape
        status = self.files["status"].value_counts()
        parts = [
            "<div class='newslab-load-report'>",
            f"<h4>Load report: {self.n_files} inputs &rarr; {self.n_articles} articles</h4>",
            "<ul>",
            f"<li>loaded: {status.get('loaded', 0)}, partial: {status.get('partial', 0)}, "
            f"skipped: {status.get('skipped', 0)}</li>",
            f"<li>warnings: {len(self.warnings())}</li>",
            f"<li>boilerplate lines removed: {len(self.removed)} "
            f"({esc(', '.join(self.removed['rule'].value_counts().head(6).index.astype(str)))})</li>",
            "</ul>",
        ]
        for title, table in (("Skipped", self.skipped()), ("Warnings", self.warnings())):
            if len(table):
                parts.append(f"<details open><summary>{title} ({len(table)})</summary>")
                parts.append(table.head(50).to_html(index=False, escape=True, na_rep=""))
                parts.append("</details>")
        parts.append("</div>")
        return "".join(parts)

    def to_json(self) -> str:
        """Return files and issues as JSON (used when saving a corpus to Parquet)."""
        return json.dumps(
            {
                "files": json.loads(self.files.to_json(orient="records")),
                "issues": json.loads(self.issues.to_json(orient="records")),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str, removed: pd.DataFrame | None = None) -> LoadReport:
        """Return a report from :meth:`to_json` output (and an optional removed-lines table)."""
        data = json.loads(text)
        files = pd.DataFrame(data.get("files", []), columns=list(FILE_COLUMNS)).astype(FILE_COLUMNS)
        issues = pd.DataFrame(data.get("issues", []), columns=list(ISSUE_COLUMNS)).astype(
            ISSUE_COLUMNS
        )
        rem = removed if removed is not None else _frame([], REMOVED_COLUMNS)
        return cls(files, issues, rem.astype(REMOVED_COLUMNS))


def get_report(df: pd.DataFrame) -> LoadReport:
    """Return the :class:`LoadReport` attached to a table returned by ``load_corpus``.

    Raises
    ------
    KeyError
        When the table carries no report (it was not made by ``load_corpus``/``read_corpus``).
    """
    report = df.attrs.get("load_report")
    if isinstance(report, LoadReport):
        return report
    if isinstance(report, dict) and "report" in report:  # read back from df.to_parquet's file
        raise KeyError(
            "this table was saved by DataFrame.to_parquet, which keeps only the load report's "
            "counts (df.attrs['load_report']); save with newslab.save_corpus and read with "
            "newslab.read_corpus to keep the whole report"
        )
    raise KeyError("this DataFrame carries no load report (df.attrs['load_report'])")
