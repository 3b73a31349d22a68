"""The Italian edition: the same book, built from the same source in another language.

A Sphinx extension (``_config.yml``). In the book's own build (English, HTML) it starts the
translated build as soon as the builder is ready, in another process, so that the two editions
build side by side on the machine's cores: ``python -m maskbook.editions.translation it .``. That
build reads the same pages with ``language = "it"``: Sphinx translates their prose from the gettext
catalogues in ``locales/it/LC_MESSAGES/`` (one ``.po`` per page, kept with sphinx-intl), the
chapters' kernels run with ``MASKBOOK_LANGUAGE=it`` (``maskbook.language``: the charts' text,
numbers and dates), and its execution cache, doctrees and site live in ``_build/it/``, apart from
the English ones. When the English build ends, the Italian site is copied to ``_build/html/it/``
and its warnings are repeated in the English build's log, so a strict build (``-W``) fails on
either edition.

In a translated build, a passage that its catalogue does not translate (a new passage, or one
whose English changed since it was translated: gettext matches the English word for word) is a
warning: an Italian page never shows English prose unnoticed.

Every page links to the same page in the other language, and names it in its head
(``<link rel="alternate" hreflang>``).
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

from maskbook import language

logger = logging.getLogger(__name__)

#: The translations the English build makes, and how each names itself in the language switch.
TRANSLATIONS = {"it": "Italiano"}
NAMES = {"en": "English", **TRANSLATIONS}
#: A warning line of the translated build's log: ``path:line: WARNING: message``.
#: Nodes that an extension writes in the build's language.
WRITTEN_IN_LANGUAGE = {"exercise_title", "solution_title"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
AUTO_ID = re.compile(r"id\d+")
TRANSLATIONS_CALL = "Documentation.addTranslations("
WARNING = re.compile(r"^(?P<where>.*?): (?P<kind>WARNING|ERROR|CRITICAL): (?P<message>.*)$")


def page_language(config) -> str:
    return config.language if config.language in language.LANGUAGES else language.ORIGINAL


def is_original(app: Sphinx) -> bool:
    return page_language(app.config) == language.ORIGINAL


def translated_outdir(srcdir: Path, lang: str) -> Path:
    """Where the ``lang`` build writes its site (its doctrees and caches beside it)."""
    return srcdir / "_build" / lang / "html"


# ------------------------------------------------------------------ the translated build
def start_translations(app: Sphinx) -> None:
    """In the English HTML build, start each translated build in its own process."""
    app.maskbook_translations = {}
    if not is_original(app) or app.builder.name != "html":
        return
    for lang in TRANSLATIONS:
        command = [sys.executable, "-m", __name__, lang, str(app.srcdir)]
        if app.config.nitpicky:
            command.append("--nitpicky")
        app.maskbook_translations[lang] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")


def stop_translations(app: Sphinx, exception) -> None:
    """A build that failed (bad input says why, last) does not wait for its translations."""
    if exception is not None:
        for process in getattr(app, "maskbook_translations", {}).values():
            process.kill()
            process.wait()


def finish_translations(app: Sphinx, exception) -> None:
    """Wait for each translated build, repeat its warnings here, and copy its site into this one."""
    if exception is not None:
        return
    for lang, process in getattr(app, "maskbook_translations", {}).items():
        output, _ = process.communicate()
        for line in output.splitlines():
            m = WARNING.match(ANSI.sub("", line))
            if m:
                logger.warning(f"[{lang}] {m['where']}: {m['message']}", type="maskbook", subtype="translation")
        if process.returncode != 0:
            tail = "\n".join(output.splitlines()[-20:])
            logger.warning(f"the {NAMES[lang]} edition was not built:\n{tail}", type="maskbook", subtype="translation")
            continue
        target = Path(app.outdir) / lang
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(translated_outdir(Path(app.srcdir), lang), target)


def build(lang: str, srcdir: Path, nitpicky: bool = False) -> int:
    """Build the ``lang`` edition of the book in ``srcdir`` (its site in ``_build/<lang>/html``)."""
    from jupyter_book.sphinx import build_sphinx

    os.environ[language.ENV] = lang
    overrides = {"language": lang, "external_toc_path": (srcdir / "_toc.yml").as_posix(),
                 "latex_individualpages": False, "nitpicky": nitpicky}
    result = build_sphinx(srcdir, translated_outdir(srcdir, lang), noconfig=True,
                          path_config=str(srcdir / "_config.yml"), confoverrides=overrides,
                          builder="html", keep_going=True, quiet=True)
    return result if isinstance(result, int) else 1


# ------------------------------------------------------------------ in a translated build
def use_language_in_kernels(app: Sphinx, config) -> None:
    """The chapters' kernels draw and write in the build's language (they inherit the environment)."""
    os.environ[language.ENV] = page_language(config)


def translate_footer(app: Sphinx, config) -> None:
    """The footer's author and licence note (``_config.yml``), before the edition joins it (priority 500)."""
    lang, options = page_language(config), config.html_theme_options
    if lang != language.ORIGINAL:
        config.author = language._(config.author, lang)
        if options.get("extra_footer"):
            options["extra_footer"] = language._(options["extra_footer"].strip(), lang)


def translate_book_names(app: Sphinx, config) -> None:
    """The book's title and the captions of the contents' parts (``_config.yml``, ``_toc.yml``: not
    pages, so not in the pages' catalogues) from the package's catalogue."""
    lang = page_language(config)
    if lang == language.ORIGINAL:
        return
    config.html_title = language._(config.html_title, lang)
    site_map = config.external_site_map
    for docname in site_map:
        for tree in site_map[docname].subtrees:
            if tree.caption:
                tree.caption = language._(tree.caption, lang)


class UntranslatedPassages(SphinxTransform):
    """Warn of every passage of a translated page that its catalogue leaves in English.

    A page whose catalogue is missing or cannot be read is one warning. Not passages that an
    extension writes in the build's language (sphinx-exercise's "Esercizio"), nor the page's front
    matter (the notebook's metadata, not shown)."""

    default_priority = 26  # after Sphinx's Locale (20) and its count of translated passages (25)

    def apply(self, **kwargs) -> None:
        from sphinx.builders.gettext import MessageCatalogBuilder

        if is_original(self.app) or isinstance(self.app.builder, MessageCatalogBuilder):
            return
        if not any("translated" in node for node in self.document.findall(nodes.Element)):
            if any(True for _ in extract_messages(self.document)):  # a page with prose, and no catalogue read
                logger.warning(f"no {NAMES[self.config.language]} catalogue could be read for this page: "
                               f"{self.config.locale_dirs[0]}/{self.config.language}/LC_MESSAGES/{self.env.docname}.po "
                               f"is missing or unreadable", location=self.env.docname, type="maskbook", subtype="untranslated")
            return
        for node in self.document.findall(nodes.Element):
            if node.get("translated") is not False or type(node).__name__ in WRITTEN_IN_LANGUAGE:
                continue
            if not any(is_front_matter(a) for a in ancestors(node)) and re.search(r"[A-Za-z]{2}", node.astext()):
                text = " ".join(node.astext().split())
                logger.warning(f"untranslated passage (new, or its English changed): {text[:80]!r}; "
                               f"update the catalogue with sphinx-intl (README)",
                               location=node, type="maskbook", subtype="untranslated")


class UniqueIds(SphinxTransform):
    """Give a new id to each element whose automatic id (``id10``) a translated passage repeats.

    Sphinx parses each translated passage as a document of its own, whose automatic ids (a
    citation's ``id10``) start again from 1 and may repeat one of the page's own."""

    default_priority = 27  # after Sphinx's Locale (20)

    def apply(self, **kwargs) -> None:
        if is_original(self.app):
            return
        seen: set[str] = set()
        taken = {i for node in self.document.findall(nodes.Element) for i in node["ids"]}
        fresh = (f"id{n}" for n in itertools.count(1) if f"id{n}" not in taken)
        for node in self.document.findall(nodes.Element):
            node["ids"] = [next(fresh) if i in seen and AUTO_ID.fullmatch(i) else i for i in node["ids"]]
            seen.update(node["ids"])


class PageDocument(SphinxTransform):
    """Tie the nodes of every translated passage to the page's own document.

    Sphinx parses each translated passage as a document of its own and moves its nodes into the
    page; they still name that document, whose settings hold the whole build environment, so each
    page's saved doctree carried about 2 MB of copies of it (saved, then loaded again by every
    later phase and every rebuild)."""

    default_priority = 28  # after Sphinx's Locale (20)

    def apply(self, **kwargs) -> None:
        if is_original(self.app):
            return
        for node in self.document.findall(include_self=False):
            if vars(node).get("_document") not in (None, self.document):
                node.document = self.document


def is_front_matter(node: nodes.Node) -> bool:
    """The page's front matter: a field list at the top of the document (later its ``docinfo``)."""
    return isinstance(node, nodes.docinfo) or isinstance(node, nodes.field_list) and isinstance(node.parent, nodes.document)


def ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def translations_without_eval(app: Sphinx, exception) -> None:
    """Sphinx's ``translations.js`` (the search page's words) as plain script.

    Sphinx's ``doctools.js`` turns the catalogue's plural rule into a function with ``new Function``,
    which the site's Content Security Policy forbids (no ``unsafe-eval``). The file is rewritten to
    add the messages and define the rule itself, as code of the site's own origin."""
    path = Path(app.outdir) / "_static" / "translations.js"
    if exception is not None or is_original(app) or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if not text.startswith(TRANSLATIONS_CALL):
        return  # already rewritten (an unchanged rebuild)
    catalog = json.loads(text[len(TRANSLATIONS_CALL):text.rindex(")")])
    path.write_text(f"Object.assign(Documentation.TRANSLATIONS, {json.dumps(catalog['messages'], ensure_ascii=False)});\n"
                    f"Documentation.PLURAL_EXPR = (n) => ({catalog['plural_expr']});\n"
                    f"Documentation.LOCALE = {json.dumps(catalog['locale'])};\n", encoding="utf-8")


# ------------------------------------------------------------------ the language switch
def language_links(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """``maskbook_languages``: this page in every language of the book, as relative links."""
    here = page_language(app.config)
    to_root = "../" * pagename.count("/") + ("../" if here != language.ORIGINAL else "")
    context["maskbook_languages"] = [
        {"code": lang, "name": NAMES[lang], "current": lang == here,
         "href": to_root + ("" if lang == language.ORIGINAL else f"{lang}/") + f"{pagename}.html"}
        for lang in NAMES]


def setup(app: Sphinx) -> dict:
    from maskbook.site import compat

    compat.default_settings_made_once()  # each translated passage is rendered as a text of its own
    app.connect("config-inited", use_language_in_kernels)
    app.connect("config-inited", translate_footer, priority=400)
    app.connect("config-inited", translate_book_names, priority=900)  # once _toc.yml is read (500)
    app.connect("builder-inited", start_translations)
    app.connect("build-finished", stop_translations, priority=100)
    app.connect("build-finished", finish_translations, priority=950)  # after the site's own last pass
    app.connect("build-finished", translations_without_eval)
    app.connect("html-page-context", language_links)
    app.add_transform(UntranslatedPassages)
    app.add_transform(UniqueIds)
    app.add_transform(PageDocument)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    # jsonschema (imported by jupyter-book's configuration) compiles 39 Lark grammars at import when
    # the optional rfc3987_syntax is installed, about 1.3 s, for an "iri" format that jupyter-book's
    # checks of _config.yml do not ask for: the translated build goes without it, as the kernels do.
    sys.modules.setdefault("rfc3987_syntax", None)
    sys.exit(build(sys.argv[1], Path(sys.argv[2]).resolve(), nitpicky="--nitpicky" in sys.argv[3:]))
