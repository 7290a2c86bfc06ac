"""People moves and events on real articles about executive changes (../shared/gold/moves, 5 per
script), scored by the shared scorer's own rules: floors for the whole set and for each script, a
little under the figures reached.

The texts were written by other people and never to suit the grammar, so a rule that helps our own
sentences but costs on real text shows up here first.
"""

from __future__ import annotations

import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MOVES = ROOT.parent / "shared" / "gold" / "moves"
SCORER = ROOT.parent / "shared" / "tools" / "score_events.py"
# reached (tools/eval_events.py): moves person 0.991, full 0.991; events type 1.000, full 1.000. The floors sit
# lower than that on purpose: the set was read while the rules were written, and the hidden set's bar is
# moves 0.80 / 0.65 and events 0.85 / 0.75.
FLOORS = {("moves", "person"): 0.93, ("moves", "full"): 0.93, ("events", "type"): 0.90, ("events", "full"): 0.90}
SCRIPT_FLOORS = {("moves", "full"): 0.90, ("events", "full"): 0.85}  # reached: en 0.97 / 1.0, hant and zh 1.0 / 1.0

pytestmark = pytest.mark.skipif(not MOVES.is_dir() or not SCORER.is_file(),
                                reason=f"the moves gold ({MOVES}) or the scorer are not available")


def _eval_tool():
    spec = importlib.util.spec_from_file_location("eval_events", ROOT / "tools" / "eval_events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_moves_and_events_stay_above_their_floors() -> None:
    got = _eval_tool().f1_by_level(MOVES)
    low = {f"{kind} {level}": f"{got[kind][level]:.3f} < {floor}"
           for (kind, level), floor in FLOORS.items() if got[kind][level] < floor}
    assert not low, f"gold/moves fell under its floors: {low}"


@pytest.mark.parametrize("script", ["en", "zh", "hant"])
def test_no_script_falls_behind(script: str) -> None:
    got = _eval_tool().f1_by_level(MOVES, script)
    low = {f"{kind} {level}": f"{got[kind][level]:.3f} < {floor}"
           for (kind, level), floor in SCRIPT_FLOORS.items() if got[kind][level] < floor}
    assert not low, f"{script} fell under its floors: {low}"
