"""Benchmark ``newslab.load_corpus`` on a synthetic plaintext corpus against a raw read.

Usage::

    python benchmarks/bench_load.py [--n 100000] [--seed 0] [--quick] [--tracemalloc-n 20000]

The corpus (``benchmarks/generate.py``) is cached in
``$TMPDIR/newslab-bench/corpus-v<GENERATOR_VERSION>-n<N>-s<SEED>`` and reused when it holds
N files. Each measurement runs in its own spawned process, one core, so peak-memory figures do
not mix:

1. baseline, cold: the corpus is evicted from the page cache (``_common.evict_from_cache``),
   then every file is opened, read and UTF-8-decoded -- files/s, MB/s;
2. baseline, warm: the same read again at once, from the page cache;
3. ``load_corpus(folder, progress=False, workers=1)``, the corpus evicted first -- articles/s,
   MB/s, peak RSS (sampled, and the child's ``ru_maxrss``);
4. the same call on the first 20,000 files (``--tracemalloc-n``) under ``tracemalloc`` for the
   peak of Python allocations (not timed);
5. with ``--floor``, two more cold loads that tell how fast the loader could be with a free
   plaintext parser: ``load_corpus(..., dedupe=False)``, and the same call with the parser
   replaced by one that only splits off the first line as the title (no rules, no dates:
   :func:`stub_parser`). Their difference is what the parser costs; the second is the floor
   that reading, decoding, the language guess, the word count, the tables and the report put
   under any parser written in Python or not (a little high: the stub's texts keep runs of
   spaces, which send the word count to ``str.split``).

The load starts cold because it cannot stay warm: the benchmark machines page out what has
not been touched for about a minute, and a 100,000-article load takes longer than that, so
before this the load read its first files warm and the rest cold, by the clock. Its rate is
given against both baselines: the warm read (the strict ratio, ``ratio``) and the cold read
(like with like, ``ratio_cold``).

Prints a table, the ratios against the targets (>= 3,000 articles/s, >= 1/5 of the raw rate),
and appends a JSON line to ``benchmarks/results/bench_load.jsonl``.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    RssSampler,
    Timer,
    evict_from_cache,
    measure_in_child,
    print_table,
    record,
    traced_peak,
)

TARGET_RATE = 3_000.0  # articles/s on one core
TARGET_RATIO = 0.2  # of the raw read-and-decode rate
QUICK_N = 2_000
TRACED_N = 20_000  # files loaded under tracemalloc (it is several times slower)


def corpus_files(root: str | os.PathLike[str]) -> list[str]:
    """Return the ``.txt`` files under ``root``, sorted.

    Examples
    --------
    >>> corpus_files(tempfile.gettempdir() + "/no-such-newslab-dir")
    []
    """
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".txt"))
    return out


def ensure_corpus(n: int, seed: int, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return a folder holding the ``n``-article corpus of ``seed``, generating it if needed.

    Examples
    --------
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = ensure_corpus(5, 0, tmp)
    ...     len(corpus_files(root))  # doctest: +ELLIPSIS
    generated 5 articles in ...
    5
    """
    base = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / "newslab-bench"
    from generate import GENERATOR_VERSION, generate_corpus

    root = base / f"corpus-v{GENERATOR_VERSION}-n{n}-s{seed}"
    if root.is_dir() and len(corpus_files(root)) == n:
        return root

    t0 = time.perf_counter()
    generate_corpus(root, n, seed)
    secs = time.perf_counter() - t0
    print(f"generated {n:,} articles in {secs:.1f} s ({n / secs:,.0f}/s) -> {root}")
    return root


def raw_read(root: str) -> dict[str, Any]:
    """Return the rate of reading and UTF-8-decoding every file under ``root`` (the baseline)."""
    files = corpus_files(root)
    n_bytes = n_chars = 0
    with RssSampler() as mem, Timer() as t:
        for path in files:
            with open(path, "rb") as fh:
                data = fh.read()
            n_bytes += len(data)
            n_chars += len(data.decode("utf-8"))
    return {
        "files": len(files),
        "bytes": n_bytes,
        "seconds": t.wall,
        "cpu_seconds": t.cpu,
        "rss_peak_mb": mem.peak,
        "rss_delta_mb": mem.delta,
    }


def _load_corpus() -> Any:
    import newslab

    fn = getattr(newslab, "load_corpus", None)
    if fn is None:
        from newslab.corpus import load_corpus as fn
    return fn


def load_kwargs(fn: Any) -> dict[str, Any]:
    """Return the keyword arguments that make ``fn`` run quietly, uncached, on one core.

    Examples
    --------
    >>> def f(source, *, progress=None, workers=4, cache=None): ...
    >>> load_kwargs(f)
    {'progress': False, 'workers': 1, 'cache': False}
    """
    params = inspect.signature(fn).parameters
    wanted = {"progress": False, "workers": 1, "n_jobs": 1, "processes": 1, "cache": False}
    return {k: v for k, v in wanted.items() if k in params}


def stub_parser(text: str, rules: Any = None, **kwargs: Any) -> Any:
    """Parse an article as the floor measurement does: the first line is the title, the rest
    the body; no rule, date, byline or URL is looked for.

    Examples
    --------
    >>> art = stub_parser("Talks in Beijing\\nLeaders met.\\n")
    >>> art.title, art.text
    ('Talks in Beijing', 'Leaders met.\\n')
    """
    from newslab.corpus.plaintext import ParsedArticle

    cut = text.find("\n")
    if cut < 0:
        cut = len(text)
    return ParsedArticle(title=text[:cut].strip() or None, text=text[cut + 1 :])


#: The loads ``--floor`` adds: name -> (dedupe, stub the plaintext parser)
FLOOR_VARIANTS = {"no dedupe": (False, False), "parser stubbed, no dedupe": (False, True)}


def run_load(root: str, traced: int = 0, variant: str = "") -> dict[str, Any]:
    """Return the rate and memory of ``load_corpus(root)``.

    With ``traced`` > 0, load only the first ``traced`` files under tracemalloc instead and
    return the peak of Python allocations (untimed: tracemalloc slows the loader down).
    ``variant`` names one of :data:`FLOOR_VARIANTS` (run it only in a child process: the
    stubbed parser replaces the loader's own for the rest of the process).
    """
    fn = _load_corpus()
    kwargs = load_kwargs(fn)
    if variant:
        dedupe, stub = FLOOR_VARIANTS[variant]
        kwargs["dedupe"] = dedupe
        if stub:
            import newslab.corpus.load as loader

            loader.parse_plaintext = stub_parser
    files = corpus_files(root)
    n_bytes = sum(os.path.getsize(p) for p in files)
    if traced:
        source: str | list[str] = root if traced >= len(files) else files[:traced]
        df, peak = traced_peak(fn, source, **kwargs)
        return {"rows": len(df), "tracemalloc_peak_mb": peak}
    with RssSampler() as mem, Timer() as t:
        df = fn(root, **kwargs)
    published = df["published"].notna().mean() if "published" in df and len(df) else 0.0
    return {
        "rows": len(df),
        "bytes": n_bytes,
        "seconds": t.wall,
        "cpu_seconds": t.cpu,
        "rss_peak_mb": mem.peak,
        "rss_delta_mb": mem.delta,
        "dated_share": float(published),
        "df_memory_mb": float(df.memory_usage(deep=True).sum()) / 2**20,
        "kwargs": repr(kwargs),
    }


def _row(measure: str, count: int, r: dict[str, Any], mb: float) -> dict[str, Any]:
    """One line of the printed table: ``count`` items measured in ``r`` over ``mb`` MiB."""
    return {
        "measure": measure,
        "items/s": count / r["seconds"],
        "MB/s": mb / r["seconds"],
        "seconds": r["seconds"],
        "CPU s": r["cpu_seconds"],
        "peak RSS MB": r["maxrss_mb"],
        "RSS delta MB": r["rss_delta_mb"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark newslab.load_corpus")
    parser.add_argument("--n", type=int, default=100_000, help="corpus size (articles)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help=f"smoke test on {QUICK_N:,} articles")
    parser.add_argument("--cache-dir", default=None, help="where generated corpora are kept")
    parser.add_argument(
        "--tracemalloc-n",
        type=int,
        default=TRACED_N,
        help="files loaded under tracemalloc (0: skip the pass, -1: all)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also load without the duplicate search, and with a stub parser (cold each)",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to results/")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show up when piped to a log
    n = QUICK_N if args.quick else args.n

    root = str(ensure_corpus(n, args.seed, args.cache_dir))
    files = corpus_files(root)
    evicted = evict_from_cache(files)
    raw_cold = measure_in_child(raw_read, root)
    raw_warm = measure_in_child(raw_read, root)
    evict_from_cache(files)
    load = measure_in_child(run_load, root)
    traced_n = n if args.tracemalloc_n < 0 else min(n, args.tracemalloc_n)
    traced = measure_in_child(run_load, root, traced_n) if traced_n else None
    floors: dict[str, dict[str, Any]] = {}
    for variant in FLOOR_VARIANTS if args.floor else ():
        evict_from_cache(files)
        floors[variant] = measure_in_child(run_load, root, 0, variant)

    raw = raw_warm
    mb = raw["bytes"] / 2**20
    raw_rate = raw["files"] / raw["seconds"]
    cold_rate = raw_cold["files"] / raw_cold["seconds"]
    load_rate = load["rows"] / load["seconds"]
    ratio = load_rate / raw_rate
    ratio_cold = load_rate / cold_rate
    rows = [
        _row(f"raw read+decode ({label})", r["files"], r, mb)
        for label, r in (("cold", raw_cold), ("warm", raw_warm))
    ]
    rows.append(
        {
            **_row("load_corpus (cold)" if evicted else "load_corpus", load["rows"], load, mb),
            "tracemalloc MB": traced["tracemalloc_peak_mb"] if traced else None,
        }
    )
    for variant, r in floors.items():
        rows.append(
            _row(f"load_corpus, {variant}" + (" (cold)" if evicted else ""), r["rows"], r, mb)
        )
    traced_note = f", tracemalloc over the first {traced_n:,} files" if traced else ""
    print()
    print_table(
        rows,
        [
            "measure",
            "items/s",
            "MB/s",
            "seconds",
            "CPU s",
            "peak RSS MB",
            "RSS delta MB",
            "tracemalloc MB",
        ],
        title=f"load benchmark: {n:,} articles, {mb:,.1f} MiB, seed {args.seed}, one core"
        + traced_note,
    )
    ok_rate = load_rate >= TARGET_RATE
    ok_ratio = ratio >= TARGET_RATIO
    ok_ratio_cold = ratio_cold >= TARGET_RATIO
    print(
        f"\nload rate {load_rate:,.0f} articles/s (target >= {TARGET_RATE:,.0f}: "
        f"{'met' if ok_rate else 'NOT met'}); load/raw ratio {ratio:.3f} against the warm "
        f"read, {ratio_cold:.3f} against the cold read (target >= {TARGET_RATIO}: "
        f"{'met' if ok_ratio else 'NOT met'} / {'met' if ok_ratio_cold else 'NOT met'}); "
        f"rows {load['rows']:,} of {raw['files']:,} files, dated {load['dated_share']:.1%}"
    )
    if floors:
        us = {v: 1e6 * r["seconds"] / r["rows"] for v, r in floors.items()}
        whole = 1e6 * load["seconds"] / load["rows"]
        floor = us["parser stubbed, no dedupe"]
        print(
            f"microseconds per article: whole load {whole:,.0f}, without the duplicate search "
            f"{us['no dedupe']:,.0f}, with a stub parser too {floor:,.0f} (the floor); the "
            f"target rate leaves {1e6 / TARGET_RATE - floor:,.0f} for the parser and the "
            f"duplicate search, which take {whole - floor:,.0f} here"
        )
    if not evicted:
        print("posix_fadvise is missing here: nothing was evicted, 'cold' reads may be warm")
    # On a shared machine wall time includes waiting for a core; CPU time does not.
    cpu_rate = load["rows"] / load["cpu_seconds"] if load["cpu_seconds"] else float("nan")
    print(
        f"per CPU second: {cpu_rate:,.0f} articles/s; load average {os.getloadavg()[0]:.2f} "
        f"(wall-time figures are only comparable on a quiet machine)"
    )
    if not args.no_record:
        results = {
            "files": raw["files"],
            "mib": round(mb, 2),
            "raw_files_per_s": round(raw_rate, 1),
            "raw_mb_per_s": round(mb / raw["seconds"], 2),
            "load_articles_per_s": round(load_rate, 1),
            "load_mb_per_s": round(mb / load["seconds"], 3),
            "ratio": round(ratio, 4),
            "raw_cold_files_per_s": round(cold_rate, 1),
            "ratio_cold": round(ratio_cold, 4),
            "load_started_cold": evicted,
            "load_seconds": round(load["seconds"], 3),
            "load_cpu_seconds": round(load["cpu_seconds"], 3),
            "load_articles_per_cpu_s": round(cpu_rate, 1),
            "loadavg_1min": round(os.getloadavg()[0], 2),
            "load_maxrss_mb": load["maxrss_mb"],
            "load_rss_delta_mb": round(load["rss_delta_mb"], 1),
            "load_tracemalloc_peak_mb": round(traced["tracemalloc_peak_mb"], 1) if traced else None,
            "tracemalloc_files": traced_n if traced else 0,
            "df_memory_mb": round(load["df_memory_mb"], 1),
            "rows": load["rows"],
            "dated_share": round(load["dated_share"], 4),
            "target_rate_met": ok_rate,
            "target_ratio_met": ok_ratio,
            "target_ratio_cold_met": ok_ratio_cold,
        }
        for variant, r in floors.items():
            key = variant.replace(",", "").replace(" ", "_")
            results[f"floor_{key}_articles_per_s"] = round(r["rows"] / r["seconds"], 1)
            results[f"floor_{key}_cpu_seconds"] = round(r["cpu_seconds"], 3)
            results[f"floor_{key}_maxrss_mb"] = r["maxrss_mb"]
        params = {"n": n, "seed": args.seed, "quick": args.quick, "kwargs": load["kwargs"]}
        path = record("bench_load", results, params=params)
        print(f"appended to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
