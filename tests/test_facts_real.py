"""The extractor on real articles by other writers (../shared/gold/real, 12 per script), scored by the
shared scorer: floors for the whole set and for each script, a little under the figures reached.

These texts were never written to suit the grammar: they are the best picture we have of what
users feed in, so a change that helps our own sentences but costs here shows up here first.
"""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "gold" / "real"
SCORER = ROOT.parent / "shared" / "tools" / "score_facts.py"
FLOORS = {"value": 0.94, "metric": 0.91, "full": 0.82}  # reached: 0.956 / 0.933 / 0.845
SCRIPT_FULL_FLOOR = 0.78  # reached: en 0.86, hant 0.81, zh 0.86 (the issue asks 0.68 of the hidden set)

pytestmark = pytest.mark.skipif(not REAL.is_dir() or not SCORER.is_file(),
                                reason=f"the real gold articles ({REAL}) or the scorer are not available")


def _eval_tool():
    spec = importlib.util.spec_from_file_location("eval_facts", ROOT / "tools" / "eval_facts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_articles_stay_above_their_floors() -> None:
    got = _eval_tool().f1_by_level(REAL)
    low = {level: f"{got[level]:.3f} < {floor}" for level, floor in FLOORS.items() if got[level] < floor}
    assert not low, f"gold/real fell under its floors: {low}"


@pytest.mark.parametrize("script", ["en", "zh", "hant"])
def test_no_script_falls_behind(script: str) -> None:
    got = _eval_tool().f1_by_level(REAL, script)
    assert got["full"] >= SCRIPT_FULL_FLOOR, f"{script}: full F1 {got['full']:.3f} < {SCRIPT_FULL_FLOOR}"
