"""Shared fixtures: one clean, strict build of the book per test session, a browser, one crawl of
the site per screen and colour scheme.

The book is built from a copy of the repository in a temporary directory with
``jupyter-book build -W -n --keep-going`` (warnings are errors), from an empty ``_build``. The
build starts as soon as the tests are collected, in the background, and the tests that do not
need it run first (whole modules, in their order), so the build and those tests share the cores.
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
from bs4 import BeautifulSoup

import crawl as crawling
from maskbook import bench, teaching_pack

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))  # Debian's Chromium by default
SUB_PATH = "maskbook"  # the site is served from a sub-path, as on a GitHub Pages project site
copy_book = bench.copy_book
build_book = bench.strict_build
#: The fixtures that need the session's build.
BUILT = {"book", "site", "server"}


def toc_docnames() -> list[str]:
    """Every document named in _toc.yml, in order."""
    return teaching_pack.toc_docnames(ROOT)


def pytest_report_header(config) -> list[str]:
    """The browser the tests run in (and the Python that runs them and the builds)."""
    if CHROMIUM.exists():
        version = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    else:
        version = "not found (browser tests skip locally, fail in CI)"
    return [f"browser: {CHROMIUM}: {version}", f"python: {sys.executable}"]


class BackgroundBuild:
    """The session's strict build, started when the tests are collected, waited for by ``book``."""

    def __init__(self, src: Path):
        self.src = src
        copy_book(src)
        self.log = src.parent / "build.out"
        self.errors = src.parent / "build.err"
        with self.log.open("w") as out, self.errors.open("w") as err:
            self.process = subprocess.Popen(bench.JUPYTER_BOOK + ["build", "-W", "-n", "--keep-going", str(src)],
                                            stdout=out, stderr=err, text=True)

    def wait(self) -> subprocess.CompletedProcess:
        returncode = self.process.wait(timeout=1200)
        return subprocess.CompletedProcess(self.process.args, returncode, self.log.read_text(encoding="utf-8"),
                                           self.errors.read_text(encoding="utf-8"))


def needs_build(item) -> bool:
    return bool(BUILT & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(session, config, items) -> None:
    """Start the build if a test needs it; run first the modules that do not, then those with the
    most tests before their first that does (each module whole: its module fixtures are made once)."""
    if config.option.collectonly or not any(needs_build(item) for item in items):
        return
    modules: dict = {}
    for item in items:
        modules.setdefault(item.module, []).append(item)

    def share_before_the_build(group) -> float:
        return next((i for i, item in enumerate(group) if needs_build(item)), len(group)) / len(group)

    def reads_crawl(group) -> bool:
        return any("crawl" in item.fixturenames for item in group)

    # The crawls run in the background from the end of the build: the modules that read them last.
    ordered = sorted(sorted(modules.values(), key=share_before_the_build, reverse=True), key=reads_crawl)
    items[:] = [item for group in ordered for item in group]
    config._maskbook_crawl = any(reads_crawl([item]) for item in items)
    config._maskbook_build = BackgroundBuild(config._tmp_path_factory.mktemp("book") / "src")


def pytest_unconfigure(config) -> None:
    """A session that ends before it needed the build (``-x``, Ctrl-C) stops it, and its crawls."""
    crawls = getattr(config, "_maskbook_crawls", None)
    if crawls is not None:
        crawls.close()
    build = getattr(config, "_maskbook_build", None)
    if build is not None and build.process.poll() is None:
        build.process.kill()
        build.process.wait()


@pytest.fixture(scope="session")
def book(request, tmp_path_factory) -> Path:
    """A clean strict build: the copied book folder, with its site in _build/html."""
    build = getattr(request.config, "_maskbook_build", None) or BackgroundBuild(tmp_path_factory.mktemp("book") / "src")
    result = build.wait()
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    build.src.joinpath("build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if getattr(request.config, "_maskbook_crawl", False) and CHROMIUM.exists():
        request.config._maskbook_crawls = crawling.Crawls(CHROMIUM, build.src / "_build" / "html")
    return build.src


@pytest.fixture(scope="session")
def site(book) -> Path:
    return book / "_build" / "html"


@pytest.fixture(scope="session")
def settled(book, tmp_path_factory) -> Path:
    """A copy of the built book, ``_build`` included (execution cache, chart images), in another
    folder: the playground of the rebuild tests, which edit it (the session's ``book`` stays as built)."""
    dest = tmp_path_factory.mktemp("settled") / "src"
    built = book / "_build"
    # Not the PDF edition, if a test made it (tests/test_pdf.py): the site would then offer it.
    shutil.copytree(book, dest, symlinks=True, ignore=lambda folder, names: ["pdf"] if Path(folder) == built else [])
    return dest


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


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[str]:
    """The site paths of every toc page."""
    return [f"{name}.html" for name in toc_docnames()]
