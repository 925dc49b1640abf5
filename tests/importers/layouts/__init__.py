"""The same records published in the layouts and through the tools real publishers use.

`records.py` loads record sets (the expected records of corpus documents of different kinds, and the
seeds' records); `layouts.py` lays a record set out the way publishers do (task tables with one or two
owner columns, group cells, title rows, repeated headers, multi-line cells, deadline columns; prose items
with owner brackets, owner lines or trailing clauses; indicator tables with the unit in its own column,
in the name's brackets or after the value) as an abstract page; `formats.py` writes that page as .docx
(python-docx), .pdf (LibreOffice from the .docx), .html (as a government CMS writes it), text (a
browser's copy of that page), .xlsx and GBK .csv. bench/layouts.py imports and scores every file;
tests/importers/test_layouts.py runs a slice.
"""
