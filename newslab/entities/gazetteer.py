"""Gazetteer tables (who and what newslab knows by name) and their compiled Aho-Corasick matcher."""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd

__all__ = ["GAZETTEER", "PARTIAL_KINDS", "Gazetteer", "load_gazetteer", "normalize"]

#: Columns of a gazetteer table, as in ``newslab/entities/data/*.csv``.
GAZETTEER: dict[str, str] = {
    "entity_id": "string",
    "label": "string",
    "type": "string",
    "alias": "string",
    "kind": "string",
    "metonym": "bool",
}

#: Alias kinds that name only part of a person: they are resolved within each article.
PARTIAL_KINDS = frozenset({"surname", "given"})

#: Package tables, loaded in this order (later rows win on the same entity_id + alias).
PACKAGE_TABLES = ("countries.csv", "people.csv", "orgs.csv", "places.csv", "overrides.csv")

# One-character replacements, so offsets in the normalised text equal offsets in the original.
_REPLACE = tuple(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
    }.items()
)

_TRUE = {"1", "true", "yes", "y", "t"}


def normalize(text: str) -> str:
    """Return ``text`` with curly quotes, odd spaces and hyphens replaced one-for-one.

    Parameters
    ----------
    text
        Any string.

    Returns
    -------
    str
        Same length as ``text``, so character offsets stay valid.

    Examples
    --------
    >>> normalize("Putin\u2019s\u00a0visit")
    "Putin's visit"
    """
    for a, b in _REPLACE:
        if a in text:
            text = text.replace(a, b)
    return text


def _read_table(source: str | os.PathLike[str] | io.StringIO) -> pd.DataFrame:
    """Read one gazetteer CSV, skipping ``#`` comment lines."""
    if isinstance(source, io.StringIO):
        raw = source.getvalue()
    else:
        raw = Path(source).read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    if not body.strip():
        return pd.DataFrame(columns=list(GAZETTEER))
    return pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)


def _conform(df: pd.DataFrame) -> pd.DataFrame:
    missing = {"entity_id", "label", "type", "alias"} - set(df.columns)
    if missing:
        raise ValueError(f"gazetteer table lacks columns {sorted(missing)}")
    out = df.copy()
    if "kind" not in out.columns:
        out["kind"] = "name"
    if "metonym" not in out.columns:
        out["metonym"] = False
    met = out["metonym"]
    if met.dtype != bool:
        met = met.astype(str).str.strip().str.lower().isin(_TRUE)
    out["metonym"] = met.astype(bool)
    for col in ("entity_id", "label", "type", "alias", "kind"):
        out[col] = out[col].fillna("").astype(str).str.strip()
    out["type"] = out["type"].str.upper()
    out.loc[out["kind"] == "", "kind"] = "name"
    out = out[(out["entity_id"] != "") & (out["alias"] != "")]
    return out[list(GAZETTEER)].astype(GAZETTEER)


def _package_paths() -> list[Path]:
    base = resources.files("newslab.entities").joinpath("data")
    paths = []
    for name in PACKAGE_TABLES:
        p = base.joinpath(name)
        if p.is_file():
            paths.append(Path(str(p)))
    return paths


def load_gazetteer(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    extra: pd.DataFrame | str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
) -> pd.DataFrame:
    """Return the gazetteer table: one row per (entity, alias).

    Parameters
    ----------
    paths
        CSV files to load instead of the package tables (``newslab/entities/data/*.csv``).
        ``None`` loads the package tables.
    extra
        More rows to add after ``paths``: a DataFrame or CSV path(s) with the same columns.
        A later row with the same ``entity_id`` and ``alias`` replaces an earlier one, so
        ``extra`` can also correct the package tables.

    Returns
    -------
    pandas.DataFrame
        Columns entity_id, label, type, alias, kind, metonym (bool). ``kind`` is one of
        name/official/common/variant/abbrev/demonym/capital/seat/role/surname/given; a missing
        kind means ``name``. Every entity's label is also one of its aliases.

    Examples
    --------
    >>> mine = pd.DataFrame({"entity_id": ["person:jane_roe"], "label": ["Jane Roe"],
    ...                      "type": ["PERSON"], "alias": ["Roe"], "kind": ["surname"]})
    >>> g = load_gazetteer(paths=[], extra=mine)
    >>> sorted(g["alias"])
    ['Jane Roe', 'Roe']
    """
    if paths is None:
        sources: list = _package_paths()
    elif isinstance(paths, str | os.PathLike):
        sources = [paths]
    else:
        sources = list(paths)
    frames = [_conform(_read_table(p)) for p in sources]
    if extra is not None:
        if isinstance(extra, pd.DataFrame):
            frames.append(_conform(extra))
        elif isinstance(extra, str | os.PathLike):
            frames.append(_conform(_read_table(extra)))
        else:
            frames.extend(_conform(_read_table(p)) for p in extra)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in GAZETTEER.items()})
    table = pd.concat(frames, ignore_index=True)
    labels = table.drop_duplicates("entity_id", keep="last")[["entity_id", "label", "type"]]
    own = labels.assign(alias=labels["label"], kind="name", metonym=False)
    table = pd.concat([own, table], ignore_index=True)
    table = table.drop_duplicates(["entity_id", "alias"], keep="last")
    # One label and type per entity (the last one given wins).
    table = table.drop(columns=["label", "type"]).merge(labels, on="entity_id", how="left")
    return table[list(GAZETTEER)].astype(GAZETTEER).reset_index(drop=True)


def _alias_key(alias: str) -> str:
    key = " ".join(normalize(alias).split())
    low = key.lower()
    if low.startswith("the ") and len(key) > 4:
        key = key[4:]
    return key


class Gazetteer:
    """A gazetteer table compiled once into a case-sensitive Aho-Corasick automaton.

    Parameters
    ----------
    table
        A table as returned by :func:`load_gazetteer`.

    Attributes
    ----------
    table : pandas.DataFrame
        The alias rows.
    entity_id, label, type : numpy.ndarray
        One entry per entity; candidates refer to entities by position in these arrays.

    Notes
    -----
    Aliases are matched case-sensitively after the same one-for-one normalisation as the text
    (curly apostrophes become straight). A leading "the" is dropped from aliases ("the
    Kremlin" matches "Kremlin"), so surfaces never include it. A role or common alias written
    in lowercase ("president Xi") is also matched with its first letter capitalised.

    Examples
    --------
    >>> g = Gazetteer(load_gazetteer(paths=[], extra=pd.DataFrame({
    ...     "entity_id": ["country:CHN"], "label": ["China"], "type": ["COUNTRY"],
    ...     "alias": ["China"], "kind": ["name"]})))
    >>> [(s, e) for s, e, _ in g.candidates("China and Chinatown")]
    [(0, 5)]
    """

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table.reset_index(drop=True)
        ents = self.table.drop_duplicates("entity_id")
        self.entity_id = ents["entity_id"].to_numpy(dtype=object)
        self.label = ents["label"].to_numpy(dtype=object)
        self.type = ents["type"].to_numpy(dtype=object)
        index = {e: i for i, e in enumerate(self.entity_id)}
        merged: dict[str, dict[int, tuple[int, str, bool]]] = {}
        for eid, alias, kind, met in zip(
            self.table["entity_id"].tolist(),
            self.table["alias"].tolist(),
            self.table["kind"].tolist(),
            self.table["metonym"].tolist(),
            strict=True,
        ):
            key = _alias_key(alias)
            if not key:
                continue
            keys = [key]
            if kind in ("role", "common") and key[0].islower():
                keys.append(key[0].upper() + key[1:])
            cand = (index[eid], kind, bool(met))
            for k in keys:
                slot = merged.setdefault(k, {})
                old = slot.get(cand[0])
                # The same entity under two kinds: keep the stronger (non-partial) reading.
                if old is None or (old[1] in PARTIAL_KINDS and kind not in PARTIAL_KINDS):
                    slot[cand[0]] = cand
        self.automaton = ahocorasick.Automaton()
        for key, slot in merged.items():
            self.automaton.add_word(key, (len(key), tuple(slot.values())))
        if merged:
            self.automaton.make_automaton()
        self.n_aliases = len(merged)

    def __len__(self) -> int:
        return len(self.entity_id)

    def __repr__(self) -> str:
        return f"Gazetteer({len(self)} entities, {self.n_aliases} aliases)"

    def candidates(self, text: str) -> list[tuple[int, int, tuple[tuple[int, str, bool], ...]]]:
        """Return every alias occurrence at word boundaries, overlapping ones included.

        Parameters
        ----------
        text
            Text already passed through :func:`normalize`.

        Returns
        -------
        list of (start, end, candidates)
            ``candidates`` is a tuple of (entity position, alias kind, metonym).
        """
        if not self.n_aliases:
            return []
        out = []
        n = len(text)
        for end_idx, (length, cands) in self.automaton.iter(text):
            end = end_idx + 1
            start = end - length
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < n and text[end].isalnum():
                continue
            out.append((start, end, cands))
        return out


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer(load_gazetteer())


_CACHE: dict[int, Gazetteer] = {}


def as_gazetteer(gazetteer: Gazetteer | pd.DataFrame | None) -> Gazetteer:
    """Return a compiled :class:`Gazetteer` (the package one, cached, when ``None``).

    Parameters
    ----------
    gazetteer
        ``None`` (package tables), a table from :func:`load_gazetteer`, or a ``Gazetteer``.

    Returns
    -------
    Gazetteer
        Compiled once per distinct table and reused.
    """
    if gazetteer is None:
        return _default_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    key = int(np.uint64(pd.util.hash_pandas_object(gazetteer, index=False).sum()))
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = Gazetteer(load_gazetteer(paths=[], extra=gazetteer))
    return _CACHE[key]
