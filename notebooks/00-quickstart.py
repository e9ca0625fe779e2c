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
# # 00 · Quickstart: the whole newslab pipeline in ten cells
#
# This notebook walks once through every stage, with no detours: load a folder of scraped
# articles, find the people, countries and organisations they mention, count who is mentioned
# with whom, read the sentences behind a pair, then find dated events and draw them on a
# timeline. Each of the later notebooks (01–03) looks at one stage in depth.
#
# It runs on the demo corpus in `data/demo` by default. To run it on your own articles, change
# the parameters below, or let papermill do it:
# `papermill 00-quickstart.ipynb out.ipynb -p CORPUS_PATH /path/to/articles`.

# %% tags=["parameters"]
CORPUS_PATH = "data/demo"  # folder, file or archive; relative to here or to the repository root
DATE_FROM = None  # e.g. "2023-02-01"; None keeps everything
DATE_TO = None  # e.g. "2023-03-31" (inclusive)
ENTITY_TYPES = ["PERSON", "COUNTRY", "ORG"]  # which entities the co-mention counts consider
OUT_DIR = "out/notebooks/00-quickstart"  # figures, tables and a JSON summary go here

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

import newslab as nl
from newslab import notebooks as nbk
from newslab.events import extract_events, group_events
from newslab.plot import comention_heatmap, pair_trends
from newslab.plot_timelines import event_timeline, mention_volume_plot
from newslab.timelines import mention_volume

corpus = nbk.resolve_path(CORPUS_PATH)
out_dir = nbk.resolve_path(OUT_DIR, must_exist=False)
out_dir.mkdir(parents=True, exist_ok=True)
DEMO = nbk.is_demo(corpus)  # facts about the demo corpus are only checked on the demo corpus
print(f"corpus: {corpus}\noutput: {out_dir}")

# %% [markdown]
# **1. Load.** `load_corpus` reads every file it can, strips boilerplate and flags syndicated
# copies. Nothing is dropped silently: the load report lists every input and what happened to it.

# %%
articles = nbk.within_dates(nl.load_corpus(corpus, progress=False), DATE_FROM, DATE_TO)
report = nl.get_report(articles)
assert len(articles) > 0, "no articles loaded"
assert report.files["status"].isin(["loaded", "partial", "skipped"]).all()
report

# %% [markdown]
# **2. Entities.** Split the articles into sentences, then match names against the gazetteer
# (and discover unknown ones). One row per mention.

# %%
sents = nl.sentences(articles)
mentions = nl.extract_entities(articles, sentences=sents)
top_entities = nl.entity_summary(mentions, articles)
top_entities.head(10)

# %% [markdown]
# **3. Co-mentions.** Two entities are co-mentioned when one sentence names both. Raw counts
# favour frequent entities, so the table also carries association measures such as NPMI.

# %%
pairs = nl.count_comentions(mentions, unit="sentence", articles=articles, types=ENTITY_TYPES)
ax = comention_heatmap(pairs, value="n_pair", top=12)
ax.figure.savefig(out_dir / "heatmap.png", bbox_inches="tight")
pairs.head(10)[["label_a", "label_b", "n_pair", "npmi", "g2"]]

# %% [markdown]
# **4. Co-mentions over time.** Counting pairs week by week shows when two actors were in the
# news together. On the demo corpus, Xi Jinping and Vladimir Putin peak in the week of Xi's
# state visit to Moscow (20–22 March 2023).

# %%
weekly = nl.comentions_over_time(mentions, articles, freq="W", unit="sentence", types=ENTITY_TYPES)
ax = pair_trends(weekly, top=4)
ax.figure.savefig(out_dir / "pair_trends.png", bbox_inches="tight")
xi_putin = weekly[(weekly["a"] == "person:vladimir_putin") & (weekly["b"] == "person:xi_jinping")]
if DEMO and nbk.covers(articles, "2023-03-20"):
    peak = xi_putin.loc[xi_putin["n_pair"].idxmax(), "period"]
    assert peak == pd.Timestamp("2023-03-20"), peak

# %% [markdown]
# **5. Evidence.** Counts are only as good as the sentences behind them, so read them.

# %%
a, b = pairs.iloc[0]["a"], pairs.iloc[0]["b"]
if DEMO and not xi_putin.empty:
    a, b = "person:xi_jinping", "person:vladimir_putin"
ev = nl.evidence(mentions, a, b, sentences=sents, articles=articles)
assert len(ev) > 0
ev.head(5)

# %% [markdown]
# **6. Temporal expressions and events.** Dates in the text ("on Monday", "March 20–22") are
# resolved against each article's publication date; a sentence with a date, an actor and an
# event word ("visit", "talks") becomes an event mention, and mentions of the same event in
# different articles are grouped.

# %%
tx = nl.timexes(sents, articles)
events = extract_events(articles, mentions, tx, sents)
grouped = group_events(events, articles)
assert grouped.empty or grouped["n_sources"].min() >= 1
if DEMO and nbk.covers(articles, "2023-03-20", "2023-03-22"):
    assert (grouped["n_sources"] >= 2).any(), "no event reported by two or more articles"
grouped.sort_values("n_sources", ascending=False).head(8)[["label", "status", "n_sources"]]

# %% [markdown]
# **7. Timeline.** The events reported by the most sources, one row each; a bar is a range of
# days, a filled mark a reported event, a hollow one a planned or expected event.

# %%
fig, ax = plt.subplots(figsize=(9, 5))
event_timeline(grouped, top=12, ax=ax)
fig.savefig(out_dir / "event_timeline.png", bbox_inches="tight")

# %% [markdown]
# **8. Mention volume.** How often the most mentioned entities appear each week, with the
# largest events marked.

# %%
dated = nbk.plausible_dates(articles)
volume = mention_volume(mentions, dated, freq="W", types=ENTITY_TYPES)
fig, ax = plt.subplots(figsize=(9, 4))
mention_volume_plot(volume, top=5, annotate=grouped, annotate_top=4, ax=ax)
fig.savefig(out_dir / "mention_volume.png", bbox_inches="tight")
nbk.write_summary(
    out_dir,
    "00-quickstart",
    n_articles=len(articles),
    date_min=articles["published"].min(),
    date_max=articles["published"].max(),
    n_mentions=len(mentions),
    n_pairs=len(pairs),
    n_events=len(grouped),
)
