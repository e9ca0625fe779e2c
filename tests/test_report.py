"""The HTML report: self-contained, escaped, every section and figure, opens in Chromium."""

from __future__ import annotations

import base64
import doctest
import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

import newslab as nl
from newslab import report, schema
from newslab.report import SECTIONS, analyse, build_report, plausible_dates, render_report

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
#: A small slice of the demo corpus: a few weeks around two state visits.
# (908 is dated 2031: the report must leave it out of every time table)
SLICE = ["130", "131", "132", "133", "134", "135", "220", "221", "222", "223", "908"]
FIGURES = ["articles_per_week", "heatmap", "network", "pair_trends", "mention_volume"]
EVIL_TEXT = (
    "Xi Jinping of China met Alexander Lukashenko <script>alert(1)</script> and Vladimir Putin."
)


def test_docstring_examples() -> None:
    result = doctest.testmod(report, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0


class _Collect(HTMLParser):
    """Collect tags and their attributes from an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(text)
    return parser.tags


def _evil_articles(folder: Path) -> pd.DataFrame:
    """Return the demo slice plus one article whose title, outlet and text hold markup."""
    for stem in SLICE:
        src = next(DEMO.glob(f"{stem}_*.txt"))
        shutil.copy(src, folder / src.name)
    articles = nl.load_corpus(folder, progress=False)
    evil = pd.DataFrame(
        {
            "doc_id": ["evil<1>"],
            "title": ["<script>alert('title')</script> Xi & Lukashenko"],
            "published": [pd.Timestamp("2023-01-02")],
            "date_precision": ["day"],
            "outlet": ['The <img src="http://example.org/x.png"> Herald'],
            "text": [EVIL_TEXT],
            "n_words": [len(EVIL_TEXT.split())],
        }
    )
    out = pd.concat([articles, schema.conform(evil, schema.ARTICLES)], ignore_index=True)
    out.attrs = articles.attrs
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict]:
    """Build the report once: (path, html text, analysis tables)."""
    folder = tmp_path_factory.mktemp("corpus")
    articles = _evil_articles(folder)
    tables = analyse(articles, discover="rules")
    out = tmp_path_factory.mktemp("report") / "sub" / "report.html"
    path = build_report(
        articles, out, title="Test <report> & co", tables=tables, figures_dir=out.parent / "f"
    )
    return path, path.read_text("utf-8"), tables


def test_build_report_writes_one_file_with_every_section(built: tuple[Path, str, dict]) -> None:
    path, text, _ = built
    assert path.is_file() and path.name == "report.html"
    tags = _parse(text)
    ids = [attrs.get("id") for tag, attrs in tags if tag == "section"]
    assert ids == list(SECTIONS)
    for sid, heading in SECTIONS.items():
        assert f'href="#{sid}"' in text
        assert f"<h2>{heading}</h2>" in text
    assert "<title>Test &lt;report&gt; &amp; co</title>" in text


def test_report_is_self_contained(built: tuple[Path, str, dict]) -> None:
    _, text, _ = built
    for tag, attrs in _parse(text):
        assert tag not in ("script", "link", "iframe", "object", "embed"), tag
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:image/png;base64,")), (tag, value[:60])
    assert not re.search(r"url\(|@import", text)


def test_figures_are_embedded_pngs(built: tuple[Path, str, dict]) -> None:
    path, text, _ = built
    imgs = [attrs for tag, attrs in _parse(text) if tag == "img"]
    saved = sorted(p.stem for p in (path.parent / "f").glob("*.png"))
    # every figure the report draws is embedded, and the standard ones are all there
    assert len(imgs) == len(saved) >= len(FIGURES) + 1
    assert set(FIGURES) <= set(saved)
    for attrs in imgs:
        src = attrs["src"] or ""
        raw = base64.b64decode(src.removeprefix("data:image/png;base64,"), validate=True)
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(raw)) as im:
            assert im.format == "PNG" and min(im.size) > 100
            assert len(im.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 10
        assert attrs.get("alt")


def test_data_strings_are_escaped(built: tuple[Path, str, dict]) -> None:
    _, text, _ = built
    assert "<script" not in text.lower()
    assert "http://example.org" not in [a.get("src") for _, a in _parse(text)]
    # the outlet, the title and the sentence of the hostile article (dated first, naming the
    # top pairs of people, so its sentence leads their evidence) are shown, escaped
    assert 'The &lt;img src="http://example.org/x.png"&gt; Herald' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Xi &amp; Lukashenko" in text


def test_tables_in_report_match_analysis(built: tuple[Path, str, dict]) -> None:
    _, text, tables = built
    pairs = tables["pairs"]
    assert len(pairs) and set(schema.PAIRS) <= set(pairs.columns)
    top = pairs.iloc[0]
    section = text.split('id="pairs"')[1].split("</section>")[0]
    assert f"<td>{top['label_a']}</td>" in section and f"<td>{top['n_pair']}</td>" in section
    grouped = tables["grouped_events"]
    events = text.split('id="events"')[1].split("</section>")[0]
    assert f"{len(grouped):,} events" in events
    assert events.count("<tr>") == min(20, len(grouped))  # body rows; the header has a style
    evidence = text.split('id="evidence"')[1].split("</section>")[0]
    assert evidence.count("<mark") >= 2
    # evidence goes first to the most co-mentioned pair of two people
    kind = tables["entities"].set_index("entity_id")["type"]
    people = pairs[(pairs["a"].map(kind) == "PERSON") & (pairs["b"].map(kind) == "PERSON")]
    first = people.iloc[0]
    assert evidence.index(f"<h3>{first['label_a']} &amp; {first['label_b']}</h3>") < evidence.index(
        "<table"
    )
    # the association table is ranked by NPMI among pairs seen at least 3 times
    strong = pairs[pairs["n_pair"] >= 3].sort_values("npmi", ascending=False).iloc[0]
    assoc = section.split("Strongest association")[1]
    assert f"<td>{strong['label_a']}</td>" in assoc.split("</tr>")[1]
    # only plausibly dated articles feed the time tables
    assert len(tables["dated"]) == len(plausible_dates(tables["articles"]))
    assert len(tables["dated"]) < tables["articles"]["published"].notna().sum()  # 2031 left out
    assert tables["entities"]["last"].max() <= tables["dated"]["published"].max()
    assert tables["volume"]["period"].min() >= tables["dated"]["published"].min() - pd.Timedelta(
        days=7
    )


def test_render_report_without_events_or_pairs() -> None:
    arts = pd.DataFrame(
        {
            "doc_id": ["a"],
            "title": ["Quiet <day>"],
            "published": [pd.NaT],
            "outlet": [pd.NA],
            "text": ["Nothing happened."],
            "n_words": [2],
        }
    )
    tables = analyse(arts, discover=False)
    text = render_report(tables, {}, title="empty")
    assert [a.get("id") for t, a in _parse(text) if t == "section"] == list(SECTIONS)
    assert "<img" not in text
    assert "no dated events found" in text


# ---------------------------------------------------------------------------
# Headless Chromium
# ---------------------------------------------------------------------------


def _chromium() -> str:
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if path is None:
        msg = "headless browser test needs Debian's chromium (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path


def _run_chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, check=False)


def test_report_opens_in_headless_chromium(built: tuple[Path, str, dict], tmp_path: Path) -> None:
    exe = _chromium()
    path, _, _ = built
    url = path.resolve().as_uri()
    done = _run_chromium(exe, tmp_path / "profile", "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    tags = _parse(done.stdout)
    imgs = [a for t, a in tags if t == "img"]
    saved = list((path.parent / "f").glob("*.png"))
    assert len(imgs) == len(saved)
    assert all((a.get("src") or "").startswith("data:image/png;base64,") for a in imgs)
    assert [a.get("id") for t, a in tags if t == "section"] == list(SECTIONS)

    shot = tmp_path / "shot.png"
    done = _run_chromium(
        exe, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,3000", url
    )
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1200, 3000)
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 22) or []
        assert len(colours) > 50  # text, tables and the first figures: not a blank page
        # the first figure (articles per week) is drawn in colour: many saturated pixels
        saturated = sum(n for n, (r, g, b) in colours if max(r, g, b) - min(r, g, b) > 60)
        assert saturated > 2000
