"""Exact and near duplicates (syndicated copies of one story): flagged, never silently removed."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newslab.corpus.decode import SURROGATE

__all__ = [
    "Fingerprints",
    "SpilledFingerprints",
    "fingerprint",
    "group_duplicates",
    "flag_duplicates",
    "drop_duplicates",
    "spaced_words",
    "space_counts",
]


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


#: Texts fingerprinted at a time: the folded copies of one block only are alive at once.
FINGERPRINT_BLOCK = 2048


def fingerprint(
    texts: Iterable[object], *, min_words: int = 5, max_chars: int = 6000
) -> Fingerprints:
    """Return the fingerprints of article texts (see :func:`flag_duplicates` for the parameters).

    Only the first ``max_chars`` characters are split into sentences: copies of one story
    share their opening, and this bounds the cost on very long articles. Texts are taken in
    blocks of :data:`FINGERPRINT_BLOCK`, so memory stays bounded on large corpora.
    """
    it = iter(texts)
    parts = []
    while True:
        block = list(islice(it, FINGERPRINT_BLOCK))
        if not block and parts:
            break
        parts.append(_fingerprint_block(block, min_words=min_words, max_chars=max_chars))
        if len(block) < FINGERPRINT_BLOCK:
            break
    return parts[0] if len(parts) == 1 else Fingerprints.concat(parts)


#: Python's whitespace (``str.split``, ``str.isspace``, ``re``'s ``\\s``) but ``" "`` and
#: ``"\\n"``, as an RE2 character class. A test checks it against ``str.isspace``.
_RE2_OTHER_SPACE = (
    r"[\t\x0b\x0c\r\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}]"
)
#: What sends a text to the per-text path of :func:`_fingerprint_block`: in its
#: paragraph-joined form (blank lines made spaces), a run of spaces, a space at either end, a
#: newline, another whitespace character, or a NUL (the sentence marker below).
_RE2_UNFOLDED = r"  |^ | $|\n|\x00|" + _RE2_OTHER_SPACE


def spaced_words(arr: Any) -> tuple[Any, np.ndarray]:
    """Return Arrow texts with blank lines made spaces, and which of them are not folded.

    Paragraphs are joined by blank lines and words by single spaces in most texts (what the
    plaintext parser writes): replacing the blank lines folds their whitespace. A text is
    *not folded* (True in the mask) when, so replaced, it still holds a run of spaces, a space
    at either end, a newline, another whitespace character or a NUL; in a folded text, the
    words are exactly the pieces between single spaces.

    Examples
    --------
    >>> import pyarrow as pa
    >>> spaced, odd = spaced_words(pa.array(["a b\\n\\nc", "a  b", "a\\tb", ""]))
    >>> spaced.to_pylist(), odd.tolist()
    (['a b c', 'a  b', 'a\\tb', ''], [False, True, True, False])
    """
    import pyarrow.compute as pc

    spaced = pc.replace_substring(arr, "\n\n", " ")
    odd = pc.match_substring_regex(spaced, _RE2_UNFOLDED)
    return spaced, pc.fill_null(odd, True).to_numpy(zero_copy_only=False)


def _fingerprint_block(texts: list[object], *, min_words: int, max_chars: int) -> Fingerprints:
    """Fingerprint one block of texts with Arrow's string kernels.

    The result equals :func:`_fingerprint_block_py`'s (a test compares them): texts whose
    whitespace is not folded yet, with a NUL, or longer than ``max_chars`` take the per-text
    path. A lone surrogate (not UTF-8; an object column may hold one) is hashed as U+FFFD.
    """
    if min_words < 1 or not texts:
        return _fingerprint_block_py(texts, min_words=min_words, max_chars=max_chars)
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(texts)

    def lowered(i: int) -> str:
        text = texts[i]
        return SURROGATE.sub("\ufffd", text.lower()) if isinstance(text, str) else ""

    try:  # the lowered texts are not kept: one block of them would be as big as its Arrow copy
        arr = pa.array(
            (t.lower() if isinstance(t, str) else "" for t in texts), pa.large_string(), size=n
        )
    except UnicodeError:  # a lone surrogate (object columns may hold one) is not UTF-8
        arr = pa.array((lowered(i) for i in range(n)), pa.large_string(), size=n)
    spaced, odd = spaced_words(arr)
    odd |= pc.utf8_length(arr).to_numpy() > max_chars
    del arr
    rows = np.flatnonzero(odd)
    if len(rows):
        py = _fingerprint_block_py(
            [lowered(i) for i in rows], min_words=min_words, max_chars=max_chars
        )
        spaced = spaced.filter(pa.array(~odd))
    fast = np.flatnonzero(~odd)
    # sentence ends: a space after ".", "!" or "?" (marked with NUL, which no text here has)
    marked = pc.replace_substring(spaced, ". ", ".\0")
    marked = pc.replace_substring(marked, "! ", "!\0")
    marked = pc.replace_substring(marked, "? ", "?\0")
    pieces = pc.split_pattern(marked, "\0")
    del marked
    doc = fast[pc.list_parent_indices(pieces).to_numpy()]
    sents = pc.list_flatten(pieces)
    keep = space_counts(sents) >= min_words - 1  # words = spaces + 1 (folded, non-empty)
    keep &= pc.binary_length(sents).to_numpy() > 0  # not empty
    kept = sents.filter(pa.array(keep))
    del pieces, sents
    doc = doc[keep]
    exact = np.empty(n, np.uint64)
    exact[fast] = pd.util.hash_array(spaced.to_numpy(zero_copy_only=False), categorize=False)
    nonempty = np.zeros(n, bool)
    nonempty[fast] = pc.binary_length(spaced).to_numpy() > 0
    hashes = (
        pd.util.hash_array(kept.to_numpy(zero_copy_only=False), categorize=False)
        if len(kept)
        else np.empty(0, np.uint64)
    )
    if len(rows):
        exact[rows] = py.exact_key
        nonempty[rows] = py.nonempty
        doc = np.concatenate([doc, rows[py.doc]])
        hashes = np.concatenate([hashes, py.hashes])
        order = np.argsort(doc, kind="stable")  # article order, as the per-text path
        doc, hashes = doc[order], hashes[order]
    doc = doc.astype(np.int64)
    return Fingerprints(
        exact, nonempty, doc, hashes, np.bincount(doc, minlength=n).astype(np.int64)
    )


def space_counts(strings: object) -> np.ndarray:
    """Return the number of ``" "`` in each string of an Arrow (large) string array.

    Examples
    --------
    >>> import pyarrow as pa
    >>> space_counts(pa.array(["a b c", "", "x", " é "], pa.large_string())).tolist()
    [2, 0, 0, 2]
    """
    import pyarrow as pa

    arr = strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings
    n = len(arr)
    out = np.zeros(n, np.int64)
    bufs = arr.buffers()
    if not n or bufs[2] is None:  # no strings, or only empty ones
        return out
    width = np.dtype(np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    offsets = np.frombuffer(bufs[1], width, count=n + 1, offset=arr.offset * width.itemsize)
    data = np.frombuffer(bufs[2], np.uint8)
    # the spaces of each string summed from a byte mask, over slices of about _SPACE_SLICE
    # bytes (bounded temporaries); reduceat sums from one start to the next, so only the
    # strings that are not empty are given (an empty one would get the byte at its start)
    row = 0
    while row < n:
        stop = int(np.searchsorted(offsets, offsets[row] + _SPACE_SLICE, side="right")) - 1
        stop = min(max(stop, row + 1), n)
        base, end = int(offsets[row]), int(offsets[stop])
        starts = offsets[row:stop].astype(np.int64) - base
        full = offsets[row + 1 : stop + 1] > offsets[row:stop]
        if end > base:
            mask = (data[base:end] == 32).view(np.uint8)
            acc = np.uint32 if end - base < 1 << 32 else np.uint64  # uint32 sums fastest
            out[row:stop][full] = np.add.reduceat(mask, starts[full], dtype=acc)
        row = stop
    return out


#: Bytes counted at a time by :func:`space_counts`.
_SPACE_SLICE = 1 << 20


def _fingerprint_block_py(texts: list[object], *, min_words: int, max_chars: int) -> Fingerprints:
    """Fingerprint one block of texts one text at a time (the reference for the Arrow path)."""
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
        # Paragraphs joined by blank lines, single spaces elsewhere (what the plaintext parser
        # produces): replacing the blank lines folds the whitespace, without a split and join.
        spaced = folded.replace("\n\n", " ")
        if (
            "  " in spaced
            or spaced[:1] == " "
            or spaced[-1:] == " "
            or not spaced.isprintable()  # every whitespace but " " is unprintable
        ):
            spaced = " ".join(folded.split())
        exact.append(spaced)
        n = 0
        if len(folded) <= max_chars and min_words >= 1:
            # Whitespace is folded already: sentences are split at single spaces and their
            # words counted by spaces (the same sentences as the general path below, faster).
            if "\0" in spaced:
                pieces = _SPLIT_SPACED.split(spaced)
            else:  # str.replace is several times faster than a look-behind split
                marked = spaced.replace(". ", ".\0")
                if "! " in marked:
                    marked = marked.replace("! ", "!\0")
                if "? " in marked:
                    marked = marked.replace("? ", "?\0")
                pieces = marked.split("\0")
            long = [s for s in pieces if s and s.count(" ") + 1 >= min_words]
            n = len(long)
            sents.extend(long)
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


#: Sentences handled at a time when pairs are counted (hash partitions bound the temporaries).
PAIR_PARTITION = 400_000


def _shared_counts(
    doc: np.ndarray, hashes: np.ndarray, keep: np.ndarray, n: int, max_docs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(doc_a, doc_b, shared)``: for every pair of articles ``doc_a < doc_b`` (both
    with ``keep`` true) the number of distinct sentence hashes they share, counting only
    hashes found in 2 to ``max_docs`` articles.

    Pairs are built with numpy, one int64 key per pair, for one partition of the hashes at a
    time (a hash's articles are all in its partition), then counted after one in-place sort.
    """
    empty = np.empty(0, np.int64)
    n_parts = max(1, -(-len(hashes) // PAIR_PARTITION))
    found: list[np.ndarray] = []
    for part in range(n_parts):
        if n_parts == 1:
            keys = _pair_keys(doc, hashes, keep, n, max_docs)
        else:
            mask = hashes % np.uint64(n_parts) == part
            keys = _pair_keys(doc[mask], hashes[mask], keep, n, max_docs)
            del mask
        if len(keys):
            found.append(keys)
    if not found:
        return empty, empty, empty
    keys = found[0] if len(found) == 1 else np.concatenate(found)
    del found
    return _count_pairs(keys, n)


def _count_pairs(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(doc_a, doc_b, shared)`` from pair keys ``doc_a * n + doc_b``, one per shared
    hash: each distinct pair and how many times its key occurs. Sorts ``keys`` in place."""
    keys.sort()  # in place, unlike np.unique
    bounds = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    shared = np.diff(np.r_[bounds, len(keys)]).astype(np.int64)
    pair = keys[bounds]
    return pair // n, pair % n, shared


def _pair_keys(
    doc: np.ndarray, hashes: np.ndarray, keep: np.ndarray, n: int, max_docs: int
) -> np.ndarray:
    """Return ``doc_a * n + doc_b`` for each pair of kept articles sharing a hash (one key per
    pair and hash), for hashes found in 2 to ``max_docs`` articles."""
    empty = np.empty(0, np.int64)
    order = np.lexsort((doc, hashes))
    d, h = doc[order], hashes[order]
    del order
    if len(d):
        first = np.ones(len(d), bool)
        first[1:] = (h[1:] != h[:-1]) | (d[1:] != d[:-1])  # one row per (sentence, article)
        first &= keep[d]
        d, h = d[first], h[first]
    if not len(d):
        return empty
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    del h
    sizes = np.diff(np.r_[starts, len(d)])
    common = np.unique(sizes[(sizes > 1) & (sizes <= max_docs)])
    n_of = {int(size): int((sizes == size).sum()) for size in common}
    total = sum(g * s * (s - 1) // 2 for s, g in n_of.items())
    keys = np.empty(total, np.int64)  # filled in place: no list of parts to concatenate
    at = 0
    for size in n_of:
        block = d[starts[sizes == size][:, None] + np.arange(size)]  # rows sorted by doc
        ia, ib = np.triu_indices(size, 1)
        part = block[:, ia]
        part *= np.int64(n)
        part += block[:, ib]
        keys[at : at + part.size] = part.ravel()
        at += part.size
        del block, part
    return keys


def _exact_links(exact_key: np.ndarray, nonempty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(ex, first)``: ``ex`` marks articles whose non-empty text equals an earlier
    one's (after folding), ``first`` the index of the first article with the same key."""
    n = len(exact_key)
    codes, _ = pd.factorize(exact_key)
    _, first_of_code = np.unique(codes, return_index=True)
    first = first_of_code[codes] if n else np.empty(0, np.int64)
    ex = (first != np.arange(n)) & nonempty
    return ex, first


def _near_links(
    doc_a: np.ndarray,
    doc_b: np.ndarray,
    shared: np.ndarray,
    counts: np.ndarray,
    threshold: float,
    min_shared: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the pairs ``(doc_a, doc_b)`` sharing enough long sentences to be near copies."""
    smaller = np.minimum(counts[doc_a], counts[doc_b])
    ok = (shared >= np.minimum(min_shared, smaller)) & (shared >= threshold * smaller)
    return doc_a[ok], doc_b[ok]


def _label_groups(
    n: int, rows: np.ndarray, cols: np.ndarray, exact_key: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(members, group, exact)`` for ``n`` articles linked by the edges ``rows-cols``.

    ``members`` are the indices (ascending) of articles in a group of two or more, ``group``
    their group numbers (0, 1, 2, ... in order of each group's first article) and ``exact``
    whether another member of the group has the same exact key.
    """
    empty = np.empty(0, np.int64)
    if not len(rows):
        return empty, empty, np.empty(0, bool)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    del graph
    members = np.flatnonzero(np.bincount(labels)[labels] > 1)
    codes, _ = pd.factorize(labels[members])
    key_group = pd.DataFrame({"g": codes, "k": exact_key[members]})
    exact = key_group.groupby(["g", "k"])["g"].transform("size").to_numpy() > 1
    return members, codes.astype(np.int64), exact


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
    ex, first = _exact_links(fp.exact_key, fp.nonempty)
    rows.append(np.arange(n)[ex])
    cols.append(first[ex])
    # near: shared long sentences
    if len(fp.hashes):
        doc_a, doc_b, k = _shared_counts(fp.doc, fp.hashes, ~ex, n, max_docs_per_sentence)
        if len(k):
            a, b = _near_links(doc_a, doc_b, k, fp.counts, threshold, min_shared)
            rows.append(a)
            cols.append(b)
    members, codes, exact = _label_groups(
        n, np.concatenate(rows), np.concatenate(cols), fp.exact_key
    )
    return _full_arrays(n, members, codes, exact)


def _full_arrays(
    n: int, members: np.ndarray, codes: np.ndarray, exact: np.ndarray
) -> tuple[pd.arrays.IntegerArray, pd.arrays.StringArray]:
    """Return ``(dup_group, dup_kind)`` for ``n`` articles from :func:`_label_groups`."""
    if not len(members):
        return pd.array([pd.NA] * n, dtype="Int64"), pd.array([pd.NA] * n, dtype="string")
    group_vals = np.zeros(n, dtype=np.int64)
    group_vals[members] = codes
    in_group = np.zeros(n, dtype=bool)
    in_group[members] = True
    group = pd.array(group_vals, dtype="Int64")
    group[~in_group] = pd.NA
    kind_vals = np.full(n, None, dtype=object)
    kind_vals[members] = np.where(exact, "exact", "near")
    return group, pd.array(kind_vals, dtype="string")


#: Hash buckets of :class:`SpilledFingerprints` (files of sentence hashes, and of pair keys).
SPILL_BUCKETS = 64


class SpilledFingerprints:
    """Fingerprints of a corpus gathered chunk by chunk in a folder, grouped out of core.

    Per article, only the exact-text key (8 bytes), a non-empty flag (1 byte) and the number
    of long sentences (4 bytes) stay in memory; the ``(article, sentence hash)`` rows go to
    :data:`SPILL_BUCKETS` files by hash. :meth:`group` then counts shared sentences one hash
    bucket at a time, spilling the pair keys to files by pair, and counts the pairs one file
    at a time, so its memory is that of one bucket, not of the corpus. Files hold raw
    little-endian ``uint64``/``int64`` values (no pickle). The result equals
    :func:`group_duplicates` on the concatenated fingerprints.

    Parameters
    ----------
    folder
        A folder for the spill files (created; emptied by :meth:`cleanup`).
    buckets
        Number of hash buckets (and of pair-key files).

    Examples
    --------
    >>> import tempfile
    >>> story = "Leaders met in Beijing on Tuesday to sign deals. They agreed to meet again soon."
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     spill = SpilledFingerprints(tmp)
    ...     spill.add(fingerprint([story, "Something else happened on another day entirely."]))
    ...     spill.add(fingerprint([story.upper()]))
    ...     members, group, kind = spill.group()
    >>> members.tolist(), group.tolist(), kind.tolist()
    ([0, 2], [0, 0], ['exact', 'exact'])
    """

    def __init__(self, folder: str | os.PathLike[str], buckets: int = SPILL_BUCKETS) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.buckets = int(buckets)
        self._exact: list[np.ndarray] = []
        self._nonempty: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []
        self.n = 0

    def _file(self, kind: str, bucket: int) -> Path:
        return self.folder / f"{kind}-{bucket:04d}.bin"

    def add(self, fp: Fingerprints) -> None:
        """Append the fingerprints of the next chunk (article indices continue)."""
        self._exact.append(np.asarray(fp.exact_key, dtype=np.uint64))
        self._nonempty.append(np.asarray(fp.nonempty, dtype=bool))
        self._counts.append(np.asarray(fp.counts, dtype=np.int32))
        if len(fp.hashes):
            hashes = np.asarray(fp.hashes, dtype="<u8")
            doc = np.asarray(fp.doc, dtype="<i8") + self.n
            _append_by_bucket(
                hashes % np.uint64(self.buckets),
                self.buckets,
                {"hash": hashes, "doc": doc},
                self._file,
            )
        self.n += len(fp)

    def __len__(self) -> int:
        return self.n

    def group(
        self,
        *,
        threshold: float = 0.5,
        min_shared: int = 2,
        max_docs_per_sentence: int = 50,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(members, dup_group, dup_kind)`` for the articles in a duplicate group.

        ``members`` are article indices (ascending), ``dup_group`` their group numbers and
        ``dup_kind`` ``'exact'`` or ``'near'`` (object array); parameters as for
        :func:`flag_duplicates`. Articles not listed have no duplicate.
        """
        n = self.n
        exact_key = _joined(self._exact, np.uint64)
        ex, first = _exact_links(exact_key, _joined(self._nonempty, bool))
        rows = [np.flatnonzero(ex)]
        cols = [first[ex]]
        del first
        keep = ~ex
        # 1. per hash bucket: one pair key per (pair, shared hash), spilled by pair key
        for b in range(self.buckets):
            hfile, dfile = self._file("hash", b), self._file("doc", b)
            if not hfile.exists():
                continue
            hashes = np.fromfile(hfile, dtype="<u8")
            doc = np.fromfile(dfile, dtype="<i8")
            keys = _pair_keys(doc, hashes, keep, n, max_docs_per_sentence)
            del hashes, doc
            hfile.unlink()
            dfile.unlink()
            if len(keys):
                part = (keys % self.buckets).astype(np.int64)
                _append_by_bucket(part, self.buckets, {"pair": keys}, self._file)
            del keys
        # 2. per pair file: shared hashes per pair, and the pairs that make near copies
        counts = _joined(self._counts, np.int32)
        for b in range(self.buckets):
            pfile = self._file("pair", b)
            if not pfile.exists():
                continue
            keys = np.fromfile(pfile, dtype="<i8")
            pfile.unlink()
            doc_a, doc_b, shared = _count_pairs(keys, n)
            del keys
            a, c = _near_links(doc_a, doc_b, shared, counts, threshold, min_shared)
            rows.append(a)
            cols.append(c)
        return self._labels(n, np.concatenate(rows), np.concatenate(cols), exact_key)

    @staticmethod
    def _labels(
        n: int, rows: np.ndarray, cols: np.ndarray, exact_key: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        members, codes, exact = _label_groups(n, rows, cols, exact_key)
        return members, codes, np.where(exact, "exact", "near").astype(object)

    def cleanup(self) -> None:
        """Remove the spill files and the folder (if empty)."""
        for f in self.folder.glob("*.bin"):
            f.unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def _joined(parts: list[np.ndarray], dtype: type | str) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype)


def _append_by_bucket(
    bucket: np.ndarray,
    n_buckets: int,
    columns: dict[str, np.ndarray],
    path: Callable[[str, int], Path],
) -> None:
    """Append each column's values to the file of their bucket (``path(name, bucket)``)."""
    order = np.argsort(bucket, kind="stable")
    sorted_buckets = bucket[order]
    bounds = np.searchsorted(sorted_buckets, np.arange(n_buckets + 1))
    del sorted_buckets
    for name, values in columns.items():
        ordered = values[order]
        for b in range(n_buckets):
            lo, hi = bounds[b], bounds[b + 1]
            if hi > lo:
                with open(path(name, b), "ab") as fh:
                    ordered[lo:hi].tofile(fh)


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
    fp = fingerprint(_iter_texts(out[text_col]), min_words=min_words, max_chars=max_chars)
    group, kind = group_duplicates(
        fp, threshold=threshold, min_shared=min_shared, max_docs_per_sentence=max_docs_per_sentence
    )
    out["dup_group"] = group
    out["dup_kind"] = kind
    return out


def _iter_texts(col: pd.Series) -> Iterable[object]:
    """Yield the values of ``col`` as Python objects, a block at a time (not all at once)."""
    for start in range(0, len(col), FINGERPRINT_BLOCK):
        yield from col.iloc[start : start + FINGERPRINT_BLOCK].tolist()


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
