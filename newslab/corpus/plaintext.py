"""Parse one scraped plaintext article: header, title, date, byline, body, boilerplate.

The format is what scrapers of news sites leave behind: an optional `` date YYYY-MM-DD Site``
header, the title (often printed twice), "Latest news"/"Published on" widgets, a ``By <Name>``
byline, image-file lines and captions, "Read also:" links, donation appeals, HTML remnants,
paragraphs broken mid-sentence, hard-wrapped lines and an ``Original url:`` whose URL has been
broken by a space. :func:`parse_plaintext` turns such a text into fields and a clean body, and
records every line it removes and why.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from newslab.corpus.dates import ParsedDate, match_date_line
from newslab.corpus.rules import RuleSet, default_rules

__all__ = ["ParsedArticle", "parse_plaintext", "repair_url", "clean_inline", "outlet_for_url"]

_HEADER = re.compile(
    r"^\s*date\s+(?P<date>\d{4}-\d{2}(?:-\d{2})?)(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s*(?P<site>.*?)\s*$"
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_URL_START = re.compile(r"(?i)^(?:https?://|www\.)\S+")
_URL_PIECE = re.compile(r"^[A-Za-z0-9\-._~%/?#\[\]@!$&'()*+,;=:]+$")
_IMAGE_LINE = re.compile(r"^\d{9,11}\s+[0-9a-fA-F]{16,64}\.\w{3,4}$")
_END_PUNCT = tuple('.!?…"”’»):;')
_PRELUDE_LINES = 14  # non-blank lines after the header in which prelude rules apply
_MAX_RULE_LINE = 600  # longer lines are body text: rules are not tried on them


@dataclass
class ParsedArticle:
    """The fields of one parsed article."""

    title: str | None = None
    date: ParsedDate | None = None
    date_source: str | None = None
    site: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    text: str = ""
    removed: list[tuple[int, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def clean_inline(line: str) -> str:
    """Return ``line`` without HTML tags and entities, with runs of spaces folded.

    Examples
    --------
    >>> clean_inline("Reuters <u>reported</u> &quot;no-limits&quot;&nbsp;ties &amp; more")
    'Reuters reported "no-limits" ties & more'
    """
    if "<" in line:
        line = _TAG.sub("", line)
    if "&" in line:
        line = html.unescape(line)
    return " ".join(line.replace("\u200b", "").split())


def repair_url(value: str) -> str | None:
    """Return the URL at the start of ``value``, rejoining pieces a scraper split with spaces.

    Examples
    --------
    >>> repair_url("https://www.example.org/2023/03/13/xi-to-visit-russia-a 80462")
    'https://www.example.org/2023/03/13/xi-to-visit-russia-a80462'
    >>> repair_url("not a url") is None
    True
    """
    tokens = value.strip().split()
    if not tokens or not _URL_START.match(tokens[0]):
        return None
    url = tokens[0]
    for tok in tokens[1:]:
        # A piece split off by a scraper carries URL punctuation or digits ("a 80462"), or the
        # URL before it stops mid-word at a separator; a plain word after the URL is prose.
        joinable = not tok.isalpha() or url.endswith(("-", "/", "_", "=", ".", "?", "&"))
        if not _URL_PIECE.match(tok) or not joinable:
            break
        url += tok
    return url.rstrip(".,;)")


@lru_cache(maxsize=1)
def _outlet_domains() -> dict[str, str]:
    text = resources.files("newslab.corpus").joinpath("data/outlets.csv").read_text("utf-8")
    table = {}
    for line in text.splitlines()[1:]:
        if line.startswith("#") or line.startswith("domain,") or not line.strip():
            continue
        domain, outlet = line.split(",", 1)
        table[domain.strip().lower()] = outlet.strip()
    return table


def outlet_for_url(url: str | None) -> str | None:
    """Return the outlet name for a URL's domain (``data/outlets.csv``), else the bare domain.

    Examples
    --------
    >>> outlet_for_url("https://www.themoscowtimes.com/2023/03/13/x")
    'The Moscow Times'
    >>> outlet_for_url("https://news.example.net/a")
    'news.example.net'
    """
    if not url:
        return None
    m = re.match(r"(?i)^(?:https?://)?(?:www\.)?([^/:?#\s]+)", url)
    if not m:
        return None
    domain = m.group(1).lower()
    table = _outlet_domains()
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        hit = table.get(".".join(parts[i:]))
        if hit:
            return hit
    return domain


def _is_body_line(line: str) -> bool:
    """A line that reads as running text: long enough, or ending like a sentence."""
    n_words = line.count(" ") + 1
    return n_words >= 12 or (n_words >= 6 and line.endswith(_END_PUNCT))


_NON_WORD = re.compile(r"\W+")


def _norm_title(s: str) -> str:
    return _NON_WORD.sub(" ", s).strip().lower()


def _normal_line(stripped: str) -> str:
    """Return a stripped line without HTML remnants, with runs of whitespace folded to one space.

    Examples
    --------
    >>> _normal_line("Xi&nbsp;and  <u>Putin</u>\u200b")
    'Xi and Putin'
    >>> _normal_line("Leaders met.\u2028They agreed.\u0085Talks\u2009go on.")
    'Leaders met. They agreed. Talks go on.'
    """
    line = clean_inline(stripped) if ("<" in stripped or "&" in stripped) else stripped
    # Every whitespace character but the space is unprintable (tabs, NBSP, U+2028, NEL, em
    # and thin spaces), and so is the zero-width space: the cheap test skips most lines.
    if "  " in line or not line.isprintable():
        folded = " ".join(line.replace("\u200b", "").split())
        if folded != line:
            line = folded
    return line


def parse_plaintext(
    text: str,
    rules: RuleSet | None = None,
    *,
    body_only: bool = False,
    title: str | None = None,
    outlet: str | None = None,
) -> ParsedArticle:
    """Return the title, date, outlet, author, URL and clean body of a scraped article.

    Parameters
    ----------
    text
        The decoded file contents.
    rules
        Line rules (default: :func:`newslab.corpus.rules.default_rules`).
    body_only
        The text is an article body from a structured record (JSON, CSV): there is no header
        and no title line to find, but boilerplate rules still apply and a first line repeating
        ``title`` is removed.
    title
        The known title, when ``body_only``.
    outlet
        The known outlet, when ``body_only``: a line near the start that names it ("USA
        TODAY", "Special for USA TODAY") is removed as ``outlet_credit``, and a line of names
        just before it is the byline (the author, when the record has none).

    Returns
    -------
    ParsedArticle
        ``removed`` lists ``(line_no, rule, line)`` for every line not in the body or a field;
        ``line_no`` is 1-based in the input.

    Examples
    --------
    >>> art = parse_plaintext(
    ...     " date 2023-02-27 Newsroll\\nTalks in Beijing\\n\\nTalks in Beijing\\n\\nBy Olena\\n"
    ...     "Leaders met in Beijing on Tuesday and signed a set of trade agreements.\\n"
    ...     "Read also: Another story\\nRead the original article on Kyiv Ledger\\n")
    >>> art.title, art.date.to_timestamp().date().isoformat(), art.site, art.outlet, art.author
    ('Talks in Beijing', '2023-02-27', 'Newsroll', 'Kyiv Ledger', 'Olena')
    >>> art.text
    'Leaders met in Beijing on Tuesday and signed a set of trade agreements.'
    >>> [rule for _, rule, _ in art.removed]
    ['header', 'repeated_title', 'byline', 'read_also', 'original_article']
    """
    rules = rules if rules is not None else default_rules()
    art = ParsedArticle(title=title)
    if body_only and title is None:
        art.title = ""  # never look for a title line in a record's body
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # Most lines contain no word that a hinted rule (donation appeals, newsletters) needs:
    # finding the hints in the whole text once spares the test on every unchanged line.
    # The lines a rule may match at all are found for the whole text at once too (None: the
    # rules or the text do not allow it, and every line is matched).
    hinted, found = rules.scan_lines(text, lines)
    candidates: set[int] | _Everything = _EVERY_LINE if found is None else found
    match_prelude = rules.matcher(prelude=True)
    removed = art.removed
    paragraphs: list[list[str]] = [[]]
    seen = 0  # non-blank lines seen after the header
    body_paras = 0
    after_image = False
    want_url = False
    header_done = False
    title_src: str | None = None  # the title whose normal form is title_key
    title_key = ""
    credits = _credit_keys(outlet) if body_only and outlet else None
    first_line: tuple[int, str, str] | None = None  # the first body line: index, as written
    for idx, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if not header_done:
            header_done = True
            m = None if body_only else _HEADER.match(raw)
            if m:
                removed.append((idx, "header", raw))
                ymd = [int(x) for x in m.group("date").split("-")]
                art.date = ParsedDate(*ymd)
                art.date_source = "header"
                art.site = m.group("site") or None
                continue
        line = _normal_line(stripped)
        if not line:
            removed.append((idx, "html_only", stripped))
            continue
        seen += 1
        in_prelude = seen <= _PRELUDE_LINES and body_paras < 2
        if not in_prelude:  # and never again: the rest of the lines are body lines
            after_image = _parse_body(
                lines, idx - 1, art, rules, hinted, candidates, paragraphs, want_url, after_image
            )
            break

        if want_url:
            want_url = False
            if _take_url(art, line, idx, stripped):
                continue

        if art.title is None and in_prelude:
            dl = match_date_line(line)
            if dl is not None:
                _take_date(art, dl, idx, stripped)
                continue
            hit = (
                match_prelude(line, line is not stripped or idx in hinted)
                if line is not raw or idx in candidates or idx in hinted
                else None  # the line is as it stands in the text, and no rule can match it
            )
            if hit is not None and hit[0].action != "caption":
                _apply(art, hit, idx, stripped)
                want_url = hit[0].action == "url" and art.url is None
                continue
            if line.count(" ") < 40:
                art.title = line
                continue

        if in_prelude:
            if art.title is not None:
                if title_src is not art.title:
                    title_src, title_key = art.title, _norm_title(art.title)
                # The normal form is never longer than the line, and starts with the line's
                # first character when that is an ASCII letter or digit: cheap rejections.
                first = line[0]
                if (
                    len(line) >= len(title_key)
                    and (first >= "\x80" or not first.isalnum() or first.lower() == title_key[:1])
                    and _norm_title(line) == title_key
                ):
                    removed.append((idx, "repeated_title", stripped))
                    continue
            dl = match_date_line(line)
            if dl is not None:
                _take_date(art, dl, idx, stripped)
                continue
            if (
                credits is not None
                and _norm_title(line) in credits
                and _take_names(art, paragraphs, first_line)
            ):
                body_paras = 0  # a names line before it was the byline
                removed.append((idx, "outlet_credit", stripped))
                continue

        if len(line) <= _MAX_RULE_LINE and (line is not raw or idx in candidates or idx in hinted):
            # in_prelude is true here: the body lines are parsed by _parse_body
            hit = match_prelude(line, line is not stripped or idx in hinted)
            if hit is not None:
                after_image, want_url = _take_rule(art, hit, idx, stripped, after_image)
                continue
            if _is_image_line(line):
                removed.append((idx, "image_file", stripped))
                after_image = True
                continue
        if in_prelude and after_image and not _is_body_line(line):
            removed.append((idx, "caption", stripped))
            after_image = False
            continue
        after_image = False
        if in_prelude and body_paras == 0 and not _is_body_line(line) and line.count(" ") < 3:
            # A stray widget word before the story starts ("Video", "Live", "Opinion").
            removed.append((idx, "prelude_fragment", stripped))
            continue
        if not paragraphs[-1]:
            body_paras += 1
        paragraphs[-1].append(line)
        if first_line is None:
            first_line = (idx, stripped, line)

    art.text = _join_paragraphs(paragraphs)
    if body_only and title is None:
        art.title = None
    if art.outlet is None:
        art.outlet = art.site or outlet_for_url(art.url)
    return art


def _is_clean(body: str) -> bool:
    """Return True when every line of ``body`` is already stripped and normal.

    That is: no HTML remnant (``<``, ``&``), no run of spaces, no space at a line's start or
    end, and no character but ``"\\n"`` that is unprintable (all whitespace but the space is
    unprintable). Each non-blank line is then its own :func:`_normal_line`, and a blank line
    is empty: :func:`_parse_body` can skip both per-line steps.

    Examples
    --------
    >>> _is_clean("Leaders met.\\n\\nThey agreed.")
    True
    >>> _is_clean("Leaders met. \\nThey <b>agreed</b>.")
    False
    """
    return (
        "<" not in body
        and "&" not in body
        and "  " not in body
        and "\n " not in body
        and " \n" not in body
        and body[:1] != " "
        and body[-1:] != " "
        and body.replace("\n", "").isprintable()
    )


def _parse_body(
    lines: list[str],
    start: int,
    art: ParsedArticle,
    rules: RuleSet,
    hinted: set[int] | range,
    candidates: set[int] | _Everything,
    paragraphs: list[list[str]],
    want_url: bool,
    after_image: bool,
) -> bool:
    """Parse ``lines[start:]``, all past the prelude, into ``paragraphs`` and ``art``.

    The body part of :func:`parse_plaintext`'s loop, without its prelude tests (a prelude
    never starts again once it has ended); returns the final ``after_image`` state. When the
    body is clean (:func:`_is_clean`, most scraped bodies), the lines are taken as they are,
    and when the rules' line filter gave ``candidates``, only those lines are looked at
    (:func:`_parse_clean_body`).
    """
    body = lines[start:]
    body_text = "\n".join(body)
    clean = _is_clean(body_text)
    match = rules.matcher(prelude=False)
    if clean and candidates is not _EVERY_LINE and isinstance(hinted, set):
        _parse_clean_body(
            body, body_text, start, art, match, hinted, candidates, paragraphs, want_url
        )
        return False
    removed = art.removed
    para = paragraphs[-1]
    for idx, raw in enumerate(body, start + 1):
        if clean:
            if not raw:
                if para:
                    para = []
                    paragraphs.append(para)
                continue
            line = stripped = raw
        else:
            stripped = raw.strip()
            if not stripped:
                if para:
                    para = []
                    paragraphs.append(para)
                continue
            line = _normal_line(stripped)
            if not line:
                removed.append((idx, "html_only", stripped))
                continue
        if want_url:
            want_url = False
            if _take_url(art, line, idx, stripped):
                continue
        if len(line) <= _MAX_RULE_LINE and (line is not raw or idx in candidates or idx in hinted):
            hit = match(line, line is not stripped or idx in hinted)
            if hit is not None:
                after_image, want_url = _take_rule(art, hit, idx, stripped, after_image)
                continue
            if _is_image_line(line):
                removed.append((idx, "image_file", stripped))
                after_image = True
                continue
        after_image = False
        para.append(line)
    return after_image


_BLANK_RUN = re.compile(r"\n\n+")


class _Everything:
    """The candidate lines when the rules' line filter cannot be used: every line."""

    def __contains__(self, idx: object) -> bool:
        return True


_EVERY_LINE = _Everything()


def _parse_clean_body(
    body: list[str],
    body_text: str,
    start: int,
    art: ParsedArticle,
    match: Callable[[str, bool], tuple | None],
    hinted: set[int],
    candidates: set[int],
    paragraphs: list[list[str]],
    want_url: bool,
) -> None:
    """:func:`_parse_body` for a clean body whose possible rule lines are known.

    Only the ``candidates`` and ``hinted`` lines (numbers in the whole text) can match a
    rule, and only a line starting with a digit can be an image line (a candidate, as every
    line starting with a non-letter is): the other lines are body text, taken in one piece.
    The line after a ``url`` rule that matched without its URL is looked at too. Gives the
    same ``paragraphs`` (as text: each paragraph may be one joined string), ``removed`` lines
    and fields as the line-by-line loop.
    """
    removed = art.removed
    n = len(body)
    look = sorted(k - start - 1 for k in candidates | hinted if k > start)
    drop: list[int] = []
    forced = _next_nonblank(body, 0) if want_url else n  # the line that may hold the URL
    pos = 0
    while True:
        j = look[pos] if pos < len(look) else n
        if forced <= j:
            if forced == j:
                pos += 1
            j, forced = forced, n
            if j >= n:
                break
            line = body[j]
            if _take_url(art, line, start + 1 + j, line):
                drop.append(j)
                continue
        else:
            pos += 1
            if j >= n:
                break
            line = body[j]
            if not line:
                continue
        if len(line) <= _MAX_RULE_LINE:
            idx = start + 1 + j
            hit = match(line, idx in hinted)
            if hit is not None:
                _apply(art, hit, idx, line)
                drop.append(j)
                rule = hit[0]
                if rule.action == "url" and art.url is None:
                    forced = _next_nonblank(body, j + 1)
                continue
            if _is_image_line(line):
                removed.append((idx, "image_file", line))
                drop.append(j)
    if drop:
        kept: list[str] = []
        prev = 0
        for j in drop:
            kept += body[prev:j]
            prev = j + 1
        kept += body[prev:]
        body_text = "\n".join(kept)
    # A removed line leaves no trace; blank lines end paragraphs. The first piece goes on
    # with the paragraph before the body, unless a blank line comes first.
    if body_text.startswith("\n") and paragraphs[-1]:
        paragraphs.append([])
    body_text = body_text.strip("\n")
    if not body_text:
        return
    pieces = _BLANK_RUN.split(body_text)
    paragraphs[-1].append(pieces[0].replace("\n", " "))
    paragraphs.extend([piece.replace("\n", " ")] for piece in pieces[1:])


def _next_nonblank(body: list[str], j: int) -> int:
    """The index of the first non-blank line of ``body`` from ``j`` on (``len(body)``: none)."""
    n = len(body)
    while j < n and not body[j]:
        j += 1
    return j


def _take_url(art: ParsedArticle, line: str, idx: int, stripped: str) -> bool:
    """Take the URL that a previous line announced ("Original url:" alone); False if none."""
    url = repair_url(line)
    if not url:
        return False
    art.url = art.url or url
    art.removed.append((idx, "original_url", stripped))
    return True


def _take_rule(
    art: ParsedArticle, hit: tuple, idx: int, stripped: str, after_image: bool
) -> tuple[bool, bool]:
    """Apply a matching rule; return the new ``after_image`` state, and whether the next line
    holds the URL (a ``url`` rule that matched without one)."""
    _apply(art, hit, idx, stripped)
    rule = hit[0]
    after = rule.name.startswith("image") or (after_image and rule.action == "caption")
    return after, rule.action == "url" and art.url is None


def _is_image_line(line: str) -> bool:
    """Return whether a non-empty line is an ``<unix-timestamp> <hash>.jpeg`` image line."""
    # \d is a Unicode decimal digit, as str.isdecimal tells: a cheap first test
    return line[0].isdecimal() and _IMAGE_LINE.match(line) is not None


def _take_date(art: ParsedArticle, dl: tuple[ParsedDate, str], idx: int, line: str) -> None:
    date, kind = dl
    if kind == "updated":
        art.removed.append((idx, "updated_date", line))
        if art.date is None:
            art.date, art.date_source = date, "updated line"
        return
    art.removed.append((idx, "date_line", line))
    cur = art.date
    if cur is None or art.date_source == "updated line":
        art.date, art.date_source = date, "date line"
    elif (
        date.precision == "day"
        and cur.precision != "day"
        and date.year == cur.year
        and (cur.month is None or cur.month == date.month)
    ):
        # The header said "2023-03"; the page's own date line is more precise.
        art.date, art.date_source = date, "date line"


def _apply(art: ParsedArticle, hit: tuple, idx: int, line: str) -> None:
    rule, m = hit
    art.removed.append((idx, rule.name, line))
    groups = m.groupdict()
    if rule.action == "author" and art.author is None and groups.get("author"):
        art.author = _clean_author(groups["author"])
    elif rule.action == "outlet" and groups.get("outlet"):
        art.outlet = groups["outlet"].strip().rstrip(".")
    elif rule.action == "url" and groups.get("url"):
        art.url = art.url or repair_url(groups["url"])
    elif rule.action == "site" and groups.get("site") and art.site is None:
        art.site = groups["site"].strip().rstrip(".")


_AUTHOR_ROLE = re.compile(r"\s*[,|]\s*(?:reporter|correspondent|staff writer|editor).*$", re.I)
_AUTHOR_AND = re.compile(r"\s+(?:and|&)\s+")


_NAME = r"[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w.'’-]*){1,3}"
_NAME_SEP = r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*"
#: A line of two to four capitalised words per name, up to eight names ("Ann Lee, Tom Hart
#: and Olena Petrenko"): a byline without "By", which some sites print above the outlet.
_NAMES = re.compile(f"{_NAME}(?:(?:{_NAME_SEP}){_NAME}){{0,7}}")


def _credit_keys(outlet: str) -> frozenset[str]:
    """The normal forms of the lines that credit ``outlet`` ("USA TODAY", "Special for ...")."""
    key = _norm_title(outlet)
    if not key:
        return frozenset()
    return frozenset({key, f"for {key}", f"special for {key}", f"special to {key}"})


def _take_names(
    art: ParsedArticle, paragraphs: list[list[str]], first: tuple[int, str, str] | None
) -> bool:
    """Before a line crediting the outlet: take a line of names above it as the byline.

    The names are the body's only line so far, or the last line removed as a prelude
    fragment (a short one, "Ann Lee"). They become a removed ``byline`` line (in line order)
    and the author, unless the article has one. Returns False when the body already holds
    something else: the outlet line is then text.
    """
    removed = art.removed
    if any(paragraphs):
        if first is None or [p for p in paragraphs if p] != [[first[2]]]:
            return False
        idx, stripped, line = first
        if not _NAMES.fullmatch(line):
            return False
        paragraphs[:] = [[]]
        pos = len(removed)
        while pos and removed[pos - 1][0] > idx:
            pos -= 1
        removed.insert(pos, (idx, "byline", stripped))
    elif removed and removed[-1][1] == "prelude_fragment" and _NAMES.fullmatch(removed[-1][2]):
        idx, _, line = removed[-1]
        removed[-1] = (idx, "byline", line)
    else:
        return True  # the outlet line alone
    if art.author is None:
        art.author = "; ".join(re.split(_NAME_SEP, line))
    return True


def _clean_author(value: str) -> str:
    if "," in value or "|" in value:  # the role suffix starts with one of them
        value = _AUTHOR_ROLE.sub("", value)
    return _AUTHOR_AND.sub("; ", value.strip().rstrip("."))


def _join_paragraphs(paragraphs: list[list[str]]) -> str:
    paras = [" ".join(p) for p in paragraphs if p]
    out: list[str] = []
    for para in paras:
        if out and not out[-1].endswith(_END_PUNCT) and para[:1].islower():
            out[-1] = out[-1] + " " + para  # a paragraph broken mid-sentence
        else:
            out.append(para)
    return "\n\n".join(out)
