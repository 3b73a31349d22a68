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
    private (``_``) name of another module of the package."""
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
            if name.startswith("_") and not name.startswith("__"):
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
