"""Exports of a convening: one module per format, one function per format.

- :mod:`.markdown` minutes as Markdown, :mod:`.html` as a printable HTML page, :mod:`.pdf`
  the same page printed by WeasyPrint, :mod:`.jsondoc` the minutes document as JSON;
- :mod:`.ballots_csv` and :mod:`.ballots_blt` the ballots of one round;
- :mod:`.archive` the whole convening, to move it to another installation.

The minutes renderers take the document model of :mod:`convene.domain.minutes`.
"""
