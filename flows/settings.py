"""Defaults shared by the CLI and the flows; one place to change them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path(os.environ.get("CHUHAI_DB", "data/chuhai.duckdb"))
SAMPLES_DIR = PROJECT_DIR / "samples"
DEFAULT_BATCH_SIZE = 100  # documents per parse task for web sources and reprocess
# `ingest` sizes its batches from the run (batch_size=0): enough batches to keep every parse process busy
# to the end, few enough that orchestration (two Prefect task runs per batch) stays a small share.
BATCHES_PER_WORKER = 6
AUTO_BATCH_RANGE = (20, 250)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_SOURCES_FILE = "sources.yaml"  # the named web sources (relative to where a run starts: the project)
