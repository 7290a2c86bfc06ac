"""Which site recipe applies to a URL. Pure: the recipes are loaded by sources/recipes.py.

A recipe is a dict read from reference/recipes/*.yaml. `hosts` lists the hostnames it covers
(a `www.` prefix and subdomains of a listed host match too); the other keys (`title`, `date`,
`body`, `drop`, `drop_text`) only narrow the generic extractor in transforms/html_article.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The lowercased hostname of a URL without a leading "www.", or "" when it has none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def recipe_for(url: str, recipes: list[dict]) -> dict | None:
    """The recipe whose hosts cover the URL's host (the most specific host wins), or None."""
    host = host_of(url)
    if not host:
        return None
    best: tuple[int, dict] | None = None
    for recipe in recipes:
        for listed in recipe.get("hosts") or []:
            name = str(listed).lower().strip().removeprefix("www.")
            if name and (host == name or host.endswith("." + name)):
                if best is None or len(name) > best[0]:
                    best = (len(name), recipe)
    return best[1] if best else None
