"""Minutes as PDF: the HTML print template rendered by WeasyPrint (imported only here)."""

from __future__ import annotations

from convene.exports.html import minutes_html


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango, HarfBuzz) are missing."""


def minutes_pdf(document: dict) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: a system library is missing
        raise PdfUnavailable(
            "PDF export needs WeasyPrint and its system libraries (Pango); "
            f"they are not installed here ({error.__class__.__name__}: {error})."
        ) from error
    return weasyprint.HTML(string=minutes_html(document)).write_pdf()
