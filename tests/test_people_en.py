"""English people moves: one composed text per form (tests/data/people_en_sentences.yaml), the vocabulary, speed."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from transforms.model import Article, PeopleMove
from transforms.people import extract_people

DATA = Path(__file__).parent / "data" / "people_en_sentences.yaml"
CASES = yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _article(case: dict) -> Article:
    """An article whose body is the case's text (with its title and publication date when given)."""
    published = case.get("published")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(url="https://example.test/en", body=case["text"], title=case.get("title"), published=published)


def _matches(move: PeopleMove, expected: dict) -> bool:
    """Whether an extracted row has every field the expected row states."""
    return all(str(getattr(move, key)) == str(value) if value is not None else getattr(move, key) is None
               for key, value in expected.items())


def _rows(moves: list[PeopleMove]) -> list[tuple]:
    """Readable rows for an assertion message."""
    return [(m.person, m.role_from, m.org_from, m.role_to, m.org_to, m.period) for m in moves]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_english_form(case: dict) -> None:
    """Each composed text yields exactly its expected rows, each row matched by a different move."""
    moves = extract_people(_article(case))
    expected = case["expected"] or []
    assert len(moves) == len(expected), _rows(moves)
    left = list(moves)
    for row in expected:
        hit = next((m for m in left if _matches(m, row)), None)
        assert hit is not None, (row, _rows(moves))
        left.remove(hit)


def test_rows_are_complete() -> None:
    """A row carries the sentence and a span inside it that covers the person as written."""
    body = "Intro line.\nShopee appointed Lina Wu as head of Brazil in 2024."
    [move] = extract_people(Article(url="https://example.test/x", body=body))
    assert move.sentence == "Shopee appointed Lina Wu as head of Brazil in 2024."
    assert body[move.span_start:move.span_end].find("Lina Wu") >= 0
    assert move.period == "2024"


def test_vocabulary_rows_compile() -> None:
    """Every row of reference/people_en.csv has its four fields and a pattern that compiles."""
    from transforms.reference import read_csv_rows

    rows = read_csv_rows("people_en.csv")
    assert rows and all(set(row) == {"kind", "pattern", "direction", "voice"} for row in rows)
    kinds = {row["kind"] for row in rows}
    assert {"trigger", "role", "history", "not_name", "generic", "org_ref", "block"} <= kinds
    for row in rows:
        re.compile(row["pattern"])
        if row["kind"] == "trigger":
            assert row["direction"] in ("to", "from", "keep", "since")
            assert row["voice"] in ("subject", "object", "successor", "handover", "needs_role", "prior", "title", "duty")


def test_person_names() -> None:
    """Names: two or three capitalized words with particles; surnames only of a full name; no uppercase bylines."""
    from transforms.people_en import find_persons

    text = "NEWLEY PARK AND KIM CHIN. Ludwig van Dam met Sarah O. Quinn. Later Dam and Mr. Quinn left. Board of Directors."
    names = [(p.written, p.full) for p in find_persons(text, [])]
    assert ("Ludwig van Dam", "Ludwig van Dam") in names
    assert ("Sarah O. Quinn", "Sarah O. Quinn") in names
    assert ("Dam", "Ludwig van Dam") in names and ("Quinn", "Sarah O. Quinn") in names
    assert not any("NEWLEY" in w or "Board" in w for w, _ in names)


def test_long_article_is_linear() -> None:
    """A long article full of move words and names stays fast (no backtracking blow-up)."""
    sentence = ("Shopee appointed Lina Wu as head of Brazil, replacing Tom Berg, who resigned since 2020 "
                "and had worked at Lazada since 2015, said Mr. Berg. ")
    body = "\n".join(sentence * 5 for _ in range(200))
    start = time.perf_counter()
    extract_people(Article(url="https://example.test/long", body=body))
    assert time.perf_counter() - start < 10
