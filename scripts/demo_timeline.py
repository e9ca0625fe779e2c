#!/usr/bin/env python
"""Draw the event timeline of the demo corpus to ``out/timeline-demo.png``.

Runs the whole chain on ``data/demo``: load, sentences, entities, temporal expressions,
event mentions, grouping across articles; then draws the events reported by at least
``--min-articles`` independent articles (``n_sources``, two by default) with :func:`newslab.plot_timelines.event_timeline`.

Usage::

    python scripts/demo_timeline.py                      # out/timeline-demo.png
    python scripts/demo_timeline.py --out fig.png --min-articles 3 --top 15
    python scripts/demo_timeline.py --volume out/volume-demo.png   # also weekly mentions
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import newslab as nl  # noqa: E402
from newslab.entities import extract_entities  # noqa: E402
from newslab.events import extract_events, group_events  # noqa: E402
from newslab.plot_timelines import event_timeline, mention_volume_plot  # noqa: E402
from newslab.text import sentences  # noqa: E402
from newslab.timelines import mention_volume  # noqa: E402
from newslab.timex import timexes  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Run the demo pipeline and write the timeline figure; return the exit status.

    Parameters
    ----------
    argv
        Command-line arguments (``sys.argv[1:]`` when None).

    Returns
    -------
    int
        0 on success.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT / "data" / "demo"))
    parser.add_argument("--out", default=str(ROOT / "out" / "timeline-demo.png"))
    parser.add_argument("--min-articles", type=int, default=2)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--volume", help="also draw weekly person mentions to this PNG")
    args = parser.parse_args(argv)

    articles = nl.load_corpus(args.corpus)
    sents = sentences(articles)
    mentions = extract_entities(articles, sentences=sents)
    tx = timexes(sents, articles)
    events = extract_events(articles, mentions, tx, sents)
    grouped = group_events(events)
    shown = grouped[grouped["n_sources"] >= args.min_articles]

    ax = event_timeline(shown, top=args.top, published=True)
    ax.set_title(
        f"Events reported by at least {args.min_articles} independent articles "
        f"({len(shown)} of {len(grouped)} events, {len(articles)} articles)"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    ax.figure.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(ax.figure)
    print(f"{out}: {min(len(shown), args.top)} events drawn")
    if args.volume:
        # the demo corpus holds a few broken dates on purpose (none, or years ahead)
        dated = articles[
            articles["published"].notna() & (articles["published"] <= pd.Timestamp.now())
        ]
        volume = mention_volume(mentions, dated, freq="W", normalize=True, types=["PERSON"])
        ax = mention_volume_plot(volume, top=5, value="share", annotate=shown, annotate_top=6)
        ax.set_title("Share of the week's articles naming each person; main events marked")
        ax.figure.savefig(args.volume, dpi=120, bbox_inches="tight")
        plt.close(ax.figure)
        print(f"{args.volume}: weekly volume drawn")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
