"""The article body of a page: the body stages in order.

Receives a Page (its metadata already read: dropping boilerplate edits the tree) and a site
recipe; returns the body as lines joined by newlines, "" when the page holds no article,
and records the chosen containers on the page (the title fallback looks above them).
"""

from __future__ import annotations

from transforms.article.boilerplate_blocks import drop_boilerplate
from transforms.article.candidates import choose_containers
from transforms.article.lines import filter_lines
from transforms.article.page import Page
from transforms.article.render import render_lines
from transforms.article.site_recipe import line_patterns, outermost, select
from transforms.article.tree import drop_element


def extract_body(page: Page, recipe: dict) -> str:
    """The article body as lines, or "" when the page has no article."""
    root = page.root
    body = root.find("body")
    if body is None:
        body = root
    dropped = False
    for selector in recipe.get("drop") or []:
        for node in select(root, selector):
            drop_element(node)
            dropped = True
    drop_boilerplate(body, page.headline, None if dropped else len(page.body_text()))
    scope = outermost(select(root, recipe.get("body")))
    containers, stats = (scope, None) if scope else choose_containers(body, page.headline)
    page.containers = containers
    if not containers:
        return ""
    lines = render_lines(containers, stats)
    return "\n".join(filter_lines(lines, line_patterns(recipe.get("drop_text"))))
