"""End-to-end benchmark: load -> entities -> co-mentions -> volume on a generated corpus.

Usage::

    python benchmarks/bench_end_to_end.py [--n 1000000] [--max-articles 20000] [--workers 2]
        [--chunk-size 5000] [--modes pandas,local,dask] [--discover rules] [--seed 0]

``--n`` is the corpus size the figures are for (default 1,000,000). When ``--max-articles``
is smaller, only that many articles are generated and measured, and the time for ``--n`` is
*extrapolated* from the measured rate (and printed as such); memory does not grow with the
corpus because every stage runs chunk by chunk. The corpus (``benchmarks/generate.py``) is
cached in ``$TMPDIR/newslab-bench`` like ``bench_load.py`` does; generating it is not timed.

Each mode runs in its own spawned process; a thread samples the resident set size of that
process *and all its descendants* (worker processes, Dask nanny and worker processes) every
0.2 s and reports the peak of the sum (an upper bound: pages shared between processes are
counted once per process):

``pandas``
    ``newslab.ingest(workers=1)`` then ``newslab.pipeline.run_pipeline(workers=1)``: one
    process, chunk by chunk.
``local``
    the same with ``workers=N`` local processes for both steps.
``dask``
    ``newslab.ingest(workers=N)``, then ``newslab.dask.run_pipeline`` on a
    ``dask.distributed.LocalCluster(n_workers=N, threads_per_worker=1)``: one task per part
    on the cluster's workers.
``dask-verbs`` (not run by default)
    the same cluster with the lazy verbs: ``newslab.dask.load_corpus``, ``extract_entities``,
    and ``comentions`` + ``mention_volume`` computed together (the mention and word totals
    are separate reductions, which make Dask extract the entities a second time).

Reported per mode: seconds for loading and for the analysis, articles/s and words/s over the
whole run, peak RSS of the process tree, and the (extrapolated) minutes for ``--n``. Results
are appended as a JSON line to ``benchmarks/results/bench_end_to_end.jsonl``, with the load
average of the machine before and after. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RssSampler, Timer, measure_in_child, print_table, record  # noqa: E402
from bench_load import ensure_corpus  # noqa: E402

MODES = ("pandas", "local", "dask")
EXTRA_MODES = ("dask-verbs",)
_MB = 2**20


class TreeRssSampler(RssSampler):
    """Context manager: peak of the summed RSS of this process and its descendants, in MiB.

    Examples
    --------
    >>> with TreeRssSampler(interval=0.01) as mem:
    ...     block = bytearray(4 * 2**20)
    >>> mem.peak > 0
    True
    """

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(interval)
        self.max_processes = 1

    def sample(self) -> float:
        """Return the current summed RSS of the process tree, in MiB."""
        import psutil

        me = psutil.Process()
        procs = [me, *me.children(recursive=True)]
        total = 0
        alive = 0
        for p in procs:
            try:
                total += p.memory_info().rss
                alive += 1
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        self.max_processes = max(self.max_processes, alive)
        return total / _MB


def _run_local(
    corpus: str, work: Path, workers: int, chunk_size: int, discover: str, client: Any = None
) -> dict:
    """``ingest`` then the chunked pipeline, on local processes or (``client``) a Dask cluster."""
    import newslab as nl
    import newslab.dask as nd
    from newslab.pipeline import run_pipeline

    with Timer() as t_load:
        ds = nl.ingest(corpus, work / "ds", chunk_size=chunk_size, workers=workers, progress=False)
    with Timer() as t_run:
        kw = {"discover": discover, "progress": False, "freq": "W"}
        if client is None:
            res = run_pipeline(ds, workers=workers, **kw)
        else:
            res = nd.run_pipeline(ds, client=client, **kw)
    return {
        "load_s": t_load.wall,
        "analysis_s": t_run.wall,
        "articles": res.n_articles,
        "words": res.n_words,
        "mentions": res.n_mentions,
        "pairs": len(res.pairs),
        "volume_rows": len(res.volume),
    }


def _run_dask(corpus: str, work: Path, workers: int, chunk_size: int, discover: str) -> dict:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        with Client(cluster) as client:
            return _run_local(corpus, work, workers, chunk_size, discover, client)
    finally:
        cluster.close()


def _run_dask_verbs(corpus: str, work: Path, workers: int, chunk_size: int, discover: str) -> dict:
    import dask
    from dask.distributed import Client, LocalCluster

    import newslab.dask as nd

    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        with Client(cluster):
            with Timer() as t_load:
                articles = nd.load_corpus(
                    corpus, work / "ds", chunk_size=chunk_size, workers=workers, progress=False
                )
            with Timer() as t_run:
                mentions = nd.extract_entities(articles, discover=discover)
                pairs, volume, words, n_mentions, n_articles = dask.compute(
                    nd.comentions(mentions, articles=articles, compute=False),
                    nd.mention_volume(mentions, articles, freq="W", compute=False),
                    articles["n_words"].sum(),
                    mentions.shape[0],
                    articles.shape[0],
                )
    finally:
        cluster.close()
    return {
        "load_s": t_load.wall,
        "analysis_s": t_run.wall,
        "articles": int(n_articles),
        "words": int(words),
        "mentions": int(n_mentions),
        "pairs": len(pairs),
        "volume_rows": len(volume),
    }


def run_mode(
    mode: str, corpus: str, workers: int, chunk_size: int, discover: str
) -> dict[str, Any]:
    """Run one mode end to end (in a child process) and return its figures."""
    import warnings

    warnings.simplefilter("ignore")
    work = Path(tempfile.mkdtemp(prefix=f"newslab-e2e-{mode}-"))
    try:
        with TreeRssSampler() as mem, Timer() as total:
            if mode == "pandas":
                out = _run_local(corpus, work, 1, chunk_size, discover)
            elif mode == "local":
                out = _run_local(corpus, work, workers, chunk_size, discover)
            elif mode == "dask":
                out = _run_dask(corpus, work, workers, chunk_size, discover)
            elif mode == "dask-verbs":
                out = _run_dask_verbs(corpus, work, workers, chunk_size, discover)
            else:
                raise ValueError(f"unknown mode {mode!r}; choose from {MODES + EXTRA_MODES}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out.update(
        mode=mode,
        workers=1 if mode == "pandas" else workers,
        total_s=total.wall,
        tree_rss_peak_mb=round(mem.peak, 1),
        max_processes=mem.max_processes,
    )
    return out


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="corpus size reported on")
    parser.add_argument(
        "--max-articles",
        type=int,
        default=None,
        help="measure on at most this many articles and extrapolate to --n",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=5_000, help="articles per part")
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"of {', '.join(MODES + EXTRA_MODES)}"
    )
    parser.add_argument("--discover", default="rules", help="rules, True or False")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default=None, help="where generated corpora are kept")
    parser.add_argument("--no-record", action="store_true", help="do not append to results/")
    args = parser.parse_args(argv)

    discover: Any = {"true": True, "false": False}.get(args.discover.lower(), args.discover)
    n_run = min(args.n, args.max_articles or args.n)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    corpus = str(ensure_corpus(n_run, args.seed, args.cache_dir))
    load_before = _load()
    print(f"load average before: {load_before}   (cpus: {os.cpu_count()})")
    rows = []
    for mode in modes:
        print(f"running {mode} on {n_run:,} articles ...", flush=True)
        res = measure_in_child(run_mode, mode, corpus, args.workers, args.chunk_size, discover)
        res["articles_per_s"] = res["articles"] / res["total_s"]
        res["words_per_s"] = res["words"] / res["total_s"]
        res["minutes_for_n"] = args.n / res["articles_per_s"] / 60
        res["extrapolated"] = n_run < args.n
        rows.append(res)
    load_after = _load()
    title = f"end to end on {n_run:,} generated articles (chunks of {args.chunk_size:,})"
    print_table(
        rows,
        [
            "mode",
            "workers",
            "load_s",
            "analysis_s",
            "total_s",
            "articles_per_s",
            "words_per_s",
            "tree_rss_peak_mb",
            "minutes_for_n",
        ],
        title=title,
    )
    if n_run < args.n:
        print(
            f"minutes_for_n is EXTRAPOLATED to {args.n:,} articles from the {n_run:,} measured "
            "(time scales linearly with articles; memory is bounded by the chunk size)."
        )
    base = next((r for r in rows if r["mode"] == "pandas"), None)
    if base:
        for r in rows:
            if r is not base:
                print(
                    f"speed-up of {r['mode']} over pandas: "
                    f"{r['articles_per_s'] / base['articles_per_s']:.2f}x "
                    f"with {r['workers']} workers"
                )
    print(f"load average after: {load_after}")
    if not args.no_record:
        path = record(
            "bench_end_to_end",
            {"rows": rows, "load_before": load_before, "load_after": load_after},
            params={
                "n": args.n,
                "measured_articles": n_run,
                "extrapolated": n_run < args.n,
                "workers": args.workers,
                "chunk_size": args.chunk_size,
                "discover": str(discover),
                "seed": args.seed,
            },
        )
        print(f"recorded in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
