"""Our own held-out sets, scored like the dev gold, so a change cannot quietly lose what they show.

`holdout` and `holdout2` were written blind by colleagues and then used to tune the
grammar; `holdout3` was untouched until session 4, which read its misses once (two
qualifier rules came from it). The honest estimate on unseen writers is now the real
articles' cross-validated figure (tools/fit_attribution.py) and the hidden set. Floors sit a little under the scores
reached when they were set.
"""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_facts.py"
EVAL = ROOT / "tools" / "eval_facts.py"
FLOORS = {  # reached: holdout 1.00/1.00/1.00, holdout2 1.00/1.00/0.996, holdout3 0.951/0.944/0.807
    "holdout": {"value": 0.97, "metric": 0.97, "full": 0.95},
    "holdout2": {"value": 0.97, "metric": 0.97, "full": 0.95},
    "holdout3": {"value": 0.93, "metric": 0.92, "full": 0.78},
}

pytestmark = pytest.mark.skipif(not SCORER.is_file(), reason=f"the shared scorer ({SCORER}) is not available")


def _eval_tool():
    """The eval script, imported by path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("eval_facts", EVAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_held_out_set_stays_above_its_floors(name: str) -> None:
    got = _eval_tool().f1_by_level(ROOT / "tests" / name)
    low = {level: f"{got[level]:.3f} < {floor}" for level, floor in FLOORS[name].items() if got[level] < floor}
    assert not low, f"{name} fell under its floors: {low}"
