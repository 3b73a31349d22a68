"""The website: the Sphinx extensions that ``_config.yml`` loads through ``sphinxext`` (chart
rendering, figure links, the Data appendix, the notes concordance, the bibliography style, page
parts, accessibility, search ranking, the security policy, the stylesheet bundle), parallel
notebook execution, and their static files and templates. ``postbuild`` is the one pass over the
built pages; ``compat`` the one door to third-party internals (``editions`` uses it too).

May import: ``maskbook``, ``maskbook.edition``, ``book`` and ``notes``. Never ``editions`` or
``bench``, which build on it.
"""
