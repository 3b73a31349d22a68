"""Benchmark the book's build and size: ``python -m maskbook.bench``.

Builds a copy of the book in a temporary folder and measures a cold build (empty ``_build``),
an unchanged rebuild, and a rebuild after editing one chapter's code (which chapters
re-execute), then the bytes of every page's own HTML and of the whole site. Prints a table;
nothing is asserted (speed is reported, not tested).
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from maskbook import ROOT

IGNORE = shutil.ignore_patterns("_build", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "node_modules")


def timed_build(src: Path) -> tuple[float, list[str]]:
    """Build ``src`` strictly; return the wall time and the notebooks that were executed."""
    start = time.perf_counter()
    result = subprocess.run(
        ["jupyter-book", "build", "-W", "-n", "--keep-going", str(src)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    executed = sorted(set(re.findall(r"(\S+)\.md: Executing notebook", result.stdout)))
    return elapsed, [str(Path(p).relative_to(src)) for p in executed]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "book"
        shutil.copytree(ROOT, src, ignore=IGNORE)
        rows = []
        t, ex = timed_build(src)
        rows.append(("cold build (empty _build)", t, len(ex)))
        t, ex = timed_build(src)
        rows.append(("unchanged rebuild", t, len(ex)))
        edited = edit_first_chapter_code(src)
        t, ex = timed_build(src)
        rows.append((f"rebuild after editing {edited}", t, len(ex)))
        reexecuted = ex
        site = src / "_build" / "html"
        sizes = page_sizes(site)
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())

    print("| build | seconds | notebooks executed |\n|---|---:|---:|")
    for name, seconds, n in rows:
        print(f"| {name} | {seconds:.1f} | {n} |")
    print(f"\nre-executed after the edit: {', '.join(reexecuted) or 'none'}")
    print("\n| page | bytes |\n|---|---:|")
    for name, size in sizes:
        print(f"| {name} | {size:,} |")
    print(f"\nlargest page: {max(s for _, s in sizes):,} bytes; whole site: {total:,} bytes")


if __name__ == "__main__":
    main()
