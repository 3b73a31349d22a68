"""A chapter's MyST source in another language, passage by passage, for the teaching pack.

The Italian site translates each page's prose with Sphinx's gettext catalogue of that page
(``locales/<language>/LC_MESSAGES/<docname>.po``). The teaching pack's notebooks are made from the
chapters' MyST source, so the same catalogues translate that source here: :func:`passages` splits
the markdown into the passages Sphinx extracts (a paragraph, its lines joined by spaces; a
heading's text; a list item's or a table cell's text; an admonition's title and paragraphs), and
:func:`translate` puts each passage's translation in its place. Code cells and every other
fence that holds no prose are left byte for byte as they are, so both languages run one copy of
the code.

A passage that the catalogue does not translate (new, or its English changed since it was
translated; a ``#, fuzzy`` entry does not count) is an error naming the file, the line and the
passage: a stale translation cannot ship.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

#: The book's MyST extensions (``_config.yml``: ``myst_enable_extensions``).
EXTENSIONS = {"colon_fence", "dollarmath", "substitution", "deflist"}
#: Directives whose body is prose (translated passage by passage), and whose argument is a title.
PROSE = {"admonition", "note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
         "error", "seealso", "dropdown", "topic", "exercise", "solution"}
TITLED = {"admonition", "dropdown", "topic", "exercise"}
#: Directives that hold no prose: code, options only, or text an extension writes.
NOT_PROSE = {"code-cell", "code", "code-block", "math", "raw", "eval-rst", "glue", "glue:figure",
             "exercise-start", "exercise-end", "solution-start", "solution-end", "tableofcontents",
             "pdf-edition", "book-citation", "bibliography"}
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")


class PassageUntranslated(ValueError):
    """A passage of a chapter has no translation in its page's catalogue."""


@dataclass(frozen=True)
class Passage:
    """One passage of a MyST text: from 0-based ``line``, over ``lines`` lines; ``first`` is its
    text as written on its first line, ``source`` the passage as the catalogue names it (msgid)."""

    line: int
    lines: int
    first: str
    source: str


def _parser():
    return create_md_parser(MdParserConfig(enable_extensions=EXTENSIONS), RendererHTML)


def passages(text: str, offset: int = 0, where: str = "text") -> list[Passage]:
    """The passages of a MyST text that Sphinx's gettext extracts, in order (see the module)."""
    found = []
    for token in _parser().parse(text):
        if token.type == "inline" and token.map and token.content.strip():
            first = token.content.split("\n")[0]
            found.append(Passage(offset + token.map[0], token.map[1] - token.map[0], first,
                                 " ".join(token.content.split("\n")).strip()))
        elif token.type == "fence" and token.map and (d := DIRECTIVE.match(token.info.strip())):
            line = offset + token.map[0]
            name, arg = d["name"], d["arg"].strip()
            if name in NOT_PROSE:
                continue
            if name not in PROSE:
                raise ValueError(f"{where}, line {line + 1}: the teaching pack does not know whether the "
                                 f"directive {{{name}}} holds prose (maskbook.editions.pack_translation)")
            if arg and name in TITLED:
                found.append(Passage(line, 1, arg, arg))
            body = token.content.split("\n")
            options = 0
            while options < len(body) and OPTION.match(body[options]):
                options += 1
            found += passages("\n".join(body[options:]), line + 1 + options, where)
    return found


def catalogue_path(root: Path, docname: str, language: str) -> Path:
    return Path(root) / "locales" / language / "LC_MESSAGES" / f"{docname}.po"


def catalogue(root: Path, docname: str, language: str) -> dict[str, str]:
    """A page's translated passages: English -> translation (untranslated and fuzzy ones left out)."""
    path = catalogue_path(root, docname, language)
    if not path.is_file():
        raise FileNotFoundError(f"{docname}: no catalogue {path} (make it with sphinx-intl, README)")
    with path.open("rb") as f:
        po = read_po(f)
    return {m.id: m.string for m in po if m.id and m.string and not m.fuzzy}


def translate(text: str, translations: dict[str, str], where: str = "text") -> str:
    """``text`` with every passage replaced by its translation (a passage of several lines becomes
    one line); everything else kept as it is. ``where`` names the file in errors."""
    lines = text.split("\n")
    edits: dict[int, list[tuple[str, str]]] = {}
    dropped: set[int] = set()
    for p in passages(text, where=where):
        if p.source not in translations:
            raise PassageUntranslated(f"{where}, line {p.line + 1}: no translation of the passage {p.source!r} "
                                      f"(new, or its English changed: update the catalogue with sphinx-intl, README)")
        edits.setdefault(p.line, []).append((p.first, " ".join(translations[p.source].split("\n"))))
        dropped.update(range(p.line + 1, p.line + p.lines))
    out = []
    for n, line in enumerate(lines):
        if n in dropped:
            continue
        done, cursor = "", 0
        for first, translation in edits.get(n, []):
            at = line.find(first, cursor)
            if at < 0:
                raise ValueError(f"{where}, line {n + 1}: cannot find the passage {first!r} in {line!r}")
            done, cursor = done + line[cursor:at] + translation, at + len(first)
        out.append(done + line[cursor:])
    return "\n".join(out)
