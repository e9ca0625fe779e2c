"""The ``newslab`` command line: each pipeline stage, the HTML report, the notebooks, the demo.

Subcommands (``newslab <command> --help`` for each)::

    newslab ingest     FOLDER --out DATASET        a Parquet dataset + load report
    newslab entities   CORPUS --out mentions.csv   entity mentions + per-entity summary
    newslab comentions CORPUS --out pairs.csv      pairs with association measures (+ graph)
    newslab timeline   CORPUS --out events.csv     grouped events + timeline figure
    newslab report     CORPUS --out report.html    self-contained HTML report
    newslab notebooks  CORPUS --out DIR            run the curated notebooks on CORPUS
    newslab demo                                   all of it on data/demo, into out/demo

``CORPUS`` is anything :func:`newslab.load_corpus` reads (a folder, glob, file or archive),
a dataset folder written by ``newslab ingest``, or a ``.parquet`` file written by
:func:`newslab.save_corpus`. The analysis commands share :func:`newslab.report.analyse`.

Exit codes: 0 success, 2 usage error or bad input (missing path, unsupported output type),
1 any other failure. Errors are one line on stderr, without a traceback (set
``NEWSLAB_DEBUG=1`` to see it).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["CommandError", "UsageError", "build_parser", "main", "read_input", "write_table"]

#: Table outputs the analysis commands can write, by file suffix.
TABLE_SUFFIXES = (".csv", ".parquet")
GRAPH_SUFFIXES = (".gexf", ".graphml")


class UsageError(Exception):
    """A bad command line or input: reported on one line, exit code 2."""


class CommandError(Exception):
    """A command that cannot be carried out here (e.g. a missing extra): exit code 1."""


# ---------------------------------------------------------------------------
# Inputs and outputs
# ---------------------------------------------------------------------------


def _is_saved_corpus(path: Path) -> bool:
    """Return True for a ``.parquet`` file written by :func:`newslab.save_corpus`."""
    import pyarrow.parquet as pq

    from newslab import schema

    try:
        names = set(pq.read_schema(path).names)
    except Exception:  # not Parquet at all: let load_corpus report it
        return False
    return set(schema.ARTICLES) <= names


def read_input(source: str, *, quiet: bool = True) -> pd.DataFrame:
    """Return the articles of a corpus given on the command line.

    Parameters
    ----------
    source
        A folder, glob, file or archive of articles (:func:`newslab.load_corpus`), a dataset
        folder (:func:`newslab.ingest`) or a corpus Parquet file (:func:`newslab.save_corpus`).
    quiet
        No progress bar.

    Returns
    -------
    pandas.DataFrame
        The articles, with the load report in ``attrs["load_report"]``.

    Raises
    ------
    UsageError
        When the path does not exist or holds no article.
    """
    import newslab as nl

    path = Path(source)
    if not any(ch in source for ch in "*?[") and not path.exists():
        raise UsageError(f"no such file or folder: {source}")
    if path.is_dir() and (path / "dataset.json").is_file():
        df = nl.read_dataset(path)
    elif path.is_file() and path.suffix == ".parquet" and _is_saved_corpus(path):
        df = nl.read_corpus(path)
    else:
        df = nl.load_corpus(source, progress=False if quiet else None)
    if df.empty:
        raise UsageError(f"no articles could be read from {source} (see its load report)")
    return df


def _table_path(value: str, what: str = "--out") -> Path:
    path = Path(value)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise UsageError(f"{what} must end in .csv or .parquet, not {value!r}")
    return path


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with tuple cells joined by '; ' (for CSV)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, tuple)).any():
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, tuple) else v)
    return out


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as CSV or Parquet (by suffix) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    plain = df.reset_index(drop=True)
    plain.attrs = {}
    if path.suffix.lower() == ".parquet":
        for col in plain.columns:  # tuples of ids -> lists, which Parquet stores natively
            if plain[col].dtype == object and plain[col].map(lambda v: isinstance(v, tuple)).any():
                plain[col] = plain[col].map(lambda v: list(v) if isinstance(v, tuple) else v)
        plain.to_parquet(path, index=False)
    else:
        _flat(plain).to_csv(path, index=False)
    return path


def _types(value: str | None) -> list[str] | None:
    if value is None or value.strip().lower() in ("", "all"):
        return None
    return [t.strip().upper() for t in value.split(",") if t.strip()]


def _discover(value: str) -> bool | str:
    return {"yes": True, "rules": "rules", "no": False}[value]


def _analyse(args: argparse.Namespace, articles: pd.DataFrame, stages: list[str]) -> dict:
    from newslab.report import analyse

    return analyse(
        articles,
        unit=args.unit,
        window=args.window,
        types=_types(args.types),
        freq=args.freq,
        discover=_discover(args.discover),
        stages=stages,
        progress=not args.quiet,
    )


def _say(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text)


# ---------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------


def _ingest(args: argparse.Namespace) -> int:
    import newslab as nl

    if not any(ch in args.source for ch in "*?[") and not Path(args.source).exists():
        raise UsageError(f"no such file or folder: {args.source}")
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


def _entities(args: argparse.Namespace) -> int:
    out = _table_path(args.out)
    summary_path = _table_path(args.summary, "--summary") if args.summary else None
    tables = _analyse(args, read_input(args.corpus), stages=["entities"])
    write_table(tables["mentions"], out)
    summary_path = summary_path or out.with_name(out.stem + ".summary" + out.suffix)
    write_table(tables["entities"], summary_path)
    _say(args, tables["entities"].head(10).to_string(index=False))
    print(
        f"wrote {len(tables['mentions']):,} mentions of {len(tables['entities']):,} entities "
        f"to {out} and the summary to {summary_path}"
    )
    return 0


def _comentions(args: argparse.Namespace) -> int:
    out = _table_path(args.out)
    if args.graph and Path(args.graph).suffix.lower() not in GRAPH_SUFFIXES:
        raise UsageError(f"--graph must end in .gexf or .graphml, not {args.graph!r}")
    tables = _analyse(args, read_input(args.corpus), stages=["comentions"])
    pairs = tables["pairs"]
    if args.min_count > 1:
        pairs = pairs[pairs["n_pair"] >= args.min_count]
    write_table(pairs, out)
    msg = f"wrote {len(pairs):,} pairs to {out}"
    if args.over_time:
        path = write_table(tables["pairs_over_time"], _table_path(args.over_time, "--over-time"))
        msg += f", pairs per period to {path}"
    if args.graph:
        import newslab as nl

        graph = nl.comention_graph(pairs, mentions=tables["mentions"])
        path = nl.write_graph(graph, args.graph)
        msg += f", the graph ({graph.number_of_nodes()} nodes) to {path}"
    cols = [c for c in ("label_a", "label_b", "n_pair", "npmi", "g2") if c in pairs.columns]
    _say(args, pairs[cols].head(10).to_string(index=False))
    print(msg)
    return 0


def _timeline(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from newslab.plot_timelines import event_timeline

    out = _table_path(args.out)
    figure = Path(args.figure) if args.figure else out.with_suffix(".png")
    if figure.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--figure must end in .png, .svg or .pdf, not {args.figure!r}")
    tables = _analyse(args, read_input(args.corpus), stages=["events"])
    grouped = tables["grouped_events"]
    write_table(grouped, out)
    if args.mentions:
        write_table(tables["events"], _table_path(args.mentions, "--mentions"))
    shown = grouped[grouped["n_sources"] >= args.min_sources]
    fig, ax = plt.subplots(figsize=(10, 6))
    if len(shown):
        event_timeline(shown, top=args.top, ax=ax)
    else:
        ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
    figure.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(figure, dpi=120, bbox_inches="tight")
    plt.close(fig)
    cols = [c for c in ("label", "status", "n_sources") if c in grouped.columns]
    top = grouped.sort_values("n_sources", ascending=False, kind="stable")
    _say(args, top[cols].head(10).to_string(index=False))
    print(
        f"wrote {len(grouped):,} events to {out} and the timeline of "
        f"{min(len(shown), args.top)} to {figure}"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from newslab.report import build_report

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"--out must end in .html, not {args.out!r}")
    articles = read_input(args.corpus)
    tables = _analyse(args, articles, stages=["comentions", "events", "volume"])
    title = args.title or f"newslab report: {Path(args.corpus).name or args.corpus}"
    build_report(articles, out, title=title, tables=tables, figures_dir=args.figures, top=args.top)
    print(f"wrote the report to {out.resolve()}")
    return 0


def _parameters(items: Sequence[str] | None) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items or ():
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-p expects NAME=VALUE, not {item!r}")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        params[name.strip()] = value
    return params


def _notebooks_missing() -> str | None:
    """Return why the notebooks cannot run here, or None when they can."""
    for module in ("papermill", "ipykernel"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install 'newslab[notebooks]')"
    return None


def _notebooks(args: argparse.Namespace) -> int:
    if not any(ch in args.corpus for ch in "*?[") and not Path(args.corpus).exists():
        raise UsageError(f"no such file or folder: {args.corpus}")
    params = _parameters(args.parameter)
    missing = _notebooks_missing()
    if missing:
        raise CommandError(f"cannot run the notebooks: {missing}")
    from newslab.notebooks import run_notebooks

    corpus = str(Path(args.corpus).resolve())
    done = run_notebooks(corpus, args.out, params or None, names=args.only or None)
    for path in done:
        print(path)
    print(f"ran {len(done)} notebook(s) on {args.corpus}; executed copies in {args.out}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import newslab as nl
    from newslab.report import build_report

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    articles = read_input(args.corpus)
    nl.save_corpus(articles, out / "corpus.parquet")
    report = nl.get_report(articles)
    (out / "load-report.html").write_text(report._repr_html_(), "utf-8")
    (out / "load-report.txt").write_text(str(report) + "\n", "utf-8")
    print(report)
    tables = _analyse(args, articles, stages=["comentions", "events", "volume"])
    write_table(tables["entities"], out / "entities.csv")
    write_table(tables["pairs"], out / "pairs.csv")
    write_table(tables["grouped_events"], out / "events.csv")
    path = build_report(
        articles,
        out / "report.html",
        title="newslab demo: news coverage of China, Russia and Ukraine, Jan-Apr 2023"
        if args.corpus == "data/demo"
        else f"newslab report: {Path(args.corpus).name}",
        tables=tables,
        figures_dir=out / "figures",
    )
    if args.no_notebooks:
        print("notebooks: skipped (--no-notebooks)")
    elif (why := _notebooks_missing()) is not None:
        print(f"notebooks: skipped, {why}")
    else:
        from newslab.notebooks import run_notebooks

        done = run_notebooks(str(Path(args.corpus).resolve()), out / "notebooks")
        print(f"notebooks: ran {len(done)}, executed copies in {out / 'notebooks'}")
    print(
        f"demo outputs in {out.resolve()}: corpus.parquet, load-report.html, entities.csv, "
        "pairs.csv, events.csv, figures/, report.html"
    )
    print(f"open the report: {path.resolve()}")
    return 0


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


def _analysis_options(p: argparse.ArgumentParser, *, comentions: bool = True) -> None:
    g = p.add_argument_group("analysis")
    g.add_argument(
        "--types",
        default="PERSON,COUNTRY,ORG",
        help="entity types counted, comma-separated, or 'all' (default PERSON,COUNTRY,ORG)",
    )
    g.add_argument(
        "--discover",
        choices=("yes", "rules", "no"),
        default="yes",
        help="find names missing from the gazetteer: yes (rules + NLTK when installed), "
        "rules (faster), no",
    )
    if comentions:
        g.add_argument(
            "--unit",
            choices=("document", "sentence", "window"),
            default="sentence",
            help="what counts as being mentioned together (default sentence)",
        )
        g.add_argument("--window", type=int, default=3, help="window size in sentences")
        g.add_argument(
            "--freq",
            choices=("D", "W", "M"),
            default="W",
            help="period of the time tables: day, week, month (default W)",
        )
    else:
        p.set_defaults(unit="sentence", window=3, freq="W")
    p.add_argument("--quiet", action="store_true", help="print only where outputs went")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``newslab`` command."""
    parser = argparse.ArgumentParser(
        prog="newslab",
        description="Study news coverage: corpora, entities, co-mentions, timelines. "
        "CORPUS is a folder, glob, file or archive of articles, a dataset folder written by "
        "'newslab ingest', or a corpus .parquet file.",
        epilog="Exit codes: 0 ok, 2 usage error or bad input, 1 other failure.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        help="load a folder/archive of articles into a partitioned Parquet dataset",
        description="Load articles into a partitioned Parquet dataset, with its load report "
        "(load-report.html inside the dataset folder).",
    )
    p.add_argument("source", help="folder, glob, file or archive of articles")
    p.add_argument("--out", required=True, help="output dataset folder")
    from newslab.corpus.dataset import INGEST_CHUNK

    p.add_argument("--chunk-size", type=int, default=INGEST_CHUNK, help="articles per Parquet part")
    p.add_argument("--workers", type=int, default=1, help="parse with this many processes")
    p.add_argument("--overwrite", action="store_true", help="replace an existing dataset folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_ingest)

    p = sub.add_parser(
        "entities",
        help="entity mentions (CSV/Parquet) and a per-entity summary",
        description="Find people, countries, organisations and places; write one row per "
        "mention, and one row per entity to the summary.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="articles or an ingested dataset")
    p.add_argument("--out", required=True, help="mentions table (.csv or .parquet)")
    p.add_argument("--summary", help="entity summary table (default <out>.summary.<suffix>)")
    _analysis_options(p, comentions=False)
    p.set_defaults(func=_entities)

    p = sub.add_parser(
        "comentions",
        help="co-mention pairs with association measures, optionally a GEXF/GraphML graph",
        description="Count how often two entities are mentioned together, with PMI, NPMI, "
        "G2, Jaccard and Dice.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="articles or an ingested dataset")
    p.add_argument("--out", required=True, help="pairs table (.csv or .parquet)")
    p.add_argument("--graph", help="also write the network (.gexf or .graphml, for Gephi)")
    p.add_argument("--over-time", help="also write pairs per period (.csv or .parquet)")
    p.add_argument("--min-count", type=int, default=1, help="keep pairs seen this often")
    _analysis_options(p)
    p.set_defaults(func=_comentions)

    p = sub.add_parser(
        "timeline",
        help="dated events grouped across articles, and a timeline figure",
        description="Find dated events (a date, an actor and an event word in one sentence), "
        "group mentions of the same event across articles, and draw a timeline.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="articles or an ingested dataset")
    p.add_argument("--out", required=True, help="events table (.csv or .parquet)")
    p.add_argument("--figure", help="timeline figure (.png/.svg/.pdf; default <out>.png)")
    p.add_argument("--mentions", help="also write the event mentions (.csv or .parquet)")
    p.add_argument("--top", type=int, default=20, help="events drawn (most sources first)")
    p.add_argument("--min-sources", type=int, default=1, help="draw events with this many sources")
    _analysis_options(p, comentions=False)
    p.set_defaults(func=_timeline)

    p = sub.add_parser(
        "report",
        help="a self-contained HTML report with the figures and tables of a corpus",
        description="Write one HTML file (figures embedded, no external resources): corpus "
        "overview, load report, entities, co-mentions, evidence, volume, events.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="articles or an ingested dataset")
    p.add_argument("--out", required=True, help="the HTML file to write")
    p.add_argument("--title", help="report title (default from the corpus name)")
    p.add_argument("--figures", help="also save every figure as PNG in this folder")
    p.add_argument("--top", type=int, default=20, help="rows per table, entities per heatmap")
    _analysis_options(p)
    p.set_defaults(func=_report)

    p = sub.add_parser(
        "notebooks",
        help="run the curated notebooks on a corpus (needs the notebooks extra)",
        description="Execute the curated notebooks with papermill, CORPUS_PATH set to CORPUS; "
        "the executed copies (with outputs) go to --out.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="folder, file or archive of articles")
    p.add_argument("--out", required=True, help="folder for the executed notebooks")
    p.add_argument(
        "--only", nargs="+", metavar="NAME", help="notebooks to run, e.g. 00 02-entity-comentions"
    )
    p.add_argument(
        "-p",
        "--parameter",
        action="append",
        metavar="NAME=VALUE",
        help="a papermill parameter (VALUE parsed as JSON when it can be), e.g. "
        "-p DATE_FROM=2023-02-01 -p 'ENTITY_TYPES=[\"PERSON\"]'; repeatable",
    )
    p.set_defaults(func=_notebooks)

    p = sub.add_parser(
        "demo",
        help="run everything on the demo corpus and say where the report is",
        description="Load the demo corpus, write corpus.parquet, tables, figures and the HTML "
        "report, and run the notebooks when the notebooks extra is installed.",
    )
    p.add_argument("--corpus", default="data/demo", help="corpus (default data/demo)")
    p.add_argument("--out", default="out/demo", help="output folder (default out/demo)")
    p.add_argument("--no-notebooks", action="store_true", help="do not run the notebooks")
    _analysis_options(p)
    p.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code (0 ok, 2 bad usage or input, 1 failure).

    Parameters
    ----------
    argv
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) and argparse's usage errors (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    debug = os.environ.get("NEWSLAB_DEBUG", "") not in ("", "0")
    try:
        return int(args.func(args))
    except (UsageError, FileNotFoundError, FileExistsError, NotADirectoryError) as exc:
        if debug:
            raise
        print(f"newslab {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except CommandError as exc:
        if debug:
            raise
        print(f"newslab {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"newslab {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(
            f"newslab {args.command}: error: {type(exc).__name__}: {exc} "
            "(NEWSLAB_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
