"""Body-extraction score of ../shared/benchmarks/README.md: bag-of-tokens precision, recall, F1.

Texts are NFKC-normalised and lowercased; each Han, hiragana or katakana character is one
token, every other maximal run of letters and digits is one token, everything else is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

CJK_CHAR = r"\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
TOKEN = re.compile(rf"[{CJK_CHAR}]|[^\W_{CJK_CHAR}]+")


@dataclass(frozen=True, slots=True)
class BodyScore:
    """Precision, recall and F1 of one extracted body against its ground truth."""

    precision: float
    recall: float
    f1: float


def tokens(text: str) -> Counter[str]:
    """The bag of tokens the metric compares."""
    return Counter(TOKEN.findall(unicodedata.normalize("NFKC", text).lower()))


def score_body(extracted: str | None, truth: str) -> BodyScore:
    """Bag-of-tokens P, R and F1 of an extracted body; a missing body scores zero."""
    got = tokens(extracted or "")
    want = tokens(truth)
    overlap = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    precision = overlap / n_got if n_got else 0.0
    recall = overlap / n_want if n_want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BodyScore(precision, recall, f1)
