"""The reference data in ../shared: the two seed articles and the article-bias-prediction corpus."""

from __future__ import annotations

import json

import pandas as pd

import newslab.corpus as nc
from tests.conftest import shared_path

BOILERPLATE_WORDS = (
    "Read also",
    "Related article",
    "Latest news",
    "Published on",
    "By Abraham",
    ".jpeg",
    "donation",
    "Patron",
    "Read the original article",
    "Original url",
    "<u>",
    "</u>",
    "TASS / kremlin.ru",
    "Dictator Lukashenko",
)


def test_seed_articles_parse_to_the_right_fields(seeds_dir):
    df = nc.load_corpus(seeds_dir, progress=False).set_index("doc_id")
    assert len(df) == 2
    a = df.loc["000_c3ecafbcb1a1b926"]
    assert a["title"].startswith(
        "Lukashenko to meet with Xi Jinping to help Russia and China circumvent"
    )
    assert a["published"] == pd.Timestamp("2023-02-27") and a["date_precision"] == "day"
    assert a["outlet"] == "The New Voice of Ukraine" and a["site"] == "5G News"
    assert a["author"] == "Abraham"
    assert a["text"].startswith("The ISW notse that Lukashenko")
    assert a["text"].endswith("at the diplomatic level.")
    b = df.loc["003_12beef18b3d486b1"]
    assert b["title"].startswith("China's Xi to Visit Russia 'as Soon as Next Week'")
    assert b["published"] == pd.Timestamp("2023-03-13")
    assert b["outlet"] == "The Moscow Times"
    assert b["url"].startswith(
        "https://www.themoscowtimes.com/2023/03/13/chinas-xi-to-visit-russia"
    )
    assert b["url"].endswith("-reports-a80462") and " " not in b["url"]
    assert "sensitivity of the issue." in b["text"]  # the broken paragraph is joined
    assert b["text"].startswith("Chinese President Xi Jinping plans to visit")
    assert b["text"].endswith('"spreading false information."')
    for text in df["text"]:
        for junk in BOILERPLATE_WORDS:
            assert junk not in text, junk
    removed = nc.get_report(df.reset_index()).removed
    assert {
        "header",
        "repeated_title",
        "byline",
        "image_file",
        "caption",
        "read_also",
        "donation_appeal",
        "original_article",
        "date_line",
        "caption_credit",
        "original_url",
    } <= set(removed["rule"])


def test_article_bias_prediction_every_file_accounted_for():
    root = shared_path("corpora", "article-bias-prediction")
    df = nc.load_corpus(root, progress=False)
    rep = nc.get_report(df)
    files = [p for p in root.rglob("*") if p.is_file()]
    assert rep.n_files == len(files)
    assert set(rep.files["source_path"]) == {str(p) for p in files}
    jsons = sorted(root.glob("data/jsons/*.json"))
    assert len(df) == len(jsons) == rep.n_articles
    skipped = rep.files[rep.files["status"] == "skipped"]
    assert set(skipped["source_path"].map(lambda p: p.rsplit("/", 1)[-1])) == {
        "LICENSE",
        "README.md",
        "manifest.csv",
    }
    assert skipped["reason"].notna().all()
    # dates: what the manifest says is empty is NaT with a "no date" warning, or the date in
    # the URL's path with a "date from url" warning; the others match it
    manifest = pd.read_csv(root / "manifest.csv", dtype=str, keep_default_na=False).set_index("ID")
    by_id = df.set_index("doc_id")
    no_date = set(rep.warnings().query("reason == 'no date'")["doc_id"])
    from_url = rep.warnings().query("reason == 'date from url'").set_index("doc_id")["detail"]
    for doc_id, row in manifest.iterrows():
        got = by_id.loc[doc_id, "published"]
        if not row["date"]:
            if doc_id in from_url.index:
                assert got.strftime("%Y-%m-%d") == from_url[doc_id], doc_id
                url = by_id.loc[doc_id, "url"]
                assert got.strftime("/%Y/%m/") in url or got.strftime("%Y-%m-%d") in url, doc_id
            else:
                assert pd.isna(got) and doc_id in no_date
        elif pd.notna(got):
            assert got.strftime("%Y-%m-%d") == row["date"], doc_id
    assert set(from_url.index) <= set(manifest.index[manifest["date"] == ""])
    assert abs((len(no_date) + len(from_url)) / len(df) - 0.16) < 0.03
    # fields mapped from the JSON keys; unmapped keys kept in `extra`
    sample = json.loads(jsons[0].read_text("utf-8"))
    got = by_id.loc[sample["ID"]]
    assert got["title"] == sample["title"] and got["url"] == sample["url"]
    assert got["outlet"] == sample["source"]
    assert json.loads(got["extra"])["bias_text"] == sample["bias_text"]
    assert (df["n_words"] > 20).mean() > 0.98
