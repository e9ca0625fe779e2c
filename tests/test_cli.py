"""The ``newslab`` command line, run in-process through ``main([...])``."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import newslab as nl
from newslab import cli, schema
from newslab.report import SECTIONS

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
SLICE = ["130", "131", "132", "133", "220", "221", "222", "223"]
COMMANDS = ["ingest", "entities", "comentions", "timeline", "report", "notebooks", "demo"]
FAST = ["--discover", "rules", "--quiet"]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with eight demo articles and one file the loader skips."""
    folder = tmp_path_factory.mktemp("corpus")
    for stem in SLICE:
        src = next(DEMO.glob(f"{stem}_*.txt"))
        shutil.copy(src, folder / src.name)
    (folder / "empty.txt").write_text("", "utf-8")
    return folder


def _one_line_error(err: str, *words: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("newslab ") and "error" in lines[0]
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_exits_zero(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--help"] if command is None else [command, "--help"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: newslab")
    if command is None:
        assert all(c in out for c in COMMANDS)


def test_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert cli.main(["entities", "data/demo"]) == 2  # --out is required
    assert cli.main(["comentions", "x", "--out", "p.csv", "--unit", "paragraph"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["entities", "comentions", "timeline", "report", "notebooks"])
def test_missing_corpus_exits_two(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder"
    out = tmp_path / ("r.html" if command == "report" else "t.csv")
    assert cli.main([command, str(missing), "--out", str(out)]) == 2
    _one_line_error(capsys.readouterr().err, command, str(missing))
    assert not out.exists()


def test_bad_inputs_exit_two(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["entities", str(corpus), "--out", str(tmp_path / "m.txt")]) == 2
    _one_line_error(capsys.readouterr().err, ".csv or .parquet")
    assert cli.main(["report", str(corpus), "--out", str(tmp_path / "r.pdf")]) == 2
    _one_line_error(capsys.readouterr().err, ".html")
    g = str(tmp_path / "g.json")
    assert (
        cli.main(["comentions", str(corpus), "--out", str(tmp_path / "p.csv"), "--graph", g]) == 2
    )
    _one_line_error(capsys.readouterr().err, ".gexf")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "nothing.txt").write_text("", "utf-8")
    assert cli.main(["entities", str(empty), "--out", str(tmp_path / "m.csv")]) == 2
    _one_line_error(capsys.readouterr().err, "no articles")
    assert cli.main(["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "ds")]) == 2


def test_other_failures_exit_one(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stage exploded")

    monkeypatch.setattr("newslab.report.analyse", broken)
    assert cli.main(["comentions", str(corpus), "--out", str(tmp_path / "p.csv")]) == 1
    _one_line_error(capsys.readouterr().err, "RuntimeError", "stage exploded")


def test_entities_writes_mentions_and_summary(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.csv"
    assert cli.main(["entities", str(corpus), "--out", str(out), *FAST]) == 0
    mentions = pd.read_csv(out)
    summary = pd.read_csv(tmp_path / "m.summary.csv")
    assert list(mentions.columns[: len(schema.MENTIONS)]) == list(schema.MENTIONS)
    assert {"entity_id", "label", "type", "mentions", "documents"} <= set(summary.columns)
    assert len(mentions) > 0
    assert mentions["doc_id"].nunique() == len(SLICE)
    # the summary adds up to the mentions it summarises
    assert summary["mentions"].sum() == mentions["entity_id"].notna().sum()
    assert str(out) in capsys.readouterr().out


def test_comentions_writes_pairs_and_graphs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "pairs.parquet"
    gexf = tmp_path / "g.gexf"
    over = tmp_path / "weekly.csv"
    argv = ["comentions", str(corpus), "--out", str(out), "--graph", str(gexf)]
    assert cli.main([*argv, "--over-time", str(over), "--min-count", "2", *FAST]) == 0
    pairs = pd.read_parquet(out)
    assert set(schema.PAIRS) <= set(pairs.columns) and {"label_a", "label_b"} <= set(pairs)
    assert len(pairs) > 0 and (pairs["n_pair"] >= 2).all()
    assert (pairs["a"] < pairs["b"]).all()
    graph = nx.read_gexf(gexf)
    assert graph.number_of_edges() == len(pairs)
    assert set(graph.nodes) == set(pairs["a"]) | set(pairs["b"])
    weekly = pd.read_csv(over, parse_dates=["period"])
    assert (weekly["period"].dt.day_of_week == 0).all()  # weeks start on Monday
    graphml = tmp_path / "g.graphml"
    argv = ["comentions", str(corpus), "--out", str(tmp_path / "p.csv"), "--graph", str(graphml)]
    assert cli.main([*argv, "--unit", "document", "--types", "all", *FAST]) == 0
    assert nx.read_graphml(graphml).number_of_nodes() > graph.number_of_nodes()


def test_timeline_writes_events_and_figure(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    figure = tmp_path / "fig" / "timeline.png"
    mentions = tmp_path / "event-mentions.parquet"
    argv = ["timeline", str(corpus), "--out", str(out), "--figure", str(figure)]
    assert cli.main([*argv, "--mentions", str(mentions), *FAST]) == 0
    events = pd.read_csv(out, parse_dates=["date_start", "date_end"])
    for col in ("event_id", "date_start", "date_end", "actors", "trigger", "status", "n_sources"):
        assert col in events.columns
    assert len(events) > 0 and (events["date_start"] <= events["date_end"]).all()
    assert events["event_id"].is_unique
    assert figure.read_bytes()[:8] == PNG
    ev = pd.read_parquet(mentions)
    assert set(ev["event_id"]) == set(events["event_id"])
    # default figure name: beside the table
    assert cli.main(["timeline", str(corpus), "--out", str(tmp_path / "e2.csv"), *FAST]) == 0
    assert (tmp_path / "e2.png").read_bytes()[:8] == PNG


def test_report_command(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "r" / "report.html"
    figs = tmp_path / "figs"
    argv = ["report", str(corpus), "--out", str(out), "--figures", str(figs), "--title", "T<1>"]
    assert cli.main([*argv, *FAST]) == 0
    text = out.read_text("utf-8")
    assert all(f'<section id="{sid}">' in text for sid in SECTIONS)
    assert "<title>T&lt;1&gt;</title>" in text
    assert text.count("data:image/png;base64,") == len(list(figs.glob("*.png"))) >= 5
    assert str(out.resolve()) in capsys.readouterr().out


def test_folder_dataset_saved_corpus_and_archive_are_inputs(corpus: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    assert cli.main(["ingest", str(corpus), "--out", str(dataset), "--quiet"]) == 0
    assert (dataset / "load-report.html").is_file()
    assert cli.main(["ingest", str(corpus), "--out", str(dataset), "--quiet"]) == 2  # exists
    saved = tmp_path / "corpus.parquet"
    nl.save_corpus(nl.load_corpus(corpus, progress=False), saved)
    archive = Path(shutil.make_archive(str(tmp_path / "corpus"), "zip", corpus))
    tables = {}
    for source in (corpus, dataset, saved, archive):
        out = tmp_path / f"m-{source.name}.csv"
        assert cli.main(["entities", str(source), "--out", str(out), *FAST]) == 0
        tables[source.name] = pd.read_csv(out).sort_values(["doc_id", "start"], ignore_index=True)
    first, *rest = tables.values()
    for other in rest:
        pd.testing.assert_frame_equal(first, other)


def test_read_input_reads_a_saved_corpus_with_its_report(corpus: Path, tmp_path: Path) -> None:
    saved = tmp_path / "c.parquet"
    nl.save_corpus(nl.load_corpus(corpus, progress=False), saved)
    df = cli.read_input(str(saved))
    assert len(df) == len(SLICE)
    assert nl.get_report(df).n_files == len(SLICE) + 1  # the skipped empty file is listed


def test_notebooks_command_calls_run_notebooks(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    calls = []

    def fake(corpus_path: str, out_dir: str, parameters: dict | None = None, names=None):
        calls.append((corpus_path, out_dir, parameters, names))
        return [Path(out_dir) / "00-quickstart.ipynb"]

    monkeypatch.setattr("newslab.notebooks.run_notebooks", fake)
    monkeypatch.setattr(cli, "_notebooks_missing", lambda: None)
    argv = ["notebooks", str(corpus), "--out", str(tmp_path / "nb"), "--only", "00"]
    argv += ["-p", "DATE_FROM=2023-02-01", "-p", 'ENTITY_TYPES=["PERSON"]']
    assert cli.main(argv) == 0
    assert calls == [
        (
            str(corpus.resolve()),
            str(tmp_path / "nb"),
            {"DATE_FROM": "2023-02-01", "ENTITY_TYPES": ["PERSON"]},
            ["00"],
        )
    ]
    assert "00-quickstart.ipynb" in capsys.readouterr().out
    assert cli.main(["notebooks", str(corpus), "--out", "x", "-p", "novalue"]) == 2
    _one_line_error(capsys.readouterr().err, "NAME=VALUE")
    monkeypatch.setattr(cli, "_notebooks_missing", lambda: "papermill is not installed")
    assert cli.main(["notebooks", str(corpus), "--out", str(tmp_path / "nb")]) == 1
    _one_line_error(capsys.readouterr().err, "papermill")


def test_demo_writes_everything_and_says_where(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    ran = []
    monkeypatch.setattr(
        "newslab.notebooks.run_notebooks", lambda c, o, *a, **k: ran.append((c, o)) or []
    )
    monkeypatch.setattr(cli, "_notebooks_missing", lambda: None)
    out = tmp_path / "demo"
    assert cli.main(["demo", "--corpus", str(corpus), "--out", str(out), *FAST]) == 0
    for name in ("corpus.parquet", "load-report.html", "entities.csv", "pairs.csv", "events.csv"):
        assert (out / name).is_file(), name
    assert len(nl.read_corpus(out / "corpus.parquet")) == len(SLICE)
    pngs = list((out / "figures").glob("*.png"))
    assert len(pngs) >= 5 and all(p.read_bytes()[:8] == PNG for p in pngs)
    stdout = capsys.readouterr().out
    report = out / "report.html"
    assert f"open the report: {report.resolve()}" in stdout
    assert report.read_text("utf-8").count("data:image/png;base64,") == len(pngs)
    assert ran == [(str(corpus.resolve()), out / "notebooks")]
    argv = ["demo", "--corpus", str(corpus), "--out", str(out), "--no-notebooks", *FAST]
    assert cli.main(argv) == 0
    assert len(ran) == 1
