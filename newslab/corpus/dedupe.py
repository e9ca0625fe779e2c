"""Exact and near duplicates (syndicated copies of one story): flagged, never silently removed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["Fingerprints", "fingerprint", "group_duplicates", "flag_duplicates", "drop_duplicates"]


_SPLIT = re.compile(r"(?<=[.!?])\s+")
_SPLIT_SPACED = re.compile(r"(?<=[.!?]) ")


@dataclass
class Fingerprints:
    """What duplicate detection needs of each article, small enough to hold for millions.

    ``exact_key`` and ``nonempty`` have one entry per article; ``doc`` and ``hashes`` one per
    long sentence; ``counts`` the number of long sentences per article. Fingerprints of
    chunks are joined with :meth:`concat`, so a corpus can be fingerprinted chunk by chunk.
    """

    exact_key: np.ndarray
    nonempty: np.ndarray
    doc: np.ndarray
    hashes: np.ndarray
    counts: np.ndarray

    def __len__(self) -> int:
        return len(self.exact_key)

    @classmethod
    def concat(cls, parts: list[Fingerprints]) -> Fingerprints:
        """Return the fingerprints of consecutive chunks as one, article indices shifted."""
        offsets = np.cumsum([0] + [len(p) for p in parts[:-1]])
        return cls(
            np.concatenate([p.exact_key for p in parts]) if parts else np.empty(0, np.uint64),
            np.concatenate([p.nonempty for p in parts]) if parts else np.empty(0, bool),
            np.concatenate([p.doc + o for p, o in zip(parts, offsets, strict=True)])
            if parts
            else np.empty(0, np.int64),
            np.concatenate([p.hashes for p in parts]) if parts else np.empty(0, np.uint64),
            np.concatenate([p.counts for p in parts]) if parts else np.empty(0, np.int64),
        )


def fingerprint(
    texts: Iterable[object], *, min_words: int = 5, max_chars: int = 6000
) -> Fingerprints:
    """Return the fingerprints of article texts (see :func:`flag_duplicates` for the parameters).

    Only the first ``max_chars`` characters are split into sentences: copies of one story
    share their opening, and this bounds the cost on very long articles.
    """
    doc_idx: list[int] = []
    sents: list[str] = []
    exact: list[str] = []
    counts: list[int] = []
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text:
            exact.append("")
            counts.append(0)
            continue
        folded = text.lower()
        spaced = " ".join(folded.split())
        exact.append(spaced)
        n = 0
        if len(folded) <= max_chars and min_words >= 1:
            # Whitespace is folded already: sentences are split at single spaces and their
            # words counted by spaces (the same sentences as the general path below, faster).
            if "\0" in spaced:
                pieces = _SPLIT_SPACED.split(spaced)
            else:  # str.replace is several times faster than a look-behind split
                marked = spaced.replace(". ", ".\0").replace("! ", "!\0").replace("? ", "?\0")
                pieces = marked.split("\0")
            for s in pieces:
                if s and s.count(" ") + 1 >= min_words:
                    sents.append(s)
                    n += 1
            doc_idx.extend([i] * n)
        else:
            for s in _SPLIT.split(folded[:max_chars]):
                words = s.split()
                if len(words) >= min_words:
                    sents.append(" ".join(words))
                    doc_idx.append(i)
                    n += 1
        counts.append(n)
    exact_arr = np.asarray(exact, dtype=object)
    exact_key = (
        pd.util.hash_array(exact_arr, categorize=False) if len(exact) else np.empty(0, np.uint64)
    )
    hashes = (
        pd.util.hash_array(np.asarray(sents, dtype=object), categorize=False)
        if sents
        else np.empty(0, np.uint64)
    )
    return Fingerprints(
        exact_key,
        np.asarray([bool(e) for e in exact], dtype=bool),
        np.asarray(doc_idx, dtype=np.int64),
        hashes,
        np.asarray(counts, dtype=np.int64),
    )


def group_duplicates(
    fp: Fingerprints,
    *,
    threshold: float = 0.5,
    min_shared: int = 2,
    max_docs_per_sentence: int = 50,
) -> tuple[pd.arrays.IntegerArray, pd.arrays.StringArray]:
    """Return ``(dup_group, dup_kind)`` arrays for fingerprinted articles."""
    n = len(fp)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    # exact: link every article to the first with the same key
    codes, _ = pd.factorize(fp.exact_key)
    _, first_of_code = np.unique(codes, return_index=True)
    first = first_of_code[codes] if n else np.empty(0, np.int64)
    ex = (first != np.arange(n)) & fp.nonempty
    rows.append(np.arange(n)[ex])
    cols.append(first[ex])
    # near: shared long sentences
    if len(fp.hashes):
        sent = pd.DataFrame({"doc": fp.doc, "h": fp.hashes}).drop_duplicates()
        # exact duplicates are linked already: keep one article per exact key
        sent = sent[~ex[sent["doc"].to_numpy()]]
        df_count = sent.groupby("h")["doc"].transform("size")
        sent = sent[(df_count > 1) & (df_count <= max_docs_per_sentence)]
        if len(sent):
            pairs = sent.merge(sent, on="h", suffixes=("_a", "_b"))
            pairs = pairs[pairs["doc_a"] < pairs["doc_b"]]
            shared = pairs.groupby(["doc_a", "doc_b"]).size().rename("shared").reset_index()
            smaller = np.minimum(fp.counts[shared["doc_a"]], fp.counts[shared["doc_b"]])
            k = shared["shared"].to_numpy()
            ok = (k >= np.minimum(min_shared, smaller)) & (k >= threshold * smaller)
            rows.append(shared["doc_a"].to_numpy()[ok])
            cols.append(shared["doc_b"].to_numpy()[ok])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    group = pd.array([pd.NA] * n, dtype="Int64")
    kind = pd.array([pd.NA] * n, dtype="string")
    if len(r):
        graph = coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        in_group = np.bincount(labels)[labels] > 1
        # number groups 0, 1, 2, ... in order of their first article
        codes, _ = pd.factorize(pd.Series(labels[in_group]))
        group_vals = np.zeros(n, dtype=np.int64)
        group_vals[in_group] = codes
        group = pd.array(group_vals, dtype="Int64")
        group[~in_group] = pd.NA
        # exact when another member of the group has the same exact key
        key_group = pd.DataFrame({"g": labels, "k": fp.exact_key})
        exact_members = key_group.groupby(["g", "k"])["g"].transform("size").to_numpy() > 1
        kind = pd.array(
            np.where(in_group, np.where(exact_members, "exact", "near"), None), dtype="string"
        )
    return group, kind


def flag_duplicates(
    df: pd.DataFrame,
    *,
    text_col: str = "text",
    threshold: float = 0.5,
    min_shared: int = 2,
    min_words: int = 5,
    max_docs_per_sentence: int = 50,
    max_chars: int = 6000,
) -> pd.DataFrame:
    """Return ``df`` with ``dup_group`` and ``dup_kind`` columns marking duplicate articles.

    Two articles are exact duplicates when their texts are equal after folding case and
    spacing. They are near duplicates (a syndicated copy, lightly edited, with another
    site's header and footer) when at least ``threshold`` of the shorter one's sentences of
    ``min_words``+ words occur in the other, and at least ``min_shared`` of them. Duplicates
    are grouped transitively; rows of one group share a ``dup_group`` number, others get
    ``<NA>``. Nothing is removed: see :func:`drop_duplicates`.

    Parameters
    ----------
    df
        Articles (``text`` column).
    text_col
        The column holding the body text.
    threshold
        Share of the shorter article's sentences that must be shared.
    min_shared
        Minimum number of shared sentences.
    min_words
        Sentences shorter than this are ignored (too common to mean anything).
    max_docs_per_sentence
        Sentences found in more articles than this are treated as boilerplate and ignored.
    max_chars
        Only sentences in the first ``max_chars`` characters are compared.

    Returns
    -------
    pandas.DataFrame
        A copy with ``dup_group`` (Int64) and ``dup_kind`` (``'exact'``, ``'near'`` or <NA>).

    Examples
    --------
    >>> story = "Leaders met in Beijing on Tuesday to sign deals. They agreed to meet again soon in Minsk."
    >>> df = pd.DataFrame({"text": [story, story.upper(), "Talks were held about something else entirely today."]})
    >>> out = flag_duplicates(df)
    >>> out["dup_group"].tolist(), out["dup_kind"].tolist()
    ([0, 0, <NA>], ['exact', 'exact', <NA>])
    """
    out = df.copy()
    fp = fingerprint(out[text_col].tolist(), min_words=min_words, max_chars=max_chars)
    group, kind = group_duplicates(
        fp, threshold=threshold, min_shared=min_shared, max_docs_per_sentence=max_docs_per_sentence
    )
    out["dup_group"] = group
    out["dup_kind"] = kind
    return out


def drop_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with one article per ``dup_group``: the earliest published, then by doc_id.

    Parameters
    ----------
    df
        Articles with a ``dup_group`` column (from ``load_corpus``).

    Returns
    -------
    pandas.DataFrame
        Articles without duplicates, in their original order.
    """
    if "dup_group" not in df.columns:
        raise KeyError("no dup_group column: load the corpus with newslab.load_corpus first")
    grouped = df[df["dup_group"].notna()]
    order = grouped.sort_values(["published", "doc_id"], na_position="last")
    keep = order.drop_duplicates("dup_group").index
    mask = df["dup_group"].isna() | df.index.isin(keep)
    return df[mask]
