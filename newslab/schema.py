"""Column names and dtypes of every newslab table, in one place.

Each pipeline stage returns a tidy :class:`pandas.DataFrame` whose columns are
listed here, in order. Code elsewhere refers to these constants instead of
spelling column names again, and :func:`empty` builds a correctly typed empty
table so that "nothing found" is still a well-formed result.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: One row per article (``load_corpus``).
ARTICLES: dict[str, str] = {
    "doc_id": "string",
    "title": "string",
    "published": "datetime64[ns]",
    "date_precision": "string",  # day / month / year / none
    "outlet": "string",  # the original publisher
    "site": "string",  # the site the page was scraped from, when it names itself
    "author": "string",
    "url": "string",
    "text": "string",
    "n_words": "int64",
    "lang": "string",
    "dup_group": "Int64",  # <NA> when the article has no duplicate
    "dup_kind": "string",  # exact / near / <NA>
    "source_path": "string",
    "format": "string",
    "extra": "string",  # JSON of record fields not mapped to a column (JSON/CSV inputs)
}

#: Lines removed from article bodies by the boilerplate rules (nothing is lost).
REMOVED: dict[str, str] = {
    "doc_id": "string",
    "line_no": "int64",
    "rule": "string",
    "text": "string",
}

#: One row per sentence (``newslab.text.sentences``); offsets index into ``text``.
SENTENCES: dict[str, str] = {
    "doc_id": "string",
    "sent_id": "int64",
    "start": "int64",
    "end": "int64",
    "text": "string",
}

#: One row per entity mention (``newslab.entities.extract_entities``).
MENTIONS: dict[str, str] = {
    "doc_id": "string",
    "sent_id": "int64",
    "start": "int64",
    "end": "int64",
    "surface": "string",
    "entity_id": "string",
    "label": "string",
    "type": "string",  # PERSON / COUNTRY / ORG / PLACE / UNKNOWN
    "method": "string",  # gazetteer / resolved / discovered
    "metonym": "bool",
}

#: One row per unordered entity pair (``newslab.comentions.comentions``).
PAIRS: dict[str, str] = {
    "a": "string",
    "b": "string",
    "n_pair": "int64",
    "n_a": "int64",
    "n_b": "int64",
    "n_units": "int64",
    "pmi": "float64",
    "npmi": "float64",
    "g2": "float64",
    "g2_p": "float64",
    "jaccard": "float64",
    "dice": "float64",
}

#: One row per temporal expression (``newslab.timex.find_timexes``).
TIMEXES: dict[str, str] = {
    "doc_id": "string",
    "sent_id": "int64",
    "start": "int64",
    "end": "int64",
    "surface": "string",
    "type": "string",  # DATE / TIME / DURATION / SET
    "value": "string",  # TIMEX3 value, e.g. 2022-12-30, 2023-W12, P3D
    "start_date": "datetime64[ns]",
    "end_date": "datetime64[ns]",
    "granularity": "string",  # day / week / month / season / quarter / year / ...
}

#: One row per event mention (``newslab.events.extract_events``).
EVENTS: dict[str, str] = {
    "event_id": "int64",
    "doc_id": "string",
    "sent_id": "int64",
    "date_start": "datetime64[ns]",
    "date_end": "datetime64[ns]",
    "granularity": "string",
    "actors": "object",  # tuple of entity ids
    "trigger": "string",
    "status": "string",  # reported / planned / expected / denied
    "sentence": "string",
}

#: Mention volume per entity per period (``newslab.timelines.mention_volume``).
VOLUME: dict[str, str] = {
    "period": "datetime64[ns]",
    "entity_id": "string",
    "label": "string",
    "mentions": "int64",
    "documents": "int64",
}


def empty(columns: Mapping[str, str]) -> pd.DataFrame:
    """Return an empty DataFrame with the given columns and dtypes.

    Parameters
    ----------
    columns
        Mapping of column name to pandas dtype, e.g. :data:`MENTIONS`.

    Returns
    -------
    pandas.DataFrame
        Zero rows, typed columns in the mapping's order.

    Examples
    --------
    >>> list(empty(SENTENCES).columns)
    ['doc_id', 'sent_id', 'start', 'end', 'text']
    """
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def conform(df: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """Return ``df`` with exactly the schema's columns, in order, cast to its dtypes.

    Missing columns are added as all-missing; extra columns are kept after the
    schema's own ones.

    Parameters
    ----------
    df
        The table to conform.
    columns
        Mapping of column name to pandas dtype.

    Returns
    -------
    pandas.DataFrame
        A new DataFrame.

    Examples
    --------
    >>> out = conform(pd.DataFrame({"doc_id": ["a"], "sent_id": [0]}), SENTENCES)
    >>> list(out.columns), str(out["start"].dtype)
    (['doc_id', 'sent_id', 'start', 'end', 'text'], 'Int64')
    """
    out = df.copy()
    for name, dtype in columns.items():
        if name not in out.columns:
            nullable = {"int64": "Int64", "bool": "boolean"}.get(dtype, dtype)
            out[name] = pd.Series(
                pd.NA if dtype != "datetime64[ns]" else pd.NaT, index=out.index, dtype=nullable
            )
        else:
            target = dtype
            if dtype == "int64" and out[name].isna().any():
                target = "Int64"
            if dtype == "bool" and out[name].isna().any():
                target = "boolean"
            if dtype == "object":
                continue
            out[name] = out[name].astype(target)
    extra = [c for c in out.columns if c not in columns]
    return out[list(columns) + extra]
