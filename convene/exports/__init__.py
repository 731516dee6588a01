"""Exports of a convening: one module per format, one function per format.

- :mod:`.markdown` minutes as Markdown, :mod:`.html` as a printable HTML page, :mod:`.pdf`
  the same page printed by WeasyPrint (as JSON, the API serves the document model itself);
- :mod:`.ballots_csv` and :mod:`.ballots_blt` the ballots of one round, :mod:`.cdf` its
  cast-vote records, :mod:`.rctab` its round-by-round summary, :mod:`.recount` all of them
  with their hashes;
- :mod:`.archive` the whole convening, to move it to another installation.

The minutes renderers take the document model of :mod:`convene.domain.minutes`.
"""
