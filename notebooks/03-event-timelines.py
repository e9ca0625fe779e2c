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
# # 03 · Temporal expressions, events and timelines: when did things happen?
#
# A news article is dated once, but it talks about many dates: "on Monday", "next week",
# "from 20 to 22 March", "last December". Putting what the articles report on a timeline
# needs three steps, each checked below:
#
# 1. **temporal expressions** (timexes): find the date phrases and resolve each against its
#    article's publication date and the tense of its sentence;
# 2. **events**: a sentence that joins a resolved date, one or more actors and an event word
#    ("visit", "talks", "call") is an event mention, with a status (reported, planned,
#    expected, denied);
# 3. **grouping**: mentions of one real-world event in different articles are merged, and an
#    event reported by several independent sources is more credible than one seen once.
#
# Finally the events go on a timeline, next to how often the main actors were mentioned.

# %% tags=["parameters"]
CORPUS_PATH = "data/demo"  # folder, file or archive; relative to here or to the repository root
DATE_FROM = None  # e.g. "2023-02-01"; None keeps everything
DATE_TO = None  # e.g. "2023-03-31" (inclusive)
ENTITY_TYPES = ["PERSON", "COUNTRY", "ORG"]  # entities drawn in the mention-volume chart
OUT_DIR = "out/notebooks/03-event-timelines"  # figures, tables and a JSON summary go here

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

import newslab as nl
from newslab import notebooks as nbk
from newslab.events import extract_events, group_events
from newslab.plot_timelines import event_timeline, mention_volume_plot
from newslab.timelines import mention_volume

corpus = nbk.resolve_path(CORPUS_PATH)
out_dir = nbk.resolve_path(OUT_DIR, must_exist=False)
out_dir.mkdir(parents=True, exist_ok=True)
DEMO = nbk.is_demo(corpus)
articles = nbk.within_dates(nl.load_corpus(corpus, progress=False), DATE_FROM, DATE_TO)
sents = nl.sentences(articles)
mentions = nl.extract_entities(articles, sentences=sents)
print(f"{len(articles)} articles, {len(sents)} sentences, {len(mentions)} mentions")

# %% [markdown]
# ## 1. Temporal expressions
#
# Each row is one date phrase, with its TIMEX3 type (a `DATE`, a `DURATION` such as "three
# days", a `SET` such as "every week"), its normalised value and the calendar span it covers.
# Relative phrases are resolved against the article's date: "last week" in an article of
# 22 March 2023 becomes the week of 13 March.

# %%
tx = nl.timexes(sents, articles)
assert tx["doc_id"].isin(articles["doc_id"]).all()
dated_tx = tx[tx["start_date"].notna()]
assert (dated_tx["end_date"] >= dated_tx["start_date"]).all()
pd.crosstab(tx["type"], tx["granularity"])

# %%
# a few resolved phrases, with the publication date they were anchored on
published = articles.drop_duplicates("doc_id").set_index("doc_id")["published"]
sample = dated_tx.assign(published=dated_tx["doc_id"].map(published))
sample[["doc_id", "published", "surface", "type", "value", "start_date", "end_date"]].head(12)

# %% [markdown]
# ## 2. Event mentions
#
# One row per sentence that dates an action by named actors. `status` separates what
# happened from what was announced: a date later than the article's own date cannot have
# been reported yet, and cue words ("will", "plans to", "denied") mark plans, expectations
# and denials.

# %%
events = extract_events(articles, mentions, tx, sents)
assert events["status"].isin(["reported", "planned", "expected", "denied"]).all()
assert events["actors"].map(len).min() >= 1 if len(events) else True
events["status"].value_counts().to_frame("event mentions")

# %%
events[["doc_id", "date_start", "date_end", "labels", "trigger", "status", "sentence"]].head(10)

# %% [markdown]
# ## 3. Grouped events
#
# Mentions are grouped into one event when they share actors, a kind of action and
# overlapping dates. `n_sources` counts distinct articles (a syndicated copy counts once) and
# `n_outlets` distinct publishers. On the demo corpus the largest groups are the diplomatic
# visits of early 2023, each reported by several outlets; Xi Jinping's state visit to Moscow
# (20–22 March 2023) is one of them.

# %%
grouped = group_events(events, articles)
assert grouped["n_sources"].le(grouped["n_mentions"]).all()
assert grouped["event_id"].is_unique
multi = grouped[grouped["n_sources"] >= 2]
if DEMO and nbk.covers(articles, "2023-03-20", "2023-03-22"):
    assert len(multi) >= 3, "expected several events reported by two or more articles"
    visit = multi[
        multi["actors"].map(lambda a: {"person:xi_jinping", "person:vladimir_putin"} <= set(a))
        & (multi["date_start"] <= pd.Timestamp("2023-03-22"))
        & (multi["date_end"] >= pd.Timestamp("2023-03-20"))
    ]
    assert len(visit) >= 1 and visit["n_outlets"].max() >= 2, visit
grouped.to_csv(out_dir / "events.csv", index=False)
multi.sort_values("n_sources", ascending=False)[
    ["label", "status", "n_sources", "n_outlets", "first_published"]
].head(12)

# %% [markdown]
# ## 4. The event timeline
#
# The events with the most sources, one row each, earliest at the top. A bar spans a range of
# days; filled marks are reported events and hollow ones planned or expected; an `x` marks
# when the first article about the event appeared, so announcements made ahead of time stand
# out.

# %%
fig, ax = plt.subplots(figsize=(10, 6))
event_timeline(grouped[grouped["date_start"].notna()], top=15, ax=ax, published=True)
fig.savefig(out_dir / "event_timeline.png", bbox_inches="tight")

# %% [markdown]
# ## 5. Mention volume
#
# Weekly mentions of the most mentioned entities of the chosen types, with the largest events
# marked. Peaks in volume should line up with events; a peak without an event is worth a look.
# Articles without a plausible date are left out (see notebook 01).

# %%
dated = nbk.plausible_dates(articles)
volume = mention_volume(mentions, dated, freq="W", types=ENTITY_TYPES, normalize=True)
assert volume["documents"].le(volume["mentions"]).all()
assert volume["share"].between(0, 1).all()
fig, ax = plt.subplots(figsize=(10, 4))
mention_volume_plot(volume, top=5, annotate=grouped, annotate_top=4, ax=ax)
fig.savefig(out_dir / "mention_volume.png", bbox_inches="tight")
if DEMO and nbk.covers(articles, "2023-03-20", "2023-03-22") and "PERSON" in ENTITY_TYPES:
    putin = volume[volume["entity_id"] == "person:vladimir_putin"]
    # the week of the Moscow visit is one of Putin's two busiest weeks (the other: Wang Yi's
    # visit to Moscow and the anniversary of the invasion, in the week of 20 February)
    busiest = set(putin.nlargest(2, "mentions")["period"])
    assert pd.Timestamp("2023-03-20") in busiest, putin
volume.sort_values("mentions", ascending=False).head(8)

# %%
written = nbk.write_summary(
    out_dir,
    "03-event-timelines",
    n_articles=len(articles),
    date_min=articles["published"].min(),
    date_max=articles["published"].max(),
    n_timexes=len(tx),
    n_event_mentions=len(events),
    n_events=len(grouped),
    n_events_multi_source=len(multi),
)
print(written)
