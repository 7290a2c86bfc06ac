"""Reference data files (gazetteers, FX rates, keywords) shipped in `reference/`.

They are read once per process and cached: they are part of the program, not input.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


def reference_path(name: str) -> Path:
    """Absolute path of a reference file by its name inside `reference/`."""
    return REFERENCE_DIR / name


@cache
def read_csv_rows(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a reference CSV, skipping `#` comment lines (each file opens with one)."""
    text = reference_path(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return tuple(csv.DictReader(io.StringIO("\n".join(lines))))
