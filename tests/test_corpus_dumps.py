"""load_corpus on the dumps news APIs and spreadsheets give: nested records, nested fields,
keys in camelCase or with spaces, a text cut short by its source, CSV delimiters.

The records are made up here, in the shapes of NewsAPI, the Guardian's Open Platform and the
New York Times' Article Search responses.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newslab.corpus as nc
from newslab.corpus import records as rec

BODY = "Xi Jinping arrived in Moscow on Monday for three days of talks with Vladimir Putin."


def _issues(df: pd.DataFrame) -> pd.DataFrame:
    return nc.get_report(df).issues


def test_newsapi_response(tmp_path: Path):
    page = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {
                "source": {"id": None, "name": "Kyiv Ledger"},
                "author": "Ann Lee",
                "title": "Xi lands in Moscow",
                "description": "A state visit.",
                "url": "https://ledger.example/world/xi-lands",
                "publishedAt": "2023-03-20T09:15:00Z",
                "content": BODY[:60] + "… [+2345 chars]",
            },
            {
                "source": {"id": "pm", "name": "Policy Monitor"},
                "author": None,
                "title": "Talks begin",
                "url": "https://pm.example/talks",
                "publishedAt": "2023-03-21T10:00:00Z",
                "content": BODY,
            },
        ],
    }
    (tmp_path / "page1.json").write_text(json.dumps(page), "utf-8")
    df = nc.load_corpus(tmp_path, progress=False).set_index("title")
    first = df.loc["Xi lands in Moscow"]
    assert first["outlet"] == "Kyiv Ledger" and first["author"] == "Ann Lee"
    # publishedAt is the date: no URL date, no 'no date' warning
    assert first["published"] == pd.Timestamp("2023-03-20 09:15")
    assert first["text"] == BODY[:60].rstrip() and "chars]" not in first["text"]
    assert json.loads(first["extra"]) == {"description": "A state visit."}
    assert (
        df.loc["Talks begin", "text"] == BODY
        and df.loc["Talks begin", "outlet"] == "Policy Monitor"
    )
    issues = _issues(df.reset_index())
    assert issues[["doc_id", "level", "reason", "detail"]].values.tolist() == [
        ["page1:0", "warning", "text truncated", "+2345 chars"]
    ]


def test_guardian_response_nested_fields(tmp_path: Path):
    page = {
        "response": {
            "status": "ok",
            "total": 1,
            "pages": 1,
            "results": [
                {
                    "id": "world/2023/mar/20/xi-moscow",
                    "type": "article",
                    "webTitle": "Xi arrives in Moscow",
                    "webUrl": "https://guardian.example/world/2023/mar/20/xi-moscow",
                    "webPublicationDate": "2023-03-20T16:40:00Z",
                    "fields": {"bodyText": BODY, "byline": "Ann Lee", "wordcount": "14"},
                }
            ],
        }
    }
    (tmp_path / "g.json").write_text(json.dumps(page), "utf-8")
    df = nc.load_corpus(tmp_path, progress=False)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["doc_id"] == "world/2023/mar/20/xi-moscow"
    assert row["title"] == "Xi arrives in Moscow" and row["text"] == BODY
    assert row["author"] == "Ann Lee" and row["published"] == pd.Timestamp("2023-03-20 16:40")
    assert row["url"] == "https://guardian.example/world/2023/mar/20/xi-moscow"
    # the mapped nested values are not repeated in extra; the rest of the object is kept
    assert json.loads(row["extra"]) == {"type": "article", "fields": {"wordcount": "14"}}
    assert _issues(df).empty


def test_nyt_response_without_text_is_skipped_and_loads_with_a_named_path(tmp_path: Path):
    doc = {
        "_id": "nyt://article/0001",
        "web_url": "https://nyt.example/2023/03/20/world/xi-moscow.html",
        "abstract": "The visit is his first since the war began.",
        "lead_paragraph": BODY,
        "headline": {"main": "Xi Arrives in Moscow", "print_headline": "Xi in Moscow"},
        "pub_date": "2023-03-20T12:00:00+0000",
        "byline": {"original": "By Ann Lee and Tom Hart", "person": [{"firstname": "Ann"}]},
    }
    (tmp_path / "nyt.json").write_text(
        json.dumps({"status": "OK", "response": {"docs": [doc], "meta": {"hits": 1}}}), "utf-8"
    )
    df = nc.load_corpus(tmp_path, progress=False)
    assert df.empty  # only a lead paragraph and an abstract: no field is the article's text
    files = nc.get_report(df).files
    assert files["status"].tolist() == ["skipped"] and files["reason"].tolist() == ["no text field"]

    df = nc.load_corpus(tmp_path, progress=False, text_col="lead_paragraph")
    row = df.iloc[0]
    assert row["doc_id"] == "nyt://article/0001" and row["title"] == "Xi Arrives in Moscow"
    assert row["author"] == "Ann Lee and Tom Hart"  # "By " removed
    assert row["url"].endswith("/xi-moscow.html") and row["text"] == BODY
    assert row["published"] == pd.Timestamp("2023-03-20 12:00")


def test_a_dotted_path_can_be_named_and_a_missing_one_is_reported(tmp_path: Path):
    recs = [{"meta": {"head": "Talks"}, "payload": {"story": BODY}, "when": "2023-03-20"}]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n", "utf-8")
    df = nc.load_corpus(tmp_path, progress=False, text_col="payload.story", title_col="meta.head")
    assert df[["title", "text"]].values.tolist() == [["Talks", BODY]]
    assert json.loads(df.loc[0, "extra"]) == {"when": "2023-03-20"}  # 'when' is no candidate
    df = nc.load_corpus(tmp_path, progress=False, text_col="payload.body")
    issues = _issues(df)
    assert issues["reason"].tolist() == ["column not found"]


def test_an_article_object_with_a_list_of_objects_is_one_article(tmp_path: Path):
    art = {"title": "Talks", "text": BODY, "images": [{"src": "a.jpg"}, {"src": "b.jpg"}]}
    (tmp_path / "a.json").write_text(json.dumps(art), "utf-8")
    df = nc.load_corpus(tmp_path, progress=False)
    assert df[["title", "text"]].values.tolist() == [["Talks", BODY]]
    assert json.loads(df.loc[0, "extra"]) == {"images": [{"src": "a.jpg"}, {"src": "b.jpg"}]}


def test_records_two_levels_down_and_keys_with_spaces(tmp_path: Path):
    items = [{"Headline": "Talks", "Full Text": BODY, "Publication Date": "20 March 2023"}]
    (tmp_path / "export.json").write_text(json.dumps({"data": {"items": items}}), "utf-8")
    df = nc.load_corpus(tmp_path, progress=False)
    assert df[["title", "text"]].values.tolist() == [["Talks", BODY]]
    assert df.loc[0, "published"] == pd.Timestamp("2023-03-20")


@pytest.mark.parametrize("sep", [";", "|", "\t"])
def test_csv_delimiter_from_the_header(tmp_path: Path, sep: str):
    text = (
        f"title{sep}date{sep}text\n"
        f'Talks{sep}2023-03-20{sep}"Xi met Putin, then left; talks ended."\n'
        f"Warrant{sep}2023-03-17{sep}The court issued a warrant on Friday.\n"
    )
    (tmp_path / "export.csv").write_text(text, "utf-8")
    df = nc.load_corpus(tmp_path, progress=False)
    assert df["title"].tolist() == ["Talks", "Warrant"]
    assert df["text"].tolist()[0] == "Xi met Putin, then left; talks ended."
    assert df["published"].dt.day.tolist() == [20, 17]


def test_comma_csv_with_semicolons_in_a_quoted_header_stays_comma(tmp_path: Path):
    text = '"title; main",date,text\nTalks,2023-03-20,"Xi met Putin; talks ended, late."\n'
    (tmp_path / "e.csv").write_text(text, "utf-8")
    df = nc.load_corpus(tmp_path, progress=False, title_col="title; main")
    assert df[["title", "text"]].values.tolist() == [["Talks", "Xi met Putin; talks ended, late."]]


_NAME = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu"), max_codepoint=0x24F), min_size=1
)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(_NAME, min_size=2, max_size=6, unique=True),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    cells=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), max_size=6),
)
def test_sniff_delimiter_finds_the_writer_s_delimiter(names, sep, cells):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    writer.writerow((cells + [""] * len(names))[: len(names)])
    assert rec.sniff_delimiter(out.getvalue()) == sep


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_workbook_every_sheet(tmp_path: Path):
    from datetime import datetime

    _workbook(
        tmp_path / "coverage.xlsx",
        {
            "March": [
                [None, None, None],  # an empty first row: the header is the next one
                ["Headline", "Published", "Full Text", "Desk"],
                ["Xi lands in Moscow", datetime(2023, 3, 20, 9, 15), BODY, "World"],
                [None, None, None, None],
                ["No text here", datetime(2023, 3, 21), None, "World"],
            ],
            "April call": [
                ["title", "date", "text", None, "note", "note"],
                [
                    "Xi calls Zelensky",
                    "26 April 2023",
                    "Xi Jinping and Volodymyr Zelensky spoke.",
                    None,
                    "a",
                    "b",
                ],
                ["Extra cell", "2023-04-27", "Leaders met again in Beijing for a second day.", "x"],
            ],
        },
    )
    df = nc.load_corpus(tmp_path, progress=False)
    assert df["title"].tolist() == ["Xi lands in Moscow", "Xi calls Zelensky"]
    assert df["published"].tolist() == [
        pd.Timestamp("2023-03-20 09:15"),
        pd.Timestamp("2023-04-26"),
    ]
    assert df["doc_id"].tolist() == ["coverage:3", "coverage:April call!2".replace(" ", "")]
    assert json.loads(df.loc[0, "extra"]) == {"Desk": "World"}
    assert json.loads(df.loc[1, "extra"]) == {"note": "a", "note (2)": "b"}  # both kept
    assert (df["format"] == "xlsx").all()
    rep = nc.get_report(df)
    skips = rep.issues[rep.issues["level"] == "skip"]
    assert skips[["record", "reason"]].values.tolist() == [
        ["row 5", "empty text"],
        ["row Aprilcall!3", "malformed row"],
    ]
    assert rep.files["status"].tolist() == ["partial"]


def test_xlsx_dates_that_lost_their_format(tmp_path: Path):
    _workbook(
        tmp_path / "d.xlsx",
        {
            "Sheet": [
                ["title", "date", "text"],
                ["Serial day", 45005, BODY],
                ["Serial with time", 45005.75, BODY.replace("Monday", "Tuesday")],
                ["Digits", 20230326, BODY.replace("Monday", "Sunday")],
                ["A year", 2023, BODY.replace("Monday", "Friday")],
            ]
        },
    )
    df = nc.load_corpus(tmp_path, progress=False, dedupe=False).set_index("title")
    assert df["published"].tolist() == [
        pd.Timestamp("2023-03-20"),
        pd.Timestamp("2023-03-20 18:00"),
        pd.Timestamp("2023-03-26"),
        pd.Timestamp("2023-01-01"),
    ]
    assert df.loc["A year", "date_precision"] == "year"


def test_xlsx_damaged_or_bomb_is_skipped_with_a_reason(tmp_path: Path):
    import zipfile

    (tmp_path / "fake.xlsx").write_bytes(b"not a workbook at all")
    with zipfile.ZipFile(tmp_path / "nosheets.xlsx", "w") as zf:
        zf.writestr("hello.txt", "a zip, but no workbook in it")
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))
    df = nc.load_corpus(tmp_path, progress=False)
    assert df.empty
    files = nc.get_report(df).files
    reasons = dict(
        zip(files["source_path"].map(lambda p: Path(p).name), files["reason"], strict=True)
    )
    assert reasons == {
        "bomb.xlsx": "too large",
        "fake.xlsx": "invalid xlsx",
        "nosheets.xlsx": "invalid xlsx",
    }


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_as_xlsx_never_crash(data: bytes):
    from newslab.corpus.load import parse_bytes

    res = parse_bytes(b"PK\x03\x04" + data, source_path="x.xlsx", name="x.xlsx")
    assert res.status in ("skipped", "loaded", "partial")
    if res.status == "skipped":
        assert res.reason


def test_json_object_of_articles_by_key(tmp_path: Path):
    dump = {
        "https://ledger.example/xi-lands": {"title": "Xi lands in Moscow", "text": BODY},
        "kl-2": {"title": "Warrant", "body": "Judges in The Hague issued a warrant on Friday."},
        "kl-3": {"title": "Only a title"},
    }
    (tmp_path / "by_url.json").write_text(json.dumps(dump), "utf-8")
    df = nc.load_corpus(tmp_path, progress=False)
    assert df["doc_id"].tolist() == ["by_url:https://ledger.example/xi-lands", "by_url:kl-2"]
    assert df["title"].tolist() == ["Xi lands in Moscow", "Warrant"]
    issues = _issues(df)
    skips = issues[issues["level"] == "skip"]
    assert skips[["record", "reason"]].values.tolist() == [["item kl-3", "no text field"]]


def test_numeric_dates_in_records(tmp_path: Path):
    recs = [
        {"id": "a", "text": BODY, "date": 20230320},  # YYYYMMDD as a number
        {"id": "b", "text": BODY, "date": "202303"},  # YYYYMM
        {"id": "c", "text": BODY, "date": 2023},  # a year
        {"id": "d", "text": BODY, "date": 1679300000},  # epoch seconds
        {"id": "e", "text": BODY, "date": 45005},  # an Excel serial day: no date, said so
    ]
    (tmp_path / "n.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n", "utf-8")
    df = nc.load_corpus(tmp_path, progress=False, dedupe=False).set_index("doc_id")
    assert df.loc["a", "published"] == pd.Timestamp("2023-03-20")
    assert df.loc["b", "published"] == pd.Timestamp("2023-03-01")
    assert df.loc["b", "date_precision"] == "month" and df.loc["c", "date_precision"] == "year"
    assert df.loc["d", "published"] == pd.Timestamp("2023-03-20 08:13")
    assert pd.isna(df.loc["e", "published"])
    issues = _issues(df.reset_index())
    unparsed = issues[issues["reason"] == "unparsed date"]
    assert unparsed[["doc_id", "detail"]].values.tolist() == [["e", "45005"]]


def test_jsonl_lines_end_at_newlines_only(tmp_path: Path):
    recs = [
        {
            "id": "a",
            "text": "Leaders met.\u2028They agreed.\u0085More talks will follow next week.",
        },
        {"id": "b", "text": BODY},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    (tmp_path / "n.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "mac.jsonl").write_text("\r".join(lines) + "\r", "utf-8")  # old Mac line ends
    df = nc.load_corpus(tmp_path, progress=False, dedupe=False)
    assert sorted(df["doc_id"].str[:1]) == ["a", "a", "b", "b"]  # ids repeated: made unique
    assert df["text"].str.contains("\u2028").sum() == 0  # folded to spaces in the text
    assert not (_issues(df)["level"] == "skip").any()
