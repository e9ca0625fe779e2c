"""Tests for newslab.text: sentences, tokens, n-grams, collocations, KWIC, term counts."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslab import schema, text
from tests.conftest import shared_path


def _arts(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def _sents(*texts: str) -> list[str]:
    return text.sentences(_arts(*texts))["text"].tolist()


# --------------------------------------------------------------------------- sentences


def test_sentences_schema_and_offsets():
    body = "Officials met on Feb. 3. Gov. Ann Lee spoke.\n\nA Title Line\nThe end."
    out = text.sentences(_arts(body))
    assert list(out.columns) == list(schema.SENTENCES)
    assert out["sent_id"].tolist() == list(range(len(out)))
    for s, e, t in zip(out["start"], out["end"], out["text"], strict=True):
        assert body[s:e] == t
    assert out["text"].tolist() == [
        "Officials met on Feb. 3.",
        "Gov. Ann Lee spoke.",
        "A Title Line",
        "The end.",
    ]


@pytest.mark.parametrize(
    "body, expected",
    [
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Sen. Roe and Gen. Doe left St. Louis.", ["Sen. Roe and Gen. Doe left St. Louis."]),
        ("See bill No. 5 now. Then vote.", ["See bill No. 5 now.", "Then vote."]),
        ("J. R. Smith arrived. He sat.", ["J. R. Smith arrived.", "He sat."]),
        ('"Will it work?" she asked. No.', ['"Will it work?" she asked.', "No."]),
        ("It rose 3.5 percent. Then fell.", ["It rose 3.5 percent.", "Then fell."]),
    ],
)
def test_sentence_abbreviations(body, expected):
    assert _sents(body) == expected


def test_headline_line_is_own_sentence_and_broken_line_is_joined():
    body = "Breaking Talks In Geneva\nDelegates arrived late and the\n\ntalks began. Next one."
    assert _sents(body) == [
        "Breaking Talks In Geneva",
        "Delegates arrived late and the\n\ntalks began.",
        "Next one.",
    ]


def test_sentences_empty_and_missing_text():
    out = text.sentences(pd.DataFrame({"doc_id": ["a", "b"], "text": ["", None]}))
    assert out.empty and list(out.columns) == list(schema.SENTENCES)


def test_untrained_model_is_announced_once(monkeypatch):
    from nltk.tokenize import punkt

    def missing(*args, **kwargs):
        raise LookupError("no punkt_tab")

    monkeypatch.setattr(punkt, "PunktTokenizer", missing)
    text._punkt_parameters.cache_clear()
    text._splitter.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first = _sents("Gen. Lee left. He won.")
            _sents("Another one. And more.")
        msgs = [w for w in caught if "punkt_tab" in str(w.message)]
        assert len(msgs) == 1
        assert first == ["Gen. Lee left.", "He won."]
    finally:
        text._punkt_parameters.cache_clear()
        text._splitter.cache_clear()
        text._punkt_tokenizer.cache_clear()


_WORDS = st.sampled_from(
    [
        "Mr.",
        "U.S.",
        "Feb.",
        "said",
        "the",
        "Kyiv",
        "talks",
        "3.5",
        "end.",
        "Why?",
        "No.",
        "\n",
        "\n\n",
        "“Yes.”",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=0, max_size=30), st.sampled_from([" ", "  ", " \t"]))
def test_sentence_offsets_property(words, sep):
    body = sep.join(words)
    out = text.sentences(_arts(body))
    prev_end = 0
    for s, e, t in zip(out["start"], out["end"], out["text"], strict=True):
        assert body[s:e] == t and t == t.strip() and t
        assert s >= prev_end
        prev_end = e
    # nothing but whitespace is left out
    covered = "".join(out["text"])
    assert "".join(body.split()) == "".join(covered.split())


def test_punkt_engine_agrees_with_fast_engine_on_seeds():
    seeds = shared_path("seeds")
    from newslab.corpus import load_corpus

    arts = load_corpus(seeds)
    fast = text.sentences(arts)
    slow = text.sentences(arts, engine="punkt")
    a = set(zip(fast["doc_id"], fast["start"], fast["end"], strict=True))
    b = set(zip(slow["doc_id"], slow["start"], slow["end"], strict=True))
    assert len(a & b) / len(a | b) > 0.9
    # "Feb. 28" and "U.S. officials" do not end sentences
    assert not any(t.endswith(("Feb.", "U.S.")) for t in fast["text"])
    assert any("Feb. 28 to March 2" in t for t in fast["text"])
    bodies = dict(zip(arts["doc_id"], arts["text"], strict=True))
    for d, s, e, t in zip(fast["doc_id"], fast["start"], fast["end"], fast["text"], strict=True):
        assert bodies[d][s:e] == t


# --------------------------------------------------------------------------- tokens, ngrams


def test_tokens_offsets_and_flags():
    body = "The U.S. envoy's talks in Kyiv ended. Nothing more."
    arts = _arts(body)
    tok = text.tokens(arts)
    assert list(tok.columns) == list(text.TOKENS)
    for s, e, t in zip(tok["start"], tok["end"], tok["token"], strict=True):
        assert body[s:e] == t
    row = tok.set_index("token")
    assert bool(row.loc["The", "is_stop"]) and not bool(row.loc["Kyiv", "is_stop"])
    assert not row.loc["U.S.", "is_alpha"] and bool(row.loc["envoy", "is_alpha"])
    assert not tok.loc[tok["token"] == ".", "is_alpha"].any()
    assert tok.groupby("sent_id")["token_id"].min().tolist() == [0, 0]
    assert tok["sent_id"].max() == 1


def test_ngrams_do_not_cross_sentences():
    arts = _arts("Peace talks failed. Talks resumed later.")
    grams = text.ngrams(arts, 2)["ngram"].tolist()
    assert "failed talks" not in grams
    assert grams == ["peace talks", "talks failed", "talks resumed", "resumed later"]
    tri = text.ngrams(arts, 3)
    assert tri["ngram"].tolist() == ["peace talks failed", "talks resumed later"]
    body = arts["text"].iloc[0]
    assert body[tri["start"].iloc[1] : tri["end"].iloc[1]] == "Talks resumed later"
    with pytest.raises(ValueError):
        text.ngrams(arts, 0)


def test_collocations_measures():
    docs = ["The grain deal was signed.", "A grain deal again.", "Grain deal talks stalled."] * 2
    arts = _arts(*docs)
    pmi = text.collocations(arts, measure="pmi", min_freq=3)
    assert pmi["bigram"].iloc[0] == "grain deal"
    assert pmi["freq"].iloc[0] == 6
    llr = text.collocations(arts, measure="likelihood_ratio", min_freq=2)
    assert llr["score"].is_monotonic_decreasing
    assert "the grain" not in set(llr["bigram"])  # stopwords dropped
    with pytest.raises(ValueError):
        text.collocations(arts, measure="bogus")


# --------------------------------------------------------------------------- KWIC, term frequency


def test_kwic_escapes_and_highlights():
    arts = _arts("Talks <script>x</script> in Kyiv & Lviv.", "kyiv again; Kyivstar no.")
    k = text.kwic(arts, "Kyiv", width=30)
    assert len(k) == 2  # case-insensitive, whole word: "Kyivstar" is not a hit
    frame = k.to_frame()
    assert frame["keyword"].tolist() == ["Kyiv", "kyiv"]
    html_ = k._repr_html_()
    assert "<script>" not in html_ and "&lt;script&gt;" in html_
    assert "&amp; Lviv" in html_ and "<mark><b>Kyiv</b></mark>" in html_
    assert len(text.kwic(arts, "Kyiv", case=True)) == 1
    assert len(text.kwic(arts, r"Kyiv\w*", regex=True, case=True)) == 2


def test_term_frequency_weekly():
    arts = pd.DataFrame(
        {
            "published": pd.to_datetime(["2023-03-06", "2023-03-07", "2023-03-20", None]),
            "text": ["Xi met Putin. Xi left.", "No names.", "Putin spoke.", "Xi Xi Xi"],
        }
    )
    tf = text.term_frequency(arts, ["xi", "putin"], freq="W")
    xi = tf[tf["term"] == "xi"].set_index("period")
    assert xi["mentions"].sum() == 2  # the undated article is left out
    assert xi["documents"].sum() == 1
    assert len(xi) == 3  # the empty middle week is present with zeros
    assert xi["mentions"].tolist() == [2, 0, 0]
    assert tf[tf["term"] == "putin"]["mentions"].tolist() == [1, 0, 1]
    assert tf["n_docs"].tolist()[:3] == [2, 0, 1]


def test_stopwords_fallback_list_is_own_and_sizeable():
    own = text.read_word_list("stopwords.txt")
    assert 150 <= len(own) <= 260
    assert len(set(own)) == len(own)
    assert {"the", "of", "and", "is"} <= text.stopwords()
