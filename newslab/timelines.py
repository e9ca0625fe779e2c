"""Timelines: how often entities are mentioned per day, week or month.

Public verbs
------------
- :func:`mention_volume` -- mentions and documents per entity per period (``schema.VOLUME``),
  optionally as a share of the period's articles.
- :func:`period_start` -- the start of the day, week (Monday) or month holding each date.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import pandas as pd

from newslab import schema

#: Accepted ``freq`` values and the pandas period each one stands for.
FREQS: dict[str, str] = {"D": "D", "W": "W-SUN", "M": "M"}


def period_start(dates: pd.Series, freq: str = "W") -> pd.Series:
    """Return the first day of the period (day, Monday-based week, month) holding each date.

    Parameters
    ----------
    dates
        Datetime-like values; missing values stay missing.
    freq
        ``"D"``, ``"W"`` (weeks start on Monday) or ``"M"``.

    Returns
    -------
    pandas.Series
        ``datetime64[ns]`` timestamps at midnight.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2023-03-22 15:00", "2023-03-26 08:00"]))
    >>> period_start(s, "W").dt.strftime("%a %Y-%m-%d").tolist()
    ['Mon 2023-03-20', 'Mon 2023-03-20']
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, not {freq!r}")
    ts = pd.to_datetime(dates)
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)
    out = ts.dt.to_period(FREQS[freq]).dt.start_time
    return out.astype("datetime64[ns]")


def mention_volume(
    mentions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    freq: str = "D",
    normalize: bool = False,
    types: Iterable[str] | None = None,
    entities: Iterable[str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Return mention and document counts per entity per period of publication.

    Parameters
    ----------
    mentions
        ``schema.MENTIONS``; with a ``published`` column it can be used without ``articles``.
    articles
        ``schema.ARTICLES`` (``doc_id``, ``published``): the publication dates, and the number
        of articles per period for ``normalize``. When None, the dates are read from a
        ``published`` column of ``mentions``. Articles without a date are left out; their
        number is in ``out.attrs["undated_documents"]`` and announced by a warning.
    freq
        ``"D"`` (day), ``"W"`` (week starting Monday) or ``"M"`` (month).
    normalize
        Add ``share``: the entity's documents divided by the number of dated articles
        published in the period (all articles, whether they mention anything or not),
        ``per_article``: its mentions divided by that number, and ``n_articles``, the number
        itself. Needs ``articles``.
    types
        Keep only mentions of these types (e.g. ``["PERSON"]``).
    entities
        Keep only these entity ids.
    top
        Keep the ``top`` entities with the most mentions overall (after the filters).

    Returns
    -------
    pandas.DataFrame
        ``schema.VOLUME`` columns (period, entity_id, label, mentions, documents), plus
        ``n_articles``, ``share`` and ``per_article`` when ``normalize``; sorted by period, then most documents
        first. Periods where an entity is not mentioned have no row. ``out.attrs`` holds
        ``freq`` and ``undated_documents``.

    Raises
    ------
    ValueError
        For an unknown ``freq``, ``normalize`` without ``articles``, or no dates at all.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...     "published": pd.to_datetime(["2023-03-20", "2023-03-22", "2023-03-27"])})
    >>> ments = pd.DataFrame({"doc_id": ["a", "a", "b"], "entity_id": ["person:xi"] * 3,
    ...     "label": ["Xi"] * 3, "type": ["PERSON"] * 3})
    >>> v = mention_volume(ments, arts, freq="W", normalize=True)
    >>> v[["mentions", "documents", "share"]].values.tolist()
    [[3.0, 2.0, 1.0]]
    >>> str(v["period"].iloc[0].date())
    '2023-03-20'
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, not {freq!r}")
    if articles is not None and not isinstance(articles, pd.DataFrame):
        raise TypeError("articles must be a DataFrame (pass freq= by keyword)")
    if normalize and articles is None:
        raise ValueError("normalize=True needs the articles table (articles per period)")
    cols = volume_columns(normalize)
    if articles is not None:
        dates = articles[["doc_id", "published"]].drop_duplicates("doc_id")
    elif "published" in mentions.columns:
        dates = mentions[["doc_id", "published"]].drop_duplicates("doc_id")
    else:
        raise ValueError("no dates: pass articles or give mentions a 'published' column")
    mentions = mentions.drop(columns=["published"], errors="ignore")
    undated = int(dates["published"].isna().sum())
    if undated:
        warnings.warn(
            f"mention_volume: {undated} article(s) without a publication date left out",
            stacklevel=2,
        )
    dates = dates[dates["published"].notna()].copy()
    dates["period"] = period_start(dates["published"], freq)
    m = mentions
    if types is not None:
        m = m[m["type"].isin(list(types))]
    if entities is not None:
        m = m[m["entity_id"].isin(list(entities))]
    m = m[m["entity_id"].notna()].merge(dates[["doc_id", "period"]], on="doc_id", how="inner")
    if m.empty:
        out = schema.empty(cols)
        out.attrs["undated_documents"] = undated
        out.attrs["freq"] = freq
        return out
    if top is not None:
        keep = (
            m["entity_id"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
        )
        m = m[m["entity_id"].isin(keep.index[:top])]
    labels = (
        m.groupby("entity_id")["label"]
        .agg(lambda s: s.mode().iloc[0] if s.notna().any() else pd.NA)
        .rename("label")
    )
    out = (
        m.groupby(["period", "entity_id"], observed=True)
        .agg(mentions=("doc_id", "size"), documents=("doc_id", "nunique"))
        .reset_index()
    )
    out["label"] = out["entity_id"].map(labels)
    per = dates.groupby("period")["doc_id"].nunique() if normalize else None
    out = volume_table(out, per, undated)
    out.attrs["freq"] = freq
    return out


def volume_columns(normalize: bool) -> dict[str, str]:
    """Return the columns and dtypes of a volume table (:data:`newslab.schema.VOLUME`, plus
    ``n_articles``, ``share`` and ``per_article`` when ``normalize``)."""
    cols = dict(schema.VOLUME)
    if normalize:
        cols.update({"n_articles": "int64", "share": "float64", "per_article": "float64"})
    return cols


def volume_table(
    counts: pd.DataFrame, articles_per_period: pd.Series | None, undated: int
) -> pd.DataFrame:
    """Return mentions and documents per (period, entity) as the sorted, typed volume table.

    The last step of :func:`mention_volume` and of the chunked pipeline
    (:func:`newslab.pipeline.finish_volume`).

    Parameters
    ----------
    counts
        ``period``, ``entity_id``, ``label``, ``mentions``, ``documents``.
    articles_per_period
        Dated articles per period, to add ``n_articles``, ``share`` (documents per article)
        and ``per_article`` (mentions per article); None for the plain table.
    undated
        Articles left out for want of a date (``attrs["undated_documents"]``).
    """
    out = counts.copy()
    if articles_per_period is not None:
        out["n_articles"] = out["period"].map(articles_per_period).astype("int64")
        out["share"] = out["documents"] / out["n_articles"]
        out["per_article"] = out["mentions"] / out["n_articles"]
    out = out.sort_values(
        ["period", "documents", "entity_id"], ascending=[True, False, True], kind="stable"
    )
    out = schema.conform(
        out.reset_index(drop=True), volume_columns(articles_per_period is not None)
    )
    out.attrs["undated_documents"] = undated
    return out


__all__ = [
    "FREQS",
    "SUSPECT_DATES",
    "mention_volume",
    "period_start",
    "plausible_dates",
    "volume_columns",
    "volume_table",
]


#: load-report warnings that make an article's date unusable on a time axis
SUSPECT_DATES: tuple[str, ...] = ("date in the future", "date before 1900")


def plausible_dates(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the dated articles whose date the load report does not flag as implausible.

    A single article dated 2031 would stretch every weekly chart across eight empty years;
    the loader keeps such articles and records a warning, and time charts leave them out.

    Parameters
    ----------
    articles
        An articles table from :func:`newslab.load_corpus` (its load report, when present,
        names the flagged articles).

    Returns
    -------
    pandas.DataFrame
        A copy without undated or flagged articles; ``attrs`` are kept.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2023-03-01", None])})
    >>> plausible_dates(arts)["doc_id"].tolist()
    ['a']
    """
    keep = pd.to_datetime(articles["published"]).notna()
    report = articles.attrs.get("load_report")
    issues = getattr(report, "issues", None)
    if issues is not None and len(issues):
        flagged = issues.loc[issues["reason"].isin(SUSPECT_DATES).fillna(False), "doc_id"]
        keep &= ~articles["doc_id"].isin(set(flagged.dropna().astype(str))).fillna(False)
    out = articles.loc[keep.to_numpy()].copy()
    out.attrs = articles.attrs
    return out
