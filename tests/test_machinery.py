"""The files around the book that other tools read are valid by those tools' own schemas (issue 25):
GitHub's workflow schema for ``.github/workflows/``, Citation File Format 1.2.0 for ``CITATION.cff``
(GitHub's "Cite this repository" and Zenodo read it), and the ``pyproject.toml`` specifications.

The schemas are the ones ``check-jsonschema`` vendors (offline); ``validate-pyproject`` checks
``pyproject.toml``. Both run as ``python -m`` of the test's own interpreter, not by name on PATH.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted(p for p in (ROOT / ".github" / "workflows").iterdir() if p.suffix in {".yml", ".yaml"})


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    """``check-jsonschema`` with one of its vendored schemas, without the network."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_every_workflow_validates_against_githubs_workflow_schema():
    assert {p.name for p in WORKFLOWS} >= {"book.yml", "linkcheck.yml"}
    result = check_jsonschema("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_check_fails_on_a_workflow_github_cannot_parse(tmp_path):
    """The check above can fail: an unquoted ': ' in a step's name (book.yml's line 23 once)."""
    broken = tmp_path / "broken.yml"
    broken.write_text((ROOT / ".github/workflows/book.yml").read_text(encoding="utf-8").replace(
        '"System packages for the tests (no npm: axe-core comes from PyPI)"',
        "System packages for the tests (no npm: axe-core comes from PyPI)"), encoding="utf-8")
    result = check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode != 0
    assert "mapping values are not allowed here" in result.stdout + result.stderr


def test_citation_cff_validates_against_cff_1_2_0():
    result = check_jsonschema("vendor.citation-file-format", ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cff_check_fails_on_a_type_cff_does_not_have(tmp_path):
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken = tmp_path / "CITATION.cff"
    broken.write_text(text.replace("  - type: generic\n", "  - type: book-section\n", 1), encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    result = check_jsonschema("vendor.citation-file-format", broken)
    assert result.returncode != 0
    assert "'book-section' is not one of" in result.stdout


@pytest.mark.parametrize("text, valid", [(None, True), ('[project]\nname = "maskbook"\nversion = 3\n', False)])
def test_pyproject_toml_validates(tmp_path, text, valid):
    path = ROOT / "pyproject.toml" if text is None else tmp_path / "pyproject.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    env = {**os.environ, "VALIDATE_PYPROJECT_NO_NETWORK": "1"}  # trove classifiers: no download
    result = subprocess.run([sys.executable, "-m", "validate_pyproject", str(path)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert (result.returncode == 0) is valid, result.stdout + result.stderr


# ------------------------------------------------------------------ the package's layers
PACKAGE = ROOT / "maskbook"
#: Each folder (or root module) of the package and its rank: a module may import from its own
#: rank or below, never above (maskbook/__init__.py lists the layers). ``notes`` and ``book``
#: differ in rank so that the notes layer stays a contract that knows nothing of this book.
LAYERS = {"maskbook": 0, "maskbook.edition": 0, "maskbook.notes": 1, "maskbook.book": 2,
          "maskbook.site": 3, "maskbook.editions": 4, "maskbook.bench": 5}


def layer_of(module: str) -> str:
    """The layer of a dotted module name: the longest key of ``LAYERS`` it lies in."""
    return max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)


def upward_imports(source: str, module: str) -> list[str]:
    """The imports in ``source`` (the text of ``module``) that reach a layer above its own, or a
    private (``_``) name of another module of the package (gettext's ``_``, ``maskbook.language._``,
    is public: every module that writes words imports it)."""
    own = LAYERS[layer_of(module)]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [(f"{node.module}.{a.name}", a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [(a.name, "") for a in node.names]
        else:
            continue
        for target, name in targets:
            if not target.startswith("maskbook"):
                continue
            if LAYERS[layer_of(target)] > own:
                found.append(f"{module} line {node.lineno}: imports {target}, a layer above its own")
            if name.startswith("_") and not name.startswith("__") and name != "_":
                found.append(f"{module} line {node.lineno}: imports the private name {target}")
    return found


def test_every_module_imports_only_its_own_layer_or_below():
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    assert {"maskbook.book.data", "maskbook.site.sphinxext", "maskbook.editions.pdf"} <= set(modules)
    found = [line for module, path in sorted(modules.items())
             for line in upward_imports(path.read_text(encoding="utf-8"), module)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("module, source", [
    ("maskbook.book.data", "from maskbook.site import pageparts"),
    ("maskbook.site.citation", "from maskbook.editions.pdf import read_book"),
    ("maskbook.notes.parse", "import maskbook.book.data"),
    ("maskbook.edition", "from maskbook.book import provenance"),
    ("maskbook.site.sphinxext", "from maskbook.bench import serve"),
    ("maskbook.site.datadocs", "from maskbook.site.pageparts import _private"),
])
def test_the_layer_check_catches_an_upward_or_private_import(module, source):
    assert upward_imports(source, module)


def test_the_layer_check_allows_imports_downward():
    source = ("from maskbook import ROOT\nfrom maskbook.edition import read_book\n"
              "from maskbook.book import data\nimport maskbook.notes.parse\nfrom maskbook.site import phases\n")
    assert upward_imports(source, "maskbook.editions.pdf") == []


# ------------------------------------------------------------------ third-party internals: one door
#: Modules of other packages that are not their public API; only ``maskbook.site.compat`` imports them.
INTERNALS = ("myst_nb.core", "myst_nb.ext", "myst_parser.mdit_to_docutils", "jupyter_cache.base", "jupyter_cache.executors",
             "pybtex.plugin", "sphinxcontrib.bibtex.plugin", "choreographer", "kaleido")


def test_only_the_compat_module_imports_third_party_internals():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "site" / "compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(ROOT)} line {node.lineno}: {name}" for name in names
                      if any(name == i or name.startswith(i + ".") for i in INTERNALS)]
    assert not found, "import these through maskbook.site.compat:\n" + "\n".join(found)


def test_the_compat_module_was_written_for_the_pinned_versions():
    from maskbook.site import compat

    compat.check_versions()  # the installed versions are requirements.txt's
    assert set(compat.WRITTEN_FOR) <= set(compat.pins())


def test_a_spare_document_gets_the_default_settings_as_objects_of_its_own():
    """myst-parser's spare documents (one per translated passage) copy settings made once."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from myst_parser.mdit_to_docutils import base

    from maskbook.site import compat

    compat.default_settings_made_once()
    first, second = base.make_document(), base.make_document("passage.md")
    fresh = vars(get_default_settings(Parser))
    for document in (first, second):
        settings = vars(document.settings)
        assert settings.keys() == fresh.keys()
        assert {k: v for k, v in settings.items() if k != "record_dependencies"} == {
            k: v for k, v in fresh.items() if k != "record_dependencies"}
        assert list(settings["record_dependencies"].list) == list(fresh["record_dependencies"].list) == []
    assert second["source"] == "passage.md"
    first.settings.record_dependencies.add("read.csv")
    first.settings.tab_width = 4
    assert second.settings.record_dependencies.list == [] and second.settings.tab_width == 8


def test_the_compat_module_stops_on_another_version(tmp_path):
    from maskbook.site import compat

    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    wrong = tmp_path / "requirements.txt"
    wrong.write_text(pins.replace("pybtex==", "pybtex==0.0.1+not"), encoding="utf-8")
    with pytest.raises(compat.CompatError, match=r"^pybtex \S+ is installed, but maskbook\.site\.compat was written "
                                                 r"for pybtex 0\.0\.1\+not"):
        compat.check_versions(wrong)
    wrong.write_text(pins.replace("choreographer==", "# choreographer=="), encoding="utf-8")
    with pytest.raises(compat.CompatError, match="no line 'choreographer==<version>'"):
        compat.check_versions(wrong)


# ------------------------------------------------------------------ the linter
def ruff(*paths: Path) -> subprocess.CompletedProcess:
    """``ruff check`` with the settings of pyproject.toml, run by this interpreter."""
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           "--config", str(ROOT / "pyproject.toml"), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_passes_on_the_package_and_the_tests():
    result = ruff(ROOT / "maskbook", ROOT / "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_passes_on_the_chapters_code_cells(tmp_path):
    """Each chapter as a notebook (jupytext), which ruff reads cell by cell; a finding names the chapter."""
    import jupytext

    chapters = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.md"))]
    for chapter in chapters:
        notebook = jupytext.reads(chapter.read_text(encoding="utf-8"), fmt="md:myst")
        name = chapter.relative_to(ROOT).with_suffix(".ipynb").as_posix().replace("/", "__")
        jupytext.write(notebook, tmp_path / name, fmt="ipynb")
    result = ruff(tmp_path)
    assert result.returncode == 0, (result.stdout + result.stderr).replace(str(tmp_path) + os.sep, "").replace("__", "/")


def test_ruff_finds_a_finding(tmp_path):
    """The two tests above fail on a finding: ruff with the book's settings reports an unused import."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    result = ruff(bad)
    assert result.returncode == 1 and "F401" in result.stdout, result.stdout + result.stderr


# ------------------------------------------------------------------ the one pass over the built pages
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
    <link rel="stylesheet" type="text/css" href="_static/a.css" />
    <link rel="stylesheet" type="text/css" href="_static/b.css" />
<script src="_static/x.js"></script>
<script>var inline = 1;</script>
</head><body><summary><span class="toctree-toggle" role="presentation"></span></summary>
<a href="https://example.org/">out</a></body></html>
"""


def test_the_post_build_pass_applies_its_steps_in_order_once(tmp_path):
    """Each page is read and written once, through the steps in order; the policy, last, hashes the
    inline script as written; a second pass (an incremental build) changes nothing."""
    from maskbook.site import cssbundle, page_security, postbuild

    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "_static" / "a.css").write_text(".a{color:red}", encoding="utf-8")
    (site / "_static" / "b.css").write_text(".b{color:blue}", encoding="utf-8")
    (site / "_static" / "macro.html").write_text(PAGE, encoding="utf-8")  # a theme's template, not a page
    (site / "page.html").write_text(PAGE, encoding="utf-8")
    bundler = cssbundle.Bundler(site)
    written = postbuild.rewrite_pages(site, postbuild.steps(bundler))
    bundler.write(written)
    page = (site / "page.html").read_text(encoding="utf-8")
    assert list(written) == [site / "page.html"] and written[site / "page.html"] == page
    assert (site / "_static" / "macro.html").read_text(encoding="utf-8") == PAGE
    assert 'aria-label="Show or hide the sub-pages"' in page and '<script defer src="_static/x.js">' in page
    assert page.count('rel="stylesheet"') == 1 and 'rel="noopener noreferrer"' in page
    assert page_security.sha256_source("var inline = 1;") in page_security.policy_for(page) in page
    bundle = next((site / "_static").glob(cssbundle.PREFIX + "*.css")).read_text(encoding="utf-8")
    assert bundle.index(".a{color:red}") < bundle.index(".b{color:blue}")
    assert postbuild.rewrite_pages(site, postbuild.steps(cssbundle.Bundler(site))) == written
