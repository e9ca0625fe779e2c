"""newslab: study news coverage in JupyterLab.

Load folders of scraped articles into tidy tables, find who is mentioned with whom, and when
things happened. The public verbs of every stage are re-exported here::

    import newslab as nl
    articles = nl.load_corpus("data/demo")
    mentions = nl.extract_entities(articles)
    pairs = nl.count_comentions(mentions, unit="sentence")

The loader verbs are imported eagerly; the later stages (entities, co-mentions, temporal
expressions, events) are imported on first use, so ``import newslab`` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

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

#: public name -> module that defines it (imported lazily by :func:`__getattr__`)
_LAZY: dict[str, str] = {
    "sentences": "newslab.text",
    "tokens": "newslab.text",
    "ngrams": "newslab.text",
    "collocations": "newslab.text",
    "kwic": "newslab.text",
    "term_frequency": "newslab.text",
    "extract_entities": "newslab.entities",
    "entity_summary": "newslab.entities",
    "load_gazetteer": "newslab.entities",
    # ``newslab.comentions`` is the module; its verb is exported as ``count_comentions`` too
    "count_comentions": "newslab.comentions",
    "association_measures": "newslab.comentions",
    "comention_matrix": "newslab.comentions",
    "comention_graph": "newslab.comentions",
    "write_graph": "newslab.comentions",
    "comentions_over_time": "newslab.comentions",
    "top_pairs_over_time": "newslab.comentions",
    "evidence": "newslab.comentions",
    "find_timexes": "newslab.timex",
    "timexes": "newslab.timex",
    "extract_events": "newslab.events",
    "group_events": "newslab.events",
    "mention_volume": "newslab.timelines",
    "event_timeline": "newslab.plot_timelines",
    "mention_volume_plot": "newslab.plot_timelines",
    "run_pipeline": "newslab.pipeline",
    "build_report": "newslab.report",
    "explore": "newslab.explore",
}

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
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    """Import a later-stage verb on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newslab' has no attribute {name!r}")
    attr = "comentions" if name == "count_comentions" else name
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
