"""README's first code block runs as written on the demo corpus."""

from __future__ import annotations

import os
import re

import matplotlib.pyplot as plt

from tests.conftest import ROOT


def test_readme_quick_tour_runs(monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(import newslab as nl\n.*?)```", text, re.S)
    assert block, "README lost its quick tour"
    code = block.group(1).replace("nl.explore(articles)", "app = nl.explore(articles)")
    monkeypatch.chdir(ROOT)
    ns: dict = {}
    exec(compile(code, os.fspath(ROOT / "README.md"), "exec"), ns)  # our own README, not data
    plt.close("all")
    assert len(ns["articles"]) >= 60
    assert {"person:xi_jinping", "person:vladimir_putin"} <= set(ns["mentions"]["entity_id"])
    assert len(ns["pairs"]) > 0 and len(ns["events"]) > 0
    assert ns["app"] is not None
