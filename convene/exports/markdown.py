"""Minutes as Markdown."""

from __future__ import annotations

import re

from convene.exports.templating import render


def minutes_markdown(document: dict) -> str:
    text = render("minutes.md", document)
    # Templates leave runs of blank lines where optional parts are absent: keep one.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
