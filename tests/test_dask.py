"""newslab.dask gives the same tables as the pandas verbs, on the sync scheduler and on a
dask.distributed LocalCluster of two worker processes."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import newslab as nl
from newslab import schema
from newslab.text import sentences
from newslab.timelines import mention_volume
from tests.conftest import DEMO, load_generate

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("dask.distributed")
nd = pytest.importorskip("newslab.dask")


def _quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def _ranges_as_first_row(tx: pd.DataFrame) -> pd.Series:
    """Each row's range as the position of the range's first row (independent of numbering)."""
    key = tx["doc_id"].astype(str) + "#" + tx["range_id"].astype("string").fillna("-")
    first = pd.Series(range(len(tx)), index=tx.index).groupby(key.to_numpy()).transform("min")
    return first.where(tx["range_id"].notna().to_numpy(), -1).reset_index(drop=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    ds = nl.ingest(DEMO, tmp_path_factory.mktemp("dask") / "ds", chunk_size=10, progress=False)
    articles = nl.read_dataset(ds)
    return ds, articles, nl.extract_entities(articles, discover="rules")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    root = tmp_path_factory.mktemp("dask-gen")
    corpus = load_generate().generate_corpus(
        root / "corpus", 400, seed=11, shard_size=200, syndicated_rate=0.1
    )
    ds = nl.ingest(corpus, root / "ds", chunk_size=90, progress=False)
    articles = nl.read_dataset(ds)
    return ds, articles, nl.extract_entities(articles, discover="rules")


@pytest.fixture()
def sync():
    with dask.config.set(scheduler="sync"):
        yield


def test_read_dataset_has_the_schema_and_rows(demo, sync):
    ds, articles, _ = demo
    ddf = nd.read_dataset(ds)
    assert ddf.npartitions == len(nl.corpus.dataset.dataset_parts(ds)) == 8
    assert list(ddf.columns) == list(schema.ARTICLES)
    assert ddf.dtypes.astype(str).tolist() == articles.dtypes.astype(str).tolist()
    pd.testing.assert_frame_equal(ddf.compute().reset_index(drop=True), articles)
    some = nd.read_dataset(ds, columns=["published", "dup_group"]).compute()
    assert list(some.columns) == ["published", "dup_group"]
    pd.testing.assert_series_equal(some["dup_group"].reset_index(drop=True), articles["dup_group"])


def test_load_corpus_ingests_then_reads(tmp_path, sync):
    ddf = nd.load_corpus(DEMO, tmp_path / "ds", chunk_size=25, progress=False)
    assert ddf.npartitions == 4
    got = ddf.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, nl.read_dataset(tmp_path / "ds"))
    direct = nl.load_corpus(DEMO, progress=False)
    assert sorted(got["doc_id"]) == sorted(direct["doc_id"])
    assert got["dup_group"].notna().sum() == direct["dup_group"].notna().sum() > 0


def test_per_partition_verbs_equal_pandas(demo, sync):
    ds, articles, mentions = demo
    ddf = nd.read_dataset(ds)
    got = nd.extract_entities(ddf, discover="rules").compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, mentions)
    tx = nd.timexes(ddf).compute().reset_index(drop=True)
    expected = nl.timexes(sentences(articles), articles)
    assert len(expected) > 100 and expected["range_id"].notna().any()
    cols = [c for c in expected.columns if c != "range_id"]
    pd.testing.assert_frame_equal(tx[cols], expected[cols])
    pd.testing.assert_series_equal(_ranges_as_first_row(tx), _ranges_as_first_row(expected))
    assert nd.find_timexes is nd.timexes


@pytest.mark.parametrize(
    "kw",
    [{}, {"unit": "sentence", "min_count": 2}, {"unit": "window", "metonyms": "separate"}],
    ids=["document", "sentence-min2", "window-separate"],
)
def test_comentions_equal_pandas(demo, sync, kw):
    ds, articles, mentions = demo
    ddf = nd.read_dataset(ds)
    dm = nd.extract_entities(ddf, discover="rules")
    got = nd.comentions(dm, articles=ddf, split_every=3, **kw)
    expected = nl.count_comentions(mentions, articles=articles, **kw)
    assert len(expected) > 10
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    "kw",
    [{"freq": "W", "normalize": True}, {"freq": "M", "top": 4, "types": ["PERSON", "COUNTRY"]}],
    ids=["week-normalized", "month-top"],
)
def test_mention_volume_equals_pandas(demo, sync, kw):
    ds, articles, mentions = demo
    ddf = nd.read_dataset(ds)
    dm = nd.extract_entities(ddf, discover="rules")
    got = _quiet(nd.mention_volume, dm, ddf, split_every=2, **kw)
    expected = _quiet(mention_volume, mentions, articles, **kw)
    assert len(expected) > 5
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["undated_documents"] == expected.attrs["undated_documents"] > 0
    with pytest.raises(ValueError, match="partitioned alike"):
        nd.mention_volume(dm.repartition(npartitions=2), ddf)


def test_on_a_local_cluster_of_two_processes(generated):
    ds, articles, mentions = generated
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        with distributed.Client(cluster) as client:
            ddf = nd.read_dataset(ds)
            dm = nd.extract_entities(ddf, discover="rules").persist()
            pairs = nd.comentions(dm, unit="sentence", articles=ddf)
            volume = _quiet(nd.mention_volume, dm, ddf, freq="W")
            n_mentions = int(dm.shape[0].compute())
            # the whole analysis as one task per part on the cluster's workers
            with distributed.get_task_stream(client) as stream:
                res = _quiet(
                    nd.run_pipeline,
                    ds,
                    client=client,
                    unit="sentence",
                    freq="W",
                    discover="rules",
                    progress=False,
                )
    finally:
        cluster.close()
    expected = nl.count_comentions(mentions, unit="sentence", articles=articles)
    assert len(expected) > 50 and n_mentions == len(mentions)
    # sorted by the pandas verb's own order, then compared exactly
    pd.testing.assert_frame_equal(
        _sorted(pairs, ["a", "b"]), _sorted(expected, ["a", "b"]), check_exact=True
    )
    pd.testing.assert_frame_equal(pairs, expected)
    pd.testing.assert_frame_equal(volume, _quiet(mention_volume, mentions, articles, freq="W"))
    assert (res.n_articles, res.n_mentions, res.n_chunks) == (
        len(articles),
        len(mentions),
        len(list((Path(ds) / "articles").glob("part-*.parquet"))),
    )
    pd.testing.assert_frame_equal(res.pairs, expected)
    pd.testing.assert_frame_equal(res.volume, volume)
    # one task per part ran on the cluster's workers
    ran = [t["key"] for t in stream.data if "_process_part" in str(t["key"])]
    assert len(ran) == res.n_chunks


def test_missing_dask_gives_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ImportError, match=r"newslab\[dask\]"):
        nd.read_dataset(DEMO)


def test_delayed_results_share_one_extraction(demo, sync):
    ds, articles, mentions = demo
    ddf = nd.read_dataset(ds)
    dm = nd.extract_entities(ddf, discover="rules")
    lazy_pairs = nd.comentions(dm, unit="sentence", articles=ddf, compute=False)
    lazy_volume = nd.mention_volume(dm, ddf, freq="M", compute=False)
    pairs, volume = dask.compute(lazy_pairs, lazy_volume)
    pd.testing.assert_frame_equal(
        pairs, nl.count_comentions(mentions, unit="sentence", articles=articles)
    )
    pd.testing.assert_frame_equal(volume, _quiet(mention_volume, mentions, articles, freq="M"))
