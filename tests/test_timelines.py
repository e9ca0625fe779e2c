"""Mention volume per period and the timeline plots (Agg backend)."""

from __future__ import annotations

from itertools import pairwise

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from newslab import schema  # noqa: E402
from newslab.plot_timelines import event_timeline, mention_volume_plot  # noqa: E402
from newslab.timelines import mention_volume, period_start  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- period_start
@pytest.mark.parametrize(
    ("day", "freq", "start"),
    [
        ("2023-03-22 15:00", "D", "2023-03-22"),
        ("2023-03-26", "W", "2023-03-20"),  # a Sunday belongs to the week of Monday 20th
        ("2023-03-27", "W", "2023-03-27"),  # a Monday starts its week
        ("2023-01-01", "W", "2022-12-26"),  # the week across the year end
        ("2023-03-31", "M", "2023-03-01"),
    ],
)
def test_period_start(day, freq, start):
    out = period_start(pd.Series(pd.to_datetime([day, None])), freq)
    assert out.iloc[0] == pd.Timestamp(start)
    assert pd.isna(out.iloc[1])


def test_period_start_rejects_unknown_freq():
    with pytest.raises(ValueError, match="freq"):
        period_start(pd.Series(pd.to_datetime(["2023-03-22"])), "Q")


# --------------------------------------------------------------------------- mention_volume
@pytest.fixture
def small() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four dated articles over two weeks, one undated; Xi in three, Putin in two."""
    arts = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "published": pd.to_datetime(
                ["2023-03-20", "2023-03-20", "2023-03-26", "2023-03-27", None]
            ),
        }
    )
    rows = [
        ("a", "person:xi", "Xi", "PERSON"),
        ("a", "person:xi", "Xi", "PERSON"),
        ("a", "person:putin", "Putin", "PERSON"),
        ("b", "country:CHN", "China", "COUNTRY"),
        ("c", "person:xi", "Xi", "PERSON"),
        ("d", "person:xi", "Xi", "PERSON"),
        ("d", "person:putin", "Putin", "PERSON"),
        ("e", "person:xi", "Xi", "PERSON"),  # undated: left out
    ]
    ments = pd.DataFrame(rows, columns=["doc_id", "entity_id", "label", "type"])
    return arts, ments


def _cell(v: pd.DataFrame, period: str, entity: str, col: str):
    hit = v[(v["period"] == pd.Timestamp(period)) & (v["entity_id"] == entity)]
    assert len(hit) == 1, (period, entity)
    return hit[col].iloc[0]


def test_mention_volume_daily_counts_by_hand(small):
    arts, ments = small
    with pytest.warns(UserWarning, match="1 article"):
        v = mention_volume(ments, arts, freq="D")
    assert list(v.columns) == list(schema.VOLUME)
    assert v.attrs["undated_documents"] == 1
    assert _cell(v, "2023-03-20", "person:xi", "mentions") == 2
    assert _cell(v, "2023-03-20", "person:xi", "documents") == 1
    assert _cell(v, "2023-03-26", "person:xi", "mentions") == 1
    assert _cell(v, "2023-03-27", "person:putin", "mentions") == 1
    # every dated mention is counted exactly once
    dated = ments[ments["doc_id"] != "e"]
    assert v["mentions"].sum() == len(dated)
    assert v["period"].is_monotonic_increasing


def test_mention_volume_weekly_and_normalised_by_articles(small):
    arts, ments = small
    with pytest.warns(UserWarning):
        v = mention_volume(ments, arts, freq="W", normalize=True)
    # week of 20 March: articles a, b, c; Xi in a and c (3 mentions), Putin in a
    assert _cell(v, "2023-03-20", "person:xi", "mentions") == 3
    assert _cell(v, "2023-03-20", "person:xi", "documents") == 2
    assert _cell(v, "2023-03-20", "person:xi", "n_articles") == 3
    assert _cell(v, "2023-03-20", "person:xi", "share") == pytest.approx(2 / 3)
    assert _cell(v, "2023-03-20", "person:xi", "per_article") == pytest.approx(3 / 3)
    assert _cell(v, "2023-03-20", "person:putin", "share") == pytest.approx(1 / 3)
    # week of 27 March: only article d
    assert _cell(v, "2023-03-27", "person:putin", "share") == pytest.approx(1.0)
    assert (v["share"] <= 1).all()


def test_mention_volume_filters(small):
    arts, ments = small
    with pytest.warns(UserWarning):
        v = mention_volume(ments, arts, freq="W", types=["COUNTRY"])
    assert set(v["entity_id"]) == {"country:CHN"}
    with pytest.warns(UserWarning):
        v = mention_volume(ments, arts, freq="W", top=1)
    assert set(v["entity_id"]) == {"person:xi"}
    with pytest.warns(UserWarning):
        v = mention_volume(ments, arts, freq="W", entities=["person:putin"])
    assert v["mentions"].sum() == 2


def test_mention_volume_reads_dates_from_mentions_without_articles(small):
    arts, ments = small
    dated = ments.merge(arts, on="doc_id")
    dated = dated[dated["published"].notna()]
    with_arts = mention_volume(ments[ments["doc_id"] != "e"], arts[arts["doc_id"] != "e"], freq="W")
    alone = mention_volume(dated, freq="W")
    pd.testing.assert_frame_equal(alone, with_arts)
    with pytest.raises(ValueError, match="normalize"):
        mention_volume(dated, freq="W", normalize=True)
    with pytest.raises(ValueError, match="dates"):
        mention_volume(ments, freq="W")
    with pytest.raises(TypeError):
        mention_volume(ments, "W")


def test_mention_volume_empty_is_typed(small):
    arts, ments = small
    with pytest.warns(UserWarning):
        v = mention_volume(ments, arts, entities=["person:nobody"], normalize=True)
    assert v.empty and list(v.columns[:5]) == list(schema.VOLUME)
    assert "share" in v.columns


# --------------------------------------------------------------------------- plots
def _grouped() -> pd.DataFrame:
    """Three grouped events: a reported range, a reported day and a planned range."""
    return pd.DataFrame(
        {
            "event_id": [0, 1, 2],
            "date_start": pd.to_datetime(["2023-03-20", "2023-02-22", "2023-04-05"]),
            "date_end": pd.to_datetime(["2023-03-22", "2023-02-22", "2023-04-07"]),
            "granularity": ["day", "day", "day"],
            "status": ["reported", "reported", "planned"],
            "n_sources": [9, 6, 3],
            "n_mentions": [14, 6, 4],
            "first_published": pd.to_datetime(["2023-03-17", "2023-02-21", "2023-04-01"]),
            "label": ["Xi in Moscow", "Wang Yi in Moscow", "Macron in China"],
        }
    )


def _point_lines(ax) -> list[Line2D]:
    return [ln for ln in ax.lines if ln.get_marker() == "o"]


def test_event_timeline_draws_bars_for_ranges_and_points_for_days():
    g = _grouped()
    fig, ax0 = plt.subplots()
    ax = event_timeline(g, ax=ax0, published=True)
    assert ax is ax0
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    n_ranges = int((g["date_end"] > g["date_start"]).sum())
    assert len(bars) == n_ranges
    assert len(_point_lines(ax)) == len(g) - n_ranges
    # rows are in date order, each labelled on the y axis
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == g.sort_values("date_start")["label"].tolist()
    # planned is hollow and dashed, reported filled
    by_width = sorted(bars, key=lambda b: b.get_x())
    reported, planned = by_width
    assert reported.get_facecolor()[3] > 0
    assert planned.get_facecolor() == to_rgba("none")
    assert planned.get_linestyle() == "--"
    # publication dates: one "x" marker per event
    pub = [ln for ln in ax.lines if ln.get_marker() == "x"]
    assert len(pub) == 1 and len(pub[0].get_xdata()) == len(g)
    # the source counts are written at the right
    texts = {t.get_text() for t in ax.texts}
    assert {str(n) for n in g["n_sources"]} <= texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"reported", "planned", "first published"} <= set(legend)


def test_event_timeline_top_and_coarse_spans():
    g = _grouped()
    g.loc[0, ["date_start", "date_end", "granularity"]] = [
        pd.Timestamp("2023-03-01"),
        pd.Timestamp("2023-03-31"),
        "month",
    ]
    ax = event_timeline(g, top=2, published=False)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # the two events with the most sources, in date order
    keep = g.nlargest(2, "n_sources").sort_values("date_start")["label"].tolist()
    assert labels == keep
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1
    assert not [ln for ln in ax.lines if ln.get_marker() == "x"]  # published not asked


def test_event_timeline_empty():
    ax = event_timeline(_grouped().iloc[:0])
    assert not ax.patches and not ax.lines


def _volume() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.to_datetime(["2023-03-13", "2023-03-20", "2023-03-20", "2023-03-27"]),
            "entity_id": ["person:xi", "person:xi", "person:putin", "person:putin"],
            "label": ["Xi", "Xi", "Putin", "Putin"],
            "mentions": [2, 10, 6, 1],
            "documents": [1, 5, 3, 1],
        }
    )


def test_mention_volume_plot_lines_and_annotations():
    vol = _volume()
    fig, ax0 = plt.subplots()
    ax = mention_volume_plot(vol, annotate=_grouped(), ax=ax0)
    assert ax is ax0
    entity_lines = [ln for ln in ax.lines if ln.get_label() in {"Xi", "Putin"}]
    assert len(entity_lines) == vol["entity_id"].nunique()
    # periods without mentions are drawn as 0: every line spans all three weeks
    assert all(len(ln.get_xdata()) == vol["period"].nunique() for ln in entity_lines)
    xi = next(ln for ln in entity_lines if ln.get_label() == "Xi")
    assert list(xi.get_ydata()) == [2.0, 10.0, 0.0]
    # only the Xi range (20-22 March) falls inside the periods: one band and its label
    annotations = [t.get_text() for t in ax.texts]
    assert annotations == ["Xi in Moscow"]
    assert len(ax.patches) == 1


def test_mention_volume_plot_top_and_value():
    vol = _volume()
    ax = mention_volume_plot(vol, top=1, value="documents")
    assert [ln.get_label() for ln in ax.lines] == ["Xi"]
    assert ax.get_ylabel() == "documents"
    with pytest.raises(ValueError, match="share"):
        mention_volume_plot(vol, value="share")


def test_mention_volume_plot_pushes_close_labels_apart():
    periods = pd.date_range("2023-01-02", "2023-06-26", freq="W-MON")
    vol = pd.DataFrame(
        {
            "period": periods,
            "entity_id": "person:xi",
            "label": "Xi",
            "mentions": range(len(periods)),
            "documents": 1,
        }
    )
    events = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["2023-03-20", "2023-03-21", "2023-03-21"]),
            "date_end": pd.to_datetime(["2023-03-22", "2023-03-21", "2023-03-21"]),
            "actors": [("country:RUS", "person:xi"), ("person:putin",), ("person:mishustin",)],
            "labels": [("Russia", "Xi Jinping"), ("Vladimir Putin",), ("Mishustin",)],
            "trigger": ["visit", "sign", "meet"],
            "n_sources": [9, 2, 1],
        }
    )
    ax = mention_volume_plot(vol, annotate=events)
    texts = sorted(ax.texts, key=lambda t: t.get_position()[0])
    # the first person is named, not the country listed before him
    assert [t.get_text() for t in texts] == [
        "Xi Jinping: visit",
        "Vladimir Putin: sign",
        "Mishustin: meet",
    ]
    xs = [t.get_position()[0] for t in texts]
    lo, hi = ax.get_xlim()
    assert all(b - a >= 0.019 * (hi - lo) for a, b in pairwise(xs))
    # one band for the range, one dashed line per single day
    assert len(ax.patches) == 1
    assert len([ln for ln in ax.lines if ln.get_linestyle() == "--"]) == 2


def test_mention_volume_plot_fills_missing_weeks_with_zero():
    vol = pd.DataFrame(
        {
            "period": pd.to_datetime(["2023-03-06", "2023-03-27"]),
            "entity_id": ["person:xi", "person:xi"],
            "label": ["Xi", "Xi"],
            "mentions": [4, 2],
            "documents": [2, 1],
        }
    )
    ax = mention_volume_plot(vol)
    (line,) = ax.lines
    assert list(line.get_ydata()) == [4.0, 0.0, 0.0, 2.0]
    weeks = pd.to_datetime(pd.Series(line.get_xdata()))
    assert (weeks.diff().dropna() == pd.Timedelta(days=7)).all()


def test_mention_volume_plot_uses_the_tables_freq(small):
    arts, ments = small
    with pytest.warns(UserWarning):
        v = mention_volume(ments, arts, freq="D", entities=["person:putin"])
    assert v.attrs["freq"] == "D"
    (line,) = mention_volume_plot(v).lines
    # Putin on 20 and 27 March: seven days drawn, the six between them at 0
    assert list(line.get_ydata()) == [1.0, 0, 0, 0, 0, 0, 0, 1.0]
