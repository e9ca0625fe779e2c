"""load_corpus reads big JSONL and CSV files (and gzipped ones) in blocks: the same table and
report as reading them whole, in bounded memory, with every record accounted for."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newslab.corpus as nc
import newslab.corpus.load as load_mod

SENTENCES = [
    "Xi Jinping arrived in Moscow on Monday for three days of talks with Vladimir Putin.",
    "Judges in The Hague issued an arrest warrant for Vladimir Putin on Friday.",
    "Alexander Lukashenko began a state visit to Beijing on Tuesday, officials said.",
    'Wang Yi met Sergei Lavrov in Moscow and spoke of a "new era", reporters said.',
]


def _load(path: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch, **kw) -> pd.DataFrame:
    """Load ``path`` read in blocks of 97 bytes (``streamed``) or whole."""
    with monkeypatch.context() as m:
        m.setattr(load_mod, "STREAM_BYTES", -1 if streamed else 2**40)
        m.setattr(load_mod, "STREAM_BLOCK", 97)
        return nc.load_corpus(path, progress=False, dedupe=False, **kw)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b)
    ra, rb = nc.get_report(a), nc.get_report(b)
    for table in ("files", "issues", "removed"):
        pd.testing.assert_frame_equal(getattr(ra, table), getattr(rb, table))


def _jsonl_lines() -> list[str]:
    lines = []
    for i in range(40):
        rec = {
            "id": f"r{i}",
            "title": f"Story {i}",
            "text": SENTENCES[i % 4] + "\n\n" + SENTENCES[(i + 1) % 4],
        }
        if i % 7 == 0:
            rec["date"] = f"2023-03-{1 + i % 28:02d}"
        if i % 9 == 0:
            rec["text"] = "Leaders met.\u2028They agreed \u2014 Kyiv\u2019s view. " + SENTENCES[0]
        lines.append(json.dumps(rec, ensure_ascii=i % 2 == 0))
    lines[5] = '{"id": "broken", "text": "unterminated'
    lines[11] = json.dumps({"id": "r11", "title": "No text", "text": ""})
    lines.insert(20, "")
    return lines


def test_jsonl_in_blocks_is_the_same_as_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "feed.jsonl").write_text("\r\n".join(_jsonl_lines()) + "\r\n", "utf-8")
    whole = _load(tmp_path, False, monkeypatch)
    blocks = _load(tmp_path, True, monkeypatch)
    _same(whole, blocks)
    assert len(blocks) == 39 - 1  # 41 lines: a blank one, a broken one, an empty text
    files = nc.get_report(blocks).files
    assert files[["status", "n_articles", "n_skipped"]].values.tolist() == [["partial", 38, 2]]


def test_csv_in_blocks_with_quoted_newlines_and_quotes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    rows = ['id;title;date;"text\n(body)"']
    for i in range(90):  # over 8 KiB: blocks after the first
        text = f'"{SENTENCES[i % 4]}\n\n{SENTENCES[(i + 2) % 4]}"'.replace(
            '"new era"', '""new era""'
        )
        rows.append(f"c{i};Story {i};2023-04-{1 + i % 28:02d};{text}")
    (tmp_path / "export.csv").write_text("\n".join(rows) + "\n", "utf-8")
    whole = _load(tmp_path, False, monkeypatch, text_col="text\n(body)")
    blocks = _load(tmp_path, True, monkeypatch, text_col="text\n(body)")
    _same(whole, blocks)
    assert len(blocks) == 90 and blocks["text"].str.contains('"new era"').sum() > 0
    assert blocks["doc_id"].tolist() == [f"c{i}" for i in range(90)]


def test_gzipped_jsonl_and_a_damaged_tail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = ("\n".join(_jsonl_lines()) + "\n").encode()
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(data))
    whole = _load(tmp_path, False, monkeypatch)
    blocks = _load(tmp_path, True, monkeypatch)
    _same(whole, blocks)
    # a truncated gzip stream: the records before the damage load, the damage is reported
    many = [json.dumps({"id": f"m{i}", "text": f"{SENTENCES[i % 4]} Day {i}."}) for i in range(900)]
    packed = gzip.compress(("\n".join(many) + "\n").encode())
    (tmp_path / "a.jsonl.gz").write_bytes(packed[: len(packed) * 2 // 3])
    df = _load(tmp_path, True, monkeypatch)
    files = nc.get_report(df).files
    assert files["status"].tolist() == ["partial"] and 100 < len(df) < 900
    issues = nc.get_report(df).issues
    assert "undecodable" in set(issues.loc[issues["level"] == "skip", "reason"])


def test_a_record_longer_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    lines = [json.dumps({"id": f"r{i}", "text": SENTENCES[i % 4]}) for i in range(10)]
    lines.append(json.dumps({"id": "huge", "text": "word " * 2400}))  # 12 kB
    lines += [json.dumps({"id": "after", "text": SENTENCES[0]})]
    (tmp_path / "f.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    df = _load(tmp_path, True, monkeypatch, max_file_bytes=10_000)
    assert df["doc_id"].tolist() == [f"r{i}" for i in range(10)] + ["after"]
    files = nc.get_report(df).files
    assert files[["status", "n_articles", "n_skipped"]].values.tolist() == [["partial", 11, 1]]
    issues = nc.get_report(df).issues
    skips = issues[issues["level"] == "skip"]
    assert skips[["record", "reason"]].values.tolist() == [["line 11", "too large"]]
    # in a CSV file a record may span lines: the rest of the file is not read, and it says so
    rows = ["id,text"] + [f"c{i},Leaders met in Moscow on day {i} for talks." for i in range(10)]
    rows += ["huge," + "word " * 2400, "after,Leaders met again in Beijing for talks."]
    (tmp_path / "f.jsonl").unlink()
    (tmp_path / "f.csv").write_text("\n".join(rows) + "\n", "utf-8")
    df = _load(tmp_path, True, monkeypatch, max_file_bytes=10_000)
    assert df["doc_id"].tolist() == [f"c{i}" for i in range(10)]
    issues = nc.get_report(df).issues
    skip = issues[issues["level"] == "skip"]
    assert skip["reason"].tolist() == ["too large"]
    assert "the rest of the file is not read" in skip["detail"].iloc[0]


def test_first_records_without_a_text_field_skip_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    lines = [json.dumps({"id": f"r{i}", "headline": "x"}) for i in range(20)]
    (tmp_path / "f.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    whole = _load(tmp_path, False, monkeypatch)
    blocks = _load(tmp_path, True, monkeypatch)
    assert whole.empty and blocks.empty
    for df in (whole, blocks):
        files = nc.get_report(df).files
        assert files[["status", "reason"]].values.tolist() == [["skipped", "no text field"]]


def test_big_dumps_load_by_default_and_other_formats_keep_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    lines = [json.dumps({"id": f"r{i}", "text": SENTENCES[i % 4]}) for i in range(200)]
    (tmp_path / "f.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "g.txt").write_text(" date 2023-03-20 Kyiv Ledger\nTitle\n\n" + SENTENCES[0] * 40)
    monkeypatch.setattr(load_mod, "STREAM_BLOCK", 1000)
    df = nc.load_corpus(tmp_path, progress=False, max_file_bytes=2000)
    files = nc.get_report(df).files.set_index("format")
    assert files.loc["jsonl", "status"] == "loaded" and files.loc["jsonl", "n_articles"] == 200
    assert files.loc["plaintext", "status"] == "skipped"
    assert files.loc["plaintext", "reason"] == "too large"
    # a format forced on a big file reads it whole: the limit applies
    df = nc.load_corpus(tmp_path / "f.jsonl", progress=False, max_file_bytes=2000, format="json")
    assert nc.get_report(df).files["reason"].tolist() == ["too large"]


def test_workers_and_cache_with_a_file_read_in_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    lines = [json.dumps({"id": f"r{i}", "text": SENTENCES[i % 4]}) for i in range(120)]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "f.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "data" / "s.txt").write_text(
        " date 2023-03-20 Kyiv Ledger\nTitle\n\n" + SENTENCES[1]
    )
    monkeypatch.setattr(load_mod, "STREAM_BYTES", -1)
    monkeypatch.setattr(load_mod, "STREAM_BLOCK", 500)
    one = nc.load_corpus(tmp_path / "data", progress=False)
    two = nc.load_corpus(tmp_path / "data", progress=False, workers=2)
    key = ["doc_id"]
    pd.testing.assert_frame_equal(
        one.sort_values(key).reset_index(drop=True), two.sort_values(key).reset_index(drop=True)
    )
    cache = tmp_path / "cache"
    first = nc.load_corpus(tmp_path / "data", progress=False, cache=cache, dedupe=False)
    again = nc.load_corpus(tmp_path / "data", progress=False, cache=cache, dedupe=False)
    # the cache gives its files first, then the files it parses (the one read in blocks)
    pd.testing.assert_frame_equal(
        first.sort_values(key).reset_index(drop=True),
        again.sort_values(key).reset_index(drop=True),
    )
    assert len(again) == 121
    assert nc.get_report(again).files["n_articles"].sum() == 121


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(_TEXT, min_size=1, max_size=25),
    csv_format=st.booleans(),
    block=st.integers(min_value=1, max_value=300),
)
def test_blocks_of_any_size_give_the_whole_file_s_result(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], csv_format: bool, block: int
):
    folder = tmp_path_factory.mktemp("s")
    if csv_format:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "text"])
        writer.writerows([f"r{i}", t] for i, t in enumerate(texts))
        (folder / "f.csv").write_text(out.getvalue(), "utf-8")
    else:
        body = "\n".join(json.dumps({"id": f"r{i}", "text": t}) for i, t in enumerate(texts))
        (folder / "f.jsonl").write_text(body + "\n", "utf-8")
    with pytest.MonkeyPatch.context() as m:
        m.setattr(load_mod, "STREAM_BLOCK", block)
        m.setattr(load_mod, "STREAM_BYTES", 2**40)
        whole = nc.load_corpus(folder, progress=False, dedupe=False)
        m.setattr(load_mod, "STREAM_BYTES", -1)
        blocks = nc.load_corpus(folder, progress=False, dedupe=False)
    _same(whole, blocks)
    files = nc.get_report(blocks).files
    assert files["n_articles"].sum() + files["n_skipped"].sum() == len(texts) or (
        files["status"].tolist() == ["skipped"]
    )
