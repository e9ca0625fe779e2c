"""The chunked pipeline gives exactly the one-shot pandas results, whatever the chunking."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import newslab as nl
from newslab import pipeline as pl
from newslab.text import sentences
from newslab.timelines import mention_volume
from tests.conftest import DEMO, load_generate


def _volume(mentions: pd.DataFrame, articles: pd.DataFrame, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mention_volume(mentions, articles, **kw)


def _run(source, **kw) -> pl.PipelineResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pl.run_pipeline(source, progress=False, discover="rules", **kw)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    """The demo corpus ingested in parts of 10 articles, read back whole, and its mentions."""
    ds = nl.ingest(DEMO, tmp_path_factory.mktemp("demo") / "ds", chunk_size=10, progress=False)
    articles = nl.read_dataset(ds)
    return ds, articles, nl.extract_entities(articles, discover="rules")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    """600 generated articles (with syndicated copies) ingested in parts of 150."""
    gen = load_generate()
    root = tmp_path_factory.mktemp("gen")
    corpus = gen.generate_corpus(
        root / "corpus", 600, seed=7, shard_size=200, dup_rate=0.05, syndicated_rate=0.1
    )
    ds = nl.ingest(corpus, root / "ds", chunk_size=150, progress=False)
    articles = nl.read_dataset(ds)
    return ds, articles, nl.extract_entities(articles, discover="rules")


def test_the_fixtures_exercise_duplicates_across_parts(demo, generated):
    for ds, articles, mentions in (demo, generated):
        parts = nl.corpus.dataset.dataset_parts(ds)
        assert len(parts) >= 3
        part_of = pd.concat(
            [pd.read_parquet(p, columns=["doc_id"]).assign(part=i) for i, p in enumerate(parts)]
        )
        grouped = articles[["doc_id", "dup_group"]].dropna().merge(part_of, on="doc_id")
        spread = grouped.groupby("dup_group")["part"].nunique()
        # some duplicate group spans two parts, so the first-copy rule must work across chunks
        assert (spread > 1).any()
        assert len(mentions) > 500


@pytest.mark.parametrize("chunk_size", [None, 7, 64])
def test_demo_chunks_equal_one_shot(demo, chunk_size):
    ds, articles, mentions = demo
    res = _run(ds, chunk_size=chunk_size, with_timexes=True)
    pd.testing.assert_frame_equal(res.pairs, nl.count_comentions(mentions, articles=articles))
    pd.testing.assert_frame_equal(res.volume, _volume(mentions, articles))
    pd.testing.assert_frame_equal(res.timexes, nl.timexes(sentences(articles), articles))
    assert res.n_articles == len(articles) and res.n_mentions == len(mentions)
    assert res.n_words == int(articles["n_words"].sum())
    expected_chunks = 8 if chunk_size is None else -(-len(articles) // chunk_size)
    assert res.n_chunks == expected_chunks


def test_dedupe_matters_on_the_demo(demo):
    ds, articles, mentions = demo
    with_copies = _run(ds, chunk_size=7, dedupe=False)
    pd.testing.assert_frame_equal(
        with_copies.pairs, nl.count_comentions(mentions, articles=articles, dedupe=False)
    )
    deduped = nl.count_comentions(mentions, articles=articles)
    assert with_copies.pairs["n_pair"].sum() > deduped["n_pair"].sum()


@pytest.mark.parametrize(
    "kw",
    [
        {"unit": "sentence"},
        {"unit": "window", "window": 2, "min_count": 2},
        {"metonyms": "separate", "types": ["PERSON", "COUNTRY"]},
        {"metonyms": "drop", "unit": "sentence"},
    ],
    ids=["sentence", "window2-min2", "separate-types", "drop"],
)
def test_demo_comention_options_equal_one_shot(demo, kw):
    ds, articles, mentions = demo
    res = _run(ds, chunk_size=11, **kw)
    expected = nl.count_comentions(mentions, articles=articles, **kw)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(res.pairs, expected)


@pytest.mark.parametrize(
    "kw",
    [{"freq": "W", "normalize": True}, {"freq": "M", "top": 5}, {"types": ["PERSON"]}],
    ids=["week-normalized", "month-top5", "persons"],
)
def test_demo_volume_options_equal_one_shot(demo, kw):
    ds, articles, mentions = demo
    res = _run(ds, chunk_size=13, **kw)
    expected = _volume(mentions, articles, **kw)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(res.volume, expected)
    assert res.volume.attrs["undated_documents"] == expected.attrs["undated_documents"]


@pytest.mark.parametrize(("chunk_size", "workers"), [(None, 1), (97, 1), (None, 2), (41, 2)])
def test_generated_chunks_equal_one_shot(generated, chunk_size, workers):
    ds, articles, mentions = generated
    res = _run(ds, chunk_size=chunk_size, workers=workers, unit="sentence", freq="W")
    expected = nl.count_comentions(mentions, unit="sentence", articles=articles)
    pd.testing.assert_frame_equal(res.pairs, expected)
    pd.testing.assert_frame_equal(res.volume, _volume(mentions, articles, freq="W"))


def test_iterables_and_frames_are_accepted(generated, tmp_path):
    ds, articles, mentions = generated
    expected = nl.count_comentions(mentions, articles=articles)
    from_iter = _run(nl.iter_dataset(ds))
    from_frame = _run(articles, chunk_size=200, mentions_dir=tmp_path / "m")
    pd.testing.assert_frame_equal(from_iter.pairs, expected)
    pd.testing.assert_frame_equal(from_frame.pairs, expected)
    written = pd.concat(
        [pd.read_parquet(p) for p in sorted((tmp_path / "m").glob("part-*.parquet"))],
        ignore_index=True,
    )
    assert len(written) == len(mentions) == from_frame.n_mentions
    assert from_frame.n_chunks == 3


def test_partials_add_up_by_hand():
    m = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d2", "d2", "d3"],
            "sent_id": [0, 0, 0, 1, 0],
            "entity_id": ["x", "y", "x", "z", "y"],
            "label": ["X", "Y", "X1", "Z", "Y"],
        }
    )
    first, second = m[m["doc_id"] != "d3"], m[m["doc_id"] == "d3"]
    total = pl.combine_counts(
        [pl.comention_counts(first, 0), pl.comention_counts(second, 1, copies=["d3"])]
    )
    pairs = pl.finish_comentions(total)
    pd.testing.assert_frame_equal(pairs, nl.count_comentions(m[m["doc_id"] != "d3"]))
    # the label of an entity is the one of its first mention in corpus order
    assert pairs.loc[pairs["b"] == "y", "label_a"].tolist() == ["X"]


def test_progress_bar_and_errors(demo, capsys):
    ds, _, _ = demo
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pl.run_pipeline(ds, discover="rules", progress=True)
    assert "pipeline" in capsys.readouterr().err
    with pytest.raises(ValueError, match="ingest it first"):
        pl.run_pipeline(DEMO)
    with pytest.raises(ValueError, match="workers"):
        pl.run_pipeline(ds, workers=0)
    with pytest.raises(ValueError, match="unit"):
        pl.run_pipeline(ds, unit="paragraph")


def test_result_renders_as_escaped_html(demo):
    ds, _, _ = demo
    res = _run(ds, chunk_size=40)
    res.pairs.loc[0, "a"] = "<script>"
    page = res._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert f"{res.n_articles} articles in 2 chunks" in repr(res)
