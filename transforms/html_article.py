"""HTML page to Article: title, date, source, language and the article body, nothing else.

Every fact is read from the body, so the body must keep the whole article and nothing around
it. This module only runs the stages of transforms/article/ in order:

1. preclean: drop scripts, styles, comments and SVG with a linear scan, parse once with lxml;
2. metadata, title, dates, language: read from the whole tree, before anything is removed;
3. body: drop boilerplate blocks (boilerplate_blocks), score candidate containers
   (candidates), render the chosen ones to lines (render) and filter the lines (lines).

A site recipe (site_recipe) only narrows this generic path: selectors for title, date and
body, extra drop rules.
"""

from __future__ import annotations

from transforms.article.body import extract_body
from transforms.article.dates import extract_date
from transforms.article.language import CJK_LANGS, extract_lang, guess_lang
from transforms.article.metadata import extract_source
from transforms.article.preclean import parse_page
from transforms.article.site_recipe import recipe_date, recipe_text
from transforms.article.title import extract_title, heading_before
from transforms.model import Article


class ExtractionError(ValueError):
    """The input cannot be read as an HTML page at all (documented failure of html_to_article)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot extract an article: {reason}")
        self.reason = reason


def html_to_article(html: str, url: str, recipe: dict | None = None) -> Article:
    """The article of an HTML page; an empty body when the page holds no article."""
    if not isinstance(html, str):
        raise ExtractionError(f"expected text, got {type(html).__name__}; decode bytes with decode_html")
    page = parse_page(html)
    if page is None:
        return Article(url=url, body="")
    recipe = recipe or {}
    title = recipe_text(page.root, recipe.get("title")) or extract_title(page)
    published = recipe_date(page.root, recipe.get("date")) or extract_date(page, title)
    source = extract_source(page)
    lang = extract_lang(page)
    body = extract_body(page, recipe)
    if page.headline is None and not recipe.get("title") and page.containers:
        title = heading_before(page.containers[0]) or title
    if title and body.startswith(title):
        body = body[len(title):].lstrip("\n")
    if body:
        seen = guess_lang(body)
        if lang is None or (seen in CJK_LANGS and lang != seen):
            lang = seen or lang  # a CJK body outweighs a template's lang="en"
    return Article(url=url, body=body, title=title, published=published, source=source, lang=lang)
