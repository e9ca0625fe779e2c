"""The top-level package re-exports every stage's verbs, lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

import pytest

import newslab as nl


@pytest.mark.parametrize("name", sorted(nl._LAZY))
def test_lazy_verbs_are_the_module_objects(name: str) -> None:
    module = importlib.import_module(nl._LAZY[name])
    attr = "comentions" if name == "count_comentions" else name
    value = getattr(nl, name)
    if isinstance(value, types.ModuleType):
        # ``newslab.explore`` is both a module and its verb: the module is callable
        assert value is module and callable(value)
    else:
        assert value is getattr(module, attr)
    assert name in nl.__all__ and name in dir(nl)


def test_unknown_attribute_raises() -> None:
    with pytest.raises(AttributeError, match="no attribute 'not_a_verb'"):
        _ = nl.not_a_verb


def test_import_does_not_load_later_stages() -> None:
    code = (
        "import sys, newslab; print('newslab.comentions' in sys.modules, 'networkx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
