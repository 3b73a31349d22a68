"""The site's security rules, written into every built page after the build (issue 15), by the
last steps of ``maskbook.site.postbuild``'s pass (``with_safe_links``, then ``with_policy``).

- A Content Security Policy, as ``<meta http-equiv="Content-Security-Policy">`` (GitHub Pages
  cannot send headers), placed first in ``<head>`` after ``<meta charset>`` (a meta policy covers
  only what follows it). Everything comes from the site itself (``default-src 'self'``); no other
  origin is named anywhere. Scripts: the site's own files, and the inline scripts the page
  holds, each allowed by the SHA-256 of its text, computed here from the written page (so the
  policy follows whatever inline scripts Sphinx, the theme or the book add; never
  ``'unsafe-inline'`` or ``'unsafe-eval'`` for scripts). The exceptions, and why:

  * ``script-src 'unsafe-hashes'`` with the hash of each inline event handler the page holds
    (only the theme's print button, ``onclick="window.print()"``): ``'unsafe-hashes'`` lets
    exactly those hashed handlers run, nothing else;
  * ``style-src 'unsafe-inline'``: plotly.js adds its own ``<style>`` element when it draws; the
    theme writes a ``<style>`` in ``<noscript>``, and chart boxes carry their height as a
    ``style`` attribute. Styles cannot run code. (Hashing the ``<style>`` elements and allowing
    only attributes with ``style-src-attr`` would be tighter, but browsers without
    ``style-src-attr``, before 2022-23, would then drop every style attribute and draw the
    charts at the wrong size.)
  * ``img-src data: blob:``: the theme's Bootstrap CSS draws small icons (form controls, close
    and menu buttons) as ``data:`` SVG images, and plotly.js's "Download plot as a PNG" button
    draws the chart through a ``blob:`` image (blocked without it). Images cannot run code.

  ``frame-ancestors`` (clickjacking) is ignored in a meta policy, so it is not written.
- External links (``http(s)://``) get ``rel="noopener noreferrer"``: a page opened from the book
  cannot reach back to it, and is not told which page linked to it.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re

#: The policy's fixed part; ``script-src`` gets the page's hashes.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', re.I)
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
#: Script types a browser runs (a JSON data block is not run, so needs no hash).
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
TYPE_ATTR = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
EVENT_HANDLER = re.compile(r"""<[a-zA-Z][^>]*?\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CHARSET = re.compile(r"<meta charset=[^>]*>\s*", re.I)
HEAD = re.compile(r"<head\b[^>]*>\s*", re.I)
EXTERNAL_LINK = re.compile(r"""<a\s[^>]*\bhref\s*=\s*["']https?://[^>]*>""", re.I)
REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def inline_scripts(page: str) -> list[str]:
    """The text of every inline script the browser would run."""
    scripts = []
    for match in SCRIPT.finditer(page):
        attrs = match.group("attrs")
        kind = TYPE_ATTR.search(attrs)
        if re.search(r"\bsrc\s*=", attrs, re.I) or (kind and kind.group(1).lower() not in JS_TYPES):
            continue
        scripts.append(match.group("body"))
    return scripts


def event_handlers(page: str) -> list[str]:
    """The code of every inline event handler attribute (``onclick="..."``), as the browser reads it."""
    without_scripts = SCRIPT.sub("", page)
    return [html.unescape(a if a is not None else b) for a, b in EVENT_HANDLER.findall(without_scripts)]


def policy_for(page: str) -> str:
    """The page's Content Security Policy: the fixed part plus its inline scripts' hashes."""
    directives = {name: list(values) for name, values in POLICY.items()}
    scripts = sorted({sha256_source(s) for s in inline_scripts(page)})
    handlers = sorted({sha256_source(h) for h in event_handlers(page)})
    directives["script-src"] += (["'unsafe-hashes'"] if handlers else []) + sorted(set(scripts) | set(handlers))
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def with_policy(page: str) -> str:
    """The page with its policy as the first element of <head> after <meta charset> (replaced if present)."""
    page = CSP_META.sub("", page)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(page)}" />\n'
    anchor = CHARSET.search(page) or HEAD.search(page)
    at = anchor.end() if anchor else 0
    return page[:at] + meta + page[at:]


def _rel_noopener(match: re.Match) -> str:
    tag = match.group(0)
    rel = REL.search(tag)
    if rel is None:
        return tag[:2] + ' rel="noopener noreferrer"' + tag[2:]
    words = (rel.group(1) if rel.group(1) is not None else rel.group(2)).split()
    words += [w for w in ("noopener", "noreferrer") if w not in words]
    return tag[: rel.start()] + f' rel="{" ".join(words)}"' + tag[rel.end():]


def with_safe_links(page: str) -> str:
    """Every external link with ``rel="noopener noreferrer"`` (other rel words kept)."""
    return EXTERNAL_LINK.sub(_rel_noopener, page)


