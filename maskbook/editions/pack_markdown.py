"""The chapters' markdown as Jupyter shows it: glued figures as their values, citations as author-year text.

On the site, ``{glue:text}`name:format``` roles show a figure computed by the chapter's code and
``{cite:p}`key``` roles a citation; JupyterLab renders neither and would show the raw roles. The
teaching pack (``maskbook.editions.teaching_pack``) writes its notebooks' markdown with
:func:`plain_markdown`: each glued figure is replaced by its value, formatted as the site formats it
(myst-nb's own ``format_plain_text``), and each citation by its text on the site,
"[ANSA, 2020d; Bechis, 2020]" (``cite:p``) or "Fraile del Álamo and Lim [2021]" (``cite:t``),
works in the bibliography's order, years lettered as there (:func:`citation_labels`).

The values come from running the chapters' code: the build's executed notebooks
(:func:`glued_in`), or, outside the build, :func:`glued_values`: one Python process, with
the book's folder first on ``sys.path`` and its ``data/``, runs each chapter's code cells in an
IPython shell and reports what each chapter glued (the ``text/plain`` of every ``glue``/``figure``
output). A chapter that fails, or a role naming a figure its chapter does not glue or a work the
bibliography lacks, is an error that names the chapter.

In another language (the Italian pack) the chapters' code runs with ``MASKBOOK_LANGUAGE`` set to it,
so what it glues (and draws) is in that language; glued numbers are written in its conventions
(``maskbook.language.number``: ``1.234,5``), as the Italian site writes them, and "and" between two
authors is the language's word.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pybtex.database import parse_file

from maskbook import imports, language
from maskbook.site import bibstyle
from maskbook.site.compat import format_plain_text

#: ``{glue:text}`name``` or ``{glue:text}`name:format``` (myst-nb's own ``{glue}`` role too).
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::([^`]*))?`")
#: ``{cite:p}`a,b``` and ``{cite:t}`a```.
CITE_ROLE = re.compile(r"\{cite:([pt])\}`([^`]+)`")
#: One work of a citation: its key, with sphinxcontrib-bibtex's ``{pre-text}`` and ``{post-text}``.
CITED_WORK = re.compile(r"(?:\{(?P<pre>[^}]*)\})?(?P<key>[^{}\s]+)(?:\{(?P<post>[^}]*)\})?")
#: The prefix of a glued output's MIME types (myst-nb's ``glue(..., display=False)``).
GLUE_PREFIX = "application/papermill.record/"

#: Run in a fresh Python: each chapter's code (JSON on stdin: [[docname, folder, [code, ...]], ...])
#: in an IPython shell; prints {docname: {glue name: text/plain}} as JSON, or the first error.
WORKER = """\
import json, os, sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

shell = InteractiveShell.instance()
values = {}
for doc, folder, cells in json.load(sys.stdin):
    shell.reset(new_session=True)
    os.chdir(folder)
    glued = values[doc] = {}
    for n, code in enumerate(cells, start=1):
        with capture_output(display=True) as captured:
            result = shell.run_cell(code, silent=True)
        if not result.success:
            error = result.error_in_exec or result.error_before_exec
            print(json.dumps({"error": f"{doc}: code cell {n} fails: {type(error).__name__}: {error}"}))
            sys.exit(1)
        for output in captured.outputs:
            name = (output.metadata or {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = output.data[PREFIX + "text/plain"]
print(json.dumps(values))
"""


def code_cells(text: str) -> list[str]:
    """The code cells' source as the notebook holds it (magics kept: a kernel runs them)."""
    return [code for kind, code in imports.myst_cells(text) if kind == "code"]


def glued_values(root: Path, pages: list[tuple[str, str]], lang: str = language.ORIGINAL) -> dict[str, dict[str, str]]:
    """What each page's code glues, by docname: ``{"chapters/aid": {"aid_rc_masks": "400000"}}``.

    ``pages``: (docname, MyST text) pairs of the book in ``root``. Pages without code glue nothing.
    The code runs in ``lang`` (``MASKBOOK_LANGUAGE``).
    """
    root = Path(root).resolve()
    jobs = [[doc, str((root / doc).parent), code_cells(text)] for doc, text in pages]
    jobs = [job for job in jobs if job[2]]
    if not jobs:
        return {doc: {} for doc, _ in pages}
    env = {**os.environ, "MASKBOOK_DATA": str(root / "data"), "MPLBACKEND": "agg", language.ENV: lang,
           "PYTHONPATH": os.pathsep.join([str(root)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    worker = WORKER.replace("PREFIX + ", repr(GLUE_PREFIX) + " + ")
    run = subprocess.run([sys.executable, "-c", worker], input=json.dumps(jobs), capture_output=True,
                         text=True, env=env, cwd=root, timeout=600)
    lines = run.stdout.strip().splitlines()
    found = json.loads(lines[-1]) if lines else {}
    if run.returncode != 0 or "error" in found:
        raise ValueError(found.get("error") or f"the chapters' code did not run: {run.stderr[-2000:]}")
    return {doc: found.get(doc, {}) for doc, _ in pages}


def glued_in(notebook) -> dict[str, str]:
    """What an executed notebook glued: {glue name: text/plain}."""
    return {output["metadata"]["scrapbook"]["name"]: output["data"][GLUE_PREFIX + "text/plain"]
            for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
            if "scrapbook" in output.get("metadata", {})}


def citation_labels(bibfile: Path) -> dict[str, tuple[str, str]]:
    """Every work of ``bibfile`` as its citations show it, (author, lettered year), in the
    bibliography's order."""
    return bibstyle.author_year_labels(parse_file(str(bibfile)).entries.values())


def glued_text(plain: str, spec: str, lang: str = language.ORIGINAL) -> str:
    """A glued value's ``text/plain`` as ``{glue:text}`name:spec``` shows it: as myst-nb formats it,
    or, in another language, a number in that language's conventions."""
    if lang != language.ORIGINAL:
        try:
            value = ast.literal_eval(plain)
        except (SyntaxError, ValueError):
            value = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return language.number(value, "" if spec == "s" else spec, lang)
    return format_plain_text(plain, spec)


def plain_markdown(text: str, values: dict[str, str], labels: dict[str, tuple[str, str]], where: str,
                   lang: str = language.ORIGINAL) -> str:
    """``text`` (a markdown cell) with its glue roles replaced by the values and its citations by
    their author-year text, in ``lang``. ``where`` names the chapter in errors."""
    def glued(match: re.Match) -> str:
        name, spec = match[1].strip(), (match[2] or "").strip()
        if name not in values:
            raise ValueError(f"{where}: {{glue:text}}`{name}` names a figure the chapter's code does not glue")
        return glued_text(values[name], spec, lang)

    def cited(match: re.Match) -> str:
        works = [CITED_WORK.fullmatch(k.strip()) for k in match[2].split(",") if k.strip()]
        missing = [k[0] for k in works if k is None or k["key"] not in labels]
        if missing:
            raise ValueError(f"{where}: {{cite:{match[1]}}} names {', '.join(missing)}, not in the bibliography")
        order = list(labels)
        texts = []
        for work in sorted(works, key=lambda w: order.index(w["key"])):
            author, year = labels[work["key"]]
            if lang != language.ORIGINAL:  # two authors: "A and B"
                author = author.replace(" and ", f" {language._('and', lang)} ", 1)
            pre, post = (f"{work['pre']} " if work["pre"] else ""), (f", {work['post']}" if work["post"] else "")
            texts.append(f"{pre}{author}, {year}{post}" if match[1] == "p" else f"{pre}{author} [{year}{post}]")
        return "[" + "; ".join(texts) + "]" if match[1] == "p" else "; ".join(texts)

    return CITE_ROLE.sub(cited, GLUE_ROLE.sub(glued, text))
