"""Benchmark loading one big JSON Lines dump: read in blocks (the loader's way) against whole.

Usage::

    python benchmarks/bench_dump.py [--mb 200] [--seed 0] [--no-record]

A dump of about ``--mb`` MB of generated records (id, title, date, author, url, a text of a
few paragraphs) is written once to ``$TMPDIR/newslab-bench/dump-<mb>mb-s<seed>.jsonl`` and
loaded by ``load_corpus(path, progress=False, dedupe=False)`` in a fresh process each way:

* ``blocks``: as the loader reads it, in blocks of ``STREAM_BLOCK`` bytes;
* ``whole``: the file read and decoded in one piece (``STREAM_BYTES`` and ``max_file_bytes``
  raised above the file's size), as before the loader read dumps in blocks.

Reports records/s, MB/s, peak RSS (sampled and ``ru_maxrss``) and the table's own memory, and
appends a JSON line to ``benchmarks/results/bench_dump.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RssSampler, Timer, measure_in_child, print_table, record  # noqa: E402

_WORDS = [
    "Xi",
    "Putin",
    "Zelensky",
    "Lukashenko",
    "Moscow",
    "Beijing",
    "Kyiv",
    "talks",
    "leaders",
    "met",
    "on",
    "Monday",
    "the",
    "war",
    "in",
    "Ukraine",
    "peace",
    "plan",
    "statement",
    "officials",
    "said",
    "visit",
    "trade",
    "sanctions",
    "court",
    "warrant",
    "envoy",
]


def make_dump(path: Path, mb: int, seed: int) -> int:
    """Write a JSONL dump of about ``mb`` MB at ``path``; return its number of records.

    Examples
    --------
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     n = make_dump(Path(tmp) / "d.jsonl", 0, 0)
    >>> n
    1
    """
    rng = random.Random(seed)
    target = mb * 10**6
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while n == 0 or fh.tell() < target:
            paras = [" ".join(rng.choices(_WORDS, k=rng.randint(25, 60))) + "." for _ in range(6)]
            rec = {
                "id": f"d{n}",
                "title": " ".join(rng.choices(_WORDS, k=7)),
                "published_at": f"2023-{1 + n % 4:02d}-{1 + n % 28:02d}T10:00:00Z",
                "author": "Ann Lee",
                "url": f"https://ledger.example/2023/{n}",
                "text": "\n\n".join(paras),
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def run(path: str, mode: str) -> dict[str, Any]:
    """Load ``path`` in this process, ``mode`` ``blocks`` or ``whole``; return the figures."""
    import newslab.corpus.load as loader
    from newslab import load_corpus

    kwargs: dict[str, Any] = {"progress": False, "dedupe": False}
    if mode == "whole":
        loader.STREAM_BYTES = 2**62
        kwargs["max_file_bytes"] = 2**40
    with RssSampler() as mem, Timer() as t:
        df = load_corpus(path, **kwargs)
    files = df.attrs["load_report"]
    return {
        "rows": len(df),
        "seconds": t.wall,
        "cpu_seconds": t.cpu,
        "rss_peak_mb": mem.peak,
        "df_memory_mb": float(df.memory_usage(deep=True).sum()) / 2**20,
        "report": {k: v for k, v in files.counts().items() if k != "report"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark loading one big JSONL dump")
    parser.add_argument("--mb", type=int, default=200, help="size of the dump (MB)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", default=None, help="where the dump is kept")
    parser.add_argument("--no-record", action="store_true", help="do not append to results/")
    args = parser.parse_args(argv)

    base = Path(args.cache_dir) if args.cache_dir else Path(tempfile.gettempdir()) / "newslab-bench"
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"dump-{args.mb}mb-s{args.seed}.jsonl"
    if not path.exists():
        t0 = time.perf_counter()
        n = make_dump(path, args.mb, args.seed)
        print(f"wrote {n:,} records in {time.perf_counter() - t0:.1f} s -> {path}")
    mb = path.stat().st_size / 2**20
    results = {mode: measure_in_child(run, str(path), mode) for mode in ("blocks", "whole")}
    rows = [
        {
            "read": mode,
            "records/s": r["rows"] / r["seconds"],
            "MB/s": mb / r["seconds"],
            "seconds": r["seconds"],
            "CPU s": r["cpu_seconds"],
            "peak RSS MB": r["maxrss_mb"],
            "table MB": r["df_memory_mb"],
        }
        for mode, r in results.items()
    ]
    print_table(
        rows,
        ["read", "records/s", "MB/s", "seconds", "CPU s", "peak RSS MB", "table MB"],
        title=f"one JSONL dump: {mb:,.1f} MiB, {results['blocks']['rows']:,} records",
    )
    same = results["blocks"]["report"] == results["whole"]["report"]
    print(f"same report counts both ways: {same}; load average {os.getloadavg()[0]:.2f}")
    if not args.no_record:
        out = {
            "mib": round(mb, 1),
            **{
                f"{mode}_{key}": round(r[key], 2) if isinstance(r[key], float) else r[key]
                for mode, r in results.items()
                for key in ("rows", "seconds", "cpu_seconds", "maxrss_mb", "df_memory_mb")
            },
            "same_report": same,
            "loadavg_1min": round(os.getloadavg()[0], 2),
        }
        where = record("bench_dump", out, params={"mb": args.mb, "seed": args.seed})
        print(f"appended to {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
