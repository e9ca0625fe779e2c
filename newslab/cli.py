"""The ``newslab`` command line: ingest a corpus, run the demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]


def _ingest(args: argparse.Namespace) -> int:
    import newslab as nl

    out = nl.ingest(
        args.source,
        args.out,
        chunk_size=args.chunk_size,
        workers=args.workers,
        overwrite=args.overwrite,
        progress=False if args.quiet else None,
    )
    report = nl.corpus.dataset.read_report(out)
    (out / "load-report.html").write_text(report._repr_html_(), "utf-8")
    print(report)
    print(f"wrote the dataset {out} ({report.n_articles} articles) and {out / 'load-report.html'}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import newslab as nl

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    df = nl.load_corpus(args.corpus, progress=False)
    nl.save_corpus(df, out / "corpus.parquet")
    report = nl.get_report(df)
    (out / "load-report.html").write_text(report._repr_html_(), "utf-8")
    (out / "load-report.txt").write_text(str(report) + "\n", "utf-8")
    dated = df.dropna(subset=["published"])
    counts = (
        dated.groupby([dated["published"].dt.to_period("W").dt.start_time, "outlet"])
        .size()
        .unstack(fill_value=0)
    )
    fig, ax = plt.subplots(figsize=(9, 4))
    counts.plot(kind="bar", stacked=True, ax=ax, width=0.85)
    ax.set_xticklabels([d.strftime("%d %b") for d in counts.index], rotation=45, ha="right")
    ax.set_xlabel("week starting")
    ax.set_ylabel("articles")
    ax.set_title("Demo corpus: articles per week by outlet")
    fig.tight_layout()
    fig.savefig(out / "articles-per-week.png", dpi=120)
    print(report)
    print(f"demo outputs in {out.resolve()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``newslab`` command."""
    parser = argparse.ArgumentParser(
        prog="newslab",
        description="Study news coverage: corpora, entities, co-mentions, timelines.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "ingest", help="load a folder/archive of articles into a partitioned Parquet dataset"
    )
    p.add_argument("source", help="folder, glob, file or archive of articles")
    p.add_argument("--out", required=True, help="output dataset folder")
    p.add_argument("--chunk-size", type=int, default=20_000, help="articles per Parquet part")
    p.add_argument("--workers", type=int, default=1, help="parse with this many processes")
    p.add_argument("--overwrite", action="store_true", help="replace an existing dataset folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_ingest)

    p = sub.add_parser("demo", help="run the main job on the demo corpus")
    p.add_argument("--corpus", default="data/demo", help="corpus folder (default data/demo)")
    p.add_argument("--out", default="out/demo", help="output folder (default out/demo)")
    p.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (FileNotFoundError, FileExistsError, ValueError, KeyError) as exc:
        print(f"newslab: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
