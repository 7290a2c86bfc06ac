"""Real Chinese news pages (../shared/pages/zh-news): title, body start and end, date, no boilerplate.

Expectations live in tests/data/zh_news_expected.yaml, one case per page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from transforms.decode import decode_html
from transforms.html_article import html_to_article

PAGES = Path(__file__).resolve().parents[2] / "shared" / "pages" / "zh-news"
EXPECTED = yaml.safe_load((Path(__file__).parent / "data" / "zh_news_expected.yaml").read_text(encoding="utf-8"))
LEAD_CHARS = 120  # lead-in allowed before the first sentence / after the last (原标题 lines, credits)


def _cases() -> list:
    """One pytest param per page, marked xfail where the expectation file records a known fault."""
    cases = []
    for name, expected in sorted(EXPECTED.items()):
        marks = [pytest.mark.xfail(reason=expected["xfail"], strict=False)] if expected.get("xfail") else []
        cases.append(pytest.param(name, expected, marks=marks, id=name))
    return cases


@pytest.mark.skipif(not PAGES.is_dir(), reason="../shared/pages/zh-news is not available")
@pytest.mark.parametrize(("name", "expected"), _cases())
def test_zh_news_page(name: str, expected: dict) -> None:
    data = (PAGES / f"{name}.html").read_bytes()
    article = html_to_article(decode_html(data), f"https://example.invalid/{name}")
    body = article.body
    assert article.title == expected["title"]
    start = body.find(expected["first_sentence"])
    assert 0 <= start <= LEAD_CHARS, body[: LEAD_CHARS * 2]
    end = body.rfind(expected["last_sentence"])
    assert end >= 0 and len(body) - end - len(expected["last_sentence"]) <= LEAD_CHARS, body[-LEAD_CHARS * 2:]
    if expected.get("published"):
        assert article.published == date.fromisoformat(expected["published"])
    for boilerplate in expected.get("absent") or []:
        assert boilerplate not in article.body


def test_expectations_cover_at_least_fifty_pages() -> None:
    assert len(EXPECTED) >= 50
