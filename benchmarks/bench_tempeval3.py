"""Benchmark ``newslab.timex`` on TempEval-3 (Task A, TIMEX3): accuracy, speed and memory.

Usage::

    python benchmarks/bench_tempeval3.py [--shared ../shared] [--quick] [--no-record]

For TBAQ-cleaned (TimeBank + AQUAINT, the development set the rules were written
against) and platinum (the held-out TE3 test set) it prints strict P/R/F1,
relaxed P/R/F1, type F1 and value F1 with the official TE3 definitions
(:mod:`newslab.timex.tempeval`), next to HeidelTime's published platinum figures.

Speed: words/s of :func:`newslab.timex.find_timexes` (DCT as anchor) over each
set, and the same for a baseline run in this process -- a deliberately naive
tagger (one regex for explicit dates "March 22, 2013" / "March 2013" / "2013"
and nothing relative) -- so the ratio says what the full grammar costs. Peak
memory: RSS sampled during the run and the tracemalloc peak of one untimed pass.

``--quick`` runs platinum only. Results are appended as a JSON line to
``benchmarks/results/bench_tempeval3.jsonl``. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import RssSampler, Timer, print_table, record, traced_peak  # noqa: E402

from newslab.timex.tempeval import (  # noqa: E402
    TimeMLDoc,
    gold_table,
    read_corpus,
    score,
    tag_documents,  # noqa: E402
)

HEIDELTIME_PLATINUM = {"strict_f1": 81.8, "relaxed_f1": 90.7, "type_f1": 83.3, "value_f1": 78.1}
TARGETS = {"strict_f1": 82.0, "value_f1": 80.0}

_MONTHS = "January February March April May June July August September October November December"
_MONTH_NUM = {m: i for i, m in enumerate(_MONTHS.split(), start=1)}
_BASELINE_RE = re.compile(
    rf"\b(?:(?P<mon>{'|'.join(_MONTH_NUM)})\s+(?:(?P<day>\d{{1,2}}),\s+)?)?(?P<year>(?:19|20)\d\d)\b"
)


def baseline_tag(docs: list[TimeMLDoc]) -> pd.DataFrame:
    """Return the naive baseline's timexes: explicit dates only, no anchor, no tense."""
    rows: list[dict[str, Any]] = []
    for doc in docs:
        for m in _BASELINE_RE.finditer(doc.text):
            value = m.group("year")
            if m.group("mon"):
                value += f"-{_MONTH_NUM[m.group('mon')]:02d}"
                if m.group("day"):
                    value += f"-{int(m.group('day')):02d}"
            rows.append(
                {
                    "doc_id": doc.doc_id,
                    "start": m.start(),
                    "end": m.end(),
                    "type": "DATE",
                    "value": value,
                }
            )
    return pd.DataFrame(rows, columns=["doc_id", "start", "end", "type", "value"])


def n_words(docs: list[TimeMLDoc]) -> int:
    """Return the number of whitespace-separated words in the documents' texts."""
    return sum(len(d.text.split()) for d in docs)


def run_set(name: str, docs: list[TimeMLDoc], repeat: int) -> list[dict[str, Any]]:
    """Score and time newslab and the baseline on one document set."""
    gold = gold_table(docs)
    words = n_words(docs)
    tag_documents(docs[:2])  # warm-up: imports and regex compilation are not timed
    with RssSampler() as mem, Timer() as t_new:
        for _ in range(repeat):
            pred = tag_documents(docs)
    _, traced = traced_peak(tag_documents, docs)
    with Timer() as t_base:
        for _ in range(repeat):
            base = baseline_tag(docs)
    rows = []
    for system, frame, timer in (("newslab.timex", pred, t_new), ("naive baseline", base, t_base)):
        s = score(gold, frame)
        rows.append(
            {
                "set": name,
                "system": system,
                "docs": len(docs),
                "gold": int(s["n_gold"]),
                "pred": int(s["n_pred"]),
                **{k: round(100 * s[k], 1) for k in _SCORE_KEYS},
                "words/s": words * repeat / timer.wall,
            }
        )
    rows[0]["peak_rss_mb"] = round(mem.peak, 1)
    rows[0]["rss_delta_mb"] = round(mem.delta, 1)
    rows[0]["traced_peak_mb"] = round(traced, 1)
    rows[0]["speed_vs_baseline"] = round(rows[0]["words/s"] / rows[1]["words/s"], 3)
    return rows


_SCORE_KEYS = (
    "strict_p",
    "strict_r",
    "strict_f1",
    "relaxed_p",
    "relaxed_r",
    "relaxed_f1",
    "type_f1",
    "value_f1",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--quick", action="store_true", help="platinum only")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes per set")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    root = args.shared / "benchmarks" / "tempeval3"
    if not root.exists():
        print(f"TempEval-3 data not found under {root}", file=sys.stderr)
        return 2
    sets = [("platinum (test)", root / "platinum")]
    if not args.quick:
        sets.insert(0, ("TBAQ-cleaned (dev)", root / "TBAQ-cleaned"))
    rows: list[dict[str, Any]] = []
    for name, folder in sets:
        rows += run_set(name, read_corpus(folder), args.repeat)
    rows.append(
        {"set": "platinum (test)", "system": "HeidelTime 2.2.1 (published)", **HEIDELTIME_PLATINUM}
    )
    cols = ["set", "system", "gold", "pred", *_SCORE_KEYS, "words/s"]
    print_table(rows, cols, title="TempEval-3 Task A, TIMEX3 (TE3 definitions, percent)")
    print()
    mem_cols = [
        "set",
        "system",
        "peak_rss_mb",
        "rss_delta_mb",
        "traced_peak_mb",
        "speed_vs_baseline",
    ]
    print_table([r for r in rows if "peak_rss_mb" in r], mem_cols, title="Memory and speed")
    plat = next(
        r for r in rows if r["set"].startswith("platinum") and r["system"] == "newslab.timex"
    )
    print()
    for key, target in TARGETS.items():
        verdict = "met" if plat[key] >= target else "NOT met"
        print(f"target platinum {key} >= {target}: {plat[key]} ({verdict})")
    if not args.no_record:
        path = record(
            "bench_tempeval3", {"rows": rows}, params={"repeat": args.repeat, "quick": args.quick}
        )
        print(f"recorded in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
