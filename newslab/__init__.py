"""newslab: study news coverage in JupyterLab.

Load folders of scraped articles into tidy tables, find who is mentioned with whom, and when
things happened. The public verbs are re-exported here::

    import newslab as nl
    articles = nl.load_corpus("data/demo")
"""

from __future__ import annotations

from newslab.corpus import (
    LoadReport,
    drop_duplicates,
    get_report,
    ingest,
    iter_corpus,
    iter_dataset,
    load_corpus,
    read_corpus,
    read_dataset,
    save_corpus,
)

__version__ = "0.1.0"

__all__ = [
    "LoadReport",
    "__version__",
    "drop_duplicates",
    "get_report",
    "ingest",
    "iter_corpus",
    "iter_dataset",
    "load_corpus",
    "read_corpus",
    "read_dataset",
    "save_corpus",
]
