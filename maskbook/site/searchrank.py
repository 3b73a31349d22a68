"""Search results ranked by relevance (issue 20), a small Sphinx extension.

Sphinx's search scores a page by where a query word occurs (a title or heading: 15; the text: 5)
and sorts pages of equal score alphabetically: for "Di Battista", "The turn", the chapter about
him, came 18th of 20. The site's search page (``templates/search.html``) also loads
``searchcounts.js``, written here after each build that read a page again: for each page, how
often each word occurs in the text of its article (words as Sphinx's index stems them; code and
scripts left out; only words that occur at least twice). ``maskbook-search.js`` then ranks pages
of equal Sphinx score by how often the query's rarest word occurs in them: title and heading hits
first, then the pages that say most about it.
"""
from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.search import IndexBuilder

from maskbook.site.pageparts import docs_read, track_docs_read

FILE = "searchcounts.js"
PREFIX = "window.maskbookTermCounts = "
LEFT_OUT = re.compile(r'<(script|style|pre)\b.*?</\1>|<a class="headerlink".*?</a>', re.S | re.I)
TAG = re.compile(r"<[^>]+>")
#: Counts below this are left out: every page found holds the query's words at least once.
MIN_COUNT = 2


def article_text(page: str) -> str:
    """The text of a built page's article, as the reader sees it: no scripts, styles, code or
    heading links (the static chart images' alternative texts are attributes, so left out too)."""
    start, end = page.find('<article class="bd-article"'), page.find("</article>")
    if start < 0 or end < 0:
        return ""
    article = LEFT_OUT.sub(" ", page[start:end])
    return html.unescape(TAG.sub(" ", article))


@functools.cache
def index_term(lang, word: str) -> str | None:
    """The term under which Sphinx's search language ``lang`` indexes ``word`` (None: not indexed)."""
    stemmed = lang.stem(word).lower()
    if lang.word_filter(stemmed):
        return stemmed
    return word.lower() if lang.word_filter(word.lower()) else None


def term_counts(text: str, lang) -> dict[str, int]:
    """How often each index term occurs in ``text``."""
    counts: Counter[str] = Counter()
    for word, n in Counter(lang.split(text)).items():
        term = index_term(lang, word)
        if term:
            counts[term] += n
    return {term: n for term, n in sorted(counts.items()) if n >= MIN_COUNT}


def write_counts(app: Sphinx, pages: dict[Path, str]) -> None:
    """Write ``searchcounts.js`` when a page was read again (or the file is missing), from the built
    pages (``{path: text}``, as ``maskbook.site.postbuild``'s pass wrote them)."""
    if not getattr(app.builder, "search", False):
        return
    target = Path(app.outdir) / FILE
    if target.is_file() and not docs_read(app):
        return
    config = app.config
    lang = IndexBuilder(app.env, config.html_search_language or config.language, config.html_search_options,
                        config.html_search_scorer).lang
    paths = {doc: Path(app.outdir) / f"{doc}.html" for doc in sorted(app.env.all_docs)}
    counts = {doc: term_counts(article_text(pages[path]), lang) for doc, path in paths.items() if path in pages}
    target.write_text(PREFIX + json.dumps(counts, ensure_ascii=False, separators=(",", ":")) + ";\n",
                      encoding="utf-8")


def setup(app: Sphinx) -> dict:
    track_docs_read(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
