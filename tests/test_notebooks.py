"""Curated notebooks: committed without outputs, in sync with their scripts, parameterised,
and executed top to bottom on the demo corpus (each asserts on its own results in cells)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from newslab import notebooks as nbk
from tests.conftest import DEMO, ROOT

NOTEBOOKS = ROOT / "notebooks"
COMMITTED = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def _cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def _parameters_cell(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]


def test_the_curated_notebooks_are_committed_with_their_scripts():
    stems = {p.stem for p in COMMITTED}
    assert set(nbk.CURATED) <= stems
    for name in nbk.CURATED:
        assert (NOTEBOOKS / f"{name}.py").is_file(), name
    assert (NOTEBOOKS / "jupytext.toml").read_text().count('formats = "ipynb,py:percent"') == 1


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], (path.name, cell.source[:60])
            assert cell.execution_count is None, (path.name, cell.source[:60])
    # no kernel state or widget state stored either
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_committed_notebook_matches_its_script(path: Path):
    script = path.with_suffix(".py")
    if not script.exists():
        pytest.fail(f"{path.name} has no paired {script.name} (jupytext percent format)")
    committed = nbformat.read(path, as_version=4)
    expected = nbk.script_to_notebook(script)
    assert _cells(committed) == _cells(expected), (
        f"{path.name} is out of date: run `python -m newslab.notebooks` after editing {script.name}"
    )


@pytest.mark.parametrize("name", nbk.CURATED)
def test_parameters_cell_defines_every_parameter(name: str):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cells = _parameters_cell(nb)
    assert len(cells) == 1, name
    tree = ast.parse(cells[0].source)
    assigned = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
    assert set(nbk.PARAMETERS) <= assigned, assigned
    # it is the first code cell, so nothing runs before the parameters are known
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code is cells[0]


def _errors(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "error"
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("notebooks")
    return out, nbk.run_notebooks(DEMO, out)


def test_every_curated_notebook_runs_on_the_demo_corpus(executed):
    out, paths = executed
    assert [p.stem for p in paths] == list(nbk.CURATED)
    summaries = {}
    for path in paths:
        assert path.parent == out and path.is_file()
        assert _errors(path) == []
        nb = nbformat.read(path, as_version=4)
        # every code cell ran (papermill records the count)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code"), path.name
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and str(DEMO.resolve()) in injected[0].source
        summaries[path.stem] = json.loads((out / path.stem / f"{path.stem}.json").read_text())
    # the notebooks agree on the corpus they loaded
    assert len({s["n_articles"] for s in summaries.values()}) == 1
    assert summaries["00-quickstart"]["n_pairs"] == summaries["02-entity-comentions"]["n_pairs"]
    # figures were written
    for name in ("heatmap", "event_timeline", "mention_volume"):
        assert (out / "00-quickstart" / f"{name}.png").stat().st_size > 1000
    assert (out / "02-entity-comentions" / "comentions.graphml").is_file()
    events = pd.read_csv(out / "03-event-timelines" / "events.csv")
    assert (events["n_sources"] >= 2).any()


def test_a_changed_parameter_changes_the_run(executed, tmp_path):
    out, _ = executed
    full = json.loads((out / "01-load-corpus" / "01-load-corpus.json").read_text())
    cut = "2023-03-10"
    (path,) = nbk.run_notebooks(DEMO, tmp_path, parameters={"DATE_TO": cut}, names=["01"])
    assert path.name == "01-load-corpus.ipynb" and _errors(path) == []
    part = json.loads((tmp_path / "01-load-corpus" / "01-load-corpus.json").read_text())
    assert pd.Timestamp(part["date_max"]) < pd.Timestamp(cut) + pd.Timedelta(days=1)
    assert pd.Timestamp(full["date_max"]) > pd.Timestamp(cut)
    assert 0 < part["n_articles"] < full["n_articles"]


def test_run_notebooks_reports_clear_errors(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="corpus not found"):
        nbk.run_notebooks(tmp_path / "missing", tmp_path)
    with pytest.raises(ValueError, match="no notebook named"):
        nbk.run_notebooks(DEMO, tmp_path, names=["99-nothing"])
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("NEWSLAB_NOTEBOOKS", str(empty))
    with pytest.raises(FileNotFoundError, match="curated notebook"):
        nbk.run_notebooks(DEMO, tmp_path)
    # an installed (non-editable) package has no notebooks next to it
    monkeypatch.delenv("NEWSLAB_NOTEBOOKS")
    monkeypatch.setattr(nbk, "repo_root", lambda: None)
    with pytest.raises(FileNotFoundError, match="not installed with the package"):
        nbk.notebooks_dir()


def test_select_by_number_or_name():
    present = [*nbk.CURATED, "04-something-else"]
    assert nbk._select(["02", "00-quickstart"], present) == [
        "02-entity-comentions",
        "00-quickstart",
    ]
    assert nbk._select(["04"], present) == ["04-something-else"]
    assert nbk._select(None, present) == list(nbk.CURATED)


@pytest.mark.parametrize("where", ["root", "notebooks", "elsewhere"])
def test_relative_paths_resolve_from_the_root_notebooks_or_elsewhere(where, tmp_path, monkeypatch):
    cwd = {"root": ROOT, "notebooks": NOTEBOOKS, "elsewhere": tmp_path}[where]
    monkeypatch.chdir(cwd)
    assert nbk.resolve_path("data/demo") == DEMO.resolve()
    out = nbk.resolve_path("out/x", must_exist=False)
    assert out == ((tmp_path if where == "elsewhere" else ROOT) / "out" / "x").resolve()
    with pytest.raises(FileNotFoundError, match="tried"):
        nbk.resolve_path("no/such/corpus")
    assert nbk.is_demo(nbk.resolve_path("data/demo"))


def test_date_helpers_on_the_demo_corpus():
    import newslab as nl

    articles = nl.load_corpus(DEMO, progress=False)
    plausible = nbk.plausible_dates(articles)
    report = nl.get_report(articles)
    flagged = set(report.issues.loc[report.issues["reason"].isin(nbk.SUSPECT_DATES), "doc_id"])
    assert flagged and not plausible["doc_id"].isin(flagged).any()
    assert plausible["published"].notna().all()
    assert len(plausible) == articles["published"].notna().sum() - len(
        flagged & set(articles.loc[articles["published"].notna(), "doc_id"])
    )
    march = nbk.within_dates(articles, "2023-03-01", "2023-03-31")
    assert march["published"].dt.month.eq(3).all() and len(march) > 0
    assert nbk.covers(march, "2023-03-20") and not nbk.covers(march, "2023-04-02")


def test_scale_notebook_runs_on_the_demo_corpus(tmp_path: Path):
    """Notebook 04 (chunked pipeline and a Dask LocalCluster) agrees with the pandas path."""
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    (path,) = nbk.run_notebooks(DEMO, tmp_path, names=["04"])
    assert _errors(path) == []
    s = json.loads((tmp_path / "04-scale-with-dask" / "04-scale-with-dask.json").read_text())
    assert s["same_as_pandas"] and s["n_articles"] > 0 and s["n_pairs"] > 0
