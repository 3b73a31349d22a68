"""What the chapters import: the validated tables of the data package (``data``), figures glued
into the prose with the rows they come from (``provenance``), and the charts (``charts``: the
book's plotly template, its layout engine, one module per chapter); and the book's bibliography,
``references.bib``, written from the essay's notes and the data's sources (``bibliography``).

May import: the standard library, pandas, plotly, ``maskbook`` itself (paths) and ``notes`` (the
bibliography only). Nothing from ``site``, ``editions`` or ``bench``: a student's notebook runs
on this layer alone.
"""
