"""Defaults shared by the CLI and the flows; one place to change them."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path(os.environ.get("CHUHAI_DB", "data/chuhai.duckdb"))
SAMPLES_DIR = PROJECT_DIR / "samples"
DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
