"""A self-contained HTML report of a corpus: every stage's tables and figures in one file.

:func:`analyse` runs the pipeline once, in order (sentences -> entities -> co-mentions ->
temporal expressions -> events -> mention volume), and returns its tables in a dict; the
command line (``newslab report``, ``newslab comentions``, ...) and :func:`build_report` share
it, so the pipeline is written once. :func:`report_figures` draws the figures from those
tables, :func:`render_report` turns tables and figures into HTML, and :func:`build_report`
does all three and writes the file.

The HTML file needs nothing else: the CSS is inline, the figures are embedded as base64 PNG
``data:`` URIs, there is no JavaScript and no link to any external resource, so it can be
mailed, archived or opened offline. Every string that comes from the data (titles, outlets,
entity names, sentences, file names) is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from newslab import schema
from newslab.timelines import plausible_dates

__all__ = [
    "SECTIONS",
    "analyse",
    "articles_per_week",
    "articles_per_week_plot",
    "build_report",
    "figure_data_uri",
    "render_report",
    "report_figures",
]

#: The report's sections in order: HTML id -> heading.
SECTIONS: dict[str, str] = {
    "overview": "Corpus overview",
    "load-report": "Load report",
    "entities": "Top entities",
    "comentions": "Co-mentions",
    "pairs": "Top pairs",
    "pair-trends": "Pair trends",
    "evidence": "Evidence",
    "volume": "Mention volume",
    "timeline": "Event timeline",
    "events": "Events",
}

#: Entity types counted in co-mentions and volumes by default.
DEFAULT_TYPES: tuple[str, ...] = ("PERSON", "COUNTRY", "ORG")

#: Load-report warnings that make an article's date unfit for time charts.

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;
margin:0;color:#1d2125;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 4rem}
h1{font-size:1.7rem;margin:.2rem 0 .3rem}
h2{font-size:1.3rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
p.meta{color:#57606a;margin:.1rem 0 1rem}
nav ol{columns:2;font-size:.95rem;padding-left:1.2rem}
nav a{color:#0a58ca;text-decoration:none}
table{border-collapse:collapse;font-size:.85rem;margin:.4rem 0 1rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f5f7}
tbody tr:nth-child(even){background:#fafbfc}
figure{margin:.6rem 0 1.2rem}
figure img{max-width:100%;height:auto;border:1px solid #eaeef2}
figcaption{color:#57606a;font-size:.85rem}
mark.nl-a{background:#ffe08a}
mark.nl-b{background:#a8dcff}
.note{color:#57606a;font-style:italic}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.newslab-load-report h4{margin:.3rem 0}
"""


# ---------------------------------------------------------------------------
# The pipeline, once
# ---------------------------------------------------------------------------


def analyse(
    articles: pd.DataFrame,
    *,
    mentions: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    unit: str = "sentence",
    window: int = 3,
    types: Iterable[str] | None = DEFAULT_TYPES,
    freq: str = "W",
    discover: bool | str = True,
    stages: Iterable[str] | None = None,
    progress: bool = False,
) -> dict[str, pd.DataFrame]:
    """Return every table of the pipeline, computed in order from an articles table.

    Parameters
    ----------
    articles
        A table from :func:`newslab.load_corpus` (:data:`newslab.schema.ARTICLES`).
    mentions, sentences
        Precomputed mentions and sentences of ``articles``, to skip those stages.
    unit, window
        Co-mention unit and window, as for :func:`newslab.count_comentions`.
    types
        Entity types kept for co-mentions and volumes; None keeps every type.
    freq
        Period of the time tables: ``"D"``, ``"W"`` or ``"M"``.
    discover
        As for :func:`newslab.extract_entities` (``"rules"`` is faster than ``True``).
    stages
        Stop early: a subset of ``"entities"``, ``"comentions"``, ``"events"``,
        ``"volume"``; the tables those stages need are computed too. None computes all.
    progress
        Show a progress bar during entity extraction.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``articles`` (as given), ``dated`` (articles with a plausible date, used for the time
        tables), ``sentences``, ``mentions``, ``entities`` (:func:`newslab.entity_summary`),
        and as asked: ``pairs`` (:data:`newslab.schema.PAIRS` plus labels),
        ``pairs_over_time`` (per ``freq`` period), ``timexes``, ``events`` (event mentions),
        ``grouped_events`` (one row per event, :func:`newslab.events.group_events`) and
        ``volume`` (:func:`newslab.timelines.mention_volume`).

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Emmanuel Macron met Olaf Scholz."],
    ...                      "published": pd.to_datetime(["2023-03-01"])})
    >>> t = analyse(arts, discover=False, stages=["comentions"])
    >>> t["pairs"][["label_a", "label_b", "n_pair"]].values.tolist()
    [['Emmanuel Macron', 'Olaf Scholz', 1]]
    """
    import newslab as nl

    wanted = set(stages) if stages is not None else {"entities", "comentions", "events", "volume"}
    unknown = wanted - {"entities", "comentions", "events", "volume"}
    if unknown:
        raise ValueError(f"unknown stage(s): {', '.join(sorted(unknown))}")
    kinds = list(types) if types is not None else None
    dated = plausible_dates(articles) if "published" in articles.columns else articles.iloc[:0]
    out: dict[str, pd.DataFrame] = {"articles": articles, "dated": dated}
    sents = sentences if sentences is not None else nl.sentences(articles)
    out["sentences"] = sents
    if mentions is None:
        mentions = nl.extract_entities(
            articles, sentences=sents, discover=discover, progress=progress
        )
    out["mentions"] = mentions
    out["entities"] = nl.entity_summary(mentions, dated)  # first/last from plausible dates
    if "comentions" in wanted:
        out["pairs"] = nl.count_comentions(
            mentions, unit=unit, window=window, articles=articles, types=kinds
        )
        if len(dated):
            out["pairs_over_time"] = nl.comentions_over_time(
                mentions, dated, freq=freq, unit=unit, window=window, types=kinds
            )
        else:  # comentions_over_time cannot take an empty articles table
            out["pairs_over_time"] = schema.empty(
                {"period": "datetime64[ns]", **schema.PAIRS, "label_a": "str", "label_b": "str"}
            )
    if "events" in wanted:
        from newslab.events import extract_events, group_events

        out["timexes"] = nl.timexes(sents, articles)
        out["events"] = extract_events(articles, mentions, out["timexes"], sents)
        out["grouped_events"] = group_events(out["events"], articles)
    if "volume" in wanted:
        from newslab.timelines import mention_volume

        with warnings.catch_warnings():  # undated articles are reported in the overview
            warnings.simplefilter("ignore", UserWarning)
            out["volume"] = mention_volume(mentions, dated, freq=freq, types=kinds)
    return out


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def articles_per_week(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the number of dated articles per week (rows, Mondays) and outlet (columns).

    Examples
    --------
    >>> arts = pd.DataFrame({"published": pd.to_datetime(["2023-03-01", "2023-03-02", None]),
    ...                      "outlet": ["A", "B", "A"]})
    >>> articles_per_week(arts).values.tolist()
    [[1, 1]]
    """
    dated = articles.dropna(subset=["published"])
    outlet = dated["outlet"].astype("object").where(dated["outlet"].notna(), "(unknown)")
    week = pd.to_datetime(dated["published"]).dt.to_period("W").dt.start_time
    return (
        dated.groupby([week.rename("week"), outlet.rename("outlet")]).size().unstack(fill_value=0)
    )


def articles_per_week_plot(articles: pd.DataFrame, ax: Any = None) -> Any:
    """Return an Axes with a stacked bar per week: the articles of each outlet.

    Parameters
    ----------
    articles
        An articles table (``published``, ``outlet``).
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.8))
    counts = articles_per_week(articles)
    if counts.empty:
        ax.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=ax.transAxes)
        return ax
    counts.plot(kind="bar", stacked=True, ax=ax, width=0.85, colormap="tab10")
    ax.set_xticklabels([d.strftime("%d %b %Y") for d in counts.index], rotation=45, ha="right")
    ax.set_xlabel("week starting")
    ax.set_ylabel("articles")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title="outlet", fontsize=8, title_fontsize=8, ncols=2)
    ax.set_title("Articles per week by outlet")
    return ax


def report_figures(tables: Mapping[str, pd.DataFrame], top: int = 20) -> dict[str, Any]:
    """Return the report's matplotlib figures, drawn from :func:`analyse`'s tables.

    Figures whose table is missing or empty are left out.

    Parameters
    ----------
    tables
        Output of :func:`analyse`.
    top
        Entities in the heatmap and events on the timeline.

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        Keys among ``articles_per_week``, ``heatmap``, ``network``, ``pair_trends``,
        ``mention_volume``, ``event_timeline``; close them with ``plt.close(fig)``.
    """
    import matplotlib.pyplot as plt

    from newslab.plot import comention_heatmap, comention_network, pair_trends

    figs: dict[str, Any] = {}
    dated = tables.get("dated")
    if dated is not None and len(dated):
        figs["articles_per_week"] = articles_per_week_plot(dated).figure
    pairs = tables.get("pairs")
    if pairs is not None and len(pairs):
        fig, ax = plt.subplots(figsize=(8, 7))
        comention_heatmap(pairs, value="npmi", top=top, ax=ax)
        figs["heatmap"] = fig
        fig, ax = plt.subplots(figsize=(8, 7))
        comention_network(pairs, mentions=tables.get("mentions"), top=30, ax=ax)
        figs["network"] = fig
    over_time = tables.get("pairs_over_time")
    if over_time is not None and len(over_time):
        fig, ax = plt.subplots(figsize=(9, 4))
        present = set(zip(over_time["a"].astype(str), over_time["b"].astype(str), strict=False))
        top_pairs = _evidence_pairs(tables, 5)
        chosen = [
            (str(a), str(b))
            for a, b in zip(top_pairs["a"], top_pairs["b"], strict=False)
            if (str(a), str(b)) in present
        ]
        pair_trends(over_time, pairs=chosen or None, top=5, ax=ax)
        figs["pair_trends"] = fig
    volume = tables.get("volume")
    grouped = tables.get("grouped_events")
    if volume is not None and len(volume):
        from newslab.plot_timelines import mention_volume_plot

        fig, ax = plt.subplots(figsize=(9, 4))
        mention_volume_plot(
            volume,
            top=6,
            annotate=grouped if grouped is not None and len(grouped) else None,
            annotate_top=5,
            ax=ax,
        )
        figs["mention_volume"] = fig
    if grouped is not None and len(grouped):
        from newslab.plot_timelines import event_timeline

        fig, ax = plt.subplots(figsize=(10, 6))
        event_timeline(_shown_events(grouped), top=top, ax=ax)
        figs["event_timeline"] = fig
    for fig in figs.values():
        fig.tight_layout()
    return figs


def _shown_events(grouped: pd.DataFrame) -> pd.DataFrame:
    """Return the events worth a timeline row: those with two or more sources, if any."""
    several = grouped[grouped["n_sources"].fillna(0).to_numpy() >= 2]
    return several if len(several) else grouped


def figure_data_uri(fig: Any, dpi: int = 100) -> str:
    """Return a figure as a ``data:image/png;base64,...`` URI.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> figure_data_uri(fig).startswith("data:image/png;base64,iVBOR")
    True
    >>> plt.close(fig)
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


def _esc(value: Any) -> str:
    if value is None or (not isinstance(value, str | tuple | list) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def _table(df: pd.DataFrame, floats: str = "{:.3f}") -> str:
    """Return an escaped HTML table of ``df`` (no index)."""
    if df.empty:
        return "<p class='note'>nothing to show</p>"
    shown = df.copy()
    for col in shown.columns:
        if pd.api.types.is_datetime64_any_dtype(shown[col]):
            shown[col] = shown[col].dt.strftime("%Y-%m-%d")
        elif shown[col].dtype == object and shown[col].map(lambda v: isinstance(v, tuple)).any():
            shown[col] = shown[col].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, tuple) else v
            )
    return shown.to_html(
        index=False,
        escape=True,
        na_rep="",
        border=0,
        float_format=floats.format,
        classes="nl-table",
    )


def _figure(uri: str | None, alt: str, caption: str) -> str:
    if not uri:
        return "<p class='note'>no figure: nothing to draw for this corpus</p>"
    return (
        f'<figure><img src="{uri}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _overview(tables: Mapping[str, pd.DataFrame]) -> str:
    arts = tables["articles"]
    dated = tables.get("dated", arts.iloc[:0])
    n_undated = int(arts["published"].isna().sum()) if "published" in arts.columns else len(arts)
    n_flagged = len(arts) - n_undated - len(dated)
    if len(dated):
        span = f"{dated['published'].min():%d %b %Y} – {dated['published'].max():%d %b %Y}"
    else:
        span = "no dated articles"
    words = int(arts["n_words"].sum()) if "n_words" in arts.columns else 0
    n_dup = int(arts["dup_group"].notna().sum()) if "dup_group" in arts.columns else 0
    facts = [
        ("articles", f"{len(arts):,}"),
        ("words", f"{words:,}"),
        ("date range", span),
        ("undated articles", f"{n_undated:,}"),
        ("implausible dates (left out of time charts)", f"{n_flagged:,}"),
        ("articles in duplicate groups", f"{n_dup:,}"),
    ]
    dl = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    return f"<dl class='facts'>{dl}</dl>"


def _outlets(arts: pd.DataFrame) -> pd.DataFrame:
    if "outlet" not in arts.columns or arts.empty:
        return pd.DataFrame()
    frame = arts.assign(
        outlet=arts["outlet"].astype("object").where(arts["outlet"].notna(), "(unknown)")
    )
    agg: dict[str, Any] = {"articles": ("doc_id", "size")}
    if "n_words" in frame.columns:
        agg["words"] = ("n_words", "sum")
    if "published" in frame.columns:
        agg["first"] = ("published", "min")
        agg["last"] = ("published", "max")
    out = frame.groupby("outlet").agg(**agg).reset_index()
    return out.sort_values(["articles", "outlet"], ascending=[False, True], kind="stable")


def _load_report(arts: pd.DataFrame) -> str:
    report = arts.attrs.get("load_report")
    if report is None:
        return "<p class='note'>no load report: the articles were not read by load_corpus</p>"
    summary = report.summary()
    return report._repr_html_() + "<h3>Summary</h3>" + _table(summary[summary["count"] > 0])


def _pairs_table(
    pairs: pd.DataFrame, n: int, by: str = "n_pair", min_pair: int = 1
) -> pd.DataFrame:
    """Return the ``n`` pairs with the largest ``by`` among those seen ``min_pair`` times."""
    cols = ["label_a", "label_b", "n_pair", "n_a", "n_b", "npmi", "pmi", "g2", "g2_p", "dice"]
    kept = pairs[pairs["n_pair"].to_numpy() >= min_pair]
    if by != "n_pair":
        kept = kept.sort_values([by, "n_pair"], ascending=False, kind="stable")
    return kept[[c for c in cols if c in kept.columns]].head(n)


def _evidence_pairs(tables: Mapping[str, pd.DataFrame], n: int) -> pd.DataFrame:
    """Return the pairs to show evidence for: the most co-mentioned pairs of two people first.

    Pairs of two countries ("China & Russia") are frequent but say little; two people named in
    one sentence usually met, talked or clashed, which is what a reader wants to check.
    """
    pairs = tables["pairs"]
    ents = tables.get("entities")
    if ents is None or ents.empty or "type" not in ents.columns:
        return pairs.head(n)
    kind = dict(zip(ents["entity_id"].astype(str), ents["type"].astype(str), strict=False))
    people = (pairs["a"].astype(str).map(kind) == "PERSON") & (
        pairs["b"].astype(str).map(kind) == "PERSON"
    )
    first = pairs[people.fillna(False).to_numpy(bool)].head(n)
    rest = pairs.drop(first.index).head(n - len(first))
    return pd.concat([first, rest])


def _evidence_rows(ev: pd.DataFrame) -> str:
    from newslab.comentions import _highlight

    rows = []
    for rec in ev.to_dict("records"):
        published = rec.get("published")
        when = "" if published is None or pd.isna(published) else f"{published:%Y-%m-%d}"
        rows.append(
            f"<tr><td>{html.escape(when)}</td><td>{_esc(rec.get('outlet'))}</td>"
            f"<td>{_esc(rec.get('title'))}</td>"
            f"<td>{_highlight(str(rec.get('sentence') or ''), rec.get('marks') or ())}</td></tr>"
        )
    return (
        "<table class='nl-table'><thead><tr><th>published</th><th>outlet</th><th>title</th>"
        "<th>sentence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _evidence(tables: Mapping[str, pd.DataFrame], n_pairs: int, n_sentences: int) -> str:
    import newslab as nl

    pairs = tables.get("pairs")
    if pairs is None or pairs.empty:
        return "<p class='note'>no co-mentioned pairs</p>"
    parts = [
        "<p>The sentences behind the most co-mentioned pairs of people (then of any "
        "entities), earliest first; <mark class='nl-a'>one</mark> and "
        "<mark class='nl-b'>the other</mark> entity are highlighted.</p>"
    ]
    for row in _evidence_pairs(tables, n_pairs).itertuples(index=False):
        ev = nl.evidence(
            tables["mentions"],
            str(row.a),
            str(row.b),
            sentences=tables["sentences"],
            articles=tables["articles"],
        )
        label_a = getattr(row, "label_a", row.a)
        label_b = getattr(row, "label_b", row.b)
        distinct = ev.drop_duplicates(subset="sentence")  # syndicated copies repeat sentences
        shown = distinct.head(n_sentences)
        parts.append(
            f"<h3>{_esc(label_a)} &amp; {_esc(label_b)}</h3>"
            f"<p class='meta'>{len(ev):,} sentence(s) name both ({len(distinct):,} distinct); "
            f"the first {len(shown)} distinct ones shown.</p>" + _evidence_rows(shown)
        )
    return "".join(parts)


def _events_table(grouped: pd.DataFrame, n: int) -> pd.DataFrame:
    cols = ["label", "date_start", "date_end", "status", "trigger", "n_sources", "n_outlets"]
    order = grouped.sort_values(["n_sources", "date_start"], ascending=[False, True], kind="stable")
    return order[[c for c in cols if c in order.columns]].head(n)


def render_report(
    tables: Mapping[str, pd.DataFrame],
    figures: Mapping[str, str] | None = None,
    *,
    title: str = "newslab report",
    top: int = 20,
    evidence_pairs: int = 3,
    evidence_sentences: int = 5,
) -> str:
    """Return the report as one self-contained HTML document.

    Parameters
    ----------
    tables
        Output of :func:`analyse`.
    figures
        Figure name -> PNG data URI (see :func:`report_figures` and :func:`figure_data_uri`).
    title
        The report's title (escaped).
    top
        Rows of the entity, pair and event tables.
    evidence_pairs, evidence_sentences
        How many of the top pairs get evidence, and how many sentences each.

    Returns
    -------
    str
        HTML with inline CSS, images as data URIs and no JavaScript.
    """
    figs = dict(figures or {})
    arts = tables["articles"]
    body: dict[str, str] = {}
    body["overview"] = (
        _overview(tables)
        + _figure(
            figs.get("articles_per_week"),
            "articles per week by outlet",
            "Dated articles per week (Monday), stacked by outlet.",
        )
        + "<h3>Outlets</h3>"
        + _table(_outlets(arts))
    )
    body["load-report"] = _load_report(arts)
    ents = tables.get("entities", pd.DataFrame())
    body["entities"] = _table(ents.head(top))
    body["comentions"] = _figure(
        figs.get("heatmap"),
        "co-mention heatmap",
        "Normalised PMI between the most co-mentioned entities "
        "(positive: named together more often than chance).",
    ) + _figure(
        figs.get("network"),
        "co-mention network",
        "Co-mention network: node size is mentions, edge width co-mentions.",
    )
    pairs = tables.get("pairs", pd.DataFrame())
    body["pairs"] = (
        "<p>Raw counts (<code>n_pair</code>) favour frequent entities; NPMI, PMI, G² and Dice "
        "say how much more often two entities are named together than their frequencies "
        "alone would predict.</p><h3>Most co-mentioned</h3>"
        + _table(_pairs_table(pairs, top))
        + "<h3>Strongest association (NPMI, pairs seen at least 3 times)</h3>"
        + _table(_pairs_table(pairs, top, by="npmi", min_pair=3))
    )
    body["pair-trends"] = _figure(
        figs.get("pair_trends"),
        "pair trends",
        "Co-mentions per period of the most co-mentioned pairs of people (else of any entities).",
    )
    body["evidence"] = _evidence(tables, evidence_pairs, evidence_sentences)
    body["volume"] = _figure(
        figs.get("mention_volume"),
        "mention volume",
        "Mentions per period of the most mentioned entities, with the largest events marked.",
    )
    grouped = tables.get("grouped_events", pd.DataFrame())
    body["timeline"] = _figure(
        figs.get("event_timeline"),
        "event timeline",
        "Events reported by two or more independent articles (all events when none is); "
        "filled marks are reported events, hollow ones planned or expected.",
    )
    body["events"] = (
        f"<p>{len(grouped):,} events; the {min(top, len(grouped))} with the most sources.</p>"
        + _table(_events_table(grouped, top))
        if len(grouped)
        else "<p class='note'>no dated events found</p>"
    )
    toc = "".join(f'<li><a href="#{sid}">{html.escape(h)}</a></li>' for sid, h in SECTIONS.items())
    sections = "".join(
        f'<section id="{sid}"><h2>{html.escape(head)}</h2>{body[sid]}</section>'
        for sid, head in SECTIONS.items()
    )
    import newslab

    made = pd.Timestamp.now().strftime("%Y-%m-%d %H:%M")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='meta'>{len(arts):,} articles · made with newslab "
        f"{html.escape(newslab.__version__)} on {made}</p>"
        f"<nav><ol>{toc}</ol></nav>{sections}</main></body></html>\n"
    )


def build_report(
    articles: pd.DataFrame,
    out_path: str | os.PathLike[str],
    *,
    title: str = "newslab report",
    mentions: pd.DataFrame | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    figures_dir: str | os.PathLike[str] | None = None,
    top: int = 20,
    dpi: int = 100,
    **analyse_kwargs: Any,
) -> Path:
    """Return the path of a self-contained HTML report written for ``articles``.

    Parameters
    ----------
    articles
        A table from :func:`newslab.load_corpus` (its load report is shown when attached).
    out_path
        The HTML file to write (parent folders are created).
    title
        The report's title.
    mentions
        Precomputed mentions, to skip entity extraction.
    tables
        Precomputed output of :func:`analyse`, to skip the whole pipeline.
    figures_dir
        Also save each figure there as ``<name>.png``.
    top
        Rows of the tables, entities in the heatmap, events on the timeline.
    dpi
        Resolution of the embedded figures.
    **analyse_kwargs
        Passed to :func:`analyse` (``unit``, ``types``, ``freq``, ``discover``, ...).

    Returns
    -------
    pathlib.Path
        ``out_path``.
    """
    import matplotlib.pyplot as plt

    if tables is None:
        tables = analyse(articles, mentions=mentions, **analyse_kwargs)
    figs = report_figures(tables, top=top)
    uris: dict[str, str] = {}
    try:
        for name, fig in figs.items():
            uris[name] = figure_data_uri(fig, dpi=dpi)
            if figures_dir is not None:
                Path(figures_dir).mkdir(parents=True, exist_ok=True)
                fig.savefig(Path(figures_dir) / f"{name}.png", dpi=120, bbox_inches="tight")
    finally:
        for fig in figs.values():
            plt.close(fig)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(tables, uris, title=title, top=top), encoding="utf-8")
    return out
