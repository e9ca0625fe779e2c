"""Corpus loading: files of scraped articles into one tidy table, nothing lost.

Stages, one module each: :mod:`~newslab.corpus.sources` (folders, globs, archives),
:mod:`~newslab.corpus.decode` (encodings), :mod:`~newslab.corpus.plaintext` (the scraped
format) and :mod:`~newslab.corpus.records` (JSON/JSONL/CSV/Parquet), :mod:`~newslab.corpus.rules`
(boilerplate rules from ``data/boilerplate.tsv``), :mod:`~newslab.corpus.dates`,
:mod:`~newslab.corpus.dedupe`, :mod:`~newslab.corpus.report` and :mod:`~newslab.corpus.cache`.
"""

from __future__ import annotations

from newslab.corpus.cache import read_corpus, save_corpus
from newslab.corpus.dataset import ingest, iter_dataset, read_dataset
from newslab.corpus.dedupe import drop_duplicates, flag_duplicates
from newslab.corpus.load import iter_corpus, load_corpus, parse_bytes
from newslab.corpus.plaintext import parse_plaintext
from newslab.corpus.report import LoadReport, get_report
from newslab.corpus.rules import default_rules, load_rules

__all__ = [
    "LoadReport",
    "default_rules",
    "drop_duplicates",
    "flag_duplicates",
    "get_report",
    "ingest",
    "iter_dataset",
    "read_dataset",
    "iter_corpus",
    "load_corpus",
    "load_rules",
    "parse_bytes",
    "parse_plaintext",
    "read_corpus",
    "save_corpus",
]
