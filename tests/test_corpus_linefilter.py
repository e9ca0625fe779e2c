"""The rules' line filter is sound: it never leaves out a line that a rule fully matches.

:mod:`newslab.corpus.linefilter` reads literal prefixes and suffixes out of the rules' regular
expressions, and the parser then matches only the lines the filter returns. These tests
generate lines from each rule's own pattern (hypothesis ``from_regex``) and check that the
filter returns every one of them, and that parsing with the filter gives the same articles
as matching every line.
"""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslab.corpus import plaintext
from newslab.corpus.linefilter import CASE_TWINS, LineFilter, line_affixes, trie
from newslab.corpus.plaintext import parse_plaintext
from newslab.corpus.rules import RuleSet, default_rules, load_rules

_DEFAULT = default_rules()
_UNHINTED = [r for r in _DEFAULT.rules if not r.hint]


def _is_candidate(filt: LineFilter, line: str) -> bool:
    """Whether ``filt`` returns ``line`` set between two lines of prose."""
    text = "Leaders met in Beijing on Tuesday.\n" + line + "\nThey signed several agreements."
    lines = text.split("\n")
    assert len(lines) == 3
    return 2 in filt.candidates(text.encode("utf-8", "surrogatepass").lower(), lines)


def test_case_twins_are_the_characters_matching_ascii_letters_case_insensitively():
    letter = re.compile("[a-z]", re.IGNORECASE)
    twins = [
        chr(c)
        for c in range(128, sys.maxunicode + 1)
        if not 0xD800 <= c < 0xE000 and letter.fullmatch(chr(c))
    ]
    assert set(twins) == set(CASE_TWINS)


def test_default_rules_are_filtered():
    filt = _DEFAULT.line_filter
    assert filt is not None
    # every default rule has a prefix or a suffix, or starts with a non-letter: no width bound
    assert filt.width == 0
    assert {"read also", "share", "copyright", "by"} <= filt.prefixes
    assert ".jpg" in filt.suffixes


@pytest.mark.parametrize("rule", _UNHINTED, ids=lambda r: r.name)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_line_a_default_rule_matches_is_a_candidate(rule, data):
    line = data.draw(st.from_regex(rule.pattern, fullmatch=True))
    if "\n" in line or "\r" in line or any(ch in line for ch in CASE_TWINS):
        return  # not one line; or a text the parser matches line by line anyway
    assert rule.pattern.fullmatch(line)
    assert _is_candidate(_DEFAULT.line_filter, line), (rule.name, line)


# Patterns a user's rules table might hold, with the constructs the analysis must get right:
# optional parts, case-insensitive and non-ASCII literals, classes, repeats, look-aheads.
_USER_PATTERNS = [
    r"(?i)(?:©|\(c\))\s*\d{4}.*",
    r"x?y?zz.*",
    r"[Bb]y [A-Z]\w+",
    r"(?i)(?:the )?(?:ap|afp) contributed\.?",
    r"\w+\.pdf",
    r"(?i)[•⦁]?\s*wire reports",
    r"(?i)ſhare",
    r"(?i)(?=.*\bpaywall\b).{0,80}",
    r"(?:Photo|Foto)(?: credit)?: .{1,40}",
    r"[\W_]{1,10}|\d+",
    r"(?i)(?:read|see) (?:also|more)(?::|\s-)?\s.{1,60}",
    r"(?i).{1,20} reports?",
    r"\w{3,12}",
    r"(a|b)c\1",
]


@pytest.mark.parametrize("pattern", _USER_PATTERNS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_line_a_user_pattern_matches_is_a_candidate(pattern, data):
    compiled = re.compile(pattern)
    filt = LineFilter.build([compiled])
    if filt is None:  # the analysis gave up: every line is matched, nothing to check
        return
    line = data.draw(st.from_regex(compiled, fullmatch=True))
    if "\n" in line or "\r" in line or any(ch in line for ch in CASE_TWINS):
        return
    assert _is_candidate(filt, line), (pattern, line)


_TAIL_PIECES = st.sampled_from(
    ["ap", "AP", "a", "p", ".jpg", "read more", "Read More", "report.", " ", "x", "é", "\n", "\n\n"]
)
_SUFFIXES = st.sets(
    st.sampled_from(["ap", ".jpg", "read more", "report.", "p", "e more", "x", "rt."]), min_size=1
)


@given(st.lists(_TAIL_PIECES, max_size=30).map("".join), _SUFFIXES)
def test_suffix_scan_finds_the_lines_ending_with_a_suffix(text: str, suffixes: set[str]):
    # suffixes that share no first byte: the scan must not depend on one (it once tried the
    # whole pattern at every byte then, 200 us per article instead of 5)
    filt = LineFilter([], suffixes, 0)
    lines = text.split("\n")
    ends = tuple(x.encode() for x in suffixes)
    expected = set()
    for i, line in enumerate(lines, 1):
        low = line.encode().lower()
        if low.endswith(ends) or (low and not b"a" <= low[:1] <= b"z"):  # or a head candidate
            expected.add(i)
    assert filt.candidates(text.encode().lower(), lines) == expected


@given(
    st.lists(st.sampled_from(["ma", "mar", "rs", "ch", "y", "a", "M", "AR", "S", "é", "."])).map(
        "".join
    )
)
def test_trie_matches_what_the_plain_alternation_matches(word: str):
    words = ["mar", "march", "mars", "may", "ma", "mé", "a"]
    plain = re.compile("|".join(sorted(words, key=len, reverse=True)), re.IGNORECASE)
    shaped = re.compile(trie(words), re.IGNORECASE)
    assert (shaped.fullmatch(word) is None) == (plain.fullmatch(word) is None)
    assert (shaped.match(word) is None) == (plain.match(word) is None)


def test_affixes_of_some_patterns():
    assert line_affixes(re.compile(r"(?i)(?:the )?(?:ap|afp) contributed"))[0] == {
        "the ap contributed",
        "the afp contributed",
        "ap contributed",
        "afp contributed",
    }
    # starts with a non-letter only: no string needed, no width
    assert line_affixes(re.compile(r"[\W_]{1,40}|\d{1,3}")) == (frozenset(), frozenset(), 0)
    # a non-ASCII case-insensitive literal that matches "s": the line can start with a letter
    prefixes, suffixes, width = line_affixes(re.compile(r"(?i)ſhare"))
    assert (prefixes, suffixes, width) == (frozenset(), frozenset({"hare"}), 0)
    # a suffix when the start is not known
    assert line_affixes(re.compile(r"(?i).{1,20} reports?"))[1] == {" report", " reports"}
    # neither side known: the width bound
    assert line_affixes(re.compile(r"\w{3,12}")) == (frozenset(), frozenset(), 12)


def test_unbounded_rules_turn_the_filter_off():
    rules = load_rules(
        pd.DataFrame(
            [("anything_long", "drop", "any", "", r"(?i).*wire reports.*")],
            columns=["name", "action", "scope", "hint", "pattern"],
        )
    )
    assert rules.line_filter is None
    text = "A title\n\nPara one is here.\nSome agency wire reports\nPara two."
    hinted, candidates = rules.scan_lines(text, text.split("\n"))
    assert candidates is None
    art = parse_plaintext(text, rules)
    assert art.text == "Para one is here. Para two."
    assert [rule for _, rule, _ in art.removed] == ["anything_long"]


def test_texts_with_case_twins_are_matched_line_by_line():
    text = "Body line.\nRead al\u017fo: next story\nMore body."
    hinted, candidates = _DEFAULT.scan_lines(text, text.split("\n"))
    assert candidates is None
    # "ſ" matches "s" case-insensitively: the rule still removes the line
    assert "read_also" in [rule for _, rule, _ in parse_plaintext(text).removed]


def _without_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    def scan_all(self: RuleSet, text: str, lines: list[str]):
        return self.hint_lines(text), None

    monkeypatch.setattr(RuleSet, "scan_lines", scan_all)


# Lines that rules match, lines that look like them but are prose, and the pieces that make a
# body clean or not.
_LINE = st.sampled_from(
    [
        "",
        "",
        "Leaders met in Beijing on Tuesday and signed several agreements on trade.",
        "the talks went on",
        "Read also: Xi lands in Moscow",
        "Reading the statement, officials said little.",
        "Share",
        "Shares fell on the news.",
        "Advertisement",
        "Ad",
        "Original url:",
        "Original url: https://example.org/a",
        "https://example.org/2023/03/13/xi-to-visit-russia-a 80462",
        "1678901234 0123456789abcdef0123.jpg",
        "beijing-talks.jpg",
        "Photo: Reuters",
        "© 2023 Baltic Courier",
        "(With inputs from agencies)",
        "Please donate now to support our newsroom.",
        "Sign up for our daily newsletter",
        "Xi and Putin. Kremlin / TASS",
        "By Olena Petrenko",
        "12:45 pm",
        "--",
        "“We do not accept this,” he said.",
        "Tags: China, Russia",
        "A <u>marked</u> line",
        "Xi&nbsp;spoke",
        "  indented line",
        "\u0130stanbul hosted talks",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=30), st.lists(_LINE, max_size=30))
def test_filtered_parse_equals_matching_every_line(prelude: list[str], body: list[str]):
    text = " date 2023-03-01 Site\nA title for the story\n" + "\n".join(prelude + body)
    fast = parse_plaintext(text)
    with pytest.MonkeyPatch.context() as mp:
        _without_filter(mp)
        plain = parse_plaintext(text)
    assert fast == plain


def test_demo_corpus_parses_the_same_without_the_filter(monkeypatch: pytest.MonkeyPatch):
    from pathlib import Path

    from newslab.corpus.decode import decode_bytes

    files = sorted((Path(__file__).resolve().parent.parent / "data").rglob("*.txt"))
    assert len(files) >= 60
    texts = []
    for path in files:
        try:
            texts.append(decode_bytes(path.read_bytes()).text)
        except ValueError:
            continue  # the demo corpus's broken files
    fast = [parse_plaintext(t) for t in texts]
    _without_filter(monkeypatch)
    assert [parse_plaintext(t) for t in texts] == fast


def test_clean_body_takes_the_url_after_an_empty_url_line():
    body = [
        "Leaders met in Beijing on Tuesday and signed several agreements on trade.",
        "Original url:",
        "",
        "https://example.org/2023/03/13/xi-to-visit-russia-a 80462",
        "",
        "They will meet again in",
        "",
        "autumn.",
    ]
    text = (
        "Talks in Beijing\n\nBy Ann Lee\n\nFirst paragraph of the story is here.\n\n"
        + "\n".join(["Second paragraph of the story follows on here."] + body)
    )
    art = parse_plaintext(text)
    assert art.url == "https://example.org/2023/03/13/xi-to-visit-russia-a80462"
    assert [rule for _, rule, _ in art.removed] == ["byline", "original_url", "original_url"]
    assert art.text.split("\n\n") == [
        "First paragraph of the story is here.",
        "Second paragraph of the story follows on here. Leaders met in Beijing on Tuesday "
        "and signed several agreements on trade.",
        "They will meet again in autumn.",
    ]


def test_clean_body_path_is_taken(monkeypatch: pytest.MonkeyPatch):
    calls = []
    real = plaintext._parse_clean_body

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(plaintext, "_parse_clean_body", spy)
    text = "Title here\n\nFirst paragraph is here.\n\nSecond one.\n\nThird one.\n\nRead also: x\n"
    parse_plaintext(text)
    assert calls
