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
# # 02 · Entities and co-mentions: who is mentioned with whom
#
# Co-mention analysis asks which actors the news puts side by side, and how that changes over
# time. The steps:
#
# 1. find entity mentions (people, countries, organisations) and list the most mentioned;
# 2. read one of them in context (KWIC) to check the matches are right;
# 3. count pairs named in the same sentence, and draw them as a heatmap and a network;
# 4. rank pairs by association rather than raw count, so that frequent entities do not win
#    every comparison;
# 5. follow the strongest pairs week by week;
# 6. read the evidence: the sentences behind a pair.

# %% tags=["parameters"]
CORPUS_PATH = "data/demo"  # folder, file or archive; relative to here or to the repository root
DATE_FROM = None  # e.g. "2023-02-01"; None keeps everything
DATE_TO = None  # e.g. "2023-03-31" (inclusive)
ENTITY_TYPES = ["PERSON", "COUNTRY", "ORG"]  # which entities the co-mention counts consider
OUT_DIR = "out/notebooks/02-entity-comentions"  # figures, tables and a JSON summary go here

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import pandas as pd

import newslab as nl
from newslab import notebooks as nbk
from newslab.plot import comention_heatmap, comention_network, pair_trends
from newslab.text import KWIC

corpus = nbk.resolve_path(CORPUS_PATH)
out_dir = nbk.resolve_path(OUT_DIR, must_exist=False)
out_dir.mkdir(parents=True, exist_ok=True)
DEMO = nbk.is_demo(corpus)
articles = nbk.within_dates(nl.load_corpus(corpus, progress=False), DATE_FROM, DATE_TO)
print(f"{len(articles)} articles from {corpus}")

# %% [markdown]
# ## 1. Entities
#
# Names are matched against the package gazetteer (aliases such as "Xi" or "Chinese President
# Xi Jinping" all map to one id), bare surnames are linked to the full name used earlier in
# the same article, and capitalised names the gazetteer does not know are reported as
# `UNKNOWN` with a `new:` id so that they can be reviewed and added. Capitals standing for
# governments ("Beijing said...") are flagged as metonyms and carry the country's id.

# %%
sents = nl.sentences(articles)
mentions = nl.extract_entities(articles, sentences=sents)
summary = nl.entity_summary(mentions, articles)
kept = summary[summary["type"].isin(ENTITY_TYPES)]
assert len(mentions) > 0 and summary["mentions"].sum() == mentions["entity_id"].notna().sum()
if DEMO:
    top_people = summary.loc[summary["type"] == "PERSON", "entity_id"].head(2).tolist()
    assert set(top_people) == {"person:xi_jinping", "person:vladimir_putin"}, top_people
mentions["method"].value_counts().to_frame("mentions")

# %%
fig, ax = plt.subplots(figsize=(7, 5))
top = kept.head(15).iloc[::-1]
ax.barh(top["label"].astype(str), top["mentions"], color="#4c72b0")
ax.set(xlabel="mentions", title="Most mentioned entities")
fig.savefig(out_dir / "top_entities.png", bbox_inches="tight")
kept.head(15)

# %% [markdown]
# ## 2. Keyword in context
#
# Before trusting counts, read a sample of matches. `nl.kwic` lines up every occurrence of a
# phrase with its left and right context; here, the most mentioned person's name.

# %%
focus = kept[kept["type"] == "PERSON"].iloc[0] if (kept["type"] == "PERSON").any() else kept.iloc[0]
keyword = str(focus["label"])
lines = nl.kwic(articles, keyword, width=45)
assert len(lines) > 0
assert lines.frame["keyword"].str.casefold().eq(keyword.casefold()).all()
print(f"{len(lines)} lines for {keyword!r}; the first 12:")
KWIC(lines.frame.head(12), keyword)

# %% [markdown]
# ## 3. Co-mention counts, heatmap and network
#
# A pair is counted once per sentence that names both entities (`unit="sentence"`; whole
# articles and sliding windows of sentences are the alternatives). Syndicated copies count
# once. The heatmap shows the counts among the most connected entities; the network shows the
# same pairs as edges, node size being the number of mentions.

# %%
pairs = nl.count_comentions(mentions, unit="sentence", articles=articles, types=ENTITY_TYPES)
assert (pairs["a"] < pairs["b"]).all()
assert (pairs["n_pair"] <= pairs[["n_a", "n_b"]].min(axis=1)).all()
pairs.to_csv(out_dir / "pairs.csv", index=False)
fig, ax = plt.subplots(figsize=(7, 6))
comention_heatmap(pairs, value="n_pair", top=15, ax=ax)
fig.savefig(out_dir / "heatmap.png", bbox_inches="tight")

# %%
fig, ax = plt.subplots(figsize=(9, 7))
comention_network(pairs[pairs["n_pair"] >= 2], mentions=mentions, top=25, ax=ax)
fig.savefig(out_dir / "network.png", bbox_inches="tight")
graph = nl.comention_graph(pairs)
graph_path = nl.write_graph(graph, out_dir / "comentions.graphml")  # opens in Gephi
print(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges -> {graph_path.name}")

# %% [markdown]
# ## 4. Association measures
#
# The most frequent pairs are mostly pairs of frequent entities (China and Russia appear
# together because both appear everywhere). Association measures compare the observed count
# with what chance would give: PMI and its normalised form NPMI (from -1 to 1, 0 meaning
# independence), the log-likelihood ratio G² with its p-value, and the Jaccard and Dice
# overlaps. Ranking by NPMI, with a minimum count to keep rare accidents out, surfaces pairs
# that belong together.

# %%
by_count = pairs.head(10)[["label_a", "label_b", "n_pair", "npmi"]].reset_index(drop=True)
strong = (
    pairs[pairs["n_pair"] >= 3]
    .sort_values(["npmi", "n_pair"], ascending=[False, False])
    .head(10)[["label_a", "label_b", "n_pair", "npmi", "g2", "g2_p", "dice"]]
    .reset_index(drop=True)
)
assert strong["npmi"].between(-1, 1).all() and strong["npmi"].is_monotonic_decreasing
pd.concat({"most frequent": by_count, "most associated (n_pair >= 3)": strong}, axis=1)

# %% [markdown]
# ## 5. Pairs over time
#
# Counting pairs week by week (weeks start on Monday) shows when two actors were in the news
# together. On the demo corpus Xi Jinping and Vladimir Putin are co-mentioned most in the week
# of Xi's state visit to Moscow, 20–22 March 2023, and Wang Yi and Putin in the week of Wang's
# Moscow trip (22 February).

# %%
weekly = nl.comentions_over_time(
    mentions, nbk.plausible_dates(articles), freq="W", unit="sentence", types=ENTITY_TYPES
)
top_weekly = nl.top_pairs_over_time(weekly, n=3)
people = weekly[weekly["a"].str.startswith("person:") & weekly["b"].str.startswith("person:")]
fig, ax = plt.subplots(figsize=(9, 4))
pair_trends(people, top=4, ax=ax)
fig.savefig(out_dir / "pair_trends.png", bbox_inches="tight")


def peak_week(frame: pd.DataFrame, a: str, b: str) -> pd.Timestamp | None:
    """Return the week in which the pair (a, b) is co-mentioned most, or None."""
    a, b = sorted((a, b))
    rows = frame[(frame["a"] == a) & (frame["b"] == b)]
    return None if rows.empty else rows.loc[rows["n_pair"].idxmax(), "period"]


if DEMO and nbk.covers(articles, "2023-02-20", "2023-03-22"):
    xi_putin = peak_week(weekly, "person:xi_jinping", "person:vladimir_putin")
    wang_putin = peak_week(weekly, "person:wang_yi", "person:vladimir_putin")
    assert xi_putin == pd.Timestamp("2023-03-20"), xi_putin
    assert wang_putin == pd.Timestamp("2023-02-20"), wang_putin
top_weekly[top_weekly["rank"] == 1][["period", "label_a", "label_b", "n_pair"]].tail(10)

# %% [markdown]
# ## 6. Evidence
#
# The sentences behind a pair, oldest first, with both names highlighted. Reading them is how
# one tells a meeting from a mere listing of names.

# %%
a, b = pairs.iloc[0]["a"], pairs.iloc[0]["b"]  # the most co-mentioned pair ...
if DEMO:
    a, b = "person:xi_jinping", "person:vladimir_putin"  # ... or, on the demo, Xi and Putin
ev = nl.evidence(mentions, a, b, sentences=sents, articles=articles)
expected = pairs.loc[(pairs["a"] == min(a, b)) & (pairs["b"] == max(a, b)), "n_pair"]
if len(expected):
    # syndicated copies are in the evidence but counted once in n_pair
    assert len(ev) >= int(expected.iloc[0])
ev.head(8)

# %% [markdown]
# ## Exploring interactively
#
# In JupyterLab, `explore` opens a small app over the same tables: pick an entity to see its
# partners, its KWIC lines, its weekly volume and its events; pick a partner to read the
# evidence. (The widgets need a live kernel; in a static copy of this notebook only the
# app's text is shown.)

# %%
from newslab.explore import explore

app = explore(articles, mentions, sentences=sents, types=ENTITY_TYPES)
app

# %%
written = nbk.write_summary(
    out_dir,
    "02-entity-comentions",
    n_articles=len(articles),
    date_min=articles["published"].min(),
    date_max=articles["published"].max(),
    n_mentions=len(mentions),
    n_pairs=len(pairs),
    top_pair=[pairs.iloc[0]["label_a"], pairs.iloc[0]["label_b"]] if len(pairs) else None,
)
print(written)
