"""Throughput of newslab sentence splitting + entity extraction against NLTK's NE pipeline.

Runs on one core, in one process:

* newslab: ``sentences`` alone, then ``extract_entities`` (which splits sentences itself) with
  ``discover=False`` (the gazetteer path), ``discover="rules"`` and ``discover=True`` (rules plus
  NLTK's NE chunker, on the NLTK subset only);
* the baseline: NLTK's ``sent_tokenize`` + ``word_tokenize`` + ``pos_tag`` + binary ``ne_chunk``
  with the tagger and chunker built once, on a subset of the same articles.

Prints words per second (whitespace-separated words of the article texts), the ratio against the
baseline, and peak memory (tracemalloc peak of a separate pass, and the process's max RSS).

Usage::

    NLTK_DATA=../shared/nltk_data python benchmarks/bench_entities.py [--docs 2000] [--nltk-docs 60]

Articles come from ``../shared/corpora/article-bias-prediction`` when present, otherwise from
the demo corpus in ``data/demo`` repeated to ``--docs`` articles.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import best_of  # noqa: E402

ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction"


def load_articles(n_docs: int) -> tuple[pd.DataFrame, str]:
    """Return ``n_docs`` articles (doc_id, text) and a description of where they came from."""
    if ABP.exists():
        manifest = pd.read_csv(ABP / "manifest.csv").sort_values("ID").head(n_docs)
        rows = [json.loads((ABP / p).read_text(encoding="utf-8")) for p in manifest["path"]]
        arts = pd.DataFrame(
            {
                "doc_id": [r["ID"] for r in rows],
                "text": [r["content_original"] for r in rows],
                # the date picks the holder of a role ("the US president")
                "published": pd.to_datetime([r.get("date") or None for r in rows], errors="coerce"),
            }
        )
        return arts, f"article-bias-prediction ({len(arts)} articles)"
    from newslab.corpus import load_corpus

    demo = load_corpus(ROOT / "data" / "demo")[["doc_id", "text", "published"]]
    reps = max(1, -(-n_docs // len(demo)))
    arts = pd.concat([demo] * reps, ignore_index=True).head(n_docs)
    arts["doc_id"] = [f"{d}#{i}" for i, d in enumerate(arts["doc_id"])]
    return arts, f"demo corpus repeated ({len(arts)} articles)"


def n_words(arts: pd.DataFrame) -> int:
    return int(arts["text"].str.split().str.len().sum())


def nltk_pipeline(arts: pd.DataFrame) -> int:
    """NLTK's NE pipeline with models built once; returns the number of NE chunks."""
    import nltk
    from nltk.chunk import Maxent_NE_Chunker
    from nltk.tag import PerceptronTagger

    tagger = PerceptronTagger()
    chunker = Maxent_NE_Chunker("binary")
    n = 0
    for text in arts["text"]:
        for sent in nltk.sent_tokenize(text):
            tree = chunker.parse(tagger.tag(nltk.word_tokenize(sent)))
            n += sum(1 for node in tree if not isinstance(node, tuple))
    return n


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs", type=int, default=2000, help="articles for newslab (default 2000)"
    )
    parser.add_argument("--nltk-docs", type=int, default=60, help="articles for the NLTK baseline")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs for newslab timings")
    args = parser.parse_args(argv)

    from newslab.entities import extract_entities
    from newslab.entities.discovery import nltk_chunker
    from newslab.entities.gazetteer import as_gazetteer
    from newslab.text import sentences

    arts, where = load_articles(args.docs)
    sub = arts.head(args.nltk_docs)
    words, sub_words = n_words(arts), n_words(sub)
    gaz = as_gazetteer(None)
    # Warm up: compile the gazetteer, load Punkt parameters and (when present) NLTK models.
    extract_entities(arts.head(3), gazetteer=gaz, discover="rules")
    have_nltk = nltk_chunker() is not None
    print(
        f"corpus: {where}, {words:,} words; {gaz}; NLTK subset {len(sub)} articles, {sub_words:,} words"
    )

    res: dict[str, float] = {}
    t, s = best_of(lambda: sentences(arts), args.repeat)
    res["sentences"] = words / t
    print(
        f"newslab sentences                      {words / t:>12,.0f} words/s  ({len(s):,} sentences)"
    )
    t, m = best_of(lambda: extract_entities(arts, gazetteer=gaz, discover=False), args.repeat)
    res["gazetteer"] = words / t
    print(
        f"newslab sentences+entities, gazetteer  {words / t:>12,.0f} words/s  ({len(m):,} mentions)"
    )
    t, m = best_of(lambda: extract_entities(arts, gazetteer=gaz, discover="rules"), args.repeat)
    res["rules"] = words / t
    print(
        f"newslab sentences+entities, rules      {words / t:>12,.0f} words/s  ({len(m):,} mentions)"
    )
    if have_nltk:
        t, m = best_of(lambda: extract_entities(sub, gazetteer=gaz, discover=True))
        res["discover_nltk"] = sub_words / t
        print(
            f"newslab + NLTK NE chunks (subset)      {sub_words / t:>12,.0f} words/s  ({len(m):,} mentions)"
        )
        t, n = best_of(lambda: nltk_pipeline(sub))
        res["nltk"] = sub_words / t
        print(
            f"NLTK sent+word tokenize+pos_tag+chunk  {sub_words / t:>12,.0f} words/s  ({n:,} NE chunks)"
        )
        for key in ("gazetteer", "rules", "discover_nltk"):
            print(f"ratio {key:<14} / NLTK pipeline: {res[key] / res['nltk']:8.1f}x")
    else:
        print("NLTK models not found (set NLTK_DATA): baseline skipped")
    res["peak_mb_gazetteer"] = peak_mb(
        lambda: extract_entities(arts, gazetteer=gaz, discover=False)
    )
    res["peak_mb_rules"] = peak_mb(lambda: extract_entities(arts, gazetteer=gaz, discover="rules"))
    res["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak traced memory: gazetteer {res['peak_mb_gazetteer']:.1f} MB, rules "
        f"{res['peak_mb_rules']:.1f} MB; process max RSS {res['max_rss_mb']:.0f} MB"
    )
    return res


if __name__ == "__main__":
    main()
