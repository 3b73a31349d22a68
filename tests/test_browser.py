"""The site in a real browser (Playwright + Debian's Chromium), served on 127.0.0.1 under a
sub-path: no console errors, every chart renders, and nothing is requested from another origin.

Read from the session's desktop crawl in light mode (``crawl`` fixture, tests/crawl.py): every
page of the site loaded once with the site's policy enforced and outside requests refused."""
from __future__ import annotations


def test_no_console_errors(crawl):
    pages = crawl("desktop", "light")["pages"]
    assert {p: r["errors"] for p, r in pages.items() if r["errors"]} == {}


def test_every_chart_renders(crawl):
    pages = crawl("desktop", "light")["pages"]
    assert sum(r["charts"] for r in pages.values()) > 0
    assert {p: (r["rendered"], r["charts"]) for p, r in pages.items() if r["rendered"] != r["charts"]} == {}


def test_no_request_leaves_127_0_0_1(crawl):
    assert crawl("desktop", "light")["outside"] == []
    assert crawl("desktop", "dark")["outside"] == []
