"""Benchmark the book's build and size: ``python -m maskbook.bench``.

Builds a copy of the book in a temporary folder and measures a cold build (empty ``_build``) and
where it spends its time (:func:`phase_rows`), an unchanged rebuild, a rebuild after editing one
chapter's code (which chapters re-execute), a cold build without the charts' static images (what
kaleido costs), then the bytes of every page's own HTML and of the whole site, Lighthouse's
scores for the landing page and the heaviest chapter, and the PDF edition (time of
``python -m maskbook.editions.pdf``, pages and bytes). Prints tables; nothing is asserted (speed is
reported, not tested). ``--builds`` measures only the builds and the pages' sizes.

Lighthouse (npm ``lighthouse`` 12, an optional dev tool pinned in package.json: ``npm ci``; the
tests need no npm) runs on Node 20 against the site served on 127.0.0.1 with gzip, as GitHub
Pages serves it, with Debian's Chromium (``CHROME_PATH``, default /usr/bin/chromium), mobile
emulation and simulated throttling (its defaults); when it is not installed the rest is measured.
``python -m maskbook.bench --site _build/html`` only runs Lighthouse on a built site.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from maskbook import ROOT
from maskbook.language import LANGUAGES
from maskbook.site import execute, phases, plotly_bundle, plotly_renderer

#: What a copy of the book leaves out: build output, VCS and tool caches.
IGNORE = shutil.ignore_patterns("_build", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "node_modules")


def copy_book(dest: Path) -> Path:
    """Copy the book's sources (not _build, not .git) to ``dest``."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


#: ``jupyter-book`` run by this Python (the venv's, activated or not: no lookup on PATH); ``-P``:
#: the current folder is not put on the module path (``maskbook`` comes from PYTHONPATH or the venv,
#: as for the ``jupyter-book`` script).
JUPYTER_BOOK = [sys.executable, "-P", "-c", "import sys; from jupyter_book.cli.main import main; sys.exit(main())"]


def strict_build(src: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build the book in ``src`` with warnings as errors; return the finished process."""
    return subprocess.run(
        JUPYTER_BOOK + ["build", "-W", "-n", "--keep-going", str(src)], capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=1200,
    )


def timed_build(src: Path, env: dict | None = None) -> tuple[float, list[str]]:
    """Build ``src`` strictly; return the wall time and the notebooks that were executed."""
    start = time.perf_counter()
    result = strict_build(src, {**(env or {}), phases.PHASES_VAR: str(src / "_build" / phases.PHASES_FILE)})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    executed = sorted(set(re.findall(r"(\S+)\.md: Executing notebook", result.stdout)))
    return elapsed, [str(Path(p).relative_to(src)) for p in executed]


#: The page of the one-page book whose build is the floor of every build: no code, few links.
FLOOR_PAGE = "chapters/corrections"


def one_page_floor(dest: Path) -> float:
    """The wall time of a cold build of a copy of the book cut to one page (``FLOOR_PAGE``, no
    code): what every build pays whatever it has to do (Python, Sphinx and the extensions starting,
    the saved environment, one page read and written, the site's post-processing, both editions).
    Not strict: the page's links to the pages cut out are warnings."""
    copy_book(dest)
    (dest / "_toc.yml").write_text(f"format: jb-book\nroot: {FLOOR_PAGE}\n", encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run(JUPYTER_BOOK + ["build", str(dest)], capture_output=True, text=True, timeout=1200)
    if result.returncode != 0:
        raise SystemExit(f"the one-page build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - start


def edit_first_chapter_code(src: Path) -> str:
    """Append a comment to the first code cell of the first chapter that has one."""
    for md in sorted((src / "chapters").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        if "```{code-cell}" in text:
            md.write_text(re.sub(r"(```\{code-cell\}[^\n]*\n(?::[^\n]*\n)*)", r"\1# benchmark edit\n", text, count=1),
                          encoding="utf-8")
            return str(md.relative_to(src))
    raise SystemExit("no chapter with code")


def page_sizes(site: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(site)), p.stat().st_size) for p in site.rglob("*.html"))


# --- where a build spends its time -------------------------------------------------------------

#: The marks of a build, in order.
PHASES = ["setup", "read", "resolve", "write", "post", "translations", "end"]


def phase_rows(phases: dict, total: float | None = None) -> list[tuple[str, float]]:
    """(phase, seconds) of one build, in order, adding up to its wall time ``total`` (a translated
    build, whose process the bench does not time: from its extensions' set-up to its end); then,
    for the work done alongside (notebooks, chart images), its own span."""
    run, images = phases["execution"], phases["images"]
    m = dict(phases["marks"])
    for name, later in reversed(list(zip(PHASES, PHASES[1:]))):  # a phase that did not happen took 0 s
        m.setdefault(name, m[later])
    total = m["end"] - m["setup"] if total is None else total
    span = (run["end"] - run["start"]) if run["start"] and run["end"] else 0.0
    return [
        ("start-up (Python, Sphinx, extensions, configuration, saved environment)",
         m["read"] - m["setup"] + (total - (m["end"] - m["setup"]))),
        ("Sphinx read: waiting for notebooks", run["waited"]),
        ("Sphinx read: parsing, rendering outputs", m["resolve"] - m["read"] - run["waited"]),
        ("Sphinx resolve (env-updated, references, consistency)", m["write"] - m["resolve"]),
        ("Sphinx write (HTML pages, images, search index)", m["post"] - m["write"]),
        ("waiting for static chart images", images["waited"]),
        ("post-processing (plotly.js, data, teaching pack, CSP, page rewrites)",
         m["translations"] - m["post"] - images["waited"]),
        ("waiting for the translated edition, copying its site", m["end"] - m["translations"]),
        (f"alongside: notebook execution, {run['kernel_seconds']:.1f} kernel-seconds "
         f"({execute.kernels()} kernels at a time), first start to last end", span),
        (f"alongside: static chart images, {images['images']} SVGs ({plotly_renderer.TABS} tabs), "
         "browser start to last image", images["span"]),
    ]


def edition_phases(src: Path, total: float) -> dict[str, list[tuple[str, float]]]:
    """The phases of a cold build of every edition, by language: English (timed: ``total``), then
    each translation, built alongside in its own process."""
    from maskbook.editions.translation import TRANSLATIONS

    written = src / "_build" / phases.PHASES_FILE
    rows = {"en": phase_rows(json.loads(written.read_text(encoding="utf-8")), total)}
    for lang in TRANSLATIONS:
        path = phases.phases_file(written, lang)
        if path.is_file():
            rows[lang] = phase_rows(json.loads(path.read_text(encoding="utf-8")))
    return rows


# --- Lighthouse --------------------------------------------------------------------------------

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
GZIP_TYPES = (".html", ".css", ".js", ".svg", ".json", ".csv", ".txt", ".map")
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index"]


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser asks (as GitHub Pages serves text files)."""

    _cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) or not path.endswith(GZIP_TYPES) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            body = self._cache.get(path) or gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        except OSError:
            return super().send_head()
        self._cache[path] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site: Path, sub_path: str = "maskbook"):
    """Serve ``site`` on 127.0.0.1 under /<sub_path>/ with gzip; yield the base URL."""
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / sub_path).symlink_to(site.resolve(), target_is_directory=True)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=root))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/{sub_path}/"
        finally:
            httpd.shutdown()


def lighthouse(url: str) -> dict:
    """Lighthouse's performance and accessibility scores, its metrics and the bytes transferred."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci` in the repository root (Node 20)")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--only-categories=performance,accessibility",
             "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage",
             "--output=json", f"--output-path={out}"],
            env=env, check=True, capture_output=True, timeout=300,
        )
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "metrics": {m: audits[m]["displayValue"].replace("\xa0", " ") for m in METRICS},
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "failed_accessibility": [a for a, r in audits.items() if r.get("score") == 0
                                 and a in {x["id"] for x in report["categories"]["accessibility"]["auditRefs"]}],
    }


def heaviest_chapter(site: Path) -> str:
    """The chapter whose HTML plus chart images weigh most (every chart page loads plotly.js alike)."""
    def weight(page: Path) -> int:
        text = page.read_text(encoding="utf-8")
        images = set(re.findall(r'_images/([\w.-]+\.svg)', text))
        return page.stat().st_size + sum((site / "_images" / i).stat().st_size for i in images)

    return max((p for p in (site / "chapters").glob("*.html")), key=weight).relative_to(site).as_posix()


def lighthouse_rows(site: Path, runs: int = 3) -> list[tuple[str, dict]]:
    """Each page ``runs`` times; the run with the median performance score (scores vary by ~10
    points between runs on the 2-core machine: Lighthouse simulates the phone from observed timings)."""
    pages = ["intro.html", heaviest_chapter(site)]
    rows = []
    with serve(site) as base:
        for page in pages:
            results = sorted((lighthouse(base + page) for _ in range(runs)), key=lambda r: r["performance"])
            median = results[len(results) // 2]
            median["range"] = f"{results[0]['performance']}-{results[-1]['performance']}"
            rows.append((page, median))
    return rows


def print_lighthouse(rows: list[tuple[str, dict]], site: Path) -> None:
    print_lighthouse_rows(rows, (site / "_static" / "plotly.min.js").read_bytes())


def print_lighthouse_rows(rows: list[tuple[str, dict]], plotly_js: bytes) -> None:
    print("\n| page (Lighthouse 12, mobile, gzip; median of 3) | performance (range) | accessibility | "
          + " | ".join(METRICS) + " | bytes transferred | requests |")
    print("|---|---:|---:|" + "---:|" * len(METRICS) + "---:|---:|")
    for page, r in rows:
        print(f"| {page} | {r['performance']} ({r.get('range', '')}) | {r['accessibility']} | "
              + " | ".join(r["metrics"][m] for m in METRICS) + f" | {r['bytes']:,} | {r['requests']} |")
        if r["failed_accessibility"]:
            print(f"  failed accessibility audits on {page}: {', '.join(r['failed_accessibility'])}")
    full = plotly_bundle.FULL_BUNDLE.read_bytes()
    print(f"\nplotly.js, fetched by chart pages on the reader's first interaction (not in the figures "
          f"above): {len(plotly_js):,} bytes, {len(gzip.compress(plotly_js, 6)):,} gzipped "
          f"(the full plotly.js: {len(full):,} bytes, {len(gzip.compress(full, 6)):,} gzipped)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m maskbook.bench",
                                     description="Benchmark the book's build and size (nothing is asserted).")
    parser.add_argument("--site", type=Path, help="only run Lighthouse on this built site (e.g. _build/html)")
    parser.add_argument("--builds", action="store_true", help="only the builds and the pages' sizes (no PDF, no Lighthouse)")
    args = parser.parse_args()
    if args.site:
        print_lighthouse(lighthouse_rows(args.site), args.site)
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "book"
        copy_book(src)
        rows = []
        t, ex = timed_build(src)
        rows.append(("cold build (empty _build)", t, len(ex)))
        cold_phases = edition_phases(src, t)
        t, ex = timed_build(src)
        rows.append(("unchanged rebuild", t, len(ex)))
        floor = one_page_floor(Path(tmp) / "one-page")
        rows.append((f"the floor: a cold build of one page without code ({FLOOR_PAGE})", floor, 0))
        edited = edit_first_chapter_code(src)
        t, ex = timed_build(src)
        rows.append((f"rebuild after editing {edited}", t, len(ex)))
        reexecuted = ex
        site = src / "_build" / "html"
        sizes = page_sizes(site)
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        pdf_rows = [] if args.builds else [pdf_measure(src, lang) for lang in LANGUAGES]
        lh = lighthouse_rows(site) if not args.builds and LIGHTHOUSE.exists() else None
        plotly_size = (site / "_static" / "plotly.min.js").read_bytes()
        # The same cold build without the charts' static SVG images: what kaleido costs.
        plain = Path(tmp) / "plain"
        copy_book(plain)
        t, ex = timed_build(plain, env={"MASKBOOK_CHART_IMAGES": "0"})
        rows.append(("cold build without chart images (no kaleido)", t, len(ex)))

    print("| build | seconds | notebooks executed |\n|---|---:|---:|")
    for name, seconds, n in rows:
        print(f"| {name} | {seconds:.1f} | {n} |")
    print(f"\nre-executed after the edit: {', '.join(reexecuted) or 'none'}")
    print(f"unchanged rebuild / one-page floor: {rows[1][1] / floor:.2f}x")
    langs = list(cold_phases)
    print(f"\n| where the cold build spent its {rows[0][1]:.1f} s ({os.cpu_count()} cores), by edition (seconds) | "
          + " | ".join(langs) + " |\n|---|" + "---:|" * len(langs))
    for i, (name, _) in enumerate(cold_phases["en"]):
        print(f"| {name} | " + " | ".join(f"{cold_phases[lang][i][1]:.1f}" for lang in langs) + " |")
    print("\n| page | bytes |\n|---|---:|")
    for name, size in sizes:
        print(f"| {name} | {size:,} |")
    print(f"\nlargest page: {max(s for _, s in sizes):,} bytes; whole site: {total:,} bytes")
    print(f"static chart images (kaleido) cost: {rows[0][1] - rows[-1][1]:+.1f} s on a cold build")
    for lang, (seconds, pages, size, handouts, handout_bytes) in zip(LANGUAGES, pdf_rows):
        print(f"\nPDF edition (python -m maskbook.editions.pdf --language {lang}): {seconds:.1f} s; book.pdf {pages} pages, "
              f"{size:,} bytes; {handouts} other PDFs (data edition, handouts), {handout_bytes:,} bytes in all")
    if lh:
        print_lighthouse_rows(lh, plotly_size)
    elif not args.builds:
        print("\nLighthouse not run: it is not installed (`npm ci` in the repository root, Node 20)")


def pdf_measure(src: Path, lang: str) -> tuple[float, int, int, int, int]:
    """Time of ``python -m maskbook.editions.pdf --language LANG`` on the built copy; the book's
    pages and bytes; the other PDFs' number and bytes."""
    from pypdf import PdfReader

    from maskbook.editions.pdf import in_language

    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "maskbook.editions.pdf", "--root", str(src), "--language", lang],
                   check=True, timeout=900)
    elapsed = time.perf_counter() - start
    out = in_language(src / "_build" / "pdf", lang)
    book = out / "book.pdf"
    others = [p for p in out.glob("*.pdf") if p != book]
    return (elapsed, len(PdfReader(book).pages), book.stat().st_size, len(others), sum(p.stat().st_size for p in others))


if __name__ == "__main__":
    main()
