"""Benchmark ``newslab.comentions.comentions`` on one million synthetic mentions.

Usage::

    python benchmarks/bench_comentions.py [--rows 1000000] [--baseline-rows 200000] [--quick]

The table is seeded: ~50,000 documents of 20 sentences, entities drawn from a Zipf law
over 2,000 entities (a few very popular names, a long tail), as in news. Everything runs
in this one process, one core (numpy/scipy sparse do not thread here):

1. ``comentions`` for document, sentence and window (k=3) units on all rows -- seconds,
   mentions/s, pairs, peak RSS during the call (sampled);
2. the baseline, a naive pandas self-merge of the unit -> entity table (counts only, no
   measures), and ``comentions`` on the same first ``--baseline-rows`` rows -- the speed-up;
3. the same ``comentions`` calls under ``tracemalloc`` for the peak of Python/numpy
   allocations (not timed).

Prints a table, checks the < 5 s target, and appends a JSON line to
``benchmarks/results/bench_comentions.jsonl``. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RssSampler, Timer, print_table, record, traced_peak  # noqa: E402

from newslab.comentions import comentions  # noqa: E402

TARGET_SECONDS = 5.0  # per call on 1,000,000 mentions, one core


def make_mentions(rows: int, docs: int, sentences: int, entities: int, seed: int) -> pd.DataFrame:
    """Return a seeded synthetic mentions table with ``rows`` rows."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, entities + 1)
    weights = 1.0 / ranks**1.1
    weights /= weights.sum()
    ent = rng.choice(entities, size=rows, p=weights)
    doc = np.sort(rng.integers(0, docs, size=rows))
    sent = rng.integers(0, sentences, size=rows)
    kinds = np.array(["PERSON", "COUNTRY", "ORG", "PLACE"], dtype=object)
    ent_type = kinds[ranks % 4]
    ent_ids = np.array([f"{t.lower()}:e{i:04d}" for i, t in enumerate(ent_type)], dtype=object)
    labels = np.array([f"Entity {i}" for i in range(entities)], dtype=object)
    doc_ids = np.array([f"doc{i:06d}" for i in range(docs)], dtype=object)
    return pd.DataFrame(
        {
            "doc_id": pd.array(doc_ids[doc], dtype="string"),
            "sent_id": sent.astype(np.int64),
            "start": np.zeros(rows, dtype=np.int64),
            "end": np.zeros(rows, dtype=np.int64),
            "surface": pd.array(labels[ent], dtype="string"),
            "entity_id": pd.array(ent_ids[ent], dtype="string"),
            "label": pd.array(labels[ent], dtype="string"),
            "type": pd.array(ent_type[ent], dtype="string"),
            "method": pd.array(np.full(rows, "gazetteer", dtype=object), dtype="string"),
            "metonym": rng.random(rows) < 0.02,
        }
    )


def naive_comentions(mentions: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Return pair counts by a pandas self-merge (the baseline)."""
    keys = ["doc_id"] if unit == "document" else ["doc_id", "sent_id"]
    units = mentions[[*keys, "entity_id"]].drop_duplicates()
    both = units.merge(units, on=keys, suffixes=("_a", "_b"))
    both = both[both["entity_id_a"] < both["entity_id_b"]]
    pairs = both.groupby(["entity_id_a", "entity_id_b"]).size().rename("n_pair").reset_index()
    n_a = units.groupby("entity_id").size()
    pairs["n_a"] = pairs["entity_id_a"].map(n_a).to_numpy()
    pairs["n_b"] = pairs["entity_id_b"].map(n_a).to_numpy()
    pairs["n_units"] = len(units[keys].drop_duplicates())
    return pairs


def measure(name: str, rows: int, fn: Callable[[], pd.DataFrame]) -> dict[str, Any]:
    """Return timing, throughput and peak RSS of one call of ``fn``."""
    gc.collect()
    with RssSampler() as mem, Timer() as t:
        out = fn()
    return {
        "what": name,
        "rows": rows,
        "seconds": round(t.wall, 3),
        "mentions/s": round(rows / t.wall),
        "pairs": len(out),
        "rss_peak_mb": round(mem.peak, 1),
        "rss_delta_mb": round(mem.delta, 1),
        "n_pair_sum": int(out["n_pair"].sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark newslab.comentions.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=50_000, help="documents per 1M rows")
    parser.add_argument("--sentences", type=int, default=20)
    parser.add_argument("--entities", type=int, default=2_000)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--baseline-rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--quick", action="store_true", help="100,000 rows, 50,000 for the baseline"
    )
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--no-record", action="store_true", help="do not append to results/")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.baseline_rows = 100_000, 50_000
    docs = max(1, round(args.docs * args.rows / 1_000_000))

    with Timer() as gen:
        mentions = make_mentions(args.rows, docs, args.sentences, args.entities, args.seed)
    print(
        f"generated {len(mentions):,} mentions in {docs:,} docs over {args.entities:,} "
        f"entities in {gen.wall:.1f} s"
    )
    comentions(mentions.iloc[:1000], "window")  # warm up imports and caches

    k = args.window
    sub = mentions.iloc[: args.baseline_rows]
    calls: list[tuple[str, pd.DataFrame, Callable[[], pd.DataFrame]]] = [
        ("comentions document", mentions, lambda: comentions(mentions, "document")),
        ("comentions sentence", mentions, lambda: comentions(mentions, "sentence")),
        (f"comentions window={k}", mentions, lambda: comentions(mentions, "window", k)),
        ("naive self-merge document", sub, lambda: naive_comentions(sub, "document")),
        ("comentions document (subset)", sub, lambda: comentions(sub, "document")),
        ("naive self-merge sentence", sub, lambda: naive_comentions(sub, "sentence")),
        ("comentions sentence (subset)", sub, lambda: comentions(sub, "sentence")),
    ]
    rows = [measure(name, len(data), fn) for name, data, fn in calls]
    by_name = {row["what"]: row for row in rows}
    ratios = {}
    for unit in ("document", "sentence"):
        naive, fast = by_name[f"naive self-merge {unit}"], by_name[f"comentions {unit} (subset)"]
        ratios[unit] = round(naive["seconds"] / fast["seconds"], 2)
        same = (naive["pairs"], naive["n_pair_sum"]) == (fast["pairs"], fast["n_pair_sum"])
        naive["same_counts"] = fast["same_counts"] = "yes" if same else "NO"
    if not args.no_tracemalloc:
        for (_, _, fn), row in zip(calls, rows, strict=True):
            row["traced_peak_mb"] = round(traced_peak(fn)[1], 1)

    columns = ["what", "rows", "seconds", "mentions/s", "pairs", "same_counts"]
    columns += ["rss_peak_mb", "traced_peak_mb"]
    print_table(rows, columns, title="newslab.comentions (one process, one core)")
    for unit, ratio in ratios.items():
        print(f"speed-up over the naive self-merge, unit={unit}: x{ratio:.1f}")
    slowest = max(r["seconds"] for r in rows[:3])
    verdict = "meets" if slowest < TARGET_SECONDS or args.rows < 1_000_000 else "MISSES"
    print(f"slowest full call {slowest:.2f} s: {verdict} the < {TARGET_SECONDS:.0f} s target")
    if not args.no_record:
        params = {k: v for k, v in vars(args).items() if k not in ("no_record",)}
        path = record("bench_comentions", {"runs": rows, "speedup": ratios}, params=params)
        print(f"appended to {path}")


if __name__ == "__main__":
    main()
