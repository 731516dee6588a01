"""Is everything on the screen readable? A check for pages that cannot scroll (the projector).

:func:`cut_off` finds every visible piece of text that is cut off: partly or wholly outside
the viewport, or outside an ancestor that hides, clips or scrolls its overflow (an ellipsis
counts as cut: the text is laid out past its box). :func:`too_small` finds visible text set
below a minimum size. Both run in the page and return what they found, for the assertion
message.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

_CHECKS = (Path(__file__).with_name("fit.js")).read_text()


def cut_off(page: Page, slack: float = 1.0) -> list[str]:
    """Every visible text on the page that is cut off, with where; empty when all is readable."""
    return page.evaluate(f"(slack) => ({_CHECKS}).cutOff(slack)", slack)


def too_small(page: Page, min_px: float) -> list[str]:
    """Every visible text on the page set below ``min_px`` pixels."""
    return page.evaluate(f"(px) => ({_CHECKS}).tooSmall(px)", min_px)
