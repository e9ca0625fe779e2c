"""The scraped plaintext format: every quirk of the seed files, on text written for these tests."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslab.corpus.dates import date_in_url, match_date_line, month_table, parse_date
from newslab.corpus.plaintext import clean_inline, outlet_for_url, parse_plaintext, repair_url
from newslab.corpus.rules import default_rules, load_rules

# A page in the shape of seed 000 (aggregator header, title twice, widgets, byline, image line,
# caption, "Read also" links, a donation appeal, and the original publisher at the end).
LEDGER = """ date 2023-02-27 Newsroll
Minsk leader heads to Beijing as sanctions bite

Minsk leader heads to Beijing as sanctions bite

Latest news

Published on

By Oksana
1677464430 17aad173c54e9c9510b48e9687451387.jpeg
President Alexander Lukashenko

Alexander Lukashenko will travel to China from Feb. 28 to March 2 and hold talks with Xi Jinping, his office said on Monday.

Read also: Kyiv watches Beijing's peace plan closely

The Belarusian leader is expected to sign deals on trade and industry during the trip.

Read also: Drones and shells: what Washington fears

Independent reporting costs money. Support us with a one-time donation, or become a Patron!

Read the original article on Kyiv Ledger
"""

# A page in the shape of seed 003 (leading space line, date line, credit caption, HTML remnants,
# a paragraph broken mid-sentence, a related link and a URL broken by a space, no final newline).
OBSERVER = (
    " \n\n\nXi to Visit Moscow 'Within Days' – Sources\n\nMarch 13, 2023\n\n\n\n"
    "Chinese President Xi Jinping. Ivan Petrov / TASS\n\n"
    "Xi Jinping will travel to Moscow soon, news agencies <u>reported</u> on Monday, "
    "quoting people &quot;familiar with the plans&quot;.\n\n"
    "The Kremlin said the dates would be announced in good time, and that the two leaders\n\n"
    "would discuss trade &amp; security.\n\n"
    "Related article: Putin Hails Xi's New Term\n\n"
    "Original url:\n\n"
    "https://www.moscowobserver.example/2023/03/13/xi-to-visit-moscow-a 80462"
)


def test_seed_000_shape():
    art = parse_plaintext(LEDGER)
    assert art.title == "Minsk leader heads to Beijing as sanctions bite"
    assert art.date is not None and art.date.to_timestamp() == pd.Timestamp("2023-02-27")
    assert art.site == "Newsroll"
    assert art.outlet == "Kyiv Ledger"  # the original publisher, not the aggregator
    assert art.author == "Oksana"
    rules = [r for _, r, _ in art.removed]
    assert rules == [
        "header",
        "repeated_title",
        "latest_news",
        "published_on",
        "byline",
        "image_file",
        "caption",
        "read_also",
        "read_also",
        "donation_appeal",
        "original_article",
    ]
    assert art.text.startswith("Alexander Lukashenko will travel to China")
    assert art.text.endswith("during the trip.")
    for junk in ("Read also", "Patron", "jpeg", "Latest news", "Published on", "By Oksana"):
        assert junk not in art.text


def test_seed_003_shape():
    art = parse_plaintext(OBSERVER)
    assert art.title == "Xi to Visit Moscow 'Within Days' – Sources"
    assert art.date.to_timestamp() == pd.Timestamp("2023-03-13")
    assert art.url == "https://www.moscowobserver.example/2023/03/13/xi-to-visit-moscow-a80462"
    assert art.outlet == "Moscow Observer"  # from the URL's domain via data/outlets.csv
    assert "<u>" not in art.text and "&quot;" not in art.text and "&amp;" not in art.text
    assert 'reported on Monday, quoting people "familiar with the plans".' in art.text
    # the paragraph broken mid-sentence is joined again
    assert "the two leaders would discuss trade & security." in art.text
    assert "Related article" not in art.text and "TASS" not in art.text
    assert "Original url" not in art.text and "http" not in art.text
    assert {r for _, r, _ in art.removed} >= {
        "date_line",
        "caption_credit",
        "read_also",
        "original_url",
    }


def test_removed_lines_keep_line_numbers_and_text():
    art = parse_plaintext(LEDGER)
    lines = LEDGER.split("\n")
    for line_no, _rule, text in art.removed:
        assert lines[line_no - 1].strip() == text.strip()


def test_nothing_lost_every_nonblank_line_is_body_field_or_removed():
    art = parse_plaintext(LEDGER)
    removed = {n for n, _, _ in art.removed}
    for n, line in enumerate(LEDGER.split("\n"), start=1):
        if not line.strip() or n in removed:
            continue
        assert line.strip() == art.title or line.strip() in art.text


def test_hard_wrapped_paragraphs_are_unwrapped():
    text = (
        " date 2023-03-20 Asia Wire Digest\nLeaders Meet In Moscow\nSource: Xinhua\n2023-03-20\n\n"
        "Chinese President Xi Jinping arrived in Moscow on Monday for a three-day\n"
        "state visit, his first trip abroad since securing a third term as\npresident.\n\n"
        "Tags: China, Russia, diplomacy\nCopyright 2023 Asia Wire Digest. Click here to subscribe.\n"
    )
    art = parse_plaintext(text)
    assert art.text == (
        "Chinese President Xi Jinping arrived in Moscow on Monday for a three-day state visit, "
        "his first trip abroad since securing a third term as president."
    )
    assert {"source_agency", "date_line", "tags", "copyright_site"} <= {
        r for _, r, _ in art.removed
    }


def test_month_precision_header_upgraded_by_foreign_date_line():
    text = (
        " date 2023-02 Baltic Courier\nPeace plan divides Europe\n22 février 2023\n"
        "Translated from French by Marie Dubois\n\n"
        "European capitals gave a cool welcome on Friday to the twelve points that Beijing published.\n\n"
        "Lire aussi : Berlin et Paris face à Pékin\n\n© Baltic Courier 2023. All rights reserved.\n"
    )
    art = parse_plaintext(text)
    assert art.date.to_timestamp() == pd.Timestamp("2023-02-22")
    assert art.date.precision == "day"
    assert "Lire aussi" not in art.text and "Translated" not in art.text and "©" not in art.text


def test_month_precision_header_alone_stays_month():
    art = parse_plaintext(
        " date 2023-03 Baltic Courier\nTitle here\n\nA body sentence that is long enough to count.\n"
    )
    assert art.date.precision == "month"
    assert art.date.to_timestamp() == pd.Timestamp("2023-03-01")


def test_indian_wire_layout():
    text = (
        " date 2023-03-20 Delhi Dispatch\nXi lands in Moscow for talks\nMar 20, 2023 / 05:11 PM IST\n"
        "Updated: Mar 20, 2023 / 06:02 PM IST\nBy Ravi Menon | Edited by Asha Rao\n\n"
        "Chinese President Xi Jinping landed in Moscow on Monday for talks with Vladimir Putin.\n\n"
        "Also Read | What the position paper says\n\n(With inputs from agencies)\n\n"
        "Follow Delhi Dispatch on Twitter and Telegram for the latest updates.\n"
    )
    art = parse_plaintext(text)
    assert art.author == "Ravi Menon"
    assert art.date.to_timestamp() == pd.Timestamp("2023-03-20")  # header wins over the time line
    assert (
        art.text
        == "Chinese President Xi Jinping landed in Moscow on Monday for talks with Vladimir Putin."
    )
    assert {"updated_date", "read_also", "inputs_from", "follow_us"} <= {
        r for _, r, _ in art.removed
    }


def test_european_layout_with_entities_and_ads():
    text = (
        "Scholz presses Beijing on arms\n"
        "Germany&#8217;s chancellor urged China to keep weapons out of the war.\n"
        "By Anna Weber and Tomas Novak\n13 March 2023\n\n"
        "Olaf Scholz said on Sunday that Beijing should use its influence on Moscow.\n\n"
        "Advertisement\n\nPhoto: Jane Doe/AFP\n\n"
        "The chancellor spoke&nbsp;after talks with EU partners &amp; allies.\n\n"
        "Share this article\n\nSubscribe to our daily briefing\n"
    )
    art = parse_plaintext(text)
    assert art.author == "Anna Weber; Tomas Novak"
    assert art.date.to_timestamp() == pd.Timestamp("2023-03-13")
    assert "Germany’s chancellor urged China" in art.text  # the standfirst is text, entity decoded
    assert "EU partners & allies." in art.text and "\u00a0" not in art.text
    for junk in ("Advertisement", "Photo:", "Share this", "Subscribe"):
        assert junk not in art.text


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("March 13, 2023", "2023-03-13", "day"),
        ("13 March 2023", "2023-03-13", "day"),
        ("Mar 20, 2023 / 05:11 PM IST", "2023-03-20 17:11", "day"),
        ("2023-03-20", "2023-03-20", "day"),
        ("2023-03-21T09:30:00+03:00", "2023-03-21 09:30", "day"),
        ("Sept. 5, 2023", "2023-09-05", "day"),
        ("22 février 2023", "2023-02-22", "day"),
        ("22. Februar 2023", "2023-02-22", "day"),
        ("22 de febrero de 2023", "2023-02-22", "day"),
        ("22 lutego 2023", "2023-02-22", "day"),
        ("22 февраля 2023", "2023-02-22", "day"),
        ("22 лютого 2023", "2023-02-22", "day"),
        ("21/03/2023", "2023-03-21", "day"),
        ("Monday, March 20, 2023", "2023-03-20", "day"),
        ("March 2023", "2023-03-01", "month"),
        ("2023-03", "2023-03-01", "month"),
    ],
)
def test_dates_written_many_ways(value, expected, precision):
    parsed = parse_date(value)
    assert parsed is not None
    assert parsed.to_timestamp() == pd.Timestamp(expected)
    assert parsed.precision == precision


@pytest.mark.parametrize(
    "value",
    ["Putin met Xi on March 20, 2023.", "The march on Kyiv", "31/02/2023", "2023-13-01", "May"],
)
def test_not_dates(value):
    assert match_date_line(value) is None


def test_every_month_name_is_read():
    for name, month in month_table().items():
        for written in (f"13 {name} 2023", f"{name.upper()}. 13, 2023", f"{name.title()} 2023"):
            got = parse_date(written)
            assert got is not None and (got.year, got.month) == (2023, month), written


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ledger.example/world/2023/03/13/talks/", (2023, 3, 13)),
        ("https://ledger.example/2023/03/13", (2023, 3, 13)),
        ("https://ledger.example/2023/02/talks-in-beijing", (2023, 2, None)),
        ("https://ledger.example/2023/02/30/talks", (2023, 2, None)),  # no such day
        ("https://ledger.example/a/talks-2023-03-20.html", (2023, 3, 20)),
        ("https://ledger.example/a/talks-2011-2023-03-20?x=1", (2023, 3, 20)),
        ("https://ledger.example/2023/07", None),  # a month must end its path segment
        ("https://2023.example/03/13/a", None),  # the host is not read
        ("https://ledger.example/a?from=/2023/03/13/", None),  # nor the query
        ("https://ledger.example/p/12023/03/13/a", None),
        ("https://ledger.example/2023/13/01/a", None),
        ("https://ledger.example/world-asia-64420913", None),
        ("", None),
    ],
)
def test_date_in_url(url: str, expected: tuple | None):
    got = date_in_url(url)
    assert (None if got is None else (got.year, got.month, got.day)) == expected


def test_url_repair_and_outlets():
    assert repair_url("https://a.example/x/y-a 80462") == "https://a.example/x/y-a80462"
    assert repair_url("https://a.example/x said the report") == "https://a.example/x"
    assert outlet_for_url("https://www.themoscowtimes.com/2023/03/13/a") == "The Moscow Times"
    assert clean_inline("<b>Bold</b>&nbsp;move") == "Bold move"


def test_rules_file_is_extensible(tmp_path):
    extra = tmp_path / "extra.tsv"
    extra.write_text(
        "name\taction\tscope\thint\tpattern\nwatch_video\tdrop\tany\t\t(?i)watch the video:.*\n",
        "utf-8",
    )
    rules = load_rules(extra) + default_rules()
    text = " date 2023-03-01 X\nTitle\n\nA long enough body sentence about the talks in Minsk.\n\nWatch the video: talks\n"
    art = parse_plaintext(text, rules)
    assert "Watch the video" not in art.text
    assert "watch_video" in {r for _, r, _ in art.removed}


def test_bad_rules_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\taction\tscope\tpattern\nx\texplode\tany\tfoo\n", "utf-8")
    with pytest.raises(ValueError, match="unknown action"):
        load_rules(bad)
    bad.write_text("name\taction\tscope\tpattern\nx\tdrop\tany\t(unclosed\n", "utf-8")
    with pytest.raises(ValueError, match="bad pattern"):
        load_rules(bad)


# Web-page furniture seen in real scraped bodies (the lines here are made up): each line is
# removed whole by the rule named, anywhere in the body.
_WIDGET_LINES = [
    ("Advertisement:", "advertisement"),
    ("CLICK TO GET THE KYIV LEDGER APP", "click_here"),
    ("Click for more from the Baltic Courier.", "click_here"),
    ("Newsletter Sign-up", "subscribe"),
    ("Subscribe on your podcast app, wherever you listen.", "subscribe"),
    ("Join us on Facebook.com/KyivLedgerOpinion.", "follow_us"),
    ("Read or Share this story: https://news.example.org/s/123", "share"),
    ("YouTube", "embed_label"),
    ("Your browser does not support the video tag.", "embed_label"),
    (
        "JUST WATCHED Wang Yi lands in Moscow Replay More Videos ... "
        "MUST WATCH Wang Yi lands in Moscow 01:42",
        "video_player",
    ),
    ("Beijing's peace plan: what it says and what it leaves out Read more", "read_more_link"),
    ("( PHOTOS: Lukashenko's visit to Beijing)", "gallery_link"),
    (
        "Image Xi Jinping arrives at Vnukovo airport. Credit... Ann Lee/Kyiv Ledger",
        "media_caption",
    ),
    ("Photographer: Ann Lee/Bloomberg Photographer: Ann Lee/Bloomberg", "photo_credit"),
    ("Ann Lee/AP", "agency_credit"),
    ("Olena Petrenko and Tom Hart contributed to this report.", "contributed_line"),
    ("Ledger staff contributed reporting to this story", "contributed_line"),
    ("Support the Ledger’s independent journalism", "support_journalism"),
    ("— With assistance by Olena Petrenko, Tom Hart and Ann Lee", "credit_line"),
    ("Send tips to desk@kyivledger.example.", "credit_line"),
    ("Contact us at letters@kyivledger.example.", "credit_line"),
    ("This story has been updated with reaction from Kyiv.", "article_age"),
    ("This is a rush transcript.", "article_age"),
    ("Thank you for signing up. Our weekend edition is out on Saturday", "subscribe"),
    ("Go deeper:", "more_links"),
]


@pytest.mark.parametrize(("line", "rule"), _WIDGET_LINES)
def test_web_widget_lines_are_removed(line: str, rule: str):
    body = (
        "Leaders met in Beijing on Tuesday and signed several agreements on trade.\n\n"
        f"{line}\n\n"
        "The talks are due to continue in Moscow next month, officials said.\n"
    )
    art = parse_plaintext(" date 2023-03-01 Kyiv Ledger\nTalks in Beijing\n\n" + body)
    assert [(r, t) for _, r, t in art.removed if r != "header"] == [(rule, line)]
    assert art.text.split("\n\n") == [
        "Leaders met in Beijing on Tuesday and signed several agreements on trade.",
        "The talks are due to continue in Moscow next month, officials said.",
    ]
    # the same in a structured record's body
    rec = parse_plaintext(body, body_only=True, title="Talks in Beijing")
    assert [(r, t) for _, r, t in rec.removed] == [(rule, line)]


def test_original_article_line_with_a_date_and_a_link():
    text = (
        "Talks in Beijing\n\nLeaders met in Beijing on Tuesday and signed several agreements.\n\n"
        "This article originally appeared at The Baltic Courier on March 1, 2023. "
        "Read the original by clicking here.\n"
    )
    art = parse_plaintext(text)
    assert art.outlet == "The Baltic Courier"
    assert [r for _, r, _ in art.removed] == ["original_article"]


@pytest.mark.parametrize(
    "line",
    [
        "Officials said the agency would share its findings with Kyiv, Reuters reported.",
        "Twitter said it had removed the accounts, which it said were run from abroad.",
        "The ministry said reporters who contributed to this report had been detained.",
        "Click-through rates on the state broadcaster's site doubled after the visit.",
        "He urged readers to support independent journalism in a speech on Tuesday evening.",
    ],
)
def test_prose_near_the_widget_rules_is_kept(line: str):
    text = " date 2023-03-01 X\nTitle\n\nLeaders met in Beijing on Tuesday.\n\n" + line + "\n"
    assert line in parse_plaintext(text).text


def test_body_sentences_about_donations_are_kept():
    text = (
        " date 2023-03-01 X\nTitle\n\n"
        "Western donors pledged new donations of generators to Ukraine's power grid on Tuesday.\n"
    )
    assert "donations of generators" in parse_plaintext(text).text


# ------------------------------------------------------------- rule matching shortcuts


def _first_rule(rules, line: str, prelude: bool):
    """The plain definition: the first rule of the scope that matches the whole line."""
    lower = line.lower()
    for rule in rules.rules:
        if rule.scope == "prelude" and not prelude:
            continue
        if rule.hint and not any(h in lower for h in rule.hint):
            continue
        if rule.pattern.fullmatch(line):
            return rule.name
    return None


_PIECES = [
    "Read also: ",
    "read more - ",
    "By ",
    "BY: ",
    "Photo: ",
    "© 2023 ",
    "(c) ",
    "Copyright ",
    "Share",
    "Advertisement",
    "Please donate now, ",
    "support our journalism ",
    "you ",
    "newsletter ",
    "in your inbox",
    " / AFP",
    "1677464430 c3ecafbcb1a1b926.jpeg",
    "10:30 am",
    "—",
    "\u01c4",
    "\u212a",  # Kelvin sign: matches "k" case-insensitively
    "\u017f",  # long s: matches "s" case-insensitively
    "\u0130",
    "\u03a3",
    "Putin met Xi in Moscow.",
]


@settings(max_examples=400, deadline=None)
@given(
    parts=st.lists(
        st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), min_size=1, max_size=6
    ),
    prelude=st.booleans(),
)
def test_rule_match_equals_first_matching_rule(parts: list[str], prelude: bool):
    # RuleSet.match tries only the rules a line's first character allows and skips hinted
    # rules when no hint occurs; the answer must be the plain first-match-wins one.
    rules = default_rules()
    line = "".join(parts).strip()
    if not line:
        return
    hit = rules.match(line, prelude=prelude)
    assert (hit[0].name if hit else None) == _first_rule(rules, line, prelude)
    # may_hint(text) is False only when no line of the text holds a hint
    if not rules.may_hint(line):
        hinted = rules.match(line, prelude=prelude, hints=False)
        assert (hinted[0].name if hinted else None) == _first_rule(rules, line, prelude)


def test_rule_match_with_a_case_insensitive_non_ascii_first_letter():
    # "ſ" (long s) matches "s" under IGNORECASE: the first-character shortcut must not skip
    # the rules that start with "s".
    rules = load_rules(
        pd.DataFrame(
            {
                "name": ["shared"],
                "action": ["drop"],
                "scope": ["any"],
                "hint": [""],
                "pattern": ["(?i)share this"],
            }
        )
    )
    assert rules.match("ſhare this", prelude=False)[0].name == "shared"
    assert rules.match("Share this", prelude=False)[0].name == "shared"
    assert rules.match("hare this", prelude=False) is None
