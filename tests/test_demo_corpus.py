"""The demo corpus loads as its annotators say (data/gold/*.json, written with the articles)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import newslab as nl
from tests.conftest import ROOT

GOLD_FILES = sorted((ROOT / "data" / "gold").glob("demo-*.json"))


def gold_entries() -> list[dict]:
    entries: list[dict] = []
    for path in GOLD_FILES:
        entries.extend(json.loads(path.read_text("utf-8")))
    return entries


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return nl.load_corpus([ROOT / "data" / "demo", ROOT / "data" / "demo-feeds"], progress=False)


def _norm_author(value: str | None) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.replace(" and ", "; ")


def _row_for(df: pd.DataFrame, entry: dict) -> pd.Series:
    path = str(ROOT / entry["file"])
    rows = df[df["source_path"] == path]
    if "row" in entry:  # a record of a JSONL/CSV feed: find it by title
        rows = rows[rows["title"] == entry["title"]]
    assert len(rows) == 1, (entry["file"], entry.get("row"), len(rows))
    return rows.iloc[0]


def test_gold_covers_every_demo_file():
    files = {
        str(p.relative_to(ROOT))
        for d in ("data/demo", "data/demo-feeds")
        for p in (ROOT / d).iterdir()
    }
    annotated = {e["file"] for e in gold_entries()}
    assert files == annotated


def test_corpus_size_and_outlets(demo: pd.DataFrame):
    txt = demo[demo["format"] == "plaintext"]
    assert len(txt) >= 60
    assert txt["outlet"].nunique() >= 6
    assert txt["published"].min() >= pd.Timestamp("2023-01-01")
    assert txt["published"].max() < pd.Timestamp("2023-05-01") or txt[
        "published"
    ].max() > pd.Timestamp("2030-01-01")


@pytest.mark.parametrize(
    "entry",
    [e for e in gold_entries() if e.get("expect", "loaded") == "loaded"],
    ids=lambda e: f"{Path(e['file']).name}:{e.get('row', '')}",
)
def test_article_fields_match_gold(demo: pd.DataFrame, entry: dict):
    row = _row_for(demo, entry)
    assert row["title"] == entry["title"]
    if entry.get("published"):
        want = pd.Timestamp(entry["published"])
        assert row["published"].normalize() == want
    else:
        assert pd.isna(row["published"])
    assert row["date_precision"] == entry["date_precision"]
    assert row["outlet"] == entry["outlet"]
    if entry.get("site") and entry["site"] != entry["outlet"]:
        assert row["site"] == entry["site"]
    assert _norm_author(None if pd.isna(row["author"]) else row["author"]) == _norm_author(
        entry.get("author")
    )
    assert (None if pd.isna(row["url"]) else row["url"]) == entry.get("url")
    text = row["text"]
    assert " ".join(text.split()).startswith(entry["body_first_words"]), text[:80]
    assert " ".join(text.split()).endswith(entry["body_last_words"]), text[-80:]
    for line in entry.get("boilerplate", []):
        assert line.strip() not in text, line


def test_duplicates_match_gold(demo: pd.DataFrame):
    for entry in gold_entries():
        for key, kind in (("exact_duplicate_of", "exact"), ("syndicated_of", None)):
            other = entry.get(key)
            if not other:
                continue
            a, b = _row_for(demo, entry), _row_for(demo, {"file": other})
            assert pd.notna(a["dup_group"]) and a["dup_group"] == b["dup_group"], (
                entry["file"],
                other,
            )
            if kind:
                assert a["dup_kind"] == kind
    # nothing else is grouped: every group has a gold link
    linked = {
        e["file"] for e in gold_entries() if e.get("exact_duplicate_of") or e.get("syndicated_of")
    }
    linked |= {e.get("exact_duplicate_of") or e.get("syndicated_of") for e in gold_entries()} - {
        None
    }
    grouped = {
        str(Path(p).relative_to(ROOT)) for p in demo.loc[demo["dup_group"].notna(), "source_path"]
    }
    assert grouped == linked


def test_skips_and_warnings_match_gold(demo: pd.DataFrame):
    report = nl.get_report(demo)
    files = report.files.set_index("source_path")
    issues = report.issues
    for entry in gold_entries():
        path = str(ROOT / entry["file"])
        if entry.get("expect") == "skipped" and "row" not in entry:
            assert files.loc[path, "status"] == "skipped", entry["file"]
            assert files.loc[path, "reason"] == entry["reason"], entry["file"]
        elif entry.get("expect") == "skipped":  # one record of a feed
            here = issues[(issues["source_path"] == path) & (issues["level"] == "skip")]
            assert len(here) >= 1, entry
        for warning in entry.get("warnings", []) or []:
            got = issues[(issues["source_path"] == path) & (issues["level"] == "warning")]["reason"]
            assert warning in set(got) | set(
                files.loc[path, "warnings"].split("; ")
                if pd.notna(files.loc[path, "warnings"])
                else []
            ), (entry["file"], warning)
