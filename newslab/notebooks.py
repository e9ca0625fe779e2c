"""Curated notebooks: find them, resolve their parameters, and run them with papermill.

The notebooks in the repository's ``notebooks/`` folder (``00-quickstart``,
``01-load-corpus``, ``02-entity-comentions``, ``03-event-timelines``) are parameterised
with a papermill ``parameters`` cell (``CORPUS_PATH``, ``DATE_FROM``, ``DATE_TO``,
``ENTITY_TYPES``, ``OUT_DIR``). :func:`run_notebooks` executes them on any corpus and writes
the executed copies (with their outputs) to a folder; the ``newslab notebooks`` command
calls it.

The small helpers below are what the notebooks themselves call, so that the same cells work
whether the notebook is run from ``notebooks/`` (JupyterLab, nbmake), from the repository
root (``papermill notebooks/00-quickstart.ipynb ...``) or by :func:`run_notebooks`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from newslab.timelines import SUSPECT_DATES as SUSPECT_DATES  # re-exported for the notebooks
from newslab.timelines import plausible_dates as plausible_dates

#: The curated notebooks, in reading order (file stems in ``notebooks/``).
CURATED: tuple[str, ...] = (
    "00-quickstart",
    "01-load-corpus",
    "02-entity-comentions",
    "03-event-timelines",
)

#: The names of the parameters every curated notebook accepts.
PARAMETERS: tuple[str, ...] = ("CORPUS_PATH", "DATE_FROM", "DATE_TO", "ENTITY_TYPES", "OUT_DIR")

#: The demo corpus, relative to the repository root.
DEMO_CORPUS = "data/demo"


def repo_root() -> Path | None:
    """Return the source checkout holding the package, or None for an installed package.

    Returns
    -------
    pathlib.Path or None
        The folder with ``pyproject.toml`` and ``notebooks/`` above ``newslab/``, when the
        package is imported from a checkout (editable install or ``PYTHONPATH``).

    Examples
    --------
    >>> root = repo_root()
    >>> root is None or (root / "newslab").is_dir()
    True
    """
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def notebooks_dir() -> Path:
    """Return the folder holding the curated notebooks.

    ``NEWSLAB_NOTEBOOKS`` (an environment variable) overrides the search; otherwise the
    ``notebooks/`` folder of the checkout the package is imported from is used.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileNotFoundError
        When the package is installed without its repository (a wheel or a non-editable
        install ships no notebooks) and ``NEWSLAB_NOTEBOOKS`` is not set.
    """
    env = os.environ.get("NEWSLAB_NOTEBOOKS")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"NEWSLAB_NOTEBOOKS={env!r} is not a folder")
        return path.resolve()
    root = repo_root()
    if root is None:
        raise FileNotFoundError(
            "the curated notebooks are not installed with the package: newslab is imported from "
            f"{Path(__file__).resolve().parent}, which is not a source checkout. Clone the "
            "repository and install it with `pip install -e '.[notebooks]'`, or set "
            "NEWSLAB_NOTEBOOKS to the folder holding the notebooks."
        )
    return root / "notebooks"


def _bases() -> list[Path]:
    """Return the folders a relative path is tried against, in order."""
    bases = [Path.cwd()]
    root = repo_root()
    if root is not None:
        bases += [root, root / "notebooks"]
    return bases


def resolve_path(path: str | os.PathLike[str], must_exist: bool = True) -> Path:
    """Return an absolute path for a notebook parameter given relative to wherever it runs.

    Parameters
    ----------
    path
        An absolute path, or a path relative to the current folder, the repository root or
        the ``notebooks/`` folder (tried in that order).
    must_exist
        Inputs (``True``): the first base under which the path exists wins, and a missing
        path raises. Outputs (``False``): a relative path goes under the repository root
        when the notebook runs inside the repository (from the root or from ``notebooks/``),
        else under the current folder.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileNotFoundError
        For a missing input, naming every place that was tried.

    Examples
    --------
    >>> resolve_path(__file__) == Path(__file__).resolve()
    True
    """
    p = Path(path).expanduser()
    if p.is_absolute():
        if must_exist and not p.exists():
            raise FileNotFoundError(f"not found: {p}")
        return p.resolve() if p.exists() else p
    if must_exist:
        tried = []
        for base in _bases():
            cand = base / p
            if cand.exists():
                return cand.resolve()
            tried.append(str(cand))
        raise FileNotFoundError(f"{str(path)!r} not found; tried: " + ", ".join(tried))
    root = repo_root()
    cwd = Path.cwd().resolve()
    if root is not None and (cwd == root or root in cwd.parents):
        return (root / p).resolve()
    return (cwd / p).resolve()


def is_demo(corpus: str | os.PathLike[str]) -> bool:
    """Return True when ``corpus`` is the demo corpus shipped in ``data/demo``.

    Notebooks check facts about the demo (which events happened when) only on the demo.

    Parameters
    ----------
    corpus
        The resolved corpus path.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_demo("/somewhere/else")
    False
    """
    root = repo_root()
    if root is None:
        return False
    return Path(corpus).resolve() == (root / DEMO_CORPUS).resolve()


def _bound(value: Any) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return pd.Timestamp(value)


def within_dates(
    articles: pd.DataFrame, date_from: Any = None, date_to: Any = None
) -> pd.DataFrame:
    """Return the articles published between two dates (both inclusive, whole days).

    Parameters
    ----------
    articles
        An articles table with ``published``.
    date_from, date_to
        Dates (strings such as ``"2023-03-01"`` or Timestamps); ``None`` or ``""`` leaves
        that side open. With both open every article is kept, undated ones too; otherwise
        undated articles are left out.

    Returns
    -------
    pandas.DataFrame
        A copy of the selected rows; ``attrs`` (the load report) are kept.

    Examples
    --------
    >>> arts = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...     "published": [pd.Timestamp("2023-03-01"), pd.Timestamp("2023-03-20 18:00"), pd.NaT]})
    >>> within_dates(arts, None, "2023-03-20")["doc_id"].tolist()
    ['a', 'b']
    >>> len(within_dates(arts))
    3
    """
    lo, hi = _bound(date_from), _bound(date_to)
    if lo is None and hi is None:
        return articles.copy()
    published = pd.to_datetime(articles["published"])
    keep = published.notna()
    if lo is not None:
        keep &= published >= lo.normalize()
    if hi is not None:
        keep &= published < hi.normalize() + pd.Timedelta(days=1)
    out = articles.loc[keep.fillna(False).to_numpy()].copy()
    out.attrs = articles.attrs
    return out


#: Load-report warnings that make a publication date unusable on a time axis.


def covers(articles: pd.DataFrame, *days: str) -> bool:
    """Return True when every day given falls within the articles' publication range.

    Parameters
    ----------
    articles
        An articles table with ``published``.
    *days
        ISO dates.

    Returns
    -------
    bool

    Examples
    --------
    >>> arts = pd.DataFrame({"published": pd.to_datetime(["2023-03-01", "2023-03-31"])})
    >>> covers(arts, "2023-03-20"), covers(arts, "2023-04-02")
    (True, False)
    """
    published = pd.to_datetime(articles["published"]).dropna()
    if published.empty:
        return False
    lo, hi = published.min().normalize(), published.max().normalize()
    return all(lo <= pd.Timestamp(d) <= hi for d in days)


def write_summary(out_dir: str | os.PathLike[str], name: str, **facts: Any) -> Path:
    """Write a notebook's key results to ``OUT_DIR/<name>.json`` and return the path.

    Values are converted to JSON-friendly types (Timestamps as ISO strings, numpy numbers
    as Python numbers).

    Parameters
    ----------
    out_dir
        The notebook's output folder (created when missing).
    name
        File stem, usually the notebook's name.
    **facts
        The results to record.

    Returns
    -------
    pathlib.Path
    """

    def plain(v: Any) -> Any:
        if isinstance(v, Mapping):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        if isinstance(v, pd.Timestamp):
            return None if pd.isna(v) else v.isoformat()
        if hasattr(v, "item") and not isinstance(v, str):
            return v.item()
        if v is pd.NaT or (not isinstance(v, str) and v is not None and pd.isna(v)):
            return None
        return v

    path = Path(out_dir) / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plain(facts), indent=2, sort_keys=True), encoding="utf-8")
    return path


def available(folder: str | os.PathLike[str] | None = None) -> list[str]:
    """Return the names (stems) of the numbered notebooks in ``folder``.

    Parameters
    ----------
    folder
        Default :func:`notebooks_dir`.

    Returns
    -------
    list of str
        Sorted stems of ``NN-*.ipynb`` files.
    """
    base = Path(folder) if folder is not None else notebooks_dir()
    return sorted(
        p.stem for p in base.glob("*.ipynb") if p.stem[:2].isdigit() and p.stem[2:3] == "-"
    )


def _select(names: Sequence[str] | None, present: Iterable[str]) -> list[str]:
    present = list(present)
    if names is None:
        missing = [n for n in CURATED if n not in present]
        if missing:
            raise FileNotFoundError(f"curated notebook(s) missing: {', '.join(missing)}")
        return list(CURATED)
    chosen = []
    for name in names:
        stem = Path(name).stem
        hits = [p for p in present if p == stem or p.split("-", 1)[0] == stem]
        if not hits:
            raise ValueError(f"no notebook named {name!r}; available: {', '.join(present)}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def run_notebooks(
    corpus: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    parameters: dict[str, Any] | None = None,
    names: list[str] | None = None,
    *,
    progress: bool = False,
    timeout: int = 600,
) -> list[Path]:
    """Execute the curated notebooks on a corpus and return the executed copies.

    Each notebook runs with papermill in a ``python3`` kernel of the current environment,
    with ``CORPUS_PATH`` set to ``corpus`` and ``OUT_DIR`` to ``out_dir/<name>`` (where it
    writes its figures, tables and a JSON summary); the executed notebook is written to
    ``out_dir/<name>.ipynb``. The kernel runs in ``out_dir``.

    Parameters
    ----------
    corpus
        Anything :func:`newslab.load_corpus` reads (a folder, a file, an archive).
    out_dir
        Output folder (created when missing).
    parameters
        More papermill parameters, e.g. ``{"DATE_TO": "2023-03-31", "ENTITY_TYPES":
        ["PERSON"]}``; ``CORPUS_PATH`` and ``OUT_DIR`` given here win over the defaults.
    names
        Notebooks to run, by stem (``"02-entity-comentions"``) or number (``"02"``);
        default the four curated ones.
    progress
        Show papermill's per-cell progress bar.
    timeout
        Seconds allowed per cell.

    Returns
    -------
    list of pathlib.Path
        The executed notebooks, in the order run.

    Raises
    ------
    FileNotFoundError
        When the corpus or the notebooks folder is missing (see :func:`notebooks_dir`).
    ImportError
        When papermill is not installed (``pip install 'newslab[notebooks]'``).
    papermill.PapermillExecutionError
        When a cell fails; the partly executed copy is still written.
    """
    corpus_path = Path(corpus).expanduser()
    if not corpus_path.exists():
        raise FileNotFoundError(f"corpus not found: {corpus_path}")
    try:
        import papermill as pm
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "running notebooks needs papermill: pip install 'newslab[notebooks]'"
        ) from exc
    folder = notebooks_dir()
    chosen = _select(names, available(folder))
    out = Path(out_dir).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in chosen:
        params: dict[str, Any] = {
            "CORPUS_PATH": str(corpus_path.resolve()),
            "OUT_DIR": str(out / name),
        }
        params.update(parameters or {})
        target = out / f"{name}.ipynb"
        pm.execute_notebook(
            str(folder / f"{name}.ipynb"),
            str(target),
            parameters=params,
            kernel_name="python3",
            progress_bar=progress,
            cwd=str(out),
            execution_timeout=timeout,
        )
        written.append(target)
    return written


# --------------------------------------------------------------------------- pairing


def paired_scripts(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the percent-format scripts (``NN-*.py``) that are the notebooks' source.

    Parameters
    ----------
    folder
        Default :func:`notebooks_dir`.

    Returns
    -------
    list of pathlib.Path
    """
    base = Path(folder) if folder is not None else notebooks_dir()
    return sorted(p for p in base.glob("*.py") if p.stem[:2].isdigit() and p.stem[2:3] == "-")


def script_to_notebook(script: str | os.PathLike[str]) -> Any:
    """Return the notebook (an ``nbformat`` node) written from a percent-format script.

    The result has no outputs and no execution counts, and its cell ids are derived from
    the cell positions, so regenerating an unchanged script gives an identical file.

    Parameters
    ----------
    script
        Path of a ``py:percent`` script.

    Returns
    -------
    nbformat.NotebookNode
    """
    import jupytext

    nb = jupytext.read(Path(script), fmt="py:percent")
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def sync_notebooks(folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write ``NN-*.ipynb`` (outputs stripped) from every paired ``NN-*.py`` script.

    Run it after editing a script (``python -m newslab.notebooks``); the test suite checks
    that the committed notebooks match their scripts.

    Parameters
    ----------
    folder
        Default :func:`notebooks_dir`.

    Returns
    -------
    list of pathlib.Path
        The notebooks written.
    """
    import jupytext

    written = []
    for script in paired_scripts(folder):
        target = script.with_suffix(".ipynb")
        jupytext.write(script_to_notebook(script), target, fmt="ipynb")
        written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in sync_notebooks():
        print(f"wrote {path}")
