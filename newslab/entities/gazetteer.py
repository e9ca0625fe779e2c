"""Gazetteer tables (who and what newslab knows by name) and their compiled Aho-Corasick matcher."""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path

import ahocorasick
import numpy as np
import pandas as pd

__all__ = [
    "GAZETTEER",
    "PARTIAL_KINDS",
    "Gazetteer",
    "doc_period",
    "load_gazetteer",
    "normalize",
]

#: Columns of a gazetteer table, as in ``newslab/entities/data/*.csv``.
GAZETTEER: dict[str, str] = {
    "entity_id": "string",
    "label": "string",
    "type": "string",
    "alias": "string",
    "kind": "string",
    "metonym": "bool",
    "valid_from": "string",
    "valid_to": "string",
}

#: A period of validity in proleptic Gregorian ordinals, ``[start, end)``; None = always.
Period = tuple[int, int] | None
_NEVER_ENDS = 10**9

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
    for col in ("valid_from", "valid_to"):
        if col not in out.columns:
            out[col] = ""
    for col in ("entity_id", "label", "type", "alias", "kind", "valid_from", "valid_to"):
        out[col] = out[col].fillna("").astype(str).str.strip()
    for col in ("valid_from", "valid_to"):
        bad = out.loc[out[col] != "", col].map(_date_ordinal).isna()
        if bad.any():
            raise ValueError(f"gazetteer {col} must be an ISO date (YYYY-MM-DD): {bad.index[0]}")
    out["type"] = out["type"].str.upper()
    out.loc[out["kind"] == "", "kind"] = "name"
    out = out[(out["entity_id"] != "") & (out["alias"] != "")]
    return out[list(GAZETTEER)].astype(GAZETTEER)


def _date_ordinal(value: str) -> int | None:
    """Return the ordinal of an ISO date ``YYYY-MM-DD``, or None when it is not one."""
    try:
        return date.fromisoformat(value).toordinal() if len(value) == 10 else None
    except ValueError:
        return None


def _row_period(valid_from: str, valid_to: str) -> Period:
    """Return the ``[from, to)`` ordinals of a row's validity, None when it is always valid."""
    if not valid_from and not valid_to:
        return None
    lo = _date_ordinal(valid_from) if valid_from else 0
    hi = _date_ordinal(valid_to) if valid_to else _NEVER_ENDS
    return (lo or 0, hi or _NEVER_ENDS)


def doc_period(published: object, precision: object = "day") -> Period:
    """Return the ``[start, end)`` day ordinals an article's date stands for, or None.

    A day-precision date stands for that day, a month-precision date for its month and a
    year-precision date for its year; a missing date (NaT, None) gives None.

    Examples
    --------
    >>> lo, hi = doc_period(pd.Timestamp("2023-03-01"), "month")
    >>> date.fromordinal(lo).isoformat(), date.fromordinal(hi).isoformat()
    ('2023-03-01', '2023-04-01')
    >>> doc_period(pd.NaT) is None
    True
    >>> doc_period(pd.Timestamp("2023-03-01"), pd.NA) == doc_period(pd.Timestamp("2023-03-01"))
    True
    """
    if published is None or published is pd.NaT:
        return None
    try:
        ts = pd.Timestamp(published)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if ts is pd.NaT:
        return None
    d = ts.date()
    if not isinstance(precision, str):  # NA or missing: read the date as a day
        precision = "day"
    if precision == "year":
        return date(d.year, 1, 1).toordinal(), date(d.year + 1, 1, 1).toordinal()
    if precision == "month":
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return date(d.year, d.month, 1).toordinal(), nxt.toordinal()
    if precision == "none":
        return None
    return d.toordinal(), d.toordinal() + 1


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
        A later row with the same ``entity_id``, ``alias`` and ``valid_from`` replaces an
        earlier one, so ``extra`` can also correct the package tables.

    Returns
    -------
    pandas.DataFrame
        Columns entity_id, label, type, alias, kind, metonym (bool), valid_from, valid_to.
        ``kind`` is one of name/official/common/variant/abbrev/demonym/capital/seat/role/
        surname/given; a missing kind means ``name``. Every entity's label is also one of its
        aliases. ``valid_from``/``valid_to`` (optional ISO dates, ``""`` = open) bound the
        period in which an alias names the entity, ``[valid_from, valid_to)``: a role such as
        "the US president" names a different person in each term of office, and
        :func:`newslab.entities.extract_entities` picks the holder from the article's date.

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
    own = labels.assign(
        alias=labels["label"], kind="name", metonym=False, valid_from="", valid_to=""
    )
    table = pd.concat([own, table], ignore_index=True)
    table = table.drop_duplicates(["entity_id", "alias", "valid_from"], keep="last")
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
        # Validity per alias key and entity: a list of periods, or None (always valid).
        periods: dict[str, dict[int, list[tuple[int, int]] | None]] = {}
        tab = self.table
        vf = tab["valid_from"].tolist() if "valid_from" in tab else [""] * len(tab)
        vt = tab["valid_to"].tolist() if "valid_to" in tab else [""] * len(tab)
        for eid, alias, kind, met, v_from, v_to in zip(
            tab["entity_id"].tolist(),
            tab["alias"].tolist(),
            tab["kind"].tolist(),
            tab["metonym"].tolist(),
            vf,
            vt,
            strict=True,
        ):
            key = _alias_key(alias)
            if not key:
                continue
            keys = [key]
            if kind in ("role", "common") and key[0].islower():
                keys.append(key[0].upper() + key[1:])
            cand = (index[eid], kind, bool(met))
            period = _row_period(v_from or "", v_to or "")
            for k in keys:
                slot = merged.setdefault(k, {})
                old = slot.get(cand[0])
                # The same entity under two kinds: keep the stronger (non-partial) reading.
                if old is None or (old[1] in PARTIAL_KINDS and kind not in PARTIAL_KINDS):
                    slot[cand[0]] = cand
                spans = periods.setdefault(k, {})
                if period is None:
                    spans[cand[0]] = None
                elif spans.get(cand[0], []) is not None:
                    spans.setdefault(cand[0], []).append(period)  # type: ignore[union-attr]
        self.automaton = ahocorasick.Automaton()
        self.n_dated = 0
        for key, slot in merged.items():
            spans = periods[key]
            dated = None
            if any(spans.get(i) is not None for i in slot):
                dated = tuple(
                    None if spans.get(i) is None else tuple(spans[i])  # type: ignore[arg-type]
                    for i in slot
                )
                self.n_dated += 1
            self.automaton.add_word(key, (len(key), tuple(slot.values()), dated))
        if merged:
            self.automaton.make_automaton()
        self.n_aliases = len(merged)

    def __len__(self) -> int:
        return len(self.entity_id)

    def __repr__(self) -> str:
        return f"Gazetteer({len(self)} entities, {self.n_aliases} aliases)"

    def candidates(
        self, text: str, period: Period = None
    ) -> list[tuple[int, int, tuple[tuple[int, str, bool], ...]]]:
        """Return every alias occurrence at word boundaries, overlapping ones included.

        Parameters
        ----------
        text
            Text already passed through :func:`normalize`.
        period
            The ``[start, end)`` day ordinals the article's date stands for
            (:func:`doc_period`). Readings of an alias with ``valid_from``/``valid_to`` are kept
            only when their validity overlaps it; an occurrence left with no reading is
            dropped. None (date unknown) keeps every reading, so a role held by several
            people in turn stays ambiguous.

        Returns
        -------
        list of (start, end, candidates)
            ``candidates`` is a tuple of (entity position, alias kind, metonym).
        """
        if not self.n_aliases:
            return []
        out = []
        n = len(text)
        for end_idx, (length, cands, dated) in self.automaton.iter(text):
            end = end_idx + 1
            start = end - length
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < n and text[end].isalnum():
                continue
            if dated is not None and period is not None:
                cands = _valid(cands, dated, period)
                if not cands:
                    continue
            out.append((start, end, cands))
        return out


def _valid(
    cands: tuple[tuple[int, str, bool], ...],
    dated: tuple[tuple[tuple[int, int], ...] | None, ...],
    period: tuple[int, int],
) -> tuple[tuple[int, str, bool], ...]:
    """Return the readings whose validity overlaps ``period``."""
    lo, hi = period
    return tuple(
        c
        for c, spans in zip(cands, dated, strict=True)
        if spans is None or any(a < hi and lo < b for a, b in spans)
    )


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
