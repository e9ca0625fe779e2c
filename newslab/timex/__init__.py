"""Temporal expressions: find dates, durations and sets in news text and normalise them.

Public verbs
------------
- :func:`find_timexes` -- tag one text against its publication date.
- :func:`timexes` -- tag a sentence table against each article's date.
- :func:`ranges` -- fold the two ends of "from ... to ..." ranges into one row.
- :mod:`newslab.timex.tempeval` -- read TempEval-3 TimeML and score TIMEX3 output.
"""

from __future__ import annotations

from newslab.timex.tagger import find_timexes, ranges, split_sentences, timexes

__all__ = ["find_timexes", "ranges", "split_sentences", "timexes"]
