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
# # 04 · Scaling up: chunks on one machine, then a Dask cluster
#
# The earlier notebooks hold the whole corpus in memory. That is fine for thousands of
# articles, not for millions. This notebook runs the same analysis (entities, co-mentions,
# mention volumes) three ways and checks that all three give **the same tables**:
#
# 1. **ingest** the corpus once into a partitioned Parquet dataset (bounded memory,
#    duplicates flagged across the whole corpus);
# 2. the **chunked pipeline** on this machine: each part goes to a worker process, which
#    returns counts that simply add up; association measures are computed once at the end;
# 3. the **Dask** version of the same verbs on a `LocalCluster`, which is the code you would
#    run unchanged on a Kubernetes or SLURM cluster (see the last section).
#
# On the demo corpus everything takes a few seconds; the point is the pattern.

# %% tags=["parameters"]
CORPUS_PATH = "data/demo"  # folder, file or archive; relative to here or to the repository root
OUT_DIR = "out/notebooks/04-scale-with-dask"  # the dataset, tables and a JSON summary go here
N_WORKERS = 2  # local worker processes, and Dask workers of the LocalCluster
CHUNK_SIZE = 20  # articles per Parquet part (use 10,000-50,000 for real corpora)
DISCOVER = "rules"  # entity discovery: "rules" (fast), True (adds NLTK's chunker), False

# %%
import time
import warnings

import dask
import pandas as pd
from dask.distributed import Client, LocalCluster

import newslab as nl
import newslab.dask as nd
from newslab import notebooks as nbk
from newslab.pipeline import run_pipeline
from newslab.timelines import mention_volume

corpus = nbk.resolve_path(CORPUS_PATH)
out_dir = nbk.resolve_path(OUT_DIR, must_exist=False)
out_dir.mkdir(parents=True, exist_ok=True)
warnings.filterwarnings("ignore", message="mention_volume: .* without a publication date")
timings: dict[str, float] = {}

# %% [markdown]
# ## 1. Ingest once
#
# `nl.ingest` parses the files chunk by chunk and writes `articles/part-*.parquet`, the load
# report and `duplicates.parquet`. Only a small fingerprint per sentence is kept in memory
# while the chunks stream past, so that syndicated copies are found even when the original
# and the copy land in different parts.

# %%
t0 = time.perf_counter()
dataset = nl.ingest(
    corpus, out_dir / "dataset", chunk_size=CHUNK_SIZE, workers=1, overwrite=True, progress=False
)
timings["ingest"] = time.perf_counter() - t0
parts = nl.corpus.dataset.dataset_parts(dataset)
print(f"{len(parts)} parts in {dataset}")
print((dataset / "dataset.json").read_text())

# %% [markdown]
# For reference, the one-shot pandas path: everything in memory at once. (Skip this on a
# corpus that does not fit in memory; it is here so that the notebook can check itself.)

# %%
t0 = time.perf_counter()
articles = nl.read_dataset(dataset)
mentions = nl.extract_entities(articles, discover=DISCOVER)
pairs_ref = nl.count_comentions(mentions, articles=articles)
volume_ref = mention_volume(mentions, articles, freq="W")
timings["one-shot pandas"] = time.perf_counter() - t0
print(f"{len(articles)} articles, {len(mentions)} mentions, {len(pairs_ref)} pairs")

# %% [markdown]
# ## 2. The chunked pipeline on local processes
#
# `run_pipeline` sends each part to one of `N_WORKERS` processes (at most two parts per
# worker are in flight, so memory stays bounded whatever the corpus size). A worker extracts
# the entities of its part and returns raw counts only: `n_pair` per pair, the number of
# units naming each entity, the number of units, and mentions/documents per entity and week.
# These add up across parts because every article lies in exactly one part; measures such as
# PMI or G² are computed once, from the sums. Syndicated copies count once, as in the
# one-shot verb, because the duplicate groups were found across the whole corpus.

# %%
t0 = time.perf_counter()
result = run_pipeline(dataset, workers=N_WORKERS, discover=DISCOVER, freq="W", progress=False)
timings["chunked pipeline"] = time.perf_counter() - t0
pd.testing.assert_frame_equal(result.pairs, pairs_ref)
pd.testing.assert_frame_equal(result.volume, volume_ref)
result

# %%
result.pairs.head(10)[["label_a", "label_b", "n_pair", "n_a", "n_b", "npmi", "g2"]]

# %% [markdown]
# ## 3. The same verbs on a Dask cluster
#
# `newslab.dask` mirrors the pandas verbs on Dask DataFrames: `read_dataset` gives one
# partition per Parquet part, `extract_entities` runs per partition, and `comentions` and
# `mention_volume` sum per-partition counts in a tree reduction before computing the final
# table. With `compute=False` both return delayed results, so `dask.compute` extracts the
# entities only once for both tables.
#
# For the whole analysis at once, `nd.run_pipeline` is the pipeline of section 2 with the
# cluster's workers as its pool: one task per dataset part, only the small partial counts
# travel back. It is the faster way on large corpora (every other reduction of the lazy
# mentions, such as counting them, makes Dask extract the entities again).

# %%
t0 = time.perf_counter()
cluster = LocalCluster(
    n_workers=N_WORKERS, threads_per_worker=1, processes=True, dashboard_address=":0"
)
client = Client(cluster)
try:
    ddf = nd.read_dataset(dataset)
    dmentions = nd.extract_entities(ddf, discover=DISCOVER)
    pairs_dask, volume_dask = dask.compute(
        nd.comentions(dmentions, articles=ddf, compute=False),
        nd.mention_volume(dmentions, ddf, freq="W", compute=False),
    )
    on_cluster = nd.run_pipeline(
        dataset, client=client, freq="W", discover=DISCOVER, progress=False
    )
finally:
    client.close()
    cluster.close()
timings["dask LocalCluster"] = time.perf_counter() - t0
print(f"{ddf.npartitions} partitions, {len(pairs_dask)} pairs, {len(volume_dask)} volume rows")
pd.testing.assert_frame_equal(pairs_dask, pairs_ref)
pd.testing.assert_frame_equal(volume_dask, volume_ref)
pd.testing.assert_frame_equal(on_cluster.pairs, pairs_ref)
pd.testing.assert_frame_equal(on_cluster.volume, volume_ref)

# %%
pd.Series(timings, name="seconds").round(2).to_frame()

# %% [markdown]
# On the demo corpus the worker processes spend more time starting than working, so the
# one-shot path is the fastest here. Throughput on large generated corpora is measured by
# `benchmarks/bench_end_to_end.py` (see `benchmarks/README.md`).
#
# ## 4. Running on a real cluster
#
# Nothing above depends on the cluster being local. Two things change on a real one:
#
# * **the data must be readable by every worker**: ingest to a shared file system (or an
#   object store path that pandas can read) and pass that path to `nd.read_dataset`;
# * **newslab must be installed on the workers** (`pip install "newslab[dask]"` in the
#   worker image or environment), in the same version as on the client.
#
# **Kubernetes** with [dask-kubernetes](https://kubernetes.dask.org/) (the Dask operator must be
# installed in the Kubernetes cluster by its administrator):
#
# ```python
# from dask_kubernetes.operator import KubeCluster
# cluster = KubeCluster(name="newslab", image="registry.example.org/newslab-worker:0.1.0")
# cluster.scale(20)                     # 20 worker pods
# client = Client(cluster)
# ```
#
# **SLURM** with [dask-jobqueue](https://jobqueue.dask.org/): each batch job starts Dask workers
# that connect back to the scheduler running in your notebook.
#
# ```python
# from dask_jobqueue import SLURMCluster
# cluster = SLURMCluster(queue="normal", account="my-project", cores=8, processes=8,
#                        memory="32GB", walltime="02:00:00")
# cluster.scale(jobs=10)                # 10 jobs x 8 single-threaded workers
# client = Client(cluster)
# ```
#
# Then run the cells of section 3 as they are. Keep `threads_per_worker=1` (or
# `processes == cores`): entity extraction is pure Python and does not gain from threads.

# %%
result.pairs.to_csv(out_dir / "pairs.csv", index=False)
result.volume.to_csv(out_dir / "volume.csv", index=False)
nbk.write_summary(
    out_dir,
    "04-scale-with-dask",
    n_articles=result.n_articles,
    n_parts=len(parts),
    n_mentions=result.n_mentions,
    n_pairs=len(result.pairs),
    n_volume_rows=len(result.volume),
    same_as_pandas=True,
    seconds={k: round(v, 2) for k, v in timings.items()},
)
