"""The one pass over the built site's pages, after the HTML build (a small Sphinx extension).

Every page (each ``.html`` file outside ``_static/``, whose HTML files are the themes' Jinja
macros) is read once, rewritten by the steps of :data:`STEPS` in that order, and written once if
it changed. Each step is a function ``(text, page path) -> text`` kept in the module whose rule
it applies:

1. ``datadocs.named_sidebar_toggles``: the sidebar's sub-page toggles get an accessible name;
2. ``a11y.fast_head``: the head's scripts deferred, ``fontawesome.js`` dropped (speed on phones);
3. ``cssbundle.Bundler.bundle``: a page's stylesheets become one link to a bundle;
4. ``page_security.with_safe_links`` then ``page_security.with_policy``: last, because the
   Content Security Policy hashes the page's inline scripts as they are finally written.

Then, from the pages as written: the CSS bundles (``cssbundle.Bundler.write``, which keeps the
Font Awesome rules and glyphs that some page names) and the search counts
(``searchrank.write_counts``).

It runs after the theme's own ``build-finished`` handlers (pydata-sphinx-theme rewrites
``pygments.css`` then, which the bundles hold).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

from maskbook.site import a11y, cssbundle, datadocs, page_security, searchrank

Step = Callable[[str, Path], str]


def steps(bundler: cssbundle.Bundler) -> list[Step]:
    """The rewrites of one page, in the order they apply (see the module's docstring)."""
    return [
        lambda text, path: datadocs.named_sidebar_toggles(text),
        lambda text, path: a11y.fast_head(text),
        bundler.bundle,
        lambda text, path: page_security.with_safe_links(text),
        lambda text, path: page_security.with_policy(text),
    ]


def site_pages(site: Path) -> list[Path]:
    """Every page of the built site, in a fixed order."""
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "_static")


def rewrite_pages(site: Path, rewrites: list[Step]) -> dict[Path, str]:
    """Apply ``rewrites`` to every page of ``site``, reading and writing each once: {page: text written}."""
    written = {}
    for path in site_pages(site):
        text = path.read_text(encoding="utf-8")
        new = text
        for rewrite in rewrites:
            new = rewrite(new, path)
        if new != text:
            path.write_text(new, encoding="utf-8")
        written[path] = new
    return written


def finish_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    bundler = cssbundle.Bundler(site)
    pages = rewrite_pages(site, steps(bundler))
    bundler.write(pages)
    searchrank.write_counts(app, pages)


def setup(app: Sphinx) -> dict:
    # After the theme's own build-finished handlers (default priority 500).
    app.connect("build-finished", finish_site, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
