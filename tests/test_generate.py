"""Tests for the synthetic corpus generator (benchmarks/generate.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import statistics
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import load_generate

ROOT = Path(__file__).resolve().parents[1]


gen = load_generate()

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
HEADER = re.compile(r"^ date (\d{4})-(\d{2})(?:-(\d{2}))? \S")
NAME = re.compile(r"^\d{7}_[0-9a-f]{16}\.txt$")
IMAGE_LINE = re.compile(r"^\d{10} [0-9a-f]{32}\.jpeg$", re.M)


@pytest.fixture(scope="module")
def records():
    """400 articles with raised copy rates, so every kind and layout shows up."""
    return list(gen.iter_records(400, seed=11, dup_rate=0.1, syndicated_rate=0.1))


def test_same_seed_same_texts_other_seed_other_texts():
    a = list(gen.iter_articles(25, seed=5))
    b = list(gen.iter_articles(25, seed=5))
    c = list(gen.iter_articles(25, seed=6))
    assert a == b
    assert len({t for _, t in a} & {t for _, t in c}) == 0
    # an article depends on its index, not on the corpus size
    assert list(gen.iter_articles(10, seed=5)) == a[:10]


def test_generate_corpus_writes_the_same_bytes_in_shards(tmp_path):
    root = gen.generate_corpus(
        tmp_path / "c", 25, seed=5, shard_size=10, manifest=tmp_path / "m.csv"
    )
    files = sorted(root.rglob("*.txt"))
    assert [len(list(d.glob("*.txt"))) for d in sorted(root.iterdir())] == [10, 10, 5]
    assert [p.parent.name for p in files[::10]] == ["shard_0000", "shard_0001", "shard_0002"]
    expected = dict(gen.iter_articles(25, seed=5))
    assert {p.name for p in files} == set(expected)
    for path in files:
        data = path.read_bytes()
        assert NAME.match(path.name)
        assert data == expected[path.name].encode("utf-8")
        assert path.name[8:24] == hashlib.blake2b(data, digest_size=8).hexdigest()
    manifest = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()
    assert len(manifest) == 26 and manifest[0].startswith("path,index,kind")


def test_body_lengths_are_bounded_and_spread(records):
    originals = [a for a in records if a.kind == "original"]
    words = [sum(len(p.split()) for p in a.paragraphs) for a in originals]
    assert min(words) >= 150 and max(words) <= 900
    assert 250 <= statistics.median(words) <= 600
    assert statistics.pstdev(words) > 80
    for a in originals:
        assert len(a.text.split()) > sum(len(p.split()) for p in a.paragraphs)


def test_all_layouts_and_quirks_present(records):
    assert {a.layout for a in records} == set(gen.LAYOUTS)
    texts = [a.text for a in records]
    assert any(t.startswith(" \n") for t in texts)  # a first line that is a single space
    assert any(HEADER.match(t) for t in texts)
    assert any(IMAGE_LINE.search(t) for t in texts)
    assert any(re.search(r"^Read also: ", t, re.M) for t in texts)
    assert any(re.search(r"</?(?:u|em|strong|b|i|a)\b[^>]*>", t) for t in texts)
    assert any("&nbsp;" in t for t in texts)
    assert any("\r\n" in t for t in texts)
    assert any(re.search(r"^Read the original article on .+$", t, re.M) for t in texts)
    broken = [re.search(r"^Original url:\n\n(https://\S+) (\d+)$", t, re.M) for t in texts]
    urls = {a.url for a in records}
    assert any(m and m.group(1) + m.group(2) in urls for m in broken)
    wrapped = [a for a in records if a.layout == "wrapped"]
    assert wrapped and all(max(map(len, a.text.splitlines()[4:-1])) <= 80 for a in wrapped)
    # a paragraph broken mid-sentence: a line that starts lowercase after a blank line
    assert any(re.search(r"[a-z,]\n\n[a-z]", t) for t in texts)


def test_entities_follow_first_mention_rules(records):
    text = " ".join(" ".join(a.paragraphs) for a in records)
    for name in ("Xi Jinping", "Vladimir Putin", "NATO", "the Kremlin", "Kyiv"):
        assert name in text
    # later mentions use the surname alone, more often than the full name is used
    assert len(re.findall(r"\bPutin\b", text)) > 1.5 * len(re.findall(r"Vladimir Putin", text))
    # zipf-like popularity: the most named person far ahead of a rare one
    assert text.count("Putin") > 5 * text.count("Tokayev")
    assert re.search(
        r"from (?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.|from (?:March|April|May|June|July) ", text
    )


def test_duplicate_and_syndication_shares(records):
    seen: dict[str, int] = {}
    exact = 0
    for a in records:
        if a.text in seen:
            exact += 1
            assert a.kind == "duplicate" and records[a.source].text == a.text
        seen.setdefault(a.text, a.index)
    kinds = [a.kind for a in records]
    assert exact == kinds.count("duplicate")
    assert abs(exact / len(records) - 0.1) < 0.045
    synd = [a for a in records if a.kind == "syndicated"]
    assert abs(len(synd) / len(records) - 0.1) < 0.045
    for a in synd:
        src = records[a.source]
        assert src.kind == "original" and a.paragraphs == src.paragraphs and a.text != src.text
        assert a.outlet in {name for name, _ in gen.OUTLETS}
        assert src.outlet in (None, a.outlet) and (a.published - src.published).days in (0, 1, 2)
    assert not any(a.kind == "duplicate" for a in gen.iter_records(100, 11, dup_rate=0.0))


def test_every_file_is_utf8_with_a_date(records):
    for a in records:
        text = a.text.encode("utf-8").decode("utf-8", errors="strict")
        assert a.published.year == 2023 or a.kind == "syndicated"
        head = text.replace("\r\n", "\n").split("\n")[:8]
        m = HEADER.match(head[0])
        if m and m.group(3):
            assert dt.date(*map(int, m.groups())) == a.published
            continue
        month = MONTHS[a.published.month - 1]
        day = re.compile(rf"\b{a.published.day}\b")
        assert any(month in line and str(a.published.year) in line and day.search(line)
                   for line in head), head  # fmt: skip


def _load_corpus():
    try:
        import newslab
    except ImportError:  # pragma: no cover
        pytest.skip("newslab not importable")
    fn = getattr(newslab, "load_corpus", None)
    if fn is None:
        try:
            from newslab.corpus import load_corpus as fn
        except ImportError:
            pytest.skip("newslab.load_corpus does not exist yet")
    return fn


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """200 generated articles written to disk and loaded, with their ground truth."""
    load_corpus = _load_corpus()
    n = 200
    root = tmp_path_factory.mktemp("generated")
    gen.generate_corpus(root, n, 3, shard_size=80, dup_rate=0.05)
    truth = {a.filename[:-4]: a for a in gen.iter_records(n, 3, dup_rate=0.05)}
    return load_corpus(root, progress=False), truth


def test_load_corpus_rows_dates_and_no_boilerplate(loaded):
    df, truth = loaded
    assert len(df) == len(truth) == 200
    assert df["published"].notna().all()
    df = df.set_index("doc_id")
    assert set(df.index) == set(truth)
    for doc_id, a in truth.items():
        row = df.loc[doc_id]
        body = "\n\n".join(a.paragraphs)
        assert row["published"].date() == a.published, doc_id
        assert row["title"] == a.title, doc_id
        left = [b for b in a.boilerplate if b in row["text"] and b not in body]
        assert not left, (doc_id, left)


def test_load_corpus_flags_exact_duplicates(loaded):
    df, truth = loaded
    df = df.set_index("doc_id")
    names = {a.index: name for name, a in truth.items()}
    dups = [a for a in truth.values() if a.kind == "duplicate"]
    assert dups
    for a in dups:
        group = df.loc[a.filename[:-4], "dup_group"]
        assert pd.notna(group) and group == df.loc[names[a.source], "dup_group"]


def test_load_corpus_keeps_every_body_line(loaded):
    """The loaded text is exactly the generated body: nothing dropped, nothing left over."""
    df, truth = loaded
    texts = dict(zip(df["doc_id"], df["text"], strict=True))
    wrong = [d for d, a in truth.items() if texts[d] != "\n\n".join(a.paragraphs)]
    assert not wrong, [(d, truth[d].layout) for d in wrong]
