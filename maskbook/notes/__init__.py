"""The notes layer: reads an essay's endnotes (China Story Yearbook house style) into the works
they cite, writes those works as BibTeX and CSL-JSON, and scores the reading against hand-made
gold notes. ``parse`` is the entry point (``parse_file``, ``parse_notes``, ``full_works``); it
reads each part of a citation with the module named for it (``names``, ``titles``,
``containers``, ``dates``, ``urls``, ``prose``; ``keys`` ties short forms and Ibid. to their works)
over ``model`` (``Note``, ``Work``, ``Person``) and ``text`` (the quote and bracket scanner);
``bibtex`` and ``csl`` write, ``score`` compares, ``__main__`` is the command line
(``python -m maskbook.notes NOTES --json|--bib|--csl``, ``--score GOLD``). It may import only the
standard library, pybtex (in ``bibtex``, for its data model and writer) and its own modules:
nothing from the rest of ``maskbook`` (the bibliography and the site build on it, not it on them),
and never Sphinx, docutils or myst-nb (``tests/test_footnotes.py`` checks this).
"""
