"""Is everything on the screen readable? A check for pages that cannot scroll (the projector).

fit.js, run in the page, finds every visible piece of text that is cut off (partly or wholly
outside the viewport, or outside an ancestor that hides, clips or scrolls its overflow; an
ellipsis counts as cut: the text is laid out past its box) and visible text set below a
minimum size. :func:`settled_problems` runs both at a moment when no re-fit is pending and
returns what they found, for the assertion message.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

_CHECKS = (Path(__file__).with_name("fit.js")).read_text()


#: An expression for the page: the checks, as an object with cutOff(slack) and tooSmall(px).
CHECKS = f"({_CHECKS})"


def settled_problems(
    page: Page, min_px: float, headline: str | None = None, tries: int = 200
) -> dict:
    """What :func:`cut_off` and :func:`too_small` find, and the box of the ``headline`` test
    id, read in one go at a moment when no re-fit is pending (no ``[data-fitting]``).

    Read in one script, nothing of the page runs in between: read in several, a step of the
    projector's story (or a page turn) could land between the wait for the fit and the
    reading, and the check saw the layout before its re-fit.
    """
    script = f"""([slack, px, headline]) => {{
        if (document.querySelector('[data-fitting]')) return null;
        const checks = ({_CHECKS});
        const el = headline && document.querySelector(`[data-testid="${{headline}}"]`);
        const r = el ? el.getBoundingClientRect() : null;
        return {{
            cut: checks.cutOff(slack),
            small: checks.tooSmall(px),
            headline: r && r.width + r.height > 0 ? {{y: r.y, height: r.height}} : null,
        }};
    }}"""
    for _ in range(tries):
        found = page.evaluate(script, [1.0, min_px, headline])
        if found is not None:
            return found
        page.wait_for_timeout(25)
    raise AssertionError("the projector kept re-fitting")
