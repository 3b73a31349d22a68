"""Accessibility fixes to the theme's and extensions' HTML (issue 7), as a small Sphinx extension.

- template overrides (``maskbook/templates``): the search field button is named by its visible
  text, the colour-mode icons are decorative, the sidebar's title link sits in a landmark;
- page bodies: bibliography entries are list items of their ``role="list"`` container (docutils
  writes the deprecated ``doc-biblioentry``, which axe reports as a list with invalid children),
  and myst-nb's "Show code cell source" toggles are named by their visible text.

No axe rule is disabled: the markup is fixed.
"""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

TEMPLATES = Path(__file__).parent / "templates"

#: (old, new) replacements in each page's body HTML.
BODY_FIXES = [
    ('role="doc-biblioentry"', 'role="listitem"'),
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
]


def add_templates(app: Sphinx, config) -> None:
    # Searched before the theme's own templates.
    config.templates_path.insert(0, str(TEMPLATES))


def fix_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not body:
        return
    for old, new in BODY_FIXES:
        body = body.replace(old, new)
    context["body"] = body


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
