"""List and group the wrong TIMEX3 values of ``newslab.timex`` on a TempEval-3 set.

Usage::

    python benchmarks/timex_errors.py [--set TBAQ-cleaned] [--shared ../shared]
        [--kind KIND] [--misses] [--spurious] [--limit N]

For every gold TIMEX3 that the tagger overlaps (a relaxed match, as the TE3
scorer pairs them) but gives a different value, it prints the gold value, ours,
both surfaces, the DCT and the sentence, grouped by a coarse error kind (the
shape of the gold value: week, quarter, duration, PRESENT_REF, ...). The counts
per kind come first, so the biggest groups show what rule to fix next.
``--misses`` also lists gold timexes with no overlapping system timex and
``--spurious`` system timexes with no gold one.

This is a development aid for TBAQ-cleaned; run it on platinum only to check a
finished round, not to fix expressions one by one.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from newslab.timex.tagger import split_sentences
from newslab.timex.tempeval import TimeMLDoc, gold_table, read_corpus, tag_documents

_KINDS: list[tuple[str, str]] = [
    ("ref", r"^(PRESENT|PAST|FUTURE)_REF$"),
    ("set/X", r"^X"),
    ("duration", r"^P"),
    ("time", r"T\d|T[A-Z]{2}$"),
    ("week", r"-W\d"),
    ("quarter/half", r"-[QH]"),
    ("season", r"-(SP|SU|FA|WI)$"),
    ("decade/century", r"^\d{2,3}X?$"),
    ("day", r"^\d{4}-\d{2}-\d{2}$"),
    ("month", r"^\d{4}-\d{2}$"),
    ("year", r"^\d{4}$"),
]


def kind_of(gold_value: str, our_value: str) -> str:
    """Return a coarse error kind from the gold value's shape (and ours when telling)."""
    for name, pattern in _KINDS:
        if re.search(pattern, gold_value or ""):
            if name in ("day", "month", "year") and our_value.startswith("P"):
                return f"{name} (we said duration)"
            if name == "duration" and not our_value.startswith("P"):
                return "duration (we said point)"
            return name
    return "other"


def _sentence(doc: TimeMLDoc, start: int) -> str:
    for s, e in split_sentences(doc.text):
        if s <= start < e:
            return " ".join(doc.text[s:e].split())
    return ""


def error_rows(docs: list[TimeMLDoc]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return (wrong values, missed gold, spurious predictions) as tables."""
    gold = gold_table(docs)
    pred = tag_documents(docs)
    by_id = {d.doc_id: d for d in docs}
    pred_by_doc = {k: g for k, g in pred.groupby("doc_id", sort=False)}
    wrong, missed = [], []
    used: set[tuple[str, int]] = set()
    for g in gold.itertuples(index=False):
        p_doc = pred_by_doc.get(g.doc_id)
        match = (
            p_doc[(p_doc["start"] < g.end) & (p_doc["end"] > g.start)]
            if p_doc is not None
            else None
        )
        doc = by_id[g.doc_id]
        if match is None or match.empty:
            missed.append(
                {
                    "doc_id": g.doc_id,
                    "dct": doc.dct,
                    "gold": g.value,
                    "gold_surface": g.surface,
                    "type": g.type,
                    "sentence": _sentence(doc, int(g.start)),
                }
            )
            continue
        exact = match[(match["start"] == g.start) & (match["end"] == g.end)]
        best = (exact if not exact.empty else match).iloc[0]
        for i in match.index:
            used.add((g.doc_id, int(match.at[i, "start"])))
        if str(best["value"]) != str(g.value):
            wrong.append(
                {
                    "kind": kind_of(str(g.value), str(best["value"])),
                    "doc_id": g.doc_id,
                    "dct": doc.dct,
                    "gold": g.value,
                    "ours": best["value"],
                    "gold_surface": g.surface,
                    "our_surface": best["surface"],
                    "sentence": _sentence(doc, int(g.start)),
                }
            )
    spurious = [
        {
            "doc_id": r.doc_id,
            "dct": by_id[r.doc_id].dct,
            "ours": r.value,
            "our_surface": r.surface,
            "sentence": _sentence(by_id[r.doc_id], int(r.start)),
        }
        for r in pred.itertuples(index=False)
        if (r.doc_id, int(r.start)) not in used
    ]
    return pd.DataFrame(wrong), pd.DataFrame(missed), pd.DataFrame(spurious)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--set", default="TBAQ-cleaned", help="folder under tempeval3/")
    parser.add_argument("--kind", help="only this error kind")
    parser.add_argument("--misses", action="store_true", help="also list missed gold timexes")
    parser.add_argument("--spurious", action="store_true", help="also list spurious timexes")
    parser.add_argument("--limit", type=int, default=1000, help="rows per kind")
    args = parser.parse_args(argv)
    folder = args.shared / "benchmarks" / "tempeval3" / args.set
    if not folder.exists():
        print(f"not found: {folder}", file=sys.stderr)
        return 2
    wrong, missed, spurious = error_rows(read_corpus(folder))
    counts = Counter(wrong["kind"]) if len(wrong) else Counter()
    print(f"{len(wrong)} wrong values, {len(missed)} missed, {len(spurious)} spurious")
    for kind, n in counts.most_common():
        print(f"  {kind:28s} {n}")
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in wrong.to_dict("records") if len(wrong) else []:
        groups[row["kind"]].append(row)
    for kind, rows in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if args.kind and kind != args.kind:
            continue
        print(f"\n== {kind} ({len(rows)})")
        for r in rows[: args.limit]:
            print(
                f"  {r['gold']:>14} | {r['ours']:<14} {r['gold_surface']!r} / {r['our_surface']!r}"
                f"  [{r['dct']}] {r['sentence'][:160]}"
            )
    if args.misses:
        print(f"\n== missed ({len(missed)})")
        for r in missed.to_dict("records")[: args.limit]:
            print(f"  {r['gold']:>14} {r['gold_surface']!r}  [{r['dct']}] {r['sentence'][:140]}")
    if args.spurious:
        print(f"\n== spurious ({len(spurious)})")
        for r in spurious.to_dict("records")[: args.limit]:
            print(f"  {r['ours']:>14} {r['our_surface']!r}  [{r['dct']}] {r['sentence'][:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
