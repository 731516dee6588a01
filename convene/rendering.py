"""Markdown to safe HTML, for the bodies of demands.

Two layers: markdown-it-py renders CommonMark with raw HTML disabled (it is shown as text)
and refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` link targets; then nh3
(ammonia) keeps only an allow-list of tags and attributes, only http, https and mailto
links, and gives every link ``rel="noopener noreferrer nofollow"``. Images are not allowed
(no tracking pixels, no ``data:`` URLs). Screens insert ``body_html`` as HTML; everything
else a person typed is shown as text.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

from convene.htmldiff import diff_html

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["strikethrough", "table"]
)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
#: A diff (:func:`render_diff`) marks inserted words with ``<ins>`` and deleted ones ``<del>``.
DIFF_TAGS = ALLOWED_TAGS | {"ins"}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def sanitize(html: str, tags: set[str] = ALLOWED_TAGS) -> str:
    """Keep only the allowed tags, attributes and link schemes of ``html``."""
    return nh3.clean(
        html,
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Safe HTML for the Markdown ``text`` (cached: the same body is rendered once)."""
    return sanitize(_md.render(text or ""))


@lru_cache(maxsize=2048)
def render_diff(old: str, new: str) -> str:
    """Safe HTML of the change from Markdown ``old`` to ``new`` as people read it: computed
    on the rendered texts (bold stays bold, lists stay lists), deleted words in ``<del>``,
    inserted ones in ``<ins>``; sanitized again after diffing."""
    return sanitize(diff_html(render_markdown(old), render_markdown(new)), DIFF_TAGS)
