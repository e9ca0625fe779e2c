# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · Loading a corpus and checking what was loaded
#
# Scraped news rarely arrives clean: some files are empty or binary, some are in an old
# encoding, some carry menus, bylines and "read also" links around the article, and the same
# wire story often appears under several outlets. Before counting anything, a researcher needs
# to know **what went in**. This notebook loads a corpus and then looks, in turn, at
#
# 1. the load report: every input file and what happened to it;
# 2. the corpus over time, by outlet;
# 3. duplicates (exact copies and near copies of syndicated stories);
# 4. the boilerplate lines that were removed, and the rules that removed them;
# 5. the parse cache and the Parquet copy that make the next load fast.

# %% tags=["parameters"]
CORPUS_PATH = "data/demo"  # folder, file or archive; relative to here or to the repository root
DATE_FROM = None  # e.g. "2023-02-01"; None keeps everything
DATE_TO = None  # e.g. "2023-03-31" (inclusive)
ENTITY_TYPES = ["PERSON", "COUNTRY", "ORG"]  # unused here; every notebook takes the same parameters
OUT_DIR = "out/notebooks/01-load-corpus"  # figures, tables and a JSON summary go here

# %%
# %matplotlib inline
import time

import matplotlib.pyplot as plt
import pandas as pd

import newslab as nl
from newslab import notebooks as nbk

corpus = nbk.resolve_path(CORPUS_PATH)
out_dir = nbk.resolve_path(OUT_DIR, must_exist=False)
out_dir.mkdir(parents=True, exist_ok=True)
DEMO = nbk.is_demo(corpus)
print(f"corpus: {corpus}\noutput: {out_dir}")

# %% [markdown]
# ## 1. The load report
#
# `load_corpus` returns one row per article. The report attached to it (`nl.get_report`) has
# one row per input file with its status (`loaded`, `partial`, `skipped`) and the reason for a
# skip, and a second table of warnings: missing dates, dates that cannot be right, encodings
# that had to be guessed or repaired. In JupyterLab the report renders as a summary table.

# %%
loaded = nl.load_corpus(corpus, progress=False)
report = nl.get_report(loaded)
articles = nbk.within_dates(loaded, DATE_FROM, DATE_TO)
print(f"{len(loaded)} articles from {report.n_files} inputs; {len(articles)} in the date range")
report

# %% [markdown]
# Every input is accounted for: the articles in the table are exactly those the report says
# were loaded, and every skipped file has a reason.

# %%
files = report.files
assert files["n_articles"].sum() == len(loaded)
skipped = files[files["status"] == "skipped"]
assert skipped["reason"].notna().all() and (skipped["reason"].fillna("") != "").all()
if DEMO:
    # the demo folder holds deliberately broken files: they must show up as skipped, not vanish
    assert len(skipped) >= 3, skipped
skipped[["source_path", "reason"]]

# %% [markdown]
# Warnings do not stop an article from loading, but they matter for analysis: an article
# without a date falls out of every chart over time, and one dated years in the future would
# stretch those charts. Later notebooks leave the flagged dates out of time axes
# (`nbk.plausible_dates`).

# %%
issues = report.issues
if DEMO:
    assert {"no date", "date in the future"} <= set(issues["reason"].dropna())
issues[["source_path", "doc_id", "level", "reason", "detail"]]

# %% [markdown]
# ## 2. The corpus over time, by outlet
#
# Weekly article counts per outlet show where the corpus is dense and where it is thin, and
# whether one outlet dominates a period, which would bias any count taken in it.

# %%
dated = nbk.plausible_dates(articles)
weekly = (
    dated.assign(week=dated["published"].dt.to_period("W").dt.start_time)
    .groupby(["week", "outlet"], dropna=False)
    .size()
    .unstack(fill_value=0)
)
fig, ax = plt.subplots(figsize=(9, 4))
weekly.plot.bar(stacked=True, ax=ax, width=0.85)
ax.set_xticklabels([d.strftime("%d %b") for d in weekly.index], rotation=60, ha="right")
ax.set(xlabel="week starting", ylabel="articles", title="Articles per week and outlet")
ax.legend(fontsize=8, frameon=False)
fig.savefig(out_dir / "articles_per_week.png", bbox_inches="tight")
assert weekly.to_numpy().sum() == len(dated)

# %%
by_outlet = (
    articles.groupby("outlet", dropna=False)
    .agg(
        articles=("doc_id", "size"),
        first=("published", "min"),
        last=("published", "max"),
        words=("n_words", "median"),
    )
    .sort_values("articles", ascending=False)
)
by_outlet

# %% [markdown]
# ## 3. Duplicates
#
# Syndicated stories are republished word for word (`exact`) or lightly edited (`near`). The
# loader keeps every copy but gives the copies one `dup_group`, so counts can take each story
# once (the co-mention functions do so by default) while nothing is thrown away.
# `nl.drop_duplicates` keeps the earliest copy of each group.

# %%
dups = articles[articles["dup_group"].notna()].sort_values(["dup_group", "published"])
deduped = nl.drop_duplicates(articles)
n_groups = dups["dup_group"].nunique()
assert len(deduped) == len(articles) - len(dups) + n_groups
if DEMO:
    assert set(dups["dup_kind"].dropna()) == {"exact", "near"}
print(f"{len(dups)} articles in {n_groups} duplicate groups; {len(deduped)} distinct stories")
dups[["dup_group", "dup_kind", "doc_id", "outlet", "published", "title"]]

# %% [markdown]
# ## 4. Removed boilerplate
#
# Lines that are not part of the article (headers, bylines, image credits, "read also" links,
# donation appeals) are removed by named rules (`newslab/corpus/data/boilerplate.tsv`). Each
# removed line is kept in the report, so a rule that is too greedy can be spotted here.

# %%
removed = report.removed
rule_counts = removed["rule"].value_counts().rename("lines").to_frame()
assert rule_counts["lines"].sum() == len(removed)
if DEMO:
    assert len(removed) > 0 and removed["doc_id"].isin(loaded["doc_id"]).all()
rule_counts

# %%
# one example line per rule (truncated), to judge the rules by eye
examples = removed.drop_duplicates("rule")[["rule", "doc_id", "line_no", "text"]].copy()
examples["text"] = examples["text"].astype(str).str.slice(0, 80)
examples

# %% [markdown]
# ## 5. Loading again: the cache and a Parquet copy
#
# Parsing is the slow part of loading a large folder. With `cache=` the parse of every
# unchanged file is reused (files are compared by path, size and modification time), and
# `save_corpus` writes the loaded table and its report to Parquet for sharing or later sessions.
# Both give back the same table.

# %%
cache_dir = out_dir / "parse-cache"
timings = {}
for run in ("first", "second"):
    t0 = time.perf_counter()
    cached = nl.load_corpus(corpus, progress=False, cache=cache_dir)
    timings[run] = time.perf_counter() - t0
pd.testing.assert_frame_equal(
    cached.reset_index(drop=True), loaded.reset_index(drop=True), check_like=True
)
path = nl.save_corpus(loaded, out_dir / "corpus.parquet")
again = nl.read_corpus(path)
assert len(again) == len(loaded) and nl.get_report(again).n_files == report.n_files
print({k: f"{v:.2f} s" for k, v in timings.items()}, "->", path.name)

# %%
summary = nbk.write_summary(
    out_dir,
    "01-load-corpus",
    n_articles=len(articles),
    n_files=report.n_files,
    n_skipped=len(skipped),
    n_duplicates=len(dups),
    n_removed_lines=len(removed),
    date_min=articles["published"].min(),
    date_max=articles["published"].max(),
)
print(summary)
