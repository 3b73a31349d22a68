"""Shared fixtures: one clean, strict build of the book per test session, a browser, one crawl of
the site per screen and colour scheme.

The book is built from a copy of the repository in a temporary directory with
``jupyter-book build -W -n --keep-going`` (warnings are errors), from an empty ``_build``. The
build starts as soon as the tests are collected, in the background, and the tests that do not
need it run first (whole modules, in their order), so the build and those tests share the cores;
when it ends, the work that reads only its output (a rebuild of a copy, the PDF edition, twice,
and its text) starts in the background too (tests/session_jobs.py).
Every build is run by this Python (``sys.executable``): the tests need no activated venv.
Browser tests drive Debian's Chromium with Playwright; they always run in CI (``CI=true``),
and skip locally, with the install command, when Chromium is missing.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import session_jobs
from bs4 import BeautifulSoup

from maskbook import bench, edition

import crawl as crawling

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))  # Debian's Chromium by default
SUB_PATH = "maskbook"  # the site is served from a sub-path, as on a GitHub Pages project site
build_book = bench.strict_build
#: The fixtures that need the session's build.
BUILT = {"book", "site", "server"}


def toc_docnames() -> list[str]:
    """Every document named in _toc.yml, in order."""
    return edition.toc_docnames(ROOT)


def pytest_report_header(config) -> list[str]:
    """The browser the tests run in (and the Python that runs them and the builds)."""
    if CHROMIUM.exists():
        version = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    else:
        version = "not found (browser tests skip locally, fail in CI)"
    return [f"browser: {CHROMIUM}: {version}", f"python: {sys.executable}"]


def needs_build(item) -> bool:
    return bool(BUILT & set(getattr(item, "fixturenames", ())))


def reads_crawl(items) -> bool:
    return any("crawl" in item.fixturenames for item in items)


def in_parallel(config) -> bool:
    """Whether the tests run in pytest-xdist's workers (``-n 2``, set in pyproject.toml)."""
    return hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's, which reads the groups
def pytest_collection_modifyitems(session, config, items) -> None:
    """Group and order the tests, each module whole (its module fixtures are made once), and start
    the build and the background jobs the tests ask for, if a test needs them: first the modules
    that need no build, then those with the most tests before their first that does. The modules
    that read the crawls come last in one process (the crawls start when the build ends and run
    meanwhile); with pytest-xdist they are one group, given first to a worker (its crawls run while
    the other worker runs the rest)."""
    modules: dict = {}
    for item in items:
        modules.setdefault(item.module, []).append(item)
    for group in modules.values():  # pytest-xdist (--dist loadgroup): a module, or all the crawl's readers, on one worker
        name = "crawl" if reads_crawl(group) else group[0].nodeid.split("::")[0]
        for item in group:
            item.add_marker(pytest.mark.xdist_group(name))
    if config.option.collectonly or not any(needs_build(item) for item in items):
        return

    def share_before_the_build(group) -> float:
        return next((i for i, item in enumerate(group) if needs_build(item)), len(group)) / len(group)

    def place(group) -> tuple:
        crawl_position = -1 if in_parallel(config) else 1
        return (share_before_the_build(group) < 1, crawl_position * reads_crawl(group), -share_before_the_build(group))

    ordered = sorted(modules.values(), key=place)
    items[:] = [item for group in ordered for item in group]
    config._maskbook_crawl = reads_crawl(items) and not in_parallel(config)
    config._maskbook_build = session_jobs.SessionJobs(config)
    config._maskbook_build.start({job for job, fixture in session_jobs.FIXTURES.items()
                                  if any(fixture in item.fixturenames for item in items)})


def pytest_unconfigure(config) -> None:
    """A session that ends before it needed the build (``-x``, Ctrl-C) stops it, and its crawls."""
    crawls = getattr(config, "_maskbook_crawls", None)
    if crawls is not None:
        crawls.close()
    if getattr(config, "_maskbook_build", None) or getattr(config.option, "numprocesses", None):
        if not in_parallel(config):  # the only process, or pytest-xdist's controller: the session's end
            session_jobs.SessionJobs(config).stop()


@pytest.fixture
def bad_data(tmp_path, monkeypatch):
    """A copy of data/ (without data/source/) that MASKBOOK_DATA points to."""
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest, ignore=shutil.ignore_patterns("source"))
    monkeypatch.setenv("MASKBOOK_DATA", str(dest))
    return dest


@pytest.fixture(scope="session")
def book(request) -> Path:
    """A clean strict build: the copied book folder, with its site in _build/html."""
    build = jobs(request)
    result = build.result("build")
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    log = build.src / "build.log"
    if not log.exists():
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if getattr(request.config, "_maskbook_crawl", False) and CHROMIUM.exists():
        request.config._maskbook_crawls = crawling.Crawls(CHROMIUM, build.src / "_build" / "html")
    return build.src


@pytest.fixture(scope="session")
def site(book) -> Path:
    return book / "_build" / "html"


def jobs(request) -> session_jobs.SessionJobs:
    return getattr(request.config, "_maskbook_build", None) or session_jobs.SessionJobs(request.config)


@pytest.fixture(scope="session")
def session_job(request):
    """``session_job(name)``: wait for the session's background job ``name`` (tests/session_jobs.py);
    its exit status and output, and the folder it works in."""
    return lambda name: (jobs(request).result(name), jobs(request).folder)


@pytest.fixture(scope="session")
def server(site):
    """Serve the site on 127.0.0.1 under /maskbook/, gzipped as GitHub Pages serves it; yields the base URL."""
    with bench.serve(site, SUB_PATH) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: `apt-get install chromium`")
        pytest.skip("Chromium not found: install it with `sudo apt-get install chromium` to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=crawling.BROWSER_ARGS)
        yield PolicyBypassingBrowser(b)
        b.close()


class PolicyBypassingBrowser:
    """The browser as the tests use it: its contexts and pages bypass the site's Content Security
    Policy, which forbids scripts the tests may inject. The shared ``crawl`` and the tests of
    tests/test_csp.py ask for the policy (``bypass_csp=False``)."""

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


@pytest.fixture(scope="session")
def crawl(request, browser, site):
    """``crawl(screen, mode)``: every page loaded once at that screen ("desktop", "phone") and
    colour scheme ("light", "dark"), with everything the load told (tests/crawl.py); made once per
    session, in the background from the end of the build, and shared. ``crawl("desktop", "light",
    "full")``: the chart pages drawn by the full plotly.js instead of the site's partial bundle."""
    if getattr(request.config, "_maskbook_crawls", None) is None:
        request.config._maskbook_crawls = crawling.Crawls(CHROMIUM, site)
    return request.config._maskbook_crawls.get


def soup(path: Path) -> BeautifulSoup:
    """An HTML file of the site, parsed once per session (shared: read it, do not change it)."""
    return _parse(Path(path).resolve())


@functools.cache
def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[str]:
    """The site paths of every toc page."""
    return [f"{name}.html" for name in toc_docnames()]
