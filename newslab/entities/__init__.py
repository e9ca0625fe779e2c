"""Entities: gazetteer matching, in-document resolution and discovery of new names.

>>> import newslab.entities as ne
>>> sorted(ne.__all__)[:3]
['GAZETTEER', 'Gazetteer', 'entity_summary']
"""

from __future__ import annotations

from newslab.entities.extract import entity_summary, extract_entities
from newslab.entities.gazetteer import GAZETTEER, Gazetteer, load_gazetteer

__all__ = ["GAZETTEER", "Gazetteer", "entity_summary", "extract_entities", "load_gazetteer"]
