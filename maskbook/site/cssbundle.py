"""One stylesheet per page instead of a dozen (speed on phones): run after the HTML build.

The theme and the extensions give every page about a dozen render-blocking stylesheets, one of
which ``@import``s another (a second round trip before the first paint). After the build, each
page's consecutive local ``<link rel="stylesheet">`` tags are replaced by one link to
``_static/maskbook-css-<id>.css``: the same files concatenated in the same order (so the cascade
is unchanged), ``@import``s inlined, ``url(...)``s rewritten for the bundle's folder, source-map
comments dropped. Font Awesome's ``.fa-<icon>:before`` rules (about 1,900, a quarter of the
theme's CSS) are kept only for icon classes that some page or script of the site names.

The Font Awesome web fonts the bundle uses (the solid one: 157 KB, which a phone downloads before
it can draw the header's icons) are subset to the glyphs the bundle's CSS can show (about 3 KB),
with fontTools, named by a hash of their inputs (so a rebuild reuses them). Without fontTools the
full fonts are kept.

The bundle's second line lists its source files, so every build regenerates it from the freshly
copied sources (pages that an incremental build does not rewrite keep a correct bundle).
Deterministic: names and contents depend only on the input files.
"""
from __future__ import annotations

import hashlib
import logging
import posixpath
import re
from pathlib import Path

#: A stylesheet link as the theme and Sphinx write them (nothing but rel, type and href).
LINK = re.compile(r'[ \t]*<link (?:href="(?P<a>[^"]+)" rel="stylesheet"'
                  r'|rel="stylesheet" type="text/css" href="(?P<b>[^"]+)")\s*/>\n?')
IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']?([^"\')\s;]+)["\']?\s*\)?\s*;')
URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
CHARSET = re.compile(r'@charset\s+"[^"]*";\s*')
SOURCE_MAP = re.compile(r'/\*#\s*sourceMappingURL=[^*]*\*/')
#: A rule that only gives Font Awesome icon classes their glyph: ``.fa-x:before,.fa-y:before{content:...}``.
ICON_RULE = re.compile(r'(?<=[{};\n])((?:\.fa-[\w-]+:{1,2}before,?)+)\{content:[^{}]*\}')
ICON_CLASS = re.compile(r'\bfa-[\w-]+')
#: A web font of Font Awesome, as the theme's CSS (rebased to ``_static/``) names it.
FA_FONT = re.compile(r'url\((vendor/fontawesome/webfonts/([\w-]+)\.woff2)\)')
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')
ESCAPE = re.compile(r'\\(?:([0-9a-fA-F]{1,6})\s?|(.))')
HEADER = "/* maskbook CSS bundle of: {} */\n"
PREFIX = "maskbook-css-"


def _local(href: str) -> bool:
    return not re.match(r"^(?:[a-z]+:|//|/)", href)


def _inline(path: Path, static: Path, seen: set[Path]) -> str:
    """``path``'s CSS with its @imports inlined and its urls made relative to ``static``."""
    text = path.read_text(encoding="utf-8")
    text = SOURCE_MAP.sub("", CHARSET.sub("", text))

    def rebase(match: re.Match) -> str:
        quote, url = match.groups()
        if url.startswith(("data:", "#")) or not _local(url):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(path.parent.as_posix(), url))
        return f"url({quote}{posixpath.relpath(target, static.as_posix())}{quote})"

    def imported(match: re.Match) -> str:
        url = match.group(1)
        if not _local(url):
            return match.group(0)
        target = (path.parent / url.split("?")[0]).resolve()
        if target in seen or not target.is_file():
            return ""
        seen.add(target)
        return _inline(target, static, seen)

    text = URL.sub(rebase, text)
    return IMPORT.sub(imported, text)


def used_icon_classes(site: Path, pages: dict[Path, str]) -> set[str]:
    """Every ``fa-*`` word in the site's pages (``pages``: their texts, already in memory) and in
    its other HTML and script files (plotly.js aside)."""
    used: set[str] = set()
    for text in pages.values():
        used.update(ICON_CLASS.findall(text))
    for path in sorted(site.rglob("*")):
        if (path.suffix in {".html", ".js"} and path.name != "plotly.min.js" and path not in pages
                and path.is_file()):
            used.update(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used


def prune_icons(css: str, used: set[str]) -> str:
    def keep(match: re.Match) -> str:
        selectors = [s for s in match.group(1).rstrip(",").split(",")
                     if ICON_CLASS.search(s).group(0) in used]
        return "{}{}".format(",".join(selectors), match.group(0)[len(match.group(1)):]) if selectors else ""

    return ICON_RULE.sub(keep, css)


def css_characters(css: str) -> set[int]:
    """Every character that a string of ``css`` can show (``content: "\\f002"`` and the like)."""
    chars: set[int] = set()
    for match in STRING.finditer(css):
        text = ESCAPE.sub(lambda e: chr(int(e.group(1), 16)) if e.group(1) else e.group(2),
                          match.group(1) if match.group(1) is not None else match.group(2))
        chars.update(map(ord, text))
    return chars


def subset_fonts(css: str, static: Path) -> str:
    """``css`` with its Font Awesome woff2 fonts replaced by subsets of the glyphs it can show."""
    try:
        from fontTools import subset, ttLib, version
    except ImportError:  # the full fonts, as the theme ships them
        return css
    chars = css_characters(css)
    for rel, stem in sorted(set(FA_FONT.findall(css))):
        source = static / rel
        if not source.is_file():
            continue
        data = source.read_bytes()
        with ttLib.TTFont(source, lazy=True) as font:
            wanted = sorted(chars & set(font.getBestCmap()))
        if not wanted:
            continue
        key = hashlib.sha256(data + repr((wanted, version)).encode()).hexdigest()[:12]
        out = static / f"maskbook-{stem}.{key}.woff2"
        if not out.exists():
            options = subset.Options(flavor="woff2", layout_features=["*"], name_IDs=["*"],
                                     name_languages=["*"], notdef_outline=True, recalc_timestamp=False)
            level = logging.getLogger("fontTools").level
            logging.getLogger("fontTools").setLevel(logging.ERROR)
            try:
                font = subset.load_font(str(source), options)
                subsetter = subset.Subsetter(options)
                subsetter.populate(unicodes=wanted)
                subsetter.subset(font)
                tmp = out.with_suffix(".tmp")
                subset.save_font(font, str(tmp), options)
                tmp.replace(out)
            finally:
                logging.getLogger("fontTools").setLevel(level)
        css = css.replace(f"url({rel})", f"url({out.name})")
    return css


def write_bundle(site: Path, sources: list[str], used: set[str]) -> None:
    """``_static/maskbook-css-<id>.css`` from ``sources`` (paths relative to ``site``)."""
    static = site / "_static"
    seen: set[Path] = set()
    parts = []
    for source in sources:
        path = (site / source).resolve()
        seen.add(path)
        parts.append(_inline(path, static.resolve(), seen).strip())
    css = prune_icons("\n".join(parts), used)
    css = '@charset "UTF-8";\n' + HEADER.format(" ".join(sources)) + subset_fonts(css, static) + "\n"
    out = static / bundle_name(sources)
    if not out.exists() or out.read_text(encoding="utf-8") != css:
        out.write_text(css, encoding="utf-8")


def bundle_name(sources: list[str]) -> str:
    return PREFIX + hashlib.sha256("\n".join(sources).encode()).hexdigest()[:12] + ".css"


def bundle_page(page: str, page_path: Path, site: Path) -> tuple[str, list[str] | None]:
    """``page`` with its leading run of local stylesheet links replaced by one bundle link."""
    end = page.find("</head>")
    matches = []
    for match in LINK.finditer(page, 0, end if end >= 0 else 0):
        href = match.group("a") or match.group("b")
        if not _local(href) or (matches and page[matches[-1].end():match.start()].strip()):
            break  # keep the order: only a run of adjacent local stylesheets is bundled
        matches.append(match)
    if len(matches) < 2:
        return page, None
    prefix = posixpath.relpath(".", page_path.parent.relative_to(site).as_posix())
    sources = [posixpath.normpath(posixpath.join(page_path.parent.relative_to(site).as_posix(),
                                                 (m.group("a") or m.group("b")).split("?")[0]))
               for m in matches]
    href = posixpath.normpath(posixpath.join(prefix, "_static", bundle_name(sources)))
    link = f'    <link rel="stylesheet" type="text/css" href="{href}" />\n'
    return page[:matches[0].start()] + link + page[matches[-1].end():], sources


class Bundler:
    """The stylesheet bundles of one site: :meth:`bundle` rewrites each page (a step of
    ``maskbook.site.postbuild``'s pass), :meth:`write` then writes every bundle the pages link to."""

    def __init__(self, site: Path):
        self.site = Path(site)
        self.bundles: dict[str, list[str]] = {}

    def bundle(self, page: str, path: Path) -> str:
        """``page`` (the file ``path``) with its run of local stylesheet links replaced by one bundle link."""
        new, sources = bundle_page(page, path, self.site)
        if sources:
            self.bundles[bundle_name(sources)] = sources
        return new

    def write(self, pages: dict[Path, str]) -> None:
        """Regenerate every bundle: those the pages (``{path: text}``, every page of the site) link to,
        and those earlier builds wrote for pages this build did not rewrite."""
        static = self.site / "_static"
        bundles = dict(self.bundles)
        for old in sorted(static.glob(PREFIX + "*.css")):
            first = old.read_text(encoding="utf-8").split("\n", 2)[1]
            if first.startswith(HEADER.split("{")[0]):
                bundles.setdefault(old.name, first[len(HEADER.split("{")[0]):-len(" */")].split())
        used = used_icon_classes(self.site, pages)
        for _, sources in sorted(bundles.items()):
            if all((self.site / s).is_file() for s in sources):
                write_bundle(self.site, sources, used)
