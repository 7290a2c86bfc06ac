# Chuhai: `make run` and `make test` are all a new machine needs (python3, pip, make).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
SHARED ?= ../shared
GOLD ?= $(SHARED)/gold/dev
EVAL_ARGS ?= --by-script
GOLD_EVENTS ?= $(SHARED)/gold/moves
EVAL_EVENTS_ARGS ?=
DB ?= data/chuhai.duckdb

.PHONY: setup run test eval eval-events lint lock bench serve clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q uv==0.13.9
	$(UV) pip install --python $(PY) -q -r requirements.lock
	$(UV) pip install --python $(PY) -q --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

run: setup  ## ingest the bundled samples into $(DB) and show what landed
	$(VENV)/bin/chuhai run --db $(DB)

test: setup  ## lint, then the whole test suite
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

eval: setup  ## ingest a gold folder (GOLD=../shared/gold/real; default gold/dev) into a scratch warehouse; F1 overall and per script
	@tmp=$$(mktemp -d) && \
	$(VENV)/bin/chuhai ingest $(GOLD) --db $$tmp/eval.duckdb --workers 1 > $$tmp/ingest.log 2>&1 || { cat $$tmp/ingest.log; exit 1; }; \
	$(PY) $(SHARED)/tools/score_facts.py --db $$tmp/eval.duckdb --gold $(GOLD) $(EVAL_ARGS); \
	rm -rf $$tmp

eval-events: setup  ## ingest a folder of *.events.jsonl gold (GOLD_EVENTS=../shared/gold/moves) into a scratch warehouse; events and people-move F1, then per script
	@tmp=$$(mktemp -d) && \
	$(VENV)/bin/chuhai ingest $(GOLD_EVENTS) --db $$tmp/eval.duckdb --workers 1 > $$tmp/ingest.log 2>&1 || { cat $$tmp/ingest.log; exit 1; }; \
	$(PY) $(SHARED)/tools/score_events.py --db $$tmp/eval.duckdb --gold $(GOLD_EVENTS) $(EVAL_EVENTS_ARGS); \
	rm -rf $$tmp; \
	$(PY) tools/eval_events.py --gold $(GOLD_EVENTS) --by-script | tail -3

serve: setup  ## Prefect server + UI on http://127.0.0.1:4200, the deployments of prefect.yaml, a worker (Ctrl-C stops all)
	$(VENV)/bin/chuhai serve

bench: setup  ## speed, memory and floors per stage (1,000 and 10,000 articles + real pages; BENCH_ARGS=--full adds 100,000)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)
	@if [ -f benchmarks/extraction.py ]; then $(PY) benchmarks/extraction.py; fi

lint: setup
	$(VENV)/bin/ruff check .

lock:  ## re-resolve pinned versions after editing pyproject.toml
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf data .pytest_cache
