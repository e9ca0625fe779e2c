# newslab — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
EXTRAS := notebooks,dask,gazetteer,dev
# NLTK's optional models: use ../shared/nltk_data when it exists (newslab works without them).
SHARED_NLTK := $(abspath ../shared/nltk_data)
export NLTK_DATA ?= $(if $(wildcard $(SHARED_NLTK)),$(SHARED_NLTK),)
export MPLBACKEND ?= Agg
OUT ?= out/demo
CORPUS ?= data/demo

.PHONY: help venv demo test lint format bench notebooks clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (or: make PYTHON=python3 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	@touch $@

venv: $(VENV)/.installed ## create .venv/ with newslab and all extras installed

demo: venv ## load the demo corpus, run the curated notebooks, write figures and the report to out/demo
	$(PY) -m newslab.cli demo --corpus $(CORPUS) --out $(OUT)

test: venv ## run ruff and the whole test suite (what CI runs)
	$(VENV)/bin/ruff check newslab tests benchmarks scripts
	$(PY) -m pytest -q

lint: venv ## ruff check
	$(VENV)/bin/ruff check newslab tests benchmarks scripts

format: venv ## ruff format
	$(VENV)/bin/ruff format newslab tests benchmarks scripts

bench: venv ## run every benchmark (about an hour; figures go to benchmarks/results/)
	$(PY) benchmarks/bench_load.py --n 100000
	$(PY) benchmarks/bench_dump.py --mb 200
	$(PY) benchmarks/bench_entities.py
	$(PY) benchmarks/bench_comentions.py
	$(PY) benchmarks/bench_tempeval3.py
	$(PY) benchmarks/bench_end_to_end.py --n 1000000 --max-articles 30000

notebooks: venv ## regenerate notebooks/*.ipynb (outputs stripped) from their .py scripts
	$(PY) -m newslab.notebooks

clean: ## remove outputs and caches (keeps .venv)
	rm -rf out .pytest_cache .ruff_cache .hypothesis
