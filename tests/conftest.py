"""Shared fixtures: one clean, strict build of the book per test session, and a browser.

The book is built from a copy of the repository in a temporary directory with
``jupyter-book build -W -n --keep-going`` (warnings are errors), from an empty ``_build``.
Browser tests drive Debian's Chromium with Playwright; they always run in CI (``CI=true``),
and skip locally, with the install command, when Chromium is missing.
"""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from maskbook import bench, teaching_pack

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))  # Debian's Chromium by default
SUB_PATH = "maskbook"  # the site is served from a sub-path, as on a GitHub Pages project site
copy_book = bench.copy_book
build_book = bench.strict_build


def toc_docnames() -> list[str]:
    """Every document named in _toc.yml, in order."""
    return teaching_pack.toc_docnames(ROOT)


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Path:
    """A clean strict build: the copied book folder, with its site in _build/html."""
    src = copy_book(tmp_path_factory.mktemp("book") / "src")
    result = build_book(src)
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    src.joinpath("build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return src


@pytest.fixture(scope="session")
def site(book) -> Path:
    return book / "_build" / "html"


@pytest.fixture(scope="session")
def server(site, tmp_path_factory):
    """Serve the site on 127.0.0.1 under /maskbook/; yields the base URL."""
    root = tmp_path_factory.mktemp("www")
    (root / SUB_PATH).symlink_to(site, target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/{SUB_PATH}/"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: `apt-get install chromium`")
        pytest.skip("Chromium not found: install it with `sudo apt-get install chromium` to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield PolicyBypassingBrowser(b)
        b.close()


class PolicyBypassingBrowser:
    """The browser as the tests use it: its contexts and pages bypass the site's Content Security
    Policy, which forbids the scripts the tests inject (axe-core, measuring code). The policy
    itself is tested in tests/test_csp.py, whose contexts ask for it (``bypass_csp=False``)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_context(**options)

    def new_page(self, **options):
        options.setdefault("bypass_csp", True)
        return self._browser.new_page(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


def html_pages(site: Path) -> list[str]:
    """The site paths of every toc page."""
    return [f"{name}.html" for name in toc_docnames()]
