"""Where ``load_corpus`` spends its time: each stage of the loader timed on its own.

Usage::

    python benchmarks/bench_stages.py [--n 10000] [--seed 0] [--repeat 3] [--no-record]

The stages run one after another in one process on the same generated plaintext corpus
(``benchmarks/generate.py``, cached as in ``bench_load.py``), each on the whole corpus and the
outputs of the stage before, and each ``--repeat`` times (the fastest run counts):

* ``list``: :func:`newslab.corpus.sources.iter_items` walks the folder;
* ``read``: the files' bytes;
* ``decode``: :func:`newslab.corpus.decode.decode_bytes`;
* ``parse``: :func:`newslab.corpus.plaintext.parse_plaintext`, and apart, the part of it that
  scans the whole text for the lines the rules may match (``RuleSet.scan_lines``: the lines
  holding a rule's hint, and the rules' line filter);
* ``words``: the word counts of the clean bodies, as the assembler counts them (a chunk of
  :data:`newslab.corpus.load.ASSEMBLE_CHUNK` Arrow strings at a time);
* ``lang``: the language guess of the clean bodies, as the assembler makes it
  (:func:`newslab.corpus.lang.guess_langs`, a chunk at a time);
* ``parse_bytes``: decode, parse and the article fields of each file, as the loader calls them
  (it holds ``decode`` and ``parse``);
* ``assemble``: the typed table chunks (with ``words`` and ``lang``) and the load report, from
  the files' results;
* ``duplicates``: :func:`newslab.corpus.dedupe.flag_duplicates` on the assembled table;
* ``load_corpus``: the whole call (``workers=1``, no cache), for the shares.

Prints microseconds per article and each stage's share of the whole call, and appends a JSON
line to ``benchmarks/results/bench_stages.jsonl``. The stages do not add up exactly to the
whole: the whole also iterates, flushes and frees, and timings move with the machine's load.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import best_of, print_table, record  # noqa: E402
from bench_load import ensure_corpus  # noqa: E402


def measure(root: str, repeat: int) -> list[dict[str, Any]]:
    """Return one row per stage: seconds and microseconds per article."""
    import pyarrow as pa

    from newslab.corpus import load as L
    from newslab.corpus.decode import decode_bytes
    from newslab.corpus.dedupe import flag_duplicates
    from newslab.corpus.lang import guess_langs
    from newslab.corpus.plaintext import parse_plaintext
    from newslab.corpus.rules import default_rules
    from newslab.corpus.sources import iter_items

    rules = default_rules()
    opts = L.LoadOptions()
    L.load_corpus(root, progress=False, workers=1, cache=False)  # warm: imports, caches

    times: dict[str, float] = {}
    times["list"], items = best_of(lambda: list(iter_items(root)), repeat)
    times["read"], datas = best_of(lambda: [L._read_item(i) for i in items], repeat)
    times["decode"], decoded = best_of(lambda: [decode_bytes(d).text for d in datas], repeat)
    texts = [t.replace("\r\n", "\n").replace("\r", "\n") for t in decoded]
    times["parse"], parsed = best_of(lambda: [parse_plaintext(t, rules) for t in texts], repeat)
    times["parse: line scan"], _ = best_of(
        lambda: [rules.scan_lines(t, t.split("\n")) for t in texts], repeat
    )
    bodies = [p.text for p in parsed]
    chunks = [
        (bodies[k : k + L.ASSEMBLE_CHUNK], pa.array(bodies[k : k + L.ASSEMBLE_CHUNK]))
        for k in range(0, len(bodies), L.ASSEMBLE_CHUNK)
    ]
    times["words"], _ = best_of(lambda: [L._word_counts(b, a) for b, a in chunks], repeat)
    times["lang"], _ = best_of(lambda: [guess_langs(b) for b, _ in chunks], repeat)
    names = [(i.source_path, i.name) for i in items]
    times["parse_bytes"], results = best_of(
        lambda: [
            L._parse_bytes(d, source_path=p, name=n, opts=opts)
            for d, (p, n) in zip(datas, names, strict=True)
        ],
        repeat,
    )
    times["assemble"], (df, _report) = best_of(lambda: L._assemble(results), repeat)
    times["duplicates"], _ = best_of(lambda: flag_duplicates(df), repeat)
    times["load_corpus"], whole = best_of(
        lambda: L.load_corpus(root, progress=False, workers=1, cache=False), repeat
    )
    n = len(whole)
    total = times["load_corpus"]
    return [
        {
            "stage": stage,
            "seconds": secs,
            "us/article": secs / n * 1e6,
            "share": secs / total,
            "articles": n,
        }
        for stage, secs in times.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time each stage of newslab.load_corpus")
    parser.add_argument("--n", type=int, default=10_000, help="corpus size (articles)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (fastest counts)")
    parser.add_argument("--cache-dir", default=None, help="where generated corpora are kept")
    parser.add_argument("--no-record", action="store_true", help="do not append to results/")
    args = parser.parse_args(argv)

    root = str(ensure_corpus(args.n, args.seed, args.cache_dir))
    rows = measure(root, args.repeat)
    print_table(
        rows,
        ["stage", "us/article", "share", "seconds"],
        title=f"load_corpus by stage, {rows[0]['articles']:,} articles (fastest of {args.repeat})",
    )
    if not args.no_record:
        path = record(
            "bench_stages",
            {"stages": rows},
            params={"n": args.n, "seed": args.seed, "repeat": args.repeat},
        )
        print(f"recorded in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
