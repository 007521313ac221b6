"""Reading the Excel workbooks centres keep into validated rows (no Qt, no database session).

- :mod:`~desktop_app.importers.reader`: open a workbook safely and find its table (sheet, header under a title block
  and merged cells, data rows, unit); one :class:`~desktop_app.importers.errors.ImportFileError` for a file that
  cannot be used.
- :mod:`~desktop_app.importers.columns`: the columns of each import and how headers are matched.
- :mod:`~desktop_app.importers.values`: amounts, counts, years, dates and names as people type them.
- :mod:`~desktop_app.importers.addresses`: addresses before and after 1 July 2025 → today's province and commune.
- :mod:`~desktop_app.importers.rows`: a row → an ``EstablishmentInput`` / a proposal record, or its problems.
- :mod:`~desktop_app.importers.writer`: the rejected-rows workbook and the import template.

The use cases (duplicates, the transaction, permissions, audit) are in ``desktop_app.services.imports``.
"""
