"""extract_entities and entity_summary: the public verbs of newslab.entities."""

from __future__ import annotations

import bisect

import pandas as pd
from tqdm.auto import tqdm

from newslab import schema
from newslab.entities.discovery import (
    _calendar,
    _modifiers,
    _titles,
    discover_document,
    nltk_chunker,
    slug,
)
from newslab.entities.gazetteer import Gazetteer, as_gazetteer, doc_period, normalize
from newslab.text import _spans_fast, stopwords

__all__ = ["entity_summary", "extract_entities"]


def _sentence_offsets(sents: pd.DataFrame) -> dict[str, tuple[list[int], list[int]]]:
    s = sents.sort_values(["doc_id", "start"])
    out: dict[str, tuple[list[int], list[int]]] = {}
    for doc_id, g in s.groupby("doc_id", sort=False):
        out[str(doc_id)] = (g["start"].astype("int64").tolist(), g["end"].astype("int64").tolist())
    return out


def _link_surnames(
    norm: str, found: list[tuple[int, int, str]], occupied: bytearray
) -> list[tuple[int, int, str]]:
    """Bare last names of discovered people-like names elsewhere in the article."""
    skip = stopwords() | _calendar() | _titles()
    modifiers = _modifiers()
    last: dict[str, str | None] = {}
    for _, _, label in found:
        words = label.split()
        if (
            2 <= len(words) <= 3
            and all(w[:1].isupper() and w.isalpha() and not w.isupper() for w in words)
            and words[0] not in modifiers
        ):
            w = words[-1]
            if len(w) > 2 and w not in skip and w.lower() not in skip:
                last[w] = label if last.get(w, label) == label else None
    out = []
    n = len(norm)
    for word, label in last.items():
        if label is None:
            continue
        size = len(word)
        pos = norm.find(word)
        while pos != -1:
            end = pos + size
            before = norm[pos - 1] if pos else " "
            after = norm[end] if end < n else " "
            if (
                not (before.isalnum() or before in "'-")
                and not (after.isalnum() or after == "-")
                and occupied.find(1, pos, end) == -1
            ):
                out.append((pos, end, label))
            pos = norm.find(word, end)
    return out


def extract_entities(
    df: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    gazetteer: Gazetteer | pd.DataFrame | None = None,
    discover: bool | str = True,
    progress: bool = False,
    text_col: str = "text",
    id_col: str = "doc_id",
    date_col: str | None = "published",
) -> pd.DataFrame:
    """Return one row per entity mention found in each article.

    Parameters
    ----------
    df
        Articles table (``schema.ARTICLES``) or any frame with id and text columns.
    sentences
        Output of :func:`newslab.text.sentences` for ``df``, used for ``sent_id``; computed
        when None.
    gazetteer
        ``None`` for the package gazetteer, a table from :func:`load_gazetteer`, or a compiled
        :class:`Gazetteer`.
    discover
        ``True``: also report unknown names, by capitalised-sequence rules plus NLTK's NE
        chunker when its models are installed (slow: NLTK's speed); ``"rules"``: the rules only
        (fast); ``False``: gazetteer only.
    progress
        Show a tqdm progress bar.
    text_col, id_col
        Names of the text and id columns.
    date_col
        The publication date column (with ``date_precision`` when present). Aliases with a
        period of validity (roles: "the US president", "the Kremlin chief") are read as the
        person who held the office then; without a date (NaT, or no such column) a role held
        by several people in turn is left unresolved. None ignores dates.

    Returns
    -------
    pandas.DataFrame
        ``schema.MENTIONS``: doc_id, sent_id, start, end, surface, entity_id, label, type,
        method, metonym. ``text[start:end] == surface`` in the original article text.
        ``method`` is ``gazetteer`` (the alias names the entity), ``resolved`` (a bare surname
        or given name linked to the full name elsewhere in the same article, or a discovered
        name's bare last name) or ``discovered`` (type ``UNKNOWN``, ``entity_id`` ``new:<slug>``).
        ``metonym`` is True when a capital or seat stands for a government ("Beijing",
        "the Kremlin"); such rows carry the country's id.

    Notes
    -----
    Ambiguous names are never guessed: a surname shared by two gazetteer people when the
    article names both or neither gives no row (see
    :func:`newslab.entities.matching.match_document`). A surname that is unique in the
    gazetteer resolves to its person even without the full name in the article (method
    ``gazetteer``), unless it is also a calendar or title word ("May", "King").

    Examples
    --------
    >>> from newslab.entities import load_gazetteer
    >>> gaz = load_gazetteer(paths=[], extra=pd.DataFrame({
    ...     "entity_id": ["person:xi_jinping", "person:xi_jinping", "country:CHN"],
    ...     "label": ["Xi Jinping", "Xi Jinping", "China"],
    ...     "type": ["PERSON", "PERSON", "COUNTRY"],
    ...     "alias": ["Xi Jinping", "Xi", "Beijing"],
    ...     "kind": ["name", "surname", "capital"], "metonym": [0, 0, 1]}))
    >>> arts = pd.DataFrame({"doc_id": ["a"], "text": ["Xi Jinping flew home. Beijing said Xi’s trip went well."]})
    >>> extract_entities(arts, gazetteer=gaz, discover=False)[["surface", "label", "method", "metonym"]].values.tolist()
    [['Xi Jinping', 'Xi Jinping', 'gazetteer', False], ['Beijing', 'China', 'gazetteer', True], ['Xi', 'Xi Jinping', 'resolved', False]]
    """
    if discover not in (True, False, "rules"):
        raise ValueError("discover must be True, False or 'rules'")
    gaz = as_gazetteer(gazetteer)
    models = nltk_chunker() if discover is True else None
    sent_map = _sentence_offsets(sentences) if sentences is not None else None
    keep_ambiguous = frozenset(_calendar() | _titles())
    from newslab.entities.matching import match_document

    ids: list[str] = []
    sids: list[int] = []
    starts_: list[int] = []
    ends_: list[int] = []
    surf: list[str] = []
    eids: list[str] = []
    labels: list[str] = []
    types: list[str] = []
    methods: list[str] = []
    metos: list[bool] = []
    g_id, g_label, g_type = gaz.entity_id, gaz.label, gaz.type

    if date_col is not None and date_col in df.columns and gaz.n_dated:
        prec = df["date_precision"].tolist() if "date_precision" in df.columns else None
        pub = df[date_col].tolist()
        periods = [doc_period(d, "day" if prec is None else prec[i]) for i, d in enumerate(pub)]
    else:
        periods = [None] * len(df)
    rows = zip(df[id_col].tolist(), df[text_col].tolist(), periods, strict=True)
    for doc_id, text, period in tqdm(rows, total=len(df), disable=not progress, desc="entities"):
        if not isinstance(text, str) or not text:
            continue
        norm = normalize(text)
        if sent_map is not None:
            st, en = sent_map.get(str(doc_id), ([0], [len(text)]))
        else:
            spans = _spans_fast(text)
            st = [a for a, _ in spans] or [0]
            en = [b for _, b in spans] or [len(text)]
        found, occupied = match_document(norm, gaz, keep_ambiguous, period)
        doc_rows = [
            (s, e, g_id[idx], g_label[idx], g_type[idx], method, met)
            for s, e, idx, method, met in found
        ]
        if discover:
            new = discover_document(norm, st, en, occupied, models)
            linked = _link_surnames(norm, new, occupied)
            for group, method in ((new, "discovered"), (linked, "resolved")):
                doc_rows.extend(
                    (s, e, slug(label), label, "UNKNOWN", method, False) for s, e, label in group
                )
            doc_rows.sort()
        bis = bisect.bisect_right
        for s, e, eid, label, typ, method, met in doc_rows:
            ids.append(doc_id)
            sids.append(max(bis(st, s) - 1, 0))
            starts_.append(s)
            ends_.append(e)
            surf.append(text[s:e])
            eids.append(eid)
            labels.append(label)
            types.append(typ)
            methods.append(method)
            metos.append(met)
    if not ids:
        return schema.empty(schema.MENTIONS)
    out = pd.DataFrame(
        {
            "doc_id": ids,
            "sent_id": sids,
            "start": starts_,
            "end": ends_,
            "surface": surf,
            "entity_id": eids,
            "label": labels,
            "type": types,
            "method": methods,
            "metonym": metos,
        }
    )
    return schema.conform(out, schema.MENTIONS)


def entity_summary(mentions: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per entity: how often and in how many articles it is mentioned, and when.

    Parameters
    ----------
    mentions
        Output of :func:`extract_entities`.
    articles
        Articles table with ``doc_id`` and ``published``; gives ``first``/``last`` dates.

    Returns
    -------
    pandas.DataFrame
        Columns entity_id, label, type, mentions, documents, first, last; most mentioned
        first (ties by label).

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "entity_id": ["x", "x", "x"],
    ...                   "label": ["X"] * 3, "type": ["ORG"] * 3})
    >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2023-01-02", "2023-03-04"])})
    >>> entity_summary(m, arts)[["entity_id", "mentions", "documents", "first"]].values.tolist()
    [['x', 3, 2, Timestamp('2023-01-02 00:00:00')]]
    """
    cols = ["entity_id", "label", "type", "mentions", "documents", "first", "last"]
    if mentions.empty:
        out = pd.DataFrame({c: pd.Series(dtype="string") for c in cols[:3]})
        out["mentions"] = pd.Series(dtype="int64")
        out["documents"] = pd.Series(dtype="int64")
        out["first"] = pd.Series(dtype="datetime64[ns]")
        out["last"] = pd.Series(dtype="datetime64[ns]")
        return out
    m = mentions[["doc_id", "entity_id", "label", "type"]].dropna(subset=["entity_id"])
    if articles is not None and "published" in articles.columns:
        dates = articles[["doc_id", "published"]].drop_duplicates("doc_id")
        dates = dates.astype({"doc_id": m["doc_id"].dtype})
        m = m.merge(dates, on="doc_id", how="left")
    else:
        m = m.assign(published=pd.NaT)
    m["published"] = pd.to_datetime(m["published"])
    g = m.groupby("entity_id", sort=False)
    out = pd.DataFrame(
        {
            "label": g["label"].first(),
            "type": g["type"].first(),
            "mentions": g.size(),
            "documents": g["doc_id"].nunique(),
            "first": g["published"].min(),
            "last": g["published"].max(),
        }
    ).reset_index()
    out = out.sort_values(["mentions", "label"], ascending=[False, True], ignore_index=True)
    return out[cols].astype(
        {
            "entity_id": "string",
            "label": "string",
            "type": "string",
            "mentions": "int64",
            "documents": "int64",
        }
    )
