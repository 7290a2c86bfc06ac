"""One case per hand-written sentence in tests/cases/fact_sentences.yaml: the facts it states, or none.

Each case lists the expected facts; fields left out of an expectation are not checked.
Values match within 1% (as in the scorer); the number of facts must match exactly.
"""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest
import yaml

from transforms.facts import extract_facts
from transforms.model import Article, Fact

CASES_FILE = pathlib.Path(__file__).parent / "cases" / "fact_sentences.yaml"
CHECKED_FIELDS = ("metric", "unit", "entity", "market", "period", "qualifier")


def _cases() -> list[dict]:
    """All cases of the data file, with an id for pytest."""
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _article(case: dict) -> Article:
    """An Article whose body is the case text (paragraphs separated by newlines)."""
    published = case.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return Article(url="test://sentence", body=case["text"], title=case.get("title"), published=published,
                   lang=case.get("lang"))


def _matches(expected: dict, fact: Fact) -> bool:
    """Every field the expectation gives agrees with the fact."""
    value = float(expected["value"])
    if abs(fact.value - value) > 0.01 * max(abs(value), abs(fact.value)) and fact.value != value:
        return False
    return all(getattr(fact, f) == expected[f] for f in CHECKED_FIELDS if f in expected)


def _show(facts: list[Fact]) -> str:
    """Readable dump of extracted facts for assertion messages."""
    return "\n".join(f"  {f.metric} {f.value:g} {f.unit} e={f.entity} m={f.market} p={f.period} q={f.qualifier}"
                     for f in facts) or "  (none)"


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_sentence(case: dict) -> None:
    """The sentence yields exactly the expected facts."""
    facts = extract_facts(_article(case))
    expected = case.get("facts") or []
    unmatched = list(facts)
    for exp in expected:
        hit = next((f for f in unmatched if _matches(exp, f)), None)
        assert hit is not None, f"missing {exp}\ngot:\n{_show(facts)}"
        unmatched.remove(hit)
    assert not unmatched, f"unexpected facts:\n{_show(unmatched)}"


def test_spans_point_at_the_number() -> None:
    """span_start/span_end index the original body and contain the number as written."""
    body = "拼多多第二季營收為人民幣 1,040 億元，同比成長 7%。"
    for fact in extract_facts(Article(url="t", body=body)):
        written = body[fact.span_start:fact.span_end]
        assert any(ch.isdigit() for ch in written), written
        assert fact.sentence in body
