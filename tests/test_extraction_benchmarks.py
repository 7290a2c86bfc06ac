"""The body metric of ../shared/benchmarks/README.md, and Chuhai's floors on both benchmark sets."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from transforms.decode import DecodeError, decode_html
from transforms.html_article import ExtractionError, html_to_article

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"


def _load_bodyscore():
    """benchmarks/bodyscore.py, imported by path (benchmarks/ holds scripts, not a package;
    registered in sys.modules first, as its dataclass needs)."""
    spec = importlib.util.spec_from_file_location("bodyscore", ROOT / "benchmarks" / "bodyscore.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bodyscore"] = module
    spec.loader.exec_module(module)
    return module


BODYSCORE = _load_bodyscore()
score_body, tokens = BODYSCORE.score_body, BODYSCORE.tokens
# Floors a little under what the extractor reaches (mean F1 0.980 and 0.948, share of pages with
# F1 >= 0.9 0.945 and 0.928 when written).
FLOORS = {
    "article-extraction": {"f1": 0.965, "share_f1_090": 0.92},
    "chinese-web-content": {"f1": 0.935, "share_f1_090": 0.90},
}


def test_tokens_split_han_characters_and_latin_words() -> None:
    assert tokens("TikTok电商 GMV增长80%！") == {"tiktok": 1, "电": 1, "商": 1, "gmv": 1, "增": 1, "长": 1, "80": 1}


def test_tokens_are_nfkc_normalised_and_lowercased() -> None:
    assert tokens("ＡＢＣ１２３ Abc123") == {"abc123": 2}


def test_score_is_a_bag_of_tokens_overlap() -> None:
    score = score_body("a b c d", "a b c e f")
    assert score.precision == pytest.approx(3 / 4)
    assert score.recall == pytest.approx(3 / 5)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_missing_or_empty_extraction_scores_zero() -> None:
    assert score_body(None, "some truth").f1 == 0.0
    assert score_body("", "some truth").f1 == 0.0
    assert score_body("only noise", "").f1 == 0.0


def _mean_scores(folder: Path) -> dict[str, float]:
    """Mean P, R, F1 and share of F1 >= 0.9 of Chuhai over one benchmark folder."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    for page_id, item in truth.items():
        path = folder / "html" / f"{page_id}.html"
        try:
            body = html_to_article(decode_html(path.read_bytes()), item.get("url") or "").body
        except (OSError, DecodeError, ExtractionError):
            body = ""
        scores.append(score_body(body, item["articleBody"]))
    n = len(scores)
    return {
        "precision": sum(s.precision for s in scores) / n,
        "recall": sum(s.recall for s in scores) / n,
        "f1": sum(s.f1 for s in scores) / n,
        "share_f1_090": sum(s.f1 >= 0.9 for s in scores) / n,
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_benchmark_floor(name: str) -> None:
    folder = BENCHMARKS / name
    if not (folder / "ground-truth.json").exists():
        pytest.skip(f"../shared/benchmarks/{name} is not available")
    result = _mean_scores(folder)
    floors = FLOORS[name]
    assert result["f1"] >= floors["f1"], result
    assert result["share_f1_090"] >= floors["share_f1_090"], result
