"""Timeline figures: mention volume over time and one row per event.

Each function draws on ``ax`` (a new figure's Axes when None) and returns the Axes; none
calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

#: How each event status is drawn: (fill, line style, alpha).
STATUS_STYLE: dict[str, tuple[bool, str, float]] = {
    "reported": (True, "-", 0.9),
    "planned": (False, "--", 0.9),
    "expected": (False, ":", 0.9),
    "denied": (False, ":", 0.4),
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def mention_volume_plot(
    volume: pd.DataFrame,
    entities: Sequence[str] | None = None,
    top: int = 6,
    value: str = "mentions",
    annotate: pd.DataFrame | None = None,
    annotate_top: int = 8,
    ax: Axes | None = None,
) -> Axes:
    """Return an Axes with one line per entity: its volume in each period.

    Parameters
    ----------
    volume
        Output of :func:`newslab.timelines.mention_volume`.
    entities
        Entity ids to draw; default the ``top`` entities with the largest total ``value``.
    top
        How many entities to draw when ``entities`` is None.
    value
        ``"mentions"``, ``"documents"`` or ``"share"`` (needs ``normalize=True``).
    annotate
        Optional grouped events (:func:`newslab.events.group_events`): the ``annotate_top``
        with the most sources are marked with a vertical line at their start (a shaded band
        for ranges) and a short label ("first actor: trigger"); labels closer than 2% of the
        axis width are pushed right so they do not overlap.
    annotate_top
        How many events to mark.
    ax
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        One line per entity over every period from the first to the last (periods without
        mentions, including days, weeks or months missing from ``volume``, drawn as 0),
        plus one line or band per annotated event; the legend sits outside on the right.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> vol = pd.DataFrame({"period": pd.to_datetime(["2023-03-20", "2023-03-27"]),
    ...     "entity_id": ["person:xi", "person:xi"], "label": ["Xi", "Xi"],
    ...     "mentions": [4, 1], "documents": [2, 1]})
    >>> len(mention_volume_plot(vol).lines)
    1
    """
    if value not in volume.columns:
        raise ValueError(f"value {value!r} is not a column of the volume table")
    ax = _axes(ax, (9, 4))
    if volume.empty:
        ax.set_ylabel(value)
        return ax
    if entities is None:
        totals = volume.groupby("entity_id")[value].sum().sort_index()
        entities = list(totals.sort_values(ascending=False, kind="stable").index[:top])
    periods = _all_periods(
        pd.DatetimeIndex(sorted(volume["period"].unique())), volume.attrs.get("freq")
    )
    labels = volume.drop_duplicates("entity_id").set_index("entity_id")["label"]
    for ent in entities:
        sub = volume[volume["entity_id"] == ent].set_index("period")[value]
        sub = sub.groupby(level=0).sum().reindex(periods, fill_value=0)
        name = labels.get(ent, ent)
        ax.plot(sub.index, sub.to_numpy(dtype=float), marker="o", ms=3, label=str(name))
    if annotate is not None and not annotate.empty:
        _annotate(ax, annotate, annotate_top, periods)
    ax.set_ylabel(value)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    return ax


def _all_periods(periods: pd.DatetimeIndex, freq: str | None = None) -> pd.DatetimeIndex:
    """Return ``periods`` with the missing days, weeks or months between them filled in.

    ``freq`` is :func:`newslab.timelines.mention_volume`'s (``D``, ``W`` or ``M``, kept in
    the table's ``attrs``); without it, the step is guessed: months when every period is the
    first of a month at least 28 days apart, weeks when all gaps are whole weeks, else days.
    """
    if len(periods) < 2:
        return periods
    gaps = periods.to_series().diff().dropna()
    if freq is None:
        if periods.is_month_start.all() and gaps.min() >= pd.Timedelta(days=28):
            freq = "M"
        elif (gaps % pd.Timedelta(days=7) == pd.Timedelta(0)).all():
            freq = "W"
        else:
            freq = "D"
    step = {"D": "D", "W": "7D", "M": "MS"}.get(freq)
    if step is None:
        return periods
    return periods.union(pd.date_range(periods.min(), periods.max(), freq=step))


def _short_label(row: Any) -> str:
    """Return "first person: trigger" for a grouped event (its full label as a fallback).

    The first person among ``actors`` is named, else the first actor.
    """
    labels = getattr(row, "labels", None)
    actors = getattr(row, "actors", None)
    trigger = getattr(row, "trigger", None)
    if isinstance(labels, tuple | list) and labels and isinstance(trigger, str):
        name = labels[0]
        if isinstance(actors, tuple | list) and len(actors) == len(labels):
            persons = [
                lab for a, lab in zip(actors, labels, strict=True) if a.startswith("person:")
            ]
            name = persons[0] if persons else name
        return f"{name}: {trigger}"
    label = getattr(row, "label", None)
    return str(label) if isinstance(label, str) else str(trigger or "")


def _annotate(ax: Axes, events: pd.DataFrame, n: int, periods: pd.Index) -> None:
    """Mark up to ``n`` events inside the drawn periods; labels are pushed apart to stay legible."""
    step = pd.Series(periods).diff().min() if len(periods) > 1 else pd.Timedelta(days=1)
    last = periods.max() + (step if pd.notna(step) else pd.Timedelta(days=1))
    ev = events[events["date_start"].notna()]
    ev = ev[(ev["date_start"] >= periods.min()) & (ev["date_start"] < last)]
    if "n_sources" in ev.columns:
        ev = ev.sort_values("n_sources", ascending=False, kind="stable")
    ev = ev.head(n).sort_values("date_start", kind="stable")
    top = ax.get_ylim()[1]
    lo, hi = ax.get_xlim()
    gap = 0.02 * (hi - lo)
    prev = None
    for row in ev.itertuples(index=False):
        start, end = row.date_start, row.date_end
        if pd.notna(end) and end > start:
            ax.axvspan(start, end + pd.Timedelta(days=1), color="0.6", alpha=0.25, lw=0)
        else:
            ax.axvline(start, color="0.5", lw=0.8, ls="--")
        x = mdates.date2num(start)
        if prev is not None and x < prev + gap:
            x = prev + gap
        prev = x
        ax.text(
            x,
            top,
            _short_label(row),
            rotation=90,
            va="top",
            ha="right",
            fontsize="x-small",
            bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1},
        )


def event_timeline(
    grouped_events: pd.DataFrame,
    top: int = 20,
    ax: Axes | None = None,
    published: bool | str | None = True,
    count: str | None = "n_sources",
) -> Axes:
    """Return an Axes with one row per event: a point for a day, a bar for a range.

    Reported events are drawn filled; planned (dashed) and expected or denied (dotted) ones
    hollow. Spans known only to the week or month are hatched. Rows run from the earliest
    event at the top, each labelled on the y axis, so labels never overlap; the number of
    sources is written in the right margin.

    Parameters
    ----------
    grouped_events
        Output of :func:`newslab.events.group_events` (``date_start``, ``date_end``,
        ``status``, ``label``; ``n_sources`` is used to pick the ``top`` events).
    top
        Draw at most this many events (those with the most sources, then mentions).
    ax
        Axes to draw on.
    published
        ``True`` (default) marks each event's ``first_published`` date with an ``x`` when
        the column is present; a column name marks that column's dates instead; None or
        False marks nothing.
    count
        Column written at the right of each row (default ``n_sources``); None for none.

    Returns
    -------
    matplotlib.axes.Axes
        One point (a ``Line2D``) per single-day event, one bar (a ``Rectangle`` patch) per
        range, and one more ``Line2D`` holding the publication markers when asked for; the
        counts are ``Text`` artists in ``ax.texts``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> g = pd.DataFrame({"date_start": pd.to_datetime(["2023-03-20", "2023-02-22"]),
    ...     "date_end": pd.to_datetime(["2023-03-22", "2023-02-22"]),
    ...     "status": ["reported", "planned"], "label": ["Xi in Moscow", "Wang in Moscow"]})
    >>> ax = event_timeline(g)
    >>> len(ax.patches), len(ax.lines), [t.get_text() for t in ax.get_yticklabels()]
    (1, 1, ['Wang in Moscow', 'Xi in Moscow'])
    """
    ax = _axes(ax, (9, max(2.0, 0.35 * min(top, len(grouped_events)) + 1)))
    ev = grouped_events[grouped_events["date_start"].notna()]
    rank = [c for c in ("n_sources", "n_mentions") if c in ev.columns]
    if rank:
        ev = ev.sort_values(rank, ascending=False, kind="stable")
    ev = ev.head(top).sort_values(["date_start", "date_end"], kind="stable").reset_index(drop=True)
    if ev.empty:
        return ax
    one_day = pd.Timedelta(days=1)
    for y, row in ev.iterrows():
        start = pd.Timestamp(row["date_start"])
        end = pd.Timestamp(row["date_end"]) if pd.notna(row["date_end"]) else start
        fill, style, alpha = STATUS_STYLE.get(str(row.get("status")), STATUS_STYLE["reported"])
        color = "C0" if row.get("status") in ("reported", None) else "C1"
        coarse = str(row.get("granularity", "day")) in ("week", "month")
        if end > start:
            left = mdates.date2num(start)
            width = mdates.date2num(end + one_day) - left
            ax.barh(
                y,
                width,
                left=left,
                height=0.5,
                color=color if fill else "none",
                edgecolor=color,
                linestyle=style,
                alpha=0.35 if coarse and fill else alpha,
                hatch="///" if coarse else None,
                lw=1.2,
            )
        else:
            ax.plot(
                [mdates.date2num(start + one_day / 2)],
                [y],
                marker="o",
                ms=7,
                linestyle="none",
                color=color,
                mfc=color if fill else "none",
                alpha=alpha,
            )
    col = "first_published" if published is True else published
    if col and col in ev.columns:
        pub = pd.to_datetime(ev[col])
        ok = pub.notna()
        ax.plot(
            mdates.date2num(pub[ok]),
            ev.index[ok],
            marker="x",
            linestyle="none",
            color="0.3",
            ms=6,
        )
    labels = ev["label"] if "label" in ev.columns else ev["date_start"].astype(str)
    ax.set_yticks(range(len(ev)), [str(x) for x in labels], fontsize="small")
    ax.set_ylim(len(ev) - 0.5, -0.5)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="x", alpha=0.3)
    if count and count in ev.columns:
        where = ax.get_yaxis_transform()
        ax.text(
            1.01,
            -0.5,
            count.replace("_", " "),
            transform=where,
            fontsize="x-small",
            va="bottom",
            ha="left",
            color="0.3",
        )
        for y, n in zip(ev.index, ev[count], strict=True):
            if pd.notna(n):
                ax.text(
                    1.01,
                    y,
                    str(int(n)),
                    transform=where,
                    fontsize="x-small",
                    va="center",
                    ha="left",
                )
    ax.legend(
        handles=_legend_handles(ev, bool(col and col in ev.columns)),
        fontsize="x-small",
        loc="best",
    )
    return ax


def _legend_handles(ev: pd.DataFrame, with_pub: bool) -> list[Any]:
    handles: list[Any] = []
    for status in ("reported", "planned", "expected", "denied"):
        if "status" in ev.columns and (ev["status"] == status).any():
            fill, style, _ = STATUS_STYLE[status]
            color = "C0" if status == "reported" else "C1"
            handles.append(
                Patch(facecolor=color if fill else "none", edgecolor=color, ls=style, label=status)
            )
    if "granularity" in ev.columns and ev["granularity"].isin(["week", "month"]).any():
        handles.append(
            Patch(facecolor="none", edgecolor="0.4", hatch="///", label="week or month only")
        )
    if with_pub:
        handles.append(Line2D([], [], marker="x", ls="none", color="0.3", label="first published"))
    return handles


__all__ = ["STATUS_STYLE", "event_timeline", "mention_volume_plot"]
