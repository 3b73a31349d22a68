"""The translations' catalogues checked: every passage translated, none out of date, no markup lost.

``python -m maskbook.editions.catalogues`` checks every ``.po`` file under ``locales/`` (or the
files it is given) and lists, with file and line, each passage that is

- untranslated, or marked out of date (``#, fuzzy``: sphinx-intl marks so a passage whose English
  changed, and keeps the old translation for the translator to revise);
- translated without a piece of its English markup, or with one it does not have: a glued figure
  (``{glue:text}`name```), a citation (``{cite:p}`key```) or any other role, a link's target
  (``](data/shipments.md)``), a code span (```shipments```). A translation rewords the prose and
  keeps these exactly.

The Italian build warns of the first kind too (``maskbook.editions.translation``); the markup is
checked here, since a dropped citation still builds.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

import maskbook

LOCALES = maskbook.ROOT / "locales"
ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`[^`]+`")
TITLED = re.compile(r"^(\{[\w:.-]+\})`[^`<]*<([^`>]+)>`$")


def markup(text: str) -> Counter:
    """The pieces of MyST markup a translation must keep: roles, link targets, code spans. A role
    with a title and a target (``{ref}`How long each team stayed <ex-blame-teams>```) keeps its target;
    its title is prose."""
    roles = [TITLED.sub(r"\1`<\2>`", r) for r in ROLE.findall(text)]
    rest = ROLE.sub(" ", text)
    return Counter(roles + [f"]({t})" for t in LINK_TARGET.findall(rest)] + CODE.findall(LINK_TARGET.sub(" ", rest)))


def problems(path: Path) -> list[str]:
    """What is wrong with one catalogue, one line per passage: ``file:line: what``."""
    with path.open("rb") as f:
        catalogue = read_po(f)
    found = []
    for message in catalogue:
        if not message.id:
            continue
        where = f"{path}:{message.lineno}"
        english = " ".join(message.id.split())[:70]
        if not message.string:
            found.append(f"{where}: untranslated: {english!r}")
        elif message.fuzzy:
            found.append(f"{where}: out of date (the English changed): {english!r}")
        else:
            lost = markup(message.id) - markup(message.string)
            added = markup(message.string) - markup(message.id)
            if lost or added:
                what = "; ".join([f"drops {m}" for m in lost.elements()] + [f"adds {m}" for m in added.elements()])
                found.append(f"{where}: the translation {what} (of {english!r})")
    return found


def catalogue_files(root: Path = LOCALES) -> list[Path]:
    return sorted(root.rglob("*.po"))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or catalogue_files()
    found = [line for path in paths for line in problems(path)]
    print("\n".join(found) if found else f"{len(paths)} catalogues: every passage translated, markup kept")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
