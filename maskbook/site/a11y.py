"""Accessibility and speed fixes to the theme's and extensions' HTML (issue 7): a small Sphinx extension.

- template overrides (``maskbook/site/templates``): the search field button is named by its visible
  text, the colour-mode icons are decorative, the sidebar's title link sits in a landmark; the
  names that the themes' catalogues leave in English (the colour-mode button, the sidebar's
  landmark) come from the package's catalogue (``maskbook_text`` in the templates);
- page bodies: bibliography entries are list items of their ``role="list"`` container (docutils
  writes the deprecated ``doc-biblioentry``, which axe reports as a list with invalid children),
  and myst-nb's "Show code cell source" toggles are named by their visible text;
- ``static/maskbook-scroll.js`` makes boxes that scroll sideways (wide code, outputs and tables) focusable
  regions, also as soon as a solution is opened;
- valid HTML (issue 25; the Nu validator, see README): what the extensions write into page bodies
  is mended as each page is written (``valid_body``): a ``<summary>`` holds phrasing content only
  (myst-nb's code-cell toggles put two ``<p>`` in it), sphinx-exercise's ``exercise-content`` and
  ``solution-content`` ids, repeated for every exercise, are dropped (nothing refers to them), and
  pandas' tables lose their ``<style scoped>`` (its three rules are in ``maskbook.css``) and
  obsolete ``border="1"``; the theme's search field loses ``autocorrect`` (templates), and the
  redirect ``index.html`` that sphinx-external-toc writes becomes a whole document;
- on a page in another language, pandas' tables (a chapter's rows of a data table) are marked
  English (``lang="en"``): they show the data as recorded;
- a solution's bar opens the solution wherever it is clicked (issue 20): its title, "Solution to
  Exercise 2.1", is plain text; the link to the exercise just above it took the click (and, on a
  phone, most of the bar);

- speed (Lighthouse on phones): after the build (a step of ``maskbook.site.postbuild``'s pass),
  every page's ``<head>`` scripts are deferred
  (but ``documentation_options.js``, which inline scripts use at once), and pydata-sphinx-theme's
  ``fontawesome.js`` (1.5 MB, 0.5 MB gzipped, ~350 ms of script) is dropped: the theme's CSS
  already draws the same icons with the Font Awesome web font. Measured on the data appendix:
  performance 56 -> 88, first paint 6.0 s -> 2.9 s.
- then (the pass's next step) the dozen stylesheets of each page become one, and the Font Awesome fonts are subset to the
  icons the site shows (``maskbook.site.cssbundle``): the 157 KB icon font, when it arrived before the
  first paint, put 0.8 s on Lighthouse's simulated first paint. Measured on intro and opinion:
  performance 87 (85-96) -> 99 (98-99), first paint 2.9 s -> 1.5 s.

No axe rule is disabled: the markup is fixed.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.application import Sphinx

from maskbook import language

TEMPLATES = Path(__file__).parent / "templates"

#: A pandas table as the page shows it (the ``border`` dropped: BODY_FIXES).
PANDAS_TABLE = '<table class="dataframe">'
#: (old, new) replacements in each page's body HTML.
BODY_FIXES = [
    ('role="doc-biblioentry"', 'role="listitem"'),
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    # sphinx-exercise gives every exercise's and solution's body the same id.
    ('<section id="exercise-content">', "<section>"),
    ('<section id="solution-content">', "<section>"),
    # pandas' tables: an obsolete attribute (their <style scoped>, where HTML allows no <style>: PANDAS_STYLE).
    ('<table border="1" class="dataframe">', PANDAS_TABLE),
]
SUMMARY = re.compile(r"<summary\b[^>]*>.*?</summary>", re.S)
PARAGRAPH_TAG = re.compile(r"<(/?)p\b")
PANDAS_STYLE = re.compile(r"<style scoped>\s*\.dataframe tbody tr th:only-of-type \{.*?</style>\s*", re.S)
SOLUTION_TITLE = re.compile(r'(<div class="solution[^"]*"[^>]*>\s*<p class="admonition-title">)(.*?)(</p>)', re.S)
LINK_TAG = re.compile(r"</?a\b[^>]*>")


def valid_body(body: str) -> str:
    """The page body with the extensions' invalid markup mended (see the module's docstring)."""
    for old, new in BODY_FIXES:
        body = body.replace(old, new)
    body = PANDAS_STYLE.sub("", body)
    body = SUMMARY.sub(lambda m: PARAGRAPH_TAG.sub(r"<\1span", m.group(0)), body)
    return SOLUTION_TITLE.sub(lambda m: m.group(1) + LINK_TAG.sub("", m.group(2)) + m.group(3), body)


def add_templates(app: Sphinx, config) -> None:
    # Searched before the theme's own templates.
    config.templates_path.insert(0, str(TEMPLATES))


def add_words(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``maskbook_text`` for the templates: a string of the package in the build's language."""
    context["maskbook_text"] = language._


def fix_body(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not body:
        return
    body = valid_body(body)
    if language.current() != language.ORIGINAL:  # pandas' tables show the data as recorded, in English
        body = body.replace(PANDAS_TABLE, PANDAS_TABLE.replace(">", ' lang="en">'))
    # The page's first chart image is often its largest paint: load it at once, not lazily.
    body = body.replace('loading="lazy" decoding="async">', 'loading="eager" decoding="async">', 1)
    context["body"] = body


FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
#: A <script> with a src, not yet deferred/async, other than documentation_options.js.
BLOCKING_SCRIPT = re.compile(r'<script (?![^>]*\b(?:defer|async)\b)(?![^>]*documentation_options\.js)([^>]*\bsrc="[^"]+"[^>]*)>')


def fast_head(page: str) -> str:
    """Defer the head's scripts (order is kept) and drop fontawesome.js."""
    end = page.find("</head>")
    if end < 0:
        return page
    head = FONTAWESOME_JS.sub("", page[:end])
    head = BLOCKING_SCRIPT.sub(r'<script defer \1>', head)
    return head + page[end:]


def write_index_redirect(app: Sphinx, exception) -> None:
    """``index.html``, a whole page that sends the browser to the book's first page.

    sphinx-external-toc writes a bare ``<meta http-equiv="Refresh">`` there (no doctype, no
    title) when no ``index.html`` exists; this runs first, so it leaves this one alone.
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = html.escape(app.builder.get_target_uri(app.config.root_doc))
    title = html.escape(app.config.html_title or app.config.project)
    Path(app.outdir, "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{html.escape(app.config.language or "en")}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{title}</title>\n'
        f'<meta http-equiv="Refresh" content="0; url={target}">\n</head>\n'
        f'<body><p><a href="{target}">{title}</a></p></body>\n</html>\n', encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_templates)
    app.add_js_file("maskbook-scroll.js", loading_method="defer")
    app.connect("html-page-context", add_words, priority=100)  # before the theme renders its parts (500)
    app.connect("html-page-context", fix_body)
    app.connect("build-finished", write_index_redirect, priority=400)  # before sphinx-external-toc's (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
