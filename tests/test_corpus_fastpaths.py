"""The loader's fast paths give the same answers as the plain code they shortcut.

Each shortcut added for speed or memory (chunked assembly, block-wise fingerprints, numpy
pair counting, whitespace and control-character tests, hint lines, the rule matcher) is
checked here against a straightforward version of the same computation.
"""

from __future__ import annotations

import gc
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newslab.corpus import dedupe, lang, load, plaintext
from newslab.corpus import rules as rules_mod
from newslab.corpus.decode import _finish, decode_bytes
from newslab.corpus.lang import guess_lang
from newslab.corpus.plaintext import parse_plaintext
from newslab.corpus.rules import default_rules

# Text made of the characters the shortcuts care about: spaces of every kind, newlines,
# control characters, mojibake leads, hint words and sentence ends.
_PIECES = st.lists(
    st.sampled_from(
        [
            "a",
            "Word",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\t",
            "\x0b",
            "\x1c",
            "\x7f",
            "\x00",
            "\u00a0",
            "\u2009",
            "\u200b",
            "\u00ad",
            "â€™",
            "Ã©",
            "é",
            "“",
            ". ",
            "! ",
            "donate",
            "Sign up",
            "/",
            "Read also: x",
            "By Ann Lee",
            "<u>",
            "&amp;",
            "Σ",
            "İ",
            "\u212a",
            "1678901234 0123456789abcdef0123.jpg",
        ]
    ),
    max_size=40,
).map("".join)


@given(_PIECES)
def test_count_words_equals_split(text: str):
    assert load._count_words(text) == len(text.split())


@given(st.lists(_PIECES, max_size=8), st.integers(0, 8))
def test_chunk_word_counts_equal_split(texts: list[str], cut: int):
    import pyarrow as pa

    expected = [len(t.split()) for t in texts]
    assert load._word_counts(texts, pa.array(texts, pa.large_string())).tolist() == expected
    chunked = pa.chunked_array([texts[:cut], texts[cut:]], pa.large_string())
    assert load._word_counts(texts, chunked).tolist() == expected


@given(_PIECES | st.text())
def test_blank_equals_strip(text: str):
    assert load._blank(text) == (not text.strip())
    data = text.encode("utf-8", "surrogatepass")
    assert load._blank(data) == (not data.strip())


@given(st.lists(st.sampled_from(["the", "le", "Le", "der", "“", "’s", "é", "Σ", "12", " "])))
def test_guess_lang_equals_counting_every_word(pieces: list[str]):
    text = " ".join(pieces)
    words = lang._WORD.findall(text.lower())
    counts: dict[str, int] = {}
    for w in words:
        for code in lang._table().get(w, ()):
            counts[code] = counts.get(code, 0) + 1
    expected = None
    if len(words) >= 3 and counts:
        best = max(counts, key=counts.__getitem__)
        expected = best if counts[best] >= max(1, 0.05 * len(words)) else None
    assert guess_lang(text) == expected


@given(
    st.integers(1, 9999) | st.sampled_from([1677, 2262]),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 31),
    st.integers(0, 23),
    st.integers(0, 59),
)
def test_to_datetime_is_the_timestamp_or_none_where_it_is_nat(
    year: int, month: int | None, day: int | None, hour: int, minute: int
):
    from datetime import datetime

    from newslab.corpus.dates import ParsedDate

    date = ParsedDate(year, month, day, hour, minute)
    try:  # the reference: one nanosecond Timestamp per date
        expected = pd.Timestamp(datetime(year, month or 1, day or 1, hour, minute)).as_unit("ns")
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        expected = pd.NaT
    got = date.to_datetime()
    assert (got is None) == (expected is pd.NaT)
    if got is not None:
        assert pd.Timestamp(got) == expected
        assert pd.Series([got], dtype=object).astype("datetime64[ns]")[0] == expected
    assert (
        date.to_timestamp() is expected if expected is pd.NaT else date.to_timestamp() == expected
    )


@given(_PIECES)
def test_decode_fast_paths_match_the_regex_ones(text: str):
    data = text.encode("utf-8")
    try:
        got = decode_bytes(data)
    except ValueError:  # binary: nothing to compare
        return
    # _finish without the raw bytes: mojibake and control characters found by the regexes.
    plain = _finish(data.decode("utf-8"), "utf-8", [], True)
    assert (got.text, got.encoding, got.warnings) == (plain.text, plain.encoding, plain.warnings)


@given(st.text("âÃÂÐÑ€\u0080\u0090\u00a0\u00a9\u00bf a"))
def test_mojibake_is_found_only_where_a_lead_is_and_every_lead_holds_byte_c3(text: str):
    from newslab.corpus import decode

    # _finish looks for byte 0xC3 in the UTF-8 first, then for the leads, then the regex
    assert all(b"\xc3" in lead.encode() for lead in decode._MOJIBAKE_LEADS)
    if decode._MOJIBAKE.search(text):
        assert any(lead in text for lead in decode._MOJIBAKE_LEADS)
        assert b"\xc3" in text.encode()


@given(_PIECES)
def test_hint_lines_are_the_lines_holding_a_hint(text: str):
    rules = default_rules()
    hints = rules._all_hints
    assert hints is not None
    expected = {
        i
        for i, line in enumerate(text.split("\n"), start=1)
        if any(h in line.lower() for h in hints)
    }
    assert set(rules.hint_lines(text)) == expected


@given(
    st.lists(st.text("abs/ ", min_size=1, max_size=6), min_size=1, max_size=6, unique=True),
    st.text("abs/ \n", max_size=60),
)
def test_hint_searches_find_the_lines_of_every_hint_occurrence(hints: list[str], text: str):
    searches = rules_mod._hint_searches(tuple(hints))
    expected = {
        i for i, line in enumerate(text.split("\n"), start=1) if any(h in line for h in hints)
    }
    assert rules_mod.RuleSet._hint_lines_in(text, searches) == expected
    assert all(h.startswith(n) and len(n) >= 4 for n, group in searches if group for h in group)
    assert sorted(h for n, group in searches for h in (group or (n,))) == sorted(hints)


def test_only_two_characters_beyond_ascii_lower_to_ascii():
    # rules.hint_lines searches lowered UTF-8 bytes unless one of these is in the text
    beyond = [
        chr(c) for c in range(128, sys.maxunicode + 1) if any(ord(x) < 128 for x in chr(c).lower())
    ]
    assert set(beyond) == set(rules_mod._ASCII_FROM_LOWER)


def test_hint_lines_see_letters_that_lower_to_ascii():
    rules = rules_mod.load_rules(
        pd.DataFrame(
            [("kb", "drop", "any", "kb", "(?i).*kb.*")],
            columns=["name", "action", "scope", "hint", "pattern"],
        )
    )
    text = "é\nno\n\u212aB here\n"
    assert rules.hint_lines(text) == {3}
    assert rules.match("\u212aB here", prelude=False)[0].name == "kb"


_LINES = st.lists(_PIECES, max_size=12).map("\n".join)


@given(_LINES, _LINES)
def test_clean_body_path_equals_the_general_one(prelude: str, body: str):
    text = " date 2023-03-01 Site\nA title\n" + prelude + "\n" + body
    fast = parse_plaintext(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plaintext, "_is_clean", lambda body: False)
        plain = parse_plaintext(text)
    assert fast == plain


def test_clean_body_path_is_taken_on_clean_text():
    assert plaintext._is_clean("One line.\n\nTwo “quoted” lines.\nThree")
    for dirty in ("a <u>b</u>", "a &amp; b", "a  b", " a", "a ", "a\n b", "a\tb", "a\u200bb"):
        assert not plaintext._is_clean(dirty), dirty


@given(_PIECES, st.booleans(), st.booleans())
def test_matcher_equals_match(text: str, prelude: bool, hints: bool):
    rules = default_rules()
    fast = rules.matcher(prelude=prelude)
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        a = rules.match(line, prelude=prelude, hints=hints)
        b = fast(line, hints)
        assert (a[0].name if a else None) == (b[0].name if b else None)
        assert (a[1].groupdict() if a else None) == (b[1].groupdict() if b else None)


def _pairs_plain(doc, h, keep, max_docs):
    sent = pd.DataFrame({"doc": doc, "h": h}).drop_duplicates()
    sent = sent[keep[sent["doc"].to_numpy()]]
    size = sent.groupby("h")["doc"].transform("size")
    sent = sent[(size > 1) & (size <= max_docs)]
    pairs = sent.merge(sent, on="h", suffixes=("_a", "_b"))
    pairs = pairs[pairs["doc_a"] < pairs["doc_b"]]
    return {
        (int(a), int(b)): int(k) for (a, b), k in pairs.groupby(["doc_a", "doc_b"]).size().items()
    }


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("partition", [7, 400_000])
def test_shared_counts_equal_a_self_merge(
    seed: int, partition: int, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(dedupe, "PAIR_PARTITION", partition)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    m = int(rng.integers(0, 300))
    doc = rng.integers(0, n, m).astype(np.int64)
    h = rng.integers(0, int(rng.integers(1, 60)), m).astype(np.uint64)
    keep = rng.random(n) > 0.2
    max_docs = int(rng.integers(2, 7))
    a, b, k = dedupe._shared_counts(doc, h, keep, n, max_docs)
    got = {(int(x), int(y)): int(z) for x, y, z in zip(a, b, k, strict=True)}
    assert got == _pairs_plain(doc, h, keep, max_docs)


def _texts(n: int, seed: int) -> list[object]:
    rng = np.random.default_rng(seed)
    sentences = [
        "leaders met in beijing on tuesday to sign deals.",
        "they agreed to meet again soon in minsk.",
        "the talks  covered trade and energy policy in depth!",
        "officials said\tlittle about the next round of talks?",
        "markets reacted calmly to the news of the meeting.",
    ]
    out: list[object] = []
    for _ in range(n):
        k = int(rng.integers(0, 5))
        parts = list(rng.choice(sentences, size=k))
        sep = "\n\n" if rng.random() < 0.5 else " "
        out.append(sep.join(parts) if rng.random() > 0.1 else None)
    return out


def test_fingerprint_blocks_change_nothing(monkeypatch: pytest.MonkeyPatch):
    texts = _texts(50, 1)
    whole = dedupe.fingerprint(texts)
    monkeypatch.setattr(dedupe, "FINGERPRINT_BLOCK", 7)
    blocks = dedupe.fingerprint(iter(texts))
    for field in ("exact_key", "nonempty", "doc", "hashes", "counts"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(blocks, field))
    df = pd.DataFrame({"text": pd.array(texts, dtype="string")})
    monkeypatch.setattr(dedupe, "FINGERPRINT_BLOCK", 4)
    small = dedupe.flag_duplicates(df)
    monkeypatch.setattr(dedupe, "FINGERPRINT_BLOCK", 4096)
    big = dedupe.flag_duplicates(df)
    pd.testing.assert_frame_equal(small, big)
    assert small["dup_group"].notna().any()


@given(st.lists(st.text(min_size=0, max_size=30), max_size=8))
def test_fingerprint_exact_key_folds_whitespace_like_split(texts: list[str]):
    fp = dedupe.fingerprint(texts)
    expected = [" ".join(t.lower().split()) for t in texts]
    exp = pd.util.hash_array(np.asarray(expected, dtype=object), categorize=False)
    np.testing.assert_array_equal(fp.exact_key, exp)


def test_chunked_assembly_equals_one_chunk(tmp_path, monkeypatch: pytest.MonkeyPatch):
    for i in range(23):
        body = f"Story number {i} says that the talks in Moscow went on for a long time."
        (tmp_path / f"{i:03d}_a.txt").write_text(
            f" date 2023-03-{i % 28 + 1:02d} Site {i % 3}\nTitle {i}\n\nBy Ann Lee\n\n{body}\n"
            "Read also: another story\n"
        )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "dup.txt").write_text((tmp_path / "000_a.txt").read_text())
    one = load.load_corpus(tmp_path, progress=False)
    monkeypatch.setattr(load, "ASSEMBLE_CHUNK", 2)
    many = load.load_corpus(tmp_path, progress=False)
    pd.testing.assert_frame_equal(one, many)
    r1, r2 = one.attrs["load_report"], many.attrs["load_report"]
    for table in ("files", "issues", "removed"):
        pd.testing.assert_frame_equal(getattr(r1, table), getattr(r2, table))
    assert len(r1.removed) > 23 and one["dup_group"].notna().sum() == 2


def test_assembler_chunk_default_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(load, "ASSEMBLE_CHUNK", 3)
    assert load._Assembler().chunk == 3


@given(st.lists(st.sampled_from(["the", "le", "la", "der", "el", "de", "und", "et"]), max_size=30))
def test_guess_lang_ties_break_by_first_seen(words: list[str]):
    text = " ".join(words)
    table = lang._table()
    ws = text.lower().split()
    counts: dict[str, int] = {}
    for w in ws:
        for code in table.get(w, ()):
            counts[code] = counts.get(code, 0) + 1
    if len(ws) < 3 or not counts:
        expected = None
    else:
        best = max(counts, key=counts.__getitem__)
        expected = best if counts[best] >= max(1, 0.05 * len(ws)) else None
    assert guess_lang(text) == expected


def _same_fingerprints(a: dedupe.Fingerprints, b: dedupe.Fingerprints) -> None:
    for name in ("exact_key", "nonempty", "doc", "hashes", "counts"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)


@given(
    st.lists(st.one_of(_PIECES, st.text(max_size=60), st.none()), max_size=12),
    st.integers(1, 6),
    st.sampled_from([8, 40, 6000]),
)
def test_arrow_fingerprints_equal_the_per_text_ones(texts: list, min_words: int, max_chars: int):
    kw = {"min_words": min_words, "max_chars": max_chars}
    _same_fingerprints(
        dedupe._fingerprint_block(texts, **kw), dedupe._fingerprint_block_py(texts, **kw)
    )


def test_arrow_fingerprints_on_parsed_articles_and_odd_blocks():
    story = "Leaders met in Beijing on Tuesday. They signed a set of new trade deals! Why now?"
    texts = [
        story,
        story.upper(),
        story + "\n\n" + story,
        "x " * 4000 + ". " + story,  # longer than max_chars
        "Tab\there and there. " + story,
        None,
        "",
        "nul\x00 inside. " + story,
    ]
    kw = {"min_words": 5, "max_chars": 6000}
    _same_fingerprints(
        dedupe._fingerprint_block(texts, **kw), dedupe._fingerprint_block_py(texts, **kw)
    )
    lone = dedupe.fingerprint([*texts, "a lone surrogate \ud800 here. " + story])
    _same_fingerprints(lone, dedupe.fingerprint([*texts, "a lone surrogate \ufffd here. " + story]))


def test_re2_space_class_is_python_whitespace():
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    hits = pc.match_substring_regex(pa.array(chars), dedupe._RE2_OTHER_SPACE).to_pylist()
    got = {c for c, hit in zip(chars, hits, strict=True) if hit}
    assert got == {c for c in chars if c.isspace()} - {" ", "\n"}


@given(st.one_of(_PIECES, st.text(max_size=80), st.text("ΑΣσςΒ .'’:İ\u0307a1_", max_size=20)))
def test_lang_words_equal_the_regex_on_lowered_text(text: str):
    assert lang._words(text) == lang._WORD.findall(text.lower())


def test_lang_words_final_sigma_and_dotted_capital_i():
    for text in ["ΟΔΟΣ.Β", "ΟΔΟΣ Β", "İSTANBUL’da", "\u212aELVIN x"]:
        assert lang._words(text) == lang._WORD.findall(text.lower())


@given(st.lists(st.text(" ab\u00e9\n", max_size=30), max_size=20), st.sampled_from([1, 7, 1 << 20]))
def test_space_counts_equal_str_count(strings: list[str], slice_bytes: int):
    import pyarrow as pa

    arr = pa.array(strings, pa.large_string())
    expected = [s.count(" ") for s in strings]
    old = dedupe._SPACE_SLICE
    try:
        dedupe._SPACE_SLICE = slice_bytes
        assert dedupe.space_counts(arr).tolist() == expected
        if len(strings) > 2:  # a slice of an array (offset into its buffers)
            assert dedupe.space_counts(arr.slice(1)).tolist() == expected[1:]
        assert dedupe.space_counts(pa.array(strings, pa.string())).tolist() == expected
    finally:
        dedupe._SPACE_SLICE = old


def test_read_ahead_yields_every_item_in_order_and_asks_for_plain_files_only(
    tmp_path, monkeypatch: pytest.MonkeyPatch
):
    from newslab.corpus import sources

    for k in range(7):
        (tmp_path / f"{k}.txt").write_text(f"Title {k}\n\nBody {k}.")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    asked: list[str] = []
    monkeypatch.setattr(sources, "advise_will_need", asked.append)
    items = list(sources.iter_items(str(tmp_path)))
    seen = []
    for item in sources.read_ahead(iter(items), depth=3):
        seen.append(item)
        # an item comes out once the files of (up to) 3 items after it have been asked for
        position = len(seen) - 1
        ahead = [i.source_path for i in items[: position + 4] if sources.is_plain_file(i)]
        assert asked == ahead
    assert seen == items
    assert asked == [i.source_path for i in items if isinstance(i, sources.Item)]
    assert list(sources.read_ahead(iter(items), depth=0)) == items


def test_advise_will_need_ignores_missing_files(tmp_path):
    from newslab.corpus.sources import advise_will_need

    advise_will_need(str(tmp_path / "no-such-file.txt"))  # no error: the read reports it


def test_load_is_the_same_with_and_without_read_ahead(monkeypatch: pytest.MonkeyPatch):
    from pathlib import Path

    from newslab.corpus import sources

    demo = Path(__file__).resolve().parent.parent / "data" / "demo"
    with_ahead = load.load_corpus(demo, progress=False, workers=1)
    monkeypatch.setattr(sources, "READ_AHEAD", 0)
    without = load.load_corpus(demo, progress=False, workers=1)
    pd.testing.assert_frame_equal(with_ahead, without)
    report, report_without = with_ahead.attrs["load_report"], without.attrs["load_report"]
    pd.testing.assert_frame_equal(report.files, report_without.files)
    pd.testing.assert_frame_equal(report.issues, report_without.issues)


@pytest.mark.parametrize("size", [0, 1, 100, 65_535, 65_536, 65_537, 300_000])
def test_read_file_equals_open_read_whatever_the_listed_size(tmp_path, size: int):
    from newslab.corpus.sources import Limits, _read_file

    path = tmp_path / "a.txt"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    # the size listed may be right, stale (the file grew or shrank since), or unknown
    for listed in (size, 0, max(size - 7, 0), size + 7, -1):
        assert _read_file(str(path), Limits(), listed) == data


def _spy_on_the_collector(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for every file parsed, whether the cyclic garbage collector was on."""
    seen: list[bool] = []
    real = load._parse_bytes

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "_parse_bytes", spy)
    return seen


def _three_articles(folder) -> None:
    for k in range(3):
        (folder / f"00{k}_a.txt").write_text(
            f" date 2023-03-0{k + 1} Kyiv Ledger\nTitle {k}\n\nLeaders met again today, {k}.\n"
        )


def test_the_collector_is_paused_while_loading_and_then_restored(tmp_path, monkeypatch):
    _three_articles(tmp_path)
    seen = _spy_on_the_collector(monkeypatch)
    assert gc.isenabled()
    assert len(load.load_corpus(tmp_path, progress=False)) == 3
    assert seen == [False] * 3 and gc.isenabled()
    with pytest.raises(FileNotFoundError):  # back on after an error too
        load.load_corpus(tmp_path / "missing", progress=False)
    assert gc.isenabled()
    gc.disable()  # and left off when the caller had it off
    try:
        load.load_corpus(tmp_path, progress=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_iter_corpus_gives_the_collector_back_while_the_caller_has_a_chunk(tmp_path, monkeypatch):
    _three_articles(tmp_path)
    seen = _spy_on_the_collector(monkeypatch)
    chunks = 0
    for chunk in load.iter_corpus(tmp_path, chunk_size=1, progress=False):
        assert gc.isenabled() and len(chunk) == 1
        chunks += 1
    assert chunks == 3 and seen == [False] * 3 and gc.isenabled()


_CELL = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(-(2**63), 2**63 - 1),
    st.just(float("nan")),
    st.just("\udc80"),
)


@given(st.lists(st.tuples(_CELL, _CELL, _CELL, _CELL), max_size=6))
def test_report_frames_equal_from_records(rows: list[tuple]):
    # the loader's tables are built column by column; from_records then astype is the reference
    from newslab.corpus.report import REMOVED_COLUMNS, _frame

    def reference() -> pd.DataFrame:
        if not rows:
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in REMOVED_COLUMNS.items()})
        return pd.DataFrame.from_records(rows, columns=list(REMOVED_COLUMNS)).astype(
            REMOVED_COLUMNS
        )

    try:
        expected = reference()
    except Exception as exc:  # noqa: BLE001 - the same rows must fail the same way
        with pytest.raises(type(exc)):
            _frame(rows, REMOVED_COLUMNS)
        return
    pd.testing.assert_frame_equal(_frame(rows, REMOVED_COLUMNS), expected)


def test_report_frames_of_loaded_rows_equal_from_records():
    from newslab.corpus.report import FILE_COLUMNS, _frame

    rows = [
        ("a.txt", "plaintext", "loaded", None, 1, 0, 120, "utf-8", ""),
        ("b.bin", None, "skipped", "binary", 0, 0, None, None, "no date"),
    ]
    expected = pd.DataFrame.from_records(rows, columns=list(FILE_COLUMNS)).astype(FILE_COLUMNS)
    pd.testing.assert_frame_equal(_frame(rows, FILE_COLUMNS), expected)


# Words of several languages (some in more than one: "de", "la", "a"), with the characters
# that send a sample to the per-text path or split words: accents, curly quotes, dashes,
# digits, underscores, a capital sigma.
_LANG_PIECES = st.sampled_from(
    ["the", "The", "and", "le", "la", "der", "el", "de", "und", "et", "a", "of", "que", "и"]
    + ["Xi", "talks", "é", "“", "’s", "—", "Σ", "12", "_", "-", ".", " ", "\n", "  "]
)


@given(
    st.lists(st.lists(_LANG_PIECES, max_size=40).map(" ".join), max_size=8),
    st.sampled_from([800, 30, 5]),
)
def test_guess_langs_equal_guess_lang(texts: list[str], sample: int):
    assert lang.guess_langs(texts, sample) == [guess_lang(t, sample) for t in texts]


@given(st.lists(st.text(max_size=60), max_size=6))
def test_guess_langs_equal_guess_lang_on_any_text(texts: list[str]):
    assert lang.guess_langs(texts) == [guess_lang(t) for t in texts]


def test_parse_bytes_and_the_loader_guess_the_same_language(tmp_path):
    texts = {
        "en.txt": "Title\n\nThe talks with the ministers of the region ended on Monday.",
        "fr.txt": "Titre\n\nLe président a dit que les discussions avec la Chine sont utiles.",
        "none.txt": "Title\n\nXi Putin Kyiv Minsk Beijing Moscow Ankara Astana.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    df = load.load_corpus(tmp_path, progress=False).set_index("doc_id")
    one_by_one = {
        name[:-4]: load.parse_bytes(text.encode(), source_path=name, name=name).articles[0]["lang"]
        for name, text in texts.items()
    }
    assert one_by_one == {"en": "en", "fr": "fr", "none": None}
    assert df["lang"].astype(object).where(df["lang"].notna(), None).to_dict() == one_by_one
