"""Tests for newslab.entities: gazetteer loading, matching, resolution, discovery, summaries."""

from __future__ import annotations

import io
import json
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newslab import schema
from newslab.entities import Gazetteer, entity_summary, extract_entities, load_gazetteer
from newslab.entities.discovery import discover_document, is_headline, slug
from newslab.entities.gazetteer import as_gazetteer
from tests.conftest import ROOT, shared_path

# A small hand-written table in the package format, for unit tests independent of the
# package tables (facts only: who holds which name).
FIXTURE_CSV = """\
# test fixture for newslab.entities, written for these tests
entity_id,label,type,alias,kind,metonym
person:xi_jinping,Xi Jinping,PERSON,Xi Jinping,name,0
person:xi_jinping,Xi Jinping,PERSON,Xi,surname,0
person:xi_jinping,Xi Jinping,PERSON,Jinping,given,0
person:xi_jinping,Xi Jinping,PERSON,the Chinese leader,role,0
person:xi_jinping,Xi Jinping,PERSON,Chinese President,role,0
person:vladimir_putin,Vladimir Putin,PERSON,Vladimir Putin,name,0
person:vladimir_putin,Vladimir Putin,PERSON,Putin,surname,0
person:wang_yi,Wang Yi,PERSON,Wang Yi,name,0
person:wang_yi,Wang Yi,PERSON,Wang,surname,0
person:wang_wenbin,Wang Wenbin,PERSON,Wang Wenbin,name,0
person:wang_wenbin,Wang Wenbin,PERSON,Wang,surname,0
person:sergei_lavrov,Sergei Lavrov,PERSON,Sergei Lavrov,name,0
person:sergei_lavrov,Sergei Lavrov,PERSON,Lavrov,surname,0
person:sergei_lavrov,Sergei Lavrov,PERSON,Russian Foreign Minister,role,0
person:theresa_may,Theresa May,PERSON,Theresa May,name,0
person:theresa_may,Theresa May,PERSON,May,surname,0
country:RUS,Russia,COUNTRY,Russia,name,0
country:RUS,Russia,COUNTRY,Russian,demonym,0
country:RUS,Russia,COUNTRY,Moscow,capital,1
country:RUS,Russia,COUNTRY,the Kremlin,seat,1
country:CHN,China,COUNTRY,China,name,0
country:CHN,China,COUNTRY,Chinese,demonym,0
country:CHN,China,COUNTRY,Beijing,capital,1
country:USA,United States,COUNTRY,United States,name,0
country:USA,United States,COUNTRY,U.S.,abbrev,0
country:USA,United States,COUNTRY,US,abbrev,0
country:GEO,Georgia,COUNTRY,Georgia,name,0
place:georgia_us,Georgia (US state),PLACE,Georgia,name,0
org:china_mfa,Chinese Foreign Ministry,ORG,Chinese Foreign Ministry,name,0
org:china_mfa,Chinese Foreign Ministry,ORG,China's Foreign Ministry,variant,0
org:xinhua,Xinhua,ORG,Xinhua,name,0
org:washington_post,The Washington Post,ORG,The Washington Post,name,0
"""


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(load_gazetteer(paths=[io.StringIO(FIXTURE_CSV)]))


def run(body: str, gaz: Gazetteer, discover: bool | str = False) -> pd.DataFrame:
    out = extract_entities(
        pd.DataFrame({"doc_id": ["d"], "text": [body]}), gazetteer=gaz, discover=discover
    )
    for s, e, surf in zip(out["start"], out["end"], out["surface"], strict=True):
        assert body[s:e] == surf
    return out


def found(body: str, gaz: Gazetteer, discover: bool | str = False) -> list[tuple[str, str]]:
    out = run(body, gaz, discover)
    return list(zip(out["surface"], out["entity_id"], strict=True))


# --------------------------------------------------------------------------- gazetteer tables


def test_load_gazetteer_extends_and_overrides(tmp_path: Path):
    base = load_gazetteer(paths=[io.StringIO(FIXTURE_CSV)])
    assert list(base.columns) == [
        "entity_id",
        "label",
        "type",
        "alias",
        "kind",
        "metonym",
        "valid_from",
        "valid_to",
    ]
    assert (base["valid_from"] == "").all()  # optional columns: absent means always valid
    assert base["metonym"].dtype == bool
    beijing = base[base["alias"] == "Beijing"].iloc[0]
    assert beijing["entity_id"] == "country:CHN" and bool(beijing["metonym"])
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "# my additions\nentity_id,label,type,alias,kind,metonym\n"
        "person:jane_roe,Jane Roe,PERSON,Roe,surname,0\n"
        "country:CHN,China,COUNTRY,Beijing,capital,0\n",
        encoding="utf-8",
    )
    both = load_gazetteer(paths=[io.StringIO(FIXTURE_CSV)], extra=extra)
    assert {"Jane Roe", "Roe"} <= set(both.loc[both["entity_id"] == "person:jane_roe", "alias"])
    assert not both.loc[both["alias"] == "Beijing", "metonym"].any()  # the later row wins
    assert len(both) == len(base) + 2


def test_gazetteer_is_compiled_once_per_table():
    table = load_gazetteer(paths=[io.StringIO(FIXTURE_CSV)])
    assert as_gazetteer(table) is as_gazetteer(table.copy())
    assert as_gazetteer(None) is as_gazetteer(None)


def test_package_tables_follow_the_contract():
    table = load_gazetteer()
    assert len(table) > 500
    assert set(table["type"]) <= {"PERSON", "COUNTRY", "ORG", "PLACE"}
    assert table["entity_id"].str.match(r"^(person|country|org|place):\S+$").all()
    assert table.groupby("entity_id")["label"].nunique().max() == 1


# --------------------------------------------------------------------------- matching rules


def test_word_boundaries_and_case(gaz):
    assert found("Xinhua reported it.", gaz) == [("Xinhua", "org:xinhua")]  # no "Xi" inside
    assert found("Plug in the USB cable, tell us more.", gaz) == []
    assert found("A US-led push; anti-US mood.", gaz) == [("US", "country:USA")] * 2
    assert found("fine china and Chinaware", gaz) == []
    assert found("the U.S. said", gaz) == [("U.S.", "country:USA")]


def test_possessives_and_curly_apostrophes(gaz):
    body = "Xi Jinping spoke. Xi's aide and Putin\u2019s envoy met; Xi\u2019s trip went on."
    out = run(body, gaz)
    assert out["surface"].tolist() == ["Xi Jinping", "Xi", "Putin", "Xi"]
    assert out["method"].tolist() == ["gazetteer", "resolved", "gazetteer", "resolved"]


def test_longest_match_wins(gaz):
    assert found("The Chinese Foreign Ministry said so.", gaz) == [
        ("Chinese Foreign Ministry", "org:china_mfa")
    ]
    assert found("China\u2019s Foreign Ministry said so.", gaz) == [
        ("China\u2019s Foreign Ministry", "org:china_mfa")
    ]
    assert found("He met Russian Foreign Minister Sergei Lavrov.", gaz) == [
        ("Russian", "country:RUS"),
        ("Sergei Lavrov", "person:sergei_lavrov"),
    ]
    assert found("Chinese President Xi Jinping left.", gaz) == [
        ("Chinese", "country:CHN"),
        ("Xi Jinping", "person:xi_jinping"),
    ]


def test_role_alias_and_leading_the(gaz):
    out = run("Kyiv wants talks with the Chinese leader. The Kremlin and The Washington Post.", gaz)
    rows = out.set_index("surface")
    assert rows.loc["Chinese leader", "entity_id"] == "person:xi_jinping"
    assert rows.loc["Chinese leader", "method"] == "gazetteer"
    assert rows.loc["Kremlin", "entity_id"] == "country:RUS" and rows.loc["Kremlin", "metonym"]
    assert rows.loc["Washington Post", "label"] == "The Washington Post"


def test_resolution_of_partial_and_shared_names(gaz):
    # "Jinping" alone resolves to the Xi named in the same article
    out = run("Xi Jinping arrived. Jinping smiled.", gaz)
    assert out["method"].tolist() == ["gazetteer", "resolved"]
    # "Wang" is shared by two people: named one wins, neither or both named gives no row
    assert found("Wang Yi spoke. Wang left.", gaz) == [
        ("Wang Yi", "person:wang_yi"),
        ("Wang", "person:wang_yi"),
    ]
    assert found("Wang left early.", gaz) == []
    assert [e for _, e in found("Wang Yi and Wang Wenbin met. Wang left.", gaz)] == [
        "person:wang_yi",
        "person:wang_wenbin",
    ]
    # a surname unique in the gazetteer resolves without the full name (method gazetteer)
    out = run("Putin spoke.", gaz)
    assert out[["entity_id", "method"]].values.tolist() == [["person:vladimir_putin", "gazetteer"]]
    # ... unless it is also a calendar word
    assert found("Talks resume in May.", gaz) == []
    # an alias shared by two full entities needs one of them named elsewhere
    assert found("Georgia voted.", gaz) == []


def test_metonyms(gaz):
    out = run("Beijing and Moscow agreed; China and Russia signed.", gaz)
    assert out[["surface", "entity_id", "metonym"]].values.tolist() == [
        ["Beijing", "country:CHN", True],
        ["Moscow", "country:RUS", True],
        ["China", "country:CHN", False],
        ["Russia", "country:RUS", False],
    ]


def test_schema_and_sentence_ids(gaz):
    body = "China spoke. Then Russia.\n\nBeijing answered."
    out = run(body, gaz)
    assert list(out.columns) == list(schema.MENTIONS)
    assert str(out["metonym"].dtype) == "bool" and str(out["start"].dtype) == "int64"
    assert out["sent_id"].tolist() == [0, 1, 2]
    empty = extract_entities(
        pd.DataFrame({"doc_id": ["x"], "text": ["nothing here"]}), gazetteer=gaz
    )
    assert empty.empty and list(empty.columns) == list(schema.MENTIONS)


_ALIASES = [
    "Xi Jinping",
    "Xi",
    "Putin",
    "Beijing",
    "U.S.",
    "US",
    "Chinese Foreign Ministry",
    "Russian",
    "Wang Yi",
]
_FILLER = [
    "said",
    "the",
    "us",
    "USB",
    "Xiamen",
    "-",
    ",",
    ".",
    "’s",
    "'s",
    "\n",
    "“",
    "china",
    "Jinpings",
]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_ALIASES + _FILLER), max_size=25), st.sampled_from([" ", "", "  "]))
@example(
    ["said", "china", "Jinpings", "Jinpings", "said", "Jinpings"], " "
)  # hypothesis found it (a make test run, 2026-12-03)
def test_offsets_exact_property(gaz, words, sep):
    body = sep.join(words)
    out = run(body, gaz, discover="rules")
    spans = sorted(zip(out["start"], out["end"], strict=True))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # no overlaps
    aliases = {
        a.removeprefix("the ") for a in load_gazetteer(paths=[io.StringIO(FIXTURE_CSV)])["alias"]
    }
    # discovered names and their bare last names ("resolved" to them) are not aliases
    known = out[~out["entity_id"].str.startswith("new:")]
    for surf in known["surface"]:
        assert surf.replace("\u2019", "'") in aliases


# --------------------------------------------------------------------------- discovery


def test_discovery_rules_and_exclusions(gaz):
    body = (
        "Putin Hails Strengthening Ties With Beijing\n"
        "Latest News\n"
        "Officials said President Jane Roe met Tom Baker in Paris on Monday.\n"
        "Analysts expect more talks. Roe said on Friday that March Madness was over.\n"
        "Reporting by Ann Lee."
    )
    out = run(body, gaz, discover="rules")
    new = out[out["method"] != "gazetteer"]
    labels = set(new["label"])
    assert {"Jane Roe", "Tom Baker"} <= labels
    assert not {"Monday", "Friday", "Latest News", "Analysts", "Officials"} & labels
    assert not any("Hails" in lab or "Strengthening" in lab for lab in labels)  # headline
    assert (new["type"] == "UNKNOWN").all()
    assert set(new["entity_id"]) >= {"new:jane_roe", "new:tom_baker"}
    roe = new[new["surface"] == "Roe"]
    assert roe[["entity_id", "method"]].values.tolist() == [["new:jane_roe", "resolved"]]


def test_headline_and_slug():
    assert is_headline("China's Xi to Visit Russia as Soon as Next Week")
    assert not is_headline("The minister said talks would resume in Geneva next week.")
    assert slug("Jürgen Roe-Smith") == "new:jurgen_roe_smith"


@pytest.fixture(scope="module")
def nltk_models():
    import nltk

    data = str(shared_path("nltk_data"))
    if data not in nltk.data.path:
        nltk.data.path.append(data)
    from newslab.entities.discovery import nltk_chunker

    nltk_chunker.cache_clear()
    models = nltk_chunker()
    assert models is not None
    return models


def test_discovery_with_nltk_chunker(nltk_models):
    text = (
        "Talks were led by Olaf Scholz in Berlin, officials said. Western diplomats were pleased."
    )
    starts, ends = [0, text.index("Western")], [text.index("Western") - 1, len(text)]
    occupied = bytearray(len(text))
    got = discover_document(text, starts, ends, occupied, nltk_models)
    labels = [lab for _, _, lab in got]
    assert "Olaf Scholz" in labels
    assert "Berlin" in labels  # a one-word NE chunk in mid-sentence
    assert "Western" not in labels  # an adjective, not a name


def test_missing_nltk_models_are_announced(monkeypatch):
    import nltk.tag

    from newslab.entities import discovery

    def missing(*a, **k):
        raise LookupError("no tagger")

    monkeypatch.setattr(nltk.tag, "PerceptronTagger", missing)
    discovery.nltk_chunker.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert discovery.nltk_chunker() is None
            assert discovery.nltk_chunker() is None
        assert sum("NE chunker" in str(w.message) for w in caught) == 1
    finally:
        discovery.nltk_chunker.cache_clear()


# --------------------------------------------------------------------------- summary


def test_entity_summary(gaz):
    arts = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "text": ["Putin met Xi Jinping. Putin left.", "Putin again."],
            "published": pd.to_datetime(["2023-03-01", "2023-03-09"]),
        }
    )
    m = extract_entities(arts, gazetteer=gaz, discover=False)
    summ = entity_summary(m, arts).set_index("entity_id")
    assert summ.loc["person:vladimir_putin", "mentions"] == 3
    assert summ.loc["person:vladimir_putin", "documents"] == 2
    assert summ.loc["person:vladimir_putin", "first"] == pd.Timestamp("2023-03-01")
    assert summ.loc["person:vladimir_putin", "last"] == pd.Timestamp("2023-03-09")
    assert summ.index[0] == "person:vladimir_putin"
    assert entity_summary(m.iloc[:0]).empty


# --------------------------------------------------------------------------- real text


def _labels(m: pd.DataFrame, typ: str) -> set[str]:
    return set(m.loc[(m["type"] == typ) & m["entity_id"].notna(), "label"])


@pytest.fixture(scope="module")
def seed_mentions():
    from newslab.corpus import load_corpus

    arts = load_corpus(shared_path("seeds"))
    m = extract_entities(arts, discover=True)
    return arts, m


def test_seed_000(seed_mentions):
    arts, m = seed_mentions
    doc = arts.loc[arts["doc_id"].str.startswith("000"), "doc_id"].iloc[0]
    d = m[m["doc_id"] == doc]
    assert _labels(d, "PERSON") == {
        "Alexander Lukashenko",
        "Xi Jinping",
        "Wang Yi",
        "Sergei Lavrov",
        "Vladimir Putin",
        "Volodymyr Zelensky",
    }
    assert {"Russia", "China", "Belarus", "Ukraine", "United States"} <= _labels(d, "COUNTRY")
    orgs = _labels(d, "ORG")
    assert "CNN" in orgs and "The Washington Post" in orgs
    assert any("ISW" in o or "Study of War" in o for o in orgs)
    jin = d[d["surface"] == "Jinping"]
    assert jin[["label", "method"]].values.tolist() == [["Xi Jinping", "resolved"]]
    met = d[d["surface"].isin(["Beijing", "Kyiv"])]
    assert len(met) == 2 and met["metonym"].all()
    assert set(met["label"]) == {"China", "Ukraine"}


def test_seed_003(seed_mentions):
    arts, m = seed_mentions
    doc = arts.loc[arts["doc_id"].str.startswith("003"), "doc_id"].iloc[0]
    d = m[m["doc_id"] == doc]
    assert _labels(d, "PERSON") == {"Xi Jinping", "Vladimir Putin", "Dmitry Peskov"}
    kremlin = d[d["surface"] == "Kremlin"]
    assert kremlin[["label", "metonym"]].values.tolist() == [["Russia", True]]
    assert "Reuters" in _labels(d, "ORG")
    fm = d[d["surface"].str.contains("Foreign Ministry")]
    assert len(fm) == 1 and fm["type"].iloc[0] == "ORG"
    assert fm["surface"].iloc[0] == "China's Foreign Ministry"


def test_seeds_have_no_boilerplate_or_headline_entities(seed_mentions):
    _, m = seed_mentions
    bad = {"Latest", "Published", "Read", "Monday", "March", "Related", "Original"}
    for surf in m["surface"]:
        assert not set(surf.split()) & bad, surf
    # the raw files, with their titles, bylines and "Read also" lines, give no junk either
    raw = pd.DataFrame(
        {
            "doc_id": [p.name for p in sorted(shared_path("seeds").glob("*.txt"))],
            "text": [
                p.read_text(encoding="utf-8") for p in sorted(shared_path("seeds").glob("*.txt"))
            ],
        }
    )
    mr = extract_entities(raw, discover=True)
    for surf in mr["surface"]:
        assert not set(surf.split()) & bad, surf
    new = mr.loc[mr["entity_id"].str.startswith("new:"), "label"]
    assert not new.str.contains("Latest|Published|Read|Monday|March|Abraham|Dictator").any(), list(
        new
    )


def _demo_gold() -> list[dict]:
    files = sorted((ROOT / "data" / "gold").glob("demo-*.json"))
    assert files, "data/gold/demo-*.json missing"
    rows = []
    for f in files:
        rows.extend(
            r
            for r in json.loads(f.read_text(encoding="utf-8"))
            if "persons" in r and r["file"].startswith("data/demo/")
        )
    return rows


def _prf(gold: dict[str, set[str]], pred: dict[str, set[str]]) -> tuple[float, float, list]:
    tp = fp = fn = 0
    errors = []
    for doc, g in gold.items():
        p = pred.get(doc, set())
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        if g != p:
            errors.append((doc, sorted(g - p), sorted(p - g)))
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, errors


def _gold_ids(table: pd.DataFrame):
    """Map a gold label to an entity id: by label, else by a unique alias (accents ignored)."""

    def fold(x: str) -> str:
        return unicodedata.normalize("NFKD", x).encode("ascii", "ignore").decode()

    by_label = {fold(lab): e for lab, e in zip(table["label"], table["entity_id"], strict=True)}
    by_alias: dict[str, set[str]] = {}
    for a, e in zip(table["alias"], table["entity_id"], strict=True):
        by_alias.setdefault(fold(a), set()).add(e)

    def to_id(label: str) -> str:
        key = fold(label)
        if key in by_label:
            return by_label[key]
        if len(by_alias.get(key, ())) == 1:
            return next(iter(by_alias[key]))
        return "not-in-gazetteer:" + label

    return to_id


def test_demo_corpus_against_gold(demo_dir):
    from newslab.corpus import load_corpus

    gold = _demo_gold()
    arts = load_corpus(demo_dir)
    arts = arts.assign(file=arts["source_path"].map(lambda p: Path(p).name))
    m = extract_entities(arts, discover=False).merge(arts[["doc_id", "file"]], on="doc_id")
    to_id = _gold_ids(load_gazetteer())
    results = {}
    for key, typ in (("persons", "PERSON"), ("countries", "COUNTRY"), ("orgs", "ORG")):
        g = {Path(r["file"]).name: {to_id(x) for x in r[key]} for r in gold}
        assert set(g) <= set(arts["file"]), "gold names files the loader did not load"
        sub = m[m["type"] == typ]
        p = {f: set(x) for f, x in sub.groupby("file")["entity_id"]}
        results[key] = _prf(g, p)
        prec, rec, errors = results[key]
        print(f"demo {key}: precision {prec:.3f} recall {rec:.3f} over {len(g)} articles")
        for e in errors:
            print("    file, missed, extra:", e)
    assert results["persons"][0] == 1.0 and results["persons"][1] == 1.0, results["persons"][2]
    assert results["countries"][0] >= 0.95 and results["countries"][1] >= 0.95
    assert results["orgs"][0] >= 0.85 and results["orgs"][1] >= 0.85


#: US presidents by inauguration date (facts), to check role mentions independently of the tables.
US_PRESIDENTS = [
    ("2009-01-20", "Barack Obama"),
    ("2017-01-20", "Donald Trump"),
    ("2021-01-20", "Joe Biden"),
    ("2025-01-20", "Donald Trump"),
]


def _us_president_on(day: pd.Timestamp) -> str | None:
    held = [name for start, name in US_PRESIDENTS if pd.Timestamp(start) <= day]
    return held[-1] if held else None


def test_article_bias_prediction_sample():
    base = shared_path("corpora", "article-bias-prediction")
    manifest = pd.read_csv(base / "manifest.csv").sort_values("ID").head(300)
    rows = [json.loads((base / p).read_text(encoding="utf-8")) for p in manifest["path"]]
    arts = pd.DataFrame(
        {
            "doc_id": [r["ID"] for r in rows],
            "title": [r["title"] for r in rows],
            "text": [r["content_original"] for r in rows],
            "published": pd.to_datetime([r.get("date") or None for r in rows], errors="coerce"),
        }
    )
    m = extract_entities(arts, discover="rules")
    per_doc = m.groupby("doc_id").size().reindex(arts["doc_id"], fill_value=0)
    known = m[m["method"] != "discovered"]
    top = entity_summary(known).head(15)
    print(
        f"ABP sample: {len(arts)} articles, {len(m)} mentions, median {per_doc.median():.0f}/article"
    )
    print(top[["label", "mentions", "documents"]].to_string())
    # Mentions per article: most articles name several actors; very few name none.
    assert per_doc.median() >= 5
    assert (per_doc == 0).mean() < 0.05
    # Offsets index the original text exactly.
    by_id = arts.set_index("doc_id")["text"]
    assert all(
        by_id[d][s:e] == surf
        for d, s, e, surf in zip(m["doc_id"], m["start"], m["end"], m["surface"], strict=True)
    )
    # The corpus is about US politics, China and Russia: those actors lead the ranking.
    top_labels = set(top["label"].head(10))
    assert {"United States", "Donald Trump"} <= top_labels, top_labels
    assert top_labels & {"China", "Russia"}
    # Sample check: the person in a title is found in the body that names them.
    checked = 0
    for name, label in (("Trump", "Donald Trump"), ("Putin", "Vladimir Putin")):
        docs = arts.loc[arts["title"].str.contains(rf"\b{name}\b", regex=True), "doc_id"]
        for doc in docs:
            if name not in by_id[doc]:
                continue
            checked += 1
            assert label in set(m.loc[m["doc_id"] == doc, "label"]), (doc, name)
    assert checked >= 10
    # Role mentions of the US president name the president of the article's date; an undated
    # article gives no row for the role.
    dates = arts.set_index("doc_id")["published"]
    roles = m[m["surface"].str.fullmatch(r"(?:the )?(?:US|U\.S\.) [Pp]resident", na=False)]
    assert len(roles) >= 5
    for doc, label in zip(roles["doc_id"], roles["label"], strict=True):
        if pd.notna(dates[doc]):
            assert label == _us_president_on(dates[doc]), (doc, dates[doc], label)
        else:  # undated: only a president the article names in full
            named = m[(m["doc_id"] == doc) & (m["method"] == "gazetteer")]
            assert label in set(named.loc[named["surface"] == named["label"], "label"])


# ------------------------------------------------------------------ roles held in turn


ROLE_TEXT = (
    "The US president met the German chancellor in Washington. "
    "The Kremlin chief said the Ukrainian president was not ready to talk, "
    "and the Chinese leader called for calm."
)


def _role_labels(published: object, precision: str | None = None) -> list[tuple[str, str]]:
    arts = pd.DataFrame({"doc_id": ["a"], "text": [ROLE_TEXT], "published": [published]})
    if precision is not None:
        arts["date_precision"] = precision
    m = extract_entities(arts, discover=False)
    people = m[m["type"] == "PERSON"]
    return list(zip(people["surface"], people["label"], strict=True))


def test_roles_resolve_to_the_holder_of_the_article_date():
    assert _role_labels(pd.Timestamp("2015-06-10")) == [
        ("US president", "Barack Obama"),
        ("German chancellor", "Angela Merkel"),
        ("Kremlin chief", "Vladimir Putin"),
        ("Ukrainian president", "Petro Poroshenko"),
        ("Chinese leader", "Xi Jinping"),
    ]
    assert _role_labels(pd.Timestamp("2023-03-21")) == [
        ("US president", "Joe Biden"),
        ("German chancellor", "Olaf Scholz"),
        ("Kremlin chief", "Vladimir Putin"),
        ("Ukrainian president", "Volodymyr Zelensky"),
        ("Chinese leader", "Xi Jinping"),
    ]
    # Medvedev held the Kremlin in 2008-2012; Hu Jintao led China until November 2012.
    assert ("Kremlin chief", "Dmitry Medvedev") in _role_labels(pd.Timestamp("2010-01-05"))
    assert ("Chinese leader", "Hu Jintao") in _role_labels(pd.Timestamp("2010-01-05"))


def test_roles_without_a_date_are_left_unresolved_when_held_in_turn():
    # Unknown date: every one of these offices had several holders, so none is guessed ...
    assert _role_labels(pd.NaT) == []
    arts = pd.DataFrame({"doc_id": ["a"], "text": [ROLE_TEXT]})  # ... nor without the column
    assert extract_entities(arts, discover=False)["type"].eq("PERSON").sum() == 0
    # ... and the countries inside the roles are still found.
    labels = set(extract_entities(arts, discover=False)["label"])
    assert {"United States", "Germany", "Ukraine", "China"} <= labels
    # An undated article that names the holder in full resolves the role to them.
    named = pd.DataFrame(
        {"doc_id": ["b"], "text": ["Angela Merkel spoke first. The German chancellor was firm."]}
    )
    out = extract_entities(named, discover=False)
    assert out.loc[out["surface"] == "German chancellor", "label"].tolist() == ["Angela Merkel"]


def test_month_precision_spanning_a_handover_is_ambiguous():
    # January 2017: Obama until the 20th, Trump after -- a month-precision date cannot tell.
    assert not any(
        s == "US president" for s, _ in _role_labels(pd.Timestamp("2017-01-01"), "month")
    )
    assert ("US president", "Donald Trump") in _role_labels(pd.Timestamp("2017-01-25"), "day")
    assert ("US president", "Barack Obama") in _role_labels(pd.Timestamp("2017-01-19"), "day")


def test_gazetteer_validity_columns_are_checked():
    bad = pd.DataFrame(
        {
            "entity_id": ["person:x"],
            "label": ["X"],
            "type": ["PERSON"],
            "alias": ["the X chief"],
            "kind": ["role"],
            "valid_from": ["2020-13-01"],
        }
    )
    with pytest.raises(ValueError, match="valid_from"):
        load_gazetteer(paths=[], extra=bad)
