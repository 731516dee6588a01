"""Minutes as a printable HTML page (also the print template of the PDF)."""

from __future__ import annotations

from convene.exports.templating import render


def minutes_html(document: dict) -> str:
    return render("minutes.html", document)
