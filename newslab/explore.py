"""Explore a corpus interactively in JupyterLab: one entity, its partners, its context, its time.

``explore(articles)`` returns an ipywidgets app. Pick an entity and see

* its co-mention partners (a table of counts and association measures),
* its mentions in context (KWIC lines built from the mention spans, so aliases such as
  "the Chinese leader" show up too),
* its mention volume over time (a plot),
* the grouped events it takes part in;

then pick a partner to read the sentences naming both (the evidence).

All the logic lives in :class:`Explorer`, a plain object that turns a choice of entity and
partner into tables; the widget layer (:class:`ExplorerApp`) only shows those tables, so the
behaviour is tested without a browser. Every string shown as HTML is escaped.
"""

from __future__ import annotations

import html
import sys
import types
from collections.abc import Iterable
from typing import Any

import pandas as pd

from newslab import comentions as cm
from newslab.notebooks import plausible_dates

#: Columns of :meth:`Explorer.partners`.
PARTNER_COLUMNS: tuple[str, ...] = ("partner", "label", "type", "n_pair", "npmi", "g2", "dice")
#: Columns of :meth:`Explorer.kwic`.
KWIC_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "published",
    "outlet",
    "left",
    "keyword",
    "right",
)


def _types(types: str | Iterable[str] | None) -> list[str] | None:
    if types is None:
        return None
    return [types] if isinstance(types, str) else list(types)


class Explorer:
    """The explorer's state and tables, without any widget.

    Parameters
    ----------
    articles
        Articles table (:data:`newslab.schema.ARTICLES`).
    mentions
        Mentions of those articles; extracted with :func:`newslab.extract_entities` when None.
    sentences
        Sentences of those articles; split with :func:`newslab.sentences` when None.
    events
        Grouped events (:func:`newslab.events.group_events`); found from the articles when
        None (temporal expressions, then events), or left out with ``False``.
    types
        Entity types offered and counted as partners (e.g. ``["PERSON", "COUNTRY"]``);
        None keeps every type.
    unit, window
        Co-mention unit and window, as in :func:`newslab.comentions.comentions`.
    freq
        Period of the volume plot: ``"D"``, ``"W"`` or ``"M"``.
    width
        Characters of context on each side of a KWIC line.

    Attributes
    ----------
    entities : pandas.DataFrame
        :func:`newslab.entity_summary` of the kept types, most mentioned first.
    pairs : pandas.DataFrame
        Co-mention pairs (:func:`newslab.comentions.comentions`).
    """

    def __init__(
        self,
        articles: pd.DataFrame,
        mentions: pd.DataFrame | None = None,
        *,
        sentences: pd.DataFrame | None = None,
        events: pd.DataFrame | bool | None = None,
        types: str | Iterable[str] | None = None,
        unit: cm.Unit = "sentence",
        window: int = 3,
        freq: str = "W",
        width: int = 40,
    ) -> None:
        from newslab.entities import entity_summary, extract_entities
        from newslab.text import sentences as split

        self.articles = articles
        self.sentences = split(articles) if sentences is None else sentences
        self.mentions = (
            extract_entities(articles, sentences=self.sentences) if mentions is None else mentions
        )
        self.types = _types(types)
        self.unit = unit
        self.window = window
        self.freq = freq
        self.width = width
        summary = entity_summary(self.mentions, articles)
        if self.types is not None:
            summary = summary[summary["type"].isin(self.types).fillna(False)]
        self.entities = summary.reset_index(drop=True)
        self.pairs = cm.comentions(
            self.mentions, unit=unit, window=window, articles=articles, types=self.types
        )
        self._events_arg = events
        self._events: pd.DataFrame | None = None
        self._meta = articles.drop_duplicates("doc_id").set_index("doc_id")

    # ------------------------------------------------------------------ choices
    def options(self, limit: int | None = None) -> list[tuple[str, str]]:
        """Return ``(label, entity_id)`` choices, most mentioned first, labels made unique.

        Parameters
        ----------
        limit
            Keep the first ``limit`` entities.

        Returns
        -------
        list of tuple
            The label reads ``"Xi Jinping (PERSON, 210)"``.
        """
        rows = self.entities if limit is None else self.entities.head(limit)
        out = []
        for ent, label, typ, n in rows[["entity_id", "label", "type", "mentions"]].itertuples(
            index=False, name=None
        ):
            out.append((f"{label} ({typ}, {n})", str(ent)))
        return out

    def label(self, entity_id: str) -> str:
        """Return the entity's label (its id when unknown)."""
        hit = self.entities.loc[self.entities["entity_id"] == entity_id, "label"]
        return str(hit.iloc[0]) if len(hit) else entity_id

    # ------------------------------------------------------------------ tables
    def partners(self, entity_id: str, top: int | None = 25) -> pd.DataFrame:
        """Return the entities co-mentioned with ``entity_id``, most co-mentions first.

        Parameters
        ----------
        entity_id
            The chosen entity.
        top
            Keep this many partners (None for all).

        Returns
        -------
        pandas.DataFrame
            Columns partner (entity id), label, type, n_pair, npmi, g2, dice.
        """
        p = self.pairs
        as_a = p[p["a"] == entity_id]
        as_b = p[p["b"] == entity_id]
        label_b = as_a["label_b"] if "label_b" in p.columns else as_a["b"]
        label_a = as_b["label_a"] if "label_a" in p.columns else as_b["a"]
        frames = [
            pd.DataFrame({"partner": as_a["b"], "label": label_b}).join(
                as_a[list(PARTNER_COLUMNS[3:])]
            ),
            pd.DataFrame({"partner": as_b["a"], "label": label_a}).join(
                as_b[list(PARTNER_COLUMNS[3:])]
            ),
        ]
        out = pd.concat(frames, ignore_index=True)
        types = self.entities.set_index("entity_id")["type"]
        out.insert(2, "type", out["partner"].map(types))
        out = out.sort_values(["n_pair", "npmi", "partner"], ascending=[False, False, True])
        out = out.reset_index(drop=True)
        return out if top is None else out.head(top)

    def kwic(self, entity_id: str, limit: int | None = 50) -> pd.DataFrame:
        """Return the entity's mentions in context, oldest article first.

        Lines come from the mention spans, so every alias that was resolved to the entity
        appears, not only its label.

        Parameters
        ----------
        entity_id
            The chosen entity.
        limit
            Keep this many lines (None for all).

        Returns
        -------
        pandas.DataFrame
            Columns doc_id, published, outlet, left, keyword, right.
        """
        m = self.mentions[self.mentions["entity_id"] == entity_id]
        m = m[["doc_id", "start", "end"]].dropna()
        texts = self._meta["text"] if "text" in self._meta.columns else pd.Series(dtype=str)
        rows = []
        for doc_id, start, end in m.itertuples(index=False, name=None):
            text = texts.get(doc_id)
            if not isinstance(text, str):
                continue
            s, e = int(start), int(end)
            left = text[max(0, s - self.width) : s].replace("\n", " ")
            right = text[e : e + self.width].replace("\n", " ")
            rows.append((doc_id, left, text[s:e], right))
        out = pd.DataFrame(rows, columns=["doc_id", "left", "keyword", "right"])
        for col in ("published", "outlet"):
            src = self._meta[col] if col in self._meta.columns else pd.Series(dtype=object)
            out[col] = out["doc_id"].map(src)
        out = out.sort_values(["published", "doc_id"], kind="stable", na_position="last")
        out = out[list(KWIC_COLUMNS)].reset_index(drop=True)
        return out if limit is None else out.head(limit)

    def volume(self, entity_id: str) -> pd.DataFrame:
        """Return the entity's mention volume per period (:func:`newslab.timelines.mention_volume`).

        Articles without a date, or with a date the load report flags as implausible, are
        left out.
        """
        from newslab.timelines import mention_volume

        dated = plausible_dates(self.articles)
        return mention_volume(self.mentions, dated, freq=self.freq, entities=[entity_id])

    @property
    def grouped_events(self) -> pd.DataFrame:
        """The grouped events (found on first use when not given)."""
        if self._events is None:
            if isinstance(self._events_arg, pd.DataFrame):
                self._events = self._events_arg
            elif self._events_arg is False:
                from newslab import schema
                from newslab.events import GROUPED

                self._events = schema.empty(GROUPED)
            else:
                from newslab.events import extract_events, group_events
                from newslab.timex import timexes

                tx = timexes(self.sentences, self.articles)
                found = extract_events(self.articles, self.mentions, tx, self.sentences)
                self._events = group_events(found, self.articles)
        return self._events

    def events(self, entity_id: str, partner: str | None = None) -> pd.DataFrame:
        """Return the grouped events with ``entity_id`` (and ``partner``) among the actors.

        Returns
        -------
        pandas.DataFrame
            Columns date_start, date_end, label, status, n_sources, in date order.
        """
        g = self.grouped_events
        cols = ["date_start", "date_end", "label", "status", "n_sources"]
        if g.empty:
            return g.reindex(columns=cols)
        wanted = {entity_id} | ({partner} if partner else set())
        keep = g["actors"].map(lambda actors: wanted <= set(actors or ()))
        return g.loc[keep.to_numpy(), cols].reset_index(drop=True)

    def evidence(self, entity_id: str, partner: str) -> cm.Evidence:
        """Return the sentences naming both entities (:func:`newslab.comentions.evidence`)."""
        return cm.evidence(
            self.mentions,
            entity_id,
            partner,
            sentences=self.sentences,
            articles=self.articles,
            unit=self.unit,
            window=self.window,
        )

    def plot_volume(self, entity_id: str, ax: Any = None) -> Any:
        """Return an Axes with the entity's volume over time (a new figure when ``ax`` is None)."""
        from newslab.plot_timelines import mention_volume_plot

        if ax is None:
            from matplotlib.figure import Figure

            ax = Figure(figsize=(7, 2.6)).subplots()
        vol = self.volume(entity_id)
        if vol.empty:
            ax.set_title(f"{self.label(entity_id)}: no dated mentions")
            return ax
        mention_volume_plot(vol, entities=[entity_id], ax=ax)
        ax.set_title(f"{self.label(entity_id)}: mentions per period")
        return ax


# ---------------------------------------------------------------------- HTML


def table_html(frame: pd.DataFrame, empty: str = "nothing found", max_rows: int = 50) -> str:
    """Return an escaped HTML table of ``frame`` (dates shown as days).

    Examples
    --------
    >>> table_html(pd.DataFrame({"x": ["<b>"]}))
    '<table class="nl-explore"><thead><tr><th>x</th></tr></thead><tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
    >>> table_html(pd.DataFrame({"x": []}), empty="none <here>")
    '<p><i>none &lt;here&gt;</i></p>'
    """
    if frame.empty:
        return f"<p><i>{html.escape(empty)}</i></p>"

    def cell(v: Any) -> str:
        if v is None or (not isinstance(v, str | tuple) and pd.isna(v)):
            return ""
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, float):
            return f"{v:.3g}"
        return str(v)

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.head(max_rows).itertuples(index=False, name=None)
    )
    more = f"<p>… {len(frame) - max_rows} more</p>" if len(frame) > max_rows else ""
    return (
        f'<table class="nl-explore"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        + more
    )


def kwic_html(lines: pd.DataFrame) -> str:
    """Return escaped HTML for KWIC lines, the keyword highlighted.

    Examples
    --------
    >>> kwic_html(pd.DataFrame({"doc_id": ["d"], "published": [pd.NaT], "outlet": ["O"],
    ...     "left": ["a <i>"], "keyword": ["Xi"], "right": [" & b"]})).count("&lt;i&gt;")
    1
    """
    if lines.empty:
        return "<p><i>no mentions</i></p>"
    esc = html.escape
    rows = []
    for r in lines.itertuples(index=False):
        when = "" if pd.isna(r.published) else pd.Timestamp(r.published).strftime("%Y-%m-%d")
        outlet = "" if pd.isna(r.outlet) else str(r.outlet)
        rows.append(
            "<tr>"
            f"<td>{esc(when)}</td><td>{esc(outlet)}</td>"
            f'<td style="text-align:right;white-space:pre">{esc(str(r.left))}</td>'
            f"<td><mark><b>{esc(str(r.keyword))}</b></mark></td>"
            f'<td style="text-align:left;white-space:pre">{esc(str(r.right))}</td>'
            "</tr>"
        )
    return '<table class="nl-explore">' + "".join(rows) + "</table>"


# ---------------------------------------------------------------------- widgets


class ExplorerApp:
    """The widget layer over an :class:`Explorer`: two dropdowns and five panes.

    Attributes
    ----------
    state : Explorer
        The tables behind the app.
    entity, partner : ipywidgets.Dropdown
        The choices; setting ``.value`` (by hand or in code) refreshes the panes.
    partners_html, kwic_html, events_html, evidence_html : ipywidgets.HTML
        The panes (escaped HTML).
    volume_out : ipywidgets.Output
        Holds the volume plot.
    tables : dict of str to pandas.DataFrame
        The tables currently shown: ``partners``, ``kwic``, ``events``, ``evidence``.
    figure : matplotlib.figure.Figure or None
        The volume plot currently shown.
    widget : ipywidgets.VBox
        The whole app (what JupyterLab displays).
    """

    def __init__(self, state: Explorer, entity: str | None = None, limit: int = 200) -> None:
        import ipywidgets as w

        self.state = state
        self.tables: dict[str, pd.DataFrame] = {}
        self.figure: Any = None
        options = state.options(limit=limit)
        layout = w.Layout(width="420px")
        self.entity = w.Dropdown(options=options, description="Entity", layout=layout)
        self.partner = w.Dropdown(options=[], description="Partner", layout=layout)
        self.partners_html = w.HTML()
        self.kwic_html = w.HTML()
        self.events_html = w.HTML()
        self.evidence_html = w.HTML()
        self.volume_out = w.Output()
        tabs = w.Tab(
            children=[
                self.partners_html,
                self.kwic_html,
                self.volume_out,
                self.events_html,
                self.evidence_html,
            ]
        )
        for i, title in enumerate(["Partners", "KWIC", "Volume", "Events", "Evidence"]):
            tabs.set_title(i, title)
        self.tabs = tabs
        self.widget = w.VBox([w.HBox([self.entity, self.partner]), tabs])
        self.entity.observe(self._on_entity, names="value")
        self.partner.observe(self._on_partner, names="value")
        if entity is not None:
            self.entity.value = entity
        if self.entity.value is not None:
            self._show_entity(self.entity.value)

    # -------------------------------------------------------------- callbacks
    def _on_entity(self, change: dict[str, Any]) -> None:
        if change.get("new") is not None:
            self._show_entity(change["new"])

    def _on_partner(self, change: dict[str, Any]) -> None:
        self._show_pair(self.entity.value, change.get("new"))

    def _show_entity(self, entity_id: str) -> None:
        st = self.state
        partners = st.partners(entity_id)
        lines = st.kwic(entity_id)
        self.tables["partners"] = partners
        self.tables["kwic"] = lines
        name = html.escape(st.label(entity_id))
        self.partners_html.value = f"<h4>Co-mentioned with {name}</h4>" + table_html(
            partners, "no co-mentions"
        )
        self.kwic_html.value = f"<h4>{name} in context</h4>" + kwic_html(lines)
        self._show_volume(entity_id)
        choices = [
            (f"{lab} ({n})", pid)
            for pid, lab, n in partners[["partner", "label", "n_pair"]].itertuples(
                index=False, name=None
            )
        ]
        # new options select the first partner; refresh explicitly (the value may not change)
        self.partner.unobserve(self._on_partner, names="value")
        try:
            self.partner.options = choices
            self.partner.value = choices[0][1] if choices else None
        finally:
            self.partner.observe(self._on_partner, names="value")
        self._show_pair(entity_id, self.partner.value)

    def _show_pair(self, entity_id: str | None, partner: str | None) -> None:
        st = self.state
        if entity_id is None:
            return
        self.tables["events"] = st.events(entity_id, partner)
        who = html.escape(st.label(entity_id))
        if partner:
            who += " &amp; " + html.escape(st.label(partner))
        self.events_html.value = f"<h4>Events: {who}</h4>" + table_html(
            self.tables["events"], "no events"
        )
        if partner is None:
            self.tables["evidence"] = pd.DataFrame()
            self.evidence_html.value = "<p><i>pick a partner to read the evidence</i></p>"
            return
        ev = st.evidence(entity_id, partner)
        self.tables["evidence"] = ev
        self.evidence_html.value = ev._repr_html_()

    def _show_volume(self, entity_id: str) -> None:
        from IPython import get_ipython
        from IPython.display import display

        ax = self.state.plot_volume(entity_id)
        self.figure = ax.figure
        if get_ipython() is None:  # no kernel (plain Python, tests): keep the figure only
            return
        self.volume_out.clear_output(wait=True)
        with self.volume_out:
            display(self.figure)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def explore(
    articles: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    *,
    sentences: pd.DataFrame | None = None,
    events: pd.DataFrame | bool | None = None,
    types: str | Iterable[str] | None = ("PERSON", "COUNTRY", "ORG"),
    entity: str | None = None,
    unit: cm.Unit = "sentence",
    freq: str = "W",
) -> ExplorerApp:
    """Return an interactive explorer of entities, partners, context, volume, events and evidence.

    Display the result in JupyterLab (make it the last expression of a cell). Everything it
    shows is also available as tables: ``app.tables`` and ``app.state`` (an :class:`Explorer`).

    Parameters
    ----------
    articles
        Articles table from :func:`newslab.load_corpus`.
    mentions
        Its mentions (found with :func:`newslab.extract_entities` when None).
    sentences
        Its sentences (split when None).
    events
        Grouped events; found when None, left out with ``False``.
    types
        Entity types to offer and count (None for all, including ``UNKNOWN`` names).
    entity
        Entity id selected at start; default the most mentioned.
    unit, freq
        Co-mention unit and volume period.

    Returns
    -------
    ExplorerApp
    """
    state = Explorer(
        articles, mentions, sentences=sentences, events=events, types=types, unit=unit, freq=freq
    )
    return ExplorerApp(state, entity=entity)


class _CallableModule(types.ModuleType):
    """This module, callable: ``newslab.explore(df)`` works although ``explore`` is a module."""

    def __call__(self, *args: Any, **kwargs: Any) -> ExplorerApp:
        return explore(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
