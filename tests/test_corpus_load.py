"""load_corpus: sources, formats, encodings, the load report, duplicates, cache."""

from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newslab.corpus as nc
import newslab.corpus.load as load_mod
from newslab import schema
from newslab.corpus.decode import DecodeError, decode_bytes
from newslab.corpus.load import parse_bytes

STORY = (
    " date 2023-03-20 Kyiv Ledger\nXi lands in Moscow\n\nBy Oksana\n\n"
    "Xi Jinping arrived in Moscow on Monday for three days of talks with Vladimir Putin.\n\n"
    "The two leaders are expected to sign a joint statement on Tuesday, officials said.\n\n"
    "Ukraine's foreign minister Dmytro Kuleba urged Beijing to press Moscow to withdraw its troops.\n"
)
OTHER = (
    " date 2023-03-17 Kyiv Ledger\nCourt issues warrant for Putin\n\n"
    "Judges in The Hague issued an arrest warrant for Vladimir Putin on Friday over deported children.\n"
)


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    write(tmp_path, "100_aaaa.txt", STORY)
    write(tmp_path, "sub/101_bbbb.txt", OTHER)
    write(tmp_path, "900_empty.txt", b"")
    write(tmp_path, "901_blank.txt", "  \n\n \t\n")
    write(tmp_path, "902_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path, "notes.md", "# scraper log\nran ok\n")
    return tmp_path


def report_of(df: pd.DataFrame) -> nc.LoadReport:
    return nc.get_report(df)


def test_folder_every_file_accounted_for(corpus_dir: Path):
    df = nc.load_corpus(corpus_dir, progress=False)
    assert sorted(df["doc_id"]) == ["100_aaaa", "101_bbbb"]
    rep = report_of(df)
    files = rep.files.set_index(rep.files["source_path"].map(lambda p: Path(p).name))
    n_files = sum(1 for p in corpus_dir.rglob("*") if p.is_file())
    assert len(files) == n_files
    assert files.loc["900_empty.txt", "reason"] == "empty"
    assert files.loc["901_blank.txt", "reason"] == "empty"
    assert files.loc["902_binary.txt", "reason"] == "binary"
    assert files.loc["notes.md", "reason"] == "unsupported"
    assert files.loc["100_aaaa.txt", "status"] == "loaded"
    assert "4 skipped" in str(rep)
    assert list(df.columns) == list(schema.ARTICLES)


def test_schema_and_fields(corpus_dir: Path):
    df = nc.load_corpus(corpus_dir, progress=False).set_index("doc_id")
    row = df.loc["100_aaaa"]
    assert row["title"] == "Xi lands in Moscow"
    assert row["published"] == pd.Timestamp("2023-03-20")
    assert row["date_precision"] == "day"
    assert row["outlet"] == "Kyiv Ledger" and row["author"] == "Oksana"
    assert row["n_words"] == len(row["text"].split())
    assert row["lang"] == "en"
    assert df["published"].dt.tz is None


def test_glob_list_and_single_file(corpus_dir: Path):
    by_glob = nc.load_corpus(str(corpus_dir / "**" / "1*.txt"), progress=False)
    assert sorted(by_glob["doc_id"]) == ["100_aaaa", "101_bbbb"]
    single = nc.load_corpus(corpus_dir / "100_aaaa.txt", progress=False)
    assert single["doc_id"].tolist() == ["100_aaaa"]
    listed = nc.load_corpus(
        [corpus_dir / "100_aaaa.txt", corpus_dir / "100_aaaa.txt"], progress=False
    )
    assert listed["doc_id"].tolist() == ["100_aaaa"]
    assert report_of(listed).files["reason"].tolist()[1] == "duplicate"


def test_missing_source_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        nc.load_corpus(tmp_path / "nope", progress=False)
    with pytest.raises(FileNotFoundError, match="no files match"):
        nc.load_corpus(str(tmp_path / "*.zzz"), progress=False)
    with pytest.raises(ValueError, match="format must be one of"):
        nc.load_corpus(tmp_path, format="docx", progress=False)
    with pytest.raises(TypeError, match="unexpected keyword"):
        nc.load_corpus(tmp_path, txt_col="x", progress=False)


def test_zip_and_tar_archives(tmp_path: Path):
    zpath = tmp_path / "dump.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/100_aaaa.txt", STORY)
        zf.writestr("../evil.txt", OTHER)
        zf.writestr("big.txt", "x " * 200_000)
        zf.writestr("bomb.txt", "\n" * 3_000_000)
    df = nc.load_corpus(zpath, progress=False, max_file_bytes=1_000_000)
    assert df["doc_id"].tolist() == ["100_aaaa"]
    reasons = report_of(df).files.set_index("source_path")["reason"]
    assert reasons[f"{zpath}!../evil.txt"] == "unsafe path"
    assert reasons[f"{zpath}!bomb.txt"] == "too large"  # over the size limit and its ratio
    assert reasons[f"{zpath}!big.txt"] == "too large"  # compression ratio of a zip bomb

    tpath = tmp_path / "dump.tar.gz"
    with tarfile.open(tpath, "w:gz") as tf:
        for name, text in (("x/100_aaaa.txt", STORY), ("x/101_bbbb.txt", OTHER)):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("x/link.txt")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    df = nc.load_corpus(tpath, progress=False)
    assert sorted(df["doc_id"]) == ["100_aaaa", "101_bbbb"]
    assert "not a regular file" in report_of(df).files["reason"].fillna("").tolist()


def test_json_jsonl_csv_parquet_and_mapping(tmp_path: Path):
    rec = {
        "id": "gb-1",
        "headline": "Leaders talk peace",
        "body": "Xi Jinping and Volodymyr Zelensky spoke by phone on Wednesday for almost an hour.",
        "published_at": "2023-04-26T18:30:00+03:00",
        "source": "Global Brief",
        "byline": ["Ann Lee", "Bo Chen"],
        "link": "https://globalbrief.example/a",
        "section": "world",
    }
    write(tmp_path, "one.json", json.dumps(rec))
    lines = [
        json.dumps({**rec, "id": "gb-2"}),
        '{"id": "gb-3", "body": "trunc',
        json.dumps({**rec, "id": "gb-4", "body": ""}),
    ]
    write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    write(
        tmp_path,
        "pm.csv",
        "article_id,title,date,outlet,authors,url,text\n"
        'pm-1,Talks,21/03/2023,Policy Monitor,Kim Park,https://pm.example/1,"Xi and Putin met, again.\n\nA second paragraph, with commas."\n'
        "pm-2,No date,,Policy Monitor,,,Text without a date but with words.\n",
    )
    pd.DataFrame([{**rec, "id": "pq-1", "byline": "Ann Lee"}]).to_parquet(tmp_path / "t.parquet")
    df = nc.load_corpus(tmp_path, progress=False).set_index("doc_id")
    assert set(df.index) == {"gb-1", "gb-2", "pm-1", "pm-2", "pq-1"}
    gb = df.loc["gb-1"]
    assert gb["title"] == "Leaders talk peace" and gb["outlet"] == "Global Brief"
    assert gb["author"] == "Ann Lee; Bo Chen" and gb["url"] == "https://globalbrief.example/a"
    assert gb["published"] == pd.Timestamp("2023-04-26 18:30")  # wall-clock time kept, tz dropped
    assert json.loads(gb["extra"]) == {"section": "world"}
    assert df.loc["pm-1", "published"] == pd.Timestamp("2023-03-21")
    assert df.loc["pm-1", "text"] == "Xi and Putin met, again.\n\nA second paragraph, with commas."
    assert pd.isna(df.loc["pm-2", "published"])
    rep = report_of(df.reset_index())
    issues = rep.issues
    assert set(issues.loc[issues["level"] == "skip", "reason"]) == {"invalid JSON", "empty text"}
    assert "no date" in set(issues.loc[issues["level"] == "warning", "reason"])
    status = rep.files.set_index(rep.files["source_path"].map(lambda p: Path(p).name))["status"]
    assert status["feed.jsonl"] == "partial"


def test_column_mapping_override_and_errors(tmp_path: Path):
    write(
        tmp_path,
        "a.jsonl",
        json.dumps({"k": "x1", "story_text": "A body that is long enough.", "when": "2023-03-01"})
        + "\n",
    )
    df = nc.load_corpus(
        tmp_path, text_col="story_text", date_col="when", id_col="k", progress=False
    )
    assert df["doc_id"].tolist() == ["x1"] and df["published"].iloc[0] == pd.Timestamp("2023-03-01")
    df = nc.load_corpus(
        tmp_path, progress=False
    )  # no text field found: the file is skipped, said why
    assert len(df) == 0
    assert report_of(df).files["reason"].tolist() == ["no text field"]
    df = nc.load_corpus(tmp_path, text_col="nope", progress=False)
    assert report_of(df).files["reason"].tolist() == ["column not found"]


def test_encodings(tmp_path: Path):
    text = STORY.replace("Monday", "Monday – “today”, café")
    write(tmp_path, "u16.txt", text.encode("utf-16"))
    write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    write(tmp_path, "w1252.txt", text.encode("cp1252"))
    import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")

    write(tmp_path, "moji.txt", text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"))
    df = nc.load_corpus(tmp_path, progress=False).set_index("doc_id")
    for doc in ("u16", "bom", "w1252", "moji"):
        assert "Monday – “today”, café" in df.loc[doc, "text"], doc
        assert df.loc[doc, "title"] == "Xi lands in Moscow"
    enc = report_of(df.reset_index()).files.set_index(
        report_of(df.reset_index()).files["source_path"].map(lambda p: Path(p).stem)
    )
    assert enc.loc["u16", "encoding"] == "utf-16 (BOM)"
    assert enc.loc["w1252", "encoding"] == "cp1252"
    assert "encoding repaired" in enc.loc["moji", "warnings"]


def test_decode_rejects_binary():
    with pytest.raises(DecodeError) as err:
        decode_bytes(b"\x00\x01\x02abc")
    assert err.value.reason == "binary"


def test_date_warnings(tmp_path: Path):
    write(tmp_path, "future.txt", STORY.replace("2023-03-20", "2031-05-01"))
    write(tmp_path, "old.txt", STORY.replace("2023-03-20", "1023-03-10"))
    write(tmp_path, "nodate.txt", STORY.replace(" date 2023-03-20 Kyiv Ledger\n", ""))
    write(tmp_path, "far.txt", STORY.replace("2023-03-20", "2262-04-12"))  # past datetime64[ns]
    df = nc.load_corpus(tmp_path, progress=False).set_index("doc_id")
    w = report_of(df.reset_index()).warnings().set_index("doc_id")["reason"]
    assert w["future"] == "date in the future"
    assert w["far"] == "date out of range" and pd.isna(df.loc["far", "published"])
    details = report_of(df.reset_index()).warnings().set_index("doc_id")["detail"]
    assert details["far"] == "2262-04-12" and details["old"] == "1023-03-10"
    assert df["published"].dtype == "datetime64[ns]"
    assert w["old"] == "date before 1900" and pd.isna(df.loc["old", "published"])
    assert w["nodate"] == "no date" and df.loc["nodate", "date_precision"] == "none"
    assert df.loc["future", "published"] == pd.Timestamp("2031-05-01")  # kept, but flagged


def test_duplicates_flagged_not_removed(tmp_path: Path):
    write(tmp_path, "100_a.txt", STORY)
    write(tmp_path, "101_copy.txt", STORY)  # byte-identical copy
    synd = (
        STORY.replace(" date 2023-03-20 Kyiv Ledger", " date 2023-03-21 Newsroll").replace(
            "officials said.", "officials said on Monday."
        )
        + "\nRead the original article on Kyiv Ledger\n"
    )
    write(tmp_path, "102_synd.txt", synd)
    write(tmp_path, "103_other.txt", OTHER)
    df = nc.load_corpus(tmp_path, progress=False).set_index("doc_id")
    assert len(df) == 4
    g = df["dup_group"]
    assert g["100_a"] == g["101_copy"] == g["102_synd"] and pd.isna(g["103_other"])
    assert df.loc["100_a", "dup_kind"] == "exact" and df.loc["102_synd", "dup_kind"] == "near"
    kept = nc.drop_duplicates(df.reset_index())
    assert sorted(kept["doc_id"]) == ["100_a", "103_other"]  # earliest of the group kept
    assert nc.load_corpus(tmp_path, dedupe=False, progress=False)["dup_group"].isna().all()


def test_doc_ids_stay_unique(tmp_path: Path):
    write(tmp_path, "a/100_x.txt", STORY)
    write(tmp_path, "b/100_x.txt", OTHER)
    df = nc.load_corpus(tmp_path, progress=False)
    assert df["doc_id"].is_unique and len(df) == 2
    assert all(d.startswith("100_x~") for d in df["doc_id"])


def test_save_read_roundtrip_keeps_report(tmp_path: Path, corpus_dir: Path):
    df = nc.load_corpus(corpus_dir, progress=False)
    path = nc.save_corpus(df, tmp_path / "out" / "corpus.parquet")
    back = nc.read_corpus(path)
    pd.testing.assert_frame_equal(back, df)
    rep, rep2 = report_of(df), report_of(back)
    assert rep2.files["reason"].tolist() == rep.files["reason"].tolist()
    assert len(rep2.removed) == len(rep.removed) > 0


def test_pandas_to_parquet_writes_a_loaded_table_with_the_report_counts(
    tmp_path: Path, corpus_dir: Path
):
    df = nc.load_corpus(corpus_dir, progress=False)
    report = report_of(df)
    assert json.loads(json.dumps(df.attrs))["load_report"] == report.counts()
    assert report.counts()["inputs"] == 6 and report.counts()["articles"] == 2
    assert report.counts()["skipped"] == 4 and report.counts()["removed_lines"] == len(
        report.removed
    )
    df.to_parquet(tmp_path / "plain.parquet")  # pandas writes attrs as JSON: this raised before
    back = pd.read_parquet(tmp_path / "plain.parquet")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert back.attrs["load_report"] == report.counts()
    with pytest.raises(KeyError, match="save_corpus"):
        nc.get_report(back)
    # the report stays one shared object through pandas operations
    assert report_of(df[df["n_words"] > 0].copy()) is report and report


def test_cache_reuses_unchanged_files(tmp_path: Path, corpus_dir: Path, monkeypatch):
    cache = tmp_path / "cache"
    first = nc.load_corpus(corpus_dir, cache=cache, progress=False)
    calls: list[str] = []
    real = load_mod._parse_bytes

    def spy(data, *, source_path, name, opts=None):
        calls.append(name)
        return real(data, source_path=source_path, name=name, opts=opts)

    monkeypatch.setattr(load_mod, "_parse_bytes", spy)
    second = nc.load_corpus(corpus_dir, cache=cache, progress=False)
    assert calls == []  # nothing parsed again
    pd.testing.assert_frame_equal(first, second)
    assert report_of(second).files["reason"].tolist() == report_of(first).files["reason"].tolist()
    # change one file: only it is parsed again
    target = corpus_dir / "100_aaaa.txt"
    target.write_text(STORY.replace("Xi lands in Moscow", "Xi arrives in Moscow"), "utf-8")
    os.utime(target, ns=(1, 1))
    third = nc.load_corpus(corpus_dir, cache=cache, progress=False)
    assert calls == ["100_aaaa.txt"]
    assert "Xi arrives in Moscow" in third["title"].tolist()


def test_report_html_is_escaped(tmp_path: Path):
    write(tmp_path, "<script>alert(1)</script>.md", "x")
    df = nc.load_corpus(tmp_path, progress=False)
    html = report_of(df)._repr_html_()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_iter_corpus_chunks_cover_everything(corpus_dir: Path):
    for i in range(5):
        write(corpus_dir, f"more/2{i:02d}_c.txt", OTHER.replace("Friday", f"Friday {i}"))
    chunks = list(nc.iter_corpus(corpus_dir, chunk_size=3, progress=False))
    assert len(chunks) >= 2
    ids = pd.concat(chunks)["doc_id"]
    assert ids.is_unique and len(ids) == 7
    assert sum(report_of(c).n_files for c in chunks) == sum(
        1 for p in corpus_dir.rglob("*") if p.is_file()
    )


def test_parallel_workers_give_the_same_table(corpus_dir: Path):
    a = nc.load_corpus(corpus_dir, progress=False)
    b = nc.load_corpus(corpus_dir, workers=2, progress=False)
    key = ["doc_id"]
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.csv", "a.parquet", "a.xyz"]),
)
def test_arbitrary_bytes_never_crash(data: bytes, name: str):
    res = parse_bytes(data, source_path=name, name=name)
    assert res.status in {"loaded", "partial", "skipped"}
    if res.status == "skipped":
        assert res.reason
    for art in res.articles:
        assert isinstance(art["text"], str) and art["text"].strip()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), min_size=0, max_size=30))
def test_arbitrary_text_lines_never_crash_and_nothing_is_lost(lines: list[str]):
    text = "\n".join(lines)
    res = parse_bytes(text.encode("utf-8"), source_path="x.txt", name="x.txt")
    assert res.status in {"loaded", "skipped"}
    if res.status == "loaded":
        art = res.articles[0]
        body_words = set(art["text"].split()) | set((art["title"] or "").split())
        removed = " ".join(r[3] for r in res.removed)
        # every word of the input ends up in the title, the body, or a removed line
        # (HTML tags/entities are decoded, so compare only words without < & >; mojibake such
        # as "Â¡" is repaired with a warning, so the words are those of the decoded text)
        for w in decode_bytes(text.encode("utf-8")).text.split():
            if not any(c in w for c in "<>&") and w.isprintable():
                assert w in body_words or w in removed or w in (art["url"] or ""), w


def _assert_every_record_reported(folder: Path, n_records: int) -> None:
    """Load the one file in ``folder``: each record is a row or a recorded skip, unless the
    whole file is skipped with a reason; texts are non-empty and ids unique."""
    df = nc.load_corpus(folder, progress=False)
    files, issues = report_of(df).files, report_of(df).issues
    assert len(files) == 1
    assert df["doc_id"].is_unique
    assert all(isinstance(t, str) and t.strip() for t in df["text"])
    if files.loc[0, "status"] == "skipped":
        assert df.empty and files.loc[0, "reason"]
    else:
        assert len(df) + int((issues["level"] == "skip").sum()) == n_records


# Any code point, surrogates included (JSON can carry them as \ud800 escapes).
_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
_RECORD = st.tuples(
    st.fixed_dictionaries({"title": _ANY_TEXT, "text": _ANY_TEXT, "date": _ANY_TEXT}),
    st.dictionaries(_ANY_TEXT, _ANY_TEXT, max_size=2),
).map(lambda parts: {**parts[1], **parts[0]})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(_RECORD, min_size=1, max_size=6), fmt=st.sampled_from(["json", "jsonl"]))
def test_arbitrary_records_load_into_a_table_and_every_record_is_reported(
    tmp_path_factory: pytest.TempPathFactory, records: list[dict], fmt: str
):
    # The whole load (parse, typed table, duplicates), not only parse_bytes: this found that a
    # lone surrogate escape crashed the typed table.
    folder = tmp_path_factory.mktemp("records")
    if fmt == "json":
        (folder / "a.json").write_text(json.dumps(records), encoding="ascii")
    else:
        lines = [json.dumps(r) for r in records]
        (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="ascii")
    _assert_every_record_reported(folder, len(records))


_CSV_TEXT = st.text(max_size=60)  # any code point a UTF-8 file can hold


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"title": _CSV_TEXT, "text": _CSV_TEXT, "date": _CSV_TEXT, "note": _CSV_TEXT}
        ),
        min_size=1,
        max_size=6,
    ),
    delimiter=st.sampled_from([",", "\t"]),
)
def test_arbitrary_csv_rows_load_into_a_table_and_every_row_is_reported(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict], delimiter: str
):
    import csv

    folder = tmp_path_factory.mktemp("csv")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["title", "text", "date", "note"], delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    name = "a.csv" if delimiter == "," else "a.tsv"
    (folder / name).write_text(buf.getvalue(), encoding="utf-8", newline="")
    _assert_every_record_reported(folder, len(rows))


def test_whitespace_control_characters_separate_words():
    # Found by the property test above: "000\x1f1" lost the word "1" (the unit separator was
    # deleted, gluing "0001"). Control characters that count as whitespace become spaces.
    filler = " The delegations met for several hours in the old palace by the river." * 4
    text = "Talks\x1fended in Minsk\x0bon Friday and\x1eboth sides left.\x01" + filler
    res = parse_bytes(text.encode("utf-8"), source_path="x.txt", name="x.txt")
    body = res.articles[0]["text"] + " " + (res.articles[0]["title"] or "")
    assert set(text.split()) - {"left.\x01"} <= set(body.split())
    assert "\x01" not in body and "\x1f" not in body
    assert ("x.txt", "", None, "warning", "control characters removed", "") in res.issues


def test_ingest_dataset_streams_and_flags_duplicates_across_chunks(tmp_path: Path):
    src = tmp_path / "src"
    write(src, "100_a.txt", STORY)
    for i in range(6):
        write(src, f"1{i + 1:02d}_o.txt", OTHER.replace("Friday", f"Friday and day {i} of talks"))
    write(src, "z/100_a.txt", STORY)  # same name, other folder, exact copy, lands in a later chunk
    out = nc.ingest(src, tmp_path / "ds", chunk_size=3, progress=False)
    parts = sorted((out / "articles").glob("part-*.parquet"))
    assert len(parts) == 3
    df = nc.read_dataset(out)
    assert len(df) == 8 and df["doc_id"].is_unique
    assert list(df.columns) == list(schema.ARTICLES)
    copies = df[df["source_path"].str.endswith("100_a.txt")]
    assert copies["dup_group"].nunique() == 1 and copies["dup_group"].notna().all()
    assert (copies["dup_kind"] == "exact").all()
    rep = report_of(df)
    assert rep.n_files == 8 and len(rep.removed) > 0
    # the same table as loading everything at once (up to row order and ids)
    whole = nc.load_corpus(src, progress=False)
    assert sorted(whole["title"]) == sorted(df["title"])
    sizes = [len(c) for c in nc.iter_dataset(out, columns=["title"])]
    assert sizes == [3, 3, 2]
    with pytest.raises(FileExistsError):
        nc.ingest(src, out, progress=False)


@pytest.mark.parametrize("name", ["a.jsonl", "a.json"])
def test_lone_surrogate_escapes_are_replaced_and_reported(tmp_path: Path, name: str):
    # JSON may escape half of a surrogate pair; no UTF-8 table can hold the result
    rec = (
        '{"title": "Talks \\ud800", "text": "Leaders met in Beijing \\udc00 on Tuesday. '
        'Emoji pair \\ud83d\\ude00 kept.", "date": "2023-03-01", "tags": ["\\ud801"]}'
    )
    (tmp_path / name).write_text(rec + "\n", encoding="ascii")
    df = nc.load_corpus(tmp_path, progress=False)
    assert df.loc[0, "text"] == "Leaders met in Beijing \ufffd on Tuesday. Emoji pair 😀 kept."
    assert df.loc[0, "title"] == "Talks \ufffd"
    assert json.loads(df.loc[0, "extra"]) == {"tags": ["\ufffd"]}
    files = df.attrs["load_report"].files
    assert files["status"].tolist() == ["loaded"]
    assert "surrogate" in files.loc[0, "warnings"]
    # a valid pair alone is no warning
    (tmp_path / name).write_text(
        rec.replace("\\ud800", "").replace("\\udc00", "").replace("\\ud801", "x") + "\n"
    )
    files = nc.load_corpus(tmp_path, progress=False).attrs["load_report"].files
    assert pd.isna(files.loc[0, "warnings"])


def test_parquet_with_invalid_utf8_is_loaded_with_a_warning_or_skipped(tmp_path: Path):
    # Parquet does not check that a string column is UTF-8 (other writers may store anything)
    import pyarrow as pa
    import pyarrow.parquet as pq

    bad = pa.array(
        [b"Leaders met in Beijing \xff on Tuesday.", b"The talks went on for two days."],
        pa.binary(),
    )
    table = pa.table(
        {"title": ["a", "b"], "text": bad.view(pa.string()), "date": ["2023-03-01", "2023-03-02"]}
    )
    pq.write_table(table, tmp_path / "a.parquet")
    df = nc.load_corpus(tmp_path, progress=False)
    assert df["text"].tolist() == [
        "Leaders met in Beijing \ufffd on Tuesday.",
        "The talks went on for two days.",
    ]
    files = report_of(df).files
    assert files.loc[0, "status"] == "loaded" and "invalid UTF-8" in files.loc[0, "warnings"]

    nested = pa.ListArray.from_arrays([0, 1, 2], bad.view(pa.string()))
    pq.write_table(table.append_column("tags", nested), tmp_path / "a.parquet")
    df = nc.load_corpus(tmp_path, progress=False)
    files = report_of(df).files
    assert df.empty
    assert files.loc[0, ["status", "reason"]].tolist() == ["skipped", "undecodable"]
    assert "tags" in report_of(df).issues.loc[0, "detail"]


def test_records_with_only_boilerplate_keep_their_removed_lines(tmp_path: Path):
    rows = [
        {"title": "Talks", "text": "Read also: another story", "date": "2023-03-01"},
        {"title": "More", "text": "Leaders met in Beijing on Tuesday for talks.", "date": ""},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    df = nc.load_corpus(tmp_path, progress=False)
    rep = report_of(df)
    assert len(df) == 1
    skip = rep.issues[rep.issues["level"] == "skip"]
    assert skip[["doc_id", "reason"]].values.tolist() == [["a:1", "no article text"]]
    assert rep.removed[["doc_id", "rule", "text"]].values.tolist() == [
        ["a:1", "read_also", "Read also: another story"]
    ]


def test_records_that_leave_out_empty_keys_are_mapped_each(tmp_path: Path):
    # scrapers' JSON lines often leave a key out when its value is empty: a later record's
    # date and author are still its date and author, and a record without the text field the
    # others have is skipped alone
    body = "Leaders met in Beijing on Tuesday for talks on trade."
    rows = [
        {"title": "A", "text": body},
        {"title": "B", "text": body, "date": "2023-03-01", "author": "Ann Lee"},
        {"title": "C"},
        {"title": "D", "date": "2023-03-02", "text": body},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    df = nc.load_corpus(tmp_path, progress=False).set_index("title")
    assert df["published"].dt.strftime("%Y-%m-%d").fillna("-").tolist() == [
        "-",
        "2023-03-01",
        "2023-03-02",
    ]
    assert df["author"].fillna("-").tolist() == ["-", "Ann Lee", "-"]
    assert df["extra"].isna().all()
    rep = report_of(df)
    assert rep.files[["status", "n_articles", "n_skipped"]].values.tolist() == [["partial", 3, 1]]
    skip = rep.issues[rep.issues["level"] == "skip"]
    assert skip[["record", "reason"]].values.tolist() == [["line 3", "no text field"]]
    # a file whose first record has no text field is still skipped whole, as before
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows[2:]) + "\n")
    rep = report_of(nc.load_corpus(tmp_path, progress=False))
    assert rep.files["reason"].tolist() == ["no text field"]


def test_a_date_in_the_url_is_the_date_of_last_resort(tmp_path: Path):
    body = "Leaders met in Beijing on Tuesday for talks on trade."
    rows = [
        {"title": "A", "url": "https://news.example.org/world/2023/03/13/talks/", "text": body},
        {"title": "B", "url": "https://news.example.org/2023/02/talks-in-beijing", "text": body},
        {"title": "C", "url": "https://news.example.org/a/2023-03-20-moscow.html", "text": body},
        {
            "title": "D",
            "url": "https://news.example.org/2023/03/13/x",
            "date": "2023-03-14",
            "text": body,
        },
        {"title": "E", "url": "https://news.example.org/world-asia-64420913", "text": body},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (tmp_path / "b.txt").write_text(
        f"Talks in Beijing\n\n{body}\n\nOriginal url: https://ledger.example/2023/04/26/call\n"
    )
    df = nc.load_corpus(tmp_path, progress=False).set_index("title")
    got = df["published"].dt.strftime("%Y-%m-%d").fillna("-") + " " + df["date_precision"]
    assert got.to_dict() == {
        "A": "2023-03-13 day",
        "B": "2023-02-01 month",
        "C": "2023-03-20 day",
        "D": "2023-03-14 day",  # the record's own date wins
        "E": "- none",
        "Talks in Beijing": "2023-04-26 day",
    }
    warnings = report_of(df).issues.query("level == 'warning'")
    said = sorted(zip(warnings["doc_id"], warnings["reason"], warnings["detail"], strict=True))
    assert said == [
        ("a:1", "date from url", "2023-03-13"),
        ("a:2", "date from url", "2023-02-01"),
        ("a:3", "date from url", "2023-03-20"),
        ("a:5", "no date", ""),
        ("b", "date from url", "2023-04-26"),
    ]


def test_records_bylines_above_the_outlet_give_the_author(tmp_path: Path):
    body = "Leaders met in Beijing on Tuesday and signed several agreements on trade."

    def row(title: str, text: str, authors: str = "") -> dict[str, str]:
        return {"title": title, "source": "Kyiv Ledger", "authors": authors, "text": text}

    rows = [
        row("A", f"Ann Lee, and Tom Hart\n\nKyiv Ledger\n\n{body}"),
        row("B", f"Ann Lee\n\nSpecial for Kyiv Ledger\n\n{body}"),
        row("C", f"Ann Lee\n\nKyiv Ledger\n\n{body}", authors="Olena P"),
        row("D", f"KYIV LEDGER\n\n{body}"),
        # not a byline: names not followed by the outlet, or the outlet after a paragraph
        row("E", f"Ann Lee and Tom Hart\n\n{body}"),
        row("F", f"{body}\n\nKyiv Ledger\n\nMore."),
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    df = nc.load_corpus(tmp_path, progress=False).set_index("title")
    assert df["author"].fillna("-").tolist() == [
        "Ann Lee; Tom Hart",
        "Ann Lee",
        "Olena P",
        "-",
        "-",
        "-",
    ]
    assert df.loc[["A", "B", "C", "D"], "text"].eq(body).all()
    assert df.loc["E", "text"] == f"Ann Lee and Tom Hart\n\n{body}"
    assert df.loc["F", "text"] == f"{body}\n\nKyiv Ledger\n\nMore."
    removed = report_of(df).removed
    assert removed[["doc_id", "rule", "text"]].values.tolist() == [
        ["a:1", "byline", "Ann Lee, and Tom Hart"],
        ["a:1", "outlet_credit", "Kyiv Ledger"],
        ["a:2", "byline", "Ann Lee"],
        ["a:2", "outlet_credit", "Special for Kyiv Ledger"],
        ["a:3", "byline", "Ann Lee"],
        ["a:3", "outlet_credit", "Kyiv Ledger"],
        ["a:4", "outlet_credit", "KYIV LEDGER"],
    ]


def test_corrupt_compressed_inputs_are_recorded_skips(tmp_path: Path):
    import gzip

    story = STORY.encode("utf-8")
    packed = gzip.compress(story)
    (tmp_path / "bad.txt.gz").write_bytes(packed[:20] + b"\x00garbage" * 5 + packed[-8:])
    (tmp_path / "cut.txt.gz").write_bytes(packed[:-10])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("100_ok.txt", story)
        zf.writestr("200_damaged.txt", STORY.replace("Moscow", "Minsk") * 20)
    raw = bytearray(buf.getvalue())
    start = raw.index(b"200_damaged.txt") + len("200_damaged.txt") + 40  # inside its data
    raw[start : start + 30] = b"\xaa" * 30
    (tmp_path / "pack.zip").write_bytes(bytes(raw))
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as tf:
        info = tarfile.TarInfo("300_a.txt")
        info.size = len(story)
        tf.addfile(info, io.BytesIO(story))
    (tmp_path / "cut.tar.gz").write_bytes(tar.getvalue()[: len(tar.getvalue()) // 2])
    df = nc.load_corpus(tmp_path, progress=False)
    files = report_of(df).files.set_index("source_path")
    bad, cut = str(tmp_path / "bad.txt.gz"), str(tmp_path / "cut.txt.gz")
    assert files.loc[bad, "reason"] == files.loc[cut, "reason"] == "undecodable"
    assert files.loc[str(tmp_path / "pack.zip") + "!100_ok.txt", "status"] == "loaded"
    damaged = files.loc[str(tmp_path / "pack.zip") + "!200_damaged.txt"]
    assert damaged["status"] == "skipped" and damaged["reason"] == "undecodable"
    tar_rows = files[files.index.str.startswith(str(tmp_path / "cut.tar.gz"))]
    assert (tar_rows["status"] == "skipped").all() and len(tar_rows) >= 1
    issues = report_of(df).issues
    assert issues.loc[issues["source_path"] == bad, "detail"].str.startswith("corrupt").all()
    assert df["doc_id"].tolist() == ["100_ok"]
    # with worker processes, archive members and gzipped files are read in this process: a
    # damaged one is the same recorded skip (it crashed the load before)
    par = nc.load_corpus(tmp_path, progress=False, workers=2)
    pd.testing.assert_frame_equal(par, df)
    for table in ("files", "issues"):
        a, b = getattr(report_of(df), table), getattr(report_of(par), table)
        key = list(a.columns[:2])
        pd.testing.assert_frame_equal(
            a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
        )


def _packed(kind: str) -> bytes:
    """A small valid compressed input of ``kind`` holding two articles."""
    import gzip

    story, other = STORY.encode("utf-8"), OTHER.encode("utf-8")
    if kind == "gz":
        return gzip.compress(story)
    buf = io.BytesIO()
    if kind == "parquet":
        pd.DataFrame(
            {"title": ["Xi lands", "Talks"], "text": [STORY, OTHER], "date": ["2023-03-20", ""]}
        ).to_parquet(buf)
        return buf.getvalue()
    if kind == "zip":
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("100_a.txt", story)
            zf.writestr("200_b.txt.gz", gzip.compress(other))
        return buf.getvalue()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in (("100_a.txt", story), ("200_b.txt", other)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_a_zip_member_without_a_name_is_a_recorded_skip(tmp_path: Path):
    # hypothesis found it: one byte zeroed in a zip's header left a member named "", and
    # zipfile's is_dir() raised IndexError on it
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.writestr("100_a.txt", STORY)
        zf.writestr(zipfile.ZipInfo(""), OTHER)
    df = nc.load_corpus(tmp_path, progress=False)
    files = report_of(df).files.set_index("source_path")
    assert len(df) == 1 and files.loc[f"{tmp_path / 'a.zip'}!100_a.txt", "status"] == "loaded"
    row = files.loc[f"{tmp_path / 'a.zip'}!"]
    assert (row["status"], row["reason"], row["bytes"]) == ("skipped", "bad archive", len(OTHER))


_NAMES = {"gz": "a.txt.gz", "zip": "a.zip", "tar": "a.tar.gz", "parquet": "a.parquet"}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(sorted(_NAMES)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_damaged_binary_inputs_never_crash_the_load(
    tmp_path_factory: pytest.TempPathFactory, kind: str, flips: list, cut: float | None
):
    data = bytearray(_packed(kind))
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    folder = tmp_path_factory.mktemp("damaged")
    (folder / _NAMES[kind]).write_bytes(bytes(data))
    df = nc.load_corpus(folder, progress=False)
    files = report_of(df).files
    assert len(files) >= 1
    assert files["status"].isin(["loaded", "partial", "skipped"]).all()
    assert files.loc[files["status"] == "skipped", "reason"].notna().all()
    assert files["n_articles"].sum() == len(df)
