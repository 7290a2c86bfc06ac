"""Attribution as a ranking: each candidate organization of a figure (or none) is described by a few
general features, scored by a weighted sum, and the best one wins.

Features say where a candidate was found (the number's clause, its sentence, the paragraph, the
section heading, the title, the article's topic), what role it plays there (subject, possessor,
place, a back-reference like 'the company'), and what speaks for no organization at all (a
market-wide subject, an official statistic, a figure introduced by its source). The weights live
in reference/attribution_weights.csv: set by hand to follow FACTS.md's order of scopes, then fitted
on annotated real articles by tools/fit_attribution.py (logistic regression, cross-validated by
article); the code holds no weight of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from transforms.gazetteer import read_reference

WEIGHTS_FILE = "attribution_weights.csv"
NAMED_FEATURES = ("bias_named", "clause_before", "sentence_before", "clause_after", "paragraph_before", "heading", "title",
                  "topic", "lead", "is_topic", "in_title", "owns_figure", "possessor", "possessor_elsewhere", "place",
                  "anaphor", "listed", "distance")
NONE_FEATURES = ("bias_none", "market_subject", "stat_source", "source_lead", "unnamed_near", "market_scope")
FEATURES = NAMED_FEATURES + NONE_FEATURES


@dataclass(slots=True)
class Candidate:
    """One reading of a figure's organization: a mention (None for 'no organization') and its features."""

    mention: object | None
    features: dict[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """The organization's name, None for the no-organization reading."""
        return getattr(self.mention, "name", None) if self.mention is not None else None

    def add(self, feature: str, value: float = 1.0) -> None:
        """Set a feature (a candidate reached by several steps collects each of them)."""
        self.features[feature] = max(self.features.get(feature, 0.0), value)


@lru_cache(maxsize=1)
def default_weights() -> dict[str, float]:
    """The weights of reference/attribution_weights.csv."""
    return {row["feature"].strip(): float(row["weight"]) for row in read_reference(WEIGHTS_FILE) if row.get("feature")}


def score(candidate: Candidate, weights: dict[str, float]) -> float:
    """The candidate's weighted feature sum."""
    return sum(weights.get(name, 0.0) * value for name, value in candidate.features.items())


def best(candidates: list[Candidate], weights: dict[str, float] | None = None) -> Candidate | None:
    """The highest-scoring candidate (the first of equals: candidates come nearest scope first)."""
    weights = default_weights() if weights is None else weights
    top, top_score = None, float("-inf")
    for candidate in candidates:
        value = score(candidate, weights)
        if value > top_score:
            top, top_score = candidate, value
    return top
