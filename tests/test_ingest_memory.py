"""Bounded-memory ingest: spilled fingerprints, compact doc-id and path sets (issue 7).

The out-of-core paths must give exactly what the in-memory computations give; hash
collisions are forced to check that the exact fallbacks are used.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import newslab.corpus as nc
from newslab.corpus import dataset, dedupe, sources
from newslab.corpus.dedupe import Fingerprints, SpilledFingerprints, fingerprint
from tests.conftest import load_generate

STORY = (
    "date 2023-03-01 Example News\n\nTalks in Geneva\n\n"
    "Diplomats from both countries met in Geneva on Tuesday to discuss a ceasefire. "
    "They agreed to meet again next week in the same city. "
    "Observers said the atmosphere of the meeting was calm and businesslike.\n"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """400 generated articles with exact and syndicated copies, in shards of 100."""
    gen = load_generate()
    root = tmp_path_factory.mktemp("gen")
    return gen.generate_corpus(
        root / "corpus", 400, seed=3, shard_size=100, dup_rate=0.08, syndicated_rate=0.15
    )


@pytest.fixture(scope="module")
def texts(corpus: Path) -> list[str]:
    df = nc.load_corpus(corpus, progress=False, dedupe=False)
    return df["text"].tolist()


def _spilled(folder: Path, parts: list[list[str]], buckets: int) -> SpilledFingerprints:
    spill = SpilledFingerprints(folder, buckets=buckets)
    for part in parts:
        spill.add(fingerprint(part))
    return spill


def _expanded(n: int, members: np.ndarray, group: np.ndarray, kind: np.ndarray):
    g = pd.array([pd.NA] * n, dtype="Int64")
    k = pd.array([pd.NA] * n, dtype="string")
    g[members] = group
    k[members] = kind
    return g, k


@pytest.mark.parametrize("chunk", [37, 150, 1000])
@pytest.mark.parametrize("buckets", [1, 3, 64])
def test_spilled_fingerprints_group_like_in_memory(tmp_path, texts, chunk, buckets):
    expected_group, expected_kind = dedupe.group_duplicates(fingerprint(texts))
    assert (~expected_group.isna()).sum() > 20  # the corpus has duplicates to find
    parts = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    spill = _spilled(tmp_path / "fp", parts, buckets)
    assert len(spill) == len(texts)
    members, group, kind = spill.group()
    spill.cleanup()
    assert not (tmp_path / "fp").exists()
    assert np.all(np.diff(members) > 0)
    got_group, got_kind = _expanded(len(texts), members, group, kind)
    pd.testing.assert_extension_array_equal(got_group, expected_group)
    pd.testing.assert_extension_array_equal(got_kind, expected_kind)


def test_groups_span_chunks(texts):
    """The chunking above splits some duplicate groups (otherwise the test proves little)."""
    group = pd.Series(dedupe.group_duplicates(fingerprint(texts))[0])
    chunk_of = pd.Series(np.arange(len(texts)) // 37)
    spread = chunk_of[group.notna()].groupby(group[group.notna()]).nunique()
    assert (spread > 1).any()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spilled_equals_in_memory_on_random_fingerprints(tmp_path, seed):
    """Random sentence hashes from a small pool: many pairs, boilerplate and exact keys."""
    rng = np.random.default_rng(seed)
    parts, n = [], 0
    for size in rng.integers(0, 60, 8):
        counts = rng.integers(0, 6, size)
        doc = np.repeat(np.arange(size), counts).astype(np.int64)
        parts.append(
            Fingerprints(
                rng.integers(0, 40, size).astype(np.uint64),
                rng.random(size) > 0.1,
                doc,
                rng.integers(0, 90, len(doc)).astype(np.uint64),
                counts.astype(np.int64),
            )
        )
        n += size
    fp = Fingerprints.concat(parts)
    kw = {"threshold": 0.4, "min_shared": 2, "max_docs_per_sentence": 6}
    expected_group, expected_kind = dedupe.group_duplicates(fp, **kw)
    spill = SpilledFingerprints(tmp_path / "fp", buckets=5)
    for p in parts:
        spill.add(p)
    members, group, kind = spill.group(**kw)
    spill.cleanup()
    got_group, got_kind = _expanded(n, members, group, kind)
    pd.testing.assert_extension_array_equal(got_group, expected_group)
    pd.testing.assert_extension_array_equal(got_kind, expected_kind)


def test_spilled_with_nothing_added(tmp_path):
    spill = SpilledFingerprints(tmp_path / "fp")
    members, group, kind = spill.group()
    assert len(members) == len(group) == len(kind) == 0
    spill.cleanup()


def _load_all(source) -> pd.DataFrame:
    return nc.load_corpus(source, progress=False).sort_values("doc_id", ignore_index=True)


def test_ingest_flags_duplicates_like_load_corpus(tmp_path, corpus):
    out = nc.ingest(corpus, tmp_path / "ds", chunk_size=60, progress=False)
    assert not (out / "_fingerprints").exists()
    assert len(dataset.dataset_parts(out)) >= 6
    got = nc.read_dataset(out).sort_values("doc_id", ignore_index=True)
    whole = _load_all(corpus)
    assert got["doc_id"].tolist() == whole["doc_id"].tolist()
    # group numbers follow corpus order in both; compare the partitions and kinds
    pd.testing.assert_series_equal(got["dup_kind"], whole["dup_kind"])
    pairs = got[["dup_group"]].assign(other=whole["dup_group"]).dropna()
    assert len(pairs) > 20
    assert (pairs.groupby("dup_group")["other"].nunique() == 1).all()
    assert (pairs.groupby("other")["dup_group"].nunique() == 1).all()
    meta = pd.read_json(out / "dataset.json", typ="series")
    assert meta["n_duplicates"] == len(pairs)
    assert meta["n_parts"] == len(dataset.dataset_parts(out))


def _same_names(root: Path, n: int) -> Path:
    """``n`` folders each holding an article file called ``story.txt`` (same doc_id)."""
    for i in range(n):
        (root / f"f{i:02d}").mkdir(parents=True)
        text = STORY.replace("Tuesday", f"Tuesday, day {i},")
        (root / f"f{i:02d}" / "story.txt").write_text(text, "utf-8")
    return root


@pytest.mark.parametrize("collide", [False, True])
def test_doc_ids_unique_across_parts(tmp_path, monkeypatch, collide):
    src = _same_names(tmp_path / "src", 5)
    (src / "f02" / "other.txt").write_text(STORY.replace("Geneva", "Vienna"), "utf-8")
    if collide:  # every doc_id hashes alike: only the exact check may rename
        monkeypatch.setattr(dataset, "_id_hashes", lambda ids: np.zeros(len(ids), dtype=np.uint64))
    out = nc.ingest(src, tmp_path / "ds", chunk_size=1, progress=False)
    df = nc.read_dataset(out)
    assert df["doc_id"].is_unique
    assert df["doc_id"].tolist()[0] == "story"
    assert "other" in df["doc_id"].tolist()  # a collision of hashes alone renames nothing
    renamed = df[df["doc_id"].str.startswith("story~")]
    assert len(renamed) == 4
    assert (renamed["doc_id"].str.len() == len("story~") + 8).all()


def test_seen_keys_exact_under_hash_collisions(monkeypatch):
    monkeypatch.setattr(sources, "hash", lambda key: len(key) % 3, raising=False)
    monkeypatch.setattr(sources._SeenKeys, "RECENT", 4)
    keys = [f"/data/{'x' * (i % 7)}/file{i}.txt" for i in range(40)] + ["/data/ü\udcff.txt"]
    with sources._SeenKeys() as seen:
        assert all(seen.add(k) for k in keys)
        assert len(seen._hashes) > 0  # some keys moved to the sorted arrays
        assert not any(seen.add(k) for k in keys)
        assert seen.add("/data/new.txt")
        assert not seen.add("/data/new.txt")


@pytest.mark.parametrize("bits", [8, 1 << 25])
def test_seen_keys_filter_never_decides_a_repeat(monkeypatch, bits):
    # with 8 filter bits nearly every new key is searched, with 2**25 almost none is; with
    # RECENT=4 the dict is merged into the arrays many times, at a growing size
    monkeypatch.setattr(sources._SeenKeys, "FILTER_BITS", bits)
    monkeypatch.setattr(sources._SeenKeys, "RECENT", 4)
    keys = [f"/corpus/{i // 10}/{i}.txt" for i in range(600)]
    with sources._SeenKeys() as seen:
        assert [seen.add(k) for k in keys] == [True] * 600
        assert len(seen._hashes) > 500 and np.all(np.diff(seen._hashes) >= 0)
        assert [seen.add(k) for k in keys[::7]] == [False] * len(keys[::7])
        assert seen.add("/corpus/new.txt")
        assert not seen.add("/corpus/new.txt")


def test_same_file_named_twice_is_skipped_as_duplicate(tmp_path, monkeypatch):
    monkeypatch.setattr(sources._SeenKeys, "RECENT", 3)
    src = _same_names(tmp_path / "src", 4)
    items = list(sources.iter_items([src, src / "f01" / "story.txt", src / "f03"]))
    skips = [i for i in items if isinstance(i, sources.Skip)]
    assert len(items) == 6
    assert [s.reason for s in skips] == ["duplicate", "duplicate"]
    assert {os.path.basename(os.path.dirname(s.source_path)) for s in skips} == {"f01", "f03"}
    df = nc.load_corpus([src, src], progress=False)
    rep = df.attrs["load_report"]
    assert len(df) == 4
    assert (rep.files["reason"].fillna("") == "duplicate").sum() == 4


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_symlink_to_a_file_in_the_folder_is_a_duplicate(tmp_path):
    src = _same_names(tmp_path / "src", 2)
    os.symlink(src / "f00" / "story.txt", src / "f01" / "alias.txt")
    items = list(sources.iter_items(src))
    reasons = [getattr(i, "reason", "") for i in items]
    assert reasons.count("duplicate") == 1
    assert len(items) == 3


def test_release_memory_is_harmless():
    dataset.release_memory()
    dataset.release_memory()


def _reference_walk(top: str) -> list[tuple[str, str]]:
    """What ``sources._walk`` promises, written with ``os.walk``."""
    root = os.path.realpath(top)
    out = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in sources._IGNORED_DIRS and not os.path.islink(os.path.join(dirpath, d))
        )
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                key = os.path.realpath(path)
                if os.path.commonpath([key, root]) != root:
                    continue
            else:
                key = os.path.join(os.path.realpath(dirpath), name)
            out.append((path, key))
    return out


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_walk_keeps_its_order_and_rules(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(STORY, "utf-8")
    src = _same_names(tmp_path / "src", 3)
    for sub in ("b/deeper", "a", ".git", "__pycache__", "a/.ipynb_checkpoints"):
        (src / sub).mkdir(parents=True, exist_ok=True)
        (src / sub / "z.txt").write_text(STORY, "utf-8")
        (src / sub / "m.txt").write_text(STORY, "utf-8")
    os.symlink(src / "a", src / "linked_dir")
    os.symlink(src / "a" / "z.txt", src / "b" / "inside_link.txt")
    os.symlink(outside, src / "b" / "outside_link.txt")
    os.symlink(src / "missing.txt", src / "broken.txt")
    got = list(sources._walk(str(src), str(src.resolve())))
    assert got == _reference_walk(str(src))
    names = [os.path.relpath(p, src) for p, _ in got]
    assert "b/outside_link.txt" not in names and ".git/z.txt" not in names
    assert names.index("a/m.txt") < names.index("b/deeper/m.txt") < names.index("f00/story.txt")
    assert names.index("b/inside_link.txt") < names.index("b/deeper/m.txt")
