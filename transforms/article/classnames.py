"""What an element's class and id say: boilerplate (nav, share, comments, ads...) or article body.

Receives the class/id text of an element (`attr_text`); returns True/False for the block
dropper and a score multiplier for candidate scoring. Results are cached per class/id pair:
pages repeat the same few pairs many times.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

STRONG_NEGATIVE_ATTR = re.compile(
    r"breadcrumb|comment|disqus|footer|sidebox|share|sharing|social|related|recommend|"
    r"copyright|cookie|consent|gdpr|newsletter|subscribe|masthead|navbar|navigation|outbrain|taboola|qrcode|erweima|back-?top|skip-?link|hotnews|"
    r"hot-news|hotlist|taglist|tag-list|author-?bio|author-?info|byline|pinglun|xiangguan|tuijian",
    re.I,
)
RELATED_ATTR = re.compile(r"related|recommend|more[-_]?(stories|news|posts)|xiangguan|tuijian", re.I)
NEVER_CONTENT = frozenset(("comment", "disqus", "pinglun", "related", "recommend", "footer", "breadcrumb"))
WEAK_NEGATIVE_ATTR = re.compile(r"advert|sidebar|side-bar|signup|sign-up|login|popup|modal|banner|sponsor|menu|toolbar|pagination|promo|caption|credit|widget-area|crumb", re.I)
NEGATIVE_PARTS = frozenset(
    "nav navi foot ad ads adv advt rss tag tags cmt pl xgyd tjyd xgwz xgxw xglj rank hot print jump ewm "
    "pager share meta aside extra bottom topbar top-bar header head logo search more links keywords".split()
)
TAXONOMY_CLASS = re.compile(r"(category|tag|post|format|status|type|topic|section)-", re.I)
ANY_NEGATIVE = re.compile(
    "|".join((STRONG_NEGATIVE_ATTR.pattern, WEAK_NEGATIVE_ATTR.pattern,
              r"(?:^|[\s_-])(?:" + "|".join(sorted(NEGATIVE_PARTS, key=len, reverse=True)) + r")(?:$|[\s_-])")),
    re.I,
)
CLASS_PART_SPLIT = re.compile(r"[-_]")
POSITIVE_ATTR = re.compile(
    r"article|content|entry|main|post|story|text|body|detail|zhengwen|\bzw\b|artic|news[-_]?con|\bcont\b",
    re.I,
)
ARTICLE_ATTR = re.compile(
    r"artibody|article[-_]{0,2}(body|content|text)|entry[-_]{0,2}content|post[-_]{0,2}(body|content|text)|"
    r"story[-_]{0,2}body|main[-_]{0,2}content|zhengwen|\bzw\b|text[-_]{0,2}content|content[-_]{0,2}text|"
    r"js_content|rich_media_content|(?:^|\s)(?:article|detail)(?:\s|$)",
    re.I,
)


def attr_text(node: Any) -> str:
    """The class and id of an element, for pattern matching (taxonomy classes left out)."""
    return _class_and_id(node.get("class") or "", node.get("id") or "")


@lru_cache(maxsize=20000)
def _class_and_id(classes: str, ident: str) -> str:
    """attr_text of one class/id pair (pages repeat the same few pairs many times)."""
    if "-" in classes:
        classes = " ".join(c for c in classes.split() if not TAXONOMY_CLASS.match(c))
    return f"{classes} {ident}"


@lru_cache(maxsize=20000)
def strongly_negative(attrs: str) -> bool:
    """True when a class/id names comments, footers, share bars and the like (never content)."""
    return STRONG_NEGATIVE_ATTR.search(attrs) is not None


@lru_cache(maxsize=20000)
def is_negative(attrs: str) -> bool:
    """True when a class/id says navigation, footer, share bar, comments, related list, ad..."""
    if len(attrs) <= 1 or not ANY_NEGATIVE.search(attrs):
        return False
    strong = STRONG_NEGATIVE_ATTR.search(attrs)
    positive = POSITIVE_ATTR.search(attrs)
    if strong and (not positive or strong.group(0).lower() in NEVER_CONTENT):
        return True
    if positive:
        return False
    if WEAK_NEGATIVE_ATTR.search(attrs):
        return True
    for token in attrs.lower().split():
        parts = CLASS_PART_SPLIT.split(token)
        if parts[0] in NEGATIVE_PARTS or parts[-1] in NEGATIVE_PARTS:
            return True
    return False


@lru_cache(maxsize=20000)
def class_bonus(attrs: str) -> float:
    """Score multiplier for a class/id that names the article body (1.5) or content (1.1)."""
    if ARTICLE_ATTR.search(attrs):
        return 1.5
    return 1.1 if POSITIVE_ATTR.search(attrs) else 1.0
