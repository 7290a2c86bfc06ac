"""Scores the extractor on ../shared/gold/dev with the shared scorer and holds the floors."""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT.parent / "shared" / "gold" / "dev"
SCORER = ROOT.parent / "shared" / "tools" / "score_facts.py"
EVAL = ROOT / "tools" / "eval_facts.py"
FLOORS = {"value": 0.95, "metric": 0.92, "full": 0.82}

pytestmark = pytest.mark.skipif(
    not GOLD_DIR.is_dir() or not SCORER.is_file(),
    reason=f"gold articles ({GOLD_DIR}) or scorer ({SCORER}) not available in this checkout",
)


def _load(path: pathlib.Path, name: str):
    """Import a script by path (the scorer and eval tool are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def totals() -> dict[str, float]:
    """F1 per level over the whole gold folder."""
    return _load(EVAL, "eval_facts").f1_by_level(GOLD_DIR)


@pytest.mark.parametrize("level", sorted(FLOORS))
def test_gold_floor(totals: dict[str, float], level: str) -> None:
    """Each scoring level stays at or above its floor."""
    assert totals[level] >= FLOORS[level], f"{level} F1 {totals[level]:.3f} < {FLOORS[level]}"


def test_every_gold_article_yields_facts() -> None:
    """No gold article comes back empty (a crash inside extraction would show up here)."""
    evaluator = _load(EVAL, "eval_facts")
    urls = {row["url"] for row in evaluator.predict(GOLD_DIR)}
    assert len(urls) == len(list(GOLD_DIR.glob("*.txt")))
